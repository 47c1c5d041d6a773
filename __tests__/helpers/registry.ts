// A real registry for the tests: Debian's docker-registry (Distribution 2.8) on loopback, on a free port, with
// htpasswd auth and (optionally) TLS from a throwaway CA. Everything lives in one temp dir, removed by stop();
// the process is killed by its PID. Images go in with skopeo (argument arrays only).
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './engine.js';

export interface TestRegistry {
  /** `127.0.0.1:PORT` */
  host: string;
  port: number;
  tls: boolean;
  user: string;
  password: string;
  /** PEM of the CA that signed the server certificate (TLS only). */
  caFile?: string;
  /** Folder with ca.crt, for skopeo --dest-cert-dir / --src-cert-dir. */
  certDir?: string;
  /** A DOCKER_CONFIG folder whose config.json has this registry's credentials. */
  dockerConfig: string;
  /** The registry's storage root (blobs under docker/registry/v2/blobs/sha256/XX/HEX/data). */
  storage: string;
  dir: string;
  /** skopeo copy SRC → docker://HOST/DEST (e.g. `docker-daemon:app:1`, `oci:DIR:tag`). */
  push(src: string, dest: string, extra?: string[]): void;
  /** A request with this registry's credentials and CA (PUT manifests in tests). */
  request(
    method: string,
    urlPath: string,
    body?: Buffer | string,
    headers?: Record<string, string>
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>;
  blobPath(digest: string): string;
  stop(): Promise<void>;
}

export function registryToolsAvailable(): boolean {
  return ['docker-registry', 'skopeo', 'htpasswd', 'openssl'].every((t) => spawnSync('sh', ['-c', 'command -v "$0"', t]).status === 0);
}

export function requireRegistryTools(): void {
  if (!registryToolsAvailable()) {
    throw new Error('docker-registry, skopeo, htpasswd and openssl are needed: `bash scripts/engine.sh` installs them.');
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function makeCertificates(dir: string): { caFile: string; cert: string; key: string } {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=image-audit test CA', '-keyout', 'ca.key', '-out', 'ca.pem']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr']);
  writeFileSync(path.join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n');
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.cnf', '-out', 'server.crt']);
  return { caFile: path.join(dir, 'ca.pem'), cert: path.join(dir, 'server.crt'), key: path.join(dir, 'server.key') };
}

async function waitUntilUp(port: number, tls: boolean, ca: Buffer | undefined, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const lib = tls ? https : http;
      const req = lib.get({ host: '127.0.0.1', port, path: '/v2/', ca, timeout: 1000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 401 || res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`docker-registry did not come up on ${port}: ${log()}`);
}

export async function startRegistry(opts: { tls?: boolean; user?: string; password?: string } = {}): Promise<TestRegistry> {
  const tls = opts.tls ?? true;
  const user = opts.user ?? 'auditor';
  const password = opts.password ?? 'pw-' + Math.random().toString(36).slice(2);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'image-audit-registry-'));
  let child: ChildProcess | undefined;
  try {
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const storage = path.join(dir, 'storage');
    mkdirSync(storage);
    const htpasswd = execFileSync('htpasswd', ['-Bbn', user, password], { encoding: 'utf8' });
    writeFileSync(path.join(dir, 'htpasswd'), htpasswd);
    const certs = tls ? makeCertificates(dir) : undefined;
    const certDir = certs ? path.join(dir, 'certs.d') : undefined;
    if (certs && certDir) {
      mkdirSync(certDir);
      copyFileSync(certs.caFile, path.join(certDir, 'ca.crt'));
    }
    const config = [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${storage}`,
      '  delete:',
      '    enabled: true',
      '  cache:',
      '    blobdescriptor: inmemory',
      'http:',
      `  addr: ${host}`,
      `  secret: ${Math.random().toString(36).slice(2)}`,
      ...(certs ? ['  tls:', `    certificate: ${certs.cert}`, `    key: ${certs.key}`] : []),
      'auth:',
      '  htpasswd:',
      '    realm: image-audit-test',
      `    path: ${path.join(dir, 'htpasswd')}`
    ].join('\n');
    writeFileSync(path.join(dir, 'config.yml'), config + '\n');
    const dockerConfig = path.join(dir, 'docker-config');
    mkdirSync(dockerConfig);
    writeFileSync(
      path.join(dockerConfig, 'config.json'),
      JSON.stringify({ auths: { [host]: { auth: Buffer.from(`${user}:${password}`).toString('base64') } } })
    );

    let log = '';
    child = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (c) => (log = (log + c).slice(-4000)));
    child.stderr?.on('data', (c) => (log = (log + c).slice(-4000)));
    const ca = certs ? Buffer.from(execFileSync('cat', [certs.caFile])) : undefined;
    await waitUntilUp(port, tls, ca, child, () => log);
    const proc = child;

    const registry: TestRegistry = {
      host,
      port,
      tls,
      user,
      password,
      caFile: certs?.caFile,
      certDir,
      dockerConfig,
      storage,
      dir,
      push(src, dest, extra = []) {
        const tlsArgs = certDir ? ['--dest-cert-dir', certDir] : ['--dest-tls-verify=false'];
        execFileSync('skopeo', ['copy', '--quiet', '--dest-creds', `${user}:${password}`, ...tlsArgs, ...extra, src, `docker://${host}/${dest}`], {
          stdio: ['ignore', 'ignore', 'pipe']
        });
      },
      request(method, urlPath, body, headers = {}) {
        return new Promise((resolve, reject) => {
          const lib = tls ? https : http;
          const req = lib.request(
            {
              host: '127.0.0.1',
              port,
              path: urlPath,
              method,
              ca,
              headers: { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, ...headers }
            },
            (res) => {
              const parts: Buffer[] = [];
              res.on('data', (c) => parts.push(c));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
            }
          );
          req.on('error', reject);
          req.end(body);
        });
      },
      blobPath(digest) {
        const hex = digest.replace(/^sha256:/, '');
        return path.join(storage, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
      },
      async stop() {
        if (proc.exitCode === null && proc.signalCode === null) {
          const exited = new Promise((r) => proc.once('close', r));
          process.kill(proc.pid!, 'SIGTERM');
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 3000)))]);
          clearTimeout(timer);
          if (proc.exitCode === null && proc.signalCode === null) process.kill(proc.pid!, 'SIGKILL');
        }
        rmSync(dir, { recursive: true, force: true });
      }
    };
    return registry;
  } catch (e) {
    if (child?.pid && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** A TCP server on loopback that accepts connections and never answers (a hung registry). */
export async function startSilentServer(): Promise<{ host: string; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        srv.close(() => r());
      })
  };
}

