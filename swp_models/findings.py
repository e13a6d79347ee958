"""The book's chapters and their key results, registered in one place.

The home page's headline findings and ``python -m swp_models reproduce OUTDIR`` are both built from
:data:`CHAPTERS`, each entry calling the same function that draws the chapter's own key-results
table, so the three can never disagree. A new chapter is one more line in :data:`CHAPTERS`.
"""

from __future__ import annotations

import ast
import html
import importlib
import importlib.metadata
import json
import os
import platform
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

import pandas as pd

from .tables import Table
from .validation import check_flag, check_instance, check_integer, check_text

__all__ = ["CHAPTERS", "Chapter", "csv_name", "headline_rows", "key_results_frame", "link_chapters", "manifest",
           "stored_key_results", "write_key_results", "stored_glue", "opening_sentences", "OPENING_PAGE",
           "BRIEF_MAX"]

#: Libraries whose versions are recorded next to the reproduced results.
_LIBRARIES = ("numpy", "pandas", "scipy", "altair", "swp_models")
#: Columns of every chapter's key-results table (see :func:`swp_models.tables.key_results`).
COLUMNS = ("Result", "Value", "Source or basis", "Rests on an assumption")
#: The book's root folder (the chapters' notebooks are ``ROOT / (page + ".ipynb")``).
ROOT = Path(__file__).resolve().parent.parent


def _from(module: str, function: str = "key_results") -> Callable[[], Table]:
    """``swp_models.<module>.<function>``, imported only when called."""

    def call() -> Table:
        return getattr(importlib.import_module(f"swp_models.{module}"), function)()

    call.__qualname__ = call.__name__ = f"swp_models.{module}.{function}"
    return call


@dataclass(frozen=True)
class Chapter:
    """One chapter of the book and the function that computes its key results.

    Parameters
    ----------
    number : int
        The chapter's number in the book (1, 2, ...).
    title : str
        The chapter's title as the page shows it.
    page : str
        The page's document name, relative to the book's root and without suffix
        (``"book/01_problem"``); the notebook is ``page + ".ipynb"``.
    key_results : callable
        Returns the chapter's key-results :class:`~swp_models.tables.Table`.
    headlines : tuple of str
        Which key results the home page shows, each named by the start of its "Result" label
        (which must pick exactly one row: a renamed or removed result fails loudly, never shows
        another row).
    section : int, optional
        For a page that is a section of a chapter (5.1), its number within the chapter.
    labels : tuple of str, optional
        What the home page calls each headline, in plain words (one per headline); default the chapter's
        own "Result" label.
    brief : str, optional
        The first headline in a few plain words (at most :data:`BRIEF_MAX` characters), for the home
        page's one-screen summary table; default the first of ``labels``.
    """

    number: int
    title: str
    page: str
    key_results: Callable[[], Table]
    headlines: tuple[str, ...]
    section: int | None = None
    labels: tuple[str, ...] = ()
    brief: str = ""

    @property
    def label(self) -> str:
        """str, the number the book shows, ``"5"`` for a chapter and ``"5.1"`` for a section page."""
        return f"{self.number}.{self.section}" if self.section else str(self.number)

    def __post_init__(self) -> None:
        check_integer("number", self.number, low=1, high=99)
        check_text("title", self.title)
        check_text("page", self.page)
        if not callable(self.key_results):
            raise TypeError(f"key_results must be callable, got {self.key_results!r:.80}")
        if self.section is not None:
            check_integer("section", self.section, low=1, high=99)
        check_instance("headlines", self.headlines, tuple, "tuple of result names")
        if not self.headlines:
            raise ValueError("headlines must be a non-empty tuple of result names; got ()")
        for i, name in enumerate(self.headlines):
            check_text(f"headlines[{i}]", name)
        check_instance("labels", self.labels, tuple, "tuple of plain labels, one per headline")
        if self.labels and len(self.labels) != len(self.headlines):
            raise ValueError(f"labels must give one label per headline ({len(self.headlines)}); got {len(self.labels)}")
        for i, name in enumerate(self.labels):
            check_text(f"labels[{i}]", name)
        check_instance("brief", self.brief, str, "string")
        if len(self.brief) > BRIEF_MAX:
            raise ValueError(f"brief must be at most {BRIEF_MAX} characters so a summary row fits one line; "
                             f"got {len(self.brief)}: {self.brief!r}")

    @property
    def short(self) -> str:
        """str, the first headline's label for the one-screen summary (``brief``, else the plain label)."""
        return self.brief or (self.labels[0] if self.labels else self.headlines[0])


