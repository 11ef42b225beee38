"""Facts and words: Fluent messages rendered with Babel in English and Russian, the one
direction rule, bilingual outputs, and the Sphinx side ({words}, {say}, {when}).

Expected strings are written by hand from CLDR's rules (Russian plural categories: 1, 21 ->
one; 2-4, 22 -> few; 5-20 -> many; Russian groups thousands with a no-break space and writes
a decimal comma and "61 %").
"""

from __future__ import annotations

import base64
import html
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from wavebook import stats
from wavebook.build import _localize
from wavebook.codebook import load_codebook
from wavebook.report import change_fact, estimate_fact
from wavebook.words import I18N, Bilingual, Words, WordsError, flatten

ROOT = Path(__file__).resolve().parents[1]
NB = "\u00a0"

PLURALS = """
resp = { N($n) } { $n ->
    [one] respondent
   *[other] respondents
}
"""
PLURALS_RU = """
resp = { N($n) } { $n ->
    [one] респондент
    [few] респондента
   *[many] респондентов
}
"""


@pytest.fixture(scope="module")
def codebook():
    return load_codebook(ROOT / "data" / "codebook.yml")


def _words(lang: str, source: str, codebook=None) -> Words:
    words = Words(lang, codebook)
    words.add(source, "test")
    return words


@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("en", PLURALS, {1: "1 respondent", 2: "2 respondents", 9502: "9,502 respondents"}),
        (
            "ru",
            PLURALS_RU,
            {
                1: "1 респондент",
                2: "2 респондента",
                5: "5 респондентов",
                11: "11 респондентов",
                21: "21 респондент",
                22: "22 респондента",
                9502: f"9{NB}502 респондента",
            },
        ),
    ],
)
def test_plural_forms_and_counts(lang, source, expected):
    words = _words(lang, source)
    assert {n: words.say("resp", {"n": n}) for n in expected} == expected


def test_number_formats_follow_the_locale():
    en, ru = Words("en"), Words("ru")
    assert (en.percent(61.04), ru.percent(61.04)) == ("61%", f"61{NB}%")
    assert (en.decimal(3.384, 2), ru.decimal(3.384, 2)) == ("3.38", "3,38")
    assert (en.decimal(-2.5, 1), ru.decimal(9502)) == ("−2.5", f"9{NB}502")


def test_intervals_changes_and_p_values():
    source = (
        "ci = { CI($lo, $hi) }\nnarrow = { CI($a, $b) }\ncipp = { CIPP($x, $y) }\n"
        "change = { CHANGE($before, $after) }\npp = { PP($d) }\np = { P($p) }\n"
    )
    facts = {
        "lo": 41.2,
        "hi": 50.9,
        "a": 0.62,
        "b": 1.21,
        "x": -8.4,
        "y": -1.6,
        "before": 46.4,
        "after": 61.5,
        "d": -3.2,
        "p": 0.0093,
    }
    en = _words("en", source)
    got = {m: en.say(m, facts) for m in ("ci", "narrow", "cipp", "change", "pp", "p")}
    assert got == {
        "ci": "95% CI 41–51%",
        "narrow": "95% CI 0.6–1.2%",  # one decimal where whole numbers would say "1–1%"
        "cipp": f"95% CI −8 to −2{NB}pp",
        # the printed change is the difference of the printed shares: 62 − 46
        "change": f"+16{NB}pp",
        "pp": f"−3{NB}pp",
        "p": "p = 0.009",
    }
    ru = _words("ru", source)
    assert ru.say("ci", facts) == f"95{NB}% ДИ: 41–51{NB}%"
    assert ru.say("cipp", facts) == f"95{NB}% ДИ: от −8 до −2{NB}п.{NB}п."
    assert ru.say("p", {"p": 0.0004}) == "p < 0,001"


