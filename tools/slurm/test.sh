#!/usr/bin/env bash
# Integration test: vaelab under a real Slurm (docs/slurm.md). As root; 12-15 minutes on 2 cores busy with other work:
#
#   tools/slurm/test.sh
#
# 1. brings up a private single-node Slurm (tools/slurm/cluster.sh up; installs slurm-wlm and munge if missing);
# 2. trains the quickstart with 2 seeds (12 runs; VAELAB_SLURM_TEST_OPTIONS changes "-Dseeds=2") as an array of
#    2 tasks of 1 CPU and gathers them (tools/slurm/sweep.sh) into a fresh scratch root,
#    $VAELAB_SLURM_TEST_DIR/slurm (default /tmp/vaelab-slurm-test);
# 3. trains them again without Slurm in one process with every core (-Dworkers=1), into
#    $VAELAB_SLURM_TEST_DIR/single: vaelab's matrix products give the same bits on one processor as on two
#    (model.Gemm: cut in k under the SkylakeX kernels of an AVX-512 CPU, in column halves on one OpenBLAS thread
#    each under others), so a 1-CPU task must repeat a run of the whole machine (docs/slurm.md);
# 4. checks: every run's metrics.csv is byte-identical between the two; each run was trained once, by one of the
#    tasks, both tasks trained, and the gather step trained nothing; the report was written; each task's training
#    JVM ran with the thread settings of its 1-CPU allocation (its "threads:" line and every run's provenance say
#    OPENBLAS_NUM_THREADS=1);
# 5. tears the cluster down (VAELAB_SLURM_KEEP=1 keeps it running).
#
# Exit codes: 0 passed; 1 failed (vaelab under Slurm did something wrong; each failed check is printed);
# 77 skipped: no Slurm could be brought up or it did not run the job (not root, apt-get failed, a daemon did not
# start, ...), which says nothing about vaelab; the reason and the log to read are printed.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=${VAELAB_SLURM_TEST_DIR:-/tmp/vaelab-slurm-test}
EXPERIMENT=quickstart
# 2 of the quickstart's 5 seeds: 12 runs instead of 30 keep the test short, and a variant's own folder is tested on
# the way (every task must compute the same one).
read -r -a OPTIONS <<<"${VAELAB_SLURM_TEST_OPTIONS--Dseeds=2}"

say() { echo "slurm-test: $*"; }
skip() { echo "slurm-test: SKIPPED: $*" >&2; exit 77; }
failures=0
check() { # check DESCRIPTION COMMAND...: runs the command, prints ok/FAIL with the description
  local what=$1; shift
  if "$@"; then say "ok   $what"; else say "FAIL $what"; failures=$((failures + 1)); fi
}

[ "$(id -u)" = 0 ] || skip "needs root (it installs slurm-wlm and munge and runs their daemons as root)"
# The reference: one process with every processor it may use (vaelab's allocation, which its threads line names).
REF=(mvn); REF_WHAT="one process with every processor it may use"
if [ -z "${VAELAB_SLURM_KEEP:-}" ]; then trap 'tools/slurm/cluster.sh down' EXIT; fi
# A time limit (CI's `timeout`) sends TERM: exit through the EXIT trap, which cancels the jobs and stops the daemons.
trap 'echo "slurm-test: interrupted" >&2; exit 124' INT TERM

t0=$SECONDS
tools/slurm/cluster.sh up || skip "could not bring up a single-node Slurm (the message above names the step and its log)"
say "cluster up in $((SECONDS - t0)) s"

# Only the test's own three folders are emptied, whatever VAELAB_SLURM_TEST_DIR names.
rm -rf "$ROOT/slurm" "$ROOT/single" "$ROOT/logs"
mkdir -p "$ROOT/slurm" "$ROOT/single" "$ROOT/logs"
export SLURM_CONF=${VAELAB_SLURM_DIR:-/tmp/vaelab-slurm}/etc/slurm.conf

t1=$SECONDS
rc=0
tools/slurm/sweep.sh --tasks 2 --cpus-per-task 1 --logs "$ROOT/logs" \
  -Dexperiment=$EXPERIMENT "${OPTIONS[@]}" -Dvaelab.reports="$ROOT/slurm" || rc=$?
slurm_s=$((SECONDS - t1))
case $rc in
  0) ;;
  75) skip "the Slurm cluster did not run the job (above); its logs: ${VAELAB_SLURM_DIR:-/tmp/vaelab-slurm}/log" ;;
  *) say "FAIL the Slurm sweep (exit code $rc; the step and its log are named above)"; exit 1 ;;
esac

t2=$SECONDS
say "the same experiment without Slurm, $REF_WHAT: ${REF[*]} ... -Dworkers=1 (log: $ROOT/logs/single.log)"
rc=0
"${REF[@]}" -q -B exec:java -Dexperiment=$EXPERIMENT "${OPTIONS[@]}" -Dworkers=1 -Dvaelab.reports="$ROOT/single" >"$ROOT/logs/single.log" 2>&1 || rc=$?
single_s=$((SECONDS - t2))
if [ $rc != 0 ]; then
  tail -n 20 "$ROOT/logs/single.log" | sed 's/^/    | /'
  say "FAIL the single-process run exited with code $rc; its log: $ROOT/logs/single.log"
  exit 1
fi
say "Slurm sweep and gather: ${slurm_s} s; single process: ${single_s} s"

