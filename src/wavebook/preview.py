"""``wavebook preview``: the site of one edition, rebuilt on every save and reloaded in the
browser.

Built on sphinx-autobuild's pieces: its watcher (``RebuildServer``, watchfiles), its live
reload (a websocket and the script its middleware adds to every HTML page) and Starlette's
static files, served by uvicorn on 127.0.0.1. What changes is the rebuild: instead of
``sphinx-build`` it runs the wavebook build (``build.build`` without the PDF) in this process,
so that imports are paid once and every cache applies:

- a prose, ``{words}`` or template edit re-stages and re-renders; no kernel starts;
- a code or data edit re-executes only the chapters whose cache key it changes;
- a save that changes nothing is answered from the inputs' digest.

The browser reloads only after a build that published: a failed build prints its error in the
terminal and the page keeps the last good build. An edit to the build's own code (a module this
process has loaded, such as ``build.py`` or ``sphinx_ext.py``) restarts the preview in place;
the open page reconnects and reloads by itself.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
import threading
import time
from pathlib import Path

from wavebook.paths import Project

# sphinx-autobuild's script reloads on a message but never reconnects; this one also comes
# back after a restart of the preview and reloads then.
RELOAD_SCRIPT = """
<script>
(function () {{
  var wasLost = false;
  function connect() {{
    var ws = new WebSocket("ws://{url}/websocket-reload");
    ws.onopen = function () {{ if (wasLost) {{ window.location.reload(); }} }};
    ws.onmessage = function () {{ window.location.reload(); }};
    ws.onclose = function () {{ wasLost = true; setTimeout(connect, 300); }};
  }}
  connect();
}})();
</script>
"""


def watched(project: Project) -> list[Path]:
    """What the preview watches: chapters, pages and templates, data, the package (its word
    files included) and the book's settings."""
    root = project.root
    folders = [project.notebooks, project.book, project.data, root / "src"]
    files = sorted(root.glob("_config*.yml")) + sorted(root.glob("_toc*.yml"))
    return [p for p in folders if p.is_dir()] + files


def _ignored(path: str) -> bool:
    parts = Path(path).parts
    name = parts[-1] if parts else ""
    return (
        "__pycache__" in parts
        or ".ipynb_checkpoints" in parts
        or name.endswith((".pyc", ".swp", ".swx", "~", ".tmp"))
        or name.startswith(".#")
    )


def _loaded_modules() -> set[Path]:
    """Files of the wavebook modules this process has imported (a change needs a restart)."""
    found = set()
    for name, module in list(sys.modules.items()):
        if name == "wavebook" or name.startswith("wavebook."):
            path = getattr(module, "__file__", None)
            if path:
                found.add(Path(path).resolve())
    return found


class Rebuild:
    """The change callback: one build of the edition; True when it published."""

    def __init__(self, project: Project, wave: int | None, lang: str, argv: list[str]):
        self.project = project
        self.wave = wave
        self.lang = lang
        self.argv = argv

    def __call__(self, *, changed_paths=()) -> bool:
        from wavebook.build import build
        from wavebook.errors import WavebookError

        changed = [Path(p) for p in changed_paths]
        if changed:
            names = ", ".join(_show(self.project, p) for p in changed[:4])
            more = f" and {len(changed) - 4} more" if len(changed) > 4 else ""
            print(f"[preview] changed: {names}{more}", flush=True)
        if set(p.resolve() for p in changed) & _loaded_modules():
            print("[preview] the build's own code changed: restarting the preview", flush=True)
            sys.stdout.flush()
            sys.stderr.flush()
            os.execv(sys.executable, [sys.executable, "-m", "wavebook.cli", *self.argv])
            return False  # not reached (execv replaces the process)
        start = time.perf_counter()
        try:
            result = build(self.project, self.wave, pdf=False, progress=True, lang=self.lang)
        except WavebookError as exc:
            print(f"[preview] build failed; still serving the last good build:\n{exc}", flush=True)
            return False
        except Exception as exc:  # keep serving whatever went wrong
            print(
                f"[preview] build failed ({type(exc).__name__}: {exc}); "
                "still serving the last good build",
                flush=True,
            )
            return False
        seconds = time.perf_counter() - start
        if result.unchanged:
            print(f"[preview] nothing changed ({seconds:.1f} s)", flush=True)
            return False
        executed = [r.slug for r in result.runs if not r.cached]
        ran = f"; executed: {', '.join(executed)}" if executed else "; no kernel started"
        print(f"[preview] rebuilt in {seconds:.1f} s{ran}", flush=True)
        return True


