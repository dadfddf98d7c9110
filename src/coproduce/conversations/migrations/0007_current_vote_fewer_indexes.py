"""CurrentVote's conversation and statement lose their single-column indexes: the index on
(conversation, participant) and the unique one on (statement, participant) begin with them.

The indexes are dropped by name rather than by Django's AlterField, which on SQLite copies the
whole table to change an index."""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = {
    "conversations_currentvote_conversation_id_029fbb71": "conversation_id",
    "conversations_currentvote_statement_id_e386aafe": "statement_id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0006_conversation_importing"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    f'CREATE INDEX "{name}" ON "conversations_currentvote" ("{column}")',
                )
                for name, column in INDEXES.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="currentvote",
                    name="conversation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="conversations.conversation",
                    ),
                ),
                migrations.AlterField(
                    model_name="currentvote",
                    name="statement",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="current_votes",
                        to="conversations.statement",
                    ),
                ),
            ],
        )
    ]
