"""Charts that work offline and carry aggregates only.

An :class:`Figure` displays as HTML (a placeholder that the site's small loader script,
``book/_static/wavebook-charts.js``, hands to ``vegaEmbed`` from the vendored Vega bundle) and
offers its data as a CSV download. It also carries its Vega-Lite spec (:data:`VEGA_LITE`):
the build draws it as a vector PDF for the PDF book, at PDF time only (:func:`spec_pdf`), so an
execution draws no image. The chart
refuses frames that carry ``resp_id`` or more rows than an aggregate can have, because every
browser-side renderer embeds all rows it is given.
"""

from __future__ import annotations

import base64
import html
import io
import json
from typing import Any

import altair as alt
import pandas as pd

from wavebook.outputs import DRAWING_PDF, VEGA_LITE
from wavebook.words import Words

MAX_AGGREGATE_ROWS = 500
FORBIDDEN_COLUMNS = ("resp_id",)
PALETTE = ["#1f5a96", "#d9822b", "#3a8f5c", "#8e4b9e", "#b23a48", "#6b6b6b"]
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"


class PrivacyError(ValueError):
    """A chart was handed respondent-level data."""


def check_aggregate(frame: pd.DataFrame, max_rows: int = MAX_AGGREGATE_ROWS) -> pd.DataFrame:
    """Return ``frame`` if it can only be an aggregate; raise :class:`PrivacyError` otherwise."""
    leaked = [c for c in frame.columns if c in FORBIDDEN_COLUMNS]
    if leaked:
        raise PrivacyError(f"chart data must be aggregated: it carries {', '.join(leaked)}")
    if len(frame) > max_rows:
        raise PrivacyError(
            f"chart data has {len(frame)} rows, more than an aggregate may ({max_rows})"
        )
    return frame


# d3 number formats of each language (Vega-Lite's config.locale), for axes and tooltips
NUMBER_LOCALES = {
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
    "ru": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0₽"]},
}


def _words(words: Words | None) -> Words:
    return words if words is not None else Words("en")


def theme(lang: str = "en") -> dict[str, Any]:
    """The house style as a Vega-Lite config, with the language's number format."""
    return {
        "locale": {"number": NUMBER_LOCALES[lang]},
        "font": FONT,
        "view": {"stroke": None, "continuousWidth": 520, "continuousHeight": 280},
        "axis": {
            "labelFontSize": 12,
            "titleFontSize": 12,
            "gridColor": "#e6e6e6",
            "domainColor": "#888",
            "tickColor": "#888",
        },
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
        "range": {"category": PALETTE},
        "background": "white",
    }


