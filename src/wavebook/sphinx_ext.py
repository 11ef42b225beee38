"""A small Sphinx extension that Jupyter Book loads through ``_config.yml``.

Jupyter Book 1 always loads sphinx-thebe (live code cells through Binder). This book runs no
live code, and sphinx-thebe's page script declares ``const THEBE_JS_URL`` (a CDN address) in a
way that ends up twice on every page, which stops the page's scripts with a SyntaxError. Its
event handlers and stylesheet are removed here. The theme's download menu is switched off too
(its links point into ``_sources/``, which is not published).

Markdown tables arrive with the class ``colwidths-auto``. Sphinx's LaTeX writer sets a long
table (more than 30 rows, a ``longtable``) in unbreakable ``l`` columns, which then run off the
page. For the PDF, such tables get widths from their text (:func:`content_widths`, marked
``colwidths-given``) so that long cells wrap; short tables keep ``tabulary``'s own widths.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes

MIN_WIDTH, MAX_WIDTH = 10, 40  # in characters: no column vanishes, none takes the whole page
LONGTABLE_ROWS = 30  # Sphinx's own threshold for a longtable


def _column_lengths(table: nodes.table) -> list[list[int]]:
    lengths: list[list[int]] = []
    for row in table.findall(nodes.row):
        for i, entry in enumerate(row.children):
            while len(lengths) <= i:
                lengths.append([])
            lengths[i].append(len(entry.astext()))
    return lengths


def content_widths(lengths: list[list[int]]) -> list[int]:
    """Relative column widths from the text lengths of each column's cells.

    A column is as wide as its longest cell, within ``MIN_WIDTH`` and ``MAX_WIDTH``.

    >>> content_widths([[3, 8], [120, 60], [1, 1]])
    [10, 40, 10]
    """
    return [min(MAX_WIDTH, max(MIN_WIDTH, max(column, default=0))) for column in lengths]


def _latex_table_widths(app: Any, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "latex":
        return
    for table in doctree.findall(nodes.table):
        if "colwidths-auto" not in table["classes"]:
            continue
        if sum(1 for _ in table.findall(nodes.row)) <= LONGTABLE_ROWS + 1:  # header row
            continue
        groups = list(table.findall(nodes.tgroup))
        if len(groups) != 1:
            continue
        specs = [c for c in groups[0].children if isinstance(c, nodes.colspec)]
        widths = content_widths(_column_lengths(table))
        if len(widths) != len(specs):
            continue
        table["classes"].remove("colwidths-auto")
        table["classes"].append("colwidths-given")
        for spec, width in zip(specs, widths, strict=True):
            spec["colwidth"] = width


def _no_download_button(app: Any, config: Any) -> None:
    # Jupyter Book 1 does not pass `html.use_download_button` to the theme, which then offers
    # "download source" links into _sources/ (not published: the links would be dead)
    config.html_theme_options = {**config.html_theme_options, "use_download_button": False}


def setup(app: Any) -> dict[str, Any]:
    for listeners in app.events.listeners.values():
        for listener in list(listeners):
            if getattr(listener.handler, "__module__", "").startswith("sphinx_thebe"):
                app.disconnect(listener.id)
    # its stylesheet is registered directly; without its static path it would be a 404
    app.registry.css_files = [
        (name, attrs) for name, attrs in app.registry.css_files if name != "sphinx-thebe.css"
    ]
    app.connect("doctree-resolved", _latex_table_widths)
    app.connect("config-inited", _no_download_button)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
