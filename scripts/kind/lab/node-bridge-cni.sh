#!/usr/bin/env bash
# For a kind cluster made with networking.disableDefaultCNI: true (kindnetd's image is not
# available offline, and kind v0.33.0's module does not carry kindnetd's source): writes a plain
# bridge + host-local CNI config into each node, using the node's spec.podCIDR, and routes in each
# node to the other nodes' podCIDRs via their node IPs (what kindnetd would do; all on the kind bridge).
# Usage: node-bridge-cni.sh <cluster-name>   (KUBECONFIG and DOCKER_HOST set)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
name=${1:-tkl}
kubectl=${KUBECTL:-/var/cache/tutorial-e2e/bin/kubernetes-v1.36.3/kubectl}
for node in $(docker ps --filter "label=io.x-k8s.kind.cluster=$name" --format '{{.Names}}'); do
  cidr=
  for _ in $(seq 120); do # kube-controller-manager assigns it shortly after the node registers
    cidr=$("$kubectl" get node "$node" -o jsonpath='{.spec.podCIDR}' 2>/dev/null) && [[ -n $cidr ]] && break
    sleep 0.5
  done
  [[ -n $cidr ]] || { echo "$node: no podCIDR after 60s" >&2; exit 1; }
  docker exec -i "$node" sh -c 'mkdir -p /etc/cni/net.d && cat >/etc/cni/net.d/10-lab-bridge.conflist' <<JSON
{
  "cniVersion": "1.0.0",
  "name": "lab-bridge",
  "plugins": [
    { "type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": true, "hairpinMode": true,
      "ipam": { "type": "host-local", "ranges": [[{ "subnet": "$cidr" }]], "routes": [{ "dst": "0.0.0.0/0" }] } },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
JSON
  echo "$node: bridge CNI for $cidr"
done
nodes=$(docker ps --filter "label=io.x-k8s.kind.cluster=$name" --format '{{.Names}}')
for node in $nodes; do
  for other in $nodes; do
    [[ $other == "$node" ]] && continue
    cidr=$("$kubectl" get node "$other" -o jsonpath='{.spec.podCIDR}')
    ip=$("$kubectl" get node "$other" -o jsonpath='{.status.addresses[?(@.type=="InternalIP")].address}')
    docker exec "$node" ip route replace "$cidr" via "$ip"
    echo "$node: route $cidr via $ip ($other)"
  done
done
