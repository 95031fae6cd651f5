"""Prometheus metrics of a running Faye: what the bot counts as it answers, and what the database says at each scrape.

Each `Metrics` has its own `CollectorRegistry` (never prometheus_client's global one), so every bot, every
`faye serve-metrics` and every test counts on its own. Two kinds of figures:

* counted as they happen, by the front-end that sees them (the Discord tree's error handler, the bot's interaction
  hook): commands by name and outcome with their latency, component presses, refusals by code, internal errors,
  summons and pulls by tier;
* read on scrape, on the event loop that owns the game (`watch_game`, `watch_gateway`): money in circulation,
  faucets and sinks and pulls of the last day (faye.services.stats, so every process sharing the database agrees),
  the connection pool, the gateway latency per shard.

The exporter (`serve`) answers scrapes on its own thread; a read-on-scrape figure is computed on the game's loop
(`asyncio.run_coroutine_threadsafe`), because the database engine and the bot belong to that loop. A scrape must
therefore never be made from the loop's own thread (a test scrapes through `asyncio.to_thread`).

Labels are bounded: command names, component kinds (`faye:inv`, not the custom_id with its state), error codes,
tiers, currencies and ledger reasons, never a player id.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from threading import Thread
from typing import Final
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.pool import Pool, QueuePool

from faye.db import Contention
from faye.errors import FayeError, InvalidArgument
from faye.services.context import ServiceContext
from faye.services.stats import EconomyStats, StatsService

log = logging.getLogger(__name__)

OK: Final = "ok"
"""The outcome of a command that ran to its end; the others are an ErrorKind's value, OUT_OF_DATE or ERROR."""
OUT_OF_DATE: Final = "out_of_date"
"""Discord showed a command this bot no longer has, or with other options: the commands need syncing."""
ERROR: Final = "error"
"""A bug: logged with an incident id."""
LATENCY_BUCKETS: Final = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 15.0)
"""Seconds; Discord drops an interaction not answered within 3 s, and a deferred one's token lasts 15 min."""
SCRAPE_TIMEOUT_S: Final = 5.0
"""How long a scrape waits for the game's loop to read the database; past it the part is reported down."""
DEFAULT_PORT: Final = 9464
"""The exporter's port when none is configured: the one OpenTelemetry's Prometheus exporter uses."""

Reader = Callable[[], Awaitable[Iterable[Metric]]]


