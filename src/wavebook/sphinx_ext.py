"""A small Sphinx extension that Jupyter Book loads through ``_config.yml``.

Jupyter Book 1 always loads sphinx-thebe (live code cells through Binder). This book runs no
live code, and sphinx-thebe's page script declares ``const THEBE_JS_URL`` (a CDN address) in a
way that ends up twice on every page, which stops the page's scripts with a SyntaxError. Its
event handlers and stylesheet are removed here.
"""

from __future__ import annotations

from typing import Any


def setup(app: Any) -> dict[str, Any]:
    for listeners in app.events.listeners.values():
        for listener in list(listeners):
            if getattr(listener.handler, "__module__", "").startswith("sphinx_thebe"):
                app.disconnect(listener.id)
    # its stylesheet is registered directly; without its static path it would be a 404
    app.registry.css_files = [
        (name, attrs) for name, attrs in app.registry.css_files if name != "sphinx-thebe.css"
    ]
    return {"parallel_read_safe": True, "parallel_write_safe": True}
