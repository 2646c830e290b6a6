#!/usr/bin/env bash
# Builds kind from its Go module (sigs.k8s.io/kind, pinned as KIND_VERSION in
# scripts/cluster/versions.sh) into the build cache, keyed by version:
#   $TUTORIAL_E2E_CACHE/bin/kind-<version>/kind   (+ a .done marker; never rebuilt)
# and prints the binary's path on stdout (progress goes to stderr).
#
# kind's go.mod has no replace or exclude directives, so `go install
# module@version` builds it as released. scripts/cluster/build.sh runs its
# builds when sourced, so its helpers are not reused: this is the same recipe
# (GOBIN into <dir>.tmp, then renamed, then .done), kept small.
#
# Usage: scripts/kind/install.sh            (KIND_VERSION / TUTORIAL_E2E_CACHE from the environment or versions.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR/../cluster source=versions.sh
source "$here/../cluster/versions.sh"

log() { printf '[kind %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[kind] error: %s\n' "$*" >&2; exit 1; }

out="$TUTORIAL_E2E_CACHE/bin/kind-$KIND_VERSION"
if [[ -f "$out/.done" && -x "$out/kind" ]]; then
  echo "$out/kind"
  exit 0
fi
command -v go >/dev/null || die "go is not installed (kind $KIND_VERSION builds with Go 1.2x)"
mkdir -p "$TUTORIAL_E2E_CACHE/bin"
log "building sigs.k8s.io/kind@$KIND_VERSION into $out"
start=$SECONDS
rm -rf "$out.tmp"
# CGO off: a static binary, as kind's own release builds are.
GOBIN="$out.tmp" CGO_ENABLED=0 go install -trimpath -ldflags '-s -w' "sigs.k8s.io/kind@$KIND_VERSION" >&2 ||
  die "go install sigs.k8s.io/kind@$KIND_VERSION failed"
rm -rf "$out"
mv "$out.tmp" "$out"
touch "$out/.done"
log "kind $("$out/kind" version) built in $((SECONDS - start))s"
echo "$out/kind"
