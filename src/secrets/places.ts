// Which files are read at all. Content scanning is what costs time, so only text in likely places is read:
//
//  1. Credential files recognised by name or location are always read (up to the cap), wherever they are:
//     .npmrc, .env*, id_rsa/id_dsa/id_ecdsa/id_ed25519, *.pem/*.key/*.p8, .aws/credentials, .docker/config.json,
//     .git-credentials, .netrc, .pypirc, credentials.json/*service-account*.json, .dockercfg, .pgpass.
//  2. Other regular files up to CONTENT_CAP bytes are read when they are NOT in a vendor/system zone and their
//     extension is not a known binary/media/archive one. Vendor/system zones are trees that distributions and
//     package managers own and fill with documentation, sample keys and test fixtures (Python's test suite ships
//     private keys; node_modules packages ship fixture tokens): usr/share, usr/lib*, lib*, usr/include,
//     usr/src, var/lib/{dpkg,apt,…}, var/cache, var/log, proc, sys, dev, boot, and any node_modules,
//     site-packages, dist-packages, .git/objects. A credential file (rule 1) inside a zone is still read,
//     except for key files (*.pem/*.key), which vendor trees ship as fixtures.
//  3. Content with a NUL byte in the first 8 KiB is binary and is skipped.
//
// On the Debian base this reads ~200 files of /etc instead of ~5,000, and a 500 MB application image a few
// thousand (the bench measures it).

/** Largest file read for content (credential files larger than this are read up to the cap). */
export const CONTENT_CAP = 256 * 1024;

const KEY_FILE = /(?:^|\/)(?:id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?|[^/]+\.(?:pem|key|p8|ppk))$/;
const CREDENTIAL_FILE = new RegExp(
  [
    /(?:^|\/)\.npmrc$/,
    /(?:^|\/)\.env(?:\.[A-Za-z0-9_-]+)?$/,
    /(?:^|\/)\.aws\/credentials$/,
    /(?:^|\/)\.docker\/config\.json$/,
    /(?:^|\/)\.dockercfg$/,
    /(?:^|\/)\.git-credentials$/,
    /(?:^|\/)_?\.?netrc$/,
    /(?:^|\/)\.pypirc$/,
    /(?:^|\/)\.pgpass$/,
    /(?:^|\/)(?:credentials|[^/]*service[-_]?account[^/]*|[^/]+-[0-9a-f]{12})\.json$/
  ]
    .map((r) => r.source)
    .join('|')
);

const ZONE =
  /^(?:usr\/share|usr\/lib(?:32|64|exec)?|lib(?:32|64)?|usr\/include|usr\/src|usr\/local\/lib\/python[^/]*|var\/lib\/(?:dpkg|apt|ucf|pam|systemd|misc)|var\/cache|var\/log|proc|sys|dev|boot)(?:\/|$)|(?:^|\/)(?:node_modules|site-packages|dist-packages|\.git\/objects|__pycache__)(?:\/|$)/;

const BINARY_EXT =
  /\.(?:so(?:\.\d+)*|a|o|ko|node|wasm|exe|dll|dylib|bin|dat|db|sqlite3?|pyc|pyo|class|jar|war|ear|zip|gz|tgz|bz2|xz|zst|lz4|7z|rar|tar|deb|rpm|apk|whl|egg|png|jpe?g|gif|bmp|ico|webp|svgz|tiff?|mp[34]|ogg|wav|flac|avi|mov|mkv|webm|woff2?|ttf|otf|eot|pdf|mo|gmo|pack|idx|icc|cache|map)$/i;

export type Place = 'credential-file' | 'key-file' | 'text';

/** Why (and whether) a path is content-scanned; undefined = never read. */
export function classifyPath(path: string): Place | undefined {
  // Debian's ssl-cert package generates this self-signed key at install time, on purpose, in every image that has it.
  if (path === 'etc/ssl/private/ssl-cert-snakeoil.key') return undefined;
  const inZone = ZONE.test(path);
  if (KEY_FILE.test(path)) return inZone ? undefined : 'key-file';
  if (CREDENTIAL_FILE.test(path)) return 'credential-file';
  if (inZone || BINARY_EXT.test(path)) return undefined;
  return 'text';
}

/** Bytes of content to read for a regular file (0 = none). */
export function contentBudget(path: string, size: number): number {
  const place = classifyPath(path);
  if (place === undefined || size === 0) return 0;
  if (place === 'text') return size <= CONTENT_CAP ? size : 0;
  return Math.min(size, CONTENT_CAP);
}

/** NUL in the first 8 KiB: a binary file (the same test git and grep use). */
export function looksBinary(content: Buffer): boolean {
  return content.subarray(0, 8192).includes(0);
}

/** A short label for messages: `.npmrc`, `private key file`… */
export function isCredentialPath(path: string): boolean {
  return KEY_FILE.test(path) || CREDENTIAL_FILE.test(path);
}
