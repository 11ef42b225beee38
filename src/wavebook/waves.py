"""The wave registry, ``data/waves.yml``.

Each wave names its file (relative to ``data/``), its field dates and, optionally, how the raw
variable names and codes of a platform export map onto the canonical ones of the codebook, so
that a delivery is registered as delivered and never edited by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from wavebook._yaml import load_model
from wavebook.errors import ConfigError


class Mapping(BaseModel):
    """Raw-to-canonical renaming of one delivery."""

    model_config = ConfigDict(extra="forbid")

    columns: dict[str, str] = Field(default_factory=dict, description="raw name -> canonical")
    codes: dict[str, dict[str | int, str | int]] = Field(
        default_factory=dict, description="canonical column -> {raw code: canonical code}"
    )


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
