// The image export straight from the Engine API's unix socket (GET /images/get), when the docker CLI would talk to
// that same socket anyway. `docker save` to a pipe adds a process that copies every byte once more (about
// 0.6 CPU-s per 650 MB on a 2-core runner, taken from the thread that analyses); anything the socket cannot do
// here (another host, a context, TLS, no socket) goes through the CLI as before.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

/** The Engine API socket the docker CLI uses by default, or undefined when it would go elsewhere. */
export function localEngineSocket(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const host = env.DOCKER_HOST;
  if (host !== undefined && host !== '') return host.startsWith('unix://') && host.length > 'unix://'.length ? host.slice('unix://'.length) : undefined;
  if (env.DOCKER_CONTEXT && env.DOCKER_CONTEXT !== 'default') return undefined;
  if (env.DOCKER_TLS_VERIFY || env.DOCKER_CERT_PATH) return undefined;
  const configDir = env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
  let config: { currentContext?: unknown } | undefined;
  try {
    config = JSON.parse(readFileSync(path.join(configDir, 'config.json'), 'utf8')) as { currentContext?: unknown };
  } catch (err) {
    // No config file is the default context; one we cannot read or parse is left to the CLI to judge.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
  }
  if (config?.currentContext !== undefined && config.currentContext !== '' && config.currentContext !== 'default') return undefined;
  return process.platform === 'win32' ? undefined : '/var/run/docker.sock';
}

export type EngineExport =
  /** The engine answered 200: `body` is the archive. */
  | { kind: 'archive'; body: http.IncomingMessage; abort: () => void }
  /** The engine answered with an error (its message). */
  | { kind: 'refused'; status: number; message: string }
  /** No engine at that socket (or it does not speak HTTP): use the CLI. */
  | { kind: 'unreachable'; reason: string };

/** Starts `GET /images/get?names=ID` on the socket. Resolves once the engine's answer (or silence) is known. */
export function requestImageExport(socketPath: string, imageId: string): Promise<EngineExport> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: `/images/get?names=${encodeURIComponent(imageId)}`, headers: { Host: 'docker' } });
    // No timeout: docker 20.10 writes the whole export to a temporary folder before it answers (about 7 s for
    // 650 MB here), so the headers come with the first byte; the CLI waits as long.
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ kind: 'unreachable', reason: err.code ?? err.message }));
    req.on('response', (res) => {
      if (res.statusCode === 200) {
        resolve({ kind: 'archive', body: res, abort: () => req.destroy() });
        return;
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (text.length < 8192) text += c;
      });
      res.on('end', () => {
        let message = text.trim();
        try {
          message = String((JSON.parse(text) as { message?: unknown }).message ?? message);
        } catch {
          // not JSON: keep the text
        }
        resolve({ kind: 'refused', status: res.statusCode ?? 0, message });
      });
      res.on('error', () => resolve({ kind: 'refused', status: res.statusCode ?? 0, message: text.trim() }));
    });
  });
}
