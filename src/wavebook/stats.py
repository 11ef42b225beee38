"""Estimators and tests used by the chapters.

Small pure functions: no state, no I/O, no printing. Inputs are pandas Series, NumPy arrays
or lists; ``NaN`` means "not asked / skipped" and is dropped (pairwise for paired functions).
When two paired inputs are both pandas Series with different indexes they are aligned on the
index (which must then be unique); otherwise they are paired by position and must have the same
length. Percentages are on the 0–100 scale, proportions inside :func:`wilson_interval` on the
0–1 scale. Results are plain Python ``float``/``int``/``str``/``bool`` values in a ``dict``,
or a tidy :class:`pandas.DataFrame` for multi-row results; a statistic that is not defined for
the data at hand (no observations, no variation) is ``nan``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

__all__ = [
    "ALPHA",
    "LEVEL",
    "attrition_comparison",
    "chi2_independence",
    "compare_shares",
    "direction",
    "is_significant",
    "kish_effective_n",
    "mann_whitney",
    "mcnemar",
    "mean_ci",
    "panel_change",
    "share",
    "signed_rank",
    "stuart_maxwell",
    "transition_table",
    "welch_t",
    "wilson_interval",
]

ALPHA = 0.05
"""Significance level of every test in the book."""

LEVEL = 0.95
"""Confidence level of every interval in the book."""

NAN = float("nan")

#: McNemar's test is exact (binomial) below this many discordant pairs.
_MCNEMAR_EXACT_BELOW = 25

#: Fisher's exact test replaces chi-square for a 2x2 table with an expected count below this.
_MIN_EXPECTED = 5.0

_KINDS = ("binary", "nominal", "ordinal", "numeric")


# --------------------------------------------------------------------------- helpers


def _series(values: Any, name: str) -> pd.Series:
    """``values`` as a one-dimensional Series (a copy is not made for a Series)."""
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, pd.DataFrame):
        raise ValueError(f"{name}: expected one column of values, got a DataFrame")
    if np.ndim(values) != 1:
        raise ValueError(f"{name}: expected a one-dimensional sequence of values")
    return pd.Series(list(values) if not isinstance(values, np.ndarray) else values)


def _pair(x: Any, y: Any, names: tuple[str, str]) -> tuple[pd.Series, pd.Series]:
    """Pair ``x`` with ``y``: by index if both are Series with different indexes, else by
    position. Nothing is dropped here."""
    xs, ys = _series(x, names[0]), _series(y, names[1])
    if isinstance(x, pd.Series) and isinstance(y, pd.Series) and not x.index.equals(y.index):
        if not (x.index.is_unique and y.index.is_unique):
            raise ValueError(
                f"{names[0]} and {names[1]} have different indexes that are not unique; "
                "cannot pair them"
            )
        xs, ys = xs.align(ys, join="outer")
        return xs, ys
    if len(xs) != len(ys):
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same length ({len(xs)} != {len(ys)})"
        )
    return xs.reset_index(drop=True), ys.reset_index(drop=True)


def _complete_pairs(x: Any, y: Any, names: tuple[str, str]) -> tuple[pd.Series, pd.Series]:
    """Pairs where neither value is missing."""
    xs, ys = _pair(x, y, names)
    keep = (xs.notna() & ys.notna()).to_numpy()
    return xs[keep], ys[keep]


def _show(bad: Iterable[Any], limit: int = 10) -> str:
    """Offending values for an error message (whole floats shown as integers)."""
    items = [int(v) if isinstance(v, float) and v.is_integer() else v for v in bad]
    text = ", ".join(repr(v) for v in items[:limit])
    return text + (f", ... ({len(items)} distinct)" if len(items) > limit else "")


def _numeric(values: pd.Series, name: str) -> np.ndarray:
    """Float array of ``values`` (NaN kept); non-numeric values raise ValueError."""
    if values.dtype == bool:
        return values.to_numpy(dtype=float)
    converted = pd.to_numeric(values, errors="coerce")
    bad = values[converted.isna() & values.notna()]
    if len(bad):
        raise ValueError(f"{name}: expected numbers, found {_show(bad.unique().tolist())}")
    return converted.to_numpy(dtype=float, na_value=np.nan)


def _binary(values: pd.Series, name: str) -> np.ndarray:
    """Float array of 0/1 values (NaN kept); any other value raises ValueError."""
    if values.dtype == bool:
        return values.to_numpy(dtype=float)
    converted = pd.to_numeric(values, errors="coerce")
    bad = values[values.notna() & ~converted.isin([0, 1])]
    if len(bad):
        raise ValueError(
            f"{name}: expected 0/1 values (NaN for not asked), found "
            f"{_show(sorted(bad.unique().tolist(), key=repr))}"
        )
    return converted.to_numpy(dtype=float, na_value=np.nan)


def _valid_weights(weights: np.ndarray, name: str = "weights") -> np.ndarray:
    bad = ~np.isfinite(weights) | (weights <= 0)
    if bad.any():
        raise ValueError(
            f"{name}: expected finite positive weights, found "
            f"{_show(pd.unique(weights[bad]).tolist())} ({int(bad.sum())} rows)"
        )
    return weights


def _z(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (exclusive), got {level!r}")
    return float(sps.norm.isf((1 - level) / 2))


def _wilson(p: float, n: float, z: float) -> tuple[float, float]:
    """Wilson limits for an observed proportion ``p`` out of ``n`` (``n > 0``)."""
    z2 = z * z
    denom = 1 + z2 / n
    center = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    low = 0.0 if p <= 0 else min(max(center - half, 0.0), 1.0)
    high = 1.0 if p >= 1 else min(max(center + half, 0.0), 1.0)
    return low, high


def _categories(
    observed: Iterable[pd.Series], categories: Sequence[Hashable] | None, names: str
) -> list[Hashable]:
    """The category order: given, or the sorted union of observed values."""
    seen = pd.unique(pd.concat([pd.Series(s.to_numpy(dtype=object)) for s in observed]))
    if categories is None:
        return sorted(seen.tolist())
    cats = list(categories)
    if len(set(cats)) != len(cats):
        raise ValueError(f"categories must be distinct, got {cats!r}")
    unknown = [v for v in seen.tolist() if v not in set(cats)]
    if unknown:
        raise ValueError(f"{names}: values not in categories: {_show(unknown)}")
    return cats


def _square_counts(before: pd.Series, after: pd.Series, cats: Sequence[Hashable]) -> np.ndarray:
    """k x k counts, rows = before, columns = after, in ``cats`` order."""
    position = {c: i for i, c in enumerate(cats)}
    rows = np.array([position[v] for v in before.tolist()], dtype=int)
    cols = np.array([position[v] for v in after.tolist()], dtype=int)
    table = np.zeros((len(cats), len(cats)), dtype=np.int64)
    np.add.at(table, (rows, cols), 1)
    return table


def _crosstab(x: Any, y: Any, rows: Sequence[Hashable] | None = None) -> np.ndarray:
    """Counts of complete ``x``/``y`` pairs; rows = ``rows`` (default the sorted x values),
    columns = sorted y values."""
    x, y = pd.Series(x), pd.Series(y)
    xs = sorted(pd.unique(x.to_numpy(dtype=object)).tolist()) if rows is None else list(rows)
    ys = sorted(pd.unique(y.to_numpy(dtype=object)).tolist())
    xi = {v: i for i, v in enumerate(xs)}
    yi = {v: i for i, v in enumerate(ys)}
    table = np.zeros((len(xs), len(ys)), dtype=np.int64)
    np.add.at(table, ([xi[v] for v in x.tolist()], [yi[v] for v in y.tolist()]), 1)
    return table


def _table_test(table: np.ndarray, allow_fisher: bool) -> dict:
    """Chi-square test of independence; Fisher's exact test instead for a 2x2 table with an
    expected count below 5 when ``allow_fisher``. A table with fewer than two rows or columns
    or an empty row or column admits no test (statistic and p-value NaN)."""
    n = int(table.sum())
    r, c = table.shape
    df = max(r - 1, 0) * max(c - 1, 0)
    expected = np.outer(table.sum(1), table.sum(0)) / max(n, 1)
    fisher = allow_fisher and table.shape == (2, 2) and bool((expected < _MIN_EXPECTED).any())
    method = "fisher" if fisher else "chi2"
    if df == 0 or (table.sum(0) == 0).any() or (table.sum(1) == 0).any():
        return {"statistic": NAN, "p_value": NAN, "method": method, "n": n, "df": df}
    res = sps.fisher_exact(table) if fisher else sps.chi2_contingency(table, correction=False)
    return {
        "statistic": float(res.statistic),
        "p_value": float(res.pvalue),
        "method": method,
        "n": n,
        "df": df,
    }


# --------------------------------------------------------------------------- proportions


def wilson_interval(successes: float, n: float, level: float = LEVEL) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion, on the 0–1 scale.

    Source: Wilson (1927), JASA 22:209–212; recommended by Agresti & Coull (1998),
    Am. Stat. 52:119–126, and Newcombe (1998), Stat. Med. 17:857–872 (method 3).
    With ``p = successes / n`` and ``z`` the normal quantile for ``level``::

        (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)

    Parameters
    ----------
    successes : float
        Number of successes (may be a weighted count).
    n : float
        Number of trials; may be non-integer (an effective sample size).
    level : float, default LEVEL
        Confidence level.

    Returns
    -------
    tuple of float
        ``(low, high)``; ``(nan, nan)`` when ``n == 0``.

    Examples
    --------
    >>> low, high = wilson_interval(46, 100)
    >>> round(low, 4), round(high, 4)
    (0.3656, 0.5574)
    """
    z = _z(level)
    successes, n = float(successes), float(n)
    if not (math.isfinite(successes) and math.isfinite(n)) or n < 0:
        raise ValueError(f"n must be finite and non-negative, got successes={successes}, n={n}")
    if n == 0:
        return NAN, NAN
    if not 0 <= successes <= n * (1 + 1e-12):
        raise ValueError(f"successes must lie between 0 and n, got {successes} of {n}")
    return _wilson(min(successes / n, 1.0), n, z)


