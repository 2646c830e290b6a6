#!/bin/sh
# Runs inside the image root (chroot) after the packages are installed:
# makes Debian's redis-server package look like the official redis image.
set -eu

# The official image's user and group: redis, uid/gid 999 (when free).
# Debian's package created them with other ids; move its files along.
old_uid=$(id -u redis)
old_gid=$(getent group redis | cut -d: -f3)
dirs=""
for d in /var/lib/redis /var/log/redis /etc/redis /run/redis; do [ -e "$d" ] && dirs="$dirs $d"; done
if [ "$old_gid" != 999 ] && ! getent group 999 >/dev/null; then
  groupmod -g 999 redis
  # shellcheck disable=SC2086
  [ -n "$dirs" ] && find $dirs -xdev -gid "$old_gid" -exec chgrp -h redis '{}' +
fi
if [ "$old_uid" != 999 ] && ! getent passwd 999 >/dev/null; then
  usermod -u 999 redis
  # shellcheck disable=SC2086
  [ -n "$dirs" ] && find $dirs -xdev -uid "$old_uid" -exec chown -h redis '{}' +
fi

# The data directory and working directory, as upstream.
mkdir -p /data
chown redis:redis /data
chmod 0755 /data

# Debian's service helpers are no use in a container (nothing reads
# /etc/redis/redis.conf: the image's Cmd passes every option).
rm -f /etc/logrotate.d/redis-server /etc/init.d/redis-server
redis-server --version
