"""The published figures recomputed: each row of ``published_figures.csv`` beside this data.

A research team that receives a new release of its data checks it against its own
publications: for every number the two reports print, the same statistic is computed from the
release, with its 95% interval and n, and marked when the published number falls outside the
interval. Rows that cannot be computed are kept, with the reason.

How a row is computed (the default rule):

* ``share``: the codebook's ``share_cut`` of the construct (:meth:`Variable.indicator`) among
  the valid answers of the row's sample at the row's wave (the last wave of ``a->b``; for
  ``pre``, the first wave of the sample, where the recalled item was asked); Wilson interval.
* ``mean``: the mean of the valid answers, "hard to say" (98) left out; t interval.
* ``change_pp``: the paired change between the two waves among the panel's respondents who
  answered both (Newcombe interval, McNemar's test), :func:`wavebook.estimates.change_record`.
* ``count``: respondents in the sample (or countries of residence outside Russia).
* ``transition_share``: a share among a baseline group, only where ``data/replication.yml``
  names that group.

``data/replication.yml`` (see :func:`load_overrides`) changes the rule for single rows: another
column, other codes, an "any of" measure, a baseline group, or "definition unclear".

Estimates are unweighted, as in the reports (they mention no weighting). Small cells are
withheld as everywhere in the book (:data:`wavebook.estimates.MIN_CELL_N`) and never compared.

When is a published number "outside"? The printed number stands for a range, and it is outside
when that range and the recomputed interval do not overlap (:func:`parse_value`):

* a plain number covers its rounding: ``46`` is 45.5–46.5, ``3.38`` is 3.375–3.385;
* ``~x`` ("about", "almost", "one in three") covers x ± 10% of x, at least ± 2;
* ``>x``, ``>=x`` cover everything above x; ``<x``, ``<=x`` everything below;
* a range ``a-b`` covers a − 0.5 to b + 0.5.

A count has no interval: it is outside when its value is outside the published range.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from wavebook import estimates, samples, stats
from wavebook._yaml import load_model
from wavebook.codebook import HARD_TO_SAY, Codebook, Variable
from wavebook.errors import ConfigError
from wavebook.paths import find_root
from wavebook.report import DASH
from wavebook.tables import Table
from wavebook.words import Words

PUBLISHED_FILE = "published_figures.csv"
OVERRIDES_FILE = "replication.yml"
PUBLISHED_COLUMNS = [
    "id",
    "construct",
    "statistic",
    "definition",
    "wave",
    "sample",
    "subgroup",
    "value",
    "unit",
    "source",
    "note",
]

COMPUTED = "computed"
NOT_COMPUTABLE = "not_computable"
# why a row cannot be computed: codes, worded by the messages replication-reason-<code>
NOT_ASKED = "not_asked"
WAVE_LATER = "wave_later"
NO_SAMPLE = "no_sample"
NO_STATISTIC = "no_statistic"
UNCLEAR = "unclear"
REASONS = (NOT_ASKED, WAVE_LATER, NO_SAMPLE, NO_STATISTIC, UNCLEAR)

APPROX_RELATIVE = 0.10  # "~x" covers x ± 10% of x ...
APPROX_MINIMUM = 2.0  # ... but at least ± 2 units
OTHER_COUNTRIES = "other"
IN_RUSSIA = "RU"

# Samples the data cannot rebuild (why: the message replication-detail-sample-<code>).
_MISSING_SAMPLES = ("w1_contacts", "combined_unspec", "unspecified")
_MISSING_SUBGROUPS = {"left_contacts": "w1_contacts"}
_COHORTS = {
    "left_before_mobilization": "pre_mobilization",
    "left_after_mobilization": "post_mobilization",
}
_VALUE = re.compile(r"^(~|>=|<=|>|<)?(-?\d+(?:\.\d+)?)$")
_RANGE = re.compile(r"^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$")


# --- the published figures -------------------------------------------------------------------
def parse_value(text: str) -> dict:
    """A printed value as a number, a qualifier and the range it stands for.

    The qualifier is ``""`` (a plain number), ``"~"``, ``">"``, ``">="``, ``"<"``, ``"<="`` or
    ``"range"`` (``a-b``; the number is then the midpoint). ``low`` and ``high`` bound what
    the printed text claims (see the module docstring).

    >>> parse_value("46")
    {'number': 46.0, 'qualifier': '', 'low': 45.5, 'high': 46.5}
    >>> parse_value("~50")
    {'number': 50.0, 'qualifier': '~', 'low': 45.0, 'high': 55.0}
    >>> parse_value(">90")["low"], parse_value("<=80")["high"], parse_value("<0.001")["number"]
    (90.0, 80.0, 0.001)
    >>> parse_value("69-77")
    {'number': 73.0, 'qualifier': 'range', 'low': 68.5, 'high': 77.5}
    >>> parse_value("-10")["low"], parse_value("3.38")["high"]
    (-10.5, 3.385)
    """
    text = str(text).strip()
    found = _RANGE.match(text)
    if found:
        first, last = found.groups()
        half = _half_unit(first, last)
        low, high = float(first), float(last)
        return {
            "number": (low + high) / 2,
            "qualifier": "range",
            "low": low - half,
            "high": high + half,
        }
    found = _VALUE.match(text)
    if not found:
        raise ValueError(f"cannot read the published value {text!r}")
    qualifier, digits = found.group(1) or "", found.group(2)
    number = float(digits)
    if qualifier == "":
        half = _half_unit(digits)
        low, high = number - half, number + half
    elif qualifier == "~":
        tolerance = max(APPROX_MINIMUM, APPROX_RELATIVE * abs(number))
        low, high = number - tolerance, number + tolerance
    elif qualifier.startswith(">"):
        low, high = number, math.inf
    else:
        low, high = -math.inf, number
    return {"number": number, "qualifier": qualifier, "low": _tidy(low), "high": _tidy(high)}


def _half_unit(*numbers: str) -> float:
    decimals = max(len(n.partition(".")[2]) for n in numbers)
    return 0.5 * 10.0**-decimals


def _tidy(value: float) -> float:
    return value if math.isinf(value) else round(value, 10)


def load_published(path: Path) -> pd.DataFrame:
    """Read ``published_figures.csv``; add the parsed value and the report it comes from.

    Added columns: ``number``, ``qualifier``, ``low``, ``high`` (:func:`parse_value`) and
    ``report`` (the first word of ``source``: ``SixMonths`` or ``YearHalf``). Raises
    :class:`ConfigError` naming the file and the rows when the file is malformed.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: file not found")
    published = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in PUBLISHED_COLUMNS if c not in published.columns]
    if missing:
        raise ConfigError(f"{path}: missing column(s) {', '.join(missing)}")
    dupes = sorted(set(published.loc[published["id"].duplicated(), "id"]))
    if dupes:
        raise ConfigError(f"{path}: duplicate id(s) {', '.join(dupes[:5])}")
    parsed, bad = [], []
    for row in published.itertuples(index=False):
        try:
            parsed.append(parse_value(row.value))
        except ValueError:
            bad.append(row.id)
            parsed.append({"number": math.nan, "qualifier": "", "low": math.nan, "high": math.nan})
    if bad:
        raise ConfigError(f"{path}: cannot read the value of row(s) {', '.join(bad[:5])}")
    published = pd.concat([published, pd.DataFrame(parsed, index=published.index)], axis=1)
    published["report"] = published["source"].str.split().str[0]
    return published


