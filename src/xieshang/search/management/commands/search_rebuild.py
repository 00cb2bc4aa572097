"""``xieshang search_rebuild``: rebuild the search index from the database, in bulk."""

import os
import resource
import time

from django.core.management.base import BaseCommand

from xieshang.search import index, registry


class Command(BaseCommand):
    help = "Rebuild the search index from the database (all kinds, or those given with --kind)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", choices=[p.kind for p in registry.all_providers()],
                            help="Only this kind (repeatable).")
        parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                            help="Tokenising processes (default: 2, or 1 on a one-core machine).")

    def handle(self, *args, kind=None, workers=1, **options):
        started = time.perf_counter()
        counts = index.rebuild(kind, stdout=self.stdout, workers=workers)
        elapsed = time.perf_counter() - started
        total = sum(counts.values())
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        self.stdout.write(self.style.SUCCESS(
            f"indexed {total} items in {elapsed:.1f} s ({total / elapsed if elapsed else 0:.0f}/s, "
            f"peak memory {peak} MB)"))
