"""Reader tables: one object that shows as HTML on the site and as Markdown in the PDF.

myst-nb would treat a pandas LaTeX table as mathematics and break the PDF, so a table offers
``text/html`` and ``text/markdown`` (parsed as GitHub-flavoured Markdown) and nothing else.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from wavebook.codebook import Codebook


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    return str(value)


class Table:
    """A small formatted table (all cells already formatted as text)."""

    def __init__(self, rows: pd.DataFrame, align: list[str] | None = None) -> None:
        self.rows = rows.reset_index(drop=True)
        self.align = align or ["left"] + ["right"] * (rows.shape[1] - 1)

    def markdown(self) -> str:
        header = "| " + " | ".join(str(c) for c in self.rows.columns) + " |"
        marks = {"left": ":--", "right": "--:", "center": ":-:"}
        rule = "| " + " | ".join(marks[a] for a in self.align) + " |"
        body = ["| " + " | ".join(_cell(v).replace("|", "\\|") for v in row) + " |"
                for row in self.rows.itertuples(index=False)]
        return "\n".join([header, rule, *body])

    def html(self) -> str:
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in self.rows.columns)
        body = "".join(
            "<tr>" + "".join(
                f'<td class="wb-{a}">{html.escape(_cell(v))}</td>' for v, a in zip(
                    row, self.align, strict=True)) + "</tr>"
            for row in self.rows.itertuples(index=False)
        )
        return (f'<table class="wavebook-table"><thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>")

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/html": self.html(), "text/markdown": self.markdown(),
                "text/plain": self.markdown()}


def waves_table(waves: pd.DataFrame) -> Table:
    """Registered waves: label, field period, rows delivered, respondents kept."""
    rows = pd.DataFrame({
        "Wave": waves["label"],
        "Fieldwork": waves["field_start"].astype(str) + " – " + waves["field_end"].astype(str),
        "Rows delivered": waves["delivered"].map("{:,}".format),
        "Eligible respondents": waves["eligible"].map("{:,}".format),
    })
    return Table(rows, align=["left", "left", "right", "right"])


def flow_table(flow: pd.DataFrame) -> Table:
    """The exclusion flow: rows delivered, removed by each rule, and kept; a column per wave."""
    order = list(dict.fromkeys(flow["rule"]))
    counts = flow.assign(shown=flow["excluded"].where(flow["rule"] != "delivered",
                                                      flow["remaining"]))
    wide = counts.pivot(index="rule", columns="wave", values="shown").reindex(order)
    kept = flow.groupby("wave")["remaining"].last()
    wide.loc["eligible respondents kept"] = kept
    rows = wide.map(lambda n: f"{int(n):,}").reset_index()
    rows.columns = ["Step", *[f"Wave {w}" for w in wide.columns]]
    rows["Step"] = rows["Step"].map(lambda text: text[:1].upper() + text[1:])
    rows.loc[1:len(order) - 1, "Step"] = "− " + rows.loc[1:len(order) - 1, "Step"]
    return Table(rows)


def overlap_table(overlaps: pd.DataFrame) -> Table:
    """Panel samples and their sizes."""
    rows = pd.DataFrame({
        "Sample": overlaps["sample"],
        "Answered waves": overlaps["waves"].map(lambda ws: ", ".join(str(w) for w in ws)),
        "Respondents": overlaps["n"].map("{:,}".format),
    })
    return Table(rows, align=["left", "left", "right"])


def codebook_table(codebook: Codebook, last_wave: int) -> Table:
    """Variables × waves: which wave asked what, with labels in English and Russian."""
    waves = range(1, last_wave + 1)
    rows = pd.DataFrame({
        "Variable": [f"{v.name} ({'derived ' if v.derived else ''}{v.type})"
                     for v in codebook.variables],
        "Question": [v.label_en for v in codebook.variables],
        "Вопрос": [v.label_ru for v in codebook.variables],
        **{f"W{w}": ["✔" if w in v.waves else "" for v in codebook.variables] for w in waves},
    })
    return Table(rows, align=["left", "left", "left", *["center"] * len(waves)])
