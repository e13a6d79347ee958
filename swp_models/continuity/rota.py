"""The 24-hour rota: what one-person night cover asks of each worker (Committee evidence, Q226).

A practice of six to ten could cover nights with one person on duty; a comparable team
member did a night "every two or three weeks". :func:`.nights_on_duty_per_worker`,
:func:`.days_between_duties` and :func:`.team_size_for_rota` give the arithmetic of an equal
rota; :func:`.rota_table` sets it out by team size and :func:`.rota_workload` adds weekend and
holiday days and rest after call-outs (assumptions in ``data/assumptions_continuity.csv``).
"""

from __future__ import annotations

from pathlib import Path

import math
from typing import Sequence

import pandas as pd

from .. import data
from ..validation import check_in_range, check_integer, check_probability, check_sequence, check_size
from .scenario import _EPS, EVIDENCE_TABLE, assumption

__all__ = [
    "MAX_TEAM",
    "days_between_duties",
    "nights_on_duty_per_worker",
    "rota_table",
    "rota_workload",
    "team_size_for_rota",
]

#: The largest team a rota function accepts (a practice has six to ten workers).
MAX_TEAM: int = 10_000

#: The longest gap between one worker's night duties accepted, in weeks (about 20 years).
_MAX_WEEKS_BETWEEN = 1_000.0


def nights_on_duty_per_worker(team_size: int, nights_per_year: int = 365, on_duty: int = 1) -> float:
    """Nights a year each worker spends on duty when a team shares a night rota equally.

    Parameters
    ----------
    team_size : int
        Workers sharing the rota, 1 to :data:`.MAX_TEAM`.
    nights_per_year : int, default 365
        Nights to cover in a year, 1 to 366.
    on_duty : int, default 1
        Workers on duty each night, 1 to ``team_size``.

    Returns
    -------
    float
        Nights on duty per worker per year: ``nights_per_year * on_duty / team_size``.
        A team of 6 with one on duty covers 365 nights at about 61 nights each, a night
        every 6 days.
    """
    team_size = check_size("team_size", team_size, MAX_TEAM)
    nights_per_year = check_integer("nights_per_year", nights_per_year, low=1, high=366)
    on_duty = check_integer("on_duty", on_duty, low=1, high=team_size)
    return nights_per_year * on_duty / team_size


def days_between_duties(team_size: int, on_duty: int = 1) -> float:
    """Average days between one worker's night duties on an equal rota.

    Parameters
    ----------
    team_size : int
        Workers sharing the rota, 1 to :data:`.MAX_TEAM`.
    on_duty : int, default 1
        Workers on duty each night, 1 to ``team_size``.

    Returns
    -------
    float
        ``team_size / on_duty`` days: a team of 6-10 with one on duty means a night every
        6-10 days.
    """
    team_size = check_size("team_size", team_size, MAX_TEAM)
    on_duty = check_integer("on_duty", on_duty, low=1, high=team_size)
    return team_size / on_duty


def team_size_for_rota(weeks_between_duties: float, on_duty: int = 1) -> int:
    """Smallest team in which each worker does a night every ``weeks_between_duties`` weeks.

    Parameters
    ----------
    weeks_between_duties : float
        Weeks from one of a worker's night duties to the next, in (0, 1000].
    on_duty : int, default 1
        Workers on duty each night, 1 to :data:`.MAX_TEAM`.

    Returns
    -------
    int
        ``ceil(7 * weeks_between_duties * on_duty)`` workers: one night every two weeks
        needs 14, every three weeks 21.
    """
    weeks = check_in_range("weeks_between_duties", weeks_between_duties, 0.0, _MAX_WEEKS_BETWEEN, low_open=True)
    on_duty = check_size("on_duty", on_duty, MAX_TEAM)
    exact = 7.0 * weeks * on_duty
    return max(1, int(math.ceil(exact * (1.0 - _EPS))))


def rota_table(team_sizes: Sequence[int] | None = None, on_duty: int = 1, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Night duty on an equal one-person rota for several team sizes (Committee evidence, Q226).

    Parameters
    ----------
    team_sizes : sequence of int, optional
        Teams to show; by default 6 to 10 (the practice sizes in Q226) and the teams that
        give one night every two and every three weeks.
    on_duty : int, default 1
        Workers on duty each night.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``team_size``: ``nights_per_worker`` (nights a year), ``days_between``
        and ``weeks_between`` (between one worker's duties), ``share_of_nights_at_quoted``
        (share of the year's nights the team could cover if each member did a night only
        every 2.5 weeks, the middle of "every two or three weeks").
    """
    ev = data.row(EVIDENCE_TABLE, measure="team_size", data_dir=data_dir)
    interval = data.value(EVIDENCE_TABLE, measure="night_duty_interval", data_dir=data_dir)
    on_duty = check_size("on_duty", on_duty, MAX_TEAM)
    if team_sizes is None:
        lo, hi = int(ev["low"]), int(ev["high"])
        team_sizes = sorted(set(range(lo, hi + 1)) | {team_size_for_rota(2, on_duty), team_size_for_rota(3, on_duty)})
    rows = []
    for n in check_sequence("team_sizes", team_sizes, max_len=MAX_TEAM):
        n = check_size("team_sizes", n, MAX_TEAM)
        rows.append(
            {
                "team_size": n,
                "nights_per_worker": nights_on_duty_per_worker(n, 365, on_duty),
                "days_between": days_between_duties(n, on_duty),
                "weeks_between": days_between_duties(n, on_duty) / 7.0,
                "share_of_nights_at_quoted": min(1.0, n / (7.0 * interval * on_duty)),
            }
        )
    return pd.DataFrame(rows).set_index("team_size")


def rota_workload(team_sizes: Sequence[int] = (6, 7, 8, 9, 10), callout_share: float | None = None) -> pd.DataFrame:
    """What one-person 24-hour cover asks of each worker, counting weekend and holiday days and rest after call-outs.

    Each worker takes an equal share of the 365 nights and of the weekend and bank-holiday
    days (``weekend_holiday_days``), and loses a day of daytime casework after each night
    with a call-out (a share ``callout_share`` of nights).

    Parameters
    ----------
    team_sizes : sequence of int
        Workers sharing the rota, each 1 to 100.
    callout_share : float, optional
        In [0, 1]; default the assumption (0.25).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``team_size``: ``nights``, ``weekend_days`` and ``duties`` (their sum)
        a year per worker, ``rest_days`` (weekdays of casework lost to rest after call-outs)
        and ``days_between`` (days between one worker's duties on average).
    """
    share = assumption("callout_share") if callout_share is None else callout_share
    share = check_probability("callout_share", share)
    days = assumption("weekend_holiday_days")
    rows = []
    for n in check_sequence("team_sizes", team_sizes, max_len=MAX_TEAM):
        n = check_integer("team_sizes", n, low=1, high=100)
        duties = (365 + days) / n
        rows.append({"team_size": n, "nights": 365 / n, "weekend_days": days / n, "duties": duties,
                     "rest_days": share * 365 / n, "days_between": 365 / duties})
    return pd.DataFrame(rows).set_index("team_size")
