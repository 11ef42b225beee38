"""The economy chapter: the income ladder and employment before leaving Russia and since.

Two retrospective items (``income_cat_pre``, ``employment_type_pre``, asked when a respondent
first enters the survey) are set against the current items of each wave. Everything here
returns estimate records (:func:`wavebook.estimates.record`), facts for the chapter's
sentences (numbers, statuses, direction codes, codebook keys), or figures and tables drawn in
the language of the :class:`~wavebook.words.Words` they are given; no function returns
respondent rows or a reader's sentence.

Generic pieces that other chapters could use (candidates for shared modules):
:func:`transition_records`, :func:`step_change_records`,
:func:`paired_share_records`, :func:`timeline_chart`, :func:`transition_heatmap`,
:func:`transition_matrix_table`.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence

import altair as alt
import pandas as pd

from wavebook import charts, estimates, samples, stats, tables
from wavebook import report as wr
from wavebook.codebook import Codebook, Variable
from wavebook.words import Words

RU_COMPANY = "ru_company"
#: Ladder groups of the panel comparison: the lowest steps, the middle, the highest.
LADDER_GROUPS = {"low": (1, 2), "middle": (3, 4), "high": (5, 6)}
#: Movement between ladder steps, in reading order.
STEPS = ["fell_3plus", "fell_2", "fell_1", "same", "rose"]
PRE = "pre"


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


# --- facts -----------------------------------------------------------------------------------
def _pick(records: pd.DataFrame, **where) -> pd.Series | None:
    rows = records
    for column, value in where.items():
        if column not in rows:
            return None
        rows = rows[rows[column].astype(str) == str(value)]
    return None if rows.empty else rows.iloc[-1]


def _paired(records: pd.DataFrame, sample: str, first: str, last: str, missing: str) -> dict:
    """:func:`wavebook.report.change_fact` of the paired change of ``sample`` from ``first`` to
    ``last`` (``missing`` as the status when a record is absent)."""
    return wr.change_fact(
        _pick(records, statistic="share", sample=sample, wave=first),
        _pick(records, statistic="share", sample=sample, wave=last),
        _pick(records, statistic="change_pp", sample=sample, wave=f"{first}->{last}"),
        missing=missing,
    )


def timeline_facts(records: pd.DataFrame, wave: int) -> dict:
    """Facts of a share before leaving and now (:func:`share_timeline`): ``pre`` (the share
    before leaving among the respondents of ``wave``), ``now`` (their paired change, status
    ``not_asked`` when ``wave`` did not ask the current item), ``balanced`` (the change in the
    panel of every wave so far; ``first_wave`` in wave 1), ``samples`` (the current shares of
    each wave's respondents, for ``SAMPLES``), ``n_pre`` and ``n_balanced``."""
    sample = f"combined_w{wave}"
    now = _paired(records, sample, PRE, str(wave), "not_asked")
    balanced_sample = samples.panel_name(range(1, wave + 1))
    if wave < 2:
        balanced = {"status": "first_wave"}
    else:
        balanced = _paired(records, balanced_sample, PRE, str(wave), "not_asked")
    pre = _pick(records, statistic="share", sample=sample, wave=PRE)
    current = records[(records["statistic"] == "share") & (records["wave"].astype(str) != PRE)]
    current = current[current["sample"].str.startswith("combined_w")]
    panel_pre = _pick(records, statistic="share", sample=balanced_sample, wave=PRE)
    return {
        "pre": wr.estimate_fact(pre),
        "now": now,
        "balanced": balanced,
        "samples": wr.samples_fact(current) if not current.empty else [],
        "n_pre": 0 if pre is None else int(pre["n"]),
        "n_balanced": 0 if panel_pre is None or wave < 2 else int(panel_pre["n"]),
    }


def benchmark_facts(benchmark: pd.Series) -> dict:
    """The Russian figure of a share: its value and year (the source is named in the text)."""
    return {"value": float(benchmark["value"]), "year": str(benchmark["year"])}


def ladder_facts(resp: pd.DataFrame, wave: int) -> dict:
    """What this edition can compare on the ladder, read from the data (waves up to ``wave``):

    * ``now``: ``ok`` when ``wave`` asked the present step, else ``not_asked``; ``last``: the
      latest earlier wave that asked it (0 if none);
    * ``panel``: ``ok`` when both ``wave - 1`` and ``wave`` asked it, ``first_wave`` in wave 1,
      else ``not_asked`` with ``missing``, the wave that did not ask; ``previous`` is
      ``wave - 1``;
    * ``start``: ``first`` when wave 1 asked it, ``later`` when a later wave ``first`` was the
      first to ask it, ``none`` when no wave so far did.

    >>> resp = pd.DataFrame({"wave": [1, 2, 3], "income_cat": [None, 3.0, 4.0]})
    >>> ladder_facts(resp, 3)
    ... # doctest: +NORMALIZE_WHITESPACE
    {'now': 'ok', 'last': 2, 'panel': 'ok', 'missing': 0, 'previous': 2, 'start': 'later',
     'first': 2}
    >>> ladder_facts(resp[resp["wave"] == 1], 1)["panel"], ladder_facts(resp, 2)["missing"]
    ('first_wave', 1)
    """
    asked = [w for w in samples.asked_waves(resp, "income_cat") if w <= wave]
    earlier = [w for w in asked if w < wave]
    if wave == 1:
        panel, missing = "first_wave", 0
    else:
        absent = [w for w in (wave - 1, wave) if w not in asked]
        panel, missing = ("not_asked", absent[0]) if absent else ("ok", 0)
    start = "none" if not asked else "first" if asked[0] == 1 else "later"
    return {
        "now": "ok" if wave in asked else "not_asked",
        "last": earlier[-1] if earlier else 0,
        "panel": panel,
        "missing": missing,
        "previous": wave - 1,
        "start": start,
        "first": asked[0] if asked else 0,
    }


def steps_facts(records: pd.DataFrame) -> dict:
    """Facts of :func:`ladder_steps`: a status (``ok``, ``not_asked``, ``withheld``), the share
    that fell at least one step (``fell_any``, with its interval and n) and the share of each
    movement in :data:`STEPS`."""
    if records.empty:
        return {"status": "not_asked"}
    facts = {
        step: wr.estimate_fact(_pick(records, subgroup=f"change={step}"))
        for step in [*STEPS, "fell_any"]
    }
    if any(f["status"] != "ok" for f in facts.values()):
        return {"status": "withheld", "n": int(records["n"].max())}
    return {"status": "ok", **facts}


def transition_facts(records: pd.DataFrame) -> dict:
    """Facts of a transition table: ``status`` (``ok`` when at least one row is shown,
    ``withheld`` when every row is, ``not_asked`` without records) and ``n``, the respondents
    behind the table (the sum of its rows' n)."""
    cells = _cells_frame(records)
    if cells.empty:
        return {"status": "not_asked", "n": 0}
    n = int(cells.groupby("from")["n"].first().sum())
    shown = not cells["suppressed"].astype(bool).all()
    return {"status": "ok" if shown else "withheld", "n": n}


def panel_facts(records: pd.DataFrame, wave: int) -> dict:
    """Facts of :func:`ladder_panel`: the n of the panel, the mean step at both waves and the
    direction of the average movement (:func:`wavebook.stats.direction` on the difference of
    the means, decided by the signed-rank test), the shares of the lowest steps that rose to
    step 3 or higher (``low_up``) and of the highest that fell to step 4 or lower
    (``high_down``), and the Stuart–Maxwell test (``differ``: significant or not)."""
    if records.empty:
        return {"status": "first_wave" if wave < 2 else "not_asked"}
    first = wave - 1
    name = samples.panel_name((first, wave))
    mean_a = _pick(records, statistic="mean", wave=first, sample=name)
    mean_b = _pick(records, statistic="mean", wave=wave, sample=name)
    rank = _pick(records, subgroup="test=signed_rank")
    sm = _pick(records, subgroup="test=stuart_maxwell")
    return {
        "status": "ok",
        "first": first,
        "last": wave,
        "n": int(rank["n"]),
        "mean_before": mean_a["value"],
        "mean_after": mean_b["value"],
        "p": rank["p_value"],
        "direction": stats.direction(mean_b["value"] - mean_a["value"], rank["p_value"]),
        "low_up": wr.estimate_fact(_pick(records, subgroup="income_cat_group=low;moved=up")),
        "high_down": wr.estimate_fact(_pick(records, subgroup="income_cat_group=high;moved=down")),
        "sm_p": sm["p_value"],
        "differ": stats.is_significant(sm["p_value"]),
        "cells": transition_facts(records),
    }


def _destinations(records: pd.DataFrame) -> pd.DataFrame:
    rows = records[records["subgroup"].str.startswith(f"employment_type_pre={RU_COMPANY};")]
    return rows.assign(to=rows["subgroup"].str.split("=").str[-1])


def destinations_facts(records: pd.DataFrame, wave: int) -> dict:
    """Facts of :func:`employment_destinations`: who the group is (``sample``: ``wave`` for
    the respondents of wave 1 alone, ``panel`` for the panel of waves ``from_wave`` and
    ``to_wave``), its n, the share still with a Russian company (``stayed``) and the three
    largest other situations, largest first (``top1`` to ``top3``: a codebook key
    ``employment_type:<code>`` and its share)."""
    waves = destinations_sample(wave)
    who = {
        "sample": "wave" if len(waves) == 1 else "panel",
        "from_wave": waves[0],
        "to_wave": waves[-1],
    }
    if records.empty:
        return {"status": "not_asked", **who}
    rows = _destinations(records)
    stayed = rows[rows["to"] == RU_COMPANY].iloc[0]
    facts = {**who, "n": int(stayed["n"]), "stayed": wr.estimate_fact(stayed)}
    if bool(stayed["suppressed"]):
        return {"status": "withheld", **facts}
    others = rows[rows["to"] != RU_COMPANY].sort_values("value", ascending=False, kind="stable")
    for rank, row in enumerate(others.head(3).itertuples(index=False), start=1):
        facts[f"top{rank}"] = {"key": f"employment_type:{row.to}", "value": row.value}
    return {"status": "ok", **facts}


def recall_facts(waves: pd.DataFrame, wave: int) -> dict:
    """How long after the start of the war the "before leaving" questions were answered, at
    the latest (from the end of fieldwork of ``wave``): in weeks under three months (weeks
    read better than a rounded-up month), else in months.

    >>> frame = pd.DataFrame({"wave": [1, 3], "field_end": ["2022-04-04", "2023-07-31"]})
    >>> recall_facts(frame, 1), recall_facts(frame, 3)
    ({'unit': 'weeks', 'count': 6}, {'unit': 'months', 'count': 17})
    """
    end = pd.Timestamp(waves.set_index("wave").loc[wave, "field_end"])
    days = (end - pd.Timestamp("2022-02-24")).days
    if days < 90:
        return {"unit": "weeks", "count": round(days / 7)}
    return {"unit": "months", "count": round(days / 30.44)}


# --- figures and tables ----------------------------------------------------------------------
class Nothing:
    """What a figure or table gives when an edition has nothing to show: an empty output (the
    chapter leaves the figure out with ``{when}`` and says why in a sentence)."""

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/markdown": "", "text/plain": ""}


def _no_table() -> tables.Table:
    """A table with nothing to show: one dash (a ``{table}`` directive needs a table even
    where ``{when}`` leaves it out)."""
    return tables.Table(pd.DataFrame(columns=[wr.DASH]), empty_note=wr.DASH)


def _point_label(point: str, words: Words) -> str:
    if point == PRE:
        return words.say("economy-before-leaving")
    return words.say("wave-label", {"number": int(point)})


def _point_order(point: str) -> int:
    return -1 if point == PRE else int(point)


def timeline_chart(
    records: pd.DataFrame, name: str, title_y: str, words: Words | None = None
) -> charts.Figure | Nothing:
    """Shares with 95% intervals before leaving and at each wave, one colour per sample
    (like :func:`wavebook.charts.share_by_wave`, with a "before leaving" point); ``title_y``
    names a message of the words."""
    words = words or Words("en")
    shown = records[(records["statistic"] == "share") & ~records["suppressed"].astype(bool)]
    if shown.empty:
        return Nothing()
    data = shown[["wave", "sample", "value", "ci_low", "ci_high", "n"]].copy()
    data["sample_label"] = data["sample"].map(lambda code: charts.sample_label(code, words))
    data["point"] = data["wave"].astype(str).map(lambda p: _point_label(p, words))
    data = data.round({"value": 1, "ci_low": 1, "ci_high": 1})
    order = [
        _point_label(p, words) for p in sorted(set(data["wave"].astype(str)), key=_point_order)
    ]
    base = alt.Chart(data).encode(
        x=alt.X("point:N", title=None, sort=order, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("sample_label:N"),
        color=alt.Color(
            "sample_label:N",
            title=words.say("chart-sample"),
            legend=alt.Legend(labelLimit=400, direction="vertical"),
        ),
    )
    rules = base.mark_rule(strokeWidth=2).encode(
        y=alt.Y("ci_low:Q", title=words.say(title_y), scale=alt.Scale(domain=[0, 100])),
        y2="ci_high:Q",
    )
    points = base.mark_point(filled=True, size=70).encode(
        y="value:Q",
        tooltip=[
            alt.Tooltip("point:N", title=words.say("economy-when")),
            alt.Tooltip("sample_label:N", title=words.say("chart-sample")),
            *charts.estimate_tooltips(words),
        ],
    )
    chart = (rules + points).properties(width=480, height=280)
    return charts.Figure(chart, data.drop(columns=["point"]), name, words=words)


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


def cell_text(value: float, words: Words | None = None) -> str:
    """A transition share as written in the heatmap (the number of the table's percent, so
    that the two always round alike).

    >>> cell_text(30.5), cell_text(11.54), cell_text(11.5, Words("ru"))
    ('30', '12', '12')
    """
    return (words or Words("en")).decimal(value)


def transition_heatmap(
    records: pd.DataFrame,
    name: str,
    title_x: str,
    title_y: str,
    facts: dict | None = None,
    words: Words | None = None,
) -> charts.Figure | Nothing:
    """Row shares of a transition table as a heatmap with the share written in each cell;
    withheld rows are not drawn. ``title_x`` and ``title_y`` name messages of the words,
    rendered with ``facts``."""
    words = words or Words("en")
    cells = _cells_frame(records)
    cells = cells[~cells["suppressed"].astype(bool)]
    if cells.empty:
        return Nothing()
    data = (
        cells[["from", "to", "value", "ci_low", "ci_high", "n"]]
        .round({"value": 1, "ci_low": 1, "ci_high": 1})
        .reset_index(drop=True)
    )
    # the cell text uses the table's number on the unrounded value, so chart and table agree
    data["label"] = [cell_text(v, words) for v in cells["value"]]
    order = list(dict.fromkeys(cells["to"]))
    share = words.say("economy-row-share")
    base = alt.Chart(data).encode(
        x=alt.X("to:O", title=words.say(title_x, facts), sort=order, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("from:O", title=words.say(title_y, facts), sort=order),
    )
    rect = base.mark_rect().encode(
        color=alt.Color("value:Q", title=share, scale=alt.Scale(scheme="blues", domain=[0, 100])),
        tooltip=[
            alt.Tooltip("from:O", title=words.say("economy-from")),
            alt.Tooltip("to:O", title=words.say("economy-to")),
            alt.Tooltip("value:Q", title=share),
            alt.Tooltip("ci_low:Q", title=words.say("chart-ci-from")),
            alt.Tooltip("ci_high:Q", title=words.say("chart-ci-to")),
            alt.Tooltip("n:Q", title=words.say("economy-row-n"), format=","),
        ],
    )
    text = base.mark_text(fontSize=12).encode(
        text=alt.Text("label:N"),
        color=alt.condition("datum.value > 50", alt.value("white"), alt.value("#222")),
    )
    chart = (rect + text).properties(width=280, height=210)
    return charts.Figure(chart, data, name, words=words)


def destinations_chart(
    records: pd.DataFrame, name: str, words: Words | None = None
) -> charts.Figure | Nothing:
    """Where the pre-departure employees of Russian companies were at the latest wave: shares
    with 95% intervals, largest first, the codebook's short labels and an axis cut a little
    above the largest interval."""
    words = words or Words("en")
    if records.empty:
        return Nothing()
    rows = _destinations(records)
    shown = rows[~rows["suppressed"].astype(bool)]
    if shown.empty:
        return Nothing()
    data = shown[["to", "value", "ci_low", "ci_high", "n"]].round(
        {"value": 1, "ci_low": 1, "ci_high": 1}
    )
    data.insert(0, "label", [words.label(f"employment_type:{c}", "short") for c in data["to"]])
    data = data.drop(columns=["to"])
    top = min(100, 10 * math.ceil((float(data["ci_high"].max()) + 5) / 10))
    order = data.sort_values("value", ascending=False)["label"].tolist()
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=320))
    )
    rules = base.mark_rule(strokeWidth=2, color=charts.PALETTE[0]).encode(
        x=alt.X(
            "ci_low:Q",
            title=words.say("economy-moves-axis"),
            scale=alt.Scale(domain=[0, top]),
        ),
        x2="ci_high:Q",
    )
    points = base.mark_point(filled=True, size=70, color=charts.PALETTE[0]).encode(
        x="value:Q",
        tooltip=[
            alt.Tooltip("label:N", title=words.label("employment_type", "short")),
            *charts.estimate_tooltips(words),
        ],
    )
    chart = (rules + points).properties(width=400, height=max(120, 26 * len(data)))
    return charts.Figure(chart, data.rename(columns={"label": "employment"}), name, words=words)


