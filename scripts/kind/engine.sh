#!/usr/bin/env bash
# A container engine for kind on this machine: Debian's dockerd (package docker.io, with its
# containerd, runc and tini), unpacked into the build cache rather than installed, and started by
# hand with its own roots, isolated from everything past the machine.
#
#   engine.sh install        apt-get download + dpkg-deb -x docker.io containerd runc tini into
#                            $TUTORIAL_E2E_CACHE/kind/engine-<docker.io version>/ (+ .done), installs
#                            the missing host tools/libraries; prints the engine dir
#   engine.sh up             isolation (iptables mangle TKE-ISOLATE), dockerd, the "kind" network on
#                            tke-br0 (10.230.0.0/24), a read-only docker-registry on 10.230.0.1:5000
#                            serving $TUTORIAL_E2E_CACHE/registry, a dnsmasq on 10.230.0.253:53 that
#                            answers NXDOMAIN to everything; prints DOCKER_HOST=unix://...
#   engine.sh down [--purge] removes all of it (keeps the data-root, built node images, unless --purge)
#   engine.sh status         exit 0 when dockerd answers
#   engine.sh env            prints `export DOCKER_HOST=...` (and a PATH with a docker CLI if none is on PATH)
#
# Everything runs as root. See scripts/kind/README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR/../cluster source=versions.sh
source "$here/../cluster/versions.sh"
# shellcheck source-path=SCRIPTDIR/../images source=registry-daemon.sh
source "$here/../images/registry-daemon.sh"

STATE=$TUTORIAL_E2E_STATE/kind-engine       # socket, pidfiles, exec-root, logs
DATA=$TUTORIAL_E2E_CACHE/kind/docker-data    # dockerd's data-root: images (node images) persist here
SOCK=$STATE/d.sock
BRIDGE=tke-br0
SUBNET=10.230.0.0/24                          # not 10.217-10.219 (the local cluster's, scripts/cluster/lib.sh)
GATEWAY=10.230.0.1
POOL=10.230.128.0/17                          # for any other network dockerd is asked to make
CHAIN=TKE-ISOLATE
COMMENT="tutorial-e2e kind engine: nodes stay on this machine"
CGROUP_PARENT=/tutorial-e2e-kind
# Upstream DNS for containers (dockerd --dns, behind docker's embedded DNS in each container): a
# dnsmasq that answers NXDOMAIN for every name and forwards nothing, on a second address of the
# bridge, outside the range containers get (--ip-range). Not the gateway: kind's entrypoint points a
# node's resolv.conf at the gateway and DNATs gateway:53 back to docker's embedded DNS, whose
# upstream queries would then loop to itself. Not "nothing listening": dockerd 20.10's embedded DNS
# does not answer at all when its upstream refuses, so each lookup took 10-20 s to fail.
DNS=10.230.0.253
IP_RANGE=10.230.0.0/25
REGISTRY_ADDR=$GATEWAY:5000
REGISTRY_STORAGE=$TUTORIAL_E2E_CACHE/registry
PKGS=(docker.io containerd runc tini)
# What dockerd 20.10 and its containerd 1.6 may create outside their roots.
OUTSIDE=(/etc/docker/key.json /etc/docker /run/docker /run/containerd /opt/containerd /var/lib/docker /var/run/docker.sock)

log() { printf '[kind-engine %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[kind-engine] error: %s\n' "$*" >&2; exit 1; }
[[ $(id -u) == 0 ]] || die "run as root"

# --- install ----------------------------------------------------------------------------------
engine_version() { apt-cache policy docker.io 2>/dev/null | awk '/Candidate:/ {print $2}'; }

engine_dir() { # the newest extracted engine, else nothing
  local d
  d=$(find "$TUTORIAL_E2E_CACHE/kind" -maxdepth 1 -name 'engine-*' -type d 2>/dev/null | sort -V | tail -1)
  [[ -n $d && -f $d/.done ]] && echo "$d"
}

apt_install() { # packages not installed yet, quietly
  local missing=() p
  for p in "$@"; do dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
    { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; }
}