#: The longest short label (a chapter's ``brief``) the home page's summary keeps on one line at 1366 px.
BRIEF_MAX = 52

#: Every chapter with key results, in book order. Adding a chapter is one line here.
CHAPTERS: tuple[Chapter, ...] = (
    Chapter(1, "The problem in numbers", "book/01_problem", _from("figures.problem_tables"),
            ("Young people (of 339) wanting one consistent lead professional",),
            labels=("Young people consulted who wanted one professional to stay with them (95% interval)",),
            brief="Young people wanting one professional (95% interval)"),
    Chapter(2, "Continuity", "book/02_continuity", _from("figures.continuity_tables"),
            ("Same social worker all year, for a child in care all year", "The practice's lead over England taken apart"),
            labels=("Children who keep one social worker all year: a council in England, one in London (2005), "
                    "and a practice",
                    "Why a practice does better, in percentage points: no agency cover, fewer leavers, anything else"),
            brief="One worker all year: England / London / a practice"),
    Chapter(3, "What a child in care costs", "book/03_child_costs", _from("figures.costs_tables"),
            ("Practice of 100 ± 10 children: expected annual cost",),
            labels=("What placements cost a year for a practice's 100 children, with a likely range "
                    "(2005-06 prices)",),
            brief="Placements for a practice's 100 children, a year"),
    Chapter(4, "What a practice costs to run", "book/04_practice_costs", _from("figures.practice_tables"),
            ("Annual running cost, default practice", "Running cost per child, default"),
            labels=("What it costs to run a practice for a year (2005-06 prices)",
                    "Running cost per child a year, with its range (2005-06 prices)"),
            brief="Running a practice for a year"),
    Chapter(5, "Paying a practice", "book/05_contracts", _from("figures.contracts_tables"),
            ("Block contract: chance the practice fails in a year", "Cheapest once the practice's effort responds"),
            labels=("Chance a practice paid a fixed price fails, in one year and within three: holding the placement "
                    "budget (social work only in brackets)",
                    "The contract that costs the council least once the practice tries to save, and the dearest "
                    "(a year, 2005-06 prices)"),
            brief="Fixed-price practice fails: 1 year; 3 (social work)"),
    Chapter(5, "Which contract wins where, and what matters most", "book/05_sensitivity",
            _from("figures.sensitivity"), ("Cut in care cost at full cost-bearing",), section=1,
            labels=("How far a practice must cut care costs before sharing them beats paying them all",)),
    Chapter(6, "Contracting for outcomes", "book/06_outcomes", _from("figures.outcomes"),
            ("Risk premium of the report's mixed contract",),
            labels=("What paying for outcomes adds to a fixed price for the practice's risk, by what it holds "
                    "(a year, 2005-06 prices)",),
            brief="Outcome pay: risk premium over a fixed price, a year"),
    Chapter(7, "Lessons from abroad", "book/07_abroad", _from("figures.abroad"),
            ("Places and studies in the annex for which it reports any finding", "Ontario: growth in spending per unit"),
            labels=("Places abroad for which the report gives any finding on outcomes or cost",
                    "Ontario: how fast spending per unit of service grew, 1998/99 to 2004/05"),
            brief="Places abroad with any finding on outcomes or cost"),
    Chapter(8, "Piloting and evaluation", "book/08_piloting", _from("figures.evaluation", "key_results_piloting"),
            ("The effort lift on the same worker all year", "Smallest detectable difference, same social worker all year"),
            labels=("Continuity a practice gains by trying harder, and whether nine pilots could see it",
                    "Smallest change in continuity nine pilots could detect: against one control, and pooled"),
            brief="Continuity gained by effort: could pilots see it?"),
    Chapter(9, "What happened", "book/09_what_happened",
            _from("figures.evaluation", "key_results_what_happened"),
            ("Pilots that held the placement budget", "The book's predictions"),
            labels=("Pilots that held the placement budget",
                    "The book's predictions against what happened: confirmed / contradicted / not measurable"),
            brief="Pilots that held the placement budget"),
    Chapter(10, "What a council should do", "book/10_appraisal", _from("figures.appraisal", "key_results_appraisal"),
            ("Best buy, social work only", "Best buy, with the placement budget"),
            labels=("Best buy for a council, a practice doing social work only (2005-06 prices)",
                    "Best buy for a council, a practice holding the placement budget (2005-06 prices)"),
            brief="Best buy for a council, social work only scope"),
)


