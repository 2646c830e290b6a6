#!/usr/bin/env bash
# Builds the local stand-in container images without a daemon (debootstrap +
# umoci) and pushes them to the local registry (scripts/images/registry.sh).
#
# Usage: scripts/images/build.sh [tutorial|exercise|cluster|all] [--no-push]   (default: all)
#
# Layers, all kept in one OCI layout, $TUTORIAL_E2E_CACHE/images/oci:
#   base     debootstrap --variant=minbase of $IMAGES_SUITE + flavors/base/packages,
#            shared by every Debian-based image; cached as ref
#            "base--<suite>--<key>", key = hash(suite, package list, recipe)
#   flavor   flavors/<name>/: packages installed with apt-get in a chroot of the
#            base, rootfs/ files copied in, setup.sh run in the chroot; one
#            layer, cached as ref "flavor--<name>--<key>"
#   image    per repository:tag: a tiny layer and/or the config (labels, cmd,
#            env); cached as ref "<repo with / as .>--<tag>--<key>"
# The cluster images are FROM-scratch-like: one shared layer with /etc/passwd,
# /etc/group, /etc/nsswitch.conf and /tmp, then one layer with the binary that
# scripts/cluster/build.sh produced under $TUTORIAL_E2E_CACHE/bin/.
# A key covers everything the layer is made from, so a warm run only compares
# digests with the registry and pushes nothing.
set -euo pipefail
umask 022
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"

log() { printf '[images %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[images] error: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; }
group=all push=1
for a in "$@"; do
  case $a in
    tutorial | exercise | cluster | all) group=$a ;;
    --no-push) push=0 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$a'" ;;
  esac
done

for t in debootstrap umoci skopeo jq curl chroot flock; do
  command -v "$t" >/dev/null || { log "$t missing: running install-deps.sh"; bash "$images_dir/install-deps.sh"; break; }
done

L=$OCI_LAYOUT
ARCH=$(dpkg --print-architecture)
PATH_ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# Part of every image key: a change to this script rebuilds the images (not
# the base or flavor layers, whose keys list their own inputs).
RECIPE=$(sha256sum "$0" | cut -c1-16)
# Bump when the way base/flavor layers are made changes.
BASE_RECIPE=1 FLAVOR_RECIPE=1

mkdir -p "$IMAGES_CACHE" "$IMAGES_CACHE/apt-archives/partial"
# Before taking the lock: the registry daemon must not inherit the lock's fd.
if ((push)); then
  registry_up || bash "$images_dir/registry.sh" start
fi
exec 9>"$IMAGES_CACHE/.lock"
if ! flock -n 9; then
  log "another build.sh holds $IMAGES_CACHE/.lock; waiting (up to 30 min)"
  flock -w 1800 9 || die "timed out waiting for $IMAGES_CACHE/.lock"
fi

