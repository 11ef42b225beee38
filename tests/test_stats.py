"""Tests of :mod:`wavebook.stats`.

Every test names its reference: an independent implementation (statsmodels, scipy), a
published worked example, or a hand computation written out in the test.
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.contingency_tables import SquareTable
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

import wavebook.stats as st

Z95 = 1.959963984540054  # normal 97.5% quantile


def approx(x, rel=1e-9, abs=1e-12):
    return pytest.approx(x, rel=rel, abs=abs)


def assert_plain(result: dict) -> None:
    """Results hold plain Python scalars, never NumPy ones."""
    for key, value in result.items():
        assert type(value) in (float, int, str, bool), (key, type(value))


def paired_from_counts(n11: int, n10: int, n01: int, n00: int) -> tuple[list, list]:
    """Before/after 0/1 lists with the given paired cell counts (nXY: before X, after Y)."""
    before = [1] * n11 + [1] * n10 + [0] * n01 + [0] * n00
    after = [1] * n11 + [0] * n10 + [1] * n01 + [0] * n00
    return before, after


# --------------------------------------------------------------------------- doctests


def test_doctests_pass():
    """The examples in the docstrings run and give the shown output."""
    result = doctest.testmod(st)
    assert result.attempted >= 15
    assert result.failed == 0


def test_constants():
    assert st.ALPHA == 0.05
    assert st.LEVEL == 0.95


# --------------------------------------------------------------------------- wilson


def test_wilson_46_of_100_by_hand():
    """Wilson (1927) for 46/100 written out from the formula."""
    p, n, z2 = 0.46, 100, Z95**2
    denom = 1 + z2 / n  # 1.0384145882...
    center = (p + z2 / (2 * n)) / denom
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n**2)) / denom
    low, high = st.wilson_interval(46, 100)
    assert (low, high) == (approx(center - half), approx(center + half))
    assert (round(low, 4), round(high, 4)) == (0.3656, 0.5574)


@pytest.mark.parametrize(
    ("x", "n", "low", "high"),
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611),
     (1, 29, 0.0061, 0.1718), (29, 29, 0.8830, 1.0)],
)  # fmt: skip
def test_wilson_published_examples(x, n, low, high):
    """Newcombe (1998), Stat. Med. 17:857-872, Table II, method 3 (Wilson score)."""
    got = st.wilson_interval(x, n)
    assert got == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


def test_wilson_matches_statsmodels_on_random_inputs():
    """Reference: statsmodels proportion_confint(method="wilson"), also non-integer n."""
    rng = np.random.default_rng(20240201)
    for _ in range(300):
        n = float(rng.choice([rng.integers(1, 2000), rng.uniform(0.5, 500)]))
        x = float(rng.uniform(0, n)) if rng.random() < 0.5 else float(rng.integers(0, n + 1))
        x = min(x, n)
        level = float(rng.choice([0.8, 0.9, 0.95, 0.99]))
        low, high = st.wilson_interval(x, n, level=level)
        ref = proportion_confint(x, n, alpha=1 - level, method="wilson")
        assert (low, high) == (approx(ref[0], abs=1e-12), approx(ref[1], abs=1e-12))
        assert type(low) is float and type(high) is float


def test_wilson_edges_and_errors():
    assert all(math.isnan(v) for v in st.wilson_interval(0, 0))
    assert st.wilson_interval(0, 10)[0] == 0.0
    assert st.wilson_interval(10, 10)[1] == 1.0
    with pytest.raises(ValueError, match="between 0 and n"):
        st.wilson_interval(11, 10)
    with pytest.raises(ValueError, match="non-negative"):
        st.wilson_interval(1, -5)
    with pytest.raises(ValueError, match="level"):
        st.wilson_interval(1, 5, level=95)


# --------------------------------------------------------------------------- kish


def test_kish_by_hand():
    """Kish (1965): (1+1+2+2)² / (1+1+4+4) = 36/10 = 3.6; equal weights give n."""
    assert st.kish_effective_n([1, 1, 2, 2]) == approx(3.6)
    assert st.kish_effective_n(np.full(7, 2.5)) == approx(7.0)
    assert st.kish_effective_n(pd.Series([3.0])) == 1.0
    assert st.kish_effective_n([]) == 0.0
    assert type(st.kish_effective_n([1, 2])) is float


@pytest.mark.parametrize("bad", [[1, 0, 2], [1, -1], [1, np.nan], [1, np.inf]])
def test_kish_rejects_bad_weights(bad):
    with pytest.raises(ValueError, match="finite positive weights"):
        st.kish_effective_n(bad)


# --------------------------------------------------------------------------- share


def test_share_unweighted_matches_statsmodels_and_drops_nan():
    """Reference: 100 * proportion_confint(k, n, method="wilson") on the non-missing values."""
    rng = np.random.default_rng(1)
    for size in (1, 5, 40, 1000):
        x = rng.integers(0, 2, size).astype(float)
        x[rng.random(size) < 0.2] = np.nan
        valid = x[~np.isnan(x)]
        r = st.share(pd.Series(x))
        assert_plain(r)
        assert r["n"] == valid.size and r["n_eff"] == float(valid.size)
        if valid.size == 0:
            continue
        low, high = proportion_confint(valid.sum(), valid.size, method="wilson")
        assert r["value"] == approx(100 * valid.mean())
        assert (r["ci_low"], r["ci_high"]) == (approx(100 * low), approx(100 * high))


def test_share_by_hand_and_degenerate():
    # 3 of 5 answered 1 (one skipped): 60 %
    r = st.share([1, 0, 1, 1, None, 0])
    assert (r["value"], r["n"], r["n_eff"]) == (60.0, 5, 5.0)
    empty = st.share([np.nan, np.nan])
    assert empty["n"] == 0 and empty["n_eff"] == 0.0
    assert all(math.isnan(empty[k]) for k in ("value", "ci_low", "ci_high"))
    assert st.share([])["n"] == 0
    zeros = st.share([0, 0, 0, 0])
    assert (zeros["value"], zeros["ci_low"]) == (0.0, 0.0) and 0 < zeros["ci_high"] < 100
    ones = st.share([1, 1, 1])
    assert (ones["value"], ones["ci_high"]) == (100.0, 100.0) and 0 < ones["ci_low"] < 100
    booleans = st.share(pd.Series([True, False, True, True]))
    assert booleans["value"] == 75.0


def test_share_rejects_non_binary_values_naming_them():
    with pytest.raises(ValueError, match=r"values: expected 0/1 .*found 2, 3"):
        st.share([0, 1, 2, 3, np.nan, 2])
    with pytest.raises(ValueError, match="'yes'"):
        st.share(pd.Series(["yes", "no", None]))


def test_share_weighted():
    """Reference: np.average for the value; statsmodels Wilson on (p * n_eff, n_eff) with the
    Kish n computed here from its definition."""
    rng = np.random.default_rng(7)
    x = rng.integers(0, 2, 300).astype(float)
    x[:25] = np.nan
    w = rng.uniform(0.3, 3.0, 300)
    w[:10] = np.nan  # weights of skipped rows are never looked at
    r = st.share(x, weights=w)
    keep = ~np.isnan(x)
    xv, wv = x[keep], w[keep]
    p = np.average(xv, weights=wv)
    n_eff = wv.sum() ** 2 / (wv**2).sum()
    low, high = proportion_confint(p * n_eff, n_eff, method="wilson")
    assert_plain(r)
    assert r["n"] == 275 and r["n_eff"] == approx(n_eff)
    assert r["value"] == approx(100 * p)
    assert (r["ci_low"], r["ci_high"]) == (approx(100 * low), approx(100 * high))


def test_share_equal_weights_equal_unweighted_and_series_alignment():
    x = pd.Series([1, 0, 1, np.nan, 1, 0, 0, 1], index=list("abcdefgh"))
    unweighted = st.share(x)
    assert st.share(x, weights=np.full(8, 3.0)) == pytest.approx(unweighted)
    # weights as a Series in another order are aligned on the index
    w = pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8], index=list("abcdefgh"))
    shuffled = w.iloc[::-1]
    assert st.share(x, weights=shuffled) == pytest.approx(st.share(x, weights=w))
    # by hand: 1s at a, c, e, h with weights 1 + 3 + 5 + 8 = 17 of 1+2+3+5+6+7+8 = 32
    assert st.share(x, weights=w)["value"] == approx(100 * 17 / 32)


def test_share_weight_errors():
    with pytest.raises(ValueError, match="finite positive weights"):
        st.share([1, 0, 1], weights=[1, 0, 1])
    with pytest.raises(ValueError, match="finite positive weights"):
        st.share([1, 0, 1], weights=[1, np.nan, 1])
    with pytest.raises(ValueError, match="same length"):
        st.share([1, 0, 1], weights=[1, 1])


# --------------------------------------------------------------------------- mean_ci


def test_mean_ci_unweighted_matches_descrstatsw():
    """Reference: statsmodels DescrStatsW(x).tconfint_mean() and the hand t interval."""
    rng = np.random.default_rng(11)
    x = rng.normal(40, 12, 200)
    x[rng.random(200) < 0.1] = np.nan
    valid = x[~np.isnan(x)]
    r = st.mean_ci(x)
    assert_plain(r)
    low, high = DescrStatsW(valid).tconfint_mean()
    assert (r["value"], r["ci_low"], r["ci_high"]) == (
        approx(valid.mean()),
        approx(low),
        approx(high),
    )
    half = sps.t.ppf(0.975, valid.size - 1) * valid.std(ddof=1) / math.sqrt(valid.size)
    assert r["ci_high"] - r["value"] == approx(half)
    assert r["n"] == valid.size and r["n_eff"] == float(valid.size)


def test_mean_ci_weighted_matches_descrstatsw_with_effective_n():
    """Reference: DescrStatsW with weights rescaled to sum to the Kish n (sum_weights = n_eff,
    so its df and standard error use n_eff)."""
    rng = np.random.default_rng(12)
    for level in (0.9, 0.95):
        x = rng.integers(1, 6, 150).astype(float)
        w = rng.lognormal(0, 0.6, 150)
        x[:7] = np.nan
        r = st.mean_ci(pd.Series(x), weights=pd.Series(w), level=level)
        keep = ~np.isnan(x)
        xv, wv = x[keep], w[keep]
        n_eff = wv.sum() ** 2 / (wv**2).sum()
        ref = DescrStatsW(xv, weights=wv * n_eff / wv.sum())
        low, high = ref.tconfint_mean(alpha=1 - level)
        assert r["value"] == approx(np.average(xv, weights=wv))
        assert (r["ci_low"], r["ci_high"]) == (approx(low), approx(high))
        assert r["n"] == 143 and r["n_eff"] == approx(n_eff)


def test_mean_ci_equal_weights_and_degenerate():
    x = [2.0, 4, 4, 5, 7]
    assert st.mean_ci(x, weights=[2.0] * 5) == pytest.approx(st.mean_ci(x))
    empty = st.mean_ci([np.nan])
    assert empty["n"] == 0 and math.isnan(empty["value"])
    one = st.mean_ci([3.0, np.nan])
    assert one["value"] == 3.0 and math.isnan(one["ci_low"]) and math.isnan(one["ci_high"])
    const = st.mean_ci([5.0, 5.0, 5.0])
    assert const["ci_low"] == const["ci_high"] == 5.0
    with pytest.raises(ValueError, match="expected numbers, found 'x'"):
        st.mean_ci(pd.Series([1, "x"], dtype=object))


# --------------------------------------------------------------------------- mcnemar


def test_mcnemar_matches_statsmodels_both_branches():
    """Reference: statsmodels mcnemar(table, exact=n01+n10 < 25, correction=True)."""
    rng = np.random.default_rng(3)
    methods = set()
    for size in (5, 20, 60, 200, 1000) * 8:
        before = rng.integers(0, 2, size).astype(float)
        flip = rng.random(size) < rng.uniform(0.02, 0.4)
        after = np.where(flip, 1 - before, before)
        r = st.mcnemar(before, after)
        assert_plain(r)
        table = pd.crosstab(before, after).reindex(index=[0, 1], columns=[0, 1], fill_value=0)
        table = table.to_numpy()
        exact = table[0, 1] + table[1, 0] < 25
        ref = sm_mcnemar(table, exact=exact, correction=True)
        assert r["n"] == size
        assert (r["n01"], r["n10"]) == (table[0, 1], table[1, 0])
        assert r["method"] == ("exact" if exact else "chi2")
        assert r["statistic"] == approx(float(ref.statistic))
        assert r["p_value"] == approx(float(ref.pvalue), abs=1e-14)
        methods.add(r["method"])
    assert methods == {"exact", "chi2"}


def test_mcnemar_by_hand_nan_and_degenerate():
    # pairs with NaN on either side are dropped: 6 complete pairs remain
    before = [1, 1, 0, 0, np.nan, 1, 0, 1]
    after = [0, 1, 1, 1, 1, np.nan, 0, 0]
    r = st.mcnemar(before, after)
    assert (r["n"], r["n10"], r["n01"]) == (6, 2, 2)
    # exact: statistic min(2, 2) = 2, p = min(1, 2 * P[Bin(4, .5) <= 2]) = min(1, 2 * 11/16) = 1
    assert (r["statistic"], r["p_value"], r["method"]) == (2.0, 1.0, "exact")
    # one-sided change 0 -> 1 for 6 people: p = 2 / 2**6
    r = st.mcnemar([0] * 6 + [1] * 4, [1] * 6 + [1] * 4)
    assert r["p_value"] == approx(2 / 64)
    # no discordant pairs
    r = st.mcnemar([1, 0, 1], [1, 0, 1])
    assert (r["statistic"], r["p_value"], r["n10"], r["n01"]) == (0.0, 1.0, 0, 0)
    # no pairs at all
    r = st.mcnemar([np.nan, 1], [0, np.nan])
    assert r["n"] == 0 and math.isnan(r["p_value"])
    with pytest.raises(ValueError, match="before: expected 0/1"):
        st.mcnemar([0, 2], [0, 1])


# --------------------------------------------------------------------------- panel_change


def newcombe10_reference(e: int, f: int, g: int, h: int, level: float = 0.95):
    """Independent transcription of Newcombe (1998) method 10 for (e+f)/n - (e+g)/n.

    The Wilson limits are found here by solving the score equation |p - π| = z·sqrt(π(1-π)/n)
    numerically rather than by the closed form used in the module.
    """
    from scipy.optimize import brentq

    z = sps.norm.ppf(1 - (1 - level) / 2)
    n = e + f + g + h

    def wilson(x):
        p = x / n

        def score(pi):
            return (p - pi) ** 2 - z**2 * pi * (1 - pi) / n

        # the score is negative strictly inside the interval and positive near 0 and 1
        inside = min(max(p, 1e-15), 1 - 1e-15)
        lo = 0.0 if x == 0 else brentq(score, 1e-15, inside, xtol=1e-15)
        hi = 1.0 if x == n else brentq(score, inside, 1 - 1e-15, xtol=1e-15)
        return lo, hi

    p1, p2 = (e + f) / n, (e + g) / n
    l1, u1 = wilson(e + f)
    l2, u2 = wilson(e + g)
    denom = (e + f) * (g + h) * (e + g) * (f + h)
    if denom == 0:
        phi = 0.0
    elif e * h > f * g:
        phi = max(e * h - f * g - n / 2, 0) / math.sqrt(denom)
    else:
        phi = (e * h - f * g) / math.sqrt(denom)
    dl1, du1, dl2, du2 = p1 - l1, u1 - p1, p2 - l2, u2 - p2
    theta = (f - g) / n
    return (
        theta - math.sqrt(dl1**2 - 2 * phi * dl1 * du2 + du2**2),
        theta + math.sqrt(du1**2 - 2 * phi * du1 * dl2 + dl2**2),
    )


@pytest.mark.parametrize(
    ("e", "f", "g", "h", "low", "high"),
    [
        (36, 12, 2, 0, 0.0569, 0.3404),
        (18, 12, 2, 18, 0.0562, 0.3290),
        (53, 0, 0, 1, -0.0729, 0.0729),
        (0, 30, 0, 0, 0.8395, 1.0000),
    ],
)
def test_panel_change_newcombe_published_examples(e, f, g, h, low, high):
    """Newcombe (1998), Stat. Med. 17:2635-2650, Table II, method 10. Newcombe's first
    proportion (e + f) is our ``after``: f = before 0 / after 1, g = before 1 / after 0."""
    before, after = paired_from_counts(n11=e, n10=g, n01=f, n00=h)
    r = st.panel_change(before, after)
    assert_plain(r)
    n = e + f + g + h
    assert r["n"] == n
    assert r["change_pp"] == approx(100 * (f - g) / n)
    assert r["before"] == approx(100 * (e + g) / n) and r["after"] == approx(100 * (e + f) / n)
    assert r["ci_low"] == pytest.approx(100 * low, abs=0.005)
    assert r["ci_high"] == pytest.approx(100 * high, abs=0.005)


def test_panel_change_matches_brute_force_method10():
    """Reference: newcombe10_reference above, over random paired tables and levels."""
    rng = np.random.default_rng(10)
    for _ in range(200):
        n = int(rng.integers(1, 400))
        probs = rng.dirichlet(np.ones(4) * rng.uniform(0.2, 3))
        e, f, g, h = (int(c) for c in rng.multinomial(n, probs))
        level = float(rng.choice([0.9, 0.95, 0.99]))
        before, after = paired_from_counts(n11=e, n10=g, n01=f, n00=h)
        r = st.panel_change(before, after, level=level)
        low, high = newcombe10_reference(e, f, g, h, level)
        assert r["ci_low"] == pytest.approx(100 * low, abs=1e-7)
        assert r["ci_high"] == pytest.approx(100 * high, abs=1e-7)


def test_panel_change_properties():
    """Interval contains the estimate, stays in [-100, 100], narrows as n grows; p-value and
    method are McNemar's."""
    rng = np.random.default_rng(5)
    for _ in range(100):
        cells = rng.integers(0, 30, 4)
        before, after = paired_from_counts(*(int(c) for c in cells))
        if not before:
            continue
        r = st.panel_change(before, after)
        assert -100 <= r["ci_low"] <= r["change_pp"] <= r["ci_high"] <= 100
        test = st.mcnemar(before, after)
        assert (r["p_value"], r["method"]) == (test["p_value"], test["method"])
        bigger = st.panel_change(before * 4, after * 4)
        assert bigger["change_pp"] == approx(r["change_pp"])
        assert bigger["ci_high"] - bigger["ci_low"] < r["ci_high"] - r["ci_low"]


