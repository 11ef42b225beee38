"""How stable respondents feel their rights are in the host country (``rights_stability``).

The share who feel their rights are stable is the codebook cut (4–5 on the 1–5 scale); the
country breakdown, its test and its sentences come from :mod:`wavebook.topics.host_country`.
This module adds the full answer distribution by country (aggregates only) and its chart.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from wavebook import charts, estimates
from wavebook import report as wr
from wavebook.codebook import HARD_TO_SAY, Codebook, Variable
from wavebook.topics import host_country as hc

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


def distribution_frame(records: list[dict] | pd.DataFrame, var: Variable) -> pd.DataFrame:
    """The shown distribution records as a chart frame: ``group``, ``answer`` (label),
    ``code``, ``value``, ``ci_low``, ``ci_high``, ``n`` (one row per group and answer)."""
    rows = hc.as_frame(records)
    rows = rows[~rows["suppressed"]].copy()
    parts = rows["subgroup"].str.split(";answer=", n=1, expand=True)
    rows["group"] = parts[0].str.removeprefix(f"{hc.GROUP}=").replace({"all": hc.ALL_COUNTRIES})
    rows["code"] = parts[1].astype(int)
    rows["answer"] = rows["code"].map(var.label)
    columns = ["group", "answer", "code", "value", "ci_low", "ci_high", "n"]
    return rows[columns].round({"value": 1, "ci_low": 1, "ci_high": 1}).reset_index(drop=True)


def stacked_distribution(
    data: pd.DataFrame, var: Variable, name: str, group_order: list[str]
) -> charts.Figure:
    """Horizontal stacked bars: the answer distribution of each group, in ``group_order``.

    Generic (any ordinal item by any grouping): a candidate for :mod:`wavebook.charts`.
    """
    answers = [var.label(code) for code in answer_codes(var)]
    colours = SCALE_COLOURS[: len(var.codes)] + [HARD_TO_SAY_COLOUR] * var.hard_to_say
    order = [g for g in group_order if g in set(data["group"])]
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("group:N", title=None, sort=order),
            x=alt.X(
                "value:Q",
                title="Share of answers, %",
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
                alt.Tooltip("group:N", title="Group"),
                alt.Tooltip("answer:N", title="Answer"),
                alt.Tooltip("value:Q", title="Share, %"),
                alt.Tooltip("ci_low:Q", title="95% CI from"),
                alt.Tooltip("ci_high:Q", title="95% CI to"),
                alt.Tooltip("n:Q", title="n (group)", format=","),
            ],
        )
        .properties(width=440, height=max(120, 24 * len(order)))
    )
    return charts.Figure(chart, data, name)


def distribution_figure(records: list[dict] | pd.DataFrame, result: hc.Breakdown, name: str):
    """The stacked distribution by country (all countries first, then countries in the order
    of the share who feel stable), or the "not asked" note."""
    var = result.var
    order = [
        hc.ALL_COUNTRIES,
        *hc.shown_groups(result.shares).sort_values("value", ascending=False)["group"],
    ]
    return hc.figure_or_note(
        records,
        wr.not_asked(var.label_en, result.wave),
        lambda rows: stacked_distribution(distribution_frame(records, var), var, name, order),
    )


def scale_text(var: Variable) -> str:
    """The answer scale in words, from the codebook: ``'1 = not stable at all … 5 = very
    stable'``."""
    first, last = var.codes[0], var.codes[-1]
    return f"{first.code} = {first.en.lower()} … {last.code} = {last.en.lower()}"


def cut_text(var: Variable) -> str:
    """The answers counted as "stable", from the codebook cut: ``'4 or 5 (rather stable,
    very stable)'``."""
    codes = " or ".join(str(c) for c in var.share_cut)
    labels = ", ".join(var.label(c).lower() for c in var.share_cut)
    return f"{codes} ({labels})"


def stable_sentence(stable: hc.Records, var: Variable, wave: int) -> str:
    """The key finding: the "stable" share of ``wave``, or one note saying the wave did not
    ask the question (the chapter's only such note)."""
    stable_rows = hc.as_frame(stable)
    if not (stable_rows["wave"] == str(wave)).any():
        return (
            f"Wave {wave} did not ask how stable respondents feel their rights are, so this "
            f"edition has no results for the chapter."
        )
    return (
        f"In wave {wave}, {hc.share_in_wave(stable_rows, var, wave)} of respondents felt "
        f"their rights in the host country were stable."
    )


def unstable_sentence(stable: hc.Records, unstable: hc.Records, var: Variable, wave: int) -> str:
    """The body's sentence: the "stable" share beside the share at the two lowest points of
    the scale; empty when the wave did not ask the question."""
    stable_rows = hc.as_frame(stable)
    if not (stable_rows["wave"] == str(wave)).any():
        return ""
    low = " or ".join(f"«{var.label(c.code).lower()}»" for c in var.codes[:2])
    stable_share = stable_rows[stable_rows["wave"] == str(wave)].iloc[-1]
    return (
        f"Against the {wr.pct(stable_share['value'])} who felt stable, "
        f"{hc.share_in_wave(unstable, var, wave)} answered {low}; the rest chose the "
        f"middle of the scale or could not say."
    )


def country_note(result: hc.Breakdown) -> str:
    """What the country test does and does not say; empty when the wave did not ask."""
    if not result.asked:
        return ""
    return (
        f"The {result.method} asks whether the share who feel stable is the same in every "
        f"country group; it says nothing about why a country stands out. The countries differ "
        f"in who moved there as well as in their rules: a country that gives residence easily "
        f"may also have drawn people with particular jobs or plans."
    )
