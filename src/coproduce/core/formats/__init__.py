"""Readers and writers of other tools' files (Polis, REFI-QDA, transcripts) and safe zip reading."""