def test_panel_change_degenerate():
    # no discordant pairs: no change, p = 1, interval around 0
    r = st.panel_change([1, 1, 0, 0, 0], [1, 1, 0, 0, 0])
    assert r["change_pp"] == 0.0 and r["p_value"] == 1.0
    assert r["ci_low"] < 0 < r["ci_high"]
    # all zeros / all ones
    zeros = st.panel_change([0] * 10, [0] * 10)
    assert (zeros["before"], zeros["after"], zeros["change_pp"]) == (0.0, 0.0, 0.0)
    assert zeros["ci_low"] < 0 < zeros["ci_high"]
    ones = st.panel_change([1] * 10, [1] * 10)
    assert (ones["before"], ones["after"]) == (100.0, 100.0)
    # no complete pairs
    r = st.panel_change([np.nan, 1], [0, np.nan])
    assert r["n"] == 0 and math.isnan(r["change_pp"]) and math.isnan(r["ci_low"])
    # pairs aligned on the index when both are Series with different indexes
    b = pd.Series([1, 0, 0, 1], index=[10, 11, 12, 13])
    a = pd.Series([1, 1, 1, 0], index=[13, 12, 11, 10])  # by index: 0, 1, 1, 1
    r = st.panel_change(b, a)
    assert (r["before"], r["after"], r["n"]) == (50.0, 75.0, 4)


