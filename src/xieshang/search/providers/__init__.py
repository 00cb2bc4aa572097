"""The indexed kinds. Each module registers one or more providers; add a module here to index a new app."""

import importlib

MODULES = ["proposals", "members", "library", "opinions"]


def load():
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")
