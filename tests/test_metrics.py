"""Prometheus metrics scraped over HTTP on loopback, as Prometheus would: the game's figures read from the database
at each scrape, the bot's counters of commands, presses, refusals and bugs, the bot's own exporter, and
`faye serve-metrics`.

A scrape runs on another thread (`asyncio.to_thread`): the exporter computes the database figures on the game's
event loop, which must be free to answer."""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

import pytest
import typer
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner

from cli.commands.serve_metrics import export, is_loopback, serve_metrics
from cli.main import FayeGroup
from faye.app import FayeApp
from faye.clock import FixedClock
from faye.disclosure import disclose_rates
from faye.errors import DatabaseBusy, DatabaseUnavailable, InvalidArgument, NotRegistered
from faye.metrics import Metrics, contention_metrics
from faye.models import PullRecord
from faye.settings import Settings, load_settings
from tests.conftest import balances, count_rows, register
from tests.discord.conftest import ANA, BEN, Harness, harness, running_bot, sqlite_url, start
from tests.discord.harness import FakeDiscord

__all__ = ["harness", "sqlite_url"]  # tests/discord's fixtures: the bot on a fake Discord

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def fetch(url: str) -> Samples:
    """One scrape: every sample by name and labels."""
    assert url.startswith("http://127.0.0.1:"), url
    with urllib.request.urlopen(url, timeout=30) as response:
        text = response.read().decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def scrape(url: str) -> Samples:
    return await asyncio.to_thread(fetch, url)


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def by_label(samples: Samples, name: str, label: str) -> dict[str, float]:
    return {dict(labels)[label]: v for (sample, labels), v in samples.items() if sample == name}


async def play(app: FayeApp) -> None:
    await register(app, "u1")
    await register(app, "u2")
    await app.summons.summon("u1", 10)
    await app.economy.daily("u2")


# --- the game's figures, read at each scrape ----------------------------------------------------------------


async def test_a_scrape_reads_the_economy_and_the_pulls_from_the_database(app: FayeApp) -> None:
    await play(app)
    metrics = Metrics()
    metrics.watch_game(app.context)
    exporter = metrics.serve("127.0.0.1", 0)
    try:
        samples = await scrape(exporter.url)
        await app.summons.summon("u2", 1)
        later = await scrape(exporter.url)
    finally:
        exporter.close()

    assert value(samples, "faye_scrape_part_up", part="economy") == 1
    assert value(samples, "faye_scrape_part_up", part="pool") == 1
    held: dict[str, int] = defaultdict(int)
    for (_user, currency), balance in (await balances(app)).items():
        held[currency] += balance
    ten_cost, single_cost = app.config.settings.summon.ten_cost, app.config.settings.summon.single_cost
    assert by_label(samples, "faye_currency_in_circulation", "currency") == {
        currency: total + (single_cost if currency == "gems" else 0) for currency, total in held.items()
    }
    assert value(samples, "faye_currency_sink_24h", currency="gems", reason="summon") == ten_cost
    assert value(samples, "faye_currency_faucet_24h", currency="gems", reason="starting_grant") == 2 * (
        app.config.settings.starting.gems
    )
    assert sum(by_label(samples, "faye_pulls_24h", "tier").values()) == 10
    assert sum(by_label(samples, "faye_pull_share_24h", "tier").values()) == pytest.approx(1)
    published = {tier.name: tier.consolidated_rate for tier in disclose_rates(app.config).tiers}
    assert by_label(samples, "faye_pull_rate_published", "tier") == pytest.approx(published)
    assert value(samples, "faye_db_pool_size") is not None
    assert (value(samples, "faye_db_writes_total") or 0) > 0
    assert value(samples, "faye_db_write_queue_seconds_total") is not None

    # Read again at the next scrape, not cached: the new summon is in.
    assert sum(by_label(later, "faye_pulls_24h", "tier").values()) == await count_rows(app, PullRecord) == 11
    assert value(later, "faye_currency_sink_24h", currency="gems", reason="summon") == ten_cost + single_cost


class BusyDriver(Exception):
    """What a driver raises when the database is busy: SQLite names it, PostgreSQL gives a SQLSTATE."""

    def __init__(self, dialect: str) -> None:
        super().__init__("busy")
        self.sqlite_errorname = "SQLITE_BUSY" if dialect == "sqlite" else None
        self.sqlstate = "55P03" if dialect == "postgresql" else None  # lock_not_available