def kish_effective_n(weights: Any) -> float:
    """Kish's effective sample size ``(Σw)² / Σw²``.

    Source: Kish (1965), *Survey Sampling*, §11.7 (design effect of unequal weights).

    Parameters
    ----------
    weights : array-like
        Finite positive weights (NaN, zero or negative weights raise ValueError).

    Returns
    -------
    float
        The effective n; ``0.0`` for no weights.

    Examples
    --------
    >>> kish_effective_n([1, 1, 2, 2])
    3.6
    """
    w = _valid_weights(_numeric(_series(weights, "weights"), "weights"))
    if w.size == 0:
        return 0.0
    return float(w.sum() ** 2 / (w * w).sum())


def share(values: Any, weights: Any = None, level: float = LEVEL) -> dict:
    """Share of 1s in a 0/1 item, in percent, with a Wilson interval.

    Source: Wilson (1927); Agresti & Coull (1998). With weights the point estimate is the
    weighted proportion Σwx/Σw and the Wilson interval is computed with the Kish (1965)
    effective sample size in place of n (the design-effect adjustment of Korn & Graubard 1998).

    Parameters
    ----------
    values : array-like
        0/1 answers; NaN (not asked / skipped) is dropped, any other value raises ValueError.
    weights : array-like, optional
        Weights aligned with ``values``. Rows whose value is NaN are dropped from both; the
        remaining weights must be finite and positive.
    level : float, default LEVEL
        Confidence level.

    Returns
    -------
    dict
        ``value``, ``ci_low``, ``ci_high`` (percent), ``n`` (int, valid answers),
        ``n_eff`` (float; equals ``n`` without weights). With ``n == 0`` the value and the
        limits are NaN.

    Examples
    --------
    >>> r = share([1, 0, 1, 1, None, 0])
    >>> r["value"], round(r["ci_low"], 1), round(r["ci_high"], 1), r["n"], r["n_eff"]
    (60.0, 23.1, 88.2, 5, 5.0)
    """
    z = _z(level)
    if weights is None:
        x = _binary(_series(values, "values"), "values")
        x = x[~np.isnan(x)]
        w = np.ones_like(x)
    else:
        xs, ws = _pair(values, weights, ("values", "weights"))
        x = _binary(xs, "values")
        keep = ~np.isnan(x)
        x = x[keep]
        w = _valid_weights(_numeric(ws, "weights")[keep])
    n = int(x.size)
    if n == 0:
        return {"value": NAN, "ci_low": NAN, "ci_high": NAN, "n": 0, "n_eff": 0.0}
    n_eff = float(n) if weights is None else kish_effective_n(w)
    p = min(float((w * x).sum() / w.sum()), 1.0)
    low, high = _wilson(p, n_eff, z)
    return {"value": 100 * p, "ci_low": 100 * low, "ci_high": 100 * high, "n": n, "n_eff": n_eff}


