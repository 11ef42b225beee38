"""The trust chapter: generalized trust and the four-item trust battery, across waves and panels.

Items (questionnaire.md §5 D1–D5): ``trust_general`` (WVS two-option question) and the
battery ``trust_russians_abroad``, ``trust_russians_in_russia``, ``trust_locals``,
``trust_host_gov`` (4-point scale, share = the codebook's ``share_cut``, top two; scale and
cut inferred). Every function is pure: it takes the long respondent-wave table or estimate
records and returns records, frames, text or a figure, so that the chapter holds no branch.

Generic pieces that other chapters could share (candidates for the shared modules):
:func:`panel_records` (two-wave plus balanced panel, de-duplicated), :func:`change_summary`,
:func:`balanced_sentence`, :func:`ranking_sentence`, :func:`changes_table`,
:func:`items_figure`, :func:`benchmark_table`, :func:`number_word`, :func:`n_range_text`.
"""

from __future__ import annotations

import pandas as pd

from wavebook import charts, estimates, samples, stats, tables
from wavebook.codebook import Codebook, Variable
from wavebook.report import DASH, Text, change_words, count, interval, p_text, pct, pp, share_text

GENERAL = "trust_general"
BATTERY = ("trust_russians_abroad", "trust_russians_in_russia", "trust_locals", "trust_host_gov")
ITEMS = (GENERAL, *BATTERY)
# Questions about the country of residence: an answer given from Russia does not concern a
# host country, so such answers are left out (returnees are asked about Russia instead).
HOST_ITEMS = ("trust_locals", "trust_host_gov")
IN_RUSSIA = "RU"

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


# --- small text helpers ---------------------------------------------------------------------
def number_word(n: int) -> str:
    """A small count in words (``number_word(2)`` -> ``'two'``); digits from eleven on.

    >>> number_word(0), number_word(5), number_word(12)
    ('no', 'five', '12')
    """
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _short(label: str) -> str:
    """A label for running text: lower-case start, no trailing parenthesis.

    >>> _short("Generalized trust (most people can be trusted)")
    'generalized trust'
    """
    return _lower_first(label.split(" (")[0])


def labels(codebook: Codebook, items: tuple[str, ...] = ITEMS) -> dict[str, str]:
    """Reader-facing labels of the items, from the codebook (English)."""
    return {name: codebook[name].label_en for name in items}


def short_label(label: str) -> str:
    """A short reader label for charts and tables: no "Trust in" prefix, no parenthesis.

    >>> short_label("Trust in the host country's government and state bodies")
    "Host country's government and state bodies"
    >>> short_label("Generalized trust (most people can be trusted)")
    'Most people can be trusted'
    """
    inner = label.split(" (", 1)
    if len(inner) == 2 and inner[0].lower().startswith("generalized"):
        text = inner[1].rstrip(")")
    else:
        text = inner[0].removeprefix("Trust in ").removeprefix("the ")
    return text[:1].upper() + text[1:]


def short_labels(item_labels: dict[str, str]) -> dict[str, str]:
    """:func:`short_label` of every label (same keys)."""
    return {name: short_label(label) for name, label in item_labels.items()}


def first_wave_text(last_wave: int) -> str:
    """The note for chapters built with wave 1, where no panel exists yet (said once)."""
    return (
        f"Wave {last_wave} is the first wave: nobody has answered twice yet, so no change "
        "within the same people can be shown."
    )


NO_PANEL = "No panel yet."


# --- samples and records --------------------------------------------------------------------
def abroad_answers(resp: pd.DataFrame) -> pd.DataFrame:
    """``resp`` with the answers to :data:`HOST_ITEMS` blanked where the respondent answered
    from Russia (NaN = not applicable, out of every denominator).

    >>> rows = pd.DataFrame({"country_residence": ["GE", "RU"], "trust_locals": [3.0, 4.0],
    ...                      "trust_host_gov": [2.0, 1.0], "trust_general": [1.0, 0.0]})
    >>> abroad_answers(rows)[["trust_locals", "trust_general"]].to_dict("list")
    {'trust_locals': [3.0, nan], 'trust_general': [1.0, 0.0]}
    """
    out = resp.copy()
    in_russia = out["country_residence"] == IN_RUSSIA
    for name in HOST_ITEMS:
        if name in out:
            out[name] = out[name].where(~in_russia)
    return out


def two_wave_sample(last_wave: int) -> str | None:
    """The code of the panel of the last two waves (``panel_2_3``), None for wave 1."""
    return samples.panel_name((last_wave - 1, last_wave)) if last_wave >= 2 else None


