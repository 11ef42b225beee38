"""The economy chapter: the income ladder and employment before leaving Russia and since.

Two retrospective items (``income_cat_pre``, ``employment_type_pre``, asked when a respondent
first enters the survey) are set against the current items of each wave. Everything here
returns estimate records (:func:`wavebook.estimates.record`), aggregate frames for charts and
tables, or glued text; no function returns respondent rows.

Generic pieces that other chapters could use (candidates for shared modules):
:func:`transition_records`, :func:`step_change_records`,
:func:`paired_share_records`, :func:`timeline_chart`, :func:`transition_heatmap`,
:func:`transition_matrix_table`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Sequence

import altair as alt
import pandas as pd

from wavebook import charts, estimates, samples, stats, tables
from wavebook import report as wr
from wavebook.codebook import Codebook, Variable

RU_COMPANY = "ru_company"
#: Ladder groups of the panel comparison: the lowest steps, the middle, the highest.
LADDER_GROUPS = {"low": (1, 2), "middle": (3, 4), "high": (5, 6)}
#: Movement between ladder steps, in reading order.
STEPS = ["fell_3plus", "fell_2", "fell_1", "same", "rose"]
STEP_LABELS = {
    "fell_3plus": "Fell three or more steps",
    "fell_2": "Fell two steps",
    "fell_1": "Fell one step",
    "same": "Stayed on the same step",
    "rose": "Rose",
}
PRE = "pre"
#: What an empty figure or table of this chapter says (the key findings say why).
EMPTY_NOTE = "Nothing to show in this edition."


# --- data -----------------------------------------------------------------------------------
def _answers(resp: pd.DataFrame, column: str, wave: int) -> pd.Series:
    """Answers to ``column`` at ``wave``, indexed by ``resp_id`` (empty if not asked)."""
    rows = resp[resp["wave"] == wave]
    if column not in rows:
        return pd.Series(dtype="float64", name=column)
    return rows.set_index("resp_id")[column].dropna()


def _on_ladder(values: pd.Series, var: Variable) -> pd.Series:
    """Ladder steps only ("hard to say" and unknown codes are not a step)."""
    codes = [c.code for c in var.codes]
    return values[values.isin(codes)].astype("int64")


# --- records ---------------------------------------------------------------------------------
def transition_records(
    before: pd.Series,
    after: pd.Series,
    categories: Sequence[Hashable],
    *,
    key: str,
    construct: str,
    wave: str,
    sample: str,
    from_name: str,
    to_name: str,
    min_cell_n: int = estimates.MIN_CELL_N,
) -> list[dict]:
    """Transition shares of a paired categorical item as records (statistic
    ``transition_share``), one per ``(from, to)`` cell in category order.

    The share is the percentage of the ``from`` row (:func:`wavebook.stats.transition_table`)
    with its Wilson interval on the row's n; ``n`` is the baseline row's n. Rows with fewer
    than ``min_cell_n`` respondents are withheld; if exactly one non-empty row is withheld, the
    smallest shown row is withheld too, so that a withheld row cannot be recovered from the
    column totals (as :func:`wavebook.estimates.protect_partition` does for groups).

    Keys are ``<key>_<from>_to_<to>``; subgroups ``<from_name>=<from>;<to_name>=<to>``;
    ``answers`` is the destination code ``<to>``.

    >>> before = pd.Series([1] * 40 + [2] * 40)
    >>> after = pd.Series([1] * 30 + [2] * 10 + [2] * 40)
    >>> rows = transition_records(before, after, [1, 2], key="k", construct="x", wave="1->2",
    ...                           sample="s", from_name="x_w1", to_name="x_w2")
    >>> [(r["subgroup"], r["value"], r["n"]) for r in rows][:2]
    [('x_w1=1;x_w2=1', 75.0, 40), ('x_w1=1;x_w2=2', 25.0, 40)]
    """
    table = stats.transition_table(before, after, categories)
    return _protected_cells(
        table,
        key=key,
        construct=construct,
        wave=wave,
        sample=sample,
        from_name=from_name,
        to_name=to_name,
        min_cell_n=min_cell_n,
    )


def _protected_cells(table: pd.DataFrame, *, min_cell_n: int, **meta) -> list[dict]:
    """Records of a ``from``/``to``/``n`` table: row shares with Wilson intervals, small rows
    withheld and one more row withheld when only one would be (secondary suppression).

    ``answers`` of a cell: the table's ``answers`` column where it has one (the destination
    codes of a grouped move), else the ``to`` code."""
    counted = table["answers"] if "answers" in table else table["to"].astype(str)
    row_n = table.groupby("from", sort=False)["n"].sum()
    withheld = {c for c, n in row_n.items() if 0 < n < min_cell_n}
    shown = [(int(n), str(c), c) for c, n in row_n.items() if n >= min_cell_n]
    if len(withheld) == 1 and shown:
        withheld.add(min(shown)[2])
    out = []
    for source, target, count, answers in zip(
        table["from"], table["to"], table["n"], counted, strict=True
    ):
        n_row = int(row_n[source])
        low, high = stats.wilson_interval(int(count), n_row) if n_row else (math.nan, math.nan)
        row = estimates.record(
            chapter="",
            key=f"{meta['key']}_{source}_to_{target}",
            construct=meta["construct"],
            statistic="transition_share",
            wave=meta["wave"],
            sample=meta["sample"],
            subgroup=f"{meta['from_name']}={source};{meta['to_name']}={target}",
            answers=answers,
            value=100 * count / n_row if n_row else math.nan,
            ci_low=100 * low,
            ci_high=100 * high,
            n=n_row,
            min_cell_n=min_cell_n,
        )
        out.append(estimates.withhold(row) if source in withheld else row)
    return out


def step_change_records(
    before: pd.Series,
    after: pd.Series,
    *,
    key: str,
    construct: str,
    wave: str,
    sample: str,
    difference: str,
) -> list[dict]:
    """Shares of respondents whose ladder step fell three or more, two, one step, stayed or
    rose between two answers (pairwise complete), one share record per :data:`STEPS` entry
    (a partition), then the share that fell at least one step (``fell_any``); each with its
    Wilson interval on the number of pairs. ``difference`` names ``after - before`` in
    ``answers`` (e.g. ``income_cat-income_cat_pre``, giving ``income_cat-income_cat_pre<=-3``).

    >>> rows = step_change_records(pd.Series([6, 5, 4, 3] * 10), pd.Series([2, 3, 4, 4] * 10),
    ...                            key="k", construct="x", wave="pre->2", sample="s",
    ...                            difference="x-x_pre")
    >>> [(r["subgroup"], r["value"]) for r in rows]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('change=fell_3plus', 25.0), ('change=fell_2', 25.0), ('change=fell_1', 0.0),
     ('change=same', 25.0), ('change=rose', 25.0), ('change=fell_any', 50.0)]
    >>> rows[0]["answers"], rows[-1]["answers"]
    ('x-x_pre<=-3', 'x-x_pre<=-1')
    """
    pairs = pd.concat([before.rename("b"), after.rename("a")], axis=1).dropna()
    diff = pairs["a"] - pairs["b"]
    groups = {
        "fell_3plus": diff <= -3,
        "fell_2": diff == -2,
        "fell_1": diff == -1,
        "same": diff == 0,
        "rose": diff > 0,
    }
    groups["fell_any"] = diff < 0
    return [
        estimates.share_record(
            groups[step].astype("float64"),
            key=f"{key}_{step}",
            construct=construct,
            wave=wave,
            sample=sample,
            subgroup=f"change={step}",
            answers=f"{difference}{_STEP_RULES[step]}",
        )
        for step in [*STEPS, "fell_any"]
    ]


# What each movement of :func:`step_change_records` counts, as a condition on after - before.
_STEP_RULES = {
    "fell_3plus": "<=-3",
    "fell_2": "=-2",
    "fell_1": "=-1",
    "same": "=0",
    "rose": ">=1",
    "fell_any": "<=-1",
}


def _label(point: Hashable) -> str:
    return PRE if point == PRE else f"w{point}"


def paired_share_records(
    answers: pd.DataFrame, constructs: dict, *, key: str, sample: str, counted: dict
) -> list[dict]:
    """Shares of a 0/1 indicator at several time points for the same respondents (complete
    cases over the columns of ``answers``), and the paired change from the first to the last
    point in percentage points with Newcombe's interval and McNemar's test
    (:func:`wavebook.stats.panel_change`).

    ``answers`` has one column per time point (``"pre"`` or a wave number), one row per
    respondent; ``constructs`` names the construct of each column and ``counted`` what its
    share counts (``answers`` of the record); the change takes the last point's.
    Keys are ``<key>_share_<point>_<sample>`` and ``<key>_change_<first>_<last>_<sample>``.

    >>> answers = pd.DataFrame({"pre": [1.0] * 30 + [0.0] * 10, 3: [1.0] * 20 + [0.0] * 20})
    >>> rows = paired_share_records(answers, {"pre": "x_pre", 3: "x"}, key="k", sample="s",
    ...                             counted={"pre": "1", 3: "1"})
    >>> [(r["key"], r["wave"], r["value"]) for r in rows]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('k_share_pre_s', 'pre', 75.0), ('k_share_w3_s', '3', 50.0),
     ('k_change_pre_w3_s', 'pre->3', -25.0)]
    """
    complete = answers.dropna()
    points = list(answers.columns)
    out = [
        estimates.share_record(
            complete[p],
            key=f"{key}_share_{_label(p)}_{sample}",
            construct=constructs[p],
            wave=p,
            sample=sample,
            answers=counted[p],
        )
        for p in points
    ]
    if len(points) >= 2:
        first, last = points[0], points[-1]
        est = stats.panel_change(complete[first], complete[last])
        out.append(
            estimates.record(
                chapter="",
                key=f"{key}_change_{_label(first)}_{_label(last)}_{sample}",
                construct=constructs[last],
                statistic="change_pp",
                wave=f"{first}->{last}",
                sample=sample,
                answers=counted[last],
                value=est["change_pp"],
                ci_low=est["ci_low"],
                ci_high=est["ci_high"],
                n=est["n"],
                p_value=est["p_value"],
            )
        )
    return out


def _movement_records(
    before: pd.Series, after: pd.Series, *, key: str, construct: str, wave: str, sample: str
) -> list[dict]:
    """For each ladder group at the first wave (:data:`LADDER_GROUPS`): the shares that moved
    to a higher group, stayed, or moved to a lower group by the second wave; rows of fewer
    than ``MIN_CELL_N`` withheld, with the secondary suppression of
    :func:`transition_records`."""
    group_of = {code: g for g, codes in LADDER_GROUPS.items() for code in codes}
    rank = {g: i for i, g in enumerate(LADDER_GROUPS)}
    pairs = pd.concat([before.rename("b"), after.rename("a")], axis=1).dropna()
    start, end = pairs["b"].map(group_of), pairs["a"].map(group_of)
    step = end.map(rank) - start.map(rank)
    moved = step.map(lambda d: "up" if d > 0 else ("down" if d < 0 else "same"))
    possible = {"low": ("same", "up"), "middle": ("down", "same", "up"), "high": ("down", "same")}
    counts = pd.concat([start.rename("from"), moved.rename("to")], axis=1).value_counts()
    table = pd.DataFrame(
        [
            {
                "from": g,
                "to": m,
                "n": int(counts.get((g, m), 0)),
                "answers": _move_codes(g, m, rank),
            }
            for g, moves in possible.items()
            for m in moves
        ]
    )
    return _protected_cells(
        table,
        key=key,
        construct=construct,
        wave=wave,
        sample=sample,
        from_name=f"{construct}_group",
        to_name="moved",
        min_cell_n=estimates.MIN_CELL_N,
    )


def _move_codes(start: str, move: str, rank: dict[str, int]) -> str:
    """The ladder steps a move from the group ``start`` ends on, for ``answers``: ``up`` from
    ``low`` is ``3|4|5|6``."""
    sign = {"up": 1, "same": 0, "down": -1}[move]
    here = rank[start]
    ends = [g for g, r in rank.items() if (r > here) - (r < here) == sign]
    return "|".join(str(c) for g in ends for c in LADDER_GROUPS[g])


# --- the chapter's analyses ------------------------------------------------------------------
def _asked(resp: pd.DataFrame, column: str, wave: int) -> bool:
    return wave in samples.asked_waves(resp, column)


def _ladder_pairs(resp: pd.DataFrame, codebook: Codebook, wave: int) -> pd.DataFrame:
    """Ladder step before leaving and at ``wave`` for respondents of ``wave`` (columns
    ``pre`` and ``now``; respondents with both answers)."""
    var = codebook["income_cat"]
    if not _asked(resp, var.name, wave):
        return pd.DataFrame(columns=["pre", "now"], dtype="int64")
    now = _on_ladder(_answers(resp, var.name, wave), var)
    pre = _on_ladder(samples.entry_answer(resp, "income_cat_pre"), codebook["income_cat_pre"])
    return pd.concat([pre.rename("pre"), now.rename("now")], axis=1, join="inner")


def ladder_since_leaving(resp: pd.DataFrame, codebook: Codebook, wave: int) -> list[dict]:
    """Transition shares from the ladder step before leaving to the step at ``wave`` among
    respondents of ``wave`` (sample ``combined_w<wave>``); none if the wave did not ask the
    current step."""
    pairs = _ladder_pairs(resp, codebook, wave)
    if pairs.empty:
        return []
    sample = f"combined_w{wave}"
    steps = [c.code for c in codebook["income_cat"].codes]
    return transition_records(
        pairs["pre"],
        pairs["now"],
        steps,
        key=f"income_cat_transition_pre_w{wave}_{sample}",
        construct="income_cat",
        wave=f"pre->{wave}",
        sample=sample,
        from_name="income_cat_pre",
        to_name=f"income_cat_w{wave}",
    )


def ladder_steps(resp: pd.DataFrame, codebook: Codebook, wave: int) -> list[dict]:
    """Shares that fell three or more, two, one step, stayed or rose on the ladder between
    before leaving and ``wave`` (respondents of ``wave``); none if not asked."""
    pairs = _ladder_pairs(resp, codebook, wave)
    if pairs.empty:
        return []
    sample = f"combined_w{wave}"
    return step_change_records(
        pairs["pre"],
        pairs["now"],
        key=f"income_cat_steps_pre_w{wave}_{sample}",
        construct="income_cat",
        wave=f"pre->{wave}",
        sample=sample,
        difference="income_cat-income_cat_pre",
    )


def _time_points(
    resp: pd.DataFrame, ids: pd.Index, var_pre: Variable, var_now: Variable, waves: Sequence[int]
) -> pd.DataFrame:
    """0/1 indicators (codebook cut) before leaving and at each of ``waves`` that asked the
    current item, for respondents ``ids`` (one column per point)."""
    columns = {PRE: var_pre.indicator(samples.entry_answer(resp, var_pre.name)).reindex(ids)}
    for w in waves:
        if _asked(resp, var_now.name, w):
            columns[w] = var_now.indicator(_answers(resp, var_now.name, w)).reindex(ids)
    return pd.DataFrame(columns, index=ids)


def share_timeline(
    resp: pd.DataFrame, codebook: Codebook, wave: int, item: str, key: str
) -> list[dict]:
    """The share in the codebook's cut of ``item`` (``income_cat`` or ``employment_type``)
    before leaving and now, in three samples:

    * each earlier wave's combined sample (current item only);
    * the combined sample of ``wave``: before leaving and now for the same respondents, with
      the paired change (McNemar);
    * the balanced panel (every wave so far, from wave 2 on): before leaving and at every
      wave that asked the item, complete cases, with the change from before leaving to the
      last wave.
    """
    var_now, var_pre = codebook[item], codebook[f"{item}_pre"]
    out = [r for r in estimates.shares_by_wave(resp, var_now, wave - 1)]
    for r in out:
        r["key"] = f"{key}_share_w{r['wave']}_combined_w{r['wave']}"
    latest = samples.combined(resp, wave)["resp_id"]
    constructs = {PRE: var_pre.name, **{w: var_now.name for w in range(1, wave + 1)}}
    counted = {PRE: var_pre.answers(), **{w: var_now.answers() for w in range(1, wave + 1)}}
    out += paired_share_records(
        _time_points(resp, pd.Index(latest), var_pre, var_now, [wave]),
        constructs,
        key=key,
        sample=f"combined_w{wave}",
        counted=counted,
    )
    if wave >= 2:
        ids = samples.panel_ids(resp, range(1, wave + 1))
        points = _time_points(resp, ids, var_pre, var_now, range(1, wave + 1))
        out += paired_share_records(
            points,
            constructs,
            key=key,
            sample=samples.panel_name(range(1, wave + 1)),
            counted=counted,
        )
    return out


def ladder_panel(resp: pd.DataFrame, codebook: Codebook, wave: int) -> list[dict]:
    """Movement on the ladder between waves ``wave - 1`` and ``wave`` in their panel:

    * the 6 × 6 transition shares;
    * for the lowest steps (1–2), the middle (3–4) and the highest (5–6) at the first wave,
      the shares that moved to a higher group, stayed or moved to a lower group;
    * the mean step at both waves, and the p-values of the Stuart–Maxwell test of marginal
      homogeneity and of the Wilcoxon signed-rank test (records with statistic ``p_value``).

    None when one of the two waves did not ask the current step (or before wave 2).
    """
    var = codebook["income_cat"]
    first, last = wave - 1, wave
    if first < 1 or not (_asked(resp, var.name, first) and _asked(resp, var.name, last)):
        return []
    name = samples.panel_name((first, last))
    steps = samples.wide(samples.panel(resp, (first, last)), var.name)
    pairs = pd.concat(
        [
            _on_ladder(steps[first].dropna(), var).rename("b"),
            _on_ladder(steps[last].dropna(), var).rename("a"),
        ],
        axis=1,
        join="inner",
    )
    span = f"{first}->{last}"
    codes = [c.code for c in var.codes]
    out = transition_records(
        pairs["b"],
        pairs["a"],
        codes,
        key=f"income_cat_transition_w{first}_w{last}_{name}",
        construct=var.name,
        wave=span,
        sample=name,
        from_name=f"income_cat_w{first}",
        to_name=f"income_cat_w{last}",
    )
    out += _movement_records(
        pairs["b"],
        pairs["a"],
        key=f"income_cat_groups_w{first}_w{last}_{name}",
        construct=var.name,
        wave=span,
        sample=name,
    )
    out += [
        estimates.mean_record(
            pairs[c], key=f"income_cat_mean_w{w}_{name}", construct=var.name, wave=w, sample=name
        )
        for c, w in (("b", first), ("a", last))
    ]
    tests = {
        "stuart_maxwell": stats.stuart_maxwell(pairs["b"], pairs["a"], codes),
        "signed_rank": stats.signed_rank(pairs["b"], pairs["a"]),
    }
    out += [
        estimates.record(
            chapter="",
            key=f"income_cat_{test}_p_w{first}_w{last}_{name}",
            construct=var.name,
            statistic="p_value",
            wave=span,
            sample=name,
            subgroup=f"test={test}",
            value=res["p_value"],
            p_value=res["p_value"],
            n=res["n"],
        )
        for test, res in tests.items()
    ]
    return out


def destinations_sample(wave: int) -> tuple[int, ...]:
    """The waves of the sample used for employment destinations: the panel of the first and
    the latest wave (the memo's Fig 9 uses waves 1 and 3), or wave 1 alone in wave 1.

    >>> destinations_sample(3), destinations_sample(1)
    ((1, 3), (1,))
    """
    return (1,) if wave == 1 else (1, wave)


def _sample_code(waves: tuple[int, ...]) -> str:
    return f"combined_w{waves[0]}" if len(waves) == 1 else samples.panel_name(waves)


def employment_destinations(resp: pd.DataFrame, codebook: Codebook, wave: int) -> list[dict]:
    """Transition shares from the main employment before leaving to the employment at
    ``wave`` in the panel of waves 1 and ``wave`` (:func:`destinations_sample`); none if
    ``wave`` did not ask employment."""
    var = codebook["employment_type"]
    if not _asked(resp, var.name, wave):
        return []
    waves = destinations_sample(wave)
    sample = _sample_code(waves)
    ids = samples.panel_ids(resp, waves)
    pre = samples.entry_answer(resp, "employment_type_pre").reindex(ids)
    now = _answers(resp, var.name, wave).reindex(ids)
    codes = [c.code for c in var.codes]
    return transition_records(
        pre,
        now,
        codes,
        key=f"employment_type_transition_pre_w{wave}_{sample}",
        construct=var.name,
        wave=f"pre->{wave}",
        sample=sample,
        from_name="employment_type_pre",
        to_name=f"employment_type_w{wave}",
    )


# --- sentences -------------------------------------------------------------------------------
def _pick(records: pd.DataFrame, **where) -> pd.Series | None:
    rows = records
    for column, value in where.items():
        if column not in rows:
            return None
        rows = rows[rows[column].astype(str) == str(value)]
    return None if rows.empty else rows.iloc[-1]


def _share(row: pd.Series | None) -> str:
    return "—" if row is None else wr.share_text(row)


def _value(row: pd.Series | None) -> str:
    """A share alone (``46%``) or the withheld mark."""
    if row is None:
        return "—"
    return wr.share_text(row) if bool(row["suppressed"]) else wr.pct(row["value"])


def _paired(records: pd.DataFrame, sample: str, first: str, last: str):
    """The two shares and the paired change of ``sample`` (or ``None`` for each missing)."""
    return (
        _pick(records, statistic="share", sample=sample, wave=first),
        _pick(records, statistic="share", sample=sample, wave=last),
        _pick(records, statistic="change_pp", sample=sample, wave=f"{first}->{last}"),
    )


def _direction(records: pd.DataFrame, sample: str, first: str, last: str) -> str:
    """``fell from 20% to 16% (McNemar p < 0.001)``: the direction words of a paired change,
    decided by McNemar's test."""
    before, after, change = _paired(records, sample, first, last)
    if change is None or before is None or after is None:
        return "could not be compared"
    if bool(change["suppressed"]):
        return f"could not be compared (fewer than {estimates.MIN_CELL_N} respondents)"
    words = wr.change_words(before["value"], after["value"], change["p_value"])
    return f"{words} (McNemar {wr.p_text(change['p_value'])})"


def _change_detail(records: pd.DataFrame, sample: str, first: str, last: str) -> str:
    """``−3 pp (95% CI −4 to −3 pp, n = 9,429)`` for a paired change."""
    change = _pick(records, statistic="change_pp", sample=sample, wave=f"{first}->{last}")
    if change is None or bool(change["suppressed"]):
        return "—"
    return (
        f"{wr.pp(change['value'])} "
        f"({wr.interval(change['ci_low'], change['ci_high'], unit=' pp')}, "
        f"n = {wr.count(change['n'])})"
    )


def _clean_source(source: str) -> str:
    """A benchmark source without the working note on its attribution.

    >>> _clean_source("Levada Center / RLMS consumption ladder (probable)")
    'Levada Center / RLMS consumption ladder'
    """
    return re.sub(r"\s*\((probable|inferred)[^)]*\)", "", str(source)).strip()


def benchmark_sentence(benchmark: pd.Series) -> str:
    """The Russian benchmark of the car share, with its source and year."""
    return (
        f"{wr.pct(float(benchmark['value']))} of adults in Russia placed themselves on "
        f"the same steps ({_clean_source(benchmark['source'])}, {benchmark['year']})"
    )


def _now_asked(records: pd.DataFrame, wave: int) -> bool:
    return _pick(records, statistic="share", sample=f"combined_w{wave}", wave=wave) is not None


def edition_note(resp: pd.DataFrame, wave: int) -> str:
    """One sentence for the key findings of an edition that cannot show every comparison
    (the present ladder step not asked, no earlier wave); empty when everything is there.
    What each wave asked is read from ``resp`` (waves up to ``wave``)."""
    asked = samples.asked_waves(resp, "income_cat")
    if wave not in asked:
        # an edition knows only its own and earlier waves: name the last one that asked
        last = [w for w in asked if w < wave]
        when = f" (last asked in wave {last[-1]})" if last else ""
        extra = " and, as the first wave, it has no panel yet" if wave == 1 else ""
        return (
            f"Wave {wave} asked about the household's situation before leaving but not about "
            f"its present one{when}, so this edition shows no change on the ladder{extra}."
        )
    if wave > 1 and wave - 1 not in asked:
        return (
            f"Wave {wave - 1} did not ask about the household's present situation, so the "
            f"same people cannot yet be followed on the ladder from one wave to the next."
        )
    return ""


def ladder_start_note(resp: pd.DataFrame, wave: int) -> str:
    """Which early waves did not ask the present ladder step (so the changes start later), from
    ``resp``; empty when wave 1 asked it.

    >>> ladder_start_note(pd.DataFrame({"wave": [1, 2], "income_cat": [None, 3.0]}), 2)
    'Wave 1 did not ask the present step, so changes on the ladder start in wave 2.'
    >>> ladder_start_note(pd.DataFrame({"wave": [1], "income_cat": [None]}), 1)
    'Wave 1 did not ask the present step.'
    """
    asked = samples.asked_waves(resp, "income_cat")
    if asked and asked[0] == 1:
        return ""
    if not asked:
        before = list(range(1, wave + 1))
        return f"{_waves_named(before)} did not ask the present step."
    before = list(range(1, asked[0]))
    return (
        f"{_waves_named(before)} did not ask the present step, so changes on the ladder start "
        f"in wave {asked[0]}."
    )


def _waves_named(waves: list[int]) -> str:
    if len(waves) == 1:
        return f"Wave {waves[0]}"
    return f"Waves {', '.join(map(str, waves[:-1]))} and {waves[-1]}"


def car_finding(records: pd.DataFrame, wave: int, benchmark: pd.Series) -> str:
    """Key finding on "can afford a car" (steps 5–6) since leaving, with the Russian figure."""
    sample = f"combined_w{wave}"
    bench = benchmark_sentence(benchmark)
    if not _now_asked(records, wave):
        pre = _pick(records, statistic="share", sample=sample, wave=PRE)
        return (
            f"Before leaving Russia, {_value(pre)} of the respondents of wave {wave} could "
            f"afford at least a car (steps 5–6 of the six-step ladder); {bench}."
        )
    return (
        f"Since leaving Russia, the share of wave-{wave} respondents whose household could "
        f"afford at least a car (steps 5–6 of the six-step ladder) "
        f"{_direction(records, sample, PRE, str(wave))}; {bench}."
    )


def car_detail(records: pd.DataFrame, wave: int) -> str:
    """The body text of the car figure: the size of the change and the balanced panel."""
    if not _now_asked(records, wave):
        return f"Wave {wave} did not ask about the present, so the figure has one point."
    sample = f"combined_w{wave}"
    text = (
        f"For the respondents of wave {wave} the change from before leaving is "
        f"{_change_detail(records, sample, PRE, str(wave))}."
    )
    return f"{text} {balanced_sentence(records, wave, 'the share who could afford a car')}"


def balanced_sentence(records: pd.DataFrame, wave: int, what: str) -> str:
    """The change from before leaving to ``wave`` in the balanced panel (empty before wave 2)."""
    if wave < 2:
        return ""
    sample = samples.panel_name(range(1, wave + 1))
    if _pick(records, statistic="share", sample=sample, wave=wave) is None:
        return ""
    change = _pick(records, statistic="change_pp", sample=sample, wave=f"{PRE}->{wave}")
    return (
        f"Among the {wr.count(change['n'])} respondents who answered {wr.waves_text(wave)}, "
        f"{what} {_direction(records, sample, PRE, str(wave))} between before leaving and "
        f"wave {wave}: {_change_detail(records, sample, PRE, str(wave))}."
    )


def steps_finding(records: pd.DataFrame, wave: int) -> str:
    """Key finding: the share one step or more lower, and the share higher, since leaving."""
    if records.empty:
        return ""
    fell = _pick(records, subgroup="change=fell_any")
    rose = _pick(records, subgroup="change=rose")
    return (
        f"Since leaving Russia, {_value(fell)} of the respondents of wave {wave} have moved "
        f"down at least one step on the ladder and {_value(rose)} have moved up."
    )


def ladder_text(records: pd.DataFrame, wave: int) -> str:
    """The body text of the ladder section: how to read the chart and how far people fell."""
    if records.empty:
        return f"Wave {wave} did not ask about the present step, so there is nothing to show."

    def get(step: str) -> str:
        return _value(_pick(records, subgroup=f"change={step}"))

    return (
        f"Each row of the chart holds the respondents who stood on one step before leaving "
        f"and shows where they stood in wave {wave}; the cells of a row add up to 100%, and "
        f"cells below the diagonal are people who moved down. Counting every respondent, "
        f"{_share(_pick(records, subgroup='change=fell_any'))} stand lower than before: "
        f"{get('fell_1')} by one step, {get('fell_2')} by two and {get('fell_3plus')} by "
        f"three or more; {get('same')} stayed on their step and {get('rose')} rose."
    )


def _panel_parts(records: pd.DataFrame, wave: int) -> dict:
    first = wave - 1
    name = samples.panel_name((first, wave))
    mean_a = _pick(records, statistic="mean", wave=first, sample=name)
    mean_b = _pick(records, statistic="mean", wave=wave, sample=name)
    rank = _pick(records, subgroup="test=signed_rank")
    moved = "did not move significantly"
    if stats.is_significant(rank["p_value"]) and mean_a["value"] != mean_b["value"]:
        moved = "moved up" if mean_b["value"] > mean_a["value"] else "moved down"
    return {"first": first, "mean_a": mean_a, "mean_b": mean_b, "rank": rank, "moved": moved}


def panel_finding(records: pd.DataFrame, wave: int) -> str:
    """Key finding: the average movement of the same people between waves ``wave - 1`` and
    ``wave`` (empty when there is no such comparison)."""
    if records.empty:
        return ""
    p = _panel_parts(records, wave)
    return (
        f"Between waves {p['first']} and {wave}, the {wr.count(p['rank']['n'])} respondents "
        f"who answered both {p['moved']} on the ladder on average (mean step "
        f"{p['mean_a']['value']:.2f} and {p['mean_b']['value']:.2f}; Wilcoxon signed-rank "
        f"{wr.p_text(p['rank']['p_value'])})."
    )


def ladder_panel_sentence(records: pd.DataFrame, resp: pd.DataFrame, wave: int) -> str:
    """The body text of the panel section: the lowest and the highest steps and the tests,
    or a short note on why there is no comparison (which wave did not ask, from ``resp``)."""
    first = wave - 1
    if records.empty:
        if first < 1:
            return "With a single wave there is no earlier answer to compare with yet."
        asked = samples.asked_waves(resp, "income_cat")
        missing = [w for w in (first, wave) if w not in asked]
        return (
            f"Wave {missing[0] if missing else wave} did not ask about the present step, so "
            f"waves {first} and {wave} cannot be compared."
        )
    p = _panel_parts(records, wave)
    low_up = _pick(records, subgroup="income_cat_group=low;moved=up")
    high_down = _pick(records, subgroup="income_cat_group=high;moved=down")
    sm = _pick(records, subgroup="test=stuart_maxwell")
    differ = (
        "differed between the two waves"
        if stats.is_significant(sm["p_value"])
        else "did not differ significantly between the two waves"
    )
    return (
        f"Here the same people are compared with themselves: the {wr.count(p['rank']['n'])} "
        f"respondents who placed their household on the ladder in both wave {first} and wave "
        f"{wave}. Of those on the lowest steps (1–2) in wave {first}, {_share(low_up)} had "
        f"reached step 3 or higher by wave {wave}; of those on the highest steps (5–6), "
        f"{_share(high_down)} had fallen to step 4 or lower. The distribution over the six "
        f"steps {differ} (Stuart–Maxwell test, {wr.p_text(sm['p_value'])}). This movement "
        f"between two waves abroad is a different comparison from the previous section, "
        f"which sets each respondent's present against the time before leaving."
    )


def employment_finding(records: pd.DataFrame, wave: int) -> str:
    """Key finding: the share employed by a Russian company before leaving and at ``wave``."""
    sample = f"combined_w{wave}"
    return (
        f"Since leaving Russia, the share of wave-{wave} respondents whose main job was with "
        f"a Russian company {_direction(records, sample, PRE, str(wave))}."
    )


def employment_sentence(records: pd.DataFrame, wave: int) -> str:
    """The body text of the Russian-company figure: size of the change, balanced panel."""
    sample = f"combined_w{wave}"
    text = (
        f"For the respondents of wave {wave} the change from before leaving is "
        f"{_change_detail(records, sample, PRE, str(wave))}."
    )
    balanced = balanced_sentence(records, wave, "the share employed by a Russian company")
    return f"{text} {balanced}".strip()


def _destinations(records: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    rows = records[records["subgroup"].str.startswith(f"employment_type_pre={RU_COMPANY};")]
    rows = rows.assign(to=rows["subgroup"].str.split("=").str[-1])
    var = codebook["employment_type"]
    return rows.assign(label=rows["to"].map(lambda code: short_label(var.label(code))))


def _destinations_who(wave: int) -> str:
    waves = destinations_sample(wave)
    if len(waves) == 1:
        return f"respondents of wave {waves[0]}"
    return f"panel members (waves {waves[0]} and {waves[1]})"


def destinations_intro(wave: int) -> str:
    """Who the group of the destinations figure is."""
    waves = destinations_sample(wave)
    if len(waves) == 1:
        return (
            f"In this edition the group is the respondents of wave {waves[0]}, with the job "
            f"before leaving that they reported."
        )
    return (
        f"Here the group is the panel of waves {waves[0]} and {waves[1]}: respondents of wave "
        f"{waves[0]} who also answered wave {waves[1]}, with the job before leaving that they "
        f"reported in wave {waves[0]}."
    )


def destinations_finding(records: pd.DataFrame, codebook: Codebook, wave: int) -> str:
    """Key finding: how many of the former Russian-company employees still were at ``wave``."""
    if records.empty:
        return ""
    stayed = _destinations(records, codebook).query("to == @RU_COMPANY").iloc[0]
    who = _destinations_who(wave)
    if bool(stayed["suppressed"]):
        return (
            f"Too few {who} had worked for a Russian company before leaving to say where "
            f"they went (fewer than {estimates.MIN_CELL_N})."
        )
    return (
        f"Of the {wr.count(stayed['n'])} {who} who worked for a Russian company before "
        f"leaving, {_value(stayed)} still did in wave {wave}."
    )


def destinations_sentence(records: pd.DataFrame, codebook: Codebook, wave: int) -> str:
    """Where the pre-departure employees of Russian companies were at ``wave`` (the largest
    other destinations ranked by their share; equal rounded shares are said to be equal)."""
    if records.empty:
        return wr.not_asked(codebook["employment_type"].label_en, wave)
    rows = _destinations(records, codebook)
    stayed = rows[rows["to"] == RU_COMPANY].iloc[0]
    if bool(stayed["suppressed"]):
        return "The figure is withheld."
    others = rows[rows["to"] != RU_COMPANY].sort_values("value", ascending=False).head(3)
    listed = ", ".join(
        f"{label.lower()} ({wr.pct(v)})"
        for label, v in zip(others["label"], others["value"], strict=True)
    )
    tie = others["value"].round().duplicated().any()
    order = "largest first" if not tie else "largest first, some equally common"
    return (
        f"The share still with a Russian company is {_share(stayed)}. The most common other "
        f"situations ({order}) were: {listed}."
    )


def key_findings(
    resp: pd.DataFrame,
    codebook: Codebook,
    wave: int,
    *,
    car: pd.DataFrame,
    steps: pd.DataFrame,
    panel: pd.DataFrame,
    russian: pd.DataFrame,
    moves: pd.DataFrame,
    benchmark: pd.Series,
) -> wr.Text:
    """The key findings as a Markdown list: the edition's note first (what this wave cannot
    show), then one short headline per finding that this wave can give."""
    bullets = [
        edition_note(resp, wave),
        car_finding(car, wave, benchmark),
        steps_finding(steps, wave),
        panel_finding(panel, wave),
        employment_finding(russian, wave),
        destinations_finding(moves, codebook, wave),
    ]
    return wr.Text("\n".join(f"- {b}" for b in bullets if b))


def recall_note(waves: pd.DataFrame, wave: int) -> str:
    """How long after the start of the war the "before leaving" questions were answered, at
    the latest (from the end of fieldwork of ``wave``).

    >>> recall_note(pd.DataFrame({"wave": [1, 3], "field_end": ["2022-04-04", "2023-07-31"]}), 1)
    'up to 6 weeks after 24 February 2022'
    >>> recall_note(pd.DataFrame({"wave": [1, 3], "field_end": ["2022-04-04", "2023-07-31"]}), 3)
    'up to 17 months after 24 February 2022'
    """
    end = pd.Timestamp(waves.set_index("wave").loc[wave, "field_end"])
    days = (end - pd.Timestamp("2022-02-24")).days
    if days < 90:  # under three months, weeks read better than a rounded-up month
        return f"up to {round(days / 7)} weeks after 24 February 2022"
    return f"up to {round(days / 30.44)} months after 24 February 2022"


# --- figures and tables ----------------------------------------------------------------------
def _point_label(point: str) -> str:
    return "Before leaving" if point == PRE else f"Wave {point}"


def timeline_chart(records: pd.DataFrame, name: str, title_y: str) -> charts.Figure | wr.Text:
    """Shares with 95% intervals before leaving and at each wave, one colour per sample
    (like :func:`wavebook.charts.share_by_wave`, with a "Before leaving" point)."""
    shown = records[(records["statistic"] == "share") & ~records["suppressed"].astype(bool)]
    if shown.empty:
        return wr.Text("Nothing to show: the question was not asked in this wave.")
    data = shown[["wave", "sample", "value", "ci_low", "ci_high", "n"]].copy()
    data["sample_label"] = data["sample"].map(charts.sample_label)
    data["point"] = data["wave"].astype(str).map(_point_label)
    data = data.round({"value": 1, "ci_low": 1, "ci_high": 1})
    order = [
        _point_label(p)
        for p in sorted(set(data["wave"].astype(str)), key=lambda p: -1 if p == PRE else int(p))
    ]
    base = alt.Chart(data).encode(
        x=alt.X("point:N", title=None, sort=order, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("sample_label:N"),
        color=alt.Color(
            "sample_label:N",
            title="Sample",
            legend=alt.Legend(labelLimit=400, direction="vertical"),
        ),
    )
    rules = base.mark_rule(strokeWidth=2).encode(
        y=alt.Y("ci_low:Q", title=title_y, scale=alt.Scale(domain=[0, 100])), y2="ci_high:Q"
    )
    points = base.mark_point(filled=True, size=70).encode(
        y="value:Q",
        tooltip=[
            alt.Tooltip("point:N", title="When"),
            alt.Tooltip("sample_label:N", title="Sample"),
            *charts.estimate_tooltips(),
        ],
    )
    chart = (rules + points).properties(width=480, height=280)
    return charts.Figure(chart, data.drop(columns=["point"]), name)


def _cells_frame(records: pd.DataFrame) -> pd.DataFrame:
    """The cells of the first transition table in ``records`` with their ``from`` and ``to``
    codes (subgroup ``a=x;b=y``); a panel's grouped movements are left out."""
    cells = records[records["statistic"] == "transition_share"]
    family = cells["subgroup"].str.split("=").str[0]
    cells = cells[family == family.iloc[0]] if not cells.empty else cells
    parts = cells["subgroup"].str.split(";")
    return cells.assign(
        from_=parts.str[0].str.split("=").str[1], to=parts.str[1].str.split("=").str[1]
    ).rename(columns={"from_": "from"})


def cell_text(value: float) -> str:
    """A transition share as written in both the heatmap and the table (``wr.pct`` without
    the sign, so that the two always round alike).

    >>> cell_text(30.5), cell_text(11.54)
    ('30', '12')
    """
    return wr.pct(value).removesuffix("%")


def transition_heatmap(
    records: pd.DataFrame,
    name: str,
    title_x: str,
    title_y: str,
    empty_note: str = EMPTY_NOTE,
) -> charts.Figure | wr.Text:
    """Row shares of a transition table as a heatmap with the share written in each cell;
    withheld rows are not drawn. ``empty_note`` instead when nothing can be shown."""
    cells = _cells_frame(records)
    cells = cells[~cells["suppressed"].astype(bool)]
    if cells.empty:
        return wr.Text(empty_note)
    data = (
        cells[["from", "to", "value", "ci_low", "ci_high", "n"]]
        .round({"value": 1, "ci_low": 1, "ci_high": 1})
        .reset_index(drop=True)
    )
    # the cell text uses the table's formatter on the unrounded value, so chart and table agree
    data["label"] = [cell_text(v) for v in cells["value"]]
    order = list(dict.fromkeys(cells["to"]))
    base = alt.Chart(data).encode(
        x=alt.X("to:O", title=title_x, sort=order, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("from:O", title=title_y, sort=order),
    )
    rect = base.mark_rect().encode(
        color=alt.Color(
            "value:Q", title="% of row", scale=alt.Scale(scheme="blues", domain=[0, 100])
        ),
        tooltip=[
            alt.Tooltip("from:O", title="From"),
            alt.Tooltip("to:O", title="To"),
            alt.Tooltip("value:Q", title="% of row"),
            alt.Tooltip("ci_low:Q", title="95% CI from"),
            alt.Tooltip("ci_high:Q", title="95% CI to"),
            alt.Tooltip("n:Q", title="n of row", format=","),
        ],
    )
    text = base.mark_text(fontSize=12).encode(
        text=alt.Text("label:N"),
        color=alt.condition("datum.value > 50", alt.value("white"), alt.value("#222")),
    )
    chart = (rect + text).properties(width=280, height=210)
    return charts.Figure(chart, data, name)


def short_label(label: str) -> str:
    """A codebook label shortened for a chart axis: bracketed asides dropped.

    >>> short_label("Other (e.g. relocated by the employer, not in the labour force)")
    'Other'
    >>> short_label("Employee of a local (host-country) company")
    'Employee of a local company'
    """
    return re.sub(r"\s*\([^)]*\)", "", label).strip()


def destinations_chart(
    records: pd.DataFrame, codebook: Codebook, wave: int, name: str
) -> charts.Figure | wr.Text:
    """Where the pre-departure employees of Russian companies were at ``wave``: shares with
    95% intervals, largest first, short labels and an axis cut a little above the largest
    interval."""
    if records.empty:
        return wr.Text(EMPTY_NOTE)
    rows = _destinations(records, codebook)
    shown = rows[~rows["suppressed"].astype(bool)]
    if shown.empty:
        return wr.Text("Too few respondents to show this figure.")
    data = shown[["label", "value", "ci_low", "ci_high", "n"]].round(
        {"value": 1, "ci_low": 1, "ci_high": 1}
    )
    top = min(100, 10 * math.ceil((float(data["ci_high"].max()) + 5) / 10))
    order = data.sort_values("value", ascending=False)["label"].tolist()
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=320))
    )
    rules = base.mark_rule(strokeWidth=2, color=charts.PALETTE[0]).encode(
        x=alt.X(
            "ci_low:Q",
            title="Share of those employed by a Russian company before leaving, %",
            scale=alt.Scale(domain=[0, top]),
        ),
        x2="ci_high:Q",
    )
    points = base.mark_point(filled=True, size=70, color=charts.PALETTE[0]).encode(
        x="value:Q",
        tooltip=[
            alt.Tooltip("label:N", title="Main employment"),
            *charts.estimate_tooltips(),
        ],
    )
    chart = (rules + points).properties(width=400, height=max(120, 26 * len(data)))
    return charts.Figure(chart, data.rename(columns={"label": "employment"}), name)


def transition_matrix_table(records: pd.DataFrame, var: Variable) -> tables.Table:
    """Transition shares as a table: one row per starting category (label and n), one column
    per category at the end, withheld rows marked."""
    cells = _cells_frame(records)
    codes = [str(c.code) for c in var.codes]
    if cells.empty:
        columns = ["From", "n", *[f"To {code}" for code in codes]]
        return tables.Table(pd.DataFrame(columns=columns), empty_note=EMPTY_NOTE)
    labels = {str(c.code): c.en for c in var.codes}
    text = cells.assign(
        shown=[
            ("withheld" if s else f"{cell_text(v)}%")
            for s, v in zip(cells["suppressed"], cells["value"], strict=True)
        ]
    )
    wide = text.set_index(["from", "to"])["shown"]
    n_row = cells.groupby("from")["n"].first().reindex(codes)
    rows = pd.DataFrame(
        {"From": [f"{c}. {labels[c]}" for c in codes], "n": [wr.count(n) for n in n_row]}
    )
    for code in codes:
        rows[f"To {code}"] = [wide.get((source, code)) for source in codes]
    return tables.Table(rows[n_row.to_numpy() > 0])


def steps_table(records: pd.DataFrame) -> tables.Table:
    """The ladder movement since leaving: share and 95% interval of each step change."""
    if records.empty:
        columns = ["Change since leaving", "Share", "95% interval"]
        return tables.Table(pd.DataFrame(columns=columns), empty_note=EMPTY_NOTE)
    rows = [_pick(records, subgroup=f"change={step}") for step in STEPS]
    return tables.Table(
        pd.DataFrame(
            {
                "Change since leaving": [STEP_LABELS[s] for s in STEPS],
                "Share": [_value(r) if bool(r["suppressed"]) else wr.pct(r["value"]) for r in rows],
                "95% interval": [
                    wr.interval(r["ci_low"], r["ci_high"]).removeprefix("95% CI ") for r in rows
                ],
            }
        )
    )


def n_pairs(records: pd.DataFrame) -> str:
    """The number of respondents behind transition or step records (the sum of the row n of a
    transition table, or the n of the shares), for captions; ``—`` when there are none."""
    if records.empty:
        return "—"
    cells = _cells_frame(records)
    if not cells.empty:
        return wr.count(int(cells.groupby("from")["n"].first().sum()))
    return wr.count(int(records["n"].max()))


def _transition_caption(records: pd.DataFrame, head: str, who: str, empty_head: str) -> str:
    if _cells_frame(records).empty:
        return f"{empty_head}: {EMPTY_NOTE.lower()}"
    return (
        f"{head}, percent of each row. Sample: {who} (n = {n_pairs(records)}); rows with "
        f"fewer than {estimates.MIN_CELL_N} respondents are withheld."
    )


def ladder_caption(records: pd.DataFrame, wave: int) -> str:
    """The caption (without the source) of the heatmap of :func:`ladder_since_leaving`."""
    return _transition_caption(
        records,
        f"Step on the consumption ladder before leaving Russia (rows) and in wave {wave} "
        f"(columns; the steps are named in the table below)",
        f"respondents of wave {wave} who answered both questions",
        "Step on the consumption ladder before leaving Russia and now",
    )


def panel_caption(records: pd.DataFrame, wave: int) -> str:
    """The caption (without the source) of the heatmap of :func:`ladder_panel`."""
    empty_head = "Step on the consumption ladder in two successive waves"
    if wave < 2:
        return _transition_caption(records, empty_head, "", empty_head)
    return _transition_caption(
        records,
        f"Step on the consumption ladder in wave {wave - 1} (rows) and in wave {wave} (columns)",
        f"respondents who answered both wave {wave - 1} and wave {wave}",
        empty_head,
    )


def destinations_caption(records: pd.DataFrame, wave: int) -> str:
    """The sample sentence of the destinations figure."""
    rows = records[records["subgroup"].str.startswith(f"employment_type_pre={RU_COMPANY};")]
    if rows.empty:
        return EMPTY_NOTE
    return (
        f"Sample: {_destinations_who(wave)} who worked for a Russian company before leaving "
        f"(n = {wr.count(int(rows['n'].iloc[0]))})."
    )


def _point_order(point: str) -> int:
    return -1 if point == PRE else int(point)


def timeline_caption(records: pd.DataFrame) -> str:
    """``Samples: all respondents of each wave (before leaving, recalled in wave 3: n = ...;
    wave 2: n = ...; wave 3: n = ...); ...`` for the captions of :func:`timeline_chart`, the
    points in time order (like :func:`wavebook.report.samples_caption`)."""
    shares = records[records["statistic"] == "share"]
    if shares.empty:
        return EMPTY_NOTE
    parts = []
    labels = shares["sample"].map(charts.sample_label)
    for label, rows in shares.groupby(labels, sort=False):
        points = sorted(
            zip(rows["wave"].astype(str), rows["n"], strict=True),
            key=lambda point: _point_order(point[0]),
        )
        if len(points) > 1 and len(set(rows["sample"])) == 1 and len({n for _, n in points}) == 1:
            parts.append(f"{str(label).lower()} (n = {wr.count(points[0][1])} at every point)")
            continue
        latest = max(int(w) for w, _ in points if w != PRE) if len(points) > 1 else None
        recalled = f", recalled in wave {latest}" if latest else ""
        ns = "; ".join(
            (f"before leaving{recalled}" if w == PRE else f"wave {w}") + f": n = {wr.count(n)}"
            for w, n in points
        )
        parts.append(f"{str(label).lower()} ({ns})")
    return "Samples: " + "; ".join(parts) + "."
