"""Logs: readable text by default, one JSON object a line with FAYE_LOG_FORMAT=json, the context of an internal error
(its incident id, the interaction) in its record, and no secret in any output, whoever logged it and however."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest

from faye import logs
from faye.errors import InvalidArgument
from faye.settings import Settings, load_settings
from tests.discord.conftest import ANA, Harness, harness, sqlite_url

__all__ = ["harness", "sqlite_url"]  # tests/discord's fixtures: the bot on a fake Discord

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GaBcDe.fake-token-for-the-redaction-test_0123"
PASSWORD = "s3cr@t pass"
DATABASE_URL = "postgresql+asyncpg://faye:s3cr%40t%20pass@db.example:5432/faye"
CONTEXT = {"incident": "1a2b3c4d", "interaction": "900000000000000042", "command": "/summon", "user": "7"}


@pytest.fixture
def restore_root() -> Iterator[None]:
    """`logs.configure` changes the root logger: put it back, so no other test writes to a stream gone stale."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


def capture(log_format: logs.LogFormat, secrets: list[str] | None = None) -> io.StringIO:
    stream = io.StringIO()
    logs.configure(log_format, secrets or [], stream=stream)
    return stream


def boom(message: str) -> BaseException:
    try:
        raise RuntimeError(message)
    except RuntimeError as exc:
        return exc


@pytest.mark.usefixtures("restore_root")
def test_json_is_one_object_a_line_with_the_context_fields() -> None:
    stream = capture("json")
    log = logging.getLogger("faye.test")
    log.info("summoned %d", 10, extra=CONTEXT)
    log.error("incident %s: it broke", "1a2b3c4d", exc_info=boom("the database caught fire"), extra=CONTEXT)
    log.warning("no context")
    first, second, third = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first == {"time": first["time"], "level": "INFO", "logger": "faye.test", "message": "summoned 10", **CONTEXT}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", first["time"])
    assert second["level"] == "ERROR"
    assert second["incident"] == "1a2b3c4d"
    assert "RuntimeError: the database caught fire" in second["exception"]
    assert set(third) == {"time", "level", "logger", "message"}


@pytest.mark.usefixtures("restore_root")
def test_text_is_the_default_and_reads_as_a_line() -> None:
    assert Settings().log_format == "text"
    stream = capture(Settings().log_format)
    logging.getLogger("discord_frontend.tree").error(
        "incident %s: /summon failed", "1a2b3c4d", exc_info=boom("bug"), extra=CONTEXT
    )
    first, *rest = stream.getvalue().splitlines()
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ERROR    discord_frontend\.tree: incident 1a2b3c4d: /summon failed "
        r"\[incident=1a2b3c4d interaction=900000000000000042 command=/summon user=7\]",
        first,
    )
    assert rest[0] == "Traceback (most recent call last):"
    assert rest[-1] == "RuntimeError: bug"


def test_the_format_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAYE_LOG_FORMAT", "json")
    assert load_settings().log_format == "json"
    monkeypatch.setenv("FAYE_LOG_FORMAT", "xml")
    with pytest.raises(InvalidArgument) as refused:
        load_settings()
    assert refused.value.message.startswith("invalid setting: FAYE_LOG_FORMAT:")


@pytest.mark.usefixtures("restore_root")
@pytest.mark.parametrize("log_format", ["text", "json"])
def test_no_secret_is_ever_written(log_format: logs.LogFormat) -> None:
    settings = Settings(database_url=DATABASE_URL)
    stream = capture(log_format, logs.secrets_of(settings, TOKEN))
    stranger = "OTg3NjU0MzIxMDk4NzY1NDMyMQ.Xy_9zA.another-bots-token-shaped-like-one_987"
    log = logging.getLogger("discord.gateway")  # a library's logger: the handler redacts every record
    log.info("logging in with %s", TOKEN)
    log.info(f"connecting to {settings.database_url} as {PASSWORD}")
    log.warning("a token that is not ours: %s", stranger)
    log.error("failed", exc_info=boom(f"cannot connect to {DATABASE_URL} with {TOKEN}"))
    log.error("with context", extra={**CONTEXT, "command": f"/login {TOKEN}"}, stack_info=True)
    written = stream.getvalue()
    for secret in (TOKEN, PASSWORD, "s3cr%40t%20pass", "s3cr%40t", stranger):
        assert secret not in written
    assert written.count(logs.REDACTED) >= 7
    assert "db.example:5432/faye" in written  # only the password goes


def test_a_url_without_password_has_no_secret() -> None:
    assert logs.secrets_of(Settings(database_url="sqlite+aiosqlite:///faye.db")) == []
    assert logs.secrets_of(Settings(database_url="postgresql+asyncpg://faye@db/faye"), None, "") == []
    assert logs.url_password("not a url") is None


@pytest.mark.usefixtures("restore_root")
async def test_a_bugs_record_carries_its_incident_and_its_interaction(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = capture("json", logs.secrets_of(harness.app.settings, TOKEN))

    async def crash(user_id: str) -> None:
        raise RuntimeError(f"the gateway said {TOKEN}")

    monkeypatch.setattr(harness.app.economy, "profile", crash)
    shown = await harness.gateway.run("profile", ANA)
    match = re.search(r"incident `([0-9a-f]{8})`", shown.last.embed["description"])
    assert match is not None
    records: list[dict[str, Any]] = [json.loads(line) for line in stream.getvalue().splitlines()]
    (bug,) = [r for r in records if r["level"] == "ERROR"]
    assert bug["incident"] == match.group(1)
    assert bug["interaction"] == shown.payload["id"]
    assert bug["command"] == "/profile"
    assert bug["user"] == str(ANA.id)
    assert "RuntimeError: the gateway said [redacted]" in bug["exception"]
    assert TOKEN not in stream.getvalue()
