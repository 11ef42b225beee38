"""Words: the sentences a reader reads, rendered from a chapter's facts in the edition's language.

Python computes facts (numbers, intervals, n, p, direction codes, codebook keys, statuses);
authors write the sentences beside the chapter as `Project Fluent <https://projectfluent.org>`_
messages — placeholders, and variants chosen by a status, a direction or a plural form — in a
``{words}`` block of the chapter file (one file per language). This module renders them with
:mod:`fluent.runtime`, which takes its plural rules from Babel's CLDR data, and gives the
messages the book's formatting functions, all built on Babel for the edition's locale:

=============================  ====================================================  =========
function                       what it writes (en)                                    (ru)
=============================  ====================================================  =========
``PCT($x)``                    a share in percent                                     61%, 61 %
``CI($low, $high)``            a 95% interval of a share                              41–51%
``CHANGE($before, $after)``    the change between two printed shares, in pp          +15 pp
``PP($x)``                     a difference in percentage points (its own rounding)  −3 pp
``CIPP($low, $high)``          a 95% interval of a difference in pp                   −8 to −2
``N($n)``                      a count                                                9,502; 9 502
``NUM($x, digits: 2)``         a decimal number                                       3.38; 3,38
``P($p)``                      a p-value                                              p = 0.009
``LABEL($key, form: "short")`` a codebook label (``var`` or ``var:code``)             —
``LIST($keys, form: "phrase")``  labels of several keys, joined (``type: "or"``)      a, b and c
``COUNT($keys)``               how many keys a list holds (for plural variants)       —
``SHARE($v, $lo, $hi, $n)``    a share with its interval and n                        —
``SAMPLES($samples)``          samples and their n by wave, for a caption             —
``GROUPS($groups)``            subgroups (``var=code``) by their labels, joined       —
``TEXT($key)``                 a message of the shared words, or a codebook label     —
=============================  ====================================================  =========

A chapter's figures and tables are drawn when the chapter executes, so their words (axis and
legend titles, column headers) come from the codebook and from the shared words:
``words/<lang>.ftl`` and one ``words/<chapter>.<lang>.ftl`` per chapter. Its sentences come
from the chapter's ``{words}`` block, rendered when the page is built.

The rule for changes: a change printed beside two shares is the difference of those shares as
printed (``CHANGE``), so "from 46% to 61%" always goes with "+15 pp"; whether it is called a
rise or a fall comes from the paired test (:func:`wavebook.stats.direction`), never from the
sign alone. Facts are nested in JSON and reach the messages flattened with ``_``
(``{"trust": {"value": 61}}`` is ``$trust_value``); a list of keys reaches them as one
``|``-joined text, for ``LIST`` and ``COUNT``.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from babel import Locale
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent
from fluent.runtime import FluentBundle
from fluent.runtime.types import FluentNone, FluentNumber, fluent_number
from fluent.syntax import FluentParser
from fluent.syntax import ast as fluent_ast

from wavebook.codebook import Codebook
from wavebook.outputs import I18N

LANGUAGES = ("en", "ru")
SHARED = Path(__file__).with_name("words")  # <lang>.ftl: units, the interval, chart words
FORMS = ("long", "short", "phrase")
_SPACES = re.compile(r"[ \t\r\n]+")


_CODEBOOK: list[Codebook] = []  # the codebook of the running chapter (report.open_chapter)


def use_codebook(codebook: Codebook) -> None:
    """Make ``codebook`` the default of every :class:`Words` made from now on (a chapter's
    figures and tables name variables by their codebook labels)."""
    _CODEBOOK[:] = [codebook]


class WordsError(ValueError):
    """A message that does not parse or does not render (names the message and the place)."""


def flatten(facts: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested facts as Fluent variables: keys joined with ``_``, lists of keys as ``a|b``.

    >>> flatten({"trust": {"value": 61.2, "n": 600}, "top": ["a", "b"], "status": "ok"})
    {'trust_value': 61.2, 'trust_n': 600, 'top': 'a|b', 'status': 'ok'}
    """
    out: dict[str, Any] = {}
    for key, value in facts.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{name}_"))
        elif isinstance(value, list | tuple):
            out[name] = "|".join(str(v) for v in value)
        elif isinstance(value, bool):
            out[name] = "yes" if value else "no"
        elif value is None or (isinstance(value, float) and math.isnan(value)):
            continue  # a missing number is absent: a message that needs it fails loudly
        else:
            out[name] = value
    return out


