"""Conversations: people write statements and vote on each other's (a wiki survey, like Polis)."""
