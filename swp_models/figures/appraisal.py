"""Chapter 10's tables, charts and the figures its prose quotes (formatting only: every number comes from
:mod:`swp_models.appraisal`)."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd

from .. import appraisal as ap
from .. import assumptions
from ..assumptions import cached
from ..charts import finish, selector, series_cues
from ..tables import Table, fmt_gbp, fmt_millions, fmt_share, key_results
from ..validation import check_one_of

__all__ = ["LATEST", "options_table", "icer_table", "npc_chart", "acceptability_chart", "key_results_appraisal",
           "prose_numbers", "confidence", "HOME_KEYS", "summary_numbers", "PREVIOUS_EDITION"]

#: The glue names of the home page's opening sentences, in order (the last is the bottom line).
HOME_KEYS: tuple[str, ...] = tuple(f"ch10_home_{i}" for i in range(1, 7))

#: Figures of the previous edition, before chapter 6 let each child's propensity to move vary (the
#: "What changed" note quotes them beside today's): the placement-move rate a child-year, and what a
#: move avoided and the net present costs came to then; and (``ovh_``) the practice holding the placement
#: budget before its contract left out the council's wider overheads (chapter 5): what a move avoided cost.
PREVIOUS_EDITION: dict[str, str] = {
    "move_rate": "0.480", "move_sw": "£43,351 (2005-06 prices)", "move_pl": "£39,370 (2005-06 prices)",
    "npc_sw": "£13.09m (2005-06 prices)", "npc_c": "£12.23m (2005-06 prices)",
    "ovh_move_pl": "£42,585 (2005-06 prices)",
}

#: The latest price year the index reaches.
LATEST = ap.PRICE_YEARS[-1]
_SCOPE_WORDS = {"social_work": "social work only", "placements": "with the placement budget"}
_SOURCE = ("chapters 2-6 through the pricing engine and chapter 5's sensitivity model; HM Treasury Green Book (3.5%); "
           "optimism bias, in-house share and process costs: assumptions")


def _m(x: float, year: str) -> str:
    return f"{fmt_millions(x, 2)} ({year} prices)"


def _k(x: float, year: str) -> str:
    return _m(x, year) if abs(x) >= 1e6 else f"£{x / 1e3:,.1f}k ({year} prices)"


@cached(maxsize=4)
def _table(price_year: str) -> pd.DataFrame:
    return ap.appraise(price_year=price_year)


def options_table(price_year: str = ap.BASE_YEAR) -> Table:
    """Each option's net present cost over the central term and what it buys, at ``price_year`` prices."""
    check_one_of("price_year", price_year, ap.PRICE_YEARS)
    t = _table(price_year)
    frame = pd.DataFrame({
        "Option": t["name"],
        f"Net present cost, 3 years (£m, {price_year} prices)": [f"{x / 1e6:.2f}" for x in t["npc"]],
        "of which optimism bias (£k)": [f"{x / 1e3:,.0f}" for x in t["optimism_bias"]],
        "Same worker all year": [fmt_share(x) for x in t["p_same"]],
        "Child-years with one worker (discounted)": [f"{x:.0f}" for x in t["child_years"]],
        "Placement moves (discounted)": [f"{x:.0f}" for x in t["moves"]],
        "Chance the practice fails over the term": [fmt_share(x) if x else "—" for x in t["p_fail_term"]],
    })
    return Table(frame, f"The options for one practice's children over a three-year term ({price_year} prices)",
                 notes="Every option pays the children's placements; costs and effects discounted at the Green "
                       "Book rate; optimism bias on each option's added cost. Source: " + _SOURCE + ".")


def icer_table(price_year: str = ap.BASE_YEAR) -> Table:
    """Incremental cost per extra child-year with one worker all year and per placement move avoided."""
    check_one_of("price_year", price_year, ap.PRICE_YEARS)
    t = _table(price_year)
    rows = []
    for against in ("council", "in_house"):
        for r in ap.icers(t, against).itertuples():
            if r.extra_child_years <= 0:
                continue
            rows.append((ap.OPTION_NAMES[r.option], ap.OPTION_NAMES[against], fmt_gbp(r.extra_cost),
                         f"{r.extra_child_years:.0f}", fmt_gbp(r.per_child_year), fmt_gbp(r.per_move_avoided)))
    frame = pd.DataFrame(rows, columns=["Option", "Against", f"Extra cost (£, {price_year} prices)",
                                        "Extra child-years", "Per extra child-year (£)", "Per move avoided (£)"])
    return Table(frame, f"Incremental cost-effectiveness over a three-year term ({price_year} prices)",
                 notes="Source: " + _SOURCE + ".")


