"""Reading a delivery: parquet, CSV, SPSS ``.sav`` or Stata ``.dta``; mapping; validation.

:func:`load_wave` is the boundary of the package: after it, every column has its canonical
name, type and codes, and downstream code trusts them. Every problem is raised as one
:class:`~wavebook.errors.DataError` naming the file, the column, the rule, how many rows break
it and a few of their row numbers.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc

from wavebook.clean import TECHNICAL
from wavebook.codebook import Codebook, Variable
from wavebook.errors import DataError
from wavebook.waves import ZERO_FRACTION, Mapping, code_key

READERS = (".parquet", ".csv", ".sav", ".dta")
EARLIEST_DATE = pd.Timestamp("1991-01-01")
LATEST_DATE = pd.Timestamp("2100-01-01")


class UnknownColumnsWarning(UserWarning):
    """A delivery carries columns the codebook does not know; they are ignored."""


def read_csv(path: Path) -> pd.DataFrame:
    """Read a CSV delivery with every field as text; only an empty field is missing.

    No value is guessed: ``NA`` stays Namibia's country code and ``007`` keeps its zeros. The
    codebook types each column later (:func:`validate`). The pyarrow engine keeps the text in
    Arrow buffers, which costs less memory than Python strings on a million rows.
    """
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], engine="pyarrow")


def read_file(path: Path) -> pd.DataFrame:
    """Read a wave file as delivered (codes as stored: value labels are not applied)."""
    if not path.is_file():
        raise DataError(path, None, "file not found")
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pd.read_parquet(path)
        if suffix == ".csv":
            return read_csv(path)
        if suffix in {".sav", ".dta"}:
            import pyreadstat

            reader = pyreadstat.read_sav if suffix == ".sav" else pyreadstat.read_dta
            # user_missing=False (pyreadstat's default, stated because intake relies on it):
            # SPSS user-missing values and Stata's .a-.z arrive as NaN
            frame, _meta = reader(str(path), apply_value_formats=False, user_missing=False)
            # SPSS and Stata store a missing text answer as an empty string
            text = frame.select_dtypes(include=["object", "str"]).columns
            frame[text] = frame[text].replace("", np.nan)
            return frame
    except DataError:
        raise
    except Exception as exc:  # any parser failure is a bad delivery, not a crash
        raise DataError(path, None, f"cannot be read as {suffix[1:]}: {exc}") from None
    raise DataError(path, None, f"unknown file type '{suffix}' (use one of {', '.join(READERS)})")


def apply_mapping(frame: pd.DataFrame, mapping: Mapping | None, path: Path) -> pd.DataFrame:
    """Rename raw columns and recode raw codes to the canonical ones of the codebook."""
    if mapping is None:
        return frame
    absent = sorted(set(mapping.columns) - set(frame.columns))
    if absent:
        raise DataError(
            path,
            absent[0],
            "column named in the waves.yml mapping is absent",
            detail=f"missing: {', '.join(absent)}",
        )
    frame = frame.rename(columns=mapping.columns)
    frame = blank_markers(frame, mapping.missing)
    for column, codes in mapping.codes.items():
        if column not in frame.columns:
            raise DataError(path, column, "column with a code mapping in waves.yml is absent")
        # raw codes arrive as float (SPSS) or str (CSV): compare on a normalised key
        table = {code_key(raw): new for raw, new in codes.items()}
        keys = frame[column].map(code_key)
        # unmapped raw codes stay as they are: validation reports them against the codebook
        frame[column] = frame[column].where(~keys.isin(table.keys()), keys.map(table))
    return frame


def blank_markers(frame: pd.DataFrame, markers: list[str]) -> pd.DataFrame:
    """Set every value equal to a missing marker to missing, in every column.

    Values are compared as :func:`~wavebook.waves.code_key` text: the marker ``-99`` matches
    the number -99 or -99.0 (SPSS, Stata, parquet) and the text ``-99`` or ``-99.0`` (CSV),
    never another text such as the id ``0099``.

    >>> raw = pd.DataFrame({"q": [1.0, -99.0], "s": ["-99.0", "0099"]})
    >>> blank_markers(raw, ["-99"]).isna().to_numpy().tolist()
    [[False, True], [True, False]]
    """
    if not markers:
        return frame
    text = set(markers)
    numbers, wholes = [], []
    for marker in markers:
        number = pd.to_numeric(marker, errors="coerce")
        # a number matches only where its own key is the marker: "-99" yes, "-99.5e0" no
        if pd.notna(number) and code_key(float(number)) == marker:
            numbers.append(float(number))
            if float(number).is_integer():
                wholes.append(marker)
    frame = frame.copy(deep=False)  # columns are replaced below, never changed in place
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_bool_dtype(column) or pd.api.types.is_datetime64_any_dtype(column):
            continue
        if pd.api.types.is_numeric_dtype(column):
            hit = column.isin(numbers)
        elif isinstance(column.dtype, pd.StringDtype):
            hit = column.isin(text)
            if wholes:  # "-99.0": a marker, a dot and zeros only (vectorised code_key)
                dotted = column.str.startswith(tuple(f"{m}." for m in wholes)).fillna(False)
                if dotted.any():
                    zeros = column[dotted].str.fullmatch(ZERO_FRACTION.pattern).fillna(False)
                    hit = hit | zeros.reindex(column.index, fill_value=False)
        else:  # Python objects of mixed kinds: the key of each value
            hit = column.map(code_key, na_action="ignore").isin(text)
        if hit.any():
            frame[name] = column.mask(hit)
    return frame


def _rows(mask: pd.Series) -> list[int]:
    return np.flatnonzero(mask.to_numpy(dtype=bool)).tolist()


_MARKER_HINT = (
    "; if such a value means no answer, declare it in the wave's mapping in data/waves.yml "
    '(missing: ["-99", "#NULL!"])'
)


def _to_float(column: pd.Series) -> pd.Series:
    """Numbers from a column; what cannot be read as a number becomes NaN."""
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
        # Arrow parses a column of text at once, several times faster than pd.to_numeric
        try:
            values = pc.cast(column.array.__arrow_array__(), pyarrow.float64())
        except (pyarrow.ArrowInvalid, pyarrow.ArrowNotImplementedError):
            pass  # some value is not a number: pd.to_numeric finds which
        else:
            return pd.Series(values.to_numpy(zero_copy_only=False), index=column.index)
    return pd.to_numeric(column, errors="coerce")


def _as_number(column: pd.Series, var: Variable, path: Path) -> pd.Series:
    number = _to_float(column)
    bad = number.isna() & column.notna()
    if bad.any():
        raise DataError(
            path,
            var.name,
            f"must be numeric ({var.type})",
            _rows(bad),
            detail=f"found e.g. {column[bad].iloc[0]!r}{_MARKER_HINT}",
        )
    return number.astype("float64")


def _parse(column: pd.Series, var: Variable, path: Path) -> pd.Series:
    """Give a column its canonical dtype; values that cannot be parsed are an error here."""
    if var.type in {"id", "nominal"}:
        return column.astype("string")
    if var.type == "date":
        dates = pd.to_datetime(column, errors="coerce", format="mixed")
        bad = dates.isna() & column.notna()
        if bad.any():
            raise DataError(
                path,
                var.name,
                "must be a date (YYYY-MM-DD)",
                _rows(bad),
                detail=f"found e.g. {column[bad].iloc[0]!r}",
            )
        return dates.astype("datetime64[ns]")
    return _as_number(column, var, path)


def _checks(var: Variable) -> list[pa.Check]:
    """The value rules of one variable, named as the user will read them."""
    if var.type == "wave":
        return [
            pa.Check(lambda s: (s % 1 == 0) & (s >= 1), error="must be a positive whole number")
        ]
    if var.type == "date":
        return [
            pa.Check.in_range(
                EARLIEST_DATE, LATEST_DATE, error="implausible date (before 1991 or after 2100)"
            )
        ]
    if var.type == "nominal":
        return [
            pa.Check.isin(
                [str(c) for c in var.allowed], error="value not among the codebook's codes"
            )
        ]
    if var.type in {"binary", "option", "ordinal"}:
        allowed = [0, 1] if var.type == "option" else sorted(var.allowed, key=str)
        return [pa.Check.isin(allowed, error=f"code not allowed (allowed: {allowed})")]
    if var.type == "numeric":
        low = var.minimum if var.minimum is not None else -np.inf
        high = var.maximum if var.maximum is not None else np.inf
        checks = [pa.Check.in_range(low, high, error=f"value out of range [{low:g}, {high:g}]")]
        if var.name == "weight":
            checks.append(pa.Check.gt(0, error="weights must be positive"))
        return checks
    return []


def schema(
    codebook: Codebook, columns: list[str], expected_wave: int | None = None
) -> pa.DataFrameSchema:
    """The pandera schema of a wave file that carries ``columns`` (canonical names, parsed)."""
    fields = {}
    for name in columns:
        var = codebook[name]
        fields[name] = pa.Column(
            nullable=not var.required,
            unique=var.type == "id",
            checks=_checks(var),
            required=var.required,
        )
    checks = [
        pa.Check(lambda f: f["wave"] == f["wave"].mode().iloc[0], error=_ONE_WAVE),
        pa.Check(lambda f: ~(f["departure_date"] > f["interview_date"]), error=_DATE_ORDER),
    ]
    if expected_wave is not None:
        checks.append(
            pa.Check(lambda f: f["wave"] == expected_wave, error=f"{_REGISTERED} {expected_wave}")
        )
    return pa.DataFrameSchema(fields, checks=checks)


_ONE_WAVE = "one file must hold exactly one wave"
_DATE_ORDER = "must not be after interview_date"
_REGISTERED = "the file's wave differs from waves.yml, which registers it as wave"
_FRAME_RULE_COLUMN = {_ONE_WAVE: "wave", _DATE_ORDER: "departure_date", _REGISTERED: "wave"}
_CODE_RULES = ("code not allowed", "value not among")
_READABLE = {
    "not_nullable": "must be present on every row",
    "field_uniqueness": "must be unique within a wave",
}


def _first_failure(cases: pd.DataFrame, order: list[str], path: Path) -> DataError:
    """The first problem (in column order) among pandera's failure cases, as one error."""
    cases = cases.copy()
    frame_level = cases["column"].isna() | (cases["schema_context"] == "DataFrameSchema")
    rules = cases["check"].astype(str)
    cases.loc[frame_level, "column"] = [
        next(c for r, c in _FRAME_RULE_COLUMN.items() if rule.startswith(r))
        for rule in rules[frame_level]
    ]
    cases["rank"] = cases["column"].map({c: i for i, c in enumerate(order)})
    first = cases.sort_values(["rank"], kind="stable").iloc[0]
    same = cases[(cases["column"] == first["column"]) & (cases["check"] == first["check"])]
    rule = _READABLE.get(str(first["check"]), str(first["check"]))
    rows = sorted({int(i) for i in same["index"].dropna()})
    found = sorted({str(v) for v in same["failure_case"].dropna()})
    detail = ""
    if found and not (frame_level[same.index].all()):
        detail = f"found {', '.join(found[:5])}" + (", ..." if len(found) > 5 else "")
        if rule.startswith(_CODE_RULES):  # a platform's "no answer" code is a likely cause
            detail += _MARKER_HINT
    return DataError(path, str(first["column"]), rule, rows, detail=detail)


