"""The run page: its size, the time to write it, and the time it takes to render in a real browser (issue 11).

Usage: python bench/bench_page.py [--runs N] [--screenshots docs/]   (from the repository root, with the test extras
and the system Chromium: apt-get install chromium chromium-driver)
Prints a Markdown table for the README. With --screenshots, also writes the phone-sized screenshots the README shows.
Each load is a fresh navigation of the file in headless Chromium at 390×844 (a phone); the figures are the browser's
own navigation timing, first contentful paint, and the moment the page's script has finished (data-ready).
Not a test: a shared machine is noisy.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flashgroup_cli.emit import render_text  # noqa: E402
from flashgroup_cli.pipeline import plan_document  # noqa: E402
from tests.browser import launch, missing_reason  # noqa: E402

TIMING = """
const nav = performance.getEntriesByType('navigation')[0];
const paint = performance.getEntriesByName('first-contentful-paint')[0];
return {dom: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, paint: paint ? paint.startTime : null,
        ready: Number(document.documentElement.getAttribute('data-ready')),
        elements: document.getElementsByTagName('*').length};
"""


def measure(chrome, page: Path, runs: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {"dom": [], "load": [], "paint": [], "ready": []}
    elements = 0
    for _ in range(runs):
        chrome.get("about:blank")
        chrome.get(page.as_uri())
        for _wait in range(200):
            timing = chrome.execute_script(TIMING)
            if timing["ready"] and timing["load"] and timing["paint"] is not None:
                break
            time.sleep(0.02)
        for key in samples:
            samples[key].append(float(timing[key] or 0))
        elements = timing["elements"]
    out = {key: statistics.median(values) for key, values in samples.items()}
    out["elements"] = elements
    return out


def screenshots(chrome, pages: dict[str, Path], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []

    def shot(url: str, name: str, script: str = "") -> None:
        """Open the page at `url`, act on it (`script`), and save the screen as docs/<name>."""
        chrome.get(url)
        time.sleep(0.3)
        if script:
            chrome.execute_script(script)
            time.sleep(0.2)
        shots.append(folder / name)
        chrome.save_screenshot(str(shots[-1]))

    retail, apples = pages["retail"].as_uri(), pages["apples-en"].as_uri()
    chrome.get(retail)
    chrome.execute_script("localStorage.clear()")
    # 1. the sale running: 19:31 on the retail example's sale day, the next action in view, the bar at the bottom
    shot(
        retail + "?now=2026-12-19T19:31:00%2B08:00",
        "run-page-next.png",
        'document.querySelectorAll(\'#e16 .mark, #e17 .mark[data-g="0"], #e17 .mark[data-g="1"]\').forEach(b => b.click());'
        "document.querySelector('#e17 .marks').scrollIntoView({block: 'start'}); window.scrollBy(0, -8)",
    )
    # 2. live figures: 350 orders typed, the first tier's cue due, the battle report filled
    shot(
        retail + "?now=2026-12-19T19:52:00%2B08:00",
        "run-page-live.png",
        "const live = document.getElementById('live'); live.open = true;"
        "const set = (el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); };"
        "set(document.getElementById('orders'), '350');"
        "document.querySelectorAll('input.left').forEach((el, i) => set(el, ['0', '120', '260'][i]));"
        "document.getElementById('orders').scrollIntoView({block: 'start'}); window.scrollBy(0, -40)",
    )
    # 3. a helper's own view (English example): ?role=helper-3
    shot(apples + "?role=helper-3&now=2027-11-09T18:58:00-05:00", "run-page-helper-en.png")
    chrome.execute_script("localStorage.clear()")
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--screenshots", type=Path, help="write phone-sized screenshots into this folder")
    args = parser.parse_args()
    reason = missing_reason()
    if reason:
        sys.exit(f"bench_page: {reason}")
    folder = Path(tempfile.mkdtemp(prefix="flashgroup-pages-"))
    pages: dict[str, Path] = {}
    rows = []
    for example in sorted((ROOT / "examples").glob("*.yml")):
        doc = plan_document(example)
        html = render_text(doc, "html", plan=True)  # the first one compiles and caches; then time it warm
        timings = []
        for _ in range(5):
            start = time.perf_counter()
            render_text(doc, "html", plan=True)
            timings.append((time.perf_counter() - start) * 1000)
        write_ms = statistics.median(timings)
        page = folder / f"{example.stem}.html"
        page.write_text(html, encoding="utf-8")
        pages[example.stem] = page
        rows.append((example.stem, len(html.encode("utf-8")), len(doc.rows), write_ms))
    chrome = launch()
    try:
        print(
            "| example | events | page KB | writing it ms (in-process, warm) | DOM ready ms | first paint ms | script done ms | load ms | elements |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, size, events, write_ms in rows:
            m = measure(chrome, pages[name], args.runs)
            print(
                f"| {name} | {events} | {size / 1024:.0f} | {write_ms:.0f} | {m['dom']:.0f} | {m['paint']:.0f} | {m['ready']:.0f} | "
                f"{m['load']:.0f} | {m['elements']:.0f} |"
            )
        version = chrome.capabilities.get("browserVersion", "?")
        print(f"\nmedian of {args.runs} fresh loads each, headless Chromium {version} at 390×844; Python {sys.version.split()[0]}")
        if args.screenshots:
            for path in screenshots(chrome, pages, args.screenshots):
                print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    finally:
        chrome.quit()


if __name__ == "__main__":
    main()
