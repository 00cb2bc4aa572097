from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_entry_norm"),
    ]

    operations = [
        migrations.AddField(
            model_name="suggestionrecord",
            name="suggested_order",
            field=models.JSONField(blank=True, default=None, null=True, verbose_name="建议顺序"),
        ),
    ]
