#!/usr/bin/env bash
# Builds a kind node image offline, as a local stand-in for kindest/node:$K8S_VERSION:
#   1. debootstrap bookworm (systemd 252) with kindest/base's packages (skipped if $ROOT exists)
#   2. kind's images/base/files from the kind Go module cache (entrypoint, /kind, units, containerd config)
#      and kindest/base's Dockerfile steps (trimmed systemd wants, ReadKMsg=no, enabled units)
#   3. containerd/ctr/shim, runc, crictl, CNI plugins from the project's build cache; kubeadm/kubelet/kubectl
#      in /usr/bin; /kind/version; containerd config with restrict_oom_score_adj = true
#   4. control-plane, etcd, CoreDNS, pause images (umoci layout -> skopeo docker-archive) imported with
#      `ctr -n k8s.io images import --no-unpack` into the root's /var/lib/containerd by a build-time containerd
#   4b. node-files/: lab-cni.service + /kind/bin/lab-cni.sh (a kindnetd stand-in) and /kind/manifests/default-cni.yaml
#   5. `docker import` with kindest/base's ENTRYPOINT/ENV/STOPSIGNAL and a stand-in label
# Usage: build-node-image.sh [image]   (default kindest/node:$K8S_VERSION-tte-local); DOCKER_HOST from env.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
source "$here/../../cluster/versions.sh"
IMAGE=${1:-tutorial-e2e/kind-node:$K8S_VERSION}
ROOT=${ROOT:-$LAB/node-rootfs}
BIN=$TUTORIAL_E2E_CACHE/bin
OCI=$TUTORIAL_E2E_CACHE/images/oci
KINDBASE=$(go env GOMODCACHE)/sigs.k8s.io/kind@$KIND_VERSION/images/base
log() { printf '[node-image %s] %s\n' "$(date -u +%T)" "$*" >&2; }
t0=$SECONDS
[[ -d $KINDBASE/files ]] || go mod download "sigs.k8s.io/kind@$KIND_VERSION"

if [[ ! -x $ROOT/usr/bin/systemctl ]]; then
  log "debootstrap bookworm"
  debootstrap --variant=minbase --arch=amd64 --components=main --merged-usr \
    --include=systemd,systemd-sysv,dbus,conntrack,iptables,nftables,iproute2,ethtool,util-linux,mount,kmod,libseccomp2,pigz,fuse-overlayfs,bash,ca-certificates,curl,jq,procps,socat,ebtables,e2fsprogs \
    bookworm "$ROOT" http://deb.debian.org/debian >"$LAB/debootstrap.log"
fi
grep -q " $ROOT/" /proc/self/mountinfo && { echo "mounts under $ROOT" >&2; exit 1; }
log "kind $KIND_VERSION base files"
F=$KINDBASE/files
install -D -m 0755 -t "$ROOT/usr/local/bin" "$F"/usr/local/bin/*
mkdir -p "$ROOT/kind/bin" "$ROOT/LICENSES"
install -m 0644 "$F/kind/README.txt" "$ROOT/kind/"
install -m 0755 -t "$ROOT/kind/bin" "$F"/kind/bin/*
install -m 0644 -t "$ROOT/LICENSES" "$F"/LICENSES/*
install -m 0644 "$F/etc/crictl.yaml" "$ROOT/etc/"
install -D -m 0644 -t "$ROOT/etc/containerd" "$F"/etc/containerd/*
install -D -m 0644 -t "$ROOT/etc/default" "$F"/etc/default/*
install -D -m 0644 -t "$ROOT/etc/sysctl.d" "$F"/etc/sysctl.d/*
install -D -m 0644 -t "$ROOT/etc/systemd/system" "$F"/etc/systemd/system/*.service "$F"/etc/systemd/system/*.slice
install -D -m 0644 -t "$ROOT/etc/systemd/system/kubelet.service.d" "$F"/etc/systemd/system/kubelet.service.d/*
(
  cd "$ROOT"
  find lib/systemd/system/sysinit.target.wants/ -name systemd-tmpfiles-setup.service -delete
  rm -f lib/systemd/system/multi-user.target.wants/* etc/systemd/system/*.wants/* lib/systemd/system/local-fs.target.wants/* \
    lib/systemd/system/sockets.target.wants/*udev* lib/systemd/system/sockets.target.wants/*initctl* lib/systemd/system/basic.target.wants/*
  grep -q '^ReadKMsg=no' etc/systemd/journald.conf || echo "ReadKMsg=no" >>etc/systemd/journald.conf
  ln -sfn /usr/lib/systemd/systemd sbin/init
  mkdir -p etc/kubernetes/manifests opt/cni/bin
  rm -f etc/hostname; : >etc/resolv.conf; : >etc/machine-id
)
# The lab's kindnetd stand-in (node-files/): the unit, its script, and a default-cni.yaml for kind to apply.
install -m 0755 "$here/node-files/lab-cni.sh" "$ROOT/kind/bin/lab-cni.sh"
install -m 0644 "$here/node-files/lab-cni.service" "$ROOT/etc/systemd/system/lab-cni.service"
install -D -m 0644 "$here/node-files/default-cni.yaml" "$ROOT/kind/manifests/default-cni.yaml"
systemctl --root="$ROOT" enable kubelet.service containerd.service undo-mount-hacks.service lab-cni.service >/dev/null 2>&1
systemctl --root="$ROOT" mask systemd-binfmt.service >/dev/null 2>&1

log "binaries from $BIN"
install -m 0755 -t "$ROOT/usr/local/bin" "$BIN/containerd-$CONTAINERD_VERSION"/{containerd,ctr,containerd-shim-runc-v2} "$BIN/crictl-$CRICTL_VERSION/crictl"
install -D -m 0755 "$BIN/runc-$RUNC_VERSION/runc" "$ROOT/usr/local/sbin/runc"
install -m 0755 -t "$ROOT/opt/cni/bin" "$BIN/cni-$CNI_PLUGINS_VERSION"/*
install -m 0755 -t "$ROOT/usr/bin" "$BIN/kubernetes-$K8S_VERSION"/{kubeadm,kubelet,kubectl}
echo "$K8S_VERSION" >"$ROOT/kind/version"
"$ROOT/usr/local/bin/ctr" oci spec |
  jq '.hooks.createContainer[.hooks.createContainer| length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' |
  jq 'del(.process.rlimits)' >"$ROOT/etc/containerd/cri-base.json"
PAUSE_TAG=$(jq -r '.manifests[].annotations["org.opencontainers.image.ref.name"]' "$OCI/index.json" | sed -n 's/^pause--\(3\.10\.2\)--.*/\1/p' | head -1)
sed -i -e 's/^\(\s*restrict_oom_score_adj\s*=\s*\).*/\1true/' \
  -e "s|^\(\s*sandbox_image\s*=\s*\).*|\1\"registry.k8s.io/pause:$PAUSE_TAG\"|" "$ROOT/etc/containerd/config.toml"
