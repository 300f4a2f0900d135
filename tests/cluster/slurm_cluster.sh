# A one-node Slurm cluster on this machine, for the cluster tests: munged, slurmctld and slurmd
# configured in a temporary folder, on free ports, as the current user. Source it, then call
#   slurm_cluster_start DIR    (exports SLURM_CONF; the daemons' logs are in DIR)
#   slurm_cluster_stop         (stops the daemons it started, by their process ids)
# Needs Debian's slurm-wlm and munge (slurm_cluster_install installs them when missing).

slurm_cluster_install()
{
    local missing=() package
    for package in slurm-wlm munge; do
        if [[ $(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true) != installed ]]; then
            missing+=("$package")
        fi
    done
    ((${#missing[@]} == 0)) && return 0
    echo "cluster: installing ${missing[*]}" >&2
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        sudo=(sudo -n)
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 \
        && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

# A TCP port nobody listens on now.
free_port()
{
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

SLURM_CLUSTER_PIDS=()

slurm_cluster_stop()
{
    local pid
    for pid in "${SLURM_CLUSTER_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${SLURM_CLUSTER_PIDS[@]}"; do
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    done
    SLURM_CLUSTER_PIDS=()
}

slurm_cluster_start()
{
    local dir=$1
    local user node cpus
    user=$(id -un)
    node=$(hostname -s)
    cpus=$(nproc)
    mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
    chmod 700 "$dir/munge"

    # munged refuses keys others can read.
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
    chmod 400 "$dir/munge/munge.key"
    munged --foreground --force --socket="$dir/munge/socket" --key-file="$dir/munge/munge.key" \
        --pid-file="$dir/munge/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/seed" \
        > /dev/null 2>&1 &
    SLURM_CLUSTER_PIDS+=($!)
    for _ in $(seq 50); do
        [[ -S $dir/munge/socket ]] && break
        sleep 0.1
    done
    [[ -S $dir/munge/socket ]] || { echo "cluster: munged did not start:" >&2; cat "$dir/munged.log" >&2; return 1; }

    cat > "$dir/slurm.conf" <<CONF
ClusterName=capsimtest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/affinity
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/builtin
# Pending jobs (the merge step, waiting on the shards) are tested every second, not every minute.
SchedulerParameters=sched_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MaxArraySize=1001
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=capsim Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
    export SLURM_CONF=$dir/slurm.conf
    slurmctld -D -i -f "$SLURM_CONF" > "$dir/slurmctld.out" 2>&1 &
    SLURM_CLUSTER_PIDS+=($!)
    slurmd -D -N "$node" -f "$SLURM_CONF" > "$dir/slurmd.out" 2>&1 &
    SLURM_CLUSTER_PIDS+=($!)
    # Up when the node is idle.
    local state=""
    for _ in $(seq 150); do
        state=$(sinfo -h -N -o '%T' 2>/dev/null | head -1 || true)
        [[ $state == idle ]] && return 0
        sleep 0.2
    done
    echo "cluster: the node did not become idle (state '$state')" >&2
    tail -n 20 "$dir"/slurmctld.log "$dir"/slurmd.log "$dir"/slurmctld.out "$dir"/slurmd.out >&2 2>/dev/null
    return 1
}
