"""The long fuzz run of issue 9 (the in-suite one, tests/test_fuzz.py, is kept to a few seconds).

    python bench/fuzz.py --cases 5000            # in-process: loader, checks, every format, both scripts
    python bench/fuzz.py --cases 300 --cli       # the same files through the real CLI, with limits on time and memory

Every case is a hostile campaign file built by tests/fuzz_cases.py from a valid one. It prints how many cases ran, how
many loaded and rendered, how many were located errors, and every other outcome (a bug) with the file that caused it,
saved under bench/fuzz-failures/ to become a test (tests/fixtures/hostile/).
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import os
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.fuzz_cases import LOCATED, campaign_files, run_case  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--cli", action="store_true", help="run each file through the flashgroup command (slower)")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    outcomes: collections.Counter[str] = collections.Counter()
    failures: list[tuple[str, str]] = []
    worst = {"cpu": 0.0, "rss": 0}
    started = time.monotonic()

    def record(text: str, problem: str) -> None:
        failures.append((text, problem))
        outcomes["bug"] += 1

    def in_process(text: str, compressed: bool) -> None:
        try:
            outcomes[run_case(text, variants=(compressed,))] += 1
        except Exception:  # noqa: BLE001 - every other outcome is what we are looking for
            record(text, traceback.format_exc(limit=6))

    def through_cli(text: str, compressed: bool) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "fuzz.yml"
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
            command = [sys.executable, "-m", "flashgroup_cli", "plan", str(path), "--format", "ics" if compressed else "md"]
            with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
                process = subprocess.Popen(command, stdout=out, stderr=err, cwd=folder, env={**os.environ, "FLASHGROUP_CACHE_DIR": "off"})
                _, status, usage = os.wait4(process.pid, 0)
                code = os.waitstatus_to_exitcode(status)
                err.seek(0)
                out.seek(0)
                stderr, stdout = err.read().decode("utf-8", "replace"), out.read()
            cpu, rss = usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024
            worst["cpu"], worst["rss"] = max(worst["cpu"], cpu), max(worst["rss"], rss)
            if code == 0 and stdout:
                outcomes["ok"] += 1
            elif code in (1, 2) and not stdout and LOCATED.match(stderr.splitlines()[0] if stderr else ""):
                outcomes["error"] += 1
            else:
                record(text, f"exit {code}, {len(stdout)} bytes on stdout, stderr: {stderr[:300]}")
            if cpu > 1.0 or rss > 100 * 2**20:
                record(text, f"over the limits: {cpu:.2f} s CPU, {rss / 2**20:.0f} MiB")

    run = through_cli if args.cli else in_process
    settings_ = settings(
        max_examples=args.cases,
        deadline=None,
        database=None,
        derandomize=args.seed is not None,
        suppress_health_check=list(HealthCheck),
    )

    @settings_
    @given(campaign_files(), st.booleans())
    def fuzz(text: str, compressed: bool) -> None:
        run(text, compressed)

    fuzz()
    total = sum(outcomes.values())
    elapsed = time.monotonic() - started
    print(
        f"{total} cases in {elapsed:.0f} s ({'CLI' if args.cli else 'in-process'}): {outcomes['ok']} rendered, {outcomes['error']} located errors, {outcomes['bug']} other"
    )
    if args.cli:
        print(f"worst case: {worst['cpu']:.2f} s CPU, {worst['rss'] / 2**20:.0f} MiB")
    if failures:
        saved = ROOT / "bench" / "fuzz-failures"
        saved.mkdir(exist_ok=True)
        for text, problem in failures[:50]:
            name = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
            (saved / f"{name}.yml").write_text(text, encoding="utf-8", errors="surrogatepass")
            print(f"--- {name}.yml\n{problem}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
