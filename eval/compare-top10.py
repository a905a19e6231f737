#!/usr/bin/env python3
"""Counts the queries whose top-10 is identical in two TREC run files, in trec_eval order (score desc, doc id desc).

Usage: eval/compare-top10.py REFERENCE.trec OTHER.trec
"""
import collections
import sys


def top10(path):
    hits = collections.defaultdict(list)
    with open(path) as f:
        for line in f:
            query, _, doc, _, score, _ = line.split()
            hits[query].append((float(score), doc))
    return {q: [d for _, d in sorted(h, reverse=True)[:10]] for q, h in hits.items()}


reference, other = top10(sys.argv[1]), top10(sys.argv[2])
same = sum(1 for q in reference if reference[q] == other.get(q))
print(f"top-10 identical: {same}/{len(reference)} ({100 * same / len(reference):.1f}%)  {sys.argv[2]} vs {sys.argv[1]}")