# --------------------------------------------------------------------------- stuart_maxwell


def sm_homogeneity(table: np.ndarray):
    return SquareTable(table, shift_zeros=False).homogeneity(method="stuart_maxwell")


def test_stuart_maxwell_matches_statsmodels():
    """Reference: statsmodels SquareTable(table, shift_zeros=False).homogeneity()."""
    rng = np.random.default_rng(42)
    for k in (2, 3, 4, 5) * 6:
        size = int(rng.integers(80, 600))
        before = rng.integers(1, k + 1, size).astype(float)
        drift = rng.integers(-1, 2, size) * (rng.random(size) < 0.5)
        after = np.clip(before + drift, 1, k)
        before[rng.random(size) < 0.05] = np.nan
        r = st.stuart_maxwell(before, after)
        assert_plain(r)
        keep = ~np.isnan(before)
        table = pd.crosstab(before[keep], after[keep]).to_numpy()
        assert table.shape == (k, k)
        ref = sm_homogeneity(table)
        assert r["n"] == int(keep.sum()) and r["df"] == ref.df == k - 1
        assert r["statistic"] == approx(ref.statistic, rel=1e-8)
        assert r["p_value"] == approx(ref.pvalue, rel=1e-6, abs=1e-12)


def test_stuart_maxwell_two_categories_is_mcnemar_without_correction():
    """For k = 2 Stuart-Maxwell is McNemar's (n01 - n10)² / (n01 + n10): (9 - 3)² / 12 = 3."""
    before, after = paired_from_counts(n11=20, n10=3, n01=9, n00=15)
    r = st.stuart_maxwell(before, after)
    assert (r["statistic"], r["df"]) == (approx(3.0), 1)
    assert r["p_value"] == approx(float(sm_mcnemar([[15, 9], [3, 20]], exact=False,
                                                   correction=False).pvalue))  # fmt: skip