def published_path(data_dir: Path | str | None = None) -> Path:
    """Where ``published_figures.csv`` is: the copy in the prepared data folder of the build
    (``data_dir``) when it holds one, otherwise ``<project root>/data/``."""
    return _data_file(PUBLISHED_FILE, data_dir)


def overrides_path(data_dir: Path | str | None = None) -> Path:
    """Where ``replication.yml`` is, found like :func:`published_path`."""
    return _data_file(OVERRIDES_FILE, data_dir)


def _data_file(name: str, data_dir: Path | str | None) -> Path:
    if data_dir and (Path(data_dir) / name).is_file():
        return Path(data_dir) / name
    return find_root() / "data" / name


# --- the override file -----------------------------------------------------------------------
class Among(BaseModel):
    """A baseline group: respondents whose answer to ``variable`` at ``wave`` is in ``codes``."""

    model_config = ConfigDict(extra="forbid")

    variable: str
    wave: int = Field(ge=1)
    codes: list[int | str] = Field(min_length=1)


class Override(BaseModel):
    """How one row departs from the default rule (see ``data/replication.yml``)."""

    model_config = ConfigDict(extra="forbid")

    variable: str | None = None
    codes: list[int | str] | None = Field(None, min_length=1)
    any_of: list[str] | None = Field(None, min_length=2)
    among: Among | None = None
    unclear: str | None = None
    unclear_ru: str | None = None  # the same reason in Russian (``unclear`` is English)


class Figure(BaseModel):
    """What a published figure counts, in words a reader understands, in both languages."""

    model_config = ConfigDict(extra="forbid")

    what_en: str = Field(min_length=1)
    what_ru: str = Field(min_length=1)


class Overrides(BaseModel):
    """The override file: rows keyed by the id of ``published_figures.csv``."""

    model_config = ConfigDict(extra="forbid")

    version: int
    rows: dict[str, Override] = Field(default_factory=dict)
    figures: dict[str, Figure] = Field(default_factory=dict)


def load_overrides(path: Path) -> Overrides:
    """Read and validate ``data/replication.yml`` (:class:`ConfigError` when it is wrong)."""
    return load_model(Path(path), Overrides)


# --- recomputing -----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Sample:
    """A sample code resolved: its kind and the waves it spans."""

    kind: str  # "combined", "panel", "panel_2plus" or "all"
    waves: tuple[int, ...]


@dataclass(frozen=True)
class _Target:
    """What is counted: one column (with its codes), any of several, or the derived return."""

    kind: str  # "single", "any" or "returned"
    columns: tuple[str, ...]
    codes: tuple[int | str, ...] | None = None


