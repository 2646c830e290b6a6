#!/bin/sh
# The official fluentd images run as the unprivileged user "fluent".
set -eu
getent group fluent >/dev/null || groupadd --system fluent
getent passwd fluent >/dev/null || useradd --system --gid fluent --create-home --home-dir /home/fluent --shell /bin/sh fluent
mkdir -p /fluentd/log /fluentd/etc
chown -R fluent:fluent /fluentd
