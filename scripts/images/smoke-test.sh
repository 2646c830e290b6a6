#!/usr/bin/env bash
# Runs stand-in images once for real, without a cluster: pulls them back from
# the local registry, unpacks them with umoci and runs them with runc in a new
# network namespace that has only loopback (no traffic leaves the machine).
#   1. nginx:<tag>: GET / returns the welcome page with X-Stand-In-Tag: <tag>,
#      /50x.html exists, and the request shows up on the container's stdout.
#   2. debian:stable as a "bastion" in the same netns: the tutorial's
#      `apt update && apt install -y curl` succeeds offline, curl reaches nginx.
#   3. the tutorial's shared-volume pod: nginx writes real log files into a
#      directory that fluent/fluentd:v1.11 has mounted read-only; the fluentd
#      stand-in prints the request line.
#   4. (--cluster) each cluster image in the registry runs its binary's
#      --version; kube-proxy's has iptables (nft and legacy), ip6tables,
#      conntrack and nft.
#   5. (--exercise) the Guestbook: redis:6.0.5 as the leader on 6379 (its own
#      Cmd), gb-redis-follower:v2's /run.sh with GET_HOSTS_FROM=env on 6380
#      replicating from it, and gb-frontend:v5 writing through the leader and
#      reading through the follower; HTTP 500 naming the Redis that is down;
#      `killall apache2` in the frontend ends its container.
# Everything it creates (bundles, netns, runc containers) is removed on exit.
#
# Usage: scripts/images/smoke-test.sh [--cluster] [--exercise] [nginx-tag]   (default 1.21; needs runc)
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"

cluster=0 exercise=0 tag=1.21
for a in "$@"; do
  case $a in
    --cluster) cluster=1 ;;
    --exercise) exercise=1 ;;
    -*) echo "usage: $0 [--cluster] [--exercise] [nginx-tag]" >&2; exit 2 ;;
    *) tag=$a ;;
  esac