class _Skip(Exception):
    """The row cannot be computed: a reason from :data:`REASONS`, and a detail: the id of a
    message ``replication-detail-<detail>`` with the facts it needs."""

    def __init__(self, reason: str, detail: str, **facts: object) -> None:
        super().__init__(detail)
        self.reason, self.detail, self.facts = reason, detail, facts


def recompute(
    published: pd.DataFrame,
    resp: pd.DataFrame,
    codebook: Codebook,
    last_wave: int,
    overrides: Overrides | None = None,
    min_cell_n: int = estimates.MIN_CELL_N,
) -> pd.DataFrame:
    """Recompute every published row from ``resp`` (waves up to ``last_wave``).

    Parameters
    ----------
    published
        :func:`load_published`.
    resp
        The long respondent-wave table of the edition.
    codebook
        The data contract (codes, share cuts, country names).
    last_wave
        The edition's wave: rows that need a later wave are "wave not in this edition".
    overrides
        :func:`load_overrides`; ids it names must be rows of ``published``.
    min_cell_n
        Cells resting on fewer respondents are withheld (never compared).

    Returns
    -------
    pandas.DataFrame
        One row per published row, in its order: ``id``, ``report``, ``construct``,
        ``statistic``, ``definition``, ``wave``, ``sample``, ``subgroup``, ``unit``,
        ``published`` (the printed text), ``published_number``, ``qualifier``,
        ``published_low``, ``published_high``, then the estimate record's ``key``, ``answers``,
        ``value``, ``ci_low``, ``ci_high``, ``n``, ``p_value``, ``suppressed``, and ``status``
        (``computed`` / ``not_computable``), ``reason`` (a code of :data:`REASONS`),
        ``detail`` (a message id, ``replication-detail-<detail>``) with ``detail_facts``,
        ``outside`` (nullable boolean: missing where nothing was compared), and ``what_en`` /
        ``what_ru``, what the figure counts in words (the override file's ``figures``; its
        ``definition`` where the file has none).
    """
    overrides = overrides or Overrides(version=1)
    rows = overrides.rows
    unknown = sorted((set(rows) | set(overrides.figures)) - set(published["id"]))
    if unknown:
        raise ConfigError(f"{OVERRIDES_FILE}: no published row with id {', '.join(unknown[:5])}")
    resp = resp[resp["wave"] <= last_wave]
    context = _Context(resp, codebook, last_wave, published, min_cell_n)
    results = []
    for row in published.itertuples(index=False):
        try:
            record = context.compute(row, rows.get(row.id, Override()))
            results.append(
                {"status": COMPUTED, "reason": "", "detail": "", "detail_facts": {}, **record}
            )
        except _Skip as skip:
            results.append(
                {
                    "status": NOT_COMPUTABLE,
                    "reason": skip.reason,
                    "detail": skip.detail,
                    "detail_facts": skip.facts,
                    **_empty_record(row),
                }
            )
    _protect_partitions(published, results)
    out = _comparison(published, results)
    described = overrides.figures
    for lang in ("en", "ru"):
        out[f"what_{lang}"] = [
            getattr(described[i], f"what_{lang}") if i in described else d
            for i, d in zip(out["id"], out["definition"], strict=True)
        ]
    return out


def _empty_record(row) -> dict:
    return {
        "key": _key(row.id),
        "answers": "",
        "value": math.nan,
        "ci_low": math.nan,
        "ci_high": math.nan,
        "n": 0,
        "p_value": math.nan,
        "suppressed": False,
    }


def _key(row_id: str) -> str:
    return f"replication_{row_id}"


def _comparison(published: pd.DataFrame, results: list[dict]) -> pd.DataFrame:
    base = published.rename(
        columns={
            "value": "published",
            "number": "published_number",
            "low": "published_low",
            "high": "published_high",
        }
    )
    base = base[
        [
            "id",
            "report",
            "construct",
            "statistic",
            "definition",
            "wave",
            "sample",
            "subgroup",
            "unit",
            "published",
            "published_number",
            "qualifier",
            "published_low",
            "published_high",
        ]
    ].reset_index(drop=True)
    columns = [
        "key",
        "answers",
        "value",
        "ci_low",
        "ci_high",
        "n",
        "p_value",
        "suppressed",
        "status",
        "reason",
        "detail",
        "detail_facts",
    ]
    found = pd.DataFrame(results, columns=columns).astype({"n": "int64", "suppressed": bool})
    out = pd.concat([base, found], axis=1)
    out["outside"] = pd.array([_outside(r) for r in out.itertuples(index=False)], dtype="boolean")
    return out


def _outside(row) -> bool | None:
    """Whether the published range and the recomputed interval miss each other."""
    if row.status != COMPUTED or row.suppressed or pd.isna(row.value):
        return None
    low, high = row.ci_low, row.ci_high
    if row.statistic == "count":
        low = high = row.value  # a count of the data at hand has no sampling interval
    elif pd.isna(low) or pd.isna(high):
        return None
    return bool(high < row.published_low or low > row.published_high)


