"""The synthetic demo panel: three waves with the panel structure of the real study.

Seeded and deterministic. The data are invented: no respondent of the real survey is in them.

Design
------
* **Sizes.** ``SEGMENTS`` gives respondents by the set of waves they answered, so that after
  cleaning the waves hold 1,680 / 2,176 / 9,655 respondents, 611 are in waves 1 and 2, 1,465 in
  waves 2 and 3, 470 in all three and 10,871 are unique (questionnaire.md §3). ``scale`` K
  multiplies every segment. Each wave also carries rows that the cleaning rules must remove
  (``NOISE``).
* **Variables.** Every non-derived variable of ``data/codebook.yml`` except the optional
  ``weight`` (the reports are unweighted), each only in the waves that asked it, with valid
  codes, a little item non-response (NaN) and, where "hard to say" is allowed, some 98s.
  Skip logic: return reasons only for returnees in wave 2; items about life in the host country
  are missing for respondents answering from Russia; ``_pre`` items, background and pre-war
  items carry the same answer for a person in every wave.
* **People.** Each person has stable traits (background) and latent dispositions (trust,
  civic engagement, ties to Russia, integration, mood, fear, wealth, exposure to
  discrimination). An attitude is a person-level score (dispositions plus an item effect) plus
  wave noise, so answers persist within a person and panel changes look like real panels.
* **Calibration.** An item's score is cut into codes by *cells*: a list of (sample, shares)
  worked through in order; each cell fixes the shares of the rows not yet coded so that the
  whole sample gets the given shares (the rows coded by earlier cells count towards it). The
  cells are the samples the reports print a figure for (``panel_1_2``, ``panel_1_2_3``,
  ``panel_2_3``, returnees, countries, departure cohorts, ...), so the demo reproduces the
  published figures of ``published_figures.csv`` where they agree with each other, and lands
  between them where they conflict (``CONFLICTS``). Within a cell, who gets which code follows
  the score, so structure that no figure fixes (country differences, returnees' attachment,
  men's fear of the draft) comes from score shifts.
* **A fourth wave** (``new_wave``, ``wavebook demo --new-wave``): spring 2024, asking what
  wave 3 asked. Half of wave 3's respondents answer again (``RETAINED``), ``ENTRANTS`` new
  people join (a few of them in Namibia, ``NA``), and some answers move a few points from
  wave 3 (``NEW_SHIFTS``; more returnees, fewer Russian employers), so that a book of wave 4
  shows change. It draws from random streams of its own: waves 1-3 stay the same, byte for
  byte, with or without it. It is written as CSV, the form a delivery often takes.
* **Scale.** Everything is vectorised over respondents; ``make_demo(scale=104)`` (a wave 3 of
  about a million rows) takes about 20 s and 1.7 GB on the 2-core reference machine.

:func:`write_demo` writes parquet files and, on request, a wave as an SPSS ``.sav`` file with
platform-style variable names (``Q12``, ``Q20_3``), numeric codes with value labels and "hard
to say" as 99, together with the ``mapping`` block that registers it in ``data/waves.yml``.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from wavebook.clean import MOBILIZATION, TECHNICAL, WAR_START

if TYPE_CHECKING:
    from wavebook.codebook import Codebook

DEFAULT_SEED = 20220224

# fmt: off
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
# Wave 2 re-invited the wave 1 panel for its first 14 days; the open link followed (§1).
PANEL_ONLY_DAYS = {2: 13}
# The fourth wave of `wavebook demo --new-wave` (registered by hand, as a delivery would be).
# Its people, membership and answers come from random streams of its own (see make_demo).
NEW_WAVE = 4
NEW_LABEL = "Wave 4 (spring 2024)"
NEW_FIELD = ("2024-03-15", "2024-05-15")
ASKED_AS = 3  # wave 4 repeats wave 3's questionnaire
RETAINED = 0.5  # share of wave 3's respondents who answer wave 4
ENTRANTS = 2600  # new respondents in wave 4
IN_NAMIBIA = 3  # of the entrants, living in Namibia (country code NA): CSV readers must keep it
# Share points moved from the first code to the last (negative: the other way) against wave 3,
# in every calibration cell: more trust in people, less in host governments, more
# discrimination and fear of the host state, more attachment to it and language learning,
# less optimism, incomes recovering a little.
NEW_SHIFTS = {"trust_general": 0.06, "trust_host_gov": -0.05, "discr_institutional": 0.05,
              "discr_interpersonal": 0.04, "fear_repr_host": 0.05, "attach_host": 0.05,
              "lang_learning": 0.06, "optimism_own_life": -0.06, "income_cat": 0.04}
# Countries of residence of people who left before and after the mobilization announcement.
COUNTRIES = {"GE": 0.24, "AM": 0.12, "TR": 0.11, "KZ": 0.08, "RS": 0.08, "DE": 0.08, "IL": 0.06,
             "AE": 0.04, "ME": 0.04, "KG": 0.02, "US": 0.03, "FR": 0.02, "FI": 0.02, "PL": 0.02,
             "UZ": 0.01, "CY": 0.01, "ES": 0.01, "NL": 0.01}
COUNTRIES_POST = {"KZ": 0.22, "GE": 0.18, "AM": 0.1, "TR": 0.08, "RS": 0.08, "KG": 0.06,
                  "DE": 0.05, "UZ": 0.04, "IL": 0.04, "AE": 0.04, "ME": 0.03, "MN": 0.03,
                  "US": 0.02, "FI": 0.01, "PL": 0.01, "FR": 0.01}
# A long tail (the study reached more than 100 countries): each gets a few respondents.
TAIL_COUNTRIES = (
    "AT", "BE", "BG", "CH", "CZ", "DK", "EE", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV",
    "MT", "NO", "PT", "RO", "SE", "SI", "SK", "GB", "IS", "MD", "MK", "BA", "AL", "AZ", "BY",
    "TJ", "TM", "CN", "JP", "KR", "VN", "TH", "KH", "LA", "MY", "SG", "ID", "PH", "IN", "LK",
    "NP", "MV", "BD", "AU", "NZ", "CA", "MX", "AR", "BR", "CL", "CO", "PE", "UY", "EC", "CR",
    "PA", "DO", "CU", "BO", "PY", "VE", "EG", "MA", "TN", "ZA", "KE", "TZ", "NA", "MU", "SC",
    "QA", "OM", "BH", "KW", "SA", "JO", "LB", "MC", "LI", "AD", "SM", "GI", "MO", "HK", "TW",
    "FJ", "BS", "BB", "JM", "GT", "HN", "SV", "NI", "BZ", "CV",
)
TAIL_SHARE = 0.035
IN_RUSSIA = "RU"
# Shares of extra rows per wave that each cleaning rule must catch.
NOISE = {"before_war": 0.02, "not_left": 0.012, "partial": 0.05, "duplicate": 0.01,
         "speeder": 0.015}
# Returnees: in Russia at wave 2 among the panel abroad at wave 1 (16%, SixMonths), and in
# Russia at wave 3 (4) among earlier respondents abroad at wave 2 (3).
RETURN_RATE = {2: 0.16, 3: 0.06, NEW_WAVE: 0.08}
# Which wave-2 returnees are still in Russia at wave 3: most "temporary" ones have left again.
STILL_BACK = {True: 0.25, False: 0.85}
MOVE_RATE = 0.10  # panelists abroad who live in another country than at their previous wave
TRAITS = ("trust", "civic", "ru", "integ", "mood", "fear", "wealth", "discr")
# fmt: on

# Where the reports disagree with themselves (questionnaire.md §8), and what the demo does.
# fmt: off
CONFLICTS = {
    "trust_general W1": "46% (panel_1_2) vs 55% (panel_1_2_3): demo 48.5% and 52.5%, "
                        "so W1->W2 is +12.5 (printed 14) and W1->W3 +17 (printed 15)",
    "trust_general W3": "70% vs 69% (panel_1_2_3): demo 69.5%",
    "trust_host_gov W1": "66% vs 65% (panel_1_2_3): demo 65.5%",
    "optimism_own_life W1": "better 12% (panel_1_2) vs 23% (panel_1_2_3): demo 16% and 19% "
                            "(no split of the 470 inside the 611 reaches both)",
    "optimism_russia W1": "6% (panel_1_2) vs 9% (panel_1_2_3): demo 7.5% and 8%",
    "optimism_russia W3": "13% vs 14% (panel_1_2_3): demo 13.5%",
    "civ_help_ukr_refugees W1": "37% (panel_1_2) vs 34% (panel_1_2_3): demo 36% and 35%",
    "civ_help_ru_migrants W1": "the 'initial 38%' is taken as W1",
    "pol_rally W1-W3": "'almost unchanged at 23%' vs 'a dip in W2, then 29%': demo 25 / 22 / 29 "
                       "in panel_1_2_3, 24 / 23 in panel_1_2",
    "discr_any W3": "24% vs 25%: demo 24%",
    "discr_interpersonal W3": "Georgia 24% and 7-11% in the other popular countries imply more "
                              "than the printed 8% overall: demo keeps the countries (about 9%)",
    "civpol_any pooled": "pre - post gap 9 pp (text, 73 - 64) vs 6 pp (key points): demo keeps "
                         "the levels (about 73 and 63)",
    "fear_repr_russia W3": "78% vs 'up to 80%' (panel_2_3): demo 78%",
    "rights_stability W3": "'precarity 56%' has no cut that fits 'stable 41%': demo gives 41%",
}
# fmt: on


# --- item specifications -----------------------------------------------------------------------
Cells = tuple[tuple[str, tuple[float, ...]], ...]


@dataclass(frozen=True)
class Item:
    """How one variable is generated.

    ``codes`` are in score order (the lowest scores get the first code); ``targets`` maps a
    wave (0 = once per person, carried into every wave) to its calibration cells: selectors
    (:meth:`_Ctx.mask`) with the shares of the codes among valid answers, "hard to say" (98)
    being the remainder when ``hard``. The score is ``traits`` (loadings on the person's
    dispositions) + an item effect of the person (``person_sd``) + wave noise (``wave_sd``)
    + ``shift`` (by selector).
    """

    name: str
    codes: tuple[int | str, ...]
    targets: dict[int, Cells]
    traits: dict[str, float] = field(default_factory=dict)
    hard: bool = False
    person_sd: float = 0.6
    wave_sd: float = 0.6
    shift: dict[str, float] = field(default_factory=dict)
    abroad_only: tuple[int, ...] = ()  # waves where it is missing for those in Russia
    asked: str = "all"  # the rows the question is put to
    missing: float = 0.015  # item non-response
    question: str | None = None  # the options of one checklist are skipped together

    @property
    def waves(self) -> tuple[int, ...]:
        return (1, 2, 3) if 0 in self.targets else tuple(sorted(self.targets))

    @property
    def nominal(self) -> bool:
        return isinstance(self.codes[0], str)


ALL = (1, 2, 3)
B = (0, 1)
L3, L4, L5, L6 = (1, 2, 3), (1, 2, 3, 4), (1, 2, 3, 4, 5), (1, 2, 3, 4, 5, 6)


def _on(selector: str, share: float) -> tuple[str, tuple[float, float]]:
    """A cell of an option or a 0/1 item: ``share`` answer 1."""
    return (selector, (1.0 - share, share))


def _everywhere(cells: Cells) -> dict[int, Cells]:
    return {1: cells, 2: cells, 3: cells}


def _checklist(
    question: str, traits: dict[str, float], shift: dict[str, float], **items: dict[int, Cells]
) -> list[Item]:
    return [
        Item(name, B, targets, traits=traits, question=question, person_sd=0.5, shift=shift)
        for name, targets in items.items()
    ]


# The item tables are kept as tables (one item, one cell list per line where possible).
# fmt: off
# Asked once (at entry) and carried into every wave.
PERSON_ITEMS: list[Item] = [
    Item("gender", ("female", "male"), {0: (("post", (0.405, 0.595)),
                                            ("pre", (0.505, 0.495)))}, missing=0.0),
    Item("education", L3, {0: (("all", (0.23, 0.62, 0.15)),)}, traits={"wealth": 0.3},
         missing=0.005),
    Item("city_size", ("town_village", "smaller_city", "city_1m", "st_petersburg", "moscow"),
         {0: (("post", (0.07, 0.19, 0.2, 0.18, 0.36)), ("all", (0.05, 0.15, 0.18, 0.2, 0.42)))},
         traits={"wealth": 0.3}, missing=0.005),
    Item("marital_status", ("married_partnered", "single", "divorced", "widowed"),
         {0: (("all", (0.52, 0.38, 0.09, 0.01)),)}, missing=0.005),
    Item("has_children", B, {0: (_on("all", 0.38),)}, missing=0.005),
    Item("income_cat_pre", L6, {0: (("post", (0.03, 0.07, 0.24, 0.51, 0.11, 0.04)),
                                    ("all", (0.02, 0.05, 0.2, 0.53, 0.15, 0.05)))},
         traits={"wealth": 1.0}, person_sd=0.3, missing=0.01),
    Item("employment_type_pre", ("ru_company", "intl_company", "freelance", "own_business",
                                 "unemployed", "student", "other", "local_company"),
         {0: (("all", (0.41, 0.17, 0.14, 0.1, 0.04, 0.08, 0.06, 0.0)),)}, missing=0.01),
    *[Item(name, B, {0: (_on("all", share),)}, traits={"civic": 0.8}, person_sd=0.6,
           question="prewar_activism", missing=0.01)
      for name, share in [("prewar_activism_rally", 0.4), ("prewar_activism_donate", 0.55),
                          ("prewar_activism_petition", 0.68), ("prewar_activism_posts", 0.5),
                          ("prewar_activism_volunteer", 0.25)]],
    *[Item(name, B, {0: (_on("all", share),)}, traits={"civic": 0.5}, person_sd=0.8,
           question="repression_experienced", missing=0.01)
      for name, share in [("repression_experienced_pressure", 0.31),
                          ("repression_experienced_job_loss", 0.07),
                          ("repression_experienced_detention", 0.12),
                          ("repression_experienced_prison", 0.01),
                          ("repression_experienced_other", 0.08)]],
]

_RECENT = {"civic": 1.0}
WAVE_ITEMS: list[Item] = [
    # --- C. income now (returnees better off; "every second" of the better-off fell to 1-2)
    Item("income_cat", L6, {
        2: (("ru", (0.03, 0.12, 0.22, 0.33, 0.22, 0.08)),
            ("p12&pre4", (0.1, 0.4, 0.2, 0.2, 0.08, 0.02)),
            ("p12", (0.13, 0.39, 0.2, 0.18, 0.08, 0.02)),
            ("all", (0.12, 0.36, 0.22, 0.19, 0.08, 0.03))),
        3: (("p23&inc2", (0.08, 0.42, 0.25, 0.17, 0.06, 0.02)),
            ("p23", (0.07, 0.28, 0.26, 0.25, 0.1, 0.04)),
            ("all", (0.06, 0.24, 0.26, 0.28, 0.12, 0.04)))},
        traits={"wealth": 0.8}, person_sd=0.3, wave_sd=0.5, shift={"post": -0.45}),
    # --- D. trust
    Item("trust_general", B, {
        1: (("p123", (0.445, 0.525)), ("p12", (0.485, 0.485)), ("all", (0.5, 0.46))),
        2: (("p123", (0.33, 0.64)), ("p12", (0.36, 0.61)), ("all", (0.37, 0.6))),
        3: (("p123", (0.275, 0.695)), ("all", (0.36, 0.61)))},
        traits={"trust": 0.8}, hard=True, person_sd=0.5, wave_sd=0.55),
    Item("trust_russians_abroad", L4, {
        1: (("p123", (0.005, 0.01, 0.4, 0.575)), ("all", (0.01, 0.015, 0.42, 0.545))),
        2: (("p123", (0.01, 0.025, 0.45, 0.5)), ("all", (0.015, 0.035, 0.47, 0.465))),
        3: (("p123", (0.015, 0.04, 0.5, 0.43)), ("all", (0.02, 0.05, 0.51, 0.4)))},
        traits={"trust": 0.5, "ru": 0.2}, hard=True),
    Item("trust_russians_in_russia", L4, {
        1: (("p123", (0.13, 0.33, 0.38, 0.12)), ("p12", (0.13, 0.33, 0.38, 0.12)),
            ("all", (0.13, 0.33, 0.38, 0.12))),
        2: (("p123", (0.11, 0.29, 0.42, 0.14)), ("p12", (0.1, 0.29, 0.43, 0.14)),
            ("all", (0.11, 0.3, 0.42, 0.13))),
        3: (("p123", (0.13, 0.33, 0.38, 0.12)), ("all", (0.13, 0.33, 0.38, 0.12)))},
        traits={"trust": 0.4, "ru": 0.6}, hard=True, shift={"ru": 0.5}),
    Item("trust_locals", L4, {
        1: (("all", (0.03, 0.12, 0.55, 0.24)),),
        2: (("all", (0.03, 0.11, 0.56, 0.26)),),
        3: (("p123", (0.02, 0.09, 0.56, 0.3)), ("all", (0.03, 0.11, 0.56, 0.26)))},
        traits={"trust": 0.5, "integ": 0.5}, hard=True, abroad_only=ALL,
        shift={"c:TR|KZ": -0.3, "c:IL|DE|RS": 0.2}),
    Item("trust_host_gov", L4, {
        1: (("p123", (0.07, 0.22, 0.47, 0.185)), ("p12", (0.07, 0.22, 0.47, 0.18)),
            ("all", (0.07, 0.23, 0.46, 0.18))),
        2: (("p123", (0.1, 0.29, 0.43, 0.13)), ("p12", (0.11, 0.3, 0.42, 0.13)),
            ("all", (0.11, 0.31, 0.41, 0.12))),
        3: (("p123", (0.13, 0.3, 0.41, 0.12)), ("all", (0.14, 0.31, 0.4, 0.1)))},
        traits={"trust": 0.4, "integ": 0.3}, hard=True, abroad_only=ALL,
        shift={"c:IL|DE": 0.5, "c:RS": 0.2, "c:GE|TR": -0.4}),
    Item("trust_ru_president", L3, {3: (("all", (0.93, 0.05, 0.01)),)},
         traits={"civic": -0.4}, hard=True, shift={"ru": 0.5}),
    Item("trust_ru_government", L3, {3: (("all", (0.96, 0.025, 0.005)),)},
         traits={"civic": -0.4}, hard=True, shift={"ru": 0.5}),
    # --- E. discrimination (wave 3 asks two items; discr_any is then either of them)
    Item("discr_any", B, {1: (_on("p12", 0.23), _on("all", 0.23)),
                          2: (_on("p12", 0.2), _on("all", 0.2))},
         traits={"discr": 0.8}, person_sd=0.4, wave_sd=0.7),
    Item("discr_institutional", B, {3: (
        _on("c:TR", 0.23), _on("c:DE", 0.21), _on("c:GE|KZ|RS|AM", 0.16),
        _on("!c:TR|DE|GE|KZ|RS|AM", 0.19), _on("all", 0.18))},
        traits={"discr": 0.6}, person_sd=0.5, abroad_only=ALL),
    Item("discr_interpersonal", B, {3: (
        # the rest of the countries get their own cell: an "all" cell alone would be filled
        # from what is left of the overall 8% after Georgia, i.e. with almost no one
        _on("c:GE", 0.24), _on("c:AM|TR|KZ|RS|DE|IL", 0.08),
        _on("!c:GE|AM|TR|KZ|RS|DE|IL", 0.04), _on("all", 0.06))},
        traits={"discr": 0.6}, person_sd=0.5, abroad_only=ALL),
    Item("fear_discr", L4, {1: (("all", (0.3, 0.32, 0.24, 0.11)),),
                            2: (("all", (0.29, 0.31, 0.26, 0.12)),),
                            3: (("all", (0.28, 0.29, 0.27, 0.14)),)},
         traits={"fear": 0.5, "discr": 0.4}, hard=True, abroad_only=(3,)),
    # --- F, G. what one did in the reference period (one checklist)
    *_checklist(
        "recent_activities", _RECENT, {"post": -0.1},
        civ_volunteer={1: (_on("p123", 0.16), _on("p12", 0.16), _on("all", 0.15)),
                       2: (_on("p12", 0.22), _on("all", 0.21)),
                       3: (_on("p123", 0.16), _on("all", 0.15))},
        civ_help_ukr_refugees={1: (_on("p123", 0.35), _on("p12", 0.36), _on("all", 0.35)),
                               2: (_on("p12", 0.47), _on("all", 0.45)),
                               3: (_on("p123", 0.38), _on("all", 0.36))},
        civ_help_ru_migrants={1: (_on("p123", 0.38), _on("all", 0.38)),
                              2: (_on("p12", 0.4), _on("all", 0.4)),
                              3: (_on("p123", 0.25), _on("all", 0.37))},
        civ_donate_ru_ngo_media={1: (_on("p123", 0.47), _on("all", 0.46)),
                                 2: (_on("p12", 0.5), _on("all", 0.48)),
                                 3: (_on("p123", 0.3), _on("all", 0.32))},
        civ_donate_local_ngo_media={2: (_on("p123", 0.11), _on("p12", 0.12), _on("all", 0.12)),
                                    3: (_on("p123", 0.08), _on("all", 0.09))},
        pol_digital={1: (_on("p123", 0.84), _on("p12", 0.85), _on("all", 0.85)),
                     2: (_on("p12", 0.5), _on("all", 0.52)),
                     3: (_on("p123", 0.38), _on("all", 0.42))},
        pol_rally={1: (_on("p123", 0.25), _on("p12", 0.24), _on("all", 0.24)),
                   2: (_on("p123", 0.22), _on("p12", 0.23), _on("all", 0.22)),
                   3: (_on("p123", 0.29), _on("all", 0.26))},
    ),
    Item("pol_interest_general", L4, _everywhere((("all", (0.02, 0.06, 0.38, 0.53)),)),
         traits={"civic": 0.6}, hard=True),
    Item("smart_vote_aware", L3, {1: (("all", (0.05, 0.4, 0.55)),)}, traits={"civic": 0.6}),
    Item("vote_duma_2021", ("united_russia", "ldpr", "just_russia", "kprf", "did_not_vote",
                            "new_people", "other_party", "spoiled_ballot", "yabloko"),
         {1: (("all", (0.04, 0.01, 0.03, 0.08, 0.4, 0.07, 0.05, 0.1, 0.22)),)},
         traits={"civic": 0.5}, missing=0.03),
    # --- H. outlook
    Item("optimism_own_life", L5, {
        1: (("p123", (0.12, 0.24, 0.4, 0.16, 0.03)), ("p12", (0.12, 0.25, 0.41, 0.13, 0.03)),
            ("all", (0.12, 0.25, 0.42, 0.14, 0.02))),
        2: (("p12", (0.05, 0.1, 0.51, 0.25, 0.05)), ("all", (0.05, 0.11, 0.5, 0.25, 0.05))),
        3: (("p123", (0.01, 0.04, 0.15, 0.46, 0.3)), ("all", (0.02, 0.05, 0.2, 0.43, 0.27)))},
        traits={"mood": 0.6}, hard=True),
    Item("optimism_russia", L5, {
        1: (("p123", (0.22, 0.3, 0.33, 0.06, 0.02)), ("p12", (0.22, 0.3, 0.335, 0.055, 0.02)),
            ("all", (0.22, 0.3, 0.34, 0.055, 0.02))),
        2: (("p12", (0.12, 0.23, 0.51, 0.05, 0.02)), ("all", (0.12, 0.23, 0.51, 0.05, 0.02))),
        3: (("p123", (0.12, 0.25, 0.43, 0.1, 0.035)), ("all", (0.13, 0.26, 0.44, 0.09, 0.03)))},
        traits={"mood": 0.3, "civic": 0.1}, hard=True),
    # --- I. ties with Russia (returnees more attached: SixMonths means 3.42 vs 3.15)
    Item("attach_russia", L5, {
        2: (("ru", (0.06, 0.14, 0.24, 0.3, 0.24)), ("p12&!ru", (0.14, 0.18, 0.22, 0.28, 0.16)),
            ("all", (0.13, 0.2, 0.17, 0.29, 0.19))),
        3: (("p123", (0.15, 0.21, 0.19, 0.27, 0.16)), ("all", (0.15, 0.21, 0.2, 0.26, 0.16)))},
        traits={"ru": 0.8}, hard=True),
    Item("interest_politics_russia", L4, _everywhere(
        (("p123", (0.01, 0.04, 0.3, 0.64)), ("all", (0.01, 0.04, 0.3, 0.64)))),
        traits={"civic": 0.6}, hard=True),
    Item("talk_relatives_freq", L4, {
        2: (("p123", (0.01, 0.08, 0.38, 0.53)), ("all", (0.02, 0.11, 0.37, 0.5))),
        3: (("p123", (0.02, 0.09, 0.41, 0.48)), ("all", (0.02, 0.1, 0.4, 0.48)))},
        traits={"ru": 0.6}),
    Item("discuss_politics_relatives", L5, {
        2: (("p123", (0.04, 0.12, 0.28, 0.36, 0.2)), ("all", (0.04, 0.12, 0.29, 0.35, 0.2))),
        3: (("p123", (0.05, 0.15, 0.3, 0.34, 0.16)), ("all", (0.05, 0.14, 0.3, 0.35, 0.16)))},
        traits={"ru": 0.4, "civic": 0.4}),
    # --- J. integration
    Item("attach_host", L5, {2: (("all", (0.2, 0.23, 0.29, 0.17, 0.08)),),
                             3: (("all", (0.16, 0.21, 0.31, 0.21, 0.09)),)},
         traits={"integ": 0.8}, hard=True, abroad_only=ALL),
    Item("interest_politics_local", L4, {
        2: (("p123", (0.1, 0.24, 0.42, 0.22)), ("all", (0.13, 0.26, 0.4, 0.19))),
        3: (("p123", (0.09, 0.22, 0.44, 0.23)), ("all", (0.11, 0.25, 0.42, 0.2)))},
        traits={"integ": 0.5, "civic": 0.3}, hard=True, abroad_only=ALL),
    Item("lang_learning", ("not_learning", "stopped", "irregular", "intensive", "fluent"), {
        3: (("p23&learner2", (0.06, 0.05, 0.46, 0.27, 0.16)),
            ("p23", (0.365, 0.12, 0.26, 0.165, 0.09)),
            ("all", (0.38, 0.12, 0.26, 0.15, 0.09)))},
        traits={"integ": 0.7}, abroad_only=ALL),
    Item("lang_learning_intent", B, {1: (_on("all", 0.6),)}, traits={"integ": 0.7},
         abroad_only=ALL),
    Item("lang_learning_current", B, {2: (_on("all", 0.48),)}, traits={"integ": 0.7},
         abroad_only=ALL),
    Item("time_with_russians", L4, {2: (("all", (0.08, 0.34, 0.42, 0.16)),)},
         traits={"integ": -0.5, "ru": 0.3}, abroad_only=ALL),
    Item("time_with_locals", L4, {2: (("all", (0.33, 0.34, 0.25, 0.08)),)},
         traits={"integ": 0.7}, abroad_only=ALL),
    Item("stay_likelihood", L5, {2: (("all", (0.05, 0.07, 0.15, 0.35, 0.35)),)},
         traits={"integ": 0.6, "ru": -0.3}, hard=True, abroad_only=ALL),
    Item("stay_likelihood_3m", B, {1: (("all", (0.47, 0.43)),)}, traits={"integ": 0.5},
         hard=True, abroad_only=ALL),
    Item("rights_stability", L5, {3: (
        ("c:IL", (0.06, 0.1, 0.15, 0.34, 0.33)), ("c:RS", (0.09, 0.14, 0.2, 0.3, 0.25)),
        ("c:DE", (0.09, 0.15, 0.21, 0.3, 0.23)), ("c:GE", (0.33, 0.28, 0.18, 0.12, 0.07)),
        ("c:TR", (0.36, 0.29, 0.17, 0.1, 0.06)), ("all", (0.17, 0.22, 0.18, 0.24, 0.17)))},
        traits={"integ": 0.3}, hard=True, abroad_only=ALL,
        shift={"c:KZ|AM|KG|UZ": -0.3, "c:US|FR|FI|PL|ES|NL|CY": 0.4}),
    # --- K. why returnees came back (returnees in wave 2 only; several could be ticked)
    # those back for good give the other reasons: "temporary" loads against them
    *[Item(name, B, {2: (_on("ru", share), _on("all", share))}, traits=traits, asked="ru",
           question="return_reason", missing=0.0, person_sd=0.3, wave_sd=0.3)
      for name, share, traits in [
          ("return_reason_temporary", 0.66,
           {"integ": 0.7, "wealth": 0.5, "fear": 0.5, "ru": -0.6}),
          ("return_reason_disliked_host", 0.26, {"integ": -0.7}),
          ("return_reason_financial", 0.2, {"wealth": -0.7}),
          ("return_reason_fears_unfounded", 0.2, {"fear": -0.6}),
          ("return_reason_missed_russia", 0.17, {"ru": 0.7}),
          ("return_reason_language", 0.06, {"integ": -0.5}),
          ("return_reason_other", 0.04, {})]],  # and whoever ticked nothing else
    # --- L. well-being
    Item("life_satisfaction", L5, {2: (("all", (0.06, 0.14, 0.28, 0.4, 0.12)),)},
         traits={"mood": 0.8}),
    Item("feel_depressed", L4, {2: (("all", (0.14, 0.47, 0.3, 0.09)),)}, traits={"mood": -0.8}),
    Item("feel_sad", L4, {2: (("all", (0.07, 0.38, 0.42, 0.13)),)}, traits={"mood": -0.8}),
    Item("feel_happy", L4, {2: (("all", (0.14, 0.5, 0.34, 0.02)),)}, traits={"mood": 0.8}),
    # --- M. fears
    Item("fear_repr_russia", L4, {
        2: (("p23", (0.12, 0.25, 0.38, 0.23)), ("all", (0.12, 0.26, 0.38, 0.22))),
        3: (("p23", (0.05, 0.15, 0.44, 0.34)),
            *((f"c:{c}", (0.07, 0.18, 0.42, 0.31)) for c in ("KZ", "TR", "AM", "GE", "DE")),
            ("c:RS", (0.09, 0.24, 0.4, 0.25)), ("all", (0.07, 0.19, 0.42, 0.3)))},
        traits={"fear": 0.6, "civic": 0.3}, hard=True, abroad_only=ALL),
    Item("fear_repr_host", L4, {3: (
        ("c:KZ", (0.15, 0.28, 0.35, 0.2)), ("c:GE", (0.3, 0.35, 0.22, 0.11)),
        ("c:TR", (0.3, 0.35, 0.22, 0.11)),
        ("all", (0.35, 0.33, 0.2, 0.1)))},
        traits={"fear": 0.6}, hard=True, abroad_only=ALL, shift={"post": 0.15}),
    Item("fear_draft", B, {
        1: (("all", (0.55, 0.39)),),
        2: (("all", (0.54, 0.4)),),
        3: (("entrant&post", (0.37, 0.57)), ("entrant&pre", (0.55, 0.39)),
            ("all", (0.52, 0.42)))},
        traits={"fear": 0.3}, hard=True, shift={"male": 1.2, "young": 0.3}),
    # --- N. values
    Item("ga_men_better_execs", L4, {3: (("all", (0.55, 0.37, 0.04, 0.01)),)}, hard=True,
         shift={"male": 0.4}),
    Item("ga_men_jobs_priority", L5, {3: (("all", (0.62, 0.31, 0.03, 0.015, 0.005)),)},
         hard=True, shift={"male": 0.4}),
    # --- O. plans at wave 1
    Item("plans_return_russia", L5, {1: (("all", (0.45, 0.35, 0.08, 0.07, 0.05)),)},
         traits={"ru": 0.8}),
    Item("plans_uncertain", B, {1: (("all", (0.45, 0.55)),)}, traits={"mood": -0.3}),
]
ITEMS = {item.name: item for item in [*PERSON_ITEMS, *WAVE_ITEMS]}
RETURN_REASONS = [i.name for i in WAVE_ITEMS if i.question == "return_reason"]


def _moved(shares: tuple[float, ...], delta: float) -> tuple[float, ...]:
    """``shares`` with ``delta`` moved from the first code to the last (back if negative)."""
    out = list(shares)
    step = min(delta, out[0]) if delta >= 0 else -min(-delta, out[-1])
    out[0] -= step
    out[-1] += step
    return tuple(out)


def _asked_again(item: Item) -> Item:
    """``item`` as the new wave asks it: wave 3's cells, moved by ``NEW_SHIFTS``."""
    delta = NEW_SHIFTS.get(item.name, 0.0)
    cells = tuple((expr, _moved(shares, delta)) for expr, shares in item.targets[ASKED_AS])
    abroad = (NEW_WAVE,) if ASKED_AS in item.abroad_only else ()
    return replace(item, targets={NEW_WAVE: cells}, abroad_only=abroad)


