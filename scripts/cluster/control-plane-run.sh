#!/usr/bin/env bash
# control-plane-run.sh <static pod manifest>
#
# Runs one control-plane component (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler) as a host process, with exactly the command line kubeadm wrote
# into its static pod manifest, and restarts it when it exits, as the kubelet
# would restart the static pod.
#
# Why not let the kubelet run the manifests: on a small node the control plane
# is the busiest thing there, and as static pods it lives in the kubelet's
# "burstable" cgroup, whose CPU weight is the sum of the control plane's
# requests (about 850 shares) while every BestEffort pod together gets 2. When
# the API server is busy, a tutorial's BestEffort nginx then waits seconds for
# the CPU, and a 1 s liveness probe (the blog's health-check sample) fails on
# its own: measured here, p99 2.7 s with two busy burstable threads. As host
# processes the control plane competes with the kubepods cgroup as a whole, the
# way a real cluster's control plane (on its own machines) never competes with
# the pods, and the same nginx answered within 30 ms under heavier load.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

manifest=${1:?usage: control-plane-run.sh <static pod manifest>}
[[ -f "$manifest" ]] || die "no manifest at $manifest"

# The manifest's first container: command and args, NUL-separated. Every path
# in them is a hostPath mount at the same path, so they hold on the host too.
mapfile -d '' argv < <(python3 - "$manifest" <<'EOF'
import sys, yaml
pod = yaml.safe_load(open(sys.argv[1]))
c = pod["spec"]["containers"][0]
if c.get("env"):
    sys.exit(f"{sys.argv[1]}: container {c['name']} sets env, which this runner does not carry over")
sys.stdout.write("".join(a + "\0" for a in c.get("command", []) + c.get("args", [])))
EOF
)
[[ ${#argv[@]} -gt 0 ]] || die "$manifest: no command in its first container"
command -v "${argv[0]}" >/dev/null || die "$manifest: ${argv[0]} is not on PATH ($PATH)"

# The same process (its PID is the one up.sh recorded) becomes the supervisor.
exec bash "$here/supervise.sh" "${argv[@]}"