def test_labels_and_lists_come_from_the_codebook(codebook):
    source = (
        'one = { LABEL($key, form: "short") }\nall = { LIST($keys) }\n'
        "how = { COUNT($keys) ->\n [one] one\n *[other] many\n}\n"
    )
    keys = ["trust_locals", "trust_host_gov"]
    en, ru = _words("en", source, codebook), _words("ru", source, codebook)
    assert en.say("one", {"key": "trust_general"}) == codebook["trust_general"].text("en", "short")
    assert en.say("all", {"keys": keys}) == (
        f"{codebook['trust_locals'].text('en', 'phrase')} and "
        f"{codebook['trust_host_gov'].text('en', 'phrase')}"
    )
    assert ru.say("all", {"keys": keys}).count(" и ") >= 1
    assert en.say("how", {"keys": keys[:1]}) == "one"
    assert en.say("one", {"key": "trust_general:1"}) == codebook["trust_general"].label(1)


def test_or_lists_answer_forms_and_labels_from_messages(codebook):
    """LIST(type: "or") joins with the language's "or" (CLDR: "a, b, or c" in en, "a, b или
    c" in ru); an answer code has short and phrase forms; a label the codebook does not hold
    comes from a message (value long, .short, .phrase)."""
    source = (
        'any = { LIST($keys, form: "short", type: "or") }\n'
        'bad = { LIST($keys, type: "xor") }\n'
        "idx = Trust index\n    .short = Index\n"
        'lab = { LABEL("idx", form: "short") } / { LABEL("idx", form: "phrase") }\n'
    )
    keys = ["trust_locals", "trust_host_gov", "trust_general"]
    short = [codebook[k].text("en", "short") for k in keys]
    en, ru = _words("en", source, codebook), _words("ru", source, codebook)
    assert en.say("any", {"keys": keys}) == f"{short[0]}, {short[1]}, or {short[2]}"
    short_ru = [codebook[k].text("ru", "short") for k in keys]
    assert ru.say("any", {"keys": keys}) == f"{short_ru[0]}, {short_ru[1]} или {short_ru[2]}"
    with pytest.raises(WordsError, match="xor"):
        en.say("bad", {"keys": keys})
    assert en.say("lab") == "Index / Index"  # phrase falls back to short
    assert en.label("idx") == "Trust index"
    var = codebook["trust_general"].model_copy(deep=True)
    var.codes[0].short_en, var.codes[0].phrase_en = "Most", "most people"
    assert var.label(var.codes[0].code, "en", "short") == "Most"
    assert var.label(var.codes[0].code, "en", "phrase") == "most people"
    assert var.label(var.codes[1].code, "en", "short") == var.codes[1].en  # falls back to long


def test_variants_by_status_and_a_missing_fact_fails_loudly():
    source = 's = { $st ->\n [ok] shown { PCT($v) }\n *[other] {""}\n}\n'
    words = _words("en", source)
    assert words.say("s", {"st": "ok", "v": 12}) == "shown 12%"
    assert words.say("s", {"st": "withheld"}) == ""
    with pytest.raises(WordsError, match="message 's'"):
        words.say("s", {"st": "ok"})  # the value is missing
    with pytest.raises(WordsError, match="no message 'nope'"):
        words.say("nope")
    with pytest.raises(WordsError, match="test, line 2"):
        _words("en", "fine = ok\nbroken = { $x\n")


def test_direction_rule_and_change_facts():
    """One rule (stats.direction): the test decides, the sign says which way."""
    assert [
        stats.direction(*a)
        for a in [
            (14.6, 0.0001),
            (-3.2, 0.01),
            (4.0, 0.2),
            (0.0, 0.001),
            (float("nan"), 0.01),
            (5.0, float("nan")),
        ]
    ] == ["up", "down", "flat", "flat", "flat", "flat"]
    row = {
        "value": 12.0,
        "ci_low": 8.0,
        "ci_high": 16.0,
        "n": 594,
        "p_value": 0.2,
        "suppressed": False,
    }
    facts = change_fact({**row, "value": 48.5}, {**row, "value": 61.0}, row)
    assert (facts["direction"], facts["before"], facts["after"]) == ("flat", 48.5, 61.0)
    assert change_fact(None, None, None) == {"status": "no_panel"}
    withheld = {**row, "suppressed": True, "n": 12}
    assert estimate_fact(withheld) == {"status": "withheld", "n": 12}
    assert flatten({"x": facts})["x_direction"] == "flat"


class _Version:
    def __init__(self, lang):
        self.lang = lang

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "text/html": f"<p>{self.lang}</p>",
            "image/png": self.lang.encode(),
            "text/plain": self.lang,
        }


