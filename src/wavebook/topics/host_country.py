"""Questions about life in the host country, broken down by country and followed over waves.

Shared by the ``legal_status`` and ``discrimination`` chapters. A country breakdown uses the
combined sample of one wave, restricted to respondents living outside Russia (the questions
are about the country people live in), with countries of fewer than
:data:`wavebook.samples.COUNTRY_MIN_N` respondents folded into "Other countries"
(:func:`wavebook.samples.country_group`). Functions return estimate records and **facts**
(numbers, codebook keys of countries, direction codes, statuses such as ``not_asked``) for the
chapters' sentences, and figures drawn in every language; a wave that did not ask a question
gives a status, never an error, so a chapter built for any wave runs without branches.

Countries are named in facts by codebook keys (``country_residence:GE``); the group of small
countries by the message key :data:`OTHER_KEY` and all countries together by :data:`ALL_KEY`
(labels in ``words/host_country.<lang>.ftl``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from wavebook import charts, estimates, samples, stats
from wavebook import report as wr
from wavebook.codebook import Codebook, Variable
from wavebook.words import Words, bilingual

GROUP = "country"
ALL_COUNTRIES = "All countries"  # the group name of a distribution's total (a record key)
COUNTRY = "country_residence"
OTHER_KEY = "country-other"  # label of the folded group (words/host_country.<lang>.ftl)
ALL_KEY = "country-all"
Records = Sequence[dict] | pd.DataFrame  # a list of records or the frame Chapter.record returns


def as_frame(records: Records) -> pd.DataFrame:
    """Records (a list, or the frame ``Chapter.record`` returns) as a records frame."""
    if isinstance(records, pd.DataFrame):
        return records.reset_index(drop=True)
    return estimates.frame(list(records))


# --- samples ---------------------------------------------------------------------------------
def country_labels(codebook: Codebook) -> dict[str, str]:
    """ISO code -> English country name, from the codebook's ``country_residence`` codes (the
    names are the groups' record keys in ``estimates.csv``)."""
    return {str(c.code): c.en for c in codebook[COUNTRY].codes}


