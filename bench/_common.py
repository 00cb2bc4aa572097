"""Helpers shared by the page benchmarks (bench/proposals.py, bench/opinions.py, bench/explain.py).

Django setup against a chosen database, the benchmark database on PostgreSQL, signed-in test clients, the timing
loop (wall and CPU time per request), query capture and percentiles.
"""

import os
import time


def setup_django(url):
    """Point the settings at ``url`` with DEBUG off, set Django up and let the test Client's host in."""
    os.environ["XS_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["XS_DEBUG"] = "0"

    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS.append("testserver")


def ensure_pg_database(name):
    """Create the PostgreSQL database ``name`` on 127.0.0.1 unless it exists."""
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare_database(args, pg_name, model, noun):
    """Create (PostgreSQL), migrate and load the demo unless ``model`` already has rows: True when the caller
    should go on and seed, False (with a note) when the database already holds ``noun``."""
    from django.core.management import call_command

    if args.db == "pg" and not args.url:
        ensure_pg_database(pg_name)
    call_command("migrate", interactive=False, verbosity=0)
    if model.objects.exists():
        print(f"database already has {noun}; not seeding")
        return False
    started = time.monotonic()
    call_command("demo", stdout=open(os.devnull, "w"))
    print(f"demo loaded in {time.monotonic() - started:.1f} s")
    return True


def load():
    """The machine's load averages (1, 5, 15 minutes) as text."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def percentile(values, p):
    """The ``p``-th percentile of ``values``, interpolated between the nearest ranks."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def client_for(username):
    """A test Client signed in as ``username`` (second factor marked as verified)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from xieshang.testing import login

    client = Client()
    login(client, get_user_model().objects.get(username=username))
    return client


def measure(client, urls, runs):
    """Time ``runs`` GETs cycling through ``urls`` after warm-up: (wall ms, this process's CPU ms) per request.

    Every response must be 200. The CPU time is what the request cost this process (views, templates, and
    SQLite's own work, which runs in-process); on a loaded machine it stays close to the unloaded wall time
    while the wall time grows.
    """
    for url in urls[:3]:
        assert client.get(url).status_code == 200, url
    wall, cpu = [], []
    for i in range(runs):
        url = urls[i % len(urls)]
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return wall, cpu


def capture(client, url):
    """(number of queries, their summed database time in ms) for one GET of ``url``, which must answer 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), sum(float(q["time"]) for q in ctx.captured_queries) * 1000
