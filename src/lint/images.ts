// Base image references: parsing and what we know about well-known images (toolchains, heavy variants, default
// users; the facts live in data/official-images.ts).
import { defaultUser, factsFor } from './data/official-images.js';

export interface ImageRef {
  /** As written (after ARG substitution). */
  raw: string;
  /** Registry host when given and not Docker Hub. */
  registry?: string;
  /** Repository path without registry, `library/` stripped: `node`, `bitnami/node`, `dotnet/sdk`. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** Parses `[registry/]repo[:tag][@digest]`; undefined for empty text or unresolved variables. */
export function parseImageRef(raw: string): ImageRef | undefined {
  const text = raw.trim();
  if (!text || text.includes('$')) return undefined;
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash !== -1) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first.toLowerCase();
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon !== -1 && !rest.slice(colon).includes('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let repository = rest.toLowerCase();
  if (registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = undefined;
  if (!registry && repository.startsWith('library/')) repository = repository.slice('library/'.length);
  if (!repository) return undefined;
  return { raw: text, registry, repository, tag, digest };
}

/** `registry/repository` for matching, e.g. `mcr.microsoft.com/dotnet/sdk`, `golang`. */
export const fullName = (ref: ImageRef): string => (ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository);

/**
 * The Docker Hub official image this is (`node`), also through a mirror or proxy that keeps Docker Hub's
 * `library/` path: `registry.example.com/mirror/library/node`, `public.ecr.aws/docker/library/node`,
 * `mirror.gcr.io/library/node`. Undefined for other images.
 */
export function officialName(ref: ImageRef): string | undefined {
  if (!ref.registry && !ref.repository.includes('/')) return ref.repository;
  const m = /(^|\/)library\/([^/]+)$/.exec(ref.repository);
  return m ? m[2] : undefined;
}

/** The name to look facts up by: the official name when it is one, else registry/repository. */
export const matchName = (ref: ImageRef): string => officialName(ref) ?? fullName(ref);

const lastSegment = (ref: ImageRef): string => ref.repository.slice(ref.repository.lastIndexOf('/') + 1);

// Images whose purpose is building: compilers, SDKs, build tools. Matched on the last path segment unless the
// entry has a slash (then on the full name).
const TOOLCHAIN_IMAGES = new Set([
  'golang',
  'rust',
  'maven',
  'gradle',
  'gcc',
  'buildpack-deps',
  'sbt',
  'haskell',
  'swift',
  'clojure',
  'leiningen',
  'mcr.microsoft.com/dotnet/sdk',
  'mcr.microsoft.com/dotnet/core/sdk',
  'microsoft/dotnet',
  'dotnet/sdk'
]);

// JDK distributions whose default tags are JDKs; a `jre` tag is a runtime.
const JDK_DISTRIBUTIONS = new Set(['eclipse-temurin', 'amazoncorretto', 'sapmachine', 'ibm-semeru-runtimes', 'openjdk']);

/** Why the image is a toolchain (`golang`, `JDK`), or undefined when it is not one we know. */
export function toolchainKind(ref: ImageRef): string | undefined {
  const name = fullName(ref);
  const last = lastSegment(ref);
  const tag = (ref.tag ?? '').toLowerCase();
  const jre = /(^|[-_.])jre($|[-_.\d])/.test(tag) || last.includes('jre');
  if (JDK_DISTRIBUTIONS.has(last)) return jre ? undefined : 'a JDK';
  if (/(^|[-_.])jdk($|[-_.\d])/.test(tag) || /jdk/.test(last)) return jre ? undefined : 'a JDK';
  if (TOOLCHAIN_IMAGES.has(name)) return name;
  const official = officialName(ref);
  if (official && TOOLCHAIN_IMAGES.has(official)) return official;
  if (TOOLCHAIN_IMAGES.has(last) && !ref.registry) return last;
  if (name.startsWith('cimg/') || name.startsWith('circleci/')) return 'a CI build image';
  if (/^mcr\.microsoft\.com\/(vscode\/)?devcontainers\//.test(name)) return 'a dev container image';
  return undefined;
}

const LIGHT_TAG = /(slim|alpine|distroless|minimal|busybox|micro|tiny|chiseled)/;

/** The lighter drop-in variant to suggest when the image is a full image that has one (per the facts table). */
export function lighterVariant(ref: ImageRef): string | undefined {
  const facts = factsFor(matchName(ref));
  if (!facts?.lighter) return undefined;
  const tag = (ref.tag ?? '').toLowerCase();
  if (LIGHT_TAG.test(tag)) return undefined;
  if (facts.noLighterFor?.test(tag)) return undefined;
  return facts.lighter;
}

export interface RunUser {
  /** The user per the facts table, or undefined when the image is not in it. */
  user?: string;
  /** True when the container runs its process as root (known), false when not, undefined when unknown. */
  root?: boolean;
  /** The user the image's entrypoint switches to, when it starts as root and drops privileges itself. */
  entrypointUser?: string;
  source?: string;
}

/** Who the container runs as when the Dockerfile sets no USER. */
export function defaultRunUser(ref: ImageRef): RunUser {
  const tag = (ref.tag ?? '').toLowerCase();
  if (/(^|[-_.])nonroot($|[-_.])/.test(tag) || /nonroot|unprivileged|rootless/.test(ref.repository)) return { user: 'nonroot', root: false };
  const facts = factsFor(matchName(ref));
  if (!facts) return {};
  const user = defaultUser(facts, ref.tag);
  if (user.startsWith('entrypoint:')) return { user: 'root', root: true, entrypointUser: user.slice('entrypoint:'.length), source: facts.source };
  return { user, root: /^(root|0)$/.test(user), source: facts.source };
}
