"""Named samples as pure functions of the long respondent-wave table ``resp``.

``resp`` has one row per respondent and wave (columns ``resp_id``, ``wave``, ...). Names follow
``domain/published_figures.csv``: ``combined_wN``, ``panel_a_b``, ``panel_1_2_..._N``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from wavebook.clean import MOBILIZATION


def combined(resp: pd.DataFrame, wave: int) -> pd.DataFrame:
    """All eligible respondents of ``wave`` (sample ``combined_w<wave>``)."""
    return resp[resp["wave"] == wave]


def asked_waves(resp: pd.DataFrame, column: str) -> list[int]:
    """The waves that asked ``column``: its rows of that wave hold at least one answer.

    What a wave asked is read from the data, never from the codebook's ``waves`` (a new wave
    builds with nothing edited but its registry entry).

    >>> resp = pd.DataFrame({"wave": [1, 1, 2, 3], "q": [None, None, 1.0, 0.0]})
    >>> asked_waves(resp, "q"), asked_waves(resp, "absent")
    ([2, 3], [])
    """
    if column not in resp:
        return []
    answered = resp.loc[resp[column].notna(), "wave"]
    return sorted(int(w) for w in answered.unique())


def answered_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of one wave's delivery that hold at least one answer, sorted.

    >>> answered_columns(pd.DataFrame({"q": [None, 2.0], "r": [None, None], "a": ["x", None]}))
    ['a', 'q']
    """
    return sorted(str(c) for c in frame.columns[frame.notna().any().to_numpy()])


def panel_ids(resp: pd.DataFrame, waves: Sequence[int]) -> pd.Index:
    """``resp_id`` of respondents present in every one of ``waves``."""
    present = resp[resp["wave"].isin(list(waves))].groupby("resp_id")["wave"].nunique()
    return present.index[present == len(set(waves))]


def panel(resp: pd.DataFrame, waves: Sequence[int]) -> pd.DataFrame:
    """Rows of ``waves`` for respondents present in all of them (sample ``panel_a_b``)."""
    ids = panel_ids(resp, waves)
    rows = resp[resp["wave"].isin(list(waves)) & resp["resp_id"].isin(ids)]
    return rows.sort_values(["resp_id", "wave"]).reset_index(drop=True)


def links(resp: pd.DataFrame) -> pd.DataFrame:
    """How each wave links to the earlier ones by ``resp_id``.

    One row per wave of ``resp``: ``respondents`` (distinct ids), ``in_previous`` (also in the
    previous wave of ``resp``; missing for the first) and ``in_every`` (in every wave of
    ``resp`` up to this one). ``wavebook check`` prints it for the delivered rows, so an
    export that changed the id format (no link at all) does not pass silently.

    >>> resp = pd.DataFrame({"resp_id": ["a", "b", "a", "c", "a", "c", "d"],
    ...                      "wave": [1, 1, 2, 2, 3, 3, 3]})
    >>> links(resp)
       wave  respondents  in_previous  in_every
    0     1            2         <NA>         2
    1     2            2            1         1
    2     3            3            2         1
    """
    rows = []
    previous: pd.Index | None = None
    every: pd.Index | None = None
    for wave in sorted(int(w) for w in resp["wave"].unique()):
        ids = pd.Index(resp.loc[resp["wave"] == wave, "resp_id"].unique())
        every = ids if every is None else every.intersection(ids)
        rows.append(
            {
                "wave": wave,
                "respondents": len(ids),
                "in_previous": pd.NA if previous is None else len(ids.intersection(previous)),
                "in_every": len(every),
            }
        )
        previous = ids
    columns = ["wave", "respondents", "in_previous", "in_every"]
    return pd.DataFrame(rows, columns=columns).astype(
        {"wave": "int64", "respondents": "int64", "in_previous": "Int64", "in_every": "int64"}
    )


def panel_name(waves: Sequence[int]) -> str:
    """The sample code of a panel, e.g. ``panel_1_2_3``."""
    return "panel_" + "_".join(str(w) for w in sorted(waves))


def balanced_panel(resp: pd.DataFrame, last_wave: int) -> pd.DataFrame:
    """Respondents present in every wave from 1 to ``last_wave``."""
    return panel(resp, range(1, last_wave + 1))


