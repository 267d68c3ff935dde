"""The AD word checks per campaign: find_words over every text a `flashgroup plan FOLDER` run gives it (issue 13).

Usage: python bench/bench_words.py [--count N]   (run from outside the repository, so the installed flashgroup is
imported: `cd /tmp && python /path/to/bench/bench_words.py`)

Generates N campaign files (default 100, bench_batch.generate), plans them in this process (`FLASHGROUP_JOBS=1`, the
outputs into a temporary folder) while recording each text find_words is given, then times find_words and its
pre-check (compliance._worth_searching) over those texts, both ways of finding the needs: in each whole text (the
first WORDS_AFTER texts of a process: one campaign) and from what each word holds (a folder, after a first pass that
fills the memory). Also a first campaign as a new process would do it (the pre-check made, the patterns compiled).
Best of 7 passes, ms per campaign. Not a test: a shared machine is noisy.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import generate  # noqa: E402  (the same generated campaigns as the in-process benchmark)


def record(folder: Path, out: Path) -> list[str]:
    """Every text find_words is given while the folder is planned to Markdown in this process."""
    from flashgroup_cli import compliance, fastpath

    texts: list[str] = []
    real = compliance.find_words

    def recording(text: str, codes: tuple[str, ...] = compliance.WORD_CODES) -> list[compliance.WordHit]:
        texts.append(text)
        return real(text, codes)

    compliance.find_words = recording  # type: ignore[assignment]
    os.environ["FLASHGROUP_JOBS"] = "1"
    sys.argv = ["flashgroup", "plan", str(folder), "-o", str(out), "--format", "md"]
    try:
        with contextlib.redirect_stderr(io.StringIO()), contextlib.suppress(SystemExit):
            fastpath.main()
    finally:
        compliance.find_words = real
    return texts


def best_of(passes: int, texts: list[str], function: object) -> float:
    best = float("inf")
    for _ in range(passes):
        began = time.perf_counter()
        for text in texts:
            function(text)  # type: ignore[operator]
        best = min(best, time.perf_counter() - began)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100, help="campaign files to generate (default 100)")
    args = parser.parse_args()
    from flashgroup_cli import compliance

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "campaigns"
        folder.mkdir()
        generate(folder, args.count)
        texts = record(folder, Path(tmp) / "out")
    per = len(texts) // args.count
    ms = 1000 / args.count

    compliance._prefilter.cache_clear()
    compliance._compiled.cache_clear()
    began = time.perf_counter()
    for text in texts[:per]:
        compliance.find_words(text)
    first = (time.perf_counter() - began) * 1000

    print(f"{args.count} campaigns, {len(texts)} texts ({per} a campaign, {sum(map(len, texts)) / len(texts):.0f} characters on average)\n")
    print("| ms per campaign | find_words | of which the pre-check |\n|---|---:|---:|")
    print(f"| a first campaign (pre-check made, patterns compiled) | {first:.2f} | |")
    for way, after in (("whole texts (one campaign)", 10**9), ("words remembered (a folder)", 0)):
        compliance.WORDS_AFTER = after
        worth = best_of(7, texts, compliance._worth_searching)
        found = best_of(7, texts, compliance.find_words)
        print(f"| {way} | {found * ms:.3f} | {worth * ms:.3f} |")
    searches = sum(len(list(compliance._worth_searching(text))) for text in texts)
    print(f"\nPatterns searched: {searches / args.count:.1f} a campaign")


if __name__ == "__main__":
    main()
