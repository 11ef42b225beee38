"""The synthetic demo panel: three waves with the panel structure of the real study.

Seeded and deterministic. The data are invented: no respondent of the real survey is in them.
Sizes and overlaps follow questionnaire.md §3 (after cleaning: 1,680 / 2,176 / 9,655
respondents; 611 in waves 1 and 2; 1,465 in waves 2 and 3; 470 in all three; 10,871 unique).
Each wave also carries a few rows that the cleaning rules must remove.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wavebook.clean import MOBILIZATION, TECHNICAL, WAR_START

# Respondents by the set of waves they answered (after cleaning).
SEGMENTS: dict[tuple[int, ...], int] = {
    (1,): 505,
    (1, 2): 141,
    (1, 2, 3): 470,
    (1, 3): 564,
    (2,): 570,
    (2, 3): 995,
    (3,): 7626,
}
FIELD = {
    1: ("2022-03-27", "2022-04-04"),
    2: ("2022-08-23", "2022-09-25"),
    3: ("2023-05-15", "2023-07-31"),
}
COUNTRIES = {"GE": 0.24, "AM": 0.12, "TR": 0.11, "KZ": 0.1, "RS": 0.08, "DE": 0.08, "IL": 0.06,
             "AE": 0.04, "ME": 0.04, "KG": 0.03, "US": 0.03, "FR": 0.02, "FI": 0.02, "PL": 0.02,
             "UZ": 0.01}
# Shares of extra rows per wave that each cleaning rule must catch.
NOISE = {"before_war": 0.02, "not_left": 0.02, "partial": 0.05, "duplicate": 0.01,
         "speeder": 0.015}
# Background asked at entry: categories as in data/codebook.yml, shares near the reports'.
BACKGROUND = {
    "education": {1: 0.23, 2: 0.62, 3: 0.15},
    "marital_status": {"married_partnered": 0.52, "single": 0.38, "divorced": 0.09,
                       "widowed": 0.01},
    "has_children": {0: 0.62, 1: 0.38},
    "city_size": {"moscow": 0.42, "st_petersburg": 0.2, "city_1m": 0.18, "smaller_city": 0.15,
                  "town_village": 0.05},
    "income_cat_pre": {1: 0.02, 2: 0.05, 3: 0.2, 4: 0.53, 5: 0.15, 6: 0.05},
    "employment_type_pre": {"ru_company": 0.41, "intl_company": 0.17, "local_company": 0.0,
                            "freelance": 0.14, "own_business": 0.1, "unemployed": 0.04,
                            "student": 0.08, "other": 0.06},
}
# Generalized trust: person-level propensity (logit) plus a wave shift.
TRUST_SHIFT = {1: -0.65, 2: 0.2, 3: 0.6}
RETURN_RATE = {2: 0.16, 3: 0.06}


def _persons(rng: np.random.Generator, scale: int) -> pd.DataFrame:
    """One row per synthetic person with stable traits and the waves they answer."""
    blocks = []
    for waves, size in SEGMENTS.items():
        blocks.append(pd.DataFrame({"first": min(waves), "waves": [waves] * (size * scale)}))
    persons = pd.concat(blocks, ignore_index=True)
    n = len(persons)
    persons["resp_id"] = [f"R{i:07d}" for i in rng.permutation(n) + 1]
    persons["gender"] = np.where(rng.random(n) < 0.46, "female", "male")
    persons["age"] = np.clip(rng.normal(34, 9, n).round(), 18, 80)
    # Departure: W1 entrants left in the first month; later entrants any time before their wave.
    first_field = persons["first"].map({w: pd.Timestamp(FIELD[w][0]) for w in FIELD})
    span = (first_field - WAR_START).dt.days.clip(lower=1)
    early = rng.random(n) < np.where(persons["first"] == 3, 0.45, 1.0)
    days = np.where(early, rng.integers(0, 30, n), (rng.random(n) * span).astype(int))
    persons["departure_date"] = WAR_START + pd.to_timedelta(days, unit="D")
    post = (persons["first"] == 3) & (rng.random(n) < 0.45)
    post_days = rng.integers(0, 45, n)
    persons.loc[post, "departure_date"] = MOBILIZATION + pd.to_timedelta(post_days[post], "D")
    persons["country"] = rng.choice(list(COUNTRIES), n, p=_normalised(COUNTRIES))
    for column, shares in BACKGROUND.items():
        persons[column] = rng.choice(list(shares), n, p=_normalised(shares))
    # Long-stayers in the panel trust a little more: a panel of all waves is a selected group.
    loyal = persons["waves"].map(len) == 3
    persons["trust_latent"] = rng.normal(0.0, 1.6, n) + np.where(loyal, 0.9, 0.0)
    return persons


def _normalised(weights: dict[str, float]) -> np.ndarray:
    values = np.array(list(weights.values()))
    return values / values.sum()


def _wave_rows(persons: pd.DataFrame, wave: int, rng: np.random.Generator) -> pd.DataFrame:
    members = persons[persons["waves"].map(lambda ws: wave in ws)].copy()
    n = len(members)
    start, end = (pd.Timestamp(d) for d in FIELD[wave])
    offset = rng.integers(0, (end - start).days + 1, n)
    country = members["country"].to_numpy().copy()
    earlier = members["first"].to_numpy() < wave
    if wave in RETURN_RATE:
        back = earlier & (rng.random(n) < RETURN_RATE[wave])
        country[back] = "RU"
    moved = ~earlier | (rng.random(n) < 0.1)
    country = np.where(moved & (country != "RU"),
                       rng.choice(list(COUNTRIES), n, p=_normalised(COUNTRIES)), country)
    logit = members["trust_latent"].to_numpy() + TRUST_SHIFT[wave] + rng.normal(0, 0.5, n)
    trust = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    trust[rng.random(n) < 0.03] = np.nan  # item non-response
    rows = pd.DataFrame({
        "resp_id": members["resp_id"].to_numpy(),
        "wave": wave,
        "interview_date": start + pd.to_timedelta(offset, unit="D"),
        "completion": np.round(rng.uniform(0.8, 1.0, n), 3),
        # honest respondents take at least ten minutes; only the speeder rows are faster
        "duration_min": np.round(np.maximum(rng.lognormal(np.log(24), 0.35, n), 10.0), 1),
        "country_residence": country,
        "departure_date": members["departure_date"].to_numpy(),
        "gender": members["gender"].to_numpy(),
        "age": members["age"].to_numpy() + (wave - members["first"].to_numpy()) // 2,
        **{column: members[column].to_numpy() for column in BACKGROUND},
        "trust_general": trust,
    })
    return _unique_patterns(rows, rng)


def _unique_patterns(rows: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Nudge ages until no two genuine respondents share an answer pattern by chance, so that
    the duplicate rule removes exactly the planted duplicates."""
    answers = [c for c in rows.columns if c not in TECHNICAL]
    for _ in range(20):
        clash = rows.duplicated(subset=answers, keep="first").to_numpy()
        if not clash.any():
            return rows
        rows.loc[clash, "age"] = rows.loc[clash, "age"] + rng.integers(1, 4, int(clash.sum()))
    raise RuntimeError("could not make answer patterns unique")


