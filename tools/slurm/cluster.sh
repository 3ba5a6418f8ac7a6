#!/usr/bin/env bash
# A private single-node Slurm on this machine, from Debian's packages, for testing vaelab's array jobs
# (docs/slurm.md). Needs root: it installs slurm-wlm and munge with apt-get when they are missing and runs the
# daemons as root.
#
#   tools/slurm/cluster.sh up       # install if needed, start munged, slurmctld and slurmd, wait until the node is idle
#   tools/slurm/cluster.sh status   # what runs, and sinfo
#   tools/slurm/cluster.sh env      # the line to paste into a shell to use sinfo/sbatch/squeue on this cluster
#   tools/slurm/cluster.sh down     # cancel its jobs, stop the three daemons, remove its state (logs are kept)
#
# Everything lives in $VAELAB_SLURM_DIR (default /tmp/vaelab-slurm): the configuration, a munge key and socket of
# its own, the state, pid files and logs. Nothing under /etc, /run or /var is used, so a system Slurm or munge, if
# any, is left alone; the clients find this cluster through SLURM_CONF. No systemd is needed: the daemons are started
# directly and stopped by the pids they wrote, after checking that each pid still runs this cluster's daemon.
# Both commands are idempotent: `up` on a healthy cluster only waits for the node, `down` on a stopped one does nothing.
#
# Exit codes: 0 done; 1 a step failed (the message names the daemon and its log file); 2 bad usage.
set -euo pipefail

DIR=${VAELAB_SLURM_DIR:-/tmp/vaelab-slurm}
CTLD_PORT=${VAELAB_SLURM_PORT:-6817}
SLURMD_PORT=$((CTLD_PORT + 1))
# 2 CPUs whatever the machine has (SlurmdParameters=config_overrides), so that the test's two 1-CPU tasks run at once.
CPUS=${VAELAB_SLURM_CPUS:-2}
NODE=$(hostname -s)
CONF=$DIR/etc/slurm.conf
SOCKET=$DIR/munge/munge.socket.2
export SLURM_CONF=$CONF

say() { echo "slurm-cluster: $*"; }
# A failed `up` stops whatever it started, so that it leaves either a working cluster or none (logs are kept).
STARTING=
die() {
  echo "slurm-cluster: $*" >&2
  if [ -n "$STARTING" ]; then STARTING=; down quiet; echo "slurm-cluster: stopped what had started; logs kept in $DIR/log" >&2; fi
  exit 1
}

# The last lines of a log, indented, for error messages.
tail_log() { [ -s "$1" ] && tail -n "${2:-15}" "$1" | sed 's/^/    | /' >&2 || true; }

# The pid in a pid file if that process is alive and is this cluster's daemon (its command line names our config
# or socket); nothing otherwise. A stale pid file, or a pid reused by another program, gives nothing.
running_pid() {
  local file=$1 marker=$2 pid
  [ -s "$file" ] || return 0
  pid=$(tr -dc '0-9' <"$file")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 0
  if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker"; then echo "$pid"; fi
}
munged_pid() { running_pid "$DIR/run/munged.pid" "$SOCKET"; }
ctld_pid() { running_pid "$DIR/run/slurmctld.pid" "$CONF"; }
slurmd_pid() { running_pid "$DIR/run/slurmd.pid" "$CONF"; }