class Metrics:
    """One process's registry and the metrics the front-ends observe."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self.commands = Counter(
            "faye_commands",
            "Slash commands answered, by command and outcome.",
            ["command", "outcome"],
            registry=registry,
        )
        self.command_seconds = Histogram(
            "faye_command_duration_seconds",
            "Time from receiving a slash command to the end of its handling.",
            ["command"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.presses = Counter(
            "faye_component_interactions",
            "Button presses, select choices and modal submissions, by component kind.",
            ["component"],
            registry=registry,
        )
        self.press_failures = Counter(
            "faye_component_failures",
            "Component interactions that ended in a refusal or an error, by component kind and outcome.",
            ["component", "outcome"],
            registry=registry,
        )
        self.refusals = Counter("faye_refusals", "Refusals of the game, by error code.", ["code"], registry=registry)
        self.internal_errors = Counter(
            "faye_internal_errors",
            "Bugs, each logged with an incident id, by the command or component that met it.",
            ["source"],
            registry=registry,
        )
        self.summons = Counter("faye_summons", "Summons made through this process.", registry=registry)
        self.pulls = Counter("faye_pulls", "Pulls made through this process, by tier.", ["tier"], registry=registry)

    # --- counted as it happens ------------------------------------------------------------------------

    def observe_command(self, command: str, outcome: str, seconds: float | None) -> None:
        """How a command ended, and after how long (None when its start was not seen)."""
        self.commands.labels(command, outcome).inc()
        if seconds is not None:
            self.command_seconds.labels(command).observe(seconds)

    def observe_press(self, component: str) -> None:
        self.presses.labels(component).inc()

    def observe_press_failure(self, component: str, outcome: str) -> None:
        self.press_failures.labels(component, outcome).inc()

    def observe_refusal(self, error: FayeError) -> None:
        self.refusals.labels(error.code).inc()

    def observe_internal_error(self, source: str) -> None:
        self.internal_errors.labels(source).inc()

    def observe_summon(self, tiers: Iterable[str]) -> None:
        """One summon and the tier of each of its pulls."""
        self.summons.inc()
        for tier in tiers:
            self.pulls.labels(tier).inc()

    # --- read on scrape -------------------------------------------------------------------------------

    def watch(self, part: str, read: Reader, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Compute `read`'s metrics on `loop` (default: the running one) at every scrape. A part that fails or
        times out is logged and reported as `faye_scrape_part_up{part=...} 0`, its metrics left out."""
        self.registry.register(_OnLoop(part, read, loop or asyncio.get_running_loop()))

    def watch_game(self, ctx: ServiceContext) -> None:
        """The economy and pull figures from the database, and the connection pool, at each scrape; call it on
        the loop that runs the game."""
        stats = StatsService(ctx)

        async def economy() -> list[Metric]:
            return economy_metrics(await stats.economy())

        async def pool() -> list[Metric]:
            return pool_metrics(ctx.db.engine.sync_engine.pool) + contention_metrics(ctx.db.contention)

        self.watch("economy", economy)
        self.watch("pool", pool)

    def watch_gateway(self, latencies: Callable[[], Sequence[tuple[int, float]]]) -> None:
        """The gateway's heartbeat latency per shard, as `latencies` gives it (discord.py's `bot.latencies`: a
        shard id and seconds), read on the loop that runs the bot."""

        async def gateway() -> list[Metric]:
            family = GaugeMetricFamily(
                "faye_gateway_latency_seconds", "Heartbeat round trip to Discord's gateway, by shard.", labels=["shard"]
            )
            for shard, seconds in latencies():
                if math.isfinite(seconds):  # NaN or inf until the shard's first heartbeat
                    family.add_metric([str(shard)], seconds)
            return [family]

        self.watch("gateway", gateway)

    # --- the exporter ---------------------------------------------------------------------------------

    def serve(self, host: str, port: int) -> Exporter:
        """Answer scrapes at http://host:port/metrics on a daemon thread; port 0 picks a free one. Which hosts
        are acceptable is the caller's decision (the bot uses loopback only). Refuses InvalidArgument when the
        address cannot be listened on (the port is taken, the host is not this machine's)."""
        try:
            server, thread = start_http_server(port, addr=host, registry=self.registry)
        except OSError as exc:
            raise InvalidArgument(
                f"cannot serve metrics on {host}:{port}: {exc.strerror or exc}", field="port", host=host, port=port
            ) from None
        return Exporter(server, thread)


@dataclass(frozen=True)
class Exporter:
    server: WSGIServer
    thread: Thread

    @property
    def port(self) -> int:
        return int(self.server.server_port)

    @property
    def url(self) -> str:
        host = str(self.server.server_address[0])
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}/metrics"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


class _OnLoop(Collector):
    """A read-on-scrape part: runs its reader on the game's loop from the exporter's thread."""

    def __init__(self, part: str, read: Reader, loop: asyncio.AbstractEventLoop) -> None:
        self._part = part
        self._read = read
        self._loop = loop

    def describe(self) -> Iterable[Metric]:
        return []  # the registry must not collect at registration: that would wait on the loop registering us

    def collect(self) -> Iterable[Metric]:
        up = GaugeMetricFamily("faye_scrape_part_up", "1 when this part of the scrape was read.", labels=["part"])
        if _running_loop() is self._loop:  # waiting here would stop the very loop that must do the reading
            log.warning("metrics: %s is not read from its own event loop's thread; scrape from another", self._part)
            up.add_metric([self._part], 0)
            return [up]
        future = asyncio.run_coroutine_threadsafe(_listed(self._read), self._loop)
        try:
            metrics = future.result(SCRAPE_TIMEOUT_S)
        except TimeoutError:  # left to finish: a transaction cancelled half-way is worse than a late answer
            log.warning("metrics: reading %s took over %s s", self._part, SCRAPE_TIMEOUT_S)
            metrics = None
        except FayeError as exc:
            log.warning("metrics: cannot read %s (%s): %s", self._part, exc.code, exc.message)
            metrics = None
        except Exception:
            log.exception("metrics: reading %s failed", self._part)
            metrics = None
        up.add_metric([self._part], 0 if metrics is None else 1)
        return [up, *(metrics or [])]


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