NEW_ITEMS = [_asked_again(item) for item in WAVE_ITEMS if ASKED_AS in item.targets]

# Variables made by dedicated code (not by score cells), with the waves that carry them.
SPECIAL = {"country_residence": (1, 2, 3), "plans_stay_leave": (1, 2, 3), "age": (1, 2, 3),
           "employment_type": (1, 2, 3), "discr_any": (1, 2, 3)}
# Columns in the order of data/codebook.yml.
ORDER = (
    "departure_date", "country_residence", "plans_stay_leave", "age", "gender", "education",
    "city_size", "marital_status", "has_children", "income_cat", "income_cat_pre",
    "employment_type", "employment_type_pre", "trust_general", "trust_russians_abroad",
    "trust_russians_in_russia", "trust_locals", "trust_host_gov", "trust_ru_president",
    "trust_ru_government", "discr_any", "discr_institutional", "discr_interpersonal",
    "fear_discr", "civ_volunteer", "civ_help_ukr_refugees", "civ_help_ru_migrants",
    "civ_donate_ru_ngo_media", "civ_donate_local_ngo_media", "pol_digital", "pol_rally",
    "prewar_activism_rally", "prewar_activism_donate", "prewar_activism_petition",
    "prewar_activism_posts", "prewar_activism_volunteer", "pol_interest_general",
    "smart_vote_aware", "vote_duma_2021", "repression_experienced_pressure",
    "repression_experienced_job_loss", "repression_experienced_detention",
    "repression_experienced_prison", "repression_experienced_other", "optimism_own_life",
    "optimism_russia", "attach_russia", "interest_politics_russia", "talk_relatives_freq",
    "discuss_politics_relatives", "attach_host", "interest_politics_local", "lang_learning",
    "lang_learning_intent", "lang_learning_current", "time_with_russians", "time_with_locals",
    "stay_likelihood", "stay_likelihood_3m", "rights_stability", "return_reason_temporary",
    "return_reason_disliked_host", "return_reason_financial", "return_reason_fears_unfounded",
    "return_reason_missed_russia", "return_reason_language", "return_reason_other",
    "life_satisfaction", "feel_depressed", "feel_sad", "feel_happy", "fear_repr_russia",
    "fear_repr_host", "fear_draft", "ga_men_better_execs", "ga_men_jobs_priority",
    "plans_return_russia", "plans_uncertain",
)
TECHNICAL_COLUMNS = ("resp_id", "wave", "interview_date", "completion", "duration_min")