done
log() { printf '[smoke %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
fail() { printf '[smoke] FAIL: %s\n' "$*" >&2; exit 1; }
for t in runc umoci skopeo jq curl ip; do
  command -v "$t" >/dev/null || fail "$t is not installed (scripts/images/install-deps.sh --with-smoke)"
done
registry_up || fail "registry not running (scripts/images/registry.sh start)"

id="tutorial-e2e-smoke-$$"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/$id.XXXX")
runc_root="$tmp/runc"
netns="$id"
containers=()
cleanup() {
  local c
  for c in "${containers[@]}"; do
    runc --root "$runc_root" kill "$c" KILL >/dev/null 2>&1 || true
    runc --root "$runc_root" delete --force "$c" >/dev/null 2>&1 || true
  done
  ip netns del "$netns" 2>/dev/null || true
  rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$netns"
ip -n "$netns" link set lo up

containerd_caps='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW","CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE"]'
# bundle <name> <repo:tag>: pulls from the registry and unpacks with umoci.
bundle() {
  local name=$1 image=$2 b="$tmp/$1"
  skopeo copy -q --src-tls-verify=false "docker://$IMAGES_REGISTRY/$image" "oci:$tmp/layout:$name"
  umoci unpack --image "$tmp/layout:$name" "$b" >/dev/null
  # Capabilities as containerd gives a pod's container by default (umoci's
  # default set lacks CAP_SETUID/SETGID, which nginx needs to drop to its
  # worker user); a non-root user gets them only in the bounding set. This VM
  # cannot set a negative oom_score_adj, and CAP_SYS_RESOURCE is not in the
  # bounding set: neither is used. Join the loopback-only netns.
  jq --arg ns "/var/run/netns/$netns" --argjson caps "$containerd_caps" '
    del(.process.oomScoreAdj)
    | .process.terminal = false
    | ($caps | map(select(. != "CAP_SYS_RESOURCE"))) as $c
    | .process.capabilities = {bounding: $c, effective: $c, permitted: $c}
    | if .process.user.uid != 0 then .process.capabilities.effective = [] | .process.capabilities.permitted = [] else . end
    | .linux.namespaces = ([.linux.namespaces[] | select(.type != "network")] + [{type: "network", path: $ns}])
    ' "$b/config.json" >"$b/config.json.new"
  mv "$b/config.json.new" "$b/config.json"
}
# edit_config <name> <jq filter> [jq options...]: rewrites the bundle's config.json
edit_config() {
  local b="$tmp/$1" filter=$2
  shift 2
  jq "$@" "$filter" "$b/config.json" >"$b/config.json.new"
  mv "$b/config.json.new" "$b/config.json"
}
# A JSON array of the arguments (no newlines inside one).
json_array() { printf '%s\n' "$@" | jq -R . | jq -s .; }
# add_mount <name> <host dir> <container dir> <rw|ro>
add_mount() {
  # shellcheck disable=SC2016 # $dst, $src, $mode are jq's variables
  edit_config "$1" '.mounts += [{destination: $dst, type: "bind", source: $src, options: ["rbind", $mode]}]' \
    --arg src "$2" --arg dst "$3" --arg mode "$4"
}
# add_env <name> NAME=value...
add_env() {
  local name=$1
  shift
  # shellcheck disable=SC2016 # jq's variable
  edit_config "$name" '.process.env += $e' --argjson e "$(json_array "$@")"
}
# set_args <name> args...
set_args() {
  local name=$1
  shift
  # shellcheck disable=SC2016 # jq's variable
  edit_config "$name" '.process.args = $a' --argjson a "$(json_array "$@")"
}
# start <name>: detached; the container's stdout/stderr go to $tmp/<name>.out/.err
start() {
  local c="$id-$1"
  runc --root "$runc_root" run -d --bundle "$tmp/$1" "$c" >"$tmp/$1.out" 2>"$tmp/$1.err" </dev/null
  containers+=("$c")
}
# stop <name> [signal]: the signal (default QUIT, nginx's graceful stop), then
# KILL after 5 s
stop() {
  local c="$id-$1"
  runc --root "$runc_root" kill "$c" "${2:-QUIT}" 2>/dev/null || true
  for _ in $(seq 50); do
    [[ $(runc --root "$runc_root" state "$c" 2>/dev/null | jq -r .status) == running ]] || break
    sleep 0.1
  done
  runc --root "$runc_root" delete --force "$c" >/dev/null 2>&1 || true
}
in_ns() { ip netns exec "$netns" "$@"; }
wait_http() { # [server name]
  for _ in $(seq 50); do
    in_ns curl -fsS -o /dev/null --max-time 1 http://127.0.0.1/ 2>/dev/null && return 0
    sleep 0.2
  done
  cat "$tmp"/*.err >&2 || true
  fail "${1:-nginx} did not answer on 127.0.0.1:80 in the netns"
}

# ---- 1. nginx alone -----------------------------------------------------------
log "nginx:$tag: pulling from $IMAGES_REGISTRY and unpacking"
bundle nginx "library/nginx:$tag"
jq -r '"  user \(.process.user.uid):\(.process.user.gid), args \(.process.args | join(" ")), env \([.process.env[] | select(startswith("NGINX_"))] | join(","))"' "$tmp/nginx/config.json"
start nginx
wait_http
headers=$(in_ns curl -sS -D - -o "$tmp/body.html" http://127.0.0.1/)
printf '%s\n' "$headers" | sed -n '1p;/^X-Stand-In-Tag/Ip;/^Server/Ip' | sed 's/^/  /'
grep -q '^HTTP/1.1 200' <<<"$headers" || fail "GET / did not return 200"
grep -qi "^X-Stand-In-Tag: $tag"$'\r'"\?$" <<<"$headers" || fail "no 'X-Stand-In-Tag: $tag' header"
grep -q '<title>Welcome to nginx!</title>' "$tmp/body.html" || fail "title is not 'Welcome to nginx!'"
grep -q '<h1>Welcome to nginx!</h1>' "$tmp/body.html" || fail "h1 is not 'Welcome to nginx!'"
in_ns curl -fsS -o /dev/null http://127.0.0.1/50x.html || fail "/50x.html is not served"
code=$(in_ns curl -sS -o /dev/null -w '%{http_code}' http://127.0.0.1/no-such-page)
[[ $code == 404 ]] || fail "missing page gave $code, want 404"
in_ns curl -sS -o /dev/null -A tutorial-e2e-smoke http://127.0.0.1/index.html
sleep 0.3
grep -q '"GET /index.html HTTP/1.1" 200 .*tutorial-e2e-smoke' "$tmp/nginx.out" || { cat "$tmp/nginx.out" "$tmp/nginx.err" >&2; fail "request not on the container's stdout"; }
log "nginx:$tag: welcome page, X-Stand-In-Tag: $tag, /50x.html, 404, access log on stdout: ok"
sed 's/^/  stdout: /' "$tmp/nginx.out" | tail -2
pids=$(runc --root "$runc_root" ps --format json "$id-nginx" | jq -r 'join(",")')
procs=$(ps -o uid=,args= -p "$pids" || true)
printf '%s\n' "$procs" | sed 's/^ */  uid /'
nginx_uid=$(awk -F: '$1 == "nginx" {print $3}' "$tmp/nginx/rootfs/etc/passwd")
worker_uid=$(awk '/nginx: worker process/ {print $1; exit}' <<<"$procs")
[[ -n $nginx_uid && $worker_uid == "$nginx_uid" ]] || fail "nginx workers run as uid '${worker_uid:-?}', want the image's nginx user (uid ${nginx_uid:-?})"
log "nginx workers run as the image's nginx user (uid $nginx_uid)"
runc --root "$runc_root" exec "$id-nginx" sh -c 'command -v bash curl ls rm cat >/dev/null && ls -l /var/log/nginx/' | sed 's/^/  /'

# ---- 2. debian bastion ------------------------------------------------------
log "debian:stable: curl from a second container in the same netns (like bastion)"
bundle bastion "library/debian:stable"
set_args bastion bash -c 'apt update -qq 2>/dev/null && apt install -y -qq curl 2>/dev/null && curl -sS -i http://127.0.0.1/ | head -1; ip -br addr show lo; cat /etc/debian_version'
runc --root "$runc_root" run --bundle "$tmp/bastion" "$id-bastion" >"$tmp/bastion.out" 2>&1 </dev/null || { cat "$tmp/bastion.out" >&2; fail "debian container failed"; }
containers+=("$id-bastion")
sed 's/^/  /' "$tmp/bastion.out"
grep -q 'curl is already the newest version' "$tmp/bastion.out" || fail "the tutorial's 'apt update && apt install -y curl' did not succeed offline"
grep -q '^HTTP/1.1 200' "$tmp/bastion.out" || fail "bastion could not reach nginx"
stop nginx

# ---- 3. nginx + fluentd sharing a log directory ----------------------------
log "nginx:$tag + fluent/fluentd:v1.11 sharing /var/log/nginx (fluentd read-only)"
logs="$tmp/nginx-log"
mkdir -m 0777 "$logs"
rm -rf "$tmp/nginx"
bundle nginx "library/nginx:$tag"
add_mount nginx "$logs" /var/log/nginx rw
bundle fluentd "fluent/fluentd:v1.11"
add_mount fluentd "$logs" /var/log/nginx ro
start fluentd
start nginx
wait_http
in_ns curl -sS -o /dev/null -A tutorial-e2e-volume http://127.0.0.1/
for _ in $(seq 30); do grep -q tutorial-e2e-volume "$tmp/fluentd.out" && break; sleep 0.2; done
[[ -f $logs/access.log && ! -L $logs/access.log ]] || fail "nginx did not write a real access.log into the shared volume"
grep -q tutorial-e2e-volume "$logs/access.log" || fail "request not in the shared access.log"
grep -q tutorial-e2e-volume "$tmp/fluentd.out" || { cat "$tmp/fluentd.out" "$tmp/fluentd.err" >&2; fail "fluentd stand-in did not print the request"; }
if runc --root "$runc_root" exec "$id-fluentd" touch /var/log/nginx/x 2>/dev/null; then fail "fluentd could write to its read-only mount"; fi
grep -E 'stand-in|==>|tutorial-e2e-volume' "$tmp/fluentd.out" | sed 's/^/  fluentd: /'
t0=$(date +%s%N)
runc --root "$runc_root" kill "$id-fluentd" TERM
for _ in $(seq 50); do
  [[ $(runc --root "$runc_root" state "$id-fluentd" 2>/dev/null | jq -r .status) == running ]] || break
  sleep 0.1
done
[[ $(runc --root "$runc_root" state "$id-fluentd" 2>/dev/null | jq -r .status) != running ]] || fail "fluentd stand-in ignored SIGTERM"
log "fluentd stand-in exits on SIGTERM in $((($(date +%s%N) - t0) / 1000000)) ms"
stop nginx

# ---- 4. cluster images ------------------------------------------------------
# run_once <name> <repo:tag> args...: runs to completion, output in $tmp/<name>.out
run_once() {
  local name=$1 image=$2; shift 2
  bundle "$name" "$image"
  set_args "$name" "$@"
  containers+=("$id-$name")
  runc --root "$runc_root" run --bundle "$tmp/$name" "$id-$name" >"$tmp/$name.out" 2>&1 </dev/null ||
    { cat "$tmp/$name.out" >&2; fail "$image: '$*' failed"; }
  sed "s/^/  $name: /" "$tmp/$name.out" | head -6
}
if ((cluster)); then
  while read -r _ repo ctag upstream; do
    if [[ -z $(registry_digest "$repo" "$ctag") ]]; then log "$repo:$ctag not in the registry; skipped"; continue; fi
    log "$upstream"
    n=${repo##*/}
    case $repo in
      kube-proxy) run_once "$n" "$repo:$ctag" sh -c 'kube-proxy --version && iptables -V && iptables-legacy -V && ip6tables -V && conntrack --version && nft --version && update-alternatives --query iptables | grep -E "^(Value|Alternative)"' ;;
      etcd) run_once "$n" "$repo:$ctag" etcd --version ;;
      coredns/coredns) run_once "$n" "$repo:$ctag" /coredns -version ;;
      pause) run_once "$n" "$repo:$ctag" /pause -v ;;
      *) run_once "$n" "$repo:$ctag" "$n" --version ;;
    esac
  done < <(cluster_images)
