"""Live explorer for chapter 2: continuity of social worker, the night rota and the caseload queue.

:func:`explorer` returns an ipywidgets container. Every control re-runs the closed forms of
:mod:`swp_models.continuity` and redraws three small tables; a change takes a few
milliseconds. It needs a running kernel (Jupyter or Voila); the static book shows
precomputed sliders instead.
"""

from __future__ import annotations

from pathlib import Path

import html
import time
from dataclasses import dataclass
from typing import Any

from .. import continuity as cm
from .. import data
from ..figures.continuity_tables import fmt_prob
from ..validation import check_in_range, check_instance, check_integer, check_nonnegative, check_size
from . import html_table
from .workbook import add_download

__all__ = ["ExplorerInputs", "explorer", "results_html"]


@dataclass(frozen=True)
class ExplorerInputs:
    """Everything the explorer's controls set (percentages as shares), checked on construction.

    Parameters
    ----------
    scenario : ContinuityScenario
        Turnover, vacancy, agency stay, hand-offs and their window.
    episode_years : float
        Length of the episode shown, years, in (0, 50].
    team_size : int
        Workers on the night rota, 1 to 1,000.
    on_duty : int
        Workers on duty each night (1 to ``team_size``).
    weeks_between_duties : float
        A wanted gap between one worker's night duties, weeks, in (0, 520].
    workers : int
        Workers taking cases in the queue, 1 to 10,000.
    cap : int
        Cases per worker before new cases wait, 1 to 1,000.
    arrivals : float
        Children arriving a year, 0 to 1,000,000.
    mean_stay_years : float
        Mean time a child holds a place, years, in (0, 50].
    """

    scenario: cm.ContinuityScenario
    episode_years: float
    team_size: int
    on_duty: int
    weeks_between_duties: float
    workers: int
    cap: int
    arrivals: float
    mean_stay_years: float

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        check_instance("scenario", self.scenario, cm.ContinuityScenario, "ContinuityScenario")
        set_(self, "episode_years", check_in_range("episode_years", self.episode_years, 0.0, cm.MAX_YEARS,
                                                   low_open=True))
        set_(self, "team_size", check_size("team_size", self.team_size, cm.MAX_TEAM))
        set_(self, "on_duty", check_integer("on_duty", self.on_duty, low=1, high=self.team_size))
        cm.team_size_for_rota(self.weeks_between_duties, self.on_duty)  # checks weeks_between_duties by name
        set_(self, "workers", check_size("workers", self.workers, cm.MAX_PLACES))
        set_(self, "cap", check_size("cap", self.cap, cm.MAX_PLACES))
        cm.allocation_places(self.workers, self.cap)  # at most MAX_PLACES places
        set_(self, "arrivals", check_nonnegative("arrivals", self.arrivals))
        set_(self, "mean_stay_years", check_in_range("mean_stay_years", self.mean_stay_years, 0.0, cm.MAX_YEARS,
                                                     low_open=True))


def _pct(p: float) -> str:
    return fmt_prob(p)


