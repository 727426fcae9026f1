"""Shared fixtures of the core test-suite.

Reference values in these tests never come from the code under test: every expected number is
computed by formulas written out in the test itself (plain Python loops, hand-derived gradients,
closed forms) or by finite differences.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

# Figures are drawn without a display (plotting and image tests); a backend chosen by the user wins.
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def rng() -> np.random.Generator:
    """A freshly seeded generator, so every test sees the same "random" points."""
    return np.random.default_rng(20240611)