def _protect_partitions(published: pd.DataFrame, results: list[dict]) -> None:
    """Secondary suppression (:func:`estimates.protect_partition`) for the groups that split a
    sample: the countries of a breakdown that has "other", returnees with stayers, and the two
    departure cohorts of the same figure."""
    families: dict[tuple, list[dict]] = {}
    for row, result in zip(published.itertuples(index=False), results, strict=True):
        family = _family(row.subgroup)
        if family and result["status"] == COMPUTED:
            key = (family, row.construct, row.statistic, row.wave, row.sample)
            families.setdefault(key, []).append(result)
    for (family, *_), members in families.items():
        if family == "country" and not any(m.get("other") for m in members):
            continue  # named countries alone do not add up to anything
        if len(members) > 1:
            estimates.protect_partition(members)
    for result in results:
        result.pop("other", None)


def _family(subgroup: str) -> str | None:
    if subgroup.startswith("country="):
        return "country"
    if subgroup in {"returnees", "stayers_abroad"}:
        return "return"
    if subgroup in _COHORTS:
        return "cohort"
    return None


class _Context:
    """The edition's data and what one call of :func:`recompute` has already worked out."""

    def __init__(
        self,
        resp: pd.DataFrame,
        codebook: Codebook,
        last_wave: int,
        published: pd.DataFrame,
        min_cell_n: int,
    ) -> None:
        self.resp, self.codebook, self.last_wave = resp, codebook, last_wave
        self.min_cell_n = min_cell_n
        countries = codebook["country_residence"].codes if "country_residence" in codebook else []
        self.country_codes = {c.en: c.code for c in countries}
        self.named = _named_countries(published)
        self._panels: dict[tuple[int, ...], pd.DataFrame] = {}

    # -- the steps of one row --
    def compute(self, row, override: Override) -> dict:
        if override.unclear:
            raise _Skip(
                UNCLEAR, "text", en=override.unclear, ru=override.unclear_ru or override.unclear
            )
        statistic = row.statistic
        if statistic == "transition_share" and override.among is None:
            raise _Skip(NO_STATISTIC, "transition")
        if statistic not in {"share", "mean", "change_pp", "count", "transition_share"}:
            raise _Skip(NO_STATISTIC, "statistic", statistic=statistic)
        sample = self._sample(row)
        if statistic == "count":
            return self._count(row, sample)
        return self._estimate(row, sample, override)

    def _sample(self, row) -> _Sample:
        code = row.sample
        if code in _MISSING_SAMPLES:
            raise _Skip(NO_SAMPLE, "sample", sample=code)
        if row.subgroup in _MISSING_SUBGROUPS:
            raise _Skip(NO_SAMPLE, "sample", sample=_MISSING_SUBGROUPS[row.subgroup])
        if code == "w1_all":
            return _Sample("combined", (1,))
        if re.fullmatch(r"combined_w\d+", code):
            return _Sample("combined", (int(code.removeprefix("combined_w")),))
        if re.fullmatch(r"panel(_\d+){2,}", code):
            return _Sample("panel", tuple(int(w) for w in code.split("_")[1:]))
        if code in {"panel_2plus", "combined_all"}:
            span = _span(row.wave) or tuple(range(1, self.last_wave + 1))
            return _Sample("panel_2plus" if code == "panel_2plus" else "all", span)
        raise _Skip(NO_SAMPLE, "sample", sample=code)

    def _need(self, waves: set[int] | tuple[int, ...]) -> None:
        later = max(waves) if waves else 0
        if later > self.last_wave:
            raise _Skip(WAVE_LATER, "later", wave=later, last=self.last_wave)

    def _asked(self, columns: tuple[str, ...], wave: int) -> None:
        for column in columns:
            if not self._has(column, wave):
                raise _Skip(NOT_ASKED, "not-asked", wave=wave, variable=column)

    # -- counts --
    def _count(self, row, sample: _Sample) -> dict:
        self._need(sample.waves)
        if row.subgroup != "all":
            raise _Skip(UNCLEAR, "count-subgroup")
        rows = self._sample_rows(sample)
        if row.construct == "sample_size":
            value = n = int(rows["resp_id"].nunique())
        elif row.construct == "country_residence":
            value = int(
                rows.loc[rows["country_residence"] != IN_RUSSIA, "country_residence"].nunique()
            )
            n = int(rows["resp_id"].nunique())
        else:
            raise _Skip(NO_STATISTIC, "count")
        return estimates.record(
            chapter="",
            key=_key(row.id),
            construct=row.construct,
            statistic="count",
            wave=row.wave,
            sample=row.sample,
            subgroup=row.subgroup,
            value=float(value),
            n=n,
            min_cell_n=self.min_cell_n,
        )

    def _sample_rows(self, sample: _Sample) -> pd.DataFrame:
        resp = self.resp
        if sample.kind == "combined":
            return samples.combined(resp, sample.waves[0])
        if sample.kind == "panel":
            return self._panel(sample.waves)
        within = resp[resp["wave"].isin(list(sample.waves))]
        if sample.kind == "all":
            return within
        answered = within.groupby("resp_id")["wave"].nunique()
        return within[within["resp_id"].isin(answered.index[answered >= 2])]

    def _panel(self, waves: tuple[int, ...]) -> pd.DataFrame:
        if waves not in self._panels:
            self._panels[waves] = samples.panel(self.resp, waves)
        return self._panels[waves]

    # -- shares, means and changes --
    def _estimate(self, row, sample: _Sample, override: Override) -> dict:
        if sample.kind not in {"combined", "panel"}:
            raise _Skip(UNCLEAR, "pooled")
        waves = self._answer_waves(row, sample)
        among = override.among
        needed = set(sample.waves) | set(waves) | ({among.wave} if among else set())
        self._need(needed)
        if among and among.wave not in sample.waves:
            raise _Skip(UNCLEAR, "wave-outside", wave=among.wave)
        select = self._subgroup(row, override, waves[-1])
        target = self._target(row, override, waves[-1])
        for wave in waves:
            self._asked(target.columns, wave)
        if among:
            self._asked((among.variable,), among.wave)
        if row.statistic == "change_pp":
            return self._change(row, sample, target, select, among, waves)
        rows = self._rows_at(sample, waves[-1])
        keep = select(rows) & self._among(rows, among)
        common = {
            "key": _key(row.id),
            "construct": row.construct,
            "wave": row.wave,
            "sample": row.sample,
            "subgroup": row.subgroup,
            "min_cell_n": self.min_cell_n,
        }
        if row.statistic == "mean":
            return self._mean(rows[keep], target, common)
        values = self._indicator(rows, target, waves[-1])[keep]
        record = estimates.share_record(values, answers=self._answers(row, target), **common)
        record["statistic"] = row.statistic  # a transition share is a share among its baseline
        record["other"] = row.subgroup == f"country={OTHER_COUNTRIES}"
        return record

    def _mean(self, rows: pd.DataFrame, target: _Target, common: dict) -> dict:
        if target.kind != "single" or target.codes is not None:
            raise _Skip(UNCLEAR, "mean")
        var = self.codebook[target.columns[0]]
        scale = pd.to_numeric(rows[var.name], errors="coerce")
        if var.hard_to_say:
            scale = scale.where(scale != HARD_TO_SAY)  # not a point on the scale
        est = stats.mean_ci(scale)
        return estimates.record(
            chapter="",
            statistic="mean",
            value=est["value"],
            ci_low=est["ci_low"],
            ci_high=est["ci_high"],
            n=est["n"],
            **common,
        )

    def _answer_waves(self, row, sample: _Sample) -> tuple[int, ...]:
        parts = str(row.wave).split("->")
        if not all(p == "pre" or p.isdigit() for p in parts) or len(parts) > 2:
            raise _Skip(UNCLEAR, "which-wave")
        if row.statistic == "change_pp":
            if len(parts) != 2 or not all(p.isdigit() for p in parts):
                raise _Skip(UNCLEAR, "two-waves")
            waves = (int(parts[0]), int(parts[1]))
        else:
            last = parts[-1]
            waves = (sample.waves[0] if last == "pre" else int(last),)
        outside = [w for w in waves if w not in sample.waves]
        if outside and max(waves) <= self.last_wave:
            raise _Skip(UNCLEAR, "wave-outside", wave=outside[0])
        return waves

    def _rows_at(self, sample: _Sample, wave: int) -> pd.DataFrame:
        if sample.kind == "combined":
            return samples.combined(self.resp, wave)
        rows = self._panel(sample.waves)
        return rows[rows["wave"] == wave]

    def _target(self, row, override: Override, wave: int) -> _Target:
        if override.any_of:
            for column in override.any_of:
                self._variable(column)
            return _Target("any", tuple(override.any_of))
        name = override.variable or row.construct
        if name == "returned_russia" and not self._has(name, wave):
            return _Target("returned", ("country_residence",))
        options = tuple(
            v.name for v in self.codebook.variables if v.type == "option" and v.question == name
        )
        if name not in self.codebook and options:
            return _Target("any", options)
        var = self._variable(name)
        codes = None
        if override.codes is not None:
            unknown = [c for c in override.codes if c not in var.allowed]
            if unknown:
                raise ConfigError(
                    f"{OVERRIDES_FILE}: {row.id}: {name} has no code(s) "
                    f"{', '.join(map(str, unknown))}"
                )
            codes = tuple(override.codes)
        if (
            override.codes is None
            and row.statistic != "mean"
            and var.type not in {"binary", "option"}
            and var.share_cut is None
        ):
            raise _Skip(UNCLEAR, "no-cut", variable=name)
        return _Target("single", (name,), codes)

    def _variable(self, name: str) -> Variable:
        if name not in self.codebook:
            raise _Skip(NOT_ASKED, "no-variable")
        return self.codebook[name]

    def _has(self, column: str, wave: int) -> bool:
        return column in self.codebook and estimates.asked(self.resp, self.codebook[column], wave)

    def _answers(self, row, target: _Target) -> str:
        """What ``target`` counts, as the ``answers`` column writes it (see
        :mod:`wavebook.estimates`)."""
        if target.kind == "returned":
            return f"country_residence={IN_RUSSIA}"
        if target.kind == "any":
            return estimates.any_of(target.columns)
        column = target.columns[0]
        codes = self.codebook[column].answers(target.codes)
        return codes if column == row.construct else f"{column}={codes}"

    def _indicator(self, rows: pd.DataFrame, target: _Target, wave: int) -> pd.Series:
        if target.kind == "returned":
            return self._returned(rows, wave)
        parts = []
        for column in target.columns:
            var = self.codebook[column]
            if target.codes is not None:
                var = var.model_copy(update={"share_cut": list(target.codes)})
            parts.append(var.indicator(rows[column]))
        return parts[0] if len(parts) == 1 else pd.concat(parts, axis=1).max(axis=1)

    def _returned(self, rows: pd.DataFrame, wave: int) -> pd.Series:
        """1 for respondents abroad at ``wave - 1`` and in Russia at ``wave``, 0 for those
        abroad at both, missing for everyone else (``samples.returnees``)."""
        if wave < 2:
            raise _Skip(UNCLEAR, "earlier")
        before = samples.abroad(samples.combined(self.resp, wave - 1))["resp_id"]
        back = samples.returnees(self.resp, wave)["resp_id"]
        flag = rows["resp_id"].isin(back).astype("float64")
        return flag.where(rows["resp_id"].isin(before))

    def _among(self, rows: pd.DataFrame, among: Among | None) -> pd.Series:
        if among is None:
            return pd.Series(True, index=rows.index)
        var = self._variable(among.variable)
        unknown = [c for c in among.codes if c not in var.allowed]
        if unknown:
            raise ConfigError(
                f"{OVERRIDES_FILE}: {among.variable} has no code(s) {', '.join(map(str, unknown))}"
            )
        base = samples.combined(self.resp, among.wave)
        chosen = (
            var.model_copy(update={"share_cut": list(among.codes)}).indicator(base[among.variable])
            == 1
        )
        return rows["resp_id"].isin(base.loc[chosen, "resp_id"])

    def _subgroup(self, row, override: Override, wave: int) -> Callable[[pd.DataFrame], pd.Series]:
        """A function selecting the subgroup's rows among the rows of ``wave``."""
        subgroup = row.subgroup
        if subgroup == "all" or override.among is not None:
            return lambda rows: pd.Series(True, index=rows.index)
        if subgroup.startswith("country="):
            name = subgroup.removeprefix("country=")
            if name == OTHER_COUNTRIES:
                named = self.named.get((row.construct, row.wave, row.sample), set())
                codes = {self.country_codes[n] for n in named if n in self.country_codes}
                return lambda rows: (
                    ~rows["country_residence"].isin(codes)
                    & (rows["country_residence"] != IN_RUSSIA)
                )
            if name not in self.country_codes:
                raise _Skip(UNCLEAR, "subgroup")
            code = self.country_codes[name]
            return lambda rows: rows["country_residence"] == code
        if subgroup in {"returnees", "stayers_abroad"}:
            if wave < 2:
                raise _Skip(UNCLEAR, "earlier")
            back = samples.returnees(self.resp, wave)["resp_id"]
            if subgroup == "returnees":
                return lambda rows: rows["resp_id"].isin(back)
            before = samples.abroad(samples.combined(self.resp, wave - 1))["resp_id"]
            return lambda rows: (
                rows["resp_id"].isin(before) & (rows["country_residence"] != IN_RUSSIA)
            )
        if subgroup in _COHORTS:
            cohort = _COHORTS[subgroup]
            # the reports compare the cohorts among people answering from abroad
            return lambda rows: (
                (samples.departure_cohort(rows) == cohort).fillna(False)
                & (rows["country_residence"] != IN_RUSSIA)
            )
        raise _Skip(UNCLEAR, "subgroup")

    def _change(
        self, row, sample: _Sample, target: _Target, select, among, waves: tuple[int, int]
    ) -> dict:
        first, last = waves
        if sample.kind != "panel":
            raise _Skip(UNCLEAR, "change-panel")
        rows = self._panel(sample.waves)
        later = rows[rows["wave"] == last]
        ids = later.loc[select(later) & self._among(later, among), "resp_id"]
        rows = rows[rows["resp_id"].isin(ids)]
        marked = rows.assign(_indicator=self._indicator(rows, target, last))
        answers = samples.wide(marked, "_indicator")
        return estimates.change_record(
            answers[first],
            answers[last],
            key=_key(row.id),
            construct=row.construct,
            waves=waves,
            sample=row.sample,
            subgroup=row.subgroup,
            answers=self._answers(row, target),
            min_cell_n=self.min_cell_n,
        )


