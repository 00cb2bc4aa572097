"""Indexes for the register's discarded-draft lookup and the workbench's reply queues (docs/benchmarks.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("proposals", "0003_stats_snapshot_and_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(condition=models.Q(("status", "withdrawn"), ("submitted_at__isnull", True)),
                               fields=["committee"], name="proposal_discarded_idx"),
        ),
        migrations.AddIndex(
            model_name="reply",
            index=models.Index(fields=["status"], name="reply_status_idx"),
        ),
    ]