def test_stuart_maxwell_category_missing_on_one_side_and_absent_categories():
    """Square table over the union; a category nobody chose is dropped."""
    before = ["a"] * 10 + ["b"] * 12 + ["c"] * 5
    after = ["a"] * 6 + ["b"] * 4 + ["b"] * 9 + ["a"] * 3 + ["a"] * 2 + ["b"] * 3
    # 'c' appears only before; table rows a, b, c / columns a, b, c counted by hand
    table = np.array([[6, 4, 0], [3, 9, 0], [2, 3, 0]])
    ref = sm_homogeneity(table)
    r = st.stuart_maxwell(before, after)
    assert (r["statistic"], r["df"]) == (approx(ref.statistic), 2)
    with_absent = st.stuart_maxwell(before, after, categories=["c", "x", "b", "a"])
    assert with_absent == pytest.approx(r)
    with pytest.raises(ValueError, match="values not in categories: 'c'"):
        st.stuart_maxwell(before, after, categories=["a", "b"])


def test_stuart_maxwell_singular_and_degenerate():
    """A category only kept (never left or entered) makes V singular; the result equals the
    statsmodels test on the table without it."""
    table = np.array([[10, 4, 0], [9, 12, 0], [0, 0, 7]])
    before = [i for i in range(3) for j in range(3) for _ in range(table[i, j])]
    after = [j for i in range(3) for j in range(3) for _ in range(table[i, j])]
    r = st.stuart_maxwell(before, after)
    ref = sm_homogeneity(table[:2, :2])
    assert (r["statistic"], r["df"]) == (approx(ref.statistic), 1)
    assert r["p_value"] == approx(ref.pvalue)
    # two separate groups of movers: statistics add up, df = 1 + 1
    block = np.array([[5, 6, 0, 0], [1, 5, 0, 0], [0, 0, 5, 2], [0, 0, 8, 5]])
    before = [i for i in range(4) for j in range(4) for _ in range(block[i, j])]
    after = [j for i in range(4) for j in range(4) for _ in range(block[i, j])]
    r = st.stuart_maxwell(before, after)
    assert r["df"] == 2
    assert r["statistic"] == approx((6 - 1) ** 2 / 7 + (8 - 2) ** 2 / 10)
    # no discordant pairs at all
    r = st.stuart_maxwell([1, 2, 3, 3], [1, 2, 3, 3])
    assert (r["statistic"], r["df"], r["p_value"], r["n"]) == (0.0, 0, 1.0, 4)
    r = st.stuart_maxwell([np.nan], [1])
    assert r["n"] == 0 and math.isnan(r["statistic"])


