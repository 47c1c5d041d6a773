// Build args given to the build are known before the image exists. Those that are secrets (by name, like
// NPM_TOKEN, or by shape, like a ghp_ token) must be registered with the host and masked in the logged
// command line before `docker buildx build` runs, or the CLI log prints them whole.
import { maskFor } from './mask.js';
import { assessNamedValue, secretName } from './rules/secret-name.js';
import { scanText } from './scan-text.js';

interface SecretArg {
  name: string;
  value: string;
  masked: string;
}

function classify(arg: string): SecretArg | undefined {
  const eq = arg.indexOf('=');
  if (eq <= 0) return undefined;
  const name = arg.slice(0, eq);
  const value = arg.slice(eq + 1);
  const hits = scanText(`${name}=${value}`).filter((h) => h.index > name.length - 1);
  // The whole value is what must not be printed, even when only part of it is token-shaped.
  if (hits.length > 0) return { name, value, masked: value === hits[0].value ? maskFor(hits[0].detector, value) : '…' };
  if (assessNamedValue(name, value)) return { name, value, masked: maskFor(secretName, value.trim()) };
  return undefined;
}

/** Values of `NAME=value` build args that are secrets; pass each to `runtime.maskSecret` before building. */
export function secretBuildArgValues(buildArgs: readonly string[]): string[] {
  return buildArgs.map(classify).flatMap((s) => (s ? [s.value] : []));
}

/** A copy of a docker argv safe to log: secret `--build-arg NAME=value` values replaced by their masks. */
export function logSafeArgs(args: readonly string[]): string[] {
  return args.map((a, i) => {
    const inline = /^--build-arg=(.*)$/.exec(a);
    const arg = inline ? inline[1] : args[i - 1] === '--build-arg' ? a : undefined;
    const secret = arg === undefined ? undefined : classify(arg);
    if (!secret) return a;
    return `${inline ? '--build-arg=' : ''}${secret.name}=${secret.masked}`;
  });
}
