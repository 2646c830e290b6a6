#!/bin/sh
# Local stand-in (tutorial-e2e) for gb-redis-follower:v2's /run.sh: a Redis
# replica of the leader found through the Service's environment variables
# (GET_HOSTS_FROM=env) or its DNS name redis-leader, on port 6379.
# Differences from upstream: redis-server replaces this shell (exec, so it
# gets SIGTERM as PID 1) and runs as the user redis (through the entrypoint),
# the options that the redis stand-in's Cmd sets are repeated here, and any
# arguments are passed on to redis-server (upstream has none; the smoke test
# uses `/run.sh --port 6380`).
set -e
if [ "${GET_HOSTS_FROM:-dns}" = env ]; then
  leader=${REDIS_LEADER_SERVICE_HOST:?GET_HOSTS_FROM=env, but REDIS_LEADER_SERVICE_HOST is not set}
else
  leader=redis-leader
fi
exec docker-entrypoint.sh redis-server --bind '*' '-::*' --port 6379 --protected-mode no \
  --daemonize no --dir /data --repl-diskless-sync no --replicaof "$leader" 6379 "$@"