grep -E 'restrict_oom|sandbox_image' "$ROOT/etc/containerd/config.toml" >&2

log "preloading images into $ROOT/var/lib/containerd"
tmp=$(mktemp -d /tmp/kindlab-nodeimg.XXXX)
cat >"$tmp/config.toml" <<TOML
version = 3
root = "$ROOT/var/lib/containerd"
state = "$tmp/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.cri.v1.runtime", "io.containerd.cri.v1.images", "io.containerd.podsandbox.controller.v1.podsandbox", "io.containerd.sandbox.controller.v1.shim", "io.containerd.nri.v1.nri"]
[grpc]
  address = "$tmp/c.sock"
[ttrpc]
  address = "$tmp/c.sock.ttrpc"
TOML
"$BIN/containerd-$CONTAINERD_VERSION/containerd" --config "$tmp/config.toml" >"$tmp/containerd.log" 2>&1 &
cpid=$!
trap 'kill $cpid 2>/dev/null; wait $cpid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 40); do [[ -S $tmp/c.sock ]] && break; sleep 0.25; done
ctr() { "$BIN/containerd-$CONTAINERD_VERSION/ctr" --address "$tmp/c.sock" -n k8s.io "$@"; }
ref_of() { jq -r '.manifests[].annotations["org.opencontainers.image.ref.name"]' "$OCI/index.json" | grep -m1 "^$1--"; }
ETCD_TAG=${ETCD_VERSION#v}-0
COREDNS_TAG=$COREDNS_VERSION
for pair in "kube-apiserver--$K8S_VERSION registry.k8s.io/kube-apiserver:$K8S_VERSION" \
  "kube-controller-manager--$K8S_VERSION registry.k8s.io/kube-controller-manager:$K8S_VERSION" \
  "kube-scheduler--$K8S_VERSION registry.k8s.io/kube-scheduler:$K8S_VERSION" \
  "kube-proxy--$K8S_VERSION registry.k8s.io/kube-proxy:$K8S_VERSION" \
  "etcd--$ETCD_TAG registry.k8s.io/etcd:$ETCD_TAG" \
  "coredns.coredns--$COREDNS_TAG registry.k8s.io/coredns/coredns:$COREDNS_TAG" \
  "pause--$PAUSE_TAG registry.k8s.io/pause:$PAUSE_TAG"; do
  set -- $pair
  r=$(ref_of "$1") || { log "no $1 in $OCI"; exit 1; }
  rm -f "$tmp/img.tar"
  skopeo copy -q "oci:$OCI:$r" "docker-archive:$tmp/img.tar:$2"
  ctr images import --no-unpack --digests "$tmp/img.tar" >/dev/null
  log "  $2 <- $r"
done
ctr images ls -q >&2
kill $cpid; wait $cpid 2>/dev/null || true
trap 'rm -rf "$tmp"' EXIT

log "docker import $IMAGE (then a FROM-only build for STOPSIGNAL and labels, which import cannot set)"
tar -C "$ROOT" --numeric-owner -c . | docker import \
  -c 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' -c 'ENV container=docker' - "$IMAGE-rootfs" >&2
printf '%s\n' "FROM $IMAGE-rootfs" 'STOPSIGNAL SIGRTMIN+3' \
  "LABEL org.opencontainers.image.title=\"local stand-in for kindest/node:$K8S_VERSION\" io.x-k8s.kind.stand-in-for=\"kindest/node:$K8S_VERSION\" io.x-k8s.kind.base=\"debian bookworm debootstrap + kind $KIND_VERSION images/base/files\"" |
  DOCKER_BUILDKIT=0 docker build -q -t "$IMAGE" - >&2
docker rmi "$IMAGE-rootfs" >/dev/null
docker image ls "$IMAGE" >&2
log "done in $((SECONDS - t0))s"
