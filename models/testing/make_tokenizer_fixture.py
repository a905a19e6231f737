"""Writes the WordPiece parity fixture: Hugging Face BertTokenizer (uncased) tokens for >= 1,000 varied strings.

Run where transformers is installed (no network needed):
    python models/testing/make_tokenizer_fixture.py VOCAB_TXT OUT.jsonl
Each output line: {"text": ..., "tokens": [...]}. The strings are generated from a fixed seed so the fixture is
reproducible; they cover accents, CJK, emoji, currency and math symbols, control characters, very long words,
punctuation runs and mixed real-looking queries.
"""
import json
import random
import sys

from transformers import BertTokenizer

PIECES = [
    "café", "naïve", "Ångström", "résumé", "Straße", "Ærø", "İstanbul", "Łódź", "São Paulo", "façade", "jalapeño",
    "北京大学", "東京", "한국어", "ひらがな", "カタカナ", "中文字符测试",
    "😀", "🚀🔥", "👩‍🔬", "🇫🇷", "✔", "★",
    "$100", "£5", "€20", "¥300", "₹99", "¢", "₿",
    "x²+y²=z²", "∑∫∂", "≤≥≠", "±×÷", "√2", "∞", "π≈3.14", "α-β γ", "1/2", "½ ¾",
    "\t", "\n", "\r\n", "\x00", "\x07", "\u200b", "\u00a0", "\ufeff", "\u2028", "\x1f", "\ufffd",
    "supercalifragilisticexpialidocious", "pneumonoultramicroscopicsilicovolcanoconiosis", "a" * 120, "ab" * 60,
    "!!!", "...", "?!?!", "---", "(((", "[]{}<>", "@#%^&*", "~`|\\", "''\"\"", "«»", "„“", "—–", "…", "·•",
    "COVID-19", "SARS-CoV-2", "e.g.", "U.S.A.", "don't", "it's", "o'clock", "rock'n'roll", "C++", "C#", ".NET",
    "http://example.com/a?b=c", "user@example.com", "#hashtag", "@mention", "v1.2.3", "3.14159", "1,000,000",
    "®", "©", "™", "°C", "µm", "Ω", "‰",
]
WORDS = ("what is the effect of vitamin d on bone density in older adults how do learned sparse retrieval models "
         "expand documents with related terms protein folding gene expression neural networks").split()


def strings(count, seed=20261123):
    rng = random.Random(seed)
    out = list(PIECES)
    while len(out) < count:
        parts = []
        for _ in range(rng.randint(1, 12)):
            r = rng.random()
            if r < 0.45:
                parts.append(rng.choice(WORDS).capitalize() if rng.random() < 0.2 else rng.choice(WORDS))
            elif r < 0.85:
                parts.append(rng.choice(PIECES))
            else:
                parts.append("".join(chr(rng.randint(0x20, 0x2FFF)) for _ in range(rng.randint(1, 6))))
        sep = rng.choice([" ", " ", " ", "", "\t", "  "])
        out.append(sep.join(parts))
    return out


def main():
    vocab, target = sys.argv[1], sys.argv[2]
    tokenizer = BertTokenizer(vocab, do_lower_case=True)
    texts = strings(1500)
    with open(target, "w", encoding="utf-8") as f:
        for text in texts:
            f.write(json.dumps({"text": text, "tokens": tokenizer.tokenize(text)}, ensure_ascii=True) + "\n")
    print(f"wrote {len(texts)} strings to {target}")


if __name__ == "__main__":
    main()
