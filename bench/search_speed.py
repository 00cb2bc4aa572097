"""Search speed: bulk indexing rate and memory, search / similar / suggestion latency at N indexed items.

Usage (from the repository root; --keep re-measures an index built before):
    XS_DATABASE_URL=sqlite:////tmp/xs_bench/s200k.sqlite3 .venv/bin/python bench/search_speed.py --items 200000
    XS_DATABASE_URL=postgres://postgres@127.0.0.1:5432/xs_bench_search \
        .venv/bin/python bench/search_speed.py --items 1000000

Items are synthetic library documents (title + 150–400 characters of body) built from jieba's dictionary words
with Zipf-like frequencies, spread over 20 committees, drawn before the timed part (written to a temporary file and
read back while indexing, as a rebuild reads its objects); they go through the bulk path of ``search_rebuild``
(``index.bulk_index``: tokenised in --workers processes, COPY / executemany, full-text index built once at
the end). Queries run as a member of one committee, so the permission condition is part of every query.
Wall-clock and process CPU times are both reported (the machine is shared; CPU time is what this process
used, which on SQLite includes the database's work). Prints one JSON line with the figures.
"""

import argparse
import contextlib
import itertools
import json
import os
import pickle
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def vocabulary(rng):
    from xieshang.search.normalize import HAN_RE, _jieba

    words = [(w, f) for w, f in _jieba().FREQ.items() if f >= 50 and 2 <= len(w) <= 4 and HAN_RE.match(w)]
    words.sort(key=lambda x: -x[1])
    words = words[:30000]
    # Cumulative weights (what random.choices computes from weights on every call: 30,000 additions).
    weights = list(itertools.accumulate(1.0 / (i + 10) for i in range(len(words))))
    return [w for w, _f in words], weights


def make_text(rng, words, weights, n_words):
    chosen = rng.choices(words, cum_weights=weights, k=n_words)
    return "".join(w + ("，" if rng.random() < 0.12 else "") for w in chosen) + "。"


