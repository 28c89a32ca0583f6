#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the tests and for trying `kodeklar slurm`:
#   eval "$(scripts/local-slurm.sh up)"   # installs, starts, waits until the node is idle
#   scripts/local-slurm.sh status   # exit status 0 when it takes jobs
#   scripts/local-slurm.sh down     # stops the daemons by pid; state and logs are kept
# Everything (config, munge key and socket, state, logs, pids) lies in one folder of its own,
# so nothing under /etc is changed and a system Slurm, if any, is left alone; clients find
# the cluster through SLURM_CONF, which `up` prints as an export line on stdout.
set -eEuo pipefail

DIR=${KODEKLAR_SLURM_DIR:-/tmp/kodeklar-slurm}
CONF=$DIR/slurm.conf
export SLURM_CONF=$CONF
NODE=$(hostname -s)
DAEMONS=(munged slurmctld slurmd)

fail() { echo "local-slurm: error: $*" >&2; exit 1; }
trap 'fail "\"$BASH_COMMAND\" failed (logs in $DIR/log)"' ERR

# Whether process $1 is daemon $2 and not a zombie (killed daemons are reparented to init,
# which in a container may never reap them); the name is checked so a stale pid file that
# now names some other process is never acted on.
alive() { [[ $(ps -o stat=,comm= -p "$1" 2>/dev/null) =~ ^[^Z][^[:space:]]*[[:space:]]+$2$ ]]; }

# Prints the pid of a running daemon.
running() {
    local pid
    pid=$(cat "$DIR/run/$1.pid" 2>/dev/null) && alive "$pid" "$1" && echo "$pid"
}

install() {
    command -v munged >/dev/null && command -v slurmctld >/dev/null && command -v slurmd >/dev/null \
        && command -v sbatch >/dev/null && return
    [[ $(id -u) == 0 ]] || fail "slurm-wlm and munge are not installed (apt-get install slurm-wlm munge, as root)"
    echo "local-slurm: installing slurm-wlm and munge" >&2
    mkdir -p "$DIR/log"
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        -o DPkg::Lock::Timeout=300 slurm-wlm munge; } >"$DIR/log/apt.log" 2>&1 \
        || fail "apt-get could not install slurm-wlm and munge (see $DIR/log/apt.log)"
}

write_conf() {
    local node
    # slurmd -C reports this machine's CPUs, sockets, cores and memory exactly as slurmd will
    # check them at registration, so the node is not drained for a mismatch.
    node=$(slurmd -C 2>/dev/null | head -1 | grep '^NodeName=') \
        || node="NodeName=$NODE CPUs=$(nproc) RealMemory=$(free -m | awk '/^Mem:/ {print $2}')"
    cat >"$CONF.new" <<EOF
ClusterName=kodeklar-local
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$DIR/run/munge.socket
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
    # A changed config (another machine's, an older script's) only takes effect on a restart.
    if ! cmp -s "$CONF.new" "$CONF"; then
        stop
        mv "$CONF.new" "$CONF"
    else
        rm "$CONF.new"
    fi
}

start() {
    mkdir -p "$DIR"/{run,state,spool,log}
    chmod 755 "$DIR"  # the munge socket must be reachable; the key itself is 0600
    if [[ ! -s $DIR/munge.key ]]; then
        (umask 077 && dd if=/dev/urandom of="$DIR/munge.key" bs=1024 count=1 status=none)
    fi
    launch munged --force --key-file="$DIR/munge.key" --socket="$DIR/run/munge.socket" \
        --pid-file="$DIR/run/munged.pid" --log-file="$DIR/log/munged.log" \
        --seed-file="$DIR/state/munged.seed"
    launch slurmctld -f "$CONF"
    launch slurmd -f "$CONF"
}

# Starts daemon $1 (the command with its options) unless it runs; a stale pid file is removed
# first, so a pid file that names no live daemon later means the new one has died.
launch() {
    running "$1" >/dev/null && return
    rm -f "$DIR/run/$1.pid"
    "$@" || fail "$1 did not start (see $DIR/log/$1.log)"
}

# The daemons fork before they bind their ports, so a failure shows only as a dead daemon.
check_alive() {
    local name
    for name in "${DAEMONS[@]}"; do
        [[ ! -e $DIR/run/$name.pid ]] || running "$name" >/dev/null \
            || fail "$name stopped: $(grep -h -E 'fatal|Error|error' "$DIR/log/$name.log" 2>/dev/null | tail -1 || true)"
    done
}

# Asks slurmctld only when it runs: without it sinfo retries, and without a config file it
# looks the controller up in DNS for a minute.
node_state() {
    running slurmctld >/dev/null || return 0
    sinfo -h -N -n "$NODE" -o %T 2>/dev/null || true
}

wait_idle() {
    local state
    for _ in $(seq 60); do
        check_alive
        state=$(node_state)
        case $state in
            idle|mixed|allocated) return ;;
            # left down or drained by a crash: the daemons are fresh, so put it back
            down*|drain*|fail*) scontrol update NodeName="$NODE" State=RESUME 2>/dev/null || true ;;
        esac
        sleep 0.5
    done
    fail "node $NODE is not idle after 30 s (state: ${state:-no answer}; logs in $DIR/log)"
}

stop() {
    local name pid
    # slurmd first, munged last: the Slurm daemons need munge to shut down cleanly.
    for name in slurmd slurmctld munged; do
        pid=$(running "$name") || continue
        kill "$pid" || continue
        for _ in $(seq 50); do alive "$pid" "$name" || break; sleep 0.2; done
        ! alive "$pid" "$name" || kill -9 "$pid"
    done
}

# Exits 0 when the cluster takes jobs, 3 when not (as an init script's status does).
status() {
    local name pid state up=0
    for name in "${DAEMONS[@]}"; do
        if pid=$(running "$name"); then echo "$name: running (pid $pid)"; else echo "$name: stopped"; up=3; fi
    done
    state=$(node_state)
    echo "node $NODE: ${state:-no answer}"
    [[ $state =~ ^(idle|mixed|allocated)$ ]] || up=3
    echo "export SLURM_CONF=$CONF"
    return $up
}

case ${1:-} in
    up)
        install
        mkdir -p "$DIR"
        write_conf
        start
        wait_idle
        echo "local-slurm: node $NODE idle; state and logs in $DIR" >&2
        echo "export SLURM_CONF=$CONF"
        ;;
    down) stop ;;
    status) status || exit 3 ;;
    *) fail "usage: $0 up|down|status" ;;
esac
