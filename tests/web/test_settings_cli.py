"""Settings and the `hearth` command, run as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from community.settings import SettingsError, load_settings

HEARTH = [sys.executable, "-m", "community.cli"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEARTH_")}
    env.update(
        {
            "HEARTH_DATA_DIR": str(tmp_path),
            "HEARTH_ENV_FILE": "/nonexistent",
            "HEARTH_ENV": "development",
        }
    )
    env.update(extra)
    return env


def test_production_refuses_placeholder_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEARTH_ENV", "production")
    for value in ("", "change-me", "short"):
        monkeypatch.setenv("HEARTH_SECRET_KEY", value)
        with pytest.raises(SettingsError):
            load_settings()


def test_development_generates_and_keeps_secret(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HEARTH_ENV", "development")
    monkeypatch.setenv("HEARTH_SECRET_KEY", "")
    monkeypatch.setenv("HEARTH_DATA_DIR", str(tmp_path))
    first = load_settings().secret_key
    assert len(first) >= 32 and load_settings().secret_key == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_bad_env_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEARTH_ENV", "staging")
    with pytest.raises(SettingsError, match="HEARTH_ENV"):
        load_settings()


@pytest.mark.parametrize("value", ["1,2", "a,b,c", "0,10,10", "-5,10,10"])
def test_bad_gc_thresholds_are_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("HEARTH_GC_THRESHOLDS", value)
    with pytest.raises(SettingsError, match="HEARTH_GC_THRESHOLDS"):
        load_settings()


def test_gc_thresholds_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEARTH_GC_THRESHOLDS", "")
    assert load_settings().gc_thresholds is None
    monkeypatch.setenv("HEARTH_GC_THRESHOLDS", "20000, 20, 100")
    assert load_settings().gc_thresholds == (20000, 20, 100)


def test_gc_is_tuned_at_start_up() -> None:
    import gc

    from community.services import _tune_gc

    before = gc.get_threshold()
    try:
        _tune_gc((12345, 6, 7))
        assert gc.get_threshold() == (12345, 6, 7) and gc.get_freeze_count() > 0
        _tune_gc(None)  # Python's defaults: leaves the collector alone
        assert gc.get_threshold() == (12345, 6, 7)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_cli_users_rooms_demo(tmp_path: Path) -> None:
    env = _env(tmp_path)
    run = lambda *a: subprocess.run([*HEARTH, *a], env=env, capture_output=True, text=True)  # noqa: E731
    assert run("db", "upgrade").returncode == 0
    ok = run("users", "create", "moddy", "--role", "moderator", "--password", "a long passphrase")
    assert ok.returncode == 0, ok.stderr
    dup = run("users", "create", "Moddy", "--password", "a long passphrase")
    assert dup.returncode == 1 and "taken" in dup.stderr
    bad = run("rooms", "create", "Bad Slug", "--name", "x")
    assert bad.returncode == 1 and "lower-case" in bad.stderr
    assert run("rooms", "create", "quiet", "--name", "Quiet", "--private").stdout.count(
        "invite code"
    )
    first = run("demo")
    again = run("demo")
    assert first.returncode == again.returncode == 0
    assert "demo_moderator" in first.stdout and first.stdout == again.stdout


def test_concurrent_migrations_take_turns(tmp_path: Path) -> None:
    env = _env(tmp_path)
    procs = [
        subprocess.Popen(
            [*HEARTH, "db", "upgrade"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], results
