"""A vote's conversation (the statement's, kept beside it) is no longer checked by PostgreSQL
against the conversations: the statement's reference is, and checking both made a large import
a quarter slower (decision 6). Django still removes a conversation's votes with it.

On SQLite the reference stays in the tables: removing it means copying them whole, and there
the check costs little."""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TABLES = ("conversations_vote", "conversations_currentvote")
FIND = """
SELECT c.conname FROM pg_constraint c JOIN pg_attribute a
    ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
WHERE c.contype = 'f' AND c.conrelid = %s::regclass AND a.attname = 'conversation_id'
"""


def unchecked(apps: StateApps, editor: BaseDatabaseSchemaEditor) -> None:
    if editor.connection.vendor != "postgresql":
        return
    with editor.connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(FIND, [table])
            for (name,) in cursor.fetchall():
                editor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')


def checked(apps: StateApps, editor: BaseDatabaseSchemaEditor) -> None:
    if editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        editor.execute(
            f'ALTER TABLE "{table}" ADD CONSTRAINT "{table}_conversation_fk" FOREIGN KEY'
            ' ("conversation_id") REFERENCES "conversations_conversation" ("id")'
            " DEFERRABLE INITIALLY DEFERRED"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0007_current_vote_fewer_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(unchecked, checked)],
            state_operations=[
                migrations.AlterField(
                    model_name=model,
                    name="conversation",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=model == "vote",
                        on_delete=models.deletion.CASCADE,
                        related_name="+",
                        to="conversations.conversation",
                    ),
                )
                for model in ("vote", "currentvote")
            ],
        )
    ]
