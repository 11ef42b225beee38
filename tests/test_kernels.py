"""A worker's kernel runs chapter after chapter (wavebook.kernels): each chapter must see the
kernel as a fresh one would be, and give the notebook a kernel of its own would give.

Independent reference: papermill's own engine, which starts a new kernel for every notebook.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import papermill
import pytest

from wavebook import kernels
from wavebook.build import _strip_volatile, execute_chapters, prepare_data
from wavebook.paths import Project


def _notebook(*cells: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


# Leaves behind all a chapter could: names, a changed directory, a warning filter, a warning
# already shown (Python shows a "default" warning once per place), an output history.
MESSY = _notebook(
    "import os, tempfile, warnings\nx = 41\nos.chdir(tempfile.gettempdir())",
    "def warn():\n    warnings.warn('careful', UserWarning, stacklevel=1)\nwarn()",
    "import json\nwarnings.simplefilter('ignore', DeprecationWarning)\nx + 1",
)
# What a chapter can see of what ran before it in the kernel.
PROBE = _notebook(
    "import os, sys, warnings\n"
    "print(sorted(k for k in globals() if not k.startswith('_') and k not in "
    "{'In', 'Out', 'exit', 'quit', 'open', 'get_ipython', 'os', 'sys', 'warnings'}))",
    "print(os.getcwd())",
    "print([f[0] for f in warnings.filters[:3]])",
    "print(len(Out), len(In))",
    "def warn():\n    warnings.warn('careful', UserWarning, stacklevel=1)\nwarn()",
    "21 * 2",
)


def _outputs(path: Path) -> list:
    nb = nbformat.read(path, as_version=4)
    # a warning names the cell's file, which holds the kernel's process id
    text = lambda o: re.sub(r"ipykernel_\d+", "ipykernel_PID", o.get("text", ""))  # noqa: E731
    return [[(o.get("name"), text(o), o.get("data")) for o in c.outputs] for c in nb.cells]


def _run_fresh(nb, tmp_path: Path, name: str) -> list:
    """papermill's default engine: a new kernel for the notebook."""
    source, target = tmp_path / f"{name}.src.ipynb", tmp_path / f"{name}.fresh.ipynb"
    nbformat.write(nb, source)
    papermill.execute_notebook(str(source), str(target), kernel_name="python3", progress_bar=False)
    return _outputs(target)


def test_a_chapter_after_another_sees_a_fresh_kernel(tmp_path):
    cwd = os.getcwd()
    with kernels.Kernel() as kernel:
        for i, nb in enumerate([MESSY, PROBE, MESSY, PROBE]):
            nbformat.write(nb, tmp_path / f"{i}.ipynb")
            kernel.execute(tmp_path / f"{i}.ipynb", tmp_path / f"{i}.out.ipynb", {})
        assert kernel.started == 1  # one kernel for the four notebooks
    assert os.getcwd() == cwd  # the build's own directory is untouched
    probe = _outputs(tmp_path / "1.out.ipynb")
    assert probe == _outputs(tmp_path / "3.out.ipynb")
    assert probe == _run_fresh(PROBE, tmp_path, "probe")
    assert probe[0][0][1] == "[]\n"  # no name left by the notebook before
    assert probe[4][0][0] == "stderr" and "careful" in probe[4][0][1]  # the warning shows again
    # the messy notebook itself gives what it gives in a kernel of its own
    assert _outputs(tmp_path / "2.out.ipynb") == _run_fresh(MESSY, tmp_path, "messy")


def test_a_failed_or_dead_chapter_gets_the_next_one_a_new_kernel(tmp_path):
    failing = _notebook("y = 1", "raise ValueError('broken chapter')")
    dying = _notebook("import os\nos._exit(1)")
    with kernels.Kernel() as kernel:
        for i, nb in enumerate([failing, dying]):
            nbformat.write(nb, tmp_path / f"{i}.ipynb")
            with pytest.raises(Exception) as raised:
                kernel.execute(tmp_path / f"{i}.ipynb", tmp_path / f"{i}.out.ipynb", {})
            assert i or "broken chapter" in str(raised.value)
        nbformat.write(PROBE, tmp_path / "probe.ipynb")
        kernel.execute(tmp_path / "probe.ipynb", tmp_path / "probe.out.ipynb", {})
        assert kernel.started == 3
    assert _outputs(tmp_path / "probe.out.ipynb")[0][0][1] == "[]\n"
    assert not kernels._KERNELS  # every kernel was shut down


def _cells(path: Path) -> list:
    nb = nbformat.read(path, as_version=4)
    return [
        (c.source, c.get("outputs"))
        for c in nb.cells
        if "injected-parameters" not in c.metadata.get("tags", [])
    ]


def test_real_chapters_in_one_kernel_match_papermill_with_a_kernel_each(
    project, demo_on_disk, tmp_path
):
    """Three chapters one after another in one kernel (the build with one worker), against
    papermill's default engine running each in its own kernel: same outputs, cell by cell."""

    class Scratch(Project):  # the checkout, with a cache of its own (nothing cached yet)
        @property
        def build_root(self) -> Path:
            return tmp_path / "_build"

    scratch = Scratch(project.root)
    slugs = ["trust", "activism", "replication"]
    prepared = prepare_data(scratch, 1)
    runs = execute_chapters(scratch, prepared, 1, slugs, jobs=1, progress=False)
    assert not any(run.cached for run in runs)
    for run in runs:
        cached = scratch.cache / "exec" / run.key / "notebook.ipynb"
        nb = nbformat.read(cached, as_version=4)
        params = {"wave": 1, "data_dir": str(prepared.folder), "out_dir": str(tmp_path)}
        source = tmp_path / f"{run.slug}.ipynb"
        fresh = nbformat.v4.new_notebook(
            cells=[c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])],
            metadata={
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
            },
        )
        for cell in fresh.cells:
            if cell.cell_type == "code":
                cell.outputs = []
        nbformat.write(fresh, source)
        target = tmp_path / f"{run.slug}.fresh.ipynb"
        papermill.execute_notebook(
            str(source),
            str(target),
            parameters=params,
            kernel_name="python3",
            progress_bar=False,
        )
        done = nbformat.read(target, as_version=4)
        _strip_volatile(done)
        nbformat.write(done, target)
        assert _cells(target) == _cells(cached), run.slug
