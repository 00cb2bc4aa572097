"""SQLite: the FTS5 index also holds each entry's committee and kind, as PostgreSQL's ``tsv`` does since 0008, so a
search narrows its posting lists to the committees where the user may see entries (``index.scope_query``) instead of
checking every match against the visibility condition: a member of one committee among twenty read twenty matches
for each one shown.

The scope tokens are ``\\ue000c<committee id>`` and ``\\ue000k<kind>``: U+E000 is a private-use character, which
FTS5's ``unicode61`` tokenizer keeps inside a token and normalised text never holds (index tokens are Han runs and
``[0-9a-z]`` words), so they match no query word. The table becomes contentless (``content=''``): what it indexes
(tokens and scope) is no longer a column of ``search_searchentry``, and only its rowids are ever read. Triggers keep
it in sync, and ``index.fulltext_deferred`` fills it in one pass. PostgreSQL needs nothing.
"""

from django.db import migrations

SCOPE = "char(57344) || 'c' || {row}committee_id || ' ' || char(57344) || 'k' || {row}kind"
INDEXED = "{row}tokens || ' ' || " + SCOPE

WITH_SCOPE = {
    "table": "CREATE VIRTUAL TABLE search_fts USING fts5(tokens, content='', "
             "tokenize='unicode61 remove_diacritics 0', detail=none)",
    "fill": "INSERT INTO search_fts(rowid, tokens) SELECT id, " + INDEXED.format(row="") + " FROM search_searchentry",
    "triggers": [
        "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchentry BEGIN "
        "INSERT INTO search_fts(rowid, tokens) VALUES (new.id, " + INDEXED.format(row="new.") + "); END",
        "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchentry BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, " + INDEXED.format(row="old.")
        + "); END",
        "CREATE TRIGGER search_fts_au AFTER UPDATE OF tokens, committee_id, kind ON search_searchentry BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, " + INDEXED.format(row="old.")
        + "); INSERT INTO search_fts(rowid, tokens) VALUES (new.id, " + INDEXED.format(row="new.") + "); END",
    ],
}
# As 0004 left it.
WITHOUT_SCOPE = {
    "table": "CREATE VIRTUAL TABLE search_fts USING fts5(tokens, content='search_searchentry', content_rowid='id', "
             "tokenize='unicode61 remove_diacritics 0', detail=none)",
    "fill": "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    "triggers": [
        "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchentry BEGIN "
        "INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
        "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchentry BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); END",
        "CREATE TRIGGER search_fts_au AFTER UPDATE OF tokens ON search_searchentry BEGIN "
        "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
        "INSERT INTO search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
    ],
}


def _recreate(schema):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for name in ("search_fts_au", "search_fts_ad", "search_fts_ai"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        schema_editor.execute(schema["table"])
        schema_editor.execute(schema["fill"])
        schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        for sql in schema["triggers"]:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0009_committee_kind_id")]

    operations = [migrations.RunPython(_recreate(WITH_SCOPE), _recreate(WITHOUT_SCOPE))]
