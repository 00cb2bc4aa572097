"""Helpers shared by the bulk seeders and demo loaders of the workflows (proposals, 社情民意 reports).

The seeders write many rows with timestamps of their own and draw their mix of states from weighted tables;
the demo loaders run the real actions with "today" pinned to the day of their story.
"""

import contextlib


@contextlib.contextmanager
def explicit_timestamps(*models):
    """Let bulk_create keep the timestamps we set: switch auto_now/auto_now_add off for ``models``."""
    fields = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                fields.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in fields:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def pick_weighted(rng, weights):
    """One key of ``weights`` ({key: weight}), drawn from ``rng`` in proportion to its weight."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


@contextlib.contextmanager
def pinned_today(dates, day):
    """Run the actions as if today were ``day``: ``dates`` is the app's module whose ``today()`` they call."""
    original = dates.today
    dates.today = lambda: day
    try:
        yield
    finally:
        dates.today = original
