"""Machine-suggested themes: embeddings, clustering with an automatic number of themes, labels
from distinctive terms, and verbatim representative quotes.

Pure: plain texts in, plain suggestions out. Suggestions are proposals for people to review;
nothing here reaches an output until a person accepts it (see coproduce.coding).
"""

from coproduce.core.analysis.themes.corpus import Text, check_corpus, read_csv_texts
from coproduce.core.analysis.themes.suggest import (
    BACKENDS,
    Quote,
    SuggestedTheme,
    Suggestions,
    suggest_themes,
)

__all__ = [
    "BACKENDS",
    "Quote",
    "SuggestedTheme",
    "Suggestions",
    "Text",
    "check_corpus",
    "read_csv_texts",
    "suggest_themes",
]
