"""Runtime settings from the environment or a .env file (prefix FAYE_)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from faye import inputs
from faye.errors import InvalidArgument
from faye.limits import RateLimit, parse_limits
from faye.run_dir import default_run_dir

#: The game data shipped with the repository; FAYE_CONFIG_DIR points elsewhere.
DEFAULT_CONFIG_DIR = Path(__file__).resolve().parent.parent / "data" / "config"
#: Designers' own Esprit art, `<esprit_id>.png`; FAYE_ASSETS_DIR points elsewhere.
DEFAULT_ASSETS_DIR = DEFAULT_CONFIG_DIR.parent / "assets" / "esprits"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///faye.db"

T = TypeVar("T")


def default_cache_dir() -> Path | None:
    """$XDG_CACHE_HOME/faye, else ~/.cache/faye (the render cache lives in its `render` folder); None (no cache)
    for a user without a home."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    return Path(base) / "faye"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FAYE_", env_file=".env", extra="ignore", frozen=True)

    database_url: str = DEFAULT_DATABASE_URL
    config_dir: Path = DEFAULT_CONFIG_DIR
    assets_dir: Path = Field(default=DEFAULT_ASSETS_DIR, description="Designers' Esprit art: <esprit_id>.png files.")
    now: datetime | None = Field(
        default=None,
        description="Freeze the clock at this ISO-8601 instant, with its UTC offset, from 2000-01-01 to 2199-12-31 UTC "
        "(faye.inputs.NOW).",
    )
    seed: int | None = Field(
        default=None, description="Seed the RNG so a session replays exactly: 0 to 2**63 - 1 (faye.inputs.SEED)."
    )
    admin_ids: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset(), description="Comma-separated user ids allowed to run admin actions."
    )
    cache_dir: Path | None = Field(
        default_factory=default_cache_dir,
        description="Where the validated game data is kept between processes (faye.config_cache); an empty value "
        "turns the cache off. Default: $XDG_CACHE_HOME/faye, else ~/.cache/faye.",
    )
    rate_limits: str = Field(
        default="",
        description="Per-player limits, ACTION=COUNT/SECONDS comma-separated, e.g. summon=1/1,*=20/60 (faye.limits); "
        "empty: none.",
    )
    run_dir: Path = Field(
        default_factory=default_run_dir,
        description="Where each running bot writes its pid file, so `faye admin reload-config` can signal it "
        "(faye.reload), and where `faye server` listens. Default: $XDG_RUNTIME_DIR/faye, else faye-<uid> in the "
        "temporary folder.",
    )
    lock_timeout_s: float | None = Field(
        default=None,
        gt=0,
        le=3600,
        description="PostgreSQL: seconds a request waits for a locked row before failing as busy "
        "(default faye.db.LOCK_TIMEOUT_S).",
    )
    statement_timeout_s: float | None = Field(
        default=None,
        gt=0,
        le=3600,
        description="PostgreSQL: the longest one statement may run (default faye.db.STATEMENT_TIMEOUT_S).",
    )
    metrics_port: int | None = Field(
        default=None,
        ge=0,
        le=65535,
        description="The bot serves Prometheus metrics on 127.0.0.1 at this port (unset or empty: it does not); "
        "`faye serve-metrics` listens there by default too (else faye.metrics.DEFAULT_PORT, 9464).",
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="How the bot and `faye serve-metrics` log: readable text, or one JSON object a line (faye.logs).",
    )

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("cache_dir", "metrics_port", mode="before")
    @classmethod
    def _empty_is_off(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("now")
    @classmethod
    def _bounded_now(cls, value: datetime | None) -> datetime | None:
        """Year 1 or 9999 would overflow the first timedelta the game adds; a naive instant would be a guess."""
        return None if value is None else _within(lambda: inputs.NOW.check(value))

    @field_validator("rate_limits")
    @classmethod
    def _parsed_limits(cls, value: str) -> str:
        try:
            parse_limits(value)
        except ValueError as error:
            raise PydanticCustomError("rate_limits", str(error).replace("{", "{{").replace("}", "}}")) from None
        return value

    @property
    def limits(self) -> dict[str, RateLimit]:
        return parse_limits(self.rate_limits)

    @field_validator("seed")
    @classmethod
    def _bounded_seed(cls, value: int | None) -> int | None:
        return None if value is None else _within(lambda: inputs.SEED.check(value))


def _within(check: Callable[[], T]) -> T:
    """A faye.inputs check as a pydantic error, so the refusal is named by its variable (FAYE_NOW: ...)."""
    try:
        return check()
    except InvalidArgument as error:
        raise PydanticCustomError("out_of_bounds", error.message.replace("{", "{{").replace("}", "}}")) from None


def load_settings(**overrides: Any) -> Settings:
    """The settings from the environment and .env, `overrides` (a command line's --db, --config-dir) winning.

    Both front-ends start here, so a bad value reads the same in the terminal and in the bot's log: every
    problem named by its variable (`FAYE_SEED: Input should be a valid integer`). Raises InvalidArgument
    (bad input) with the problems listed in `problems`.
    """
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = [f"FAYE_{'_'.join(str(part) for part in e['loc']).upper()}: {e['msg']}" for e in exc.errors()]
        raise InvalidArgument(f"invalid setting: {'; '.join(problems)}", problems=problems) from None
