"""Send the proposal deadline reminders and escalations owed today (or on --date). Idempotent."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from xieshang.proposals import reminders


class Command(BaseCommand):
    help = ("Send proposal deadline reminders and overdue escalations owed on a day (default today). "
            "Running it again the same day sends nothing twice.")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to act as today, YYYY-MM-DD (to catch up or to test).")

    def handle(self, *args, date=None, **options):
        day = None
        if date:
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date must be YYYY-MM-DD, got {date!r}") from None
        summary = reminders.send_due_reminders(day, actor=None)
        self.stdout.write(
            f"reminders: {summary.reminders}, overdue: {summary.overdue}, escalations: {summary.escalations}, "
            f"beyond calendar: {summary.skipped}"
        )
