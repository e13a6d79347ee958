"""Command line: ``python -m swp_models reproduce OUTDIR`` and ``python -m swp_models workbook OUT.xlsx``.

``reproduce`` writes every chapter's key results as CSV into ``OUTDIR``, with the parameters (every
labelled assumption at the value used) and the versions (Python, libraries, sha256 of every data table)
behind them (see :func:`swp_models.findings.write_key_results`). ``workbook`` writes the take-away costing
workbook, a spreadsheet with live formulas, with the book's defaults or the inputs given with ``--set``
(see :func:`swp_models.workbook.write_workbook`).
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["main"]


def _setting(text: str) -> tuple[str, object]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"a setting is NAME=VALUE (e.g. council_turnover=0.18); got {text!r}")
    value = value.strip()
    try:
        number: object = int(value)
    except ValueError:
        try:
            number = float(value)
        except ValueError:
            number = value
    return name.strip(), number


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m swp_models", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("reproduce", help="write every chapter's key results as CSV, with parameters and versions")
    rep.add_argument("outdir", help="folder to write into (created if missing)")
    wbk = sub.add_parser("workbook", help="write the take-away costing workbook (.xlsx) for a council's own numbers")
    wbk.add_argument("out", help="the .xlsx file to write")
    wbk.add_argument("--set", dest="settings", metavar="NAME=VALUE", action="append", default=[], type=_setting,
                     help="an input of the 'Your council' sheet (shares as fractions: council_turnover=0.18); "
                          "repeat for more; --list shows them")
    wbk.add_argument("--list", action="store_true", help="list the inputs, their units, ranges and defaults, and stop")
    args = parser.parse_args(argv)
    if args.command == "reproduce":
        from .findings import write_key_results

        try:
            written = write_key_results(args.outdir)
        except (ValueError, TypeError, OSError) as err:  # a bad folder: a message and status 2, as argparse gives
            parser.exit(2, f"{parser.prog} reproduce: error: {err}\n")
        for path in written:
            print(path)
        return 0
    from . import workbook

    if args.list:
        table = workbook.input_table()
        print(table[["name", "unit", "low", "high", "default"]].to_string(index=False))
        return 0
    try:
        path = workbook.write_workbook(args.out, dict(args.settings))
    except ValueError as err:
        print(f"python -m swp_models workbook: {err}", file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
