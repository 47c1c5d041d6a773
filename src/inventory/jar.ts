// Java archives: Maven writes `META-INF/maven/<groupId>/<artifactId>/pom.properties` into every jar it builds;
// fat jars (Spring Boot `BOOT-INF/lib/`, wars `WEB-INF/lib/`) nest more jars. A jar is a zip whose central
// directory is at the end, so the whole (bounded) file is needed; fflate reads it and inflates only the
// entries we ask for.
import { unzipSync } from 'fflate';

export const isJarPath = (path: string) => /\.(jar|war|ear)$/i.test(path);

export interface MavenArtifact {
  group: string;
  artifact: string;
  version: string;
  /** Nested jar path inside the archive, when the pom came from one. */
  nested?: string;
}

const POM = /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/;
const NESTED = /^(?:BOOT-INF|WEB-INF)\/lib\/[^/]+\.jar$|^lib\/[^/]+\.jar$/;

export function readJar(buf: Uint8Array, depth = 0): MavenArtifact[] {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(buf, { filter: (f) => POM.test(f.name) || (depth === 0 && NESTED.test(f.name)) });
  } catch {
    return [];
  }
  const out: MavenArtifact[] = [];
  for (const [name, data] of Object.entries(files)) {
    if (POM.test(name)) {
      const a = parsePomProperties(Buffer.from(data).toString('utf8'));
      if (a) out.push(a);
    } else {
      for (const a of readJar(data, depth + 1)) out.push({ ...a, nested: name });
    }
  }
  return out;
}

export function parsePomProperties(text: string): MavenArtifact | undefined {
  const props = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([^#!=:\s]+)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (m) props.set(m[1], m[2]);
  }
  const group = props.get('groupId');
  const artifact = props.get('artifactId');
  const version = props.get('version');
  return group && artifact && version ? { group, artifact, version } : undefined;
}
