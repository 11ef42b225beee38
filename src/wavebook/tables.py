"""Reader tables: one object that shows as HTML on the site and as Markdown in the PDF.

myst-nb would treat a pandas LaTeX table as mathematics and break the PDF, so a table offers
``text/html`` and ``text/markdown`` (parsed as GitHub-flavoured Markdown) and nothing else.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from wavebook.codebook import Codebook


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    return str(value)


EMPTY_NOTE = "Nothing to show in this edition."


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


def waves_table(waves: pd.DataFrame) -> Table:
    """Registered waves: label, field period, rows delivered, respondents kept."""
    rows = pd.DataFrame(
        {
            "Wave": waves["label"],
            "Fieldwork": waves["field_start"].astype(str) + " – " + waves["field_end"].astype(str),
            "Rows delivered": waves["delivered"].map("{:,}".format),
            "Eligible respondents": waves["eligible"].map("{:,}".format),
        }
    )
    return Table(rows, align=["left", "left", "right", "right"])


def flow_table(flow: pd.DataFrame) -> Table:
    """The exclusion flow: rows delivered, removed by each rule, and kept; a column per wave."""
    order = list(dict.fromkeys(flow["rule"]))
    counts = flow.assign(
        shown=flow["excluded"].where(flow["rule"] != "delivered", flow["remaining"])
    )
    wide = counts.pivot(index="rule", columns="wave", values="shown").reindex(order)
    kept = flow.groupby("wave")["remaining"].last()
    wide.loc["eligible respondents kept"] = kept
    rows = wide.map(lambda n: f"{int(n):,}").reset_index()
    rows.columns = ["Step", *[f"Wave {w}" for w in wide.columns]]
    rows["Step"] = rows["Step"].map(lambda text: text[:1].upper() + text[1:])
    rows.loc[1 : len(order) - 1, "Step"] = "− " + rows.loc[1 : len(order) - 1, "Step"]
    return Table(rows)


def overlap_table(overlaps: pd.DataFrame) -> Table:
    """Panel samples and their sizes."""
    rows = pd.DataFrame(
        {
            "Sample code (estimates.csv)": overlaps["sample"],
            "Answered waves": overlaps["waves"].map(lambda ws: ", ".join(str(w) for w in ws)),
            "Respondents": overlaps["n"].map("{:,}".format),
        }
    )
    return Table(rows, align=["left", "left", "right"])


def codebook_table(
    codebook: Codebook, asked: Mapping[str, Sequence[int]], waves: Sequence[int]
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
    waves = [int(w) for w in waves]
    names = [v.name for v in codebook.variables]
    marks = {w: ["✔" if w in asked.get(name, ()) else "" for name in names] for w in waves}
    rows = pd.DataFrame(
        {
            "Variable": [
                f"{v.name} ({'derived ' if v.derived else ''}{v.type})" for v in codebook.variables
            ],
            "Question": [v.label_en for v in codebook.variables],
            "Вопрос": [v.label_ru for v in codebook.variables],
            **{f"W{w}": marks[w] for w in waves},
        }
    )
    return Table(rows, align=["left", "left", "left", *["center"] * len(waves)])


def attrition_table(tests: pd.DataFrame) -> Table:
    """Responders against non-responders, one row per variable, with the test and p-value."""

    def value(v: float, kind: str) -> str:
        if v != v:  # NaN: nominal variables have no single value
            return "see test"
        return f"{v:.0f}%" if kind == "binary" else f"{v:.1f}"

    names = {
        "chi2": "chi-square",
        "fisher": "Fisher",
        "mann_whitney": "Mann–Whitney",
        "welch_t": "Welch t",
    }
    rows = pd.DataFrame(
        {
            "Variable": tests["label"],
            "Answered next wave": [
                value(v, k) for v, k in zip(tests["value_responded"], tests["kind"], strict=True)
            ],
            "Did not": [
                value(v, k)
                for v, k in zip(tests["value_not_responded"], tests["kind"], strict=True)
            ],
            "n (answered / not)": [
                f"{a:,} / {b:,}"
                for a, b in zip(tests["n_responded"], tests["n_not_responded"], strict=True)
            ],
            "Test": tests["test"].map(names),
            "p": tests["p_value"].map(lambda p: "< 0.001" if p < 0.001 else f"{p:.3f}"),
        }
    )
    return Table(rows)


def retention_table(records: pd.DataFrame) -> Table:
    """Share of each wave's respondents who answered the next wave."""
    rows = pd.DataFrame(
        {
            "From wave to wave": records["wave"].str.replace("->", " → "),
            "Respondents": records["n"].map("{:,}".format),
            "Answered the next wave": records["value"].map("{:.0f}%".format),
            "95% interval": [
                f"{lo:.0f}–{hi:.0f}%"
                for lo, hi in zip(records["ci_low"], records["ci_high"], strict=True)
            ],
        }
    )
    return Table(rows)
