#!/usr/bin/env python3
"""Export a Hugging Face sparse encoder to SparseSearch's model layout.

    python models/export_sparse_onnx.py --family splade --checkpoint naver/splade-cocondenser-ensembledistil \
        --out models/splade-cocondenser-ensembledistil

writes OUT/model.onnx (dynamic batch and sequence axes), OUT/vocab.txt, OUT/sparse-model.json and, when the
checkpoint has one, OUT/idf.json. Before anything is written the ONNX graph is run (onnxruntime when installed,
otherwise onnx's reference evaluator) on a few texts and compared with PyTorch; a mismatch above --tolerance aborts.

Families (the graph's output, what SparseSearch does with it):
  splade   pooled: log1p(relu(logits)) (a second log1p with --activation log1p_log1p_relu, OpenSearch doc-v3),
           masked and max-pooled over the sequence inside the graph (the fast path), then sparsified
           in the graph: positions [nnz] (row * vocab + term, int64) and weights [nnz], so only non-zeros leave
           the device (--output-form dense: the [batch, vocab] weights);
           raw: the MLM logits [batch, seq, vocab], pooled on the host (--graph raw).
  unicoil  relu(tok_proj(last_hidden_state)) -> [batch, seq, 1]; the host keeps each token id's largest impact.
           Checkpoints hold "bert.*" and "tok_proj.*" weights (castorini's layout).
  csr      dense encoder pooled (cls or mean) -> relu(W_enc (x - b_pre) + b_enc) -> [batch, latent]; the host keeps
           the top k latents as terms c<index>. Checkpoints hold the encoder plus sae.safetensors (W_enc [latent,
           hidden], b_enc, b_pre) and csr.json {"pooling", "top_k"}.
"""
import argparse
import json
import math
import os
import shutil
import sys
import tempfile

import torch
from torch import nn

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
CHECK_TEXTS = [
    "what is learned sparse retrieval?",
    "An inverted index maps every term to the documents that contain it, " * 3,
    "Café déjà vu – naïve façade",
]


def tree_max(scores, max_length):
    """Max over the last axis as halvings with elementwise Max: each level takes the max of the first and the last
    ceil(n / 2) entries (they overlap by one when n is odd, which max does not mind). The number of levels is fixed by
    max_length, so the traced graph serves every sequence length; once one entry is left, a level changes nothing."""
    for _ in range(max(1, math.ceil(math.log2(max_length)))):
        n = scores.shape[-1]
        half = (n + 1) // 2
        scores = torch.maximum(scores[..., :half], scores[..., n - half:])
    return scores.squeeze(-1)


