# Shared definitions for scripts/images/*.sh (sourced, not executed).
#
# Every container image the tutorial suite pulls is a local stand-in built
# here and served by a local registry on 127.0.0.1:5000; containerd mirrors
# docker.io, registry.k8s.io and us-docker.pkg.dev to it, so repository paths are
#   docker.io/<ns>/<name>        -> <ns>/<name>   (library/nginx, fluent/fluentd)
#   docker.io/<name>             -> library/<name> (library/redis)
#   registry.k8s.io/<path>       -> <path>        (kube-apiserver, coredns/coredns)
#   us-docker.pkg.dev/<path>     -> <path>        (google-samples/containers/gke/gb-frontend)

images_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$images_dir/../.." && pwd)
# Versions and the cache/state roots are owned by the cluster scripts.
# shellcheck source=../cluster/versions.sh
source "$repo_root/scripts/cluster/versions.sh"

: "${IMAGES_REGISTRY:=127.0.0.1:5000}"
IMAGES_REGISTRY_URL="http://$IMAGES_REGISTRY"
# Debian suite the stand-ins are built from (the mirror comes from apt's config).
: "${IMAGES_SUITE:=bookworm}"
IMAGES_CACHE="$TUTORIAL_E2E_CACHE/images"
OCI_LAYOUT="$IMAGES_CACHE/oci"
export IMAGES_SUITE

# Tutorial images: every `image:` the tutorial sources name, except the
# placeholders (my-server, my-fluentd) that name no real image.
NGINX_TAGS=(latest 1.12 1.15 1.16 1.17 1.20 1.21)
DEBIAN_TAGS=(stretch stable)
FLUENTD_TAGS=(v1.11)

# The Exercise (the Kubernetes Guestbook): Redis leader and followers and the
# PHP frontend, under the names its manifests use.
GB_SAMPLES=google-samples/containers/gke
REDIS_TAG=6.0.5
GB_FOLLOWER_TAG=v2
GB_FRONTEND_TAG=v5

# registry.k8s.io/etcd tags carry a "-N" image revision after the etcd version.
etcd_image_tag() { local v=${ETCD_VERSION#v}; echo "$v-0"; }
# kubeadm 1.36's default pause tag; see pause_tags in build.sh for the others.
: "${PAUSE_TAG:=3.10.2}"

# Lines "<group> <registry-repo> <tag> <upstream name>" for every image.
tutorial_images() {
  local t
  for t in "${NGINX_TAGS[@]}"; do echo "tutorial library/nginx $t docker.io/library/nginx:$t"; done
  for t in "${DEBIAN_TAGS[@]}"; do echo "tutorial library/debian $t docker.io/library/debian:$t"; done
  for t in "${FLUENTD_TAGS[@]}"; do echo "tutorial fluent/fluentd $t docker.io/fluent/fluentd:$t"; done
}
exercise_images() {
  echo "exercise library/redis $REDIS_TAG docker.io/redis:$REDIS_TAG"
  echo "exercise $GB_SAMPLES/gb-redis-follower $GB_FOLLOWER_TAG us-docker.pkg.dev/$GB_SAMPLES/gb-redis-follower:$GB_FOLLOWER_TAG"
  echo "exercise $GB_SAMPLES/gb-frontend $GB_FRONTEND_TAG us-docker.pkg.dev/$GB_SAMPLES/gb-frontend:$GB_FRONTEND_TAG"
}
cluster_images() {
  local c t
  for c in kube-apiserver kube-controller-manager kube-scheduler kube-proxy; do
    echo "cluster $c $K8S_VERSION registry.k8s.io/$c:$K8S_VERSION"
  done
  t=$(etcd_image_tag); echo "cluster etcd $t registry.k8s.io/etcd:$t"
  echo "cluster coredns/coredns $COREDNS_VERSION registry.k8s.io/coredns/coredns:$COREDNS_VERSION"
  for t in $(pause_tags); do echo "cluster pause $t registry.k8s.io/pause:$t"; done
}

# Pause tags: kubeadm's default (PAUSE_TAG), plus whatever the built kubeadm
# and containerd binaries ask for by default, when they are already built.
pause_tags() {
  local tags=("$PAUSE_TAG") b t
  b="$TUTORIAL_E2E_CACHE/bin/kubernetes-$K8S_VERSION/kubeadm"
  if [[ -x $b && -f ${b%/*}/.done ]]; then
    t=$("$b" config images list --kubernetes-version "$K8S_VERSION" 2>/dev/null | sed -n 's#^registry.k8s.io/pause:##p' | head -1)
    [[ -n $t ]] && tags+=("$t")
  fi
  b="$TUTORIAL_E2E_CACHE/bin/containerd-$CONTAINERD_VERSION/containerd"
  if [[ -x $b && -f ${b%/*}/.done ]]; then
    t=$("$b" config default 2>/dev/null | sed -n "s#.*registry.k8s.io/pause:\([0-9.]*\)['\"].*#\1#p" | head -1)
    [[ -n $t ]] && tags+=("$t")
  fi
  printf '%s\n' "${tags[@]}" | awk '!seen[$0]++'
}

all_images() {
  case ${1:-all} in
    tutorial) tutorial_images ;;
    exercise) exercise_images ;;
    cluster) cluster_images ;;
    all) tutorial_images; exercise_images; cluster_images ;;
    *) echo "unknown image group '$1' (tutorial|exercise|cluster|all)" >&2; return 2 ;;
  esac
}

# Digest the registry holds for repo:tag (empty if absent; never fails).
registry_digest() {
  { curl -fsS --max-time 5 -o /dev/null -D - \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "$IMAGES_REGISTRY_URL/v2/$1/manifests/$2" 2>/dev/null |
    awk 'tolower($1)=="docker-content-digest:" {print $2}' | tr -d '\r'; } || true
}

registry_up() { curl -fsS --max-time 2 -o /dev/null "$IMAGES_REGISTRY_URL/v2/" 2>/dev/null; }
