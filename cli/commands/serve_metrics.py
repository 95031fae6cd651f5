"""`faye serve-metrics`: the game's Prometheus metrics over HTTP until stopped, for an operator without the bot or
beside several bots. Its figures (money in circulation, faucets and sinks, pulls by tier next to the published
rates, the connection pool) are read from the database at each scrape, so one exporter speaks for every process
sharing that database.

It listens on loopback unless told otherwise: the figures describe the game's economy and players' activity, and
the exporter has no authentication, so serving them to the network takes `--public`. Ctrl-C or SIGTERM stops it
(exit 0). prometheus_client is imported here only when the command runs: `faye`'s other commands never load it.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Final

import typer

from cli.options import ConfigDirOpt, DbOpt, JsonOpt

if TYPE_CHECKING:
    from faye.settings import Settings

LOOPBACK: Final = "127.0.0.1"


def is_loopback(host: str) -> bool:
    """`localhost`, or an IPv4 or IPv6 loopback address (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve anywhere
        return False


def serve_metrics(
    port: Annotated[
        int | None,
        typer.Option(
            "--port",
            min=0,
            max=65535,
            help="Port to listen on; 0 picks a free one. Default: FAYE_METRICS_PORT, else 9464.",
            show_default=False,
        ),
    ] = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; one that is not loopback needs --public.")
    ] = LOOPBACK,
    public: Annotated[
        bool,
        typer.Option("--public", help="Allow a --host that other machines reach (the metrics have no password)."),
    ] = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Serve the game's Prometheus metrics at http://HOST:PORT/metrics until Ctrl-C."""
    from cli.runtime import Target, console, emit_json, load_settings
    from faye import logs
    from faye.errors import InvalidArgument

    if not public and not is_loopback(host):
        raise InvalidArgument(
            f"--host: {host!r} is not a loopback address; the metrics have no password, so serving them beyond "
            "this machine needs --public",
            field="host",
        )
    settings = load_settings(Target(db, config_dir, as_json))
    logs.configure(settings.log_format, logs.secrets_of(settings))

    def announce(url: str) -> None:
        if as_json:
            emit_json({"serving": url})
        else:
            console().print(f"Serving metrics at {url} (Ctrl-C stops)", markup=False)

    # A Ctrl-C before the signal handlers are in place: stopping is what was asked.
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(export(settings, host, port, announce))


async def export(
    settings: Settings,
    host: str,
    port: int | None,
    announce: Callable[[str], None],
    stop: asyncio.Event | None = None,
) -> None:
    """Open the game, serve its metrics on host:port (None: the settings' port, else faye.metrics.DEFAULT_PORT),
    tell `announce` the URL, and serve until `stop` is set (default: at SIGINT or SIGTERM)."""
    from faye.app import FayeApp
    from faye.metrics import DEFAULT_PORT, Metrics

    if port is None:
        port = settings.metrics_port if settings.metrics_port is not None else DEFAULT_PORT
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):  # Windows: Ctrl-C still ends it, as KeyboardInterrupt
                loop.add_signal_handler(signum, stop.set)
    async with FayeApp.open(settings) as app:
        metrics = Metrics()
        metrics.watch_game(app.context)
        exporter = metrics.serve(host, port)
        try:
            announce(exporter.url)
            await stop.wait()
        finally:
            exporter.close()


def register(app: typer.Typer) -> None:
    app.command("serve-metrics", rich_help_panel="Operate")(serve_metrics)
