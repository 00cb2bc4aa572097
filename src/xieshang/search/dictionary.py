"""The custom segmentation dictionary: version checks and loading into a jieba tokenizer."""

import time

from django.db.models import Count, Max

_CHECK_EVERY = 30.0  # seconds between database checks for changes made by other processes
_state = {"checked": 0.0, "version": None, "loaded": set()}


def invalidate():
    """Force the next tokenisation in this process to re-read the dictionary (called after a change)."""
    _state["checked"] = 0.0


def freeze():
    """Stop checking the database for dictionary changes in this process (tokenising pool workers)."""
    _state["checked"] = float("inf")


def version():
    """A value that changes whenever a term is added or removed (checked at most every 30 s per process)."""
    now = time.monotonic()
    if _state["version"] is None or now - _state["checked"] > _CHECK_EVERY:
        from .models import DictionaryTerm

        try:
            # The latest time as well: a term added in a transaction that rolled back and the next one added
            # can share count and id (SQLite reuses the rolled-back id), not the time they were added.
            agg = DictionaryTerm.objects.aggregate(n=Count("id"), last=Max("id"), latest=Max("created_at"))
            _state["version"] = (agg["n"], agg["last"], agg["latest"])
        except Exception:  # noqa: BLE001  (before migrations, e.g. in makemigrations, segment without terms)
            _state["version"] = (0, None, None)
        _state["checked"] = now
    return _state["version"]


def load_into(tokenizer):
    """Make ``tokenizer`` know exactly the current terms: add new ones, forget removed ones."""
    from .models import DictionaryTerm
    from .normalize import normalize

    try:
        words = {normalize(w).replace(" ", "") for w in DictionaryTerm.objects.values_list("word", flat=True)}
    except Exception:  # noqa: BLE001  (no table yet)
        words = set()
    words.discard("")
    for word in _state["loaded"] - words:
        tokenizer.del_word(word)
    for word in words - _state["loaded"]:
        tokenizer.add_word(word, freq=max(tokenizer.suggest_freq(word, tune=False), 1000))
    _state["loaded"] = words