function newestSource(dir: string): number {
  return Math.max(
    ...readdirSync(dir).map((name) => {
      const p = path.join(dir, name);
      const s = statSync(p);
      return s.isDirectory() ? newestSource(p) : s.mtimeMs;
    })
  );
}

/** dist/cli.js, rebuilt when older than src/ (NODE_EXTRA_CA_CERTS is read at process start, so TLS tests need a process). */
export function cliBundle(): string {
  const bundle = path.join(repoRoot, 'dist', 'cli.js');
  // mtime alone misses a checked-out older dist/; the bundle must also know the image sources.
  const stale =
    !existsSync(bundle) || statSync(bundle).mtimeMs < newestSource(path.join(repoRoot, 'src')) || !readFileSync(bundle, 'utf8').includes('oci-layout://');
  if (stale) {
    execFileSync('npm', ['run', 'bundle'], { cwd: repoRoot, stdio: 'ignore' });
  }
  return bundle;
}

/** Runs the CLI bundle in its own process with exactly `env` added to PATH/HOME/TMPDIR. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  cwd = repoRoot,
  node = process.env.IMAGE_AUDIT_NODE24 ?? process.execPath
): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(PATH|HOME|TMPDIR|LANG)$/.test(k))) as Record<string, string>;
  return new Promise((resolve, reject) => {
    const child = spawn(node, [cliBundle(), ...args], { cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
