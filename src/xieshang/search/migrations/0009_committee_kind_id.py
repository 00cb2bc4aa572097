"""The (committee, kind) index gets the id as its last column: PostgreSQL walks one committee's entries of a kind
newest first along it for common search tokens (``index._newest_by_walk``); it serves the (committee, kind) look-ups
as before. Created before the old one is dropped."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("org", "0002_alter_rolegrant_role_informant"),
        ("search", "0008_scope_lexemes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["committee", "kind", "id"], name="search_entry_committee_kind_id"),
        ),
        migrations.RemoveIndex(
            model_name="searchentry",
            name="search_sear_committ_27e0b9_idx",
        ),
    ]
