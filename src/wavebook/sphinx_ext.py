"""A small Sphinx extension that Jupyter Book loads through ``_config.yml``.

Jupyter Book 1 always loads sphinx-thebe (live code cells through Binder). This book runs no
live code, and sphinx-thebe's page script declares ``const THEBE_JS_URL`` (a CDN address) in a
way that ends up twice on every page, which stops the page's scripts with a SyntaxError. Its
event handlers and stylesheet are removed here. The theme's download menu is switched off too
(its links point into ``_sources/``, which is not published).

Chapters speak through it too: a ``{words}`` block holds the chapter's sentences as Fluent
messages, the ``{say}`message-id``` role pastes one, rendered in the edition's language from the
facts the chapter's execution wrote beside it (``<chapter>.facts.json``), and a
``{when} fact [value ...]`` block keeps its content only when the fact has one of the values
(or is true). All three are resolved when a page has been read, before Sphinx numbers figures
and builds the table of contents, so a figure or section an edition cannot show is omitted and
the numbers stay consecutive; a sentence that renders empty takes its paragraph (or bullet)
with it, and a section left with only its title goes too.

Markdown tables arrive with the class ``colwidths-auto``. Sphinx's LaTeX writer sets a long
table (more than 30 rows, a ``longtable``) in unbreakable ``l`` columns, which then run off the
page. For the PDF, such tables get widths from their text (:func:`content_widths`, marked
``colwidths-given``) so that long cells wrap; short tables keep ``tabulary``'s own widths.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

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


# --- words, facts and conditions ---------------------------------------------------------------
class words_block(nodes.General, nodes.Element):
    """Fluent messages of the page (removed once the page's sentences are rendered)."""


class say(nodes.Inline, nodes.TextElement):
    """A sentence to render from the page's messages and facts."""


class when_block(nodes.General, nodes.Element):
    """Content kept only when a fact has one of the given values."""


class WordsDirective(SphinxDirective):
    has_content = True

    def run(self) -> list[nodes.Node]:
        return [words_block(source="\n".join(self.content), line=self.content_offset + 1)]


class WhenDirective(SphinxDirective):
    has_content = True
    required_arguments = 1
    optional_arguments = 20

    def run(self) -> list[nodes.Node]:
        node = when_block(fact=self.arguments[0], values=self.arguments[1:])
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def say_role(name, rawtext, text, lineno, inliner, options=None, content=()):
    return [say(rawtext, "", message=text.strip(), line=lineno)], []


def _facts(app: Any, docname: str) -> dict[str, Any]:
    path = Path(app.srcdir) / f"{docname}.facts.json"
    if not path.is_file():
        return {}
    app.env.note_dependency(str(path))
    return json.loads(path.read_text(encoding="utf-8"))


def _codebook(app: Any):
    path = Path(app.srcdir) / "_wavebook" / "codebook.yml"
    return _load_codebook(str(path), path.stat().st_mtime_ns) if path.is_file() else None


@functools.lru_cache(maxsize=4)
def _load_codebook(path: str, mtime_ns: int):
    """The staged codebook, read once per build rather than once per page."""
    from wavebook.codebook import load_codebook

    return load_codebook(Path(path))


@functools.lru_cache(maxsize=4)
def _twin_text(lang: str) -> str:
    from wavebook.words import Words

    return Words(lang).say("twin-link")


def _shown(condition: when_block, flat: dict[str, Any]) -> bool:
    value = flat.get(condition["fact"])
    if condition["values"]:
        return str(value) in condition["values"]
    return value not in (None, "", "no", 0, 0.0)


def _drop_empty(sentences: list[nodes.Node]) -> None:
    """Remove sentences that rendered empty, and each paragraph / bullet / list they leave
    empty (two empty sentences of one paragraph take it away once)."""
    parents = []
    for sentence in sentences:
        parents.append(sentence.parent)
        sentence.parent.remove(sentence)
    for parent in parents:
        while isinstance(parent, nodes.paragraph | nodes.list_item | nodes.bullet_list):
            grand = parent.parent
            if parent.astext().strip() or grand is None or parent not in grand.children:
                break
            grand.remove(parent)
            parent = grand


def _render_words(app: Any, doctree: nodes.document) -> None:
    from wavebook.words import Words, WordsError, flatten

    blocks = list(doctree.findall(words_block))
    sentences = list(doctree.findall(say))
    conditions = list(doctree.findall(when_block))
    if not (blocks or sentences or conditions):
        return
    docname = app.env.docname
    facts = _facts(app, docname)
    flat = flatten(facts)
    for condition in conditions:  # outermost first: an inner block may go with its parent
        if condition.parent is None:
            continue
        if _shown(condition, flat):
            condition.replace_self(condition.children)
        else:
            condition.parent.remove(condition)
    words = Words(app.config.language or "en", _codebook(app))
    source = app.env.doc2path(docname)
    for block in blocks:
        words.add(block["source"], str(source), block["line"])
        block.parent.remove(block)
    empty = []
    for sentence in list(doctree.findall(say)):  # all rendered first, then the empty ones go
        try:
            text = words.say(sentence["message"], facts)
        except WordsError as exc:
            raise WordsError(f"{source}, line {sentence['line']}: {exc}") from None
        if text:
            sentence.replace_self(nodes.Text(text))
        else:
            empty.append(sentence)
    _drop_empty(empty)
    _drop_empty_sections(doctree)


def _drop_empty_sections(doctree: nodes.document) -> None:
    """A section left with nothing but its title (every ``{when}`` in it false) goes, so that
    an edition never shows a heading over nothing; innermost sections first."""
    for section in reversed(list(doctree.findall(nodes.section))):
        body = [c for c in section.children if not isinstance(c, nodes.title | nodes.target)]
        if not body and section.parent is not None:
            section.parent.remove(section)


def _twin_links(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Link each page to the same page in the other edition (or to its front page when the
    page is not translated yet); the link is written in the other edition's language."""
    from html import escape

    if doctree is None:
        return
    up = "../" * pagename.count("/")
    links, alternates = [], []
    for twin in app.config.wavebook_twins:
        lang = twin["lang"]
        target = pagename if pagename in twin["docs"] else twin["docs"][0]
        href = escape(f"{up}{twin['root']}{target}.html")
        text = escape(_twin_text(lang))
        links.append(f'<a href="{href}" hreflang="{lang}" lang="{lang}">{text}</a>')
        if pagename in twin["docs"]:
            alternates.append(f'<link rel="alternate" hreflang="{lang}" href="{href}">')
    if links:
        context["body"] = f'<p class="wavebook-twin">{" · ".join(links)}</p>\n' + context["body"]
        context["metatags"] = context.get("metatags", "") + "\n".join(alternates)


# Extensions Jupyter Book loads that do not say whether Sphinx may read pages in parallel
# (so Sphinx reads them one by one), and why they may.
_READ_IN_PARALLEL = {
    # it only replaces the numbering of sections, done in the main process on the merged
    # environment once every page is read
    "sphinx_multitoc_numbering",
    # its read transform marks nodes of the root page with that page's name; what it keeps
    # in the environment is set at builder-inited, before any page is read
    "sphinx_jupyterbook_latex",
}


def _declare_parallel_read(app: Any, config: Any) -> None:
    for name in _READ_IN_PARALLEL:
        extension = app.extensions.get(name)
        if extension is not None and extension.parallel_read_safe is None:
            extension.parallel_read_safe = True


def _quick_html_builder(app: Any) -> None:
    """Two savings of the HTML builder, for a rebuild after a small edit.

    - Pages are written in this process: with more than one job, Sphinx forks a writer even
      for the two or three pages a one-sentence edit rewrites, which costs more than it saves
      (pages are still read in parallel).
    - The theme's Jinja templates keep their compiled form between builds (Jinja's bytecode
      cache, keyed by each template's source), instead of compiling at every run.
    """
    builder = app.builder
    builder.allow_parallel = False
    environment = getattr(getattr(builder, "templates", None), "environment", None)
    if environment is not None:
        from jinja2 import FileSystemBytecodeCache

        folder = Path(app.doctreedir).parent / ".jinja"
        folder.mkdir(parents=True, exist_ok=True)
        environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


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
    app.connect("config-inited", _declare_parallel_read)
    app.connect("builder-inited", _quick_html_builder)
    app.add_config_value("wavebook_twins", [], "html")
    app.connect("html-page-context", _twin_links)
    app.add_node(words_block)
    app.add_node(say)
    app.add_node(when_block)
    app.add_directive("words", WordsDirective)
    app.add_directive("when", WhenDirective)
    app.add_role("say", say_role)
    # before Sphinx's own collectors (500): omitted figures get no number, no toc entry
    app.connect("doctree-read", _render_words, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