def mean_ci(values: Any, weights: Any = None, level: float = LEVEL) -> dict:
    """Mean with a Student t interval.

    Source: Student (1908). Unweighted: ``mean ± t(n-1)·s/√n``. Weighted (Kish 1965):
    weighted mean ``m = Σwx/Σw``, weighted variance ``s² = n_eff/(n_eff-1) · Σw(x-m)²/Σw``
    with the Kish effective n, standard error ``s/√n_eff`` and ``df = n_eff - 1``. This equals
    statsmodels ``DescrStatsW(x, weights=w * n_eff / Σw).tconfint_mean()`` and reduces to the
    unweighted interval for equal weights.

    Parameters
    ----------
    values : array-like
        Numbers; NaN is dropped.
    weights : array-like, optional
        Weights aligned with ``values`` (see :func:`share`).
    level : float, default LEVEL
        Confidence level.

    Returns
    -------
    dict
        ``value``, ``ci_low``, ``ci_high``, ``n`` (int), ``n_eff`` (float). The limits are NaN
        when ``n_eff <= 1``; everything is NaN when ``n == 0``.

    Examples
    --------
    >>> r = mean_ci([2, 4, 4, 5, None, 7])
    >>> r["value"], round(r["ci_low"], 2), round(r["ci_high"], 2), r["n"]
    (4.4, 2.14, 6.66, 5)
    """
    _z(level)
    if weights is None:
        x = _numeric(_series(values, "values"), "values")
        x = x[~np.isnan(x)]
        w = np.ones_like(x)
    else:
        xs, ws = _pair(values, weights, ("values", "weights"))
        x = _numeric(xs, "values")
        keep = ~np.isnan(x)
        x = x[keep]
        w = _valid_weights(_numeric(ws, "weights")[keep])
    n = int(x.size)
    if n == 0:
        return {"value": NAN, "ci_low": NAN, "ci_high": NAN, "n": 0, "n_eff": 0.0}
    n_eff = float(n) if weights is None else kish_effective_n(w)
    m = float((w * x).sum() / w.sum())
    if n_eff <= 1:
        return {"value": m, "ci_low": NAN, "ci_high": NAN, "n": n, "n_eff": n_eff}
    var_pop = float((w * (x - m) ** 2).sum() / w.sum())
    se = math.sqrt(var_pop / (n_eff - 1))
    half = float(sps.t.isf((1 - level) / 2, n_eff - 1)) * se
    return {"value": m, "ci_low": m - half, "ci_high": m + half, "n": n, "n_eff": n_eff}


# --------------------------------------------------------------------------- paired items


def _paired_binary(before: Any, after: Any) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = _pair(before, after, ("before", "after"))
    x, y = _binary(xs, "before"), _binary(ys, "after")
    keep = ~(np.isnan(x) | np.isnan(y))
    return x[keep], y[keep]


