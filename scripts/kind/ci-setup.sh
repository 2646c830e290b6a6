#!/usr/bin/env bash
# Prepares a machine with Docker and internet access (a GitHub-hosted runner)
# for a kind run of K8S_VERSION, without root:
#   - kind: scripts/kind/install.sh (the pinned KIND_VERSION, from its Go module)
#   - kubectl of K8S_VERSION from dl.k8s.io, checked against its published
#     sha256: the reader's commands are typed with the run's kubectl, and its
#     client version is part of the verdict
#   - the node image: TUTORIAL_E2E_KIND_IMAGE, else kindest/node:<K8S_VERSION>,
#     pulled; when kind published no image for that patch release, built with
#     `kind build node-image --type release` (downloads the release, a few minutes)
# and writes TUTORIAL_E2E_KIND_BIN, KUBECTL and TUTORIAL_E2E_KIND_IMAGE to
# $GITHUB_ENV (when set) so the later steps use exactly these.
#
# Not for the air-gapped development machines (no Docker, no internet): they
# use the local provider (npm run cluster:up).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR/../cluster source=versions.sh
source "$here/../cluster/versions.sh"

log() { printf '[kind-setup %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[kind-setup] error: %s\n' "$*" >&2; exit 1; }
command -v docker >/dev/null || die "docker is not installed (kind runs its nodes as Docker containers)"

kind=$(bash "$here/install.sh")
log "kind: $("$kind" version)"

arch=$(uname -m); case $arch in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; esac
kubectl_dir="$TUTORIAL_E2E_CACHE/bin/kubectl-$K8S_VERSION-$arch"
if [[ ! -f "$kubectl_dir/.done" ]]; then
  log "kubectl $K8S_VERSION ($arch) from dl.k8s.io"
  mkdir -p "$kubectl_dir"
  url="https://dl.k8s.io/release/$K8S_VERSION/bin/linux/$arch/kubectl"
  curl -fsSL --retry 3 -o "$kubectl_dir/kubectl" "$url"
  want=$(curl -fsSL --retry 3 "$url.sha256")
  echo "$want  $kubectl_dir/kubectl" | sha256sum -c --quiet - || die "kubectl $K8S_VERSION: checksum mismatch"
  chmod +x "$kubectl_dir/kubectl"
  touch "$kubectl_dir/.done"
fi
kubectl="$kubectl_dir/kubectl"

image=${TUTORIAL_E2E_KIND_IMAGE:-kindest/node:$K8S_VERSION}
if docker image inspect "$image" >/dev/null 2>&1; then
  log "node image $image: present"
elif docker pull -q "$image" >/dev/null 2>&1; then
  log "node image $image: pulled"
else
  log "node image $image: not published; building it from the $K8S_VERSION release (kind build node-image)"
  "$kind" build node-image --type release "$K8S_VERSION" --image "$image"
fi

if [[ -n "${GITHUB_ENV:-}" ]]; then
  {
    echo "TUTORIAL_E2E_KIND_BIN=$kind"
    echo "KUBECTL=$kubectl"
    echo "TUTORIAL_E2E_KIND_IMAGE=$image"
  } >>"$GITHUB_ENV"
fi
log "ready: kind $KIND_VERSION, kubectl $K8S_VERSION, node image $image"
