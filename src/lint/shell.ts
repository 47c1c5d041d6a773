// A small POSIX-shell word splitter for RUN scripts. The linter only needs simple commands (argv arrays) and
// their redirection targets, not a full shell grammar; no maintained npm parser is installed, and the usual
// ones (shell-quote) lose command boundaries inside `$(…)` the same way this does. Unbalanced quotes or
// parentheses never throw: the rest of the script becomes one word.

export interface Redirect {
  op: string;
  target: string;
}

export interface ShellCommand {
  /** Words as the shell would pass them (quotes removed, variables left as written). */
  words: string[];
  /** `words` without leading assignments, `sudo`, `env` and other wrappers; args[0] is the program. */
  args: string[];
  /** Basename of the program (`/usr/bin/apt-get` → `apt-get`); `python -m pip` → `pip`. */
  name: string;
  redirects: Redirect[];
  /** `VAR=value` words before the program. */
  assignments: string[];
}

const OPERATOR_CHARS = new Set([';', '&', '|', '(', ')', '\n']);
// Words that start a compound command or negate; the command that follows is the interesting one.
const LEADING_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'time', 'exec', 'command', 'nohup']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Splits a script into simple commands. Never throws. */
export function parseShell(script: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let words: string[] = [];
  let redirects: Redirect[] = [];
  let pendingRedirect: string | undefined;
  let word = '';
  let inWord = false;
  let i = 0;
  const n = script.length;

  const endWord = () => {
    if (!inWord) return;
    if (pendingRedirect !== undefined) {
      redirects.push({ op: pendingRedirect, target: word });
      pendingRedirect = undefined;
    } else {
      words.push(word);
    }
    word = '';
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    pendingRedirect = undefined;
    if (words.length > 0 || redirects.length > 0) commands.push(makeCommand(words, redirects));
    words = [];
    redirects = [];
  };
  // Skips a balanced `$(…)` / `${…}` / backtick span starting at i, appending it verbatim to the word.
  const takeBalanced = (open: string, close: string) => {
    let depth = 0;
    const start = i;
    while (i < n) {
      const c = script[i];
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === open) depth++;
      else if (c === close) {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      }
      i++;
    }
    word += script.slice(start, i);
  };

  while (i < n) {
    const c = script[i];
    if (c === '\\') {
      if (script[i + 1] === '\n') {
        i += 2; // line continuation
        continue;
      }
      if (i + 1 < n) word += script[i + 1];
      inWord = true;
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = script.indexOf("'", i + 1);
      const stop = end === -1 ? n : end;
      word += script.slice(i + 1, stop);
      inWord = true;
      i = stop + 1;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < n && script[i] !== '"') {
        if (script[i] === '\\' && i + 1 < n && '"\\$`\n'.includes(script[i + 1])) {
          if (script[i + 1] !== '\n') word += script[i + 1];
          i += 2;
          continue;
        }
        if (script[i] === '$' && script[i + 1] === '(') {
          i++;
          word += '$';
          takeBalanced('(', ')');
          continue;
        }
        word += script[i++];
      }
      i++;
      inWord = true;
      continue;
    }
    if (c === '$' && (script[i + 1] === '(' || script[i + 1] === '{')) {
      word += '$';
      i++;
      takeBalanced(script[i], script[i] === '(' ? ')' : '}');
      inWord = true;
      continue;
    }
    if (c === '`') {
      const end = script.indexOf('`', i + 1);
      const stop = end === -1 ? n : end + 1;
      word += script.slice(i, stop);
      inWord = true;
      i = stop;
      continue;
    }
    if (c === '#' && !inWord) {
      while (i < n && script[i] !== '\n') i++;
      continue;
    }
    if (c === '>' || c === '<') {
      // `2>`, `>>`, `&>`, `>&2`, `<<<`: a redirection; a leading fd number belongs to it, not to the words.
      if (inWord && /^\d+$/.test(word)) {
        word = '';
        inWord = false;
      } else endWord();
      let op = c;
      i++;
      while (i < n && (script[i] === '>' || script[i] === '<' || script[i] === '&' || script[i] === '|')) op += script[i++];
      if (op.endsWith('&') && /\d|-/.test(script[i] ?? '')) {
        while (i < n && /[\d-]/.test(script[i])) i++; // `>&2`: a duplication, no file target
        continue;
      }
      pendingRedirect = op;
      continue;
    }
    if (c === '&' && script[i + 1] === '>') {
      endWord();
      i += 2;
      let op = '&>';
      if (script[i] === '>') {
        op += '>';
        i++;
      }
      pendingRedirect = op;
      continue;
    }
    if (OPERATOR_CHARS.has(c)) {
      endCommand();
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i++;
      continue;
    }
    word += c;
    inWord = true;
    i++;
  }
  endCommand();
  return commands;
}

function makeCommand(words: string[], redirects: Redirect[]): ShellCommand {
  let k = 0;
  const assignments: string[] = [];
  // Strip wrappers until the real program: `DEBIAN_FRONTEND=x sudo -E env A=b apt-get …`.
  for (;;) {
    const w = words[k];
    if (w === undefined) break;
    if (ASSIGNMENT.test(w)) {
      assignments.push(w);
      k++;
    } else if (LEADING_KEYWORDS.has(w)) k++;
    else if (w === 'sudo' || w === 'env' || w === 'nice' || w === 'xargs') {
      k++;
      while (words[k]?.startsWith('-')) {
        // `sudo -u user`, `env -u VAR`: options with a value.
        if (/^-(u|g|n)$/.test(words[k]) && words[k + 1] !== undefined) k++;
        k++;
      }
    } else break;
  }
  let args = words.slice(k);
  let name = args.length > 0 ? basename(args[0]) : '';
  // `python3 -m pip install …` is pip.
  if (/^python[\d.]*$/.test(name) && args[1] === '-m' && args[2] !== undefined) {
    args = args.slice(2);
    name = args[0];
  }
  return { words, args, name, redirects, assignments };
}

const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** The first positional argument after the program (`apt-get -y install x` → `install`); skips `-o value`. */
export function subcommand(
  cmd: ShellCommand,
  optionsWithValue: ReadonlySet<string> = new Set(['-o', '-c', '-C', '-f', '--file', '--prefix', '--cwd', '--dir'])
): string | undefined {
  for (let k = 1; k < cmd.args.length; k++) {
    const a = cmd.args[k];
    if (optionsWithValue.has(a)) {
      k++;
      continue;
    }
    // `cargo +nightly build`: rustup's toolchain selector comes before the subcommand.
    if (a.startsWith('+') && cmd.name === 'cargo') continue;
    if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/** Positional arguments after the subcommand. */
export function positionalsAfter(cmd: ShellCommand, sub: string): string[] {
  const idx = cmd.args.indexOf(sub);
  const out: string[] = [];
  for (let k = idx + 1; k < cmd.args.length; k++) {
    const a = cmd.args[k];
    if (a.startsWith('-')) {
      // `-r file`, `-c constraints`, `--target dir`: the value is not a package.
      if (
        /^(-r|--requirement|-c|--constraint|-e|--editable|-t|--target|-i|--index-url|--extra-index-url|--prefix|--root|--cache-dir|-w|--workspace|--filter|-C)$/.test(
          a
        )
      )
        k++;
      continue;
    }
    out.push(a);
  }
  return out;
}

export const hasFlag = (cmd: ShellCommand, ...flags: string[]): boolean => cmd.args.some((a) => flags.some((f) => a === f || a.startsWith(f + '=')));
