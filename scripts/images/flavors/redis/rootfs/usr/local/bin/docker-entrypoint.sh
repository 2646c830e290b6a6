#!/bin/sh
# Local stand-in (tutorial-e2e) for the official redis image's entrypoint, on
# Debian's redis-server: `redis-server` (or only options, or a *.conf file)
# started as root runs as the user redis after the working directory (/data)
# is handed to redis. setpriv (util-linux) does what gosu does upstream.
set -e

# First argument an option (`--port 6380`) or a config file: run redis-server.
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
  set -- redis-server "$@"
fi

if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
  find . \! -user redis -exec chown redis '{}' +
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi

exec "$@"