def p95(samples):
    samples = sorted(samples)
    return samples[int(len(samples) * 0.95) - 1] * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="reuse the items already indexed")
    parser.add_argument("--workers", type=int, default=2, help="tokenising processes for the bulk indexing")
    parser.add_argument("--defer", action=argparse.BooleanOptionalAction, default=None,
                        help="build the full-text index once after the load (default: when the index is empty)")
    parser.add_argument("--body-words", default="60-160",
                        help="words per body, MIN-MAX (default 60-160: about 150-400 characters; a proposal of "
                             "1,500 characters is about 500-700)")
    parser.add_argument("--replicate-to", type=int, default=0,
                        help="after indexing --items unique items, copy indexed rows in SQL up to this total "
                             "(the index grows to that size; the copies are exact duplicates of tokens)")
    args = parser.parse_args()
    body_words = tuple(int(n) for n in args.body_words.split("-"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from xieshang.org.models import Committee, Department, Member
    from xieshang.search import index, query, similar
    from xieshang.search.models import SearchEntry
    from xieshang.testing import make_user

    rng = random.Random(7)
    words, weights = vocabulary(rng)
    committees = []
    for i in range(20):
        c, _ = Committee.objects.get_or_create(code=f"bench-{i}", defaults={"name": f"基准政协{i}", "level": "county"})
        committees.append(c)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username="bench-member").first() or make_user("bench-member")
    Member.objects.get_or_create(committee=committees[0], user=user, defaults={"name": "基准委员"})
    depts = [Department.objects.get_or_create(committee=committees[0], name=f"基准单位{i}",
                                              defaults={"kind": "government"})[0] for i in range(30)]

    existing = SearchEntry.objects.count()
    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    indexed, elapsed, write_s, cpu_s, generate_s, characters = 0, 0.0, 0.0, {}, None, 0
    if not args.keep or existing < args.items:
        from xieshang.search.registry import Doc

        if not args.keep:
            SearchEntry.objects.all().delete()
            existing = 0
        todo = args.items - existing

        # The texts are written to a file first and read back while indexing, as a rebuild reads its objects:
        # drawing them (random words from a 30,000-word table) costs more than indexing them, and in the timed
        # loop it ran in the process that writes the index (until session 5 it was timed with the indexing).
        source = tempfile.TemporaryFile()
        t_gen = time.perf_counter()
        for start in range(0, todo, index.BATCH):
            chunk = []
            for i in range(start, min(todo, start + index.BATCH)):
                title = "关于" + "".join(rng.choices(words, cum_weights=weights, k=rng.randint(2, 4))) + "的建议"
                chunk.append((i, title, make_text(rng, words, weights, rng.randint(*body_words))))
                characters += len(title) + len(chunk[-1][2])
            pickle.dump(chunk, source, protocol=pickle.HIGHEST_PROTOCOL)
        generate_s = time.perf_counter() - t_gen
        source.seek(0)

        def documents():
            while True:
                try:
                    chunk = pickle.load(source)
                except EOFError:
                    return
                for i, title, body in chunk:
                    committee = committees[i % len(committees)]
                    yield existing + i + 1, Doc(
                        committee_id=committee.pk, title=title, body=body, year=2020 + i % 7, status="filed",
                        department_ids=(depts[i % 30].pk,) if committee == committees[0] else ())

        # The bulk path of `xieshang search_rebuild`: tokenise in --workers processes, write with COPY /
        # executemany, full-text index built once at the end (when --defer, the default for a fresh index).
        defer = args.defer if args.defer is not None else existing == 0
        t0, cpu0 = time.perf_counter(), os.times()
        with transaction.atomic():
            with index.fulltext_deferred() if defer else contextlib.nullcontext():
                indexed = index.bulk_index("document", documents(), workers=args.workers)
                write_s = time.perf_counter() - t0
        elapsed = time.perf_counter() - t0
        cpu1 = os.times()
        cpu_s = {"self": round(cpu1.user + cpu1.system - cpu0.user - cpu0.system, 1),
                 "workers": round(cpu1.children_user + cpu1.children_system
                                  - cpu0.children_user - cpu0.children_system, 1)}
    replicated, replicate_s = 0, 0.0
    if args.replicate_to > SearchEntry.objects.count():
        columns = ("kind, parent_id, committee_id, title, norm_title, body, tokens, year, session_id, status, "
                   "category, departments, sector_id, date, indexed_at")
        t0 = time.perf_counter()
        while True:
            have = SearchEntry.objects.count()
            need = args.replicate_to - have
            if need <= 0:
                break
            step = min(need, args.items, 50000)
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO search_searchentry (object_id, {columns}) "
                    f"SELECT object_id + %s, {columns} FROM search_searchentry WHERE object_id <= %s",
                    [have + 10_000_000 * (have // args.items + 1), step])
            replicated += step
        replicate_s = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchentry")
    total = SearchEntry.objects.count()

    # Queries: 1-, 2- and multi-term, drawn from the same vocabulary (so they match something).
    queries = []
    for i in range(args.queries):
        kind = i % 4
        if kind == 0:
            queries.append(rng.choice(words[:3000])[0])
        elif kind == 1:
            queries.append(rng.choice(words[:5000]))
        else:
            queries.append(" ".join(rng.choices(words[:8000], k=kind)))
    # Warm-up (not measured): URL configuration, templates, jieba's IDF table, as in a running server.
    for text in ("政协", "委员 提案"):
        query.result_rows(list(query.search(user, text)[:20]), text)
        similar.similar(user, committees[0].pk, text, text * 3, kinds=("document",))
    search_times, search_cpu, counts, slowest = [], [], [], []
    for text in queries:
        t, c = time.perf_counter(), time.process_time()
        qs = query.search(user, text)
        page = list(qs[:20])
        n = qs.count()
        query.result_rows(page, text)
        search_times.append(time.perf_counter() - t)
        search_cpu.append(time.process_time() - c)
        counts.append(n)
        slowest.append((round(search_times[-1] * 1000), round(search_cpu[-1] * 1000), text, n))
    similar_times, similar_cpu, suggest_times, suggest_cpu = [], [], [], []
    for i in range(max(20, args.queries // 4)):
        title = "关于" + "".join(rng.choices(words, cum_weights=weights, k=3)) + "的建议"
        body = make_text(rng, words, weights, 80)
        t, c = time.perf_counter(), time.process_time()
        similar.similar(user, committees[0].pk, title, body, threshold=0.35, kinds=("document",))
        similar_times.append(time.perf_counter() - t)
        similar_cpu.append(time.process_time() - c)
    from xieshang.search import similar as sim

    for i in range(max(20, args.queries // 4)):
        title = "关于" + "".join(rng.choices(words, cum_weights=weights, k=3)) + "的建议"
        body = make_text(rng, words, weights, 80)
        t, c = time.perf_counter(), time.process_time()
        neighbours = sim.similar(user, committees[0].pk, title, body, kinds=("document",), limit=15)
        len(neighbours)
        suggest_times.append(time.perf_counter() - t)
        suggest_cpu.append(time.process_time() - c)
    # Planted pairs: an indexed item rewritten as a new text (a fifth of its words in another order, 40 other
    # words, another title) must come back in the top 5; checks that cutting the candidates read costs no recall.
    planted_top1 = planted_top5 = 0
    ids = list(SearchEntry.objects.filter(committee=committees[0], kind="document").order_by("id")
               .values_list("id", flat=True))
    chosen = sorted(rng.sample(ids, min(40, len(ids))))
    sample = list(SearchEntry.objects.filter(pk__in=chosen).order_by("id").values_list("id", "terms"))
    for pk, terms in sample:
        kept = rng.sample(terms.split(), max(1, len(terms.split()) // 5))
        noise = rng.choices(words, cum_weights=weights, k=40)
        body = "".join(rng.sample(kept + noise, len(kept) + len(noise)))
        title = "关于" + "".join(rng.choices(words, cum_weights=weights, k=3)) + "的建议"
        found = [m.entry.pk for m in similar.similar(user, committees[0].pk, title, body, kinds=("document",),
                                                     limit=5)]
        planted_top1 += found[:1] == [pk]
        planted_top5 += pk in found
    result = {
        "database": connection.vendor,
        "items_indexed_now": indexed,
        "items_total": total,
        "indexing_items_per_s": round(indexed / elapsed) if elapsed else None,
        "indexing_s": round(elapsed, 1),
        "texts_generated_before_s": round(generate_s, 1) if generate_s is not None else None,
        "characters_per_item": round(characters / indexed) if indexed else None,
        "rows_written_s": round(write_s, 1),
        "fulltext_build_s": round(elapsed - write_s, 1),
        "workers": args.workers,
        "indexing_cpu_s": cpu_s,
        "load_average": os.getloadavg(),
        "max_rss_children_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        "items_replicated_in_sql": replicated,
        "replicated_rows_per_s": round(replicated / replicate_s) if replicate_s else None,
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "start_rss_mb": round(start_rss / 1024),
        "search_p95_ms": round(p95(search_times), 1),
        "search_median_ms": round(statistics.median(search_times) * 1000, 1),
        "search_median_hits": statistics.median(counts),
        "search_cpu_p95_ms": round(p95(search_cpu), 1),
        "search_capped": sum(1 for n in counts if n >= query.RANK_WINDOW),
        "similar_p95_ms": round(p95(similar_times), 1),
        "similar_median_ms": round(statistics.median(similar_times) * 1000, 1),
        "similar_cpu_p95_ms": round(p95(similar_cpu), 1),
        "neighbours_p95_ms": round(p95(suggest_times), 1),
        "neighbours_cpu_p95_ms": round(p95(suggest_cpu), 1),
        "planted_pairs": len(sample),
        "planted_top1": planted_top1,
        "planted_top5": planted_top5,
        "slowest_searches": sorted(slowest, reverse=True)[:6],
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
