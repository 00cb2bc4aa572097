"""Every fresh database starts with the holiday calendar of every year chinese-calendar covers.

Uses the historical models and the same filling code as ``xieshang calendar_seed``; writes no audit rows (the
schema is being built, no one acts), while CalendarYear.source records where each year came from.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from xieshang.core.calendar_import import fill_missing_years, package_schedule, package_source

    fill_missing_years(
        apps.get_model("core", "CalendarDay"), apps.get_model("core", "CalendarYear"), package_schedule(),
        package_source(),
    )
    # A process that loaded the calendar before the migration must not keep its empty snapshot.
    from xieshang.core.calendar import invalidate

    invalidate()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
