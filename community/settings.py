"""Every setting Hearth reads, in one place.

Values come from the environment, then `.env`, then the defaults below; each is
documented in `.env.example`. `load_settings()` is called once in the app's
lifespan (and by the CLI), never at import time, so tests can set the
environment first.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from starlette.config import Config

PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "dev", "placeholder"}


class SettingsError(RuntimeError):
    """A setting is missing or unsafe; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    env: str
    database_url: str
    broker_url: str
    secret_key: str
    host: str
    port: int
    data_dir: Path
    min_age: int
    guidelines_version: str
    max_message_chars: int
    max_frame_bytes: int
    rate_limit_enabled: bool
    rate_limit_per_minute: float
    rate_limit_burst: int
    login_attempts_per_15min: int
    history_page_max: int
    ws_ping_seconds: float
    subscriber_queue: int
    model_name: str
    model_dir: Path
    model_checkpoint: str
    model_config_dir: str
    model_timeout_ms: int
    semantic_model: str
    crisis_lines_file: str
    flag_text_retention_days: int
    claim_minutes: int
    key_prefix: str
    deletion_grace_days: int
    registrations_per_hour: int
    db_timeout_seconds: float
    model_threads: int
    model_watchdog_seconds: float
    deleted_messages: str
    trusted_hosts: tuple[str, ...] = field(default=("*",))
    meetings_tick_seconds: float = 5.0
    moderation_workers: str = "inprocess"
    worker_claim_idle_ms: int = 5000
    gc_thresholds: tuple[int, int, int] | None = (50_000, 50, 1000)

    @property
    def production(self) -> bool:
        return self.env == "production"


def _config() -> Config:
    env_file = Path(os.environ.get("HEARTH_ENV_FILE", ".env"))
    return Config(env_file if env_file.is_file() else None)


def _secret(config: Config, env: str, data_dir: Path) -> str:
    value = config("HEARTH_SECRET_KEY", default="")
    if value.strip().lower() not in PLACEHOLDER_SECRETS:
        if len(value) < 32:
            raise SettingsError("HEARTH_SECRET_KEY must be at least 32 characters long.")
        return str(value)
    if env == "production":
        raise SettingsError(
            "HEARTH_SECRET_KEY is missing or a placeholder; production refuses to start "
            "without a real secret (generate one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(48))')."
        )
    # Development: generate once and keep it, so sessions survive restarts.
    path = data_dir / "secret_key"
    if path.is_file():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _choice(value: str, name: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}, not {value!r}.")
    return value


def _gc_thresholds(value: str) -> tuple[int, int, int] | None:
    """Three positive whole numbers for gc.set_threshold, or "" for Python's defaults."""
    if not value.strip():
        return None
    parts = value.split(",")
    if len(parts) != 3 or not all(p.strip().isdigit() and int(p) > 0 for p in parts):
        raise SettingsError(
            f"HEARTH_GC_THRESHOLDS must be three positive whole numbers like 50000,50,1000 "
            f"(or empty for Python's defaults), not {value!r}."
        )
    return int(parts[0]), int(parts[1]), int(parts[2])


def load_settings() -> Settings:
    config = _config()
    env = config("HEARTH_ENV", default="development")
    if env not in {"development", "production", "test"}:
        raise SettingsError(f"HEARTH_ENV must be development, production or test, not {env!r}.")
    data_dir = Path(config("HEARTH_DATA_DIR", default="var"))
    return Settings(
        env=env,
        database_url=config("HEARTH_DATABASE_URL", default=f"sqlite:///{data_dir}/hearth.db"),
        broker_url=config("HEARTH_BROKER_URL", default="memory://"),
        secret_key=_secret(config, env, data_dir),
        host=config("HEARTH_HOST", default="127.0.0.1"),
        port=config("HEARTH_PORT", cast=int, default=int(os.environ.get("PORT", "8000"))),
        data_dir=data_dir,
        min_age=config("HEARTH_MIN_AGE", cast=int, default=16),
        guidelines_version=config("HEARTH_GUIDELINES_VERSION", default="2026-11"),
        max_message_chars=config("HEARTH_MAX_MESSAGE_CHARS", cast=int, default=2000),
        max_frame_bytes=config("HEARTH_MAX_FRAME_BYTES", cast=int, default=16384),
        rate_limit_enabled=config("HEARTH_RATE_LIMIT_ENABLED", cast=bool, default=True),
        rate_limit_per_minute=config("HEARTH_RATE_LIMIT_PER_MINUTE", cast=float, default=30.0),
        rate_limit_burst=config("HEARTH_RATE_LIMIT_BURST", cast=int, default=10),
        login_attempts_per_15min=config("HEARTH_LOGIN_ATTEMPTS", cast=int, default=10),
        history_page_max=config("HEARTH_HISTORY_PAGE_MAX", cast=int, default=200),
        ws_ping_seconds=config("HEARTH_WS_PING_SECONDS", cast=float, default=20.0),
        subscriber_queue=config("HEARTH_SUBSCRIBER_QUEUE", cast=int, default=256),
        model_name=config("HEARTH_MODEL", default=""),
        model_dir=Path(config("HEARTH_MODEL_DIR", default=str(data_dir / "models"))),
        model_checkpoint=config("HEARTH_MODEL_CHECKPOINT", default=""),
        model_config_dir=config("HEARTH_MODEL_CONFIG_DIR", default=""),
        model_timeout_ms=config("HEARTH_MODEL_TIMEOUT_MS", cast=int, default=500),
        semantic_model=config("HEARTH_SEMANTIC_MODEL", default="auto"),
        crisis_lines_file=config("HEARTH_CRISIS_LINES_FILE", default=""),
        flag_text_retention_days=config("HEARTH_FLAG_TEXT_RETENTION_DAYS", cast=int, default=30),
        claim_minutes=config("HEARTH_CLAIM_MINUTES", cast=int, default=10),
        key_prefix=config("HEARTH_KEY_PREFIX", default="hearth"),
        deletion_grace_days=config("HEARTH_DELETION_GRACE_DAYS", cast=int, default=7),
        registrations_per_hour=config("HEARTH_REGISTRATIONS_PER_HOUR", cast=int, default=20),
        db_timeout_seconds=config("HEARTH_DB_TIMEOUT_SECONDS", cast=float, default=10.0),
        model_threads=config("HEARTH_MODEL_THREADS", cast=int, default=1),
        model_watchdog_seconds=config("HEARTH_MODEL_WATCHDOG_SECONDS", cast=float, default=15.0),
        deleted_messages=_choice(
            config("HEARTH_DELETED_MESSAGES", default="anonymise"),
            "HEARTH_DELETED_MESSAGES",
            ("anonymise", "remove"),
        ),
        meetings_tick_seconds=config("HEARTH_MEETINGS_TICK_SECONDS", cast=float, default=5.0),
        moderation_workers=_choice(
            config("HEARTH_MODERATION_WORKERS", default="inprocess"),
            "HEARTH_MODERATION_WORKERS",
            ("inprocess", "streams"),
        ),
        worker_claim_idle_ms=config("HEARTH_WORKER_CLAIM_IDLE_MS", cast=int, default=5000),
        gc_thresholds=_gc_thresholds(config("HEARTH_GC_THRESHOLDS", default="50000,50,1000")),
    )
