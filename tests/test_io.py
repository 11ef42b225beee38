"""Reading and validating deliveries: every bad input gets one readable error."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from wavebook.codebook import load_codebook
from wavebook.errors import DataError
from wavebook.io import UnknownColumnsWarning, load_wave
from wavebook.waves import Mapping

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def codebook():
    return load_codebook(ROOT / "data" / "codebook.yml")


@pytest.fixture
def wave2(demo_waves) -> pd.DataFrame:
    return demo_waves[2].head(200).copy()


def _write(frame: pd.DataFrame, tmp_path: Path, name: str = "wave.parquet") -> Path:
    path = tmp_path / name
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    return path


def test_valid_parquet_and_csv_load_the_same(wave2, codebook, tmp_path):
    from_parquet = load_wave(_write(wave2, tmp_path), codebook, wave=2)
    from_csv = load_wave(_write(wave2, tmp_path, "wave.csv"), codebook, wave=2)
    assert len(from_parquet) == len(wave2) == len(from_csv)
    pd.testing.assert_frame_equal(from_parquet, from_csv, check_dtype=False)
    assert str(from_parquet["interview_date"].dtype).startswith("datetime64")


def _breaks(frame, codebook, tmp_path, column, rule_words, name="wave.parquet", **kw):
    path = _write(frame, tmp_path, name)
    with pytest.raises(DataError) as info:
        load_wave(path, codebook, **kw)
    message = str(info.value)
    assert str(path) in message
    if column:
        assert f"column '{column}'" in message
    assert rule_words in message
    return info.value


def test_missing_required_column(wave2, codebook, tmp_path):
    _breaks(
        wave2.drop(columns=["completion"]),
        codebook,
        tmp_path,
        "completion",
        "required column is missing",
    )


def test_duplicate_resp_id_names_rows(wave2, codebook, tmp_path):
    wave2.loc[5, "resp_id"] = wave2.loc[3, "resp_id"]
    error = _breaks(wave2, codebook, tmp_path, "resp_id", "unique within a wave")
    assert error.rows == [3, 5]
    assert "file rows 5, 7" in str(error)


def test_blank_resp_id(wave2, codebook, tmp_path):
    wave2["resp_id"] = wave2["resp_id"].astype(object)
    wave2.loc[7, "resp_id"] = None
    _breaks(wave2, codebook, tmp_path, "resp_id", "must be present")


def test_two_waves_in_one_file(wave2, codebook, tmp_path):
    wave2.loc[0, "wave"] = 3
    _breaks(wave2, codebook, tmp_path, "wave", "exactly one wave")


def test_wave_not_matching_registry(wave2, codebook, tmp_path):
    _breaks(wave2, codebook, tmp_path, "wave", "registers it as wave 3", wave=3)


def test_unparseable_date(wave2, codebook, tmp_path):
    wave2["interview_date"] = wave2["interview_date"].astype(str)
    wave2.loc[4, "interview_date"] = "sometime in May"
    error = _breaks(wave2, codebook, tmp_path, "interview_date", "must be a date")
    assert error.rows == [4]


def test_implausible_date(wave2, codebook, tmp_path):
    wave2.loc[2, "departure_date"] = pd.Timestamp("1900-01-01")
    _breaks(wave2, codebook, tmp_path, "departure_date", "implausible date")


def test_departure_after_interview(wave2, codebook, tmp_path):
    wave2.loc[1, "departure_date"] = wave2.loc[1, "interview_date"] + pd.Timedelta(days=3)
    _breaks(wave2, codebook, tmp_path, "departure_date", "after interview_date")


def test_completion_out_of_range(wave2, codebook, tmp_path):
    wave2.loc[8, "completion"] = 1.7
    _breaks(wave2, codebook, tmp_path, "completion", "out of range [0, 1]")


def test_non_numeric_duration(wave2, codebook, tmp_path):
    wave2["duration_min"] = wave2["duration_min"].astype(object)
    wave2.loc[9, "duration_min"] = "ten"
    _breaks(wave2, codebook, tmp_path, "duration_min", "must be numeric", name="wave.csv")


def test_unknown_country_code(wave2, codebook, tmp_path):
    wave2.loc[0, "country_residence"] = "XX"
    error = _breaks(wave2, codebook, tmp_path, "country_residence", "not among the codebook")
    assert "XX" in str(error)


def test_binary_code_not_allowed(wave2, codebook, tmp_path):
    wave2.loc[0, "trust_general"] = 2
    _breaks(wave2, codebook, tmp_path, "trust_general", "code not allowed")


def test_non_positive_weight(wave2, codebook, tmp_path):
    wave2["weight"] = 1.0
    wave2.loc[3, "weight"] = 0.0
    _breaks(wave2, codebook, tmp_path, "weight", "weights must be positive")


def test_nominal_code_not_in_codebook(wave2, codebook, tmp_path):
    wave2.loc[0, "gender"] = "unknown"
    _breaks(wave2, codebook, tmp_path, "gender", "not among the codebook")


def test_empty_file(wave2, codebook, tmp_path):
    _breaks(wave2.head(0), codebook, tmp_path, None, "no rows")


def test_unreadable_file(codebook, tmp_path):
    path = tmp_path / "wave.parquet"
    path.write_bytes(b"this is not parquet")
    with pytest.raises(DataError, match="cannot be read as parquet"):
        load_wave(path, codebook)


def test_unknown_file_type(codebook, tmp_path):
    path = tmp_path / "wave.xlsx"
    path.write_bytes(b"")
    with pytest.raises(DataError, match="unknown file type"):
        load_wave(path, codebook)


def test_missing_file(codebook, tmp_path):
    with pytest.raises(DataError, match="file not found"):
        load_wave(tmp_path / "nowhere.parquet", codebook)


def test_unknown_columns_warn_and_are_dropped(wave2, codebook, tmp_path):
    wave2["free_text_comment"] = "anything"
    with pytest.warns(UnknownColumnsWarning, match="free_text_comment"):
        loaded = load_wave(_write(wave2, tmp_path), codebook)
    assert "free_text_comment" not in loaded.columns


def test_mapping_renames_and_recodes(wave2, codebook, tmp_path):
    raw = wave2.rename(columns={"trust_general": "Q12", "gender": "SEX"})
    raw["SEX"] = raw["SEX"].map({"female": 2, "male": 1})
    mapping = Mapping(
        columns={"Q12": "trust_general", "SEX": "gender"},
        codes={"gender": {1: "male", 2: "female"}},
    )
    loaded = load_wave(_write(raw, tmp_path), codebook, mapping=mapping)
    assert loaded["gender"].tolist() == wave2["gender"].tolist()
    assert loaded["trust_general"].equals(wave2["trust_general"].astype("float64"))


def test_mapping_names_absent_raw_column(wave2, codebook, tmp_path):
    mapping = Mapping(columns={"Q99": "trust_general"})
    _breaks(wave2, codebook, tmp_path, "Q99", "mapping is absent", mapping=mapping)
