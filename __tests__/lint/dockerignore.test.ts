// .dockerignore checks run against real context folders. Files that look like secrets (.env, id_rsa) and
// .git / node_modules are created at test time in a temp copy, so nothing secret-shaped is committed.
import { afterAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultConfig } from '../../src/config/types.js';
import { lintDockerfile } from '../../src/lint/index.js';
import { fixture } from '../helpers/engine.js';
import { only } from './helpers.js';

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Copies fixtures/lint/dockerignore/<name> to a temp folder and adds the unwanted files. */
function contextWithJunk(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ia-ignore-'));
  temps.push(dir);
  cpSync(fixture('lint', 'dockerignore', name), dir, { recursive: true });
  mkdirSync(path.join(dir, '.git', 'objects'), { recursive: true });
  writeFileSync(path.join(dir, '.git', 'config'), '[core]\n');
  mkdirSync(path.join(dir, 'node_modules', 'x'), { recursive: true });
  writeFileSync(path.join(dir, 'node_modules', 'x', 'index.js'), 'module.exports = 1;\n');
  writeFileSync(path.join(dir, '.env'), 'DB_PASSWORD=' + 'not-a-real-one\n');
  writeFileSync(path.join(dir, '.env.example'), 'DB_PASSWORD=\n');
  mkdirSync(path.join(dir, 'deploy'), { recursive: true });
  writeFileSync(path.join(dir, 'deploy', 'id_rsa'), '-----BEGIN OPENSSH ' + 'PRIVATE KEY-----\nfake\n');
  writeFileSync(path.join(dir, 'README.md'), '# app\n');
  return dir;
}

const lint = (dir: string, file = 'Dockerfile') => lintDockerfile({ dockerfile: path.join(dir, file), config: defaultConfig() });

describe('dockerignore-incomplete', () => {
  it('lists exactly the unwanted paths the .dockerignore lets through', async () => {
    const dir = contextWithJunk('partial');
    const [hit, ...rest] = only(await lint(dir), 'dockerignore-incomplete');
    expect(rest).toEqual([]);
    // .git is ignored by the fixture's .dockerignore; .env.example is a template, not a secret.
    expect(hit.details?.paths).toEqual(['.env', 'deploy/id_rsa', 'node_modules/']);
    expect(hit.line).toBe(3);
    // Riskiest first (keys, env files), then bulk; each with the bytes it would send; the path as given (absolute).
    expect(hit.message).toContain(`${path.join(dir, '.dockerignore')} does not exclude deploy/id_rsa (41 B), .env (27 B), node_modules/ (20 B)`);
    expect(only(await lint(dir), 'missing-dockerignore')).toEqual([]);
  });

  it('is quiet when the .dockerignore covers everything (with Docker pattern semantics, ** and !)', async () => {
    const dir = contextWithJunk('complete');
    expect(only(await lint(dir), 'dockerignore-incomplete')).toEqual([]);
  });

  it('re-included paths count: an exception (!) that lets .env back in is reported', async () => {
    const dir = contextWithJunk('complete');
    writeFileSync(path.join(dir, '.dockerignore'), '.git\n**/node_modules\n.env*\n!.env\n**/id_rsa*\n');
    expect(only(await lint(dir), 'dockerignore-incomplete')[0]?.details?.paths).toEqual(['.env']);
  });

  it('a folder excluded by `dir/*` (not the folder itself) is not reported when nothing inside is sent', async () => {
    const dir = contextWithJunk('complete');
    writeFileSync(path.join(dir, '.dockerignore'), '.git/*\n.git/objects/*\nnode_modules/*\n.env\n**/id_rsa\n');
    expect(only(await lint(dir), 'dockerignore-incomplete')).toEqual([]);
  });

  it('uses <Dockerfile>.dockerignore before the context one', async () => {
    const dir = contextWithJunk('per-dockerfile');
    writeFileSync(path.join(dir, '.dockerignore'), '*\n'); // would hide everything, but BuildKit ignores it here
    const findings = await lint(dir, 'build.Dockerfile');
    expect(only(findings, 'missing-dockerignore')).toEqual([]);
    expect(only(findings, 'dockerignore-incomplete')[0]?.details?.paths).toEqual(['deploy/id_rsa']);
  });

  it('does not run without a whole-context copy', async () => {
    const dir = contextWithJunk('partial');
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM alpine:3.20\nCOPY app.txt /app/\nUSER 1\n');
    const findings = await lint(dir);
    expect(only(findings, 'dockerignore-incomplete')).toEqual([]);
    expect(only(findings, 'missing-dockerignore')).toEqual([]);
  });
});

describe('missing-dockerignore', () => {
  it('fires on COPY . . with no .dockerignore in the context, naming what is really there with its bytes', async () => {
    const dir = contextWithJunk('none');
    writeFileSync(path.join(dir, '.git', 'pack'), Buffer.alloc(3 * 1024 * 1024));
    const [hit] = only(await lint(dir), 'missing-dockerignore');
    expect(hit.line).toBe(3);
    expect(hit.message).toContain(`copies the whole build context ${dir} (`);
    expect(hit.message).toContain('.git/ (3 MiB, Git history');
    expect(hit.message).toMatch(/\.env \(\d+ B, /);
    expect(hit.message).toContain('deploy/id_rsa (');
    expect(hit.message).not.toContain('any .env');
    expect(only(await lint(dir), 'dockerignore-incomplete')).toEqual([]);
  });

  it('a context of sources only (go.mod, go.sum, main.go) is not reported', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ia-go-'));
    temps.push(dir);
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY . /src\n');
    for (const f of ['go.mod', 'go.sum', 'main.go']) writeFileSync(path.join(dir, f), 'package main\n');
    expect(only(await lint(dir), 'missing-dockerignore')).toEqual([]);
  });

  it('paths are written as the user gave them: relative stays relative', async () => {
    const dir = contextWithJunk('none');
    const cwd = path.dirname(dir);
    const rel = path.basename(dir);
    const [hit] = only(await lintDockerfile({ dockerfile: path.join(rel, 'Dockerfile'), config: defaultConfig(), cwd }), 'missing-dockerignore');
    expect(hit.message).toContain(`copies the whole build context ${rel} (`);
    expect(hit.file).toBe(path.join(rel, 'Dockerfile'));
  });

  it('looks in the given context, not the Dockerfile folder', async () => {
    const ctx = contextWithJunk('complete');
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'ia-df-'));
    temps.push(elsewhere);
    writeFileSync(path.join(elsewhere, 'Dockerfile'), 'FROM alpine:3.20\nCOPY . /app\nUSER 1\n');
    writeFileSync(path.join(elsewhere, '.env'), 'LOG_LEVEL=' + 'debug\n');
    const withContext = await lintDockerfile({ dockerfile: path.join(elsewhere, 'Dockerfile'), context: ctx, config: defaultConfig() });
    expect(only(withContext, 'missing-dockerignore')).toEqual([]);
    const withoutContext = await lintDockerfile({ dockerfile: path.join(elsewhere, 'Dockerfile'), config: defaultConfig() });
    expect(only(withoutContext, 'missing-dockerignore')).toHaveLength(1);
  });
});
