"""PostgreSQL: each entry's tsvector also holds its committee and kind (``@c<id>``, ``@k<kind>``), so the GIN index
can narrow a query to the committees where the user may see entries (``query.scope_query``) while it intersects the
words. Index tokens never contain ``@``, so these lexemes match no query word. The generated column is re-created,
which rewrites the table and rebuilds the GIN index (``maintenance_work_mem``: XS_SEARCH_BUILD_MEMORY). SQLite
needs nothing: its FTS5 posting lists drive the query and each posting is checked against the conditions.
"""

from django.conf import settings
from django.db import migrations

TOKENS = "array_remove(string_to_array(tokens, ' '), '')"
WITH_SCOPE = f"array_to_tsvector({TOKENS} || ARRAY['@c' || committee_id::text, '@k' || kind])"
WITHOUT_SCOPE = f"array_to_tsvector({TOKENS})"


def _recreate(expression):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("SELECT set_config('maintenance_work_mem', %s, true)",
                              [settings.XS_SEARCH_BUILD_MEMORY])
        schema_editor.execute("ALTER TABLE search_searchentry DROP COLUMN tsv")
        schema_editor.execute(f"ALTER TABLE search_searchentry ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
                              f"({expression}) STORED")
        schema_editor.execute("CREATE INDEX search_searchentry_tsv ON search_searchentry USING GIN (tsv)")
        schema_editor.execute("ANALYZE search_searchentry")

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0007_termcount"),
    ]

    operations = [
        migrations.RunPython(_recreate(WITH_SCOPE), _recreate(WITHOUT_SCOPE)),
    ]