def _show(project: Project, path: Path) -> str:
    try:
        return str(path.resolve().relative_to(project.root))
    except ValueError:
        return str(path)


def _server_class():
    import watchfiles
    from sphinx_autobuild.server import RebuildServer

    class InProcessRebuildServer(RebuildServer):
        """sphinx-autobuild's server, rebuilding in a thread of this process (its own runs
        ``sphinx-build`` in a fresh process every time) and reloading the browser only after
        a build that published."""

        async def watch(self) -> None:
            async for changes in watchfiles.awatch(
                *self.paths,
                watch_filter=lambda _, path: not self.ignore(path),
                step=30,
            ):
                paths = sorted({Path(path) for (_, path) in changes})
                if await asyncio.to_thread(self.change_callback, changed_paths=paths):
                    self.flag.set()

    return InProcessRebuildServer


def _middleware_class():
    from sphinx_autobuild.middleware import JavascriptInjectorMiddleware

    class ReconnectingInjector(JavascriptInjectorMiddleware):
        def __init__(self, app, ws_url: str) -> None:
            super().__init__(app, ws_url)
            self.script = RELOAD_SCRIPT.format(url=ws_url).encode("utf-8")

    return ReconnectingInjector


def _import_renderer() -> None:
    import contextlib

    for name in (
        "jupyter_book.sphinx",
        "myst_nb.sphinx_ext",
        "myst_nb.core.read",
        "sphinx_book_theme",
        "wavebook.sphinx_ext",
    ):
        with contextlib.suppress(Exception):  # the rebuild reports what fails to import
            importlib.import_module(name)


def serve(
    project: Project,
    wave: int | None,
    lang: str,
    port: int,
    host: str = "127.0.0.1",
    argv: list[str] | None = None,
) -> int:
    """Build the edition once, then serve it and rebuild on every change until Ctrl-C."""
    import uvicorn
    from sphinx_autobuild.filter import IgnoreFilter
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Mount, WebSocketRoute
    from starlette.staticfiles import StaticFiles

    from wavebook.build import edition_dir, latest_wave

    wave = latest_wave(project) if wave is None else wave
    argv = argv or ["preview", "--wave", str(wave), "--lang", lang, "--port", str(port)]
    rebuild = Rebuild(project, wave, lang, argv)
    print(f"[preview] building wave {wave} ({lang})", flush=True)
    if not rebuild() and not (edition_dir(project, wave, lang) / "html" / "index.html").is_file():
        print("[preview] no site to serve yet: fix the error above and save again", flush=True)
    # a first build that found nothing to do imported no Sphinx: import it now, while the
    # author reads, so that the first edit is served as fast as the next ones
    threading.Thread(target=_import_renderer, name="wavebook-imports", daemon=True).start()
    html = edition_dir(project, wave, lang) / "html"
    html.mkdir(parents=True, exist_ok=True)
    url = f"{host}:{port}"
    ignore = IgnoreFilter([project.build_root, project.root / ".cache"], [])
    server = _server_class()(
        watched(project), lambda p: ignore(p) or _ignored(p), change_callback=rebuild
    )
    app = Starlette(
        routes=[
            WebSocketRoute("/websocket-reload", server, name="reload"),
            Mount("/", app=StaticFiles(directory=html, html=True), name="static"),
        ],
        middleware=[Middleware(_middleware_class(), ws_url=url)],
        lifespan=server.lifespan,
    )
    print(f"[preview] serving http://{url}/ — edit and save; Ctrl-C stops", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
    return 0
