"""SQLite: the FTS5 table without positions (``detail=none``).

Every indexed token is distinct within its entry and queries are AND/OR of single tokens, never phrases, so
positions were never used; without them the full-text index is smaller and faster to build and to read.
PostgreSQL needs nothing: ``array_to_tsvector`` already stores lexemes without positions.
"""

from django.db import migrations

TRIGGERS = [
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchentry BEGIN "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE OF tokens ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
    "INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
]


def _recreate(detail):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for name in ("search_fts_au", "search_fts_ad", "search_fts_ai"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(tokens, content='search_searchentry', content_rowid='id', "
            f"tokenize='unicode61 remove_diacritics 0'{detail})")
        schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
        for sql in TRIGGERS:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_entry_terms")]

    operations = [migrations.RunPython(_recreate(", detail=none"), _recreate(""))]
