# Sourced by scripts/images/registry.sh (the local registry) and scripts/kind/engine.sh (the kind
# engine's read-only registry on its bridge): how a docker-registry daemon is started.

# Starts `docker-registry serve CONFIG` in a session of its own (it outlives the caller's shell and
# job control), with none of the caller's descriptors (a build lock inherited by the daemon would be
# held forever) and no REGISTRY_* variable (docker-registry reads each as a config override), output
# appended to LOGFILE. Writes its PID to PIDFILE, found by its exact command line: setsid forks when
# it starts as a process group leader (a caller with job control), so `$!` may be setsid's own.
# Fails when no such process shows up within 15 s.
registry_daemon_start() { # config logfile pidfile
  local config=$1 logfile=$2 pidfile=$3 unset_env=() v pid deadline=$((SECONDS + 15))
  for v in $(compgen -e); do [[ $v == REGISTRY_* ]] && unset_env+=(-u "$v"); done
  (
    for fd in "/proc/$BASHPID/fd"/*; do
      fd=${fd##*/}
      ((fd > 2)) && eval "exec $fd>&-" 2>/dev/null
    done
    exec setsid env "${unset_env[@]}" docker-registry serve "$config" >>"$logfile" 2>&1 </dev/null
  ) &
  until pid=$(pgrep -n -f -x "docker-registry serve $config"); do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
  echo "$pid" >"$pidfile"
}