async def _listed(read: Reader) -> list[Metric]:
    return list(await read())


def economy_metrics(stats: EconomyStats) -> list[Metric]:
    """faye.services.stats' figures as gauges: the live share of each tier next to the published rate."""
    circulation = GaugeMetricFamily(
        "faye_currency_in_circulation", "Sum of every player's balance, by currency.", labels=["currency"]
    )
    for currency, total in stats.circulation.items():
        circulation.add_metric([currency], total)
    faucets = GaugeMetricFamily(
        "faye_currency_faucet_24h",
        "Currency paid out to players in the last 24 h, by reason.",
        labels=["currency", "reason"],
    )
    sinks = GaugeMetricFamily(
        "faye_currency_sink_24h",
        "Currency taken from players in the last 24 h, by reason.",
        labels=["currency", "reason"],
    )
    for flow in stats.flows:
        if flow.paid_out:
            faucets.add_metric([flow.currency, flow.reason], flow.paid_out)
        if flow.taken_in:
            sinks.add_metric([flow.currency, flow.reason], flow.taken_in)
    pulls = GaugeMetricFamily("faye_pulls_24h", "Pulls in the last 24 h, by tier (every process).", labels=["tier"])
    share = GaugeMetricFamily(
        "faye_pull_share_24h",
        "Share of the last 24 h's pulls that gave each tier (absent without pulls).",
        labels=["tier"],
    )
    published = GaugeMetricFamily(
        "faye_pull_rate_published",
        "Each tier's long-run rate, pity included, as the players are shown it.",
        labels=["tier"],
    )
    total = stats.total_pulls
    for tier in stats.pulls:
        pulls.add_metric([tier.tier], tier.pulls)
        published.add_metric([tier.tier], tier.published_rate)
        if total:
            share.add_metric([tier.tier], tier.pulls / total)
    return [circulation, faucets, sinks, pulls, share, published]


def pool_metrics(pool: Pool) -> list[Metric]:
    """The connection pool's state; a pool without a size (NullPool, SQLite's single connection) reports none."""
    connections = GaugeMetricFamily(
        "faye_db_pool_connections",
        "Database connections by state: checked out (in a transaction), idle, or overflow beyond the pool's size.",
        labels=["state"],
    )
    size = GaugeMetricFamily("faye_db_pool_size", "Connections the pool keeps open; more overflow under load.")
    if isinstance(pool, QueuePool):
        size.add_metric([], pool.size())
        connections.add_metric(["checked_out"], pool.checkedout())
        connections.add_metric(["idle"], pool.checkedin())
        connections.add_metric(["overflow"], max(0, pool.overflow()))
    return [connections, size]


def contention_metrics(contention: Contention) -> list[Metric]:
    """What this process's transactions waited for: busy databases by reason, and the writers' queue."""
    busy = CounterMetricFamily(
        "faye_db_busy",
        "Transactions that met a busy database (a deadlock, a serialisation conflict, a lock or statement timeout), "
        "by reason; counted also when the retry then went through.",
        labels=["reason"],
    )
    for reason, count in sorted(contention.busy.items()):
        busy.add_metric([reason], count)
    writes = CounterMetricFamily("faye_db_writes", "Write transactions this process began.")
    writes.add_metric([], contention.writes)
    queued = CounterMetricFamily(
        "faye_db_write_queue_seconds",
        "Seconds this process's writers waited for their turn (SQLite admits one writer; not measured on PostgreSQL).",
    )
    queued.add_metric([], contention.queued_seconds)
    return [busy, writes, queued]
