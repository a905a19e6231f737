#!/usr/bin/env bash
# Runs on the H200 device machine, from the repository copy, after the bundle parts were copied to /tmp (README.md):
# unpacks sparse, makes the realistic-sparsity benchmark model, exports it (fp32, fp16), and measures PyTorch eager
# against `sparse encode --device cuda` on SciFact x10, plus CPU-vs-CUDA fidelity. Results land in $OUT.
set -uo pipefail
export PYTHONUNBUFFERED=1
app=/tmp/app
if [ ! -e "$app/sparse" ]; then
  mkdir -p "$app" && /tmp/tools/zstd -d -c /tmp/app.tar.zst | tar -C "$app" -xf -
  native=$(dirname "$(find "$app" -name libonnxruntime.so | head -1)")
  cat /tmp/cuda.zst.part-* | /tmp/tools/zstd -d --long=27 -q -o "$native/libonnxruntime_providers_cuda.so"
fi
cudnn=$(dirname "$(find / -name 'libcudnn.so.9*' -not -path '/proc/*' 2>/dev/null | head -1)")
export LD_LIBRARY_PATH=/usr/local/cuda-13.0/targets/x86_64-linux/lib:$cudnn:/tmp/tools
sparse() { "$app/sparse" "$@"; }
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$OUT/gpu.txt"

# SciFact, and SciFact x10 (51,830 documents with distinct ids) for the throughput runs.
mkdir -p /tmp/sf /tmp/sf10 /tmp/sf300
gunzip -c /tmp/data/corpus.jsonl.gz > /tmp/sf/corpus.jsonl
python3 - <<'PY'
import json
docs = [json.loads(l) for l in open("/tmp/sf/corpus.jsonl", encoding="utf-8")]
with open("/tmp/sf10/corpus.jsonl", "w", encoding="utf-8") as out:
    for copy in range(10):
        for d in docs:
            out.write(json.dumps({"_id": f"{d['_id']}-{copy}", "title": d.get("title", ""), "text": d.get("text", "")}) + "\n")
with open("/tmp/sf300/corpus.jsonl", "w", encoding="utf-8") as out:
    for d in docs[:300]:
        out.write(json.dumps(d) + "\n")
PY

# Device selection (DEVICE_CHECKS=1): cuda:all against the CPU on the sparse-output test fixture, and the one-line
# refusals of a GPU the machine lacks and of a process that sees no GPU.
if [ "${DEVICE_CHECKS:-0}" = 1 ]; then
  m=tests/SparseSearch.Tests/Fixtures/models/tiny-splade-sparse
  sparse encode --dataset /tmp/sf --model $m --device cpu --out /tmp/cpu-tiny.jsonl 2> /dev/null
  sparse encode --dataset /tmp/sf --model $m --device cuda:all --tf32 false --out /tmp/gpu-tiny.jsonl 2> "$OUT/cuda-all.log"
  echo "cuda:all exit $?, stderr lines that are not log lines: $(grep -vc ' info: \| warn: ' "$OUT/cuda-all.log")"
  TF32=cuda-all-tiny-sparse python3 models/gpu/compare_postings.py /tmp/cpu-tiny.jsonl /tmp/gpu-tiny.jsonl
  for d in cuda:0,1 cuda:1; do sparse encode --model $m --device $d --text "wild yeast" 2>&1 >/dev/null; echo "$d exit $?"; done
  CUDA_VISIBLE_DEVICES= "$app/sparse" encode --model $m --device cuda:all --text "wild yeast" 2>&1 >/dev/null; echo "no visible GPU: exit $?"
  exit 0
fi

