"""Charts take aggregates only and render for HTML and PDF; tables render for both too."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from wavebook import charts
from wavebook.estimates import record
from wavebook.tables import Table, flow_table


def _shares():
    return pd.DataFrame(
        [
            record(
                chapter="t",
                key=f"k{w}",
                construct="x",
                statistic="share",
                wave=w,
                sample=f"combined_w{w}",
                value=v,
                ci_low=v - 3,
                ci_high=v + 3,
                n=900,
            )
            for w, v in ((1, 46.0), (2, 61.0))
        ]
        + [
            record(
                chapter="t",
                key="small",
                construct="x",
                statistic="share",
                wave=3,
                sample="combined_w3",
                value=70.0,
                ci_low=60,
                ci_high=80,
                n=5,
            )
        ]
    )


def test_chart_refuses_respondent_level_frames():
    rows = pd.DataFrame({"resp_id": ["a", "b"], "value": [1, 0]})
    with pytest.raises(charts.PrivacyError, match="resp_id"):
        charts.Figure(alt.Chart(rows).mark_point(), rows, "fig-x")
    many = pd.DataFrame({"value": range(charts.MAX_AGGREGATE_ROWS + 1)})
    with pytest.raises(charts.PrivacyError, match="more than an aggregate"):
        charts.Figure(alt.Chart(many).mark_point(), many, "fig-x")


def test_chart_spec_cannot_smuggle_rows():
    rows = pd.DataFrame({"resp_id": ["a"], "value": [1]})
    small = pd.DataFrame({"value": [1]})
    with pytest.raises(charts.PrivacyError):
        charts.Figure(alt.Chart(rows).mark_point(), small, "fig-x")


def test_share_chart_outputs_html_spec_and_csv():
    figure = charts.share_by_wave(_shares(), "fig-test", "Share, %")
    bundle = figure._repr_mimebundle_()
    # no image at execution: the spec travels, the PDF book draws it as vector graphics
    assert "image/png" not in bundle
    assert bundle[charts.VEGA_LITE] == figure.spec
    assert charts.spec_pdf(figure.spec).startswith(b"%PDF")
    assert 'class="wavebook-chart"' in bundle["text/html"]
    assert "data:text/csv" in bundle["text/html"]
    # the withheld wave-3 cell is neither drawn nor offered
    assert sorted(figure.data["wave"].astype(int)) == [1, 2]
    assert "70" not in figure.csv().split("\n", 1)[1].split(",")[3:4]


def test_script_end_tag_in_data_is_escaped():
    frame = pd.DataFrame({"label": ["</script><b>"], "value": [1]})
    figure = charts.Figure(alt.Chart(frame).mark_bar().encode(x="value", y="label"), frame, "fig-y")
    assert (
        "</script><b>" not in figure.html().split("wavebook-chart-spec")[1].split("</script>", 1)[0]
    )


def test_vega_bundle_defines_no_top_level_names():
    bundle = charts.vega_bundle()
    assert bundle.splitlines()[1] == "(function () {"
    assert bundle.rstrip().endswith("})();")
    assert "window.vegaEmbed=" in bundle


def test_table_markdown_and_html():
    table = Table(pd.DataFrame({"Sample": ["a|b"], "n": ["1,234"]}))
    assert table.markdown().splitlines()[2] == "| a\\|b | 1,234 |"
    assert '<td class="wb-right">1,234</td>' in table.html()
    assert "text/latex" not in table._repr_mimebundle_()


def test_flow_table_by_hand():
    flow = pd.DataFrame(
        {
            "wave": [1, 1, 2, 2],
            "rule": ["delivered", "partial"] * 2,
            "excluded": [0, 4, 0, 6],
            "remaining": [10, 6, 20, 14],
        }
    )
    rows = flow_table(flow).rows
    assert rows.columns.tolist() == ["Step", "Wave 1", "Wave 2"]
    assert rows["Wave 1"].tolist() == ["10", "4", "6"]
    assert rows["Wave 2"].tolist() == ["20", "6", "14"]


def test_group_and_item_charts_render():
    rows = pd.DataFrame(
        [
            record(
                chapter="t",
                key=f"k{g}",
                construct="x",
                statistic="share",
                wave=3,
                sample="combined_w3",
                subgroup=f"country={g}",
                value=v,
                ci_low=v - 4,
                ci_high=v + 4,
                n=300,
            )
            for g, v in (("Georgia", 40.0), ("Serbia", 55.0))
        ]
    )
    figure = charts.share_by_group(rows, "fig-g", "Share, %")
    assert figure.png().startswith(b"\x89PNG")
    assert figure.data["subgroup"].tolist() == ["country=Georgia", "country=Serbia"]
    items = pd.concat([_shares(), _shares().assign(construct="y")])
    figure = charts.items_by_wave(items, {"x": "Item X", "y": "Item Y"}, "fig-i", "%")
    assert set(figure.data["item"]) == {"Item X", "Item Y"}
    assert figure.png().startswith(b"\x89PNG")


def test_country_group_folds_small_countries():
    from wavebook.samples import OTHER_COUNTRIES, country_group

    resp = pd.DataFrame({"country_residence": ["GE"] * 5 + ["AM"] * 3 + ["FR"] + ["RU"] * 2})
    groups = country_group(resp, {"GE": "Georgia", "AM": "Armenia", "FR": "France"}, min_n=3)
    assert list(groups.cat.categories) == ["Georgia", "Armenia", OTHER_COUNTRIES, "Russia"]
    assert groups.tolist().count(OTHER_COUNTRIES) == 1


# --- the codebook appendix: waves from the data ------------------------------------------------
def _answered(demo_waves, wave4: pd.DataFrame) -> pd.DataFrame:
    """``ctx.waves``' ``answered`` column as the build writes it: the demo files of waves 1-3
    and the synthetic wave 4 (its rows stand for its file)."""
    from wavebook import samples

    files = {**{w: demo_waves[w] for w in (1, 2, 3)}, 4: wave4}
    return pd.DataFrame(
        [{"wave": w, "answered": samples.answered_columns(f)} for w, f in files.items()]
    )


def test_codebook_table_has_a_column_for_wave_4_from_the_data(
    demo_waves, wave4_resp, without_answers, project
):
    """The codebook's ``waves`` stop at wave 3; the synthetic wave 4 of conftest delivered
    what wave 3 did, so W4 is ticked where W3 is (and for derived variables where the cleaned
    data hold values). A wave 4 without ``rights_stability`` answers leaves W4 blank there."""
    from wavebook import derived
    from wavebook.codebook import load_codebook
    from wavebook.tables import codebook_table

    book = load_codebook(project.codebook_file)

    def table(resp: pd.DataFrame) -> pd.DataFrame:
        waves = _answered(demo_waves, resp[resp["wave"] == 4])
        asked = derived.asked_by_variable(book, waves, resp)
        rows = codebook_table(book, asked, waves["wave"]).rows
        return rows.assign(name=[v.name for v in book.variables]).set_index("name")

    rows = table(wave4_resp)
    assert [c for c in rows.columns if c.startswith("W")] == ["W1", "W2", "W3", "W4"]
    assert (rows["W4"] == rows["W3"]).all()
    assert rows.loc["income_cat", ["W1", "W2", "W3", "W4"]].tolist() == ["", "✔", "✔", "✔"]
    assert rows.loc["returned_russia", "W4"] == "✔" and rows.loc["returned_russia", "W1"] == ""
    assert rows.loc["weight"].filter(like="W").tolist() == ["", "", "", ""]  # none delivered

    dropped = table(without_answers(wave4_resp, ["rights_stability"], 4))
    assert dropped.loc["rights_stability", ["W3", "W4"]].tolist() == ["✔", ""]
    assert (
        dropped.drop(index="rights_stability")["W4"] == rows.drop(index="rights_stability")["W4"]
    ).all()