# Employment now: Russian-company employees leave it over time (41% -> 17% -> 13%; of those who
# left by wave 3: 10 / 7 / 6 points of all to international / freelance / local work).
EMPLOYMENT = ("ru_company", "intl_company", "local_company", "freelance", "own_business",
              "unemployed", "student", "other")
SWITCHED = {"ru_company": {1: 0.15, 2: 0.59, 3: 0.68, NEW_WAVE: 0.78},
            "other": {1: 0.05, 2: 0.15, 3: 0.25, NEW_WAVE: 0.3}}
DESTINATION = {
    "ru_company": {"intl_company": 0.36, "local_company": 0.215, "freelance": 0.25,
                   "own_business": 0.05, "unemployed": 0.04, "student": 0.03, "other": 0.055},
    "other": {"intl_company": 0.12, "local_company": 0.25, "freelance": 0.25,
              "own_business": 0.1, "unemployed": 0.1, "student": 0.1, "other": 0.08},
}
STUDY_SPELL = 0.045  # began studying by wave 2 (SixMonths: 5% of the panel)
# (share studying, share out of work) for a spell around wave 2 (SixMonths: 5% and 2%)
SPELLS = {2: (STUDY_SPELL, 0.012), 3: (STUDY_SPELL / 2, 0.006)}
# fmt: on


