#!/usr/bin/env bash
# Runs a command and starts it again whenever it ends, as systemd's
# Restart=always would on a real node: a container runtime that crashed (or
# that the fault tests killed) comes back by itself, and the kubelet finds
# it again. SIGTERM/SIGINT end the command and this loop (down.sh signals
# the whole process group).
#
#   supervise.sh <command> [args...]
set -uo pipefail
[[ $# -gt 0 ]] || { echo "usage: supervise.sh <command> [args...]" >&2; exit 2; }

child=""
trap '[[ -n "$child" ]] && kill -TERM "$child" 2>/dev/null; wait; exit 0' TERM INT
while true; do
  "$@" &
  child=$!
  wait "$child"
  echo "[supervise] $1 exited with $?; restarting in 1 s"
  sleep 1
done