def group_keys(codebook: Codebook) -> dict[str, str]:
    """Group name (a record key) -> the key that labels it in every language.

    >>> from wavebook.paths import Project
    >>> from wavebook.codebook import load_codebook
    >>> keys = group_keys(load_codebook(Project.find().codebook_file))
    >>> keys["Georgia"], keys["Other countries"], keys["Russia"]
    ('country_residence:GE', 'country-other', 'country_residence:RU')
    """
    keys = {name: f"{COUNTRY}:{code}" for code, name in country_labels(codebook).items()}
    return {**keys, samples.OTHER_COUNTRIES: OTHER_KEY, ALL_COUNTRIES: ALL_KEY}


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
    ``method`` is the code of the test that produced the p-value (``chi2`` or ``fisher``);
    ``keys`` maps group names to the keys that label them (:func:`group_keys`).
    """

    var: Variable
    wave: int
    shares: list[dict]
    test: list[dict]
    method: str
    keys: dict[str, str] = field(default_factory=dict)

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
    keys = group_keys(codebook)
    if not estimates.asked(resp, var, wave):
        return Breakdown(var, wave, [], [], "", keys)
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
    return Breakdown(var, wave, shares, [record], str(test["method"]), keys)


def shown_groups(records: Records) -> pd.DataFrame:
    """Share records that may be shown, with the group name in ``group``."""
    rows = as_frame(records)
    rows = rows[(rows["statistic"] == "share") & ~rows["suppressed"]].copy()
    rows["group"] = rows["subgroup"].str.split("=", n=1).str[1]
    return rows


def ranked(result: Breakdown) -> pd.DataFrame:
    """Named countries (not "Other countries", not Russia) that may be shown, highest share
    first."""
    rows = shown_groups(result.shares)
    rows = rows[~rows["group"].isin({samples.OTHER_COUNTRIES, "Russia"})]
    return rows.sort_values(["value", "group"], ascending=[False, True], kind="stable")


def extremes(rows: pd.DataFrame, end: str) -> pd.DataFrame:
    """The groups at the top (``end="top"``) or bottom of ``rows`` (sorted highest first), ties
    included: every group whose share *reads* the same (a whole percent, as printed) as the
    extreme one, so a ranking never picks one of several equal shares.

    >>> rows = pd.DataFrame({"group": list("ABCD"), "value": [9.0, 5.0, 0.2, 0.0]})
    >>> list(extremes(rows, "bottom")["group"]), list(extremes(rows, "top")["group"])
    (['C', 'D'], ['A'])
    """
    shown = rows["value"].round()
    edge = shown.iloc[0] if end == "top" else shown.iloc[-1]
    return rows[shown == edge]


def _end_fact(rows: pd.DataFrame, keys: dict[str, str]) -> dict[str, Any]:
    """The countries at one end (keys, ties together) and the share, interval and n of the
    first of them."""
    first = rows.iloc[0]
    return {
        "keys": [keys.get(g, g) for g in rows["group"]],
        "value": first["value"],
        "ci_low": first["ci_low"],
        "ci_high": first["ci_high"],
        "n": int(first["n"]),
    }


def country_fact(result: Breakdown) -> dict[str, Any]:
    """The facts of a country comparison.

    ``status``: ``ok``; ``not_asked``; ``withheld`` (fewer than two named countries may be
    shown). With ``ok``: ``same`` (every named country reads the same share), ``differs``
    (the test of country differences is significant at :data:`wavebook.stats.ALPHA`),
    ``method`` (``chi2`` / ``fisher``), ``p``, ``top`` and ``bottom`` (the countries at each
    end as codebook keys, ties named together, with the share, interval and n of the first),
    and for the caption ``n`` (everyone who answered from abroad) and ``withheld`` (the number
    of withheld groups).
    """
    if not result.asked:
        return {"status": "not_asked"}
    rows = ranked(result)
    shares = as_frame(result.shares)
    facts: dict[str, Any] = {
        "n": int(shares["n"].sum()),
        "withheld": int(shares["suppressed"].sum()),
    }
    if len(rows) < 2:
        return wr.plain({"status": "withheld", **facts})
    p = result.test[0]["p_value"]
    top, bottom = extremes(rows, "top"), extremes(rows, "bottom")
    facts.update(
        status="ok",
        same=len(top) == len(rows),
        differs=stats.is_significant(p),
        method=result.method,
        p=p,
        top=_end_fact(top, result.keys),
        bottom=_end_fact(bottom, result.keys),
    )
    return wr.plain(facts)


def localized(records: pd.DataFrame, keys: dict[str, str], words: Words) -> pd.DataFrame:
    """Records whose groups (``country=<name>``) are named in the language of ``words``
    (short labels of :func:`group_keys`)."""
    out = records.copy()
    parts = out["subgroup"].str.partition("=")
    labels = parts[2].map(lambda g: words.label(keys[g], "short") if g in keys else g)
    out["subgroup"] = parts[0] + parts[1] + labels
    return out


def _nothing(records: Records) -> bool:
    rows = as_frame(records)
    return rows.empty or bool(rows["suppressed"].all())


def shown_status(records: Records) -> str:
    """``ok`` when some record may be shown, ``withheld`` when all are withheld, else
    ``not_asked`` (for ``{when}`` around a figure)."""
    rows = as_frame(records)
    if rows.empty:
        return "not_asked"
    return "withheld" if bool(rows["suppressed"].all()) else "ok"


def wave_figure(records: Records, name: str, title: str):
    """Shares by wave (:func:`wavebook.charts.share_by_wave`) in every language, the axis
    titled by the message ``title``; an empty text when nothing can be shown (the chapter
    leaves the figure out with ``{when}``)."""
    if _nothing(records):
        return ""

    def draw(rows: pd.DataFrame, words: Words):
        return charts.share_by_wave(rows, name, words.say(title), words=words)

    return bilingual(draw, as_frame(records))


def country_figure(result: Breakdown, name: str, title: str):
    """Shares by country with 95% intervals (largest first), countries named in each
    language, the axis titled by the message ``title``; an empty text when nothing can be
    shown."""
    if _nothing(result.shares):
        return ""

    def draw(rows: pd.DataFrame, words: Words):
        rows = localized(rows, result.keys, words)
        return charts.share_by_group(rows, name, words.say(title), words=words)

    return bilingual(draw, as_frame(result.shares))


# --- waves and panels ---------------------------------------------------------------------------
def share_fact(records: Records, wave: int, sample: str = "") -> dict[str, Any]:
    """:func:`wavebook.report.estimate_fact` of the share of ``wave`` in ``sample`` (default
    the combined sample of the wave); status ``not_asked`` when there is none."""
    sample = sample or f"combined_w{wave}"
    rows = as_frame(records)
    rows = rows[
        (rows["statistic"] == "share") & (rows["wave"] == str(wave)) & (rows["sample"] == sample)
    ]
    return wr.estimate_fact(None if rows.empty else rows.iloc[-1])


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


def answer_keys(var: Variable, codes: Sequence[int | str] | None = None) -> list[str]:
    """Codebook keys (``var:code``) of ``codes``, by default the codebook's cut."""
    return [f"{var.name}:{code}" for code in (var.share_cut if codes is None else codes)]