def _number(value: Any) -> float:
    if isinstance(value, FluentNumber):
        return float(value)
    if isinstance(value, FluentNone) or value is None:
        raise WordsError("a number is missing")
    return float(value)


def _text(value: Any) -> str:
    return "" if isinstance(value, FluentNone) or value is None else str(value)


@functools.lru_cache(maxsize=512)
def _parse(source: str) -> fluent_ast.Resource:
    """Fluent's syntax tree of ``source``, parsed once per process: every :class:`Words` (two
    per bilingual output) adds the same shared files. Bundles compile the tree into objects of
    their own and never change it, so one tree serves them all."""
    return FluentParser(with_spans=True).parse(source)


class Words:
    """The messages of one language: the shared file plus any number of chapter blocks.

    >>> words = Words("ru")
    >>> words.add("n-resp = { N($n) } { $n ->\\n [one] респондент\\n [few] респондента\\n"
    ...           " *[many] респондентов\\n}\\n", "example")
    ['n-resp']
    >>> [words.say("n-resp", {"n": n}) for n in (1, 2, 5, 9502)]
    ['1 респондент', '2 респондента', '5 респондентов', '9\\xa0502 респондента']
    """

    def __init__(self, lang: str, codebook: Codebook | None = None) -> None:
        if lang not in LANGUAGES:
            raise WordsError(f"unknown language {lang!r} (one of {', '.join(LANGUAGES)})")
        self.lang = lang
        self.locale = Locale.parse(lang)
        self.codebook = codebook or (_CODEBOOK[0] if _CODEBOOK else None)
        self.bundle = FluentBundle(
            [lang],
            functions={
                "PCT": self._pct,
                "CI": self._ci,
                "CHANGE": self._change,
                "PP": self._pp,
                "CIPP": self._ci_pp,
                "N": self._n,
                "NUM": self._num,
                "P": self._p,
                "LABEL": self._label,
                "LIST": self._list,
                "COUNT": self._count,
                "SHARE": self._share,
                "SAMPLES": self._samples,
                "GROUPS": self._groups,
                "TEXT": self._text_key,
            },
            use_isolating=False,
        )
        for shared in [SHARED / f"{lang}.ftl", *sorted(SHARED.glob(f"*.{lang}.ftl"))]:
            self.add(shared.read_text(encoding="utf-8"), str(shared))

    # --- messages ---------------------------------------------------------------------------
    def add(self, source: str, origin: str, line: int = 1) -> list[str]:
        """Add Fluent messages; a syntax error names ``origin`` and its line. Returns the ids."""
        resource = _parse(source)
        for entry in resource.body:
            if isinstance(entry, fluent_ast.Junk):
                where = line + source.count("\n", 0, entry.span.start)
                note = entry.annotations[0].message if entry.annotations else "syntax error"
                raise WordsError(f"{origin}, line {where}: {note}: {entry.content.strip()[:80]!r}")
        self.bundle.add_resource(resource, allow_overrides=True)
        return [e.id.name for e in resource.body if isinstance(e, fluent_ast.Message)]

    def has(self, message_id: str) -> bool:
        return self.bundle.has_message(message_id)

    def say(self, message_id: str, facts: Mapping[str, Any] | None = None) -> str:
        """Render a message with the facts (nested facts are flattened first)."""
        if not self.bundle.has_message(message_id):
            raise WordsError(f"no message '{message_id}' in the {self.lang} words")
        message = self.bundle.get_message(message_id)
        if message.value is None:
            raise WordsError(f"message '{message_id}' has no text")
        text, errors = self.bundle.format_pattern(message.value, flatten(facts or {}))
        if errors:
            raise WordsError(f"message '{message_id}' ({self.lang}): {errors[0]}")
        return _SPACES.sub(" ", text).strip()  # a variant's line breaks; never a no-break space

    # --- numbers ----------------------------------------------------------------------------
    def decimal(self, value: float, digits: int = 0) -> str:
        """A number in the locale's format: ``9502`` -> ``'9,502'`` (en), ``'9\xa0502'`` (ru)."""
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale).replace("-", "−")

    def percent(self, value: float, digits: int = 0) -> str:
        """A share in percent in the locale's pattern: ``61`` -> ``'61%'`` or ``'61\xa0%'``."""
        pattern = self.locale.percent_formats[None].pattern
        if digits:
            pattern = pattern.replace("#,##0", "#,##0." + "0" * digits)
        return format_percent(value / 100, format=pattern, locale=self.locale).replace("-", "−")

    @property
    def _percent_unit(self) -> str:
        return self.percent(0).replace("0", "")  # "%" in en, "\xa0%" in ru

    @staticmethod
    def _digits_for(low: float, high: float) -> int:
        # never "1–1%", never a bound that rounds to 0 without being 0 (see How to read)
        same = round(low) == round(high)
        touches_zero = (round(low) == 0 and low != 0) or (round(high) == 0 and high != 0)
        return 1 if same or touches_zero else 0

    def bounds(self, low: float, high: float, unit: str = "") -> str:
        """Two bounds of an interval in the locale's numbers: ``41–51%``; with a negative
        bound ``−8 to −2 pp`` (an en dash beside a minus reads as a second minus)."""
        digits = self._digits_for(low, high)
        lo, hi = self.decimal(low, digits), self.decimal(high, digits)
        if low < 0 or high < 0:
            return self.say("wb-range-signed", {"low": lo, "high": hi}) + unit
        return f"{lo}–{hi}{unit}"

    def _pct(self, value: Any, digits: Any = 0) -> str:
        return self.percent(_number(value), int(_number(digits)))

    def _ci(self, low: Any, high: Any) -> str:
        text = self.bounds(_number(low), _number(high), self._percent_unit)
        return self.say("wb-ci", {"range": text})

    def _signed_pp(self, value: float) -> str:
        rounded = round(value)
        sign = "+" if rounded > 0 else ("−" if rounded < 0 else "±")
        return f"{sign}{self.decimal(abs(rounded))}\u00a0{self.say('wb-pp')}"

    def _change(self, before: Any, after: Any) -> str:
        return self._signed_pp(round(_number(after)) - round(_number(before)))

    def _pp(self, value: Any) -> str:
        return self._signed_pp(_number(value))

    def _ci_pp(self, low: Any, high: Any) -> str:
        text = self.bounds(_number(low), _number(high), f"\u00a0{self.say('wb-pp')}")
        return self.say("wb-ci", {"range": text})

    def _n(self, value: Any) -> str:
        return self.decimal(_number(value))

    def _num(self, value: Any, digits: Any = 2) -> str:
        return self.decimal(_number(value), int(_number(digits)))

    def _p(self, value: Any) -> str:
        return self.pvalue(_number(value))

    def pvalue(self, p: float) -> str:
        """A p-value as the book prints it: ``p < 0.001``, ``p = 0.009``, ``p = 0.04``."""
        if p < 0.001:
            return f"p < {self.decimal(0.001, 3)}"
        return f"p = {self.decimal(p, 3 if p < 0.01 else 2)}"

    # --- labels -----------------------------------------------------------------------------
    def label(self, key: str, form: str = "long") -> str:
        """The codebook's label of ``var`` or of ``var:code`` in this language and form."""
        if self.codebook is None:
            raise WordsError("labels need the codebook")
        if form not in FORMS:
            raise WordsError(f"unknown label form {form!r} (one of {', '.join(FORMS)})")
        name, _, code = key.partition(":")
        if name not in self.codebook and self.bundle.has_message(key):
            return self._message_label(key, form)
        var = self.codebook[name]
        if code:
            typed: int | str = int(code) if code.lstrip("-").isdigit() else code
            return var.label(typed, self.lang, form)
        return var.text(self.lang, form)

    def _message_label(self, key: str, form: str) -> str:
        """A label the codebook does not hold (a derived construct, a group of items) from a
        message of the words: its value is the long form, attributes ``.short`` and
        ``.phrase`` the others (as in the codebook, short falls back to long)."""
        message = self.bundle.get_message(key)
        pattern = message.attributes.get(form) if form != "long" else None
        if pattern is None and form == "phrase":
            pattern = message.attributes.get("short")
        if pattern is None:
            pattern = message.value
        text, errors = self.bundle.format_pattern(pattern, {})
        if errors:
            raise WordsError(f"label '{key}' ({self.lang}): {errors[0]}")
        return _SPACES.sub(" ", text).strip()

    def _label(self, key: Any, form: Any = "long") -> str:
        return self.label(_text(key), _text(form))

    def _keys(self, keys: Any) -> list[str]:
        return [k for k in _text(keys).split("|") if k]

    def _list(self, keys: Any, form: Any = "phrase", type: Any = "and") -> str:
        labels = [self.label(k, _text(form)) for k in self._keys(keys)]
        style = {"and": "standard", "or": "or"}.get(_text(type))
        if style is None:
            raise WordsError(f"LIST type must be 'and' or 'or', not {_text(type)!r}")
        return format_list(labels, style=style, locale=self.locale) if labels else ""

    def _count(self, keys: Any) -> FluentNumber:
        return fluent_number(len(self._keys(keys)))

    def _share(self, value: Any, low: Any, high: Any, n: Any) -> str:
        return self.say(
            "wb-share",
            {"value": _number(value), "low": _number(low), "high": _number(high), "n": _number(n)},
        )

    def _samples(self, samples: Any) -> str:
        """``combined_w1:1=1630,2=2176|panel_2_3:2=611,3=611`` (see
        :func:`wavebook.report.samples_fact`) as the samples of a caption."""
        parts = []
        for item in self._keys(samples):
            code, _, counts = item.partition(":")
            ns = [pair.split("=") for pair in counts.split(",") if pair]
            each = [self.say("wb-sample-n", {"wave": int(w), "n": float(n)}) for w, n in ns]
            label = self.sample_label(code)
            parts.append(
                self.say(
                    "wb-sample", {"label": label[:1].lower() + label[1:], "counts": "; ".join(each)}
                )
            )
        return "; ".join(parts)

    def sample_label(self, sample: str) -> str:
        """A reader's name for a sample code.

        >>> en = Words("en")
        >>> en.sample_label("combined_w3"), en.sample_label("panel_2_3")
        ('All respondents of each wave', 'Answered waves 2 and 3')
        >>> en.sample_label("panel_1_2_3"), Words("ru").sample_label("panel_2_3")
        ('Answered waves 1, 2 and 3', 'Ответили в волнах 2 и 3')
        """
        if sample.startswith("combined_w"):
            return self.say("sample-combined")
        if sample.startswith("panel_"):
            waves = sample.removeprefix("panel_").split("_")
            facts = {"waves": ", ".join(waves[:-1]), "last": waves[-1], "count": len(waves)}
            return self.say("sample-panel", facts)
        return sample

    def text(self, key: str) -> str:
        """A shared message by its id, or a codebook label (``var`` short, ``var:code``)."""
        if self.bundle.has_message(key):
            return self.say(key)
        return self.label(key, "long" if ":" in key else "short")

    def _text_key(self, key: Any) -> str:
        return self.text(_text(key))

    def group(self, subgroup: str) -> str:
        """A subgroup ``var=code`` by its codebook label when the codebook has it, else its
        code (age groups such as ``55+`` read the same in every language)."""
        name, _, code = subgroup.partition("=")
        if self.codebook is not None and name in self.codebook:
            var = self.codebook[name]
            typed: int | str = int(code) if code.lstrip("-").isdigit() else code
            if any(c.code == typed for c in var.codes or []):
                return var.label(typed, self.lang)
        return code or name

    def _groups(self, groups: Any) -> str:
        names = [self.group(g) for g in self._keys(groups)]
        return format_list(names, locale=self.locale) if names else ""


class Bilingual:
    """A figure or table made in every language of the book.

    It displays as its English version; the other versions travel in the same output under
    :data:`I18N`, and the build puts them in place for their edition. One execution of a
    chapter thus serves every edition.
    """

    def __init__(self, versions: Mapping[str, Any]) -> None:
        self.versions = dict(versions)

    @staticmethod
    def _bundle(version: Any) -> dict[str, Any]:
        import base64

        data = dict(version._repr_mimebundle_())
        data.pop("text/plain", None)
        return {
            mime: base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value
            for mime, value in data.items()
        }

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        data = dict(self.versions["en"]._repr_mimebundle_())
        data[I18N] = {
            lang: self._bundle(version) for lang, version in self.versions.items() if lang != "en"
        }
        return data


def bilingual(build: Any, *args: Any, **kwargs: Any) -> Bilingual:
    """``build(*args, **kwargs, words=Words(lang))`` in every language, as one output."""
    return Bilingual({lang: build(*args, words=Words(lang), **kwargs) for lang in LANGUAGES})
