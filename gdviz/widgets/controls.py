"""The widget layer: :class:`Explorer` and the slider factories. The only module that imports ipywidgets.

Works with ipywidgets 7.6 to 8.x and the inline backend (Colab ships 7.7.1 and no ipympl):
only the widget classes in :data:`WIDGET_CLASSES` are used. A slider move calls the view's
``update`` and shows the new PNG in a fixed-height ``Output`` with ``clear_output(wait=True)``,
so nothing flickers or stacks; the PNG has twice the pixels of its CSS size, for sharp text.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
from IPython import get_ipython
from IPython.display import Image, clear_output, display

from .. import _checks
from ..objective import Objective
from .view import MESSAGE_TEXT, View

__all__ = ["Explorer", "WIDGET_CLASSES", "STYLE", "wrap", "lr_slider", "epochs_slider", "log_slider",
           "start_sliders", "show_only", "dropdown", "int_slider", "float_slider", "checkbox", "selection_slider",
           "html_note", "vbox"]

#: The widget classes explorers are built from: all present in ipywidgets 7.6 and 8.x.
WIDGET_CLASSES = frozenset({"VBox", "HBox", "Output", "HTML", "FloatLogSlider", "FloatSlider", "IntSlider",
                            "Dropdown", "SelectionSlider", "Layout", "Checkbox"})
#: Slider descriptions take the room they need instead of being cut at 80 px.
STYLE = {"description_width": "initial"}
#: The readout's messages: the theme's error colour (JupyterLab and Voila: #d32f2f on white, #f44336 on
#: #111, contrast 6.8 and 5.1), else the figure's message colour (5.8 on white). The figures'
#: vermillion, #D55E00, reaches only 3.9 on white, too little for text of 12 px.
MESSAGE_COLOR = f"var(--jp-error-color1, {MESSAGE_TEXT})"
_MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace"


class Explorer(widgets.VBox):
    """A view with its controls: sliders on top, the figure in a fixed-height Output, a readout.

    ``controls`` maps each parameter of ``view.update`` to the widget that sets it;
    ``result`` is what the last update returned and ``image`` the PNG bytes shown.
    """

    def __init__(self, view: View, controls: Mapping[str, widgets.Widget],
                 rows: Sequence[widgets.Widget] | None = None):
        width, height = view.css_size
        self.view, self.controls = view, dict(controls)
        # a fixed height: the page does not jump while the figure is replaced
        self.output = widgets.Output(layout=widgets.Layout(height=f"{height + 4}px", overflow="hidden"))
        self.readout = widgets.HTML()
        self.result: Any = None
        self.image = b""
        rows = rows if rows is not None else ([wrap(list(self.controls.values()))] if self.controls else [])
        super().__init__([*rows, self.output, self.readout])
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        self.refresh()

    @property
    def values(self) -> dict[str, Any]:
        return {name: control.value for name, control in self.controls.items()}

    # Where no widget manager runs (GitHub's notebook view, a static page, a Colab notebook not
    # run yet) the saved output falls back to the static frame: the figure with its caption and
    # the hint to run the notebook. Live front ends rank the widget view above it.
    def __repr__(self) -> str:
        names = ", ".join(self.controls) or "nothing"
        return f"gdviz explorer with sliders for {names}: run the notebook to move them"

    def _add_picture(self, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        width, height = self.view.css_size
        data["text/plain"] = repr(self)
        data["image/png"] = base64.b64encode(self.view.png(static=True)).decode("ascii")
        return data, {"image/png": {"width": width, "height": height}}

    if hasattr(widgets.Widget, "_repr_mimebundle_"):  # ipywidgets 8

        def _repr_mimebundle_(self, **kwargs: Any) -> Any:
            data = super()._repr_mimebundle_(**kwargs)
            return None if data is None else self._add_picture(data)

    else:  # ipywidgets 7 publishes its display data itself

        def _ipython_display_(self, **kwargs: Any) -> None:
            view = {"version_major": 2, "version_minor": 0, "model_id": self._model_id}
            data, metadata = self._add_picture({"application/vnd.jupyter.widget-view+json": view})
            display(data, metadata=metadata, raw=True)
            self._handle_displayed(**kwargs)

    def _changed(self, change: Mapping[str, Any]) -> None:
        self.refresh()

    def refresh(self) -> Any:
        """Update the view from the controls and show the new figure and readout."""
        self.result = self.view.update(**self.values)
        # the figure's message strip holds one line; when it had to cut them short, each message
        # gets its own line here (the readout has a line per run anyway)
        lines = [f'<span style="color:{MESSAGE_COLOR}; font-weight:bold">{html.escape(m)}</span>'
                 for m in self.view.messages] if self.view.shortened else []
        self.readout.value = (f'<pre style="margin:0; font-family:{_MONO}; font-size:12px; line-height:1.35; '
                              'white-space:pre-wrap; word-break:normal; overflow-wrap:normal">'
                              + "\n".join([*lines, html.escape(self.view.readout)]) + "</pre>")
        self.image = self.view.png()
        width, height = self.view.css_size
        shell = get_ipython()
        if shell is not None and getattr(shell, "kernel", None) is not None:
            with self.output:
                clear_output(wait=True)
                display(Image(data=self.image, format="png", width=width, height=height))
        else:  # no kernel (a script, the tests): put the output on the widget's model directly
            data = {"image/png": base64.b64encode(self.image).decode("ascii"), "text/plain": "<figure>"}
            self.output.outputs = ({"output_type": "display_data", "data": data,
                                    "metadata": {"image/png": {"width": width, "height": height}}},)
        return self.result


def wrap(children: list[widgets.Widget]) -> widgets.HBox:
    """A row of controls that wraps onto the next line when the notebook is narrow."""
    return widgets.HBox(children, layout=widgets.Layout(flex_flow="row wrap"))


def log_slider(name: str, value: float, lo: float, hi: float, *, description: str | None = None,
               fmt: str = ".3g", step: float = 0.02) -> widgets.FloatLogSlider:
    """A base-10 log slider from ``lo`` to ``hi`` (widened to hold ``value``); all three must be > 0."""
    value, lo, hi = (_checks.positive(name, value), _checks.positive(f"{name} range", lo),
                     _checks.positive(f"{name} range", hi))
    if not lo < hi:
        raise _checks.ArgumentValueError(f"{name} range: expected (low, high) with 0 < low < high, got ({lo}, {hi})")
    low, high = math.log10(min(lo, value)), math.log10(max(hi, value))
    return widgets.FloatLogSlider(value=value, base=10, min=low, max=high, step=step,
                                  description=description or name, readout_format=fmt, style=STYLE)


def lr_slider(lr: float, lr_range: tuple[float, float]) -> widgets.FloatLogSlider:
    """The learning rate on a log scale: equal slider distances are equal factors."""
    if not (isinstance(lr_range, Sequence) and len(lr_range) == 2):
        raise _checks.ArgumentTypeError(f"lr_range: expected (low, high), got {lr_range!r}")
    return log_slider("lr", lr, *lr_range, description="learning rate", step=0.01)


def epochs_slider(epochs: int, max_epochs: int | None) -> widgets.IntSlider:
    """Epochs from 1 to ``max_epochs`` (default: 100 or 4 x epochs, whichever is larger)."""
    epochs = _checks.count("epochs", epochs, low=1)
    top = max(100, 4 * epochs) if max_epochs is None else _checks.count("max_epochs", max_epochs, low=1)
    return widgets.IntSlider(value=epochs, min=1, max=max(top, epochs), description="epochs", style=STYLE)


def _nice_step(span: float, ticks: int = 200) -> float:
    """A step of 1, 2 or 5 times a power of ten that cuts ``span`` into about ``ticks`` parts."""
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return min((m * power for m in (1, 2, 5, 10)), key=lambda step: abs(step - raw))


def start_sliders(objective: Objective, start: Mapping[str, float]) -> dict[str, widgets.FloatSlider]:
    """One slider per coordinate on a round grid (0.05, 0.02, ...) so that round starts lie on it."""
    out = {}
    for (key, value), (lo, hi), v in zip(start.items(), objective.bounds, objective.variable_names, strict=True):
        step = _nice_step(hi - lo)
        low, high = math.floor(min(lo, value) / step) * step, math.ceil(max(hi, value) / step) * step
        decimals = max(0, -math.floor(math.log10(step)))
        out[key] = widgets.FloatSlider(value=value, min=low, max=high, step=step, description=f"start {v}",
                                       readout_format=f".{decimals}f", style=STYLE)
    return out


def show_only(picker: widgets.Dropdown, settings: Mapping[str, widgets.Widget],
              relevant: Callable[[str], Any]) -> None:
    """Show only the ``settings`` that ``relevant(picker.value)`` names, now and whenever the
    picker changes. Call it before the Explorer is built: its observer then runs before the
    redraw, so the sliders and the figure change together."""

    def show(change: Any = None) -> None:
        keep = relevant(picker.value)
        for name, control in settings.items():
            control.layout.display = "" if name in keep else "none"

    picker.observe(show, names="value")
    show()


def dropdown(name: str, options: Sequence[Any], value: Any, description: str) -> widgets.Dropdown:
    """A picker; a value that is not among the options is an input error naming them."""
    keys = [o[1] if isinstance(o, tuple) else o for o in options]
    if value not in keys:
        raise _checks.ArgumentValueError(f"{name}: unknown {name} {value!r}; choose one of {keys}")
    return widgets.Dropdown(options=list(options), value=value, description=description, style=STYLE)


def int_slider(name: str, value: float, low: int, high: int, description: str) -> widgets.IntSlider:
    """An integer slider starting at ``value``, a whole number (3 or 3.0; 2.5 is refused)."""
    value = _checks.count(name, value, low=low)
    return widgets.IntSlider(value=value, min=low, max=max(high, value), description=description, style=STYLE)


def float_slider(name: str, value: float, low: float, high: float, step: float, description: str,
                 fmt: str = ".2f") -> widgets.FloatSlider:
    value = _checks.in_range(name, value, low, high, closed_high=True)
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               readout_format=fmt, style=STYLE)


def checkbox(value: bool, description: str) -> widgets.Checkbox:
    return widgets.Checkbox(value=bool(value), description=description, indent=False)


def selection_slider(options: Sequence[tuple[str, Any]], value: Any, description: str) -> widgets.SelectionSlider:
    return widgets.SelectionSlider(options=list(options), value=value, description=description, style=STYLE)


def html_note(text: str) -> widgets.HTML:
    return widgets.HTML(html.escape(text))


def vbox(children: Sequence[widgets.Widget]) -> widgets.VBox:
    return widgets.VBox(list(children))