def results_html(inputs: ExplorerInputs) -> str:
    """The explorer's output for one set of inputs, as HTML (three tables).

    Parameters
    ----------
    inputs : ExplorerInputs

    Returns
    -------
    str
        HTML: continuity results (both readings of the model, first year and later in
        care, over the episode, changes by cause), the night rota, and the caseload queue
        (or why it has no steady state).
    """
    check_instance("inputs", inputs, ExplorerInputs, "ExplorerInputs")
    s, years = inputs.scenario, inputs.episode_years
    poisson = [
        ("One worker all year", _pct(cm.p_same_worker(s, 1.0, True)), _pct(cm.p_same_worker(s, 1.0, False))),
        ("... if workers keep their type", _pct(cm.p_same_worker(s, 1.0, True, typed=True)),
         _pct(cm.p_same_worker(s, 1.0, False, typed=True))),
        ("Expected workers in the year", f"{cm.expected_workers(s, 1.0, True):.2f}",
         f"{cm.expected_workers(s, 1.0, False):.2f}"),
        ("Five or more workers in the year", _pct(cm.p_workers_at_least(s, 5, 1.0, True)),
         _pct(cm.p_workers_at_least(s, 5, 1.0, False))),
        ("... if workers keep their type", _pct(cm.p_workers_at_least(s, 5, 1.0, True, typed=True)),
         _pct(cm.p_workers_at_least(s, 5, 1.0, False, typed=True))),
    ]
    parts = cm.changes_by_cause(s, years, first_year=True)
    total = sum(parts.values())
    share = (lambda x: f"{x:.2f} ({100 * x / total:.0f}%)") if total > 0 else (lambda x: f"{x:.2f}")
    episode = [
        ("Expected workers", f"{cm.expected_workers(s, years, True):.2f}"),
        ("One worker throughout", _pct(cm.p_same_worker(s, years, True))),
        ("Changes from turnover", share(parts["turnover"])),
        ("Changes from agency cover ending", share(parts["agency"])),
        ("Changes from team hand-offs", share(parts["handoffs"])),
    ]
    rota = [
        ("Nights on duty per worker a year",
         f"{cm.nights_on_duty_per_worker(inputs.team_size, 365, inputs.on_duty):.1f}"),
        ("Days between one worker's duties", f"{cm.days_between_duties(inputs.team_size, inputs.on_duty):.1f}"),
        (f"Team needed for a night every {inputs.weeks_between_duties:g} weeks",
         f"{cm.team_size_for_rota(inputs.weeks_between_duties, inputs.on_duty)}"),
    ]
    places = cm.allocation_places(inputs.workers, inputs.cap)
    load = inputs.arrivals * inputs.mean_stay_years
    if load < places:
        q = cm.expected_waiting(places, inputs.arrivals, inputs.mean_stay_years)
        queue = [
            ("Places (workers x cap)", f"{places}"),
            ("Children who would hold a place (load)", f"{load:.1f} ({100 * q.utilisation:.0f}% of places)"),
            ("Chance a new child waits", _pct(q.p_wait)),
            ("Children waiting, on average", f"{q.mean_waiting:.2f}"),
            ("Mean wait of a new child", f"{q.mean_wait_weeks:.1f} weeks"),
            ("Mean wait of a child who waits", f"{q.mean_wait_if_waiting_weeks:.1f} weeks"),
        ]
    else:
        queue = [
            ("Places (workers x cap)", f"{places}"),
            ("Children who would hold a place (load)", f"{load:.1f}"),
            ("Result", "no steady state: the waiting list grows without limit (load at or above places)"),
        ]
    return (
        html_table("Social workers a child has", poisson, ("", "First year of an episode", "A year later in care"))
        + html_table(f"Over an episode of {years:g} years from entering care", episode, ("", ""))
        + html_table("Night rota (one-person cover, 365 nights)", rota, ("", ""))
        + html_table("Caseload cap and waiting list (M/M/c queue)", queue, ("", ""))
    )


