"""Benchmark: check and load one wave of about a million respondents.

Writes the demo at ``--scale`` (default 104: wave 3 then holds about a million rows) into a
temporary folder, then, in a fresh process per repetition, reads, validates and cleans wave 3
exactly as ``wavebook check`` does, and prints the median wall time and peak memory (max RSS).
Targets from DESIGN.md: at most 15 s and under 3 GB on the 2-core reference machine. Figures
are printed, never asserted.

    .venv/bin/python bench/check_load.py [--scale 104] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, resource, sys, time
from pathlib import Path
from wavebook.clean import clean_wave
from wavebook.codebook import load_codebook
from wavebook.io import load_wave
start = time.perf_counter()
codebook = load_codebook(Path(sys.argv[1]))
resp = load_wave(Path(sys.argv[2]), codebook, wave=3)
loaded = time.perf_counter() - start
cleaned = clean_wave(resp)
total = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2  # KiB -> GiB
print(json.dumps({"rows": len(resp), "kept": len(cleaned.resp), "load_s": loaded,
                  "total_s": total, "peak_gib": peak}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=104)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from wavebook.demo import write_demo

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        paths = write_demo(Path(tmp), scale=args.scale)
        made = time.perf_counter() - start
        wave3 = next(p for p in paths if p.name.startswith("wave-3"))
        size_mb = wave3.stat().st_size / 1024**2
        runs = []
        for _ in range(args.repeat):
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(ROOT / "data" / "codebook.yml"), str(wave3)],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(done.stdout))
    rows = runs[0]["rows"]
    print(
        f"demo at scale {args.scale}: wave 3 has {rows:,} rows "
        f"({size_mb:.0f} MB parquet); generating all waves took "
        f"{made:.1f} s"
    )
    for key, label, unit in (
        ("load_s", "read + validate", "s"),
        ("total_s", "read + validate + clean", "s"),
        ("peak_gib", "peak memory (max RSS)", "GiB"),
    ):
        values = [r[key] for r in runs]
        listed = ", ".join(f"{v:.2f}" for v in values)
        print(f"{label:<28} median {statistics.median(values):6.2f} {unit}   ({listed})")
    print("targets: at most 15 s, under 3 GiB")


if __name__ == "__main__":
    main()
