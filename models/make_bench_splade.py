#!/usr/bin/env python3
"""Make an untrained distilbert-size SPLADE checkpoint with realistic sparsity, for GPU throughput benchmarks.

    python models/make_bench_splade.py --vocab ../shared/models/bert-base-uncased/vocab.txt --texts corpus.jsonl --out /tmp/bench-ckpt

A 6-layer BERT masked language model (hidden 768, 12 heads, the vocabulary given) with seeded random weights emits
about 15,000 non-zero SPLADE weights per document, and writing those, not the model, then dominates an encode. Trained
SPLADE models emit about 100-300. So the MLM output bias is shifted down by one constant, chosen on sample texts so the
median document keeps --target-nonzeros terms. The weights are untrained: this is for speed, never for relevance.
Writes a Hugging Face checkpoint directory (config, weights, vocab.txt) that models/export_sparse_onnx.py exports.
"""
import argparse
import json
import os
import shutil

import torch
from transformers import BertConfig, BertForMaskedLM, BertTokenizer


def sample_texts(path, count):
    texts = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            texts.append((record.get("title", "") + " " + record.get("text", "")).strip())
            if len(texts) == count:
                break
    return texts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vocab", required=True, help="BERT vocab.txt (30,522 tokens for bert-base-uncased)")
    parser.add_argument("--texts", required=True, help="BEIR corpus.jsonl whose first texts calibrate the sparsity")
    parser.add_argument("--out", required=True)
    parser.add_argument("--target-nonzeros", type=int, default=200)
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--max-length", type=int, default=256)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    vocab_size = sum(1 for _ in open(args.vocab, encoding="utf-8"))
    config = BertConfig(vocab_size=vocab_size, hidden_size=768, num_hidden_layers=args.layers, num_attention_heads=12,
                        intermediate_size=3072, max_position_embeddings=512)
    model = BertForMaskedLM(config).eval()
    tokenizer = BertTokenizer(args.vocab, do_lower_case=True)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model.to(device)
    batch = tokenizer(sample_texts(args.texts, 256), padding=True, truncation=True, max_length=args.max_length, return_tensors="pt").to(device)
    with torch.no_grad():
        logits = model(**batch).logits
        pooled = (logits + torch.where(batch["attention_mask"].unsqueeze(-1) > 0, 0.0, -1e9)).max(dim=1).values
        # The shift that leaves each document exactly target terms above zero; the median over documents is applied.
        kth = pooled.topk(args.target_nonzeros, dim=1).values[:, -1]
        shift = -float(kth.median())
        model.cls.predictions.bias.data += shift
        model.cls.predictions.decoder.bias = model.cls.predictions.bias
        after = (torch.relu(pooled + shift) > 0).sum(dim=1).float()
    print(json.dumps({"bias_shift": round(shift, 4), "nonzeros_median": float(after.median()), "nonzeros_mean": round(float(after.mean()), 1)}))
    os.makedirs(args.out, exist_ok=True)
    model.to("cpu").save_pretrained(args.out)
    shutil.copy(args.vocab, os.path.join(args.out, "vocab.txt"))


if __name__ == "__main__":
    main()
