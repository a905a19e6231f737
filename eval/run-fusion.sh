#!/usr/bin/env bash
# Hybrid fusion of bm25 and bm25-wp runs on CACM and SciFact: each run, their RRF and their min-max normalized average
# (the normalized linear combination with equal weights), measured with sparse trec-eval. One JSON line per run.
# Usage: eval/run-fusion.sh [shared-dir]   (indexes under index/, runs under eval/runs/)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
vocab="$shared/models/bert-base-uncased/vocab.txt"
dotnet build src/SparseSearch.Cli -c Release -v quiet -nologo >/dev/null
sparse() { dotnet src/SparseSearch.Cli/bin/Release/net10.0/sparse.dll "$@"; }
measure() { sparse trec-eval --qrels "$shared/datasets/$1" --run "$2" --output json 2>/dev/null | python3 -c "import json,sys; r=json.load(sys.stdin); print(json.dumps({'dataset': '$1', 'run': '$2', **r['metrics']}))"; }
for dataset in cacm scifact; do
  for encoder in bm25 bm25-wp; do
    sparse eval --dataset "$shared/datasets/$dataset" --encoder "$encoder" --vocab "$vocab" --index "index/$dataset-$encoder" \
      --run "eval/runs/$dataset-$encoder.trec" --overwrite --output json >/dev/null 2>&1
    measure "$dataset" "eval/runs/$dataset-$encoder.trec"
  done
  runs=("eval/runs/$dataset-bm25.trec" "eval/runs/$dataset-bm25-wp.trec")
  sparse fuse --runs "${runs[@]}" --method rrf --output "eval/runs/$dataset-rrf.trec" 2>/dev/null
  measure "$dataset" "eval/runs/$dataset-rrf.trec"
  sparse fuse --runs "${runs[@]}" --method average --min-max-normalization --output "eval/runs/$dataset-minmax-average.trec" 2>/dev/null
  measure "$dataset" "eval/runs/$dataset-minmax-average.trec"
done
