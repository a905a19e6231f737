#!/usr/bin/env python3
"""Build small, randomly initialised but architecturally real sparse encoders, export each with export_sparse_onnx.py,
and save PyTorch's sparse output for a fixed set of texts: the fixtures of SparseSearch's fidelity tests.

    python models/testing/make_test_models.py OUT_DIR [--bench] [--only tiny-splade-sparse,...]

OUT_DIR/fixtures.tar.gz holds, per model (tiny-splade, -raw, -l0, -fp16, -sparse, tiny-unicoil, tiny-csr), the exported directory (model.onnx, vocab.txt, sparse-model.json, idf.json
for the inference-free SPLADE) and reference.jsonl: {"text", "input_ids", "vector": {token: weight}} computed by
PyTorch (float32, CPU, one text at a time) with the same conventions SparseSearch implements. --bench also writes
OUT_DIR/bench-pooled.onnx and bench-raw.onnx: a distilbert-size SPLADE graph (6 layers, 768 hidden, 30,522 vocab)
whose large float weights are external (weights.bin, filled with random values by `sparse models bench`), so the
graph travels in a few hundred kB.
"""
import json
import os
import sys
import tarfile
import tempfile

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import export_sparse_onnx as exporter  # noqa: E402

MAX_LENGTH = 48
TEXTS = [
    "what is learned sparse retrieval",
    "An inverted index maps every term to the list of documents that contain it.",
    "Sparse autoencoders keep the top k activations of a dense embedding!",
    "Café déjà vu: naïve façades, São Paulo and Zürich",
    "東京 and 北京 are cities; emoji 😀 🚀 are unknown here",
    "$100 + 20% = £ ×® `code` [brackets] {braces} <tags>",
    "\u0000\u200b \t\n ",
    "",
    "retrieval " * 60,
    "The quick brown fox jumps over the lazy dog while the model computes weights for each vocabulary term, " * 4,
    "UPPER CASE Words And MiXeD case",
    "numbers 12345 and 3.14159 and 2026-11-23",
]
WORDS = """the of and to in a is that for it as with was on be by this are or an from at which not have has but
they their one all can more also its been were other these when there who will two time into such only may any
some new first used use than each most about over would how what where retrieval sparse dense index inverted term
terms document documents query queries search model models learned weight weights vector vectors token tokens
word words language neural network score scores rank ranking list lists top k code embedding embeddings auto
encoder encoders activation activations city cities case numbers quick brown fox jumps lazy dog while computes
vocabulary each keep map maps contain unknown here emoji upper mixed brackets braces tags paris tokyo cafe""".split()


def write_vocab(path):
    tokens = exporter.SPECIAL_TOKENS + list("abcdefghijklmnopqrstuvwxyz0123456789")
    tokens += list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~£×®–")
    tokens += ["##" + c for c in "abcdefghijklmnopqrstuvwxyz0123456789"]
    tokens += ["##s", "##ed", "##ing", "##ly", "##er", "##es", "##al", "##ion", "##ation"]
    tokens += [w for w in dict.fromkeys(WORDS) if w not in tokens]
    tokens = list(dict.fromkeys(tokens))
    with open(path, "w") as f:
        f.write("\n".join(tokens) + "\n")
    return tokens


def config(vocab_size):
    from transformers import BertConfig
    return BertConfig(vocab_size=vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                      intermediate_size=64, max_position_embeddings=128, type_vocab_size=2)


def save(state, directory, cfg, vocab_path):
    from safetensors.torch import save_file
    os.makedirs(directory, exist_ok=True)
    save_file({k: v.contiguous() for k, v in state.items()}, os.path.join(directory, "model.safetensors"))
    cfg.save_pretrained(directory)
    os.system(f"cp {vocab_path} {directory}/vocab.txt")


