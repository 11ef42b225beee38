"""Reader tables: one object that shows as HTML on the site and as Markdown in the PDF.

myst-nb would treat a pandas LaTeX table as mathematics and break the PDF, so a table offers
``text/html`` and ``text/markdown`` (parsed as GitHub-flavoured Markdown) and nothing else.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from wavebook.codebook import Codebook
from wavebook.words import Words


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    return str(value)


EMPTY_NOTE = "table-empty"  # the message shown in a table without rows, unless told otherwise


class Table:
    """A small formatted table (all cells already formatted as text).

    A table without rows shows one row holding ``empty_note``: a header-only table breaks
    Sphinx's LaTeX writer, and a reader should see why the table is empty.

    >>> print(Table(pd.DataFrame({"Item": [], "Share": []}), empty_note="Not asked.").markdown())
    | Item | Share |
    | :-- | --: |
    | Not asked. |  |
    """

    def __init__(
        self, rows: pd.DataFrame, align: list[str] | None = None, empty_note: str = EMPTY_NOTE
    ) -> None:
        rows = rows.reset_index(drop=True)
        if rows.empty and rows.shape[1]:
            if empty_note == EMPTY_NOTE:
                empty_note = Words("en").say(EMPTY_NOTE)
            rows = pd.DataFrame([[empty_note] + [""] * (rows.shape[1] - 1)], columns=rows.columns)
        self.rows = rows
        self.align = align or ["left"] + ["right"] * (rows.shape[1] - 1)

    def markdown(self) -> str:
        header = "| " + " | ".join(str(c) for c in self.rows.columns) + " |"
        marks = {"left": ":--", "right": "--:", "center": ":-:"}
        rule = "| " + " | ".join(marks[a] for a in self.align) + " |"
        body = [
            "| " + " | ".join(_cell(v).replace("|", "\\|") for v in row) + " |"
            for row in self.rows.itertuples(index=False)
        ]
        return "\n".join([header, rule, *body])

    def html(self) -> str:
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in self.rows.columns)
        body = "".join(
            "<tr>"
            + "".join(
                f'<td class="wb-{a}">{html.escape(_cell(v))}</td>'
                for v, a in zip(row, self.align, strict=True)
            )
            + "</tr>"
            for row in self.rows.itertuples(index=False)
        )
        return (
            f'<table class="wavebook-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {
            "text/html": self.html(),
            "text/markdown": self.markdown(),
            "text/plain": self.markdown(),
        }


def _words(words: Words | None) -> Words:
    return words if words is not None else Words("en")


def waves_table(waves: pd.DataFrame, words: Words | None = None) -> Table:
    """Registered waves: label, field period, rows delivered, respondents kept.

    The English edition keeps the registry's label (``Wave 1 (spring 2022)``); another
    language names the wave by its number (``wave-label``).
    """
    words = _words(words)
    if words.lang == "en":
        labels = list(waves["label"])
    else:
        labels = [words.say("wave-label", {"number": int(w)}) for w in waves["wave"]]
    rows = pd.DataFrame(
        {
            words.say("appendix-col-wave"): labels,
            words.say("appendix-col-fieldwork"): waves["field_start"].astype(str)
            + " – "
            + waves["field_end"].astype(str),
            words.say("appendix-col-delivered"): [words.decimal(n) for n in waves["delivered"]],
            words.say("appendix-col-eligible"): [words.decimal(n) for n in waves["eligible"]],
        }
    )
    return Table(rows, align=["left", "left", "right", "right"])


# the cleaning rules of clean.py by the first words of their text, and their messages
_FLOW_STEPS = {
    "delivered": "appendix-flow-delivered",
    "left Russia before": "appendix-flow-left-russia-before",
    "in Russia": "appendix-flow-in-russia",
    "completed less than": "appendix-flow-completed-less",
    "duplicate answer pattern": "appendix-flow-duplicate",
    "speeder": "appendix-flow-speeder",
}


def _flow_step(rule: str, words: Words) -> str:
    """A cleaning rule in the words' language (its threshold read from the rule's text);
    a rule the words do not know keeps its own text."""
    for start, message in _FLOW_STEPS.items():
        if rule.startswith(start):
            share = re.search(r"(\d+(?:\.\d+)?)%", rule)
            return words.say(message, {"share": float(share[1]) if share else 0.0})
    return rule[:1].upper() + rule[1:]


def flow_table(flow: pd.DataFrame, words: Words | None = None) -> Table:
    """The exclusion flow: rows delivered, removed by each rule, and kept; a column per wave."""
    words = _words(words)
    order = list(dict.fromkeys(flow["rule"]))
    counts = flow.assign(
        shown=flow["excluded"].where(flow["rule"] != "delivered", flow["remaining"])
    )
    wide = counts.pivot(index="rule", columns="wave", values="shown").reindex(order)
    kept = flow.groupby("wave")["remaining"].last()
    steps = [_flow_step(rule, words) for rule in order] + [words.say("appendix-flow-kept")]
    wide.loc["eligible respondents kept"] = kept
    rows = wide.map(lambda n: words.decimal(int(n))).reset_index(drop=True)
    rows.columns = [words.say("wave-label", {"number": int(w)}) for w in wide.columns]
    step = words.say("appendix-col-step")
    rows.insert(0, step, steps)
    rows.loc[1 : len(order) - 1, step] = "− " + rows.loc[1 : len(order) - 1, step]
    return Table(rows)


def overlap_table(overlaps: pd.DataFrame, words: Words | None = None) -> Table:
    """Panel samples and their sizes."""
    words = _words(words)
    rows = pd.DataFrame(
        {
            words.say("appendix-col-sample-code"): overlaps["sample"],
            words.say("appendix-col-answered-waves"): overlaps["waves"].map(
                lambda ws: ", ".join(str(w) for w in ws)
            ),
            words.say("appendix-col-respondents"): [words.decimal(n) for n in overlaps["n"]],
        }
    )
    return Table(rows, align=["left", "left", "right"])


def codebook_table(
    codebook: Codebook,
    asked: Mapping[str, Sequence[int]],
    waves: Sequence[int],
    words: Words | None = None,
) -> Table:
    """Variables × waves: which wave asked what, with labels in English and Russian.

    ``asked`` gives each variable's waves as read from the data
    (:func:`wavebook.derived.asked_by_variable`); ``waves`` the columns, one per wave.

    >>> from wavebook.codebook import Variable
    >>> book = Codebook(version=1, variables=[
    ...     Variable(name="q", type="numeric", label_en="Q", label_ru="В", waves=[1])])
    >>> print(codebook_table(book, {"q": [2]}, [1, 2]).markdown())
    | Variable | Question | Вопрос | W1 | W2 |
    | :-- | :-- | :-- | :-: | :-: |
    | q (numeric) | Q | В |  | ✔ |
    """
    words = _words(words)
    waves = [int(w) for w in waves]
    names = [v.name for v in codebook.variables]
    marks = {w: ["✔" if w in asked.get(name, ()) else "" for name in names] for w in waves}
    derived = words.say("appendix-derived")
    rows = pd.DataFrame(
        {
            words.say("appendix-col-variable"): [
                f"{v.name} ({derived + ' ' if v.derived else ''}{v.type})"
                for v in codebook.variables
            ],
            words.say("appendix-col-question-en"): [v.label_en for v in codebook.variables],
            words.say("appendix-col-question-ru"): [v.label_ru for v in codebook.variables],
            **{words.say("appendix-wave-short", {"wave": w}): marks[w] for w in waves},
        }
    )
    return Table(rows, align=["left", "left", "left", *["center"] * len(waves)])


def _attrition_label(row: Any, words: Words) -> str:
    """A compared characteristic by its codebook label; a nominal variable compared through
    its share cut names the answers counted (:func:`wavebook.estimates.attrition`)."""
    codebook = words.codebook
    if codebook is None or row.variable not in codebook:
        return str(row.label)
    var = codebook[row.variable]
    label = words.label(row.variable)
    if var.type == "nominal" and var.share_cut and row.kind == "binary":
        cut = ", ".join(words.label(f"{var.name}:{c}").lower() for c in var.share_cut)
        return f"{label}: {cut}"
    return label


def attrition_table(tests: pd.DataFrame, words: Words | None = None) -> Table:
    """Responders against non-responders, one row per variable, with the test and p-value."""
    words = _words(words)

    def value(v: float, kind: str) -> str:
        if v != v:  # NaN: nominal variables have no single value
            return words.say("appendix-see-test")
        return words.percent(v) if kind == "binary" else words.decimal(v, 1)

    def p(value: float) -> str:
        return words.pvalue(value).removeprefix("p ").removeprefix("= ")

    rows = pd.DataFrame(
        {
            words.say("appendix-col-variable"): [
                _attrition_label(row, words) for row in tests.itertuples(index=False)
            ],
            words.say("appendix-col-answered"): [
                value(v, k) for v, k in zip(tests["value_responded"], tests["kind"], strict=True)
            ],
            words.say("appendix-col-did-not"): [
                value(v, k)
                for v, k in zip(tests["value_not_responded"], tests["kind"], strict=True)
            ],
            words.say("appendix-col-n-answered"): [
                f"{words.decimal(a)} / {words.decimal(b)}"
                for a, b in zip(tests["n_responded"], tests["n_not_responded"], strict=True)
            ],
            words.say("appendix-col-test"): [
                words.say(f"appendix-test-{t}") for t in tests["test"]
            ],
            "p": [p(v) for v in tests["p_value"]],
        }
    )
    return Table(rows)


def retention_table(records: pd.DataFrame, words: Words | None = None) -> Table:
    """Share of each wave's respondents who answered the next wave."""
    words = _words(words)
    unit = words.percent(0).replace("0", "")
    rows = pd.DataFrame(
        {
            words.say("appendix-col-from-to"): records["wave"].str.replace("->", " → "),
            words.say("appendix-col-respondents"): [words.decimal(n) for n in records["n"]],
            words.say("appendix-col-next-wave"): [words.percent(v) for v in records["value"]],
            words.say("appendix-col-interval"): [
                words.bounds(lo, hi, unit)
                for lo, hi in zip(records["ci_low"], records["ci_high"], strict=True)
            ],
        }
    )
    return Table(rows)
