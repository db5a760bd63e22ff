"""The averaged adapter (adapter_soup.py) has exactly the mean effect of its runs."""

from __future__ import annotations

from typing import Any

import pytest
import torch

from moderation import semantic
from moderation.adapter_soup import average

TARGET = "attention.self.query"


def _run(seed: int, rank: int = 4, width: int = 6, classes: int = 3) -> dict[str, Any]:
    g = torch.Generator().manual_seed(seed)
    return {
        f"lora.0.{TARGET}.a": torch.randn(rank, width, generator=g),
        f"lora.0.{TARGET}.b": torch.randn(width, rank, generator=g),
        "head.crisis.weight": torch.randn(classes, width, generator=g),
        "head.crisis.bias": torch.randn(classes, generator=g),
    }


def _delta(tensors: dict[str, Any]) -> torch.Tensor:
    b, a = tensors[f"lora.0.{TARGET}.b"], tensors[f"lora.0.{TARGET}.a"]
    return b @ a * semantic.lora_scale(4)  # the runs' own scale, as train_semantic writes it


def test_the_merged_update_and_heads_are_the_mean_of_the_runs() -> None:
    runs = [_run(seed) for seed in (1, 2, 3)]
    soup = average(runs)
    assert soup[f"lora.0.{TARGET}.a"].shape == (12, 6)  # rank 3 x 4
    expected = torch.stack([_delta(r) for r in runs]).mean(0)
    assert torch.allclose(_delta(soup), expected, atol=1e-5)
    mean_head = torch.stack([r["head.crisis.weight"] for r in runs]).mean(0)
    assert torch.allclose(soup["head.crisis.weight"], mean_head)
    assert not torch.allclose(_delta(soup), _delta(runs[0]))


def test_one_run_is_itself() -> None:
    run = _run(5)
    soup = average([run])
    assert all(torch.equal(soup[k], run[k]) for k in run)


def test_runs_that_do_not_match_are_refused() -> None:
    other = _run(2)
    del other["head.crisis.bias"]
    with pytest.raises(ValueError, match="same tensors"):
        average([_run(1), other])
    with pytest.raises(ValueError, match="no adapters"):
        average([])
