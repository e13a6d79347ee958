"""Live explorers (ipywidgets), one module per modelling chapter.

Each explorer re-runs the chapter's model on every change of a control. They need a running
kernel (Jupyter, Voila); the static book shows precomputed sliders instead and never includes
widget scripts.
"""

from __future__ import annotations

import html

__all__ = ["html_table"]


def html_table(title: str, rows: list[tuple[str, ...]], head: tuple[str, ...]) -> str:
    """A small titled HTML table for an explorer's output (cells are escaped)."""
    th = "".join(f"<th style='text-align:left;padding:2px 12px 2px 0'>{html.escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td style='padding:2px 12px 2px 0'>{html.escape(c)}</td>" for c in r) + "</tr>"
        for r in rows
    )
    return (f"<h4 style='margin:10px 0 4px'>{html.escape(title)}</h4>"
            f"<table class='swp-explorer-table'><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>")