def _span(wave: str) -> tuple[int, ...] | None:
    """``'1-3'`` -> ``(1, 2, 3)``; anything else -> None."""
    found = re.fullmatch(r"(\d+)-(\d+)", str(wave))
    return tuple(range(int(found[1]), int(found[2]) + 1)) if found else None


def _named_countries(published: pd.DataFrame) -> dict[tuple[str, str, str], set[str]]:
    """The countries each breakdown names: "other" means every other country."""
    named: dict[tuple[str, str, str], set[str]] = {}
    countries = published[published["subgroup"].str.startswith("country=")]
    for row in countries.itertuples(index=False):
        name = row.subgroup.removeprefix("country=")
        if name != OTHER_COUNTRIES:
            named.setdefault((row.construct, row.wave, row.sample), set()).add(name)
    return named


# --- what the chapter shows ------------------------------------------------------------------
def records(comparison: pd.DataFrame) -> pd.DataFrame:
    """The estimate records of the computed rows (keys ``replication_<id>``, the published
    sample and subgroup names), for :meth:`wavebook.report.Chapter.record`."""
    computed = comparison[comparison["status"] == COMPUTED]
    return estimates.frame(computed.assign(chapter="")[estimates.COLUMNS].to_dict("records"))


def facts(comparison: pd.DataFrame, last_wave: int) -> dict[str, object]:
    """The facts of the appendix's sentences (counts of rows, by outcome and by reason).

    Keys: ``published`` (rows), ``computed``, ``withheld``, ``compared`` (computed and
    shown), ``inside``, ``outside``, ``not_computable``, ``reasons`` (the count of each code
    of :data:`REASONS`), ``reports`` (rows computed for ``sixmonths`` and ``yearhalf``),
    ``approx`` (how far a number printed in words reaches: ``relative`` in percent of it,
    ``minimum`` in points), ``min_n`` and ``last_wave``.
    """
    computed = comparison["status"] == COMPUTED
    shown = computed & ~comparison["suppressed"].astype(bool)
    outside = comparison["outside"].fillna(False).astype(bool)
    reasons = comparison.loc[~computed, "reason"].value_counts()
    by_report = comparison.loc[computed, "report"].value_counts()
    return {
        "published": len(comparison),
        "computed": int(computed.sum()),
        "withheld": int((computed & ~shown).sum()),
        "compared": int(shown.sum()),
        "inside": int((shown & ~outside).sum()),
        "outside": int((shown & outside).sum()),
        "not_computable": int((~computed).sum()),
        "reasons": {r: int(reasons.get(r, 0)) for r in REASONS},
        "reports": {r.lower(): int(by_report.get(r, 0)) for r in ("SixMonths", "YearHalf")},
        "approx": {"relative": round(100 * APPROX_RELATIVE), "minimum": APPROX_MINIMUM},
        "min_n": estimates.MIN_CELL_N,
        "last_wave": last_wave,
    }


