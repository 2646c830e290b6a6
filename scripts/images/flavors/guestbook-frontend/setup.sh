#!/bin/sh
# Runs inside the image root (chroot) after the packages are installed:
# makes Debian's apache2 + mod_php look like the php:apache image that
# gb-frontend:v5 is built on.
set -eu

# envvars: values from the container's environment win (as in php:apache).
sed -ri 's/^export (APACHE_[A-Z_]+)=(.*)$/: ${\1:=\2}\nexport \1/' /etc/apache2/envvars
APACHE_CONFDIR=/etc/apache2
set +u
# shellcheck source=/dev/null
. "$APACHE_CONFDIR/envvars"
set -u

# Logs go to the container's stdout/stderr (kubectl logs).
for d in "$APACHE_RUN_DIR" "$APACHE_LOCK_DIR" "$APACHE_LOG_DIR"; do
  mkdir -p "$(readlink -m "$d")"
done
ln -sfT /dev/stdout "$APACHE_LOG_DIR/access.log"
ln -sfT /dev/stderr "$APACHE_LOG_DIR/error.log"
ln -sfT /dev/stdout "$APACHE_LOG_DIR/other_vhosts_access.log"
rm -f /etc/logrotate.d/apache2 /etc/cron.daily/apache2

# Only mod_php with prefork (Debian's libapache2-mod-php already switched).
a2enconf -q tutorial-e2e
phpmod=
for f in /etc/apache2/mods-available/php*.load; do
  if [ -e "$f" ]; then phpmod=$(basename "$f" .load); fi
done
[ -n "$phpmod" ] || { echo "no mod_php in /etc/apache2/mods-available" >&2; exit 1; }
a2dismod -q mpm_event 2>/dev/null || true
a2enmod -q mpm_prefork "$phpmod"

# No PHP error text in responses; errors go to the error log (stderr).
found=0
for d in /etc/php/*/apache2/conf.d; do
  [ -d "$d" ] || continue
  printf '; tutorial-e2e local stand-in\ndisplay_errors = Off\nlog_errors = On\n' >"$d/99-tutorial-e2e.ini"
  set -- "$d"/*-redis.ini
  [ -e "$1" ] || { echo "phpredis is not enabled for apache2 in $d" >&2; exit 1; }
  found=1
done
[ "$found" = 1 ] || { echo "no /etc/php/*/apache2/conf.d" >&2; exit 1; }

# The document root has only our page and script, owned like php:apache's.
html=/var/www/html
find "$html" -mindepth 1 ! -name index.html ! -name guestbook.php -delete
chown www-data:www-data "$html"

apache2 -t
apache2 -M 2>/dev/null | grep -E 'php|mpm'
