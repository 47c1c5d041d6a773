// Registry credentials the way the docker CLI finds them: $DOCKER_CONFIG/config.json (or ~/.docker/config.json),
// `credHelpers[host]`, then `credsStore`, then `auths[host]` (`auth` = base64 user:password, or `identitytoken`).
// Helpers run as `docker-credential-NAME get` with the host on stdin, never through a shell.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface RegistryCredentials {
  username?: string;
  password?: string;
  /** OAuth2 refresh token (`identitytoken`), exchanged at the token endpoint. */
  identityToken?: string;
  /** Where they came from, for messages: never contains the secret. */
  origin: string;
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
  return path.join(dir, 'config.json');
}

/** Keys `docker login` may have used for a host. */
function hostKeys(host: string): string[] {
  if (host === 'docker.io' || host === 'registry-1.docker.io' || host === 'index.docker.io') {
    return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
  }
  return [host, `https://${host}`, `http://${host}`, `https://${host}/v1/`, `https://${host}/v2/`];
}

/**
 * Credentials for `host`, or an origin-only record saying why there are none (anonymous access is then tried).
 * Never throws for a missing or unreadable config: anonymous pulls must keep working.
 */
export async function findCredentials(host: string, env: NodeJS.ProcessEnv = process.env): Promise<RegistryCredentials> {
  const file = dockerConfigPath(env);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let config: any;
  try {
    config = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    return { origin: missing ? `none (${file} does not exist)` : `none (${file} is not valid JSON)` };
  }
  const keys = hostKeys(host);
  const helper = keys.map((k) => config?.credHelpers?.[k]).find((h) => typeof h === 'string') ?? config?.credsStore;
  if (typeof helper === 'string' && helper) {
    const fromHelper = await runHelper(helper, keys, env);
    if (fromHelper) return fromHelper;
  }
  for (const key of keys) {
    const entry = config?.auths?.[key];
    if (!entry) continue;
    const origin = `auths["${key}"] in ${file}`;
    if (typeof entry.identitytoken === 'string' && entry.identitytoken) return { identityToken: entry.identitytoken, origin: `${origin} (identity token)` };
    if (typeof entry.auth === 'string' && entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i > 0) return { username: decoded.slice(0, i), password: decoded.slice(i + 1), origin: `${origin} (user '${decoded.slice(0, i)}')` };
    }
    if (typeof entry.username === 'string' && typeof entry.password === 'string') {
      return { username: entry.username, password: entry.password, origin: `${origin} (user '${entry.username}')` };
    }
  }
  return { origin: `none (no entry for ${host} in ${file}${typeof helper === 'string' && helper ? ` nor from docker-credential-${helper}` : ''})` };
}

async function runHelper(helper: string, keys: string[], env: NodeJS.ProcessEnv): Promise<RegistryCredentials | undefined> {
  const program = `docker-credential-${helper}`;
  for (const key of keys.slice(0, 2)) {
    const out = await new Promise<string | undefined>((resolve) => {
      const child = spawn(program, ['get'], { stdio: ['pipe', 'pipe', 'ignore'], env });
      let text = '';
      const timer = setTimeout(() => child.kill(), 15_000);
      child.stdout.setEncoding('utf8').on('data', (c: string) => (text += c));
      child.on('error', () => resolve(undefined));
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve(code === 0 ? text : undefined);
      });
      child.stdin.on('error', () => {});
      child.stdin.end(key);
    });
    if (out === undefined) continue;
    try {
      const parsed = JSON.parse(out) as { Username?: string; Secret?: string };
      if (!parsed.Secret) continue;
      const origin = `${program} for ${key}`;
      // A helper returns identity tokens with the user name `<token>`.
      if (parsed.Username === '<token>') return { identityToken: parsed.Secret, origin: `${origin} (identity token)` };
      return { username: parsed.Username, password: parsed.Secret, origin: `${origin} (user '${parsed.Username ?? ''}')` };
    } catch {
      continue;
    }
  }
  return undefined;
}
