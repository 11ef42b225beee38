"""What a chapter calls: its context (parameters, data, records) and the glue helpers.

Numbers, intervals, n and direction words are formatted here and only here, so prose glued
from them reads the same everywhere and follows the data when the wave changes.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from wavebook import estimates, words
from wavebook.codebook import Codebook, load_codebook

DASH = "—"


# --- formatting ------------------------------------------------------------------------------
def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def pct(value: float | None, digits: int = 0) -> str:
    """A percentage for prose: ``pct(45.6)`` -> ``'46%'``; missing -> ``'—'``.

    >>> pct(45.6), pct(float("nan"))
    ('46%', '—')
    """
    return DASH if _missing(value) else f"{float(value):.{digits}f}%"


def pp(value: float | None) -> str:
    """A difference in percentage points with its sign: ``pp(14.6)`` -> ``'+15 pp'``.

    >>> pp(14.6), pp(-3.2)
    ('+15 pp', '−3 pp')
    """
    if _missing(value):
        return DASH
    rounded = round(float(value))
    sign = "+" if rounded > 0 else ("−" if rounded < 0 else "±")
    return f"{sign}{abs(rounded)} pp"


def count(n: int | float) -> str:
    """A count with a thousands separator: ``count(2176)`` -> ``'2,176'``.

    >>> count(2176)
    '2,176'
    """
    return f"{int(n):,}"


def interval(low: float | None, high: float | None, unit: str = "%") -> str:
    """``interval(41.2, 50.9)`` -> ``'95% CI 41–51%'``; negative bounds get a minus sign
    and "to" (an en dash beside a minus reads as a second minus).

    >>> interval(41.2, 50.9)
    '95% CI 41–51%'
    >>> interval(-8.4, -1.6, unit=" pp"), interval(-3.2, 4.9, unit=" pp")
    ('95% CI −8 to −2 pp', '95% CI −3 to 5 pp')

    An interval narrower than the rounding, or with a bound that would round to 0 without
    being 0, keeps one decimal: it never reads "1–1%", and a significant change never seems
    to touch zero:

    >>> interval(0.62, 1.21), interval(-3.2, -0.4, unit=" pp")
    ('95% CI 0.6–1.2%', '95% CI −3.2 to −0.4 pp')
    """
    if _missing(low) or _missing(high):
        return DASH
    low, high = float(low), float(high)
    lo, hi = round(low), round(high)  # ints: no "-0"
    near_zero = any(b != 0 and round(b) == 0 for b in (low, high))
    if (lo == hi and low != high) or near_zero:
        lo, hi = round(low, 1) + 0.0, round(high, 1) + 0.0
    if lo < 0 or hi < 0:
        return f"95% CI {lo} to {hi}{unit}".replace("-", "−")
    return f"95% CI {lo}–{hi}{unit}"


def p_text(p_value: float | None) -> str:
    """``p_text(0.0004)`` -> ``'p < 0.001'``; ``p_text(0.0312)`` -> ``'p = 0.031'``.

    >>> p_text(0.0004), p_text(0.0312)
    ('p < 0.001', 'p = 0.031')
    """
    if _missing(p_value):
        return DASH
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


# --- glue ------------------------------------------------------------------------------------
class Text:
    """Text to glue, pasted with ``{glue:md}``.

    ``{glue:text}`` runs ``ast.literal_eval`` on what it pastes, so "8,901" would turn into the
    tuple "(8, 901)"; chapters therefore paste text as Markdown, which this class provides.
    """

    def __init__(self, text: str) -> None:
        self.text = str(text)

    def __repr__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return self.text


def glue(key: str, value: Any) -> None:
    """Glue text (strings become :class:`Text`; NumPy scalars become Python numbers)."""
    from myst_nb import glue as _glue

    if isinstance(value, str):
        value = Text(value)
    elif hasattr(value, "item") and not hasattr(value, "__len__"):
        value = value.item()  # NumPy 2 scalars lose their format spec in glue
    _glue(key, value, display=False)


# --- the chapter context ---------------------------------------------------------------------
class Parameters(BaseModel):
    """A chapter's papermill parameters, validated."""

    model_config = ConfigDict(extra="forbid")

    chapter: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    wave: int = Field(ge=1)
    data_dir: Path
    out_dir: Path