# --- the numbers: every run's metrics.csv, byte for byte ---------------------------------------------------------
# The plan's size and report folder, as the gather call and the single process printed them:
# "vaelab: quickstart (12 runs) -> /tmp/.../quickstart.seeds-2".
plan() { grep -m1 -oE "vaelab: $EXPERIMENT \(([0-9]+) runs\) -> .*" "$1"; }
RUNS=$(plan "$ROOT/logs/gather.log" | sed -E 's/.*\(([0-9]+) runs\).*/\1/')
SD=$(plan "$ROOT/logs/gather.log" | sed 's/.* -> //')
PD=$(plan "$ROOT/logs/single.log" | sed 's/.* -> //')
if [ -z "$RUNS" ] || [ -z "$SD" ] || [ -z "$PD" ]; then
  say "FAIL no 'vaelab: $EXPERIMENT (N runs) -> FOLDER' line in $ROOT/logs/gather.log or single.log"; exit 1
fi
check "the Slurm sweep and the single process wrote to the same folder name ($(basename "$SD"))" \
  test "$(basename "$SD")" = "$(basename "$PD")"
S=$SD/runs
P=$PD/runs
runs_of() { find "$1" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%f\n' 2>/dev/null | sort; }
check "the Slurm sweep finished $RUNS runs ($(runs_of "$S" | wc -l) in $S)" test "$(runs_of "$S" | wc -l)" -eq $RUNS
check "the single process finished the same $RUNS runs" test "$(runs_of "$S")" = "$(runs_of "$P")"
same=0
for run in $(runs_of "$P"); do
  if cmp -s "$S/$run/metrics.csv" "$P/$run/metrics.csv"; then
    same=$((same + 1))
  else
    say "     $run/metrics.csv differs:"
    diff "$S/$run/metrics.csv" "$P/$run/metrics.csv" | head -n 6 | sed 's/^/    | /'
  fi
done
check "metrics.csv byte-identical in $same of $RUNS runs (Slurm vs single process)" test $same -eq $RUNS
check "the gathered report was written" test -s "$SD/report.md"
# Not a check (the committed runs were made on one machine kind; other CPUs differ by float rounding): a hint.
committed=0
for run in $(runs_of "$S"); do
  cmp -s "$S/$run/metrics.csv" "reports/$EXPERIMENT/runs/$run/metrics.csv" 2>/dev/null && committed=$((committed + 1))
done
say "     (for information: $committed of $RUNS also equal to the committed reports/$EXPERIMENT runs, trained with" \
  "$(grep -m1 -oE '"OPENBLAS_NUM_THREADS" *: *"[0-9]+"' reports/$EXPERIMENT/runs/*/provenance.json 2>/dev/null | head -n1 | grep -oE '[0-9]+"$' | tr -d '"') OpenBLAS threads)"

# --- the store under Slurm: each run trained once, both tasks worked, the gather step only gathered --------------
logs=("$ROOT"/logs/vaelab-*_*.out)
total=0 busy=0
for log in "${logs[@]}"; do
  n=$(grep -c ': trained; stored in' "$log" || true)
  say "     $(basename "$log"): trained $n runs"
  total=$((total + n)); [ "$n" -gt 0 ] && busy=$((busy + 1))
done
check "the 2 tasks trained $total runs in all, each run once" test $total -eq $RUNS
check "both tasks trained (${busy} of ${#logs[@]} did)" test $busy -eq 2 -a ${#logs[@]} -eq 2
check "the last task to finish wrote the report, as a shard that completes the plan does" \
  test "$(cat "${logs[@]}" | grep -c 'report: /')" -ge 1
check "the gather step trained nothing and reused $RUNS runs" \
  test "$(grep -c ': trained; stored in' "$ROOT/logs/gather.log")" -eq 0 -a "$(grep -c ': finished earlier' "$ROOT/logs/gather.log")" -eq $RUNS

# --- threads: a 1-CPU task must not run 2 BLAS threads ----------------------------------------------------------
# Every "threads:" line of a task (one per training JVM) must say 1.
one_thread() { grep -q 'threads:' "$1" && ! grep 'threads:' "$1" | grep -qvE 'OPENBLAS_NUM_THREADS=1([^0-9]|$)'; }
for log in "${logs[@]}"; do
  grep 'threads:' "$log" | sed "s|^|slurm-test:      $(basename "$log"): |" || say "     $(basename "$log"): no threads: line"
  check "$(basename "$log") trained with OPENBLAS_NUM_THREADS=1 (its allocation: 1 CPU)" one_thread "$log"
done
wide=0
for run in $(runs_of "$S"); do
  grep -Eq '"OPENBLAS_NUM_THREADS" *: *"1"' "$S/$run/provenance.json" || wide=$((wide + 1))
done
check "every Slurm-trained run's provenance records OPENBLAS_NUM_THREADS=1 ($((RUNS - wide)) of $RUNS do)" test $wide -eq 0
ref_line=$(grep -m1 'threads:' "$ROOT/logs/single.log")
say "     single process: $ref_line"
# Its allocation as vaelab read it (nproc would miss a cgroup quota below the affinity mask).
REF_CPUS=$(sed -nE 's/.*, cpus ([0-9]+).*/\1/p' <<<"$ref_line")
check "the single-process reference trained with OPENBLAS_NUM_THREADS=${REF_CPUS:-?} (its allocation)" \
  grep -qE "threads:.*OPENBLAS_NUM_THREADS=${REF_CPUS:-none}([^0-9]|$)" "$ROOT/logs/single.log"

if [ $failures -gt 0 ]; then
  say "FAILED: $failures check(s); logs in $ROOT/logs, runs in $ROOT/slurm and $ROOT/single"
  exit 1
fi
say "PASSED in $((SECONDS - t0)) s (Slurm sweep ${slurm_s} s, single process with $REF_CPUS processor(s) ${single_s} s)"