fi

# ---- 5. the Guestbook (the Exercise) --------------------------------------------
# The three containers share the netns, so each Redis needs its own port: the
# leader keeps its Cmd (6379), the follower runs its /run.sh with --port 6380
# appended, and the frontend finds them through the Service variables that
# Kubernetes would set (GET_HOSTS_FROM=env, REDIS_*_SERVICE_HOST/_PORT).
container_status() { runc --root "$runc_root" state "$id-$1" 2>/dev/null | jq -r .status; }
rexec() { local c=$1; shift; runc --root "$runc_root" exec "$id-$c" "$@"; }
# wait_for <seconds> <what> command...: retries every 0.2 s
wait_for() {
  local n=$(($1 * 5)) what=$2; shift 2
  for _ in $(seq "$n"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  cat "$tmp"/*.err >&2 || true
  fail "$what"
}
# gb <query>: GET /guestbook.php?<query> in the netns; sets CODE, CTYPE, BODY
gb() {
  local out
  : >"$tmp/gb.body"
  out=$(in_ns curl -sS --max-time 10 -o "$tmp/gb.body" -w '%{http_code} %{content_type}' "http://127.0.0.1/guestbook.php?$1") || true
  CODE=${out%% *} CTYPE=${out#* } BODY=$(<"$tmp/gb.body")
}
if ((exercise)); then
  redis_img="library/redis:$REDIS_TAG"
  follower_img="$GB_SAMPLES/gb-redis-follower:$GB_FOLLOWER_TAG"
  frontend_img="$GB_SAMPLES/gb-frontend:$GB_FRONTEND_TAG"

  log "$redis_img as the Redis leader (its own entrypoint and Cmd)"
  bundle leader "$redis_img"
  jq -r '"  user \(.process.user.uid), cwd \(.process.cwd), args \(.process.args | join(" "))"' "$tmp/leader/config.json"
  start leader
  wait_for 10 "the leader did not answer PING on 6379" rexec leader redis-cli -p 6379 ping
  conf=$(rexec leader redis-cli -p 6379 config get '*' | paste -sd ' ')
  for want in 'protected-mode no' 'port 6379' 'daemonize no' 'dir /data' 'logfile  ' 'bind \* -::\*' 'repl-diskless-sync no'; do
    grep -q " $want" <<<" $conf " || fail "leader's config has no '$want'"
  done
  redis_uid=$(awk -F: '$1 == "redis" {print $3}' "$tmp/leader/rootfs/etc/passwd")
  pid1_uid=$(ps -o uid= -p "$(runc --root "$runc_root" state "$id-leader" | jq -r .pid)" | tr -d ' ')
  [[ -n $redis_uid && $pid1_uid == "$redis_uid" ]] || fail "redis-server runs as uid '$pid1_uid', want the image's redis user (uid ${redis_uid:-?})"
  grep -q 'Ready to accept connections' "$tmp/leader.out" || fail "the leader's log is not on its stdout"
  log "leader: protected-mode no, bind * -::*, dir /data, repl-diskless-sync no, log on stdout, redis-server (PID 1) runs as redis (uid $redis_uid): ok"

  log "$follower_img: /run.sh --port 6380, GET_HOSTS_FROM=env, REDIS_LEADER_SERVICE_HOST=127.0.0.1"
  bundle follower "$follower_img"
  set_args follower docker-entrypoint.sh /run.sh --port 6380
  add_env follower GET_HOSTS_FROM=env REDIS_LEADER_SERVICE_HOST=127.0.0.1
  start follower
  repl_up() { rexec follower redis-cli -p 6380 info replication | grep -q '^master_link_status:up'; }
  wait_for 20 "the follower's link to the leader is not up" repl_up
  rexec follower redis-cli -p 6380 info replication | grep -E '^(role|master_host|master_port|master_link_status):' | tr -d '\r' | sed 's/^/  /'
  pid1_uid=$(ps -o uid= -p "$(runc --root "$runc_root" state "$id-follower" | jq -r .pid)" | tr -d ' ')
  [[ $pid1_uid == "$redis_uid" ]] || fail "the follower's redis-server runs as uid '$pid1_uid', want $redis_uid"
  rexec leader redis-cli -p 6379 set smoke:direct leader-wrote >/dev/null
  wait_for 10 "a key set on the leader did not reach the follower" \
    sh -c "runc --root '$runc_root' exec '$id-follower' redis-cli -p 6380 get smoke:direct | grep -qx leader-wrote"
  log "follower: master_link_status:up, replicates the leader, runs as redis (uid $redis_uid): ok"

  log "$follower_img: /run.sh without GET_HOSTS_FROM (DNS name redis-leader; nothing resolves it here)"
  bundle follower-dns "$follower_img"
  set_args follower-dns docker-entrypoint.sh /run.sh --port 6381
  start follower-dns
  wait_for 10 "the DNS-mode follower did not try MASTER redis-leader:6379" grep -q 'MASTER redis-leader:6379' "$tmp/follower-dns.out"
  grep -m1 'MASTER redis-leader:6379' "$tmp/follower-dns.out" | sed 's/^/  follower-dns: /'
  stop follower-dns TERM

  log "$frontend_img: GET_HOSTS_FROM=env, leader 127.0.0.1:6379, follower 127.0.0.1:6380"
  bundle frontend "$frontend_img"
  add_env frontend GET_HOSTS_FROM=env REDIS_LEADER_SERVICE_HOST=127.0.0.1 REDIS_LEADER_SERVICE_PORT=6379 \
    REDIS_FOLLOWER_SERVICE_HOST=127.0.0.1 REDIS_FOLLOWER_SERVICE_PORT=6380
  jq -r '"  user \(.process.user.uid), cwd \(.process.cwd), args \(.process.args | join(" "))"' "$tmp/frontend/config.json"
  start frontend
  wait_http apache2
  headers=$(in_ns curl -sS -D - -o "$tmp/index.html" -A tutorial-e2e-guestbook http://127.0.0.1/)
  grep -q '^HTTP/1.1 200' <<<"$headers" || fail "GET / did not return 200"
  grep -q '<title>Guestbook</title>' "$tmp/index.html" || fail "GET / is not the Guestbook page"
  [[ $(rexec frontend cat /proc/1/comm) == apache2 ]] || fail "PID 1 of the frontend is not apache2"
  value='hello, "guestbook" & <smoke> é'
  gb "cmd=set&key=smoke&value=$(jq -rn --arg v "$value" '$v | @uri')"
  [[ $CODE == 200 && $BODY == '{"message": "Updated"}' ]] || fail "cmd=set gave $CODE $BODY"
  [[ $CTYPE == application/json* ]] || fail "cmd=set has Content-Type '$CTYPE', want application/json"
  log "  cmd=set -> $CODE $CTYPE $BODY"
  got=
  for _ in $(seq 25); do
    gb "cmd=get&key=smoke"
    [[ $CODE == 200 ]] && got=$(jq -r .data <<<"$BODY") && [[ $got == "$value" ]] && break
    sleep 0.2
  done
  [[ $got == "$value" ]] || fail "cmd=get gave $CODE $BODY, want data '$value'"
  log "  cmd=get -> $CODE $BODY"
  gb "cmd=get&key=no-such-key"
  [[ $CODE == 200 && $BODY == '{"data": ""}' ]] || fail "cmd=get of a missing key gave $CODE $BODY"
  sleep 0.3
  grep -q '"GET / HTTP/1.1" 200 .*tutorial-e2e-guestbook' "$tmp/frontend.out" || { cat "$tmp/frontend.out" "$tmp/frontend.err" >&2; fail "request not on the frontend's stdout"; }
  procs=$(ps -o uid=,args= -p "$(runc --root "$runc_root" ps --format json "$id-frontend" | jq -r 'join(",")')" || true)
  printf '%s\n' "$procs" | sed 's/^ */  uid /' | head -3
  awk '$1 != 0 && /apache2/ {found = 1} END {exit !found}' <<<"$procs" || fail "no apache2 worker runs as a non-root user"
  log "frontend: Guestbook page, set via the leader, get via the follower, JSON, access log on stdout, apache2 is PID 1: ok"

  stop follower TERM
  gb "cmd=get&key=smoke"
  log "  follower stopped: cmd=get -> $CODE $BODY"
  [[ $CODE == 500 && $(jq -r .error <<<"$BODY") == *"follower 127.0.0.1:6380"* ]] || fail "with the follower down, cmd=get gave $CODE $BODY"
  gb "cmd=set&key=smoke&value=still"
  [[ $CODE == 200 ]] || fail "with only the follower down, cmd=set gave $CODE $BODY"
  stop leader TERM
  gb "cmd=set&key=smoke&value=x"
  log "  leader stopped: cmd=set -> $CODE $BODY"
  [[ $CODE == 500 && $(jq -r .error <<<"$BODY") == *"leader 127.0.0.1:6379"* ]] || fail "with the leader down, cmd=set gave $CODE $BODY"

  rexec frontend sh -c 'command -v killall >/dev/null' || fail "no killall (psmisc) in the frontend"
  t0=$(date +%s%N)
  # killall itself may be ended with the container (its PID 1 is gone).
  rexec frontend killall apache2 || true
  for _ in $(seq 100); do [[ $(container_status frontend) == running ]] || break; sleep 0.1; done
  [[ $(container_status frontend) != running ]] || fail "the frontend still runs 10 s after killall apache2"
  log "killall apache2 ended the frontend container in $((($(date +%s%N) - t0) / 1000000)) ms"
fi

log "all smoke checks passed"