def _json_for_script(spec: dict) -> str:
    # "</" would end the <script> element early
    return json.dumps(spec, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


# An output type of our own: the chart's Vega-Lite spec, which the build turns into a vector
# PDF for the PDF book (and drops from HTML pages, which draw it from text/html).


def spec_pdf(spec: dict) -> bytes:
    """The chart as a vector PDF (vl-convert; fonts embedded, text selectable)."""
    import vl_convert as vlc

    return vlc.vegalite_to_pdf(spec)


def _png(spec: dict, scale: float) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(spec, scale=scale)


class Figure:
    """An Altair chart bound to its aggregate data, displayable in HTML and in the PDF.

    Parameters
    ----------
    chart
        An Altair chart built on ``data`` (and nothing else).
    data
        The aggregate frame the chart draws; offered to readers as CSV.
    name
        A stable identifier, e.g. ``fig-trust-share`` (used for the element id and the CSV).
    """

    def __init__(
        self,
        chart: alt.TopLevelMixin,
        data: pd.DataFrame,
        name: str,
        scale: float = 2.0,
        words: Words | None = None,
    ) -> None:
        self.data = check_aggregate(data)
        self.name = name
        self.scale = scale
        self.words = _words(words)
        self.spec = chart.configure(**theme(self.words.lang)).to_dict()
        for dataset in self.spec.get("datasets", {}).values():
            check_aggregate(pd.DataFrame(dataset))

    def csv(self) -> str:
        return self.data.to_csv(index=False, lineterminator="\n")

    def html(self) -> str:
        payload = base64.b64encode(self.csv().encode("utf-8")).decode("ascii")
        name = html.escape(self.name)
        return (
            f'<div class="wavebook-figure">'
            f'<div class="wavebook-chart" id="{name}-chart" role="img"></div>'
            f'<script type="application/json" class="wavebook-chart-spec">'
            f"{_json_for_script(self.spec)}</script>"
            f'<p class="wavebook-chart-data"><a download="{name}.csv" '
            f'href="data:text/csv;charset=utf-8;base64,{payload}">'
            f"{html.escape(self.words.say('chart-data-link'))}</a></p></div>"
        )

    def png(self) -> bytes:
        return _png(self.spec, self.scale)

    def pdf(self) -> bytes:
        return spec_pdf(self.spec)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        return {
            "text/html": self.html(),
            VEGA_LITE: self.spec,
            "text/plain": f"<Figure {self.name}>",
        }


class StaticFigure:
    """A matplotlib/seaborn figure: a PNG for the page, a vector PDF drawing for the PDF book
    (:data:`DRAWING_PDF`, kept only when a PDF is built), its aggregate as CSV."""

    def __init__(
        self,
        figure: Any,
        data: pd.DataFrame,
        name: str,
        dpi: int = 150,
        words: Words | None = None,
    ) -> None:
        import matplotlib.pyplot as plt

        self.data = check_aggregate(data)
        self.name = name
        self.words = _words(words)
        buffer = io.BytesIO()
        figure.savefig(
            buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None}
        )
        self._png = buffer.getvalue()
        drawing = io.BytesIO()  # no creation date: the same figure gives the same bytes
        figure.savefig(drawing, format="pdf", bbox_inches="tight", metadata={"CreationDate": None})
        plt.close(figure)
        self._pdf = drawing.getvalue()

    def png(self) -> bytes:
        return self._png

    def html(self) -> str:
        image = base64.b64encode(self._png).decode("ascii")
        payload = base64.b64encode(
            self.data.to_csv(index=False, lineterminator="\n").encode("utf-8")
        ).decode("ascii")
        name = html.escape(self.name)
        return (
            f'<div class="wavebook-figure"><img class="wavebook-static" alt="{name}" '
            f'src="data:image/png;base64,{image}"/>'
            f'<p class="wavebook-chart-data"><a download="{name}.csv" '
            f'href="data:text/csv;charset=utf-8;base64,{payload}">'
            f"{html.escape(self.words.say('chart-data-link'))}</a></p></div>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        return {
            "text/html": self.html(),
            "image/png": self._png,
            DRAWING_PDF: base64.b64encode(self._pdf).decode("ascii"),
            "text/plain": f"<StaticFigure {self.name}>",
        }


def vega_bundle() -> str:
    """The vendored Vega/Vega-Lite/vega-embed bundle, wrapped so it defines only its exports.

    vl-convert's bundle is a classic script with top-level declarations (such as ``const _``)
    that clash with Sphinx's own scripts; a function scope keeps them private, and the bundle's
    last statements publish ``window.vegaEmbed``, ``window.vega`` and ``window.vegaLite``.
    """
    import vl_convert as vlc

    return (
        "/* Vega, Vega-Lite, vega-embed (BSD-3-Clause), bundled by vl-convert */\n"
        "(function () {\n" + vlc.javascript_bundle() + "\n})();\n"
    )


# --- house-style figures from estimate records ---------------------------------------------------
def sample_label(sample: str, words: Words | None = None) -> str:
    """A reader's name for a sample code (:meth:`Words.sample_label`), in English by default."""
    return _words(words).sample_label(sample)


