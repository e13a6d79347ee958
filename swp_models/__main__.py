"""Command line: ``python -m swp_models reproduce OUTDIR``.

Writes every chapter's key results as CSV into ``OUTDIR``, with the parameters (every labelled
assumption at the value used) and the versions (Python, libraries, sha256 of every data table)
behind them. See :func:`swp_models.findings.write_key_results`.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m swp_models", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("reproduce", help="write every chapter's key results as CSV, with parameters and versions")
    rep.add_argument("outdir", help="folder to write into (created if missing)")
    args = parser.parse_args(argv)
    from .findings import write_key_results

    try:
        written = write_key_results(args.outdir)
    except (ValueError, TypeError, OSError) as err:  # a bad folder: a message and status 2, as argparse gives
        parser.exit(2, f"{parser.prog} reproduce: error: {err}\n")
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
