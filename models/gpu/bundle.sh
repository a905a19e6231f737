#!/usr/bin/env bash
# Packs a self-contained GPU build of sparse for the H200 device machine (no .NET there) into .device/ (git-ignored):
#   app.tar.zst          the publish without Windows/TensorRT files and without the CUDA provider (zstd -19)
#   cuda.zst.part-*      the CUDA provider alone (zstd -19 --long=27), split to fit one device call each
#   tools/               zstd and libzstd.so.1 (the device has no zstd)
#   data/                vocab.txt and the SciFact corpus from ../shared (which does not travel)
# Usage: models/gpu/bundle.sh [shared-dir]; then models/gpu/README.md's calls, one carried part per call.
set -euo pipefail
cd "$(dirname "$0")/../.."
shared=${1:-../shared}
out=.device
rm -rf "$out" && mkdir -p "$out/tools" "$out/data"
dotnet publish src/SparseSearch.Cli -c Release -r linux-x64 --self-contained -p:OnnxRuntimeGpu=true -o "$out/publish" -v quiet -nologo
find "$out/publish" \( -name '*tensorrt*' -o -name '*.dll.config' -o -path '*/runtimes/win*' \) -prune -exec rm -rf {} +
provider=$(find "$out/publish" -name libonnxruntime_providers_cuda.so | head -1)
mv "$provider" "$out/libonnxruntime_providers_cuda.so"
tar -C "$out/publish" -cf - . | zstd -19 -T0 -q -o "$out/app.tar.zst"
zstd -19 --long=27 -T0 -q "$out/libonnxruntime_providers_cuda.so" -o "$out/cuda.zst"
split -b 47000000 "$out/cuda.zst" "$out/cuda.zst.part-"
rm -rf "$out/publish" "$out/cuda.zst" "$out/libonnxruntime_providers_cuda.so"
cp /usr/bin/zstd "$out/tools/" && cp -L "$(ldconfig -p | awk '/libzstd.so.1 /{print $NF; exit}')" "$out/tools/libzstd.so.1"
cp "$shared/models/bert-base-uncased/vocab.txt" "$shared/datasets/scifact/corpus.jsonl.gz" "$out/data/"
ls -la "$out" "$out/tools" "$out/data"
