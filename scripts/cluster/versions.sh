# Pinned versions of everything the local cluster is built from.
# Sourced by the cluster scripts; each may be overridden from the environment
# (the nightly matrix sets K8S_VERSION).
#
# Kubernetes 1.36 is the default: it is the newest minor whose containerd
# support matrix lists containerd 2.3, and it still runs on cgroup v1 hosts
# with `failCgroupV1: false`. 1.34, 1.35 and 1.37 build with the same recipe.

: "${K8S_VERSION:=v1.36.3}"
# The version matrix (npm run matrix): the newest patch of each minor the Go
# module proxy serves, as of this pin.
: "${K8S_MATRIX_VERSIONS:=v1.34.4 v1.35.4 v1.36.3 v1.37.2}"
# kubeadm of 1.34-1.37 defaults to etcd 3.6.x; the tag is rewritten to the one kubeadm asks for.
: "${ETCD_VERSION:=v3.6.16}"
: "${CONTAINERD_VERSION:=v2.3.7}"
: "${RUNC_VERSION:=v1.4.4}"
: "${COREDNS_VERSION:=v1.14.7}"
: "${CNI_PLUGINS_VERSION:=v1.9.1}"
: "${CRICTL_VERSION:=v1.37.0}"
# kind (scripts/kind/install.sh; the kind provider and the GitHub-hosted workflows).
: "${KIND_VERSION:=v0.33.0}"
# minikube (scripts/minikube/install.sh; the minikube provider). v1.38.1 is the newest
# tag the Go module proxy serves here (v1.39.0 is refused); its newest known Kubernetes
# is v1.35.1, so the newer pins start with --force (helpers/providers/minikube.ts).
: "${MINIKUBE_VERSION:=v1.38.1}"
# The storage-provisioner tag minikube's Makefile builds in (STORAGE_PROVISIONER_TAG).
: "${MINIKUBE_STORAGE_PROVISIONER_TAG:=v5}"
# actionlint (scripts/ci/actionlint.sh: the workflows' static check, part of npm run lint).
: "${ACTIONLINT_VERSION:=v1.7.12}"

# Expensive builds are cached outside the repository, keyed by component and version.
: "${TUTORIAL_E2E_CACHE:=/var/cache/tutorial-e2e}"
# Everything the running cluster owns lives under here (state, logs, pids, configs).
: "${TUTORIAL_E2E_STATE:=/var/lib/tutorial-e2e}"

export K8S_VERSION K8S_MATRIX_VERSIONS ETCD_VERSION CONTAINERD_VERSION RUNC_VERSION COREDNS_VERSION \
  CNI_PLUGINS_VERSION CRICTL_VERSION KIND_VERSION MINIKUBE_VERSION MINIKUBE_STORAGE_PROVISIONER_TAG ACTIONLINT_VERSION TUTORIAL_E2E_CACHE TUTORIAL_E2E_STATE
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
