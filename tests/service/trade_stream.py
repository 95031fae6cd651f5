"""A trader working through every spare Esprit, one trade each (offer, both confirm), until it runs out or is
killed.

Run as `python -m tests.service.trade_stream DATABASE_URL NOW`; the game data comes from FAYE_CONFIG_DIR (the
test's copy has no confirm delay). Prints one line per executed trade so the test knows the stream is under way
before it sends SIGKILL.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

from faye.app import FayeApp
from faye.services.trades import Offer
from faye.settings import Settings


async def main(database_url: str, now: datetime) -> None:
    async with FayeApp.open(Settings(database_url=database_url, now=now)) as app:
        active = (await app.economy.profile("ana")).active_esprit
        while True:
            found = await app.collection.inventory("ana", sort="newest", page=1)
            spares = [e for e in found.items if active is None or e.id != active.id]
            if not spares:
                return
            trade = await app.trades.offer("ana", "ben", Offer(esprits=(spares[0].id,), faylen=1), Offer())
            await app.trades.confirm("ben", trade.id)
            await app.trades.confirm("ana", trade.id)
            print(f"traded {trade.id}", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], datetime.fromisoformat(sys.argv[2])))