install() {
  local start=$SECONDS ver dir tmp
  # Host tools the scripts use: jq + capsh (runc-dropcaps.sh), iptables, debootstrap + skopeo
  # (node-image.sh), docker-registry (the bridge registry), dnsmasq-base (the no-answer DNS).
  apt_install jq libcap2-bin iptables iproute2 debootstrap skopeo docker-registry dnsmasq-base
  ver=$(engine_version)
  if [[ -z $ver || $ver == "(none)" ]]; then apt-get update -qq >&2; ver=$(engine_version); fi
  [[ -n $ver && $ver != "(none)" ]] || die "apt knows no docker.io package"
  dir=$TUTORIAL_E2E_CACHE/kind/engine-$ver
  if [[ ! -f $dir/.done ]]; then
    log "apt-get download ${PKGS[*]} (docker.io $ver) -> $dir"
    tmp=$(mktemp -d "$TUTORIAL_E2E_CACHE/kind/.download.XXXXXX" 2>/dev/null || { mkdir -p "$TUTORIAL_E2E_CACHE/kind"; mktemp -d "$TUTORIAL_E2E_CACHE/kind/.download.XXXXXX"; })
    chmod 755 "$tmp" # apt's _apt user downloads into it
    (cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root "${PKGS[@]}" >&2 2>&1) || { rm -rf "$tmp"; die "apt-get download ${PKGS[*]} failed"; }
    rm -rf "$dir.tmp"; mkdir -p "$dir.tmp"
    local deb
    for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$dir.tmp"; basename "$deb" >>"$dir.tmp/packages.txt"; done
    rm -rf "$tmp" "$dir"
    mv "$dir.tmp" "$dir"
    touch "$dir/.done"
  fi
  # Shared libraries the extracted binaries need (all but libc on this machine come with systemd/lvm2).
  local libs pkgs=() l
  libs=$(for b in "$dir"/usr/sbin/dockerd "$dir"/usr/bin/containerd "$dir"/usr/sbin/runc "$dir"/usr/bin/docker; do ldd "$b" 2>/dev/null; done |
    awk '/not found/ {print $1}' | sort -u)
  for l in $libs; do
    case $l in
      libdevmapper.so.*) pkgs+=(libdevmapper1.02.1) ;;
      libsystemd.so.*) pkgs+=(libsystemd0) ;;
      libseccomp.so.*) pkgs+=(libseccomp2) ;;
      libcap.so.*) pkgs+=(libcap2) ;;
      *) die "$l (needed by the engine's binaries) is missing and not mapped to a package" ;;
    esac
  done
  ((${#pkgs[@]} == 0)) || apt_install "${pkgs[@]}"
  log "engine $(basename "$dir") ready in $((SECONDS - start))s"
  echo "$dir"
}

# --- helpers ----------------------------------------------------------------------------------
ENGINE=$(engine_dir || true)
docker_() { "${ENGINE:?engine.sh install first}/usr/bin/docker" -H "unix://$SOCK" "$@"; }

pid_of() { # pidfile cmdline-pattern: the live PID whose command line matches, else fail
  local pid
  [[ -f $1 ]] || return 1
  pid=$(<"$1")
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$2" || return 1
  echo "$pid"
}
dockerd_pid() { pid_of "$STATE/dockerd.pid" "--host unix://$SOCK"; }
registry_pid() { pid_of "$STATE/registry.pid" "docker-registry serve $STATE/registry.yml"; }
dns_pid() { pid_of "$STATE/dns.pid" "dnsmasq --keep-in-foreground --conf-file=/dev/null --pid-file=$STATE/dns.pid"; }
answers() { [[ -S $SOCK && -n $ENGINE ]] && docker_ version >/dev/null 2>&1; }

poll() { # seconds command...: runs the command until it succeeds (0) or the time runs out (1)
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

alive() { # pid: running (a zombie, waiting for whoever adopted it to reap it, is not)
  [[ -r /proc/$1/stat ]] && [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) != Z ]]
}

stop_pid() { # pid name
  local pid=$1 deadline=$((SECONDS + 30))
  kill -TERM "$pid" 2>/dev/null || return 0
  while alive "$pid"; do
    if ((SECONDS >= deadline)); then log "$2 ($pid) still alive after 30s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; sleep 0.5; return 0; fi
    sleep 0.2
  done
}

# iptables-nft makes a table on first use and leaves it, empty, when the chains go: note the tables
# that did not exist before, for unisolate to delete when no rule is left in them.
TABLES=("ip mangle" "ip6 mangle" "ip filter" "ip6 filter")
note_tables() {
  command -v nft >/dev/null || return 0
  local t
  for t in "${TABLES[@]}"; do
    # shellcheck disable=SC2086 # family and name
    nft list table $t >/dev/null 2>&1 || echo "$t" >>"$STATE/created-tables.txt"
  done
}
drop_tables() {
  [[ -f $STATE/created-tables.txt ]] && command -v nft >/dev/null || return 0
  local t
  sort -u "$STATE/created-tables.txt" | while read -r t; do
    # shellcheck disable=SC2086 # family and name
    if nft -a list table $t 2>/dev/null | grep -E '# handle [0-9]+$' | grep -qvE '^\s*(table|chain) '; then
      log "table $t has rules (someone else uses it): kept"
    else
      nft delete table $t 2>/dev/null || true
    fi
  done
  rm -f "$STATE/created-tables.txt"
}

isolate() {
  local ipt
  note_tables
  for ipt in iptables ip6tables; do
    "$ipt" -w -t mangle -N "$CHAIN" 2>/dev/null || "$ipt" -w -t mangle -F "$CHAIN"
    "$ipt" -w -t mangle -C FORWARD -m comment --comment "$COMMENT" -j "$CHAIN" 2>/dev/null ||
      "$ipt" -w -t mangle -I FORWARD 1 -m comment --comment "$COMMENT" -j "$CHAIN"
    "$ipt" -w -t filter -N "$CHAIN" 2>/dev/null || "$ipt" -w -t filter -F "$CHAIN"
    "$ipt" -w -t filter -C INPUT -i "$BRIDGE" -m comment --comment "$COMMENT" -j "$CHAIN" 2>/dev/null ||
      "$ipt" -w -t filter -I INPUT 1 -i "$BRIDGE" -m comment --comment "$COMMENT" -j "$CHAIN"
  done
  # Forwarding: bridged traffic between nodes (in and out of $BRIDGE) passes; nothing is routed
  # in or out of the bridge.
  iptables -w -t mangle -A "$CHAIN" -i "$BRIDGE" ! -o "$BRIDGE" -j DROP
  iptables -w -t mangle -A "$CHAIN" ! -i "$BRIDGE" -o "$BRIDGE" -j DROP
  ip6tables -w -t mangle -A "$CHAIN" -i "$BRIDGE" -j DROP
  ip6tables -w -t mangle -A "$CHAIN" -o "$BRIDGE" -j DROP
  # The host itself, from the bridge: only the registry and the DNS, and replies to what the host
  # opened (kubectl through docker-proxy, NodePorts); anything else the host listens on (on all
  # addresses) is refused to the nodes.
  iptables -w -t filter -A "$CHAIN" -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  iptables -w -t filter -A "$CHAIN" -d "$GATEWAY" -p tcp --dport 5000 -j ACCEPT
  iptables -w -t filter -A "$CHAIN" -d "$DNS" -p udp --dport 53 -j ACCEPT
  iptables -w -t filter -A "$CHAIN" -d "$DNS" -p tcp --dport 53 -j ACCEPT
  iptables -w -t filter -A "$CHAIN" -p icmp -j ACCEPT
  iptables -w -t filter -A "$CHAIN" -j REJECT
  ip6tables -w -t filter -A "$CHAIN" -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  ip6tables -w -t filter -A "$CHAIN" -p ipv6-icmp -j ACCEPT
  ip6tables -w -t filter -A "$CHAIN" -j REJECT
}

unisolate() {
  local ipt
  for ipt in iptables ip6tables; do
    while "$ipt" -w -t mangle -D FORWARD -m comment --comment "$COMMENT" -j "$CHAIN" 2>/dev/null; do :; done
    "$ipt" -w -t mangle -F "$CHAIN" 2>/dev/null || true
    "$ipt" -w -t mangle -X "$CHAIN" 2>/dev/null || true
    while "$ipt" -w -t filter -D INPUT -i "$BRIDGE" -m comment --comment "$COMMENT" -j "$CHAIN" 2>/dev/null; do :; done
    "$ipt" -w -t filter -F "$CHAIN" 2>/dev/null || true
    "$ipt" -w -t filter -X "$CHAIN" 2>/dev/null || true
  done
  drop_tables
}

prepare_state() { # the state dir; notes whether up made $TUTORIAL_E2E_STATE too, for down
  [[ -d $STATE ]] && return 0
  local made_root=0
  [[ -d $TUTORIAL_E2E_STATE ]] || made_root=1
  mkdir -p "$STATE"
  ((made_root == 0)) || echo "$TUTORIAL_E2E_STATE" >>"$STATE/created-outside.txt"
}

# --- up ---------------------------------------------------------------------------------------
start_dockerd() {
  local pid
  if pid=$(dockerd_pid); then
    poll 60 answers || die "dockerd ($pid) runs but does not answer on $SOCK (log: $STATE/dockerd.log)"
    return 0
  fi
  if [[ -e $STATE/exec ]]; then
    # An engine that was killed, not brought down: its leftovers (container processes, shims,
    # mounts) would hang the new containerd's start. Clean up as down does, keeping the data-root.
    log "the engine's last run was not brought down: cleaning up first"
    down
    prepare_state
    isolate
  fi
  mkdir -p "$STATE/exec" "$DATA"
  rm -f "$SOCK" "$STATE/dockerd.pid"
  # Note what dockerd will create outside its roots, for down to remove.
  local p
  for p in "${OUTSIDE[@]}"; do [[ -e $p ]] || echo "$p" >>"$STATE/created-outside.txt"; done
  log "starting dockerd $(basename "$ENGINE") (socket $SOCK, data-root $DATA, log $STATE/dockerd.log)"
  # Own session, no inherited descriptors, PATH with the engine's containerd, docker-init,
  # docker-proxy and runc first. The wrapper runtime drops capabilities the host lacks.
  # Every container gets a cgroup namespace of its own (kind asks for one; minikube does not, and
  # dockerd 20.10 on cgroup v1 defaults to the host's): a node's systemd and kubelet in the host's
  # cgroup namespace made /kubepods at the host's roots, and v1 hierarchies of controllers the host
  # keeps in its unified hierarchy (hugetlb, net_cls/net_prio, perf_event) that outlived the node.
  (
    for fd in "/proc/$BASHPID/fd"/*; do
      fd=${fd##*/}
      ((fd > 2)) && eval "exec $fd>&-" 2>/dev/null
    done
    export PATH="$ENGINE/usr/sbin:$ENGINE/usr/bin:$PATH" TKE_RUNC="$ENGINE/usr/sbin/runc"
    exec setsid "$ENGINE/usr/sbin/dockerd" \
      --host "unix://$SOCK" --pidfile "$STATE/dockerd.pid" --exec-root "$STATE/exec" --data-root "$DATA" \
      --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false --bridge=none \
      --default-address-pool "base=$POOL,size=24" --dns "$DNS" \
      --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent "$CGROUP_PARENT" --default-cgroupns-mode private \
      --storage-driver overlay2 \
      --add-runtime "tke-runc=$here/runc-dropcaps.sh" --default-runtime tke-runc \
      --userland-proxy=true --userland-proxy-path "$ENGINE/usr/sbin/docker-proxy" \
      --log-level warn >>"$STATE/dockerd.log" 2>&1 </dev/null
  ) &
  local started=$!
  local deadline=$((SECONDS + 60))
  until answers; do
    kill -0 "$started" 2>/dev/null || { tail -20 "$STATE/dockerd.log" >&2; die "dockerd exited during start-up (log: $STATE/dockerd.log)"; }
    ((SECONDS < deadline)) || die "dockerd did not answer on $SOCK within 60s (log: $STATE/dockerd.log)"
    sleep 0.2
  done
  dockerd_pid >/dev/null || die "dockerd answers but its pidfile $STATE/dockerd.pid does not name it"
  # A fresh dockerd has no containers of its own: any in the data-root are those of an engine that
  # was killed before its down (kind nodes whose processes down killed); remove them.
  local ids
  ids=$(docker_ ps -aq)
  if [[ -n $ids ]]; then
    log "removing containers left in the data-root by an engine that was not brought down: $(echo "$ids" | tr '\n' ' ')"
    # shellcheck disable=SC2086 # one id a word
    docker_ rm -f -v $ids >/dev/null
  fi
}

