"""Questions about life in the host country, broken down by country and followed over waves.

Shared by the ``legal_status`` and ``discrimination`` chapters. A country breakdown uses the
combined sample of one wave, restricted to respondents living outside Russia (the questions
are about the country people live in), with countries of fewer than
:data:`wavebook.samples.COUNTRY_MIN_N` respondents folded into "Other countries"
(:func:`wavebook.samples.country_group`). Every function returns records (or text decided
from records), and returns nothing or a "not asked" note when the wave did not ask the
question, so a chapter built for any wave runs without branches.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from wavebook import charts, estimates, samples, stats
from wavebook import report as wr
from wavebook.codebook import Codebook, Variable

GROUP = "country"
ALL_COUNTRIES = "All countries"
_NOT_RANKED = {samples.OTHER_COUNTRIES, "Russia"}
Records = Sequence[dict] | pd.DataFrame  # a list of records or the frame Chapter.record returns
_METHODS = {"chi2": "chi-square test", "fisher": "Fisher's exact test"}


def as_frame(records: Records) -> pd.DataFrame:
    """Records (a list, or the frame ``Chapter.record`` returns) as a records frame."""
    if isinstance(records, pd.DataFrame):
        return records.reset_index(drop=True)
    return estimates.frame(list(records))


# --- samples ---------------------------------------------------------------------------------
def country_labels(codebook: Codebook) -> dict[str, str]:
    """ISO code -> English country name, from the codebook's ``country_residence`` codes."""
    return {str(c.code): c.en for c in codebook["country_residence"].codes}


def abroad_sample(resp: pd.DataFrame, wave: int) -> pd.DataFrame:
    """Respondents of the combined sample of ``wave`` who live outside Russia."""
    return samples.abroad(samples.combined(resp, wave))