def balanced_sample(last_wave: int) -> str | None:
    """The code of the panel of every wave so far (``panel_1_2_3``), None for wave 1."""
    return samples.panel_name(range(1, last_wave + 1)) if last_wave >= 2 else None


def _new_only(rows: list[dict], seen: set[str]) -> list[dict]:
    out = []
    for row in rows:
        if row["key"] not in seen:
            seen.add(row["key"])
            out.append(row)
    return out


def signed_rank_record(
    answers: pd.DataFrame, var: Variable, waves: tuple[int, int], sample: str
) -> dict:
    """Wilcoxon signed-rank p-value of an ordinal item between two waves (98 left out)."""
    first, last = waves
    pairs = answers[[first, last]].where(answers[[first, last]] != 98).dropna()
    test = stats.signed_rank(pairs[first], pairs[last])
    return estimates.record(
        chapter="",
        key=f"{var.name}_signed_rank_p_{first}_{last}_{sample}",
        construct=var.name,
        statistic="p_value",
        wave=f"{first}->{last}",
        sample=sample,
        value=test["p_value"],
        p_value=test["p_value"],
        n=test["n"],
    )


def _signed_rank_records(resp: pd.DataFrame, var: Variable, waves: tuple[int, ...]) -> list[dict]:
    if var.type != "ordinal" or len(waves) < 2 or var.name not in resp:
        return []
    answers = samples.wide(samples.panel(resp, waves), var.name)
    present = [w for w in waves if w in answers and answers[w].notna().any()]
    if len(present) < 2:
        return []
    return [signed_rank_record(answers, var, (present[0], present[-1]), samples.panel_name(waves))]


def panel_records(resp: pd.DataFrame, variables: list[Variable], last_wave: int) -> list[dict]:
    """Shares and paired changes of each item in the panel of the last two waves
    (:func:`wavebook.estimates.panel_shares`) and in the panel of every wave so far
    (:func:`wavebook.estimates.panel_series`, change first → last), plus a signed-rank p-value
    for ordinal items. With two waves both panels are the same and are recorded once; with
    one wave there is no panel and the list is empty.
    """
    seen: set[str] = set()
    out: list[dict] = []
    if last_wave < 2:
        return out
    pair = (last_wave - 1, last_wave)
    every = tuple(range(1, last_wave + 1))
    for var in variables:
        out += _new_only(estimates.panel_shares(resp, var, pair), seen)
        out += _new_only(_signed_rank_records(resp, var, pair), seen)
        out += _new_only(estimates.panel_series(resp, var, every), seen)
        out += _new_only(_signed_rank_records(resp, var, every), seen)
    return out


def combined_records(resp: pd.DataFrame, variables: list[Variable], last_wave: int) -> list[dict]:
    """Share of each item among all respondents of every wave that asked it."""
    return [row for var in variables for row in estimates.shares_by_wave(resp, var, last_wave)]


def first_wave_by_panel(
    resp: pd.DataFrame, var: Variable, last_wave: int, recorded: pd.DataFrame
) -> list[dict]:
    """Wave-1 share of ``var`` in each nested panel (waves 1–2, 1–2–3, …) not yet in
    ``recorded``: the reports printed different wave-1 levels for different panels."""
    seen = set(recorded["key"]) if len(recorded) else set()
    rows = []
    for last in range(2, last_wave + 1):
        waves = tuple(range(1, last + 1))
        name = samples.panel_name(waves)
        panel = samples.panel(resp, waves)
        first = panel[panel["wave"] == 1]
        rows.append(
            estimates.share_record(
                var.indicator(first[var.name]),
                key=f"{var.name}_share_w1_{name}",
                construct=var.name,
                wave=1,
                sample=name,
                answers=var.answers(),
            )
        )
    return _new_only(rows, seen)


def first_wave_sentence(records: pd.DataFrame, var_name: str, what: str) -> str:
    """How the wave-1 share of ``var_name`` differs between the nested panels of ``records``."""
    rows = records[
        (records["construct"] == var_name)
        & (records["statistic"] == "share")
        & (records["wave"].astype(str) == "1")
        & records["sample"].str.startswith("panel_1_2")
    ]
    rows = rows.drop_duplicates("sample").sort_values("sample", key=lambda s: s.str.len())
    if rows.empty:
        return "With a single wave, only the level among all respondents is available."
    if len(rows) == 1:
        row = rows.iloc[0]
        return (
            f"Only one panel includes wave 1 so far ({_sample_words(row['sample'])}); "
            f"in it, {what} at wave 1 was {_share_or_withheld(row)}."
        )
    parts = [
        f"{_share_or_withheld(row)} among those who {_sample_words(row['sample'])}"
        for _, row in rows.iterrows()
    ]
    return (
        f"In these data, {what} at wave 1 was " + "; ".join(parts) + ": the panels keep "
        "different people, and later waves keep those who stayed in the survey."
    )