def _words(words: Words | None) -> Words:
    return words if words is not None else Words("en")


def _say(words: Words, message: str, fallback: str, facts: dict | None = None) -> str:
    return words.say(message, facts) if words.has(message) else fallback


def _decimals(text: str) -> int:
    return len(text.partition(".")[2])


def published_text(value: str, unit: str, words: Words | None = None) -> str:
    """The printed value with its unit, as a reader expects it, in the words' language.

    >>> published_text("46", "%"), published_text("14-18", "%"), published_text("-10", "pp")
    ('46%', '14–18%', '−10\xa0pp')
    >>> published_text("~33", "%"), published_text("<=80", "%"), published_text(">100", "countries")
    ('~33%', '≤80%', '>100')
    >>> published_text("1680", "persons"), published_text("3.38", "scale_1_5")
    ('1,680', '3.38')
    >>> published_text("3.38", "scale_1_5", Words("ru")), published_text("46", "%", Words("ru"))
    ('3,38', '46\xa0%')
    """
    words = _words(words)
    parsed = parse_value(value)
    qualifier = {"range": "", "<=": "≤", ">=": "≥"}.get(parsed["qualifier"], parsed["qualifier"])
    number = parsed["number"]
    if unit == "pp" and parsed["qualifier"] == "":
        return words.say("replication-pp", {"value": number})
    if parsed["qualifier"] == "range":
        first, _, last = value.partition("-")
        low = words.decimal(float(first), _decimals(first))
        high = words.decimal(float(last), _decimals(last))
        digits = f"{low}–{high}"
    elif unit in {"persons", "countries"}:
        digits = words.decimal(number)
    else:
        digits = words.decimal(number, _decimals(value))
    if unit == "%":
        return qualifier + words.percent(0).replace("0", digits)
    if unit == "pp":
        return f"{qualifier}{digits}\u00a0{words.say('wb-pp')}"
    return f"{qualifier}{digits}"


