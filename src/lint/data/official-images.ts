// What the linter knows about common base images: the user a container runs as when the Dockerfile sets no USER,
// and the lighter drop-in variants that exist. final-stage-root and heavy-final-base read it; for an image not
// listed here they say "may" instead of asserting a fact. Each entry cites where the fact comes from (the image's
// own Dockerfile or documentation). Keep entries to what those sources state.

export interface ImageFacts {
  /** Matched against the image name: official names (`node`), `owner/name`, or `registry/path` (prefix with `*`). */
  match: string;
  /**
   * The user when no USER is set: `root`, a user/uid, or `entrypoint:<user>` when the container starts as root but
   * the image's entrypoint switches to that user before starting the service (unless ENTRYPOINT is replaced).
   */
  user: string;
  /** The lighter variants of the same image that are drop-in replacements (e.g. `node:<version>-slim`). */
  lighter?: string;
  /** Tags (regex on the tag) for which `lighter` does not apply: `php:*-apache` has no alpine variant. */
  noLighterFor?: RegExp;
  /** Tags (regex) whose default user differs, and that user: distroless `:nonroot`, .NET `-chiseled`. */
  userByTag?: { tag: RegExp; user: string }[];
  source: string;
}

const HUB = (name: string) => `https://hub.docker.com/_/${name}`;
const LIBRARY = (repo: string) => `https://github.com/docker-library/${repo}`;

