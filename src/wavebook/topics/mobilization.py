"""Pre- and post-mobilization leavers compared (chapter ``mobilization``).

The comparison follows YearHalf §1 (Figs 6–8): respondents living abroad when they answered,
split by when they left Russia (:func:`wavebook.samples.departure_cohort`: up to the
announcement of 21 September 2022, or after it). Unlike the memo, which pools answers from
several waves (its footnote 6), the chapter compares the respondents of one wave, the combined
sample of the wave it is built with.

Two pieces here are generic and could move to shared modules:

* :func:`newcombe_diff_interval` — the interval of a difference of two independent
  proportions (a candidate for ``stats``);
* :func:`group_comparison` — the records of a two-group comparison: each group's share (or
  mean) with its interval and n, the difference with its interval and test, suppression of
  small groups included (a candidate for ``estimates``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd
from scipy.stats import t as sps_t

from wavebook import estimates, report, samples, stats
from wavebook.charts import PALETTE, Figure, check_aggregate, estimate_tooltips
from wavebook.clean import MOBILIZATION
from wavebook.codebook import Codebook, Variable
from wavebook.tables import Table
from wavebook.words import Words

PRE, POST = "pre_mobilization", "post_mobilization"
GROUPS = (PRE, POST)
SUBGROUPS = ("left_before_mobilization", "left_after_mobilization")
CONTRAST = "post_vs_pre"
BLOCKS = ("profile", "engagement", "repression", "fears")
NBSP = "\u00a0"  # table cells: keep "49% (48–51)" and "< 0.001" on one line where possible


# --- generic pieces ----------------------------------------------------------------------------
def newcombe_diff_interval(
    x1: float, n1: float, x2: float, n2: float, level: float = stats.LEVEL
) -> tuple[float, float]:
    """Interval for ``p2 - p1`` of two independent proportions, in percentage points.

    Source: Newcombe (1998), Stat. Med. 17:873–890, method 10 (the hybrid score interval
    built from the two Wilson intervals)::

        L = d - sqrt((p2 - l2)² + (u1 - p1)²),   U = d + sqrt((u2 - p2)² + (p1 - l1)²)

    with ``d = p2 - p1`` and ``(l, u)`` the Wilson limits of each proportion. Equals
    statsmodels ``confint_proportions_2indep(x2, n2, x1, n1, method="newcomb")``.

    Returns ``(nan, nan)`` when a group is empty. Newcombe's worked example (56/70 against
    48/80; his Table II gives 0.0524 to 0.3339 for 56/70 − 48/80):

    >>> low, high = newcombe_diff_interval(56, 70, 48, 80)
    >>> round(low, 2), round(high, 2)
    (-33.39, -5.24)
    """
    if n1 <= 0 or n2 <= 0:
        return math.nan, math.nan
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = stats.wilson_interval(x1, n1, level)
    l2, u2 = stats.wilson_interval(x2, n2, level)
    d = p2 - p1
    low = d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return 100 * low, 100 * high


def welch_diff_interval(
    first: pd.Series, second: pd.Series, level: float = stats.LEVEL
) -> tuple[float, float, float]:
    """Difference of two means (``second - first``) with its Welch interval.

    Source: Welch (1947), Biometrika 34:28–35, with the Welch–Satterthwaite degrees of
    freedom: ``d ± t(df) · sqrt(v1/n1 + v2/n2)``, ``df = (v1/n1 + v2/n2)² /
    ((v1/n1)²/(n1−1) + (v2/n2)²/(n2−1))``; equals scipy's
    ``ttest_ind(second, first, equal_var=False).confidence_interval()``.

    Returns ``(nan, nan, nan)`` when a group has fewer than two values, and the difference
    with a zero-width interval when both groups are constant.

    >>> d, low, high = welch_diff_interval(pd.Series([3, 5, 6, 8, 9, 11]),
    ...                                    pd.Series([1, 2, 3, 4, 5]))
    >>> round(d, 2), round(low, 2), round(high, 2)
    (-4.0, -7.18, -0.82)
    """
    x = pd.Series(first, dtype="float64").dropna()
    y = pd.Series(second, dtype="float64").dropna()
    if len(x) < 2 or len(y) < 2:
        return math.nan, math.nan, math.nan
    d = float(y.mean() - x.mean())
    a, b = x.var(ddof=1) / len(x), y.var(ddof=1) / len(y)
    se = math.sqrt(a + b)
    if se == 0:
        return d, d, d
    df = (a + b) ** 2 / (a**2 / (len(x) - 1) + b**2 / (len(y) - 1))
    half = float(sps_t.ppf(0.5 + level / 2, df)) * se
    return d, d - half, d + half


def group_comparison(
    values: pd.Series,
    groups: pd.Series,
    *,
    levels: tuple[str, str],
    subgroups: tuple[str, str],
    contrast: str,
    key: str,
    construct: str,
    wave: int | str,
    sample: str,
    kind: str = "share",
    answers: str = "",
    min_cell_n: int = estimates.MIN_CELL_N,
) -> pd.DataFrame:
    """Records comparing two groups on one item: each group's estimate and the contrast.

    Parameters
    ----------
    values
        0/1 answers (``kind="share"``) or numbers (``kind="mean"``; 98 is left out); NaN =
        not asked or skipped.
    groups
        Group labels aligned with ``values``; rows in neither of ``levels`` are ignored.
    levels, subgroups
        The two group labels in ``groups`` (first = the reference) and their subgroup codes.
    contrast
        Subgroup code of the contrast record (e.g. ``post_vs_pre``: second minus first).
    key, construct, wave, sample
        Record fields; keys are ``{key}_{statistic}_w{wave}_{sample}_{subgroup}``.
    kind
        ``"share"``: shares with Wilson intervals, a ``diff_pp`` contrast (second minus first)
        with the Newcombe interval (:func:`newcombe_diff_interval`) and the chi-square or
        Fisher p-value of :func:`wavebook.stats.compare_shares`. ``"mean"``: means with t
        intervals and a ``p_value`` contrast from :func:`wavebook.stats.welch_t`.
    answers
        What the shares count (``answers`` of the share and ``diff_pp`` records; see
        :mod:`wavebook.estimates`); a mean's records leave it empty.

    Returns
    -------
    pandas.DataFrame
        Three records (first group, second group, contrast) with the record columns plus
        ``test`` (the test's method) and ``gap``, ``gap_low``, ``gap_high`` (the difference,
        second minus first, with its 95% interval: percentage points with Newcombe's
        interval for shares, the difference of means with Welch's interval for means), on
        the contrast row only; a mean's difference is not a record (its record is the
        p-value), it is shown in the table text. A group under ``min_cell_n``
        is withheld; when exactly one non-empty group is withheld the other one is withheld
        too (with the total of the two known elsewhere, it would give the small group away),
        and the contrast is withheld whenever a group is. An empty group (n = 0) gives
        nothing away, so the other group is shown.

    Examples
    --------
    >>> vals = pd.Series([1.0] * 30 + [0.0] * 20 + [1.0] * 15 + [0.0] * 35)
    >>> grp = pd.Series(["a"] * 50 + ["b"] * 50)
    >>> out = group_comparison(vals, grp, levels=("a", "b"), subgroups=("a", "b"),
    ...                        contrast="b_vs_a", key="x", construct="x", wave=3,
    ...                        sample="s", min_cell_n=10)
    >>> out[["statistic", "value", "n"]].round(1).to_dict("list")
    {'statistic': ['share', 'share', 'diff_pp'], 'value': [60.0, 30.0, -30.0], 'n': [50, 50, 100]}
    >>> round(float(out.loc[2, "p_value"]), 4), out.loc[2, "test"]
    (0.0026, 'chi2')
    """
    if kind not in {"share", "mean"}:
        raise ValueError(f"kind must be 'share' or 'mean', got {kind!r}")
    values = values.astype("float64")
    if kind == "mean":
        values = values.where(values != 98)
    parts = [values[(groups == level).fillna(False).to_numpy()].dropna() for level in levels]
    counted = {"answers": answers} if kind == "share" else {}
    maker = estimates.share_record if kind == "share" else estimates.mean_record
    rows = [
        maker(
            part,
            key=f"{key}_{kind}_w{wave}_{sample}_{sub}",
            construct=construct,
            wave=wave,
            sample=sample,
            subgroup=sub,
            min_cell_n=min_cell_n,
            **counted,
        )
        for part, sub in zip(parts, subgroups, strict=True)
    ]
    keep = pd.Series(groups).isin(levels).fillna(False).to_numpy() & values.notna().to_numpy()
    statistic = "diff_pp" if kind == "share" else "p_value"
    n_total = int(sum(len(p) for p in parts))
    if kind == "share":
        test = stats.compare_shares(
            values[keep].reset_index(drop=True), pd.Series(groups)[keep].reset_index(drop=True)
        )
        low, high = newcombe_diff_interval(
            parts[0].sum(), len(parts[0]), parts[1].sum(), len(parts[1])
        )
        diff = rows[1]["value"] - rows[0]["value"] if n_total else math.nan
        method = test["method"]
        gap = (diff, low, high)
    else:
        test = stats.welch_t(parts[1], parts[0])
        low = high = math.nan
        diff = test["p_value"]
        method = "welch_t"
        gap = welch_diff_interval(parts[0], parts[1])
    contrast_row = estimates.record(
        chapter="",
        key=f"{key}_{statistic}_w{wave}_{sample}_{contrast}",
        construct=construct,
        statistic=statistic,
        wave=wave,
        sample=sample,
        subgroup=contrast,
        answers=counted.get("answers", ""),
        value=diff,
        ci_low=low,
        ci_high=high,
        n=n_total,
        p_value=test["p_value"],
        min_cell_n=min_cell_n,
    )
    nonempty = [r for r in rows if r["n"] > 0]
    withheld = [r for r in nonempty if r["suppressed"]]
    if len(withheld) == 1 and len(nonempty) == 2:
        for row in nonempty:
            estimates.withhold(row)
    if any(r["suppressed"] for r in rows):
        estimates.withhold(contrast_row)
    out = estimates.frame([*rows, contrast_row])
    out["test"] = ["", "", method]
    shown_gap = [math.nan] * 3 if contrast_row["suppressed"] else list(gap)
    for column, value in zip(("gap", "gap_low", "gap_high"), shown_gap, strict=True):
        out[column] = [math.nan, math.nan, value]
    return out


# --- the items of the chapter ------------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    """One compared item: a column (or any of several) and the answers counted.

    ``label`` is the key its words are found by (``LABEL`` in the chapter's messages, and the
    chart and table rows): a codebook variable, ``variable:code``, or a message of
    ``words/mobilization.<lang>.ftl`` for a construct the codebook does not hold.
    """

    key: str
    label: str
    block: str
    construct: str
    columns: tuple[str, ...]
    codes: tuple[int | str, ...] | None = None  # None: the codebook's share_cut
    kind: str = "share"


def _options(codebook: Codebook, question: str) -> tuple[str, ...]:
    return tuple(
        v.name for v in codebook.variables if v.type == "option" and v.question == question
    )


# options whose words the codebook holds (the others, the activism checklist, are labelled by
# the chapter's messages ``mob-<column>``)
OWN_LABELS = ("repression_experienced",)
# the items of the key findings, by the name of their facts
HEADLINES = {
    "men": "gender_male",
    "age": "age",
    "civpol": "civpol_any",
    "repressed": "repression_experienced_any",
    "draft": "fear_draft",
    "fear_russia": "fear_repr_russia",
    "fear_host": "fear_repr_host",
}


def items(codebook: Codebook) -> list[Item]:
    """The items of the chapter, block by block, in the order they are shown."""
    activities = _options(codebook, "recent_activities")
    repression = _options(codebook, "repression_experienced")

    def plain(column: str, block: str) -> Item:
        own = codebook[column].question in OWN_LABELS or block == "fears"
        return Item(column, column if own else f"mob-{column}", block, column, (column,))

    return [
        Item("age", "mob-age", "profile", "age", ("age",), kind="mean"),
        Item("gender_male", "gender:male", "profile", "gender", ("gender",), ("male",)),
        Item("education_higher", "mob-education_higher", "profile", "education", ("education",)),
        Item("city_size_large", "mob-city_size_large", "profile", "city_size", ("city_size",)),
        Item(
            "marital_status_married",
            "marital_status:married_partnered",
            "profile",
            "marital_status",
            ("marital_status",),
        ),
        Item("has_children", "has_children:1", "profile", "has_children", ("has_children",)),
        Item(
            "income_cat_pre_car",
            "mob-income_cat_pre_car",
            "profile",
            "income_cat_pre",
            ("income_cat_pre",),
        ),
        Item("civpol_any", "mob-civpol_any", "engagement", "civpol_any", activities),
        *[plain(c, "engagement") for c in activities],
        Item(
            "prewar_activism_any",
            "mob-prewar_activism_any",
            "engagement",
            "prewar_activism",
            _options(codebook, "prewar_activism"),
        ),
        Item(
            "repression_experienced_any",
            "mob-repression_experienced_any",
            "repression",
            "repression_experienced",
            repression,
        ),
        *[plain(c, "repression") for c in repression],
        *[plain(c, "fears") for c in ("fear_draft", "fear_repr_russia", "fear_repr_host")],
    ]


def _asked(frame: pd.DataFrame, item: Item) -> list[str]:
    return [c for c in item.columns if c in frame and frame[c].notna().any()]


def _values(frame: pd.DataFrame, codebook: Codebook, item: Item, columns: list[str]) -> pd.Series:
    if item.kind == "mean":
        return frame[columns[0]].astype("float64")
    parts = []
    for column in columns:
        var = codebook[column]
        if item.codes is not None:
            var = var.model_copy(update={"share_cut": list(item.codes)})
        parts.append(var.indicator(frame[column]))
    return parts[0] if len(parts) == 1 else pd.concat(parts, axis=1).max(axis=1)


def counted(codebook: Codebook, item: Item, columns: list[str]) -> str:
    """What the share of ``item`` counts (``answers`` in estimates.csv) over the ``columns``
    the wave asked: the codes of one column, or a yes in any of several; empty for a mean."""
    if item.kind == "mean":
        return ""
    if len(columns) > 1:
        return estimates.any_of(columns)
    var = codebook[columns[0]]
    codes = var.answers(item.codes)
    return codes if columns[0] == item.construct else f"{columns[0]}={codes}"


def cut_keys(var: Variable) -> list[str]:
    """The answers a share counts, as codebook keys (``fear_repr_russia:3|fear_repr_russia:4``
    for ``LIST``)."""
    return [f"{var.name}:{code}" for code in var.share_cut or []]


def abroad_wave(resp: pd.DataFrame, wave: int) -> pd.DataFrame:
    """Respondents of ``wave`` answering from abroad (the sample of the comparison)."""
    return samples.abroad(samples.combined(resp, wave))


def sample_code(wave: int) -> str:
    """The sample code of the comparison (the combined sample of the wave)."""
    return f"combined_w{wave}"


def compare_block(
    frame: pd.DataFrame,
    codebook: Codebook,
    block: str,
    wave: int,
    min_cell_n: int = estimates.MIN_CELL_N,
) -> pd.DataFrame:
    """Records of every item of ``block`` that the wave asked (see :func:`group_comparison`),
    with the item's ``item`` key, ``label`` key, ``block``, ``kind`` and ``order``."""
    if block not in BLOCKS:
        raise ValueError(f"unknown block {block!r}")
    cohort = samples.departure_cohort(frame)
    parts = []
    for order, item in enumerate(i for i in items(codebook) if i.block == block):
        columns = _asked(frame, item)
        if not columns:
            continue
        rows = group_comparison(
            _values(frame, codebook, item, columns),
            cohort,
            levels=GROUPS,
            subgroups=SUBGROUPS,
            contrast=CONTRAST,
            key=item.key,
            construct=item.construct,
            wave=wave,
            sample=sample_code(wave),
            kind=item.kind,
            answers=counted(codebook, item, columns),
            min_cell_n=min_cell_n,
        )
        parts.append(
            rows.assign(item=item.key, label=item.label, block=block, kind=item.kind, order=order)
        )
    if not parts:
        return estimates.frame([]).assign(
            test="",
            gap=0.0,
            gap_low=0.0,
            gap_high=0.0,
            item="",
            label="",
            block="",
            kind="",
            order=0,
        )
    return pd.concat(parts, ignore_index=True)


