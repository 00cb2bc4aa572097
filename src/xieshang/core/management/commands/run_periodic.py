"""Run the periodic jobs that are due, once. Safe to call from cron every few minutes, even twice at once."""

from django.core.management.base import BaseCommand, CommandError

from xieshang.core import periodic


class Command(BaseCommand):
    help = "Run each due periodic job once (or only --job NAME); safe to run from cron and in parallel."

    def add_arguments(self, parser):
        parser.add_argument("--job", help="Run only this job (if its period has not run yet).")
        parser.add_argument("--list", action="store_true", dest="list_jobs", help="List the registered jobs and exit.")

    def handle(self, *args, job=None, list_jobs=False, **options):
        if list_jobs:
            for item in periodic.jobs():
                self.stdout.write(f"{item.name}\t{item.interval}\t{item.description}")
            return
        if job is not None:
            try:
                periodic.get(job)
            except KeyError:
                names = ", ".join(j.name for j in periodic.jobs())
                raise CommandError(f"Unknown job {job!r}. Registered jobs: {names}") from None
        failed = False
        for run in periodic.run_due(only=job):
            line = f"{run.name}: {run.status}"
            if run.status == "ran" and run.result is not None:
                line += f" ({run.result})"
            if run.error:
                line += f" — {run.error}"
                failed = True
            self.stdout.write(line)
        if failed:
            raise CommandError("At least one periodic job failed; see the log.")