def _share_or_withheld(row: pd.Series) -> str:
    return share_text(row)


def _sample_words(sample: str) -> str:
    return _lower_first(charts.sample_label(sample))


# --- sentences ------------------------------------------------------------------------------
def _direction(change: pd.Series) -> str:
    """``rose``, ``fell``, ``unchanged`` (not significant at ALPHA) or ``withheld``."""
    if bool(change["suppressed"]):
        return "withheld"
    if not stats.is_significant(change["p_value"]) or round(float(change["value"])) == 0:
        return "unchanged"
    return "rose" if change["value"] > 0 else "fell"


def _changes(records: pd.DataFrame, sample: str) -> pd.DataFrame:
    return records[(records["statistic"] == "change_pp") & (records["sample"] == sample)]


def _grouped(
    records: pd.DataFrame, item_labels: dict[str, str], sample: str
) -> tuple[dict[str, list[str]], str, str, int]:
    """Items of one panel grouped by direction (labels for running text, with the change in
    pp for those that rose or fell), and the waves compared."""
    changes = _changes(records, sample)
    changes = changes[changes["construct"].isin(item_labels)]
    groups: dict[str, list[str]] = {"rose": [], "fell": [], "unchanged": [], "withheld": []}
    if changes.empty:
        return groups, "", "", 0
    first, last = str(changes.iloc[0]["wave"]).split("->")
    for name in item_labels:
        rows = changes[changes["construct"] == name]
        if rows.empty:
            continue
        row = rows.iloc[0]
        kind = _direction(row)
        label = _short(item_labels[name])
        groups[kind].append(f"{label}, {pp(row['value'])}" if kind in {"rose", "fell"} else label)
    return groups, first, last, sum(len(v) for v in groups.values())


def change_summary(
    records: pd.DataFrame,
    item_labels: dict[str, str],
    sample: str | None,
    same_as: str | None = None,
) -> str:
    """Which items rose, fell or did not change significantly in one panel (McNemar, α);
    a short pointer instead when ``sample`` is ``same_as`` (already summarized).

    >>> rec = pd.DataFrame([
    ...     {"construct": "a", "statistic": "change_pp", "sample": "panel_1_2", "wave": "1->2",
    ...      "value": 7.2, "ci_low": 2.9, "ci_high": 11.5, "n": 404, "p_value": 0.002,
    ...      "suppressed": False},
    ...     {"construct": "b", "statistic": "change_pp", "sample": "panel_1_2", "wave": "1->2",
    ...      "value": -0.4, "ci_low": -4.8, "ci_high": 4.0, "n": 454, "p_value": 0.92,
    ...      "suppressed": False}])
    >>> print(change_summary(rec, {"a": "Trust in A", "b": "Trust in B"}, "panel_1_2"))
    ... # doctest: +NORMALIZE_WHITESPACE
    Between wave 1 and wave 2, among respondents who answered waves 1 and 2, of the two trust
    items one rose significantly (trust in A, +7 pp) and one did not change significantly
    (trust in B).
    """
    if sample is None:
        return first_wave_text(1)
    if same_as is not None and sample == same_as:
        return "With two waves so far, the panel of the last two waves is this same panel."
    groups, first, last, total = _grouped(records, item_labels, sample)
    if total == 0:
        return f"No trust item could be compared {_sample_words(sample)}."
    where = f"Between wave {first} and wave {last}, among respondents who {_sample_words(sample)}"
    if len(groups["unchanged"]) == total:
        return f"{where}, none of the {number_word(total)} trust items changed significantly."
    phrases = {
        "rose": "rose significantly",
        "fell": "fell significantly",
        "unchanged": "did not change significantly",
        "withheld": f"rest on fewer than {estimates.MIN_CELL_N} respondents (withheld)",
    }
    parts = [
        f"{number_word(len(groups[k]))} {phrases[k]} ({'; '.join(groups[k])})"
        for k in phrases
        if groups[k]
    ]
    if len(parts) == 1:
        kind = next(k for k in phrases if groups[k])
        return (
            f"{where}, all {number_word(total)} trust items {phrases[kind]} "
            f"({'; '.join(groups[kind])})."
        )
    return f"{where}, of the {number_word(total)} trust items {_listed(parts)}."