def estimate_text(row, words: Words | None = None) -> str:
    """A recomputed value with its interval, in the row's unit; withheld -> ``'—'``.

    >>> estimate_text(pd.Series({"statistic": "share", "unit": "%", "value": 44.2,
    ...                          "ci_low": 40.9, "ci_high": 47.6, "suppressed": False}))
    '44% (41–48%)'
    >>> estimate_text(pd.Series({"statistic": "change_pp", "unit": "pp", "value": -2.3,
    ...                          "ci_low": -7.9, "ci_high": 3.3, "suppressed": False}))
    '−2\xa0pp (−8 to 3\xa0pp)'
    >>> estimate_text(pd.Series({"statistic": "mean", "unit": "scale_1_5", "value": 3.381,
    ...                          "ci_low": 3.3, "ci_high": 3.45, "suppressed": False}), Words("ru"))
    '3,38 (3,30–3,45)'
    """
    words = _words(words)
    if bool(row["suppressed"]) or pd.isna(row["value"]):
        return DASH
    value, low, high = float(row["value"]), float(row["ci_low"]), float(row["ci_high"])
    if row["statistic"] == "count":
        return words.decimal(value)
    if row["statistic"] == "change_pp":
        unit = f"\u00a0{words.say('wb-pp')}"
        return f"{words.say('replication-pp', {'value': value})} ({words.bounds(low, high, unit)})"
    if row["statistic"] == "mean":
        return f"{words.decimal(value, 2)} ({words.decimal(low, 2)}–{words.decimal(high, 2)})"
    unit = words.percent(0).replace("0", "")
    return f"{words.percent(value)} ({words.bounds(low, high, unit)})"


