#!/usr/bin/env bash
# A private single-node Slurm (munged, slurmctld, slurmd) for tests, with no systemd:
#
#   scripts/slurm-lab.sh start DIR   # start the daemons under DIR, wait until the node is IDLE
#   scripts/slurm-lab.sh stop DIR    # stop them by their recorded PIDs (SIGTERM, then wait)
#
# `start` writes DIR/env with the two lines a client needs:
#   SLURM_CONF=DIR/etc/slurm.conf      (scontrol, sinfo and the agent read it)
#   INFERTOP_SLURM_NODE=<node>         (the node's name: this host's short name)
# Everything the daemons write stays under DIR (state, spool, logs, their own munge key and
# socket); they run as root, talk over 127.0.0.1 only, and use no cgroups.
#
# Settings (environment): SLURMCTLD_PORT (default 6817), SLURMD_PORT (6818), SLURM_LAB_TIMEOUT
# (seconds to wait for IDLE, default 60). Install the packages with ./scripts/install-deps.sh.
set -euo pipefail

usage() { echo "usage: $0 start DIR | stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
dir=$2
case "$action" in start | stop) ;; *) usage ;; esac
case "$dir" in
    /*) ;;
    *) dir="$PWD/$dir" ;;
esac
case "$dir" in
    *[[:space:]\'\"\\]*) echo "slurm-lab: DIR must not hold spaces, quotes or backslashes (Slurm's config cannot quote them): $dir" >&2; exit 2 ;;
esac

ctld_port=${SLURMCTLD_PORT:-6817}
slurmd_port=${SLURMD_PORT:-6818}
timeout=${SLURM_LAB_TIMEOUT:-60}
daemons=(slurmd slurmctld munged)   # the order they stop in (the reverse of the start)

log() { echo "slurm-lab: $*"; }

# The PID recorded for a daemon, if that process still runs and is that daemon.
live_pid() {
    local name=$1 pid
    [ -f "$dir/pids/$name" ] || return 1
    pid=$(cat "$dir/pids/$name")
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    # A PID can be reused after a reboot or a crash: check that it is our daemon, started for DIR.
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$name.*$dir" || return 1
    echo "$pid"
}

# Whether a daemon this run just started still runs. Its PID is our own child's, so it cannot have
# been reused; its /proc cmdline is not checked, because for a moment after `setsid NAME &` it is
# still the forked shell's (the exec has not happened yet), which live_pid would read as "exited".
started_alive() {
    local pid
    pid=$(cat "$dir/pids/$1" 2>/dev/null) || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# Children of a PID (slurmctld forks slurmscriptd), read from /proc/*/stat.