def changes_text(records: pd.DataFrame, item_labels: dict[str, str], last_wave: int) -> str:
    """The body text on which items changed: both panels from wave 3 on, the one panel at
    wave 2, a short pointer at wave 1 (the key findings say why)."""
    if last_wave < 2:
        return "There is nothing to compare yet."
    balanced = balanced_sample(last_wave)
    text = change_summary(records, item_labels, balanced)
    if last_wave > 2:
        text += " " + change_summary(records, item_labels, two_wave_sample(last_wave))
    return (
        f"{text} In the tables, the shares at each wave count every panel member who answered "
        "the question at that wave, while the change and the pairs count only those who "
        "answered it at both waves compared, so a change can differ slightly from the "
        "difference of the two shares."
    )


def _names(items: list[str]) -> str:
    """Labels without their change, sharing one "trust in":
    ``['trust in A, +7 pp', 'trust in B']`` -> ``'trust in A and in B'``."""
    return "trust " + _listed([f"in {_object(item.split(', ')[0])}" for item in items])


def panel_finding(
    records: pd.DataFrame, var_name: str, item_labels: dict[str, str], last_wave: int
) -> str:
    """The key finding on the panel of every wave: the generalized-trust shares at its first
    and last wave and the direction of each group item (McNemar at α), or the one note that
    wave 1 has no panel.
    """
    if last_wave < 2:
        return first_wave_text(last_wave)
    sample = balanced_sample(last_wave)
    shares = records[
        (records["construct"] == var_name)
        & (records["statistic"] == "share")
        & (records["sample"] == sample)
    ].set_index("wave")
    change = _changes(records, sample)
    change = change[change["construct"] == var_name]
    others = {k: v for k, v in item_labels.items() if k != var_name}
    groups, first, last, total = _grouped(records, others, sample)
    who = f"Among respondents who {_sample_words(sample)}"
    if change.empty or bool(change.iloc[0]["suppressed"]) or total == 0:
        return f"{who}, too few answered to follow trust over time."
    row = change.iloc[0]
    words = change_words(shares.loc[first, "value"], shares.loc[last, "value"], row["p_value"])
    if words.startswith(("rose", "fell")):
        words = words.replace(" to ", f" in wave {first} to ", 1) + f" in wave {last}"
    phrases = {"rose": "rose", "fell": "fell", "unchanged": "did not change significantly"}
    parts = [f"{_names(groups[k])} {phrases[k]}" for k in phrases if groups[k]]
    return f"{who}, the share who trust most people {words}; " + "; ".join(parts) + "."


def balanced_sentence(records: pd.DataFrame, var_name: str, what: str, last_wave: int) -> str:
    """One sentence on the change first → last in the panel of every wave (McNemar).

    With two waves, the panel of every wave is the two-wave panel: the sentence says so.
    """
    if last_wave < 2:
        return first_wave_text(last_wave)
    if last_wave == 2:
        return "With two waves so far, the panel of every wave is the panel of the last two waves."
    sample = balanced_sample(last_wave)
    changes = _changes(records, sample)
    changes = changes[changes["construct"] == var_name]
    if changes.empty:
        return f"{what[:1].upper() + what[1:]} could not be followed through every wave."
    change = changes.iloc[0]
    first, last = str(change["wave"]).split("->")
    if bool(change["suppressed"]):
        return (
            f"Too few respondents answered every wave from {first} to {last} to report "
            f"the change (fewer than {estimates.MIN_CELL_N})."
        )
    shares = records[
        (records["construct"] == var_name)
        & (records["statistic"] == "share")
        & (records["sample"] == sample)
    ].set_index("wave")
    words = change_words(shares.loc[first, "value"], shares.loc[last, "value"], change["p_value"])
    return (
        f"Among respondents who answered every wave from {first} to {last}, {what} {words} "
        f"between wave {first} and wave {last}; among the {count(change['n'])} of them who "
        f"answered the question at both waves, the change was {pp(change['value'])} "
        f"({interval(change['ci_low'], change['ci_high'], unit=' pp')}; McNemar "
        f"{p_text(change['p_value'])})."
    )


def _tied(rows: pd.DataFrame, value: float) -> pd.DataFrame:
    """The rows whose share rounds to the same whole percent as ``value``."""
    return rows[rows["value"].map(pct) == pct(value)]


def _ranked(rows: pd.DataFrame, item_labels: dict[str, str]) -> str:
    names = _listed([_object(item_labels[c]) for c in rows["construct"]])
    share = pct(rows.iloc[0]["value"])
    return f"{names} ({share} each)" if len(rows) > 1 else f"{names} ({share})"