def sparse_reference(family, model, tokenizer, tokens, text, activation="log1p_relu", top_k=0, drop=()):
    batch = exporter.tokenize(tokenizer, [text], MAX_LENGTH)
    with torch.no_grad():
        # A graph that sparsifies (--output-form sparse) is compared on its dense weights, before the sparsifying.
        forward = model.dense if hasattr(model, "dense") else model
        out = forward(batch["input_ids"], batch["attention_mask"], batch["token_type_ids"]).float()
    ids = batch["input_ids"][0].tolist()
    vector = {}
    if family == "splade-pooled":
        for i, w in enumerate(out[0].tolist()):
            if w > 0 and tokens[i] not in drop:
                vector[tokens[i]] = w
    elif family == "splade-raw":
        weights = torch.log1p(torch.relu(out[0]))
        if activation == "log1p_log1p_relu":
            weights = torch.log1p(weights)
        pooled = (weights * batch["attention_mask"][0].unsqueeze(-1)).max(dim=0).values
        for i, w in enumerate(pooled.tolist()):
            if w > 0 and tokens[i] not in drop:
                vector[tokens[i]] = w
    elif family == "unicoil":
        for position, token_id in enumerate(ids):
            w = out[0, position, 0].item()
            token = tokens[token_id]
            if w > 0 and token not in drop and w > vector.get(token, 0):
                vector[token] = w
    elif family == "csr":
        values, indices = torch.topk(out[0], top_k)
        for w, i in zip(values.tolist(), indices.tolist()):
            if w > 0:
                vector[f"c{i}"] = w
    return {"text": text, "input_ids": ids, "vector": vector}


def main(out_dir, bench, only=()):
    from transformers import BertForMaskedLM, BertModel, BertTokenizer
    from safetensors.torch import save_file
    os.makedirs(out_dir, exist_ok=True)
    work = tempfile.mkdtemp()
    vocab_path = os.path.join(work, "vocab.txt")
    tokens = write_vocab(vocab_path)
    tokenizer = BertTokenizer(vocab_path, do_lower_case=True)
    cfg = config(len(tokens))
    drop = set(exporter.SPECIAL_TOKENS)
    models = os.path.join(work, "models")

    # SPLADE: a BERT masked-language model with the real MLM head; pooled in the graph and raw logits.
    torch.manual_seed(1)
    mlm = BertForMaskedLM(cfg).eval()
    splade_checkpoint = os.path.join(work, "ckpt-splade")
    mlm.save_pretrained(splade_checkpoint)
    os.system(f"cp {vocab_path} {splade_checkpoint}/vocab.txt")
    idf = {t: round(0.5 + (i % 17) / 4, 3) for i, t in enumerate(tokens) if t not in drop and i % 3 != 0}
    with open(os.path.join(splade_checkpoint, "idf.json"), "w") as f:
        json.dump(idf, f)
    jobs = [
        ("tiny-splade", "splade-pooled", ["--family", "splade", "--graph", "pooled", "--output-form", "dense"], splade_checkpoint),
        ("tiny-splade-raw", "splade-raw", ["--family", "splade", "--graph", "raw", "--query", "siamese"], splade_checkpoint),
        ("tiny-splade-l0", "splade-pooled-l0", ["--family", "splade", "--graph", "pooled", "--output-form", "dense", "--activation", "log1p_log1p_relu"], splade_checkpoint),
        # float16 graph; its reference stays PyTorch's float32 output (the exporter converts the ONNX graph only).
        ("tiny-splade-fp16", "splade-pooled", ["--family", "splade", "--graph", "pooled", "--output-form", "dense", "--dtype", "fp16"], splade_checkpoint),
        # The same weights, sparsified in the graph (the exporter's default): (positions, weights) of the non-zeros only.
        ("tiny-splade-sparse", "splade-pooled", ["--family", "splade", "--graph", "pooled", "--output-form", "sparse"], splade_checkpoint),
    ]

    # uniCOIL: BERT + a one-output projection per token (castorini's bert.* / tok_proj.* layout).
    torch.manual_seed(2)
    bert = BertModel(cfg, add_pooling_layer=False)
    tok_proj = nn.Linear(cfg.hidden_size, 1)
    with torch.no_grad():
        tok_proj.bias.fill_(0.3)
    unicoil_checkpoint = os.path.join(work, "ckpt-unicoil")
    state = {f"bert.{k}": v for k, v in bert.state_dict().items()}
    state.update({"tok_proj.weight": tok_proj.weight.data, "tok_proj.bias": tok_proj.bias.data})
    save(state, unicoil_checkpoint, cfg, vocab_path)
    jobs.append(("tiny-unicoil", "unicoil", ["--family", "unicoil"], unicoil_checkpoint))

    # CSR: a small dense encoder (CLS pooling) and a TopK sparse autoencoder over its embedding.
    torch.manual_seed(3)
    encoder = BertModel(cfg, add_pooling_layer=False)
    csr_checkpoint = os.path.join(work, "ckpt-csr")
    encoder.save_pretrained(csr_checkpoint)
    os.system(f"cp {vocab_path} {csr_checkpoint}/vocab.txt")
    latent = 256
    save_file({"W_enc": torch.randn(latent, cfg.hidden_size) * 0.3, "b_enc": torch.randn(latent) * 0.1,
               "b_pre": torch.randn(cfg.hidden_size) * 0.1}, os.path.join(csr_checkpoint, "sae.safetensors"))
    with open(os.path.join(csr_checkpoint, "csr.json"), "w") as f:
        json.dump({"pooling": "cls", "top_k": 8}, f)
    jobs.append(("tiny-csr", "csr", ["--family", "csr", "--query", "siamese"], csr_checkpoint))

    summary = {}
    for name, kind, flags, checkpoint in jobs:
        if only and name not in only:
            continue
        target = os.path.join(models, name)
        args = exporter.parse(flags + ["--checkpoint", checkpoint, "--out", target, "--name", name, "--max-length", str(MAX_LENGTH)])
        model, _ = exporter.export(args)
        model.eval()
        activation = "log1p_log1p_relu" if kind.endswith("-l0") else "log1p_relu"
        family = kind.replace("-l0", "")
        with open(os.path.join(target, "reference.jsonl"), "w") as f:
            for text in TEXTS:
                record = sparse_reference(family, model, tokenizer, tokens, text, activation, args.top_k, drop)
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        summary[name] = sorted(os.listdir(target))
    with tarfile.open(os.path.join(out_dir, "fixtures.tar.gz"), "w:gz") as tar:
        tar.add(models, arcname="models")
    print(json.dumps(summary, indent=1))

    if bench:
        write_bench_graphs(out_dir)