def waves_of(name: str) -> tuple[int, ...]:
    """The waves of the default demo whose file carries column ``name`` (technical columns:
    all). The new wave carries what wave ``ASKED_AS`` carries."""
    if name in TECHNICAL_COLUMNS or name == "departure_date":
        return (1, 2, 3)
    if name in SPECIAL:
        return SPECIAL[name]
    return ITEMS[name].waves


def _questionnaire(wave: int) -> int:
    """The wave whose questions ``wave`` asks."""
    return ASKED_AS if wave == NEW_WAVE else wave


def _field(wave: int) -> tuple[str, str]:
    return NEW_FIELD if wave == NEW_WAVE else FIELD[wave]


def _items(wave: int) -> list[Item]:
    return NEW_ITEMS if wave == NEW_WAVE else WAVE_ITEMS


# --- random streams and the calibration engine -------------------------------------------------
UNIT = float(np.sqrt(12.0))  # scales a uniform draw on (-0.5, 0.5) to unit variance


def _rng(seed: int, *keys: int) -> np.random.Generator:
    """An independent stream for one purpose, so that results do not depend on call order."""
    return np.random.default_rng([seed, *keys])


def _key(name: str) -> int:
    return zlib.crc32(name.encode())


def _normalised(weights: dict[str, float]) -> np.ndarray:
    values = np.array(list(weights.values()))
    return values / values.sum()


