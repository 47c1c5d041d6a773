// Shared wording for image findings: name the layer and the step that made it.
import type { LayerReport } from '../../report/types.js';

/** `RUN apt-get install -y gcc` from a history `created_by` (BuildKit or classic builder), shortened. */
export function stepText(createdBy: string, max = 80): string {
  let s = createdBy.trim();
  s = s.replace(/\s*# buildkit$/, '');
  s = s.replace(/^\/bin\/sh -c #\(nop\)\s*/, '');
  s = s.replace(/^\/bin\/sh -c /, 'RUN ');
  s = s.replace(/^RUN \|\d+(?: [^ =]+=\S*)* /, 'RUN '); // build-arg prefix `|2 A=1 B=2`
  s = s.replace(/^RUN \/bin\/sh -c /, 'RUN ');
  s = s.replace(/\s+/g, ' ');
  if (!s) return 'an unrecorded step';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** `layer 3 (`RUN apt-get update …`)`, or `base layer 0 (…)`. */
export function layerLabel(layers: LayerReport[], index: number): string {
  const layer = layers[index];
  if (!layer) return `layer ${index}`;
  return `${layer.fromBase ? 'base layer' : 'layer'} ${index} (\`${stepText(layer.createdBy)}\`)`;
}
