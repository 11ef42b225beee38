"""The build: prepare the data, execute the chapters, render HTML and PDF, check, publish.

Flow (see ARCHITECTURE.md): load, validate and clean every wave up to N into a prepared-data
folder keyed by the content of its inputs; read each chapter (MyST text notebook) with
myst-nb's reader and execute it with papermill in parallel, unless the execution cache holds
a run with the same code cells, parameters, data and package code (prose edits never start a
kernel); stage a copy of the book; run ``jupyter-book build`` with execution off; scan the
output for respondent identifiers; then, and only then, replace ``_build/wave-N/{html,pdf}``
and write ``estimates.csv`` and ``manifest.json``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import platform
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from wavebook import kernels
from wavebook.errors import ChapterError, ConfigError, WavebookError
from wavebook.paths import Project

if TYPE_CHECKING:
    from wavebook.clean import Rules

# The heavy modules (pandas, pydantic, Fluent) are imported where they are used, so that a
# build with nothing to do answers before paying for them (see :func:`unchanged`).
LANGUAGES = ("en", "ru")  # as wavebook.words.LANGUAGES (checked by the tests)

MATHJAX = "mathjax@3.2.2"
# The MathJax files a page can load: the TeX + CHTML component, its fonts, the TeX extensions
# it may autoload, and the menu with its accessibility tools (a quarter of the package).
MATHJAX_PARTS = (
    "tex-chtml.js",
    "output/chtml/fonts/woff-v2",
    "input/tex/extensions",
    "ui",
    "a11y",
    "sre",
)
PACKAGES = [
    "wavebook",
    "jupyter-book",
    "myst-nb",
    "sphinx",
    "papermill",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "altair",
    "vl-convert-python",
    "seaborn",
    "matplotlib",
    "pyarrow",
    "pydantic",
]
KERNEL = kernels.KERNEL
# Aggregate reference tables that chapters read beside the data (no respondent-level data).
REFERENCE_FILES = ("benchmarks.csv", "published_figures.csv", "replication.yml")


@dataclass
class Timer:
    """Wall time of each step, for the manifest."""

    steps: dict[str, float] = field(default_factory=dict)

    def __call__(self, name: str):
        timer = self

        class _Step:
            def __enter__(self):
                self.start = time.perf_counter()

            def __exit__(self, *exc):
                timer.steps[name] = round(time.perf_counter() - self.start, 3)

        return _Step()


def _sha(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def package_hash() -> str:
    """Hash of the package's own code (a change to a helper re-executes the chapters)."""
    src = Path(__file__).resolve().parent
    return _sha(*(p.read_bytes() for p in sorted(src.rglob("*.py"))))


def _file_sha(path: Path) -> str:
    """SHA-256 of a file's bytes (the data hash the cache and the manifest use)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _module_path(name: str) -> Path | None:
    """The source file of module ``wavebook[.x[.y]]`` in this package, if there is one."""
    src = Path(__file__).resolve().parent
    parts = name.split(".")[1:]
    for candidate in (src.joinpath(*parts).with_suffix(".py"), src.joinpath(*parts, "__init__.py")):
        if parts and candidate.is_file():
            return candidate
    return src / "__init__.py" if not parts else None


def _wavebook_imports(code: str, module: str = "") -> set[str]:
    """The wavebook modules that ``code`` imports, anywhere in it (functions included); a
    package's ``__init__`` counts for each module under it."""
    import ast

    try:
        tree = ast.parse(code)
    except SyntaxError:  # a cell with IPython magics: fall back to every module
        return {"*"}
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the importing module's package
                package = module.split(".")[: -node.level] if module else []
                base = ".".join([*package, *([base] if base else [])])
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            if name == "wavebook" or name.startswith("wavebook."):
                found.add(name)
    out = set()
    for name in found:
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            prefix = ".".join(parts[:i])
            if _module_path(prefix) is not None:
                out.add(prefix)
    return out


# module name + hash of its file -> the wavebook modules it imports (kept in the cache folder)
_IMPORTS: dict[str, list[str]] = {}


def _module_imports(path: Path, name: str) -> set[str]:
    """:func:`_wavebook_imports` of a module's file, remembered by the file's content."""
    data = path.read_bytes()
    key = f"{name}:{hashlib.sha256(data).hexdigest()[:16]}"
    if key not in _IMPORTS:
        _IMPORTS[key] = sorted(_wavebook_imports(data.decode("utf-8"), name))
    return set(_IMPORTS[key])


def _load_imports(path: Path) -> None:
    with contextlib.suppress(OSError, ValueError):
        _IMPORTS.update(json.loads(path.read_text(encoding="utf-8")))


def _save_imports(path: Path) -> None:
    with contextlib.suppress(OSError):
        _write_if_changed(path, json.dumps(_IMPORTS, indent=0, sort_keys=True).encode())


def code_modules(code: str) -> set[str]:
    """The wavebook modules ``code`` runs: those it imports and, recursively, theirs
    (``{"*"}`` when a file cannot be parsed: then every module counts)."""
    todo = _wavebook_imports(code)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name == "*":
            return {"*"}
        if name in seen:
            continue
        seen.add(name)
        path = _module_path(name)
        if path is not None:
            todo |= _module_imports(path, name) - seen
    return seen


def code_hash(code: str, words: bool = True) -> str:
    """A hash of the package code that ``code`` (a chapter's code cells) can run: the wavebook
    modules it imports and, recursively, theirs, plus every word file (a chart's words come
    from ``words/*.ftl``). A change to a module no chapter imports re-executes nothing; a
    change to a topic module re-executes the chapters that import it."""
    seen = code_modules(code)
    if "*" in seen:
        return package_hash()
    src = Path(__file__).resolve().parent
    files = sorted({_module_path(n) for n in seen} - {None})
    if words:
        files += sorted(src.rglob("*.ftl"))
    return _sha(*(str(p.relative_to(src)) for p in files), *(_source_sha(p) for p in files))


# path -> (size, mtime, SHA-256): every chapter hashes mostly the same modules
_SOURCE_SHA: dict[Path, tuple[int, int, str]] = {}


def _source_sha(path: Path) -> str:
    stat = path.stat()
    known = _SOURCE_SHA.get(path)
    if known is None or known[:2] != (stat.st_size, stat.st_mtime_ns):
        known = (stat.st_size, stat.st_mtime_ns, _file_sha(path))
        _SOURCE_SHA[path] = known
    return known[2]


