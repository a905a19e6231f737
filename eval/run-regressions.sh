#!/usr/bin/env bash
# Rebuilds and evaluates every model-free encoder on the collections in ../shared/datasets; prints one JSON line each.
# Usage: eval/run-regressions.sh [shared-dir]   (fresh indexes under index/, runs under eval/runs/)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
vocab="$shared/models/bert-base-uncased/vocab.txt"
dotnet build src/SparseSearch.Cli -c Release -v quiet -nologo >/dev/null
sparse() { dotnet src/SparseSearch.Cli/bin/Release/net10.0/sparse.dll "$@"; }
run() {
  local dataset=$1 encoder=$2; shift 2
  rm -rf "index/$dataset-$encoder"
  local start end
  start=$(date +%s.%N)
  json=$(sparse eval --dataset "$shared/datasets/$dataset" --encoder "$encoder" --vocab "$vocab" --output json "$@" 2>/dev/null)
  end=$(date +%s.%N)
  echo "$json" | python3 -c "import json,sys; r=json.load(sys.stdin); r['wall_seconds']=round($end-$start,2); r['args']='$*'; print(json.dumps(r))"
}
for dataset in cacm scifact; do
  run "$dataset" lucene-bm25
  run "$dataset" bm25
  run "$dataset" bm25 --length-norm lucene48 --index "index/$dataset-bm25-lucene48" --run "eval/runs/$dataset-bm25-lucene48.trec"
done
run scifact bm25-wp
