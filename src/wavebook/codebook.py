"""The data contract, ``data/codebook.yml``: canonical variables, their types, codes and labels.

Category labels live here once (English and Russian) and nowhere else. Conventions of the
contract (see README and DESIGN): binary 0/1; ordinal 1..k in codebook order; code 98 is
"hard to say" for variables that allow it (a valid answer, kept in the denominator); NaN is
"not asked, not applicable or skipped" (out of the denominator); nominal values are codebook
keys; a multiple-choice question is one binary ``option`` column per option.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from wavebook._yaml import load_model

if TYPE_CHECKING:  # the words of a page are rendered without pandas (sphinx_ext)
    import pandas as pd

HARD_TO_SAY = 98

VarType = Literal["id", "wave", "binary", "ordinal", "nominal", "option", "numeric", "date"]


class Code(BaseModel):
    """One answer code with its labels."""

    model_config = ConfigDict(extra="forbid")

    code: int | str
    en: str
    ru: str
    short_en: str | None = Field(None, description="short label (charts, tables)")
    short_ru: str | None = None
    phrase_en: str | None = Field(None, description="the form used inside a sentence")
    phrase_ru: str | None = None

    def text(self, lang: str = "en", form: str = "long") -> str:
        """This answer's label in ``lang`` and ``form`` (as :meth:`Variable.text`)."""
        return _form(
            getattr(self, lang),
            self.short_en if lang == "en" else self.short_ru,
            self.phrase_en if lang == "en" else self.phrase_ru,
            form,
        )


def _form(long: str, short: str | None, phrase: str | None, form: str) -> str:
    """``long``; ``short`` (the long one where none is given); ``phrase`` (inside a sentence:
    the short one with a lower-case start where none is given, unless it starts with an
    acronym)."""
    short = short or long
    if form == "long":
        return long
    if form == "short":
        return short
    if form == "phrase":
        return phrase or (short if short[1:2].isupper() else short[:1].lower() + short[1:])
    raise ValueError(f"unknown label form {form!r}")


