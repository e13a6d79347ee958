"""Live explorers (ipywidgets), one module per modelling chapter.

Each explorer re-runs the chapter's model on every change of a control. They need a running
kernel (Jupyter, Voila); the static book shows precomputed sliders instead and never includes
widget scripts.
"""

from __future__ import annotations

import html
import threading
import time
from typing import Any, Callable, Mapping

from ..validation import check_instance, check_nonnegative, check_sequence, check_text

__all__ = ["html_table", "check_values", "LivePanel"]


def html_table(title: str, rows: list[tuple[str, ...]], head: tuple[str, ...]) -> str:
    """A small titled HTML table for an explorer's output (cells are escaped).

    Parameters
    ----------
    title : str
        The table's heading.
    rows : sequence of tuple of str
        The rows (at least one), each as long as ``head``.
    head : tuple of str
        The column headings (at least one).
    """
    check_instance("title", title, str, "string")
    head = tuple(check_sequence("head", head))
    rows = check_sequence("rows", rows)
    for i, r in enumerate(rows):
        cells = check_sequence(f"rows[{i}]", r)
        if len(cells) != len(head):
            raise ValueError(f"rows[{i}] must have one cell per column ({len(head)}); got {len(cells)}")
        if not all(isinstance(c, str) for c in (*cells, *head)):
            raise TypeError(f"rows[{i}] and head must hold strings; got {r!r:.80}")
    th = "".join(f"<th style='text-align:left;padding:2px 12px 2px 0'>{html.escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td style='padding:2px 12px 2px 0'>{html.escape(c)}</td>" for c in r) + "</tr>"
        for r in rows
    )
    return (f"<h4 style='margin:10px 0 4px'>{html.escape(title)}</h4>"
            f"<table class='swp-explorer-table'><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>")


def check_values(values: object, keys: tuple[str, ...]) -> dict[str, Any]:
    """Check an explorer's control values: a mapping holding every one of ``keys``.

    Parameters
    ----------
    values : mapping
        Control values by name.
    keys : tuple of str
        The names the explorer reads.

    Returns
    -------
    dict
    """
    check_instance("values", values, Mapping, "mapping of control name to value")
    keys = tuple(check_sequence("keys", keys))
    missing = [k for k in keys if k not in values]
    if missing:
        raise ValueError(f"values lacks the controls {', '.join(missing)}")
    return dict(values)


def _panel_base() -> type:
    import ipywidgets as widgets

    class LivePanel(widgets.VBox):
        """A panel of named controls above a timing line and an HTML result, recomputed on every change.

        Subclasses call :meth:`wire` with their control layout once ``controls`` is filled, and
        implement ``compute(settings) -> str`` returning the result's HTML (a ``ValueError``
        is shown as a message naming the problem). Attributes: ``controls``, ``result``,
        ``timing`` and ``last_seconds``.
        """

        compute: Callable[[dict[str, Any]], str]
        controls: dict[str, Any]

        def __init__(self) -> None:
            super().__init__()
        #: Words of the timing line and of the message shown for inputs the model refuses.
        done_text = "Re-priced in"
        refused_text = "Cannot price these inputs:"

        def add(self, name: str, widget: Any, description_width: str = "260px", width: str = "560px") -> Any:
            """Register ``widget`` as the control ``name`` in the house style (updates when released)."""
            if not hasattr(self, "controls"):
                self.controls = {}
            widget.style = {"description_width": description_width}
            widget.layout = widgets.Layout(width=width)
            widget.continuous_update = False
            self.controls[name] = widget
            return widget

        def wire(self, layout: Any) -> None:
            """Show ``layout`` above the timing line and the result; recompute on every control change."""
            self.result = widgets.HTML()
            self.timing = widgets.HTML()
            self.last_seconds = float("nan")
            self.children = [layout, self.timing, self.result]
            for widget in self.controls.values():
                widget.observe(lambda _change: self.update(), names="value")
            self.update()

        def prepare(self, work: Callable[[], Any], name: str) -> None:
            """Run ``work`` in a background thread: figures a later change will need (another scope's, which
            take seconds), computed as the panel opens and kept by the caches that compute them, so that the
            change itself is quick. ``compute`` calls :meth:`wait_ready` before it uses them."""
            if not callable(work):
                raise TypeError(f"work must be callable; got {type(work).__name__}")
            self._ready = threading.Thread(target=work, name=check_text("name", name), daemon=True)
            self._ready.start()

        @property
        def preparing(self) -> bool:
            """Whether the panel prepares figures in the background (:meth:`prepare`)."""
            return getattr(self, "_ready", None) is not None

        def wait_ready(self, timeout: float | None = None) -> bool:
            """Wait until the figures prepared in the background (:meth:`prepare`) are ready; whether they are
            (True at once for a panel that prepares none).

            Parameters
            ----------
            timeout : float, optional
                Most seconds to wait, >= 0; default no limit.
            """
            if timeout is not None:
                timeout = check_nonnegative("timeout", timeout)
            ready = getattr(self, "_ready", None)
            if ready is None:
                return True
            ready.join(timeout)
            return not ready.is_alive()

        def settings(self) -> dict[str, Any]:
            """The current value of every control."""
            return {name: w.value for name, w in self.controls.items()}

        def update(self) -> None:
            """Recompute on the current inputs and redraw the result."""
            start = time.perf_counter()
            try:
                text = self.compute(self.settings())
            except ValueError as err:
                text = (f'<p class="swp-explorer-error" style="color:#b00"><b>{self.refused_text}</b> '
                        f"{html.escape(str(err))}</p>")
            self.result.value = text
            self.last_seconds = time.perf_counter() - start
            self.timing.value = (f'<p style="color:#666;font-size:90%">{self.done_text} '
                                 f'<span class="swp-explorer-ms">{1000 * self.last_seconds:.0f}</span> ms.</p>')

    return LivePanel


def __getattr__(name: str) -> Any:
    # The base class needs ipywidgets, which only the live explorers use: build it on first use.
    if name == "LivePanel":
        cls = _panel_base()
        globals()["LivePanel"] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