work=$(mktemp -d "$IMAGES_CACHE/work.XXXXXX")
mounts=()
cleanup() {
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" 2>/dev/null || true
  done
  mounts=()
  # Anything else mounted below the work directory (e.g. by a failed debootstrap).
  awk -v w="$work/" 'index($5, w) == 1 {print $5}' /proc/self/mountinfo | sort -r |
    while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  # Never delete through a mount that could not be undone.
  if grep -q " $work/" /proc/self/mountinfo; then
    printf '[images] warning: mounts left under %s; not deleting it\n' "$work" >&2
  else
    rm -rf --one-file-system "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[[ -f $L/index.json ]] || umoci init --layout "$L"

hash16() { sha256sum | cut -c1-16; }
ref_digest() {
  jq -r --arg r "$1" '[(.manifests // [])[] | select(.annotations["org.opencontainers.image.ref.name"] == $r) | .digest][0] // empty' "$L/index.json"
}
has_ref() { [[ -n $(ref_digest "$1") ]]; }
refs_with_prefix() {
  jq -r --arg p "$1" '(.manifests // [])[].annotations["org.opencontainers.image.ref.name"] // empty | select(startswith($p))' "$L/index.json"
}
blob() { echo "$L/blobs/${1%%:*}/${1#*:}"; }
# Upstream version of a package in a flavor, from its io.tutorial-e2e.packages
# label ("redis-server=5:7.0.15-1~deb12u10" -> "7.0.15").
flavor_pkg_version() { # flavor-ref package
  local m c
  m=$(blob "$(ref_digest "$1")")
  c=$(blob "$(jq -r .config.digest "$m")")
  jq -r '.config.Labels["io.tutorial-e2e.packages"] // ""' "$c" | tr ' ' '\n' |
    sed -n "s/^$2=//p" | sed -E 's/^[0-9]+://; s/-[^-]*$//' | head -1
}
# Compressed size in bytes of a ref: manifest + config + layers.
ref_size() {
  local d m
  d=$(ref_digest "$1"); m=$(blob "$d")
  jq '[.config.size] + [.layers[].size] | add' "$m"
}
changed=0
# Stores a finished build under its final ref and drops older keys of it.
finish_ref() {
  local wip=$1 ref=$2 prefix=$3 old
  umoci tag --image "$L:$wip" "$ref"
  umoci rm --image "$L:$wip"
  for old in $(refs_with_prefix "$prefix"); do
    [[ $old == "$ref" ]] || umoci rm --image "$L:$old"
  done
  changed=1
}

# Runs a long command with output to a log file and a heartbeat.
run_logged() {
  local what=$1 logf=$2; shift 2
  local start=$SECONDS pid
  "$@" >"$logf" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 15 & wait $! || true
    kill -0 "$pid" 2>/dev/null && log "  $what: $((SECONDS - start))s: $(tail -1 "$logf" | cut -c1-100)"
  done
  if ! wait "$pid"; then
    tail -30 "$logf" >&2
    die "$what failed (log: $logf)"
  fi
}

# ---------------------------------------------------------------- mirror ---
# URIs of apt's "deb" sources that carry suite $1, in apt's own configuration
# (deb822 .sources files first, then one-line .list files).
apt_source_uris() {
  local suite=$1 f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    awk -v want="$suite" '
      function flush(   n, i, s, u) {
        if (uris != "" && (" " types " ") ~ / deb / && enabled != "no") {
          n = split(suites, s, /[ \t]+/)
          for (i = 1; i <= n; i++) if (s[i] == want) { split(uris, u, /[ \t]+/); print u[1]; break }
        }
        types = suites = uris = enabled = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      {
        key = tolower($1); val = $0; sub(/^[^:]*:[ \t]*/, "", val)
        if (key == "types:") types = val
        else if (key == "suites:") suites = val
        else if (key == "uris:") uris = val
        else if (key == "enabled:") enabled = tolower(val)
      }
      END { flush() }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    sed -E 's/#.*//; s/\[[^]]*\]//' "$f" | awk -v want="$suite" '$1 == "deb" && $3 == want { print $2 }'
  done
}
MIRROR=
debian_mirror() {
  [[ -n $MIRROR ]] && return 0
  MIRROR=$(apt_source_uris "$IMAGES_SUITE" | head -1)
  [[ -n $MIRROR ]] || die "apt has no 'deb' source for suite $IMAGES_SUITE (/etc/apt/sources.list, /etc/apt/sources.list.d/): no Debian mirror to debootstrap from"
  log "Debian mirror from apt's configuration: $MIRROR (suite $IMAGES_SUITE)"
}

list_packages() { [[ -f $1 ]] && sed 's/#.*//' "$1" | xargs || true; }
# Hash of a directory's files: names, contents, symlink targets, executable bits.
tree_hash() {
  (cd "$1" && find . ! -type d -printf '%p %l\n' | LC_ALL=C sort &&
    find . -type f -perm -u+x | LC_ALL=C sort &&
    find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum) | hash16
}
# Copies a flavor's rootfs/ into an image root: root-owned, 0755 for
# executables and 0644 for other files whatever the checkout's umask; only
# directories it creates get 0755 (existing ones keep their mode).
install_tree() { # src dst
  local f
  while IFS= read -r -d '' f; do
    f=${f#./}
    if [[ -L $1/$f ]]; then
      mkdir -p "$2/$(dirname "$f")"; ln -sfn "$(readlink "$1/$f")" "$2/$f"
    elif [[ -x $1/$f ]]; then
      install -D -o 0 -g 0 -m 0755 "$1/$f" "$2/$f"
    else
      install -D -o 0 -g 0 -m 0644 "$1/$f" "$2/$f"
    fi
  done < <(cd "$1" && find . ! -type d -print0)
}

# ------------------------------------------------------------ root file systems
mount_in() { # fstype-args... target
  local target=${*: -1}
  mount "$@"
  mounts+=("$target")
}
unmount_all() {
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount "${mounts[i]}"; done
  mounts=()
}
assert_no_mounts() {
  if grep -q " $1/" /proc/self/mountinfo; then die "mounts are still active under $1"; fi
}

# Removes what a container image has no use for; docs and manuals are also
# kept out of later package installs by /etc/dpkg/dpkg.cfg.d/tutorial-e2e-excludes.
clean_rootfs() {
  local r=$1
  assert_no_mounts "$r"
  (
    cd "$r"
    rm -rf --one-file-system var/lib/apt/lists/* var/cache/apt/*.bin var/cache/apt/archives/*.deb \
      var/cache/apt/archives/partial/* var/cache/debconf/*-old var/lib/dpkg/*-old \
      var/log/apt/* var/log/dpkg.log var/log/alternatives.log var/log/bootstrap.log \
      tmp/* var/tmp/* root/.bash_history usr/share/man/* usr/share/info/* usr/share/lintian/*
    [[ -d usr/share/doc ]] && find usr/share/doc -mindepth 1 ! -type d ! -name copyright -delete &&
      find usr/share/doc -mindepth 1 -type d -empty -delete
    [[ -d usr/share/locale ]] && find usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf --one-file-system {} +
    # The runtime provides these.
    rm -f etc/hostname
    : >etc/resolv.conf
  )
}

BASE_REF=
ensure_base() {
  [[ -n $BASE_REF ]] && return 0
  local pkgs key ref
  pkgs=$(list_packages "$images_dir/flavors/base/packages")
  key=$(printf '%s\n' "recipe=$BASE_RECIPE" "suite=$IMAGES_SUITE" "arch=$ARCH" "variant=minbase" "packages=$pkgs" | hash16)
  ref="base--${IMAGES_SUITE}--$key"
  if has_ref "$ref"; then
    BASE_REF=$ref
    return 0
  fi
  debian_mirror
  local r="$work/base-rootfs" start=$SECONDS
  log "base: debootstrap --variant=minbase $IMAGES_SUITE (+ ${pkgs// /, }); takes a few minutes"
  run_logged "debootstrap" "$work/debootstrap.log" \
    debootstrap --variant=minbase --arch="$ARCH" --components=main --merged-usr \
    --include="${pkgs// /,}" "$IMAGES_SUITE" "$r" "$MIRROR"
  assert_no_mounts "$r"
  rm -rf --one-file-system "${r:?}"/dev/* "$r/debootstrap"
  cat >"$r/etc/dpkg/dpkg.cfg.d/tutorial-e2e-excludes" <<'EOF'
# Container image: no manuals, docs (but copyrights) or translations.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  clean_rootfs "$r"
  log "base: packing layer ($(du -sh "$r" | cut -f1) unpacked)"
  tar -C "$r" --numeric-owner --xattrs --xattrs-include='security.capability' -cf "$work/base.tar" .
  local wip="wip--$ref"
  umoci new --image "$L:$wip"
  umoci raw add-layer --image "$L:$wip" --history.created_by \
    "debootstrap --variant=minbase --include=${pkgs// /,} $IMAGES_SUITE (tutorial-e2e base)" "$work/base.tar"
  umoci config --image "$L:$wip" --no-history --os linux --architecture "$ARCH" \
    --config.env "$PATH_ENV" --config.cmd bash \
    --config.label "io.tutorial-e2e.base=debian $IMAGES_SUITE minbase ($pkgs)"
  rm -rf --one-file-system "$r" "$work/base.tar"
  finish_ref "$wip" "$ref" "base--${IMAGES_SUITE}--"
  BASE_REF=$ref
  log "base: done in $((SECONDS - start))s ($(($(ref_size "$ref") / 1048576)) MiB compressed)"
}

# Sets up /dev (tmpfs with the usual nodes, not the host's), /proc and the
# package cache in a root file system, for apt-get and setup scripts.
chroot_prepare() {
  local r=$1 n
  mkdir -p "$r/dev" "$r/proc"
  mount_in -t tmpfs -o mode=755,size=16m tmpfs "$r/dev"
  for n in "null 1 3" "zero 1 5" "full 1 7" "random 1 8" "urandom 1 9" "tty 5 0"; do
    set -- $n
    mknod -m 666 "$r/dev/$1" c "$2" "$3"
  done
  ln -s /proc/self/fd "$r/dev/fd"
  mount_in -t proc proc "$r/proc"
  mount_in --bind "$IMAGES_CACHE/apt-archives" "$r/var/cache/apt/archives"
  cp /etc/resolv.conf "$r/etc/resolv.conf"
  printf '#!/bin/sh\n# no services start during image builds\nexit 101\n' >"$r/usr/sbin/policy-rc.d"
  chmod 755 "$r/usr/sbin/policy-rc.d"
}
chroot_finish() {
  local r=$1
  rm -f "$r/usr/sbin/policy-rc.d"
  unmount_all
}

declare -A FLAVOR_REF=()
ensure_flavor() {
  local name=$1 dir="$images_dir/flavors/$1"
  [[ -n ${FLAVOR_REF[$name]:-} ]] && return 0
  [[ -d $dir ]] || die "no flavor directory $dir"
  ensure_base
  local pkgs key ref
  pkgs=$(list_packages "$dir/packages")
  key=$(printf '%s\n' "recipe=$FLAVOR_RECIPE" "base=$BASE_REF" "packages=$pkgs" "files=$(tree_hash "$dir")" | hash16)
  ref="flavor--${name}--$key"
  if has_ref "$ref"; then
    FLAVOR_REF[$name]=$ref
    return 0
  fi
  local start=$SECONDS b="$work/bundle-$name" r wip="wip--$ref"
  r="$b/rootfs"
  log "flavor $name: unpacking base"
  umoci unpack --image "$L:$BASE_REF" "$b" >/dev/null
  chroot_prepare "$r"
  if [[ -n $pkgs ]]; then
    debian_mirror
    log "flavor $name: apt-get install $pkgs"
    # The mirror comes from the host's apt configuration at build time.
    printf 'deb %s %s main\n' "$MIRROR" "$IMAGES_SUITE" >"$r/tmp/build-sources.list"
    local apt=(chroot "$r" env DEBIAN_FRONTEND=noninteractive LC_ALL=C apt-get -q
      -o Dir::Etc::SourceList=/tmp/build-sources.list -o Dir::Etc::SourceParts=-
      -o Acquire::Check-Valid-Until=false -o Acquire::Languages=none
      -o APT::Install-Recommends=false -o APT::Install-Suggests=false
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    run_logged "apt-get update ($name)" "$work/apt-$name.log" "${apt[@]}" update
    # shellcheck disable=SC2086
    run_logged "apt-get install ($name)" "$work/apt-$name.log" "${apt[@]}" install -y $pkgs
  fi
  if [[ -d $dir/rootfs ]]; then
    install_tree "$dir/rootfs" "$r"
  fi
  if [[ -f $dir/setup.sh ]]; then
    log "flavor $name: running setup.sh"
    cp "$dir/setup.sh" "$r/tmp/setup.sh"
    chroot "$r" env LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin sh /tmp/setup.sh
  fi
  local versions=""
  # shellcheck disable=SC2086
  [[ -n $pkgs ]] && versions=$(chroot "$r" dpkg-query -W -f='${Package}=${Version} ' $pkgs | sed 's/ $//')
  chroot_finish "$r"
  clean_rootfs "$r"
  umoci repack --image "$L:$wip" --history.created_by \
    "tutorial-e2e flavor $name: apt-get install ${pkgs:-(none)}; flavors/$name/" "$b" >/dev/null
  [[ -n $versions ]] && umoci config --image "$L:$wip" --no-history --config.label "io.tutorial-e2e.packages=$versions"
  rm -rf --one-file-system "$b"
  finish_ref "$wip" "$ref" "flavor--${name}--"
  FLAVOR_REF[$name]=$ref
  log "flavor $name: done in $((SECONDS - start))s${versions:+ ($versions)}"
}

# --------------------------------------------------------------- layers ------
# A reproducible layer tarball of a staging directory.
pack_layer() { # staging-dir out.tar
  tar -C "$1" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$2" .
}

SCRATCH_TAR=
scratch_layer() {
  [[ -n $SCRATCH_TAR ]] && return 0
  local s="$work/scratch"
  mkdir -p "$s/etc" "$s/tmp" "$s/root" "$s/home/nonroot"
  chmod 1777 "$s/tmp"
  chmod 700 "$s/root"
  # The accounts distroless/static has.
  printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' \
    'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >"$s/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nobody:x:65534:' 'tty:x:5:' 'staff:x:50:' 'nonroot:x:65532:' >"$s/etc/group"
  printf 'hosts: files dns\n' >"$s/etc/nsswitch.conf"
  chown 65532:65532 "$s/home/nonroot"
  SCRATCH_TAR="$work/scratch.tar"
  tar -C "$s" --sort=name --mtime=@0 --numeric-owner -cf "$SCRATCH_TAR" .
}

binary_layer() { # binary path-in-image out.tar
  local s="$work/binstage"
  rm -rf "$s"
  mkdir -p "$s/$(dirname "$2")"
  ln "$1" "$s/$2" 2>/dev/null || cp "$1" "$s/$2"
  chmod 755 "$s/$2"
  pack_layer "$s" "$3"
  rm -rf "$s"
}

# ---------------------------------------------------------------- images ------
bin_root="$TUTORIAL_E2E_CACHE/bin"
# Sets BIN to the binary for a cluster image, or SKIP_REASON when it is not built.
cluster_binary() {
  local repo=$1 dir file hint
  case $repo in
    kube-apiserver | kube-controller-manager | kube-scheduler | kube-proxy)
      dir="$bin_root/kubernetes-$K8S_VERSION" file=$repo hint=kubernetes ;;
    etcd) dir="$bin_root/etcd-$ETCD_VERSION" file=etcd hint=etcd ;;
    coredns/coredns) dir="$bin_root/coredns-$COREDNS_VERSION" file=coredns hint=coredns ;;
    pause) dir="$bin_root/pause-$K8S_VERSION" file=pause hint=pause ;;
    *) die "no binary known for $repo" ;;
  esac
  BIN=
  if [[ -f $dir/.done && -x $dir/$file ]]; then
    BIN="$dir/$file"
  else
    SKIP_REASON="binary $dir/$file is not built yet (scripts/cluster/build.sh $hint)"
  fi
}

# Appends the stand-in labels to the array cfg.
add_labels() { # upstream built-from
  cfg+=(--config.label "org.opencontainers.image.description=local stand-in for $1, built from $2"
    --config.label "io.tutorial-e2e.stand-in-for=$1"
    --config.label "org.opencontainers.image.title=$1 (tutorial-e2e local stand-in)"
    --config.label "org.opencontainers.image.version=${1##*:}"
    --config.label "org.opencontainers.image.vendor=tutorial-e2e local build")
}

# Builds repo:tag into the layout unless cached. Sets BUILT_REF, or leaves it
# empty and sets SKIP_REASON when a cluster binary is missing.
build_image() {
  local repo=$1 tag=$2 upstream=$3 slug key ref wip inputs
  BUILT_REF='' SKIP_REASON='' BIN=''
  slug="${repo//\//.}--${tag}--"
  local debian_from="Debian $IMAGES_SUITE packages"
  case $repo in
    library/nginx) ensure_flavor nginx; inputs="${FLAVOR_REF[nginx]}" ;;
    library/debian) ensure_flavor debian; inputs="${FLAVOR_REF[debian]}" ;;
    fluent/fluentd) ensure_flavor fluentd; inputs="${FLAVOR_REF[fluentd]}" ;;
    library/redis | */gb-redis-follower) ensure_flavor redis; inputs="${FLAVOR_REF[redis]}" ;;
    */gb-frontend) ensure_flavor guestbook-frontend; inputs="${FLAVOR_REF[guestbook-frontend]}" ;;
    *)
      cluster_binary "$repo"
      [[ -n $BIN ]] || return 0
      inputs="$BIN $(stat -c '%s %Y %i' "$BIN")"
      if [[ $repo == kube-proxy ]]; then ensure_flavor kube-proxy; inputs+=" ${FLAVOR_REF[kube-proxy]}"; fi
      ;;
  esac
  key=$(printf '%s\n' "recipe=$RECIPE" "repo=$repo" "tag=$tag" "suite=$IMAGES_SUITE" "inputs=$inputs" | hash16)
  ref="$slug$key"
  if has_ref "$ref"; then
    BUILT_REF=$ref
    return 0
  fi
  local start=$SECONDS
  wip="wip--$ref"
  local cfg=()
  case $repo in
    library/nginx)
      local s="$work/nginx-$tag"
      mkdir -p "$s/etc/nginx"
      printf '# Which image tag this stand-in is.\nadd_header X-Stand-In-Tag "%s" always;\n' "$tag" >"$s/etc/nginx/stand-in-tag.conf"
      chmod 644 "$s/etc/nginx/stand-in-tag.conf"
      pack_layer "$s" "$work/nginx-$tag.tar"
      umoci raw add-layer --image "$L:${FLAVOR_REF[nginx]}" --tag "$wip" \
        --history.created_by "X-Stand-In-Tag: $tag (/etc/nginx/stand-in-tag.conf)" "$work/nginx-$tag.tar"
      cfg=(--config.env "NGINX_VERSION=$tag" --clear=config.cmd --config.cmd nginx --config.cmd -g --config.cmd 'daemon off;'
        --config.stopsignal SIGQUIT --config.exposedports 80/tcp)
      add_labels "$upstream" "$debian_from"
      ;;
    library/debian)
      umoci tag --image "$L:${FLAVOR_REF[debian]}" "$wip"
      cfg=(--clear=config.cmd --config.cmd bash)
      add_labels "$upstream" "$debian_from"
      ;;
    fluent/fluentd)
      umoci tag --image "$L:${FLAVOR_REF[fluentd]}" "$wip"
      cfg=(--clear=config.cmd --config.cmd fluentd --config.user fluent --config.workingdir /home/fluent
        --config.env FLUENTD_LOG_DIR=/var/log/nginx)
      add_labels "$upstream" "$debian_from (no fluentd: a shell script that follows /var/log/nginx/*.log to stdout)"
      ;;
    library/redis | */gb-redis-follower)
      local redis_from
      redis_from="Debian $IMAGES_SUITE redis-server $(flavor_pkg_version "${FLAVOR_REF[redis]}" redis-server) (not Redis $REDIS_TAG)"
      # Options the official image gets from its patched defaults (protected
      # mode off) or from Redis's own (all addresses, no daemon). The log goes
      # to stdout by default (umoci drops an empty argument: no --logfile '').
      # Redis 6.0's disk-based full sync (7.0's diskless one waits 5 s first).
      local opts=(--bind '*' '-::*' --port 6379 --protected-mode no --daemonize no --dir /data --repl-diskless-sync no) o
      cfg=(--config.entrypoint docker-entrypoint.sh --clear=config.cmd --config.workingdir /data --config.volume /data
        --config.exposedports 6379/tcp --config.env "REDIS_VERSION=$REDIS_TAG")
      if [[ $repo == library/redis ]]; then
        umoci tag --image "$L:${FLAVOR_REF[redis]}" "$wip"
        cfg+=(--config.cmd redis-server)
        for o in "${opts[@]}"; do cfg+=(--config.cmd "$o"); done
        add_labels "$upstream" "$redis_from"
      else
        local s="$work/follower"
        mkdir -p "$s"
        install -m 0755 "$images_dir/flavors/redis/follower/run.sh" "$s/run.sh"
        pack_layer "$s" "$work/follower.tar"
        umoci raw add-layer --image "$L:${FLAVOR_REF[redis]}" --tag "$wip" \
          --history.created_by "COPY run.sh /run.sh (flavors/redis/follower/run.sh)" "$work/follower.tar"
        cfg+=(--config.cmd /run.sh)
        add_labels "$upstream" "$redis_from and a /run.sh like upstream's (replica of redis-leader)"
      fi
      ;;
    */gb-frontend)
      umoci tag --image "$L:${FLAVOR_REF[guestbook-frontend]}" "$wip"
      cfg=(--clear=config.cmd --config.cmd apache2-foreground --config.workingdir /var/www/html
        --config.stopsignal SIGWINCH --config.exposedports 80/tcp
        --config.env APACHE_CONFDIR=/etc/apache2 --config.env APACHE_ENVVARS=/etc/apache2/envvars)
      local fe=${FLAVOR_REF[guestbook-frontend]} php
      php=$(flavor_pkg_version "$fe" libapache2-mod-php)
      add_labels "$upstream" "Debian $IMAGES_SUITE apache2 $(flavor_pkg_version "$fe" apache2), mod_php ${php%%+*} and phpredis $(flavor_pkg_version "$fe" php-redis | sed 's/+.*//') (not php:5-apache with Predis); own index.html and guestbook.php"
      ;;
    kube-proxy)
      binary_layer "$BIN" usr/local/bin/kube-proxy "$work/bin.tar"
      umoci raw add-layer --image "$L:${FLAVOR_REF[kube-proxy]}" --tag "$wip" \
        --history.created_by "COPY kube-proxy /usr/local/bin/kube-proxy" "$work/bin.tar"
      cfg=(--clear=config.cmd --config.entrypoint /usr/local/bin/kube-proxy)
      add_labels "$upstream" "Kubernetes $K8S_VERSION source (scripts/cluster/build.sh) and $debian_from (iptables, nftables, conntrack)"
      ;;
    *)
      local path=usr/local/bin/${repo##*/} ep desc
      case $repo in
        coredns/coredns) path=coredns ;;
        pause) path=pause ;;
      esac
      scratch_layer
      binary_layer "$BIN" "$path" "$work/bin.tar"
      umoci new --image "$L:$wip"
      umoci raw add-layer --image "$L:$wip" --history.created_by "scratch: /etc/passwd, /etc/group, /etc/nsswitch.conf, /tmp" "$SCRATCH_TAR"
      umoci raw add-layer --image "$L:$wip" --history.created_by "COPY ${BIN##*/} /$path" "$work/bin.tar"
      ep="/$path"
      case $repo in
        etcd) desc="etcd $ETCD_VERSION source (scripts/cluster/build.sh)"
          cfg=(--config.cmd "$ep" --config.exposedports 2379/tcp --config.exposedports 2380/tcp) ;;
        coredns/coredns) desc="CoreDNS $COREDNS_VERSION source (scripts/cluster/build.sh)"
          cfg=(--config.entrypoint "$ep" --config.exposedports 53/tcp --config.exposedports 53/udp) ;;
        pause) desc="Kubernetes $K8S_VERSION build/pause/linux/pause.c (scripts/cluster/build.sh)"
          cfg=(--config.entrypoint "$ep" --config.user 65535:65535) ;;
        *) desc="Kubernetes $K8S_VERSION source (scripts/cluster/build.sh)"
          cfg=(--config.entrypoint "$ep") ;;
      esac
      cfg+=(--os linux --architecture "$ARCH" --config.env "$PATH_ENV")
      add_labels "$upstream" "$desc"
      ;;
  esac
  umoci config --image "$L:$wip" --history.created_by "tutorial-e2e config for $upstream" "${cfg[@]}"
  finish_ref "$wip" "$ref" "$slug"
  log "built $upstream in $((SECONDS - start))s"
  BUILT_REF=$ref
}