def ranking_sentence(records: pd.DataFrame, item_labels: dict[str, str], wave: int) -> str:
    """Which group was trusted most and least among all respondents of ``wave``; groups whose
    shares round to the same percent are named together (a tie is never hidden)."""
    rows = records[
        (records["statistic"] == "share")
        & (records["sample"] == f"combined_w{wave}")
        & records["construct"].isin(item_labels)
        & ~records["suppressed"]
    ]
    if len(rows) < 2:
        return f"The questions on trust in particular groups were not asked in wave {wave}."
    rows = rows.sort_values("value", ascending=False)
    top = _tied(rows, rows.iloc[0]["value"])
    bottom = _tied(rows, rows.iloc[-1]["value"])
    if len(top) == len(rows):
        share = pct(rows.iloc[0]["value"])
        return f"In wave {wave}, every group was trusted by about the same share ({share})."
    # "group was" / "groups were": the groups' own names are plural nouns ("Russians ...")
    most = "groups were" if len(top) > 1 else "group was"
    least = "groups were" if len(bottom) > 1 else "group was"
    return (
        f"In wave {wave}, the most trusted {most} {_ranked(top, item_labels)} and the "
        f"least trusted {least} {_ranked(bottom, item_labels)}."
    )


def _object(label: str) -> str:
    """``'Trust in residents of the host country'`` -> ``'residents of the host country'``."""
    return label.removeprefix("Trust in ").removeprefix("trust in ")


def n_range_text(records: pd.DataFrame, sample: str | None) -> str:
    """``'n = 387 to 465 per item and wave'`` for a caption, from the shown share records."""
    if sample is None:
        return "no panel in wave 1"
    rows = records[
        (records["statistic"] == "share") & (records["sample"] == sample) & ~records["suppressed"]
    ]
    if rows.empty:
        return "no shown estimate"
    low, high = int(rows["n"].min()), int(rows["n"].max())
    if low == high:
        return f"n = {count(low)} per item and wave"
    return f"n = {count(low)} to {count(high)} per item and wave"


def panel_caption(records: pd.DataFrame, sample: str | None) -> str:
    """The sample sentence of a panel figure's caption, with the range of n and what it
    counts."""
    if sample is None:
        return "No panel in wave 1."
    return (
        f"Sample: respondents who {_sample_words(sample)} ({n_range_text(records, sample)}; "
        "n counts the panel members who answered the question at that wave)."
    )


def figure_caption(
    records: pd.DataFrame, sample: str | None, what: str, same_as: str | None = None
) -> str:
    """The whole caption text of a panel figure (before the source), which reads well also when
    the figure slot holds a note: no panel yet, or the same panel as the figure above."""
    if sample is None:
        return "Trust in each group among the same people across waves: none in wave 1."
    if same_as is not None and sample == same_as:
        return "With two waves, the panel of the last two waves is the panel of the figure above."
    return f"{what} {panel_caption(records, sample)}"


def panel_text(
    two_wave_records: pd.DataFrame, records: pd.DataFrame, var_name: str, what: str, last_wave: int
) -> str:
    """The body paragraph on generalized trust in the panels: the two-wave panel and the panel
    of every wave from wave 3 on, the one panel at wave 2, a short pointer at wave 1."""
    if last_wave < 2:
        return "With a single wave, nobody can be compared with themselves yet."
    from wavebook.report import panel_sentence

    two = panel_sentence(two_wave_records, what)
    if last_wave == 2:
        return f"{two} With two waves, this panel is also the panel of every wave."
    return f"{balanced_sentence(records, var_name, what, last_wave)} {two}"


# --- figures and tables ---------------------------------------------------------------------
def items_figure(
    records: pd.DataFrame,
    item_labels: dict[str, str],
    sample: str | None,
    name: str,
    title_y: str,
    same_as: str | None = None,
) -> charts.Figure | Text:
    """The items across waves in one panel (:func:`wavebook.charts.items_by_wave`), or a note
    when there is nothing to draw (wave 1) or when ``sample`` is ``same_as`` (already drawn)."""
    if sample is None:
        return Text(NO_PANEL)
    if same_as is not None and sample == same_as:
        return Text("Same panel as in the figure above.")
    rows = records[
        (records["sample"] == sample)
        & records["construct"].isin(item_labels)
        & (records["statistic"] == "share")
        & ~records["suppressed"]
    ]
    if rows.empty:
        return Text(f"No estimate can be shown for respondents who {_sample_words(sample)}.")
    return charts.items_by_wave(rows, item_labels, name, title_y)


def _p_cell(p: float) -> str:
    return DASH if p != p else ("< 0.001" if p < 0.001 else f"{p:.3f}")


def _cell(row: pd.Series, text: str) -> str:
    return "withheld" if bool(row["suppressed"]) else text


CHANGE_COLUMNS = (
    "Item",
    "First wave",
    "Last wave",
    "Change, pp (95% CI)",
    "McNemar p",
    "Signed-rank p",
    "Pairs",
)