class SpladePooled(nn.Module):
    """SPLADE's pooled weights, computed the way a GPU runs them fast.

    The vocabulary projection is the headless model's transformed hidden state [batch, sequence, hidden] times the
    output embeddings, laid out [batch, vocabulary, sequence], so the max over positions runs along the last axis
    (ONNX Runtime's max over the middle axis was 56% of the fp16 graph's kernel time). The max is taken over unmasked
    raw scores; the output bias and the activation (monotone, never below 0, which a masked position would give) come
    after it, on [batch, vocabulary] only. Equal to SPLADE's max over positions of log1p(relu(logit)) x mask; the export
    checks it against that definition (reference)."""

    def __init__(self, mlm, activation, pool="tree", max_length=512, sparse=False):
        super().__init__()
        import copy
        self.mlm, self.activation, self.pool, self.max_length, self.sparse = mlm, activation, pool, max_length, sparse
        self.headless = copy.deepcopy(mlm)
        target = self.headless.get_output_embeddings()
        # The copy's own tensors: where the projection is tied to the input embeddings, the graph holds it once.
        self.weight, self.bias = target.weight, target.bias
        for name, module in self.headless.named_modules():
            for child_name, child in module.named_children():
                if child is target:
                    setattr(module, child_name, nn.Identity())

    def forward(self, input_ids, attention_mask, token_type_ids):
        weights = self.dense(input_ids, attention_mask, token_type_ids)
        if not self.sparse:
            return weights
        # Only the non-zeros leave the graph (a few hundred of 30,522 per text): their flat positions, row-major, and
        # their weights. On a GPU the [batch, vocab] tensor then never crosses the bus.
        flat = weights.reshape(-1)
        positions = torch.nonzero(flat).squeeze(1)
        return positions, flat[positions]

    def dense(self, input_ids, attention_mask, token_type_ids):
        """The pooled [batch, vocab] weights."""
        hidden = self.headless(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits
        scores = torch.matmul(self.weight, hidden.transpose(1, 2))
        scores = scores.masked_fill(attention_mask.unsqueeze(1) == 0, float("-inf"))
        if self.pool == "globalmaxpool":
            top = nn.functional.adaptive_max_pool1d(scores, 1).squeeze(-1)
        elif self.pool == "tree":
            top = tree_max(scores, self.max_length)
        else:
            top = scores.amax(dim=2)
        weights = torch.log1p(torch.relu(top + self.bias))
        if self.activation == "log1p_log1p_relu":
            weights = torch.log1p(weights)
        return weights

    def reference(self, input_ids, attention_mask, token_type_ids):
        """SPLADE's pooling as defined, for the export's check."""
        logits = self.mlm(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits
        weights = torch.log1p(torch.relu(logits))
        if self.activation == "log1p_log1p_relu":
            weights = torch.log1p(weights)
        return (weights * attention_mask.unsqueeze(-1).to(weights.dtype)).max(dim=1).values


class SpladeRaw(nn.Module):
    def __init__(self, mlm):
        super().__init__()
        self.mlm = mlm

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.mlm(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits


class UniCoil(nn.Module):
    def __init__(self, bert, tok_proj):
        super().__init__()
        self.bert, self.tok_proj = bert, tok_proj

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
        return torch.relu(self.tok_proj(hidden))


class CsrLatent(nn.Module):
    def __init__(self, encoder, w_enc, b_enc, b_pre, pooling):
        super().__init__()
        self.encoder, self.pooling = encoder, pooling
        self.w_enc, self.b_enc, self.b_pre = nn.Parameter(w_enc), nn.Parameter(b_enc), nn.Parameter(b_pre)

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
        if self.pooling == "mean":
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            x = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1)
        else:
            x = hidden[:, 0]
        return torch.relu((x - self.b_pre) @ self.w_enc.T + self.b_enc)


def load_state_dict(checkpoint):
    for name in ("model.safetensors", "pytorch_model.bin"):
        path = os.path.join(checkpoint, name)
        if os.path.exists(path):
            if name.endswith(".safetensors"):
                from safetensors.torch import load_file
                return load_file(path)
            return torch.load(path, map_location="cpu", weights_only=True)
    raise SystemExit(f"error: no model.safetensors or pytorch_model.bin in {checkpoint}")


def local_checkpoint(checkpoint):
    if os.path.isdir(checkpoint):
        return checkpoint
    from huggingface_hub import snapshot_download
    return snapshot_download(checkpoint)


def build(args, checkpoint):
    from transformers import AutoConfig, AutoModel, AutoModelForMaskedLM, BertModel
    if args.family == "splade":
        mlm = AutoModelForMaskedLM.from_pretrained(checkpoint, attn_implementation=args.attention).eval()
        if args.graph == "raw":
            return SpladeRaw(mlm).eval(), "logits", "mlm_logits"
        if args.output_form == "sparse":
            return SpladePooled(mlm, args.activation, args.pool, args.max_length, sparse=True).eval(), "weights", "pooled_sparse"
        return SpladePooled(mlm, args.activation, args.pool, args.max_length).eval(), "weights", "pooled"
    if args.family == "unicoil":
        state = load_state_dict(checkpoint)
        config = AutoConfig.from_pretrained(checkpoint, attn_implementation=args.attention)
        bert = BertModel(config, add_pooling_layer=False)
        bert.load_state_dict({k[len("bert."):]: v for k, v in state.items() if k.startswith("bert.") and "pooler" not in k}, strict=True)
        tok_proj = nn.Linear(config.hidden_size, 1)
        tok_proj.load_state_dict({"weight": state["tok_proj.weight"], "bias": state["tok_proj.bias"]})
        return UniCoil(bert, tok_proj).eval(), "impacts", "token_impacts"
    if args.family == "csr":
        from safetensors.torch import load_file
        sae = load_file(os.path.join(checkpoint, "sae.safetensors"))
        settings = json.load(open(os.path.join(checkpoint, "csr.json")))
        args.top_k = args.top_k or settings["top_k"]
        encoder = AutoModel.from_pretrained(checkpoint, add_pooling_layer=False, attn_implementation=args.attention).eval()
        return CsrLatent(encoder, sae["W_enc"], sae["b_enc"], sae["b_pre"], settings.get("pooling", "cls")).eval(), "latent", "latent"
    raise SystemExit(f"error: unknown --family {args.family}; expected splade, unicoil or csr")


def tokenize(tokenizer, texts, max_length):
    return tokenizer(texts, padding=True, truncation=True, max_length=max_length, return_tensors="pt", return_token_type_ids=True)


def run_onnx(path, feeds, output_kind, rows):
    """The graph's output as a dense array; a sparse (positions, weights) output is scattered back into [rows, vocab]."""
    try:
        import onnxruntime
        session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
        outputs = session.run(None, feeds)
    except ImportError:
        from onnx.reference import ReferenceEvaluator
        outputs = ReferenceEvaluator(path).run(None, feeds)
    if output_kind != "pooled_sparse":
        return outputs[0]
    import numpy
    positions, weights = outputs
    vocab = len(open(os.path.join(os.path.dirname(path), "vocab.txt"), encoding="utf-8").read().splitlines())
    dense = numpy.zeros(rows * vocab, dtype="float32")
    dense[positions] = weights
    return dense.reshape(rows, vocab)


def export(args):
    from transformers import BertTokenizer
    checkpoint = local_checkpoint(args.checkpoint)
    model, output_name, output_kind = build(args, checkpoint)
    tokenizer = BertTokenizer(os.path.join(checkpoint, "vocab.txt"), do_lower_case=True)
    batch = tokenize(tokenizer, CHECK_TEXTS, args.max_length)
    inputs = (batch["input_ids"], batch["attention_mask"], batch["token_type_ids"])
    work = tempfile.mkdtemp()
    onnx_path = os.path.join(work, "model.onnx")
    sequence_axes = {0: "batch", 1: "sequence"}
    output_axes = {0: "batch"} if output_kind in ("pooled", "latent") else {0: "nonzeros"} if output_kind == "pooled_sparse" else {0: "batch", 1: "sequence"}
    output_names = ["positions", output_name] if output_kind == "pooled_sparse" else [output_name]
    with torch.no_grad():
        expected = (model.reference(*inputs) if hasattr(model, "reference") else model(*inputs)).float().numpy()
        torch.onnx.export(model, inputs, onnx_path, input_names=["input_ids", "attention_mask", "token_type_ids"],
                          output_names=output_names, opset_version=17, dynamo=False,
                          dynamic_axes={"input_ids": sequence_axes, "attention_mask": sequence_axes, "token_type_ids": sequence_axes,
                                        **{name: output_axes for name in output_names}})
    if args.fuse:
        # ONNX Runtime's transformer optimizer, offline and provider-neutral (opt_level 0): attention, SkipLayerNorm,
        # bias-GELU and embedding fusions in the encoder. The check below runs the fused graph against PyTorch.
        from onnxruntime.transformers.optimizer import optimize_model
        encoder = getattr(model, "mlm", None) or getattr(model, "bert", None) or model.encoder
        fused = optimize_model(onnx_path, model_type="bert", num_heads=encoder.config.num_attention_heads,
                               hidden_size=encoder.config.hidden_size, opt_level=0)
        print("fused operators:", json.dumps({k: v for k, v in fused.get_fused_operator_statistics().items() if v}), file=sys.stderr)
        fused.save_model_to_file(onnx_path)
    if args.dtype == "fp16":
        # Exporting a half-precision module mixes float and float16 in LayerNormalization; converting the float32
        # graph instead keeps float32 inputs and outputs and runs the body in float16.
        import onnx
        from onnxruntime.transformers.float16 import convert_float_to_float16
        from onnxruntime.transformers.float16 import DEFAULT_OP_BLOCK_LIST
        # Elementwise Max is exact in float16; the default list keeps it in float32, which would widen the whole
        # [batch, vocab, sequence] tensor for the tree pooling.
        blocked = [op for op in DEFAULT_OP_BLOCK_LIST if op != "Max"]
        onnx.save(convert_float_to_float16(onnx.load(onnx_path), keep_io_types=True, op_block_list=blocked), onnx_path)
    feeds = {name: tensor.numpy() for name, tensor in zip(["input_ids", "attention_mask", "token_type_ids"], inputs)}
    shutil.copy(os.path.join(checkpoint, "vocab.txt"), os.path.join(work, "vocab.txt"))
    actual = run_onnx(onnx_path, feeds, output_kind, len(CHECK_TEXTS)).astype("float32")
    scale = max(1e-6, float(abs(expected).max()))
    error = float(abs(actual - expected).max()) / scale
    tolerance = args.tolerance if args.tolerance is not None else (1e-2 if args.dtype == "fp16" else 1e-4)
    if error > tolerance:
        raise SystemExit(f"error: ONNX output differs from PyTorch by {error:.2e} (relative to the largest value); nothing written")
    os.makedirs(args.out, exist_ok=True)
    shutil.move(onnx_path, os.path.join(args.out, "model.onnx"))
    shutil.copy(os.path.join(checkpoint, "vocab.txt"), os.path.join(args.out, "vocab.txt"))
    idf = args.idf or (os.path.join(checkpoint, "idf.json") if os.path.exists(os.path.join(checkpoint, "idf.json")) else None)
    if idf:
        shutil.copy(idf, os.path.join(args.out, "idf.json"))
    manifest = {
        "format_version": 1,
        "name": args.name or os.path.basename(os.path.normpath(args.out)),
        "family": args.family,
        "source": args.checkpoint,
        "onnx": "model.onnx",
        "precision": args.dtype,
        "tokenizer": {"kind": "wordpiece", "vocab": "vocab.txt", "lowercase": True, "max_length": args.max_length},
        "inputs": {"input_ids": "input_ids", "attention_mask": "attention_mask", "token_type_ids": "token_type_ids"},
        "output": {"name": output_name, "kind": output_kind, **({"positions": "positions"} if output_kind == "pooled_sparse" else {})},
        "activation": args.activation if args.family == "splade" else "none",
        "drop_tokens": SPECIAL_TOKENS,
        "prune_ratio": args.prune_ratio,
        "top_k": args.top_k if args.family == "csr" else None,
        "query": {"mode": args.query, "idf": "idf.json" if idf else None},
        "quantization": {"scale": args.scale, "rounding": "half-up"},
    }
    with open(os.path.join(args.out, "sparse-model.json"), "w") as f:
        json.dump({k: v for k, v in manifest.items() if v is not None}, f, indent=2)
    print(f"wrote {args.out} (ONNX vs PyTorch max relative difference {error:.1e})")
    # torch.onnx.export restores the wrapper's training flag recursively: make sure callers get an inference model.
    return model.eval(), tokenizer


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--family", required=True, choices=["splade", "unicoil", "csr"])
    parser.add_argument("--checkpoint", required=True, help="Hugging Face model id or local directory")
    parser.add_argument("--out", required=True, help="model directory to write (models/<name>)")
    parser.add_argument("--name")
    parser.add_argument("--graph", choices=["pooled", "raw"], default="pooled", help="splade: pool in the graph (fast) or on the host")
    parser.add_argument("--activation", choices=["log1p_relu", "log1p_log1p_relu"], default="log1p_relu")
    parser.add_argument("--dtype", choices=["fp32", "fp16"], default="fp32")
    parser.add_argument("--pool", choices=["reducemax", "globalmaxpool", "tree"], default="tree",
                        help="how the max over positions is taken (splade pooled): halvings with elementwise Max (default: on an H200, fp16, "
                             "4,730 docs/s model alone against 4,379 with ReduceMax and 3,439 with GlobalMaxPool; eval/RESULTS.md), ReduceMax "
                             "over the last axis, or GlobalMaxPool")
    parser.add_argument("--output-form", choices=["sparse", "dense"], default="sparse",
                        help="splade pooled: 'sparse' (default) sparsifies in the graph, outputs positions [nnz] (row x vocab + term) and "
                             "weights [nnz], so only non-zeros leave the GPU (H200, fp16: 4,988 against 4,720 docs/s model alone); "
                             "'dense' outputs the [batch, vocab] weights")
    parser.add_argument("--fuse", action="store_true",
                        help="run ONNX Runtime's transformer optimizer on the graph (SkipLayerNorm, bias-GELU, attention where its pattern matches) "
                             "before any fp16 conversion; recommended for GPUs (H200, fp16: 5,714 against 5,489 docs/s model alone)")
    parser.add_argument("--attention", choices=["eager", "sdpa"], default="eager",
                        help="the encoder's attention as traced: 'eager' (default; MatMul, Softmax, MatMul) or PyTorch's "
                             "scaled_dot_product_attention ('sdpa'). H200, fp16, fused, two in flight: 5,958 against 5,565 docs/s model "
                             "alone. Neither becomes ONNX Runtime 1.30's fused Attention operator under transformers 5 (its boolean mask "
                             "nodes do not match the fusion's pattern)")
    parser.add_argument("--max-length", type=int, default=512, help="tokens per document at inference (SPLADE trains at 256; this changes scores)")
    parser.add_argument("--query", choices=["inference-free", "siamese"], default="inference-free")
    parser.add_argument("--idf", help="idf.json (token -> idf) for inference-free queries; taken from the checkpoint when it has one")
    parser.add_argument("--prune-ratio", type=float, default=0.0, help="drop document weights below this fraction of the document's largest")
    parser.add_argument("--top-k", type=int, default=0, help="csr: latents kept per text (default: csr.json's)")
    parser.add_argument("--scale", type=float, default=100.0, help="quantization: impact = round_half_up(weight x scale)")
    parser.add_argument("--tolerance", type=float, default=None, help="largest ONNX-vs-PyTorch difference accepted, relative to the largest output (1e-4; fp16: 1e-2)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    export(parse())