def npc_chart() -> alt.VConcatChart:
    """Each option's net present cost, with menus for the contract term and the price year."""
    frames = []
    for term in ap.TERMS:
        for year in ap.PRICE_YEARS:
            t = ap.appraise(term_years=term, price_year=year)[["name", "npc", "optimism_bias"]]
            frames.append(t.assign(term=term, price_year=year, npc_m=t["npc"] / 1e6))
    frame = pd.concat(frames, ignore_index=True)[["name", "npc_m", "term", "price_year"]]
    term = selector("appraisal_term", "Contract term (years)", list(ap.TERMS), ap.TERMS[0])
    year = selector("appraisal_npc_year", "Price year", list(ap.PRICE_YEARS), ap.BASE_YEAR)
    order = [ap.OPTION_NAMES[o] for o in ap.OPTIONS]
    chart = alt.Chart(frame).transform_filter((alt.datum.term == term) & (alt.datum.price_year == year)).mark_bar(
        color="#1f5f8b").encode(
        y=alt.Y("name:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
        x=alt.X("npc_m:Q", title="Net present cost (£ million, the year's prices)"),
        tooltip=[alt.Tooltip("name:N", title="Option"), alt.Tooltip("npc_m:Q", format=".2f", title="£m")],
    ).properties(width=360, height=160).add_params(term, year)
    return finish(chart, "What each option costs over the term",
                  subtitle="Net present cost for one practice's children, placements included", source=_SOURCE)


def confidence(share: float) -> str:
    """A confidence word for a share of the sensitivity settings: "very likely", "likely" or "uncertain"."""
    from ..validation import check_probability

    x = check_probability("share", share)
    return "very likely" if x >= 0.9 else "likely" if x >= 0.66 else "uncertain"


def acceptability_chart() -> alt.VConcatChart:
    """The acceptability curve of each scope, with a menu for the price year (values and costs move together)."""
    frames = []
    for year in ap.PRICE_YEARS:
        c = ap.acceptability(price_year=year)
        c["price_year"] = year
        frames.append(c)
    frame = pd.concat(frames, ignore_index=True)
    frame["scope_name"] = frame["scope"].map({"social_work": "Social work only", "placements": "Placement budget too"})
    frame["label"] = frame["name"].where(~frame["option"].str.startswith("practice_"), "A practice")
    frame = frame[["price_year", "scope_name", "value", "label", "share"]]
    year = selector("appraisal_year", "Price year", list(ap.PRICE_YEARS), ap.BASE_YEAR)
    domain = [ap.OPTION_NAMES["council"], ap.OPTION_NAMES["in_house"], "A practice"]
    cues = series_cues("label:N", domain)
    base = alt.Chart(frame).transform_filter(alt.datum.price_year == year).mark_line(strokeWidth=2.5).encode(
        x=alt.X("value:Q", title="Value of one more child-year with one worker (£, the year's prices)",
                axis=alt.Axis(format="~s")),
        y=alt.Y("share:Q", title="Share of settings best", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        **cues,
        tooltip=[alt.Tooltip("label:N", title="Option"), alt.Tooltip("value:Q", format=",.0f", title="£"),
                 alt.Tooltip("share:Q", format=".0%", title="Best in")],
    ).properties(width=300, height=220).add_params(year)
    chart = base.facet(column=alt.Column("scope_name:N", title=None, sort=["Social work only"]))
    fails = ap.acceptability().groupby("option")["p_fail_term"].first()
    return finish(chart, "Which option is the best buy, over the sensitivity settings",
                  subtitle=["Share of settings in which each option has the largest net benefit",
                            "A practice's chance of failing within a three-year term, averaged over the settings: "
                            f"{fmt_share(fails['practice_social_work'])} (social work only), "
                            f"{fmt_share(fails['practice_placements'])} (placement budget too)"],
                  source=_SOURCE)


@cached(maxsize=1)
def _numbers() -> dict[str, object]:
    t = _table(ap.BASE_YEAR).set_index("option")
    latest = _table(LATEST).set_index("option")
    ic = ap.icers(_table(ap.BASE_YEAR)).set_index("option")
    ih = ap.icers(_table(ap.BASE_YEAR), "in_house").set_index("option")
    sw = {o: ap.switching_values(o) for o in ("practice_social_work", "practice_placements")}
    lam = assumptions.value("value_per_child_year")
    c = ap.acceptability()
    at = c[c["value"] == lam].set_index(["scope", "option"])["share"]
    cross = {(sc, o): ap.crossover(sc, o, price_year=LATEST) for sc, opts in ap.SCOPE_OPTIONS.items() for o in opts[1:]}
    return {"t": t, "latest": latest, "ic": ic, "ih": ih, "sw": sw, "lam": lam, "at": at, "c": c, "cross": cross,
            "contracts": ap.cheapest_contracts()}


def _best(scope: str) -> str:
    at = _numbers()["at"].loc[scope]
    return str(at.idxmax())


def key_results_appraisal() -> Table:
    """Chapter 10's key results (rows 1 and 2 are the home page's headlines)."""
    n = _numbers()
    t, ih, sw, lam, at = n["t"], n["ih"], n["sw"], n["lam"], n["at"]
    y = ap.BASE_YEAR
    rows = []
    for scope, option in (("social_work", "practice_social_work"), ("placements", "practice_placements")):
        best = _best(scope)
        rows.append((f"Best buy, {_SCOPE_WORDS[scope]}, at £{lam:,.0f} a child-year of continuity ({y} prices)",
                     f"{ap.OPTION_NAMES[best]} (best in {fmt_share(at.loc[(scope, best)])} of settings)",
                     "acceptability curve over chapter 5's sensitivity settings", "value a council puts on continuity; "
                     "in-house share of the gain"))
    rows += [
        (f"Net present cost over three years, the council as it is ({y} prices)", _m(t.loc["council", "npc"], y),
         "chapter 2's council team and chapter 3's placements; Green Book rate", "council team size"),
        (f"... a practice, social work only ({y} prices)", _m(t.loc["practice_social_work", "npc"], y),
         "chapter 5's cheapest contract; optimism bias", "optimism bias"),
        (f"Cost per extra child-year with one worker, practice against in-house ({y} prices)",
         fmt_gbp(ih.loc["practice_social_work", "per_child_year"]), "incremental, social work only",
         "in-house share of the gain"),
        ("Share of a practice's continuity gain above which the in-house team is the better buy",
         fmt_share(sw["practice_social_work"]["share"]), f"switching value at £{lam:,.0f} a child-year",
         "value a council puts on continuity"),
        ("Chance a practice holding the placement budget fails over a three-year term",
         fmt_share(t.loc["practice_placements", "p_fail_term"]), "chapter 5's cheapest contract, years independent",
         "reserves"),
    ]
    return key_results(rows)


def prose_numbers(*, data_dir: str | Path | None = None) -> dict[str, str]:
    """Every £ and % figure chapter 10's prose quotes, by glue name."""
    assumptions.data.data_folder(data_dir)  # a wrong folder is refused before any work
    n = _numbers()
    t, latest, ic, ih, sw, lam, at = n["t"], n["latest"], n["ic"], n["ih"], n["sw"], n["lam"], n["at"]
    y, z = ap.BASE_YEAR, LATEST
    out = {
        "ch10_lam": f"£{lam:,.0f} ({y} prices)", "ch10_year": y, "ch10_latest": z,
        "ch10_uplift": f"{ap.uplift(z):.2f}",
        "ch10_rate": fmt_share(assumptions.value("discount_rate", data_dir=data_dir), 1),
        "ch10_bias": fmt_share(assumptions.value("optimism_bias", data_dir=data_dir)),
        "ch10_bias_hi": fmt_share(assumptions.value("optimism_bias_outsourcing_upper", data_dir=data_dir)),
        "ch10_bias_lo": fmt_share(assumptions.value("optimism_bias", "low", data_dir=data_dir)),
        "ch10_share": fmt_share(assumptions.value("inhouse_gain_share", data_dir=data_dir)),
        "ch10_p_council": fmt_share(t.loc["council", "p_same"]), "ch10_p_inhouse": fmt_share(t.loc["in_house", "p_same"]),
        "ch10_p_practice": fmt_share(t.loc["practice_social_work", "p_same"]),
    }
    for o, short in (("council", "c"), ("in_house", "b"), ("practice_social_work", "sw"), ("practice_placements", "pl")):
        out[f"ch10_npc_{short}"] = _m(t.loc[o, "npc"], y)
        out[f"ch10_npc_{short}_latest"] = _m(latest.loc[o, "npc"], z)
    def gbp(x: float) -> str:
        return f"{fmt_gbp(x)} ({y} prices)"

    for o, short in (("in_house", "b"), ("practice_social_work", "sw"), ("practice_placements", "pl")):
        out[f"ch10_icer_{short}"] = gbp(ic.loc[o, "per_child_year"])
        out[f"ch10_move_{short}"] = gbp(ic.loc[o, "per_move_avoided"])
    for o, short in (("practice_social_work", "sw"), ("practice_placements", "pl")):
        out[f"ch10_icer_{short}_ih"] = gbp(ih.loc[o, "per_child_year"])
        s = sw[o]["share"]
        out[f"ch10_switch_{short}"] = "no share in 0-100%" if s is None else fmt_share(s)
        out[f"ch10_switch_cost_{short}"] = _m(sw[o]["cost"], y)
        out[f"ch10_fail_{short}"] = fmt_share(t.loc[o, "p_fail_term"])
    for scope in ("social_work", "placements"):
        best = _best(scope)
        out[f"ch10_best_{scope}"] = ap.OPTION_NAMES[best].lower()
        out[f"ch10_best_share_{scope}"] = fmt_share(at.loc[(scope, best)])
        prac = "practice_social_work" if scope == "social_work" else "practice_placements"
        out[f"ch10_prac_share_{scope}"] = fmt_share(at.loc[(scope, prac)])
        out[f"ch10_contract_{scope}"] = n["contracts"][scope]
        out[f"ch10_conf_{scope}"] = confidence(float(at.loc[(scope, best)]))
        x = n["cross"][(scope, prac)]
        out[f"ch10_cross_{scope}"] = "no value up to the top of the range" if x is None else f"£{x:,.0f}"
    out["ch10_move_rate"] = f"{ap.central_inputs().move_rate:.3f}"
    out.update({f"ch10_prev_{k}": v for k, v in PREVIOUS_EDITION.items()})
    out.update(_home(out, n))
    return out


def _home(out: dict[str, str], n: dict) -> dict[str, str]:
    """The home page's opening sentences, each with one figure, its price year and a confidence word."""
    t, latest = n["t"], n["latest"]
    z = LATEST
    extra = latest.loc["practice_social_work", "npc"] - latest.loc["council", "npc"]
    extra_b = latest.loc["in_house", "npc"] - latest.loc["council", "npc"]
    best_sw = _best("social_work")
    lam_z = n["lam"] * ap.uplift(z)
    cross = n["cross"][("social_work", "practice_social_work")]
    first = ("the council's own team with a practice's caseloads" if best_sw == "in_house"
             else "the council as it is" if best_sw == "council" else "a practice for social work only")
    fail = float(t.loc["practice_placements", "p_fail_term"])
    keep = "keep the placement budget and " if fail >= 0.1 else ""
    worth = "more than the top of the book's range" if cross is None else f"{_k(cross, z)} or more"
    bottom = (f"Bottom line: {keep}stay with {first}, unless a year of continuity for a child is worth {worth} "
              "to the council.")
    return {
        "ch10_home_1": f"A practice would likely keep {out['ch10_p_practice']} of its children with one social worker "
                       f"all year; a council as it is keeps {out['ch10_p_council']}.",
        "ch10_home_2": f"Over three years a practice would cost about {_k(extra, z)} more than the council as it is, for "
                       "100 children: likely, though it depends on optimism bias.",
        "ch10_home_3": f"The council's own team with practice caseloads would cost {_k(extra_b, z)} more; what it buys "
                       "is uncertain.",
        "ch10_home_4": f"A practice holding the placement budget fails within three years in {out['ch10_fail_pl']} of "
                       "terms: uncertain, as it depends on its reserves.",
        "ch10_home_5": f"At {_k(lam_z, z)} a child-year of continuity, the best buy in {out['ch10_best_share_social_work']} "
                       f"of settings is {_best_words('social_work')}: {out['ch10_conf_social_work']}.",
        "ch10_home_6": bottom,
    }


def _best_words(scope: str) -> str:
    return ap.OPTION_NAMES[_best(scope)].lower()


#: The chapter's figures the one-page summary repeats (its glue names are these with ``sum_`` for ``ch10_``).
_SUMMARY = ("lam", "year", "latest", "rate", "bias", "share", "p_council", "p_practice", "npc_c", "npc_c_latest",
            "npc_sw", "npc_sw_latest", "npc_pl", "npc_pl_latest", "icer_sw_ih", "switch_sw", "fail_pl",
            *(f"{k}_{scope}" for scope in ("social_work", "placements")
              for k in ("best", "best_share", "contract", "conf", "cross")))


def summary_numbers(glued: dict[str, str]) -> dict[str, str]:
    """The one-page summary's figures, from chapter 10's glued figures as its page shows them.

    Parameters
    ----------
    glued : dict
        Chapter 10's glue names and texts (:func:`swp_models.findings.stored_glue`), holding every
        figure the summary repeats.

    Returns
    -------
    dict
        The summary's glue names (``sum_...``) and texts; ``sum_bottom`` is the home page's bottom line.
    """
    if not isinstance(glued, dict):
        raise TypeError(f"glued must be a dict of glue names to texts; got {type(glued).__name__}")
    wanted = [f"ch10_{k}" for k in _SUMMARY] + [HOME_KEYS[-1]]
    missing = [k for k in wanted if k not in glued]
    if missing:
        raise ValueError(f"glued must hold chapter 10's figures; missing {missing[:5]}")
    out = {f"sum_{k}": glued[f"ch10_{k}"] for k in _SUMMARY}
    best = {k: v[0].upper() + v[1:] for k, v in out.items() if k.startswith("sum_best_") and "share" not in k}
    out.update(best)
    out["sum_bottom"] = glued[HOME_KEYS[-1]]
    return out