def compare_blocks(
    frame: pd.DataFrame, codebook: Codebook, wave: int, min_cell_n: int = estimates.MIN_CELL_N
) -> dict[str, pd.DataFrame]:
    """:func:`compare_block` for every block of :data:`BLOCKS`, by block name."""
    return {b: compare_block(frame, codebook, b, wave, min_cell_n) for b in BLOCKS}


def block_records(blocks: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The records of every block in one frame (for ``ctx.record``)."""
    return pd.concat(list(blocks.values()), ignore_index=True)


def not_asked_keys(frame: pd.DataFrame, codebook: Codebook) -> list[str]:
    """Label keys of the chapter's items that the wave did not ask, in item order."""
    return [i.label for i in items(codebook) if not _asked(frame, i)]


# --- counts ------------------------------------------------------------------------------------
def cohort_counts(frame: pd.DataFrame, wave: int) -> pd.DataFrame:
    """Count records of respondents abroad in each departure cohort (small counts withheld)."""
    cohort = samples.departure_cohort(frame)
    return estimates.frame(
        [
            estimates.count_record(
                int((cohort == level).sum()),
                key=f"n_w{wave}_{sample_code(wave)}_{sub}",
                construct="sample_size",
                wave=wave,
                sample=sample_code(wave),
                subgroup=sub,
            )
            for level, sub in zip(GROUPS, SUBGROUPS, strict=True)
        ]
    )


def comparable(counts: pd.DataFrame) -> bool:
    """Can the two cohorts be compared (both shown, neither withheld nor empty)?"""
    return bool(((~counts["suppressed"]) & (counts["n"] > 0)).all())


def fielded_before_announcement(frame: pd.DataFrame) -> bool:
    """Was every interview of ``frame`` given before the mobilization announcement?"""
    dates = pd.to_datetime(frame.get("interview_date", pd.Series(dtype="datetime64[ns]")))
    return bool(len(dates.dropna())) and bool((dates.dropna() < MOBILIZATION).all())


def draft_timing_record(frame: pd.DataFrame, wave: int) -> list[dict]:
    """Share of the pre-mobilization leavers' answers on the draft given before the
    announcement (the issue of the memo's footnote 6); none when the wave did not ask about
    the draft."""
    if "fear_draft" not in frame or frame["fear_draft"].isna().all():
        return []
    pre = frame[(samples.departure_cohort(frame) == PRE).fillna(False).to_numpy()]
    answered = pre[pre["fear_draft"].notna()]
    before = (pd.to_datetime(answered["interview_date"]) < MOBILIZATION).astype("float64")
    key = f"fear_draft_answered_before_announcement_share_w{wave}_{sample_code(wave)}"
    return [
        estimates.share_record(
            before,
            key=f"{key}_{SUBGROUPS[0]}",
            construct="interview_date",
            wave=wave,
            sample=sample_code(wave),
            subgroup=SUBGROUPS[0],
            answers=f"interview_date<{MOBILIZATION:%Y-%m-%d}",
        )
    ]


# --- facts -------------------------------------------------------------------------------------
def _triples(records: pd.DataFrame):
    """(first group, second group, contrast) of each item, in item order."""
    for _, rows in records.groupby("order", sort=True):
        yield tuple(rows.iloc[i] for i in range(3))


def _shown(row: pd.Series) -> bool:
    return int(row["n"]) > 0 and not bool(row["suppressed"])


def _estimate(row: pd.Series) -> dict[str, Any]:
    return {
        "value": row["value"],
        "ci_low": row["ci_low"],
        "ci_high": row["ci_high"],
        "n": int(row["n"]),
    }


def item_fact(first: pd.Series, second: pd.Series, contrast: pd.Series) -> dict[str, Any]:
    """The facts of one compared item: its ``label`` key, each group's estimate, the difference
    (second minus first: percentage points with Newcombe's interval, or years with Welch's) with
    its p-value and ``direction`` (:func:`wavebook.stats.direction`), and a status: ``ok``
    (compared), ``one_group`` (only the earlier leavers shown: no later leaver, or the
    comparison withheld with an empty group) or ``withheld``."""
    out: dict[str, Any] = {"label": first["label"], "kind": first["kind"]}
    compared = not bool(contrast["suppressed"]) and not pd.isna(contrast["p_value"])
    if compared and _shown(first) and _shown(second):
        gap = {
            "value": contrast["gap"],
            "ci_low": contrast["gap_low"],
            "ci_high": contrast["gap_high"],
            "p": contrast["p_value"],
            "size": abs(float(contrast["gap"])),
        }
        return report.plain(
            {
                **out,
                "status": "ok",
                "pre": _estimate(first),
                "post": _estimate(second),
                "diff": gap,
                "direction": stats.direction(contrast["gap"], contrast["p_value"]),
                "fisher": str(contrast["test"]) == "fisher",
            }
        )
    if _shown(first) and int(second["n"]) == 0:
        return report.plain({**out, "status": "one_group", "pre": _estimate(first)})
    return {**out, "status": "withheld"}


def item_facts(blocks: dict[str, pd.DataFrame]) -> dict[str, dict[str, Any]]:
    """:func:`item_fact` of every recorded item, by item key."""
    return {
        str(first["item"]): item_fact(first, second, contrast)
        for records in blocks.values()
        for first, second, contrast in _triples(records)
    }


def block_fact(records: pd.DataFrame) -> dict[str, Any]:
    """The facts of one block of shares: the label keys of the items on which later leavers
    are significantly more often (``up``) or less often (``down``) counted, and of those that
    do not differ (``flat``); ``top``, the compared share with the largest gap among the
    significant ones (its :func:`item_fact`); the largest n of each group over the items
    shown (for a caption); and a status: ``ok`` (compared), ``one_group`` or ``not_asked``."""
    facts = [item_fact(*t) for t in _triples(records)]
    shares = [f for f in facts if f["kind"] == "share"]
    ranked = {
        d: [f["label"] for f in shares if f.get("direction") == d] for d in ("up", "down", "flat")
    }
    moved = [f for f in shares if f.get("direction") in ("up", "down")]
    top = max(moved, key=lambda f: abs(f["diff"]["value"]), default={"status": "none"})
    shown = records[(records["statistic"] == "share") & ~records["suppressed"].astype(bool)]
    ns = {sub: shown.loc[shown["subgroup"] == sub, "n"] for sub in SUBGROUPS}
    statuses = {f["status"] for f in facts}
    status = (
        "ok"
        if "ok" in statuses
        else ("one_group" if "one_group" in statuses else ("withheld" if statuses else "not_asked"))
    )
    return report.plain(
        {
            "status": status,
            **ranked,
            "compared": sum(f["status"] == "ok" for f in shares),
            "moved": len(moved),
            "top": top,
            "n_pre": int(ns[SUBGROUPS[0]].max()) if len(ns[SUBGROUPS[0]]) else 0,
            "n_post": int(ns[SUBGROUPS[1]].max()) if len(ns[SUBGROUPS[1]]) else 0,
        }
    )


def groups_fact(counts: pd.DataFrame, fielded_before: bool) -> dict[str, Any]:
    """The two cohorts: each one's n (or ``withheld``), whether the wave was fielded before the
    announcement, and a status: ``ok`` (both shown), ``one_group`` (no later leaver) or
    ``withheld`` (a group too small to show)."""
    pre, post = counts.iloc[0], counts.iloc[1]
    status = "ok" if comparable(counts) else ("one_group" if int(post["n"]) == 0 else "withheld")

    def group(row: pd.Series) -> dict[str, Any]:
        if bool(row["suppressed"]):
            return {"withheld": True}  # its n stays out of the facts too
        return {"withheld": False, "n": int(row["n"])}

    return report.plain(
        {"status": status, "fielded_before": fielded_before, "pre": group(pre), "post": group(post)}
    )


def draft_timing_fact(records: list[dict] | pd.DataFrame) -> dict[str, Any]:
    """The share of the earlier leavers' answers on the draft given before the announcement
    (``value``, ``n``) with a status (``ok``, ``withheld``, ``not_asked``)."""
    rows = estimates.frame(records) if isinstance(records, list) else records
    if rows.empty:
        return {"status": "not_asked"}
    row = rows.iloc[0]
    if bool(row["suppressed"]):
        return {"status": "withheld"}
    return report.plain({"status": "ok", "value": row["value"], "n": int(row["n"])})


# --- figures and tables --------------------------------------------------------------------------
def group_labels(words: Words) -> dict[str, str]:
    """Short reader labels of the two cohorts (``mob-group-*`` messages)."""
    return {sub: words.say(f"mob-group-{sub}") for sub in SUBGROUPS}


def chart_data(records: pd.DataFrame, words: Words | None = None) -> pd.DataFrame:
    """The aggregate a cohort chart draws: shown shares of both groups, one row each."""
    words = words or Words("en")
    shares = records[(records["statistic"] == "share") & ~records["suppressed"].astype(bool)]
    data = shares[["label", "subgroup", "value", "ci_low", "ci_high", "n", "order"]].copy()
    data["label"] = data["label"].map(lambda key: words.label(key, "short"))
    data.insert(2, "group", data["subgroup"].map(group_labels(words)))
    return check_aggregate(data.round({"value": 1, "ci_low": 1, "ci_high": 1}))


def cohort_chart(records: pd.DataFrame, name: str, words: Words | None = None) -> Figure:
    """Both cohorts side by side for each item: points with 95% intervals (only the groups
    shown appear in the legend)."""
    words = words or Words("en")
    data = chart_data(records, words)
    order = data.sort_values("order")["label"].drop_duplicates().tolist()
    groups = [g for g in group_labels(words).values() if g in set(data["group"])]
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=360)),
        yOffset=alt.YOffset("group:N", sort=groups),
        color=alt.Color(
            "group:N",
            title=None,
            sort=groups,
            scale=alt.Scale(domain=groups, range=PALETTE[: len(groups)]),
            legend=alt.Legend(labelLimit=500, direction="vertical", orient="bottom"),
        ),
    )
    rules = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("ci_low:Q", title=words.say("chart-share"), scale=alt.Scale(domain=[0, 100])),
        x2="ci_high:Q",
    )
    points = base.mark_point(filled=True, size=60).encode(
        x="value:Q",
        tooltip=[
            alt.Tooltip("label:N", title=words.say("chart-item")),
            alt.Tooltip("group:N", title=words.say("chart-group")),
            *estimate_tooltips(words),
        ],
    )
    step = 17 * max(len(groups), 1)
    chart = (rules + points).properties(width=420, height=max(60, step * len(order)))
    return Figure(chart, data.drop(columns=["order"]), name, words=words)