def validate(
    frame: pd.DataFrame, codebook: Codebook, path: Path, expected_wave: int | None = None
) -> pd.DataFrame:
    """Check a mapped frame against the contract; return it with canonical dtypes.

    Parsing (numbers, dates) comes first, then the pandera :func:`schema` checks every rule
    at once; the first failure in column order is raised. Columns the codebook does not know
    raise an :class:`UnknownColumnsWarning` and are dropped.
    """
    missing = [v.name for v in codebook.required if v.name not in frame.columns]
    if missing:
        raise DataError(
            path, missing[0], "required column is missing", detail=f"missing: {', '.join(missing)}"
        )
    if frame.empty:
        raise DataError(path, None, "the file has no rows")
    unknown = [c for c in frame.columns if c not in codebook]
    if unknown:
        warnings.warn(
            f"{path}: ignoring columns not in the codebook: {', '.join(unknown)}",
            UnknownColumnsWarning,
            stacklevel=2,
        )
        frame = frame.drop(columns=unknown)
    parsed = frame.reset_index(drop=True)
    for name in parsed.columns:  # column by column, so the raw copy is freed as it goes
        parsed[name] = _parse(parsed[name], codebook[name], path)
    try:
        schema(codebook, list(parsed.columns), expected_wave).validate(parsed, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise _first_failure(exc.failure_cases, list(parsed.columns), path) from None
    parsed["wave"] = parsed["wave"].astype("int64")
    return parsed


def load_wave(
    path: Path, codebook: Codebook, *, wave: int | None = None, mapping: Mapping | None = None
) -> pd.DataFrame:
    """Read, map and validate one wave file; return the canonical respondent table."""
    frame = read_file(path)
    frame = apply_mapping(frame, mapping, path)
    return validate(frame, codebook, path, expected_wave=wave)


def record_mismatches(frames: dict[int, pd.DataFrame], codebook: Codebook) -> pd.DataFrame:
    """Where the codebook's ``waves`` record and the delivered waves disagree.

    One row per wave and variable, with ``kind`` ``unlisted`` (answered in a wave its
    ``waves`` do not name) or ``unanswered`` (named, but absent or empty in the file). What a
    wave asked is read from its file, so a mismatch is worth a warning, never an error.
    Derived variables (never delivered) and the technical columns (in every wave by contract;
    ``weight`` optional) are left out. Columns ``wave``, ``kind``, ``variable``, in codebook
    order.
    """
    technical = set(TECHNICAL) | {v.name for v in codebook.required}
    rows = []
    for number in sorted(frames):
        frame = frames[number]
        for var in codebook.variables:
            if var.derived or var.name in technical:
                continue
            answered = var.name in frame.columns and bool(frame[var.name].notna().any())
            listed = number in var.waves
            if answered != listed:
                kind = "unlisted" if answered else "unanswered"
                rows.append({"wave": number, "kind": kind, "variable": var.name})
    return pd.DataFrame(rows, columns=["wave", "kind", "variable"])
