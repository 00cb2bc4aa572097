#!/usr/bin/env python
"""Proposal pages against a seeded database, outside the test runner: p50/p95 and query counts.

    .venv/bin/python bench/proposals.py --db sqlite --n 100000 [--seed] [--runs 40]
    .venv/bin/python bench/proposals.py --db pg --n 100000 [--seed]

SQLite uses var/bench-<n>.sqlite3, PostgreSQL the database ``xs_bench`` on 127.0.0.1 (override with --url).
``--seed`` first migrates, loads the demo (``xieshang demo``) and seeds ``n`` proposals into the demo district
(``xieshang seed --proposals n``) when the database has no proposals yet. Requests go through Django's test
Client with DEBUG off, signed in as the demo personas (second factor marked as verified), exactly as a browser
would reach the views: URL routing, middleware, permission checks and template rendering included. Timings
come from runs without query capture; the query counts from one extra captured run per page, repeated at page
sizes 10/20/50/100 for the lists to show they do not change with the page size. ``cpu p50`` is the median
CPU time of this process per request (Python, plus SQLite's own work; not PostgreSQL's server) and ``min ms``
the fastest request: on a shared machine both move much less with the load than p50/p95. The load average is printed at the
start and the end: compare runs only at similar load.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from _common import (  # noqa: E402 (after the path set-up above)
    capture, client_for, load, measure, percentile, prepare_database, setup_django)


def parse():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "pg"], default="sqlite")
    parser.add_argument("--n", type=int, default=100_000, help="number of proposals (names the SQLite file)")
    parser.add_argument("--url", help="database URL (overrides --db)")
    parser.add_argument("--seed", action="store_true", help="migrate, load the demo and seed when empty")
    parser.add_argument("--runs", type=int, default=40, help="timed requests per page")
    parser.add_argument("--committee", default="dongcheng")
    parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                        help="measure only the pages whose name contains TEXT (repeatable)")
    parser.add_argument("--no-live", action="store_true", help="skip the live statistics computation")
    return parser.parse_args()


def label(n):
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def main():
    args = parse()
    if args.url:
        url = args.url
    elif args.db == "sqlite":
        url = f"sqlite:///{ROOT / 'var' / f'bench-{label(args.n)}.sqlite3'}"
    else:
        url = "postgres://postgres@127.0.0.1:5432/xs_bench"
    setup_django(url)
    if args.seed:
        seed(args)
    run(args, url)


def seed(args):
    from django.core.management import call_command

    from xieshang.proposals.models import Proposal

    if not prepare_database(args, "xs_bench", Proposal, "proposals"):
        return
    started = time.monotonic()
    call_command("seed", scale=1, proposals=args.n, proposals_committee=args.committee)
    print(f"seeded {args.n} proposals in {time.monotonic() - started:.1f} s")


def run(args, url):
    import random

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from xieshang.org.models import Committee, DepartmentStaff, Session
    from xieshang.proposals.models import Assignment, Proposal

    committee = Committee.objects.get(code=args.committee)
    code = committee.code
    session = Session.objects.filter(term__committee=committee).order_by("-year", "-number").first()
    total = Proposal.objects.count()
    in_committee = Proposal.objects.filter(committee=committee).count()
    in_session = Proposal.objects.filter(session=session).count()
    rng = random.Random(7)
    staff = client_for("proposal_staff")
    handler = client_for("dept_handler")
    dept_ids = list(DepartmentStaff.objects.filter(user__username="dept_handler").values_list("department_id",
                                                                                               flat=True))
    dept_assignments = Assignment.objects.filter(department_id__in=dept_ids).count()
    register = reverse("proposals:register", args=[code])
    listed = Proposal.objects.filter(committee=committee).exclude(status="draft").order_by("-id")
    listed_count = listed.count()  # (the register also leaves out a few discarded drafts: near enough here)
    last_page = max(1, -(-listed_count // 20))
    middle = last_page // 2
    # The "next" link of page middle - 1 carries the id of that page's last row and the total (keyset pages).
    cursor = f"after={listed.values_list('id', flat=True)[(middle - 1) * 20 - 1]}&total={listed_count}"
    pages = {
        "register (session + status filter, page 3)": (staff, [
            f"{register}?session={session.pk}&status={s}&page=3" for s in ("in_progress", "archived", "assigned")]),
        "register (department filter, page 2)": (staff, [
            f"{register}?department={dept_ids[0]}&page=2"]),
        "register (no filter, page 50)": (staff, [f"{register}?page=50"]),
        "register (no filter, last page)": (staff, [f"{register}?page={last_page}"]),
        "register (no filter, middle page by number)": (staff, [f"{register}?page={middle}"]),
        "register (no filter, middle page by next link)": (staff, [f"{register}?page={middle}&{cursor}"]),
        "department list 我的办理 (open)": (handler, [reverse("proposals:my_assignments", args=[code])]),
        "department list 我的办理 (done, page 5)": (handler, [
            reverse("proposals:my_assignments", args=[code]) + "?state=done&page=5"]),
        "workbench (department handler)": (handler, [reverse("workbench")]),
    }
    archived = list(Proposal.objects.filter(committee=committee, status="archived", assignments__department_id__in=
                                            dept_ids).values_list("pk", flat=True)[:2000])
    sample = [reverse("proposals:detail", args=[code, pk]) for pk in rng.sample(archived, min(40, len(archived)))]
    pages["detail with timeline (office)"] = (staff, sample)
    pages["detail with timeline (department)"] = (handler, sample)
    stats_url = reverse("proposal_stats:index", args=[code])
    pages["statistics (latest session)"] = (staff, [f"{stats_url}?session={session.pk}"])
    pages["statistics (year)"] = (staff, [f"{stats_url}?year={session.year}"])
    pages["portal list (committee)"] = (staff.__class__(), [reverse("portal:proposal_list", args=[code])])

    if args.only:
        pages = {name: page for name, page in pages.items() if any(text in name for text in args.only)}
    print(f"database: {connection.vendor} {url.split('@')[-1]}; load average {load()} at start")
    print(f"proposals: {total} in all, {in_committee} in {code}, {in_session} in session {session} ({session.year}); "
          f"{dept_assignments} assignments of the handler's department")
    print(f"{'page':48} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>10} {'cpu p50':>8} {'min ms':>8}")
    results = {}
    for name, (client, urls) in pages.items():
        runs = args.runs if "statistics" not in name else max(10, args.runs // 4)
        times, cpu = measure(client, urls, runs)
        queries = [capture(client, urls[0])[0]]
        if name.startswith(("register", "department list")) and "after=" not in urls[0]:
            # (a cursor link is for one page size: changing ``per`` on it is not a page anyone reaches)
            sep = "&" if "?" in urls[0] else "?"
            queries = [capture(client, f"{urls[0]}{sep}per={size}")[0] for size in (10, 20, 50, 100)]
        results[name] = (percentile(times, 50), percentile(times, 95), max(times), queries, percentile(cpu, 50),
                         min(times))
        qtext = "/".join(str(q) for q in sorted(set(queries)))
        print(f"{name:48} {results[name][0]:8.1f} {results[name][1]:8.1f} {results[name][2]:8.1f} {qtext:>10} "
              f"{results[name][4]:8.1f} {results[name][5]:8.1f}")
    print(f"load average {load()} at the end")
    if args.no_live or args.only:
        return results
    # What the refresh job (and a page whose snapshot is stale) pays: the live aggregate queries.
    from xieshang.proposals import stats

    for scope in (stats.Scope(committee, session=session), stats.Scope(committee, year=session.year)):
        times = []
        for _i in range(3):
            started = time.perf_counter()
            stats.report(scope)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            stats.report(scope)
        name = f"statistics live compute ({scope.key})"
        print(f"{name:48} {percentile(times, 50):8.1f} {max(times):8.1f} {max(times):8.1f} "
              f"{len(ctx.captured_queries):>10}")
    return results


if __name__ == "__main__":
    main()
