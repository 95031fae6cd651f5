"""A fake Discord for the bot: gateway-shaped INTERACTION_CREATE payloads in, recorded HTTP requests out.

Payloads go through `ConnectionState.parse_interaction_create`, so the real CommandTree and view store route
them. Every HTTP request discord.py makes is caught at the request level (`AsyncWebhookAdapter.request` for
interaction responses, webhooks and follow-ups; `HTTPClient.request` for anything else) and answered the way
Discord would, with message payloads that discord.py parses; the fake keeps each message's current state so a
test can press the buttons it actually shows.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

import discord
from discord import app_commands
from discord.http import Route

APP_ID = 900_000_000_000_000_001
GUILD_ID = 900_000_000_000_000_002
CHANNEL_ID = 900_000_000_000_000_003
BOT_USER = {
    "id": str(APP_ID),
    "username": "faye",
    "discriminator": "0",
    "avatar": None,
    "bot": True,
    "global_name": None,
}
TIMESTAMP = "2026-01-01T12:00:00+00:00"
#: Tasks discord.py starts for an interaction (the tree's invoker, a view item's callback, a persistent item's
#: callback, a view's timeout).
WATCHED = (
    "CommandTree-invoker",
    "discord-ui-view-dispatch",
    "discord-ui-dynamic-item",
    "discord-ui-view-timeout",
    "discord-ui-modal-dispatch",
)
SETTLE_SECONDS = 20

CALLBACK = "/interactions/{webhook_id}/{webhook_token}/callback"
ORIGINAL = "/webhooks/{webhook_id}/{webhook_token}/messages/@original"
FOLLOWUP = "/webhooks/{webhook_id}/{webhook_token}"
WEBHOOK_MESSAGE = "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"

# Interaction callback types (Discord's numbering).
MESSAGE, DEFERRED, DEFERRED_UPDATE, UPDATE, AUTOCOMPLETE = 4, 5, 6, 7, 8
EPHEMERAL = 64
LOADING = 128


@dataclass(frozen=True)
class Player:
    id: int
    name: str

    def user(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name.lower(),
            "global_name": self.name,
            "discriminator": "0",
            "avatar": None,
            "bot": False,
        }

    def member(self, permissions: int = 0) -> dict[str, Any]:
        return {
            "user": self.user(),
            "roles": [],
            "joined_at": TIMESTAMP,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "nick": None,
            "avatar": None,
            "permissions": str(permissions),
        }


@dataclass
class Call:
    """One HTTP request as discord.py made it."""

    method: str
    path: str
    """Route template, e.g. /webhooks/{webhook_id}/{webhook_token}/messages/@original."""
    token: str | None
    body: dict[str, Any] | None
    files: list[tuple[str, bytes]]
    message_id: int | None = None
    """The message this request created or changed."""

    @property
    def type(self) -> int:
        """The interaction callback type (4 message, 5 deferred, 6 deferred update, 7 update, 8 autocomplete)."""
        assert self.path == CALLBACK, self
        assert self.body is not None
        return int(self.body["type"])

    @property
    def data(self) -> dict[str, Any]:
        """The message fields sent: a callback's `data`, or a webhook request's body."""
        if self.body is None:
            return {}
        if self.path == CALLBACK:
            return dict(self.body.get("data") or {})
        return self.body

    @property
    def flags(self) -> int:
        return int(self.data.get("flags", 0))

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return list(self.data.get("embeds", []))

    @property
    def embed(self) -> dict[str, Any]:
        (only,) = self.embeds
        return only

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [c for c in components_of(self.data) if c["type"] == 2]

    @property
    def filenames(self) -> list[str]:
        return [name for name, _ in self.files]


def components_of(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [child for row in message.get("components") or [] for child in row.get("components", [])]


def label_of(component: dict[str, Any]) -> str:
    return str(component.get("label") or (component.get("emoji") or {}).get("name") or "")


@dataclass
class Exchange:
    """The requests answering one interaction."""

    payload: dict[str, Any]
    calls: list[Call]

    @property
    def callback(self) -> Call:
        (only,) = [c for c in self.calls if c.path == CALLBACK]
        return only

    @property
    def edits(self) -> list[Call]:
        return [c for c in self.calls if c.method == "PATCH"]

    @property
    def followups(self) -> list[Call]:
        return [c for c in self.calls if c.method == "POST" and c.path == FOLLOWUP]

    @property
    def deletes(self) -> list[Call]:
        return [c for c in self.calls if c.method == "DELETE"]

    @property
    def last(self) -> Call:
        """The request that left the answer as the player sees it."""
        return [c for c in self.calls if c.method in ("POST", "PATCH")][-1]

    @property
    def message_id(self) -> int:
        """The message the answer lives in."""
        ids = [c.message_id for c in self.calls if c.message_id is not None]
        assert ids, f"no message in {self.calls}"
        return ids[-1]


@dataclass
class FakeDiscord:
    """Discord's side of the HTTP conversation."""

    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    originals: dict[str, int] = field(default_factory=dict)
    """Per interaction token: the message its @original refers to."""
    sources: dict[str, int] = field(default_factory=dict)
    """Per component interaction's token: the message the component sits on."""
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1_000_000_000_000_000_000))

    def snowflake(self) -> int:
        return next(self._ids)

    # --- messages -------------------------------------------------------------------------------------

    def _attachments(self, body: dict[str, Any], files: list[tuple[str, bytes]]) -> list[dict[str, Any]]:
        out = []
        for item in body.get("attachments", []):
            name = item.get("filename", "file")
            size = next((len(data) for fname, data in files if fname == name), 0)
            url = f"https://cdn.discordapp.com/attachments/{CHANNEL_ID}/{self.snowflake()}/{name}"
            out.append({"id": str(self.snowflake()), "filename": name, "size": size, "url": url, "proxy_url": url})
        return out

    def create(self, body: dict[str, Any], files: list[tuple[str, bytes]], *, flags: int = 0) -> int:
        message_id = self.snowflake()
        self.messages[message_id] = {
            "id": str(message_id),
            "channel_id": str(CHANNEL_ID),
            "author": BOT_USER,
            "application_id": str(APP_ID),
            "webhook_id": str(APP_ID),
            "content": body.get("content") or "",
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self._attachments(body, files),
            "embeds": body.get("embeds", []),
            "components": body.get("components", []),
            "pinned": False,
            "type": 20,
            "flags": flags | int(body.get("flags", 0)),
        }
        return message_id

    def edit(self, message_id: int, body: dict[str, Any], files: list[tuple[str, bytes]]) -> None:
        message = self.messages[message_id]
        for key in ("content", "embeds", "components"):
            if key in body:
                message[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
        if "attachments" in body:
            message["attachments"] = self._attachments(body, files)
        message["flags"] = int(message["flags"]) & ~LOADING
        message["edited_timestamp"] = TIMESTAMP

    # --- requests -------------------------------------------------------------------------------------

    async def webhook_request(self, route: Route, **kwargs: Any) -> Any:
        body = kwargs.get("payload")
        for part in kwargs.get("multipart") or []:
            if part["name"] == "payload_json":
                body = json.loads(part["value"])
        files = []
        for file in kwargs.get("files") or []:
            file.reset()
            files.append((file.filename, file.fp.read()))
        token = route.webhook_token
        call = Call(route.method, route.path, token, body, files)
        self.calls.append(call)
        await asyncio.sleep(0)  # a real request yields to the event loop
        return self._answer(call, route)

    def _answer(self, call: Call, route: Route) -> Any:
        token = call.token
        assert token is not None
        if call.path == CALLBACK:
            return self._callback(call, int(route.webhook_id or 0))
        if call.path == ORIGINAL:
            message_id = self.originals[token]
        elif call.path == WEBHOOK_MESSAGE:
            message_id = int(route.url.rsplit("/", 1)[1])
        elif call.path == FOLLOWUP and call.method == "POST":
            message_id = self.create(call.data, call.files)
            call.message_id = message_id
            return self.messages[message_id]
        else:
            raise AssertionError(f"unexpected webhook request {call.method} {call.path}")
        call.message_id = message_id
        if call.method == "DELETE":
            self.messages.pop(message_id, None)
            return None
        if call.method == "PATCH":
            self.edit(message_id, call.data, call.files)
        return self.messages[message_id]

    def _callback(self, call: Call, interaction_id: int) -> dict[str, Any]:
        token = call.token
        assert token is not None
        kind = call.type
        resource: dict[str, Any] = {"type": kind}
        message_id: int | None = None
        if kind in (MESSAGE, DEFERRED):
            message_id = self.create(call.data, call.files, flags=LOADING if kind == DEFERRED else 0)
            self.originals[token] = message_id
        elif kind in (UPDATE, DEFERRED_UPDATE):
            message_id = self.sources[token]
            if kind == UPDATE:
                self.edit(message_id, call.data, call.files)
        if message_id is not None:
            call.message_id = message_id
            resource["message"] = self.messages[message_id]
        ephemeral = message_id is not None and bool(int(self.messages[message_id]["flags"]) & EPHEMERAL)
        return {
            "interaction": {
                "id": str(interaction_id),
                "type": 2,
                "response_message_id": str(message_id) if message_id else None,
                "response_message_loading": kind == DEFERRED,
                "response_message_ephemeral": ephemeral,
            },
            "resource": resource,
        }

    async def rest_request(self, route: Route, **kwargs: Any) -> Any:
        """The bot never needs the REST API outside interactions; record it so a test can say so."""
        self.calls.append(Call(route.method, route.path, None, kwargs.get("json"), []))
        raise AssertionError(f"unexpected REST request {route.method} {route.path}")


class Gateway:
    """Builds INTERACTION_CREATE payloads and dispatches them to a bot, waiting until it has answered."""

    def __init__(self, bot: discord.Client, tree: app_commands.CommandTree[Any], fake: FakeDiscord) -> None:
        self.bot = bot
        self.tree = tree
        self.fake = fake

    def _base(
        self, kind: int, data: dict[str, Any], player: Player, *, permissions: int = 0, dm: bool = False
    ) -> dict[str, Any]:
        interaction_id = self.fake.snowflake()
        if dm:  # the bot's direct messages: a user instead of a member, no guild
            return {
                "id": str(interaction_id),
                "application_id": str(APP_ID),
                "type": kind,
                "data": data,
                "token": f"token-{interaction_id}",
                "version": 1,
                "channel_id": str(CHANNEL_ID),
                "channel": {"id": str(CHANNEL_ID), "type": 1, "recipients": [player.user()]},
                "user": player.user(),
                "app_permissions": "0",
                "locale": "en-US",
                "entitlements": [],
                "authorizing_integration_owners": {"0": str(APP_ID)},
                "context": 1,
                "attachment_size_limit": 10 * 1024 * 1024,
            }
        return {
            "id": str(interaction_id),
            "application_id": str(APP_ID),
            "type": kind,
            "data": data,
            "token": f"token-{interaction_id}",
            "version": 1,
            "guild_id": str(GUILD_ID),
            "channel_id": str(CHANNEL_ID),
            "channel": {
                "id": str(CHANNEL_ID),
                "type": 0,
                "guild_id": str(GUILD_ID),
                "name": "faye",
                "position": 0,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
            },
            "member": player.member(permissions),
            "app_permissions": str(discord.Permissions(send_messages=True, embed_links=True, attach_files=True).value),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(GUILD_ID)},
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }

    def _command_data(self, name: str, options: dict[str, Any], focused: str | None) -> dict[str, Any]:
        """`name` is the qualified name ('auction buy'); option types come from the real command."""
        *groups, leaf = name.split()
        command = self.tree.get_command(groups[0] if groups else leaf)
        assert command is not None, f"no command /{name}"
        for sub in [*groups[1:], leaf] if groups else []:
            assert isinstance(command, app_commands.Group)
            command = command.get_command(sub)
            assert command is not None, f"no command /{name}"
        assert isinstance(command, app_commands.Command)
        params = {p.display_name: p for p in command.parameters}
        resolved: dict[str, Any] = {}
        sent = []
        for option, value in options.items():
            kind = params[option].type
            if isinstance(value, Player):
                resolved.setdefault("users", {})[str(value.id)] = value.user()
                member = value.member()
                del member["user"]
                resolved.setdefault("members", {})[str(value.id)] = member
                value = str(value.id)
            entry: dict[str, Any] = {"name": option, "type": kind.value, "value": value}
            if option == focused:
                entry.update(focused=True, value=str(value))
            sent.append(entry)
        for sub, level in reversed([*((g, 2) for g in groups[1:]), (leaf, 1)] if groups else []):
            sent = [{"name": sub, "type": level, "options": sent}]  # 2: a subcommand group, 1: a subcommand
        data: dict[str, Any] = {"id": str(self.fake.snowflake()), "name": name.split()[0], "type": 1, "options": sent}
        if resolved:
            data["resolved"] = resolved
        return data

    def command(
        self, name: str, player: Player, /, *, permissions: int = 0, dm: bool = False, **options: Any
    ) -> dict[str, Any]:
        return self._base(2, self._command_data(name, options, None), player, permissions=permissions, dm=dm)

    def autocomplete(self, name: str, player: Player, focused: str, /, **options: Any) -> dict[str, Any]:
        return self._base(4, self._command_data(name, options, focused), player)

    def component(
        self, message_id: int, label: str, player: Player, *, values: list[str] | None = None
    ) -> dict[str, Any]:
        """A press of the button labelled `label` (or the select with that placeholder) on a message."""
        message = self.fake.messages[message_id]
        matches = [c for c in components_of(message) if label_of(c) == label or c.get("placeholder") == label]
        assert matches, f"no component {label!r} on message {message_id}: {components_of(message)}"
        component = matches[0]
        data: dict[str, Any] = {"custom_id": component["custom_id"], "component_type": component["type"]}
        if values is not None:
            data["values"] = values
        payload = self._base(3, data, player)
        payload["message"] = message
        self.fake.sources[payload["token"]] = self.fake.originals[payload["token"]] = message_id
        return payload

    async def dispatch(self, *payloads: dict[str, Any]) -> list[Exchange]:
        """Hand the payloads to discord.py together (as the gateway would) and wait for every answer."""
        for payload in payloads:
            self.bot._connection.parse_interaction_create(payload)  # type: ignore[arg-type]  # a plain dict
        await settle()
        return [Exchange(p, [c for c in self.fake.calls if c.token == p["token"]]) for p in payloads]

    async def run(
        self, name: str, player: Player, /, *, permissions: int = 0, dm: bool = False, **options: Any
    ) -> Exchange:
        (exchange,) = await self.dispatch(self.command(name, player, permissions=permissions, dm=dm, **options))
        return exchange

    async def press(self, message_id: int, label: str, player: Player) -> Exchange:
        (exchange,) = await self.dispatch(self.component(message_id, label, player))
        return exchange

    async def choose(self, message_id: int, placeholder: str, values: list[str], player: Player) -> Exchange:
        (exchange,) = await self.dispatch(self.component(message_id, placeholder, player, values=values))
        return exchange

    async def complete(self, name: str, player: Player, focused: str, /, **options: Any) -> list[dict[str, Any]]:
        """The autocomplete choices the bot offers while `player` types `options[focused]`."""
        (exchange,) = await self.dispatch(self.autocomplete(name, player, focused, **options))
        assert exchange.callback.type == AUTOCOMPLETE
        return list(exchange.callback.data["choices"])

    def live_views(self) -> list[discord.ui.View]:
        """The views the bot holds in memory, waiting for presses (persistent items are not among them)."""
        store = self.bot._connection._view_store
        held = {item.view for items in store._views.values() for item in items.values() if item.view is not None}
        return [view for view in held if isinstance(view, discord.ui.View)]

    async def time_out(self) -> None:
        """Every view with a timeout times out now, through discord.py's own path (out of the view store, then
        `on_timeout`), as if its timeout had elapsed: no test waits on the wall clock."""
        for view in self.live_views():
            if view.timeout is not None:
                view._dispatch_timeout()  # type: ignore[no-untyped-call]  # discord.py leaves it untyped
        await settle()

    def buttons(self, message_id: int) -> dict[str, dict[str, Any]]:
        """The buttons a message shows now, by label."""
        return {label_of(c): c for c in components_of(self.fake.messages[message_id]) if c["type"] == 2}


async def settle() -> None:
    """Wait until every interaction task discord.py started (and any they started) has finished."""
    async with asyncio.timeout(SETTLE_SECONDS):
        while pending := [t for t in asyncio.all_tasks() if not t.done() and t.get_name().startswith(WATCHED)]:
            await asyncio.wait(pending)
