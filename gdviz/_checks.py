"""Every argument check of the package, in one place.

A public function checks its arguments once, at the boundary, with these helpers, and trusts
them afterwards. The same mistake raises the same exception everywhere, and the message names
the argument and what was expected:

* a value of the wrong *type* (a string where a number is expected, a bool where a count is,
  a complex number): :class:`TypeError`;
* a value of the right type but out of range (a negative rate, 2.5 epochs, an unknown name,
  a record too large for memory): :class:`ValueError`.

Both are raised as subclasses of :class:`ArgumentError` (:class:`ArgumentTypeError`,
:class:`ArgumentValueError`), so that a caller such as an explorer can tell a refused argument
(shown as a message) from a bug (which must surface).

Nothing here imports from the rest of the package, so every module may use it.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import numpy as np

__all__ = [
    "ArgumentError", "ArgumentTypeError", "ArgumentValueError",
    "MEMORY_BUDGET", "as_floats", "number", "positive", "non_negative", "in_range", "count", "counts",
    "one_of", "generator", "memory", "format_bytes", "WORK_BUDGET", "work", "flag", "points", "box", "positives",
]

#: The largest record (in bytes) that one call may allocate. Requests that would need more are
#: refused before any work starts, with a message that says how to ask for less. Change it with
#: ``gdviz._checks.MEMORY_BUDGET = ...`` (read at call time).
MEMORY_BUDGET: int = 2 * 2**30

#: The most work one call may do, in trajectory-steps (runs x epochs; the run loop counts each
#: epoch as another 1000 for its fixed cost in Python): a minute or two at 10 ns per
#: trajectory-step. Read at call time.
WORK_BUDGET: int = 10**10

T = TypeVar("T")


class ArgumentError(Exception):
    """Base of the errors these checks raise: the caller passed a value the function refuses.

    Code that must tell a caller's mistake from a bug in gdviz (an explorer turns the first
    into its message and lets the second surface) catches this class, never every
    ValueError. Each concrete error is also the built-in type the rules above name.
    """


class ArgumentTypeError(ArgumentError, TypeError):
    """A value of the wrong type (a string where a number is expected, ...)."""


class ArgumentValueError(ArgumentError, ValueError):
    """A value of the right type but out of range, an unknown name, too large a request."""


def _is_bool(value: Any) -> bool:
    return isinstance(value, (bool, np.bool_))


def number(name: str, value: Any) -> float:
    """``value`` as a float: a real number (not a bool, string or complex), else TypeError."""
    if _is_bool(value) or not isinstance(value, numbers.Real):
        raise ArgumentTypeError(f"{name}: expected a number, got {value!r}")
    try:
        return float(value)
    except OverflowError:  # an integer beyond the float range (10**400)
        raise ArgumentValueError(f"{name}: expected a number within the float range (|x| < 1.8e308), "
                                 f"got an integer of {len(str(abs(value)))} digits") from None


def positive(name: str, value: Any) -> float:
    """A finite number > 0."""
    out = number(name, value)
    if not (math.isfinite(out) and out > 0):
        raise ArgumentValueError(f"{name}: expected a finite number > 0, got {value!r}")
    return out


def non_negative(name: str, value: Any) -> float:
    """A finite number >= 0."""
    out = number(name, value)
    if not (math.isfinite(out) and out >= 0):
        raise ArgumentValueError(f"{name}: expected a finite number >= 0, got {value!r}")
    return out


def in_range(name: str, value: Any, low: float, high: float, *, closed_low: bool = True,
             closed_high: bool = False) -> float:
    """A number in the interval from ``low`` to ``high``; the brackets say which ends belong to it."""
    out = number(name, value)
    above = low <= out if closed_low else low < out
    below = out <= high if closed_high else out < high
    if not (above and below):  # NaN fails both
        lo, hi = "[" if closed_low else "(", "]" if closed_high else ")"
        raise ArgumentValueError(f"{name}: expected a number in {lo}{low:g}, {high:g}{hi}, got {value!r}")
    return out


def count(name: str, value: Any, low: int = 0, high: int | None = None) -> int:
    """A whole number in ``low .. high``. Floats with a whole value (3.0) are accepted, 2.5 is not."""
    if _is_bool(value) or not isinstance(value, numbers.Real):
        raise ArgumentTypeError(f"{name}: expected a whole number >= {low}, got {value!r}")
    span = f">= {low}" if high is None else f"in {low} .. {high}"
    if not (math.isfinite(value) and float(value).is_integer()):
        raise ArgumentValueError(f"{name}: expected a whole number {span}, got {value!r}")
    out = int(value)  # type: ignore[call-overload]  # typeshed's numbers.Real lacks __int__; every Real has it
    if out < low or (high is not None and out > high):
        raise ArgumentValueError(f"{name}: expected a whole number {span}, got {value!r}")
    return out


def counts(name: str, value: Any) -> np.ndarray:
    """One whole number >= 0 or a 1-D array of them, as a 1-D int array; each checked as by :func:`count`."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "i" and value.ndim == 1 and value.size:
        if value.min() >= 0:  # an array of integers: checked at once (one call per entry costs us each)
            return value.astype(int)
    items = np.atleast_1d(np.asarray(value, dtype=object))  # each value keeps its type: True is not 1
    if items.ndim != 1 or items.size == 0:
        raise ArgumentValueError(f"{name}: expected a whole number or a 1-D array of them, got {value!r}")
    return np.array([count(name, v) for v in items], dtype=int)


