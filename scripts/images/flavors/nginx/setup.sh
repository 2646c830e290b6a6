#!/bin/sh
# Runs inside the image root (chroot) after the packages are installed:
# makes Debian's nginx package look like the official nginx image.
set -eu

# The official image's worker user: nginx, uid/gid 101 (when free).
if ! getent group nginx >/dev/null; then
  if getent group 101 >/dev/null; then groupadd --system nginx; else groupadd --system --gid 101 nginx; fi
fi
if ! getent passwd nginx >/dev/null; then
  uid_opt="--uid 101"; getent passwd 101 >/dev/null && uid_opt=""
  # shellcheck disable=SC2086
  useradd --system --gid nginx $uid_opt --no-create-home --home-dir /nonexistent \
    --shell /bin/false --comment "nginx user" nginx
fi

# Only conf.d/*.conf is served, like the official image (no sites-enabled).
rm -f /etc/nginx/sites-enabled/default

# The standard welcome page: Debian ships nginx's own at /usr/share/nginx/html.
html=/usr/share/nginx/html
[ -f "$html/index.html" ] || { echo "nginx package did not ship $html/index.html" >&2; exit 1; }
grep -q '<h1>Welcome to nginx!</h1>' "$html/index.html" || { echo "$html/index.html is not the nginx welcome page" >&2; exit 1; }
chmod 0644 "$html/index.html" "$html/50x.html"

# Logs go to the container's stdout/stderr (kubectl logs); an emptyDir mounted
# over /var/log/nginx hides these links and nginx writes real files there.
mkdir -p /var/log/nginx
rm -f /var/log/nginx/*
ln -sf /dev/stdout /var/log/nginx/access.log
ln -sf /dev/stderr /var/log/nginx/error.log

# Debian's logrotate/cron helpers are no use in a container.
rm -f /etc/logrotate.d/nginx
nginx -t -q
