#!/usr/bin/env python
"""社情民意 pages against a seeded database, outside the test runner: p50/p95 and query counts.

    .venv/bin/python bench/opinions.py --db sqlite [--seed] [--n 300000] [--runs 40]
    .venv/bin/python bench/opinions.py --db pg [--seed]
    .venv/bin/python bench/opinions.py --db pg --explain /c/dongcheng/opinions/queue/?page=80 --as info_editor

SQLite uses var/bench-opinions.sqlite3, PostgreSQL the database ``xs_bench_opinions`` on 127.0.0.1 (override with
--url). ``--seed`` first migrates, loads the demo and seeds ``n`` reports across three levels (``xieshang seed
--opinions n``: 1 province, 4 cities, 15 districts) when the database has no reports yet. Requests go through
Django's test Client with DEBUG off, signed in as the demo personas (second factor marked as verified): URL
routing, middleware, permission checks and template rendering included. Timings come from runs without query
capture: wall time, and the CPU time of this process (views, templates and, on SQLite, the queries themselves),
which on a machine shared with other work stays near what an idle machine would show. Query counts and the
summed database time ("sql ms") come from one extra captured run per page; for the lists the count is repeated
at page sizes 10/20/50/100 (``views.PAGE_SIZE`` patched in this process) to show it does not change.

``--explain URL`` prints the slowest queries of one page with the database's plan for each (EXPLAIN QUERY PLAN on
SQLite, EXPLAIN ANALYZE on PostgreSQL), signed in as ``--as``.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import (  # noqa: E402 (after the path set-up above)
    capture, client_for, measure, percentile, prepare_database, setup_django)

PG_NAME = "xs_bench_opinions"
TARGETS_MS = {"queue": 100, "mine": 100, "statistics": 300}


def parse():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "pg"], default="sqlite")
    parser.add_argument("--n", type=int, default=300_000, help="number of reports to seed with --seed")
    parser.add_argument("--url", help="database URL (overrides --db)")
    parser.add_argument("--seed", action="store_true", help="migrate, load the demo and seed when empty")
    parser.add_argument("--runs", type=int, default=40, help="timed requests per page (at least 30 for a p95)")
    parser.add_argument("--committee", default="dongcheng", help="the district whose editor and member are measured")
    parser.add_argument("--analyze", action="store_true",
                        help="refresh the planner's statistics first (ANALYZE; VACUUM ANALYZE on PostgreSQL)")
    parser.add_argument("--explain", metavar="URL", help="print the slowest queries of URL with their plans")
    parser.add_argument("--as", dest="username", default="info_editor", help="user for --explain")
    parser.add_argument("--top", type=int, default=4, help="queries shown by --explain")
    return parser.parse_args()


def main():
    args = parse()
    if args.url:
        url = args.url
    elif args.db == "sqlite":
        url = f"sqlite:///{ROOT / 'var' / 'bench-opinions.sqlite3'}"
    else:
        url = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
    setup_django(url)
    if args.seed:
        seed(args)
    if args.seed or args.analyze:
        analyze()
    if args.explain:
        explain(args)
    else:
        run(args, url)


def seed(args):
    from django.core.management import call_command

    from xieshang.opinions import seed as opinion_seed
    from xieshang.opinions.models import Report

    if not prepare_database(args, PG_NAME, Report, "reports"):
        return
    started = time.monotonic()
    call_command("seed", opinions=args.n)
    print(f"seeded {args.n} reports in {time.monotonic() - started:.1f} s; "
          f"database size {opinion_seed.database_size() / 1e6:.0f} MB")


def analyze():
    """Planner statistics after a bulk load, as a deployment's routine maintenance would keep them."""
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    print(f"analyzed in {time.monotonic() - started:.1f} s")


def page_size(size):
    """Patch the opinions views' page size (the Client runs the views in this process)."""
    from xieshang.opinions import views

    views.PAGE_SIZE = size


