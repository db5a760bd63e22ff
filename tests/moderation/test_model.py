"""Resolving, importing and loading detoxify models offline, with a real tiny checkpoint."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from moderation.hub import ModelDownloadError, download_model, import_model
from moderation.model import (
    ModelError,
    ModelSpec,
    available_models,
    load_predictor,
    read_checkpoint,
    resolve_model,
)
from tests.moderation.tiny_model import LABELS, build_tiny_model

REPO = Path(__file__).resolve().parents[2]
TEXTS = ["you are an idiot", "thanks for sharing", "i feel sad today"]


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub.constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    # The flag is read when huggingface_hub is imported; set it for this process too.
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_tiny_model(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, tiny: tuple[Path, Path]) -> Path:
    model_dir = tmp_path_factory.mktemp("models")
    import_model(tiny[0], model_dir, "original-small", config_dir=tiny[1])
    return model_dir


def test_no_model_configured_resolves_to_none(tmp_path: Path) -> None:
    assert resolve_model(None, tmp_path) is None


def test_missing_files_error_lists_what_was_looked_for(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as error:
        resolve_model("unbiased-small", tmp_path)
    message = str(error.value)
    assert str(tmp_path / "unbiased-small" / "checkpoint.ckpt") in message
    assert str(tmp_path / "unbiased-small" / "hf" / "config.json") in message
    assert "hearth models import" in message


@pytest.mark.parametrize("name", ["../etc", "Original", "a/b", ""])
def test_unsafe_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ModelError, match="invalid model name"):
        resolve_model(name, tmp_path)


def test_checkpoint_needs_a_config_dir(tmp_path: Path, tiny: tuple[Path, Path]) -> None:
    with pytest.raises(ModelError, match="config/tokenizer directory"):
        resolve_model(None, tmp_path, checkpoint=tiny[0])


def test_checkpoint_by_path_loads_offline_through_detoxify(tiny: tuple[Path, Path]) -> None:
    # The tiny checkpoint names "bert-base-uncased", a hub model: loading must not need it.
    spec = resolve_model(None, Path("/nonexistent"), checkpoint=tiny[0], config_dir=tiny[1])
    assert spec is not None
    predict = load_predictor(spec, precision="fp32")
    scores = predict(TEXTS)
    assert len(scores) == len(TEXTS)
    for row in scores:
        assert sorted(row) == sorted(LABELS)
        assert all(0.0 <= p <= 1.0 for p in row.values())
    assert scores[0] != scores[1]  # the words reach the model: not all [UNK]
    assert predict(TEXTS[:1]) == scores[:1]  # a batch of one is not squeezed away
    assert predict([]) == []
    for fast, exact in zip(load_predictor(spec, precision="bf16")(TEXTS), scores, strict=True):
        assert all(abs(fast[label] - exact[label]) < 0.01 for label in LABELS)


def test_bad_precision_or_threads_are_refused(tiny: tuple[Path, Path]) -> None:
    spec = resolve_model(None, Path("/nonexistent"), checkpoint=tiny[0], config_dir=tiny[1])
    assert spec is not None
    with pytest.raises(ModelError, match="precision"):
        load_predictor(spec, precision="fp8")
    with pytest.raises(ModelError, match="threads"):
        load_predictor(spec, threads=0)


def test_import_rewrites_model_type_and_loads_by_name(
    imported: Path, tiny: tuple[Path, Path]
) -> None:
    spec = resolve_model("original-small", imported)
    assert spec == ModelSpec(
        "original-small",
        imported / "original-small" / "checkpoint.ckpt",
        imported / "original-small" / "hf",
    )
    args = read_checkpoint(spec.checkpoint)["config"]["arch"]["args"]
    assert args["model_type"] == str(spec.config_dir.resolve())
    source = json.loads((imported / "original-small" / "source.json").read_text())
    assert source["original_model_type"] == "bert-base-uncased"
    assert available_models(imported) == ["original-small"]
    by_path = resolve_model(None, imported, checkpoint=tiny[0], config_dir=tiny[1])
    assert by_path is not None
    # Same weights either way: the import changed where the config comes from, nothing else.
    assert load_predictor(spec)(TEXTS) == load_predictor(by_path)(TEXTS)


def test_import_refuses_to_overwrite(imported: Path, tiny: tuple[Path, Path]) -> None:
    with pytest.raises(ModelError, match="already exists"):
        import_model(tiny[0], imported, "original-small", config_dir=tiny[1])


def test_import_of_a_directory_copied_from_another_machine(imported: Path, tmp_path: Path) -> None:
    dest = import_model(imported / "original-small", tmp_path / "models")
    assert dest.name == "original-small"
    spec = resolve_model("original-small", tmp_path / "models")
    assert spec is not None
    assert len(load_predictor(spec)(TEXTS)) == len(TEXTS)


def test_import_refuses_a_file_that_is_not_a_checkpoint(
    tmp_path: Path, tiny: tuple[Path, Path]
) -> None:
    bogus = tmp_path / "notes.ckpt"
    bogus.write_text("not a pickle")
    with pytest.raises(ModelError, match="could not read checkpoint"):
        import_model(bogus, tmp_path / "models", "x", config_dir=tiny[1])
    import torch

    torch.save({"state_dict": {}}, bogus)
    with pytest.raises(ModelError, match="not a detoxify checkpoint"):
        import_model(bogus, tmp_path / "models", "x", config_dir=tiny[1])
    assert available_models(tmp_path / "models") == []


def test_config_dir_without_tokenizer_fails_clearly(
    tmp_path: Path, tiny: tuple[Path, Path]
) -> None:
    config_dir = tmp_path / "hf"
    config_dir.mkdir()
    (config_dir / "config.json").write_bytes((tiny[1] / "config.json").read_bytes())
    spec = resolve_model(None, tmp_path, checkpoint=tiny[0], config_dir=config_dir)
    assert spec is not None
    with pytest.raises(ModelError, match="could not load model"):
        load_predictor(spec)


def test_download_fails_clearly_without_network(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nothing listens on: no outside traffic
        sock.bind(("127.0.0.1", 0))
        base = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    with pytest.raises(ModelDownloadError, match="hearth models import") as error:
        download_model("original-small", tmp_path, progress=False, releases_base=base, timeout=2)
    assert base in str(error.value)
    assert available_models(tmp_path) == []
    with pytest.raises(ModelError, match="unknown model"):
        download_model("huge", tmp_path, progress=False, releases_base=base)


def test_a_fresh_process_loads_by_name_with_the_hub_unreachable(imported: Path) -> None:
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from moderation.model import load_predictor, resolve_model
        spec = resolve_model("original-small", Path({str(imported)!r}))
        print(sorted(load_predictor(spec)(["hello friend"])[0]))
        """
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_ENDPOINT": "http://127.0.0.1:9"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == str(sorted(LABELS))
