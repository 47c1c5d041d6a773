// A small OCI Distribution client: manifests and blobs over node:http(s), streamed, with the docker CLI's
// credentials, the Basic and Bearer-token challenge flows, a socket timeout, and plain HTTP only for loopback
// hosts and registries the user named insecure. Hand-written because the npm clients buffer whole blobs in
// memory or stream them to disk (see README "Registry client").
import http from 'node:http';
import https from 'node:https';
import { createHash } from 'node:crypto';
import { UserError } from '../util/errors.js';
import { findCredentials, type RegistryCredentials } from './credentials.js';
import { apiHost, isLoopbackHost } from './reference.js';

export interface RegistryOptions {
  /** Registries (`host[:port]` or `host`) that may be reached over plain HTTP or with an unverified certificate. */
  insecureRegistries?: string[];
  /** Socket inactivity timeout; default IMAGE_AUDIT_REGISTRY_TIMEOUT_MS or 30 s. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json'
].join(', ');

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const PLAIN_HTTP_ANSWER = /wrong version number|packet length too long|EPROTO|unknown protocol|record layer failure/i;
const TLS_TRUST_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID'
]);

export function registryTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.IMAGE_AUDIT_REGISTRY_TIMEOUT_MS);
  return Number.isFinite(n) && n > 0 ? n : 30_000;
}

export interface FetchedManifest {
  mediaType: string;
  digest: string;
  bytes: Buffer;
}

class TimeoutError extends Error {}

export class RegistryClient {
  private scheme: 'https' | 'http' | undefined;
  private readonly insecure: boolean;
  private readonly timeoutMs: number;
  private readonly env: NodeJS.ProcessEnv;
  private credentials: Promise<RegistryCredentials> | undefined;
  /** Authorization header per scope, once a challenge was answered. */
  private readonly authorization = new Map<string, string>();

  constructor(
    readonly host: string,
    opts: RegistryOptions = {}
  ) {
    const hostname = host.replace(/:\d+$/, '');
    this.insecure = (opts.insecureRegistries ?? []).some((r) => r === host || r === hostname);
    this.timeoutMs = opts.timeoutMs ?? registryTimeoutMs(opts.env);
    this.env = opts.env ?? process.env;
  }

  private get plainHttpAllowed(): boolean {
    return this.insecure || isLoopbackHost(this.host);
  }

  async getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    const res = await this.request(repository, `/v2/${repository}/manifests/${reference}`, MANIFEST_ACCEPT);
    if (res.statusCode === 404) {
      res.resume();
      throw new UserError(
        `The registry ${this.host} has no manifest ${repository}${reference.includes(':') ? '@' : ':'}${reference} (404 Not Found).`,
        `Check the repository and tag (\`skopeo list-tags docker://${this.host}/${repository}\` lists the tags), and that the image was pushed.`
      );
    }
    this.expectOk(res, `manifest ${repository}:${reference}`);
    const bytes = await readBody(res, MAX_MANIFEST_BYTES, `the manifest of ${repository}`);
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (reference.startsWith('sha256:') && reference !== digest) {
      throw new UserError(
        `The registry ${this.host} sent a manifest for ${repository}@${reference} whose digest is ${digest}.`,
        'The registry or a proxy in between altered it; do not trust this registry.'
      );
    }
    const mediaType = String(res.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    return { mediaType, digest, bytes };
  }

  /** The blob's bytes as they arrive; the caller verifies size and digest. */
  async openBlob(repository: string, digest: string): Promise<AsyncIterable<Buffer>> {
    const res = await this.request(repository, `/v2/${repository}/blobs/${digest}`, '*/*');
    if (res.statusCode === 404) {
      res.resume();
      throw new UserError(
        `The registry ${this.host} has no blob ${digest} in ${repository} (404 Not Found).`,
        'The image was pushed incompletely or the blob was garbage-collected; push it again.'
      );
    }
    this.expectOk(res, `blob ${digest}`);
    return this.body(res);
  }

  async getBlob(repository: string, digest: string, maxBytes: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let n = 0;
    for await (const c of await this.openBlob(repository, digest)) {
      n += c.length;
      if (n > maxBytes)
        throw new UserError(`The blob ${digest} in ${this.host}/${repository} is larger than ${maxBytes} bytes, which an image config never is.`);
      parts.push(c);
    }
    return Buffer.concat(parts);
  }