# --------------------------------------------------------------------------- signed_rank


def test_signed_rank_matches_scipy_and_hand():
    """Reference: scipy.stats.wilcoxon(zero_method="wilcox") on the complete pairs; hand: six
    +1 changes and four zeros give W- = 0 and exact p = 2 / 2**6."""
    r = st.signed_rank([1, 2, 3, 4, 5, 2, 3, 4, 1, 2], [2, 2, 4, 5, 5, 3, 3, 5, 2, 2])
    assert_plain(r)
    assert (r["statistic"], r["n"], r["median_diff"]) == (0.0, 10, 1.0)
    assert r["p_value"] == approx(2 / 64)
    rng = np.random.default_rng(8)
    for size in (8, 30, 120, 400):
        before = rng.integers(1, 6, size).astype(float)
        after = np.clip(before + rng.integers(-2, 3, size), 1, 5)
        after[rng.random(size) < 0.1] = np.nan
        keep = ~np.isnan(after)
        r = st.signed_rank(before, after)
        ref = sps.wilcoxon(before[keep], after[keep], zero_method="wilcox")
        assert r["n"] == int(keep.sum())
        assert r["statistic"] == approx(float(ref.statistic))
        assert r["p_value"] == approx(float(ref.pvalue))
        assert r["median_diff"] == float(np.median(after[keep] - before[keep]))


