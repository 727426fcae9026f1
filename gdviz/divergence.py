"""The divergence rule, applied to the rows of a record as the run loop writes them.

A run diverges at row t when any coordinate of x_t leaves ``|x| <= MAX_NORM`` or x_t, f(x_t) or
the gradient there is not finite or not real (complex values arrive here as NaN). Rows are checked
a chunk at a time, after they are computed: runs are independent, so a run that blew up cannot
disturb the others. The record is then frozen from row t on at row t - 1, the rate from step
t - 1 on is 0, and ``diverged_at`` is t (0 when the start itself is bad).

Buffers use the engine's layout: ``x`` and ``g`` of shape ``(rows, dim, n)``, ``f`` of shape
``(rows, n)``, for a slab of ``n`` runs. :mod:`gdviz.descent` is the only user; the constant
:data:`MAX_NORM` is re-exported there.

>>> import numpy as np
>>> x = np.array([[[1.0]], [[2.0]], [[np.inf]], [[5.0]]])   # 4 rows, dim 1, one run
>>> d = np.array([2])
>>> freeze_rows(x, d)[:, 0, 0].tolist()
[1.0, 2.0, 2.0, 2.0]
"""

from __future__ import annotations

import math
from bisect import bisect_left
from typing import Any

import numpy as np

from .records import Landscape

__all__ = ["MAX_NORM", "CHUNK_BYTES", "Rows", "freeze_rows"]

#: A run whose position leaves the box |x_i| <= MAX_NORM counts as diverged (as do NaN and inf).
MAX_NORM = 1e12
#: Rows are checked for divergence a chunk at a time: at most this many bytes per buffer, 64 rows.
CHUNK_BYTES = 4 * 2**20

# the ufuncs' own reductions: ndarray.min() and friends add a Python wrapper to every call
_lowest, _highest, _total = np.minimum.reduce, np.maximum.reduce, np.add.reduce


class Rows:
    """Where one slab of ``n`` runs writes its rows, and the divergence rule, applied chunk by chunk.

    With ``keep=None`` the buffers are the record itself (``x`` of shape ``(rows, dim, n)``,
    ``g`` likewise, ``f`` of shape ``(rows, n)``, ``lr`` of shape ``(rows - 1, n)``); else they
    are scratch buffers of ``chunk`` rows and only the rows listed in ``keep`` are copied out,
    into ``x`` and ``f``.
    """

    def __init__(self, land: Landscape, n: int, x: np.ndarray, f: np.ndarray, *, g: np.ndarray | None = None,
                 lr: np.ndarray | None = None, keep: list[int] | None = None, chunk: int = 0):
        self.land, self.n, self.keep = land, n, keep
        self.out_x, self.out_f, self.g, self.lr = x, f, g, lr
        self.chunk = chunk or max(1, min(64, CHUNK_BYTES // (8 * n * land.dim)))
        if keep is not None:
            self.bx = np.empty((self.chunk, land.dim, n))
            self.bg, self.bf = np.empty_like(self.bx), np.empty((self.chunk, n))
        self.diverged_at: np.ndarray = np.full(n, -1)
        self.clean = True  # no run has diverged (yet)
        self.last: Any = None  # x, g, f of the last row checked

    def slots(self, a: int, b: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Where rows a .. b - 1 go."""
        if self.keep is None:
            assert self.g is not None  # the record itself: it keeps every gradient
            return self.out_x[a:b], self.g[a:b], self.out_f[a:b]
        k = b - a
        return self.bx[:k], self.bg[:k], self.bf[:k]

    def check(self, a: int, X: np.ndarray, G: np.ndarray, F: np.ndarray, f_known: bool) -> None:
        """Rows a .. a + len(X) - 1 are written (f too, if ``f_known``): flag and freeze, then keep."""
        if not f_known:
            F[...] = self.land.value_columns(X.swapaxes(0, 1))
        if self.last is None:
            self.last = (X[0], G[0], F[0])  # a bad start is frozen at itself
        # Fast test first: NaN fails both comparisons and a finite sum means finite entries.
        if not (self.clean and -MAX_NORM <= _lowest(X, axis=None) and _highest(X, axis=None) <= MAX_NORM
                and math.isfinite(_total(G, axis=None)) and math.isfinite(_total(F, axis=None))):
            self._freeze(a, X, G, F)
        self.last = (X[-1].copy(), G[-1].copy(), F[-1].copy())
        if self.keep is not None:  # the kept rows (sorted) that fall in this chunk
            for j in range(bisect_left(self.keep, a), bisect_left(self.keep, a + len(X))):
                self.out_x[j], self.out_f[j] = X[self.keep[j] - a], F[self.keep[j] - a]

    def _freeze(self, a: int, X: np.ndarray, G: np.ndarray, F: np.ndarray) -> None:
        ok = (np.abs(X) <= MAX_NORM).all(axis=1) & np.isfinite(G).all(axis=1) & np.isfinite(F)
        ok[:, self.diverged_at >= 0] = False  # a frozen run stays frozen
        hit = np.flatnonzero(~ok.all(axis=0))
        if hit.size == 0:
            return
        self.clean = False
        first = (~ok[:, hit]).argmax(axis=0)  # the first bad row of each run hit, in this chunk
        new = self.diverged_at[hit] < 0
        self.diverged_at[hit[new]] = a + first[new]
        prev, inside = np.maximum(first - 1, 0), first > 0  # the last good row: in this chunk, or before it
        last_x, last_g, last_f = self.last
        after = np.arange(len(X))[:, None] >= first
        for buf, last in ((X, last_x), (G, last_g)):
            good = np.where(inside, buf[prev, :, hit].T, last[:, hit])
            buf[:, :, hit] = np.where(after[:, None, :], good, buf[:, :, hit])
        F[:, hit] = np.where(after, np.where(inside, F[prev, hit], last_f[hit]), F[:, hit])

    def finish(self, states: list | None) -> Any:
        """Zero the rates of frozen runs; freeze and stack the recorded optimizer states."""
        d = self.diverged_at
        hit = np.flatnonzero(d >= 0)
        if self.lr is not None and hit.size:
            steps = np.arange(self.lr.shape[0])[:, None]
            self.lr[:, hit] = np.where(steps >= np.maximum(d[hit] - 1, 0), 0.0, self.lr[:, hit])
        if states is None:
            return None
        kind, stacked = type(states[0]), {}
        for name in kind._fields:
            values = [getattr(s, name) for s in states]
            if isinstance(values[0], (int, np.integer)):  # a step counter, shared by the batch
                stacked[name] = np.array(values)
            else:
                rows = np.array([np.reshape(v, (self.land.dim, self.n)) for v in values], dtype=float)
                stacked[name] = freeze_rows(rows, d)
        return kind(**stacked)


def freeze_rows(arr: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Rows ``(rows, ..., n)``: for every run with ``d >= 0``, rows from ``d`` on become row ``d - 1``."""
    hit = np.flatnonzero(d >= 0)
    if hit.size:
        good = np.moveaxis(arr[np.maximum(d[hit] - 1, 0), ..., hit], 0, -1)
        after = (np.arange(len(arr))[:, None] >= d[hit]).reshape(len(arr), *(1,) * (arr.ndim - 2), hit.size)
        arr[..., hit] = np.where(after, good, arr[..., hit])
    return arr