def changes_table(
    records: pd.DataFrame,
    item_labels: dict[str, str],
    sample: str | None,
    same_as: str | None = None,
) -> tables.Table:
    """One row per item in one panel: the shares at the first and last wave compared (the
    headers name the waves), the change in pp with its 95% interval, McNemar's p, the
    signed-rank p on the whole scale ("n/a" for a two-answer item) and the pairs.

    Withheld cells say so. With no panel (wave 1), or when ``sample`` is ``same_as`` (the
    table above), the table holds a one-line note.
    """
    empty = pd.DataFrame(columns=list(CHANGE_COLUMNS))
    if sample is None:
        return tables.Table(empty, empty_note=NO_PANEL)
    if same_as is not None and sample == same_as:
        return tables.Table(empty, empty_note="Same panel as in the table above.")
    rows = []
    changes = _changes(records, sample)
    first = last = ""
    for item, label in item_labels.items():
        found = changes[changes["construct"] == item]
        if found.empty:
            continue
        change = found.iloc[0]
        first, last = str(change["wave"]).split("->")
        mine = records[(records["construct"] == item) & (records["sample"] == sample)]
        shares = mine[mine["statistic"] == "share"].set_index("wave")
        ranks = mine[mine["statistic"] == "p_value"]
        span = interval(change["ci_low"], change["ci_high"], unit="").removeprefix("95% CI ")
        rows.append(
            {
                "Item": label,
                "First wave": _cell(shares.loc[first], pct(shares.loc[first, "value"])),
                "Last wave": _cell(shares.loc[last], pct(shares.loc[last, "value"])),
                "Change, pp (95% CI)": _cell(
                    change, f"{pp(change['value']).removesuffix(' pp')} ({span})"
                ),
                "McNemar p": _cell(change, _p_cell(change["p_value"])),
                "Signed-rank p": (
                    "n/a"
                    if ranks.empty
                    else _cell(ranks.iloc[0], _p_cell(ranks.iloc[0]["p_value"]))
                ),
                "Pairs": count(change["n"]),
            }
        )
    if not rows:
        return tables.Table(empty, empty_note="No item could be compared in this panel.")
    frame = pd.DataFrame(rows).rename(
        columns={"First wave": f"Wave {first}", "Last wave": f"Wave {last}"}
    )
    return tables.Table(frame, align=["left", *["right"] * 6])


def age_test_record(resp: pd.DataFrame, var: Variable, wave: int) -> dict:
    """Chi-square test (:func:`wavebook.stats.compare_shares`) of ``var``'s share across age
    groups among all respondents of ``wave``, as a p-value record."""
    latest_rows = samples.combined(resp, wave)
    test = stats.compare_shares(
        var.indicator(latest_rows[var.name]), samples.age_group(latest_rows).astype("string")
    )
    return estimates.record(
        chapter="",
        key=f"{var.name}_age_group_p_w{wave}_combined",
        construct=var.name,
        statistic="p_value",
        wave=wave,
        sample=f"combined_w{wave}",
        subgroup="age_group",
        value=test["p_value"],
        p_value=test["p_value"],
        n=test["n"],
    )


def _group(row: pd.Series) -> str:
    return str(row["subgroup"]).split("=", 1)[1]


def age_sentence(groups: pd.DataFrame, test: pd.Series, what: str) -> str:
    """Whether ``what`` differs by age group (chi-square at α), with the highest and lowest
    shown groups."""
    shown = groups[~groups["suppressed"]].sort_values("value", ascending=False)
    if len(shown) < 2 or bool(test["suppressed"]):
        return f"Too few respondents answered to compare {what} across age groups."
    top, bottom = shown.iloc[0], shown.iloc[-1]
    if stats.is_significant(test["p_value"]):
        return (
            f"{what[:1].upper() + what[1:]} differs significantly between age groups "
            f"(chi-square {p_text(test['p_value'])}): it is highest among those aged "
            f"{_group(top)} ({pct(top['value'])}) and lowest among those aged "
            f"{_group(bottom)} ({pct(bottom['value'])})."
        )
    spread = (
        f"every group is at about {pct(top['value'])}"
        if pct(top["value"]) == pct(bottom["value"])
        else f"the shares run from {pct(bottom['value'])} to {pct(top['value'])}"
    )
    return (
        f"{what[:1].upper() + what[1:]} does not differ significantly between age groups "
        f"(chi-square {p_text(test['p_value'])}; {spread})."
    )


