"""Which models score messages, from settings: detoxify, the semantic reader, or both.

Shared by the web app's in-process worker (services.py) and `hearth worker`
(worker.py), so both load the same models the same way. Both run on one inference
thread and answer in one score dict (pipeline.py reads each model's keys).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from community.settings import Settings
from moderation import semantic
from moderation.inference import Loader, Predictor
from moderation.model import ModelError, load_predictor, resolve_model

log = logging.getLogger("hearth.scoring")


def model_loader(settings: Settings, threads: int | None) -> tuple[Loader, str] | None:
    """(loader, name) for the configured models, or None when none is configured.

    Raises ModelError when a configured model's files are missing or unusable.
    """
    loaders: list[Callable[[], Predictor]] = []
    names: list[str] = []
    spec = resolve_model(
        settings.model_name or None,
        settings.model_dir,
        checkpoint=Path(settings.model_checkpoint) if settings.model_checkpoint else None,
        config_dir=Path(settings.model_config_dir) if settings.model_config_dir else None,
    )
    if spec is not None:
        loaders.append(lambda: load_predictor(spec, threads=threads))
        names.append(spec.name)
    try:
        encoder = semantic.base_dir(settings.semantic_model)
    except semantic.SemanticError as exc:
        raise ModelError(str(exc)) from exc
    if encoder is not None:
        loaders.append(lambda: semantic.load_predictor(encoder, threads=threads))
        names.append(semantic.NAME)
    if not loaders:
        return None
    # Belt and braces: transformers must never try the hub, even for a file we forgot.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return _together(loaders), "+".join(names)


def _together(loaders: list[Loader]) -> Loader:
    """One loader whose predictor asks every model and merges their answers per text."""

    def load() -> Predictor:
        predictors = [loader() for loader in loaders]
        if len(predictors) == 1:
            return predictors[0]

        def predict(texts: list[str]) -> list[dict[str, float]]:
            merged: list[dict[str, float]] = [{} for _ in texts]
            for predictor in predictors:
                for row, scores in zip(merged, predictor(texts), strict=True):
                    row.update(scores)
            return merged

        return predict

    return load
