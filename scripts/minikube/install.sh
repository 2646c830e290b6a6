#!/usr/bin/env bash
# Builds minikube from its Go module (k8s.io/minikube, pinned as MINIKUBE_VERSION
# in scripts/cluster/versions.sh) into the build cache, keyed by version:
#   $TUTORIAL_E2E_CACHE/bin/minikube-<version>/minikube   (+ a .done marker; never rebuilt)
# and prints the binary's path on stdout (progress goes to stderr).
#
# The ldflags are the ones minikube's Makefile sets (MINIKUBE_LDFLAGS): its
# version, the ISO version it would boot (unused by the docker driver), the
# commit the module proxy reports for the tag, and the storage-provisioner tag
# (v5) that decides which provisioner image minikube deploys; and the
# Makefile's build tag, `libvirt_dlopen`: the kvm2 driver is always compiled
# in on linux/amd64 and needs cgo, which that tag lets build without libvirt's
# headers (it dlopens libvirt when the kvm2 driver is used, never here).
# `go install module@version` cannot be used: it reads the module's version
# list for deprecations, and the proxy here refuses that list (403). So the
# build runs in a throwaway module that requires k8s.io/minikube at the pin
# (its go.mod has no replace directives: the versions are minikube's own).
#
# Usage: scripts/minikube/install.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR/../cluster source=versions.sh
source "$here/../cluster/versions.sh"

log() { printf '[minikube %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[minikube] error: %s\n' "$*" >&2; exit 1; }

out="$TUTORIAL_E2E_CACHE/bin/minikube-$MINIKUBE_VERSION"
if [[ -f "$out/.done" && -x "$out/minikube" ]]; then
  echo "$out/minikube"
  exit 0
fi
command -v go >/dev/null || die "go is not installed (minikube $MINIKUBE_VERSION builds with Go 1.25 or newer)"
command -v gcc >/dev/null || die "gcc is not installed (minikube's kvm2 driver is compiled in with cgo: apt-get install gcc)"
mkdir -p "$TUTORIAL_E2E_CACHE/bin"
start=$SECONDS
info=$(go mod download -json "k8s.io/minikube@$MINIKUBE_VERSION") ||
  die "go mod download k8s.io/minikube@$MINIKUBE_VERSION failed: $info"
commit=$(sed -n 's/.*"Hash": "\([0-9a-f]*\)".*/\1/p' <<<"$info" | head -1)
pkg=k8s.io/minikube/pkg/version
ldflags="-s -w -X $pkg.version=$MINIKUBE_VERSION -X $pkg.isoVersion=$MINIKUBE_VERSION"
ldflags+=" -X $pkg.gitCommitID=${commit:-unknown} -X $pkg.storageProvisionerVersion=$MINIKUBE_STORAGE_PROVISIONER_TAG"
log "building k8s.io/minikube@$MINIKUBE_VERSION (commit ${commit:-unknown}) into $out"
rm -rf "$out.tmp" "$out.mod"
mkdir -p "$out.tmp" "$out.mod"
printf 'module tutorial-e2e/minikube-build\n\ngo 1.25.0\n\nrequire k8s.io/minikube %s\n' "$MINIKUBE_VERSION" >"$out.mod/go.mod"
(cd "$out.mod" && CGO_ENABLED=1 go build -tags libvirt_dlopen -trimpath -ldflags "$ldflags" -o "$out.tmp/minikube" k8s.io/minikube/cmd/minikube) >&2 ||
  die "go build k8s.io/minikube/cmd/minikube@$MINIKUBE_VERSION failed (cgo: needs gcc)"
rm -rf "$out" "$out.mod"
mv "$out.tmp" "$out"
touch "$out/.done"
log "$("$out/minikube" version --short) built in $((SECONDS - start))s"
echo "$out/minikube"
