#!/usr/bin/env bash
# Runs a vaelab experiment as a Slurm array job and gathers it, the way docs/slurm.md describes:
#
#   tools/slurm/sweep.sh [--tasks N] [--cpus-per-task C] [--logs DIR] [--start-within S] -Dexperiment=NAME [options]
#
# 1. compiles once on this host (the tasks share target/; compiling in each task would race) and lets Maven fetch
#    the exec plugin, which the tasks then run offline;
# 2. submits tools/slurm/vaelab-array.sh as an array of N tasks (default 2) of C CPUs (default 1), each training
#    slice k/N of the runs (-Dshard), with its output in DIR/vaelab-<job>_<k>.out (default target/slurm);
# 3. waits for every task, printing state changes, and reports each task's state and exit code;
# 4. runs the gather step (the same command without -Dshard), which reuses the slices' runs and writes the report.
#
# Uses whichever cluster the Slurm commands reach (SLURM_CONF; tools/slurm/cluster.sh starts a private one). The
# reports folder (-Dvaelab.reports, default reports/) must be on a file system every node shares.
#
# Exit codes: 0 the report is written; 1 a task or the gather step failed (its log is named); 2 bad usage;
# 75 no Slurm cluster answered, or it did not start the job within S seconds (default 300): a cluster problem,
# not vaelab's.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD

TASKS=2 CPUS=1 LOGS=target/slurm START_WITHIN=300
usage() { echo "usage: $0 [--tasks N] [--cpus-per-task C] [--logs DIR] [--start-within S] -Dexperiment=NAME [vaelab options]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --tasks) TASKS=${2:?}; shift 2 ;;
    --cpus-per-task) CPUS=${2:?}; shift 2 ;;
    --logs) LOGS=${2:?}; shift 2 ;;
    --start-within) START_WITHIN=${2:?}; shift 2 ;;
    -D*) break ;;
    *) usage ;;
  esac
done
[ $# -gt 0 ] || usage
[[ "$TASKS" =~ ^[1-9][0-9]*$ && "$CPUS" =~ ^[1-9][0-9]*$ && "$START_WITHIN" =~ ^[0-9]+$ ]] \
  || { echo "sweep: --tasks, --cpus-per-task and --start-within take whole numbers (got $TASKS, $CPUS, $START_WITHIN)" >&2; exit 2; }
for a in "$@"; do
  case "$a" in -Dshard=*) echo "sweep: remove $a: each task's -Dshard is set from its array index" >&2; exit 2 ;; esac
done
mkdir -p "$LOGS"
LOGS=$(cd "$LOGS" && pwd)

say() { echo "sweep: $*"; }
tail_log() { [ -s "$1" ] && tail -n "${2:-20}" "$1" | sed 's/^/    | /' >&2 || true; }

if ! command -v sbatch >/dev/null || ! sinfo -h >/dev/null 2>"$LOGS/sinfo.err"; then
  tail_log "$LOGS/sinfo.err"
  echo "sweep: no Slurm cluster answers here (SLURM_CONF=${SLURM_CONF:-unset}); start one with tools/slurm/cluster.sh up" >&2
  exit 75
fi

t0=$SECONDS
say "compiling (log: $LOGS/prepare.log)"
if ! mvn -q -B compile exec:java -Dexperiment=list >"$LOGS/prepare.log" 2>&1; then
  tail_log "$LOGS/prepare.log"
  echo "sweep: mvn compile failed; its log: $LOGS/prepare.log" >&2
  exit 1
fi

job=$(sbatch --parsable --array=1-"$TASKS" --cpus-per-task="$CPUS" --output="$LOGS/vaelab-%A_%a.out" \
  tools/slurm/vaelab-array.sh "$@") || { echo "sweep: sbatch refused the job (above)" >&2; exit 75; }
job=${job%%;*}
submitted=$SECONDS
# Interrupted while waiting (Ctrl-C, a time limit): cancel the job rather than leave it training unwatched.
trap 'scancel "$job" 2>/dev/null; echo "sweep: interrupted; cancelled job $job" >&2; exit 130' INT TERM
say "submitted array job $job: $TASKS tasks of $CPUS CPU(s): tools/slurm/vaelab-array.sh $*"

# Waits until no task of the job is pending or running; prints each change of the tasks' states.
last= started=
while :; do
  now=$(squeue -h -j "$job" -o '%K:%T' 2>/dev/null | sort -n | tr '\n' ' ' | sed 's/ $//') || now=
  [ -n "$now" ] || break
  if [ "$now" != "$last" ]; then say "$(printf '%4ds' $((SECONDS - submitted))) tasks $now"; last=$now; fi
  case "$now" in *RUNNING*|*COMPLETING*) started=1 ;; esac
  if [ -z "$started" ] && [ $((SECONDS - submitted)) -ge "$START_WITHIN" ]; then
    squeue -j "$job" -o '%i %T %r' >&2 || true
    scancel "$job" 2>/dev/null || true
    echo "sweep: the cluster did not start job $job within $START_WITHIN s (reasons above); cancelled it" >&2
    exit 75
  fi
  sleep 2
done
ran=$((SECONDS - submitted))
trap - INT TERM

# Each task's final state and exit code, from the controller (it keeps finished jobs for MinJobAge).
failed=0 seen=0
while read -r line; do
  task=$(grep -o 'ArrayTaskId=[^ ]*' <<<"$line" | cut -d= -f2)
  state=$(grep -o 'JobState=[^ ]*' <<<"$line" | cut -d= -f2)
  code=$(grep -o ' ExitCode=[^ ]*' <<<"$line" | cut -d= -f2)
  log="$LOGS/vaelab-${job}_${task}.out"
  seen=$((seen + 1))
  say "task $task: $state, exit code ${code%%:*}$([ "${code#*:}" != 0 ] && echo ", signal ${code#*:}"); log: $log"
  if [ "$state" != COMPLETED ]; then
    failed=$((failed + 1))
    tail_log "$log"
  fi
done < <(scontrol show job -o "$job" 2>/dev/null | grep 'ArrayTaskId=')
if [ "$seen" -ne "$TASKS" ]; then
  echo "sweep: the controller reports $seen of $TASKS tasks of job $job (it forgets jobs after MinJobAge); see the logs vaelab-${job}_*.out in $LOGS" >&2
  exit 1
fi
if [ $failed -gt 0 ]; then
  echo "sweep: $failed of $TASKS tasks of job $job failed (logs above); the runs they finished are kept, so the same command trains only what is missing" >&2
  exit 1
fi
say "array job $job: $TASKS tasks finished in ${ran} s"

g0=$SECONDS
say "gathering: mvn -q -B exec:java $* (log: $LOGS/gather.log)"
rc=0
mvn -q -B exec:java "$@" >"$LOGS/gather.log" 2>&1 || rc=$?
if [ $rc != 0 ]; then
  tail_log "$LOGS/gather.log"
  echo "sweep: the gather step exited with code $rc; its log: $LOGS/gather.log" >&2
  exit 1
fi
grep -E '^(done in|report:)' "$LOGS/gather.log" | sed 's/^/sweep: /' || true
say "gathered in $((SECONDS - g0)) s; $((SECONDS - t0)) s in all"