python3 models/make_bench_splade.py --vocab /tmp/data/vocab.txt --texts /tmp/sf/corpus.jsonl --out /tmp/ckpt | tee "$OUT/model.json"
python3 models/export_sparse_onnx.py --family splade --checkpoint /tmp/ckpt --out /tmp/m32 --max-length 256 --output-form dense 2>&1 | tail -2
# Where the time goes (MODELS_BENCH=1): sparse models bench times tokenizing, the model alone (one batch and several in
# flight) and the whole encode on 20,000 SciFact x10 texts, with PyTorch eager on the same checkpoint and texts; then
# sparse encode end to end, and sparse index at the encode rate (INDEX=1). GPU memory is sampled every 200 ms meanwhile.
# VARIANTS: fp16 exports to compare: a pooling (tree, reducemax, globalmaxpool), then "-sparse" to sparsify in the
# graph and/or "-fused" for ONNX Runtime's transformer fusions (tree-sparse-fused), "-sdpa" to trace PyTorch's
# scaled_dot_product_attention instead of eager attention (whose pattern the fusions turn into one Attention operator).
# DEVICES: the --device values to run each on (cuda, cuda:0,1 ...); IN_FLIGHT batches per GPU in the model-alone figure;
# PADS: the --pad-to-multiple values models bench compares (8, the GPU default); PROFILE=0 skips the ORT profile.
if [ "${MODELS_BENCH:-0}" = 1 ]; then
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 200 > "$OUT/gpu-memory-mib.txt" &
  sampler=$!
  torch_done=0
  for variant in ${VARIANTS:-tree tree-sparse tree-sparse-fused}; do
    pool=${variant%%-*}; flags=""
    case $variant in *-sparse*) flags="$flags --output-form sparse";; *) flags="$flags --output-form dense";; esac
    case $variant in *-fused*) flags="$flags --fuse";; esac
    case $variant in *-sdpa*) flags="$flags --attention sdpa";; esac
    python3 models/export_sparse_onnx.py --family splade --checkpoint /tmp/ckpt --out /tmp/m16-$variant --max-length 256 --dtype fp16 --pool $pool $flags 2>&1 | tail -2
    for device in ${DEVICES:-cuda}; do
      gpus=$(echo "$device" | awk -F'[:,]' '{print (NF > 1 ? NF - 1 : 1)}')
      tag=$variant-${device//[:,]/_}
      torch=""; [ "${PYTORCH:-1}" = 1 ] && [ $torch_done = 0 ] && torch="--pytorch-checkpoint /tmp/ckpt" && torch_done=1
      profile=""; [ "$gpus" = 1 ] && [ "${PROFILE:-1}" = 1 ] && profile="--ort-profile /tmp/ort-$tag"
      for pad in ${PADS:-8}; do
        sparse models bench --model /tmp/m16-$variant --texts /tmp/sf10 --device $device --batch-size 128 --docs 20000 --in-flight $(( ${IN_FLIGHT:-2} * gpus )) --pad-to-multiple $pad $torch $profile \
          > "$OUT/models-bench-$tag-pad$pad.json" 2> "$OUT/models-bench-$tag-pad$pad.log"
        echo "models bench $tag pad $pad exit $?"; cat "$OUT/models-bench-$tag-pad$pad.json"
        torch=""; profile=""
      done
      start=$(date +%s.%N)
      sparse encode --dataset /tmp/sf10 --model /tmp/m16-$variant --device $device --model-batch-size 128 --out /tmp/sf10-16.jsonl 2> "$OUT/encode-$tag.log"
      echo "encode $tag exit $? wall $(awk "BEGIN {print $(date +%s.%N) - $start}") s"; grep -E "docs/s|Encoded" "$OUT/encode-$tag.log" | tail -n 7
      if [ "${INDEX:-0}" = 1 ]; then
        rm -rf /tmp/sf10-index
        sparse index --dataset /tmp/sf10 --encoder model --model /tmp/m16-$variant --device $device --model-batch-size 128 --index /tmp/sf10-index 2> "$OUT/index-$tag.log"
        echo "index $tag exit $?"; tail -n 1 "$OUT/index-$tag.log"
      fi
      [ -n "$(ls /tmp/ort-$tag* 2>/dev/null)" ] || continue
      # ONNX Runtime's profile: kernel time by operator and provider, the largest first.
      TAG=$tag python3 - <<'PY' | tee "$OUT/ort-profile-$tag.txt"
import collections, glob, json, os
events = json.load(open(sorted(glob.glob(f"/tmp/ort-{os.environ['TAG']}*.json"))[-1]))
time, count = collections.Counter(), collections.Counter()
for e in events:
    if e.get("cat") == "Node" and e["name"].endswith("_kernel_time"):
        key = (e["args"].get("op_name", "?"), e["args"].get("provider", "?"))
        time[key] += e["dur"]; count[key] += 1
total = sum(time.values())
print(f"total kernel time {total / 1000:.1f} ms over 12 batches of 128")
for (op, provider), us in time.most_common(12):
    print(f"{op:28s} {provider:24s} {us / 1000:9.1f} ms {100 * us / total:5.1f}%  n={count[(op, provider)]}")
PY
    done
  done
  kill $sampler
  echo "peak GPU memory MiB: $(sort -n "$OUT/gpu-memory-mib.txt" | tail -1)"
  # A longer job (SF40=1, or LONG_COPIES=N for SciFact xN): SciFact x40 is 207,320 documents, x400 2,073,200 (MS MARCO
  # passage scale's order), through the last variant on the first device, so the first chunk's start-up weighs less.
  copies=${LONG_COPIES:-$([ "${SF40:-0}" = 1 ] && echo 40 || echo 0)}
  if [ "$copies" -gt 0 ]; then
    mkdir -p /tmp/long
    COPIES=$copies python3 -c "
import json, os
docs = [json.loads(l) for l in open('/tmp/sf/corpus.jsonl', encoding='utf-8')]
with open('/tmp/long/corpus.jsonl', 'w', encoding='utf-8') as out:
    for copy in range(int(os.environ['COPIES'])):
        for d in docs:
            out.write(json.dumps({'_id': f\"{d['_id']}-{copy}\", 'title': d.get('title', ''), 'text': d.get('text', '')}) + '\n')
"
    devices=${DEVICES:-cuda}
    start=$(date +%s.%N)
    sparse encode --dataset /tmp/long --model /tmp/m16-$variant --device ${devices%% *} --model-batch-size 128 --out /tmp/long.jsonl 2> "$OUT/encode-x$copies.log"
    echo "encode x$copies exit $? wall $(awk "BEGIN {print $(date +%s.%N) - $start}") s"; grep -E "docs/s|Encoded" "$OUT/encode-x$copies.log" | sed -n '1,3p;$p'
    rm -f /tmp/long.jsonl
  fi
  [ "${SPARSE_FIDELITY:-0}" = 1 ] || exit 0
  # The fp32 graph sparsified in the graph, on CUDA with TF32 off, against the dense fp32 graph on the CPU provider.
  python3 models/export_sparse_onnx.py --family splade --checkpoint /tmp/ckpt --out /tmp/m32s --max-length 256 --output-form sparse 2>&1 | tail -1
  sparse encode --dataset /tmp/sf300 --model /tmp/m32 --device cpu --out /tmp/cpu300.jsonl 2> /tmp/cpu300.log
  sparse encode --dataset /tmp/sf300 --model /tmp/m32s --device cuda --tf32 false --out /tmp/gpu300.jsonl 2> /tmp/gpu300.log
  TF32=false-output-form-sparse python3 models/gpu/compare_postings.py /tmp/cpu300.jsonl /tmp/gpu300.jsonl | tee -a "$OUT/fidelity.json"
  exit 0
fi

if [ "${FIDELITY_ONLY:-0}" != 1 ] && [ "${INDEX_RATE:-0}" != 1 ]; then
python3 models/export_sparse_onnx.py --family splade --checkpoint /tmp/ckpt --out /tmp/m16 --max-length 256 --dtype fp16 --fuse 2>&1 | tail -2
python3 models/gpu/torch_bench.py --checkpoint /tmp/ckpt --texts /tmp/sf10/corpus.jsonl --max-length 256 --batch-size 128 --docs 20000 | tee "$OUT/torch.json"

for precision in 32 16; do
  start=$(date +%s.%N)
  sparse encode --dataset /tmp/sf10 --model /tmp/m$precision --device cuda --model-batch-size 128 --out /tmp/sf10-$precision.jsonl 2> "$OUT/encode-$precision.log"
  code=$?
  echo "{\"precision\": \"fp$precision\", \"exit\": $code, \"seconds\": $(awk "BEGIN {print $(date +%s.%N) - $start}"), \"docs\": 51830}" | tee -a "$OUT/encode.jsonl"
done

fi

# Indexing at the encode rate: the fp16 model straight into an impact index (INDEX_RATE=1), against encode alone.
if [ "${INDEX_RATE:-0}" = 1 ]; then
  [ -d /tmp/m16 ] || python3 models/export_sparse_onnx.py --family splade --checkpoint /tmp/ckpt --out /tmp/m16 --max-length 256 --dtype fp16 --fuse 2>&1 | tail -1
  sparse index --dataset /tmp/sf10 --encoder model --model /tmp/m16 --device cuda --model-batch-size 128 --index /tmp/sf10-index 2> "$OUT/index-16.log"
  echo "index exit $?"; tail -n 3 "$OUT/index-16.log"
  sparse encode --dataset /tmp/sf10 --model /tmp/m16 --device cuda --model-batch-size 128 --out /tmp/sf10-16.jsonl 2> "$OUT/encode-16.log"
  tail -n 1 "$OUT/encode-16.log"
  exit 0
fi

# Fidelity: the fp32 graph on CUDA, with TF32 (ONNX Runtime's default) and without, against the CPU provider,
# quantized at scale 100, on 300 documents.
sparse encode --dataset /tmp/sf300 --model /tmp/m32 --device cpu --out /tmp/cpu300.jsonl 2> /tmp/cpu300.log
for tf32 in true false; do
sparse encode --dataset /tmp/sf300 --model /tmp/m32 --device cuda --tf32 $tf32 --out /tmp/gpu300.jsonl 2> /tmp/gpu300.log
TF32=$tf32 python3 models/gpu/compare_postings.py /tmp/cpu300.jsonl /tmp/gpu300.jsonl | tee -a "$OUT/fidelity.json"
done