  private async *body(res: http.IncomingMessage): AsyncGenerator<Buffer> {
    try {
      for await (const c of res) yield c as Buffer;
    } catch (e) {
      throw this.networkError(e, 'while reading a blob');
    }
  }

  private expectOk(res: http.IncomingMessage, what: string): void {
    if (res.statusCode === 200) return;
    res.resume();
    throw new UserError(
      `The registry ${this.host} answered ${res.statusCode} ${res.statusMessage ?? ''} for ${what}.`.replace(/ +for/, ' for'),
      'Check that the registry is healthy and the reference is right.'
    );
  }

  /** GET with auth challenges answered and redirects followed. */
  private async request(repository: string, path: string, accept: string): Promise<http.IncomingMessage> {
    const scope = `repository:${repository}:pull`;
    let url = new URL(path, `${await this.baseUrl()}/`);
    let authorized = false;
    for (let hop = 0; hop < 8; hop++) {
      const sameHost = url.host === new URL(await this.baseUrl()).host;
      const auth = sameHost ? this.authorization.get(scope) : undefined;
      const res = await this.send(url, { Accept: accept, ...(auth ? { Authorization: auth } : {}) });
      const status = res.statusCode ?? 0;
      if ((status === 401 || status === 403) && sameHost) {
        const challenge = String(res.headers['www-authenticate'] ?? '');
        res.resume();
        if (authorized || status === 403 || !challenge) throw await this.accessDenied(status, repository);
        this.authorization.set(scope, await this.answerChallenge(challenge, scope, repository));
        authorized = true;
        continue;
      }
      if ([301, 302, 303, 307, 308].includes(status) && res.headers.location) {
        res.resume();
        url = new URL(res.headers.location, url);
        continue;
      }
      return res;
    }
    throw new UserError(`The registry ${this.host} redirected too often for ${path}.`);
  }

  private async baseUrl(): Promise<string> {
    const host = apiHost(this.host);
    if (this.scheme) return `${this.scheme}://${host}`;
    if (!this.plainHttpAllowed) {
      this.scheme = 'https';
      return `https://${host}`;
    }
    // Loopback and insecure registries: HTTPS when they speak it, else plain HTTP (as the docker daemon does).
    try {
      const res = await this.send(new URL(`https://${host}/v2/`), {}, true);
      res.resume();
      this.scheme = 'https';
    } catch (e) {
      if (e instanceof PlainHttpAnswer) this.scheme = 'http';
      else throw e;
    }
    return `${this.scheme}://${host}`;
  }

