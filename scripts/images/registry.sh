#!/usr/bin/env bash
# Local image registry (Debian's docker-registry, distribution 2.8) on
# 127.0.0.1:5000 only. Storage is cached across runs under
# $TUTORIAL_E2E_CACHE/registry; config, pid file and log live under
# $TUTORIAL_E2E_STATE/registry/.
#
# Usage: scripts/images/registry.sh start|stop [--forget]|status|restart|gc
#   gc: deletes blobs and manifests no tag refers to any more (rebuilt images
#       leave their old layers behind); stops the registry meanwhile, if it is
#       running, and starts it again afterwards.
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"
# shellcheck source=registry-daemon.sh
source "$(cd "$(dirname "$0")" && pwd)/registry-daemon.sh"

state="$TUTORIAL_E2E_STATE/registry"
storage="$TUTORIAL_E2E_CACHE/registry"
config="$state/config.yml"
pidfile="$state/registry.pid"
logfile="$state/registry.log"

log() { printf '[registry] %s\n' "$*"; }
die() { printf '[registry] error: %s\n' "$*" >&2; exit 1; }

our_pid() {
  local pid
  [[ -f $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  # Only a live docker-registry process counts (the pid may have been reused).
  [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "docker-registry serve $config" || return 1
  echo "$pid"
}

write_config() {
  mkdir -p "$state" "$storage"
  cat >"$config.tmp" <<CFG
# Written by scripts/images/registry.sh; local only.
version: 0.1
log:
  level: info
  fields:
    service: tutorial-e2e-registry
storage:
  filesystem:
    rootdirectory: $storage
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $IMAGES_REGISTRY
  secret: $(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  headers:
    X-Content-Type-Options: [nosniff]
CFG
  mv "$config.tmp" "$config"
}

start() {
  command -v docker-registry >/dev/null || die "docker-registry is not installed (scripts/images/install-deps.sh)"
  local pid
  if pid=$(our_pid); then
    if registry_up; then log "already running (pid $pid) on $IMAGES_REGISTRY"; return 0; fi
  elif registry_up; then
    die "something else already answers on $IMAGES_REGISTRY (not started by this script; pid file $pidfile)"
  fi
  [[ $IMAGES_REGISTRY == 127.0.0.1:* ]] || die "IMAGES_REGISTRY must be on 127.0.0.1, got $IMAGES_REGISTRY"
  if [[ -z ${pid:-} ]]; then
    write_config
    log "starting docker-registry on $IMAGES_REGISTRY (storage $storage, log $logfile)"
    registry_daemon_start "$config" "$logfile" "$pidfile" || die "docker-registry did not start (log: $logfile)"
    pid=$(<"$pidfile")
  fi
  local deadline=$((SECONDS + ${REGISTRY_START_TIMEOUT:-15}))
  until registry_up; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -20 "$logfile" >&2 || true
      rm -f "$pidfile"
      die "docker-registry exited during start-up (log: $logfile)"
    fi
    ((SECONDS < deadline)) || die "docker-registry (pid $pid) did not answer on $IMAGES_REGISTRY_URL/v2/ within ${REGISTRY_START_TIMEOUT:-15}s (log: $logfile)"
    sleep 0.2
  done
  log "up: $IMAGES_REGISTRY_URL (pid $pid)"
}

stop() {
  local pid
  if ! pid=$(our_pid); then
    rm -f "$pidfile"
    log "not running"
    return 0
  fi
  log "stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 15))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      log "pid $pid still alive after 15s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      deadline=$((SECONDS + 5))
    fi
    sleep 0.2
  done
  rm -f "$pidfile"
  log "stopped"
}

status() {
  local pid
  if pid=$(our_pid) && registry_up; then
    log "running (pid $pid) on $IMAGES_REGISTRY_URL, storage $storage"
    local n
    n=$(curl -fsS --max-time 5 "$IMAGES_REGISTRY_URL/v2/_catalog?n=1000" | jq -r '.repositories | length' 2>/dev/null || echo '?')
    log "$n repositories"
    return 0
  elif [[ -n ${pid:-} ]]; then
    log "process $pid is alive but not answering on $IMAGES_REGISTRY_URL/v2/"; return 1
  fi
  log "not running"; return 3
}

gc() {
  local was_running=0
  if our_pid >/dev/null; then was_running=1; stop; fi
  [[ -f $config ]] || write_config
  local before after
  before=$(du -sm "$storage" | cut -f1)
  local unset_env=() v
  for v in $(compgen -e); do [[ $v == REGISTRY_* ]] && unset_env+=(-u "$v"); done
  env "${unset_env[@]}" docker-registry garbage-collect --delete-untagged "$config" >>"$logfile" 2>&1 ||
    die "garbage-collect failed (log: $logfile)"
  after=$(du -sm "$storage" | cut -f1)
  log "garbage-collected $storage: ${before} MiB -> ${after} MiB"
  ((was_running)) && start
  return 0
}

# stop --forget: also removes its config and log, and the project's state folder
# if nothing else is left in it: for a caller that started the registry only
# for a while (the kind provider's image build), so the machine is as it was.
forget() {
  rm -rf "$state"
  rmdir "$TUTORIAL_E2E_STATE" 2>/dev/null || true
}

case ${1:-} in
  start) start ;;
  gc) gc ;;
  stop) stop; [[ ${2:-} == --forget ]] && forget; true ;;
  status) status ;;
  restart) stop; start ;;
  *) echo "usage: $0 start|stop [--forget]|status|restart|gc" >&2; exit 2 ;;
esac
