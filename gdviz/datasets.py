"""Classification data for the capstone (notebook 09): handwritten digits and 2-D toy sets.

Every loader returns plain arrays ``X`` (one row per sample, float64) and ``y`` (integer class
labels 0 .. K-1), ready for :class:`gdviz.nn.MLP` and :func:`gdviz.nn.train`:

* :func:`load_digits`: the UCI "Optical Recognition of Handwritten Digits" 8x8 images
  (1,797 samples, 10 classes), shipped in ``gdviz/data_files`` (source and licence in the
  README there);
* :func:`make_moons` and :func:`make_spirals`: seeded 2-D sets whose decision boundaries can
  be drawn;
* :func:`train_test_split`: a seeded, stratified split into training and test samples.

>>> X, y = load_digits()
>>> X.shape, y.shape, float(X.max()), sorted(set(y.tolist())) == list(range(10))
((1797, 64), (1797,), 1.0, True)
>>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=0)
>>> X_train.shape, X_test.shape
((1437, 64), (360, 64))
"""

from __future__ import annotations

import gzip
import io
import math
from importlib import resources

import numpy as np

from ._checks import as_floats, count, generator, in_range, non_negative, positive
from ._types import ArrayLike, Seed

__all__ = ["load_digits", "make_moons", "make_spirals", "train_test_split", "DIGITS_FILE"]

#: The shipped copy of the digits (gzip CSV: 64 pixel columns 0..16, then the label).
DIGITS_FILE = "digits.csv.gz"