  private send(url: URL, headers: Record<string, string>, probing = false): Promise<http.IncomingMessage> {
    const lib = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, {
        method: 'GET',
        headers: { 'User-Agent': 'image-audit', ...headers },
        timeout: this.timeoutMs,
        ...(url.protocol === 'https:' ? { rejectUnauthorized: !this.insecure } : {})
      });
      req.on('timeout', () => req.destroy(new TimeoutError(`no answer within ${this.timeoutMs} ms`)));
      req.on('response', resolve);
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (probing && PLAIN_HTTP_ANSWER.test(`${e.code ?? ''} ${e.message}`)) reject(new PlainHttpAnswer());
        else reject(this.networkError(e, `for ${url.pathname}`));
      });
      req.end();
    });
  }

  private networkError(e: unknown, what: string): Error {
    if (e instanceof UserError) return e;
    const err = e as NodeJS.ErrnoException;
    if (e instanceof TimeoutError || err?.message?.includes('no answer within')) {
      return new UserError(
        `The registry ${this.host} did not answer within ${(this.timeoutMs / 1000).toFixed(1)} s ${what}.`,
        'Check that the registry is up and reachable from here; IMAGE_AUDIT_REGISTRY_TIMEOUT_MS sets the timeout (milliseconds).'
      );
    }
    if (err?.code && TLS_TRUST_CODES.has(err.code)) {
      return new UserError(
        `The TLS certificate of the registry ${this.host} is not trusted (${err.code}).`,
        'If it is signed by your own CA, start image-audit with NODE_EXTRA_CA_CERTS=/path/to/ca.pem (in a workflow: `env:` on the step); ' +
          'only for a registry you trust on a private network, list it in insecure-registries.'
      );
    }
    if (PLAIN_HTTP_ANSWER.test(`${err?.code ?? ''} ${err?.message ?? ''}`)) {
      return new UserError(
        `The registry ${this.host} does not speak HTTPS (${err.message}).`,
        'Plain HTTP is used only for localhost/127.0.0.1 and for registries listed in insecure-registries (--insecure-registry HOST).'
      );
    }
    return new UserError(
      `Could not reach the registry ${this.host} ${what}: ${err?.code ?? ''} ${err?.message ?? String(e)}`.replace(/\s+/g, ' ').trim() + '.',
      'Check the host name and port, and that the registry is running.'
    );
  }

  private creds(): Promise<RegistryCredentials> {
    this.credentials ??= findCredentials(this.host, this.env);
    return this.credentials;
  }

  private async accessDenied(status: number, repository: string): Promise<UserError> {
    const c = await this.creds();
    return new UserError(
      `The registry ${this.host} refused access to ${repository} (${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}). Credentials tried: ${c.origin}.`,
      `Log in with \`docker login ${this.host}\` (in a workflow: docker/login-action before this step), or point DOCKER_CONFIG at a directory whose config.json has credentials for ${this.host}; ` +
        `then check that this account may pull ${repository}.`
    );
  }

  private async answerChallenge(header: string, scope: string, repository: string): Promise<string> {
    const c = await this.creds();
    const [kind] = header.split(/\s+/, 1);
    if (/^basic$/i.test(kind)) {
      if (c.username === undefined || c.password === undefined) throw await this.accessDenied(401, repository);
      return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
    }
    if (!/^bearer$/i.test(kind))
      throw new UserError(`The registry ${this.host} asks for '${kind}' authentication, which image-audit does not support (Basic and Bearer only).`);
    const params = parseChallenge(header.slice(kind.length));
    if (!params.realm) throw new UserError(`The registry ${this.host} sent a Bearer challenge without a realm.`);
    const realm = new URL(params.realm);
    const wanted = params.scope ?? scope;
    let res: http.IncomingMessage;
    if (c.identityToken) {
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: c.identityToken,
        service: params.service ?? '',
        scope: wanted,
        client_id: 'image-audit'
      });
      res = await this.post(realm, form.toString());
    } else {
      if (params.service) realm.searchParams.set('service', params.service);
      realm.searchParams.set('scope', wanted);
      const basic: Record<string, string> =
        c.username !== undefined && c.password !== undefined ? { Authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` } : {};
      res = await this.send(realm, basic);
    }
    if (res.statusCode !== 200) {
      res.resume();
      throw await this.accessDenied(res.statusCode === 403 ? 403 : 401, repository);
    }
    const json = JSON.parse((await readBody(res, 1024 * 1024, 'the token')).toString('utf8')) as { token?: string; access_token?: string };
    const token = json.token ?? json.access_token;
    if (!token) throw new UserError(`The token service of ${this.host} (${realm.origin}) answered without a token.`);
    return `Bearer ${token}`;
  }

  private post(url: URL, form: string): Promise<http.IncomingMessage> {
    const lib = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, {
        method: 'POST',
        headers: { 'User-Agent': 'image-audit', 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(form) },
        timeout: this.timeoutMs
      });
      req.on('timeout', () => req.destroy(new TimeoutError(`no answer within ${this.timeoutMs} ms`)));
      req.on('response', resolve);
      req.on('error', (e) => reject(this.networkError(e, `from the token service ${url.origin}`)));
      req.end(form);
    });
  }
}

class PlainHttpAnswer extends Error {}

/** `realm="https://auth",service="reg",scope="repository:a:pull"` → record. */
export function parseChallenge(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([a-zA-Z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g))
    out[m[1].toLowerCase()] = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
  return out;
}

async function readBody(res: http.IncomingMessage, max: number, what: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of res) {
    n += (c as Buffer).length;
    if (n > max) {
      res.destroy();
      throw new UserError(`${what} is larger than ${max} bytes.`);
    }
    parts.push(c as Buffer);
  }
  return Buffer.concat(parts);
}
