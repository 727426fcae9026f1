"""Type aliases that say what an argument means, for the public API's signatures.

They are plain aliases (no runtime checks): the checks live in :mod:`gdviz._checks`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, Protocol, TypeAlias

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # matplotlib is not imported with gdviz; its alias is for the type checker only
    from matplotlib.typing import ColorType, LegendLocType

__all__ = ["ArrayLike", "FloatArray", "Bounds", "Seed", "Color", "Legend", "Aspect", "Levels", "Named"]

#: Anything numpy turns into an array of numbers: a float, a list, a nested list, an ndarray.
ArrayLike: TypeAlias = npt.ArrayLike
#: An array of float64 values.
FloatArray: TypeAlias = npt.NDArray[np.float64]
#: A box to draw or search in, one ``(low, high)`` pair per variable: ``[(-3, 3), (-2, 2)]``.
#: A single pair ``(-2, 2)`` is accepted for a 1-D objective.
Bounds: TypeAlias = Sequence[tuple[float, float]] | tuple[float, float]
#: A seed for numpy's random generator: None (fresh entropy), an int or a Generator.
Seed: TypeAlias = int | np.random.Generator | None
#: A matplotlib colour: a name ("white"), a hex string ("#0072B2"), an RGB(A) tuple or (colour, alpha).
Color: TypeAlias = "ColorType"
#: A legend switch: True (best place), False (none) or a matplotlib location ("upper right").
Legend: TypeAlias = "bool | LegendLocType"
#: The aspect of a map: "equal" (true shapes), "auto" (fill the axes) or the ratio y-unit / x-unit.
Aspect: TypeAlias = Literal["auto", "equal"] | float
#: Contour levels: how many, or the level values themselves.
Levels: TypeAlias = int | Sequence[float]


class Named(Protocol):
    """Anything with a ``name``: an Optimizer, a Schedule (looked up by that name)."""

    @property
    def name(self) -> str: ...