def _write_if_changed(path: Path, data: bytes) -> None:
    """Write only on change, so Sphinx's incremental build sees unchanged files as unchanged."""
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _same_stamp(a: Path, b: Path) -> bool:
    """Same size and modification time (a copy made with its source's time)."""
    try:
        x, y = a.stat(), b.stat()
    except OSError:
        return False
    return x.st_size == y.st_size and x.st_mtime_ns == y.st_mtime_ns


def _sync_tree(source: Path, target: Path, parts: tuple[str, ...] | None = None) -> None:
    """Make ``target`` a copy of ``source`` (or of its ``parts``: files and folders relative to
    it), touching only files that differ."""
    wanted = set()
    roots = [source / part for part in parts] if parts else [source]
    items = [r for r in roots if r.is_file()] + [
        i for r in roots if r.is_dir() for i in r.rglob("*")
    ]
    for item in items:
        if item.is_file() and "__pycache__" not in item.parts:
            rel = item.relative_to(source)
            wanted.add(rel)
            copy = target / rel
            if _same_stamp(item, copy):
                continue
            copy.parent.mkdir(parents=True, exist_ok=True)
            if not copy.is_file() or copy.read_bytes() != item.read_bytes():
                shutil.copyfile(item, copy)
            shutil.copystat(item, copy)  # the next build compares size and time only
    if target.is_dir():
        for item in target.rglob("*"):
            if item.is_file() and item.relative_to(target) not in wanted:
                item.unlink()


def _fresh_dir(parent: Path, name: str) -> Path:
    """A new, uniquely named working folder beside ``parent / name``: two processes never
    share one, so neither can delete the other's half-written files."""
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{name}.", suffix=".tmp", dir=parent))


