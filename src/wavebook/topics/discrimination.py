"""Discrimination in the host country: experienced (any, institutional, interpersonal) and
feared.

``discr_any`` is asked in every wave but changes twice: its recall period (about the first
month abroad in wave 1, the last three months later) and, in wave 3, its measure (two items,
by organisations and by local people, with ``discr_any`` derived as either). The wording of the
chapter's caveats is decided here from the data (which waves asked which item) and the
codebook (reference periods), so a build of any wave says what applies.
Country breakdowns and panel sentences come from :mod:`wavebook.topics.host_country`.
"""

from __future__ import annotations

import re

import pandas as pd

from wavebook import report as wr
from wavebook import samples
from wavebook.codebook import Codebook, Variable
from wavebook.topics.host_country import (
    Breakdown,
    Records,
    as_frame,
    code_shares_by_wave,
    country_sentence,
    share_in_wave,
)

SPLIT_ITEMS = ("discr_institutional", "discr_interpersonal")
NOT_AFRAID = "not_at_all"  # name of the "not afraid at all" share in keys and subgroups


def split_waves(resp: pd.DataFrame, wave: int) -> list[int]:
    """Waves up to ``wave`` that asked the two split items instead of one question (both
    items hold answers in ``resp``).

    >>> resp = pd.DataFrame({"wave": [1, 2, 3], "discr_institutional": [None, 0, 1],
    ...                      "discr_interpersonal": [None, None, 0]})
    >>> split_waves(resp, 3), split_waves(resp, 2)
    ([3], [])
    """
    asked = [set(samples.asked_waves(resp, name)) for name in SPLIT_ITEMS]
    return sorted(w for w in set.intersection(*asked) if w <= wave)


def measure_note(resp: pd.DataFrame, codebook: Codebook, wave: int) -> str:
    """How ``discr_any`` was measured in the waves up to ``wave`` (which waves asked the split
    items, from ``resp``; their labels from the codebook).

    >>> from wavebook.paths import Project
    >>> from wavebook.codebook import load_codebook
    >>> book = load_codebook(Project.find().codebook_file)
    >>> resp = pd.DataFrame({"wave": [1, 2, 3], "discr_institutional": [None, None, 1],
    ...                      "discr_interpersonal": [None, None, 0]})
    >>> measure_note(resp, book, 2)
    'Waves 1 and 2 asked one question about any discrimination.'
    >>> measure_note(resp, book, 3)[:60]
    'Waves 1 and 2 asked one question about any discrimination; w'
    """
    split = split_waves(resp, wave)
    single = [str(w) for w in range(1, wave + 1) if w not in split]
    one = (
        "Wave 1 asked" if single == ["1"] else f"Waves {_listing(single)} asked"
    ) + " one question about any discrimination"
    if not split:
        return one + "."
    labels = [codebook[name].label_en.split(" (")[0].lower() for name in SPLIT_ITEMS]
    waves = _listing([str(w) for w in split])
    return (
        f"{one}; wave{'s' if len(split) > 1 else ''} {waves} asked two separate questions "
        f"instead ({labels[0]}; {labels[1]}), and any discrimination is counted there when "
        f"either answer is yes. A single question and two narrower ones need not give the "
        f"same share, so the series is not like for like."
    )


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def fear_records(resp: pd.DataFrame, var: Variable, wave: int) -> list[dict]:
    """Share "not afraid at all" (code 1) in the combined sample of each wave that asked."""
    return code_shares_by_wave(resp, var, [var.codes[0].code], wave, NOT_AFRAID)


def not_afraid_sentence(records: Records, var: Variable, wave: int) -> str:
    """The "not afraid at all" share of ``wave``, or the "not asked" note."""
    rows = as_frame(records)
    rows = rows[(rows["wave"] == str(wave)) & (rows["subgroup"] == NOT_AFRAID)]
    if rows.empty:
        return wr.not_asked(var.label_en, wave)
    return f"{wr.share_text(rows.iloc[-1])} answered «{var.codes[0].en.lower()}»"


def benchmark_sentence(benchmark: pd.Series, records: Records, var: Variable, wave: int) -> str:
    """The benchmark's share, population, year and measure beside the survey's share of
    ``wave`` (combined sample)."""
    rows = as_frame(records)
    rows = rows[
        (rows["statistic"] == "share")
        & (rows["wave"] == str(wave))
        & (rows["sample"] == f"combined_w{wave}")
    ]
    ours = wr.DASH if rows.empty else wr.share_text(rows.iloc[-1])
    population = str(benchmark["population"])
    measure = re.sub(r"\s*\(.*\)$", "", str(benchmark["comparable_with"]))
    return (
        f"{wr.pct(float(benchmark['value']))} of {population[:1].lower()}{population[1:]} "
        f"in {benchmark['year']} ({measure}), against {ours} in wave {wave} of this survey "
        f"(reference period: {recall_in(var, wave)})"
    )


def any_sentence(records: Records, var: Variable, wave: int) -> str:
    """The share of ``wave`` who met discrimination, with the wave's recall period."""
    share = share_in_wave(records, var, wave)
    if share.endswith(f"not asked in wave {wave}."):
        return share
    return (
        f"In wave {wave}, {share} of respondents said they had personally met "
        f"discrimination in the host country (reference period: {recall_in(var, wave)})."
    )


