"""Languages read for many texts at once agree with py3langid reading each text alone."""

from __future__ import annotations

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from coproduce.core import language_model
from coproduce.core.language_model import FEW_LEFT
from coproduce.core.languages import _reader, language_of

TEXTS = [
    "The night bus stopped running so I lost my job",
    "Mae angen mwy o fysiau yn y nos ar gyfer pobl ifanc",
    "Wir brauchen mehr Busse am Abend für Schichtarbeiter",
    "Il faut plus de bus le soir pour les travailleurs",
    "Necesitamos más autobuses por la noche",
    "我們需要更多的夜間公車",
    "夜のバスをもっと増やしてほしい",
    "автобусы ходят редко вечером",
    "मकान का किराया बहुत ज़्यादा है",
    "الإيجار مرتفع جدا في هذه المدينة",
    "ค่าเช่าแพงมาก",
    "RENTS ARE FAR TOO HIGH",  # all capitals: read lowered, as py3langid does
    "Legalize it",
    "test",
    "asdfghjkl",
    "😀😀😀",
    "",
    "   ",
    "12345",
    "Cafe\u0301 au lait",  # decomposed: read composed
    "a lone surrogate \udc80 in the text",
    # Longer than the rest, so it finishes its walk alone once the short texts are done.
    "Public transport in rural areas has been cut again and again. " * 60,
    "Die Mieten steigen jedes Jahr und Familien finden keine Wohnung. " * 40,
]


def one_by_one(texts: list[str], among: list[str] | None = None) -> list[tuple[str, float]]:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(among)
    return [identifier.classify(text) for text in texts]


@pytest.mark.parametrize("together", [language_model.TOGETHER, 10])
@pytest.mark.parametrize("among", [None, ["de", "en", "zh"], ["cy", "en"]])
def test_reading_all_texts_at_once_agrees_with_py3langid(
    among: list[str] | None, together: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Texts are walked in batches of TOGETHER (here also 10, so batches join up)."""
    monkeypatch.setattr(language_model, "TOGETHER", together)
    reader = _reader()
    texts = TEXTS * 3  # enough texts that most walk together (more than FEW_LEFT)
    assert len(texts) > 3 * FEW_LEFT
    together = reader.read(reader.features(texts), among=among)
    alone = one_by_one(texts, among)
    for text, (code, probability), (expected, sure) in zip(texts, together, alone, strict=True):
        assert code == expected, text[:40]
        assert probability == pytest.approx(sure, abs=1e-4), text[:40]


def test_one_text_is_read_as_py3langid_reads_it() -> None:
    for text in TEXTS:
        [(code, probability)] = _reader().read(_reader().features([text]))
        assert (code, probability) == pytest.approx(one_by_one([text])[0], abs=1e-4)
    assert language_of("Wir brauchen mehr Busse am Abend für Schichtarbeiter") == "de"
    assert language_of("ok") == "en"  # too short to tell: English