def _mcnemar_counts(n01: int, n10: int) -> tuple[float, float, str]:
    m = n01 + n10
    if m < _MCNEMAR_EXACT_BELOW:
        stat = min(n01, n10)
        p = min(1.0, 2 * float(sps.binom.cdf(stat, m, 0.5)))
        return float(stat), p, "exact"
    stat = (abs(n01 - n10) - 1) ** 2 / m
    return float(stat), float(sps.chi2.sf(stat, 1)), "chi2"


def mcnemar(before: Any, after: Any) -> dict:
    """McNemar's test for a paired 0/1 item (did the share change?).

    Source: McNemar (1947), Psychometrika 12:153–157; continuity correction Edwards (1948).
    Only discordant pairs count: ``n10`` (before 1, after 0) and ``n01`` (before 0, after 1).
    With fewer than 25 discordant pairs the exact binomial test is used (statistic
    ``min(n01, n10)``, ``p = min(1, 2·P[Bin(n01+n10, ½) <= statistic])``), otherwise the
    chi-square statistic ``(|n01 - n10| - 1)² / (n01 + n10)`` on 1 df. Matches statsmodels
    ``mcnemar(table, exact=..., correction=True)``.

    Parameters
    ----------
    before, after : array-like
        0/1 answers of the same respondents; pairs with a NaN on either side are dropped.

    Returns
    -------
    dict
        ``n`` (complete pairs), ``n10``, ``n01``, ``statistic``, ``p_value``, ``method``
        (``"exact"`` or ``"chi2"``). Without pairs statistic and p_value are NaN; with pairs
        but no discordant pair the exact test gives statistic 0 and p_value 1.

    Examples
    --------
    >>> r = mcnemar([1, 1, 1, 0, 0, 0, 1, 0], [1, 0, 0, 1, 1, 1, 1, 1])
    >>> r["n10"], r["n01"], r["method"], round(r["p_value"], 3)
    (2, 4, 'exact', 0.688)
    """
    x, y = _paired_binary(before, after)
    n = int(x.size)
    n10 = int(((x == 1) & (y == 0)).sum())
    n01 = int(((x == 0) & (y == 1)).sum())
    if n == 0:
        return {"n": 0, "n10": 0, "n01": 0, "statistic": NAN, "p_value": NAN, "method": "exact"}
    stat, p, method = _mcnemar_counts(n01, n10)
    return {"n": n, "n10": n10, "n01": n01, "statistic": stat, "p_value": p, "method": method}


def _newcombe_paired(n11: int, n10: int, n01: int, n00: int, z: float) -> tuple[float, float]:
    """Newcombe (1998) method 10 interval for ``P(after=1) - P(before=1)``, 0–1 scale.

    In Newcombe's notation the first proportion is ``after`` (e = n11, f = n01, g = n10,
    h = n00), so the difference is ``(f - g) / n``.
    """
    n = n11 + n10 + n01 + n00
    p1, p2 = (n11 + n01) / n, (n11 + n10) / n  # after, before
    l1, u1 = _wilson(p1, n, z)
    l2, u2 = _wilson(p2, n, z)
    margins = (n11 + n01) * (n10 + n00) * (n11 + n10) * (n01 + n00)
    if margins == 0:
        phi = 0.0
    else:
        cross = n11 * n00 - n01 * n10
        numerator = max(cross - n / 2, 0.0) if cross > 0 else float(cross)
        phi = numerator / math.sqrt(margins)
    d = p1 - p2
    a, b = p1 - l1, u2 - p2
    delta = math.sqrt(max(a * a - 2 * phi * a * b + b * b, 0.0))
    a, b = u1 - p1, p2 - l2
    epsilon = math.sqrt(max(a * a - 2 * phi * a * b + b * b, 0.0))
    return max(d - delta, -1.0), min(d + epsilon, 1.0)


def panel_change(before: Any, after: Any, level: float = LEVEL) -> dict:
    """Change of a share between two waves for the same respondents (paired 0/1 item).

    Source: interval — Newcombe (1998), Stat. Med. 17:2635–2650, method 10 (hybrid score
    interval from the Wilson limits ``l1, u1`` of the after share ``p1`` and ``l2, u2`` of the
    before share ``p2``)::

        low  = D - sqrt((p1-l1)² - 2φ(p1-l1)(u2-p2) + (u2-p2)²)
        high = D + sqrt((u1-p1)² - 2φ(u1-p1)(p2-l2) + (p2-l2)²)

    where ``D = p1 - p2`` and φ is the phi coefficient of the paired 2x2 table with
    Newcombe's correction: numerator ``max(ad - bc - n/2, 0)`` when ``ad > bc`` (else
    ``ad - bc``), and φ = 0 when a margin is empty. Test — McNemar (1947), see :func:`mcnemar`.

    Parameters
    ----------
    before, after : array-like
        0/1 answers of the same respondents; pairwise complete.
    level : float, default LEVEL
        Confidence level.

    Returns
    -------
    dict
        ``before``, ``after`` (percent), ``change_pp`` (after - before, percentage points),
        ``ci_low``, ``ci_high`` (percentage points), ``n`` (pairs), ``p_value`` and ``method``
        of McNemar's test. Everything numeric is NaN without pairs.

    Examples
    --------
    >>> # Newcombe (1998), Table II example (e, f, g, h) = (36, 12, 2, 0), after = first
    >>> r = panel_change([0] * 12 + [1] * 38, [1] * 12 + [0] * 2 + [1] * 36)
    >>> r["before"], r["after"], r["change_pp"]
    (76.0, 96.0, 20.0)
    >>> round(r["ci_low"], 2), round(r["ci_high"], 2), r["method"], round(r["p_value"], 4)
    (5.69, 34.04, 'exact', 0.0129)
    """
    z = _z(level)
    x, y = _paired_binary(before, after)
    n = int(x.size)
    test = mcnemar(x, y)
    if n == 0:
        return {
            "before": NAN,
            "after": NAN,
            "change_pp": NAN,
            "ci_low": NAN,
            "ci_high": NAN,
            "n": 0,
            "p_value": NAN,
            "method": test["method"],
        }
    n11 = int(((x == 1) & (y == 1)).sum())
    n00 = n - n11 - test["n10"] - test["n01"]
    low, high = _newcombe_paired(n11, test["n10"], test["n01"], n00, z)
    p_before, p_after = (n11 + test["n10"]) / n, (n11 + test["n01"]) / n
    return {
        "before": 100 * p_before,
        "after": 100 * p_after,
        "change_pp": 100 * (test["n01"] - test["n10"]) / n,
        "ci_low": 100 * low,
        "ci_high": 100 * high,
        "n": n,
        "p_value": test["p_value"],
        "method": test["method"],
    }


