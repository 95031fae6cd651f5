"""A buyer working through every open listing, one transaction each, until it runs out or is killed.

Run as `python -m tests.auction.buy_stream DATABASE_URL BUYER`; prints one line per purchase so the test knows
the stream is under way before it sends SIGKILL.
"""

from __future__ import annotations

import asyncio
import sys

from faye.app import FayeApp
from faye.settings import Settings


async def main(database_url: str, buyer: str) -> None:
    async with FayeApp.open(Settings(database_url=database_url)) as app:
        while listings := (await app.auction.browse(sort="newest")).items:
            for listing in listings:
                await app.auction.buy(buyer, listing.id)
                print(f"bought {listing.id}", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
