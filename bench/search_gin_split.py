"""PostgreSQL: would a GIN index built in parts, one part per core, bring bulk indexing to 2,000 items/s?

PostgreSQL 15 builds one GIN index on one core. A table partitioned by hash could build its partitions' indexes in
parallel connections (once the rows are committed). This measures the build itself on an index built by
``search_speed.py``: the entries' ``tsv`` copied into ``--parts`` tables (``id % parts``; committed, outside the
timing), then the GIN index of the whole built once, and the parts' indexes built at the same time, one connection
each, with the same ``maintenance_work_mem``. The tables are dropped at the end.

    .venv/bin/python bench/search_gin_split.py postgres://postgres@127.0.0.1:5432/xs_bench_100k --parts 2
"""

import argparse
import json
import threading
import time

import psycopg


def build(url, table, memory, out, key):
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT set_config('maintenance_work_mem', %s, false)", [memory])
        started = time.perf_counter()
        conn.execute(f"CREATE INDEX {table}_gin ON {table} USING GIN (tsv)")
        out[key] = round(time.perf_counter() - started, 1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--parts", type=int, default=2)
    parser.add_argument("--memory", default="32MB", help="maintenance_work_mem of each build")
    parser.add_argument("--parts-only", action="store_true",
                        help="skip the build of the whole (known from search_speed.py's fulltext_build_s)")
    args = parser.parse_args()
    tables = [f"bench_gin_part_{k}" for k in range(args.parts)]
    copies = tables if args.parts_only else ["bench_gin_whole", *tables]
    with psycopg.connect(args.url, autocommit=True) as conn:
        entries = conn.execute("SELECT count(*) FROM search_searchentry").fetchone()[0]
        for name in ["bench_gin_whole", *tables]:
            conn.execute(f"DROP TABLE IF EXISTS {name}")
        if not args.parts_only:
            conn.execute("CREATE TABLE bench_gin_whole AS SELECT id, tsv FROM search_searchentry ORDER BY id")
        for k, name in enumerate(tables):
            conn.execute(f"CREATE TABLE {name} AS SELECT id, tsv FROM search_searchentry "
                         f"WHERE id % {args.parts} = {k} ORDER BY id")
        for name in copies:
            conn.execute(f"VACUUM ANALYZE {name}")
    times = {"whole": None}
    if not args.parts_only:
        build(args.url, "bench_gin_whole", args.memory, times, "whole")
    threads = [threading.Thread(target=build, args=(args.url, name, args.memory, times, name)) for name in tables]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    parallel = time.perf_counter() - started
    with psycopg.connect(args.url, autocommit=True) as conn:
        for name in copies:
            conn.execute(f"DROP TABLE {name}")
    print(json.dumps({"entries": entries, "parts": args.parts, "memory": args.memory,
                      "whole_s": times["whole"], "parts_s": {name: times[name] for name in tables},
                      "parts_wall_s": round(parallel, 1),
                      "whole_us_per_entry": times["whole"] and round(times["whole"] / entries * 1e6),
                      "parts_wall_us_per_entry": round(parallel / entries * 1e6)}))


if __name__ == "__main__":
    main()