def _cell(row: pd.Series, kind: str, words: Words, ci: bool = True) -> str:
    """``'49% (48–51)'`` or ``'34.5 (34.3–34.7)'``; the withheld or empty mark otherwise."""
    if int(row["n"]) == 0:
        return words.say("mob-cell-empty")
    if bool(row["suppressed"]):
        return words.say("mob-cell-withheld")
    if kind == "share":
        value = words.percent(float(row["value"]))
        bounds = words.bounds(float(row["ci_low"]), float(row["ci_high"]))
    else:
        value = words.decimal(float(row["value"]), 1)
        bounds = "–".join(words.decimal(float(row[c]), 1) for c in ("ci_low", "ci_high"))
    return f"{value}{NBSP}({bounds})"


def _n_cell(row: pd.Series, words: Words) -> str:
    if bool(row["suppressed"]) and int(row["n"]) > 0:
        return f"< {words.decimal(estimates.MIN_CELL_N)}"
    return words.decimal(int(row["n"]))


def _diff_cell(contrast: pd.Series, kind: str, words: Words) -> str:
    """``'+11 pp (9 to 13)'`` or ``'−1.0 years (−1.3 to −0.7)'``."""
    if bool(contrast["suppressed"]) or pd.isna(contrast["gap"]):
        return words.say("mob-cell-withheld")
    low, high = float(contrast["gap_low"]), float(contrast["gap_high"])
    if kind == "share":
        return words.say(
            "mob-cell-pp", {"value": float(contrast["gap"]), "bounds": words.bounds(low, high)}
        )
    return words.say(
        "mob-cell-years",
        {
            "value": words.decimal(float(contrast["gap"]), 1),
            "low": words.decimal(low, 1),
            "high": words.decimal(high, 1),
        },
    )


