"""TermCount: how many entries hold each word of their ``terms``, filled from the existing entries."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from xieshang.search import index

    index.recount_terms(using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0006_suggestion_order"),
    ]

    operations = [
        migrations.CreateModel(
            name="TermCount",
            fields=[
                ("term", models.CharField(max_length=60, primary_key=True, serialize=False, verbose_name="词语")),
                ("entries", models.IntegerField(default=0, verbose_name="条目数")),
            ],
            options={
                "verbose_name": "词语条目数",
                "verbose_name_plural": "词语条目数",
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
