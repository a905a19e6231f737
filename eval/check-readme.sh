#!/usr/bin/env bash
# Runs the README's examples as written, from a fresh clone with ../shared beside it, and prints OK or FAIL for each.
# Leaves out what cannot run here: the BEIR download (internet), the 1M bench and Docker. Uses port 8080.
set -u
cd "$(dirname "$0")/.."
dotnet build src/SparseSearch.Cli -c Release -v quiet -nologo > /dev/null 2>&1
sparse() { dotnet src/SparseSearch.Cli/bin/Release/net10.0/sparse.dll "$@"; }
ok() { if [ $? -eq 0 ]; then echo "OK   $1"; else echo "FAIL $1"; fi; }
sparse eval --dataset ../shared/datasets/scifact --encoder bm25 --output json > /dev/null 2>&1; ok "eval scifact bm25"
sparse eval --dataset ../shared/datasets/scifact --encoder bm25-wp --vocab ../shared/models/bert-base-uncased/vocab.txt > /dev/null 2>&1; ok "eval scifact bm25-wp"
sparse index --dataset ../shared/datasets/cacm --encoder bm25 --index index/cacm-bm25 > /dev/null 2>&1; ok "index cacm"
sparse search --index index/cacm-bm25 "parallel algorithms for sorting" --k 10 > /dev/null 2>&1; ok "search cacm"
sparse encode --dataset demo --model models/demo-splade-untrained --out demo-splade.jsonl.gz > /dev/null 2>&1; ok "encode demo"
sparse index --vectors demo-splade.jsonl.gz --scale 100 --vocab ../shared/models/bert-base-uncased/vocab.txt --index index/my-splade > /dev/null 2>&1; ok "index vectors"
sparse search --index index/cacm-bm25 --topics ../shared/datasets/cacm/queries.jsonl --hits 1000 --output trec --run eval/runs/cacm-topics.trec > /dev/null 2>&1; ok "search topics"
sparse search --index index/cacm-bm25 "parallel sorting algorithms" --explain > /dev/null 2>&1; ok "search explain"
sparse eval --dataset ../shared/datasets/cacm --encoder bm25-wp --vocab ../shared/models/bert-base-uncased/vocab.txt --run eval/runs/cacm-bm25-wp.trec > /dev/null 2>&1; ok "eval cacm bm25-wp"
sparse fuse --runs eval/runs/cacm-topics.trec eval/runs/cacm-bm25-wp.trec --method rrf --output eval/runs/cacm-rrf.trec > /dev/null 2>&1; ok "fuse"
sparse trec-eval --qrels ../shared/datasets/cacm --run eval/runs/cacm-rrf.trec > /dev/null 2>&1; ok "trec-eval"
sparse models list > /dev/null 2>&1; ok "models list"
sparse eval --dataset demo --encoder model --model models/demo-splade-untrained > /dev/null 2>&1; ok "eval demo model"
sparse index --vectors demo-splade.jsonl.gz --vocab models/demo-splade-untrained/vocab.txt --index index/demo-splade > /dev/null 2>&1; ok "index demo-splade"
sparse search --index index/demo-splade "wild yeast" --k 3 > /dev/null 2>&1; ok "search demo-splade"
echo "Café déjà vu" | sparse tokenize --vocab ../shared/models/bert-base-uncased/vocab.txt > /dev/null 2>&1; ok "tokenize"
sparse bench generate --docs 100000 --out /tmp/synthetic > /dev/null 2>&1; ok "bench generate"
sparse index --vectors /tmp/synthetic/corpus.jsonl.gz --index index/synthetic > /dev/null 2>&1; ok "index synthetic"
sparse index --dataset demo --fields bm25,bm25-wp --vocab ../shared/models/bert-base-uncased/vocab.txt --index index/demo-fields > /dev/null 2>&1; ok "index demo fields"
sparse search --index index/demo-fields "wild yeast bread" --fusion linear --normalization min_max --explain --output json | grep -q '"contribution"'; ok "search fused"
sparse eval --dataset ../shared/datasets/cacm --fields bm25,bm25-wp --vocab ../shared/models/bert-base-uncased/vocab.txt --fusion rrf > /dev/null 2>&1; ok "eval cacm fused"
sparse index --dataset demo --encoder bm25 --index index/demo-filters > /dev/null 2>&1; ok "index demo filters"
sparse search --index index/demo-filters "index postings" --filter '{"term": {"topic": "indexing"}}' > /dev/null 2>&1; ok "search filter term"
sparse search --index index/demo-filters "ranking documents" --output json --filter '{"and": [{"range": {"year": {"gte": 2000, "lt": 2020}}}, {"not": {"term": {"level": "advanced"}}}]}' | grep -q '"metadata"'; ok "search filter and/range/not"
sparse search --index index/demo-filters --topics src/SparseSearch.Evaluation/Demo/queries.jsonl --filter '{"terms": {"topic": ["ranking", "evaluation"]}}' --run eval/runs/demo-filtered.trec > /dev/null 2>&1; ok "search topics filtered"
sparse index --dataset demo --encoder model --model models/demo-splade-untrained --chunk-tokens auto --chunk-overlap 16 --index index/demo-chunked > /dev/null 2>&1; ok "index demo chunked"
sparse search --index index/demo-chunked "wild yeast" --explain --output json | grep -q '"passage"'; ok "search chunked"
sparse eval --dataset ../shared/datasets/scifact --encoder bm25 --chunk-tokens 128 --chunk-overlap 32 --index index/scifact-bm25-chunked --run eval/runs/scifact-bm25-chunked.trec > /dev/null 2>&1; ok "eval scifact chunked"
sparse index --dataset demo --encoder bm25 --index index/demo-approximate --approximate --approx-min-docs 0 > /dev/null 2>&1; ok "index demo approximate"
sparse search --index index/demo-approximate "wild yeast bread" --approximate --output json | grep -q '"approximate":"query_terms'; ok "search approximate"
sparse eval --dataset ../shared/datasets/cacm --encoder bm25 --index index/cacm-bm25-approximate --approximate --approx-min-docs 0 > /dev/null 2>&1; ok "eval cacm approximate"
# The cluster example: a sharded index, Redis, two silos and a front end
sparse index --dataset ../shared/datasets/cacm --encoder bm25 --shards 4 --index index/cacm-4 > /dev/null 2>&1; ok "index shards"
redis-server --port 6379 --save "" --daemonize yes > /dev/null 2>&1; ok "redis-server"
(sparse silo --index index/cacm-4 --membership localhost:6379 --silo-port 11111 --gateway-port 30000 > /tmp/silo1.err 2>&1 &)
(sparse silo --index index/cacm-4 --membership localhost:6379 --silo-port 11112 --gateway-port 30001 > /tmp/silo2.err 2>&1 &)
(sparse serve --cluster --membership localhost:6379 --urls http://127.0.0.1:8081 > /tmp/front.err 2>&1 &)
for i in $(seq 1 90); do curl -s -o /dev/null http://127.0.0.1:8081/health && break; sleep 1; done
curl -sf 'http://127.0.0.1:8081/search?q=parallel+algorithms+for+sorting&k=5' | grep -q '"shards":{"total":4,"successful":4,"failed":0}'; ok "curl cluster search"
curl -sf 'http://127.0.0.1:8081/stats' | grep -q '"shards":\[{"shard":0,"available":true'; ok "curl cluster stats"
pkill -f "sparse.dll silo"; pkill -f "sparse.dll serve --cluster"; redis-cli -p 6379 shutdown nosave > /dev/null 2>&1; sleep 1
# The README's first command and its curls
(dotnet run --project src/SparseSearch.Cli -c Release -- serve > /tmp/rs.out 2> /tmp/rs.err &)
for i in $(seq 1 60); do curl -s -o /dev/null http://127.0.0.1:8080/health && break; sleep 1; done
curl -sf 'http://127.0.0.1:8080/search?q=inverted+index+postings&k=5' | grep -q '"id":"d01"'; ok "curl GET search finds d01"
curl -sf -H 'Content-Type: application/json' -d '{"query": "wild yeast bread", "k": 3, "explain": true}' http://127.0.0.1:8080/search | grep -q d22; ok "curl POST search finds d22"
curl -sf -H 'Content-Type: application/json' -d '[{"id": "x1", "title": "T", "text": "sourdough needs wild yeast"}, {"id": "v1", "vector": {"yeast": 1.2}}]' http://127.0.0.1:8080/documents > /dev/null; ok "curl POST documents"
curl -sf http://127.0.0.1:8080/documents/x1 > /dev/null; ok "curl GET document"
curl -sf -H 'Content-Type: application/json' -d '{"query": "ranking", "filter": {"terms": {"topic": ["ranking", "evaluation"]}}}' http://127.0.0.1:8080/search | grep -q '"topic":"ranking"'; ok "curl POST search filter"
curl -sf -X DELETE http://127.0.0.1:8080/documents/x1 > /dev/null; ok "curl DELETE"
curl -sf -H 'Content-Type: application/json' -d '{"query": "wild yeast bread", "approximate": {"query_terms": 12, "candidates": 600}}' http://127.0.0.1:8080/search | grep -q '"approximate_segments":0'; ok "curl POST search approximate"
pkill -f "sparse.dll serve"; pkill -f "SparseSearch.Cli"; sleep 2
echo r3ad > read.key; echo wr1te > write.key
(sparse serve --urls http://0.0.0.0:8080 --read-key-file read.key --write-key-file write.key > /dev/null 2>&1 &)
for i in $(seq 1 60); do curl -s -o /dev/null http://127.0.0.1:8080/health && break; sleep 1; done
curl -sf -H 'X-API-Key: r3ad' 'http://127.0.0.1:8080/search?q=yeast' > /dev/null; ok "keyed read"
curl -sf -H 'Authorization: Bearer wr1te' -H 'Content-Type: application/json' -d '[{"id": "k1", "text": "keyed write"}]' http://127.0.0.1:8080/documents > /dev/null; ok "keyed write"
pkill -f "sparse.dll serve"; sleep 1
rm -f read.key write.key demo-splade.jsonl.gz
