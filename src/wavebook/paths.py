"""Where things live: the project root, its data and its build outputs.

Nothing here depends on the working directory once the root is known: the root is taken from
``WAVEBOOK_ROOT`` if set, otherwise from the nearest parent of the working directory that holds
``_config.yml`` and ``data/waves.yml``, otherwise from the source checkout this package was
installed from (an editable install).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from wavebook.errors import ConfigError

_MARKERS = ("_config.yml", "data/waves.yml")


def _is_root(path: Path) -> bool:
    return all((path / marker).is_file() for marker in _MARKERS)


def find_root(start: Path | None = None) -> Path:
    """Return the project root (the folder holding ``_config.yml`` and ``data/waves.yml``)."""
    env = os.environ.get("WAVEBOOK_ROOT")
    if env:
        root = Path(env).resolve()
        if not _is_root(root):
            raise ConfigError(f"WAVEBOOK_ROOT={env} does not hold _config.yml and data/waves.yml")
        return root
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if _is_root(candidate):
            return candidate
    source = Path(__file__).resolve().parents[2]
    if _is_root(source):
        return source
    raise ConfigError(
        "cannot find the wavebook project (a folder with _config.yml and data/waves.yml); "
        "run from inside it or set WAVEBOOK_ROOT"
    )


@dataclass(frozen=True)
class Project:
    """The fixed locations of a wavebook checkout."""

    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        return cls(find_root(start))

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def waves_file(self) -> Path:
        return self.data / "waves.yml"

    @property
    def codebook_file(self) -> Path:
        return self.data / "codebook.yml"

    @property
    def demo_dir(self) -> Path:
        return self.data / "demo"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def book(self) -> Path:
        return self.root / "book"

    @property
    def build_root(self) -> Path:
        return self.root / "_build"

    @property
    def cache(self) -> Path:
        return self.build_root / "cache"

    @property
    def vendor_cache(self) -> Path:
        """Third-party browser assets fetched by ``make`` (MathJax)."""
        return self.root / ".cache" / "vendor"

    def wave_build(self, wave: int) -> Path:
        return self.build_root / f"wave-{wave}"
