"""PostgreSQL: time each way of finding a search's newest 1,001 matches (``index.walk_plan``: the GIN index, the
user's committees walked newest first, the primary key walked newest first) for one character per share of entries,
as the benchmark member (a member of one committee among twenty), and print which one the cost model chooses.

Run on an index built by ``bench/search_speed.py`` (from the repository root):
    XS_DATABASE_URL=postgres://postgres@127.0.0.1:5432/xs_bench_1m .venv/bin/python bench/search_plans.py
Prints one line per character: its share, {way: (best of 3 in ms, ids found)}, the way chosen.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

SHARES = (0.6, 0.4, 0.3, 0.2, 0.15, 0.12, 0.1, 0.08, 0.06, 0.04, 0.03, 0.02)
LIMIT = 1001


def main():
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from xieshang.search import index, query
    from xieshang.search.models import SearchEntry

    user = get_user_model().objects.get(username="bench-member")
    shares, _entries = index._lexeme_stats()
    characters = sorted(((share, t) for t, share in shares.items() if len(t) == 1), reverse=True)
    picked = []
    for ceiling in SHARES:
        below = [(share, t) for share, t in characters if share <= ceiling and t not in {p[1] for p in picked}]
        if below:
            picked.append(below[0])
    chosen_by_model = index.walk_plan
    scope = query.scope_lexemes(user)
    visible = SearchEntry.objects.filter(query.visible_q(user))
    try:
        for share, token in picked:
            timings = {}
            for plan in ("index", "committees", "walk"):
                index.walk_plan = lambda *args, plan=plan, **kwargs: plan
                best, ids = None, []
                for _ in range(3):
                    started = time.perf_counter()
                    ids = index.newest_matching_ids(visible, [token], LIMIT, scope=scope)
                    elapsed = time.perf_counter() - started
                    best = elapsed if best is None else min(best, elapsed)
                timings[plan] = (round(best * 1000, 1), len(ids))
            index.walk_plan = chosen_by_model
            print(token, round(share, 3), timings, "chosen:", chosen_by_model([token], LIMIT, scope))
    finally:
        index.walk_plan = chosen_by_model


if __name__ == "__main__":
    main()