def _components(adjacency: np.ndarray) -> list[list[int]]:
    """Connected components of an undirected graph given by a boolean adjacency matrix."""
    k = adjacency.shape[0]
    seen = [False] * k
    out = []
    for start in range(k):
        if seen[start]:
            continue
        stack, comp = [start], []
        seen[start] = True
        while stack:
            i = stack.pop()
            comp.append(i)
            for j in np.flatnonzero(adjacency[i]).tolist():
                if not seen[j]:
                    seen[j] = True
                    stack.append(j)
        out.append(sorted(comp))
    return out


def stuart_maxwell(before: Any, after: Any, categories: Sequence[Hashable] | None = None) -> dict:
    """Stuart–Maxwell test of marginal homogeneity for a paired categorical item.

    Source: Stuart (1955), Biometrika 42:412–416; Maxwell (1970), Br. J. Psychiatry
    116:651–655; Agresti (2013), *Categorical Data Analysis*, §11.3. With ``d`` the vector of
    after-minus-before marginal counts and ``V`` the covariance estimate
    (``V_ii = n_i+ + n_+i - 2 n_ii``, ``V_ij = -(n_ij + n_ji)``), both without the last
    category, the statistic is ``d' V⁻¹ d`` on ``k - 1`` df. Matches statsmodels
    ``SquareTable(table, shift_zeros=False).homogeneity(method="stuart_maxwell")``.

    ``V`` is singular when some categories are never left or entered by anyone (e.g. a
    category chosen only by people who kept it); statsmodels then returns NaN. Here such
    categories, which carry no information on marginal change (their ``d`` is 0), are set
    aside: the statistic is summed over the groups of categories connected by discordant pairs
    with ``df = Σ(size - 1)``, which equals the test on the table without them. Without any
    discordant pair the statistic is 0, df 0 and p_value 1.

    Parameters
    ----------
    before, after : array-like
        Category codes of the same respondents; pairwise complete.
    categories : sequence, optional
        Order of the square table; default the sorted union of the observed values. Values
        outside ``categories`` raise ValueError. Categories absent on both sides are dropped.

    Returns
    -------
    dict
        ``statistic``, ``df`` (int), ``p_value``, ``n`` (pairs). NaN statistic and p_value
        without pairs.

    Examples
    --------
    >>> before = ["a"] * 10 + ["b"] * 10 + ["c"] * 10
    >>> after = ["a"] * 4 + ["b"] * 6 + ["b"] * 8 + ["c"] * 2 + ["c"] * 9 + ["a"]
    >>> r = stuart_maxwell(before, after)
    >>> round(r["statistic"], 3), r["df"], round(r["p_value"], 4), r["n"]
    (3.6, 2, 0.1653, 30)
    """
    xs, ys = _complete_pairs(before, after, ("before", "after"))
    n = len(xs)
    cats = _categories([xs, ys], categories, "before/after")
    if n == 0:
        return {"statistic": NAN, "df": 0, "p_value": NAN, "n": 0}
    table = _square_counts(xs, ys, cats)
    d = (table.sum(0) - table.sum(1)).astype(float)  # after - before margins
    flows = (table + table.T).astype(float)
    np.fill_diagonal(flows, 0.0)
    statistic, df = 0.0, 0
    for comp in _components(flows > 0):
        if len(comp) < 2:
            continue  # no discordant pair touches this category (or it is absent)
        sub = flows[np.ix_(comp, comp)]
        laplacian = np.diag(sub.sum(1)) - sub
        dc = d[comp][:-1]
        statistic += float(dc @ np.linalg.solve(laplacian[:-1, :-1], dc))
        df += len(comp) - 1
    if df == 0:
        return {"statistic": 0.0, "df": 0, "p_value": 1.0, "n": n}
    return {"statistic": statistic, "df": df, "p_value": float(sps.chi2.sf(statistic, df)), "n": n}


