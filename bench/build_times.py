"""Benchmark the book build: cold, warm (no change) and after a prose-only edit.

Prints medians over repeated runs beside ``jupyter-book build`` with
``execute_notebooks: force`` on the same chapters. Run with ``.venv/bin/python
bench/build_times.py [--repeat 3]``; it works on a scratch copy of the project, so the checkout
and its ``_build/`` are left alone. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WAVEBOOK = str(Path(sys.executable).with_name("wavebook"))
JB = str(Path(sys.executable).with_name("jupyter-book"))


def _timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stderr[-2000:]}")
    return time.perf_counter() - start


def _copy(dest: Path) -> Path:
    shutil.copytree(
        ROOT,
        dest,
        ignore=shutil.ignore_patterns("_build", ".venv", ".git", "__pycache__", ".cache"),
    )
    (dest / ".cache").symlink_to(ROOT / ".cache")  # vendored MathJax, fetched once
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cold, warm, prose, force = [], [], [], []
    for i in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            root = _copy(Path(tmp) / "book")
            if not (root / "data" / "demo" / "wave-3.parquet").is_file():
                _timed([WAVEBOOK, "demo"], root)
            build = [WAVEBOOK, "build", "--no-pdf"]
            cold.append(_timed(build, root))
            warm.append(_timed(build, root))
            # one sentence added to the chapter's closing prose: no code cell changes
            chapter = root / "notebooks" / "trust.md"
            chapter.write_text(chapter.read_text() + f"\nOne more sentence, edit {i}.\n")
            prose.append(_timed(build, root))
            # Reference: Jupyter Book executing the same chapters itself.
            stage = root / "_build" / "wave-3" / ".stage"
            config = yaml.safe_load((stage / "_config.yml").read_text())
            config["execute"]["execute_notebooks"] = "force"
            (stage / "_config.yml").write_text(yaml.safe_dump(config))
            shutil.rmtree(stage / "_build", ignore_errors=True)
            force.append(_timed([JB, "build", str(stage), "--builder", "html"], root))

    def show(name: str, values: list[float]) -> None:
        runs = ", ".join(f"{v:.1f}" for v in values)
        print(f"{name:<46} median {statistics.median(values):6.1f} s   ({runs})")

    print(f"wavebook build, wave 3, HTML only, {args.repeat} run(s) each, on {ROOT}")
    show("cold build (empty cache)", cold)
    show("rebuild, nothing changed", warm)
    show("rebuild after a prose-only edit", prose)
    show("jupyter-book build, execute_notebooks: force", force)
    print(
        f"ratio cold / jupyter-book force: {statistics.median(cold) / statistics.median(force):.2f}"
    )


if __name__ == "__main__":
    main()
