"""`wavebook check`: panel links between waves; the codebook's record of what a wave asked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from wavebook.codebook import Codebook, Variable
from wavebook.io import record_mismatches
from wavebook.samples import links

ROOT = Path(__file__).resolve().parents[1]


def test_links_by_hand():
    # hand count: wave 1 {a, b, c}; wave 2 {a, b, d}: a, b also in 1; wave 3 {a, d, e}: a, d also
    # in 2, only a in all three; wave 4 {x}: linked to nothing
    resp = pd.DataFrame(
        {
            "resp_id": ["a", "b", "c", "d", "b", "a", "e", "d", "a", "x"],
            "wave": [1, 1, 1, 2, 2, 2, 3, 3, 3, 4],
        }
    )
    table = links(resp)
    assert table["wave"].tolist() == [1, 2, 3, 4]
    assert table["respondents"].tolist() == [3, 3, 3, 1]
    assert table["in_previous"].tolist()[1:] == [2, 2, 0]
    assert pd.isna(table["in_previous"].iloc[0])
    assert table["in_every"].tolist() == [3, 2, 1, 0]


def _binary(name: str, waves: list[int], **kw) -> Variable:
    codes = [{"code": 0, "en": "no", "ru": "нет"}, {"code": 1, "en": "yes", "ru": "да"}]
    return Variable(
        name=name, type="binary", label_en=name, label_ru=name, waves=waves, codes=codes, **kw
    )


def test_record_mismatches_by_hand():
    codebook = Codebook(
        version=1,
        variables=[
            Variable(
                name="resp_id", type="id", label_en="id", label_ru="id", waves=[1], required=True
            ),
            Variable(name="weight", type="numeric", label_en="w", label_ru="w", waves=[1, 2]),
            _binary("q_a", [1, 2]),
            _binary("q_b", [2]),
            _binary("q_c", [1, 2], derived=True),
            _binary("q_d", [1]),
        ],
    )
    none = [None, None]
    frames = {
        # q_b delivered empty where not listed: not asked, no mismatch; no weight: unweighted
        1: pd.DataFrame({"resp_id": ["r1", "r2"], "q_a": [0.0, 1.0], "q_b": none, "q_d": [1, 0]}),
        # q_a listed but absent, q_d listed for 1 only but answered; resp_id is unlisted for 2
        # but technical; q_c is derived
        2: pd.DataFrame({"resp_id": ["r1", "r3"], "q_b": [1.0, None], "q_d": [None, 1.0]}),
        # q_a and q_d answered, listed for neither; q_b listed for 2 only and empty here
        3: pd.DataFrame({"resp_id": ["r1"], "q_a": [1.0], "q_b": [None], "q_d": [0.0]}),
    }
    found = record_mismatches(frames, codebook)
    assert list(found.itertuples(index=False, name=None)) == [
        (2, "unanswered", "q_a"),
        (2, "unlisted", "q_d"),
        (3, "unlisted", "q_a"),
        (3, "unlisted", "q_d"),
    ]


def _project(tmp: Path, demo: Path) -> Path:
    """A project whose wave 3 is a CSV export with new ids and -99 for some answers, and whose
    codebook does not list trust_general for wave 3."""
    (tmp / "data").mkdir(parents=True)
    (tmp / "_config.yml").write_text("title: check test\n")
    text = (ROOT / "data" / "codebook.yml").read_text()
    start = text.index("- name: trust_general")
    at = text.index("waves: [1, 2, 3]", start)
    text = text[:at] + "waves: [1, 2]" + text[at + len("waves: [1, 2, 3]") :]
    (tmp / "data" / "codebook.yml").write_text(text)
    wave3 = pd.read_parquet(demo / "wave-3.parquet")
    wave3["resp_id"] = "x-" + wave3["resp_id"]  # an export that changed the id format
    wave3["trust_locals"] = wave3["trust_locals"].astype(object)
    wave3.loc[[0, 5, 9], "trust_locals"] = -99  # "no answer" on the platform, not a code
    wave3.to_csv(tmp / "data" / "wave-3.csv", index=False)
    (tmp / "data" / "waves.yml").write_text(
        "waves:\n"
        f"  - {{number: 1, label: W1, field_start: 2022-03-27, field_end: 2022-04-04,\n"
        f"     file: {demo / 'wave-1.parquet'}}}\n"
        f"  - {{number: 2, label: W2, field_start: 2022-08-23, field_end: 2022-09-25,\n"
        f"     file: {demo / 'wave-2.parquet'}}}\n"
        "  - {number: 3, label: W3, field_start: 2023-05-15, field_end: 2023-07-31,\n"
        "     file: wave-3.csv, mapping: {missing: [-99]}}\n"
    )
    return tmp


def test_check_prints_links_and_warns_where_the_record_disagrees(demo_on_disk, tmp_path):
    root = _project(tmp_path / "project", demo_on_disk)
    exe = Path(sys.executable).with_name("wavebook")
    done = subprocess.run(
        [str(exe), "check", "--wave", "3"],
        cwd=tmp_path,
        env={**os.environ, "WAVEBOOK_ROOT": str(root)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr  # warnings, not errors: -99 is declared missing
    # independent count with Python sets from the files as delivered
    ids = {n: set(pd.read_parquet(demo_on_disk / f"wave-{n}.parquet")["resp_id"]) for n in (1, 2)}
    wave3 = pd.read_csv(root / "data" / "wave-3.csv", dtype=str, keep_default_na=False)
    assert f"wave 2: {len(ids[2]):,} respondents; {len(ids[1] & ids[2]):,} also in wave 1\n" in (
        done.stdout
    )
    assert (
        f"wave 3: {len(wave3):,} respondents; 0 also in wave 2; 0 in every wave 1–3\n"
        in done.stdout
    )
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: wave 3 shares no respondent with wave 2: check that resp_id is written the "
        "same way in both files (an export can change an id's format)",
        "warning: wave 3 delivered 1 variable the codebook does not list for it "
        "(trust_general); the chapters read what a wave asked from its file",
    ]
    assert "exclusion flow:" in done.stdout
