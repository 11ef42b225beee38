"""Errors a user can act on.

A :class:`WavebookError` is printed as a readable message (no traceback) by the command
line, which exits with code 2 for bad input or usage and 1 for a failed chapter.
"""

from __future__ import annotations


class WavebookError(Exception):
    """Base class of errors shown to the user as a message."""

    exit_code = 2


class ConfigError(WavebookError):
    """A configuration file (waves.yml, codebook.yml, _config.yml) is wrong."""


class DataError(WavebookError):
    """A delivered data file breaks the data contract.

    Parameters
    ----------
    file, column, rule
        Where the problem is and which rule of the contract it breaks.
    rows
        Zero-based row positions of offending rows (a few are shown, all are counted).
    detail
        Optional extra sentence (e.g. which values were found).
    """

    def __init__(
        self,
        file: str,
        column: str | None,
        rule: str,
        rows: list[int] | None = None,
        detail: str = "",
    ) -> None:
        self.file, self.column, self.rule = str(file), column, rule
        self.rows = list(rows or [])
        self.detail = detail
        super().__init__(self.message())

    def message(self) -> str:
        where = f"{self.file}" + (f", column '{self.column}'" if self.column else "")
        text = f"{where}: {self.rule}"
        if self.rows:
            shown = ", ".join(str(r + 2) for r in self.rows[:5])  # +2: header line, 1-based
            more = "" if len(self.rows) <= 5 else ", ..."
            text += f" ({len(self.rows)} row(s); file rows {shown}{more})"
        if self.detail:
            text += f". {self.detail}"
        return text


class ChapterError(WavebookError):
    """A chapter notebook failed to execute."""

    exit_code = 1