def _bounds(words: Words, low: float, high: float) -> str:
    """``41–51%`` (``41–51 %`` in Russian): an interval's bounds for a table cell."""
    return words.bounds(low, high, words.percent(0)[1:])


def transition_matrix_table(
    records: pd.DataFrame, var: Variable, words: Words | None = None
) -> tables.Table:
    """Transition shares as a table: one row per starting category (label and n), one column
    per category at the end, withheld rows marked."""
    words = words or Words("en")
    cells = _cells_frame(records)
    if cells.empty:
        return _no_table()
    codes = [str(c.code) for c in var.codes]
    withheld = words.say("economy-withheld")
    unit = words.percent(0)[1:]  # "%" or " %": the table writes the heatmap's number
    text = cells.assign(
        shown=[
            (withheld if s else cell_text(v, words) + unit)
            for s, v in zip(cells["suppressed"], cells["value"], strict=True)
        ]
    )
    wide = text.set_index(["from", "to"])["shown"]
    n_row = cells.groupby("from")["n"].first().reindex(codes)
    rows = pd.DataFrame(
        {
            words.say("economy-table-from"): [
                f"{c}. {var.label(int(c), words.lang)}" for c in codes
            ],
            "n": [words.decimal(n) for n in n_row],
        }
    )
    for code in codes:
        rows[words.say("economy-table-to", {"code": code})] = [
            wide.get((source, code)) for source in codes
        ]
    return tables.Table(rows[n_row.to_numpy() > 0])


def steps_table(records: pd.DataFrame, words: Words | None = None) -> tables.Table:
    """The ladder movement since leaving: share and 95% interval of each step change (labels
    from the words: ``income_change_<step>``)."""
    words = words or Words("en")
    if records.empty:
        return _no_table()
    rows = [_pick(records, subgroup=f"change={step}") for step in STEPS]
    return tables.Table(
        pd.DataFrame(
            {
                words.say("economy-steps-change"): [
                    words.label(f"income_change_{s}") for s in STEPS
                ],
                words.say("economy-steps-share"): [
                    wr.DASH if bool(r["suppressed"]) else words.percent(r["value"]) for r in rows
                ],
                words.say("economy-steps-interval"): [
                    wr.DASH if bool(r["suppressed"]) else _bounds(words, r["ci_low"], r["ci_high"])
                    for r in rows
                ],
            }
        )
    )
