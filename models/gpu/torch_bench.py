#!/usr/bin/env python3
"""PyTorch eager baseline for GPU encoding: docs/s of the SPLADE model alone, fp16 and fp32, on the texts and with the
truncation and batch size sparse encode uses. Prints one JSON object.

    python models/gpu/torch_bench.py --checkpoint CKPT --texts corpus.jsonl --max-length 256 --batch-size 128
"""
import argparse
import json
import time

import torch
from transformers import BertForMaskedLM, BertTokenizerFast


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--texts", required=True)
    parser.add_argument("--max-length", type=int, default=256)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--docs", type=int, default=20000)
    args = parser.parse_args()
    texts = []
    with open(args.texts, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            texts.append((record.get("title", "") + " " + record.get("text", "")).strip())
            if len(texts) == args.docs:
                break
    tokenizer = BertTokenizerFast(f"{args.checkpoint}/vocab.txt", do_lower_case=True)
    # Tokenized up front: this baseline is the model alone, on the GPU, as the issue defines it.
    batches = [tokenizer(texts[i:i + args.batch_size], padding=True, truncation=True, max_length=args.max_length, return_tensors="pt")
               for i in range(0, len(texts), args.batch_size)]
    result = {"docs": len(texts), "batch_size": args.batch_size, "max_length": args.max_length}
    for dtype in (torch.float16, torch.float32):
        model = BertForMaskedLM.from_pretrained(args.checkpoint, torch_dtype=dtype).cuda().eval()
        with torch.inference_mode():
            for batch in batches[:2]:
                model(**{k: v.cuda() for k, v in batch.items()})
            torch.cuda.synchronize()
            start = time.perf_counter()
            for batch in batches:
                feeds = {k: v.cuda(non_blocking=True) for k, v in batch.items()}
                logits = model(**feeds).logits
                weights = torch.log1p(torch.relu(logits)) * feeds["attention_mask"].unsqueeze(-1)
                weights.max(dim=1).values
            torch.cuda.synchronize()
            elapsed = time.perf_counter() - start
        result[f"torch_{'fp16' if dtype == torch.float16 else 'fp32'}_docs_per_s"] = round(len(texts) / elapsed, 1)
        del model
        torch.cuda.empty_cache()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
