from django.core.management.base import BaseCommand

from xieshang.search import index, registry


class Command(BaseCommand):
    help = "Rebuild the search index from the database (all kinds, or those given with --kind)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", choices=[p.kind for p in registry.all_providers()],
                            help="Only this kind (repeatable).")

    def handle(self, *args, kind=None, **options):
        counts = index.rebuild(kind, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"indexed {sum(counts.values())} items"))
