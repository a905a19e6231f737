#!/usr/bin/env python3
"""Compares two JsonVectorCollection files as impact postings (weights quantized at scale 100, half up): how many of
the first file's postings the second holds with the same impact, and how many postings only the second has. The
setting compared is named by $TF32. Prints one JSON line."""
import json
import os
import sys


def load(path):
    return {d["id"]: {t: int(w * 100 + 0.5) for t, w in d["vector"].items() if int(w * 100 + 0.5) > 0} for d in map(json.loads, open(path))}


cpu, gpu = load(sys.argv[1]), load(sys.argv[2])
postings = sum(len(v) for v in cpu.values())
same = sum(1 for i, v in cpu.items() for t, w in v.items() if gpu.get(i, {}).get(t) == w)
extra = sum(1 for i, v in gpu.items() for t in v if t not in cpu.get(i, {}))
print(json.dumps({"tf32": os.environ.get("TF32", "?"), "documents": len(cpu), "cpu_postings": postings, "identical_postings": same,
                  "identical_fraction": round(same / postings, 5), "gpu_only_postings": extra, "nonzeros_per_doc": round(postings / len(cpu), 1)}))
