import type { From } from 'dockerfile-ast';
import { toolchainKind } from '../images.js';
import { stageChain } from '../model.js';
import { hitRange } from '../rule-helpers.js';
import type { LintRule } from '../types.js';

export const finalStageToolchain: LintRule = {
  meta: {
    id: 'final-stage-toolchain',
    category: 'lint',
    defaultSeverity: 'warning',
    shortDescription: 'The shipped image is built on an SDK or compiler image',
    fullDescription:
      'The stage that becomes the image starts FROM a toolchain image (golang, rust, maven, gradle, a JDK, gcc, buildpack-deps, dotnet/sdk…). Compilers, headers and SDKs then ship with the application: hundreds of megabytes and a larger attack surface.',
    help: 'Build in a toolchain stage and copy only the artefacts into a runtime image:\n\n```dockerfile\nFROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app .\n\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n```',
    tags: ['size', 'security'],
    examples: {
      bad: 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n',
      good: 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\nCMD ["/app"]\n'
    },
    hadolint: []
  },
  check({ model }) {
    if (!model.finalStage) return [];
    const chain = stageChain(model.finalStage);
    const root = chain[chain.length - 1];
    const kind = root.baseImage ? toolchainKind(root.baseImage) : undefined;
    if (!kind || !root.baseImage) return [];
    return [
      {
        step: root.fromStep,
        range: hitRange((root.fromStep.instruction as From).getImageRange()),
        message: `The image ships on ${root.baseImage.raw} (${kind}), so its compilers and SDK ship too; build in that image as a named stage and COPY --from it only the artefacts into a runtime image.`,
        details: { image: root.baseImage.raw, stage: model.finalStage.label }
      }
    ];
  }
};