class Variable(BaseModel):
    """One canonical variable of the contract."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    item: str | None = Field(None, description="questionnaire.md §5 item id, e.g. D1")
    type: VarType
    label_en: str
    label_ru: str
    short_en: str | None = Field(None, description="short label (charts, tables)")
    short_ru: str | None = None
    phrase_en: str | None = Field(None, description="the form used inside a sentence")
    phrase_ru: str | None = None
    waves: list[int] = Field(
        default_factory=list,
        description="waves that asked it, as documented; the book reads what a wave asked from "
        "its file (samples.asked_waves), never from here",
    )
    required: bool = Field(False, description="technical column every file must carry")
    derived: bool = Field(False, description="computed by wavebook, never delivered")
    codes: list[Code] = Field(default_factory=list, description="answer codes, in order")
    hard_to_say: bool = Field(False, description=f"code {HARD_TO_SAY} is a valid answer")
    share_cut: list[int | str] | None = Field(None, description="codes counted in a share")
    minimum: float | None = None
    maximum: float | None = None
    recall: dict[int, str] = Field(default_factory=dict, description="wave -> recall period")
    question: str | None = Field(None, description="option columns: the question they split")
    note: str = ""

    @model_validator(mode="after")
    def _codes_fit_type(self) -> Variable:
        if self.type in {"binary", "ordinal", "nominal"} and not self.codes:
            raise ValueError(f"{self.name}: a {self.type} variable needs codes")
        if self.type == "binary" and sorted(c.code for c in self.codes) != [0, 1]:
            raise ValueError(f"{self.name}: binary codes must be 0 and 1")
        if self.type == "ordinal":
            got = [c.code for c in self.codes]
            if got != list(range(1, len(got) + 1)):
                raise ValueError(f"{self.name}: ordinal codes must be 1..k in order, got {got}")
        if self.share_cut is not None:
            unknown = set(self.share_cut) - {c.code for c in self.codes}
            if unknown:
                raise ValueError(f"{self.name}: share_cut codes {sorted(unknown)} not in codes")
        return self

    @property
    def allowed(self) -> set[int | str]:
        """Codes a valid answer may take (with 98 where "hard to say" is allowed)."""
        allowed: set[int | str] = {c.code for c in self.codes}
        if self.hard_to_say:
            allowed.add(HARD_TO_SAY)
        return allowed

    def _cut(self) -> list[int | str]:
        if self.type == "option" or (self.type == "binary" and self.share_cut is None):
            return [1]
        if self.share_cut is None:
            raise ValueError(f"{self.name}: no share_cut in the codebook")
        return list(self.share_cut)

    def indicator(self, values: pd.Series) -> pd.Series:
        """1.0 where an answer falls in ``share_cut``, 0.0 for other valid answers (98
        included: "hard to say" stays in the denominator), NaN where not asked or skipped."""
        return values.isin(self._cut()).astype("float64").where(values.notna())

    def answers(self, codes: Sequence[int | str] | None = None) -> str:
        """The codes a share of this variable counts, as the ``answers`` column of
        ``estimates.csv`` writes them: joined by ``|``, in codebook order (98 last).

        ``codes`` defaults to what :meth:`indicator` counts (``share_cut``, or 1 for a binary
        item without one and for an option); pass others when a share counts other codes.

        >>> v = Variable(name="x", type="ordinal", label_en="X", label_ru="X", waves=[1],
        ...              hard_to_say=True, share_cut=[4, 3], codes=[
        ...                  {"code": k, "en": str(k), "ru": str(k)} for k in range(1, 5)])
        >>> v.answers(), v.answers([98, 1])
        ('3|4', '1|98')
        """
        chosen = self._cut() if codes is None else list(codes)
        order = [c.code for c in self.codes] or [0, 1]  # an option is 0/1 without listed codes
        if self.hard_to_say:
            order.append(HARD_TO_SAY)
        unknown = [c for c in chosen if c not in order]
        if unknown:
            raise ValueError(f"{self.name}: no code(s) {unknown} in the codebook")
        return "|".join(str(order[i]) for i in sorted({order.index(c) for c in chosen}))

    def text(self, lang: str = "en", form: str = "long") -> str:
        """The variable's label in ``lang``: ``long``, ``short`` (charts and tables; the long
        label where none is given) or ``phrase`` (inside a sentence; the short one with a
        lower-case start where none is given)."""
        long, short, phrase = (
            getattr(self, f"{kind}_{lang}") for kind in ("label", "short", "phrase")
        )
        return _form(long, short, phrase, form)

    def label(self, code: int | str, lang: str = "en", form: str = "long") -> str:
        """The label of answer ``code`` in ``lang`` and ``form`` (see :meth:`Code.text`)."""
        if self.hard_to_say and code == HARD_TO_SAY:
            long = "Hard to say" if lang == "en" else "Затрудняюсь ответить"
            return _form(long, None, None, form)
        for c in self.codes:
            if c.code == code:
                return c.text(lang, form)
        raise KeyError(f"{self.name}: no code {code!r}")


class Codebook(BaseModel):
    """All canonical variables, keyed by name."""

    model_config = ConfigDict(extra="forbid")

    version: int
    variables: list[Variable]

    @model_validator(mode="after")
    def _names_unique(self) -> Codebook:
        names = [v.name for v in self.variables]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"duplicate variable names: {dupes}")
        return self

    def __getitem__(self, name: str) -> Variable:
        for var in self.variables:
            if var.name == name:
                return var
        raise KeyError(f"variable {name!r} is not in the codebook")

    def select(self, names: list[str] | tuple[str, ...]) -> list[Variable]:
        """The variables called ``names``, in that order."""
        return [self[name] for name in names]

    def __contains__(self, name: object) -> bool:
        return any(v.name == name for v in self.variables)

    @property
    def required(self) -> list[Variable]:
        return [v for v in self.variables if v.required]


def load_codebook(path: Path) -> Codebook:
    """Read and validate ``data/codebook.yml``."""
    return load_model(path, Codebook)
