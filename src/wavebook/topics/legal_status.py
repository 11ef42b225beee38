"""How stable respondents feel their rights are in the host country (``rights_stability``).

The share who feel their rights are stable is the codebook cut (4–5 on the 1–5 scale); the
country breakdown, its test and its facts come from :mod:`wavebook.topics.host_country`.
This module adds the full answer distribution by country (aggregates only), its chart (drawn
in every language) and the facts of the scale for the chapter's words.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from wavebook import charts, estimates
from wavebook.codebook import HARD_TO_SAY, Codebook, Variable
from wavebook.topics import host_country as hc
from wavebook.words import Words, bilingual

# Diverging colours from "not stable at all" to "very stable", grey for "hard to say".
SCALE_COLOURS = ["#b23a48", "#e08a7e", "#d9d9d9", "#7fa7d1", "#1f5a96"]
HARD_TO_SAY_COLOUR = "#8c8c8c"


def answer_codes(var: Variable) -> list[int | str]:
    """The codes of ``var`` in codebook order, then 98 where "hard to say" is allowed."""
    return [c.code for c in var.codes] + ([HARD_TO_SAY] if var.hard_to_say else [])


def distribution_records(
    resp: pd.DataFrame, var: Variable, wave: int, codebook: Codebook
) -> list[dict]:
    """Share of every answer (98 included) overall and in each country group, wave ``wave``.

    Sample and groups as in :func:`host_country.breakdown` (combined sample of ``wave``,
    respondents abroad, small countries folded). Keys
    ``<var>_dist_w<wave>_<group>_<code>``; subgroups ``all;answer=<code>`` or
    ``country=<name>;answer=<code>``. A group is withheld for every answer when it is withheld
    for any (its n is the same for every answer), with secondary suppression across groups.
    Empty when the wave did not ask ``var``.
    """
    if not estimates.asked(resp, var, wave):
        return []
    frame = hc.abroad_sample(resp, wave)
    group = hc.country_of(frame, codebook)
    values = frame[var.name]
    sample = f"combined_w{wave}"
    out = []
    for code in answer_codes(var):
        hit = (values == code).astype("float64").where(values.notna())
        out.append(
            estimates.share_record(
                hit,
                key=f"{var.name}_dist_w{wave}_all_{code}",
                construct=var.name,
                wave=wave,
                sample=sample,
                subgroup=f"all;answer={code}",
                answers=var.answers([code]),
            )
        )
        out.extend(
            estimates.protect_partition(
                [
                    estimates.share_record(
                        hit[group == g],
                        key=f"{var.name}_dist_w{wave}_{hc.GROUP}_{g}_{code}",
                        construct=var.name,
                        wave=wave,
                        sample=sample,
                        subgroup=f"{hc.GROUP}={g};answer={code}",
                        answers=var.answers([code]),
                    )
                    for g in group.cat.categories
                ]
            )
        )
    return out


def distribution_frame(
    records: list[dict] | pd.DataFrame, var: Variable, words: Words | None = None
) -> pd.DataFrame:
    """The shown distribution records as a chart frame: ``group``, ``answer`` (label),
    ``code``, ``value``, ``ci_low``, ``ci_high``, ``n`` (one row per group and answer), the
    groups and answers named in the language of ``words`` (English by default)."""
    words = words or Words("en")
    rows = hc.as_frame(records)
    rows = rows[~rows["suppressed"]].copy()
    parts = rows["subgroup"].str.split(";answer=", n=1, expand=True)
    groups = parts[0].str.removeprefix(f"{hc.GROUP}=").replace({"all": hc.ALL_COUNTRIES})
    keys = hc.group_keys(words.codebook) if words.codebook is not None else {}
    rows["group"] = groups.map(lambda g: words.label(keys[g], "short") if g in keys else g)
    rows["code"] = parts[1].astype(int)
    rows["answer"] = rows["code"].map(lambda code: words.label(f"{var.name}:{code}", "short"))
    columns = ["group", "answer", "code", "value", "ci_low", "ci_high", "n"]
    return rows[columns].round({"value": 1, "ci_low": 1, "ci_high": 1}).reset_index(drop=True)


def stacked_distribution(
    data: pd.DataFrame,
    var: Variable,
    name: str,
    group_order: list[str],
    words: Words | None = None,
) -> charts.Figure:
    """Horizontal stacked bars: the answer distribution of each group, in ``group_order``
    (group names as in ``data``).

    Generic (any ordinal item by any grouping): a candidate for :mod:`wavebook.charts`.
    """
    words = words or Words("en")
    answers = [words.label(f"{var.name}:{code}", "short") for code in answer_codes(var)]
    colours = SCALE_COLOURS[: len(var.codes)] + [HARD_TO_SAY_COLOUR] * var.hard_to_say
    order = [g for g in group_order if g in set(data["group"])]
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("group:N", title=None, sort=order),
            x=alt.X(
                "value:Q",
                title=words.say("legal-status-axis-answers"),
                stack="zero",
                scale=alt.Scale(domain=[0, 100]),
            ),
            color=alt.Color(
                "answer:N",
                title=None,
                sort=answers,
                scale=alt.Scale(domain=answers, range=colours),
                legend=alt.Legend(columns=3, labelLimit=300),
            ),
            order=alt.Order("code:Q"),
            tooltip=[
                alt.Tooltip("group:N", title=words.say("chart-group")),
                alt.Tooltip("answer:N", title=words.say("legal-status-chart-answer")),
                *charts.estimate_tooltips(words)[:3],
                alt.Tooltip("n:Q", title=words.say("legal-status-chart-group-n"), format=","),
            ],
        )
        .properties(width=440, height=max(120, 24 * len(order)))
    )
    return charts.Figure(chart, data, name, words=words)


def distribution_figure(records: list[dict] | pd.DataFrame, result: hc.Breakdown, name: str):
    """The stacked distribution by country in every language (all countries first, then
    countries in the order of the share who feel stable); an empty text when nothing can be
    shown (the chapter leaves the figure out with ``{when}``)."""
    rows = hc.as_frame(records)
    if rows.empty or bool(rows["suppressed"].all()):
        return ""
    var = result.var
    order = [
        hc.ALL_COUNTRIES,
        *hc.shown_groups(result.shares).sort_values("value", ascending=False)["group"],
    ]

    def draw(words: Words):
        keys = result.keys
        names = [words.label(keys[g], "short") if g in keys else g for g in order]
        return stacked_distribution(distribution_frame(rows, var, words), var, name, names, words)

    return bilingual(draw)


def scale_fact(var: Variable) -> dict[str, Any]:
    """The scale of ``var`` from the codebook: the ends (``first`` / ``last`` as keys, with
    their ``*_code``), ``points`` (how many), the codes counted in the share (``cut``, keys,
    with ``cut_from`` / ``cut_to`` codes) and the two lowest answers (``low``, keys, with
    ``low_codes`` for :func:`wavebook.topics.host_country.code_shares_by_wave`).

    >>> from wavebook.codebook import Variable
    >>> v = Variable(name="r", type="ordinal", label_en="R", label_ru="R", waves=[3],
    ...              codes=[{"code": c, "en": str(c), "ru": str(c)} for c in range(1, 6)],
    ...              share_cut=[4, 5])
    >>> f = scale_fact(v)
    >>> f["first"], f["points"], f["cut"], f["cut_from"], f["low"]
    ('r:1', 5, ['r:4', 'r:5'], 4, ['r:1', 'r:2'])
    """
    first, last = var.codes[0], var.codes[-1]
    cut = list(var.share_cut or [])
    low = [c.code for c in var.codes[:2]]
    return {
        "first": f"{var.name}:{first.code}",
        "first_code": first.code,
        "last": f"{var.name}:{last.code}",
        "last_code": last.code,
        "points": len(var.codes),
        "cut": hc.answer_keys(var, cut),
        "cut_from": min(cut),
        "cut_to": max(cut),
        "low": hc.answer_keys(var, low),
        "low_codes": low,
    }