class _Described(charts.StaticFigure):
    """A :class:`wavebook.charts.StaticFigure` whose HTML image has alt text in words."""

    def __init__(self, figure, data: pd.DataFrame, name: str, alt: str) -> None:
        super().__init__(figure, data, name)
        self.alt = alt

    def html(self) -> str:
        import html as _html

        return (
            super()
            .html()
            .replace(f'alt="{_html.escape(self.name)}"', f'alt="{_html.escape(self.alt)}"', 1)
        )


def group_dots(records: pd.DataFrame, name: str, title_x: str, what: str) -> _Described | Text:
    """A static (matplotlib) dot-and-interval chart of shares by subgroup in the house palette
    and font, n in the axis labels, alt text listing every share; a note when nothing is shown.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = records[(records["statistic"] == "share") & ~records["suppressed"]]
    if shown.empty:
        return Text("Too few respondents answered to show the age groups.")
    data = shown[["subgroup", "value", "ci_low", "ci_high", "n"]].reset_index(drop=True)
    groups = data["subgroup"].str.split("=", n=1).str[1]
    ticks = [f"{g} (n = {count(n)})" for g, n in zip(groups, data["n"], strict=True)]
    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 11})
    fig, ax = plt.subplots(figsize=(6.4, 0.42 * max(len(data), 2) + 1.1))
    y = list(range(len(data)))[::-1]
    ax.hlines(y, data["ci_low"], data["ci_high"], color=charts.PALETTE[0], linewidth=2)
    ax.plot(data["value"], y, "o", color=charts.PALETTE[0], markersize=7)
    ax.set_yticks(y, ticks)
    ax.set(xlim=(0, 100), xlabel=title_x, ylim=(-0.7, len(data) - 0.3))
    ax.grid(axis="x", color="#e6e6e6")
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color("#888")
    ax.tick_params(colors="#333", length=0, axis="y")
    alt = (
        f"Dot chart of {what} by age group, with 95% intervals: "
        + "; ".join(f"{g}, {pct(v)}" for g, v in zip(groups, data["value"], strict=True))
        + "."
    )
    return _Described(fig, data, name, alt)


def benchmarks(bench: pd.DataFrame, construct: str) -> pd.DataFrame:
    """Benchmark rows of ``data/benchmarks.csv`` for ``construct``, in file order."""
    if bench.empty:
        return bench
    return bench[bench["construct"] == construct].reset_index(drop=True)


def versus_benchmark(ours: pd.Series, value: float) -> str:
    """``'above'``, ``'below'`` or ``'within the interval of'``: whether a benchmark lies
    outside this survey's 95% interval (the benchmark is taken as fixed).

    >>> versus_benchmark(pd.Series({"ci_low": 50.0, "ci_high": 55.0, "suppressed": False}), 23)
    'above'
    >>> versus_benchmark(pd.Series({"ci_low": 50.0, "ci_high": 55.0, "suppressed": False}), 52)
    'within the interval of'
    """
    if bool(ours["suppressed"]):
        return "not comparable with"
    if value < ours["ci_low"]:
        return "above"
    if value > ours["ci_high"]:
        return "below"
    return "within the interval of"


def field_year(waves: pd.DataFrame, wave: int) -> str:
    """The year(s) of a wave's fieldwork, from the registry (``'2023'``)."""
    row = waves[waves["wave"] == wave].iloc[0]
    first, last = str(row["field_start"])[:4], str(row["field_end"])[:4]
    return first if first == last else f"{first}–{last}"


def benchmark_table(ours: pd.Series, bench: pd.DataFrame, what: str, year: str) -> tables.Table:
    """This survey's latest share beside the benchmarks, with source and year; the last
    column says whether each benchmark lies outside this survey's 95% interval."""
    rows = [
        {
            "Population": f"This survey, all respondents of wave {ours['wave']}",
            what: share_text(ours),
            "Source": "wavebook (this edition)",
            "Year": year,
            "This survey is": "",
        }
    ]
    for row in bench.itertuples(index=False):
        rows.append(
            {
                "Population": f"Adults in {row.population}",
                what: pct(row.value),
                "Source": row.source,
                "Year": _years(row.year),
                "This survey is": versus_benchmark(ours, float(row.value)),
            }
        )
    return tables.Table(pd.DataFrame(rows), align=["left", "right", "left", "left", "left"])


def _plain(source: str) -> str:
    """A source name without inner parentheses, for text already in parentheses.

    >>> _plain("World Values Survey (wave 7)")
    'World Values Survey, wave 7'
    """
    return source.replace(" (", ", ").replace(")", "")


def _years(year: object) -> str:
    return str(year).replace("-", "–")


