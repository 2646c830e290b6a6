# Sourced by the lab scripts: where the lab's state lives and how it is named.
LAB=${LAB:-/var/lib/tutorial-e2e-kind-lab}
LAB_SOCK=$LAB/docker.sock
export DOCKER_HOST=unix://$LAB_SOCK
LAB_BRIDGE=tkl-br0            # the "kind" docker network's bridge
LAB_SUBNET=10.230.0.0/24      # clashes with none of the project's 10.217/16 (node), 10.218/16 (pods), 10.219/16 (services: scripts/cluster/lib.sh), nor 192.0.2/24
LAB_POOL=10.230.128.0/17      # docker's default address pool (default bridge is off)
LAB_CHAIN=TKL-ISOLATE         # mangle FORWARD jump: nothing in or out of $LAB_BRIDGE is forwarded
LAB_CGROUP_PARENT=/tkl-docker # dockerd's cgroup parent (cgroupfs), removed by down.sh
