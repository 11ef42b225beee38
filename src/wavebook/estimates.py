"""The estimate record: every number a reader sees, with its interval, n and test.

Columns (DESIGN.md): ``chapter, key, construct, statistic, wave, sample, subgroup, answers,
value, ci_low, ci_high, n, p_value, suppressed``. Chapters write their records to
``<out_dir>/estimates/<chapter>.csv``; the build merges them into ``estimates.csv`` in a stable
order so that the same inputs give the same bytes.

``answers`` says what a share counts (its numerator), so the file reads without the key:

* ``4|5``: answer codes of the ``construct`` (``|`` = or), in codebook order, 98 = "hard to
  say"; ``1`` for a yes/no item or a ticked option (:meth:`Variable.answers`);
* ``column=codes``: codes of another column than the construct, e.g. ``country_residence=RU``;
* ``any:a|b|c``: at least one of the columns ``a``, ``b``, ``c`` counts, each by its codebook
  cut (a yes, a ticked option: a checklist, an "either" measure; :func:`any_of`); ``;`` joins
  conditions that must all hold;
* a comparison where the share counts a derived quantity:
  ``income_cat-income_cat_pre<=-3`` (fell three steps or more), ``interview_date<2022-09-21``.

``transition_share`` rows give the destination code(s); ``change_pp`` and ``diff_pp`` the codes
of the shares they subtract; ``count``, ``mean`` and ``p_value`` rows leave it empty.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from wavebook.codebook import Variable

COLUMNS = [
    "chapter",
    "key",
    "construct",
    "statistic",
    "wave",
    "sample",
    "subgroup",
    "answers",
    "value",
    "ci_low",
    "ci_high",
    "n",
    "p_value",
    "suppressed",
]
STATISTICS = {"share", "mean", "change_pp", "diff_pp", "transition_share", "count", "p_value"}
MIN_CELL_N = 30  # estimates resting on fewer respondents are withheld everywhere
NUMERIC = ["value", "ci_low", "ci_high", "p_value"]


def record(
    *,
    chapter: str,
    key: str,
    construct: str,
    statistic: str,
    wave: str | int,
    sample: str,
    subgroup: str = "all",
    answers: str = "",
    value: float = math.nan,
    ci_low: float = math.nan,
    ci_high: float = math.nan,
    n: int = 0,
    p_value: float = math.nan,
    min_cell_n: int = MIN_CELL_N,
) -> dict:
    """One estimate record; withheld (values blanked, ``suppressed`` True) when n is small.

    ``answers``: what a share counts (see the module docstring); empty for counts, means and
    p-values."""
    if statistic not in STATISTICS:
        raise ValueError(f"unknown statistic {statistic!r}")
    suppressed = statistic != "count" and int(n) < min_cell_n
    if statistic == "count":
        suppressed = int(n) < min_cell_n and int(n) > 0
    row = {
        "chapter": chapter,
        "key": key,
        "construct": construct,
        "statistic": statistic,
        "wave": str(wave),
        "sample": sample,
        "subgroup": subgroup,
        "answers": str(answers),
        "value": float(value),
        "ci_low": float(ci_low),
        "ci_high": float(ci_high),
        "n": int(n),
        "p_value": float(p_value),
        "suppressed": bool(suppressed),
    }
    return withhold(row) if suppressed else row


def withhold(row: dict) -> dict:
    """Mark a record withheld and blank its numbers (n stays: it says why it is withheld)."""
    row["suppressed"] = True
    for column in NUMERIC:
        row[column] = math.nan
    return row


def frame(records: list[dict]) -> pd.DataFrame:
    """Records as a frame with the canonical columns and dtypes."""
    out = pd.DataFrame(records, columns=COLUMNS)
    out["answers"] = ["" if pd.isna(a) else str(a) for a in out["answers"]]
    return out.astype({"n": "int64", "suppressed": "bool"})


def any_of(columns: Sequence[str]) -> str:
    """``answers`` of a share counting a yes (1) in any of ``columns``, in their order.

    >>> any_of(["discr_institutional", "discr_interpersonal"])
    'any:discr_institutional|discr_interpersonal'
    """
    return "any:" + "|".join(columns)


def write(records: pd.DataFrame, path: Path) -> None:
    """Write records as CSV with fixed formatting (stable bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ordered = records[COLUMNS].sort_values(["chapter", "key"], kind="stable")
    ordered.to_csv(path, index=False, float_format="%.6g", lineterminator="\n")


def merge_files(paths: list[Path]) -> pd.DataFrame:
    """All chapters' record files, ordered by chapter and key; keys must be unique."""
    # answers are text: "1" stays "1", and an empty field (a count, a mean) stays empty
    parts = [
        pd.read_csv(p, dtype={"wave": "string"}, converters={"answers": str}) for p in sorted(paths)
    ]
    if not parts:
        return frame([])
    merged = pd.concat(parts, ignore_index=True)[COLUMNS]
    merged["answers"] = ["" if pd.isna(a) else a for a in merged["answers"]]
    dupes = merged[merged.duplicated(["chapter", "key"], keep=False)]
    if not dupes.empty:
        raise ValueError(f"duplicate estimate keys: {sorted(set(dupes['key']))[:5]}")
    return merged.sort_values(["chapter", "key"], kind="stable").reset_index(drop=True)


# --- records of the common estimates -----------------------------------------------------------
def share_record(
    values: pd.Series,
    *,
    key: str,
    construct: str,
    wave: int | str,
    sample: str,
    subgroup: str = "all",
    answers: str = "",
    weights: pd.Series | None = None,
    min_cell_n: int = MIN_CELL_N,
) -> dict:
    """The share of 1s in a 0/1 series (NaN = not asked) as a record, with its Wilson interval;
    ``answers`` says what the 1s are (see the module docstring)."""
    from wavebook.stats import share

    est = share(values, weights=weights)
    return record(
        chapter="",
        key=key,
        construct=construct,
        statistic="share",
        wave=wave,
        sample=sample,
        subgroup=subgroup,
        answers=answers,
        value=est["value"],
        ci_low=est["ci_low"],
        ci_high=est["ci_high"],
        n=est["n"],
        min_cell_n=min_cell_n,
    )


def count_record(
    n: int, *, key: str, construct: str, wave: int | str, sample: str, subgroup: str = "all"
) -> dict:
    """A number of respondents as a record (``value`` = ``n``)."""
    return record(
        chapter="",
        key=key,
        construct=construct,
        statistic="count",
        wave=wave,
        sample=sample,
        subgroup=subgroup,
        value=float(n),
        n=int(n),
    )


def change_record(
    before: pd.Series,
    after: pd.Series,
    *,
    key: str,
    construct: str,
    waves: tuple[int, int],
    sample: str,
    subgroup: str = "all",
    answers: str = "",
    min_cell_n: int = MIN_CELL_N,
) -> dict:
    """A paired change in percentage points with its interval and McNemar's p-value;
    ``answers``: what the two shares count."""
    from wavebook.stats import panel_change

    est = panel_change(before, after)
    return record(
        chapter="",
        key=key,
        construct=construct,
        statistic="change_pp",
        wave=f"{waves[0]}->{waves[1]}",
        sample=sample,
        subgroup=subgroup,
        answers=answers,
        value=est["change_pp"],
        ci_low=est["ci_low"],
        ci_high=est["ci_high"],
        n=est["n"],
        p_value=est["p_value"],
        min_cell_n=min_cell_n,
    )


def shares_by_wave(
    resp: pd.DataFrame, var: Variable, last_wave: int, answers: str | None = None
) -> list[dict]:
    """Share in the combined sample of every wave up to ``last_wave`` that asked ``var``.

    ``answers`` defaults to :meth:`Variable.answers` (what ``var.indicator`` counts)."""
    answers = var.answers() if answers is None else answers
    rows = []
    for wave in range(1, last_wave + 1):
        frame = resp[resp["wave"] == wave]
        if var.name not in frame or frame[var.name].notna().sum() == 0:
            continue
        rows.append(
            share_record(
                var.indicator(frame[var.name]),
                key=f"{var.name}_share_w{wave}_combined",
                construct=var.name,
                wave=wave,
                sample=f"combined_w{wave}",
                answers=answers,
            )
        )
    return rows


def panel_shares(
    resp: pd.DataFrame, var: Variable, waves: tuple[int, int], answers: str | None = None
) -> list[dict]:
    """Shares at both waves of a two-wave panel and the paired change; none before wave 2.

    ``answers`` defaults to :meth:`Variable.answers`."""
    from wavebook.samples import panel, panel_name, wide

    first, last = waves
    if first < 1 or var.name not in resp:
        return []
    counted = var.answers() if answers is None else answers
    rows = panel(resp, waves)
    name = panel_name(waves)
    pairs = wide(rows, var.name).apply(var.indicator).dropna()
    if pairs.empty:
        return []
    out = [
        share_record(
            pairs[w],
            key=f"{var.name}_share_w{w}_{name}",
            construct=var.name,
            wave=w,
            sample=name,
            answers=counted,
        )
        for w in waves
    ]
    out.append(
        change_record(
            pairs[first],
            pairs[last],
            key=f"{var.name}_change_{first}_{last}_{name}",
            construct=var.name,
            waves=waves,
            sample=name,
            answers=counted,
        )
    )
    return out


def protect_partition(records: list[dict]) -> list[dict]:
    """Secondary suppression for the groups of one partition (e.g. age groups).

    If exactly one group is withheld, its value could be recovered from the total and the
    other groups (share × n summed over groups): the smallest other group is withheld too.
    """
    withheld = [r for r in records if r["suppressed"]]
    shown = [r for r in records if not r["suppressed"]]
    if len(withheld) == 1 and shown:
        withhold(min(shown, key=lambda r: (r["n"], r["key"])))
    return records


def shares_by_group(
    frame: pd.DataFrame,
    var: Variable,
    group: pd.Series,
    *,
    wave: int,
    sample: str,
    group_name: str,
    answers: str | None = None,
) -> list[dict]:
    """Share of ``var`` in each group (``group`` aligned with ``frame``), groups in order,
    with secondary suppression (:func:`protect_partition`); ``answers`` defaults to
    :meth:`Variable.answers`."""
    answers = var.answers() if answers is None else answers
    values = var.indicator(frame[var.name])
    groups = group.dropna().unique()
    order = list(group.cat.categories) if hasattr(group, "cat") else sorted(groups)
    return protect_partition(
        [
            share_record(
                values[group == g],
                key=f"{var.name}_share_w{wave}_{group_name}_{g}",
                construct=var.name,
                wave=wave,
                sample=sample,
                subgroup=f"{group_name}={g}",
                answers=answers,
            )
            for g in order
        ]
    )


def sample_sizes(resp: pd.DataFrame, last_wave: int) -> pd.DataFrame:
    """Counts of the combined sample of each wave and of every panel (records)."""
    from wavebook.samples import overlaps

    rows = [
        count_record(
            int((resp["wave"] == w).sum()),
            key=f"n_combined_w{w}",
            construct="sample_size",
            wave=w,
            sample=f"combined_w{w}",
        )
        for w in range(1, last_wave + 1)
    ]
    for panel in overlaps(resp, last_wave).itertuples(index=False):
        rows.append(
            count_record(
                int(panel.n),
                key=f"n_{panel.sample}",
                construct="sample_size",
                wave="->".join(str(w) for w in panel.waves),
                sample=panel.sample,
            )
        )
    return frame(rows)


def retention(resp: pd.DataFrame, last_wave: int) -> list[dict]:
    """For each wave before ``last_wave``: the share of its respondents who answered the next."""
    from wavebook.samples import followed_up

    return [
        share_record(
            followed_up(resp, w)["responded_next"],
            key=f"retention_w{w}_w{w + 1}",
            construct="retention",
            wave=f"{w}->{w + 1}",
            sample=f"combined_w{w}",
            answers=f"wave={w + 1}",  # counted: answered the next wave
        )
        for w in range(1, last_wave)
    ]


# Variables the reports used to check attrition bias (SixMonths fn5), by kind of test.
ATTRITION_VARIABLES = {
    "gender": "nominal",
    "age": "numeric",
    "income_cat": "ordinal",
    "income_cat_pre": "ordinal",
    "plans_return_russia": "ordinal",
    "plans_uncertain": "binary",
}


def attrition(resp: pd.DataFrame, last_wave: int, codebook) -> pd.DataFrame:
    """Respondents of wave ``last_wave - 1`` who answered ``last_wave`` against those who did
    not (empty before wave 2).

    Uses :func:`wavebook.stats.attrition_comparison` on the variables of
    :data:`ATTRITION_VARIABLES` that the wave asked; "hard to say" (98) is not a point on a
    scale and is left out of ordinal comparisons. Returns the tidy test table plus a ``label``.
    """
    from wavebook.samples import followed_up
    from wavebook.stats import attrition_comparison

    if last_wave < 2:
        return pd.DataFrame(
            columns=[
                "variable",
                "kind",
                "test",
                "statistic",
                "p_value",
                "n_responded",
                "n_not_responded",
                "value_responded",
                "value_not_responded",
                "significant",
                "label",
            ]
        )
    frame = followed_up(resp, last_wave - 1)
    asked = {c: k for c, k in ATTRITION_VARIABLES.items() if c in frame and frame[c].notna().any()}
    if "income_cat" in asked:
        asked.pop("income_cat_pre", None)
    labels = {c: codebook[c].label_en for c in asked}
    for column, kind in list(asked.items()):
        var = codebook[column]
        if kind in {"ordinal", "numeric"}:
            frame[column] = frame[column].where(frame[column] != 98)
        elif kind == "nominal" and var.share_cut:
            # a share reads better than a chi-square alone: compare the codebook's cut
            frame[column] = var.indicator(frame[column])
            asked[column] = "binary"
            cut = ", ".join(var.label(code).lower() for code in var.share_cut)
            labels[column] = f"{var.label_en}: {cut}"
    out = attrition_comparison(frame, "responded_next", asked)
    out["label"] = out["variable"].map(labels)
    return out


def attrition_records(tests: pd.DataFrame, last_wave: int) -> list[dict]:
    """The p-values of the attrition tests (wave ``last_wave - 1`` to ``last_wave``) as records."""
    wave = last_wave - 1
    return [
        record(
            chapter="",
            key=f"attrition_w{wave}_{row.variable}_p",
            construct=row.variable,
            statistic="p_value",
            wave=f"{wave}->{last_wave}",
            sample=f"combined_w{wave}",
            subgroup="responders_vs_nonresponders",
            value=float(row.p_value),
            p_value=float(row.p_value),
            n=int(row.n_responded + row.n_not_responded),
        )
        for row in tests.itertuples(index=False)
    ]


def asked(resp: pd.DataFrame, var: Variable, wave: int) -> bool:
    """Did ``wave`` ask ``var`` (the column exists and holds at least one answer)?"""
    from wavebook.samples import asked_waves

    return wave in asked_waves(resp, var.name)


def panel_series(
    resp: pd.DataFrame, var: Variable, waves: tuple[int, ...], answers: str | None = None
) -> list[dict]:
    """Shares of ``var`` at each of ``waves`` among respondents of all of them (the panel),
    and the paired change from the first to the last of the waves that asked it.

    ``answers`` defaults to :meth:`Variable.answers`."""
    from wavebook.samples import panel, panel_name, wide

    if len(waves) < 2 or min(waves) < 1 or var.name not in resp:
        return []
    counted = var.answers() if answers is None else answers
    name = panel_name(waves)
    ticks = wide(panel(resp, waves), var.name).apply(var.indicator)
    present = [w for w in waves if w in ticks and ticks[w].notna().any()]
    out = [
        share_record(
            ticks[w],
            key=f"{var.name}_share_w{w}_{name}",
            construct=var.name,
            wave=w,
            sample=name,
            answers=counted,
        )
        for w in present
    ]
    if len(present) >= 2:
        first, last = present[0], present[-1]
        pairs = ticks[[first, last]].dropna()
        out.append(
            change_record(
                pairs[first],
                pairs[last],
                key=f"{var.name}_change_{first}_{last}_{name}",
                construct=var.name,
                waves=(first, last),
                sample=name,
                answers=counted,
            )
        )
    return out


def mean_record(
    values: pd.Series,
    *,
    key: str,
    construct: str,
    wave: int | str,
    sample: str,
    subgroup: str = "all",
    weights: pd.Series | None = None,
    min_cell_n: int = MIN_CELL_N,
) -> dict:
    """The mean of a scale or number (98, "hard to say", left out) with its t interval."""
    from wavebook.stats import mean_ci

    est = mean_ci(values.where(values != 98), weights=weights)
    return record(
        chapter="",
        key=key,
        construct=construct,
        statistic="mean",
        wave=wave,
        sample=sample,
        subgroup=subgroup,
        value=est["value"],
        ci_low=est["ci_low"],
        ci_high=est["ci_high"],
        n=est["n"],
        min_cell_n=min_cell_n,
    )
