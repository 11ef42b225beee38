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

import altair as alt
import pandas as pd
from scipy.stats import t as sps_t

from wavebook import estimates, samples, stats
from wavebook.charts import PALETTE, Figure, check_aggregate, estimate_tooltips
from wavebook.clean import MOBILIZATION
from wavebook.codebook import Codebook, Variable
from wavebook.report import DASH, Text, count, interval, p_text, pct, pp, share_text
from wavebook.tables import Table

PRE, POST = "pre_mobilization", "post_mobilization"
GROUPS = (PRE, POST)
SUBGROUPS = ("left_before_mobilization", "left_after_mobilization")
CONTRAST = "post_vs_pre"
TEST_NAMES = {
    "chi2": "chi-square",
    "fisher": "Fisher exact",
    "welch_t": "Welch t",
    "mann_whitney": "Mann–Whitney",
}
BLOCKS = ("profile", "engagement", "repression", "fears")


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

    ``label`` is the short reader label of charts and tables; ``prose`` the lower-case words
    used inside a sentence (by default the label with a lower-case first letter).
    """

    key: str
    label: str
    block: str
    construct: str
    columns: tuple[str, ...]
    codes: tuple[int | str, ...] | None = None  # None: the codebook's share_cut
    kind: str = "share"
    words: tuple[str, str] = ("higher", "lower")  # the second group's value above / below
    prose: str = ""

    @property
    def words_in_prose(self) -> str:
        return self.prose or _lower_first(self.label)


def _options(codebook: Codebook, question: str) -> tuple[str, ...]:
    return tuple(
        v.name for v in codebook.variables if v.type == "option" and v.question == question
    )


NBSP = "\u00a0"  # table cells: keep "49% (48–51)" and "< 0.001" on one line where possible
SHORT_LABELS = {
    "pol_rally": "Rallies, demonstrations or other public actions",
    "repression_experienced_other": "Other forms",
}
PROSE_LABELS = {
    "fear_draft": "fear of the draft",
    "fear_repr_russia": "fear of repression by the Russian state",
    "fear_repr_host": "fear of repression by the host government",
    "civpol_any": "any civic or political activity",
    "repression_experienced_other": "other forms of repression",
    "civ_volunteer": "volunteer work",
    "civ_help_ukr_refugees": "help to Ukrainian refugees",
    "civ_help_ru_migrants": "help to other emigrants from Russia",
    "civ_donate_ru_ngo_media": "donations to independent Russian NGOs or media",
    "civ_donate_local_ngo_media": "donations to host-country NGOs or media",
    "pol_digital": "political posts, petitions or open letters",
    "repression_experienced_job_loss": "losing a job because of one's views",
    "repression_experienced_detention": "detention at a protest",
}


def reader_label(codebook: Codebook, column: str) -> str:
    """A short reader label for a codebook column: the codebook's label without a prefix
    shared by its whole block (``'Repression in Russia: imprisonment'`` -> ``'Imprisonment'``),
    or a shorter wording (:data:`SHORT_LABELS`) where the codebook's is too long for a chart
    axis."""
    if column in SHORT_LABELS:
        return SHORT_LABELS[column]
    label = codebook[column].label_en.split(": ", 1)[-1]
    return label[:1].upper() + label[1:]


def items(codebook: Codebook) -> list[Item]:
    """The items of the chapter, block by block, in the order they are shown."""
    activities = _options(codebook, "recent_activities")
    repression = _options(codebook, "repression_experienced")

    def plain(column: str, block: str) -> Item:
        return Item(
            column,
            reader_label(codebook, column),
            block,
            column,
            (column,),
            prose=PROSE_LABELS.get(column, ""),
        )

    out = [
        Item(
            "age",
            "Mean age, years",
            "profile",
            "age",
            ("age",),
            kind="mean",
            words=("older", "younger"),
            prose="age",
        ),
        Item(
            "gender_male",
            "Men",
            "profile",
            "gender",
            ("gender",),
            ("male",),
            prose="the share of men",
        ),
        Item(
            "education_higher",
            "Higher or postgraduate education",
            "profile",
            "education",
            ("education",),
            prose="higher education",
        ),
        Item(
            "city_size_large",
            "From a city of a million or more",
            "profile",
            "city_size",
            ("city_size",),
            prose="coming from a city of a million or more",
        ),
        Item(
            "marital_status_married",
            codebook["marital_status"].label("married_partnered"),
            "profile",
            "marital_status",
            ("marital_status",),
            prose="being married or living with a partner",
        ),
        Item(
            "has_children",
            codebook["has_children"].label(1),
            "profile",
            "has_children",
            ("has_children",),
            prose="having children",
        ),
        Item(
            "income_cat_pre_car",
            "Could afford a car before leaving",
            "profile",
            "income_cat_pre",
            ("income_cat_pre",),
            prose="having been able to afford a car before leaving",
        ),
        Item(
            "civpol_any",
            "Any of the activities below",
            "engagement",
            "civpol_any",
            activities,
            prose="any civic or political activity",
        ),
        *[plain(c, "engagement") for c in activities],
        Item(
            "prewar_activism_any",
            "Any activity before the war",
            "engagement",
            "prewar_activism",
            _options(codebook, "prewar_activism"),
            prose="activism before the war",
        ),
        Item(
            "repression_experienced_any",
            "Any of the forms below",
            "repression",
            "repression_experienced",
            repression,
            prose="any form of repression",
        ),
        *[plain(c, "repression") for c in repression],
        *[plain(c, "fears") for c in ("fear_draft", "fear_repr_russia", "fear_repr_host")],
    ]
    return out


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


def cut_words(var: Variable) -> str:
    """The answers a share counts, in words: ``'somewhat afraid or very afraid'``."""
    return " or ".join(var.label(code).lower() for code in var.share_cut or [])


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
    with the item's ``item`` key, ``label``, ``block``, ``kind``, ``order`` and its direction
    words (``word_more``, ``word_less``)."""
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
            rows.assign(
                item=item.key,
                label=item.label,
                prose=item.words_in_prose,
                block=block,
                kind=item.kind,
                order=order,
                word_more=item.words[0],
                word_less=item.words[1],
            )
        )
    if not parts:
        return estimates.frame([]).assign(
            test="",
            gap=0.0,
            gap_low=0.0,
            gap_high=0.0,
            item="",
            label="",
            prose="",
            block="",
            kind="",
            order=0,
            word_more="",
            word_less="",
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


def not_asked_labels(frame: pd.DataFrame, codebook: Codebook) -> list[str]:
    """Prose labels of the chapter's items that the wave did not ask, in item order."""
    return [i.words_in_prose for i in items(codebook) if not _asked(frame, i)]


def not_asked_sentence(frame: pd.DataFrame, codebook: Codebook, wave: int) -> str:
    """One sentence naming every item of the chapter the wave did not ask ('' if none).

    Said once, in the key findings, instead of a note in every section.
    """
    missing = not_asked_labels(frame, codebook)
    if not missing:
        return ""
    return f"Wave {wave} did not ask about {_and_list(missing)}; those rows are left out below."


def _and_list(words: list[str]) -> str:
    """``['a', 'b', 'c']`` -> ``'a, b and c'``."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


# --- counts and sentences ------------------------------------------------------------------------
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


def announcement_text() -> str:
    """The date of the announcement, e.g. ``'21 September 2022'``."""
    return f"{MOBILIZATION.day} {MOBILIZATION:%B %Y}"


def _count_text(row: pd.Series) -> str:
    if bool(row["suppressed"]):
        return f"fewer than {estimates.MIN_CELL_N}"
    return count(row["n"])


def comparable(counts: pd.DataFrame) -> bool:
    """Can the two cohorts be compared (both shown, neither withheld nor empty)?"""
    return bool(((~counts["suppressed"]) & (counts["n"] > 0)).all())


def fielded_before_announcement(frame: pd.DataFrame) -> bool:
    """Was every interview of ``frame`` given before the mobilization announcement?"""
    dates = pd.to_datetime(frame.get("interview_date", pd.Series(dtype="datetime64[ns]")))
    return bool(len(dates.dropna())) and bool((dates.dropna() < MOBILIZATION).all())


def cohort_sentence(counts: pd.DataFrame, wave: int, fielded_before: bool = False) -> str:
    """How many respondents abroad left before and after the announcement (the key finding
    that names the two groups "earlier" and "later leavers"), or why this wave has no
    comparison."""
    pre, post = counts.iloc[0], counts.iloc[1]
    date = announcement_text()
    if int(post["n"]) == 0:
        why = (
            f"Wave {wave} was fielded before the mobilization was announced on {date}"
            if fielded_before
            else f"No respondent of wave {wave} living abroad had left after the "
            f"mobilization announcement of {date}"
        )
        return (
            f"{why}, so this edition has no second group to compare: it describes the "
            f"{_count_text(pre)} respondents living abroad, all of whom had left Russia "
            f"between the start of the war and the announcement."
        )
    if not comparable(counts):
        return (
            f"In wave {wave}, {_count_text(pre)} respondents living abroad had left "
            f"before the announcement of {date} and {_count_text(post)} after it: too "
            f"few to compare, so both groups are withheld."
        )
    return (
        f"In wave {wave}, {_count_text(pre)} respondents living abroad had left Russia "
        f"before the mobilization announcement of {date} (below, earlier leavers) and "
        f"{_count_text(post)} after it (later leavers)."
    )


def method_sentence(counts: pd.DataFrame) -> str:
    """What the sections below show: the comparison and its tests, or the one group."""
    if not comparable(counts):
        return (
            "As there is no second group in this edition, the figures and tables below give "
            "the shares (and the mean age) of those who left before the announcement, each "
            "with its 95% interval and the number of respondents who answered."
        )
    return (
        "Each item below gives the share (or, for age, the mean) in both groups with its 95% "
        "interval and the number of respondents who answered, and the difference, later minus "
        "earlier leavers, in percentage points (in years for age) with its 95% interval. "
        "Shares are compared with a chi-square test (Fisher's exact test, marked in the "
        "tables, when a cell is sparse), mean ages with Welch's t test; a difference is "
        f"called significant when p is below {stats.ALPHA}."
    )


def _signed(value: float, digits: int = 0) -> str:
    text = f"{abs(value):.{digits}f}"
    return text if float(text) == 0 or value > 0 else f"−{text}"


def _bounds(low: float, high: float, unit: str = "") -> str:
    """``'46–48'`` or ``'−3 to −1'``: the interval of :func:`wavebook.report.interval`
    without its "95% CI" prefix (so the shared rounding rule applies here too)."""
    return interval(low, high, unit=unit).removeprefix("95% CI ")


def _estimate_text(row: pd.Series, kind: str) -> str:
    if int(row["n"]) == 0:
        return "no respondent"
    if kind == "share":
        return share_text(row)
    if bool(row["suppressed"]):
        return f"{DASH} (withheld: fewer than {estimates.MIN_CELL_N} respondents)"
    return (
        f"{float(row['value']):.1f} years (95% CI {float(row['ci_low']):.1f}–"
        f"{float(row['ci_high']):.1f}, n = {count(row['n'])})"
    )


def difference_words(
    contrast: pd.Series,
    first: pd.Series,
    second: pd.Series,
    words: tuple[str, str] = ("higher", "lower"),
) -> str:
    """Direction words for the second group against the first, decided by the test.

    >>> c = pd.Series({"suppressed": False, "p_value": 0.001})
    >>> difference_words(c, pd.Series({"value": 48.0}), pd.Series({"value": 59.0}))
    'higher'
    >>> difference_words(c.replace(0.001, 0.3), pd.Series({"value": 48.0}),
    ...                  pd.Series({"value": 50.0}))
    'no significant difference'
    """
    if bool(contrast["suppressed"]) or pd.isna(contrast["p_value"]):
        return "not compared"
    if not stats.is_significant(contrast["p_value"]) or first["value"] == second["value"]:
        return "no significant difference"
    return words[0] if second["value"] > first["value"] else words[1]


def _triples(records: pd.DataFrame):
    """(first group, second group, contrast, direction words) of each item, in item order."""
    for _, rows in records.groupby("order", sort=True):
        first, second, contrast = (rows.iloc[i] for i in range(3))
        words = (str(first["word_more"]), str(first["word_less"]))
        yield first, second, contrast, difference_words(contrast, first, second, words)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _gap_words(contrast: pd.Series, kind: str, words: str) -> str:
    """``'11 pp higher'`` or ``'1.0 years younger'``: the size of the gap without a sign
    (the direction word carries it)."""
    if kind == "share":
        return f"{round(abs(float(contrast['gap'])))} pp {words}"
    return f"{abs(float(contrast['gap'])):.1f} years {words}"


def age_sentence(records: pd.DataFrame) -> str:
    """The body's sentence on age: both means, the difference in years with its Welch
    interval and the test, or the single group's mean ('' when age was not asked)."""
    rows = records[records["item"] == "age"]
    if rows.empty:
        return ""
    first, second, contrast, words = next(_triples(rows))
    if words == "not compared":
        if bool(first["suppressed"]) or int(first["n"]) == 0:
            return ""
        return (
            f"The mean age of those who left before the announcement was "
            f"{_estimate_text(first, 'mean')}."
        )
    means = (
        f"{float(second['value']):.1f} years against {float(first['value']):.1f} "
        f"(difference {_signed(float(contrast['gap']), 1)} years, "
        f"{_bounds(contrast['gap_low'], contrast['gap_high'])}; Welch's t test "
        f"{p_text(contrast['p_value'])})"
    )
    if words == "no significant difference":
        return f"Mean age did not differ significantly: {means}."
    return f"Later leavers were on average {words}: {means}."


def differences_sentence(records: pd.DataFrame, lead: str) -> str:
    """``lead`` followed by the items on which the cohorts differ significantly (with the
    size and direction of the gap) and those on which they do not, decided by the tests at
    ``ALPHA``; '' when nothing is compared in this wave (said once at the top instead)."""
    differ, same = [], []
    for first, _, contrast, words in _triples(records):
        label = str(first["prose"]) or _lower_first(str(first["label"]))
        if words == "no significant difference":
            same.append(label)
        elif words != "not compared":
            differ.append(f"{label} ({_gap_words(contrast, str(first['kind']), words)})")
    total = len(differ) + len(same)
    if total == 0:
        return ""
    if not differ:
        return (
            f"{lead}, later and earlier leavers did not differ significantly on any of the "
            f"{total} items ({_and_list(same)})."
        )
    if not same:
        return (
            f"{lead}, later leavers differed significantly from earlier leavers on every "
            f"item: {'; '.join(differ)}."
        )
    return (
        f"{lead}, later leavers differed significantly from earlier leavers on "
        f"{len(differ)} of the {total} items: {'; '.join(differ)}. The two groups did not "
        f"differ significantly on {_and_list(same)}."
    )


def brief_sentence(records: pd.DataFrame, item: str) -> str:
    """A short key finding on one item: the headline values, the verdict, the gap and p
    ('' when the wave did not ask the item)."""
    rows = records[records["item"] == item]
    if rows.empty:
        return ""
    first, second, contrast, words = next(_triples(rows))
    kind = str(first["kind"])
    label = HEADLINE_LABELS.get(item) or _upper_first(str(first["prose"]))
    unit = "" if kind == "share" else " years"
    if words == "not compared":
        return f"{label}: {_short(first, kind, ci=False)}{unit} ({_ci_words(first, kind)})."
    verdict = (
        "no significant difference"
        if words == "no significant difference"
        else _gap_words(contrast, kind, words)
    )
    return (
        f"{label}: {_short(second, kind, ci=False)}{unit} among later leavers, "
        f"{_short(first, kind, ci=False)}{unit} among earlier leavers ({verdict}, "
        f"{p_text(contrast['p_value'])})."
    )


HEADLINE_LABELS = {"gender_male": "Men", "age": "Mean age"}
HEADLINES = (
    ("profile", "gender_male"),
    ("profile", "age"),
    ("engagement", "civpol_any"),
    ("repression", "repression_experienced_any"),
    ("fears", "fear_draft"),
    ("fears", "fear_repr_russia"),
    ("fears", "fear_repr_host"),
)


def key_findings(
    blocks: dict[str, pd.DataFrame],
    counts: pd.DataFrame,
    cohort_text: str,
    not_asked_text: str,
) -> str:
    """The key findings as a Markdown list: the groups, one short headline per item of
    :data:`HEADLINES` the wave asked, and (once) what the wave did not ask."""
    bullets = [cohort_text]
    heads = [brief_sentence(blocks[block], item) for block, item in HEADLINES]
    bullets += [h for h in heads if h]
    if not_asked_text:
        bullets.append(not_asked_text)
    return "\n".join(f"- {b}" for b in bullets)


def draft_timing_sentence(records: pd.DataFrame) -> str:
    """Prose on when the earlier leavers answered the draft question (cf. the memo's
    pooling across waves)."""
    if records.empty:
        return "This wave did not ask about the draft."
    row = records.iloc[0]
    wave = row["wave"]
    if bool(row["suppressed"]):
        return "Too few answers on the draft were given to say when they were given."
    if float(row["value"]) == 0:
        return (
            f"In wave {wave} all {count(row['n'])} answers of earlier leavers on the draft "
            f"were given after the announcement."
        )
    if float(row["value"]) == 100:
        return (
            f"In wave {wave} all {count(row['n'])} answers of earlier leavers on the draft "
            f"were given before the announcement."
        )
    return (
        f"In wave {wave}, {pct(row['value'])} of the answers of earlier leavers on the "
        f"draft were given before the announcement (n = {count(row['n'])})."
    )


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


# --- figures and tables --------------------------------------------------------------------------
def group_labels(codebook: Codebook) -> dict[str, str]:
    """Short reader labels of the two cohorts, worded alike (the codebook's ``mob_group``
    labels name the same dates but differ in their wording)."""
    codebook["mob_group"]  # the groups are the codebook's; fail loudly if it loses them
    day_before = MOBILIZATION - pd.Timedelta(days=1)
    return {
        SUBGROUPS[0]: f"Left before the announcement (24 Feb – {day_before.day} "
        f"{day_before:%b %Y})",
        SUBGROUPS[1]: f"Left after the announcement (from {MOBILIZATION.day} {MOBILIZATION:%b %Y})",
    }


def chart_data(records: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The aggregate a cohort chart draws: shown shares of both groups, one row each."""
    shares = records[(records["statistic"] == "share") & ~records["suppressed"]]
    data = shares[["label", "subgroup", "value", "ci_low", "ci_high", "n", "order"]].copy()
    data.insert(2, "group", data["subgroup"].map(group_labels(codebook)))
    return check_aggregate(data.round({"value": 1, "ci_low": 1, "ci_high": 1}))


def cohort_chart(
    records: pd.DataFrame, codebook: Codebook, name: str, title_x: str = "Share, %"
) -> Figure | Text:
    """Both cohorts side by side for each item: points with 95% intervals (only the groups
    shown appear in the legend).

    Returns a short note instead of a figure when nothing can be shown.
    """
    data = chart_data(records, codebook)
    if data.empty:
        return Text("*Nothing to chart in this edition (not asked, or too few respondents).*")
    order = data.sort_values("order")["label"].drop_duplicates().tolist()
    groups = [g for g in group_labels(codebook).values() if g in set(data["group"])]
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
        x=alt.X("ci_low:Q", title=title_x, scale=alt.Scale(domain=[0, 100])), x2="ci_high:Q"
    )
    points = base.mark_point(filled=True, size=60).encode(
        x="value:Q",
        tooltip=[
            alt.Tooltip("label:N", title="Item"),
            alt.Tooltip("group:N", title="Group"),
            *estimate_tooltips(),
        ],
    )
    step = 17 * len(groups)
    chart = (rules + points).properties(width=420, height=max(60, step * len(order)))
    return Figure(chart, data.drop(columns=["order"]), name)


def chart_n(records: pd.DataFrame) -> str:
    """``'left before n = 6,116; left after n = 3,422'``: respondents abroad who answered at
    least one charted item in each group (the largest item n), or a note when nothing is
    shown."""
    shares = records[(records["statistic"] == "share") & ~records["suppressed"]]
    if shares.empty:
        return "no group shown"
    ns = [shares.loc[shares["subgroup"] == sub, "n"] for sub in SUBGROUPS]
    parts = [
        f"{label} n = {count(n.max())}"
        for label, n in zip(("left before", "left after"), ns, strict=True)
        if not n.empty and n.max() > 0
    ]
    return "; ".join(parts)


def _short(row: pd.Series, kind: str, ci: bool = True) -> str:
    """``'49% (48–51)'`` or ``'34.5 (34.3–34.7)'`` (``ci=False``: ``'49%'``, ``'34.5'``);
    the withheld or empty mark otherwise."""
    if int(row["n"]) == 0:
        return "no respondent"
    if bool(row["suppressed"]):
        return "withheld"
    if kind == "share":
        value = pct(row["value"])
        return f"{value}{NBSP}({_bounds(row['ci_low'], row['ci_high'])})" if ci else value
    value = f"{row['value']:.1f}"
    return f"{value}{NBSP}({row['ci_low']:.1f}–{row['ci_high']:.1f})" if ci else value


def _ci_words(row: pd.Series, kind: str) -> str:
    """``'95% CI 47–52%'`` or ``'95% CI 34.3–35.1'``."""
    if kind == "share":
        return interval(row["ci_low"], row["ci_high"])
    return f"95% CI {row['ci_low']:.1f}–{row['ci_high']:.1f}"


def _short_n(row: pd.Series) -> str:
    if bool(row["suppressed"]) and int(row["n"]) > 0:
        return f"< {estimates.MIN_CELL_N}"
    return count(row["n"])


def _diff_cell(contrast: pd.Series, kind: str) -> str:
    """``'+11 pp (9 to 13)'`` or ``'−1.0 years (−1.3 to −0.7)'``."""
    if bool(contrast["suppressed"]) or pd.isna(contrast["gap"]):
        return "withheld"
    if kind == "share":
        return f"{pp(contrast['gap'])} ({_bounds(contrast['gap_low'], contrast['gap_high'])})"
    low, high = float(contrast["gap_low"]), float(contrast["gap_high"])
    return f"{_signed(float(contrast['gap']), 1)} years ({_signed(low, 1)} to {_signed(high, 1)})"


def _p_cell(contrast: pd.Series) -> str:
    """``'< 0.001'``, ``'0.011'``, with ``' (Fisher)'`` when Fisher's exact test was used."""
    if bool(contrast["suppressed"]) or pd.isna(contrast["p_value"]):
        return "withheld"
    text = p_text(contrast["p_value"]).removeprefix("p = ").removeprefix("p ").replace(" ", NBSP)
    return f"{text} (Fisher)" if str(contrast["test"]) == "fisher" else text


TABLE_COLUMNS = ["Item", "Left before", "Left after", "n (before / after)", "Difference", "p"]


def comparison_table(records: pd.DataFrame, counts: pd.DataFrame) -> Table:
    """One row per item: both groups (value with its 95% interval), their n, the difference
    (after minus before) with its interval and the p-value; when the groups cannot be
    compared, the one group shown (value, interval, n); an empty table with a note when
    the wave asked none of the items."""
    if not comparable(counts):
        rows = [
            {
                "Item": first["label"],
                "Left before": _short(first, str(first["kind"])),
                "n": _short_n(first),
            }
            for first, _, _, _ in _triples(records)
        ]
        return Table(
            pd.DataFrame(rows, columns=["Item", "Left before", "n"]),
            align=["left", "right", "right"],
            empty_note="Not asked in this wave.",
        )
    rows = [
        {
            "Item": first["label"],
            "Left before": _short(first, str(first["kind"])),
            "Left after": _short(second, str(first["kind"])),
            "n (before / after)": f"{_short_n(first)} / {_short_n(second)}",
            "Difference": _diff_cell(contrast, str(first["kind"])),
            "p": _p_cell(contrast),
        }
        for first, second, contrast, _ in _triples(records)
    ]
    return Table(
        pd.DataFrame(rows, columns=TABLE_COLUMNS),
        align=["left", "right", "right", "right", "right", "right"],
        empty_note="Not asked in this wave.",
    )
