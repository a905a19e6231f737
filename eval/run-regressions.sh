#!/usr/bin/env bash
# Rebuilds and evaluates every model-free encoder on the collections in ../shared/datasets; prints one JSON line each.
# Usage: eval/run-regressions.sh [shared-dir]   (fresh indexes under index/, runs under eval/runs/)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
vocab="$shared/models/bert-base-uncased/vocab.txt"
dotnet build src/SparseSearch.Cli -c Release -v quiet -nologo >/dev/null
sparse() { dotnet src/SparseSearch.Cli/bin/Release/net10.0/sparse.dll "$@"; }
# run DATASET ENCODER NAME [flags]: fresh index index/NAME, run file eval/runs/NAME.trec
run() {
  local dataset=$1 encoder=$2 name=$3; shift 3
  rm -rf "index/$name" "index/$name.partial"
  local start end
  start=$(date +%s.%N)
  json=$(sparse eval --dataset "$shared/datasets/$dataset" --encoder "$encoder" --vocab "$vocab" --index "index/$name" --run "eval/runs/$name.trec" --output json "$@" 2>/dev/null)
  end=$(date +%s.%N)
  echo "$json" | python3 -c "import json,sys; r=json.load(sys.stdin); r['wall_seconds']=round($end-$start,2); r['args']='$*'; print(json.dumps(r))"
}
for dataset in cacm scifact; do
  run "$dataset" lucene-bm25 "$dataset-lucene-bm25"
  run "$dataset" bm25 "$dataset-bm25"
  run "$dataset" bm25 "$dataset-bm25-lucene48" --length-norm lucene48
done
run scifact bm25-wp scifact-bm25-wp
# Top-10 agreement of the impact index with Lucene's own BM25 (eval/RESULTS.md's comparison table).
for dataset in cacm scifact; do
  python3 eval/compare-top10.py "eval/runs/$dataset-lucene-bm25.trec" "eval/runs/$dataset-bm25.trec"
  python3 eval/compare-top10.py "eval/runs/$dataset-lucene-bm25.trec" "eval/runs/$dataset-bm25-lucene48.trec"
done