def _wave_text(wave: str, words: Words) -> str:
    whole = f"replication-wave-{wave}"
    if words.has(whole):
        return words.say(whole)
    text = wave.replace("pre", words.say("replication-wave-pre"))
    return text.replace("->", " → ").replace("-", "–")


def _check(row) -> str:
    if bool(row["suppressed"]):
        return "withheld"
    if row["statistic"] == "count":
        return "differs" if bool(row["outside"]) else "matches"
    return "outside" if bool(row["outside"]) else "inside"


def _group_text(subgroup: str, words: Words) -> str:
    name, _, value = subgroup.partition("=")
    codebook = words.codebook
    if name == "country" and value != OTHER_COUNTRIES and codebook is not None:
        for code in codebook["country_residence"].codes or []:
            if code.en == value:
                return words.label(f"country_residence:{code.code}")
    slug = re.sub(r"[^A-Za-z0-9_]+", "-", subgroup).strip("-")
    return _say(words, f"replication-group-{slug}", subgroup)


def _sample_text(row, words: Words) -> str:
    sample = _say(words, f"replication-sample-{row['sample']}", row["sample"])
    if row["subgroup"] == "all":
        return sample
    return f"{sample}; {_group_text(row['subgroup'], words)}"


def _detail_text(row, words: Words) -> str:
    facts = dict(row["detail_facts"] or {})
    if row["detail"] == "text":
        return str(facts.get(words.lang) or facts.get("en", ""))
    return words.say(f"replication-detail-{row['detail']}", facts)


def _described(rows: pd.DataFrame, words: Words) -> dict[str, list[str]]:
    """The columns that say which published figure a row is, in the words' language."""
    return {
        words.say("replication-col-what"): list(rows[f"what_{words.lang}"]),
        words.say("replication-col-wave"): [_wave_text(str(w), words) for w in rows["wave"]],
        words.say("replication-col-sample"): [_sample_text(r, words) for _, r in rows.iterrows()],
        words.say("replication-col-published"): [
            published_text(v, u, words)
            for v, u in zip(rows["published"], rows["unit"], strict=True)
        ],
    }


def comparison_table(comparison: pd.DataFrame, report: str, words: Words | None = None) -> Table:
    """The computed rows of one report: published value beside the recomputed one; the
    row's identifier (its key in ``estimates.csv`` without ``replication_``) last."""
    words = _words(words)
    rows = comparison[(comparison["status"] == COMPUTED) & (comparison["report"] == report)]
    shown = pd.DataFrame(
        {
            **_described(rows, words),
            words.say("replication-col-recomputed"): [
                estimate_text(r, words) for _, r in rows.iterrows()
            ],
            "n": [words.decimal(n) for n in rows["n"]],
            words.say("replication-col-check"): [
                words.say(f"replication-check-{_check(r)}") for _, r in rows.iterrows()
            ],
            words.say("replication-col-id"): list(rows["id"]),
        }
    )
    align = ["left", "left", "left", "right", "right", "right", "left", "left"]
    return Table(shown, align=align, empty_note=words.say("replication-none"))


def not_computable_table(comparison: pd.DataFrame, words: Words | None = None) -> Table:
    """The rows that could not be computed, by reason."""
    words = _words(words)
    rows = comparison[comparison["status"] != COMPUTED]
    order = {reason: i for i, reason in enumerate(REASONS)}
    rows = rows.assign(_order=rows["reason"].map(order)).sort_values(
        ["_order", "id"], kind="stable"
    )
    shown = pd.DataFrame(
        {
            **_described(rows, words),
            words.say("replication-col-reason"): [
                words.say(f"replication-reason-{r}") for r in rows["reason"]
            ],
            words.say("replication-col-detail"): [
                _detail_text(r, words) for _, r in rows.iterrows()
            ],
            words.say("replication-col-id"): list(rows["id"]),
        }
    )
    align = ["left", "left", "left", "right", "left", "left", "left"]
    return Table(shown, align=align, empty_note=words.say("replication-all-computed"))
