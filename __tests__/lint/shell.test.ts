import { describe, expect, it } from '@jest/globals';
import { parseShell, subcommand } from '../../src/lint/shell.js';

describe('parseShell', () => {
  it('splits on operators and strips wrappers', () => {
    const cmds = parseShell('set -eux; DEBIAN_FRONTEND=noninteractive sudo -E apt-get -qq install -y curl && rm -rf /var/lib/apt/lists/* || true');
    expect(cmds.map((c) => c.name)).toEqual(['set', 'apt-get', 'rm', 'true']);
    expect(cmds[1].assignments).toEqual(['DEBIAN_FRONTEND=noninteractive']);
    expect(subcommand(cmds[1])).toBe('install');
  });

  it('keeps quoted text in one word and operators inside quotes literal', () => {
    const [cmd] = parseShell(`echo "a && b" 'c; d' e\\ f`);
    expect(cmd.args).toEqual(['echo', 'a && b', 'c; d', 'e f']);
  });

  it('records redirections apart from words', () => {
    const [cmd] = parseShell('echo "//r/:_authToken=${T}" > /root/.npmrc 2>/dev/null');
    expect(cmd.args).toEqual(['echo', '//r/:_authToken=${T}']);
    expect(cmd.redirects).toEqual([
      { op: '>', target: '/root/.npmrc' },
      { op: '>', target: '/dev/null' }
    ]);
  });

  it('keeps $(…) in one word and treats python -m pip as pip', () => {
    const cmds = parseShell('NPM_TOKEN=$(cat /run/secrets/t && echo) npm ci; python3 -m pip install -r req.txt # trailing comment');
    expect(cmds.map((c) => c.name)).toEqual(['npm', 'pip']);
    expect(cmds[1].args).toEqual(['pip', 'install', '-r', 'req.txt']);
  });

  it('never throws on unbalanced input', () => {
    for (const s of ['"', "'", '$(', '${', '`', '\\', 'a >', '>&', '(((', 'if then fi']) expect(() => parseShell(s)).not.toThrow();
  });
});