def country_of(frame: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """Country groups of ``frame`` (small countries folded, see :func:`samples.country_group`)."""
    return samples.country_group(frame, country_labels(codebook), samples.COUNTRY_MIN_N)


# --- a country breakdown ----------------------------------------------------------------------
@dataclass(frozen=True)
class Breakdown:
    """Shares of one item by country in one wave, and the test of country differences.

    ``shares`` and ``test`` are estimate records (empty when the wave did not ask the item);
    ``method`` names the test that produced the p-value.
    """

    var: Variable
    wave: int
    shares: list[dict]
    test: list[dict]
    method: str

    @property
    def records(self) -> list[dict]:
        """All records of the breakdown, for ``Chapter.record``."""
        return [*self.shares, *self.test]

    @property
    def asked(self) -> bool:
        return bool(self.shares)


def breakdown(resp: pd.DataFrame, var: Variable, wave: int, codebook: Codebook) -> Breakdown:
    """Share of ``var`` (its codebook cut) by country in the combined sample of ``wave``.

    Countries are folded as in :func:`country_of`; withheld groups follow
    :func:`wavebook.estimates.shares_by_group` (with secondary suppression). The p-value of
    :func:`wavebook.stats.compare_shares` over all groups (withheld ones included: a single
    p-value reveals no cell) is recorded as ``<var>_country_test_w<wave>``.
    """
    if not estimates.asked(resp, var, wave):
        return Breakdown(var, wave, [], [], "")
    frame = abroad_sample(resp, wave)
    group = country_of(frame, codebook)
    shares = estimates.shares_by_group(
        frame, var, group, wave=wave, sample=f"combined_w{wave}", group_name=GROUP
    )
    test = stats.compare_shares(var.indicator(frame[var.name]), group.astype(object))
    record = estimates.record(
        chapter="",
        key=f"{var.name}_country_test_w{wave}",
        construct=var.name,
        statistic="p_value",
        wave=wave,
        sample=f"combined_w{wave}",
        subgroup=GROUP,
        value=test["p_value"],
        p_value=test["p_value"],
        n=test["n"],
    )
    return Breakdown(var, wave, shares, [record], _METHODS.get(test["method"], "test"))


def shown_groups(records: Records) -> pd.DataFrame:
    """Share records that may be shown, with the group name in ``group``."""
    rows = as_frame(records)
    rows = rows[(rows["statistic"] == "share") & ~rows["suppressed"]].copy()
    rows["group"] = rows["subgroup"].str.split("=", n=1).str[1]
    return rows


def ranked(result: Breakdown) -> pd.DataFrame:
    """Named countries (not "Other countries") that may be shown, highest share first."""
    rows = shown_groups(result.shares)
    rows = rows[~rows["group"].isin(_NOT_RANKED)]
    return rows.sort_values(["value", "group"], ascending=[False, True], kind="stable")


_WITH_THE = {
    "Netherlands",
    "Czech Republic",
    "Philippines",
    "Bahamas",
    "Maldives",
    "Gambia",
    "Dominican Republic",
    "Central African Republic",
    "Comoros",
    "Seychelles",
}


def in_country(name: str) -> str:
    """A country name as it reads after "in": ``'the Netherlands'``, ``'Georgia'``.

    >>> in_country("Netherlands"), in_country("United States"), in_country("Georgia")
    ('the Netherlands', 'the United States', 'Georgia')
    """
    return f"the {name}" if name in _WITH_THE or name.startswith("United ") else name


def _test_text(result: Breakdown) -> tuple[bool, str]:
    p = result.test[0]["p_value"] if result.test else math.nan
    return stats.is_significant(p), f"{result.method}, {wr.p_text(p)}"


def extremes(rows: pd.DataFrame, end: str) -> pd.DataFrame:
    """The groups at the top (``end="top"``) or bottom of ``rows`` (sorted highest first), ties
    included: every group whose share *reads* the same (rounded as in the prose) as the
    extreme one, so a ranking never picks one of several equal shares.

    >>> rows = pd.DataFrame({"group": list("ABCD"), "value": [9.0, 5.0, 0.2, 0.0]})
    >>> list(extremes(rows, "bottom")["group"]), list(extremes(rows, "top")["group"])
    (['C', 'D'], ['A'])
    """
    shown = rows["value"].map(wr.pct)
    edge = shown.iloc[0] if end == "top" else shown.iloc[-1]
    return rows[shown == edge]


def _named(rows: pd.DataFrame, short: bool) -> str:
    """``'in Georgia, 24% (95% CI …)'`` for one group, ``'in A, B and C (3% each)'`` for a
    tie."""
    places = _listing([in_country(g) for g in rows["group"]])
    if len(rows) > 1:
        return f"in {places} ({wr.pct(rows['value'].iloc[0])} each)"
    share = wr.pct(rows["value"].iloc[0]) if short else wr.share_text(rows.iloc[0])
    return f"in {places}, {share}"


def _share_in(rows: pd.DataFrame) -> str:
    """``'24% in Georgia'`` or ``'3% in A and B'`` (a tie)."""
    return f"{wr.pct(rows['value'].iloc[0])} in {_listing([in_country(g) for g in rows['group']])}"


def country_sentence(result: Breakdown, what: str, short: bool = False) -> str:
    """One sentence comparing countries: which is highest and lowest, worded by the test.

    ``what`` names the share ("the share who feel their rights are stable"). A difference is
    called a difference only when the test of country differences is significant at
    :data:`wavebook.stats.ALPHA`. Groups whose shares read the same are named together
    (:func:`extremes`). ``short`` gives the headline for the key findings (shares without
    intervals); the full sentence adds intervals, n and the test. Empty when the wave did not
    ask the question (the chapter says so once, in its key findings).
    """
    if not result.asked:
        return ""
    rows = ranked(result)
    if len(rows) < 2:
        return (
            f"Too few respondents answered in wave {result.wave} to compare countries "
            f"(groups of fewer than {estimates.MIN_CELL_N} are withheld)."
        )
    top, bottom = extremes(rows, "top"), extremes(rows, "bottom")
    significant, test = _test_text(result)
    if len(top) == len(rows):
        return (
            f"In wave {result.wave}, {what} was the same in every named country, "
            f"{wr.pct(rows['value'].iloc[0])} ({test})."
        )
    if short:
        differs = "differed between countries" if significant else "did not differ significantly"
        return (
            f"{what[:1].upper()}{what[1:]} {differs}: from {_share_in(bottom)} to {_share_in(top)}."
        )
    if significant:
        return (
            f"In wave {result.wave}, {what} differed between countries ({test}): it was "
            f"highest {_named(top, short)}, and lowest {_named(bottom, short)}."
        )
    return (
        f"In wave {result.wave}, {what} did not differ significantly between countries "
        f"({test}); the estimates ran from {_share_in(bottom)} to {_share_in(top)}."
    )


def country_caption(result: Breakdown) -> str:
    """The sample part of a country figure's caption (n, folding, withheld groups)."""
    if not result.asked:
        return f"The question was not asked in wave {result.wave}."
    rows = as_frame(result.shares)
    withheld = int(rows["suppressed"].sum())
    text = (
        f"Sample: respondents of wave {result.wave} living outside Russia who answered "
        f"(n = {wr.count(rows['n'].sum())}); countries with fewer than "
        f"{samples.COUNTRY_MIN_N} respondents are grouped as "
        f"{samples.OTHER_COUNTRIES.lower()}."
    )
    if withheld:
        text += (
            f" {withheld} group(s) withheld (fewer than {estimates.MIN_CELL_N} answers, or "
            f"withheld so that another cannot be recovered)."
        )
    return text


def figure_caption(result: Breakdown, shown: str) -> str:
    """A whole country-figure caption: ``shown`` (what the figure shows), the wave, the
    intervals and the sample; or one short line when the wave did not ask the question.

    >>> from wavebook.codebook import Variable
    >>> v = Variable(name="x", type="binary", label_en="X", label_ru="X", waves=[3],
    ...              codes=[{"code": 0, "en": "no", "ru": "нет"},
    ...                     {"code": 1, "en": "yes", "ru": "да"}])
    >>> figure_caption(Breakdown(v, 2, [], [], ""), "Share who said yes")
    'Share who said yes, by country of residence: not asked in wave 2.'
    """
    if not result.asked:
        return f"{shown}, by country of residence: not asked in wave {result.wave}."
    return (
        f"{shown}, by country of residence, wave {result.wave}, with 95% intervals. "
        f"{country_caption(result)}"
    )


def bullets(items: Sequence[str]) -> str:
    """A Markdown bullet list of the non-empty ``items`` (glued with ``:format: myst``), so a
    finding that does not apply to a wave leaves no empty bullet.

    Generic: a candidate for :mod:`wavebook.report`.

    >>> print(bullets(["One.", "", "Two."]))
    - One.
    - Two.
    """
    return "\n".join(f"- {item}" for item in items if item)


def figure_or_note(records: Records, note: str, make: Callable[[pd.DataFrame], object]):
    """``make(records)`` when some record can be shown, else ``note`` (glued in its place).

    A wave that did not ask a question, or whose every cell is withheld, gets a sentence where
    the figure would be, never an empty or broken chart.
    """
    rows = as_frame(records)
    if rows.empty or rows["suppressed"].all():
        return note
    return make(rows)


def wave_figure(records: Records, note: str, name: str, title_y: str):
    """Shares by wave (:func:`wavebook.charts.share_by_wave`), or ``note`` when nothing can be
    shown (:func:`figure_or_note`)."""
    return figure_or_note(records, note, lambda rows: charts.share_by_wave(rows, name, title_y))


def country_figure(result: Breakdown, name: str, title_x: str):
    """Shares by country with 95% intervals (largest first), or the "not asked" note."""
    return figure_or_note(
        result.shares,
        wr.not_asked(result.var.label_en, result.wave),
        lambda rows: charts.share_by_group(rows, name, title_x),
    )


# --- waves and panels ---------------------------------------------------------------------------
def share_in_wave(records: Records, var: Variable, wave: int, sample: str = "") -> str:
    """The share of ``wave`` (in ``sample``, default the combined sample) with its interval,
    or the "not asked" note."""
    sample = sample or f"combined_w{wave}"
    rows = as_frame(records)
    rows = rows[
        (rows["statistic"] == "share") & (rows["wave"] == str(wave)) & (rows["sample"] == sample)
    ]
    return wr.not_asked(var.label_en, wave) if rows.empty else wr.share_text(rows.iloc[-1])


def code_shares_by_wave(
    resp: pd.DataFrame, var: Variable, codes: Sequence[int], last_wave: int, name: str
) -> list[dict]:
    """Share answering one of ``codes`` (not the codebook cut) in the combined sample of every
    wave up to ``last_wave`` that asked ``var``; keys ``<var>_<name>_share_w<N>_combined``.

    "Hard to say" (98) stays in the denominator, as in every share of the book.
    """
    rows = []
    for wave in range(1, last_wave + 1):
        if not estimates.asked(resp, var, wave):
            continue
        values = samples.combined(resp, wave)[var.name]
        rows.append(
            estimates.share_record(
                values.isin(list(codes)).astype("float64").where(values.notna()),
                key=f"{var.name}_{name}_share_w{wave}_combined",
                construct=var.name,
                wave=wave,
                sample=f"combined_w{wave}",
                subgroup=name,
                answers=var.answers(codes),
            )
        )
    return rows


def panel_records(resp: pd.DataFrame, var: Variable, wave: int) -> list[dict]:
    """The two-wave panel of waves ``wave - 1`` and ``wave`` (shares and McNemar change) and,
    from wave 3 on, the balanced panel of every wave so far; nothing in wave 1.

    In wave 2 the balanced panel *is* the two-wave panel, so it is not repeated.
    """
    rows = estimates.panel_shares(resp, var, (wave - 1, wave)) if wave >= 2 else []
    if wave >= 3:
        rows += estimates.panel_series(resp, var, tuple(range(1, wave + 1)))
    return rows


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _change_clause(change: pd.Series, shares: pd.DataFrame) -> str:
    """``'rose from 21% to 25%; the change was +4 pp (95% CI 1–7 pp; McNemar p = 0.009)'``."""
    first, last = str(change["wave"]).split("->")
    before = shares.loc[shares["wave"] == first, "value"].iloc[0]
    after = shares.loc[shares["wave"] == last, "value"].iloc[0]
    words = wr.change_words(before, after, change["p_value"])
    return (
        f"{words}; the change was {wr.pp(change['value'])} "
        f"({wr.interval(change['ci_low'], change['ci_high'], unit=' pp')}; McNemar "
        f"{wr.p_text(change['p_value'])})"
    )


def _panel_rows(records: Records, waves: Sequence[int]) -> tuple[pd.DataFrame, pd.Series | None]:
    rows = as_frame(records)
    rows = rows[rows["sample"] == samples.panel_name(waves)]
    change = rows[rows["statistic"] == "change_pp"]
    return rows[rows["statistic"] == "share"], (None if change.empty else change.iloc[-1])


def two_wave_sentence(
    records: Records,
    wave: int,
    what: str,
    asked: Sequence[int] | None = None,
    short: bool = False,
) -> str:
    """The change among respondents of waves ``wave - 1`` and ``wave`` (direction by McNemar's
    test), or why there is none.

    ``asked``: the waves that asked the item, from the data (:func:`wavebook.samples.asked_waves`).
    Empty in wave 1 and when ``asked`` (if given) does not hold ``wave``: the chapter says
    that once, in its key findings. ``short`` leaves out the change in points and its
    interval (the headline for the key findings).
    """
    if wave == 1 or (asked is not None and wave not in asked):
        return ""
    shares, change = _panel_rows(records, (wave - 1, wave))
    if change is None:
        if asked is not None and min(asked) == wave:
            return (
                f"The question was first asked in wave {wave}, so there is no comparison "
                f"of the same people yet."
            )
        return f"Wave {wave - 1} did not ask this question, so there is no panel comparison."
    if bool(change["suppressed"]):
        return (
            f"Too few respondents answered both waves {wave - 1} and {wave} to report the "
            f"change (fewer than {estimates.MIN_CELL_N})."
        )
    if short:
        first, last = str(change["wave"]).split("->")
        before = shares.loc[shares["wave"] == first, "value"].iloc[0]
        after = shares.loc[shares["wave"] == last, "value"].iloc[0]
        words = wr.change_words(before, after, change["p_value"])
        test = f"McNemar {wr.p_text(change['p_value'])}"
        words = f"{words[:-1]}; {test})" if words.endswith(")") else f"{words} ({test})"
        return (
            f"Among the same {wr.count(change['n'])} people in waves {wave - 1} and {wave}, "
            f"{what} {words}."
        )
    return (
        f"Among the {wr.count(change['n'])} respondents who answered both wave {wave - 1} "
        f"and wave {wave}, {what} {_change_clause(change, shares)}."
    )


def balanced_sentence(records: Records, wave: int, what: str) -> str:
    """The balanced panel (every wave so far): the share at each wave and the change from the
    first to the last wave that asked the item, worded by McNemar's test.

    The shares count the panel members who answered at each wave, the change only those who
    answered at both ends (complete pairs), so the two can rest on different respondents: the
    sentence says so. Empty before wave 3 (the balanced panel is then the two-wave panel, or
    does not exist).
    """
    if wave < 3:
        return ""
    shares, change = _panel_rows(records, range(1, wave + 1))
    if change is None:
        return (
            "Fewer than two waves asked this question, so the panel of every wave cannot "
            "follow it yet."
        )
    if bool(change["suppressed"]):
        return (
            f"Too few respondents answered every wave from 1 to {wave} to report the "
            f"change (fewer than {estimates.MIN_CELL_N})."
        )
    levels = _listing([f"{wr.pct(r.value)} in wave {r.wave}" for r in shares.itertuples()])
    first, last = str(change["wave"]).split("->")
    return (
        f"In the panel of respondents who took part in every wave from 1 to {wave}, {what} "
        f"was {levels} (among the members who answered the question at that wave). "
        f"Counting only the {wr.count(change['n'])} who answered it in both wave {first} and "
        f"wave {last}, it {_change_clause(change, shares)}."
    )


def by_wave_caption(records: Records) -> str:
    """The samples part of a by-wave caption (``report.samples_caption``), or a note."""
    rows = as_frame(records)
    shown = rows[~rows["suppressed"]]
    return "No wave so far asked this question." if shown.empty else wr.samples_caption(shown)


def recall_note(var: Variable, wave: int) -> str:
    """The reference period of ``var`` in each wave up to ``wave`` (from the codebook).

    >>> from wavebook.codebook import Variable
    >>> v = Variable(name="x", type="binary", label_en="X", label_ru="X", waves=[1, 2, 3],
    ...              codes=[{"code": 0, "en": "no", "ru": "нет"},
    ...                     {"code": 1, "en": "yes", "ru": "да"}],
    ...              recall={1: "Since leaving", 2: "Last 3 months", 3: "Last 3 months"})
    >>> recall_note(v, 3)
    'the time since leaving in wave 1 and the last 3 months in waves 2 and 3'
    >>> recall_note(v, 1)
    'the time since leaving in wave 1'
    """
    periods: dict[str, list[str]] = {}
    for w in range(1, wave + 1):
        if w in var.recall:
            periods.setdefault(var.recall[w], []).append(str(w))
    parts = [
        f"{period_phrase(text)} in wave{'s' if len(ws) > 1 else ''} {_listing(ws)}"
        for text, ws in periods.items()
    ]
    return _listing(parts) if parts else "not recorded in the codebook"


def period_phrase(text: str) -> str:
    """A codebook reference period as a noun phrase after "covered":

    >>> period_phrase("Last 3 months"), period_phrase("Since leaving Russia")
    ('the last 3 months', 'the time since leaving Russia')
    """
    text = f"{text[:1].lower()}{text[1:]}"
    if text.startswith("since "):
        return f"the time {text}"
    return f"the {text}" if text.startswith("last ") else text