children_of() {
    local parent=$1 stat
    for stat in /proc/[0-9]*/stat; do
        # Field 4 is the parent PID; the command (field 2) may hold spaces, so cut after ") ".
        { read -r line <"$stat"; } 2>/dev/null || continue
        rest=${line##*) }
        set -- $rest
        [ "${2:-}" = "$parent" ] && { p=${stat#/proc/}; echo "${p%/stat}"; }
    done
    return 0
}

# SIGTERM, then wait up to 20 s for the exit; SIGKILL only for one that ignores it.
stop_one() {
    local name=$1 pid=$2
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || { log "$name (pid $pid) stopped"; return 0; }
        sleep 0.2
    done
    log "$name (pid $pid) did not stop 20 s after SIGTERM: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    return 1
}

stop_all() {
    local name pid kids status=0 any=0
    for name in "${daemons[@]}"; do
        if pid=$(live_pid "$name"); then
            any=1
            kids=""
            [ "$name" = slurmctld ] && kids=$(children_of "$pid")
            stop_one "$name" "$pid" || status=1
            for kid in $kids; do   # slurmscriptd exits with slurmctld; never leave one behind
                kill -0 "$kid" 2>/dev/null && { log "slurmctld's child $kid still runs: SIGKILL"; kill -KILL "$kid" 2>/dev/null || true; }
            done
        fi
        rm -f "$dir/pids/$name"
    done
    [ "$any" -eq 1 ] || log "no daemon of ours runs under $dir"
    return "$status"
}

# The last lines of each daemon's log file and of its stdout and stderr (a fatal error before
# the log file opens goes only to the latter).
tails() {
    local name f
    for name in munged slurmctld slurmd; do
        for f in "$dir/log/$name.log" "$dir/log/$name.out"; do
            [ -s "$f" ] || continue
            echo "--- last lines of $f" >&2
            tail -n 20 "$f" >&2
        done
    done
}

# Stops what did start, shows why the rest did not, exits 1.
fail_start() {
    echo "slurm-lab: FAILED to start under $dir: $*" >&2
    tails
    stop_all >&2 || true
    exit 1
}

if [ "$action" = stop ]; then
    [ -d "$dir" ] || { log "$dir does not exist: nothing to stop"; exit 0; }
    stop_all
    exit $?
fi

# ---- start ----------------------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || { echo "slurm-lab: run as root (the private slurmctld and slurmd run as root)" >&2; exit 1; }
missing=""
for b in munged mungekey munge unmunge slurmctld slurmd scontrol; do
    command -v "$b" >/dev/null 2>&1 || missing="$missing $b"
done
[ -z "$missing" ] || { echo "slurm-lab: not installed:$missing. Run ./scripts/install-deps.sh (it installs munge and Slurm from Debian)" >&2; exit 1; }
for name in "${daemons[@]}"; do
    if pid=$(live_pid "$name"); then
        echo "slurm-lab: $name (pid $pid) already runs under $dir: stop it first ($0 stop $dir)" >&2
        exit 1
    fi
done
for port in "$ctld_port" "$slurmd_port"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "slurm-lab: port $port on 127.0.0.1 is taken (another Slurm?); set SLURMCTLD_PORT and SLURMD_PORT" >&2
        exit 1
    fi
done

# A fresh lab: only the folders this script owns are emptied.
mkdir -p "$dir"
for sub in etc state spool log run pids munge-run munge-etc munge-lib; do
    rm -rf "${dir:?}/$sub"
    mkdir -p "$dir/$sub"
done
rm -f "$dir/env"
# munged refuses a socket whose folders are not executable by all; its key stays private.
chmod 755 "$dir" "$dir/munge-run"
chmod 700 "$dir/munge-etc" "$dir/munge-lib"

# slurmctld starts only where SlurmctldHost is this host's short name, and slurmd finds its
# NodeName by it; every address is pinned to 127.0.0.1, so the name never has to resolve.
node=$(hostname -s 2>/dev/null || uname -n)
node=${node%%.*}
# The CPU layout slurmd sees (a node configured with more than the host has is INVALID); a small
# RealMemory for the same reason.
hw=$(slurmd -C 2>/dev/null | head -n 1 | sed -e 's/^NodeName=[^ ]* //' -e 's/ RealMemory=[0-9]*//' -e 's/ UpTime=.*//') || true
case "$hw" in *CPUs=*) ;; *) hw="CPUs=1" ;; esac
conf="$dir/etc/slurm.conf"
cat >"$conf" <<EOF
# A private single-node Slurm for infertop's tests, written by scripts/slurm-lab.sh.
ClusterName=infertop-lab
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge-run/munge.sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
NodeName=$node NodeHostname=$node NodeAddr=127.0.0.1 $hw RealMemory=100 State=UNKNOWN
PartitionName=lab Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$conf

# Each daemon runs in the foreground of its own session (setsid), backgrounded here, so its PID
# is known and it outlives this script; stdin and stdout are not the caller's pipes.
mungekey -c -k "$dir/munge-etc/munge.key" >"$dir/log/mungekey.out" 2>&1 || fail_start "mungekey could not make a key"
chmod 400 "$dir/munge-etc/munge.key"
setsid munged -F --socket="$dir/munge-run/munge.sock" --key-file="$dir/munge-etc/munge.key" \
    --pid-file="$dir/munge-run/munged.pid" --seed-file="$dir/munge-lib/munged.seed" \
    --log-file="$dir/log/munged.log" </dev/null >"$dir/log/munged.out" 2>&1 &
echo $! >"$dir/pids/munged"
for _ in $(seq 1 100); do [ -S "$dir/munge-run/munge.sock" ] && break; sleep 0.1; done
started_alive munged || fail_start "munged exited"
munge -S "$dir/munge-run/munge.sock" -n 2>>"$dir/log/munged.out" | unmunge -S "$dir/munge-run/munge.sock" >/dev/null 2>>"$dir/log/munged.out" \
    || fail_start "munge could not encode and decode a credential with the private munged"

setsid slurmctld -D -c -f "$conf" </dev/null >"$dir/log/slurmctld.out" 2>&1 &
echo $! >"$dir/pids/slurmctld"
up=0
for _ in $(seq 1 $((timeout * 5))); do
    started_alive slurmctld || fail_start "slurmctld exited"
    if scontrol ping 2>/dev/null | grep -q UP; then up=1; break; fi
    sleep 0.2
done
[ "$up" -eq 1 ] || fail_start "slurmctld does not answer scontrol ping after ${timeout}s: $(scontrol ping 2>&1 | head -n 1)"

setsid slurmd -D -f "$conf" </dev/null >"$dir/log/slurmd.out" 2>&1 &
echo $! >"$dir/pids/slurmd"

# The node's State field (IDLE, IDLE+DRAIN, ...) from the one-line form.
state=""
for _ in $(seq 1 $((timeout * 5))); do
    state=$(scontrol show node "$node" -o 2>/dev/null | grep -o ' State=[^ ]*' | cut -d= -f2) || true
    [ "$state" = IDLE ] && break
    started_alive slurmd || fail_start "slurmd exited"
    started_alive slurmctld || fail_start "slurmctld exited"
    sleep 0.2
done
[ "$state" = IDLE ] || fail_start "node $node is State=${state:-unknown}, not IDLE, after ${timeout}s"

printf 'SLURM_CONF=%s\nINFERTOP_SLURM_NODE=%s\n' "$conf" "$node" >"$dir/env"
log "node $node IDLE (slurmctld on 127.0.0.1:$ctld_port, slurmd on :$slurmd_port)"
log "for clients: $(tr '\n' ' ' <"$dir/env")(also in $dir/env)"