def test_signed_rank_degenerate():
    r = st.signed_rank([1, 2, 3, np.nan], [1, 2, 3, 4])
    assert (r["statistic"], r["p_value"], r["n"], r["median_diff"]) == (0.0, 1.0, 3, 0.0)
    r = st.signed_rank([np.nan], [np.nan])
    assert r["n"] == 0 and math.isnan(r["p_value"])


# --------------------------------------------------------------------------- compare_shares


def test_compare_shares_chi2_by_hand():
    """2x2 [[30, 15], [20, 35]] (rows 1/0, columns a/b): n(ad - bc)² / (r1 r2 c1 c2) =
    100 * (30*35 - 15*20)² / (45 * 55 * 50 * 50) = 9.0909..."""
    values = [1] * 30 + [0] * 20 + [1] * 15 + [0] * 35
    groups = ["a"] * 50 + ["b"] * 50
    r = st.compare_shares(values, groups)
    assert_plain(r)
    assert r["statistic"] == approx(100 * 750**2 / (45 * 55 * 50 * 50))
    assert r["p_value"] == approx(float(sps.chi2.sf(r["statistic"], 1)))
    assert (r["method"], r["n"], r["df"]) == ("chi2", 100, 1)


def test_compare_shares_fisher_when_sparse_2x2():
    """Reference: scipy.stats.fisher_exact on the table counted by hand (rows 1/0)."""
    values = [1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, np.nan]
    groups = ["x"] * 5 + ["y"] * 6 + ["y"]
    r = st.compare_shares(values, groups)
    ref = sps.fisher_exact([[4, 1], [1, 5]])
    assert (r["method"], r["n"]) == ("fisher", 11)
    assert r["statistic"] == approx(float(ref.statistic))
    assert r["p_value"] == approx(float(ref.pvalue))


def test_compare_shares_k_groups_matches_scipy():
    """Reference: scipy chi2_contingency(correction=False) on pd.crosstab; a 2x3 table uses
    chi-square even with small expected counts."""
    rng = np.random.default_rng(4)
    for size, k in ((500, 4), (40, 3), (12, 3)):
        values = rng.integers(0, 2, size).astype(float)
        groups = pd.Series(rng.choice(list("pqrs")[:k], size))
        values[:3] = np.nan
        r = st.compare_shares(values, groups)
        keep = ~np.isnan(values)
        ref = sps.chi2_contingency(pd.crosstab(values[keep], groups[keep]), correction=False)
        assert (r["method"], r["df"], r["n"]) == ("chi2", k - 1, size - 3)
        assert r["statistic"] == approx(float(ref.statistic))
        assert r["p_value"] == approx(float(ref.pvalue))


def test_compare_shares_degenerate_and_errors():
    r = st.compare_shares([1, 1, 1, 1], ["a", "b", "a", "b"])  # no variation
    assert math.isnan(r["statistic"]) and math.isnan(r["p_value"]) and r["n"] == 4
    r = st.compare_shares([1, 0, 1], ["a", "a", "a"])  # one group
    assert math.isnan(r["p_value"])
    r = st.compare_shares([np.nan], ["a"])
    assert r["n"] == 0 and math.isnan(r["p_value"])
    with pytest.raises(ValueError, match="found 5"):
        st.compare_shares([1, 0, 5], ["a", "b", "a"])
    with pytest.raises(ValueError, match="found 7"):  # checked before dropping missing groups
        st.compare_shares([1, 0, 7], ["a", "b", None])


# --------------------------------------------------------------------------- chi2_independence


def test_chi2_independence_by_hand():
    """3x2 table a: 15/5, b: 10/10, c: 5/15; expected 10 everywhere, so
    chi² = (25 + 25 + 0 + 0 + 25 + 25) / 10 = 10 on 2 df."""
    x = ["a"] * 20 + ["b"] * 20 + ["c"] * 20
    y = ["u"] * 15 + ["v"] * 5 + ["u"] * 10 + ["v"] * 10 + ["u"] * 5 + ["v"] * 15
    r = st.chi2_independence(x, y)
    assert_plain(r)
    assert (r["statistic"], r["df"], r["n"], r["method"]) == (approx(10.0), 2, 60, "chi2")
    assert r["p_value"] == approx(math.exp(-10 / 2))  # chi² survival on 2 df is exp(-x/2)


def test_chi2_independence_matches_scipy_and_degenerate():
    rng = np.random.default_rng(9)
    x = pd.Series(rng.choice(["r1", "r2", "r3", None], 400))
    y = pd.Series(rng.choice([1.0, 2.0, 3.0, 4.0, np.nan], 400))
    r = st.chi2_independence(x, y)
    keep = x.notna() & y.notna()
    ref = sps.chi2_contingency(pd.crosstab(x[keep], y[keep]), correction=False)
    assert (r["df"], r["n"]) == (6, int(keep.sum()))
    assert r["statistic"] == approx(float(ref.statistic))
    assert r["p_value"] == approx(float(ref.pvalue))
    one = st.chi2_independence(["a", "a"], ["u", "v"])
    assert one["df"] == 0 and math.isnan(one["p_value"])
    assert st.chi2_independence([], [])["n"] == 0


