"""The codebook's derived variables (``derived: true``) made from the cleaned data, and what
each wave asked of every variable of the contract (the codebook appendix).

A derived variable is never delivered: the chapter that uses it makes it from other answers
(the departure cohort, returnees, "at least one activity"). :data:`DERIVED` makes each one the
same way, so the appendix can mark the waves where the cleaned data hold it. What a wave asked
of a delivered variable is read from its file (``waves.json``, written by the build), never
from the codebook's ``waves``.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from wavebook import samples
from wavebook.codebook import Codebook


def mob_group(resp: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """The departure cohort (:func:`wavebook.samples.departure_cohort`); missing where the
    departure date is."""
    return samples.departure_cohort(resp).where(resp["departure_date"].notna())


def returned_russia(resp: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """1 for a row in Russia whose respondent answered the previous wave from abroad, 0 for one
    still abroad, missing otherwise (the returnees of :func:`wavebook.samples.returnees`).

    >>> resp = pd.DataFrame({"resp_id": ["a", "b", "a", "b", "c"], "wave": [1, 1, 2, 2, 2],
    ...                      "country_residence": ["GE", "RU", "RU", "RU", "RU"]})
    >>> returned_russia(resp, None).tolist()
    [nan, nan, 1.0, nan, nan]
    """
    abroad = resp.loc[resp["country_residence"] != "RU", ["resp_id", "wave"]]
    before = pd.MultiIndex.from_arrays([abroad["resp_id"], abroad["wave"] + 1])
    followed = pd.MultiIndex.from_arrays([resp["resp_id"], resp["wave"]]).isin(before)
    in_russia = (resp["country_residence"] == "RU").astype("float64")
    return in_russia.where(pd.Series(followed, index=resp.index))


def civpol_any(resp: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """At least one activity of the checklist
    (:func:`wavebook.topics.activism.with_any_activity`)."""
    from wavebook.topics import activism  # a topic module: imported only when used

    return activism.with_any_activity(resp, codebook)[activism.ANY_ALL]


DERIVED: dict[str, Callable[[pd.DataFrame, Codebook], pd.Series]] = {
    "mob_group": mob_group,
    "returned_russia": returned_russia,
    "civpol_any": civpol_any,
}


def with_derived(resp: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """``resp`` with every derived variable of ``codebook`` that :data:`DERIVED` makes."""
    made = {
        v.name: DERIVED[v.name](resp, codebook)
        for v in codebook.variables
        if v.derived and v.name in DERIVED
    }
    return resp.assign(**made)


def asked_by_variable(
    codebook: Codebook, waves: pd.DataFrame, resp: pd.DataFrame
) -> dict[str, list[int]]:
    """For each variable of ``codebook``, the waves that asked it: a delivered variable where
    the wave's file holds an answer (column ``answered`` of ``waves``, one row per wave), a
    derived one where the cleaned data ``resp`` hold a value once it is made."""
    answered = {int(row.wave): set(row.answered) for row in waves.itertuples(index=False)}
    made = with_derived(resp, codebook)
    return {
        v.name: (
            samples.asked_waves(made, v.name)
            if v.derived
            else [w for w in sorted(answered) if v.name in answered[w]]
        )
        for v in codebook.variables
    }
