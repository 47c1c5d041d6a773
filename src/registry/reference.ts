// `HOST[:PORT]/REPO[:TAG|@DIGEST]` → its parts, with Docker's defaults (docker.io, library/, latest).
import { UserError } from '../util/errors.js';

export interface RegistryReference {
  /** Host as written (`127.0.0.1:5000`, `ghcr.io`); `docker.io` for Docker Hub. */
  host: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const REPO = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

export function parseRegistryReference(text: string): RegistryReference {
  const bad = (why: string) =>
    new UserError(`'${text}' is not a valid image reference (${why}).`, 'Write it as HOST[:PORT]/REPOSITORY[:TAG|@sha256:DIGEST], e.g. ghcr.io/acme/app:1.2.');
  let rest = text.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw bad(`the digest '${digest}' is malformed`);
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw bad(`the tag '${tag}' is malformed`);
  }
  const first = rest.split('/')[0];
  let host = 'docker.io';
  let repository = rest;
  if (rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['))) {
    host = first;
    repository = rest.slice(first.length + 1);
  }
  if (host === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  if (!repository || !REPO.test(repository)) throw bad(`the repository '${repository}' is malformed`);
  if (!tag && !digest) tag = 'latest';
  return { host, repository, tag, digest };
}

export function formatReference(ref: RegistryReference): string {
  return `${ref.host}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The host requests go to: Docker Hub's API lives on registry-1.docker.io. */
export function apiHost(host: string): string {
  return host === 'docker.io' || host === 'index.docker.io' ? 'registry-1.docker.io' : host;
}

/** Hosts that may be spoken to in plain HTTP without being listed as insecure. */
export function isLoopbackHost(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}
