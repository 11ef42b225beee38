"""Benchmark the book build against the targets of issue 11, in one run.

Prints the median of each measure over ``--repeat`` rounds, beside its target, met or not:

- cold HTML build (empty cache) of wave 3, and ``jupyter-book build`` with
  ``execute_notebooks: force`` on the same staged chapters (the ratio);
- a cold build of a book of 16 chapters (six chapters duplicated under new names);
- a rebuild with nothing changed;
- a rebuild after a prose-only edit of one chapter, and how many kernels it started;
- in ``wavebook preview``: save -> the new text in a page open in headless Chromium
  (bench/preview_reload.py; the page reloads by itself);
- whether ``make book`` run a second time with nothing changed ran LaTeX again.

Run with ``.venv/bin/python bench/build_times.py [--repeat 3]``. It works on scratch copies of
the project (the checkout and its ``_build/`` are left alone; the copies share the vendored
MathJax in ``.cache``). Figures are printed, never asserted; the machine's load is printed
beside them, since on a shared machine it weighs on every figure.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WAVEBOOK = str(BIN / "wavebook")
JB = str(BIN / "jupyter-book")
WAVE = 3
DUPLICATED = ("portrait", "mobilization", "economy", "legal_status", "discrimination", "activism")


def _env(root: Path) -> dict[str, str]:
    # the copy's own package, for the build and for the chapters' kernels
    return {**os.environ, "PYTHONPATH": str(root / "src"), "WAVEBOOK_ROOT": str(root)}


def _timed(cmd: list[str], root: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=root, env=_env(root), capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stdout[-1500:]}\n{done.stderr[-3000:]}")
    return time.perf_counter() - start


def _copy(dest: Path) -> Path:
    shutil.copytree(
        ROOT,
        dest,
        ignore=shutil.ignore_patterns("_build", ".venv", ".git", "__pycache__", ".cache"),
    )
    (ROOT / ".cache").mkdir(exist_ok=True)  # absent in a fresh clone
    (dest / ".cache").symlink_to(ROOT / ".cache")  # vendored MathJax, fetched once
    (dest / ".venv").symlink_to(BIN.parent)  # for `make book`
    return dest


def _manifest(root: Path, lang: str = "en") -> dict:
    out = root / "_build" / f"wave-{WAVE}"
    out = out if lang == "en" else out / lang
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _kernels_started(root: Path) -> int:
    return sum(not c["cached"] for c in _manifest(root)["chapters"])


def _prose_edit(root: Path, i: int) -> None:
    """One sentence added to the chapter's closing prose: no code cell changes."""
    chapter = root / "notebooks" / "trust.md"
    chapter.write_text(chapter.read_text() + f"\nOne more sentence, edit {i}.\n")


