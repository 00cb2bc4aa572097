"""SearchEntry.norm: the length of each entry's IDF word vector, stored so a similar-item check sums over the
shared words only (see similar.terms_norm).

The column is nullable without a default, so both databases add it in place (SQLite ``ALTER TABLE ADD
COLUMN``: no table copy, the FTS5 triggers stay). Existing entries are filled in batches of ids with one
statement per batch (``executemany`` on SQLite, an ``UPDATE … FROM unnest(…)`` on PostgreSQL), no model
instances; an entry left empty is computed at query time.
"""

from django.db import migrations, models

BATCH = 5000


def fill_norms(apps, schema_editor):
    from xieshang.search.similar import terms_norm

    connection = schema_editor.connection
    table = "search_searchentry"
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(f"SELECT id, terms FROM {table} WHERE id > %s AND norm IS NULL ORDER BY id LIMIT %s",
                           [last, BATCH])
            rows = cursor.fetchall()
            if not rows:
                break
            last = rows[-1][0]
            ids = [pk for pk, _terms in rows]
            norms = [terms_norm(terms.split()) for _pk, terms in rows]
            if connection.vendor == "postgresql":
                cursor.execute(f"UPDATE {table} AS e SET norm = v.norm FROM "
                               "(SELECT unnest(%s::bigint[]) AS id, unnest(%s::float8[]) AS norm) AS v "
                               "WHERE e.id = v.id", [ids, norms])
            else:
                cursor.executemany(f"UPDATE {table} SET norm = %s WHERE id = %s", list(zip(norms, ids)))


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0004_fts_detail_none"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="norm",
            field=models.FloatField(blank=True, null=True, verbose_name="词语向量长度"),
        ),
        migrations.RunPython(fill_norms, migrations.RunPython.noop),
    ]
