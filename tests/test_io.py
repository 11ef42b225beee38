"""Reading and validating deliveries: every bad input gets one readable error."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from wavebook.codebook import load_codebook
from wavebook.errors import DataError
from wavebook.io import UnknownColumnsWarning, load_wave
from wavebook.waves import Mapping, load_registry

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
    error = _breaks(wave2, codebook, tmp_path, "trust_general", "code not allowed")
    assert "found 2.0; if such a value means no answer" in str(error)


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


# --- intake never refuses or alters valid data --------------------------------------------

NAMIBIA = "NA"


def test_csv_keeps_namibia(wave2, codebook, tmp_path):
    wave2.loc[[4, 11], "country_residence"] = NAMIBIA
    loaded = load_wave(_write(wave2, tmp_path, "wave.csv"), codebook, wave=2)
    assert loaded.loc[[4, 11], "country_residence"].tolist() == [NAMIBIA, NAMIBIA]
    assert loaded["country_residence"].notna().all()


def test_csv_keeps_leading_zeros_of_ids(wave2, codebook, tmp_path):
    ids = ["007", "0042", "00"]
    wave2.loc[:2, "resp_id"] = ids
    loaded = load_wave(_write(wave2, tmp_path, "wave.csv"), codebook, wave=2)
    assert loaded.loc[:2, "resp_id"].tolist() == ids


def test_csv_empty_field_is_missing(codebook, tmp_path):
    # written by hand: an empty field, quoted or not, is missing; text and numbers as written
    head = "resp_id,wave,interview_date,completion,duration_min,departure_date,"
    text = (
        head + "country_residence,gender,trust_general\n"
        "007,1,2022-03-30,1,20,2022-03-01,NA,,98\n"
        '8,1.0,2022-03-31,0.5,12.5,2022-03-02,GE,"",\n'
        "9,1,2022-04-01,1.0,30,2022-03-03,DE,male,0\n"
    )
    path = tmp_path / "wave.csv"
    path.write_text(text)
    loaded = load_wave(path, codebook, wave=1)
    assert loaded["resp_id"].tolist() == ["007", "8", "9"]
    assert loaded["wave"].tolist() == [1, 1, 1]
    assert loaded["wave"].dtype == "int64"
    assert loaded["country_residence"].tolist() == ["NA", "GE", "DE"]
    assert loaded["gender"].isna().tolist() == [True, True, False]
    assert loaded["trust_general"].tolist()[::2] == [98.0, 0.0]
    assert pd.isna(loaded.loc[1, "trust_general"])
    assert loaded["completion"].tolist() == [1.0, 0.5, 1.0]
    assert loaded["interview_date"].tolist() == list(
        pd.to_datetime(["2022-03-30", "2022-03-31", "2022-04-01"])
    )


def test_csv_non_number_in_numeric_column_is_refused(wave2, codebook, tmp_path):
    # a truly malformed value is still refused, and the message says how to declare a marker
    wave2["completion"] = wave2["completion"].astype(object)
    wave2.loc[6, "completion"] = "abc"
    error = _breaks(wave2, codebook, tmp_path, "completion", "must be numeric", name="wave.csv")
    assert error.rows == [6]
    assert "'abc'" in str(error) and "missing:" in str(error)


def test_ragged_csv_is_refused(codebook, tmp_path):
    path = tmp_path / "wave.csv"
    path.write_text("resp_id,wave\n1,1\n2,1,extra\n")
    with pytest.raises(DataError, match="cannot be read as csv"):
        load_wave(path, codebook)


def test_markers_are_compared_as_text(tmp_path):
    # YAML reads -99 as a number; the mapping keeps it as the text -99
    assert Mapping(missing=[-99, -99.0, "#NULL!", 0.5]).missing == ["-99", "-99", "#NULL!", "0.5"]
    registry = tmp_path / "waves.yml"
    registry.write_text(
        "waves:\n"
        "  - {number: 4, label: W4, field_start: 2024-03-01, field_end: 2024-04-15,\n"
        "     file: raw/w4.csv, mapping: {missing: [-99, '#NULL!']}}\n"
    )
    assert load_registry(registry).get(4).mapping.missing == ["-99", "#NULL!"]


def _with_markers(wave2: pd.DataFrame, trust, gender) -> pd.DataFrame:
    raw = wave2.copy()
    raw["trust_general"] = raw["trust_general"].astype(object)
    raw.loc[[1, 2], "trust_general"] = trust
    raw.loc[3, "gender"] = gender
    return raw


def _expected_blank(wave2: pd.DataFrame) -> pd.DataFrame:
    expected = wave2.copy()
    expected.loc[[1, 2], "trust_general"] = float("nan")
    expected.loc[3, "gender"] = None
    return expected


MARKERS = Mapping(missing=["-99", "#NULL!"])


def test_declared_markers_in_csv(wave2, codebook, tmp_path):
    raw = _with_markers(wave2, "-99", "#NULL!")
    loaded = load_wave(_write(raw, tmp_path, "wave.csv"), codebook, wave=2, mapping=MARKERS)
    expected = load_wave(_write(_expected_blank(wave2), tmp_path), codebook, wave=2)
    pd.testing.assert_frame_equal(loaded, expected)
    assert loaded["trust_general"].notna().sum() == wave2["trust_general"].notna().sum() - 2


def _write_sav(frame: pd.DataFrame, path: Path, **kw) -> Path:
    import pyreadstat

    pyreadstat.write_sav(frame, str(path), **kw)
    return path


SAV_COLUMNS = [
    "resp_id",
    "wave",
    "interview_date",
    "completion",
    "duration_min",
    "departure_date",
    "country_residence",
    "gender",
    "trust_general",
]


def test_declared_markers_in_sav(wave2, codebook, tmp_path):
    # SPSS stores -99 as the number -99.0: the marker "-99" still matches
    raw = wave2[SAV_COLUMNS].copy()
    raw.loc[[1, 2], "trust_general"] = -99.0
    raw.loc[3, "gender"] = "#NULL!"
    path = _write_sav(raw, tmp_path / "wave.sav")
    loaded = load_wave(path, codebook, wave=2, mapping=MARKERS)
    expected = load_wave(_write(_expected_blank(wave2[SAV_COLUMNS]), tmp_path), codebook, wave=2)
    pd.testing.assert_frame_equal(loaded, expected)


def test_spss_user_missing_codes_are_missing(wave2, codebook, tmp_path):
    # 99 and "refused" are not codebook codes: read as values, they would be refused
    raw = wave2[SAV_COLUMNS].copy()
    raw.loc[[1, 2], "trust_general"] = 99.0
    raw.loc[3, "gender"] = "refused"
    path = _write_sav(
        raw,
        tmp_path / "wave.sav",
        missing_ranges={"trust_general": [99], "gender": ["refused"]},
    )
    loaded = load_wave(path, codebook, wave=2)
    expected = load_wave(_write(_expected_blank(wave2[SAV_COLUMNS]), tmp_path), codebook, wave=2)
    pd.testing.assert_frame_equal(loaded, expected)


def test_stata_user_missing_codes_are_missing(wave2, codebook, tmp_path):
    import pyreadstat

    # Stata's extended missing values .a-.z: pyreadstat writes the letter given in the column
    raw = wave2[SAV_COLUMNS].copy()
    raw["trust_general"] = raw["trust_general"].astype(object)
    raw.loc[[1, 2], "trust_general"] = "a"
    path = tmp_path / "wave.dta"
    pyreadstat.write_dta(raw, str(path), missing_user_values={"trust_general": ["a"]})
    loaded = load_wave(path, codebook, wave=2)
    expected = _expected_blank(wave2[SAV_COLUMNS])
    expected.loc[3, "gender"] = wave2.loc[3, "gender"]
    expected = load_wave(_write(expected, tmp_path), codebook, wave=2)
    pd.testing.assert_frame_equal(loaded, expected)


def test_a_marker_is_data_where_not_declared(wave2, codebook, tmp_path):
    # one platform writes 98 for "no answer"; in the canonical coding 98 is "hard to say"
    hard_to_say = wave2["trust_general"] == 98
    assert hard_to_say.sum() > 0
    path = _write(wave2, tmp_path, "wave.csv")
    declared = load_wave(path, codebook, wave=2, mapping=Mapping(missing=["98"]))
    undeclared = load_wave(path, codebook, wave=2, mapping=Mapping())
    assert declared.loc[hard_to_say.to_numpy(), "trust_general"].isna().all()
    assert (undeclared.loc[hard_to_say.to_numpy(), "trust_general"] == 98).all()
    assert undeclared["trust_general"].isna().sum() == wave2["trust_general"].isna().sum()


def test_csv_export_of_each_demo_wave_loads_and_cleans_as_its_parquet(
    demo_on_disk, codebook, tmp_path
):
    from wavebook.clean import clean_waves

    from_parquet, from_csv = {}, {}
    for number in (1, 2, 3):
        parquet = demo_on_disk / f"wave-{number}.parquet"
        csv = tmp_path / f"wave-{number}.csv"
        pd.read_parquet(parquet).to_csv(csv, index=False)
        from_parquet[number] = load_wave(parquet, codebook, wave=number)
        from_csv[number] = load_wave(csv, codebook, wave=number)
        pd.testing.assert_frame_equal(from_csv[number], from_parquet[number])
    # the demo's wave 3 has respondents in Namibia: a CSV export keeps them
    namibia = from_csv[3]["country_residence"] == NAMIBIA
    assert namibia.sum() >= 1
    assert (
        namibia.sum()
        == (pd.read_parquet(demo_on_disk / "wave-3.parquet")["country_residence"] == NAMIBIA).sum()
    )
    flow_parquet = clean_waves(from_parquet).flow
    flow_csv = clean_waves(from_csv).flow
    pd.testing.assert_frame_equal(flow_csv, flow_parquet)
    eligible = flow_csv.groupby("wave")["remaining"].last()
    assert eligible.to_dict() == clean_waves(from_parquet).resp["wave"].value_counts().to_dict()
