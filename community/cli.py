"""The `hearth` command: serve, migrate, manage users and rooms, moderation tools."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import typer

from community import db
from community.actions.accounts import AccountError, do_register
from community.actions.rooms import RoomError, do_create_room
from community.models import Role
from community.settings import Settings, SettingsError, load_settings

app = typer.Typer(help="Hearth: a moderated peer-support community.", no_args_is_help=True)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
users_app = typer.Typer(help="Accounts.", no_args_is_help=True)
rooms_app = typer.Typer(help="Rooms.", no_args_is_help=True)
moderation_app = typer.Typer(help="The moderation pipeline.", no_args_is_help=True)
models_app = typer.Typer(help="Toxicity model files (detoxify).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(rooms_app, name="rooms")
app.add_typer(moderation_app, name="moderation")
app.add_typer(models_app, name="models")


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as e:
        raise _fail(str(e)) from None


@app.command()
def serve(
    host: str = typer.Option(None),
    port: int = typer.Option(None),
    access_log: bool = typer.Option(False, help="uvicorn access log (records client IPs)."),
) -> None:
    """Apply migrations (safe with several processes) and serve the web app with uvicorn."""
    import uvicorn

    settings = _settings()
    db.upgrade(settings.database_url)
    uvicorn.run(
        "community.app:asgi",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        proxy_headers=True,
        access_log=access_log,
        ws_ping_interval=20,
        ws_ping_timeout=20,
        ws_max_size=settings.max_frame_bytes * 4,
        # Chat frames are small; per-connection deflate state cost ~42 KiB per socket
        # and a compression per connection per event (bench/RESULTS.md).
        ws_per_message_deflate=False,
    )


@app.command()
def worker(
    consumer: str = typer.Option(None, help="Consumer name (default: host and a random id)."),
    batch: int = typer.Option(32, min=1, max=256, help="Requests read per XREADGROUP."),
    threads: int = typer.Option(None, min=1, help="Torch threads (default HEARTH_MODEL_THREADS)."),
) -> None:
    """Score messages for the web processes over Redis Streams (see docs/deploy.md)."""
    import logging

    from community.worker import serve as serve_worker
    from moderation.model import ModelError

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        settings = _settings()
        threads = threads or settings.model_threads
        serve_worker(settings, consumer=consumer, count=batch, threads=threads)
    except (ModelError, ValueError) as e:
        raise _fail(str(e)) from None


@db_app.command("upgrade")
def db_upgrade(revision: str = "heads") -> None:
    """Apply database migrations."""
    db.upgrade(_settings().database_url, revision)
    typer.echo("database is up to date")


@users_app.command("create")
def users_create(
    handle: str,
    password: str = typer.Option(..., prompt=True, hide_input=True),
    role: Role = typer.Option(Role.MEMBER),
) -> None:
    """Create an account (guidelines and age are taken as confirmed by the operator)."""
    s = _settings()
    engine = db.make_engine(s.database_url)
    try:
        with db.session_scope(engine) as session:
            do_register(
                session,
                handle=handle,
                password=password,
                accept_guidelines=True,
                age_confirmed=True,
                guidelines_version=s.guidelines_version,
                min_age=s.min_age,
                role=role,
            )
    except AccountError as e:
        raise _fail(f"{e.field}: {e.message}") from None
    typer.echo(f"created {role.value} {handle}")


@rooms_app.command("create")
def rooms_create(
    slug: str, name: str = typer.Option(...), private: bool = False, description: str = ""
) -> None:
    """Create a room."""
    engine = db.make_engine(_settings().database_url)
    try:
        with db.session_scope(engine) as session:
            room = do_create_room(
                session,
                slug=slug,
                name=name,
                creator=None,
                description=description,
                kind="private" if private else "public",
            )
    except RoomError as e:
        raise _fail(f"{e.field}: {e.message}") from None
    extra = f" (invite code {room.invite_code})" if room.invite_code else ""
    typer.echo(f"created room {slug}{extra}")


@app.command()
def demo() -> None:
    """Seed a small demo community once; prints the demo passwords."""
    from community.demo import seed

    s = _settings()
    db.upgrade(s.database_url)
    for line in seed(db.make_engine(s.database_url), s):
        typer.echo(line)


@moderation_app.command("assess")
def moderation_assess(
    model_timeout: float = typer.Option(
        30.0, help="seconds a line may wait for the models (rooms use HEARTH_MODEL_TIMEOUT_MS)"
    ),
) -> None:
    """Assess lines on stdin (JSON with "text", or plain text); one JSON verdict per line."""
    from dataclasses import replace

    from community.services import build_scorer, moderation_pipeline
    from moderation.batch import assess_lines

    # Same pipeline as the rooms; only the wait differs: a batch check of rule changes
    # wants every model's answer, not what a busy machine managed in half a second.
    s = replace(_settings(), model_timeout_ms=round(model_timeout * 1000))
    scorer = build_scorer(s, wait=True)
    pipeline = moderation_pipeline(s, scorer)

    async def run() -> None:
        async for out in assess_lines(sys.stdin, pipeline):
            sys.stdout.write(out + "\n")
            sys.stdout.flush()

    try:
        asyncio.run(run())
    finally:
        if scorer is not None:
            scorer.close()


@models_app.command("download")
def models_download(name: str) -> None:
    """Download a detoxify model into HEARTH_MODEL_DIR (needs internet)."""
    from moderation.hub import download_model
    from moderation.model import ModelError

    try:
        path = download_model(name, _settings().model_dir, progress=True)
    except ModelError as e:
        raise _fail(str(e)) from None
    typer.echo(f"model {name} is in {path}")


@models_app.command("import")
def models_import(
    path: Path,
    name: str = typer.Option(None, help="original-small, unbiased-small, original, ..."),
    config_dir: Path = typer.Option(None, help="transformers config/tokenizer directory"),
    replace: bool = typer.Option(False, help="overwrite an existing model of that name"),
) -> None:
    """Import a checkpoint (and its config directory) brought by hand."""
    from moderation.hub import import_model
    from moderation.model import ModelError

    try:
        dest = import_model(
            path, _settings().model_dir, name, config_dir=config_dir, replace=replace
        )
    except ModelError as e:
        raise _fail(str(e)) from None
    typer.echo(f"imported into {dest}")


if __name__ == "__main__":
    app()
