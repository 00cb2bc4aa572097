"""The reminder log moves to core (``core.ReminderLog``), shared by every app's deadline reminders.

The rows already recorded are copied, in batches, to the core table before the proposals' table is dropped, so
no notice already sent is sent again after the upgrade. Going back copies them the other way.
"""

from django.db import migrations

BATCH = 1000
FIELDS = ("committee_id", "item", "due", "stage", "sent_on", "created_at")


def _copy(source, target):
    # Keep each row's original time: the historical model would stamp "now" on every copied row.
    target._meta.get_field("created_at").auto_now_add = False
    batch = []
    for row in source.objects.order_by("pk").values(*FIELDS).iterator(chunk_size=BATCH):
        batch.append(target(**row))
        if len(batch) >= BATCH:
            target.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        target.objects.bulk_create(batch, ignore_conflicts=True)


def forward(apps, schema_editor):
    _copy(apps.get_model("proposals", "ReminderLog"), apps.get_model("core", "ReminderLog"))


def backward(apps, schema_editor):
    _copy(apps.get_model("core", "ReminderLog"), apps.get_model("proposals", "ReminderLog"))


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_reminder_log"),
        ("proposals", "0004_register_and_workbench_indexes"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="ReminderLog"),
    ]