class _Ctx:
    """Flags of the rows being generated, and selectors over them.

    A selector is ``all``, a flag name, ``c:GE|TR`` (country of residence), a term prefixed
    with ``!`` (not), or terms joined by ``&``.
    """

    def __init__(
        self, flags: dict[str, np.ndarray], country: np.ndarray | None, countries: Sequence[str]
    ) -> None:
        self.flags, self.country, self.countries = flags, country, list(countries)
        self.n = len(next(iter(flags.values())))
        self._cache: dict[str, np.ndarray] = {}
        self._traits: dict[str, np.ndarray] = {}

    def trait(self, name: str, people: _People, members: np.ndarray) -> np.ndarray:
        """A disposition of the rows' people (gathered once per wave)."""
        if name not in self._traits:
            self._traits[name] = people.traits[name][members]
        return self._traits[name]

    def mask(self, expr: str) -> np.ndarray:
        if expr not in self._cache:
            result = np.ones(self.n, dtype=bool)
            for term in expr.split("&"):
                negate = term.startswith("!")
                term = term.removeprefix("!")
                if term == "all":
                    got = np.ones(self.n, dtype=bool)
                elif term.startswith("c:"):
                    wanted = [self.countries.index(c) for c in term[2:].split("|")]
                    got = np.isin(self.country, wanted)
                else:
                    got = self.flags[term]
                result &= ~got if negate else got
            self._cache[expr] = result
        return self._cache[expr]


def _round_counts(want: np.ndarray, total: int) -> np.ndarray:
    """Whole counts summing to ``total`` in proportion to ``want`` (largest remainders)."""
    exact = want * total / want.sum()
    counts = np.floor(exact).astype(np.int64)
    short = total - int(counts.sum())
    if short:
        counts[np.argsort(-(exact - counts), kind="stable")[:short]] += 1
    return counts


def _shares(shares: Sequence[float], k: int, hard: bool) -> np.ndarray:
    values = np.asarray(shares, dtype=float)
    if len(values) != k:
        raise ValueError(f"{len(values)} shares for {k} codes")
    if hard:
        return np.append(values, max(0.0, 1.0 - values.sum()))
    return values / values.sum()


def _assign(
    score: np.ndarray,
    tie: np.ndarray,
    valid: np.ndarray,
    cells: Cells,
    ctx: _Ctx,
    k: int,
    hard: bool,
) -> np.ndarray:
    """Code indices (``k`` = 98, -1 = missing) calibrated cell by cell (see module doc)."""
    size = k + 1 if hard else k
    out = np.full(score.size, -1, dtype=np.int16)
    for expr, shares in cells:
        target = _shares(shares, k, hard)
        inside = ctx.mask(expr) & valid
        free = inside & (out < 0)
        n_free = int(free.sum())
        if n_free == 0:
            continue
        have = np.bincount(out[inside & (out >= 0)], minlength=size)
        want = np.clip(target * int(inside.sum()) - have, 0.0, None)
        counts = _round_counts(want if want.sum() > 0 else target, n_free)
        rows = np.flatnonzero(free)
        if hard and counts[k]:
            pick = _smallest(tie[rows], int(counts[k]))
            out[rows[pick]] = k
            rows = np.delete(rows, pick)
        out[rows] = _cut(score[rows], counts[:k])
    if (valid & (out < 0)).any():
        raise RuntimeError("calibration cells must end with 'all'")
    return out


def _smallest(values: np.ndarray, count: int) -> np.ndarray:
    """Positions of the ``count`` smallest values (in no particular order)."""
    if count >= values.size:
        return np.arange(values.size)
    return np.argpartition(values, count - 1)[:count]