# --------------------------------------------------------------------------- mann_whitney / welch


def test_mann_whitney_by_hand_and_scipy():
    """Hand: a = [1, 2, 3] all below b = [4, 5], so U_a = 0 and the exact two-sided
    p = 2 / C(5, 2) = 0.2. Reference otherwise: scipy.stats.mannwhitneyu."""
    r = st.mann_whitney([1, 2, 3, np.nan], [4, 5])
    assert_plain(r)
    assert (r["statistic"], r["n_a"], r["n_b"]) == (0.0, 3, 2)
    assert r["p_value"] == approx(0.2)
    rng = np.random.default_rng(13)
    a = rng.integers(1, 6, 70).astype(float)
    b = rng.integers(2, 7, 50).astype(float)
    r = st.mann_whitney(a, b)
    ref = sps.mannwhitneyu(a, b, alternative="two-sided")
    assert (r["statistic"], r["p_value"]) == (approx(float(ref.statistic)), approx(ref.pvalue))
    empty = st.mann_whitney([np.nan], [1, 2])
    assert empty["n_a"] == 0 and math.isnan(empty["p_value"])


def test_welch_t_by_hand_and_scipy():
    """Hand: Welch t = (ma - mb) / sqrt(va/na + vb/nb), Welch-Satterthwaite df."""
    a, b = np.array([1.0, 2, 3, 4, 5]), np.array([3.0, 5, 6, 8, 9, 11])
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    t = (a.mean() - b.mean()) / math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    r = st.welch_t(np.append(a, np.nan), b)
    assert_plain(r)
    assert (r["statistic"], r["df"]) == (approx(t), approx(df))
    assert r["p_value"] == approx(2 * float(sps.t.sf(abs(t), df)))
    assert (r["n_a"], r["n_b"], r["diff"]) == (5, 6, -4.0)
    ref = sps.ttest_ind(a, b, equal_var=False)
    assert r["p_value"] == approx(float(ref.pvalue))


def test_welch_t_degenerate():
    assert math.isnan(st.welch_t([1.0], [1.0, 2.0])["statistic"])
    both_constant = st.welch_t([2.0, 2.0], [3.0, 3.0, 3.0])
    assert math.isnan(both_constant["p_value"]) and both_constant["diff"] == -1.0
    # one constant sample: defined, and no warning (warnings are errors here)
    r = st.welch_t([1.0, 1.0, 1.0], [2.0, 3.0, 4.0])
    t = (1 - 3) / math.sqrt(1 / 3)
    assert r["statistic"] == approx(t) and r["df"] == approx(2.0)
    empty = st.welch_t([], [1.0, 2.0])
    assert math.isnan(empty["diff"]) and empty["n_a"] == 0


# --------------------------------------------------------------------------- transition_table


def test_transition_table_counted_by_hand():
    before = ["low", "low", "low", "mid", "mid", "high", "high", "high", "high", None, "mid"]
    after = ["low", "mid", "mid", "mid", "high", "high", "high", "mid", "low", "low", None]
    t = st.transition_table(before, after, categories=["low", "mid", "high"])
    assert list(t.columns) == ["from", "to", "n", "row_share"]
    assert t["n"].dtype == np.int64
    # rows: low -> (1, 2, 0); mid -> (0, 1, 1); high -> (1, 1, 2)
    expected_n = [1, 2, 0, 0, 1, 1, 1, 1, 2]
    assert t["n"].tolist() == expected_n
    assert t["from"].tolist() == ["low"] * 3 + ["mid"] * 3 + ["high"] * 3
    assert t["to"].tolist() == ["low", "mid", "high"] * 3
    expected_share = [100 / 3, 200 / 3, 0, 0, 50, 50, 25, 25, 50]
    assert t["row_share"].tolist() == pytest.approx(expected_share)


def test_transition_table_default_order_empty_rows_and_errors():
    t = st.transition_table([2, 1, 1], [1, 1, 3], categories=[1, 2, 3, 4])
    assert len(t) == 16 and t["n"].sum() == 3
    empty_row = t[t["from"] == 4]
    assert (empty_row["n"] == 0).all() and empty_row["row_share"].isna().all()
    default = st.transition_table(pd.Series([2.0, 1.0, np.nan]), pd.Series([1.0, 3.0, 2.0]))
    assert default["from"].tolist() == [1.0] * 3 + [2.0] * 3 + [3.0] * 3
    with pytest.raises(ValueError, match="values not in categories: 3"):
        st.transition_table([1, 2], [1, 3], categories=[1, 2])


# --------------------------------------------------------------------------- attrition


