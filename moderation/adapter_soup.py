"""Average several trained adapters of the semantic reader into one ("model soup").

Two training runs of one recipe that differ only in their seed disagreed by about 0.1
in recall on fresh text: most of what one run learns beyond the data is noise. The
average of several runs' weights keeps what they agree on. Measured on the validation
share and calibration batch 6, the average of three seeds ranked crises, severities
and harm as well as running all three models and averaging their answers, and better
than any one of them (bench/RESULTS.md, "Moderation"), at the cost of one model.

The average is exact, not an approximation: each run adds B_i @ A_i to a weight, so
their mean (1/k) * sum(B_i @ A_i) is [B_1 ... B_k] / k @ [A_1; ...; A_k], a LoRA update
of rank k * r that semantic.merge() applies like any other. The linear heads are
averaged as they are (they sit on nearly the same features: the updates are small).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def average(adapters: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One adapter's tensors whose merged effect is the mean of `adapters`' effects.

    Each adapter maps "lora.<layer>.<target>.a" (r x in), ".b" (out x r) and
    "head.<name>.weight" / ".bias" to tensors, as train_semantic writes them.
    """
    import torch

    if not adapters:
        raise ValueError("no adapters to average")
    keys = set(adapters[0])
    if any(set(a) != keys for a in adapters[1:]):
        raise ValueError("adapters do not have the same tensors")
    k = len(adapters)
    out: dict[str, Any] = {}
    for key in sorted(keys):
        parts = [a[key].float() for a in adapters]
        if key.startswith("lora.") and key.endswith(".a"):
            out[key] = torch.cat(parts, 0)  # stacked rows: rank k * r
        elif key.startswith("lora.") and key.endswith(".b"):
            out[key] = torch.cat(parts, 1) / k  # the 1/k of the mean, once
        else:
            out[key] = torch.stack(parts).mean(0)
        out[key] = out[key].contiguous()
    return out