def split_sentence(
    institutional: Breakdown,
    interpersonal: Breakdown,
    inst_overall: Records,
    inter_overall: Records,
) -> str:
    """The key finding on the two split items: each overall share and the range across
    countries (the full country sentences are in the body); empty when the wave asked neither
    (:func:`edition_note` says so)."""
    wave = institutional.wave
    if not (institutional.asked or interpersonal.asked):
        return ""
    inst = share_in_wave(inst_overall, institutional.var, wave)
    inter = share_in_wave(inter_overall, interpersonal.var, wave)
    return (
        f"Discrimination by organisations: {inst}; by local people: {inter}. "
        f"{country_sentence(institutional, 'discrimination by organisations', short=True)} "
        f"{country_sentence(interpersonal, 'discrimination by local people', short=True)}"
    )


def edition_note(resp: pd.DataFrame, wave: int) -> str:
    """One sentence for the key findings of a wave that cannot show everything: no panel yet
    (wave 1), the split items not asked (read from ``resp``). Empty when nothing is missing.

    >>> resp = pd.DataFrame({"wave": [1, 2, 3], "discr_institutional": [None, None, 1],
    ...                      "discr_interpersonal": [None, None, 0]})
    >>> edition_note(resp, 1)[:46]
    'Wave 1 is the first wave, so nobody can yet be'
    >>> edition_note(resp, 3)
    ''
    """
    parts = []
    if wave == 1:
        parts.append("Wave 1 is the first wave, so nobody can yet be followed over time")
    if wave not in split_waves(resp, wave):
        parts.append(
            f"{'it' if parts else f'wave {wave}'} did not ask separately about "
            f"discrimination by organisations and "
            f"by local people, so there is no country comparison of those two"
        )
    if not parts:
        return ""
    text = ", and ".join(parts)
    return f"{text[:1].upper()}{text[1:]}."


def series_note(resp: pd.DataFrame, var: Variable, wave: int) -> str:
    """For a by-wave caption: what is not the same across the waves up to ``wave`` (reference
    period from the codebook, measure from ``resp``), or empty (a single wave, or nothing
    changed)."""
    changed = []
    if len({var.recall.get(w) for w in range(1, wave + 1)}) > 1:
        changed.append("the reference period")
    if 0 < len(split_waves(resp, wave)) < wave:
        changed.append("the measure")
    if not changed:
        return ""
    verb = "are" if len(changed) > 1 else "is"
    return (
        f"{' and '.join(changed).capitalize()} {verb} not the same in every wave (see the notes)."
    )


def comparability_note(resp: pd.DataFrame, var: Variable, wave: int) -> str:
    """Why the change between waves ``wave - 1`` and ``wave`` is not like for like (a new
    reference period in the codebook, the question split in two in ``resp``), or empty.

    >>> from wavebook.paths import Project
    >>> from wavebook.codebook import load_codebook
    >>> book = load_codebook(Project.find().codebook_file)
    >>> resp = pd.DataFrame({"wave": [1, 2, 3], "discr_institutional": [None, None, 1],
    ...                      "discr_interpersonal": [None, None, 0]})
    >>> comparability_note(resp, book["discr_any"], 3)
    'The question was split into two in wave 3, so the change is not like for like.'
    """
    if wave < 2:
        return ""
    reasons = []
    if var.recall.get(wave - 1) != var.recall.get(wave):
        reasons.append(f"the reference period changed between waves {wave - 1} and {wave}")
    split = split_waves(resp, wave)
    if wave in split and wave - 1 not in split:
        reasons.append(f"the question was split into two in wave {wave}")
    elif wave - 1 in split and wave not in split:
        reasons.append(f"wave {wave} asked one question instead of the two of wave {wave - 1}")
    if not reasons:
        return ""
    text = " and ".join(reasons)
    return f"{text[:1].upper()}{text[1:]}, so the change is not like for like."


def fear_sentence(
    afraid: Records, not_afraid: Records, var: Variable, wave: int, short: bool = False
) -> str:
    """The share afraid (codebook cut) and the share not afraid at all in ``wave``; ``short``
    gives only the share afraid (the key finding)."""
    share = share_in_wave(afraid, var, wave)
    if share.endswith(f"not asked in wave {wave}."):
        return share
    cut = " or ".join(var.label(c).lower() for c in var.share_cut)
    if short:
        rows = as_frame(afraid)
        rows = rows[(rows["wave"] == str(wave)) & (rows["sample"] == f"combined_w{wave}")]
        return (
            f"In wave {wave}, {wr.pct(rows['value'].iloc[-1])} of respondents were afraid of "
            f"being discriminated against."
        )
    return (
        f"In wave {wave}, {share} of respondents were afraid of being discriminated "
        f"against ({cut}), while {not_afraid_sentence(not_afraid, var, wave)}."
    )


def recall_in(var: Variable, wave: int) -> str:
    """The reference period of ``wave`` in lower case and without brackets, from the codebook.

    >>> from wavebook.codebook import Variable
    >>> v = Variable(name="x", type="binary", label_en="X", label_ru="X", waves=[1],
    ...              codes=[{"code": 0, "en": "no", "ru": "нет"},
    ...                     {"code": 1, "en": "yes", "ru": "да"}],
    ...              recall={1: "Since leaving Russia (about the first month abroad)"})
    >>> recall_in(v, 1), recall_in(v, 2)
    ('since leaving Russia, about the first month abroad', 'not recorded')
    """
    text = var.recall.get(wave)
    if not text:
        return "not recorded"
    return re.sub(r"\s*\((.*)\)$", r", \1", f"{text[:1].lower()}{text[1:]}")