export const IMAGE_FACTS: readonly ImageFacts[] = [
  {
    match: 'scratch',
    user: 'root',
    source: 'https://docs.docker.com/build/building/base-images/#create-a-minimal-base-image-using-scratch (no user database: uid 0)'
  },
  {
    match: 'node',
    user: 'root',
    lighter: 'node:<version>-slim or node:<version>-alpine',
    source: 'https://github.com/nodejs/docker-node/blob/main/docs/BestPractices.md#non-root-user (a `node` user exists, the image does not switch to it)'
  },
  { match: 'python', user: 'root', lighter: 'python:<version>-slim or python:<version>-alpine', source: LIBRARY('python') },
  { match: 'ruby', user: 'root', lighter: 'ruby:<version>-slim or ruby:<version>-alpine', source: LIBRARY('ruby') },
  { match: 'perl', user: 'root', lighter: 'perl:<version>-slim', source: 'https://github.com/Perl/docker-perl' },
  {
    match: 'php',
    user: 'root',
    lighter: 'php:<version>-cli-alpine (php:<version>-fpm-alpine for -fpm)',
    // The apache variants have no alpine counterpart: moving to fpm-alpine means adding a web server.
    noLighterFor: /apache/,
    source: `${HUB('php')} (image variants: cli, apache, fpm; alpine only for cli, fpm and zts) and ${LIBRARY('php')}`
  },
  {
    match: 'wordpress',
    user: 'root',
    lighter: 'wordpress:<version>-fpm-alpine (for -fpm)',
    noLighterFor: /^(?!.*fpm)/,
    source: `${HUB('wordpress')} (alpine only for fpm)`
  },
  { match: 'debian', user: 'root', lighter: 'debian:<release>-slim', source: 'https://github.com/debuerreotype/docker-debian-artifacts' },
  { match: 'ubuntu', user: 'root', source: 'https://hub.docker.com/_/ubuntu (already minimal; no slim variant)' },
  { match: 'alpine', user: 'root', source: 'https://github.com/alpinelinux/docker-alpine' },
  { match: 'busybox', user: 'root', source: LIBRARY('busybox') },
  { match: 'centos', user: 'root', source: HUB('centos') },
  { match: 'fedora', user: 'root', source: HUB('fedora') },
  { match: 'rockylinux', user: 'root', source: HUB('rockylinux') },
  { match: 'almalinux', user: 'root', source: HUB('almalinux') },
  { match: 'amazonlinux', user: 'root', source: HUB('amazonlinux') },
  { match: 'opensuse/leap', user: 'root', source: 'https://hub.docker.com/r/opensuse/leap' },
  { match: 'nginx', user: 'root', lighter: 'nginx:<version>-alpine', source: `${HUB('nginx')} (master process runs as root, workers as nginx)` },
  { match: 'nginxinc/nginx-unprivileged', user: '101', source: 'https://github.com/nginxinc/docker-nginx-unprivileged (USER 101)' },
  { match: 'httpd', user: 'root', lighter: 'httpd:<version>-alpine', source: LIBRARY('httpd') },
  { match: 'caddy', user: 'root', source: 'https://github.com/caddyserver/caddy-docker' },
  { match: 'haproxy', user: 'haproxy', source: `${LIBRARY('haproxy')} (USER haproxy since 2.4)` },
  { match: 'traefik', user: 'root', source: HUB('traefik') },
  { match: 'tomcat', user: 'root', source: LIBRARY('tomcat') },
  {
    match: 'redis',
    user: 'entrypoint:redis',
    lighter: 'redis:<version>-alpine',
    source: `${LIBRARY('redis')} (docker-entrypoint.sh re-runs itself as redis via gosu)`
  },
  {
    match: 'postgres',
    user: 'entrypoint:postgres',
    lighter: 'postgres:<version>-alpine',
    source: `${LIBRARY('postgres')} (docker-entrypoint.sh switches to postgres via gosu)`
  },
  { match: 'mysql', user: 'entrypoint:mysql', source: `${LIBRARY('mysql')} (docker-entrypoint.sh switches to mysql via gosu)` },
  { match: 'mariadb', user: 'entrypoint:mysql', source: 'https://github.com/MariaDB/mariadb-docker (docker-entrypoint.sh switches to mysql via gosu)' },
  { match: 'mongo', user: 'entrypoint:mongodb', source: `${LIBRARY('mongo')} (docker-entrypoint.sh switches to mongodb via gosu)` },
  {
    match: 'rabbitmq',
    user: 'entrypoint:rabbitmq',
    lighter: 'rabbitmq:<version>-alpine',
    source: `${LIBRARY('rabbitmq')} (docker-entrypoint.sh switches to rabbitmq)`
  },
  { match: 'memcached', user: 'memcache', source: `${LIBRARY('memcached')} (USER memcache)` },
  { match: 'elixir', user: 'root', lighter: 'elixir:<version>-slim or elixir:<version>-alpine', source: 'https://github.com/erlef/docker-elixir' },
  { match: 'erlang', user: 'root', lighter: 'erlang:<version>-slim or erlang:<version>-alpine', source: 'https://github.com/erlang/docker-erlang-otp' },
  { match: 'golang', user: 'root', source: LIBRARY('golang') },
  { match: 'rust', user: 'root', source: 'https://github.com/rust-lang/docker-rust' },
  { match: 'gcc', user: 'root', source: LIBRARY('gcc') },
  { match: 'buildpack-deps', user: 'root', source: LIBRARY('buildpack-deps') },
  { match: 'openjdk', user: 'root', source: LIBRARY('openjdk') },
  { match: 'eclipse-temurin', user: 'root', source: 'https://github.com/adoptium/containers' },
  { match: 'amazoncorretto', user: 'root', source: 'https://github.com/corretto/corretto-docker' },
  { match: 'maven', user: 'root', source: 'https://github.com/carlossg/docker-maven' },
  { match: 'gradle', user: 'root', source: 'https://github.com/gradle/docker-gradle (a gradle user exists, the image does not switch to it)' },
  { match: 'docker', user: 'root', source: LIBRARY('docker') },
  {
    match: 'mcr.microsoft.com/dotnet/*',
    user: 'root',
    userByTag: [{ tag: /chiseled|distroless|noble-chiseled|azurelinux.*distroless/, user: 'app (uid 1654)' }],
    source:
      'https://github.com/dotnet/dotnet-docker/blob/main/documentation/ubuntu-chiseled.md and https://devblogs.microsoft.com/dotnet/securing-containers-with-rootless/ (images define an `app` user; only chiseled/distroless images run as it by default)'
  },
  {
    match: 'gcr.io/distroless/*',
    user: 'root',
    userByTag: [{ tag: /(^|-)nonroot($|-)/, user: 'nonroot (uid 65532)' }],
    source: 'https://github.com/GoogleContainerTools/distroless#docker (the :nonroot tags run as uid 65532)'
  },
  {
    match: 'cgr.dev/chainguard/*',
    user: 'nonroot (uid 65532)',
    userByTag: [{ tag: /(^|-)dev($|-)/, user: 'root' }],
    source: 'https://edu.chainguard.dev/chainguard/chainguard-images/overview/ (images run as nonroot; -dev variants as root)'
  },
  {
    match: 'registry.access.redhat.com/ubi8/openjdk-*',
    user: '185',
    source: 'https://github.com/rh-openjdk/redhat-openjdk-containers (the images end with USER 185)'
  },
  {
    match: 'registry.access.redhat.com/ubi9/openjdk-*',
    user: '185',
    source: 'https://github.com/rh-openjdk/redhat-openjdk-containers (the images end with USER 185)'
  },
  { match: 'registry.access.redhat.com/ubi8/nodejs-*', user: '1001', source: 'https://github.com/sclorg/s2i-nodejs-container (USER 1001)' },
  { match: 'registry.access.redhat.com/ubi9/nodejs-*', user: '1001', source: 'https://github.com/sclorg/s2i-nodejs-container (USER 1001)' },
  { match: 'registry.access.redhat.com/ubi8/python-*', user: '1001', source: 'https://github.com/sclorg/s2i-python-container (USER 1001)' },
  { match: 'registry.access.redhat.com/ubi9/python-*', user: '1001', source: 'https://github.com/sclorg/s2i-python-container (USER 1001)' },
  {
    match: 'registry.access.redhat.com/ubi8/ubi*',
    user: 'root',
    source: 'https://www.redhat.com/en/blog/introducing-red-hat-universal-base-image (ubi, ubi-minimal, ubi-micro, ubi-init run as root)'
  },
  {
    match: 'registry.access.redhat.com/ubi9/ubi*',
    user: 'root',
    source: 'https://www.redhat.com/en/blog/introducing-red-hat-universal-base-image (ubi, ubi-minimal, ubi-micro, ubi-init run as root)'
  },
  { match: 'registry.access.redhat.com/ubi8', user: 'root', source: 'https://www.redhat.com/en/blog/introducing-red-hat-universal-base-image' },
  { match: 'registry.access.redhat.com/ubi9', user: 'root', source: 'https://www.redhat.com/en/blog/introducing-red-hat-universal-base-image' },
  { match: 'bitnami/minideb', user: 'root', source: 'https://github.com/bitnami/minideb' },
  { match: 'bitnami/*', user: '1001', source: 'https://docs.bitnami.com/tutorials/work-with-non-root-containers/ (non-root containers run as uid 1001)' },
  { match: 'jenkins/jenkins', user: 'jenkins', source: 'https://github.com/jenkinsci/docker (USER jenkins)' },
  { match: 'grafana/grafana', user: '472', source: 'https://grafana.com/docs/grafana/latest/setup-grafana/installation/docker/ (runs as uid 472)' },
  { match: 'prom/prometheus', user: 'nobody', source: 'https://github.com/prometheus/prometheus/blob/main/Dockerfile (USER nobody)' },
  { match: 'node-red/node-red', user: 'node-red', source: 'https://github.com/node-red/node-red-docker (USER node-red)' }
];

// Aliases: the same image under another name (Docker Hub's ubi mirror names, `registry.redhat.io`).
const REGISTRY_ALIASES: [RegExp, string][] = [[/^registry\.redhat\.io\//, 'registry.access.redhat.com/']];

/** The facts entry for an image name (`node`, `bitnami/redis`, `registry.access.redhat.com/ubi8/openjdk-17`). */
export function factsFor(name: string): ImageFacts | undefined {
  let n = name.toLowerCase();
  for (const [from, to] of REGISTRY_ALIASES) n = n.replace(from, to);
  for (const f of IMAGE_FACTS) {
    if (f.match.endsWith('*') ? n.startsWith(f.match.slice(0, -1)) : n === f.match) return f;
  }
  return undefined;
}

/** The default user of the image with this tag, per the table. */
export function defaultUser(facts: ImageFacts, tag: string | undefined): string {
  const t = (tag ?? '').toLowerCase();
  return facts.userByTag?.find((u) => u.tag.test(t))?.user ?? facts.user;
}