kind_network() {
  if docker_ network inspect kind >/dev/null 2>&1; then
    [[ $(docker_ network inspect kind -f '{{index .Options "com.docker.network.bridge.name"}}') == "$BRIDGE" ]] ||
      die "a docker network named kind exists but not on $BRIDGE"
    return 0
  fi
  # kind reuses an existing network named "kind". No masquerade: nothing leaves the machine.
  docker_ network create -d bridge --subnet "$SUBNET" --ip-range "$IP_RANGE" --gateway "$GATEWAY" \
    -o com.docker.network.bridge.name="$BRIDGE" -o com.docker.network.bridge.enable_ip_masquerade=false \
    -o com.docker.network.driver.mtu=1400 kind >/dev/null
}

registry_up() { curl -fs --max-time 2 -o /dev/null "http://$REGISTRY_ADDR/v2/"; }

start_registry() {
  local pid
  if pid=$(registry_pid); then
    poll 15 registry_up || die "the bridge registry ($pid) does not answer on $REGISTRY_ADDR (log: $STATE/registry.log)"
    return 0
  fi
  command -v docker-registry >/dev/null || die "docker-registry is not installed (engine.sh install)"
  [[ -d $REGISTRY_STORAGE/docker ]] || log "note: $REGISTRY_STORAGE has no images yet (scripts/images/build.sh fills it)"
  mkdir -p "$REGISTRY_STORAGE"
  cat >"$STATE/registry.yml" <<CFG
# Written by scripts/kind/engine.sh: the suite's images for kind nodes, read-only, on the kind bridge only.
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $REGISTRY_STORAGE
  maintenance:
    readonly:
      enabled: true
    uploadpurging:
      enabled: false
  cache:
    blobdescriptor: inmemory
http:
  addr: $REGISTRY_ADDR
  secret: $(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
CFG
  registry_daemon_start "$STATE/registry.yml" "$STATE/registry.log" "$STATE/registry.pid" || die "docker-registry did not start (log: $STATE/registry.log)"
  pid=$(<"$STATE/registry.pid")
  local deadline=$((SECONDS + 15))
  until registry_up; do
    kill -0 "$pid" 2>/dev/null || { tail -20 "$STATE/registry.log" >&2; rm -f "$STATE/registry.pid"; die "docker-registry exited during start-up"; }
    ((SECONDS < deadline)) || die "docker-registry did not answer on $REGISTRY_ADDR within 15s (log: $STATE/registry.log)"
    sleep 0.2
  done
}

start_dns() {
  ip addr replace "$DNS/32" dev "$BRIDGE" # goes with the bridge
  if dns_pid >/dev/null; then return 0; fi
  command -v dnsmasq >/dev/null || die "dnsmasq is not installed (engine.sh install)"
  # No upstream (--no-resolv), no hosts file, no DHCP; every name is NXDOMAIN (--address=/#/).
  (
    for fd in "/proc/$BASHPID/fd"/*; do
      fd=${fd##*/}
      ((fd > 2)) && eval "exec $fd>&-" 2>/dev/null
    done
    exec setsid dnsmasq --keep-in-foreground --conf-file=/dev/null --pid-file="$STATE/dns.pid" \
      --no-resolv --no-hosts --no-poll --bind-interfaces --listen-address="$DNS" --port=53 \
      --address=/#/ --user=nobody --group=nogroup --log-facility="$STATE/dns.log" >>"$STATE/dns.log" 2>&1 </dev/null
  ) &
  local deadline=$((SECONDS + 10))
  until dns_pid >/dev/null && ss -Hlnu "src $DNS:53" | grep -q .; do
    ((SECONDS < deadline)) || { tail -5 "$STATE/dns.log" >&2; die "dnsmasq did not listen on $DNS:53 within 10s (log: $STATE/dns.log)"; }
    sleep 0.2
  done
}