@dataclass
class Chapter:
    """A chapter's inputs (the prepared data of one build) and its estimate records."""

    params: Parameters
    resp: pd.DataFrame
    flow: pd.DataFrame
    waves: pd.DataFrame
    codebook: Codebook
    synthetic: bool
    benchmarks: pd.DataFrame
    records: list[dict] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def wave(self) -> int:
        return self.params.wave

    @property
    def slug(self) -> str:
        return self.params.chapter

    def benchmark(self, construct: str, population: str) -> pd.Series:
        """The benchmark row of ``data/benchmarks.csv`` for a construct and population."""
        rows = self.benchmarks[
            (self.benchmarks["construct"] == construct)
            & (self.benchmarks["population"] == population)
        ]
        if rows.empty:
            raise KeyError(f"no benchmark for {construct} in {population}")
        return rows.iloc[-1]

    @property
    def source(self) -> str:
        """The source line of captions."""
        kind = "synthetic demonstration data" if self.synthetic else "survey data"
        waves = "wave 1" if self.wave == 1 else f"waves 1–{self.wave}"
        return f"Source: wavebook, {kind}, {waves}"

    def record(self, rows: list[dict] | pd.DataFrame) -> pd.DataFrame:
        """Add records (made with :func:`wavebook.estimates.record`) and save the file."""
        new = rows.to_dict("records") if isinstance(rows, pd.DataFrame) else list(rows)
        for row in new:
            row["chapter"] = self.slug
        self.records.extend(new)
        estimates.write(
            estimates.frame(self.records), self.params.out_dir / "estimates" / f"{self.slug}.csv"
        )
        return estimates.frame(new)

    def fact(self, **values: Any) -> None:
        """Add facts for the chapter's sentences and save ``<out_dir>/facts.json``.

        Facts are numbers, codebook keys, direction codes and statuses — never sentences;
        the chapter's ``{words}`` render them in the edition's language.
        """
        self.facts.update(plain(values))
        path = self.params.out_dir / "facts.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.facts, indent=1, sort_keys=True, ensure_ascii=False, allow_nan=False)
        path.write_text(text + "\n", encoding="utf-8")


def plain(value: Any) -> Any:
    """Facts as JSON values: NumPy scalars as Python numbers, NaN and NA as None.

    >>> import numpy as np
    >>> plain({"a": np.float64(1.5), "b": [np.int64(2), float("nan")], "c": ("x",)})
    {'a': 1.5, 'b': [2, None], 'c': ['x']}
    """
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | pd.Index | pd.Series):
        return [plain(v) for v in value]
    if hasattr(value, "item") and not hasattr(value, "__len__"):
        value = value.item()
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def estimate_fact(row: pd.Series | dict | None, missing: str = "not_asked") -> dict[str, Any]:
    """The facts of one estimate record: value, interval, n, p and a status (``ok``,
    ``withheld``, or ``missing`` when there is no record).

    >>> estimate_fact({"value": 61.0, "ci_low": 57.1, "ci_high": 64.8, "n": 600,
    ...                "p_value": float("nan"), "suppressed": False})["status"]
    'ok'
    >>> estimate_fact(None)
    {'status': 'not_asked'}
    """
    if row is None:
        return {"status": missing}
    if bool(row["suppressed"]):
        return {"status": "withheld", "n": int(row["n"])}
    return plain(
        {
            "status": "ok",
            "value": row["value"],
            "ci_low": row["ci_low"],
            "ci_high": row["ci_high"],
            "n": int(row["n"]),
            "p": row["p_value"],
        }
    )


def change_fact(
    before: pd.Series | dict | None,
    after: pd.Series | dict | None,
    change: pd.Series | dict | None,
    missing: str = "no_panel",
) -> dict[str, Any]:
    """The facts of a panel change: the two shares, the change with its interval and test,
    and ``direction`` from :func:`wavebook.stats.direction`.

    >>> row = {"value": 12.0, "ci_low": 8.0, "ci_high": 16.0, "n": 594, "p_value": 0.0001,
    ...        "suppressed": False}
    >>> change_fact({**row, "value": 48.5}, {**row, "value": 61.0}, row)["direction"]
    'up'
    """
    from wavebook.stats import direction

    if change is None or before is None or after is None:
        return {"status": missing}
    facts = estimate_fact(change)
    if facts["status"] != "ok":
        return facts
    shares = estimate_fact(before), estimate_fact(after)
    if any(s["status"] != "ok" for s in shares):
        return {"status": "withheld", "n": facts["n"]}
    facts.update(
        before=shares[0]["value"],
        after=shares[1]["value"],
        direction=direction(facts["value"], facts.get("p")),
    )
    return facts


def open_chapter(chapter: str, wave: int, data_dir: str | Path, out_dir: str | Path) -> Chapter:
    """Validate a chapter's parameters and load the prepared data of its build."""
    params = Parameters(chapter=chapter, wave=wave, data_dir=Path(data_dir), out_dir=Path(out_dir))
    meta = json.loads((params.data_dir / "waves.json").read_text(encoding="utf-8"))
    resp = pd.read_parquet(params.data_dir / "respondents.parquet")
    codebook = load_codebook(params.data_dir / "codebook.yml")
    words.use_codebook(codebook)
    return Chapter(
        params=params,
        resp=resp[resp["wave"] <= wave].reset_index(drop=True),
        flow=pd.read_csv(params.data_dir / "flow.csv"),
        waves=pd.DataFrame(meta["waves"]),
        codebook=codebook,
        synthetic=bool(meta["synthetic"]),
        benchmarks=_read_optional(params.data_dir / "benchmarks.csv"),
    )


