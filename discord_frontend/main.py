"""`faye-discord`: run the bot, or check it offline.

    faye-discord --check              build the bot without network, load every cog, print the command tree
    faye-discord                      run (DISCORD_TOKEN and FAYE_DATABASE_URL from the environment or .env)
    faye-discord --sync-guild ID      ... and publish the commands to one guild first (instant; development)
    faye-discord --sync               ... and publish them globally (only when they changed: rate-limited)
    faye-discord --shards 4 --shard-ids 0,1   run shards 0 and 1 of 4 (several processes, one PostgreSQL)

Exit codes: 0 done (or stopped with Ctrl-C), 1 the bot stopped on an unexpected error (logged with an incident
id), 2 bad usage, no token, a rejected token, or bad settings, game data or database.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import discord
from discord import app_commands
from dotenv import load_dotenv

from discord_frontend.bot import FayeBot, SyncPlan
from faye import logs
from faye.app import FayeApp
from faye.config import GameConfig, load_config
from faye.errors import FayeError
from faye.settings import Settings, load_settings

EXIT_OK: Final = 0
EXIT_CRASHED: Final = 1
EXIT_BAD_CONFIG: Final = 2
TOKEN_ENV: Final = "DISCORD_TOKEN"

log = logging.getLogger("discord_frontend")


class BadConfig(Exception):
    """Something the operator must fix before the bot can run; the message says what."""


def shard_ids(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated shard numbers, got {text!r}") from None


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="faye-discord",
        description="Faye for Discord: the game as slash commands. Reads DISCORD_TOKEN and the FAYE_* settings "
        "(FAYE_DATABASE_URL, FAYE_ADMIN_IDS, ...) from the environment or a .env file.",
    )
    cli.add_argument("--check", action="store_true", help="Build the bot offline, print the command tree, exit.")
    cli.add_argument("--sync", action="store_true", help="Publish the commands globally at start.")
    cli.add_argument(
        "--sync-guild", type=int, metavar="ID", help="Publish the commands to this guild at start (development)."
    )
    cli.add_argument("--shards", type=int, metavar="N", help="Total shard count (default: Discord's suggestion).")
    cli.add_argument(
        "--shard-ids", type=shard_ids, metavar="IDS", help="This process's shards, e.g. 0,1 (needs --shards)."
    )
    return cli


def load_game() -> tuple[Settings, GameConfig]:
    try:
        settings = load_settings()
        return settings, load_config(settings.config_dir, settings.assets_dir)
    except FayeError as exc:
        raise BadConfig(exc.message) from None


def describe(tree: app_commands.CommandTree[FayeBot]) -> list[str]:
    """The command tree as Discord will show it: each command with its options, one line each."""
    lines: list[str] = []

    def walk(command: app_commands.Command[Any, ..., Any] | app_commands.Group) -> None:
        if isinstance(command, app_commands.Group):
            for sub in sorted(command.commands, key=lambda c: c.name):
                walk(sub)
            return
        lines.append(f"/{command.qualified_name} — {command.description}")
        for param in command.parameters:
            traits = [param.type.name, "required" if param.required else "optional"]
            if param.min_value is not None or param.max_value is not None:
                traits.append(f"{param.min_value}..{param.max_value}")
            if param.choices:
                traits.append("choices: " + ", ".join(str(c.value) for c in param.choices))
            if param.autocomplete:
                traits.append("autocomplete")
            lines.append(f"    {param.display_name} ({'; '.join(traits)}) — {param.description}")

    for command in sorted(tree.get_commands(type=discord.AppCommandType.chat_input), key=lambda c: c.name):
        assert isinstance(command, app_commands.Command | app_commands.Group)
        walk(command)
    return lines


async def check(settings: Settings, config: GameConfig) -> list[str]:
    """Build the bot and load its cogs without logging in or opening the database."""

    async with FayeBot(lambda: FayeApp.open(settings, config=config)) as bot:
        await bot.load_cogs()
        payload = [command.to_dict(bot.tree) for command in bot.tree.get_commands()]
        return [*describe(bot.tree), f"{len(payload)} top-level commands, {len(bot.cogs)} cogs: game data OK."]


async def serve(bot: FayeBot, token: str) -> None:
    """Log to stderr (FAYE_LOG_FORMAT: text or JSON lines; the token and the database password redacted) and run
    until stopped."""
    settings = load_settings()  # as `run` read them: the same environment and .env
    logs.configure(settings.log_format, logs.secrets_of(settings, token))
    async with bot:
        await bot.start(token)


def run(args: argparse.Namespace) -> int:
    settings, config = load_game()
    if args.check:
        print("\n".join(asyncio.run(check(settings, config))))
        return EXIT_OK
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise BadConfig(
            f"no bot token: set {TOKEN_ENV} in the environment or in a .env file "
            "(Discord Developer Portal → your application → Bot → Reset Token)"
        )
    if args.shard_ids is not None and args.shards is None:
        raise BadConfig("--shard-ids needs --shards, the total shard count")
    bot = FayeBot(
        lambda: FayeApp.open(settings, config=config),
        sync=SyncPlan(guild_id=args.sync_guild, everywhere=args.sync),
        shard_count=args.shards,
        shard_ids=args.shard_ids,
    )
    try:
        asyncio.run(serve(bot, token))
    except KeyboardInterrupt:
        return EXIT_OK
    except discord.LoginFailure:
        raise BadConfig(f"Discord rejected the token in {TOKEN_ENV}") from None
    except discord.Forbidden as exc:  # only syncing commands at start can be refused
        raise BadConfig(
            f"Discord refused to sync the commands ({exc.text or exc.status}): is the bot in that guild, invited "
            "with the applications.commands scope?"
        ) from None
    except FayeError as exc:
        raise BadConfig(exc.message) from None
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    load_dotenv(Path(".env"))
    try:
        return run(args)
    except BadConfig as exc:
        print(f"faye-discord: {exc}", file=sys.stderr)
        return EXIT_BAD_CONFIG
    except Exception as exc:
        incident = uuid.uuid4().hex[:8]
        log.critical("incident %s: the bot stopped", incident, exc_info=exc)
        print(f"faye-discord: stopped by an unexpected error, incident {incident} (see the log)", file=sys.stderr)
        return EXIT_CRASHED


if __name__ == "__main__":
    sys.exit(main())
