#!/usr/bin/env bash
# Ensures an offline kind node image for K8S_VERSION exists in the kind engine (engine.sh up) and
# prints its reference on stdout (progress on stderr):
#   tutorial-e2e/kind-node:<K8S_VERSION>-<key>
# With --for minikube, the same root made into a stand-in for minikube's kicbase instead (see
# "minikube" below): tutorial-e2e/minikube-node:<K8S_VERSION>-<key>.
# where <key> hashes every input (this script, node-files/, the kind version, the binaries' and
# images' versions, the rootfs package list), so a changed recipe builds a new image; an existing
# one is reused (no-op). Older images of the same K8S_VERSION are removed after a build.
#
# A local stand-in for kindest/node:<K8S_VERSION>, built without any container registry:
#   1. a Debian bookworm root (debootstrap, kindest/base's packages), cached under
#      $TUTORIAL_E2E_CACHE/kind/rootfs-bookworm-<hash of the package list>; never modified, copied
#   2. kind's images/base/files from the Go module cache and kindest/base's Dockerfile steps
#   3. containerd, runc, crictl, CNI plugins, kubeadm/kubelet/kubectl from $TUTORIAL_E2E_CACHE/bin
#      (scripts/cluster/build.sh); containerd's config with restrict_oom_score_adj = true (no
#      CAP_SYS_RESOURCE here) and the sandbox image kubeadm names
#   4. the images `kubeadm config images list` names, under exactly those refs, from the umoci
#      layout $TUTORIAL_E2E_CACHE/images/oci (etcd and CoreDNS: the cached builds, retagged as the
#      local cluster does; the LABELs say what each ref really is), imported by a build-time containerd
#   5. node-files/: lab-cni.service + lab-cni.sh (a kindnetd stand-in) and kind's default-cni.yaml
#   6. docker import, then a FROM-only build for STOPSIGNAL and the LABELs
#
# minikube (--for minikube): `minikube start --driver=docker --base-image=<this image>` boots it
# as its node. What minikube v1.38.1 needs of kicbase, and this flavour adds or changes:
#   - sshd and a `docker` user with passwordless sudo: minikube runs every command over SSH as
#     `docker`, prefixed with sudo (kicbase's Dockerfile does the same)
#   - /etc/os-release with ID=ubuntu: minikube picks its node provisioner by that ID and knows
#     only ubuntu (kicbase) and buildroot (its ISO); the release it names stays Debian's
#   - kubeadm, kubelet, kubectl in /var/lib/minikube/binaries/<K8S_VERSION>/: minikube finds them
#     there and downloads nothing ("Found k8s binaries, skipping transfer"); docker fills the
#     node's /var volume from the image's /var, so they reach the node
#   - no kubelet unit of kind's and no kindnetd stand-in: minikube writes its own kubelet units,
#     and `--cni=bridge` its own CNI config
#   - `restrict_oom_score_adj=true` written without spaces: minikube rewrites the line
#     `restrict_oom_score_adj = <x>` to false (its sed needs the spaces), and with false no pod
#     starts on this host (runc cannot set a negative oom_score_adj without CAP_SYS_RESOURCE)
#
# Usage: scripts/kind/node-image.sh [K8S_VERSION] [--for kind|minikube]
#        (K8S_VERSION defaults to scripts/cluster/versions.sh's, --for to kind)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
FLAVOR=kind
args=()
while (($#)); do
  case $1 in
    --for) FLAVOR=${2:-}; shift 2 || shift ;;
    --for=*) FLAVOR=${1#--for=}; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
[[ $FLAVOR == kind || $FLAVOR == minikube ]] || { echo "[node-image] error: --for takes kind or minikube, not '$FLAVOR'" >&2; exit 2; }
[[ -n ${args[0]:-} ]] && export K8S_VERSION=${args[0]}
# shellcheck source-path=SCRIPTDIR/../cluster source=versions.sh
source "$here/../cluster/versions.sh"

log() { printf '[node-image %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[node-image] error: %s\n' "$*" >&2; exit 1; }
[[ $(id -u) == 0 ]] || die "run as root"

BIN=$TUTORIAL_E2E_CACHE/bin
OCI=$TUTORIAL_E2E_CACHE/images/oci
KDIR=$TUTORIAL_E2E_CACHE/kind
K8S_BIN=$BIN/kubernetes-$K8S_VERSION
CTRD_BIN=$BIN/containerd-$CONTAINERD_VERSION
for f in "$K8S_BIN/kubeadm" "$K8S_BIN/kubelet" "$K8S_BIN/kubectl" "$CTRD_BIN/containerd" "$BIN/runc-$RUNC_VERSION/runc" \
  "$BIN/crictl-$CRICTL_VERSION/crictl" "$BIN/cni-$CNI_PLUGINS_VERSION/bridge" "$OCI/index.json"; do
  [[ -e $f ]] || die "$f is missing (npm run cluster:build / scripts/cluster/build.sh and scripts/images/build.sh, for $K8S_VERSION)"
done
for t in jq skopeo debootstrap; do command -v "$t" >/dev/null || die "$t is missing (scripts/kind/engine.sh install)"; done
bash "$here/engine.sh" status 2>/dev/null || die "the kind engine is not up (scripts/kind/engine.sh up)"
eval "$(bash "$here/engine.sh" env)"
command -v docker >/dev/null || die "no docker CLI"

# kindest/base's packages (kind's images/base/Dockerfile), on bookworm (systemd 252).
PACKAGES=systemd,systemd-sysv,dbus,conntrack,iptables,nftables,iproute2,ethtool,util-linux,mount,kmod,libseccomp2,pigz,fuse-overlayfs,bash,ca-certificates,curl,jq,procps,socat,ebtables,e2fsprogs
# kicbase's own additions that minikube uses: sudo and sshd (every command), lz4 (preloads), rsync.
[[ $FLAVOR == minikube ]] && PACKAGES+=,sudo,openssh-server,lz4,rsync
SUITE=bookworm
MIRROR=${TUTORIAL_E2E_DEBIAN_MIRROR:-$(awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
ROOTFS=$KDIR/rootfs-$SUITE-$(printf '%s %s minbase merged-usr' "$SUITE" "$PACKAGES" | sha256sum | cut -c1-12)

# --- what to preload: the refs kubeadm names, mapped to the cached images ---------------------
ref_of() { # umoci ref name prefix -> the layout's first ref name with it
  jq -r '.manifests[].annotations["org.opencontainers.image.ref.name"]' "$OCI/index.json" | grep -m1 "^$1--" || true
}
declare -a PRELOAD=() # "wanted-ref layout-ref label-key label-value"
PAUSE_REF=
while read -r want; do
  [[ -n $want ]] || continue
  name=${want%:*} tag=${want##*:}
  case $name in
    registry.k8s.io/kube-apiserver | registry.k8s.io/kube-controller-manager | registry.k8s.io/kube-scheduler | registry.k8s.io/kube-proxy)
      short=${name##*/}; have=$(ref_of "$short--$tag"); real="$short $tag, built from source" ;;
    registry.k8s.io/etcd)
      short=etcd; have=$(ref_of "etcd--${ETCD_VERSION#v}-0"); real="etcd $ETCD_VERSION (kubeadm $K8S_VERSION asks for $tag), built from source" ;;
    registry.k8s.io/coredns/coredns)
      short=coredns; have=$(ref_of "coredns.coredns--$COREDNS_VERSION"); real="CoreDNS $COREDNS_VERSION (kubeadm $K8S_VERSION asks for $tag), built from source" ;;
    registry.k8s.io/pause)
      short=pause; have=$(ref_of "pause--$tag")
      [[ -n $have ]] || have=$(jq -r '.manifests[].annotations["org.opencontainers.image.ref.name"]' "$OCI/index.json" | grep '^pause--' | sort -V | tail -1)
      real="pause ${have#pause--}" real=${real%--*}; PAUSE_REF=$want ;;
    *) die "kubeadm $K8S_VERSION names an image this script does not know: $want" ;;
  esac
  [[ -n $have ]] || die "no image for $want in $OCI (scripts/images/build.sh)"
  PRELOAD+=("$want $have $short $real")
