"""Reading a delivery: parquet, CSV, SPSS ``.sav`` or Stata ``.dta``; mapping; validation.

:func:`load_wave` is the boundary of the package: after it, every column has its canonical
name, type and codes, and downstream code trusts them. Every problem is raised as one
:class:`~wavebook.errors.DataError` naming the file, the column, the rule, how many rows break
it and a few of their row numbers.
"""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from wavebook.codebook import Codebook, Variable
from wavebook.errors import DataError
from wavebook.waves import Mapping

READERS = (".parquet", ".csv", ".sav", ".dta")
EARLIEST_DATE = pd.Timestamp("1991-01-01")
LATEST_DATE = pd.Timestamp("2100-01-01")


class UnknownColumnsWarning(UserWarning):
    """A delivery carries columns the codebook does not know; they are ignored."""


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes (the data hash the cache and the manifest use)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_file(path: Path) -> pd.DataFrame:
    """Read a wave file as delivered (value labels of SPSS/Stata files are applied)."""
    if not path.is_file():
        raise DataError(path, None, "file not found")
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pd.read_parquet(path)
        if suffix == ".csv":
            return pd.read_csv(path, dtype={"resp_id": "string"}, low_memory=False)
        if suffix in {".sav", ".dta"}:
            import pyreadstat

            reader = pyreadstat.read_sav if suffix == ".sav" else pyreadstat.read_dta
            frame, _meta = reader(str(path), apply_value_formats=False)
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
    missing = sorted(set(mapping.columns) - set(frame.columns))
    if missing:
        raise DataError(path, missing[0], "column named in the waves.yml mapping is absent",
                        detail=f"missing: {', '.join(missing)}")
    frame = frame.rename(columns=mapping.columns)
    for column, codes in mapping.codes.items():
        if column not in frame.columns:
            raise DataError(path, column, "column with a code mapping in waves.yml is absent")
        # raw codes arrive as float (SPSS) or str (CSV): compare on a normalised key
        table = {_code_key(raw): new for raw, new in codes.items()}
        keys = frame[column].map(_code_key)
        # unmapped raw codes stay as they are: validation reports them against the codebook
        frame[column] = frame[column].where(~keys.isin(table.keys()), keys.map(table))
    return frame


def _code_key(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows(mask: pd.Series) -> list[int]:
    return np.flatnonzero(mask.to_numpy(dtype=bool)).tolist()


def _as_number(frame: pd.DataFrame, var: Variable, path: Path) -> pd.Series:
    column = frame[var.name]
    number = pd.to_numeric(column, errors="coerce")
    bad = number.isna() & column.notna()
    if bad.any():
        raise DataError(path, var.name, f"must be numeric ({var.type})", _rows(bad),
                        detail=f"found e.g. {column[bad].iloc[0]!r}")
    return number.astype("float64")


def validate(
    frame: pd.DataFrame, codebook: Codebook, path: Path, expected_wave: int | None = None
) -> pd.DataFrame:
    """Check a mapped frame against the contract; return it with canonical dtypes.

    Columns the codebook does not know raise an :class:`UnknownColumnsWarning` and are dropped.
    """
    missing = [v.name for v in codebook.required if v.name not in frame.columns]
    if missing:
        raise DataError(path, missing[0], "required column is missing",
                        detail=f"missing: {', '.join(missing)}")
    if frame.empty:
        raise DataError(path, None, "the file has no rows")
    unknown = [c for c in frame.columns if c not in codebook]
    if unknown:
        warnings.warn(f"{path}: ignoring columns not in the codebook: {', '.join(unknown)}",
                      UnknownColumnsWarning, stacklevel=2)
        frame = frame.drop(columns=unknown)
    frame = frame.reset_index(drop=True)
    out: dict[str, pd.Series] = {}
    for name in frame.columns:
        var = codebook[name]
        out[name] = _validate_column(frame, var, path)
    result = pd.DataFrame(out)

    waves = result["wave"].dropna().unique()
    if len(waves) != 1:
        raise DataError(path, "wave", "one file must hold exactly one wave",
                        detail=f"found waves {sorted(int(w) for w in waves)}")
    if expected_wave is not None and int(waves[0]) != expected_wave:
        raise DataError(path, "wave", f"file holds wave {int(waves[0])} but waves.yml registers "
                        f"it as wave {expected_wave}", _rows(result["wave"] != expected_wave))
    late = result["departure_date"] > result["interview_date"]
    if late.any():
        raise DataError(path, "departure_date", "must not be after interview_date", _rows(late))
    return result


def _validate_column(frame: pd.DataFrame, var: Variable, path: Path) -> pd.Series:
    column = frame[var.name]
    if var.type == "id":
        text = column.astype("string")
        blank = text.isna() | (text.str.strip() == "")
        if blank.any():
            raise DataError(path, var.name, "must be present on every row", _rows(blank))
        dupes = text.duplicated(keep=False)
        if dupes.any():
            raise DataError(path, var.name, "must be unique within a wave", _rows(dupes),
                            detail=f"e.g. {text[dupes].iloc[0]!r} repeats")
        return text
    if var.type == "wave":
        number = _as_number(frame, var, path)
        bad = number.isna() | (number % 1 != 0) | (number < 1)
        if bad.any():
            raise DataError(path, var.name, "must be a positive whole number", _rows(bad))
        return number.astype("int64")
    if var.type == "date":
        dates = pd.to_datetime(column, errors="coerce", format="mixed")
        bad = dates.isna() & column.notna()
        if var.required:
            bad |= column.isna()
        if bad.any():
            raise DataError(path, var.name, "must be a date (YYYY-MM-DD)", _rows(bad))
        odd = (dates < EARLIEST_DATE) | (dates > LATEST_DATE)
        if odd.any():
            raise DataError(path, var.name, "implausible date (before 1991 or after 2100)",
                            _rows(odd))
        return dates.astype("datetime64[ns]")
    if var.type == "nominal":
        text = column.astype("string")
        bad = text.notna() & ~text.isin([str(c) for c in var.allowed])
        if var.required:
            bad |= text.isna()
        if bad.any():
            found = sorted(set(text[bad].fillna("<missing>").astype(str)))[:5]
            raise DataError(path, var.name, "value not among the codebook's codes", _rows(bad),
                            detail=f"found {', '.join(found)}")
        return text
    number = _as_number(frame, var, path)
    if var.required and number.isna().any():
        raise DataError(path, var.name, "must be present on every row", _rows(number.isna()))
    if var.type in {"binary", "option", "ordinal"}:
        allowed = [0, 1] if var.type == "option" else list(var.allowed)
        bad = number.notna() & ~number.isin(allowed)
        if bad.any():
            found = sorted(set(number[bad].tolist()))[:5]
            raise DataError(path, var.name, f"code not allowed (allowed: {sorted(allowed)})",
                            _rows(bad), detail=f"found {found}")
        return number
    low = var.minimum if var.minimum is not None else -np.inf
    high = var.maximum if var.maximum is not None else np.inf
    bad = number.notna() & ((number < low) | (number > high))
    if var.name == "weight":
        bad |= number.notna() & (number <= 0)
    if bad.any():
        raise DataError(path, var.name, f"value out of range [{low:g}, {high:g}]", _rows(bad))
    return number


def load_wave(path: Path, codebook: Codebook, *, wave: int | None = None,
              mapping: Mapping | None = None) -> pd.DataFrame:
    """Read, map and validate one wave file; return the canonical respondent table."""
    frame = read_file(path)
    frame = apply_mapping(frame, mapping, path)
    return validate(frame, codebook, path, expected_wave=wave)
