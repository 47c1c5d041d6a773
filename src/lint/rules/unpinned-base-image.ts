import type { From } from 'dockerfile-ast';
import { hitRange } from '../rule-helpers.js';
import type { LintRule, RuleHit } from '../types.js';

export const unpinnedBaseImage: LintRule = {
  meta: {
    id: 'unpinned-base-image',
    category: 'lint',
    defaultSeverity: 'warning',
    shortDescription: 'FROM uses no tag or `latest`',
    fullDescription:
      'An image without a tag means `latest`, which moves: two builds of the same commit can get different bases, and a new major version can break the build or the application without any change in the repository. Digests are pinned; `scratch` and stage names are not images.',
    help: 'Pin a version tag, ideally with a digest: `FROM node:20.11-slim@sha256:…`. Tools like Renovate or Dependabot keep pins current.',
    tags: ['reproducibility'],
    examples: { bad: 'FROM node\nFROM python:latest\n', good: 'FROM node:20.11-slim\nFROM python:3.12-slim@sha256:<digest>\n' },
    hadolint: ['DL3006', 'DL3007']
  },
  check({ model }) {
    const hits: RuleHit[] = [];
    for (const stage of model.stages) {
      const ref = stage.baseImage;
      if (!ref || ref.digest || ref.repository === 'scratch') continue;
      if (ref.tag !== undefined && ref.tag.toLowerCase() !== 'latest') continue;
      // `FROM $BASE`: say what the ARG default makes of it, since that is what the file pins (or not).
      const written = (stage.fromStep.instruction as From).getImage() ?? ref.raw;
      const image = written.includes('$') && written !== ref.raw ? `${written} (${ref.raw} by default)` : ref.raw;
      hits.push({
        step: stage.fromStep,
        range: hitRange((stage.fromStep.instruction as From).getImageRange()),
        message: `FROM ${image} ${ref.tag ? 'uses latest' : 'has no tag'}, so the base changes under you; pin a version tag (and ideally a digest).`,
        details: { image: ref.raw, reason: ref.tag ? 'latest' : 'no-tag' },
        hadolint: ref.tag ? 'DL3007' : 'DL3006'
      });
    }
    return hits;
  }
};