done < <("$K8S_BIN/kubeadm" config images list --kubernetes-version "$K8S_VERSION" 2>/dev/null)
{ ((${#PRELOAD[@]} >= 6)) && [[ -n $PAUSE_REF ]]; } || die "kubeadm config images list --kubernetes-version $K8S_VERSION gave no usable list"
# minikube names its own pause tag (its table, else the last minor's: 3.10.1 for v1.36.3 where
# kubeadm says 3.10.2) and writes it into containerd's sandbox_image: every cached tag is preloaded.
if [[ $FLAVOR == minikube ]]; then
  while read -r have; do
    tag=${have#pause--} tag=${tag%%--*}
    [[ " ${PRELOAD[*]} " == *" registry.k8s.io/pause:$tag "* ]] || PRELOAD+=("registry.k8s.io/pause:$tag $have pause-$tag pause $tag")
  done < <(jq -r '.manifests[].annotations["org.opencontainers.image.ref.name"]' "$OCI/index.json" | grep '^pause--')
fi

# --- the image's key ----------------------------------------------------------------------------
KEY=$({
  cat "$here/node-image.sh"
  (cd "$here/node-files" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
  echo "$FLAVOR $KIND_VERSION $K8S_VERSION $CONTAINERD_VERSION $RUNC_VERSION $CRICTL_VERSION $CNI_PLUGINS_VERSION $ROOTFS"
  ls "$TUTORIAL_E2E_CACHE/bin/cni-$CNI_PLUGINS_VERSION" # the plugins built (ptp came later than the others)
  sha256sum "$K8S_BIN"/kube{adm,let,ctl}
  printf '%s\n' "${PRELOAD[@]}"
} | sha256sum | cut -c1-12)
IMAGE=tutorial-e2e/$FLAVOR-node:$K8S_VERSION-$KEY
if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  log "$IMAGE exists"
  echo "$IMAGE"
  exit 0
fi

mkdir -p "$KDIR"
exec 9>"$KDIR/.node-image.lock"
flock 9
if docker image inspect "$IMAGE" >/dev/null 2>&1; then echo "$IMAGE"; exit 0; fi # built meanwhile
t0=$SECONDS
KINDBASE=$(go env GOMODCACHE)/sigs.k8s.io/kind@$KIND_VERSION/images/base
[[ -d $KINDBASE/files ]] || { log "go mod download sigs.k8s.io/kind@$KIND_VERSION"; go mod download "sigs.k8s.io/kind@$KIND_VERSION" >&2; }
[[ -d $KINDBASE/files ]] || die "kind's images/base/files not found in $KINDBASE"

# --- 1. the cached Debian root ------------------------------------------------------------------
if [[ ! -f $ROOTFS/.done ]]; then
  log "debootstrap $SUITE from $MIRROR into $ROOTFS (about a minute)"
  rm -rf --one-file-system "$ROOTFS.tmp"
  debootstrap --variant=minbase --arch=amd64 --components=main --merged-usr --include="$PACKAGES" \
    "$SUITE" "$ROOTFS.tmp" "$MIRROR" >"$KDIR/debootstrap.log" 2>&1 || { tail -20 "$KDIR/debootstrap.log" >&2; die "debootstrap failed (log: $KDIR/debootstrap.log)"; }
  grep -q " $ROOTFS.tmp" /proc/self/mountinfo && die "debootstrap left mounts under $ROOTFS.tmp"
  rm -rf "$ROOTFS.tmp/var/cache/apt/archives/"*.deb "$ROOTFS.tmp/var/lib/apt/lists/"*_* 2>/dev/null || true
  rm -rf --one-file-system "$ROOTFS"
  mv "$ROOTFS.tmp" "$ROOTFS"
  touch "$ROOTFS/.done"
fi

work=$(mktemp -d "$KDIR/.build.XXXXXX")
sockdir=$(mktemp -d /tmp/tke-nodeimg.XXXXXX) # containerd's sockets: a short path
cpid=
cleanup() {
  [[ -n $cpid ]] && { kill "$cpid" 2>/dev/null; wait "$cpid" 2>/dev/null; }
  rm -rf --one-file-system "$work" "$sockdir"
}
trap cleanup EXIT
ROOT=$work/root
log "copying the root ($ROOTFS)"
cp -a "$ROOTFS" "$ROOT"
rm -f "$ROOT/.done"

# --- 2. kind's base files and kindest/base's Dockerfile steps ---------------------------------
log "kind $KIND_VERSION base files"
F=$KINDBASE/files
install -D -m 0755 -t "$ROOT/usr/local/bin" "$F"/usr/local/bin/*
mkdir -p "$ROOT/kind/bin" "$ROOT/LICENSES"
install -m 0644 "$F/kind/README.txt" "$ROOT/kind/" 2>/dev/null || true
install -m 0755 -t "$ROOT/kind/bin" "$F"/kind/bin/*
install -m 0644 -t "$ROOT/LICENSES" "$F"/LICENSES/*
install -m 0644 "$F/etc/crictl.yaml" "$ROOT/etc/"
install -D -m 0644 -t "$ROOT/etc/containerd" "$F"/etc/containerd/*
install -D -m 0644 -t "$ROOT/etc/default" "$F"/etc/default/*
install -D -m 0644 -t "$ROOT/etc/sysctl.d" "$F"/etc/sysctl.d/*
install -D -m 0644 -t "$ROOT/etc/systemd/system" "$F"/etc/systemd/system/*.service "$F"/etc/systemd/system/*.slice
install -D -m 0644 -t "$ROOT/etc/systemd/system/kubelet.service.d" "$F"/etc/systemd/system/kubelet.service.d/*
# minikube writes kubelet's units into /lib/systemd/system and its drop-in dir; kind's in /etc would override them.
[[ $FLAVOR == minikube ]] && rm -rf "$ROOT/etc/systemd/system/kubelet.service" "$ROOT/etc/systemd/system/kubelet.service.d"
(
  cd "$ROOT"
  find lib/systemd/system/sysinit.target.wants/ -name systemd-tmpfiles-setup.service -delete
  rm -f lib/systemd/system/multi-user.target.wants/* etc/systemd/system/*.wants/* lib/systemd/system/local-fs.target.wants/* \
    lib/systemd/system/sockets.target.wants/*udev* lib/systemd/system/sockets.target.wants/*initctl* lib/systemd/system/basic.target.wants/*
  grep -q '^ReadKMsg=no' etc/systemd/journald.conf || echo "ReadKMsg=no" >>etc/systemd/journald.conf
  ln -sfn /usr/lib/systemd/systemd sbin/init
  mkdir -p etc/kubernetes/manifests opt/cni/bin
  rm -f etc/hostname
  : >etc/resolv.conf
  : >etc/machine-id
)
if [[ $FLAVOR == kind ]]; then
  # The kindnetd stand-in: its unit and script, and the default-cni.yaml kind applies.
  install -m 0755 "$here/node-files/lab-cni.sh" "$ROOT/kind/bin/lab-cni.sh"
  install -m 0644 "$here/node-files/lab-cni.service" "$ROOT/etc/systemd/system/lab-cni.service"
  install -D -m 0644 "$here/node-files/default-cni.yaml" "$ROOT/kind/manifests/default-cni.yaml"
  systemctl --root="$ROOT" enable kubelet.service containerd.service undo-mount-hacks.service lab-cni.service >/dev/null 2>&1
else
  # kicbase's user and SSH set-up (its Dockerfile): minikube logs in as docker with its own key
  # (written to /home/docker/.ssh/authorized_keys at start) and runs everything with sudo.
  chroot "$ROOT" groupadd -f docker
  chroot "$ROOT" useradd -m -s /bin/bash -g docker -G sudo docker
  chroot "$ROOT" usermod -p '*' docker # no password, but not locked: sshd refuses a locked account even a key
  echo '%sudo ALL=(ALL) NOPASSWD:ALL' >"$ROOT/etc/sudoers.d/tutorial-e2e" && chmod 0440 "$ROOT/etc/sudoers.d/tutorial-e2e"
  install -d -m 0700 -o 1000 -g 1000 "$ROOT/home/docker/.ssh" # docker is the first user: 1000:1000
  [[ $(chroot "$ROOT" id -u docker) == 1000 ]] || die "the docker user is not uid 1000"
  mkdir -p "$ROOT/run/sshd" "$ROOT/var/run/sshd"
  printf 'PermitRootLogin yes\nPasswordAuthentication no\nUsePAM no\n' >"$ROOT/etc/ssh/sshd_config.d/tutorial-e2e.conf"
  # The provisioner minikube picks is chosen by ID (ubuntu = kicbase's); the rest says what this is.
  rm -f "$ROOT/etc/os-release"
  sed -e 's/^ID=.*/ID=ubuntu/' -e 's/^PRETTY_NAME="\(.*\)"/PRETTY_NAME="\1 (tutorial-e2e stand-in for minikube kicbase)"/' \
    "$ROOT/usr/lib/os-release" >"$ROOT/etc/os-release"
  grep -q '^ID_LIKE=' "$ROOT/etc/os-release" || echo 'ID_LIKE=debian' >>"$ROOT/etc/os-release"
  systemctl --root="$ROOT" enable containerd.service undo-mount-hacks.service ssh.service >/dev/null 2>&1
fi
systemctl --root="$ROOT" mask systemd-binfmt.service >/dev/null 2>&1

# --- 3. binaries --------------------------------------------------------------------------------
log "binaries from $BIN"
install -m 0755 -t "$ROOT/usr/local/bin" "$CTRD_BIN"/{containerd,ctr,containerd-shim-runc-v2} "$BIN/crictl-$CRICTL_VERSION/crictl"
install -D -m 0755 "$BIN/runc-$RUNC_VERSION/runc" "$ROOT/usr/local/sbin/runc"
install -m 0755 -t "$ROOT/opt/cni/bin" "$BIN/cni-$CNI_PLUGINS_VERSION"/*
install -m 0755 -t "$ROOT/usr/bin" "$K8S_BIN"/{kubeadm,kubelet,kubectl}
[[ $FLAVOR == minikube ]] && install -D -m 0755 -t "$ROOT/var/lib/minikube/binaries/$K8S_VERSION" "$K8S_BIN"/{kubeadm,kubelet,kubectl}
echo "$K8S_VERSION" >"$ROOT/kind/version"
"$ROOT/usr/local/bin/ctr" oci spec |
  jq '.hooks.createContainer[.hooks.createContainer| length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' |
  jq 'del(.process.rlimits)' >"$ROOT/etc/containerd/cri-base.json"
sed -i -e 's/^\(\s*restrict_oom_score_adj\s*=\s*\).*/\1true/' \
  -e "s|^\(\s*sandbox_image\s*=\s*\).*|\1\"$PAUSE_REF\"|" "$ROOT/etc/containerd/config.toml"
grep -q 'restrict_oom_score_adj = true' "$ROOT/etc/containerd/config.toml" || die "kind's containerd config has no restrict_oom_score_adj to set"
if [[ $FLAVOR == minikube ]]; then # (see "minikube" above: out of reach of minikube's sed)
  sed -i 's/^\(\s*\)restrict_oom_score_adj = true/\1restrict_oom_score_adj=true/' "$ROOT/etc/containerd/config.toml"
fi
grep -q "sandbox_image = \"$PAUSE_REF\"" "$ROOT/etc/containerd/config.toml" || die "kind's containerd config has no sandbox_image to set"

# --- 4. preloaded images --------------------------------------------------------------------------
log "preloading ${#PRELOAD[@]} images into the node's /var/lib/containerd"
cat >"$work/containerd.toml" <<TOML
version = 3
root = "$ROOT/var/lib/containerd"
state = "$sockdir/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.cri.v1.runtime", "io.containerd.cri.v1.images", "io.containerd.podsandbox.controller.v1.podsandbox", "io.containerd.sandbox.controller.v1.shim", "io.containerd.nri.v1.nri", "io.containerd.internal.v1.opt"]
[grpc]
  address = "$sockdir/c.sock"
[ttrpc]
  address = "$sockdir/c.sock.ttrpc"
TOML
"$CTRD_BIN/containerd" --config "$work/containerd.toml" >"$work/containerd.log" 2>&1 9>&- &
cpid=$!
deadline=$((SECONDS + 30))
until "$CTRD_BIN/ctr" --address "$sockdir/c.sock" version >/dev/null 2>&1; do
  kill -0 "$cpid" 2>/dev/null || { cat "$work/containerd.log" >&2; die "the build-time containerd exited"; }
  ((SECONDS < deadline)) || die "the build-time containerd did not answer within 30s"
  sleep 0.2
done
if [[ $FLAVOR == kind ]]; then STANDS_IN_FOR=kindest/node:$K8S_VERSION; else STANDS_IN_FOR="minikube $MINIKUBE_VERSION's kicbase"; fi
labels=("org.opencontainers.image.title=local stand-in for $STANDS_IN_FOR"
  "io.tutorial-e2e.stand-in-for=$STANDS_IN_FOR"
  "io.tutorial-e2e.$FLAVOR-node.base=debian $SUITE debootstrap + kind $KIND_VERSION images/base/files, containerd $CONTAINERD_VERSION, runc $RUNC_VERSION"
  "io.tutorial-e2e.$FLAVOR-node.key=$KEY")
for entry in "${PRELOAD[@]}"; do
  read -r want have short real <<<"$entry"
  rm -f "$work/img.tar"
  skopeo copy -q "oci:$OCI:$have" "docker-archive:$work/img.tar:$want"
  # (ctr's cgroup v1 deprecation warning is dropped; the log is shown when the import fails)
  "$CTRD_BIN/ctr" --address "$sockdir/c.sock" -n k8s.io images import --no-unpack --digests "$work/img.tar" >"$work/ctr.log" 2>&1 ||
    { cat "$work/ctr.log" >&2; die "ctr images import $want failed"; }
  labels+=("io.tutorial-e2e.preload.$short=$want is $real (cache: $have)")
  log "  $want <- $have"
done
rm -f "$work/img.tar"
kill "$cpid"; wait "$cpid" 2>/dev/null || true; cpid=

# --- 5./6. the image ----------------------------------------------------------------------------
log "docker import (then a FROM-only build: docker import cannot set STOPSIGNAL or LABEL)"
tar -C "$ROOT" --numeric-owner -c . |
  docker import -c 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' -c 'ENV container=docker' - "$IMAGE-rootfs" >/dev/null
{
  echo "FROM $IMAGE-rootfs"
  echo 'STOPSIGNAL SIGRTMIN+3'
  for l in "${labels[@]}"; do printf 'LABEL %s=%s\n' "${l%%=*}" "$(jq -Rn --arg v "${l#*=}" '$v')"; done
} >"$work/Dockerfile"
mkdir -p "$work/context"
# The legacy builder (dockerd 20.10 has no BuildKit session for a newer CLI); its deprecation note is dropped.
DOCKER_BUILDKIT=0 docker build -q -t "$IMAGE" -f "$work/Dockerfile" "$work/context" 2>"$work/build.err" >/dev/null ||
  { cat "$work/build.err" >&2; die "docker build $IMAGE failed"; }
docker rmi "$IMAGE-rootfs" >/dev/null
# Older images of this Kubernetes version (another key) are of no more use.
for old in $(docker image ls --format '{{.Repository}}:{{.Tag}}' "tutorial-e2e/$FLAVOR-node" | grep -F ":$K8S_VERSION-" | grep -vxF "$IMAGE" || true); do
  log "removing the older $old"
  docker rmi "$old" >/dev/null || true
done
log "$IMAGE built in $((SECONDS - t0))s ($(docker image inspect "$IMAGE" -f '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}'))"
echo "$IMAGE"
