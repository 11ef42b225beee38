"""Derived variables made from the cleaned data, and what each wave asked (``wavebook.derived``).

Expected values are hand counts with sets of ids on the demo, or the codebook's documented
``waves`` where the demo follows them.
"""

from __future__ import annotations

import json
import shutil

import pandas as pd

from wavebook import derived, samples
from wavebook.codebook import load_codebook


def test_every_derived_variable_of_the_codebook_is_made(project):
    book = load_codebook(project.codebook_file)
    assert {v.name for v in book.variables if v.derived} <= set(derived.DERIVED)


def test_returned_russia_matches_the_returnees_by_hand(cleaned_demo, project):
    """1 for the returnees of each wave (samples.returnees), 0 for the others who answered the
    previous wave from abroad, missing for everyone else (hand count with id sets)."""
    made = derived.with_derived(cleaned_demo, load_codebook(project.codebook_file))
    for wave in (2, 3):
        abroad = set(
            cleaned_demo.loc[
                (cleaned_demo["wave"] == wave - 1) & (cleaned_demo["country_residence"] != "RU"),
                "resp_id",
            ]
        )
        rows = made[made["wave"] == wave]
        followed = rows[rows["resp_id"].isin(abroad)]
        assert rows["returned_russia"].notna().sum() == len(followed)
        back = set(followed.loc[followed["returned_russia"] == 1, "resp_id"])
        assert back == set(samples.returnees(cleaned_demo, wave)["resp_id"]) and back
    assert made.loc[made["wave"] == 1, "returned_russia"].isna().all()


def test_waves_1_to_3_agree_with_the_codebook_record(demo_waves, cleaned_demo, project):
    """Read from the demo's files, waves 1-3 asked what the codebook documents, except the
    optional weight (the demo delivers none) and the returnees, whom the data also hold in
    wave 3 (the codebook documents the published wave-2 figure)."""
    book = load_codebook(project.codebook_file)
    waves = pd.DataFrame(
        [{"wave": w, "answered": samples.answered_columns(demo_waves[w])} for w in (1, 2, 3)]
    )
    asked = derived.asked_by_variable(book, waves, cleaned_demo)
    differ = {v.name: asked[v.name] for v in book.variables if asked[v.name] != v.waves}
    assert differ == {"weight": [], "returned_russia": [2, 3]}


def test_a_registered_wave_4_file_reaches_the_chapters_as_asked(
    tmp_path, demo_on_disk, wave4_resp, without_answers, project
):
    """A project whose registry gains a wave 4 (a parquet file of the synthetic wave 4 of
    conftest, without ``rights_stability`` answers) and nothing else: the prepared data record
    what each file answered, and a chapter's context reads wave 4 as asking ``income_cat`` but
    not ``rights_stability`` (hand-picked: the codebook documents both as waves 2-3 / 3)."""
    import yaml

    from wavebook import report
    from wavebook.build import prepare_data
    from wavebook.paths import Project

    data = tmp_path / "data"
    data.mkdir()
    for name in ("codebook.yml", "benchmarks.csv", "published_figures.csv", "replication.yml"):
        shutil.copy(project.data / name, data / name)
    (data / "demo").symlink_to(demo_on_disk)
    wave4 = without_answers(wave4_resp, ["rights_stability"], 4)
    wave4[wave4["wave"] == 4].to_parquet(data / "wave-4.parquet", index=False)
    registry = yaml.safe_load(project.waves_file.read_text(encoding="utf-8"))
    registry["waves"].append(
        {
            "number": 4,
            "label": "Wave 4 (2024)",
            "field_start": "2024-05-15",
            "field_end": "2024-07-31",
            "file": "wave-4.parquet",
        }
    )
    (data / "waves.yml").write_text(yaml.safe_dump(registry), encoding="utf-8")

    prepared = prepare_data(Project(tmp_path), 4)
    meta = json.loads((prepared.folder / "waves.json").read_text(encoding="utf-8"))
    answered = {w["wave"]: w["answered"] for w in meta["waves"]}
    assert "rights_stability" in answered[3] and "rights_stability" not in answered[4]
    assert "income_cat" in answered[4] and "income_cat" not in answered[1]

    ctx = report.open_chapter("codebook", 4, prepared.folder, tmp_path / "out")
    asked = derived.asked_by_variable(ctx.codebook, ctx.waves, ctx.resp)
    assert asked["income_cat"] == [2, 3, 4]
    assert asked["rights_stability"] == [3]
    assert asked["mob_group"] == [1, 2, 3, 4]
