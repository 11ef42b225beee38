"""Ctrl-C during a build, and two builds of one wave at once (DESIGN: privacy and reliability).

Each test works on a copy of the project in a temporary folder (its own ``_build/``, so the
execution cache is cold and the chapters really run), with the demo data and the vendored
MathJax linked from the checkout.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wavebook.build import wave_lock
from wavebook.paths import Project

EXE = Path(sys.executable).with_name("wavebook")


def _copy_project(project: Project, root: Path) -> Path:
    shutil.copytree(
        project.root,
        root,
        ignore=shutil.ignore_patterns("_build", ".venv", ".git", "demo", ".cache", "__pycache__"),
    )
    (root / "data" / "demo").symlink_to(project.demo_dir)
    (project.root / ".cache").mkdir(exist_ok=True)  # the vendored MathJax, fetched once
    (root / ".cache").symlink_to(project.root / ".cache")
    return root


def _env(root: Path) -> dict[str, str]:
    return {**os.environ, "WAVEBOOK_ROOT": str(root)}


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _children(pid: int) -> list[int]:
    """Live processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _sigint_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
def test_ctrl_c_stops_the_build_and_keeps_the_previous_site(project, demo_on_disk, tmp_path):
    """SIGINT to the build's process group (what a terminal sends on Ctrl-C) while chapters
    execute: exit 130 within 5 s, every kernel gone, the previous site byte for byte as it
    was, no half-written entry in the cache."""
    root = _copy_project(project, tmp_path / "book")
    site = root / "_build" / "wave-1" / "html"
    site.mkdir(parents=True)
    (site / "index.html").write_text("<p>the previous site</p>\n", encoding="utf-8")
    before = _tree_digest(site)

    build = subprocess.Popen(
        [str(EXE), "build", "--wave", "1", "--no-pdf"],
        cwd=root,
        env=_env(root),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        # a foreground job takes Ctrl-C; a shell's background job (`make test &`) starts with
        # SIGINT ignored, which Python (and so the build) would inherit
        preexec_fn=_sigint_default,
    )
    exec_cache = root / "_build" / "cache" / "exec"
    deadline = time.monotonic() + 180
    kernels: list[int] = []
    while time.monotonic() < deadline and len(kernels) < 2:
        assert build.poll() is None, build.communicate()
        kernels = [p for p in _children(build.pid) if "ipykernel" in _cmdline(p)]
        time.sleep(0.2)
    assert kernels, "no chapter kernel started"
    assert list(exec_cache.glob("*.tmp")), "no chapter was executing"
    time.sleep(1.0)  # the kernels are now running chapter code

    os.killpg(build.pid, signal.SIGINT)
    start = time.monotonic()
    _, err = build.communicate(timeout=30)
    took = time.monotonic() - start

    assert build.returncode == 130, err
    assert took <= 5, f"the build took {took:.1f} s to stop"
    assert "KeyboardInterrupt" not in err and "Traceback" not in err, err
    assert "nothing was published" in err
    time.sleep(0.5)
    assert [p for p in kernels if _alive(p)] == [], "kernels left running"
    assert _tree_digest(site) == before
    assert not (root / "_build" / "wave-1" / "estimates.csv").exists()
    assert list(exec_cache.glob("*.tmp")) == []
    # whatever finished before Ctrl-C is a whole cache entry
    for entry in exec_cache.iterdir():
        assert (entry / "notebook.ipynb").is_file(), entry


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.mark.slow
def test_two_builds_of_one_wave_at_once(project, demo_on_disk, tmp_path):
    """Two builds of wave 1 started together in one checkout: the second waits for the
    first (saying so), both succeed with the same estimates, and a third build succeeds."""
    root = _copy_project(project, tmp_path / "book")
    command = [str(EXE), "build", "--wave", "1", "--no-pdf"]
    first = subprocess.Popen(command, cwd=root, env=_env(root), stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    second = subprocess.Popen(command, cwd=root, env=_env(root), stderr=subprocess.PIPE, text=True)
    errors = [first.communicate(timeout=600)[1], second.communicate(timeout=600)[1]]
    assert (first.returncode, second.returncode) == (0, 0), errors
    assert "another build of wave 1 is running" in errors[1]
    estimates = (root / "_build" / "wave-1" / "estimates.csv").read_bytes()

    third = subprocess.run(
        command, cwd=root, env=_env(root), capture_output=True, text=True, check=False
    )
    assert third.returncode == 0, third.stderr
    assert "another build" not in third.stderr
    assert (root / "_build" / "wave-1" / "estimates.csv").read_bytes() == estimates
    assert list((root / "_build" / "cache").rglob("*.tmp")) == []


def test_wave_lock_waits_for_the_holder(tmp_path, capsys):
    """A process holding the lock of wave 2 makes a second taker wait (and say so); the lock
    of wave 3 is free meanwhile."""
    (tmp_path / "_config.yml").write_text("title: t\n")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path\n"
            "from wavebook.build import wave_lock\n"
            "from wavebook.paths import Project\n"
            "with wave_lock(Project(Path(sys.argv[1])), 2):\n"
            "    print('held', flush=True); time.sleep(2)\n",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    project = Project(tmp_path)
    start = time.monotonic()
    with wave_lock(project, 3):
        assert time.monotonic() - start < 1  # another wave: no wait
    with wave_lock(project, 2):
        waited = time.monotonic() - start
    holder.communicate(timeout=10)
    assert waited >= 1, f"took the lock after {waited:.2f} s, while it was held"
    assert f"another build of wave 2 is running (process {holder.pid})" in capsys.readouterr().err
