"""Builds a tiny detoxify-format checkpoint (a 2-layer BERT) for tests, in seconds.

The checkpoint names a hub model (``bert-base-uncased``) like detoxify's published
ones, so loading it offline exercises the model_type rewrite.
"""

from __future__ import annotations

from pathlib import Path

# Detoxify's "original" classes as stored in its checkpoints (it renames some on load).
CLASSES = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]
LABELS = ["toxicity", "severe_toxicity", "obscene", "threat", "insult", "identity_attack"]
_WORDS = [
    "i",
    "you",
    "we",
    "they",
    "are",
    "am",
    "is",
    "was",
    "the",
    "a",
    "an",
    "to",
    "and",
    "not",
    "my",
    "your",
    "me",
    "feel",
    "sad",
    "happy",
    "today",
    "idiot",
    "stupid",
    "hello",
    "friend",
    "thanks",
    "for",
    "sharing",
    "hang",
    "in",
    "there",
    "kill",
    "want",
    "die",
]
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *_WORDS, ".", ",", "!", "?"]


def build_tiny_model(
    dest: Path,
    *,
    logits: dict[str, float] | None = None,
    model_type: str = "bert-base-uncased",
    seed: int = 0,
) -> tuple[Path, Path]:
    """Write ``dest/tiny.ckpt`` and a config/tokenizer dir ``dest/tiny-hf``; return both.

    ``logits`` fixes the classifier's output per label (weights zeroed, bias set), so a
    test can make e.g. ``insult`` score ~1.0 for every text.
    """
    import torch
    import transformers

    config_dir = dest / "tiny-hf"
    config_dir.mkdir(parents=True, exist_ok=True)
    # transformers 5 ignores vocab_file= and would save an empty vocabulary: pass the
    # vocabulary itself, and write vocab.txt by hand for loaders that look for it.
    (config_dir / "vocab.txt").write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    vocab = {token: i for i, token in enumerate(VOCAB)}
    tokenizer = transformers.BertTokenizer(vocab=vocab, model_max_length=64)
    tokenizer.save_pretrained(config_dir)
    config = transformers.BertConfig(
        vocab_size=len(VOCAB),
        hidden_size=16,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
    )
    config.num_labels = len(CLASSES)
    config.save_pretrained(config_dir)
    torch.manual_seed(seed)
    model = transformers.BertForSequenceClassification(config)
    if logits is not None:
        _fix_logits(model, logits)
    checkpoint = dest / "tiny.ckpt"
    torch.save(_detoxify_format(model, model_type), checkpoint)
    return checkpoint, config_dir


def _fix_logits(model: object, logits: dict[str, float]) -> None:
    import torch

    classifier = model.classifier  # type: ignore[attr-defined]
    with torch.no_grad():
        classifier.weight.zero_()
        classifier.bias.copy_(torch.tensor([logits.get(label, 0.0) for label in LABELS]))


def _detoxify_format(model: object, model_type: str) -> dict[str, object]:
    args = {
        "model_type": model_type,
        "model_name": "BertForSequenceClassification",
        "tokenizer_name": "BertTokenizer",
        "num_classes": len(CLASSES),
    }
    return {
        "config": {"arch": {"args": args}, "dataset": {"args": {"classes": CLASSES}}},
        "state_dict": model.state_dict(),  # type: ignore[attr-defined]
    }