def run(args, url):
    from django.db import connection
    from django.db.models import Count
    from django.urls import reverse

    from xieshang.opinions import seed as opinion_seed
    from xieshang.opinions.models import FollowUp, Report, ReportCopy, ReportEvent
    from xieshang.org.models import Committee

    committee = Committee.objects.get(code=args.committee)
    code = committee.code
    city = committee.parent
    total = Report.objects.count()
    levels = dict(ReportCopy.objects.values_list("level").annotate(n=Count("id")))
    in_committee = Report.objects.filter(committee=committee).count()
    queue_size = ReportCopy.objects.queue(committee).count()
    copies_here = ReportCopy.objects.filter(committee=committee).count()
    member_reports = Report.objects.filter(author_user__username="member", committee=committee).count()
    year = ReportEvent.objects.filter(committee=committee).order_by("-year").values_list("year", flat=True).first()
    year_events = ReportEvent.objects.filter(committee=committee, year=year).count()
    city_events = ReportEvent.objects.filter(committee=city, year=year).count()

    editor = client_for("info_editor")
    member = client_for("member")
    city_editor = client_for("city_editor") if city else None
    handler = client_for("dept_handler")
    queue = reverse("opinions:queue", args=[code])
    last_queue_page = max(1, -(-queue_size // 20))
    last_all_page = max(1, -(-copies_here // 20))
    mine = reverse("opinions:mine", args=[code])
    stats = reverse("opinions_stats:index", args=[code])
    pages = {
        "queue: first page (urgent first)": ("queue", editor, [queue]),
        f"queue: deep page {last_queue_page // 2} (of {last_queue_page})": (
            "queue", editor, [f"{queue}?page={last_queue_page // 2}"]),
        f"queue: last page {last_queue_page}": ("queue", editor, [f"{queue}?page={last_queue_page}"]),
        f"queue: all states, deep page {last_all_page // 2}": (
            "queue", editor, [f"{queue}?status=all&page={last_all_page // 2}"]),
        "queue: adopted, 2025": ("queue", editor, [f"{queue}?status=adopted&year=2025&page=3"]),
        "mine: busy member, first page": ("mine", member, [mine]),
        "mine: busy member, page 5": ("mine", member, [f"{mine}?page=5"]),
        f"statistics: {code} {year}": ("statistics", editor, [f"{stats}?year={year}"]),
        f"statistics: {code} {year}, uncached": ("statistics", editor, [f"{stats}?year={year}"]),
        f"statistics: {code} {year - 1}": ("statistics", editor, [f"{stats}?year={year - 1}"]),
    }
    if city_editor is not None:
        pages[f"queue: city {city.code}, first page"] = (
            "queue", city_editor, [reverse("opinions:queue", args=[city.code])])
        pages[f"statistics: city {city.code} {year}"] = (
            "statistics", city_editor, [reverse("opinions_stats:index", args=[city.code]) + f"?year={year}"])
    follow_up_list = reverse("opinions:follow_ups", args=[code])
    pages["follow-ups: department (open)"] = ("other", handler, [follow_up_list])
    sample = list(Report.objects.filter(author_user__username="member", copies__level="city")
                  .values_list("pk", flat=True)[:30])
    if sample:
        pages["detail: member's report with its chain"] = (
            "other", member, [reverse("opinions:detail", args=[code, pk]) for pk in sample])

    import subprocess

    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"database: {connection.vendor} {url.split('@')[-1]}  size {opinion_seed.database_size() / 1e6:.0f} MB")
    print(f"load: {load}")
    print(f"reports: {total} in all; copies by level {levels}; {in_committee} reports of {code}, "
          f"{copies_here} copies there, {queue_size} in its queue; {member_reports} by the member persona; "
          f"{year_events} statistics events of {code} in {year}, {city_events} of {city.code if city else '-'}; "
          f"{FollowUp.objects.count()} follow-up tasks")
    print(f"{'page':48} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu p50':>8} {'cpu p95':>8} {'sql ms':>7} "
          f"{'queries':>8}  target")
    results = {}
    from xieshang.opinions import stats as opinion_stats

    cached_figures = opinion_stats.figures
    for name, (kind, client, urls) in pages.items():
        page_size(20)
        # "uncached": every request recomputes the grouped counts (what the first view after a new event pays).
        opinion_stats.figures = (cached_figures if "uncached" not in name else
                                 lambda scope, use_cache=True: cached_figures(scope, use_cache=False))
        times, cpu = measure(client, urls, args.runs)
        count, sql_ms = capture(client, urls[0])
        queries = [count]
        if kind in ("queue", "mine") or name.startswith("follow-ups"):
            for size in (10, 50, 100):
                page_size(size)
                # The first page at each size (a deep page number may not exist at size 100).
                queries.append(capture(client, urls[0].split("page=")[0].rstrip("?&"))[0])
            page_size(20)
        p50, p95 = percentile(times, 50), percentile(times, 95)
        target = TARGETS_MS.get(kind)
        verdict = "" if target is None else (f"< {target} ok" if p95 < target else f"< {target} MISSED")
        results[name] = (p50, p95, max(times), percentile(cpu, 50), percentile(cpu, 95), sql_ms, queries)
        qtext = "/".join(str(q) for q in sorted(set(queries)))
        print(f"{name:48} {p50:8.1f} {p95:8.1f} {max(times):8.1f} {percentile(cpu, 50):8.1f} "
              f"{percentile(cpu, 95):8.1f} {sql_ms:7.1f} {qtext:>8}  {verdict}", flush=True)
    opinion_stats.figures = cached_figures
    return results


def explain(args):
    """The slowest queries of one page, each with the database's plan."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext


    client = client_for(args.username)
    client.get(args.explain)
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        response = client.get(args.explain)
        total = (time.perf_counter() - started) * 1000
    print(f"status {response.status_code}, {total:.0f} ms, {len(ctx.captured_queries)} queries, "
          f"SQL {sum(float(q['time']) for q in ctx.captured_queries) * 1000:.0f} ms")
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:args.top]:
        print(f"\n{float(q['time']) * 1000:8.1f} ms  {q['sql'][:1500]}")
        if not q["sql"].lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute(prefix + q["sql"])
            for row in cursor.fetchall():
                print("    " + " | ".join(str(c) for c in row))


if __name__ == "__main__":
    main()