install_packages() {
  if command -v munged >/dev/null && command -v slurmctld >/dev/null && command -v slurmd >/dev/null \
      && command -v sbatch >/dev/null; then
    return 0
  fi
  [ "$(id -u)" = 0 ] || die "slurm-wlm and munge are not installed and this is not root: run as root, or install them (apt-get install -y slurm-wlm munge)"
  command -v apt-get >/dev/null || die "slurm-wlm and munge are not installed and there is no apt-get here (this script knows Debian's packages only)"
  say "installing slurm-wlm and munge with apt-get (log: $DIR/log/apt.log)"
  export DEBIAN_FRONTEND=noninteractive
  # The packages would start the system's munged and try slurmctld and slurmd, which fail without /etc/slurm's
  # config and can fail the install. A policy-rc.d that denies starts (as container images ship) prevents that;
  # one is written only where none exists, and removed after.
  local policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\n# vaelab tools/slurm/cluster.sh, during apt-get install only\nexit 101\n' >"$policy"
    chmod 0755 "$policy"
  fi
  local rc=0
  { apt-get update -qq && apt-get install -y -qq slurm-wlm munge; } >"$DIR/log/apt.log" 2>&1 || rc=$?
  [ -z "$policy" ] || rm -f "$policy"
  if [ $rc != 0 ]; then
    tail_log "$DIR/log/apt.log"
    die "apt-get could not install slurm-wlm and munge (exit code $rc); its log: $DIR/log/apt.log"
  fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

write_config() {
  mkdir -p "$DIR/etc"
  : >"$DIR/etc/plugstack.conf"
  # Written to a temporary file and renamed: a half-written config must never be read by a starting daemon.
  cat >"$CONF.tmp" <<EOF
# Written by vaelab's tools/slurm/cluster.sh: a single-node test cluster. Not for production use.
ClusterName=vaelab
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCKET
PlugStackConfig=$DIR/etc/plugstack.conf
StateSaveLocation=$DIR/state/slurmctld
SlurmdSpoolDir=$DIR/state/slurmd
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No cgroups (none are delegated in a container or VM without systemd): track processes by parentage, bind nothing.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
ReturnToService=2
# Finished jobs stay visible to scontrol for an hour, so their states and exit codes can be read after they end.
MinJobAge=3600
MailProg=/bin/true
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
  mv "$CONF.tmp" "$CONF"
}

# Waits up to $2 seconds for the command in $3… to succeed, while the daemon in $1 (a *_pid function) stays alive.
wait_for() {
  local daemon=$1 seconds=$2; shift 2
  local end=$((SECONDS + seconds))
  while ! "$@" >/dev/null 2>&1; do
    [ -n "$("${daemon}_pid")" ] || return 2
    [ $SECONDS -lt $end ] || return 1
    sleep 1
  done
}

start_munged() {
  mkdir -p "$DIR/munge"
  # Like /var/lib/munge: others may pass through to the socket but not list the folder (the key is 0400).
  chmod 0711 "$DIR/munge"
  if [ ! -s "$DIR/munge/munge.key" ]; then
    dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1024 count=1 status=none
    chmod 0400 "$DIR/munge/munge.key"
  fi
  # --force: munged refuses to run as root without it.
  if ! munged --force --socket="$SOCKET" --key-file="$DIR/munge/munge.key" --pid-file="$DIR/run/munged.pid" \
      --log-file="$DIR/log/munged.log" --seed-file="$DIR/munge/munged.seed" >"$DIR/log/munged.stderr" 2>&1; then
    tail_log "$DIR/log/munged.stderr"; tail_log "$DIR/log/munged.log"
    die "munged did not start; its log: $DIR/log/munged.log (and $DIR/log/munged.stderr)"
  fi
  local rc=0
  wait_for munged 15 sh -c "munge -S '$SOCKET' -n | unmunge -S '$SOCKET'" || rc=$?
  if [ $rc != 0 ]; then
    tail_log "$DIR/log/munged.log"
    die "munged $([ $rc = 2 ] && echo exited || echo "did not answer on $SOCKET within 15 s"); its log: $DIR/log/munged.log"
  fi
}

start_slurm_daemon() {
  local name=$1 check=$2 port=$3
  port_free "$port" || die "port $port on 127.0.0.1 is in use (another Slurm?), so $name cannot start; choose other ports with VAELAB_SLURM_PORT=N (slurmctld N, slurmd N+1)"
  # -c: start without the state of an earlier cluster in this folder. Each daemonises and writes its pid file.
  if ! "$name" -f "$CONF" -c >"$DIR/log/$name.stderr" 2>&1; then
    tail_log "$DIR/log/$name.stderr"; tail_log "$DIR/log/$name.log"
    die "$name did not start; its log: $DIR/log/$name.log (and $DIR/log/$name.stderr)"
  fi
  local rc=0 pidname=${name/slurmctld/ctld}
  wait_for "$pidname" 30 $check || rc=$?
  if [ $rc != 0 ]; then
    tail_log "$DIR/log/$name.stderr"; tail_log "$DIR/log/$name.log"
    die "$name $([ $rc = 2 ] && echo exited || echo "did not answer within 30 s"); its log: $DIR/log/$name.log"
  fi
}

node_state() { sinfo -h -n "$NODE" -o '%T' 2>/dev/null | head -n1; }
node_idle() { [ "$(node_state)" = idle ]; }

up() {
  mkdir -p "$DIR/log" "$DIR/run"
  chmod 0755 "$DIR"
  install_packages
  if [ -n "$(munged_pid)" ] && [ -n "$(ctld_pid)" ] && [ -n "$(slurmd_pid)" ]; then
    say "already running (munged $(munged_pid), slurmctld $(ctld_pid), slurmd $(slurmd_pid)); $DIR"
  else
    # Part of a cluster (a crash, an interrupted `up`): start again from nothing rather than guess what is left.
    down quiet
    STARTING=1
    mkdir -p "$DIR/log" "$DIR/run" "$DIR/state/slurmctld" "$DIR/state/slurmd"
    rm -f "$DIR"/log/{munged,slurmctld,slurmd}.{log,stderr}   # apt.log, if any, is this run's: kept
    write_config
    start_munged
    start_slurm_daemon slurmctld "scontrol ping" "$CTLD_PORT"
    start_slurm_daemon slurmd "scontrol show node $NODE" "$SLURMD_PORT"
    say "started munged $(munged_pid), slurmctld $(ctld_pid), slurmd $(slurmd_pid); logs in $DIR/log"
  fi
  local end=$((SECONDS + 60))
  until node_idle; do
    if [ $SECONDS -ge $end ]; then
      sinfo -N -l >&2 || true
      scontrol show node "$NODE" 2>/dev/null | grep -E 'State=|Reason=' >&2 || true
      tail_log "$DIR/log/slurmd.log"; tail_log "$DIR/log/slurmctld.log"
      die "node $NODE is '$(node_state)', not idle, after 60 s; logs: $DIR/log/slurmd.log, $DIR/log/slurmctld.log"
    fi
    [ -n "$(slurmd_pid)" ] || { tail_log "$DIR/log/slurmd.log"; die "slurmd exited; its log: $DIR/log/slurmd.log"; }
    [ -n "$(ctld_pid)" ] || { tail_log "$DIR/log/slurmctld.log"; die "slurmctld exited; its log: $DIR/log/slurmctld.log"; }
    sleep 1
  done
  STARTING=
  say "node $NODE idle with $(sinfo -h -n "$NODE" -o '%c') CPUs; use it with: export SLURM_CONF=$CONF"
}

# Stops one daemon by its pid: TERM, then KILL after 15 s. Only a pid that running_pid vouched for is signalled.
stop() {
  local name=$1 pid=$2
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 15); do
    [ -d "/proc/$pid" ] || return 0
    sleep 1
  done
  echo "slurm-cluster: $name ($pid) still runs 15 s after SIGTERM; sending SIGKILL" >&2
  kill -KILL "$pid" 2>/dev/null || true
}

