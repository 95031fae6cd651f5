"""Runtime settings from the environment or a .env file (prefix FAYE_)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

#: The game data shipped with the repository; FAYE_CONFIG_DIR points elsewhere.
DEFAULT_CONFIG_DIR = Path(__file__).resolve().parent.parent / "data" / "config"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///faye.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FAYE_", env_file=".env", extra="ignore", frozen=True)

    database_url: str = DEFAULT_DATABASE_URL
    config_dir: Path = DEFAULT_CONFIG_DIR
    now: datetime | None = Field(default=None, description="Freeze the clock at this ISO-8601 instant.")
    seed: int | None = Field(default=None, description="Seed the RNG so a session replays exactly.")
    admin_ids: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset(), description="Comma-separated user ids allowed to run admin actions."
    )

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(part.strip() for part in value.split(",") if part.strip())
        return value