def _move_into_place(work: Path, target: Path) -> None:
    """Rename a finished working folder to ``target`` (replacing an older copy)."""
    shutil.rmtree(target, ignore_errors=True)
    try:
        work.rename(target)
    except OSError:  # another process put the same content there in the meantime
        shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def wave_lock(project: Project, wave: int) -> Iterator[None]:
    """Hold the build of ``wave`` for this process: a second build (or preview) of the same
    wave in this checkout waits, saying so in one line, instead of sharing its stage and
    cache. Builds of different waves run side by side. The lock dies with the process."""
    folder = project.wave_build(wave)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ".lock"
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            who = f" (process {holder})" if holder else ""
            print(
                f"wavebook: another build of wave {wave} is running{who}; waiting for it to finish",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- data ------------------------------------------------------------------------------------
@dataclass
class Prepared:
    """The analysis-ready data of one build."""

    folder: Path
    key: str
    files: dict[int, dict[str, str]]
    synthetic: bool


# the modules that load, validate and clean the data (their code is in the prepared data's key)
PREPARE_CODE = (
    "import wavebook.samples, wavebook.clean, wavebook.codebook, wavebook.io, wavebook.waves"
)


def prepare_data(project: Project, wave: int, rules: Rules | None = None) -> Prepared:
    """Load, validate and clean waves 1..``wave``; cache the result by content hash."""
    from wavebook.waves import load_registry

    _load_imports(project.cache / "imports.json")
    registry = load_registry(project.waves_file)
    waves = registry.up_to(wave)
    files = {}
    for entry in waves:
        path = entry.path(project.data)
        if not path.is_file():
            hint = " (run `wavebook demo` to write the demo data)" if entry.synthetic else ""
            raise ConfigError(f"wave {entry.number}: file {path} not found{hint}")
        files[entry.number] = {
            "path": str(path.relative_to(project.root))
            if path.is_relative_to(project.root)
            else str(path),
            "sha256": _file_sha(path),
        }
    codebook_bytes = project.codebook_file.read_bytes()
    references = {
        name: (project.data / name).read_bytes()
        for name in REFERENCE_FILES
        if (project.data / name).is_file()
    }
    # the default rules are written in wavebook.clean, whose code is in the key already; a
    # build that finds its data prepared need not import the cleaning code (and pandas)
    key = _sha(
        json.dumps(files, sort_keys=True),
        codebook_bytes,
        *references.values(),
        registry.model_dump_json(),
        repr(rules) if rules else "default rules",
        code_hash(PREPARE_CODE, words=False),
    )[:20]
    folder = project.cache / "data" / key
    synthetic = all(w.synthetic for w in waves)
    if (folder / "respondents.parquet").is_file():
        return Prepared(folder, key, files, synthetic)

    from wavebook import samples
    from wavebook.clean import Rules, clean_waves
    from wavebook.codebook import load_codebook
    from wavebook.io import load_wave

    codebook = load_codebook(project.codebook_file)
    frames = {
        w.number: load_wave(w.path(project.data), codebook, wave=w.number, mapping=w.mapping)
        for w in waves
    }
    cleaned = clean_waves(frames, rules or Rules())
    delivered_ids = sorted(set().union(*(set(f["resp_id"]) for f in frames.values())))
    delivered = {n: len(f) for n, f in frames.items()}
    meta = {
        "synthetic": synthetic,
        "waves": [
            {
                "wave": w.number,
                "label": w.label,
                "field_start": str(w.field_start),
                "field_end": str(w.field_end),
                "delivered": delivered[w.number],
                "eligible": int((cleaned.resp["wave"] == w.number).sum()),
                # what the file asked, for the codebook appendix (excluded rows count too)
                "answered": samples.answered_columns(frames[w.number]),
            }
            for w in waves
        ],
    }
    tmp = _fresh_dir(folder.parent, folder.name)
    try:
        _write_prepared(tmp, cleaned, meta, codebook_bytes, references, delivered_ids)
    except BaseException:  # Ctrl-C included: leave no half-written folder behind
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _move_into_place(tmp, folder)
    return Prepared(folder, key, files, synthetic)


def _write_prepared(
    tmp: Path, cleaned, meta: dict, codebook_bytes: bytes, references: dict, ids: list[str]
) -> None:
    cleaned.resp.to_parquet(tmp / "respondents.parquet", index=False)
    cleaned.flow.to_csv(tmp / "flow.csv", index=False, lineterminator="\n")
    (tmp / "waves.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    (tmp / "codebook.yml").write_bytes(codebook_bytes)
    for name, data in references.items():
        (tmp / name).write_bytes(data)
    # for the post-build privacy scan (local cache only, like respondents.parquet)
    (tmp / "input_ids.txt").write_text("\n".join(ids) + "\n", encoding="utf-8")


def input_ids(prepared: Prepared) -> set[str]:
    """Every ``resp_id`` of the delivered files (excluded respondents included)."""
    text = (prepared.folder / "input_ids.txt").read_text(encoding="utf-8")
    return set(text.split("\n")) - {""}


# --- chapters --------------------------------------------------------------------------------


def toc_file(project: Project, lang: str = "en") -> Path:
    """The table of contents of an edition: ``_toc.yml`` (English), ``_toc.<lang>.yml``
    (the chapters translated so far, under the same document names)."""
    return project.root / ("_toc.yml" if lang == "en" else f"_toc.{lang}.yml")


def page_source(project: Project, docname: str, lang: str = "en") -> Path:
    """The file of a document in an edition: ``book/intro`` is ``book/intro.md`` in English
    and ``book/ru/intro.md`` in Russian (``notebooks/ru/<slug>.md`` for a chapter)."""
    folder, _, name = docname.rpartition("/")
    parts = [folder] if lang == "en" else [folder, lang]
    return project.root.joinpath(*parts, f"{name}.md")


def toc_docs(project: Project, lang: str = "en") -> list[str]:
    """Every document of an edition's table of contents, in book order."""
    path = toc_file(project, lang)
    if not path.is_file():
        raise ConfigError(f"no {path.name}: the {lang} edition has no table of contents")
    toc = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            target = node.get("file") or node.get("root")
            if isinstance(target, str):
                found.append(target.removesuffix(".md"))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(toc)
    return found


def toc_chapters(project: Project, lang: str = "en") -> list[str]:
    """Chapter slugs in book order (files under notebooks/ listed in the edition's toc)."""
    return [d.split("/", 1)[1] for d in toc_docs(project, lang) if d.startswith("notebooks/")]


def read_chapter(project: Project, path: Path):
    """A chapter file (MyST Markdown) as a notebook, read by myst-nb's own reader (the one
    Jupyter Book reads such files with; Sphinx imports it anyway), cached by the file's
    content: converting every chapter at every build costs more than the rest of a quiet
    rebuild."""
    import nbformat

    data = path.read_bytes()
    key = _sha(data, metadata.version("myst-nb"))[:20]
    cached = project.cache / "convert" / f"{key}.ipynb"
    if cached.is_file():  # written, and validated, by nbformat below
        return nbformat.v4.reads(cached.read_text(encoding="utf-8"))
    from myst_nb.core.read import MystMetadataParsingError, read_myst_markdown_notebook

    try:
        notebook = read_myst_markdown_notebook(data.decode("utf-8"), path=path)
    except MystMetadataParsingError as exc:  # names the cell and its line
        raise ConfigError(f"{path}: {exc}") from None
    cached.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=cached.name, suffix=".tmp", dir=cached.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(nbformat.writes(notebook))
    Path(name).replace(cached)
    return notebook


def _code_signature(notebook) -> str:
    return json.dumps([c.source for c in notebook.cells if c.cell_type == "code"])


def _strip_volatile(notebook) -> None:
    """Drop timestamps and timings so the same run gives the same bytes; hide parameters."""
    notebook.metadata.pop("papermill", None)
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        tags = cell.metadata.get("tags", [])
        if {"parameters", "injected-parameters"} & set(tags) and "remove-cell" not in tags:
            cell.metadata["tags"] = [*tags, "remove-cell"]
        if cell.cell_type == "code":
            cell.execution_count = None
            for output in cell.get("outputs", []):
                output.pop("execution_count", None)


def _merge_outputs(fresh, executed) -> None:
    """Put the outputs of a cached run into a freshly converted notebook (same code cells)."""
    done = [c for c in executed.cells if c.cell_type == "code"]
    injected = [c for c in done if "injected-parameters" in c.metadata.get("tags", [])]
    done = [c for c in done if c not in injected]
    code = [c for c in fresh.cells if c.cell_type == "code"]
    for cell, old in zip(code, done, strict=True):
        cell.outputs = old.outputs
        cell.metadata = old.metadata
    if injected:
        position = (
            next(i for i, c in enumerate(fresh.cells) if "parameters" in c.metadata.get("tags", []))
            + 1
        )
        fresh.cells.insert(position, injected[0])
    fresh.metadata = executed.metadata


def _localize(notebook, lang: str) -> None:
    """Keep each output's variant for ``lang``: figures and tables carry the other
    languages' versions under :data:`I18N`, which no page ever shows."""
    from wavebook.outputs import I18N

    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            # a glued output carries its types under a prefix (myst-nb's glue)
            for key in [k for k in data if k.endswith(I18N)]:
                prefix = key[: -len(I18N)]
                variants = data.pop(key)
                if variants and lang in variants:
                    data.update({prefix + mime: v for mime, v in variants[lang].items()})


def _chart_drawings(project: Project, notebook, pdf: bool) -> None:
    """Turn each chart's Vega-Lite spec (``charts.VEGA_LITE``) into a vector PDF for the PDF
    book, and offer each static figure's own PDF drawing (``charts.DRAWING_PDF``) to it; drop
    both when no PDF is built (HTML pages show ``text/html``). Drawings of specs are cached
    by spec, so a chart is drawn once, and only when a PDF is wanted."""
    from wavebook.outputs import DRAWING_PDF, VEGA_LITE

    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for key in [k for k in data if k.endswith(VEGA_LITE)]:
                spec = data.pop(key)
                if pdf:
                    data[key[: -len(VEGA_LITE)] + "application/pdf"] = _drawing(project, spec)
            for key in [k for k in data if k.endswith(DRAWING_PDF)]:
                drawing = data.pop(key)
                if pdf:
                    data[key[: -len(DRAWING_PDF)] + "application/pdf"] = drawing


def _drawing(project: Project, spec: dict) -> str:
    """The chart's vector PDF, base64-encoded as notebooks hold it."""
    import base64

    text = json.dumps(spec, sort_keys=True, ensure_ascii=False)
    name = _sha(text, metadata.version("vl-convert-python"))[:24]
    path = project.cache / "charts" / f"{name}.pdf"
    if not path.is_file():
        from wavebook.charts import spec_pdf

        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(spec_pdf(spec))
        Path(tmp).replace(path)
    return base64.b64encode(path.read_bytes()).decode("ascii")


def _stable_ids(notebook, slug: str) -> None:
    """Cell ids from the chapter and the cell's place (the reader draws random ones, which
    would make every staged notebook new to Sphinx at every build)."""
    for position, cell in enumerate(notebook.cells):
        cell.id = f"{slug}-{position}"


@dataclass
class ChapterRun:
    slug: str
    key: str
    cached: bool
    seconds: float
    error: str | None = None


def execute_chapters(
    project: Project,
    prepared: Prepared,
    wave: int,
    slugs: list[str],
    jobs: int | None = None,
    progress: bool = True,
) -> list[ChapterRun]:
    """Execute each chapter, or find its run in the cache (``<cache>/<key>/``: the executed
    notebook, its estimate records and its facts). One run serves every language."""
    import nbformat

    cache = project.cache / "exec"
    cache.mkdir(parents=True, exist_ok=True)
    _load_imports(project.cache / "imports.json")
    todo, runs, fresh_nbs = [], {}, {}
    for slug in slugs:
        md = page_source(project, f"notebooks/{slug}")
        if not md.is_file():
            raise ConfigError(f"_toc.yml lists notebooks/{slug}.md, which does not exist")
        notebook = read_chapter(project, md)
        notebook.metadata["kernelspec"] = {
            "name": KERNEL,
            "display_name": "Python 3",
            "language": "python",
        }
        fresh_nbs[slug] = notebook
        code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
        key = _sha(slug, _code_signature(notebook), str(wave), prepared.key, code_hash(code))[:20]
        if (cache / key / "notebook.ipynb").is_file():
            runs[slug] = ChapterRun(slug, key, cached=True, seconds=0.0)
        else:
            todo.append((slug, key))
    _save_imports(project.cache / "imports.json")

    def run_one(slug: str, key: str, work: Path, kernel: kernels.Kernel) -> ChapterRun:
        start = time.perf_counter()
        source = work / "source.ipynb"
        nbformat.write(fresh_nbs[slug], source)
        params = {"wave": wave, "data_dir": str(prepared.folder), "out_dir": str(work)}
        try:
            kernel.execute(source, work / "executed.ipynb", params)
        except Exception as exc:  # papermill's error names the cell; keep it short
            message = str(exc).strip().splitlines()
            tail = "\n".join(message[-6:]) if message else type(exc).__name__
            return ChapterRun(slug, key, False, time.perf_counter() - start, error=tail)
        executed = nbformat.read(work / "executed.ipynb", as_version=4)
        _strip_volatile(executed)
        nbformat.write(executed, work / "notebook.ipynb")
        (work / "source.ipynb").unlink()
        (work / "executed.ipynb").unlink()
        _move_into_place(work, cache / key)
        return ChapterRun(slug, key, False, round(time.perf_counter() - start, 3))

    if todo:
        from tqdm import tqdm

        workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        with tqdm(
            total=len(todo),
            desc=f"wave {wave}: executing chapters",
            unit="chapter",
            disable=not progress,
            file=sys.stderr,
        ) as bar:
            for run in _in_parallel(todo, run_one, workers, cache):
                runs[run.slug] = run
                bar.set_postfix_str(run.slug)
                bar.update()
    failed = [runs[s] for s in slugs if runs[s].error]
    if failed:
        detail = "\n\n".join(f"chapter '{r.slug}' failed:\n{r.error}" for r in failed)
        raise ChapterError(detail)
    return [runs[s] for s in slugs]


def stage_chapters(
    project: Project,
    runs: list[ChapterRun],
    stage_notebooks: Path,
    lang: str = "en",
    pdf: bool = False,
) -> None:
    """Write each chapter of an edition into the stage: the edition's prose (the chapter
    file of its language) with the outputs of the cached run in that language, and the
    run's facts beside it (``<slug>.facts.json``) for the chapter's sentences. With ``pdf``,
    each chart also gets its vector PDF drawing (:func:`_chart_drawings`)."""
    import nbformat

    stage_notebooks.mkdir(parents=True, exist_ok=True)
    # what each staged chapter was made from: a chapter whose prose, run and staging code
    # are the same as last time is not read, merged and compared again
    ledger_path = stage_notebooks / ".staged.json"
    try:
        ledger = json.loads(ledger_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        ledger = {}
    code = Path(__file__).read_bytes()
    for run in runs:
        source = page_source(project, f"notebooks/{run.slug}", lang)
        if not source.is_file():
            raise ConfigError(f"the {lang} table of contents lists {source}, which does not exist")
        english_file = page_source(project, f"notebooks/{run.slug}")
        made_from = _sha(
            run.key, lang, str(pdf), code, source.read_bytes(), english_file.read_bytes()
        )
        staged = stage_notebooks / f"{run.slug}.ipynb"
        if ledger.get(run.slug) == made_from and staged.is_file():
            continue
        ledger.pop(run.slug, None)
        notebook = read_chapter(project, source)
        if lang != "en":
            english = read_chapter(project, english_file)
            if _code_signature(notebook) != _code_signature(english):
                raise ConfigError(
                    f"{source.relative_to(project.root)}: its code cells differ from "
                    f"notebooks/{run.slug}.md (a translation changes the prose only)"
                )
        executed = nbformat.read(project.cache / "exec" / run.key / "notebook.ipynb", 4)
        _merge_outputs(notebook, executed)
        _localize(notebook, lang)
        _chart_drawings(project, notebook, pdf)
        _stable_ids(notebook, run.slug)
        _write_if_changed(
            stage_notebooks / f"{run.slug}.ipynb", nbformat.writes(notebook).encode("utf-8")
        )
        facts = project.cache / "exec" / run.key / "facts.json"
        target = stage_notebooks / f"{run.slug}.facts.json"
        if facts.is_file():
            _write_if_changed(target, facts.read_bytes())
        else:
            target.unlink(missing_ok=True)
        ledger[run.slug] = made_from
    slugs = {r.slug for r in runs}
    ledger = {slug: made for slug, made in ledger.items() if slug in slugs}
    _write_if_changed(ledger_path, json.dumps(ledger, indent=1, sort_keys=True).encode())
    for stale in stage_notebooks.glob("*.ipynb"):
        if stale.stem not in slugs:
            stale.unlink()
            stale.with_suffix(".facts.json").unlink(missing_ok=True)


def _in_parallel(todo: list[tuple[str, str]], run_one, workers: int, cache: Path):
    """Yield ``run_one(slug, key, work, kernel)`` for every chapter, ``workers`` at a time,
    each worker with its own kernel.

    Daemon threads, not a thread pool: on Ctrl-C the main thread kills the kernels, removes
    the unfinished working folders and leaves at once, instead of waiting for every running
    chapter to end (a pool joins its threads on exit, even after ``shutdown(wait=False)``).
    """
    jobs: queue.Queue = queue.Queue()
    for item in todo:
        jobs.put(item)
    done: queue.Queue = queue.Queue()
    working: dict[str, Path] = {}

    def worker() -> None:
        # one kernel per worker, kept from chapter to chapter (see wavebook.kernels)
        with kernels.Kernel() as kernel:
            while True:
                try:
                    slug, key = jobs.get_nowait()
                except queue.Empty:
                    return
                work = working[slug] = _fresh_dir(cache, key)
                try:
                    done.put(run_one(slug, key, work, kernel))
                except BaseException as exc:  # report it in the main thread
                    done.put(exc)

    threads = [
        threading.Thread(target=worker, name=f"wavebook-chapter-{i}", daemon=True)
        for i in range(workers)
    ]
    for thread in threads:
        thread.start()
    try:
        for _ in todo:
            while True:
                try:
                    result = done.get(timeout=0.2)
                    break
                except queue.Empty:
                    continue
            if isinstance(result, BaseException):
                raise result
            yield result
    except BaseException:
        # Ctrl-C (or an error): stop the kernels now; a thread whose kernel died ends by
        # itself. Nothing half-written stays in the cache: finished chapters were moved into
        # it whole, unfinished working folders go.
        while not jobs.empty():
            with contextlib.suppress(queue.Empty):
                jobs.get_nowait()
        kernels.kill_all()
        for work in working.values():
            shutil.rmtree(work, ignore_errors=True)
        raise


def chapter_estimates(project: Project, runs: list[ChapterRun]) -> list[Path]:
    return [p for r in runs for p in (project.cache / "exec" / r.key / "estimates").glob("*.csv")]


def _merge_estimates(project: Project, runs: list[ChapterRun], target: Path) -> None:
    """Merge the chapters' records into ``target``, unless it was merged from the same runs
    with the same code (a prose edit then needs neither the merge nor pandas)."""
    made_from = _sha(*sorted(r.key for r in runs), _module_path("wavebook.estimates").read_bytes())
    ledger = target.with_name(".estimates.key")
    if target.is_file() and ledger.is_file() and ledger.read_text() == made_from:
        return
    from wavebook import estimates

    ledger.unlink(missing_ok=True)
    estimates.write(estimates.merge_files(chapter_estimates(project, runs)), target)
    ledger.write_text(made_from)


# --- vendored assets -------------------------------------------------------------------------
def vega_bundle(project: Project) -> Path:
    """The wrapped Vega bundle, made once per vl-convert version."""
    version = metadata.version("vl-convert-python")
    path = project.cache / "vendor" / f"vega-{version}.js"
    if not path.is_file():
        from wavebook.charts import vega_bundle as make_bundle

        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(make_bundle())
        Path(name).rename(path)
    return path


def mathjax_dir(project: Project) -> Path:
    """MathJax 3 (es5 build) from the npm registry, fetched once with ``npm pack``."""
    target = project.vendor_cache / "mathjax"
    if (target / "es5" / "tex-chtml.js").is_file():
        return target / "es5"
    npm = shutil.which("npm")
    if npm is None:
        raise ConfigError("MathJax is not vendored yet and npm is missing: run `make book`")
    project.vendor_cache.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "pack", MATHJAX, "--silent", "--pack-destination", str(project.vendor_cache)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise ConfigError(f"could not fetch {MATHJAX} with npm: {done.stderr.strip()[-300:]}")
    tarball = project.vendor_cache / done.stdout.strip().splitlines()[-1]
    tmp = _fresh_dir(project.vendor_cache, "mathjax")
    shutil.unpack_archive(tarball, tmp)
    tarball.unlink()
    if (target / "es5" / "tex-chtml.js").is_file():  # another build fetched it meanwhile
        shutil.rmtree(tmp)
        return target / "es5"
    _move_into_place(tmp / "package", target)
    shutil.rmtree(tmp)
    return target / "es5"


# --- staging and rendering -------------------------------------------------------------------
def _deep_merge(base: dict, extra: dict) -> dict:
    """``base`` with ``extra`` laid over it, dictionaries merged key by key."""
    out = dict(base)
    for key, value in extra.items():
        out[key] = (
            _deep_merge(out[key], value)
            if isinstance(value, dict) and isinstance(out.get(key), dict)
            else value
        )
    return out


def _stage_config(project: Project, wave_label: str, synthetic: bool, lang: str = "en") -> bytes:
    """The edition's ``_config.yml``: the book's, with ``_config.<lang>.yml`` laid over it for
    another language; the wave in the title; the synthetic-data banner and title note."""
    from wavebook.words import Words

    config = yaml.safe_load((project.root / "_config.yml").read_text(encoding="utf-8"))
    if lang != "en":
        extra = project.root / f"_config.{lang}.yml"
        if not extra.is_file():
            raise ConfigError(f"no _config.{lang}.yml: the {lang} edition has no configuration")
        config = _deep_merge(config, yaml.safe_load(extra.read_text(encoding="utf-8")))
    words = Words(lang)
    title = f"{config['title']} — {wave_label}"
    config["title"] = title
    latex_title = title
    if synthetic:
        config.setdefault("html", {})["announcement"] = words.say("synthetic-banner")
        latex_title = f"{title} ({words.say('synthetic-title-note')})"
    latex = config.setdefault("latex", {})
    latex.setdefault("latex_documents", {})["title"] = latex_title
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx["language"] = lang
    sphinx["wavebook_twins"] = _twins(project, lang)
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True).encode("utf-8")


def _twins(project: Project, lang: str) -> list[dict]:
    """For each other edition: its language, where its site lies from this one's, and which
    documents it holds (a page links to its twin, or to the other edition's front page)."""
    out = []
    for other in LANGUAGES:
        if other == lang or not toc_file(project, other).is_file():
            continue
        # from _build/wave-N/html (en) or _build/wave-N/<lang>/html to the other site
        up = "../" if lang == "en" else "../../"
        down = "html/" if other == "en" else f"{other}/html/"
        out.append({"lang": other, "root": up + down, "docs": toc_docs(project, other)})
    return out


def _book_files(project: Project, lang: str) -> dict[Path, Path]:
    """The files of ``book/`` an edition stages (target relative to the stage -> source):
    the shared assets, and each page of the edition's toc from its language's file."""
    files: dict[Path, Path] = {}
    for item in project.book.rglob("*"):
        rel = item.relative_to(project.root)
        if not item.is_file() or "__pycache__" in rel.parts:
            continue
        if item.suffix == ".md" or (len(rel.parts) > 2 and rel.parts[1] in LANGUAGES):
            continue  # pages come from the toc below; other languages' folders stay out
        files[rel] = item
    for doc in toc_docs(project, lang):
        if doc.startswith("book/"):
            source = page_source(project, doc, lang)
            if not source.is_file():
                raise ConfigError(
                    f"the {lang} table of contents lists {source}, which does not exist"
                )
            files[Path(f"{doc}.md")] = source
    return files


def _sync_files(files: dict[Path, Path], target: Path) -> None:
    """Make ``target`` hold exactly ``files`` (relative path -> source), touching only what
    changed."""
    for rel, source in files.items():
        _write_if_changed(target / rel, source.read_bytes())
    if target.is_dir():
        for item in target.rglob("*"):
            if item.is_file() and item.relative_to(target) not in files:
                item.unlink()


def stage_book(
    project: Project,
    stage: Path,
    wave_label: str,
    prepared: Prepared,
    estimates_csv: Path,
    lang: str = "en",
) -> None:
    """Lay out the staging copy of an edition (everything but the executed notebooks)."""
    stage.mkdir(parents=True, exist_ok=True)
    _write_if_changed(
        stage / "_config.yml", _stage_config(project, wave_label, prepared.synthetic, lang)
    )
    _write_if_changed(stage / "_toc.yml", toc_file(project, lang).read_bytes())
    books = {rel.relative_to("book"): src for rel, src in _book_files(project, lang).items()}
    _sync_files(books, stage / "book")
    # the codebook, for labels in the chapters' sentences (sphinx_ext)
    _write_if_changed(
        stage / "_wavebook" / "codebook.yml", (prepared.folder / "codebook.yml").read_bytes()
    )
    extra = stage / "_extra"
    _write_if_changed(
        extra / "_vendor" / "vega" / "vega-bundle.js", vega_bundle(project).read_bytes()
    )
    _sync_tree(mathjax_dir(project), extra / "_vendor" / "mathjax", MATHJAX_PARTS)
    _write_if_changed(extra / "estimates.csv", estimates_csv.read_bytes())


def render(stage: Path, builder: str) -> Path:
    """Render the stage with Jupyter Book's Sphinx set-up (execution off, warnings as errors,
    nitpicky), in this process: the same as ``jupyter-book build --builder html|pdflatex -W -n
    --keep-going`` without paying for a new interpreter and its imports at every build.

    For ``pdflatex`` the LaTeX run is skipped when the LaTeX sources Sphinx wrote are the same
    as those of the PDF already there (``.sources`` beside it holds their digest).
    """
    import io

    from jupyter_book.sphinx import build_sphinx

    stage = stage.resolve()
    out = stage / "_build" / ("html" if builder == "html" else "latex")
    config = yaml.safe_load((stage / "_config.yml").read_text(encoding="utf-8"))
    overrides = {
        "external_toc_path": (stage / "_toc.yml").as_posix(),
        "latex_individualpages": False,
        "nitpicky": True,
        # A fresh list at every build: the themes append their folders to this setting, and
        # Sphinx's default is one list shared by every build of the process; grown, it
        # changes the configuration's hash, and Sphinx rewrites every page (the preview
        # builds many times in one process).
        "templates_path": list(
            ((config.get("sphinx") or {}).get("config") or {}).get("templates_path") or []
        ),
    }
    # Sphinx reads HTML pages in forked processes when it has more than five to read (see
    # sphinx_ext._READ_IN_PARALLEL); not in the preview, whose server threads a fork would
    # copy in whatever state they are in
    in_main = threading.current_thread() is threading.main_thread()
    jobs = (os.cpu_count() or 1) if builder == "html" and in_main else 1
    log = io.StringIO()
    with contextlib.redirect_stderr(log), contextlib.redirect_stdout(io.StringIO()):
        result = build_sphinx(
            stage,
            out,
            noconfig=True,
            path_config=str(stage / "_config.yml"),
            confoverrides=overrides,
            builder="html" if builder == "html" else "latex",
            warningiserror=True,
            keep_going=True,
            quiet=True,
            jobs=jobs,
        )
    if result != 0:
        lines = log.getvalue().strip().splitlines()
        cause = [line for line in lines if re.search(r"WARNING|ERROR|[A-Za-z]+Error:", line)]
        if isinstance(result, BaseException) and not cause:
            cause = [f"{type(result).__name__}: {result}"]
        raise ChapterError(
            f"jupyter-book build ({builder}) failed:\n" + "\n".join((cause or lines)[-25:])
        )
    if builder == "html":
        return out
    return _latex_pdf(out)


def _latex_pdf(latex: Path) -> Path:
    """Run LaTeX (Sphinx's ``make all-pdf``, latexmk) unless the sources Sphinx wrote are
    the same as those of the PDF already there. ``.sources`` records their digest and the
    files the LaTeX run itself wrote, which are not sources."""
    marker = latex / ".sources"
    try:
        last = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        last = {}
    made = set(last.get("made", []))

    def snapshot() -> set[str]:
        return {str(p.relative_to(latex)) for p in latex.rglob("*") if p.is_file()}

    before = snapshot() - {".sources"}
    sources = sorted(before - made)
    digest = _sha(*sources, *((latex / name).read_bytes() for name in sources))
    documents = {Path(name).stem for name in sources if "/" not in name and name.endswith(".tex")}
    pdfs = sorted(latex / f"{d}.pdf" for d in documents if (latex / f"{d}.pdf").is_file())
    if pdfs and last.get("digest") == digest:
        return pdfs[0]
    marker.unlink(missing_ok=True)
    make = os.environ.get("MAKE", "make")
    done = subprocess.run([make, "all-pdf"], cwd=latex, capture_output=True, text=True, check=False)
    pdfs = sorted(latex / f"{d}.pdf" for d in documents if (latex / f"{d}.pdf").is_file())
    if done.returncode != 0 or not pdfs:
        log = (done.stdout + done.stderr).strip().splitlines()
        raise ChapterError("LaTeX produced no PDF:\n" + "\n".join(log[-25:]))
    # what LaTeX wrote (new files, and the PDF and its companions even when they existed)
    companions = {".pdf", ".aux", ".log", ".toc", ".out", ".fls", ".xdv", ".idx", ".ind"}
    companions |= {".ilg", ".fdb_latexmk"}
    outputs = (snapshot() - set(sources)) | {
        name
        for name in sources
        if "/" not in name and Path(name).stem in documents and Path(name).suffix in companions
    }
    outputs.discard(".sources")
    sources = sorted(before - outputs)
    digest = _sha(*sources, *((latex / name).read_bytes() for name in sources))
    marker.write_text(json.dumps({"digest": digest, "made": sorted(outputs)}), encoding="utf-8")
    return pdfs[0]


# --- checks and publishing -------------------------------------------------------------------
_TOKEN = re.compile(r"[A-Za-z0-9_.:@+-]+")


def privacy_scan(paths: list[Path], ids: set[str], seen: Path | None = None) -> list[str]:
    """Return ``file: id`` for every respondent identifier found in the outputs.

    With ``seen`` (a JSON file), files found clean before, with the same size and time and
    for the same identifiers, are not read again (a prose edit rewrites one or two pages)."""
    ids_key = _sha(*sorted(ids))[:16]
    clean: dict[str, list] = {}
    if seen is not None and seen.is_file():
        with contextlib.suppress(ValueError, OSError):
            stored = json.loads(seen.read_text(encoding="utf-8"))
            if stored.get("ids") == ids_key:
                clean = stored.get("files", {})
    now: dict[str, list] = {}
    found = []
    for root in paths:
        # vendored third-party bundles (MathJax, Vega) are made without any survey data
        files = (
            [root]
            if root.is_file()
            else sorted(p for p in root.rglob("*") if p.is_file() and "_vendor" not in p.parts)
        )
        for path in files:
            if path.suffix in {".png", ".jpg", ".woff", ".woff2", ".ttf", ".gif", ".ico"}:
                continue
            info = path.stat()
            stamp = [info.st_size, info.st_mtime_ns]
            if clean.get(str(path)) == stamp:
                now[str(path)] = stamp
                continue
            if path.suffix == ".pdf":
                text = subprocess.run(
                    ["pdftotext", str(path), "-"], capture_output=True, text=True, check=False
                ).stdout
            else:
                text = path.read_bytes().decode("utf-8", errors="ignore")
            leaked = set(_TOKEN.findall(text)) & ids
            found += [f"{path}: {i}" for i in sorted(leaked)[:3]]
            if not leaked:
                now[str(path)] = stamp
    if seen is not None:
        seen.write_text(json.dumps({"ids": ids_key, "files": now}), encoding="utf-8")
    return found


def check_site(html: Path) -> list[str]:
    """Problems a reader must never see: published sources, error outputs."""
    problems = []
    if (html / "_sources").exists():
        problems.append("the site publishes _sources/ (set html_copy_source: false)")
    for page in html.rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="ignore")
        if "Traceback (most recent call last)" in text or 'class="output traceback' in text:
            problems.append(f"{page.name}: shows a traceback")
    return problems


def _publish(source: Path, target: Path) -> None:
    """Replace ``target`` by a copy of ``source`` in one step (the old copy goes only after).

    A published folder is never written to, only replaced: a file that has not changed since
    the copy there (same size and time) is hard-linked from it instead of copied again (the
    vendored MathJax and Vega alone weigh several megabytes)."""
    new = target.with_name(target.name + ".new")
    old = target.with_name(target.name + ".old")
    shutil.rmtree(new, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    if source.is_dir():

        def copy(src: str, dst: str) -> None:
            before = target / Path(src).relative_to(source)
            if _same_stamp(Path(src), before):
                try:
                    os.link(before, dst)
                    return
                except OSError:
                    pass
            shutil.copy2(src, dst)

        shutil.copytree(source, new, copy_function=copy)
    else:
        new.mkdir(parents=True)
        shutil.copy2(source, new / source.name)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _git_commit(root: Path) -> str | None:
    done = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return None
    dirty = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return done.stdout.strip() + ("-dirty" if dirty else "")


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


@dataclass
class BuildResult:
    wave: int
    out: Path
    runs: list[ChapterRun]
    timings: dict[str, float]
    unchanged: bool = False


def run(
    project: Project,
    wave: int | None = None,
    chapters: list[str] | None = None,
    jobs: int | None = None,
    progress: bool = True,
    prepared: Prepared | None = None,
) -> tuple[Prepared, list[ChapterRun]]:
    """Execute chapters only (``wavebook run``); executed notebooks go to the stage."""
    from wavebook.waves import load_registry

    registry = load_registry(project.waves_file)
    wave = registry.latest if wave is None else wave
    registry.get(wave)
    with wave_lock(project, wave):
        return _run(project, wave, chapters, jobs, progress, prepared)


def _run(
    project: Project,
    wave: int,
    chapters: list[str] | None,
    jobs: int | None,
    progress: bool,
    prepared: Prepared | None,
) -> tuple[Prepared, list[ChapterRun]]:
    slugs = toc_chapters(project)
    if chapters:
        # a chapter being drafted can run before it is listed in _toc.yml
        drafts = [c for c in chapters if c not in slugs]
        unknown = [c for c in drafts if not (project.notebooks / f"{c}.md").is_file()]
        if unknown:
            raise ConfigError(
                f"unknown chapter(s) {', '.join(unknown)}: no notebooks/<slug>.md;"
                f" listed in _toc.yml: {', '.join(slugs)}"
            )
        slugs = [s for s in slugs if s in chapters] + drafts
    prepared = prepared or prepare_data(project, wave)
    runs = execute_chapters(project, prepared, wave, slugs, jobs, progress)
    return prepared, runs


def build(
    project: Project,
    wave: int | None = None,
    pdf: bool = True,
    jobs: int | None = None,
    progress: bool = True,
    lang: str = "en",
) -> BuildResult:
    """``wavebook build``: execute, render HTML (and PDF), check, then publish.

    Every chapter is executed (or found in the cache) whatever the language, so that both
    editions rest on the same runs and the same ``estimates.csv``; an edition shows the
    chapters of its table of contents. English lands in ``_build/wave-N/``, another language
    in ``_build/wave-N/<lang>/``. The wave is locked for the whole build (:func:`wave_lock`).
    Ctrl-C stops it at once: kernels are killed, nothing is published, the previous site and
    the cache stay valid. When no input changed since the last published build of the same
    edition (:func:`inputs_digest`), nothing is done at all.
    """
    if lang not in LANGUAGES:
        raise ConfigError(f"unknown language {lang!r} (one of {', '.join(LANGUAGES)})")
    start = time.perf_counter()
    wave = latest_wave(project) if wave is None else wave
    out = edition_dir(project, wave, lang)
    with wave_lock(project, wave):
        digest = inputs_digest(project, wave, lang, pdf)
        if unchanged(out, digest, pdf):
            return BuildResult(
                wave, out, [], {"unchanged": round(time.perf_counter() - start, 3)}, True
            )
        from wavebook.waves import load_registry

        entry = load_registry(project.waves_file).get(wave)
        (out / INPUTS_FILE).unlink(missing_ok=True)
        result = _build(project, wave, entry.title(lang), pdf, jobs, progress, lang)
        (out / INPUTS_FILE).write_text(digest + "\n", encoding="utf-8")
        return result


# --- nothing changed? ------------------------------------------------------------------------
INPUTS_FILE = ".inputs"  # beside manifest.json: the digest of the inputs it was built from


def latest_wave(project: Project) -> int:
    """The latest registered wave, read without validating the registry (that comes later)."""
    waves = yaml.safe_load(project.waves_file.read_text(encoding="utf-8")).get("waves") or []
    numbers = [w.get("number") for w in waves if isinstance(w, dict)]
    if not numbers or not all(isinstance(n, int) for n in numbers):
        from wavebook.waves import load_registry  # says what is wrong with the registry

        return load_registry(project.waves_file).latest
    return max(numbers)


def _walk(folder: Path) -> list[Path]:
    """Every file under ``folder``, following symbolic links (``data/demo`` may be one)."""
    found = []
    for root, dirs, files in os.walk(folder, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d not in {"__pycache__", ".ipynb_checkpoints"})
        found += [Path(root, name) for name in sorted(files)]
    return found


def inputs_digest(project: Project, wave: int, lang: str, pdf: bool) -> str:
    """A hash of everything a build reads: the chapters, the book's pages and settings, the
    data folder, the package's code and word files, and the installed packages (their
    ``dist-info`` names carry the versions). Equal digests give the same site."""
    root = project.root
    files = [p for p in sorted(root.glob("_config*.yml")) + sorted(root.glob("_toc*.yml"))]
    for folder in (project.notebooks, project.book, project.data, Path(__file__).resolve().parent):
        files += _walk(folder)
    digest = hashlib.sha256(f"{wave}\0{lang}\0{pdf}\0{sys.version}\0".encode())
    for path in files:
        digest.update(str(path).encode("utf-8") + b"\0")
        with contextlib.suppress(OSError):
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for entry in sys.path:
        with contextlib.suppress(OSError):
            digest.update(
                " ".join(sorted(n for n in os.listdir(entry) if n.endswith(".dist-info"))).encode()
            )
    vendor = project.vendor_cache
    if vendor.is_dir():
        digest.update(" ".join(sorted(os.listdir(vendor))).encode())
    return digest.hexdigest()


def unchanged(out: Path, digest: str, pdf: bool) -> bool:
    """True when ``out`` holds a published build made from inputs with this digest."""
    marker = out / INPUTS_FILE
    if not marker.is_file() or marker.read_text(encoding="utf-8").strip() != digest:
        return False
    needed = [out / "html" / "index.html", out / "estimates.csv", out / "manifest.json"]
    if pdf:
        needed.append(out / "pdf")
    return all(p.exists() for p in needed)


def edition_dir(project: Project, wave: int, lang: str = "en") -> Path:
    """Where an edition of a wave is published: ``_build/wave-N/`` or ``.../<lang>/``."""
    out = project.wave_build(wave)
    return out if lang == "en" else out / lang


def _build(
    project: Project,
    wave: int,
    label: str,
    pdf: bool,
    jobs: int | None,
    progress: bool,
    lang: str,
) -> BuildResult:
    timer = Timer()
    out = edition_dir(project, wave, lang)
    stage = out / ".stage"
    with timer("data"):
        prepared = prepare_data(project, wave)
    with timer("execute"):
        prepared, runs = _run(project, wave, None, jobs, progress, prepared)
    with timer("estimates"):
        est_path = stage / "estimates.csv"
        _merge_estimates(project, runs, est_path)
    with timer("stage"):
        chapters = toc_chapters(project, lang)
        stage_chapters(
            project, [r for r in runs if r.slug in chapters], stage / "notebooks", lang, pdf
        )
        stage_book(project, stage, label, prepared, est_path, lang)
    with timer("html"):
        html = render(stage, "html")
    pdf_path = None
    if pdf:
        with timer("pdf"):
            pdf_path = render(stage, "pdflatex")
    with timer("checks"):
        problems = check_site(html)
        leaks = privacy_scan(
            [html, est_path] + ([pdf_path] if pdf_path else []),
            input_ids(prepared),
            seen=stage / "_build" / "scanned.json",
        )
        if leaks:
            problems.append(
                "respondent identifiers found in the output:\n  " + "\n  ".join(leaks[:10])
            )
        if problems:
            raise WavebookError(
                "post-build checks failed; nothing was published:\n" + "\n".join(problems)
            )
    with timer("publish"):
        _publish(html, out / "html")
        if pdf_path is not None:
            suffix = "" if lang == "en" else f"-{lang}"
            named = stage / f"wavebook-wave-{wave}{suffix}.pdf"
            shutil.copy2(pdf_path, named)
            _publish(named, out / "pdf")
        shutil.copy2(est_path, out / "estimates.csv")
    manifest = {
        "wave": wave,
        "parameters": {"wave": wave, "lang": lang, "pdf": pdf, "jobs": jobs},
        "chapters": [
            {"chapter": r.slug, "cache_key": r.key, "cached": r.cached, "seconds": r.seconds}
            for r in runs
        ],
        "data": {
            "prepared_key": prepared.key,
            "synthetic": prepared.synthetic,
            "files": {str(k): v for k, v in prepared.files.items()},
        },
        "git_commit": _git_commit(project.root),
        "versions": _versions(),
        "timings_s": timer.steps,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return BuildResult(wave, out, runs, timer.steps)
