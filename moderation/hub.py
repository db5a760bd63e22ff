"""Put detoxify models into the local model directory: download, or import by hand.

Used by ``hearth models download|import`` only: nothing here runs at import or start-up.
Both end in the layout of ``moderation.model`` with the checkpoint's model_type pointing
at its own ``hf/`` directory, so loading needs no network.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from moderation.model import (
    CHECKPOINT_FILE,
    CONFIG_DIR,
    ModelError,
    check_name,
    point_at,
    read_checkpoint,
)

GITHUB_RELEASES = "https://github.com/unitaryai/detoxify/releases/download/"
HF_HUB = "https://huggingface.co"
_CHUNK = 1 << 20

# name -> (hub repo of the base model, its tokenizer files); config.json and
# tokenizer.json are required, the rest fetched when the repo has them.
HF_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "original": ("google-bert/bert-base-uncased", ("vocab.txt", "tokenizer_config.json")),
    "unbiased": ("FacebookAI/roberta-base", ("vocab.json", "merges.txt")),
    "multilingual": ("FacebookAI/xlm-roberta-base", ("sentencepiece.bpe.model",)),
    "original-small": ("albert/albert-base-v2", ("spiece.model",)),
    "unbiased-small": ("albert/albert-base-v2", ("spiece.model",)),
}
_REQUIRED = ("config.json", "tokenizer.json")


class ModelDownloadError(ModelError):
    """A download failed; the message says which URL and what to do instead."""


def download_model(
    name: str,
    model_dir: Path,
    progress: bool = True,
    *,
    releases_base: str = GITHUB_RELEASES,
    hub_base: str = HF_HUB,
    timeout: float = 30.0,
    replace: bool = False,
) -> Path:
    """Fetch detoxify's published checkpoint for ``name`` and its config/tokenizer files.

    Checks the checkpoint against the hash in its published file name, then imports it
    (see ``import_model``).  Returns the model's directory.  Needs internet; raises
    ModelDownloadError naming the URL when it cannot connect.
    """
    from detoxify.detoxify import DOWNLOAD_URL, MODEL_URLS

    if name not in HF_FILES:
        raise ModelError(f"unknown model {name!r}: choose one of {', '.join(HF_FILES)}")
    url = releases_base + MODEL_URLS[name].removeprefix(DOWNLOAD_URL)
    repo, optional = HF_FILES[name]
    model_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=model_dir, prefix=".download-") as tmp:
        staging = Path(tmp)
        checkpoint = staging / url.rsplit("/", 1)[-1]
        digest = _fetch(url, checkpoint, progress=progress, timeout=timeout)
        _check_hash(checkpoint.name, digest)
        config_dir = staging / CONFIG_DIR
        config_dir.mkdir()
        for file in (*_REQUIRED, *optional):
            file_url = f"{hub_base}/{repo}/resolve/main/{file}"
            try:
                _fetch(file_url, config_dir / file, progress=progress, timeout=timeout)
            except _NotFound:
                if file in _REQUIRED:
                    raise ModelDownloadError(f"{file_url} does not exist") from None
        return import_model(checkpoint, model_dir, name, config_dir=config_dir, replace=replace)


class _NotFound(Exception):
    pass


def _fetch(url: str, dest: Path, *, progress: bool, timeout: float) -> str:
    """Stream ``url`` into ``dest`` with a progress bar; return its sha256."""
    from tqdm import tqdm

    if not url.startswith(("https://", "http://")):
        raise ModelDownloadError(f"refusing to fetch {url!r}: only http(s) URLs")
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, dest.open("wb") as out:
            total = int(response.headers.get("Content-Length") or 0) or None
            with tqdm(
                total=total, unit="B", unit_scale=True, desc=dest.name, disable=not progress
            ) as bar:
                while chunk := response.read(_CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    bar.update(len(chunk))
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise _NotFound(url) from exc
        raise ModelDownloadError(f"could not download {url}: HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ModelDownloadError(
            f"could not download {url}: {reason}. If this machine has no internet, fetch "
            "the checkpoint and config files elsewhere and run `hearth models import PATH`."
        ) from exc
    return digest.hexdigest()


def _check_hash(file_name: str, digest: str) -> None:
    # Detoxify names its files "<stem>-<first hex digits of sha256>.ckpt" (torch.hub style).
    prefix = file_name.rsplit(".", 1)[0].rsplit("-", 1)[-1]
    if not digest.startswith(prefix):
        raise ModelDownloadError(f"{file_name} does not match its published hash {prefix}")


def import_model(
    path: Path,
    model_dir: Path,
    name: str | None = None,
    *,
    config_dir: Path | None = None,
    replace: bool = False,
) -> Path:
    """Copy a checkpoint and its config/tokenizer dir into ``model_dir/<name>/``.

    ``path`` is a checkpoint file (config dir from ``config_dir`` or a sibling ``hf/``)
    or a directory holding one ``*.ckpt`` and an ``hf/`` dir (a model dir copied from
    another machine).  The copy's model_type is rewritten to its own ``hf/`` directory.
    Precondition: the operator trusts the file; it is unpickled here.  Returns the
    model's directory.
    """
    checkpoint, config_dir = _locate(path, config_dir)
    name = check_name(name or _guess_name(path, checkpoint))
    if not (config_dir / "config.json").is_file():
        raise ModelError(f"{config_dir} has no config.json (transformers config)")
    dest = model_dir / name
    if dest.exists() and not replace:
        raise ModelError(f"{dest} already exists; pass replace to overwrite it")
    loaded = read_checkpoint(checkpoint)
    original_type = loaded["config"]["arch"]["args"]["model_type"]
    _check_arch(loaded)
    model_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=model_dir, prefix=".import-"))
    try:
        shutil.copytree(config_dir, staging / CONFIG_DIR)
        _save(point_at(loaded, dest.resolve() / CONFIG_DIR), staging / CHECKPOINT_FILE)
        source = {"imported_from": str(path), "original_model_type": original_type}
        (staging / "source.json").write_text(json.dumps(source, indent=2) + "\n")
        if dest.exists():
            shutil.rmtree(dest)
        staging.rename(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return dest


def _locate(path: Path, config_dir: Path | None) -> tuple[Path, Path]:
    if path.is_dir():
        checkpoints = sorted(path.glob("*.ckpt"))
        if len(checkpoints) != 1:
            raise ModelError(f"{path} must hold exactly one *.ckpt file, found {len(checkpoints)}")
        return checkpoints[0], config_dir or path / CONFIG_DIR
    if not path.is_file():
        raise ModelError(f"{path} does not exist")
    if config_dir is None:
        config_dir = path.parent / CONFIG_DIR
        if not config_dir.is_dir():
            raise ModelError(
                f"no config dir for {path}: pass the transformers config/tokenizer directory "
                f"or put it beside the checkpoint as {config_dir}"
            )
    return path, config_dir


def _guess_name(path: Path, checkpoint: Path) -> str:
    from detoxify.detoxify import MODEL_URLS

    for known, url in MODEL_URLS.items():
        if str(url).rsplit("/", 1)[-1] == checkpoint.name:
            return str(known)
    if path.is_dir():
        return path.name
    raise ModelError(f"cannot tell which model {checkpoint.name} is: give it a name")


def _check_arch(loaded: dict[str, Any]) -> None:
    import transformers

    args = loaded["config"]["arch"]["args"]
    for key in ("model_name", "tokenizer_name"):
        if not hasattr(transformers, str(args.get(key))):
            raise ModelError(f"checkpoint names {key} {args.get(key)!r}, unknown to transformers")


def _save(checkpoint: dict[str, Any], dest: Path) -> None:
    import torch

    torch.save(checkpoint, dest)
