"""Fast PNG frames of a figure whose static part is drawn once.

An explorer's figure has a static part (landscape, curve, ticks, colour bar) and a few
*dynamic* artists that a slider move changes (paths, history lines, messages). A
:class:`Renderer` keeps the static part as a pixel background, and for each frame restores
it, draws the dynamic artists on top and encodes the buffer with :func:`encode_png`.

Frames are rendered at :data:`DEVICE_SCALE` times the figure's CSS resolution
(:data:`CSS_DPI` pixels per inch) and shown at CSS size, so text stays sharp on a
high-resolution screen.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from typing import Any, cast

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox, IdentityTransform

__all__ = ["encode_png", "Renderer", "CSS_DPI", "DEVICE_SCALE"]

#: Pixels per inch of a figure as laid out on the page (CSS pixels).
CSS_DPI = 80
#: Device pixels per CSS pixel of a rendered frame: 2 for high-resolution ("retina") screens.
DEVICE_SCALE = 2


def encode_png(pixels: np.ndarray) -> bytes:
    """An ``(height, width, 3)`` RGB or ``(height, width, 4)`` RGBA uint8 image as PNG bytes, built for speed.

    Every row uses filter type 0 (none) and zlib runs at level 1. Pillow tries every row
    filter on every row, which costs ~15 ms for an explorer frame; the flat colours of a
    figure compress about as well without them. The renderer hands over matplotlib's RGBA
    buffer as it is: dropping the alpha byte would be a strided copy costing more (~15 ms
    for a 1600 x 700 frame) than compressing the constant alpha channel (~5 ms).

    >>> encode_png(np.zeros((2, 3, 3), dtype=np.uint8))[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    height, width, channels = pixels.shape
    if channels not in (3, 4) or pixels.dtype != np.uint8:
        raise ValueError(f"pixels: expected a uint8 array of shape (height, width, 3 or 4), got {pixels.dtype} "
                         f"{pixels.shape}")
    rows = np.empty((height, 1 + channels * width), dtype=np.uint8)
    rows[:, 0] = 0  # a leading 0 per row: "no filter"
    rows[:, 1:].reshape(height, width, channels)[...] = pixels  # a view of rows: one copy

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    color_type = 2 if channels == 3 else 6  # 8-bit RGB or RGBA, no interlace
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    # an ndarray is a buffer; numpy's stubs say so (__buffer__) only for Python >= 3.12
    idat = zlib.compress(rows, 1)  # type: ignore[arg-type]
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat)
            + chunk(b"IEND", b""))


class Renderer:
    """PNG frames of ``figure``: a cached background plus the dynamic artists drawn on top.

    When an axes' limits change (an epochs slider), only that axes is re-rendered into the
    background: the layout is frozen and keeps axes' decorations apart, so the old ticks and
    labels are wiped with a rectangle of the figure's colour and the axes drawn anew.
    """

    def __init__(self, figure: Figure):
        self.figure = figure
        if not isinstance(figure.canvas, FigureCanvasAgg):
            FigureCanvasAgg(figure)
        self._background: Any = None
        self._limits: list[Any] | None = None
        self._boxes: dict[Any, Any] = {}

    def png(self, dynamic: Sequence[Artist]) -> bytes:
        """The figure as PNG bytes, drawing only what changed since the last call."""
        canvas = cast(FigureCanvasAgg, self.figure.canvas)  # made an Agg canvas in __init__
        renderer = canvas.get_renderer()
        limits = [(ax.get_xlim(), ax.get_ylim()) for ax in self.figure.axes]
        old_limits = self._limits or [None] * len(limits)
        stale = [ax for ax, lim, old in zip(self.figure.axes, limits, old_limits, strict=True) if lim != old]
        if stale or self._background is None:
            shown = [a for a in dynamic if a.get_visible()]
            for a in shown:
                a.set_visible(False)
            if self._background is None:
                canvas.draw()
            else:
                canvas.restore_region(self._background)
                for ax in stale:  # wipe the old ticks and labels, then draw the axes anew
                    old, self._boxes[ax] = self._boxes[ax], self._drawn_boxes(ax, renderer)
                    for box in [*old, *self._boxes[ax]]:
                        box = box.padded(2)
                        wipe = Rectangle(box.p0, box.width, box.height, transform=IdentityTransform(),
                                         facecolor=self.figure.get_facecolor(), edgecolor="none")
                        wipe.set_figure(self.figure)
                        wipe.draw(renderer)
                    ax.draw(renderer)
            if not self._boxes:
                self._boxes = {ax: self._drawn_boxes(ax, renderer) for ax in self.figure.axes}
            self._background, self._limits = canvas.copy_from_bbox(self.figure.bbox), limits
            for a in shown:
                a.set_visible(True)
        else:
            canvas.restore_region(self._background)
        for a in sorted(dynamic, key=lambda a: a.get_zorder()):
            if a.get_visible():
                a.draw(renderer)
        return encode_png(np.asarray(canvas.buffer_rgba()))

    def _drawn_boxes(self, ax: Any, renderer: Any) -> list[Bbox]:
        """Where ``ax`` paints on the canvas, part by part: the plot area with each axis (ticks,
        tick labels, axis label), each title, and each extra artist (text, legend) that lands on
        the canvas. One tight box around all of it would reach into a neighbour's corner (its last
        tick label) and the wipe would cut it; a label left at a data position outside a zoomed
        view is drawn nowhere and counts for nothing."""
        boxes = [Bbox.union([ax.bbox, axis.get_tightbbox(renderer) or ax.bbox]) for axis in (ax.xaxis, ax.yaxis)
                 if axis.get_visible()] or [ax.bbox]
        inside = {ax.patch, *ax.spines.values()}  # within the plot area's box
        for artist in [ax.title, *ax.get_default_bbox_extra_artists()]:
            if artist.get_visible() and artist not in inside:
                extent = artist.get_tightbbox(renderer)
                if extent is not None and extent.width > 0 and extent.overlaps(self.figure.bbox):
                    boxes.append(extent)
        return boxes
