"""Discrimination in the host country: experienced (any, institutional, interpersonal) and
feared.

``discr_any`` is asked in every wave but changes twice: its recall period (about the first
month abroad in wave 1, the last three months later) and, in wave 3, its measure (two items,
by organisations and by local people, with ``discr_any`` derived as either). What applies to a
build is read from the data (which waves asked which item) and the codebook (reference
periods) and returned as facts; the chapter's words say it. Country breakdowns, panel facts
and figures come from :mod:`wavebook.topics.host_country`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from wavebook import samples
from wavebook.codebook import Variable
from wavebook.topics.host_country import code_shares_by_wave

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


def measure_fact(resp: pd.DataFrame, wave: int) -> dict[str, Any]:
    """How ``discr_any`` was measured in the waves up to ``wave``: ``items`` (the two split
    items, codebook keys), ``split`` and ``single`` (the waves that asked the two items, or
    one question, as ``wave=N`` keys for ``GROUPS``, with their ``*_count``), ``now`` (this
    wave asked the two items), ``mixed`` (both ways occur up to ``wave``) and ``change``
    against the wave before: ``split`` (the question was split in this wave), ``joined``
    (this wave went back to one question) or ``none``.

    >>> resp = pd.DataFrame({"wave": [1, 2, 3], "discr_institutional": [None, None, 1],
    ...                      "discr_interpersonal": [None, None, 0]})
    >>> f = measure_fact(resp, 3)
    >>> f["split"], f["single"], f["now"], f["mixed"], f["change"]
    (['wave=3'], ['wave=1', 'wave=2'], True, True, 'split')
    >>> measure_fact(resp, 2)["change"], measure_fact(resp, 2)["mixed"]
    ('none', False)
    """
    split = split_waves(resp, wave)
    single = [w for w in range(1, wave + 1) if w not in split]
    now, before = wave in split, wave - 1 in split
    change = "none"
    if wave > 1 and now != before:
        change = "split" if now else "joined"
    return {
        "items": list(SPLIT_ITEMS),
        "split": [f"wave={w}" for w in split],
        "split_count": len(split),
        "single": [f"wave={w}" for w in single],
        "single_count": len(single),
        "now": now,
        "mixed": bool(split) and bool(single),
        "change": change,
    }


def fear_records(resp: pd.DataFrame, var: Variable, wave: int) -> list[dict]:
    """Share "not afraid at all" (code 1) in the combined sample of each wave that asked."""
    return code_shares_by_wave(resp, var, [var.codes[0].code], wave, NOT_AFRAID)


def fear_fact(var: Variable) -> dict[str, Any]:
    """The answers of the fear item for the words: ``cut`` (counted as afraid, codebook keys),
    ``none`` (the key of "not afraid at all") and ``points`` (the length of the scale)."""
    return {
        "cut": [f"{var.name}:{code}" for code in var.share_cut or []],
        "none": f"{var.name}:{var.codes[0].code}",
        "points": len(var.codes),
    }


def benchmark_fact(benchmark: pd.Series) -> dict[str, Any]:
    """The benchmark's share and year (``data/benchmarks.csv``); the chapter's words name its
    population and measure."""
    return {"value": float(benchmark["value"]), "year": str(benchmark["year"])}