def benchmark_sentence(ours: pd.Series, bench: pd.DataFrame) -> str:
    """This survey's latest share against each benchmark, in words decided by the interval."""
    if bench.empty:
        return "No benchmark is recorded for this question."
    parts = [
        f"{versus_benchmark(ours, float(row.value))} the {pct(row.value)} of adults in "
        f"{row.population} ({_plain(row.source)}, {_years(row.year)})"
        for row in bench.itertuples(index=False)
    ]
    listed = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    return f"The share in wave {ours['wave']} ({pct(ours['value'])}) is {listed}."


def benchmark_summary(ours: pd.Series, bench: pd.DataFrame) -> str:
    """Short comparison for a key finding: the benchmarks grouped by population (a range
    when a population has several), each group with its word from :func:`versus_benchmark`
    (one word for all when they agree), and the sources without their inner details.

    >>> ours = pd.Series({"value": 61.0, "ci_low": 60.0, "ci_high": 62.0, "suppressed": False})
    >>> bench = pd.DataFrame({"population": ["Russia", "Russia", "Germany"],
    ...     "value": [28.0, 23.0, 40.0], "source": ["World Values Survey (wave 6)",
    ...     "World Values Survey (wave 7)", "World Values Survey (wave 7)"],
    ...     "year": ["2014", "2017-2020", "2017-2020"]})
    >>> benchmark_summary(ours, bench)
    ... # doctest: +NORMALIZE_WHITESPACE
    'above the World Values Survey shares for adults in Russia (23–28%, 2014–2020) and in
    Germany (40%, 2017–2020)'
    """
    if bench.empty:
        return "with no benchmark recorded for this question"
    groups = []
    for population, rows in bench.groupby("population", sort=False):
        low, high = pct(rows["value"].min()), pct(rows["value"].max())
        span = low if low == high else f"{low.removesuffix('%')}–{high}"
        words = {versus_benchmark(ours, float(v)) for v in rows["value"]}
        years = [y for text in rows["year"].astype(str) for y in text.split("-")]
        period = min(years) if min(years) == max(years) else f"{min(years)}–{max(years)}"
        groups.append((population, span, period, " or ".join(sorted(words))))
    sources = _listed(list(dict.fromkeys(s.split(" (")[0] for s in bench["source"])))
    if len({word for _, _, _, word in groups}) == 1:
        places = _listed([f"in {pop} ({span}, {years})" for pop, span, years, _ in groups])
        return f"{groups[0][3]} the {sources} shares for adults {places}"
    places = _listed(
        [
            f"{word} the share for adults in {pop} ({span}, {years})"
            for pop, span, years, word in groups
        ]
    )
    return f"{places} ({sources})"


def published_value(published: pd.DataFrame, figure_id: str) -> str:
    """A number as the reports printed it (``published_figures.csv``), e.g. ``'46%'``."""
    row = published.set_index("id").loc[figure_id]
    unit = "%" if row["unit"] == "%" else f" {row['unit']}"
    return f"{row['value']}{unit}"


def latest(records: pd.DataFrame, var_name: str, wave: int) -> pd.Series:
    """The record of ``var_name``'s share among all respondents of ``wave``."""
    rows = records[
        (records["construct"] == var_name)
        & (records["statistic"] == "share")
        & (records["sample"] == f"combined_w{wave}")
    ]
    return rows.iloc[-1]


def by_age(resp: pd.DataFrame, var: Variable, wave: int) -> list[dict]:
    """Share of ``var`` by age group among all respondents of ``wave`` (protected partition)."""
    latest_rows = samples.combined(resp, wave)
    return estimates.shares_by_group(
        latest_rows,
        var,
        samples.age_group(latest_rows),
        wave=wave,
        sample=f"combined_w{wave}",
        group_name="age_group",
    )


def _listed(parts: list[str], last: str = "and") -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" {last} " + parts[-1]


def scale_text(var: Variable, lang: str = "en") -> str:
    """The answer options of ``var`` in order, quoted, from the codebook.

    >>> from wavebook.codebook import Code
    >>> v = Variable(name="x", type="ordinal", label_en="X", label_ru="X", waves=[1],
    ...              codes=[Code(code=1, en="No", ru="Нет"), Code(code=2, en="Yes", ru="Да")],
    ...              share_cut=[2])
    >>> scale_text(v), cut_text(v)
    ('«No» and «Yes»', '«Yes»')
    """
    return _listed([f"«{var.label(c.code, lang)}»" for c in var.codes])


def cut_text(var: Variable, lang: str = "en") -> str:
    """The answers counted in the share (the codebook's ``share_cut``), quoted."""
    return _listed([f"«{var.label(code, lang)}»" for code in var.share_cut or [1]], last="or")
