#!/usr/bin/env bash
# A single-node Slurm cluster on loopback, from Debian's slurm-wlm and munge, for trying the
# sharded-index recipe (and testing it) on one machine. Everything lives in one state folder;
# nothing under /etc is touched. Daemons run as root (needs root) and are stopped by PID.
#
#   scripts/slurm/cluster.sh start    # prints: export SLURM_CONF=<dir>/slurm.conf
#   scripts/slurm/cluster.sh stop
#
# IONSIFT_SLURM_DIR   state folder (default /tmp/ionsift-slurm)
# IONSIFT_SLURM_PORT  slurmctld port; slurmd uses the next one (default 6817)
#
# On a real cluster none of this is needed: the admins run slurmctld/slurmd/munged.
set -euo pipefail
D="${IONSIFT_SLURM_DIR:-/tmp/ionsift-slurm}"
PORT="${IONSIFT_SLURM_PORT:-6817}"
CONF="$D/slurm.conf"

die() { echo "cluster.sh: $*" >&2; exit 1; }

stop_pidfile() {
  local f="$1" pid
  [ -f "$f" ] || return 0
  pid="$(cat "$f" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

stop() {
  stop_pidfile "$D/slurmd.pid"
  stop_pidfile "$D/slurmctld.pid"
  stop_pidfile "$D/munged.pid"
}

start() {
  [ "$(id -u)" = 0 ] || die "needs root (slurmd and munged run as root here)"
  for b in munged mungekey slurmctld slurmd sbatch sinfo; do
    command -v "$b" >/dev/null || die "$b not found: apt-get install slurm-wlm munge"
  done
  stop
  mkdir -p "$D/state" "$D/spool" "$D/munge"
  chmod 0700 "$D/munge"
  [ -f "$D/munge/munge.key" ] || mungekey -c -k "$D/munge/munge.key" >/dev/null
  chmod 0600 "$D/munge/munge.key"
  munged --force --key-file="$D/munge/munge.key" --socket="$D/munge/munge.sock" \
    --pid-file="$D/munged.pid" --log-file="$D/munged.log" --seed-file="$D/munge/munged.seed"

  local host node
  host="$(hostname -s)"
  # The node line as slurmd sees this machine (CPUs, sockets, memory), on loopback.
  node="$(slurmd -C | head -1 | sed -e 's/ *UpTime=.*//')"
  cat > "$CONF" <<CONF
ClusterName=ionsift
SlurmctldHost=${host}(127.0.0.1)
SlurmctldPort=${PORT}
SlurmdPort=$((PORT + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$D/munge/munge.sock
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/slurmctld.log
SlurmdLogFile=$D/slurmd.log
${node} NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=main Nodes=${host} Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$CONF"
  slurmctld -f "$CONF" -i
  slurmd -f "$CONF"
  for _ in $(seq 100); do
    if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
      echo "export SLURM_CONF=$CONF"
      return 0
    fi
    sleep 0.2
  done
  echo "--- slurmctld.log" >&2; tail -20 "$D/slurmctld.log" >&2 || true
  echo "--- slurmd.log" >&2; tail -20 "$D/slurmd.log" >&2 || true
  stop
  die "the node did not come up within 20 s (logs above, state in $D)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) die "usage: cluster.sh start|stop" ;;
esac
