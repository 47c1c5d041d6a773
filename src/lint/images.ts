// Base image references: parsing and what we know about well-known images (toolchains, heavy variants).

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

const lastSegment = (ref: ImageRef): string => ref.repository.slice(ref.repository.lastIndexOf('/') + 1);

// Images whose purpose is building: compilers, SDKs, build tools. Matched on the last path segment unless the
// entry has a slash (then on the full name).
const TOOLCHAIN_IMAGES = new Set([
  'golang', 'rust', 'maven', 'gradle', 'gcc', 'buildpack-deps', 'sbt', 'haskell', 'swift', 'clojure', 'leiningen',
  'mcr.microsoft.com/dotnet/sdk', 'mcr.microsoft.com/dotnet/core/sdk', 'microsoft/dotnet', 'dotnet/sdk'
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
  if (TOOLCHAIN_IMAGES.has(last) && !ref.registry) return last;
  if (name.startsWith('cimg/') || name.startsWith('circleci/')) return 'a CI build image';
  if (/^mcr\.microsoft\.com\/(vscode\/)?devcontainers\//.test(name)) return 'a dev container image';
  return undefined;
}

// Official images with a slim/alpine variant, and the variant to suggest.
const HEAVY_WITH_VARIANT: Record<string, string> = {
  node: 'node:<version>-slim, node:<version>-alpine or gcr.io/distroless/nodejs',
  python: 'python:<version>-slim or python:<version>-alpine',
  ruby: 'ruby:<version>-slim or ruby:<version>-alpine',
  perl: 'perl:<version>-slim',
  php: 'php:<version>-fpm-alpine or php:<version>-cli-alpine',
  debian: 'debian:<release>-slim or gcr.io/distroless/base-debian12',
  nginx: 'nginx:<version>-alpine',
  httpd: 'httpd:<version>-alpine',
  redis: 'redis:<version>-alpine',
  postgres: 'postgres:<version>-alpine',
  elixir: 'elixir:<version>-alpine',
  erlang: 'erlang:<version>-alpine'
};

const LIGHT_TAG = /(slim|alpine|distroless|minimal|busybox|micro|tiny)/;

/** The lighter variant to suggest when the image is a full distro/runtime image that has one. */
export function lighterVariant(ref: ImageRef): string | undefined {
  if (ref.registry) return undefined;
  const suggestion = HEAVY_WITH_VARIANT[ref.repository];
  if (!suggestion) return undefined;
  if (ref.tag && LIGHT_TAG.test(ref.tag.toLowerCase())) return undefined;
  return suggestion;
}

/** Images known to run as a non-root user by default. */
export function isKnownNonRoot(ref: ImageRef): boolean {
  const tag = (ref.tag ?? '').toLowerCase();
  return /(^|[-_.])nonroot($|[-_.])/.test(tag) || /nonroot/.test(ref.repository);
}
