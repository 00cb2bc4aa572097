"""SearchEntry.terms: the word tokens of each entry, stored at index time for similar-item scoring.

Existing entries are filled from their tokens (the same function the index uses), so no rebuild is needed.
On SQLite, adding a column with a default makes Django copy the table into a new one, which drops the FTS5
sync triggers of migration 0002: they are created again here.
"""

from django.db import migrations, models


SQLITE_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS search_fts_ai AFTER INSERT ON search_searchentry BEGIN "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "CREATE TRIGGER IF NOT EXISTS search_fts_ad AFTER DELETE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); END",
    "CREATE TRIGGER IF NOT EXISTS search_fts_au AFTER UPDATE OF tokens ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
]


def restore_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_TRIGGERS:
            schema_editor.execute(sql)


def fill_terms(apps, schema_editor):
    from xieshang.search.normalize import content_words

    SearchEntry = apps.get_model("search", "SearchEntry")
    rows = SearchEntry.objects.using(schema_editor.connection.alias).filter(terms="").exclude(tokens="")
    batch = []
    for pk, tokens in rows.values_list("pk", "tokens").iterator(chunk_size=2000):
        batch.append(SearchEntry(pk=pk, terms=" ".join(content_words(tokens.split()))))
        if len(batch) >= 2000:
            SearchEntry.objects.bulk_update(batch, ["terms"])
            batch = []
    if batch:
        SearchEntry.objects.bulk_update(batch, ["terms"])


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0002_fulltext'),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_triggers),  # after the column is removed again
        migrations.AddField(
            model_name='searchentry',
            name='terms',
            field=models.TextField(blank=True, default='', verbose_name='词语'),
        ),
        migrations.RunPython(restore_triggers, migrations.RunPython.noop),
        migrations.RunPython(fill_terms, migrations.RunPython.noop),
    ]
