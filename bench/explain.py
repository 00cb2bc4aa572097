#!/usr/bin/env python
"""Print the slowest SQL queries of one page: ``bench/explain.py --db sqlite --n 100000 --as USER URL``.

``--plan`` adds the database's query plan of each printed query (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE
on PostgreSQL); ``--profile N`` profiles one more request and prints its N costliest functions (cumulative
time), to see where the Python side of a page goes.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "pg"], default="sqlite")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--as", dest="username", default="proposal_staff")
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--plan", action="store_true", help="print each shown query's plan")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print the N costliest functions")
    parser.add_argument("url")
    args = parser.parse_args()
    from proposals import label

    if args.db == "sqlite":
        os.environ["XS_DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / f'bench-{label(args.n)}.sqlite3'}"
    else:
        os.environ["XS_DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/xs_bench"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from _common import client_for

    settings.ALLOWED_HOSTS.append("testserver")
    client = client_for(args.username)
    client.get(args.url)
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        response = client.get(args.url)
        total = (time.perf_counter() - started) * 1000
    print(f"status {response.status_code}, {total:.0f} ms, {len(ctx.captured_queries)} queries, "
          f"SQL {sum(float(q['time']) for q in ctx.captured_queries) * 1000:.0f} ms")
    for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:args.top]:
        print(f"{float(q['time']) * 1000:8.1f} ms  {q['sql'][:int(os.environ.get('SQLCUT', '600'))]}")
        if args.plan:
            prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
            with connection.cursor() as cursor:
                cursor.execute(prefix + q["sql"])
                for row in cursor.fetchall():
                    print("            " + " | ".join(str(c) for c in row))
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        client.get(args.url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