def signed_rank(before: Any, after: Any) -> dict:
    """Wilcoxon signed-rank test for a paired ordinal score.

    Source: Wilcoxon (1945), Biometrics Bull. 1:80–83, via ``scipy.stats.wilcoxon`` with
    ``zero_method="wilcox"`` (pairs with no change are dropped before ranking, Wilcoxon's
    original convention; cf. Pratt 1959) and scipy's default choice between the exact and
    the normal-approximation p-value. The statistic is scipy's two-sided one (the smaller of
    the positive- and negative-rank sums).

    Parameters
    ----------
    before, after : array-like
        Numeric scores of the same respondents; pairwise complete.

    Returns
    -------
    dict
        ``statistic``, ``p_value``, ``n`` (complete pairs, including unchanged ones),
        ``median_diff`` (median of after - before over all complete pairs). If every
        difference is zero: statistic 0 and p_value 1. NaN without pairs.

    Examples
    --------
    >>> r = signed_rank([1, 2, 3, 4, 5, 2, 3, 4, 1, 2], [2, 2, 4, 5, 5, 3, 3, 5, 2, 2])
    >>> r["statistic"], round(r["p_value"], 4), r["n"], r["median_diff"]
    (0.0, 0.0312, 10, 1.0)
    """
    xs, ys = _pair(before, after, ("before", "after"))
    x, y = _numeric(xs, "before"), _numeric(ys, "after")
    keep = ~(np.isnan(x) | np.isnan(y))
    diff = y[keep] - x[keep]
    n = int(diff.size)
    if n == 0:
        return {"statistic": NAN, "p_value": NAN, "n": 0, "median_diff": NAN}
    median = float(np.median(diff))
    if not diff.any():
        return {"statistic": 0.0, "p_value": 1.0, "n": n, "median_diff": median}
    res = sps.wilcoxon(x[keep], y[keep], zero_method="wilcox")
    return {
        "statistic": float(res.statistic),
        "p_value": float(res.pvalue),
        "n": n,
        "median_diff": median,
    }


# --------------------------------------------------------------------------- groups


def compare_shares(values: Any, groups: Any) -> dict:
    """Does the share of a 0/1 item differ between groups?

    Source: Pearson (1900) chi-square test of independence on the 2 x k table (no
    continuity correction, ``scipy.stats.chi2_contingency(correction=False)``); for a 2x2
    table with an expected count below 5 (Cochran 1954) Fisher's (1935) exact test
    (``scipy.stats.fisher_exact``), whose ``statistic`` is the sample odds ratio of a 1 in the
    first group (sorted order) against the second.

    Parameters
    ----------
    values : array-like
        0/1 answers; pairs with a missing value or group are dropped.
    groups : array-like
        Group labels aligned with ``values``.

    Returns
    -------
    dict
        ``statistic``, ``p_value``, ``method`` (``"chi2"`` or ``"fisher"``), ``n``, ``df``
        (``k - 1``). When only one group is present or the item does not vary (all 0 or all
        1) no test is defined and statistic and p_value are NaN.

    Examples
    --------
    >>> vals = [1] * 30 + [0] * 20 + [1] * 15 + [0] * 35
    >>> grp = ["a"] * 50 + ["b"] * 50
    >>> r = compare_shares(vals, grp)
    >>> round(r["statistic"], 3), round(r["p_value"], 4), r["method"], r["df"]
    (9.091, 0.0026, 'chi2', 1)
    """
    xs, gs = _pair(values, groups, ("values", "groups"))
    x = _binary(xs, "values")
    keep = ~np.isnan(x) & gs.notna().to_numpy()
    return _table_test(_crosstab(x[keep], gs[keep], rows=[1.0, 0.0]), allow_fisher=True)


def chi2_independence(x: Any, y: Any) -> dict:
    """Pearson chi-square test of independence for an r x c table.

    Source: Pearson (1900); degrees of freedom ``(r-1)(c-1)`` after Fisher (1922). No
    continuity correction (``scipy.stats.chi2_contingency(correction=False)``). The table is
    built from the complete pairs over the observed values.

    Parameters
    ----------
    x, y : array-like
        Category labels of the same respondents; pairwise complete.

    Returns
    -------
    dict
        ``statistic``, ``df``, ``p_value``, ``n``, ``method`` (``"chi2"``). With fewer than two
        observed categories on either side statistic and p_value are NaN and df is 0.

    Examples
    --------
    >>> x = ["a"] * 20 + ["b"] * 20 + ["c"] * 20
    >>> y = ["u"] * 15 + ["v"] * 5 + ["u"] * 10 + ["v"] * 10 + ["u"] * 5 + ["v"] * 15
    >>> r = chi2_independence(x, y)
    >>> round(r["statistic"], 3), r["df"], round(r["p_value"], 4), r["n"]
    (10.0, 2, 0.0067, 60)
    """
    xs, ys = _complete_pairs(x, y, ("x", "y"))
    res = _table_test(_crosstab(xs, ys), allow_fisher=False)
    return {k: res[k] for k in ("statistic", "df", "p_value", "n", "method")}