def _p_cell(contrast: pd.Series, words: Words) -> str:
    """``'< 0.001'``, ``'0.011'``, marked when Fisher's exact test was used."""
    if bool(contrast["suppressed"]) or pd.isna(contrast["p_value"]):
        return words.say("mob-cell-withheld")
    text = words.pvalue(float(contrast["p_value"]))
    text = text.removeprefix("p = ").removeprefix("p ").replace(" ", NBSP)
    return words.say("mob-cell-fisher", {"p": text}) if str(contrast["test"]) == "fisher" else text


def comparison_table(
    records: pd.DataFrame, counts: pd.DataFrame, words: Words | None = None
) -> Table:
    """One row per item: both groups (value with its 95% interval), their n, the difference
    (after minus before) with its interval and the p-value; when the groups cannot be
    compared, the one group shown (value, interval, n)."""
    words = words or Words("en")
    head = {k: words.say(f"mob-col-{k}") for k in ("item", "pre", "post", "n", "diff", "p")}
    if not comparable(counts):
        rows = [
            [
                words.label(str(first["label"]), "short"),
                _cell(first, str(first["kind"]), words),
                _n_cell(first, words),
            ]
            for first, _, _ in _triples(records)
        ]
        return Table(
            pd.DataFrame(rows, columns=[head["item"], head["pre"], "n"]),
            align=["left", "right", "right"],
            empty_note=words.say("mob-table-empty"),
        )
    rows = [
        [
            words.label(str(first["label"]), "short"),
            _cell(first, str(first["kind"]), words),
            _cell(second, str(first["kind"]), words),
            f"{_n_cell(first, words)} / {_n_cell(second, words)}",
            _diff_cell(contrast, str(first["kind"]), words),
            _p_cell(contrast, words),
        ]
        for first, second, contrast in _triples(records)
    ]
    return Table(
        pd.DataFrame(rows, columns=list(head.values())),
        align=["left", "right", "right", "right", "right", "right"],
        empty_note=words.say("mob-table-empty"),
    )