def _jupyter_book_force(root: Path) -> float:
    """Jupyter Book executing the staged chapters itself (a copy of the stage)."""
    stage = root / "_build" / f"wave-{WAVE}" / ".stage"
    copy = root / "_build" / "jb-force"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(stage, copy, ignore=shutil.ignore_patterns("_build"))
    config = yaml.safe_load((copy / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = "force"
    (copy / "_config.yml").write_text(yaml.safe_dump(config))
    return _timed([JB, "build", str(copy), "--builder", "html"], root)


def _with_sixteen_chapters(root: Path) -> int:
    """Add copies of six chapters under new names (their labels, figure names and estimate
    chapter renamed, so that the copies clash with nothing): 16 chapters in the toc."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    chapters = next(p for p in toc["parts"] if p.get("numbered"))["chapters"]
    for slug in DUPLICATED:
        text = (root / "notebooks" / f"{slug}.md").read_text()
        new = f"{slug}_bis"
        text = text.replace(f"({slug})=", f"({new})=")
        text = text.replace(f'open_chapter("{slug}"', f'open_chapter("{new}"')
        text = re.sub(r"\b(fig|tbl|sec|eq)-", r"\1-bis-", text)
        (root / "notebooks" / f"{new}.md").write_text(text)
        chapters.append({"file": f"notebooks/{new}"})
    (root / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
    from_toc = [c for part in toc["parts"] for c in part["chapters"]]
    return sum(c["file"].startswith("notebooks/") for c in from_toc)


def _preview_save_to_served(root: Path, port: int) -> float:
    """Start ``wavebook preview`` on the built copy, open a chapter in Chromium, edit one
    sentence, time until the open page shows it."""
    spec = importlib.util.spec_from_file_location(
        "preview_reload", ROOT / "bench" / "preview_reload.py"
    )
    reload = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reload)
    log = root / "_build" / "preview.log"
    with log.open("w") as handle:
        server = subprocess.Popen(
            [WAVEBOOK, "preview", "--wave", str(WAVE), "--port", str(port)],
            cwd=root,
            env=_env(root),
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.time() + 600
        while "serving http" not in log.read_text():
            if server.poll() is not None or time.time() > deadline:
                sys.exit(f"wavebook preview did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        time.sleep(1.0)  # the watcher starts with the server
        return statistics.median(reload.measure(root, port, "trust", repeat=3))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:  # a rebuild still running in its thread
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _make_book_reruns_latex(root: Path) -> bool:
    """``make book`` twice (its own recipe; set-up steps taken as done): did the second
    run LaTeX again for either edition?"""
    make = ["make", "-o", "setup", "-o", "system-book", "-o", "demo", "book"]
    _timed(make, root)
    pdfs = [
        root / "_build" / f"wave-{WAVE}" / ".stage" / "_build" / "latex" / "book.pdf",
        root / "_build" / f"wave-{WAVE}" / "ru" / ".stage" / "_build" / "latex" / "book.pdf",
    ]
    before = [p.stat().st_mtime_ns for p in pdfs]
    _timed(make, root)
    return [p.stat().st_mtime_ns for p in pdfs] != before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--skip-pdf", action="store_true", help="leave out `make book`")
    args = parser.parse_args()
    m: dict[str, list[float]] = {
        k: [] for k in ("cold", "force", "sixteen", "warm", "prose", "kernels", "preview")
    }
    latex_reran: list[bool] = []
    chapters16 = 0
    load = [os.getloadavg()[0]]
    for i in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            root = _copy(Path(tmp) / "book")
            build = [WAVEBOOK, "build", "--wave", str(WAVE), "--no-pdf"]
            m["cold"].append(_timed(build, root))
            m["warm"].append(_timed(build, root))
            _prose_edit(root, i)
            m["prose"].append(_timed(build, root))
            m["kernels"].append(_kernels_started(root))
            m["force"].append(_jupyter_book_force(root))
            m["preview"].append(_preview_save_to_served(root, args.port))
            if not args.skip_pdf:
                latex_reran.append(_make_book_reruns_latex(root))
        with tempfile.TemporaryDirectory() as tmp:
            root = _copy(Path(tmp) / "book")
            chapters16 = _with_sixteen_chapters(root)
            m["sixteen"].append(_timed([WAVEBOOK, "build", "--wave", str(WAVE), "--no-pdf"], root))
        load.append(os.getloadavg()[0])

    med = {k: statistics.median(v) for k, v in m.items() if v}
    ratio = med["cold"] / med["force"]
    rows = [
        ("cold HTML build (empty cache), 10 chapters", m["cold"], "<= 30 s", med["cold"] <= 30),
        ("jupyter-book build, execute_notebooks: force", m["force"], "reference", None),
        ("ratio cold / jupyter-book force", [ratio], "<= 0.5", ratio <= 0.5),
        (f"cold HTML build, {chapters16} chapters", m["sixteen"], "<= 30 s", med["sixteen"] <= 30),
        ("rebuild, nothing changed", m["warm"], "<= 1.5 s", med["warm"] <= 1.5),
        ("rebuild after a prose-only edit", m["prose"], "<= 3 s", med["prose"] <= 3),
        ("  kernels started by the prose edit", m["kernels"], "0", med["kernels"] == 0),
        ("preview: save -> new text in the open page", m["preview"], "<= 3 s", med["preview"] <= 3),
    ]
    print(
        f"wavebook build, wave {WAVE}, {args.repeat} round(s), on {ROOT}; "
        f"load average {', '.join(f'{x:.1f}' for x in load)} on {os.cpu_count()} cores"
    )
    print(f"{'measure':<46} {'median':>8}   {'target':<10} {'met':<8} runs")
    for name, values, target, met in rows:
        shown = "" if met is None else ("met" if met else "NOT met")
        value = statistics.median(values)
        unit = "" if "ratio" in name or "kernels" in name else " s"
        runs = ", ".join(f"{v:.1f}" for v in values)
        print(f"{name:<46} {value:>6.2f}{unit:<2}   {target:<10} {shown:<8} ({runs})")
    if latex_reran:
        again = any(latex_reran)
        print(
            f"{'make book, nothing changed: LaTeX ran again':<46} {'yes' if again else 'no':>8}"
            f"   {'no':<10} {'NOT met' if again else 'met':<8}"
        )


if __name__ == "__main__":
    main()