def mann_whitney(a: Any, b: Any) -> dict:
    """Two-sided Mann–Whitney U test for two independent samples.

    Source: Mann & Whitney (1947), Ann. Math. Stat. 18:50–60, via
    ``scipy.stats.mannwhitneyu(a, b, alternative="two-sided")`` (scipy's default choice of
    exact or tie-corrected asymptotic p-value). The statistic is U of ``a``.

    Parameters
    ----------
    a, b : array-like
        Numeric (e.g. ordinal) scores; NaN dropped in each sample separately.

    Returns
    -------
    dict
        ``statistic``, ``p_value``, ``n_a``, ``n_b``; NaN statistic and p_value when a
        sample is empty.

    Examples
    --------
    >>> r = mann_whitney([1, 2, 2, 3, 3, 4], [3, 4, 4, 5, 5, None])
    >>> r["statistic"], round(r["p_value"], 4), r["n_a"], r["n_b"]
    (3.0, 0.0316, 6, 5)
    """
    x = _numeric(_series(a, "a"), "a")
    y = _numeric(_series(b, "b"), "b")
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    if x.size == 0 or y.size == 0:
        return {"statistic": NAN, "p_value": NAN, "n_a": int(x.size), "n_b": int(y.size)}
    res = sps.mannwhitneyu(x, y, alternative="two-sided")
    return {
        "statistic": float(res.statistic),
        "p_value": float(res.pvalue),
        "n_a": int(x.size),
        "n_b": int(y.size),
    }


def welch_t(a: Any, b: Any) -> dict:
    """Welch's unequal-variance t test for two independent samples.

    Source: Welch (1947), Biometrika 34:28–35; Satterthwaite (1946) degrees of freedom; via
    ``scipy.stats.ttest_ind(a, b, equal_var=False)``.

    Parameters
    ----------
    a, b : array-like
        Numbers; NaN dropped in each sample separately.

    Returns
    -------
    dict
        ``statistic``, ``df``, ``p_value``, ``n_a``, ``n_b``, ``diff`` (mean a - mean b).
        Statistic, df and p_value are NaN when a sample has fewer than two values or both
        samples are constant.

    Examples
    --------
    >>> r = welch_t([1, 2, 3, 4, 5], [3, 5, 6, 8, 9, 11])
    >>> round(r["statistic"], 3), round(r["df"], 2), round(r["p_value"], 4), r["diff"]
    (-2.902, 7.94, 0.02, -4.0)
    """
    x = _numeric(_series(a, "a"), "a")
    y = _numeric(_series(b, "b"), "b")
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    diff = float(x.mean() - y.mean()) if x.size and y.size else NAN
    out = {"statistic": NAN, "df": NAN, "p_value": NAN, "n_a": int(x.size), "n_b": int(y.size)}
    out["diff"] = diff
    if x.size < 2 or y.size < 2:
        return out
    const_x, const_y = bool((x == x[0]).all()), bool((y == y[0]).all())
    if const_x and const_y:
        return out
    with warnings.catch_warnings():
        if const_x or const_y:
            # An exactly constant sample has variance 0, which scipy flags as possible
            # precision loss; the Welch statistic is well defined from the other sample.
            warnings.filterwarnings("ignore", "Precision loss", RuntimeWarning)
        res = sps.ttest_ind(x, y, equal_var=False)
    out.update(statistic=float(res.statistic), df=float(res.df), p_value=float(res.pvalue))
    return out


# --------------------------------------------------------------------------- tables


def transition_table(
    before: Any, after: Any, categories: Sequence[Hashable] | None = None
) -> pd.DataFrame:
    """Turnover (transition) table of a paired categorical item, in tidy form.

    Source: the turnover table of panel analysis (Lazarsfeld, Berelson & Gaudet 1944;
    Agresti 2013, ch. 11): counts of ``(before, after)`` pairs and their share of the
    ``before`` row.

    Parameters
    ----------
    before, after : array-like
        Category codes of the same respondents; pairwise complete.
    categories : sequence, optional
        Category order; default the sorted union of observed values. All given categories
        appear, also when empty. Values outside ``categories`` raise ValueError.

    Returns
    -------
    pandas.DataFrame
        Columns ``from``, ``to``, ``n`` (int), ``row_share`` (percent of the ``from`` row;
        NaN for an empty row); one row per ``(from, to)`` in category order.

    Examples
    --------
    >>> t = transition_table(["a", "a", "b", "b", "b"], ["a", "b", "b", "b", "a"])
    >>> t.to_dict("list")["n"], [round(s, 1) for s in t["row_share"]]
    ([1, 1, 1, 2], [50.0, 50.0, 33.3, 66.7])
    """
    xs, ys = _complete_pairs(before, after, ("before", "after"))
    cats = _categories([xs, ys], categories, "before/after")
    table = _square_counts(xs, ys, cats)
    totals = table.sum(1, keepdims=True)
    shares = np.where(totals > 0, 100 * table / np.where(totals > 0, totals, 1), np.nan)
    k = len(cats)
    return pd.DataFrame(
        {
            "from": [cats[i] for i in range(k) for _ in range(k)],
            "to": [cats[j] for _ in range(k) for j in range(k)],
            "n": table.ravel().astype(np.int64),
            "row_share": shares.ravel().astype(float),
        }
    )


