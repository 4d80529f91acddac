"""What the triggers that keep each year's count (migration 0032) cost an update, on PostgreSQL.

    python bench/year_triggers.py URL [--updates 300]

URL is the SQLAlchemy URL of a PostgreSQL database filled by bench/seed.py. Times single-row
updates of applications, one statement each in its own transaction as a request makes them,
with the update trigger on and then off: an update that changes no date (the version), and one
that moves a last day a day on and back. Each change is undone with the trigger in the same
state, so the kept counts stay right. Prints the median of each.
"""

from __future__ import annotations

import argparse
import statistics
import time

import psycopg
from sqlalchemy.engine import make_url

TRIGGER = "register_years_update"


def _median_ms(conn, sql: str, ids: range) -> float:
    times = []
    for id_ in ids:
        start = time.perf_counter()
        conn.execute(sql, (id_,))
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--updates", type=int, default=300)
    args = parser.parse_args()
    url = make_url(args.url)
    conn = psycopg.connect(
        host=url.host, port=url.port, user=url.username, dbname=url.database, autocommit=True
    )
    ids = range(1000, 1000 + args.updates)
    for state in ("ENABLE", "DISABLE"):
        conn.execute(f"ALTER TABLE applications {state} TRIGGER {TRIGGER}")
        version = _median_ms(conn, "UPDATE applications SET version = version WHERE id = %s", ids)
        on = _median_ms(conn, "UPDATE applications SET last_day = last_day + 1 WHERE id = %s", ids)
        _median_ms(conn, "UPDATE applications SET last_day = last_day - 1 WHERE id = %s", ids)
        print(f"trigger {state.lower()}d: no date changed {version:.3f} ms, a last day {on:.3f} ms")
    conn.execute(f"ALTER TABLE applications ENABLE TRIGGER {TRIGGER}")


if __name__ == "__main__":
    main()