def _check_chapters(chapters: object) -> tuple[Chapter, ...]:
    check_instance("chapters", chapters, tuple, "tuple of Chapter")
    if not chapters:
        raise ValueError("chapters must be a non-empty tuple of Chapter; got ()")
    for i, ch in enumerate(chapters):
        check_instance(f"chapters[{i}]", ch, Chapter, "Chapter")
    return chapters


def key_results_frame(chapter: Chapter) -> pd.DataFrame:
    """A chapter's key results as the page shows them (every cell a string).

    Parameters
    ----------
    chapter : Chapter
        An entry of :data:`CHAPTERS`.

    Returns
    -------
    pandas.DataFrame
        Columns "Result", "Value", "Source or basis" and "Rests on an assumption".
    """
    check_instance("chapter", chapter, Chapter, "Chapter")
    table = chapter.key_results()
    if not isinstance(table, Table):
        raise TypeError(f"{chapter.key_results.__name__} must return a Table, got {type(table).__name__}")
    frame = table._cells()
    if tuple(frame.columns) != COLUMNS:
        raise ValueError(f"chapter {chapter.number}'s key results have columns {list(frame.columns)}, "
                         f"expected {list(COLUMNS)}")
    return frame.reset_index(drop=True)


class _KeyResultsTable(HTMLParser):
    """The cell texts of the first ``table.swp-key-results`` in some HTML, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in = self._done = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and not self._done and "swp-key-results" in (dict(attrs).get("class") or "").split():
            self._in = True
        elif self._in and tag == "tr":
            self.rows.append([])
        elif self._in and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self._in:
            self._in, self._done = False, True
        elif self._in and tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(html.unescape("".join(self._cell)).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def stored_key_results(chapter: Chapter) -> pd.DataFrame:
    """A chapter's key results as its notebook's stored outputs show them (nothing is computed).

    The stored outputs are what the chapter's page shows: the notebook tests fail when
    executing the notebook would give anything else, and ``python -m swp_models reproduce`` is
    tested against them.

    Parameters
    ----------
    chapter : Chapter
        An entry of :data:`CHAPTERS`.

    Returns
    -------
    pandas.DataFrame
        The same columns and cells as :func:`key_results_frame`.
    """
    if not isinstance(chapter, Chapter):
        raise TypeError(f"chapter must be a Chapter, got {type(chapter).__name__}")
    path = ROOT / f"{chapter.page}.ipynb"
    if not path.is_file():
        raise ValueError(f"chapter {chapter.label}: no notebook {path}")
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        for out in cell.get("outputs", []):
            text = "".join(out.get("data", {}).get("text/html", []))
            if "swp-key-results" in text:
                parser = _KeyResultsTable()
                parser.feed(text)
                head, *rows = parser.rows
                if tuple(head) != COLUMNS:
                    raise ValueError(f"chapter {chapter.label}'s stored key results have columns {head}, "
                                     f"expected {list(COLUMNS)}")
                return pd.DataFrame(rows, columns=list(COLUMNS))
    raise ValueError(f"chapter {chapter.label}: {path.name} stores no key-results table (execute it first)")


def headline_rows(chapters: tuple[Chapter, ...] = CHAPTERS, stored: bool = False) -> pd.DataFrame:
    """The home page's findings: the chosen rows of each chapter's key results.

    Parameters
    ----------
    chapters : tuple of Chapter
        Defaults to every registered chapter.
    stored : bool
        Read the key results from the notebooks' stored outputs (:func:`stored_key_results`, what the
        pages show, in well under a second) rather than compute them (:func:`key_results_frame`).

    Returns
    -------
    pandas.DataFrame
        Columns "chapter", "title", "page", "rank" (0 for a chapter's first headline, 1 for its
        second...), "label" (the home page's plain label), then the key-results columns; one row per headline.
    """
    _check_chapters(chapters)
    check_flag("stored", stored)
    out = []
    for ch in chapters:
        frame = stored_key_results(ch) if stored else key_results_frame(ch)
        for rank, name in enumerate(ch.headlines):
            hits = frame.index[frame["Result"].str.startswith(name)]
            if len(hits) != 1:
                raise ValueError(f"chapter {ch.label} headline {name!r} names {len(hits)} of its key results; "
                                 "it must start exactly one row's \"Result\"")
            out.append({"chapter": ch.label, "title": ch.title, "page": ch.page, "rank": rank,
                        "label": ch.labels[rank] if ch.labels else frame.loc[hits[0], "Result"],
                        **frame.loc[hits[0]].to_dict()})
    return pd.DataFrame(out)


#: The page whose stored figures open the home page (chapter 10's glued sentences).
OPENING_PAGE = "book/10_appraisal"
_OPENING_KEYS = tuple(f"ch10_home_{i}" for i in range(1, 7))


def stored_glue(page: str) -> dict[str, str]:
    """The text figures a chapter's notebook glued, as its stored outputs hold them (nothing is computed).

    Parameters
    ----------
    page : str
        A page of :data:`CHAPTERS` (``"book/10_appraisal"``).

    Returns
    -------
    dict
        Glue name to its text, for every ``myst_nb.glue`` output stored in the notebook.
    """
    check_text("page", page)
    pages = [ch.page for ch in CHAPTERS]
    if page not in pages:
        raise ValueError(f"page must be one of the chapters' pages {pages}; got {page!r}")
    path = ROOT / f"{page}.ipynb"
    if not path.is_file():
        raise ValueError(f"page {page!r}: no notebook {path}")
    out = {}
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        for o in cell.get("outputs", []):
            book = o.get("metadata", {}).get("scrapbook", {})
            text = "".join(o.get("data", {}).get(book.get("mime_prefix", "") + "text/plain", []))
            if book.get("name") and text:
                value = ast.literal_eval(text)
                out[book["name"]] = value if isinstance(value, str) else text
    return out


def opening_sentences() -> list[str]:
    """The home page's opening sentences, read from chapter 10's stored outputs (the last is the bottom line)."""
    glued = stored_glue(OPENING_PAGE)
    missing = [k for k in _OPENING_KEYS if k not in glued]
    if missing:
        raise ValueError(f"{OPENING_PAGE}.ipynb stores no {missing}: execute it first")
    return [glued[k] for k in _OPENING_KEYS]


_CHAPTER_REF = re.compile(r"\b([Cc]hapters?) (\d+)((?:(?:, | and | or )\d+)*)")


def link_chapters(text: str, chapters: tuple[Chapter, ...] = CHAPTERS) -> str:
    """Text with every mention of a chapter linked to it (MyST), and no mention of a missing one.

    Each clause (split at ";") or sentence that names a chapter the book does not have is
    dropped, so a page never points at a chapter that does not exist when it is built; every
    other "chapter N" becomes a link to chapter N's page.

    Parameters
    ----------
    text : str
        Plain text, for example a table descriptor's description.
    chapters : tuple of Chapter
        The chapters the book has (default: every registered chapter).

    Returns
    -------
    str
        MyST Markdown.
    """
    check_instance("text", text, str, "string")
    _check_chapters(chapters)
    pages = {ch.number: ch.page for ch in chapters if ch.section is None}

    def missing(part: str) -> bool:
        return any(int(n) not in pages for m in _CHAPTER_REF.finditer(part)
                   for n in re.findall(r"\d+", m.group(2) + m.group(3)))

    sentences = re.split(r"(?<=\.) (?=[A-Z])", text)
    kept = []
    for sentence in sentences:
        clauses = [c for c in sentence.rstrip(".").split("; ") if not missing(c)]
        if clauses:
            kept.append("; ".join(clauses) + ("." if sentence.endswith(".") else ""))

    def link(m: re.Match) -> str:
        nums = re.findall(r"\d+", m.group(2) + m.group(3))
        seps = re.findall(r", | and | or ", m.group(3))
        out = f"{{doc}}`{m.group(1)} {nums[0]} </{pages[int(nums[0])]}>`"
        for sep, n in zip(seps, nums[1:]):
            out += f"{sep}{{doc}}`{n} </{pages[int(n)]}>`"
        return out

    return _CHAPTER_REF.sub(link, " ".join(kept)).replace("..", ".")


def manifest(*, data_dir: str | Path | None = None) -> dict:
    """Versions and inputs behind a set of reproduced results: libraries, Python, data tables' sha256."""
    from . import data

    data.data_folder(data_dir)  # a wrong folder is refused before any work

    versions = {}
    for lib in _LIBRARIES:
        try:
            versions[lib] = importlib.metadata.version(lib)
        except importlib.metadata.PackageNotFoundError:
            versions[lib] = "not installed"
    cat = data.catalogue(data_dir=data_dir)
    return {
        "python": platform.python_version(),
        "versions": versions,
        # Relative to the repository, so the record names no folder of the machine that wrote it.
        "data_dir": "data",
        "data_tables": {r.name: r.sha256 for r in cat.itertuples()},
        "chapters": [
            {"number": ch.label, "title": ch.title, "page": ch.page, "function": ch.key_results.__name__,
             "file": csv_name(ch)}
            for ch in CHAPTERS
        ],
        "parameters": "parameters.csv: every labelled assumption the models read, at the value used",
    }


def csv_name(chapter: Chapter) -> str:
    """The file a chapter's key results are written to: ``chapter_05_key_results.csv``, ``chapter_05_1_...``."""
    check_instance("chapter", chapter, Chapter, "Chapter")
    section = f"_{chapter.section}" if chapter.section else ""
    return f"chapter_{chapter.number:02d}{section}_key_results.csv"


def write_key_results(outdir: str | Path, chapters: tuple[Chapter, ...] = CHAPTERS, stored: bool = False, *, data_dir: str | Path | None = None) -> list[Path]:
    """Write each chapter's key results as CSV, with the parameters and versions used.

    Writes ``chapter_NN_key_results.csv`` per chapter, ``parameters.csv`` (every labelled
    assumption at the value used, with its range), ``results.csv`` (every named result of
    :mod:`swp_models.results` under both scopes, with its unit, standard error and price year;
    computed, so not with ``stored``) and ``manifest.json`` (library versions and the sha256 of
    every data table).

    Parameters
    ----------
    outdir : str or pathlib.Path
        Folder to write into; created if missing. It must not be an existing file.
    chapters : tuple of Chapter
        Defaults to every registered chapter.
    stored : bool
        Write the key results the notebooks store (:func:`stored_key_results`, as the book's pages
        show them) rather than compute them again.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    from . import data

    data.data_folder(data_dir)  # a wrong folder is refused before any work
    if isinstance(outdir, bool) or not isinstance(outdir, (str, os.PathLike)):
        raise TypeError(f"outdir must be a folder path (str or pathlib.Path); got {type(outdir).__name__} "
                        f"{outdir!r:.80}")
    if not str(outdir).strip():
        raise ValueError(f"outdir must be a non-empty path, got {outdir!r}")
    _check_chapters(chapters)
    check_flag("stored", stored)
    folder = Path(outdir)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"outdir must be a folder, got the existing file {folder}")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for ch in chapters:
        path = folder / csv_name(ch)
        (stored_key_results(ch) if stored else key_results_frame(ch)).to_csv(path, index=False, lineterminator="\n")
        written.append(path)

    params = folder / "parameters.csv"
    data.assumptions(data_dir=data_dir).to_csv(params, index=False, lineterminator="\n")
    written.append(params)
    if not stored:
        from . import results

        named = folder / "results.csv"
        results.frame().to_csv(named, index=False, lineterminator="\n")
        written.append(named)
    meta = folder / "manifest.json"
    meta.write_text(json.dumps(manifest(), indent=2) + "\n", encoding="utf-8")
    written.append(meta)
    return written