def attrition_comparison(
    frame: pd.DataFrame, responded: str, variables: Mapping[str, str]
) -> pd.DataFrame:
    """Compare wave-N respondents who answered wave N+1 with those who did not.

    Source of the tests: binary — :func:`compare_shares` (Pearson 1900 chi-square, Fisher's
    exact test for sparse 2x2 tables); nominal — the same chi-square/Fisher rule on the
    category-by-response table; ordinal — :func:`mann_whitney` (Mann & Whitney 1947); numeric
    — :func:`welch_t` (Welch 1947). Tests are unweighted and two-sided; ``significant`` means
    ``p < ALPHA``. For Fisher's test ``statistic`` is scipy's odds ratio of the table with
    columns "not responded" then "responded" and rows 1 then 0 (binary) or the sorted
    categories (nominal).

    Parameters
    ----------
    frame : pandas.DataFrame
        Respondents of wave N.
    responded : str
        Name of a 0/1 column (1 = answered wave N+1); missing values raise ValueError.
    variables : mapping
        Column name -> kind, one of ``"binary"``, ``"nominal"``, ``"ordinal"``,
        ``"numeric"``.

    Returns
    -------
    pandas.DataFrame
        One row per variable: ``variable``, ``kind``, ``test`` (``"chi2"``/``"fisher"``,
        ``"mann_whitney"``, ``"welch_t"``), ``statistic``, ``p_value``, ``n_responded``,
        ``n_not_responded`` (valid answers), ``value_responded``, ``value_not_responded``
        (share in percent for binary, mean for ordinal and numeric, NaN for nominal),
        ``significant`` (bool).

    Examples
    --------
    >>> df = pd.DataFrame({"stayed": [1, 1, 1, 1, 0, 0, 0, 0],
    ...                    "age": [30, 35, 41, 38, 25, 27, 24, 29]})
    >>> r = attrition_comparison(df, "stayed", {"age": "numeric"})
    >>> print(r[["test", "n_responded", "value_responded", "value_not_responded"]].to_string())
          test  n_responded  value_responded  value_not_responded
    0  welch_t            4             36.0                26.25
    >>> bool(r.loc[0, "significant"])
    True
    """
    if responded not in frame.columns:
        raise ValueError(f"responded column {responded!r} not in frame")
    flag = _binary(frame[responded], responded)
    if np.isnan(flag).any():
        raise ValueError(f"{responded}: missing values; every respondent must be coded 0/1")
    yes = flag == 1
    missing = [c for c in variables if c not in frame.columns]
    if missing:
        raise ValueError(f"variables not in frame: {_show(missing)}")
    bad_kinds = {c: k for c, k in variables.items() if k not in _KINDS}
    if bad_kinds:
        raise ValueError(f"unknown kind(s) {bad_kinds!r}; expected one of {_KINDS}")

    rows = []
    for column, kind in variables.items():
        col = frame[column].reset_index(drop=True)
        valid = col.notna().to_numpy()
        n_yes, n_no = int((valid & yes).sum()), int((valid & ~yes).sum())
        v_yes = v_no = NAN
        if kind in ("binary", "nominal"):
            if kind == "binary":
                x = _binary(col, column)
                res = compare_shares(x, flag)
                v_yes = share(x[yes])["value"]
                v_no = share(x[~yes])["value"]
            else:
                table = _crosstab(col[valid].to_numpy(dtype=object), flag[valid])
                res = _table_test(table, allow_fisher=True)
            test = res["method"]
        else:
            x = _numeric(col, column)
            if kind == "ordinal":
                res = mann_whitney(x[yes], x[~yes])
                test = "mann_whitney"
            else:
                res = welch_t(x[yes], x[~yes])
                test = "welch_t"
            v_yes = mean_ci(x[yes])["value"]
            v_no = mean_ci(x[~yes])["value"]
        rows.append(
            {
                "variable": column,
                "kind": kind,
                "test": test,
                "statistic": float(res["statistic"]),
                "p_value": float(res["p_value"]),
                "n_responded": n_yes,
                "n_not_responded": n_no,
                "value_responded": float(v_yes),
                "value_not_responded": float(v_no),
                "significant": is_significant(res["p_value"]),
            }
        )
    columns = [
        "variable",
        "kind",
        "test",
        "statistic",
        "p_value",
        "n_responded",
        "n_not_responded",
        "value_responded",
        "value_not_responded",
        "significant",
    ]
    out = pd.DataFrame(rows, columns=columns)
    return out.astype({"n_responded": "int64", "n_not_responded": "int64", "significant": bool})


def is_significant(p_value: float | None, alpha: float = ALPHA) -> bool:
    """Whether a p-value is below the significance level.

    Source: the conventional decision rule ``p < alpha`` (Fisher 1925; Neyman & Pearson
    1933). A missing p-value (NaN or None, i.e. no test was possible) is not significant.

    Examples
    --------
    >>> is_significant(0.049), is_significant(0.05), is_significant(float("nan"))
    (True, False, False)
    """
    if p_value is None:
        return False
    p = float(p_value)
    return bool(not math.isnan(p) and p < alpha)


def direction(change: float | None, p_value: float | None, alpha: float = ALPHA) -> str:
    """The one rule for direction words: ``"up"`` or ``"down"`` when the test of the change
    is significant (:func:`is_significant`), ``"flat"`` otherwise (a missing change or test
    included). The sign alone never makes a rise or a fall.

    Examples
    --------
    >>> direction(14.6, 0.0001), direction(-3.2, 0.01), direction(4.0, 0.2), direction(None, 0.01)
    ('up', 'down', 'flat', 'flat')
    """
    if change is None or math.isnan(float(change)) or not is_significant(p_value, alpha):
        return "flat"
    if float(change) > 0:
        return "up"
    return "down" if float(change) < 0 else "flat"
