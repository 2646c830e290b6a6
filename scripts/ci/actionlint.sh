#!/usr/bin/env bash
# The workflows' static check: actionlint (github.com/rhysd/actionlint, pinned
# as ACTIONLINT_VERSION in scripts/cluster/versions.sh), built from its Go
# module into the build cache, keyed by version:
#   $TUTORIAL_E2E_CACHE/bin/actionlint-<version>/actionlint   (+ a .done marker)
# then run on .github/workflows. Any finding fails (exit 1), with actionlint's
# own output. Part of `npm run lint` (so of `npm test`).
#
# actionlint checks `run:` scripts with shellcheck when one is on PATH and
# silently skips that check otherwise: when it is missing and this runs as
# root with apt, Debian's shellcheck is installed (once per machine). Without
# it the run says so on stderr and goes on.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR/../cluster source=versions.sh
source "$here/../cluster/versions.sh"

log() { printf '[actionlint] %s\n' "$*" >&2; }
die() { printf '[actionlint] error: %s\n' "$*" >&2; exit 1; }

out="$TUTORIAL_E2E_CACHE/bin/actionlint-$ACTIONLINT_VERSION"
if [[ ! -f "$out/.done" ]]; then
  command -v go >/dev/null || die "go is not installed (actionlint is built from its Go module)"
  mkdir -p "$TUTORIAL_E2E_CACHE/bin"
  log "building github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION (once per version)"
  start=$SECONDS
  rm -rf "$out.tmp"
  GOBIN="$out.tmp" CGO_ENABLED=0 go install -trimpath -ldflags '-s -w' \
    "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" >&2 ||
    die "go install github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION failed"
  rm -rf "$out"; mv "$out.tmp" "$out"; touch "$out/.done"
  log "built in $((SECONDS - start))s"
fi

if ! command -v shellcheck >/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    log "installing Debian's shellcheck (actionlint checks run: scripts with it)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null 2>&1; } ||
      log "could not install shellcheck: run: scripts are not checked"
  else
    log "shellcheck is not installed: run: scripts are not checked (apt-get install shellcheck)"
  fi
fi

cd "$root"
"$out/actionlint" -no-color "$@"
