"""Cleaning: eligibility, completion, duplicate answer patterns and speeders.

Rules follow questionnaire.md §2. Each rule removes rows from what the previous rules left and
is counted into an exclusion flow (one row per rule), which ``wavebook check`` prints and the
methodology chapter shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

WAR_START = pd.Timestamp("2022-02-24")
MOBILIZATION = pd.Timestamp("2022-09-21")
TECHNICAL = ("resp_id", "wave", "interview_date", "completion", "duration_min", "weight")


@dataclass(frozen=True)
class Rules:
    """Cleaning settings (defaults as in the reports)."""

    min_completion: float = 0.5
    speeder_ratio: float = 0.3  # faster than this share of the wave's median duration
    exclude_post_mobilization: bool = False


@dataclass
class Cleaned:
    """One cleaned wave and its exclusion flow."""

    resp: pd.DataFrame
    flow: pd.DataFrame = field(repr=False)


def _repeated_patterns(resp: pd.DataFrame) -> pd.Series:
    """True for a row whose answers repeat an earlier submission's exactly.

    Rows are hashed first (fast on a million rows); only rows whose hash repeats are compared
    value by value, so a hash collision can never remove anyone.
    """
    answers = [c for c in resp.columns if c not in TECHNICAL]
    hashed = pd.util.hash_pandas_object(resp[answers], index=False)
    candidates = resp[hashed.duplicated(keep=False).to_numpy()]
    # of identical answer patterns, the earliest submission is kept
    first = candidates.sort_values("interview_date", kind="stable")
    repeated = first.duplicated(subset=answers, keep="first")
    return repeated.reindex(resp.index, fill_value=False)


def clean_wave(
    resp: pd.DataFrame,
    abroad_before: set[str] | frozenset[str] = frozenset(),
    rules: Rules | None = None,
) -> Cleaned:
    """Apply the cleaning rules to one validated wave.

    Parameters
    ----------
    resp
        A validated wave (one row per respondent).
    abroad_before
        ``resp_id`` of respondents who answered from abroad in an earlier wave: answering from
        Russia now makes them returnees (kept), while others answering from Russia have not
        left (excluded).
    rules
        Thresholds; defaults as in the reports.
    """
    rules = rules or Rules()
    wave = int(resp["wave"].iloc[0])
    flow: list[dict] = [{"wave": wave, "rule": "delivered", "excluded": 0, "remaining": len(resp)}]

    def apply(frame: pd.DataFrame, rule: str, keep: pd.Series) -> pd.DataFrame:
        keep = keep.to_numpy(dtype=bool)
        flow.append(
            {
                "wave": wave,
                "rule": rule,
                "excluded": int((~keep).sum()),
                "remaining": int(keep.sum()),
            }
        )
        return frame[keep]

    left = resp["departure_date"]
    resp = apply(resp, "left Russia before 24 February 2022", (left >= WAR_START).fillna(False))
    in_russia = resp["country_residence"] == "RU"
    returnee = resp["resp_id"].isin(list(abroad_before))
    resp = apply(resp, "in Russia and had not left (not a returnee)", ~in_russia | returnee)
    if rules.exclude_post_mobilization:
        resp = apply(
            resp, "left after the mobilization announcement", resp["departure_date"] < MOBILIZATION
        )
    resp = apply(
        resp,
        f"completed less than {rules.min_completion:.0%} of the questionnaire",
        resp["completion"] >= rules.min_completion,
    )
    resp = apply(resp, "duplicate answer pattern", ~_repeated_patterns(resp))
    threshold = rules.speeder_ratio * float(resp["duration_min"].median())
    resp = apply(
        resp,
        f"speeder (under {rules.speeder_ratio:.0%} of the median duration)",
        resp["duration_min"] >= threshold,
    )
    return Cleaned(resp.reset_index(drop=True), pd.DataFrame(flow))


def clean_waves(waves: dict[int, pd.DataFrame], rules: Rules | None = None) -> Cleaned:
    """Clean several waves in order; return the long respondent-wave table and the flow."""
    abroad: set[str] = set()
    frames, flows = [], []
    for number in sorted(waves):
        cleaned = clean_wave(waves[number], frozenset(abroad), rules)
        resp = cleaned.resp
        abroad |= set(resp.loc[resp["country_residence"] != "RU", "resp_id"])
        frames.append(resp)
        flows.append(cleaned.flow)
    long = pd.concat(frames, ignore_index=True, sort=False)
    return Cleaned(long, pd.concat(flows, ignore_index=True))