def chapter_facts(
    frame: pd.DataFrame,
    codebook: Codebook,
    wave: int,
    blocks: dict[str, pd.DataFrame],
    counts: pd.DataFrame,
    draft_timing: list[dict] | pd.DataFrame,
) -> dict[str, Any]:
    """Every fact the chapter's sentences use: the groups (:func:`groups_fact`), each block
    (:func:`block_fact`), the items of the key findings (:data:`HEADLINES`, status
    ``not_asked`` when the wave did not ask them), the label keys of the items not asked,
    the draft timing, the recall period of the activities, the answers the fear shares count,
    the smallest n shown and the level of the tests."""
    by_item = item_facts(blocks)
    return {
        "wave": wave,
        "groups": groups_fact(counts, fielded_before_announcement(frame)),
        **{block: block_fact(blocks[block]) for block in BLOCKS},
        **{name: by_item.get(key, {"status": "not_asked"}) for name, key in HEADLINES.items()},
        "not_asked": not_asked_keys(frame, codebook),
        "draft_timing": draft_timing_fact(draft_timing),
        "recall": recall_fact(codebook["civ_volunteer"], wave),
        "fear_cut": cut_keys(codebook["fear_repr_russia"]),
        "min_n": estimates.MIN_CELL_N,
        "alpha": stats.ALPHA,
    }


def recall_fact(var, wave: int) -> dict:
    """The reference period the codebook gives for ``wave`` (``status`` ``ok`` and its
    ``text``), or ``not_given`` for a wave the codebook does not document (a new wave)."""
    text = var.recall.get(wave)
    return {"status": "ok", "text": text} if text else {"status": "not_given"}