def attrition_frame() -> pd.DataFrame:
    rng = np.random.default_rng(2024)
    size = 240
    stayed = (rng.random(size) < 0.6).astype(int)
    frame = pd.DataFrame(
        {
            "stayed": stayed,
            "woman": np.where(rng.random(size) < 0.45 + 0.2 * stayed, 1.0, 0.0),
            "country": rng.choice(["GE", "AM", "RS", "KZ"], size),
            "trust": rng.integers(1, 6, size).astype(float),
            "age": rng.normal(33, 8, size) + 3 * stayed,
            "rare": np.where(np.arange(size) < 6, 1.0, 0.0),
        },
        index=rng.permutation(size) + 1000,
    )
    frame.loc[frame.index[:12], "trust"] = np.nan
    return frame


def test_attrition_comparison_matches_the_single_functions():
    """Each row equals the direct call of the test it names (the references of those are
    tested above)."""
    frame = attrition_frame()
    kinds = {"woman": "binary", "country": "nominal", "trust": "ordinal", "age": "numeric",
             "rare": "binary"}  # fmt: skip
    out = st.attrition_comparison(frame, "stayed", kinds)
    assert list(out.columns) == [
        "variable", "kind", "test", "statistic", "p_value", "n_responded",
        "n_not_responded", "value_responded", "value_not_responded", "significant",
    ]  # fmt: skip
    assert out["variable"].tolist() == list(kinds)
    yes, no = frame[frame["stayed"] == 1], frame[frame["stayed"] == 0]
    rows = out.set_index("variable")

    woman = st.compare_shares(frame["woman"], frame["stayed"])
    assert rows.loc["woman", "test"] == woman["method"] == "chi2"
    assert rows.loc["woman", "p_value"] == approx(woman["p_value"])
    assert rows.loc["woman", "value_responded"] == approx(100 * yes["woman"].mean())
    assert rows.loc["woman", "value_not_responded"] == approx(100 * no["woman"].mean())

    country = st.chi2_independence(frame["country"], frame["stayed"])
    assert rows.loc["country", "test"] == "chi2"
    assert rows.loc["country", "statistic"] == approx(country["statistic"])
    assert math.isnan(rows.loc["country", "value_responded"])

    trust = st.mann_whitney(yes["trust"], no["trust"])
    assert rows.loc["trust", "test"] == "mann_whitney"
    assert rows.loc["trust", "p_value"] == approx(trust["p_value"])
    assert rows.loc["trust", "n_responded"] == yes["trust"].notna().sum()
    assert rows.loc["trust", "n_not_responded"] == no["trust"].notna().sum()
    assert rows.loc["trust", "value_responded"] == approx(yes["trust"].mean())

    age = st.welch_t(yes["age"], no["age"])
    assert rows.loc["age", "test"] == "welch_t"
    assert rows.loc["age", "statistic"] == approx(age["statistic"])
    assert rows.loc["age", "value_not_responded"] == approx(no["age"].mean())

    # six 1s in 240 rows: expected count of 1s among leavers < 5 -> Fisher
    assert rows.loc["rare", "test"] == "fisher"
    assert out["significant"].tolist() == [p < 0.05 for p in out["p_value"]]
    assert out["significant"].dtype == bool
    assert out["n_responded"].dtype == np.int64


def test_attrition_comparison_degenerate_and_sparse_nominal():
    """A constant item admits no test (NaN, not significant); a two-category nominal item
    with small expected counts gets Fisher's test (reference: scipy fisher_exact on the
    table counted by hand: rows a/b, columns not responded/responded)."""
    frame = pd.DataFrame(
        {
            "stayed": [1, 1, 1, 1, 1, 0, 0, 0, 0],
            "same": ["x"] * 9,
            "pair": ["a", "a", "a", "a", "b", "b", "b", "b", None],
        }
    )
    out = st.attrition_comparison(frame, "stayed", {"same": "nominal", "pair": "nominal"})
    same, pair = out.iloc[0], out.iloc[1]
    assert math.isnan(same["p_value"]) and not same["significant"]
    assert pair["test"] == "fisher"
    assert pair["p_value"] == approx(float(sps.fisher_exact([[0, 4], [3, 1]]).pvalue))
    assert (pair["n_responded"], pair["n_not_responded"]) == (5, 3)


def test_attrition_comparison_errors():
    frame = attrition_frame()
    with pytest.raises(ValueError, match="unknown kind"):
        st.attrition_comparison(frame, "stayed", {"age": "continuous"})
    with pytest.raises(ValueError, match="not in frame: 'nope'"):
        st.attrition_comparison(frame, "stayed", {"nope": "numeric"})
    broken = frame.assign(stayed=frame["stayed"].where(frame["age"] > 25))
    with pytest.raises(ValueError, match="missing values"):
        st.attrition_comparison(broken, "stayed", {"age": "numeric"})
    with pytest.raises(ValueError, match="found 2"):
        st.attrition_comparison(frame.assign(stayed=2), "stayed", {"age": "numeric"})


# --------------------------------------------------------------------------- is_significant


def test_is_significant():
    assert st.is_significant(0.01) is True
    assert st.is_significant(0.05) is False
    assert st.is_significant(0.08, alpha=0.1) is True
    assert st.is_significant(float("nan")) is False
    assert st.is_significant(np.float64(0.001)) is True
    assert st.is_significant(None) is False