down() {
  local quiet=${1:-}
  if [ -n "$(ctld_pid)" ]; then
    # Cancel this cluster's jobs first (SLURM_CONF is ours, so nothing else is touched) and let their steps end.
    local jobs
    jobs=$(squeue -h -o '%A' 2>/dev/null || true)
    if [ -n "$jobs" ]; then
      say "cancelling jobs $(echo $jobs)"
      scancel $jobs 2>/dev/null || true
      for _ in $(seq 30); do [ -z "$(squeue -h -t all -o '%A %T' 2>/dev/null | grep -v -E 'CANCELLED|COMPLETED|FAILED|TIMEOUT')" ] && break; sleep 1; done
    fi
  fi
  local any=
  for d in slurmd:slurmd_pid slurmctld:ctld_pid munged:munged_pid; do
    local pid
    pid=$("${d#*:}")
    [ -n "$pid" ] && any=1
    stop "${d%%:*}" "$pid"
  done
  rm -rf "$DIR/state" "$DIR/run" "$DIR/munge"
  if [ -z "$quiet" ]; then
    if [ -n "$any" ]; then say "stopped; logs kept in $DIR/log"; else say "not running"; fi
  fi
}

status() {
  echo "folder: $DIR   config: $CONF"
  echo "munged: $(munged_pid || true)   slurmctld: $(ctld_pid || true)   slurmd: $(slurmd_pid || true)"
  if [ -n "$(ctld_pid)" ]; then sinfo; squeue; fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  env) echo "export SLURM_CONF=$CONF" ;;
  *) echo "usage: $0 up|down|status|env   (state in \$VAELAB_SLURM_DIR, default /tmp/vaelab-slurm)" >&2; exit 2 ;;
esac
