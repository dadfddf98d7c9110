"""CurrentVote's conversation and statement lose their single-column indexes: the index on
(conversation, participant) and the unique one on (statement, participant) begin with them.
Vote's statement loses its index too: the history is read by conversation and by participant,
never by statement but to remove one (rare), and each index is a write more for every vote.

The indexes are dropped by name rather than by Django's AlterField, which on SQLite copies the
whole table to change an index."""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = {
    "conversations_currentvote_conversation_id_029fbb71": ("currentvote", "conversation_id"),
    "conversations_currentvote_statement_id_e386aafe": ("currentvote", "statement_id"),
    "conversations_vote_statement_id_906d29a4": ("vote", "statement_id"),
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
                    f'CREATE INDEX "{name}" ON "conversations_{table}" ("{column}")',
                )
                for name, (table, column) in INDEXES.items()
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
                migrations.AlterField(
                    model_name="vote",
                    name="statement",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="votes",
                        to="conversations.statement",
                    ),
                ),
            ],
        )
    ]