def explorer(*, data_dir: str | Path | None = None) -> Any:
    """An ipywidgets explorer over every parameter of chapter 2's models.

    Presets load the three reference scenarios (England 2005, London 2005, a practice);
    sliders then change turnover, vacancy, agency stay, hand-offs and their window, the
    episode length, the night rota and the caseload queue. The output is recomputed on
    every change; the time it took is shown under it.

    Returns
    -------
    ipywidgets.VBox
        The controls and the output. Its ``output`` attribute (an ``HTML`` widget) holds the
        tables and ``timing`` (an ``HTML`` widget) the last recompute time.
    """
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    import ipywidgets as w

    refs = cm.reference_scenarios()
    eng = refs["Council, England 2005"]
    stay = cm.assumption("queue_mean_stay_years")
    children = data.value(cm.PRACTICE_TABLE, parameter="caseload_children", data_dir=data_dir)
    cap = int(data.value(cm.EVIDENCE_TABLE, measure="caseload_cap", data_dir=data_dir))
    team = int(data.value(cm.EVIDENCE_TABLE, measure="team_size", data_dir=data_dir))
    interval = data.value(cm.EVIDENCE_TABLE, measure="night_duty_interval", data_dir=data_dir)
    style = {"description_width": "210px"}
    layout = w.Layout(width="440px")

    def fslider(label: str, value: float, lo: float, hi: float, step: float) -> Any:
        return w.FloatSlider(value=value, min=lo, max=hi, step=step, description=label, style=style, layout=layout,
                             continuous_update=False, readout_format=".2f" if step < 0.1 else ".1f")

    def islider(label: str, value: int, lo: int, hi: int) -> Any:
        return w.IntSlider(value=value, min=lo, max=hi, description=label, style=style, layout=layout,
                           continuous_update=False)

    preset = w.Dropdown(options=list(refs), value="Council, England 2005", description="Start from", style=style,
                        layout=layout)
    turnover = fslider("Turnover (% a year)", 100 * eng.turnover, 0, 60, 0.5)
    vacancy = fslider("Vacancy, agency-covered (%)", 100 * eng.vacancy, 0, 50, 0.5)
    tenure = fslider("Agency stay with a child (years)", eng.agency_tenure_years, 0.05, 3, 0.05)
    handoffs = islider("Team hand-offs (at most)", eng.handoffs, 0, 8)
    chance = fslider("Chance of each hand-off", eng.handoff_probability, 0, 1, 0.05)
    window = fslider("Hand-offs within (years)", eng.handoff_window_years, 0.05, 1, 0.05)
    episode = fslider("Episode length (years)", 5.0, 0.5, 10, 0.5)
    team_size = islider("Night rota: team size", team, 1, 30)
    on_duty = islider("Night rota: on duty each night", 1, 1, 3)
    weeks = fslider("Night rota: wanted weeks between", interval, 0.5, 6, 0.5)
    workers = islider("Queue: workers taking cases", 11, 1, 30)
    cap_w = islider("Queue: cases per worker (cap)", cap, 1, 30)
    arrivals = fslider("Queue: children arriving a year", children / stay, 1, 300, 1)
    mean_stay = fslider("Queue: mean stay (years)", stay, 0.1, 10, 0.1)
    output = w.HTML()
    timing = w.HTML()
    controls = [turnover, vacancy, tenure, handoffs, chance, window, episode, team_size, on_duty, weeks, workers, cap_w,
                arrivals, mean_stay]

    def update(*_: Any) -> None:
        start = time.perf_counter()
        on_duty.max = team_size.value
        try:
            inputs = ExplorerInputs(
                scenario=cm.ContinuityScenario(
                    turnover=turnover.value / 100, vacancy=vacancy.value / 100, agency_tenure_years=tenure.value,
                    handoffs=handoffs.value, handoff_window_years=window.value, name="explorer",
                    handoff_probability=chance.value),
                episode_years=episode.value, team_size=team_size.value, on_duty=min(on_duty.value, team_size.value),
                weeks_between_duties=weeks.value, workers=workers.value, cap=cap_w.value, arrivals=arrivals.value,
                mean_stay_years=mean_stay.value,
            )
            output.value = results_html(inputs)
        except ValueError as err:  # a combination the model rejects: say why instead of failing
            output.value = f"<p><b>Cannot compute:</b> {html.escape(str(err))}</p>"
        timing.value = f"<small>Recomputed in {1000 * (time.perf_counter() - start):.1f} ms.</small>"

    def load_preset(change: Any) -> None:
        s = refs[change["new"]]
        for ctl, val in ((turnover, 100 * s.turnover), (vacancy, 100 * s.vacancy), (tenure, s.agency_tenure_years),
                         (handoffs, s.handoffs), (chance, s.handoff_probability), (window, s.handoff_window_years)):
            ctl.value = val

    preset.observe(load_preset, names="value")
    for ctl in controls:
        ctl.observe(update, names="value")
    update()
    box = w.VBox(
        [
            w.HTML("<b>Continuity of social worker</b>"), preset, turnover, vacancy, tenure, handoffs, chance, window,
            episode,
            w.HTML("<b>24-hour cover and caseload caps</b>"), team_size, on_duty, weeks, workers, cap_w, arrivals,
            mean_stay, output, timing,
        ]
    )
    box.output = output  # type: ignore[attr-defined]
    box.timing = timing  # type: ignore[attr-defined]
    box.controls = dict(  # type: ignore[attr-defined]
        preset=preset, turnover=turnover, vacancy=vacancy, agency_tenure_years=tenure, handoffs=handoffs,
        handoff_probability=chance,
        handoff_window_years=window, episode_years=episode, team_size=team_size, on_duty=on_duty,
        weeks_between_duties=weeks, workers=workers, cap=cap_w, arrivals=arrivals, mean_stay_years=mean_stay,
    )
    return add_download(box, "continuity")