up() {
  local start=$SECONDS
  [[ -n $ENGINE ]] || die "no engine in $TUTORIAL_E2E_CACHE/kind (run engine.sh install)"
  { command -v capsh && command -v jq; } >/dev/null || die "capsh and jq are needed (engine.sh install)"
  prepare_state
  isolate # before any container can exist
  start_dockerd
  kind_network
  start_dns
  start_registry
  local p
  for p in "${OUTSIDE[@]}"; do
    grep -qxF "$p" "$STATE/created-outside.txt" 2>/dev/null && [[ -e $p ]] && log "created outside its roots: $p (down removes it)"
  done
  log "up in $((SECONDS - start))s: dockerd $(docker_ version -f '{{.Server.Version}}'), network kind on $BRIDGE $SUBNET, registry http://$REGISTRY_ADDR (read-only)"
  echo "DOCKER_HOST=unix://$SOCK"
}

# --- down -------------------------------------------------------------------------------------
down() {
  local purge=0 pid
  [[ ${1:-} == --purge ]] && purge=1
  if answers; then
    local ids
    ids=$(docker_ ps -aq)
    # shellcheck disable=SC2086 # one id a word
    [[ -z $ids ]] || docker_ rm -f -v $ids >/dev/null
    docker_ network rm kind >/dev/null 2>&1 || true
    docker_ volume prune -f >/dev/null 2>&1 || true
  fi
  if pid=$(registry_pid); then log "stopping the bridge registry ($pid)"; stop_pid "$pid" docker-registry; fi
  rm -f "$STATE/registry.pid"
  if pid=$(dns_pid); then log "stopping dnsmasq ($pid)"; stop_pid "$pid" dnsmasq; fi
  rm -f "$STATE/dns.pid"
  if pid=$(dockerd_pid); then log "stopping dockerd ($pid)"; stop_pid "$pid" dockerd; fi
  rm -f "$STATE/dockerd.pid" "$SOCK"
  # What a killed dockerd left behind: the processes of its containers (in the cgroups under
  # $CGROUP_PARENT, which only this engine uses), then its containerd and shims (command lines
  # naming our exec-root).
  local procs p deadline=$((SECONDS + 20))
  while procs=$(find /sys/fs/cgroup/*/"${CGROUP_PARENT#/}" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u) && [[ -n $procs ]]; do
    ((SECONDS < deadline)) || { log "processes still in $CGROUP_PARENT after 20s: $(echo "$procs" | tr '\n' ' ')"; break; }
    log "killing the leftover container processes $(echo "$procs" | tr '\n' ' ')"
    # shellcheck disable=SC2086 # one PID a word
    kill -KILL $procs 2>/dev/null || true
    sleep 0.5
  done
  for p in $(pgrep -f "containerd.*$STATE/exec" 2>/dev/null || true); do
    tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF "$STATE/exec/" && { log "stopping leftover $(cat "/proc/$p/comm" 2>/dev/null) $p"; stop_pid "$p" containerd; }
  done
  # Mounts under the state dir and the data-root, deepest first.
  local m
  awk -v s="$STATE" -v d="$DATA" '{ if (index($5, s "/") == 1 || $5 == s || index($5, d "/") == 1 || $5 == d) print length($5), $5 }' /proc/self/mountinfo |
    sort -rn | cut -d' ' -f2- | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
  ip link del "$BRIDGE" 2>/dev/null || true
  # veths of containers dockerd could not clean (killed halfway) go with their netns.
  unisolate
  local h d
  for h in /sys/fs/cgroup/*/; do
    d="$h${CGROUP_PARENT#/}"
    [[ -d $d && ! -L ${h%/} ]] || continue
    find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
    [[ -d $d ]] && log "cgroup $d is not empty (processes left in it?)"
  done
  local made_root=0
  grep -qxF "$TUTORIAL_E2E_STATE" "$STATE/created-outside.txt" 2>/dev/null && made_root=1
  if [[ -f $STATE/created-outside.txt ]]; then
    sort -u "$STATE/created-outside.txt" | while read -r p; do
      case $p in
        /etc/docker/key.json | /var/run/docker.sock) rm -f "$p" ;;
        /run/docker) rm -rf --one-file-system "$p" ;;
        # shared with other containerds (the local cluster's shims use /run/containerd/s): empty dirs only
        /etc/docker | /run/containerd | /opt/containerd | /var/lib/docker) [[ -d $p ]] && find "$p" -depth -type d -empty -delete 2>/dev/null ;;
      esac
    done
    rm -f "$STATE/created-outside.txt"
  fi
  rm -rf --one-file-system "$STATE"
  ((made_root == 0)) || rmdir "$TUTORIAL_E2E_STATE" 2>/dev/null || true # made by up, and empty
  if ((purge)); then
    log "purging $DATA"
    rm -rf --one-file-system "$DATA"
  fi
  log "down"
}

case ${1:-} in
  install) install ;;
  up) up ;;
  down) shift; down "$@" ;;
  status) answers ;;
  env)
    echo "export DOCKER_HOST=unix://$SOCK"
    command -v docker >/dev/null || [[ -z $ENGINE ]] || echo "export PATH=$ENGINE/usr/bin:\$PATH"
    ;;
  *) echo "usage: $0 install|up|down [--purge]|status|env" >&2; exit 2 ;;
esac