def as_floats(name: str, value: Any) -> np.ndarray:
    """``value`` as a float array; strings, booleans, None and complex numbers are refused, not converted."""
    try:
        raw = np.asarray(value)
        if raw.dtype.kind not in "iufO" or value is None:  # (numpy would turn None into NaN)
            raise TypeError
        if raw.dtype.kind == "O" and any(_is_bool(v) or isinstance(v, (complex, str)) for v in raw.flat):
            raise TypeError
        return raw.astype(float)
    except OverflowError:  # an integer beyond the float range (10**400)
        raise ArgumentValueError(f"{name}: a number is too large for a float (|x| < 1.8e308), got {value!r}") from None
    except (TypeError, ValueError):
        raise ArgumentTypeError(f"{name}: expected a number or an array of numbers, got {value!r}") from None


def positives(name: str, value: Any) -> np.ndarray:
    """A number or a non-empty array of numbers, all finite and > 0 (learning rates)."""
    arr = as_floats(name, value)
    if arr.size == 0 or not np.all(np.isfinite(arr)) or not np.all(arr > 0):
        raise ArgumentValueError(f"{name}: expected finite numbers > 0, got {value!r}")
    return arr


def flag(name: str, value: Any) -> bool:
    """A bool (numpy's too); 0 and 1 are not flags."""
    if not _is_bool(value):
        raise ArgumentTypeError(f"{name}: expected True or False, got {value!r}")
    return bool(value)


def points(name: str, value: Any, dim: int, limit: float = math.inf) -> np.ndarray:
    """Points as a float array in the coordinate-major layout ``(dim, *batch)``.

    ``value`` is a number or an array of any shape for ``dim == 1``, else an array whose last
    axis has length ``dim``. Empty batches, NaN, inf and coordinates beyond ``limit`` are refused.
    """
    arr = as_floats(name, value)
    if dim == 1:
        arr = arr[None]
    elif arr.ndim == 0 or arr.shape[-1] != dim:
        raise ArgumentValueError(f"{name}: expected a last axis of length {dim} (one entry per variable, "
                                 f"e.g. {[0.0] * dim}), got shape {arr.shape}")
    else:
        arr = np.moveaxis(arr, -1, 0)
    if arr.size == 0:
        raise ArgumentValueError(f"{name}: expected at least one point, got an empty array of shape "
                                 f"{np.shape(value)}")
    if not np.all(np.abs(arr) <= limit):  # also refuses NaN and inf
        raise ArgumentValueError(f"{name}: expected finite coordinates with |x| <= {limit:g}")
    return arr


def box(name: str, value: Any, dim: int) -> np.ndarray:
    """``(low, high)`` for every coordinate, or one pair per coordinate: an array of shape ``(dim, 2)``."""
    pairs = as_floats(name, value)
    if pairs.shape == (2,):
        pairs = np.tile(pairs, (dim, 1))
    if pairs.shape != (dim, 2) or not np.all(np.isfinite(pairs)) or np.any(pairs[:, 0] >= pairs[:, 1]):
        raise ArgumentValueError(f"{name}: expected finite (low, high) with low < high, or {dim} such pairs; "
                                 f"got {value!r}")
    return pairs


def one_of(name: str, value: Any, choices: Mapping[str, T] | Iterable[str]) -> Any:
    """Look ``value`` up by name (case-insensitive); an unknown name lists the valid ones.

    With a mapping, returns the entry; with a plain list of names, returns the lower-case name.
    """
    names = list(choices)
    if not isinstance(value, str):
        raise ArgumentTypeError(f"{name}: expected one of the names {names}, got {value!r}")
    key = value.lower()
    lookup = {str(n).lower(): n for n in names}
    if key not in lookup:
        raise ArgumentValueError(f"{name}: unknown {name} {value!r}; choose one of {names}")
    return choices[lookup[key]] if isinstance(choices, Mapping) else key


def generator(seed: Any, name: str = "seed") -> np.random.Generator:
    """A numpy Generator from a seed (a whole number >= 0 or None) or the Generator itself."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if _is_bool(seed) or not isinstance(seed, (int, np.integer)):
        raise ArgumentTypeError(f"{name}: expected a whole number >= 0, None or a numpy Generator, got {seed!r}")
    if seed < 0:
        raise ArgumentValueError(f"{name}: expected a whole number >= 0, None or a numpy Generator, got {seed!r}")
    return np.random.default_rng(int(seed))


def format_bytes(n: float) -> str:
    """1536 -> '1.5 KiB'."""
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def memory(nbytes: float, what: str, advice: str) -> None:
    """Refuse, before any work starts, a record of ``nbytes`` larger than :data:`MEMORY_BUDGET`.

    ``what`` names the request ("this run's record"), ``advice`` says how to ask for less.
    """
    budget = MEMORY_BUDGET
    if nbytes > budget:
        raise ArgumentValueError(f"{what} would need {format_bytes(nbytes)}, more than the memory budget of "
                         f"{format_bytes(budget)} (gdviz._checks.MEMORY_BUDGET); {advice}")


def work(steps: float, what: str, advice: str) -> None:
    """Refuse, before any work starts, more than :data:`WORK_BUDGET` trajectory-steps."""
    budget = WORK_BUDGET
    if steps > budget:
        raise ArgumentValueError(f"{what} would take {steps:.3g} trajectory-steps (runs x epochs + 1000 per "
                                 f"epoch), more than the budget of {budget:.3g} (gdviz._checks.WORK_BUDGET); "
                                 f"{advice}")