async def test_busy_waits_and_the_writers_queue_are_counted(app: FayeApp) -> None:
    """A transaction that meets a busy database counts by reason; a writer that waits its turn adds its wait."""
    db = app.context.db
    with pytest.raises(DatabaseBusy):
        async with db.write():
            raise OperationalError("UPDATE player", {}, BusyDriver(db.dialect))
    reason = "timeout" if db.dialect == "sqlite" else "lock timeout"
    assert db.contention.busy == {reason: 1}
    held, writes = asyncio.Event(), db.contention.writes

    async def first() -> None:
        async with db.write():
            await held.wait()

    holder = asyncio.create_task(first())
    await asyncio.sleep(0)  # the first writer has its turn
    second = asyncio.create_task(register(app, "queued"))
    await asyncio.sleep(0)
    held.set()
    await asyncio.gather(holder, second)
    assert db.contention.writes == writes + 2
    metrics = {m.name: m for m in contention_metrics(db.contention)}
    assert [s.labels for s in metrics["faye_db_busy"].samples] == [{"reason": reason}]
    queued = metrics["faye_db_write_queue_seconds"].samples[0].value
    assert queued == db.contention.queued_seconds
    assert (queued > 0) if db.dialect == "sqlite" else (queued == 0)


async def test_a_part_that_cannot_be_read_is_reported_down_and_the_rest_still_served(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def unavailable() -> list[object]:
        raise DatabaseUnavailable("cannot use the database at x.db: disk I/O error")

    metrics = Metrics()
    metrics.watch("economy", unavailable)  # type: ignore[arg-type]  # it never returns metrics
    metrics.observe_refusal(NotRegistered("'u9' is not registered"))
    exporter = metrics.serve("127.0.0.1", 0)
    try:
        samples = await scrape(exporter.url)
    finally:
        exporter.close()
    assert value(samples, "faye_scrape_part_up", part="economy") == 0
    assert value(samples, "faye_refusals_total", code="not_registered") == 1
    assert any("database_unavailable" in r.getMessage() for r in caplog.records if r.name == "faye.metrics")


async def test_the_gateway_latency_is_read_per_shard_at_each_scrape() -> None:
    latencies = [(0, 0.042), (1, float("nan"))]  # shard 1 has had no heartbeat yet
    metrics = Metrics()
    metrics.watch_gateway(lambda: latencies)
    exporter = metrics.serve("127.0.0.1", 0)
    try:
        first = await scrape(exporter.url)
        latencies[1] = (1, 0.25)
        second = await scrape(exporter.url)
    finally:
        exporter.close()
    assert by_label(first, "faye_gateway_latency_seconds", "shard") == {"0": 0.042}
    assert by_label(second, "faye_gateway_latency_seconds", "shard") == {"0": 0.042, "1": 0.25}


async def test_a_scrape_from_the_games_own_loop_reports_the_parts_down_at_once(app: FayeApp) -> None:
    """Waiting for the loop from the loop would stall it until the timeout; the part is reported down instead."""
    metrics = Metrics()
    metrics.watch_game(app.context)
    metrics.observe_summon(["Rare"])
    text = generate_latest(metrics.registry).decode()
    assert 'faye_scrape_part_up{part="economy"} 0.0' in text
    assert 'faye_pulls_total{tier="Rare"} 1.0' in text


def test_a_port_in_use_is_refused_naming_it() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(InvalidArgument) as refused:
            Metrics().serve("127.0.0.1", port)
    assert refused.value.message.startswith(f"cannot serve metrics on 127.0.0.1:{port}: ")
    assert refused.value.details["field"] == "port"


def test_each_metrics_counts_on_its_own() -> None:
    first, second = Metrics(), Metrics()
    first.observe_summon(["Common", "Common", "Rare"])
    assert 'faye_pulls_total{tier="Common"} 2.0' in generate_latest(first.registry).decode()
    assert "faye_pulls_total{" not in generate_latest(second.registry).decode()


# --- the bot ------------------------------------------------------------------------------------------------


async def test_the_bot_counts_commands_presses_refusals_and_bugs(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    gateway = harness.gateway
    await start(gateway, ANA)  # /start, then its Accept button
    await gateway.run("balance", ANA)
    await gateway.run("balance", BEN)  # not registered: refused

    async def crash(user_id: str) -> None:
        raise RuntimeError("the database caught fire")

    monkeypatch.setattr(harness.app.economy, "profile", crash)
    await gateway.run("balance", ANA)

    exporter = harness.bot.metrics.serve("127.0.0.1", 0)
    try:
        samples = await scrape(exporter.url)
    finally:
        exporter.close()
    commands = {
        (dict(labels)["command"], dict(labels)["outcome"]): count
        for (name, labels), count in samples.items()
        if name == "faye_commands_total"
    }
    assert commands == {
        ("/start", "ok"): 1,
        ("/balance", "ok"): 1,
        ("/balance", "refused"): 1,
        ("/balance", "error"): 1,
    }
    assert value(samples, "faye_command_duration_seconds_count", command="/balance") == 3
    assert value(samples, "faye_command_duration_seconds_count", command="/start") == 1
    assert by_label(samples, "faye_component_interactions_total", "component") == {"faye:once": 1}
    assert by_label(samples, "faye_refusals_total", "code") == {"not_registered": 1}
    assert by_label(samples, "faye_internal_errors_total", "source") == {"/balance": 1}
    assert value(samples, "faye_scrape_part_up", part="gateway") == 1
    assert value(samples, "faye_scrape_part_up", part="economy") == 1
    assert value(samples, "faye_currency_in_circulation", currency="gems") == harness.app.config.settings.starting.gems


async def test_a_press_that_fails_is_counted_with_its_component_and_outcome(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def busy(*args: object, **kwargs: object) -> None:
        raise DatabaseBusy("the database stayed locked; nothing was changed")

    monkeypatch.setattr(harness.app.onboarding, "register", busy)
    shown = await harness.gateway.run("start", ANA)
    await harness.gateway.press(shown.message_id, "Accept", ANA)
    text = (await asyncio.to_thread(generate_latest, harness.bot.metrics.registry)).decode()
    assert 'faye_component_interactions_total{component="faye:once"} 1.0' in text
    assert 'faye_component_failures_total{component="faye:once",outcome="unavailable"} 1.0' in text
    assert 'faye_refusals_total{code="database_busy"} 1.0' in text
    assert 'faye_commands_total{command="/start",outcome="ok"} 1.0' in text


async def test_the_bot_serves_its_metrics_on_loopback_when_a_port_is_set(
    sqlite_url: str,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("FAYE_METRICS_PORT", "0")
    caplog.set_level("INFO", logger="discord_frontend.bot")
    async with running_bot(sqlite_url, clock, FakeDiscord(), monkeypatch):
        (url,) = [m[0] for r in caplog.records if (m := re.search(r"http://\S+/metrics", r.getMessage()))]
        samples = await scrape(url)
        assert value(samples, "faye_scrape_part_up", part="economy") == 1
        assert value(samples, "faye_scrape_part_up", part="gateway") == 1
    with pytest.raises(urllib.error.URLError):  # closed with the bot
        await scrape(url)


# --- faye serve-metrics ---------------------------------------------------------------------------------------


async def test_serve_metrics_serves_until_stopped(app: FayeApp) -> None:
    await play(app)
    settings = Settings(database_url=app.settings.database_url, now=app.context.clock.now())
    urls: list[str] = []
    ready, stop = asyncio.Event(), asyncio.Event()

    def announce(url: str) -> None:
        urls.append(url)
        ready.set()

    served = asyncio.create_task(export(settings, "127.0.0.1", 0, announce, stop))
    await asyncio.wait({served, asyncio.create_task(ready.wait())}, return_when=asyncio.FIRST_COMPLETED)
    assert not served.done(), served.result()
    (url,) = urls
    samples = await scrape(url)
    assert value(samples, "faye_scrape_part_up", part="economy") == 1
    assert sum(by_label(samples, "faye_pulls_24h", "tier").values()) == 10
    stop.set()
    await served
    with pytest.raises(urllib.error.URLError):
        await scrape(url)


def test_serve_metrics_refuses_a_public_host_without_public() -> None:
    app = typer.Typer(cls=FayeGroup)
    app.command("serve-metrics")(serve_metrics)

    @app.callback()
    def root() -> None:
        """The one command under test."""

    result = CliRunner().invoke(app, ["serve-metrics", "--host", "0.0.0.0"])
    assert result.exit_code == 2, result.output
    assert "--host: '0.0.0.0' is not a loopback address" in result.output
    assert "--public" in result.output


def test_the_metrics_port_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().metrics_port is None
    monkeypatch.setenv("FAYE_METRICS_PORT", "")
    assert load_settings().metrics_port is None
    monkeypatch.setenv("FAYE_METRICS_PORT", "9100")
    assert load_settings().metrics_port == 9100
    monkeypatch.setenv("FAYE_METRICS_PORT", "70000")
    with pytest.raises(InvalidArgument) as refused:
        load_settings()
    assert refused.value.message.startswith("invalid setting: FAYE_METRICS_PORT:")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("metrics.example.com", False),
    ],
)
def test_which_hosts_are_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_the_command_module_does_not_load_prometheus_client(tmp_path: Path) -> None:
    """`faye` imports every command module at start; only running serve-metrics may load the exporter."""
    child = "import sys, cli.commands.serve_metrics; print('prometheus_client' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True, cwd=Path.cwd())
    assert result.stdout.strip() == "False", result.stderr
