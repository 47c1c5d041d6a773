import type { From } from 'dockerfile-ast';
import { lighterVariant } from '../images.js';
import { stageChain } from '../model.js';
import { hitRange } from '../rule-helpers.js';
import type { LintRule } from '../types.js';

export const heavyFinalBase: LintRule = {
  meta: {
    id: 'heavy-final-base',
    category: 'lint',
    defaultSeverity: 'info',
    shortDescription: 'The shipped image is built on a full distro image that has a slim variant',
    fullDescription:
      'Full images such as `node:20` or `python:3.12` carry a complete Debian with compilers and documentation. Their `-slim`, `-alpine` or distroless variants run the same application in a fraction of the size.',
    help: 'Switch the final stage to the slim variant, e.g. `FROM python:3.12-slim`, and install only the system packages the application needs at run time. Only images with a drop-in lighter variant are flagged (src/lint/data/official-images.ts): `php:*-apache`, for one, has no alpine variant.',
    tags: ['size'],
    examples: {
      bad: 'FROM python:3.12\nCOPY app.py /\nCMD ["python", "/app.py"]\n',
      good: 'FROM python:3.12-slim\nCOPY app.py /\nCMD ["python", "/app.py"]\n'
    },
    hadolint: []
  },
  check({ model }) {
    if (!model.finalStage) return [];
    const chain = stageChain(model.finalStage);
    const root = chain[chain.length - 1];
    const variant = root.baseImage ? lighterVariant(root.baseImage) : undefined;
    if (!variant || !root.baseImage) return [];
    return [
      {
        step: root.fromStep,
        range: hitRange((root.fromStep.instruction as From).getImageRange()),
        message: `The image ships on ${root.baseImage.raw}, a full image with compilers and documentation; the drop-in ${variant} is usually a fraction of the size (check that the application's system packages are there).`,
        details: { image: root.baseImage.raw }
      }
    ];
  }
};