def test_bilingual_output_is_localized_at_staging():
    """One execution carries both languages; the build keeps the edition's."""
    data = Bilingual({"en": _Version("en"), "ru": _Version("ru")})._repr_mimebundle_()
    assert data["text/html"] == "<p>en</p>" and I18N in data
    json.dumps(data[I18N])  # travels in the notebook as JSON
    for lang in ("en", "ru"):
        output = nbformat.v4.new_output(
            "display_data",
            data=json.loads(
                json.dumps(
                    {
                        k: (base64.b64encode(v).decode() if isinstance(v, bytes) else v)
                        for k, v in data.items()
                    }
                )
            ),
        )
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[output])])
        _localize(notebook, lang)
        shown = notebook.cells[0].outputs[0]["data"]
        assert shown["text/html"] == f"<p>{lang}</p>" and I18N not in shown
        assert base64.b64decode(shown["image/png"]) == lang.encode()
    glued = {f"application/papermill.record/{k}": v for k, v in data.items()}
    glued = json.loads(
        json.dumps({k: v if not isinstance(v, bytes) else "" for k, v in glued.items()})
    )
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data", data=glued)])
        ]
    )
    _localize(notebook, "ru")
    shown = notebook.cells[0].outputs[0]["data"]
    assert shown["application/papermill.record/text/html"] == "<p>ru</p>"
    assert not any(k.endswith(I18N) for k in shown)  # myst-nb's glue prefixes every type


def test_sphinx_renders_words_say_and_when(tmp_path, codebook):
    """A page with a {words} block, {say} roles and {when} blocks, built by Sphinx in both
    languages: sentences from the page's facts; an empty sentence takes its bullet with it;
    a {when} whose fact is missing removes its figure, and figure numbers stay consecutive."""
    src = tmp_path / "src"
    (src / "_wavebook").mkdir(parents=True)
    (src / "_wavebook" / "codebook.yml").write_text(
        (ROOT / "data" / "codebook.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (src / "conf.py").write_text(
        "extensions = ['myst_parser', 'wavebook.sphinx_ext']\n"
        "myst_enable_extensions = ['colon_fence']\nnumfig = True\n"
        "html_theme = 'sphinx_book_theme'\n",
        encoding="utf-8",
    )
    page = """# Page

:::{words}
share = { PCT($trust_value) } of { N($trust_n) } trust { LABEL($item, form: "phrase") }
gone = { $panel_status ->
    [ok] panel
   *[other] {""}
}
:::

- {say}`share`
- {say}`gone`

{say}`gone` {say}`gone`

::::{when} panel_status ok
```{figure} a.png
:name: fig-a

First
```
::::

```{figure} b.png
:name: fig-b

Second
```

See {numref}`fig-b`.

## Changes

::::{when} panel_status ok
Nothing to see at a first wave.
::::
"""
    (src / "index.md").write_text(page, encoding="utf-8")
    for name in ("a.png", "b.png"):
        (src / name).write_bytes(
            base64.b64decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
            )
        )
    facts = {
        "trust": {"value": 61.04, "n": 9502},
        "item": "trust_locals",
        "panel": {"status": "no_panel"},
    }
    (src / "index.facts.json").write_text(json.dumps(facts), encoding="utf-8")
    for lang, share in (("en", "61% of 9,502 trust"), ("ru", f"61{NB}% of 9{NB}502 trust")):
        out = tmp_path / lang
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "sphinx",
                "-b",
                "html",
                "-W",
                "-q",
                "-D",
                f"language={lang}",
                str(src),
                str(out),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        page = (out / "index.html").read_text(encoding="utf-8")
        body = page[page.index("<article") : page.index("</article>")]
        text = html.unescape(re.sub(r"<[^>]+>", "", body))
        assert share in text
        assert "panel" not in text.replace("panel_status", "")
        assert "First" not in text and "Second" in text
        assert body.count("<li>") == 1  # the empty bullet is gone
        assert "Changes" not in text  # a heading over nothing is omitted
        label = "Fig. 1" if lang == "en" else "Рис. 1"
        assert f"See {label}" in " ".join(text.split()), text  # fig-b is number 1
