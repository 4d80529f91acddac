"""What the search box's look-ahead costs for a text searched once, and for one searched again.

    python bench/search_plans.py URL [--repeats 40]

URL is the SQLAlchemy URL of a database filled by bench/seed.py. Calls central_record.found()
(the statement, its running and the Python around it) for each of the seed's common words and
phrases once, in a fresh app, so that PostgreSQL parses and plans each statement afresh (its
pattern is written into the statement, text_search.any_contains); then for one word
("fraud", in 13% of titles) again and again, which psycopg prepares after its fifth use.
Prints the median and the longest of each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ripa_guard import create_app  # noqa: E402
from ripa_guard.core import db  # noqa: E402
from ripa_guard.register.central_record import Filters, found  # noqa: E402

#: Words and phrases of the seed's titles (bench/seed.py), each in hundreds or thousands.
TEXTS = [
    "fraud", "fake", "sales", "unlicensed", "counterfeit", "underage", "waste", "trading",
    "goods", "rogue", "doorstep", "tobacco", "vapes", "benefit", "blue badge", "electrical",
    "scrap", "designer", "car parts", "elderly", "tipping", "licen", "crime",
]  # fmt: skip
TODAY = date(2026, 11, 28)


def _ms(session, text: str) -> float:
    start = time.perf_counter()
    found(session, Filters(search=text, today=TODAY))
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--repeats", type=int, default=40)
    args = parser.parse_args()
    app = create_app({"DATABASE_URL": args.url})
    with app.app_context():
        session = db.session()
        _ms(session, "warm up")  # the connection and the app's first queries
        once = [_ms(session, text) for text in TEXTS]
        again = [_ms(session, "fraud") for _ in range(args.repeats)][5:]
    print(f"{session.get_bind().dialect.name}: found() in ms, Python included")
    print(f"  each of {len(TEXTS)} texts once: median {statistics.median(once):.2f}, "
          f"longest {max(once):.2f}")  # fmt: skip
    print(f"  'fraud' again ({len(again)} times after 5): median "
          f"{statistics.median(again):.2f}, longest {max(again):.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
