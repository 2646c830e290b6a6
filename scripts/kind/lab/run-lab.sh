#!/usr/bin/env bash
# The whole lab, timed: dockerd up, node image build (cold unless the rootfs/image exist), `kind create
# cluster` (NODES=1 or 3), bridge CNI, node(s) Ready, an nginx Pod (image from the umoci layout via
# `kind load image-archive`) Running and answering on its NodePort. Leaves the cluster up; clean-lab.sh removes all.
# CNI=manual (default): kind-config.yaml's disableDefaultCNI, then node-bridge-cni.sh from the host;
# CNI=builtin: without disableDefaultCNI: kind applies the image's default-cni.yaml and lab-cni.service does it.
# Usage: NODES=1|3 CNI=manual|builtin run-lab.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
source "$here/../../cluster/versions.sh"
NODES=${NODES:-1}
CNI=${CNI:-manual}
NAME=${NAME:-tkl}
IMAGE=tutorial-e2e/kind-node:$K8S_VERSION
KIND=$TUTORIAL_E2E_CACHE/bin/kind-$KIND_VERSION/kind
[[ -x $KIND ]] || KIND=$(bash "$here/../install.sh")
export KUBECONFIG=$LAB/kind/kubeconfig KUBECTL=$TUTORIAL_E2E_CACHE/bin/kubernetes-$K8S_VERSION/kubectl
k() { "$KUBECTL" "$@"; }
t() { local s=$SECONDS; "$@"; echo "TIMING $* : $((SECONDS - s))s" >&2; }
mkdir -p "$LAB/kind"
cp "$here/kind-config.yaml" "$LAB/kind/config.yaml"
# NODES=3: two workers after the control plane.
python3 - "$LAB/kind/config.yaml" "$NODES" "$CNI" <<'PY'
import sys
p, n = sys.argv[1], int(sys.argv[2])
s = open(p).read()
if sys.argv[3] == "builtin":
    s = s.replace("  disableDefaultCNI: true\n", "")
if n == 3:
    s = s.replace("- role: control-plane\n", "- role: control-plane\n- role: worker\n- role: worker\n")
open(p, "w").write(s)
PY
t bash "$here/docker-up.sh"
docker image inspect "$IMAGE" >/dev/null 2>&1 || t bash "$here/build-node-image.sh" "$IMAGE"
t "$KIND" create cluster --name "$NAME" --image "$IMAGE" --config "$LAB/kind/config.yaml" --kubeconfig "$KUBECONFIG" --wait 0s
if [[ $CNI == manual ]]; then t bash "$here/node-bridge-cni.sh" "$NAME"; fi
t k wait --for=condition=Ready nodes --all --timeout=180s
t k -n kube-system wait --for=condition=Available deploy/coredns --timeout=180s
oci=$TUTORIAL_E2E_CACHE/images/oci
ref=$(jq -r '.manifests[].annotations["org.opencontainers.image.ref.name"]' "$oci/index.json" | grep -m1 '^library.nginx--1.21--')
rm -f /tmp/kindlab-nginx.tar
skopeo copy -q "oci:$oci:$ref" docker-archive:/tmp/kindlab-nginx.tar:docker.io/library/nginx:1.21
t "$KIND" load image-archive /tmp/kindlab-nginx.tar --name "$NAME"
rm -f /tmp/kindlab-nginx.tar
k create deployment web --image=docker.io/library/nginx:1.21 --replicas="$NODES" --port 80
k patch deployment web --type=json -p '[{"op":"add","path":"/spec/template/spec/containers/0/imagePullPolicy","value":"Never"}]'
k expose deployment web --port 80 --type NodePort
t k rollout status deployment/web --timeout=180s
k get nodes -o wide; k get pods -A -o wide
port=$(k get svc web -o jsonpath='{.spec.ports[0].nodePort}')
for ip in $(k get nodes -o jsonpath='{.items[*].status.addresses[?(@.type=="InternalIP")].address}'); do
  for i in $(seq 20); do # kube-proxy may not have programmed the new endpoint yet
    code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://$ip:$port/") && [[ $code == 200 ]] && break
    sleep 0.5
  done
  echo "host -> $ip:$port $code (try $i)"
done
