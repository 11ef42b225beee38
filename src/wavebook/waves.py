"""The wave registry, ``data/waves.yml``.

Each wave names its file (relative to ``data/``), its field dates and, optionally, how the raw
variable names and codes of a platform export map onto the canonical ones of the codebook, so
that a delivery is registered as delivered and never edited by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from wavebook._yaml import load_model
from wavebook.errors import ConfigError

# a whole number written with a zero fraction, as a program writes a float column: "98.0"
ZERO_FRACTION = re.compile(r"(-?\d+)\.0+")


def code_key(value: object) -> str:
    """The text form in which raw codes and missing markers are compared.

    A whole number is written without a fraction, so the -99 of a mapping matches the -99.0
    of an SPSS file and the text ``-99.0`` of a CSV written from a float column; any other text
    stays exactly as delivered (``"007"`` is not ``7``).

    >>> code_key(-99.0), code_key(-99), code_key("-99.0"), code_key(0.5), code_key("007")
    ('-99', '-99', '-99', '0.5', '007')
    """
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and (whole := ZERO_FRACTION.fullmatch(value)):
        return whole.group(1)
    return str(value)


class Mapping(BaseModel):
    """Raw-to-canonical renaming of one delivery, and the markers it uses for missing."""

    model_config = ConfigDict(extra="forbid")

    columns: dict[str, str] = Field(default_factory=dict, description="raw name -> canonical")
    codes: dict[str, dict[str | int, str | int]] = Field(
        default_factory=dict, description="canonical column -> {raw code: canonical code}"
    )
    missing: list[str] = Field(
        default_factory=list,
        description='values meaning "no answer" in every column, e.g. ["-99", "#NULL!"]',
    )

    @field_validator("missing", mode="before")
    @classmethod
    def _markers_as_text(cls, value: object) -> object:
        # YAML reads -99 as a number; a marker is compared as text (see code_key)
        if isinstance(value, list):
            return [
                code_key(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
                for v in value
            ]
        return value


class Wave(BaseModel):
    """One registered wave."""

    model_config = ConfigDict(extra="forbid")

    number: int = Field(ge=1)
    label: str
    label_ru: str | None = Field(None, description="the label in the Russian edition")
    field_start: dt.date
    field_end: dt.date
    file: str
    synthetic: bool = False
    mapping: Mapping | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Wave:
        if self.field_end < self.field_start:
            raise ValueError(f"wave {self.number}: field_end is before field_start")
        return self

    def title(self, lang: str = "en") -> str:
        """The wave's label in an edition: ``label`` in English, ``label_<lang>`` or a
        plain "wave N" in the edition's words otherwise."""
        if lang == "en":
            return self.label
        given = getattr(self, f"label_{lang}", None)
        if given:
            return given
        from wavebook.words import Words

        return Words(lang).say("wave-label", {"number": self.number})

    def path(self, data_dir: Path) -> Path:
        return (data_dir / self.file).resolve()


class Registry(BaseModel):
    """All registered waves, in order."""

    model_config = ConfigDict(extra="forbid")

    waves: list[Wave]

    @model_validator(mode="after")
    def _numbers_unique_and_ordered(self) -> Registry:
        numbers = [w.number for w in self.waves]
        if not numbers:
            raise ValueError("no wave is registered")
        if numbers != sorted(set(numbers)):
            raise ValueError(f"wave numbers must be unique and increasing, got {numbers}")
        return self

    @property
    def latest(self) -> int:
        return self.waves[-1].number

    def get(self, number: int) -> Wave:
        for wave in self.waves:
            if wave.number == number:
                return wave
        known = ", ".join(str(w.number) for w in self.waves)
        raise ConfigError(f"wave {number} is not registered in data/waves.yml (known: {known})")

    def up_to(self, number: int) -> list[Wave]:
        """The waves a book of wave ``number`` reads: that wave and every earlier one."""
        self.get(number)
        return [w for w in self.waves if w.number <= number]


def load_registry(path: Path) -> Registry:
    """Read and validate ``data/waves.yml``."""
    return load_model(path, Registry)
