"""A small Sphinx extension that Jupyter Book loads through ``_config.yml``.

Jupyter Book 1 always loads sphinx-thebe (live code cells through Binder). This book runs no
live code, and sphinx-thebe's page script declares ``const THEBE_JS_URL`` (a CDN address) in a
way that ends up twice on every page, which stops the page's scripts with a SyntaxError. Its
event handlers are disconnected here.
"""

from __future__ import annotations

from typing import Any


def setup(app: Any) -> dict[str, Any]:
    for listeners in app.events.listeners.values():
        for listener in list(listeners):
            if getattr(listener.handler, "__module__", "").startswith("sphinx_thebe"):
                app.disconnect(listener.id)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
