"""Detoxify models resolved from a local directory and loaded with no network.

Layout of the model directory (``hearth models import`` / ``download`` write it)::

    <model_dir>/<name>/checkpoint.ckpt   detoxify checkpoint (a pickle: {"config", "state_dict"})
    <model_dir>/<name>/hf/               transformers config.json + tokenizer files

Detoxify builds the transformers config from the checkpoint's
``config["arch"]["args"]["model_type"]`` (e.g. ``"albert-base-v2"``), which is a hub
name, so it contacts the hub even when given a local config path.  Imported
checkpoints have that field rewritten to the absolute path of their ``hf/`` directory;
when it points anywhere else (a moved directory, a checkpoint configured by path) the
loader rewrites it in memory before handing the checkpoint to ``detoxify.Detoxify``.

Checkpoints are pickles, which run code when loaded: this module only opens files at
the configured local paths, never a URL.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

# Detoxify's published models; other names are accepted for checkpoints imported by hand.
KNOWN_MODELS = ("original-small", "unbiased-small", "original", "unbiased", "multilingual")
CHECKPOINT_FILE = "checkpoint.ckpt"
CONFIG_DIR = "hf"
# A name becomes a directory: keep it to one safe path component.
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
# Long pastes cost tokenizer time and are truncated to the model's window anyway.
MAX_CHARS = 4000

Predictor = Callable[[list[str]], list[dict[str, float]]]


class ModelError(Exception):
    """A model is configured but its files are missing or unusable."""


@dataclass(frozen=True)
class ModelSpec:
    """Where one detoxify model lives on local disk."""

    name: str
    checkpoint: Path
    config_dir: Path


def check_name(name: str) -> str:
    """Return ``name`` if it is a usable model name, else raise ModelError."""
    if not _NAME_RE.match(name):
        raise ModelError(
            f"invalid model name {name!r}: use lower-case letters, digits, '.', '-' or '_' "
            f"(published models: {', '.join(KNOWN_MODELS)})"
        )
    return name


def resolve_model(
    name: str | None,
    model_dir: Path,
    checkpoint: Path | None = None,
    config_dir: Path | None = None,
) -> ModelSpec | None:
    """Find a model's files; None when no model is configured at all.

    An explicit ``checkpoint`` wins over ``name`` and needs ``config_dir`` (the local
    transformers config/tokenizer directory).  Otherwise ``name`` is looked up in
    ``model_dir`` with the layout described in this module's docstring.
    Raises ModelError listing every path looked for when something is missing.
    """
    if checkpoint is not None:
        if config_dir is None:
            raise ModelError(
                f"checkpoint {checkpoint} needs a local transformers config/tokenizer "
                "directory too (config_dir)"
            )
        spec = ModelSpec(name or checkpoint.stem, checkpoint, config_dir)
    elif name is None:
        return None
    else:
        base = model_dir / check_name(name)
        spec = ModelSpec(name, base / CHECKPOINT_FILE, config_dir or base / CONFIG_DIR)
    _check_files(spec, model_dir)
    return spec


def _check_files(spec: ModelSpec, model_dir: Path) -> None:
    missing = [str(spec.checkpoint)] if not spec.checkpoint.is_file() else []
    if not (spec.config_dir / "config.json").is_file():
        missing.append(str(spec.config_dir / "config.json"))
    if not missing:
        return
    present = available_models(model_dir)
    raise ModelError(
        f"model {spec.name!r} is not usable: missing {', '.join(missing)}. "
        f"Models present in {model_dir}: {', '.join(present) or 'none'}. "
        "Use `hearth models import PATH` for files brought by hand, or "
        "`hearth models download NAME` on a machine with internet."
    )


def available_models(model_dir: Path) -> list[str]:
    """Names of the complete models laid out in ``model_dir``."""
    if not model_dir.is_dir():
        return []
    return sorted(
        d.name
        for d in model_dir.iterdir()
        if (d / CHECKPOINT_FILE).is_file() and (d / CONFIG_DIR / "config.json").is_file()
    )


def read_checkpoint(path: Path, *, mmap: bool = False) -> dict[str, Any]:
    """Unpickle a detoxify checkpoint from a local file and check its shape.

    Precondition: ``path`` was put there by the operator (pickles run code).
    ``mmap`` leaves tensors on disk, which makes a look at the config cheap.
    """
    if not path.is_file():
        raise ModelError(f"checkpoint {path} is not a file")
    try:
        loaded = _unpickle(path, mmap)
    except Exception as exc:  # a corrupt or foreign file can fail in many ways
        raise ModelError(f"could not read checkpoint {path}: {exc}") from exc
    try:
        loaded["config"]["arch"]["args"]["model_type"]
        loaded["config"]["dataset"]["args"]["classes"]
        loaded["state_dict"]
    except (KeyError, TypeError) as exc:
        raise ModelError(
            f"{path} is not a detoxify checkpoint: it needs config.arch.args, "
            "config.dataset.args.classes and state_dict"
        ) from exc
    return dict(loaded)


def _unpickle(path: Path, mmap: bool) -> Any:
    import torch

    if mmap:
        try:
            return torch.load(path, map_location="cpu", weights_only=False, mmap=True)
        except RuntimeError:
            pass  # torch's pre-1.6 format cannot be memory-mapped
    return torch.load(path, map_location="cpu", weights_only=False)


def points_at(loaded: dict[str, Any], config_dir: Path) -> bool:
    """True when the checkpoint's model_type already names ``config_dir``."""
    model_type = str(loaded["config"]["arch"]["args"]["model_type"])
    return Path(model_type).resolve() == config_dir.resolve()


