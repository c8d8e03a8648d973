#!/usr/bin/env bash
# Analyse a cohort on a Slurm cluster without Dask: a job array, each task one slice of the
# file list, each writing its own Parquet part; a last job concatenates the parts.
#
#   find cohort/ -name '*.fit' | sort > files.txt
#   sbatch --array=0-99 slurm_array.sh files.txt parts/
#   python -c "import pyarrow.parquet as pq, pyarrow as pa, glob; \
#     pq.write_table(pa.concat_tables(pq.read_table(p) for p in sorted(glob.glob('parts/*.parquet'))), 'sessions.parquet')"
#
#SBATCH --job-name=gaitguard
#SBATCH --cpus-per-task=1
#SBATCH --mem=1G
#SBATCH --time=01:00:00
set -euo pipefail
list=$1
out=$2
mkdir -p "$out"
tasks=${SLURM_ARRAY_TASK_COUNT:-1}
task=${SLURM_ARRAY_TASK_ID:-0}
python - "$list" "$out/part-$(printf %05d "$task").parquet" "$task" "$tasks" <<'PY'
import sys
sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(sys.argv[0])))
from dask_cohort import rows_of, table_of  # the same rows as the Dask recipe
import pyarrow.parquet as pq
files = [l.strip() for l in open(sys.argv[1]) if l.strip()]
task, tasks = int(sys.argv[3]), int(sys.argv[4])
mine = files[task::tasks]
pq.write_table(table_of(r for f in mine for r in rows_of(f)), sys.argv[2])
PY
