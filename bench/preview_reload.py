"""Try ``wavebook preview`` as an author: open a chapter in headless Chromium, change a
sentence of its MyST file, and time save -> the open page shows the new text (reloaded by the
preview itself; the script never touches the browser after opening the page).

Usage: ``.venv/bin/python bench/preview_reload.py [--port 8731] [--chapter trust] [--repeat 3]``
with a preview already running on that port. It edits ``notebooks/<chapter>.md`` in place and
puts it back. Prints the seconds of each try and their median; asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def first_sentence(text: str) -> str:
    """The first prose sentence after the chapter's title (a line of plain words)."""
    body = text.split("\n# ", 1)[1].split("\n", 1)[1]
    for line in body.splitlines():
        if re.match(r"^[A-Z][a-z]+ [a-z]", line):
            return line.split("?")[0].split(".")[0]
    raise SystemExit("no prose line found")


def measure(root: Path, port: int, chapter: str, repeat: int, timeout: float = 30.0) -> list[float]:
    """Seconds from save to the new text in the open page, ``repeat`` times."""
    from playwright.sync_api import sync_playwright

    source = root / "notebooks" / f"{chapter}.md"
    original = source.read_text(encoding="utf-8")
    anchor = first_sentence(original)
    times = []
    with sync_playwright() as play, tempfile.TemporaryDirectory() as profile:
        browser = play.chromium.launch_persistent_context(
            profile,
            executable_path="/usr/bin/chromium",
            headless=True,
            args=CHROMIUM_ARGS,
        )
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/notebooks/{chapter}.html")
        page.wait_for_selector("main")
        try:
            for i in range(repeat):
                marker = f"Edited {i} {int(time.time())}"
                source.write_text(original.replace(anchor, f"{marker} {anchor}", 1), "utf-8")
                saved = time.perf_counter()
                page.wait_for_function(
                    "m => document.body && document.body.innerText.includes(m)",
                    arg=marker,
                    timeout=timeout * 1000,
                    polling=50,
                )
                times.append(time.perf_counter() - saved)
                print(f"try {i + 1}: new text on the page {times[-1]:.2f} s after the save")
                time.sleep(1.0)
        finally:
            source.write_text(original, encoding="utf-8")
            browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--chapter", default="trust")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    times = measure(ROOT, args.port, args.chapter, args.repeat)
    print(f"median save -> served: {statistics.median(times):.2f} s")
    sys.exit(0)


if __name__ == "__main__":
    main()
