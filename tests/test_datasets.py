"""Tests for gdviz.datasets: the shipped digits against the raw file, the seeded toy sets against
their defining formulas, and the stratified split."""

from __future__ import annotations

import csv
import gzip
import hashlib
import math
from importlib import resources

import numpy as np
import pytest

from gdviz import datasets


def _raw_digits() -> list[list[int]]:
    path = resources.files("gdviz").joinpath("data_files", "digits.csv.gz")
    with gzip.open(str(path), "rt", encoding="ascii") as handle:
        return [[int(v) for v in row] for row in csv.reader(handle)]


# ------------------------------------------------------------------- digits


def test_digits_file_is_the_documented_copy():
    data = resources.files("gdviz").joinpath("data_files", "digits.csv.gz").read_bytes()
    readme = resources.files("gdviz").joinpath("data_files", "README.md").read_text(encoding="utf-8")
    assert hashlib.sha256(data).hexdigest() in readme


def test_digits_shapes_labels_and_scaling():
    X, y = datasets.load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and np.issubdtype(y.dtype, np.integer)
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    raw, labels = datasets.load_digits(scale=False)
    np.testing.assert_array_equal(raw, 16 * X)
    np.testing.assert_array_equal(labels, y)
    assert set(np.unique(raw)) <= set(range(17))


def test_digits_pixels_match_the_raw_file():
    rows = _raw_digits()
    assert len(rows) == 1797 and all(len(r) == 65 for r in rows)
    X, y = datasets.load_digits(scale=False)
    for i in (0, 1, 500, 1796):
        assert X[i].tolist() == rows[i][:64]
        assert y[i] == rows[i][64]
    # the first image, a zero, as printed in the UCI file: its top row is 0 0 5 13 9 1 0 0
    assert X[0, :8].tolist() == [0, 0, 5, 13, 9, 1, 0, 0] and y[0] == 0


# ------------------------------------------------------------------- split


def test_split_is_stratified_disjoint_and_complete():
    X, y = datasets.load_digits()
    ids = np.arange(len(y))
    X_train, X_test, y_train, y_test = datasets.train_test_split(np.column_stack([ids, X]), y, 0.2, seed=0)
    assert len(y_test) == math.ceil(0.2 * 1797) and len(y_train) + len(y_test) == 1797
    train_ids, test_ids = X_train[:, 0].astype(int), X_test[:, 0].astype(int)
    assert sorted(np.concatenate([train_ids, test_ids]).tolist()) == ids.tolist()
    np.testing.assert_array_equal(y[train_ids], y_train)
    np.testing.assert_array_equal(y[test_ids], y_test)
    # each class gives 20% (rounded) of its samples to the test set
    share = np.bincount(y_test, minlength=10) / np.bincount(y)
    assert np.all(np.abs(share - 0.2) < 1.0 / np.bincount(y))
    # shuffled, not grouped by class
    assert np.any(np.diff(y_test) < 0)


def test_split_is_reproducible_and_seeded():
    X, y = datasets.load_digits()
    first = datasets.train_test_split(X, y, seed=3)
    again = datasets.train_test_split(X, y, seed=3)
    other = datasets.train_test_split(X, y, seed=4)
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[3], other[3])


def test_split_rejects_bad_input():
    X, y = np.zeros((10, 2)), np.arange(10) % 2
    with pytest.raises(ValueError, match="test_size"):
        datasets.train_test_split(X, y, test_size=1.0)
    with pytest.raises(ValueError, match="test_size"):
        datasets.train_test_split(X, y, test_size=0.95)  # no training sample left
    with pytest.raises(TypeError, match="test_size"):
        datasets.train_test_split(X, y, test_size="20%")
    with pytest.raises(ValueError, match="y"):
        datasets.train_test_split(X, y[:9])
    with pytest.raises(ValueError, match="y"):
        datasets.train_test_split(X, y + 0.5)
    with pytest.raises(ValueError, match="seed"):
        datasets.train_test_split(X, y, seed=-2)


# ------------------------------------------------------------------- toy sets


def test_moons_without_noise_lie_on_their_half_circles():
    X, y = datasets.make_moons(n=101, noise=0.0, seed=0)
    assert X.shape == (101, 2) and np.bincount(y).tolist() == [50, 51]
    top, bottom = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(top[:, 0], top[:, 1]), 1.0, rtol=1e-12)
    assert np.all(top[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.hypot(bottom[:, 0] - 1.0, bottom[:, 1] - 0.5), 1.0, rtol=1e-12)
    assert np.all(bottom[:, 1] <= 0.5 + 1e-12)


def test_moons_noise_and_reproducibility():
    X, y = datasets.make_moons(n=200, noise=0.1, seed=7)
    X2, y2 = datasets.make_moons(n=200, noise=0.1, seed=7)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(X, datasets.make_moons(n=200, noise=0.1, seed=8)[0])
    # the documented draws: noise first, then the permutation
    clean, labels = datasets.make_moons(n=200, noise=0.0, seed=7)
    rng = np.random.default_rng(7)
    noise = 0.1 * rng.standard_normal((200, 2))
    order = rng.permutation(200)
    unshuffled = np.empty_like(X)
    unshuffled[order] = X
    base = np.empty_like(clean)
    base[order] = clean
    np.testing.assert_allclose(unshuffled - base, noise, atol=1e-15)


def test_spirals_follow_the_formula():
    X, y = datasets.make_spirals(n=300, arms=3, noise=0.0, seed=0, turns=1.5)
    assert X.shape == (300, 2) and np.bincount(y).tolist() == [100, 100, 100]
    s = np.hypot(X[:, 0], X[:, 1])  # radius = position along the arm
    theta = 2 * np.pi * (1.5 * s + y / 3)
    np.testing.assert_allclose(X, s[:, None] * np.column_stack([np.cos(theta), np.sin(theta)]), atol=1e-12)
    for k in range(3):
        np.testing.assert_allclose(np.sort(s[y == k]), np.linspace(0, 1, 100), atol=1e-12)
    X2, y2 = datasets.make_spirals(n=300, arms=3, noise=0.2, seed=1, turns=1.5)
    np.testing.assert_array_equal(X2, datasets.make_spirals(n=300, arms=3, noise=0.2, seed=1, turns=1.5)[0])
    assert np.bincount(datasets.make_spirals(n=7, arms=2)[1]).tolist() == [4, 3]


def test_toy_sets_reject_bad_input():
    with pytest.raises(ValueError, match="noise"):
        datasets.make_moons(noise=-0.1)
    with pytest.raises(ValueError, match="n"):
        datasets.make_moons(n=1)
    with pytest.raises(TypeError, match="n"):
        datasets.make_moons(n="many")
    with pytest.raises(ValueError, match="arms"):
        datasets.make_spirals(arms=1)
    with pytest.raises(ValueError, match="n"):
        datasets.make_spirals(n=2, arms=3)
    with pytest.raises(ValueError, match="turns"):
        datasets.make_spirals(turns=0)
    with pytest.raises(ValueError, match="seed"):
        datasets.make_spirals(seed=-1)