def _cut(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Code indices for ``values``: the lowest ``counts[0]`` get 0, the next ``counts[1]`` 1, ...

    Thresholds come from a partial sort (linear time); the counts are exact unless values tie.
    """
    bounds = np.cumsum(counts)[:-1]
    inner = bounds[(bounds > 0) & (bounds < values.size)]
    thresholds = np.full(bounds.size, np.inf)
    if inner.size:
        part = np.partition(values, np.unique(inner) - 1)
        thresholds[(bounds > 0) & (bounds < values.size)] = part[inner - 1]
    thresholds[bounds <= 0] = -np.inf
    codes = np.zeros(values.size, dtype=np.int16)
    for threshold in thresholds:
        codes += values > threshold
    return codes


def _decode(out: np.ndarray, item: Item) -> np.ndarray:
    if item.nominal:
        table = np.array([*item.codes, None], dtype=object)
        return table[np.where(out < 0, len(item.codes), out)]
    table = np.array([*item.codes, 98, np.nan], dtype=float)
    return table[np.where(out < 0, len(item.codes) + 1, out)]


def _generate(
    item: Item, wave: int, ctx: _Ctx, members: np.ndarray, people: _People, seed: int
) -> np.ndarray:
    """One item's answers for the rows of ``ctx`` (``members`` index the people)."""
    n, key, f4 = members.size, _key(item.name), np.float32
    score = np.zeros(n, dtype=f4)
    for trait, loading in item.traits.items():
        score += f4(loading) * ctx.trait(trait, people, members)
    # the item's own person effect and wave noise: uniform with unit variance (cheaper than
    # normal draws, and the codes depend on ranks only)
    if item.person_sd:
        effect = _rng(seed, 11, key).random(people.n, dtype=f4)[members] - f4(0.5)
        score += f4(item.person_sd * UNIT) * effect
    noise = _rng(seed, 12, key, wave)
    score += f4(item.wave_sd * UNIT) * (noise.random(n, dtype=f4) - f4(0.5))
    for expr, delta in item.shift.items():
        score[ctx.mask(expr)] += f4(delta)
    valid = ctx.mask(item.asked).copy()
    if wave in item.abroad_only:
        valid &= ~ctx.flags["ru"]
    skip = _rng(seed, 13, _key(item.question or item.name), wave).random(n, dtype=f4)
    valid &= skip >= item.missing
    out = _assign(
        score, noise.random(n, dtype=f4), valid, item.targets[wave], ctx, len(item.codes), item.hard
    )
    return _decode(out, item)


# --- people ------------------------------------------------------------------------------------
@dataclass
class _People:
    """One entry per synthetic person: membership, stable traits and answers given once."""

    n: int
    first: np.ndarray
    member: dict[int, np.ndarray]
    resp_id: np.ndarray
    departure: np.ndarray
    post: np.ndarray
    age: np.ndarray
    country: np.ndarray  # index into ``countries``: where they live at entry
    countries: list[str]
    traits: dict[str, np.ndarray]
    fixed: dict[str, np.ndarray]
    move_to: np.ndarray  # country after a move
    back_key: np.ndarray  # propensity to return to Russia
    emp_u: np.ndarray  # when the person changes jobs (see SWITCHED)
    emp_dest: dict[str, np.ndarray]  # the job they change to, by their job before leaving
    study_u: np.ndarray


def _countries() -> list[str]:
    names = [IN_RUSSIA, *COUNTRIES, *COUNTRIES_POST, *TAIL_COUNTRIES]
    return list(dict.fromkeys(names))


def _draw_countries(
    rng: np.random.Generator, post: np.ndarray, countries: list[str], tail: bool
) -> np.ndarray:
    index = {c: i for i, c in enumerate(countries)}
    out = np.empty(post.size, dtype=np.int16)
    for mask, weights in ((~post, COUNTRIES), (post, COUNTRIES_POST)):
        codes = np.array([index[c] for c in weights], dtype=np.int16)
        out[mask] = rng.choice(codes, int(mask.sum()), p=_normalised(weights))
    if tail:
        rest = np.flatnonzero(rng.random(post.size) < TAIL_SHARE)
        tail_codes = np.array([index[c] for c in TAIL_COUNTRIES], dtype=np.int16)
        out[rest] = tail_codes[np.arange(rest.size) % tail_codes.size]
    return out


def _departures(rng: np.random.Generator, first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Departure dates: wave 1 entrants left in the first month; later entrants any time before
    their wave, wave 3 entrants 45% after the mobilization announcement."""
    n = first.size
    month = rng.integers(0, 30, n)
    field_start = np.array([0, *(pd.Timestamp(FIELD[w][0]) for w in FIELD)], dtype="M8[D]")
    span = (field_start[first] - np.datetime64(WAR_START.date(), "D")).astype(np.int64) - 3
    pre_span = (MOBILIZATION - WAR_START).days
    days = np.where(
        rng.random(n) < np.where(first == 1, 1.0, 0.55),
        month,
        (rng.random(n) * np.minimum(span, pre_span)).astype(np.int64),
    )
    post = (first == 3) & (rng.random(n) < 0.45)
    late = rng.random(n) < 0.2
    after = np.where(late, 45 + rng.integers(0, 160, n), rng.integers(0, 45, n))
    days = np.where(post, pre_span + after, days)
    departure = np.datetime64(WAR_START.date(), "D") + days.astype("m8[D]")
    return departure, post


def _persons(seed: int, scale: int) -> _People:
    rng = _rng(seed, 1)
    segments = list(SEGMENTS)
    segment = np.repeat(np.arange(len(segments)), [size * scale for size in SEGMENTS.values()])
    n = segment.size
    first = np.array([min(ws) for ws in segments])[segment]
    member = {w: np.array([w in ws for ws in segments])[segment] for w in FIELD}
    number = pd.Series(rng.permutation(n) + 1).astype(str).str.zfill(7)
    resp_id = ("R" + number).to_numpy(dtype=object)
    departure, post = _departures(rng, first)
    age = np.clip(rng.normal(34.2, 9, n).round() - np.where(post, 1, 0), 18, 80)
    countries = _countries()
    traits = {name: rng.standard_normal(n, dtype=np.float32) for name in TRAITS}
    people = _People(
        n=n,
        first=first,
        member=member,
        resp_id=resp_id,
        departure=departure,
        post=post,
        age=age,
        country=_draw_countries(rng, post, countries, tail=True),
        countries=countries,
        traits=traits,
        fixed={},
        **_later_draws(rng, n, post, countries, traits),
    )
    ctx = _Ctx({"post": post, "pre": ~post}, None, countries)
    everyone = np.arange(n)
    for item in PERSON_ITEMS:
        people.fixed[item.name] = _generate(item, 0, ctx, everyone, people, seed)
    return people


def _later_draws(
    rng: np.random.Generator, n: int, post: np.ndarray, countries: list[str], traits: dict
) -> dict:
    """The draws of a person made after their country, in a fixed order (the order is part
    of the seed's output): where a move takes them, the propensity to return, and when and
    where they change jobs."""
    return {
        "move_to": _draw_countries(rng, post, countries, tail=False),
        "back_key": 0.8 * traits["ru"] + 0.3 * traits["wealth"] + 0.6 * rng.standard_normal(n),
        "emp_u": rng.random(n),
        "study_u": rng.random(n),
        "emp_dest": {
            origin: rng.choice(np.array(list(shares), dtype=object), n, p=_normalised(shares))
            for origin, shares in DESTINATION.items()
        },
    }


def _entrant_departures(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Departure dates of the new wave's entrants: 35% before the mobilization, 40% in the six
    weeks after its announcement, the rest later (up to a month before the field period)."""
    war = np.datetime64(WAR_START.date(), "D")
    pre_span = (MOBILIZATION - WAR_START).days
    late_span = (pd.Timestamp(NEW_FIELD[0]) - MOBILIZATION).days - 30 - 45
    kind = rng.choice(3, n, p=[0.35, 0.4, 0.25])
    days = np.select(
        [kind == 0, kind == 1],
        [rng.integers(0, pre_span, n), pre_span + rng.integers(0, 45, n)],
        pre_span + 45 + rng.integers(0, late_span, n),
    )
    return war + days.astype("m8[D]"), kind > 0


def _with_entrants(people: _People, seed: int, scale: int) -> _People:
    """``people`` followed by the new wave's entrants, with the new wave's membership: part of
    wave 3's respondents and every entrant. Drawn from streams that waves 1-3 never use, so
    they are the same with or without the new wave; the person effects of an item
    (:func:`_generate`) extend the same stream, so a retained person keeps theirs."""
    rng = _rng(seed, 40)
    n = ENTRANTS * scale
    departure, post = _entrant_departures(rng, n)
    number = pd.Series(people.n + rng.permutation(n) + 1).astype(str).str.zfill(7)
    traits = {name: rng.standard_normal(n, dtype=np.float32) for name in TRAITS}
    countries = people.countries
    country = _draw_countries(rng, post, countries, tail=True)
    country[: IN_NAMIBIA * scale] = countries.index("NA")
    entrants = _People(
        n=n,
        first=np.full(n, NEW_WAVE),
        member={},
        resp_id=("R" + number).to_numpy(dtype=object),
        departure=departure,
        post=post,
        age=np.clip(rng.normal(33.5, 9, n).round(), 18, 80),
        country=country,
        countries=countries,
        traits=traits,
        fixed={},
        **_later_draws(rng, n, post, countries, traits),
    )
    # answers given once: calibrated among the entrants, with person effects of their own
    entrant_seed = int(_rng(seed, 41).integers(2**62))
    ctx = _Ctx({"post": post, "pre": ~post}, None, countries)
    for item in PERSON_ITEMS:
        entrants.fixed[item.name] = _generate(item, 0, ctx, np.arange(n), entrants, entrant_seed)
    wave3 = np.flatnonzero(people.member[3])
    again = np.zeros(people.n, dtype=bool)
    again[_rng(seed, 42).choice(wave3, round(RETAINED * wave3.size), replace=False)] = True
    member = {w: np.concatenate([m, np.zeros(n, dtype=bool)]) for w, m in people.member.items()}
    member[NEW_WAVE] = np.concatenate([again, np.ones(n, dtype=bool)])

    def joined(old: dict[str, np.ndarray], new: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {key: np.concatenate([old[key], new[key]]) for key in old}

    return _People(
        n=people.n + n,
        first=np.concatenate([people.first, entrants.first]),
        member=member,
        resp_id=np.concatenate([people.resp_id, entrants.resp_id]),
        departure=np.concatenate([people.departure, entrants.departure]),
        post=np.concatenate([people.post, entrants.post]),
        age=np.concatenate([people.age, entrants.age]),
        country=np.concatenate([people.country, entrants.country]),
        countries=countries,
        traits=joined(people.traits, entrants.traits),
        fixed=joined(people.fixed, entrants.fixed),
        move_to=np.concatenate([people.move_to, entrants.move_to]),
        back_key=np.concatenate([people.back_key, entrants.back_key]),
        emp_u=np.concatenate([people.emp_u, entrants.emp_u]),
        study_u=np.concatenate([people.study_u, entrants.study_u]),
        emp_dest=joined(people.emp_dest, entrants.emp_dest),
    )


# --- waves -------------------------------------------------------------------------------------
@dataclass
class _History:
    """What later waves need to know about a person's earlier answers."""

    country: dict[int, np.ndarray]
    temporary: np.ndarray
    income2: np.ndarray
    learner2: np.ndarray

    def extended(self, n: int) -> _History:
        """The same history for ``n`` people, those added having none."""
        more = n - self.temporary.size
        return _History(
            country={
                w: np.concatenate([c, np.full(more, -1, dtype=c.dtype)])
                for w, c in self.country.items()
            },
            temporary=np.concatenate([self.temporary, np.zeros(more, dtype=bool)]),
            income2=np.concatenate([self.income2, np.full(more, np.nan)]),
            learner2=np.concatenate([self.learner2, np.full(more, np.nan)]),
        )


def _residence(
    people: _People, wave: int, members: np.ndarray, history: _History, rng: np.random.Generator
) -> np.ndarray:
    country = people.country[members].copy()
    earlier = people.first[members] < wave
    if wave == 1:
        return country
    before = history.country[wave - 1][members]
    was_back = earlier & (before == 0)
    was_abroad = earlier & (before > 0)
    # earlier respondents live where they lived last time (wave 1 for those who skipped wave 2)
    last = np.where(before >= 0, before, history.country[1][members])
    country = np.where(earlier & (last > 0), last, country).astype(np.int16)
    moved = earlier & (rng.random(members.size) < MOVE_RATE)
    country[moved] = people.move_to[members[moved]]
    candidates = np.flatnonzero(was_abroad if wave >= 3 else earlier)
    k = round(RETURN_RATE[wave] * candidates.size)
    propensity = people.back_key[members[candidates]] + 0.5 * rng.standard_normal(candidates.size)
    back = candidates[np.argsort(-propensity, kind="stable")[:k]]
    country[back] = 0
    if wave >= 3:
        stay_rate = np.where(history.temporary[members], STILL_BACK[True], STILL_BACK[False])
        still = was_back & (rng.random(members.size) < stay_rate)
        country[still] = 0
    return country


def _employment(
    people: _People, members: np.ndarray, wave: int, ctx: _Ctx, rng: np.random.Generator
) -> np.ndarray:
    """Main job now: the job before leaving until the person changes it (Russian-company
    employees leave it in exact shares per wave, earliest leavers first; others at random),
    then the job they change to; plus spells of studying or unemployment around wave 2."""
    pre = people.fixed["employment_type_pre"][members]
    u = people.emp_u[members]
    from_ru = ctx.flags["from_ru"]
    share = SWITCHED["ru_company"][wave]
    left = (share, 1.0 - share)
    cells = ((f"p{''.join(map(str, sorted({1, wave})))}&from_ru", left), ("all", left))
    out = _assign(u, u, from_ru, cells if wave > 1 else cells[1:], ctx, 2, hard=False)
    switched = np.where(from_ru, out == 0, u < SWITCHED["other"][wave])
    dest = np.where(
        from_ru, people.emp_dest["ru_company"][members], people.emp_dest["other"][members]
    )
    now = np.where(switched | pd.isna(pre), dest, pre)
    spell = people.study_u[members]
    working = np.isin(
        now, ["ru_company", "intl_company", "local_company", "freelance", "own_business"]
    )
    if wave in SPELLS:
        student, jobless = SPELLS[wave]
        now[spell < student] = "student"
        now[working & (spell >= STUDY_SPELL) & (spell < STUDY_SPELL + jobless)] = "unemployed"
    now[ctx.flags["ru"] & (now == "local_company")] = "ru_company"
    now[rng.random(members.size) < 0.01] = None
    return now


def _wave_rows(people: _People, wave: int, history: _History, seed: int) -> pd.DataFrame:
    members = np.flatnonzero(people.member[wave])
    n = members.size
    rng = _rng(seed, 20, wave)
    country = _residence(people, wave, members, history, rng)
    in_russia = country == 0
    history.country[wave] = np.full(people.n, -1, dtype=np.int16)
    history.country[wave][members] = country
    first = people.first[members]
    fixed = {name: values[members] for name, values in people.fixed.items()}
    flags = {
        "p12": people.member[1][members] & people.member[2][members],
        "p123": people.member[1][members] & people.member[2][members] & people.member[3][members],
        "p23": people.member[2][members] & people.member[3][members],
        "p13": people.member[1][members] & people.member[3][members],
        "ru": in_russia,
        "post": people.post[members],
        "pre": ~people.post[members],
        "entrant": first == wave,
        "male": fixed["gender"] == "male",
        "young": people.age[members] < 30,
        "pre4": np.nan_to_num(fixed["income_cat_pre"].astype(float)) >= 4,
        "inc2": history.income2[members] == 2,
        "learner2": history.learner2[members] == 1,
        "from_ru": fixed["employment_type_pre"] == "ru_company",
    }
    if wave == NEW_WAVE:  # everyone here answers the new wave
        flags["p14"] = people.member[1][members]
        flags["p34"] = people.member[3][members]
    ctx = _Ctx(flags, country, people.countries)
    start, end = (pd.Timestamp(d) for d in _field(wave))
    days = (end - start).days
    offset = rng.integers(0, days + 1, n)
    if wave in PANEL_ONLY_DAYS:
        cut = PANEL_ONLY_DAYS[wave]
        offset = np.where(first < wave, rng.integers(0, cut + 1, n), rng.integers(cut, days + 1, n))
    values: dict[str, np.ndarray] = {}
    for item in _items(wave):
        if wave in item.targets:
            values[item.name] = _generate(item, wave, ctx, members, people, seed)
    if "discr_institutional" in values:  # wave 3 (and the new wave) ask two items
        either = np.fmax(values["discr_institutional"], values["discr_interpersonal"])
        values["discr_any"] = either
    if wave == 2:  # every returnee gives at least one reason
        ticked = np.nansum([values[name] for name in RETURN_REASONS], axis=0)
        values["return_reason_other"][in_russia & (ticked == 0)] = 1.0
    temporary = (
        values["return_reason_temporary"] == 1
        if wave == 2
        else history.temporary[members] | (rng.random(n) < 0.5)
    )
    values["plans_stay_leave"] = np.where(
        ~in_russia, "abroad", np.where(temporary, "russia_planning", "russia_not_planning")
    )
    values["employment_type"] = _employment(people, members, wave, ctx, rng)
    values["age"] = people.age[members] + (wave - first) // 2
    values.update(fixed)
    if wave == 2:
        history.temporary[members] = temporary & in_russia
        history.income2[members] = values["income_cat"]
        history.learner2[members] = values["lang_learning_current"]
    columns = {
        "resp_id": people.resp_id[members],
        "wave": np.full(n, wave, dtype=np.int64),
        "interview_date": (np.datetime64(start.date(), "D") + offset.astype("m8[D]")).astype(
            "M8[ns]"
        ),
        "completion": np.round(rng.uniform(0.8, 1.0, n), 3),
        # honest respondents take at least ten minutes; only the speeder rows are faster
        "duration_min": np.round(np.maximum(rng.lognormal(np.log(24), 0.35, n), 10.0), 1),
        "departure_date": people.departure[members].astype("M8[ns]"),
        "country_residence": np.array(people.countries, dtype=object)[country],
    }
    for name in ORDER:
        if name in columns:
            continue
        if _questionnaire(wave) in waves_of(name):
            columns[name] = values[name]
    rows = pd.DataFrame(columns, copy=False)
    return _unique_patterns(rows, rng)


def _unique_patterns(rows: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Nudge ages until no two genuine respondents share an answer pattern by chance, so that
    the duplicate rule removes exactly the planted duplicates."""
    answers = [c for c in rows.columns if c not in TECHNICAL]
    for _ in range(20):
        # equal rows hash equally: compare exactly only the rows whose hash repeats
        hashed = pd.util.hash_pandas_object(rows[answers], index=False)
        suspect = np.flatnonzero(hashed.duplicated(keep=False).to_numpy())
        clash = np.zeros(len(rows), dtype=bool)
        clash[suspect] = rows.iloc[suspect].duplicated(subset=answers, keep="first").to_numpy()
        if not clash.any():
            return rows
        rows.loc[clash, "age"] = rows.loc[clash, "age"] + rng.integers(1, 4, int(clash.sum()))
    raise RuntimeError("could not make answer patterns unique")


def _abroad_items(wave: int) -> list[str]:
    return [i.name for i in _items(wave) if wave in i.abroad_only and wave in i.targets]


def _noise(rows: pd.DataFrame, wave: int, rng: np.random.Generator, first_id: int) -> pd.DataFrame:
    """Extra rows for every cleaning rule, with their own identifiers."""
    extra = []
    answers = [
        c
        for c in rows.columns
        if c not in (*TECHNICAL, "country_residence", "departure_date", "plans_stay_leave")
    ]
    # drawn from respondents abroad, so that each planted row is caught by its own rule
    abroad = (rows["country_residence"] != IN_RUSSIA).to_numpy()
    dates = rows["interview_date"].to_numpy()
    for rule, rate in NOISE.items():
        k = max(1, round(rate * len(rows)))
        pick = rows.take(rng.choice(np.flatnonzero(abroad), k, replace=False)).copy()
        if rule == "before_war":
            pick["departure_date"] = pd.Timestamp("2021-06-01") + pd.to_timedelta(
                rng.integers(0, 250, k), unit="D"
            )
        elif rule == "not_left":
            # still in Russia (planning to leave): questions about life abroad are skipped
            pick["country_residence"] = IN_RUSSIA
            pick["plans_stay_leave"] = "russia_planning"
            # either of two skipped items (where the wave asks two)
            derived = ["discr_any"] if "discr_institutional" in pick.columns else []
            skipped = [
                c for c in [*_abroad_items(wave), *derived, *RETURN_REASONS] if c in pick.columns
            ]
            pick.loc[:, skipped] = np.nan
        elif rule == "partial":
            pick["completion"] = np.round(rng.uniform(0.05, 0.45, k), 3)
            late = answers[len(answers) // 2 :]
            pick.loc[:, late] = np.nan  # stopped half-way: the rest is unanswered
        elif rule == "speeder":
            # speeders click through: answers unrelated to the row they were drawn from
            pick["duration_min"] = np.round(rng.uniform(1.0, 4.0, k), 1)
            for column in answers:
                pick[column] = rows[column].take(rng.integers(0, len(rows), k)).to_numpy()
        else:
            # the same answers as an existing respondent, sent again a day later under another
            # identifier (cleaning keeps the earliest submission)
            early = np.flatnonzero(abroad & (dates < dates.max()))
            pick = rows.take(rng.choice(early, k, replace=False)).copy()
            pick["interview_date"] += pd.Timedelta(days=1)
        extra.append(pick)
    noise = pd.concat(extra, ignore_index=True)
    noise["resp_id"] = [f"X{wave}{first_id + i:06d}" for i in range(len(noise))]
    return noise


def _delivered(people: _People, wave: int, history: _History, seed: int) -> pd.DataFrame:
    """One wave as delivered: its respondents and the rows cleaning must remove, shuffled."""
    rows = _wave_rows(people, wave, history, seed)
    rng = _rng(seed, 30, wave)
    noise = _noise(rows, wave, rng, 1)
    order = rng.permutation(len(rows) + len(noise))
    # column by column, so that a large wave is never held three times at once
    columns = {}
    for column in list(rows.columns):
        joined = pd.concat([rows.pop(column), noise.pop(column)], ignore_index=True)
        columns[column] = joined.take(order).reset_index(drop=True)
    return pd.DataFrame(columns, copy=False)


def make_demo(
    scale: int = 1, seed: int = DEFAULT_SEED, new_wave: bool = False
) -> dict[int, pd.DataFrame]:
    """Return the demo waves as frames keyed by wave number (delivered form, before cleaning);
    with ``new_wave``, also wave ``NEW_WAVE`` (waves 1-3 are the same either way)."""
    if scale < 1:
        raise ValueError("scale must be a positive whole number")
    people = _persons(seed, scale)
    history = _History(
        country={},
        temporary=np.zeros(people.n, dtype=bool),
        income2=np.full(people.n, np.nan),
        learner2=np.full(people.n, np.nan),
    )
    waves = {wave: _delivered(people, wave, history, seed) for wave in FIELD}
    if new_wave:
        people = _with_entrants(people, seed, scale)
        history = history.extended(people.n)
        waves[NEW_WAVE] = _delivered(people, NEW_WAVE, history, seed)
    return waves


# --- files -------------------------------------------------------------------------------------
HARD_TO_SAY_RAW = 99
TECHNICAL_RAW = {
    "resp_id": "ResponseId",
    "wave": "Wave",
    "interview_date": "StartDate",
    "completion": "Progress",
    "duration_min": "DurationMin",
    "weight": "Weight",
}
# Kept as text in the export (ISO codes, as the platform's country question delivers them).
TEXT_COLUMNS = ("resp_id", "country_residence")


def raw_names(codebook: Codebook) -> dict[str, str]:
    """Platform-style names of every delivered codebook variable: questions numbered in
    codebook order (``Q7``), the options of a checklist as ``Q<question>_<option>``."""
    names: dict[str, str] = {}
    number, options = 0, {}
    for var in codebook.variables:
        if var.derived:
            continue
        if var.name in TECHNICAL_RAW:
            names[var.name] = TECHNICAL_RAW[var.name]
        elif var.type == "option" and var.question:
            if var.question not in options:
                number += 1
                options[var.question] = [number, 0]
            options[var.question][1] += 1
            names[var.name] = "Q{}_{}".format(*options[var.question])
        else:
            number += 1
            names[var.name] = f"Q{number}"
    return names


def sav_export(frame: pd.DataFrame, codebook: Codebook) -> tuple[pd.DataFrame, dict, dict, dict]:
    """A canonical wave as a platform export would deliver it.

    Returns the raw frame, its value labels and variable labels (for ``pyreadstat``), and the
    ``mapping`` block of ``data/waves.yml`` (schema :class:`wavebook.waves.Mapping`) that maps
    it back onto the codebook.
    """
    names = raw_names(codebook)
    raw, value_labels, column_labels = {}, {}, {}
    mapping: dict[str, dict] = {"columns": {}, "codes": {}}
    for column in frame.columns:
        var, name = codebook[column], names[column]
        series = frame[column]
        mapping["columns"][name] = column
        column_labels[name] = var.label_en
        if var.type == "nominal" and column not in TEXT_COLUMNS:
            number = {c.code: i for i, c in enumerate(var.codes, 1)}
            raw[name] = series.map(number).astype("float64").to_numpy()
            mapping["codes"][column] = {i: c for c, i in number.items()}
            value_labels[name] = {float(i): c.en for i, c in enumerate(var.codes, 1)}
        elif var.type in {"binary", "ordinal"}:
            values = series.to_numpy(dtype="float64")
            labels = {float(c.code): c.en for c in var.codes}
            if var.hard_to_say:
                values = np.where(values == 98, HARD_TO_SAY_RAW, values)
                labels[float(HARD_TO_SAY_RAW)] = "Hard to say"
                mapping["codes"][column] = {HARD_TO_SAY_RAW: 98}
            raw[name] = values
            value_labels[name] = labels
        elif var.type == "option":
            raw[name] = series.to_numpy(dtype="float64")
            value_labels[name] = {0.0: "Not selected", 1.0: "Selected"}
        else:
            raw[name] = series.to_numpy()
    return pd.DataFrame(raw), value_labels, column_labels, mapping


def write_sav(frame: pd.DataFrame, path: Path, codebook: Codebook) -> dict:
    """Write ``frame`` (canonical) as an SPSS file in platform form; return the mapping."""
    import pyreadstat

    raw, value_labels, column_labels, mapping = sav_export(frame, codebook)
    tmp = path.with_name(path.name + ".tmp")
    pyreadstat.write_sav(
        raw,
        str(tmp),
        column_labels=[column_labels[c] for c in raw.columns],
        variable_value_labels=value_labels,
    )
    tmp.replace(path)
    return mapping


def mapping_yaml(mapping: dict, file: str, wave: int) -> str:
    """The ``mapping`` block as YAML, with a note on how to register the file."""
    import yaml

    head = (
        f"# Registers {file} (synthetic) in data/waves.yml: under wave {wave}, set\n"
        f"# `file: {file}` and paste the `mapping:` block below.\n"
    )
    return head + yaml.safe_dump(
        {"mapping": mapping}, sort_keys=False, allow_unicode=True, width=100
    )


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a canonical wave as a CSV delivery: codes as whole numbers, dates as
    ``YYYY-MM-DD``, a missing answer as an empty field."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype.kind == "f" and bool((values.dropna() % 1 == 0).all()):
            out[column] = values.astype("Int64")
    tmp = path.with_name(path.name + ".tmp")
    out.to_csv(tmp, index=False, date_format="%Y-%m-%d", lineterminator="\n")
    tmp.replace(path)


def new_wave_entry(path: Path, data_dir: Path) -> str:
    """The ``data/waves.yml`` entry that registers the new wave's file ``path``, indented to
    be appended under ``waves:``."""
    start, end = NEW_FIELD
    return (
        f"  - number: {NEW_WAVE}\n"
        f"    label: {NEW_LABEL}\n"
        f"    field_start: {start}\n"
        f"    field_end: {end}\n"
        f"    file: {_registry_path(path, data_dir.resolve())}\n"
        f"    synthetic: true\n"
    )


def _registry_path(path: Path, data_dir: Path) -> str:
    """``path`` as ``data/waves.yml`` names files: relative to ``data/`` where possible."""
    try:
        return path.resolve().relative_to(data_dir).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def write_demo(
    out_dir: Path,
    scale: int = 1,
    seed: int = DEFAULT_SEED,
    sav_waves: Iterable[int] = (),
    codebook_file: Path | None = None,
    new_wave: bool = False,
) -> list[Path]:
    """Write ``wave-<n>.parquet`` files into ``out_dir``; return their paths.

    For each wave in ``sav_waves`` also write ``wave-<n>.sav`` (SPSS, platform-style names and
    codes) and ``wave-<n>.mapping.yml`` (its mapping block for ``data/waves.yml``). With
    ``new_wave``, also write ``wave-4.csv`` (:func:`new_wave_entry` registers it).
    """
    sav_waves = sorted(set(sav_waves))
    unknown = [w for w in sav_waves if w not in FIELD]
    if unknown:
        raise ValueError(f"no demo wave {unknown[0]} (the demo has waves 1-3)")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    codebook, data_dir = None, out_dir
    if sav_waves:
        from wavebook.codebook import load_codebook
        from wavebook.paths import find_root

        codebook_file = codebook_file or find_root() / "data" / "codebook.yml"
        codebook = load_codebook(codebook_file)
        data_dir = codebook_file.resolve().parent
    for wave, frame in make_demo(scale, seed, new_wave).items():
        if wave == NEW_WAVE:  # a delivery as CSV: the form the reader must take as it comes
            path = out_dir / f"wave-{wave}.csv"
            write_csv(frame, path)
        else:
            path = out_dir / f"wave-{wave}.parquet"
            tmp = path.with_suffix(".parquet.tmp")
            frame.to_parquet(tmp, index=False)
            tmp.replace(path)
        written.append(path)
        if wave in sav_waves and codebook is not None:
            sav = out_dir / f"wave-{wave}.sav"
            mapping = write_sav(frame, sav, codebook)
            yml = out_dir / f"wave-{wave}.mapping.yml"
            yml.write_text(
                mapping_yaml(mapping, _registry_path(sav, data_dir), wave), encoding="utf-8"
            )
            written += [sav, yml]
    return written
