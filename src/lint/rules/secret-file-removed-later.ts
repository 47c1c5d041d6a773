import type { Step } from '../model.js';
import { copiedSecretFile, secretFileKind } from '../secret-shapes.js';
import { commandsOf, shippedStages } from '../rule-helpers.js';
import type { LintRule, RuleHit } from '../types.js';

interface SecretWrite {
  step: Step;
  /** Path in the image as far as the Dockerfile says (may be relative to WORKDIR or use ~). */
  path: string;
  kind: string;
}

const base = (p: string): string => {
  const clean = p.replace(/\/+$/, '');
  return clean.slice(clean.lastIndexOf('/') + 1);
};

function writesOf(step: Step): SecretWrite[] {
  const out: SecretWrite[] = [];
  if (step.copy && !step.copy.heredoc && step.copy.dest) {
    for (const source of step.copy.sources) {
      const written = copiedSecretFile(source, step.copy.dest, step.copy.sources.length);
      if (written) out.push({ step, ...written });
    }
  }
  for (const cmd of commandsOf(step)) {
    for (const r of cmd.redirects) {
      const kind = r.op.includes('>') ? secretFileKind(r.target) : undefined;
      if (kind) out.push({ step, path: r.target, kind });
    }
    if ((cmd.name === 'cp' || cmd.name === 'mv' || cmd.name === 'tee' || cmd.name === 'install') && cmd.args.length > 1) {
      const target = cmd.args[cmd.args.length - 1];
      const kind = secretFileKind(target) ?? secretFileKind(cmd.args[cmd.args.length - 2] ?? '');
      if (kind) out.push({ step, path: secretFileKind(target) ? target : `${target}/${base(cmd.args[cmd.args.length - 2])}`, kind });
    }
    if (cmd.name === 'npm' && cmd.args[1] === 'config' && cmd.args[2] === 'set' && cmd.args.some((a) => a.includes('_auth'))) {
      out.push({ step, path: '~/.npmrc', kind: 'npm credentials (.npmrc)' });
    }
  }
  return out;
}

// True when one of the rm arguments deletes `path`: the same basename, or a folder above it.
function removes(step: Step, path: string): boolean {
  const name = base(path);
  return commandsOf(step).some(
    (c) =>
      c.name === 'rm' &&
      c.args.slice(1).some((a) => {
        if (a.startsWith('-')) return false;
        const arg = a.replace(/\/+$/, '');
        return base(arg) === name || path.startsWith(arg + '/') || (arg.includes('/.') && path.includes(arg.slice(arg.lastIndexOf('/'))));
      })
  );
}

export const secretFileRemovedLater: LintRule = {
  meta: {
    id: 'secret-file-removed-later',
    category: 'lint',
    defaultSeverity: 'error',
    shortDescription: 'A credential file is deleted in a later step but still ships in an earlier layer',
    fullDescription:
      'Deleting a file in a later instruction only hides it: the layer that added it still contains it, and `docker save` or any layer-inspection tool reads it back. Only stages that ship are checked.',
    help: 'Never write the file into a layer; mount it for the one RUN that needs it:\n\n```dockerfile\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n```\nand rotate the credential that shipped.',
    tags: ['security', 'secret'],
    examples: {
      bad: 'FROM node:20-slim\nCOPY .npmrc /root/.npmrc\nRUN npm ci\nRUN rm /root/.npmrc',
      good: 'FROM node:20-slim\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci'
    },
    hadolint: []
  },
  check({ model }) {
    const hits: RuleHit[] = [];
    for (const stage of shippedStages(model)) {
      const pending: SecretWrite[] = [];
      for (const step of stage.steps) {
        for (let k = pending.length - 1; k >= 0; k--) {
          const w = pending[k];
          if (!removes(step, w.path)) continue;
          hits.push({
            step: w.step,
            key: w.path,
            message: `${w.path} (${w.kind}) is added at line ${w.step.line} and removed at line ${step.line}, but the layer from line ${w.step.line} still contains it; use RUN --mount=type=secret instead and rotate the credential.`,
            details: { path: w.path, removedAtLine: step.line }
          });
          pending.splice(k, 1);
        }
        // A write removed in the same RUN never reaches a layer.
        for (const w of writesOf(step)) if (!removes(step, w.path)) pending.push(w);
      }
    }
    return hits;
  }
};