def point_at(loaded: dict[str, Any], config_dir: Path) -> dict[str, Any]:
    """Rewrite model_type to the local config dir (in place) and keep only what detoxify reads."""
    loaded["config"]["arch"]["args"]["model_type"] = str(config_dir.resolve())
    return {"config": loaded["config"], "state_dict": loaded["state_dict"]}


def load_predictor(
    spec: ModelSpec, *, device: str = "cpu", precision: str = "auto", threads: int | None = None
) -> Predictor:
    """Build the real ``detoxify.Detoxify`` from local files and return a batch predictor.

    Never contacts a hub when ``spec`` came from ``resolve_model``; slow (seconds for
    real models), so call it off the event loop.  The predictor maps each text to
    detoxify's ``label -> probability`` scores.  ``precision`` "auto" runs in bfloat16
    on CPUs with native support (about 3x faster; scores differ by ~0.002).
    ``threads`` sets torch's intra-op threads for the whole process (None: torch's
    default, one per core); 1 leaves a core to the event loop and degrades gracefully
    when the CPU is oversubscribed, where 2 threads on 2 busy cores stall for seconds.
    """
    import torch
    from detoxify import Detoxify

    bf16 = use_bf16(precision)
    if threads is not None:
        if threads < 1:
            raise ModelError(f"threads must be >= 1, not {threads}")
        torch.set_num_threads(threads)
    loaded = read_checkpoint(spec.checkpoint, mmap=True)
    source: Path | io.BytesIO = spec.checkpoint
    if not points_at(loaded, spec.config_dir):
        logger.info(
            "checkpoint %s names a hub model; pointing it at %s in memory "
            "(`hearth models import` does this once on disk)",
            spec.checkpoint,
            spec.config_dir,
        )
        source = _in_memory(point_at(loaded, spec.config_dir))
    del loaded
    try:
        # Without huggingface_config_path detoxify takes num_labels from the checkpoint,
        # and model_type is a local directory, so transformers reads only local files.
        detox = Detoxify(checkpoint=source, device=device)
    except (OSError, ValueError, RuntimeError, AttributeError) as exc:
        raise ModelError(f"could not load model {spec.name!r}: {exc}") from exc
    _check_tokenizer(spec, detox)
    return _predictor(detox, bf16)


def _check_tokenizer(spec: ModelSpec, detox: Any) -> None:
    # transformers 5 quietly builds a tokenizer with an empty vocabulary when the
    # tokenizer files are missing; its scores would be meaningless.
    have, want = len(detox.tokenizer), int(detox.model.config.vocab_size)
    if have < 0.9 * want:
        raise ModelError(
            f"could not load model {spec.name!r}: the tokenizer in {spec.config_dir} has "
            f"{have} tokens but the model expects {want}; tokenizer files are missing "
            "or belong to another model"
        )


def _in_memory(checkpoint: dict[str, Any]) -> io.BytesIO:
    import torch

    buffer = io.BytesIO()
    torch.save(checkpoint, buffer)
    buffer.seek(0)
    return buffer


def _predictor(detox: Any, bf16: bool) -> Predictor:
    import torch

    def predict(texts: list[str]) -> list[dict[str, float]]:
        if not texts:
            return []
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            scores = detox.predict([text[:MAX_CHARS] for text in texts])
        return _rows(scores, len(texts))

    return predict


def _rows(scores: dict[str, Any], count: int) -> list[dict[str, float]]:
    # detoxify squeezes a batch of one down to bare floats.
    columns = {label: v if isinstance(v, list) else [v] for label, v in scores.items()}
    return [{label: float(v[i]) for label, v in columns.items()} for i in range(count)]


def use_bf16(precision: str) -> bool:
    """Whether to run in bfloat16: "fp32", "bf16", or "auto" (bf16 where the CPU has it)."""
    import torch

    if precision not in ("auto", "fp32", "bf16"):
        raise ModelError(f"precision must be auto, fp32 or bf16, not {precision!r}")
    if precision == "auto":
        # A private torch check; without native bf16 it is slower than fp32.
        check = getattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", None)
        return bool(check and check())
    return precision == "bf16"