def panel_records(resp: pd.DataFrame, var: Variable, wave: int) -> list[dict]:
    """The two-wave panel of waves ``wave - 1`` and ``wave`` (shares and McNemar change) and,
    from wave 3 on, the balanced panel of every wave so far; nothing in wave 1.

    In wave 2 the balanced panel *is* the two-wave panel, so it is not repeated.
    """
    rows = estimates.panel_shares(resp, var, (wave - 1, wave)) if wave >= 2 else []
    if wave >= 3:
        rows += estimates.panel_series(resp, var, tuple(range(1, wave + 1)))
    return rows


def _panel_rows(records: Records, waves: Sequence[int]) -> tuple[pd.DataFrame, pd.Series | None]:
    rows = as_frame(records)
    rows = rows[rows["sample"] == samples.panel_name(waves)]
    change = rows[rows["statistic"] == "change_pp"]
    return rows[rows["statistic"] == "share"], (None if change.empty else change.iloc[-1])


def _share_at(shares: pd.DataFrame, wave: str) -> pd.Series | None:
    rows = shares[shares["wave"] == wave]
    return None if rows.empty else rows.iloc[-1]


def _change(shares: pd.DataFrame, change: pd.Series) -> dict[str, Any]:
    first, last = str(change["wave"]).split("->")
    facts = wr.change_fact(_share_at(shares, first), _share_at(shares, last), change)
    return {**facts, "first": int(first), "last": int(last)}


def panel_fact(records: Records, wave: int, asked: Sequence[int]) -> dict[str, Any]:
    """The change among respondents of waves ``wave - 1`` and ``wave``
    (:func:`wavebook.report.change_fact`: shares, change, McNemar p, ``direction``), with
    ``first`` and ``last`` (the two waves).

    ``asked``: the waves that asked the item, from the data
    (:func:`wavebook.samples.asked_waves`). Other statuses: ``first_wave`` (wave 1),
    ``not_asked`` (this wave did not ask), ``first_asked`` (this wave asked it first),
    ``no_panel`` (the wave before did not ask it), ``withheld`` (too few pairs).
    """
    if wave == 1:
        return {"status": "first_wave"}
    if wave not in asked:
        return {"status": "not_asked"}
    shares, change = _panel_rows(records, (wave - 1, wave))
    if change is None:
        status = "first_asked" if min(asked) == wave else "no_panel"
        return {"status": status, "first": wave - 1, "last": wave}
    return _change(shares, change)