def wide(panel_rows: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per respondent, one column per wave, holding ``column``."""
    return panel_rows.pivot(index="resp_id", columns="wave", values=column)


def abroad(resp: pd.DataFrame) -> pd.DataFrame:
    """Respondents answering from outside Russia."""
    return resp[resp["country_residence"] != "RU"]


def returnees(resp: pd.DataFrame, wave: int) -> pd.DataFrame:
    """Wave ``wave`` rows of respondents abroad at ``wave - 1`` and in Russia at ``wave``."""
    before = resp[(resp["wave"] == wave - 1) & (resp["country_residence"] != "RU")]["resp_id"]
    now = resp[resp["wave"] == wave]
    return now[now["resp_id"].isin(before) & (now["country_residence"] == "RU")]


def departure_cohort(resp: pd.DataFrame) -> pd.Series:
    """``pre_mobilization`` or ``post_mobilization`` (left after 21 September 2022)."""
    post = resp["departure_date"] >= MOBILIZATION
    return post.map({False: "pre_mobilization", True: "post_mobilization"}).astype("string")


def composition(resp: pd.DataFrame) -> pd.DataFrame:
    """Per wave: respondents who answered an earlier wave (``returning``) and newcomers (``new``).

    One row per wave and group with columns ``wave``, ``group``, ``n``.
    """
    first = resp.groupby("resp_id")["wave"].transform("min")
    group = (resp["wave"] > first).map({True: "returning", False: "new"})
    counts = resp.groupby([resp["wave"], group.rename("group")]).size().rename("n")
    full = pd.MultiIndex.from_product(
        [sorted(resp["wave"].unique()), ["new", "returning"]], names=["wave", "group"]
    )
    return counts.reindex(full, fill_value=0).reset_index()


def overlaps(resp: pd.DataFrame, last_wave: int) -> pd.DataFrame:
    """Respondents in every panel of two or more waves up to ``last_wave``.

    Columns ``sample`` (e.g. ``panel_1_3``), ``waves`` (tuple) and ``n``.
    """
    from itertools import combinations

    rows = []
    for size in range(2, last_wave + 1):
        for waves in combinations(range(1, last_wave + 1), size):
            rows.append(
                {"sample": panel_name(waves), "waves": waves, "n": len(panel_ids(resp, waves))}
            )
    return pd.DataFrame(rows, columns=["sample", "waves", "n"])


AGE_BANDS = [(18, 24), (25, 34), (35, 44), (45, 54), (55, 120)]


def age_group(resp: pd.DataFrame) -> pd.Series:
    """Age bands ``18–24`` … ``55+`` as an ordered categorical aligned with ``resp``."""
    labels = [f"{lo}–{hi}" if hi < 120 else f"{lo}+" for lo, hi in AGE_BANDS]
    bins = [AGE_BANDS[0][0] - 0.5] + [hi + 0.5 for _, hi in AGE_BANDS]
    return pd.cut(resp["age"], bins=bins, labels=labels)


def entry_answer(resp: pd.DataFrame, column: str) -> pd.Series:
    """Each respondent's answer to an item asked at entry (the first non-missing answer over
    the waves), indexed by ``resp_id``.

    Items such as age or the situation before leaving are asked once, when a respondent first
    takes part; a delivery may repeat them on later rows or leave those empty. Taking the
    earliest answer works for both.

    >>> resp = pd.DataFrame({"resp_id": ["a", "a", "b"], "wave": [1, 2, 2],
    ...                      "x": [3.0, None, 5.0]})
    >>> entry_answer(resp, "x").to_dict()
    {'a': 3.0, 'b': 5.0}
    """
    if column not in resp:
        return pd.Series(dtype="float64", name=column)
    rows = resp.loc[resp[column].notna(), ["resp_id", "wave", column]]
    first = rows.sort_values(["resp_id", "wave"], kind="stable").drop_duplicates("resp_id")
    return first.set_index("resp_id")[column]


def followed_up(resp: pd.DataFrame, wave: int) -> pd.DataFrame:
    """Wave ``wave`` respondents with ``responded_next`` = 1 if they answered ``wave + 1``."""
    now = resp[resp["wave"] == wave]
    later = set(resp.loc[resp["wave"] == wave + 1, "resp_id"])
    return now.assign(responded_next=now["resp_id"].isin(later).astype("float64"))


OTHER_COUNTRIES = "Other countries"
# A country is shown on its own from this many respondents of the sample (a share on 100 has
# an interval of about ±10 points); smaller ones fold into "Other countries", so rankings are
# not led by a country of a few dozen answers. Cells under estimates.MIN_CELL_N stay withheld.
COUNTRY_MIN_N = 100


def country_group(resp: pd.DataFrame, labels: dict[str, str], min_n: int) -> pd.Series:
    """Country of residence by English name, countries with fewer than ``min_n`` respondents
    in ``resp`` folded into "Other countries" (Russia stays apart).

    ``labels`` maps ISO codes to names (from the codebook's ``country_residence`` codes).
    The result is an ordered categorical: countries by size, then "Other countries".
    """
    codes = resp["country_residence"]
    sizes = codes.value_counts()
    kept = [c for c in sizes.index if sizes[c] >= min_n and c != "RU"]
    names = codes.map(
        lambda c: labels.get(c, c) if c in kept else ("Russia" if c == "RU" else OTHER_COUNTRIES)
    )
    order = [labels.get(c, c) for c in kept]
    if (names == OTHER_COUNTRIES).any():
        order.append(OTHER_COUNTRIES)
    if (codes == "RU").any():
        order.append("Russia")
    return pd.Series(pd.Categorical(names, categories=order, ordered=True), index=resp.index)
