#!/usr/bin/env bash
# Brings up a Docker engine with buildx on this kind of machine and makes the local base images the fixtures
# build FROM. Idempotent: every step checks first, so a second run takes seconds.
#
#   scripts/engine.sh            install (if missing), start (if not running), make base images
#   scripts/engine.sh --no-start install and make nothing else
#
# When it starts dockerd itself it writes the PID to $ENGINE_PID_FILE (default /tmp/image-audit-dockerd.pid)
# so the caller (.ci/run) can stop exactly that process.
set -euo pipefail

PID_FILE="${ENGINE_PID_FILE:-/tmp/image-audit-dockerd.pid}"
CACHE_DIR="${IMAGE_AUDIT_CACHE:-/var/cache/image-audit}"
LOG_FILE="${ENGINE_LOG:-/tmp/image-audit-dockerd.log}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

log() { printf '[engine] %s\n' "$*" >&2; }
die() { printf '[engine] ERROR: %s\n' "$*" >&2; exit 1; }

apt_updated=0
apt_update() {
  [ "$apt_updated" = 1 ] && return 0
  $SUDO apt-get update -qq || die "apt-get update failed (are Debian's package mirrors reachable?)"
  apt_updated=1
}

install_engine() {
  if ! command -v dockerd >/dev/null 2>&1; then
    log "installing Debian docker.io"
    apt_update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      docker.io iptables ca-certificates >/dev/null || die "apt-get install docker.io failed"
  fi
  if ! docker buildx version >/dev/null 2>&1; then
    log "installing docker-buildx from Debian trixie (pinned low so nothing else upgrades)"
    if [ ! -f /etc/apt/sources.list.d/trixie.sources ]; then
      $SUDO tee /etc/apt/sources.list.d/trixie.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
      $SUDO tee /etc/apt/preferences.d/trixie-low >/dev/null <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
      apt_updated=0
    fi
    apt_update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -t trixie --no-install-recommends \
      docker-buildx >/dev/null || die "apt-get install -t trixie docker-buildx failed"
    # The client in /usr/local/bin may not search Debian's plugin folder; link it where every client looks.
    if ! docker buildx version >/dev/null 2>&1; then
      mkdir -p "$HOME/.docker/cli-plugins"
      for p in /usr/libexec/docker/cli-plugins/docker-buildx /usr/lib/docker/cli-plugins/docker-buildx; do
        [ -x "$p" ] && ln -sf "$p" "$HOME/.docker/cli-plugins/docker-buildx" && break
      done
    fi
    docker buildx version >/dev/null 2>&1 || die "docker buildx still not found after install"
  fi
  # Debian's chromium: the size map's browser test (puppeteer-core drives it; nothing is downloaded).
  if ! command -v chromium >/dev/null 2>&1; then
    log "installing Debian chromium (browser test of the HTML size map)"
    apt_update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null \
      || die "apt-get install chromium failed"
  fi
  for tool in debootstrap busybox; do
    if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x /bin/busybox ]; then
      apt_update
      pkg="$tool"; [ "$tool" = busybox ] && pkg=busybox-static
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null \
        || die "apt-get install $pkg failed"
    fi
  done
  # The registry tests: Distribution 2.8 (docker-registry), skopeo, htpasswd (apache2-utils), openssl.
  for tool in docker-registry:docker-registry skopeo:skopeo htpasswd:apache2-utils openssl:openssl; do
    if ! command -v "${tool%%:*}" >/dev/null 2>&1; then
      apt_update
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${tool#*:}" >/dev/null \
        || die "apt-get install ${tool#*:} failed"
    fi
  done
}

start_engine() {
  if docker info >/dev/null 2>&1; then
    log "engine already running"
    return 0
  fi
  log "starting dockerd (log: $LOG_FILE)"
  $SUDO dockerd >"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && { log "engine up (pid $(cat "$PID_FILE"))"; return 0; }
    kill -0 "$(cat "$PID_FILE")" 2>/dev/null || { tail -n 20 "$LOG_FILE" >&2; die "dockerd exited during start-up"; }
    sleep 1
  done
  tail -n 20 "$LOG_FILE" >&2
  die "dockerd did not answer 'docker info' within 60 s"
}

make_busybox() {
  docker image inspect image-audit/busybox:latest >/dev/null 2>&1 && return 0
  log "making image-audit/busybox from busybox-static"
  local root; root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/root" "$root/usr/bin" "$root/var"
  cp /bin/busybox "$root/bin/busybox"
  for app in $("$root/bin/busybox" --list); do
    [ -e "$root/bin/$app" ] || ln -s busybox "$root/bin/$app"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  chmod 1777 "$root/tmp"
  tar --numeric-owner -C "$root" -c . | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'CMD ["sh"]' \
    - image-audit/busybox:latest >/dev/null
  rm -rf "$root"
}

make_debian() {
  docker image inspect image-audit/debian:bookworm >/dev/null 2>&1 && return 0
  local tarball="$CACHE_DIR/debian-bookworm-minbase.tar"
  if [ ! -s "$tarball" ]; then
    log "debootstrap --variant=minbase bookworm (about 30 s, cached in $tarball)"
    $SUDO mkdir -p "$CACHE_DIR"
    local root; root=$(mktemp -d)
    $SUDO debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null \
      || die "debootstrap failed"
    # Keep apt lists out of the base so package-cache findings come from the fixtures' own layers.
    $SUDO rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
    $SUDO tar --numeric-owner -C "$root" -cf "$tarball.tmp" . && $SUDO mv "$tarball.tmp" "$tarball"
    $SUDO rm -rf "$root"
  fi
  log "importing image-audit/debian:bookworm"
  docker import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'CMD ["bash"]' \
    "$tarball" image-audit/debian:bookworm >/dev/null
}

install_engine
[ "${1:-}" = "--no-start" ] && exit 0
start_engine
make_busybox
make_debian
log "ready: $(docker version --format '{{.Server.Version}}') with buildx $(docker buildx version | awk '{print $2}')"