def balanced_fact(records: Records, wave: int) -> dict[str, Any]:
    """The balanced panel (every wave so far): the change from the first to the last wave
    that asked the item (:func:`wavebook.report.change_fact`, with ``first`` and ``last``),
    ``waves`` (how many waves the panel spans) and, when exactly one wave lies between,
    ``middle_wave`` and ``middle_value`` (its share); ``middle_count`` says how many.

    The shares count the panel members who answered at each wave, the change only those who
    answered at both ends (complete pairs). Status ``no_panel`` before wave 3 (the balanced
    panel is then the two-wave panel, or does not exist), ``not_asked`` when fewer than two
    waves asked the item, ``withheld`` when too few answered.
    """
    if wave < 3:
        return {"status": "no_panel"}
    shares, change = _panel_rows(records, range(1, wave + 1))
    if change is None:
        return {"status": "not_asked"}
    facts = _change(shares, change)
    middle = shares[~shares["wave"].isin([str(facts["first"]), str(facts["last"])])]
    middle = middle[~middle["suppressed"]]
    facts.update(waves=wave, middle_count=len(middle))
    if len(middle) == 1:
        facts.update(middle_wave=int(middle["wave"].iloc[0]), middle_value=middle["value"].iloc[0])
    return wr.plain(facts)


def samples_fact(records: Records) -> list[str]:
    """The samples of the shown share records, for ``SAMPLES`` in a caption."""
    rows = as_frame(records)
    return wr.samples_fact(rows[~rows["suppressed"]]) if not rows.empty else []


def period_code(text: str | None) -> str:
    """A reference period of the codebook as a code for the words: its words before any
    bracket, lower case, joined by ``_``.

    >>> period_code("Since leaving Russia (about the first month abroad)")
    'since_leaving_russia'
    >>> period_code("Last 3 months")
    'last_3_months'
    >>> period_code(None)
    'none'
    """
    if not text:
        return "none"
    return "_".join(text.split("(")[0].lower().split())


def recall_fact(var: Variable, wave: int) -> dict[str, Any]:
    """The reference periods of ``var`` in the waves up to ``wave`` (codebook), as codes
    (:func:`period_code`): ``now`` (this wave), ``before`` (the wave before, if any),
    ``changed_now`` (this wave's period differs from the wave before's), ``changed`` (any two
    waves differ), ``count`` (how many periods), and ``first`` /
    ``last`` (the first and the latest period) with the waves that used each
    (``first_waves`` / ``last_waves`` as ``wave=N`` keys, for ``GROUPS``).

    >>> from wavebook.codebook import Variable
    >>> v = Variable(name="x", type="binary", label_en="X", label_ru="X", waves=[1, 2, 3],
    ...              codes=[{"code": 0, "en": "no", "ru": "нет"},
    ...                     {"code": 1, "en": "yes", "ru": "да"}],
    ...              recall={1: "Since leaving", 2: "Last 3 months", 3: "Last 3 months"})
    >>> f = recall_fact(v, 3)
    >>> f["now"], f["count"], f["first"], f["first_waves"], f["last_waves"]
    ('last_3_months', 2, 'since_leaving', ['wave=1'], ['wave=2', 'wave=3'])
    """
    periods: dict[str, list[str]] = {}
    for w in range(1, wave + 1):
        periods.setdefault(period_code(var.recall.get(w)), []).append(f"wave={w}")
    codes = list(periods)
    now = period_code(var.recall.get(wave))
    before = period_code(var.recall.get(wave - 1)) if wave > 1 else now
    return {
        "now": now,
        "before": before,
        "changed_now": now != before,
        "changed": len(codes) > 1,
        "count": len(codes),
        "first": codes[0],
        "first_waves": periods[codes[0]],
        "last": codes[-1],
        "last_waves": periods[codes[-1]],
    }