def _noise(rows: pd.DataFrame, wave: int, rng: np.random.Generator, first_id: int) -> pd.DataFrame:
    """Extra rows for every cleaning rule, with their own identifiers."""
    extra = []
    for rule, rate in NOISE.items():
        k = max(1, round(rate * len(rows)))
        pick = rows.sample(n=k, random_state=rng.integers(2**31)).copy()
        if rule == "before_war":
            pick["departure_date"] = pd.Timestamp("2021-06-01") + pd.to_timedelta(
                rng.integers(0, 250, k), unit="D")
        elif rule == "not_left":
            pick["country_residence"] = "RU"
        elif rule == "partial":
            pick["completion"] = np.round(rng.uniform(0.05, 0.45, k), 3)
        elif rule == "speeder":
            # speeders click through: answers unrelated to the row they were drawn from
            pick["duration_min"] = np.round(rng.uniform(1.0, 4.0, k), 1)
            for column in ["trust_general", "age", *BACKGROUND]:
                pick[column] = rng.permutation(rows[column].to_numpy())[:k]
        else:
            # the same answers as an existing respondent, sent again a day later under another
            # identifier (cleaning keeps the earliest submission)
            pick = rows[rows["interview_date"] < rows["interview_date"].max()].sample(
                n=k, random_state=rng.integers(2**31)).copy()
            pick["interview_date"] += pd.Timedelta(days=1)
        extra.append(pick)
    noise = pd.concat(extra, ignore_index=True)
    noise["resp_id"] = [f"X{wave}{first_id + i:06d}" for i in range(len(noise))]
    return noise


def make_demo(scale: int = 1, seed: int = 20220224) -> dict[int, pd.DataFrame]:
    """Return the demo waves as frames keyed by wave number (delivered form, before cleaning)."""
    if scale < 1:
        raise ValueError("scale must be a positive whole number")
    rng = np.random.default_rng(seed)
    persons = _persons(rng, scale)
    waves = {}
    for wave in FIELD:
        rows = _wave_rows(persons, wave, rng)
        delivered = pd.concat([rows, _noise(rows, wave, rng, 1)], ignore_index=True)
        waves[wave] = delivered.sample(frac=1.0, random_state=rng.integers(2**31)).reset_index(
            drop=True)
    return waves


def write_demo(out_dir: Path, scale: int = 1, seed: int = 20220224) -> list[Path]:
    """Write ``wave-<n>.parquet`` files into ``out_dir``; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for wave, frame in make_demo(scale, seed).items():
        path = out_dir / f"wave-{wave}.parquet"
        tmp = path.with_suffix(".parquet.tmp")
        frame.to_parquet(tmp, index=False)
        tmp.replace(path)
        written.append(path)
    return written