PUSH_STATE=
push_image() { # ref repo tag; sets PUSH_STATE
  local ref=$1 repo=$2 tag=$3 want have
  want=$(ref_digest "$ref")
  have=$(registry_digest "$repo" "$tag")
  if [[ $have == "$want" ]]; then PUSH_STATE=in-registry; return 0; fi
  skopeo copy -q --preserve-digests --dest-tls-verify=false \
    "oci:$L:$ref" "docker://$IMAGES_REGISTRY/$repo:$tag"
  have=$(registry_digest "$repo" "$tag")
  [[ $have == "$want" ]] || die "pushed $repo:$tag but the registry reports digest '$have', not $want"
  PUSH_STATE=pushed
}

# ---------------------------------------------------------------- main --------
total_start=$SECONDS
# Refs of builds that were interrupted.
for r in $(refs_with_prefix "wip--"); do umoci rm --image "$L:$r"; changed=1; done
mapfile -t wanted < <(all_images "$group")
log "$group images: ${#wanted[@]}; layout $L; registry $IMAGES_REGISTRY$( ((push)) || echo ' (not pushing)')"
results=() skipped=()
for line in "${wanted[@]}"; do
  read -r _ repo tag upstream <<<"$line"
  build_image "$repo" "$tag" "$upstream"
  if [[ -z $BUILT_REF ]]; then
    log "SKIP $upstream: $SKIP_REASON"
    skipped+=("$upstream: $SKIP_REASON")
    continue
  fi
  PUSH_STATE=built
  if ((push)); then
    p0=$SECONDS
    push_image "$BUILT_REF" "$repo" "$tag"
    [[ $PUSH_STATE == pushed ]] && log "pushed $IMAGES_REGISTRY/$repo:$tag in $((SECONDS - p0))s"
  fi
  results+=("$(awk -v n="$repo:$tag" -v st="$PUSH_STATE" -v sz="$(ref_size "$BUILT_REF")" -v d="$(ref_digest "$BUILT_REF")" \
    'BEGIN { printf "%-50s %-11s %7.1f MiB  %s", n, st, sz / 1048576, substr(d, 1, 19) }')")
done

if ((changed)); then
  umoci gc --layout "$L"
fi
log "summary ($group; sizes are compressed, shared layers counted in each):"
printf '  %s\n' "${results[@]}"
if ((${#skipped[@]})); then
  log "skipped ${#skipped[@]} cluster image(s) whose binaries are not built yet:"
  printf '  %s\n' "${skipped[@]}"
fi
log "done in $((SECONDS - total_start))s; layout $(du -sh "$L" | cut -f1)"