def load_digits(scale: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 handwritten digits of the UCI optical-recognition test set, as 8x8 images.

    Each image is a 32x32 bitmap of a digit written by one of 13 people, cut into 4x4 blocks
    whose "on" pixels were counted, so each of the 64 pixels is a whole number 0 .. 16.
    Row i of ``X`` is image i read row by row (``X[i].reshape(8, 8)`` shows it).

    Args:
        scale: divide the pixels by 16, so that they lie in [0, 1] (the default); with
            ``scale=False`` they are the raw counts 0 .. 16 (as floats).

    Returns:
        ``X`` of shape (1797, 64), float64, and ``y`` of shape (1797,), the digits 0 .. 9 (int64).
    """
    raw = resources.files("gdviz").joinpath("data_files").joinpath(DIGITS_FILE).read_bytes()
    table = np.loadtxt(io.StringIO(gzip.decompress(raw).decode("ascii")), delimiter=",", dtype=np.int64)
    X = table[:, :-1].astype(float)
    return (X / 16.0 if scale else X), table[:, -1].copy()


def train_test_split(
    X: ArrayLike, y: ArrayLike, test_size: float = 0.2, seed: Seed = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split samples into a training and a test set, stratified by class, with a seed.

    Stratified: each class keeps its share in both parts. Class c with n_c samples gives
    ``n_c * test_size`` of them to the test set, rounded so that the test set has
    ``ceil(n * test_size)`` samples in all, as in scikit-learn (largest remainders round up). Which samples go
    is drawn per class, classes in increasing order, with ``rng.permutation(n_c)``; then both
    parts are shuffled (``rng.permutation`` of each) so that the classes are mixed.

    Args:
        X: samples, one per row (any array with a first axis of length n).
        y: integer class labels, shape (n,).
        test_size: the share of samples held out, strictly between 0 and 1.
        seed: a whole number, None or a numpy Generator.

    Returns:
        ``X_train, X_test, y_train, y_test`` (the order scikit-learn uses).

    >>> X, y = np.arange(20.0).reshape(10, 2), np.array([0] * 5 + [1] * 5)
    >>> _, _, y_train, y_test = train_test_split(X, y, test_size=0.4, seed=1)
    >>> sorted(y_test.tolist()), len(y_train)
    ([0, 0, 1, 1], 6)
    """
    features, labels = np.asarray(X), as_floats("y", y)
    share = in_range("test_size", test_size, 0.0, 1.0, closed_low=False, closed_high=False)
    rng = generator(seed)
    if labels.ndim != 1 or features.ndim == 0 or features.shape[0] != labels.shape[0]:
        rows = features.shape[0] if features.ndim else "n"
        raise ValueError(f"y: expected one label per row of X, shape ({rows},), got shape {labels.shape}")
    n = labels.shape[0]
    if not np.all(np.isfinite(labels) & (labels == np.round(labels))):
        raise ValueError("y: expected whole-number class labels (the split is stratified by class)")
    n_test = math.ceil(n * share - 1e-9)  # (the tolerance keeps 0.3 * 10 at 3)
    if not 1 <= n_test <= n - 1:
        raise ValueError(f"test_size: {test_size!r} of {n} samples leaves an empty training or test set")
    classes, counts = np.unique(labels, return_counts=True)
    exact = counts * (n_test / n)
    per_class = np.floor(exact).astype(int)
    order = np.lexsort((classes, -(exact - per_class)))  # largest remainder first, ties by class
    per_class[order[:n_test - per_class.sum()]] += 1
    test_rows, train_rows = [], []
    for c, k in zip(classes, per_class, strict=True):
        rows = np.flatnonzero(labels == c)[rng.permutation(int((labels == c).sum()))]
        test_rows.append(rows[:k])
        train_rows.append(rows[k:])
    train = np.concatenate(train_rows)
    test = np.concatenate(test_rows)
    train, test = train[rng.permutation(train.size)], test[rng.permutation(test.size)]
    y_out = np.asarray(y)
    return features[train], features[test], y_out[train], y_out[test]


def make_moons(n: int = 200, noise: float = 0.1, seed: int | np.random.Generator | None = 0,
               ) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles in the plane, class 0 on top, class 1 below.

    Class 0 (``n // 2`` points): ``(cos t, sin t)``; class 1 (the rest):
    ``(1 - cos t, 0.5 - sin t)``, with t evenly spaced over [0, pi] in each. No straight line
    separates them, a small network does. Then, from ``rng = np.random.default_rng(seed)``,
    Gaussian noise ``noise * rng.standard_normal((n, 2))`` is added and the rows are put in the
    order ``rng.permutation(n)``.

    >>> X, y = make_moons(n=6, noise=0.0)
    >>> X.shape, sorted(y.tolist())
    ((6, 2), [0, 0, 0, 1, 1, 1])
    """
    n = count("n", n, low=2)
    noise = non_negative("noise", noise)
    rng = generator(seed)
    n_top = n // 2
    t_top, t_bottom = np.linspace(0.0, np.pi, n_top), np.linspace(0.0, np.pi, n - n_top)
    X = np.concatenate([np.column_stack([np.cos(t_top), np.sin(t_top)]),
                        np.column_stack([1.0 - np.cos(t_bottom), 0.5 - np.sin(t_bottom)])])
    y = np.concatenate([np.zeros(n_top, dtype=np.int64), np.ones(n - n_top, dtype=np.int64)])
    X = X + noise * rng.standard_normal((n, 2))
    order = rng.permutation(n)
    return X[order], y[order]


def make_spirals(n: int = 300, arms: int = 2, noise: float = 0.1, seed: int | np.random.Generator | None = 0,
                 *, turns: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms around the origin, one class per arm.

    Arm k (k = 0 .. arms-1) gets ``n // arms`` points (the first ``n % arms`` arms one more).
    Along an arm s runs evenly over [0, 1]; the point is at radius s and angle
    ``2 pi (turns * s + k / arms)``:

        x = s * (cos theta, sin theta),    theta = 2 pi (turns * s + k / arms)

    Then, from ``rng = np.random.default_rng(seed)``, ``noise * rng.standard_normal((n, 2))`` is
    added and the rows are put in the order ``rng.permutation(n)``. More turns make the classes
    harder to separate.

    >>> X, y = make_spirals(n=7, arms=3, noise=0.0)
    >>> X.shape, np.bincount(y).tolist(), bool(np.all(np.hypot(*X.T) <= 1.0))
    ((7, 2), [3, 2, 2], True)
    """
    arms = count("arms", arms, low=2)
    n = count("n", n, low=arms)
    noise = non_negative("noise", noise)
    turns = positive("turns", turns)
    rng = generator(seed)
    sizes = [n // arms + (k < n % arms) for k in range(arms)]
    s = np.concatenate([np.linspace(0.0, 1.0, m) for m in sizes])
    y = np.repeat(np.arange(arms, dtype=np.int64), sizes)
    theta = 2 * np.pi * (turns * s + y / arms)
    X = s[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])
    X = X + noise * rng.standard_normal((n, 2))
    order = rng.permutation(n)
    return X[order], y[order]
