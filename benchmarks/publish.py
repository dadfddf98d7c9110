"""How long the demo study's publication takes to build, whole and after one change.

Builds the demo study in a fresh data folder (SQLite), then times, in this process:
  whole    the whole publication (gather what may be published, render, write the folder)
  rebuild  the same after one finding's wording changes (unchanged files are kept as they are)

    .venv/bin/python benchmarks/publish.py [--runs 3]

Goals on the 2-core machine the project is built on: issue 16 (summary, report, open data,
posters) whole <= 30 s, rebuild <= 5 s; issue 17 (every format: with tagged PDFs, Word, EPUB,
braille, audio, captioned video and Easy Read) whole <= 60 s, rebuild <= 10 s. Every format is
built here, so the issue 17 goals are the ones printed; the Easy Read version's own share (its
rules checked, its page and tagged PDF rendered) is printed as well.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="coproduce-publish-bench-"))
    os.environ["COPRODUCE_DATA_DIR"] = str(data)
    os.environ.pop("DATABASE_URL", None)
    from coproduce.site import runtime

    runtime.start(data)
    runtime.migrate()
    from coproduce.demo.service import build_demo
    from coproduce.publications import services

    started = time.perf_counter()
    study = build_demo().study
    print(f"demo study built in {time.perf_counter() - started:.1f} s (not part of the figures)")
    out = data / "bench-publication"
    whole, rebuild = [], []
    finding = study.findings.order_by("position").first()
    assert finding is not None
    for run in range(args.runs):
        if out.exists():
            import shutil

            shutil.rmtree(out)
        t = time.perf_counter()
        files = services.build(study, out)
        whole.append(time.perf_counter() - t)
        finding.text = f"Reworded for run {run}."
        finding.save()
        t = time.perf_counter()
        services.build(study, out)
        rebuild.append(time.perf_counter() - t)
    from coproduce.core.publishing.renderers.easy_read import render_easy_read
    from coproduce.publications.easy_read import for_publication

    easy = for_publication(study)
    assert easy is not None, "the demo publishes an Easy Read version"
    t = time.perf_counter()
    render_easy_read(easy, study.title)
    easy_seconds = time.perf_counter() - t
    size = sum(len(b) for b in files.values())
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"publication: {len(files)} files, {size / 1024:.0f} KB")
    for name, times, goal in (("whole", whole, 60), ("rebuild", rebuild, 10)):
        runs = ", ".join(f"{x:.2f}" for x in times)
        median = statistics.median(times)
        print(f"{name:8} median {median:.2f} s  (runs: {runs})  goal <= {goal} s")
    print(f"of which Easy Read: {easy_seconds:.2f} s (rules, page and tagged PDF)")


if __name__ == "__main__":
    main()
