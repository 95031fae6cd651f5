"""Logging for the processes that run for long (the bot, `faye serve-metrics`): readable text by default, one JSON
object a line with FAYE_LOG_FORMAT=json (for a log shipper), and never a secret in either.

A record's fields are time, level, logger and message, then, when the code that logged passed them in `extra=`,
`incident` (the id a player quotes for a bug), `interaction` (Discord's id of the interaction), `command` and
`user`; a traceback comes as `exception`. Every record goes through `Redact` on its way out, whoever logged it
(discord.py, SQLAlchemy, a traceback that printed a connection URL): the bot's token, the database password and
anything shaped like a Discord token become `[redacted]`.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Final, Literal, TextIO
from urllib.parse import quote, unquote, urlsplit

from faye.settings import Settings

LogFormat = Literal["text", "json"]
FIELDS: Final = ("incident", "interaction", "command", "user")
"""The context a record may carry in `extra=`, in the order they are written."""
REDACTED: Final = "[redacted]"
DISCORD_TOKEN: Final = re.compile(r"\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}")
"""A Discord bot token's shape (user id, timestamp, HMAC, base64): redacted even when it is not this bot's."""
TEXT_FORMAT: Final = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
_FAYE_HANDLER: Final = "_faye_handler"


def url_password(url: str) -> str | None:
    """The password in a database URL (postgresql+asyncpg://user:PASSWORD@host/db), or None."""
    try:
        return urlsplit(url).password or None
    except ValueError:  # not a URL at all: the database layer refuses it, with its password hidden
        return None


def secrets_of(settings: Settings, *more: str | None) -> list[str]:
    """What must never be logged: the database password from `settings`, and `more` (the bot's token)."""
    return [secret for secret in (url_password(settings.database_url), *more) if secret]


class Redact(logging.Filter):
    """Rewrites each record with its secrets replaced: message and arguments (rendered first), the traceback and
    the context fields. On a handler, so records from every logger pass through it."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        variants = {form for secret in secrets if secret for form in (secret, quote(secret, safe=""), unquote(secret))}
        # The longest first, so that a secret containing another is replaced whole.
        self._secrets = sorted(variants, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return DISCORD_TOKEN.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit the format: the handler reports that, as logging does
            return True
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        for field in FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                setattr(record, field, self.redact(str(value)))
        return True


def context(record: logging.LogRecord) -> dict[str, str]:
    """The record's context fields that are set, as text."""
    return {field: str(value) for field in FIELDS if (value := getattr(record, field, None)) is not None}


class TextFormatter(logging.Formatter):
    """`2026-01-01 12:00:00,000 ERROR    discord_frontend.tree: incident 1a2b3c4d: ... [incident=1a2b3c4d ...]`:
    the context after the message, before any traceback."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def formatMessage(self, record: logging.LogRecord) -> str:
        fields = context(record)
        line = super().formatMessage(record)
        return f"{line} [{' '.join(f'{key}={value}' for key, value in fields.items())}]" if fields else line


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (ISO 8601, UTC), level, logger, message, the context fields that are set,
    and `exception` with the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, str] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **context(record),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(
    log_format: LogFormat, secrets: Iterable[str], *, level: int = logging.INFO, stream: TextIO | None = None
) -> logging.Handler:
    """Send every logger's records to `stream` (default stderr) in `log_format`, secrets redacted. Called again
    (a test, a restart in one process), it replaces the handler it installed before rather than adding one."""
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.addFilter(Redact(secrets))
    setattr(handler, _FAYE_HANDLER, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _FAYE_HANDLER, False)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(level)
    return handler