def _read_optional(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"year": "string"}) if path.is_file() else pd.DataFrame()


# --- sentences and captions ------------------------------------------------------------------
def _row(records: pd.DataFrame, statistic: str, wave: str | None = None) -> pd.Series | None:
    rows = records[records["statistic"] == statistic]
    if wave is not None:
        rows = rows[rows["wave"].astype(str) == wave]
    return None if rows.empty else rows.iloc[-1]


def samples_fact(records: pd.DataFrame) -> list[str]:
    """The samples of share records and their n at each wave, for ``SAMPLES`` in a caption
    (``samples-caption``): one ``sample:wave=n,wave=n`` per sample, in order of appearance.

    >>> rows = pd.DataFrame({"statistic": ["share"] * 3, "sample": ["combined_w1",
    ...     "combined_w2", "panel_1_2"], "wave": ["1", "2", "2"], "n": [1630, 2176, 611]})
    >>> samples_fact(rows)
    ['combined_w1:1=1630,2=2176', 'panel_1_2:2=611']
    """
    shares = records[records["statistic"] == "share"]
    kinds = shares["sample"].astype(str).str.replace(r"_w\d+$", "", regex=True)
    out = []
    for _, rows in shares.groupby(kinds, sort=False):
        counts = ",".join(f"{w}={int(n)}" for w, n in zip(rows["wave"], rows["n"], strict=True))
        out.append(f"{rows['sample'].iloc[0]}:{counts}")
    return out


def withheld_fact(records: pd.DataFrame) -> dict[str, Any]:
    """The subgroups a chart leaves out because they are withheld, for ``withheld-note``:
    ``{"withheld": ["age_group=55+"], "min_n": 30}``."""
    hidden = records.loc[records["suppressed"].astype(bool), "subgroup"].astype(str)
    return {"withheld": list(hidden), "min_n": estimates.MIN_CELL_N}


# --- facts of the methodology appendix -------------------------------------------------------
def sizes_fact(sizes: pd.DataFrame, last_wave: int) -> dict[str, Any]:
    """The sample sizes of the methodology appendix, from the sample-size records
    (:func:`wavebook.estimates.sample_sizes`): ``last_wave``, ``latest`` (the last wave's
    respondents), ``samples`` (each wave's combined sample, for ``SAMPLES``) and ``balanced``
    (the panel of every wave so far: ``n``, or the status ``first_wave`` in wave 1).

    >>> sizes = pd.DataFrame({"key": ["n_combined_w1", "n_combined_w2", "n_panel_1_2"],
    ...                       "n": [1680, 2176, 611]})
    >>> facts = sizes_fact(sizes, 2)
    >>> facts["latest"], facts["samples"], facts["balanced"]
    (2176, ['combined_w1:1=1680,2=2176'], {'status': 'ok', 'n': 611})
    >>> sizes_fact(sizes, 1)["balanced"]
    {'status': 'first_wave'}
    """
    n = sizes.set_index("key")["n"]
    counts = ",".join(f"{w}={int(n[f'n_combined_w{w}'])}" for w in range(1, last_wave + 1))
    every = "n_panel_" + "_".join(str(w) for w in range(1, last_wave + 1))
    balanced = {"status": "first_wave"} if last_wave == 1 else {"status": "ok", "n": n[every]}
    return plain(
        {
            "last_wave": last_wave,
            "latest": n[f"n_combined_w{last_wave}"],
            "samples": [f"combined_w1:{counts}"],
            "balanced": balanced,
        }
    )


def attrition_fact(tests: pd.DataFrame, last_wave: int) -> dict[str, Any]:
    """The attrition check of the previous wave (:func:`wavebook.estimates.attrition`):
    ``status`` (``first_wave`` before wave 2), the waves ``wave`` and ``next``, the variables
    ``compared`` and those that ``differ`` significantly (the tests' ``significant``).

    >>> tests = pd.DataFrame({"variable": ["gender", "age"], "significant": [False, True]})
    >>> attrition_fact(tests, 3)
    {'status': 'ok', 'wave': 2, 'next': 3, 'compared': ['gender', 'age'], 'differ': ['age']}
    >>> attrition_fact(tests.iloc[:0], 1)
    {'status': 'first_wave'}
    """
    if tests.empty:
        return {"status": "first_wave"}
    differ = tests.loc[tests["significant"].astype(bool), "variable"]
    return plain(
        {
            "status": "ok",
            "wave": last_wave - 1,
            "next": last_wave,
            "compared": list(tests["variable"]),
            "differ": list(differ),
        }
    )