def write_bench_graphs(out_dir):
    """distilbert-size SPLADE (random weights): graphs only; big float initializers external in weights.bin."""
    import onnx
    from transformers import BertConfig, BertForMaskedLM
    cfg = BertConfig(vocab_size=30522, hidden_size=768, num_hidden_layers=6, num_attention_heads=12, intermediate_size=3072,
                     max_position_embeddings=512)
    torch.manual_seed(4)
    mlm = BertForMaskedLM(cfg).eval()
    ids = torch.randint(1000, 30000, (2, 16))
    inputs = (ids, torch.ones_like(ids), torch.zeros_like(ids))
    axes = {0: "batch", 1: "sequence"}
    for graph, module, output, out_axes in (("pooled", exporter.SpladePooled(mlm, "log1p_relu"), "weights", {0: "batch"}),
                                            ("raw", exporter.SpladeRaw(mlm), "logits", axes)):
        work = tempfile.mkdtemp()
        path = os.path.join(work, "model.onnx")
        with torch.no_grad():
            torch.onnx.export(module, inputs, path, input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=[output],
                              opset_version=17, dynamo=False,
                              dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, output: out_axes})
        model = onnx.load(path)
        onnx.external_data_helper.convert_model_to_external_data(model, all_tensors_to_one_file=True, location="weights.bin", size_threshold=65536)
        for tensor in model.graph.initializer:
            if onnx.external_data_helper.uses_external_data(tensor):
                assert tensor.data_type == onnx.TensorProto.FLOAT, tensor.name
        # Keep only the graph: the external data file is regenerated (random) where the benchmark runs.
        onnx.save_model(model, os.path.join(work, "export.onnx"), save_as_external_data=True, all_tensors_to_one_file=True,
                        location="weights.bin", size_threshold=65536)
        os.replace(os.path.join(work, "export.onnx"), os.path.join(out_dir, f"bench-{graph}.onnx"))
        print(graph, os.path.getsize(os.path.join(out_dir, f"bench-{graph}.onnx")), "bytes of graph;",
              os.path.getsize(os.path.join(work, "weights.bin")), "bytes of weights")


if __name__ == "__main__":
    # --only NAME[,NAME]: export just these fixtures (the others keep their committed bytes).
    chosen = sys.argv[sys.argv.index("--only") + 1].split(",") if "--only" in sys.argv else ()
    main(sys.argv[1], "--bench" in sys.argv, chosen)
