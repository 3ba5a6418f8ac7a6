#!/bin/bash
#SBATCH --job-name=vaelab
# One slice of a vaelab sweep per array task (README: "On a Slurm cluster"; docs/slurm.md).
set -euo pipefail
cd "$SLURM_SUBMIT_DIR"   # vaelab's folder, compiled before sbatch: tasks that compiled would race on target/
# Task k of n (counted from the array's first index) trains slice k/n; -o: compute nodes need no network.
exec mvn -q -o -B exec:java -Dshard=$((SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + 1))/$SLURM_ARRAY_TASK_COUNT "$@"