def estimate_tooltips(words: Words | None = None) -> list[alt.Tooltip]:
    """The tooltip lines every share chart ends with: the share, its interval and n."""
    words = _words(words)
    return [
        alt.Tooltip("value:Q", title=words.say("chart-share")),
        alt.Tooltip("ci_low:Q", title=words.say("chart-ci-from")),
        alt.Tooltip("ci_high:Q", title=words.say("chart-ci-to")),
        alt.Tooltip("n:Q", title="n", format=","),
    ]


def _shown(records: pd.DataFrame, words: Words | None = None) -> pd.DataFrame:
    """Records a chart may draw: withheld cells are left out."""
    shown = records[~records["suppressed"].astype(bool)].copy()
    shown["sample_label"] = shown["sample"].map(lambda code: sample_label(code, words))
    return shown


def _wave_labels(waves: pd.Series, words: Words) -> pd.Series:
    return waves.map(lambda wave: words.say("wave-label", {"number": int(wave)}))


def share_by_wave(
    records: pd.DataFrame, name: str, title_y: str, words: Words | None = None
) -> Figure:
    """Shares with 95% intervals by wave, one colour per sample."""
    words = _words(words)
    shown = _shown(records[records["statistic"] == "share"], words)
    data = shown[["wave", "sample", "sample_label", "value", "ci_low", "ci_high", "n"]].copy()
    data["wave_label"] = _wave_labels(data["wave"], words)
    data = data.round({"value": 1, "ci_low": 1, "ci_high": 1})
    base = alt.Chart(data).encode(
        x=alt.X("wave_label:N", title=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("sample_label:N"),
        color=alt.Color(
            "sample_label:N",
            title=words.say("chart-sample"),
            legend=alt.Legend(labelLimit=400, direction="vertical"),
        ),
    )
    bars = base.mark_rule(strokeWidth=2).encode(
        y=alt.Y("ci_low:Q", title=title_y, scale=alt.Scale(domain=[0, 100])),
        y2="ci_high:Q",
    )
    points = base.mark_point(filled=True, size=70).encode(
        y="value:Q",
        tooltip=[
            alt.Tooltip("wave_label:N", title=words.say("chart-wave")),
            alt.Tooltip("sample_label:N", title=words.say("chart-sample")),
            *estimate_tooltips(words),
        ],
    )
    chart = (bars + points).properties(width=480, height=280)
    return Figure(chart, data.drop(columns=["wave_label"]), name, words=words)


def share_bars(records: pd.DataFrame, name: str, title_x: str) -> StaticFigure:
    """A static (seaborn) bar chart of shares by subgroup with 95% intervals."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    shown = _shown(records)
    data = shown[["subgroup", "value", "ci_low", "ci_high", "n"]].reset_index(drop=True)
    data["group"] = data["subgroup"].str.split("=", n=1).str[1]
    sns.set_theme(style="whitegrid", font="DejaVu Sans")
    fig, ax = plt.subplots(figsize=(6.4, 0.45 * max(len(data), 2) + 1.0))
    sns.barplot(data=data, y="group", x="value", color=PALETTE[0], ax=ax, orient="h")
    ax.errorbar(
        x=data["value"],
        y=range(len(data)),
        xerr=[data["value"] - data["ci_low"], data["ci_high"] - data["value"]],
        fmt="none",
        ecolor="#333",
        capsize=3,
        linewidth=1,
    )
    for i, row in data.iterrows():
        ax.text(1, i, f"n = {int(row['n']):,}", va="center", ha="left", fontsize=8, color="white")
    ax.set(xlim=(0, 100), xlabel=title_x, ylabel=None)
    sns.despine(ax=ax, left=True)
    return StaticFigure(fig, data.drop(columns=["group"]), name)


def respondents_by_wave(composition: pd.DataFrame, name: str) -> Figure:
    """Stacked bars: respondents of each wave, newcomers and those who answered before."""
    data = composition.copy()
    data["wave_label"] = "Wave " + data["wave"].astype(str)
    data["group_label"] = data["group"].map(
        {"new": "First time in the survey", "returning": "Answered an earlier wave"}
    )
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("wave_label:N", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("n:Q", title="Respondents", stack="zero"),
            color=alt.Color(
                "group_label:N",
                title=None,
                sort=["Answered an earlier wave", "First time in the survey"],
            ),
            order=alt.Order("group:N", sort="descending"),
            tooltip=[
                alt.Tooltip("wave_label:N", title="Wave"),
                alt.Tooltip("group_label:N", title="Group"),
                alt.Tooltip("n:Q", title="Respondents", format=","),
            ],
        )
        .properties(width=420, height=260)
    )
    return Figure(chart, data.drop(columns=["wave_label"]), name)


def share_by_group(
    records: pd.DataFrame,
    name: str,
    title_x: str,
    sort_by_value: bool = True,
    words: Words | None = None,
) -> Figure:
    """Shares by subgroup (e.g. country) as points with 95% intervals, largest first."""
    words = _words(words)
    shown = _shown(records[records["statistic"] == "share"], words)
    data = shown[["subgroup", "value", "ci_low", "ci_high", "n"]].copy()
    data["group"] = data["subgroup"].str.split("=", n=1).str[1]
    data = data.round({"value": 1, "ci_low": 1, "ci_high": 1})
    order = (
        data.sort_values("value", ascending=False)["group"].tolist()
        if sort_by_value
        else data["group"].tolist()
    )
    base = alt.Chart(data).encode(y=alt.Y("group:N", title=None, sort=order))
    rules = base.mark_rule(strokeWidth=2, color=PALETTE[0]).encode(
        x=alt.X("ci_low:Q", title=title_x, scale=alt.Scale(domain=[0, 100])), x2="ci_high:Q"
    )
    points = base.mark_point(filled=True, size=70, color=PALETTE[0]).encode(
        x="value:Q",
        tooltip=[
            alt.Tooltip("group:N", title=words.say("chart-group")),
            *estimate_tooltips(words),
        ],
    )
    chart = (rules + points).properties(width=440, height=max(120, 26 * len(data)))
    return Figure(chart, data.drop(columns=["group"]), name, words=words)


def items_by_wave(
    records: pd.DataFrame,
    labels: dict[str, str] | None,
    name: str,
    title_y: str,
    words: Words | None = None,
) -> Figure:
    """Several items (one colour each) across waves, shares with 95% intervals.

    ``labels`` maps a record's ``construct`` to its reader-facing label; without it, the
    codebook's short label in the figure's language.
    """
    words = _words(words)
    shown = _shown(records[records["statistic"] == "share"], words)
    data = shown[["construct", "wave", "sample", "value", "ci_low", "ci_high", "n"]].copy()
    data["item"] = data["construct"].map(
        labels if labels is not None else (lambda key: words.label(key, "short"))
    )
    data["wave_label"] = _wave_labels(data["wave"], words)
    data = data.round({"value": 1, "ci_low": 1, "ci_high": 1})
    base = alt.Chart(data).encode(
        x=alt.X("wave_label:N", title=None, axis=alt.Axis(labelAngle=0)),
        color=alt.Color(
            "item:N", title=None, legend=alt.Legend(labelLimit=400, direction="vertical")
        ),
    )
    lines = base.mark_line(strokeWidth=1.5, opacity=0.6).encode(y="value:Q")
    rules = base.mark_rule(strokeWidth=2).encode(
        y=alt.Y("ci_low:Q", title=title_y, scale=alt.Scale(domain=[0, 100])), y2="ci_high:Q"
    )
    points = base.mark_point(filled=True, size=60).encode(
        y="value:Q",
        tooltip=[
            alt.Tooltip("item:N", title=words.say("chart-item")),
            alt.Tooltip("wave_label:N", title=words.say("chart-wave")),
            *estimate_tooltips(words),
        ],
    )
    chart = (lines + rules + points).properties(width=440, height=300)
    return Figure(chart, data.drop(columns=["wave_label"]), name, words=words)
