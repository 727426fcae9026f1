# %% [markdown]
# # 02 · The peaks landscape in two dimensions
#
# **What you will be able to do after this notebook**
#
# - read a two-variable landscape from a heat map, a contour plot and a 3-D surface, and find its
#   valleys and summits by eye;
# - write the gradient as a pair of partial derivatives, let sympy derive them, and turn them into
#   fast numpy functions with `lambdify`;
# - run gradient descent on a point $(x, y)$ and draw its path;
# - explain why descent is *local*: the start decides which valley you end in, and a whole map of
#   starts splits into basins of attraction;
# - read the Hessian at a minimum: its eigenvalues set the learning rate at which descent starts
#   to zig-zag and the rate beyond which it stops converging, direction by direction.
#
# **Where we left off.** Notebook 01 ran the rule $x \leftarrow x - \eta\, f'(x)$ on curves with a
# single valley. We saw that the step is the learning rate times the slope, so steps shrink near the
# bottom, and that on a quadratic the rate must stay below $2/f''$. Every landscape there had one
# minimum, so "where does descent end?" always had the same answer. That changes now.

# %%
# SETUP

# %% [markdown]
# ## 1. A landscape with three valleys and three summits
#
# The surface we explore is the "peaks" function, familiar from MATLAB's demos:
#
# $$f(x, y) = 3(1-x)^2 e^{-x^2-(y+1)^2} - 10\left(\frac{x}{5} - x^3 - y^5\right) e^{-x^2-y^2}
#   - \frac{1}{3} e^{-(x+1)^2-y^2}$$
#
# It is a sum of three Gaussian bumps shaped by polynomials, and we look at it on the square
# $[-3, 3]^2$. The gdviz catalogue holds it as an `Objective`, with the formula, its plotting window
# and the critical points we know.

# %%
f = gd.functions.peaks
f

# %% [markdown]
# The catalogue lists three local minima and three local maxima, each as an `Extremum(x, f, kind)`.
# The first minimum is the **global** one, the lowest point of the whole surface.

# %%
for kind, points in (("minimum", f.minima), ("maximum", f.maxima)):
    for p in points:
        print(f"{kind:8s} {p.kind:6s} at ({p.x[0]:6.3f}, {p.x[1]:6.3f})   f = {p.f:6.3f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Let us check those numbers instead of trusting them: the values must match the formula, the
# gradient must vanish at every one of them, and the curvature (the Hessian matrix of second
# derivatives) must bend upwards in every direction at a minimum and downwards at a maximum.

# %%
expected_minima = [((0.228, -1.626), -6.551), ((-1.347, 0.205), -3.050), ((0.296, 0.320), -0.065)]
expected_maxima = [((-0.009, 1.581), 8.106), ((-0.460, -0.629), 3.777), ((1.286, -0.005), 3.592)]
for points, expected, sign in ((f.minima, expected_minima, +1), (f.maxima, expected_maxima, -1)):
    for p, (xy, value) in zip(points, expected, strict=True):
        assert np.allclose(p.x, xy, atol=5e-4) and abs(p.f - value) < 5e-4
        assert abs(f(np.array(p.x)) - p.f) < 1e-9  # the value is the formula's
        assert np.allclose(f.grad(np.array(p.x)), 0.0, atol=1e-9)  # flat: a critical point
        assert np.all(sign * np.linalg.eigvalsh(f.hessian(np.array(p.x))) > 0)  # bowl up / dome down
assert f.global_minimum == f.minima[0] and f.global_minimum.f < -6.55

# %% [markdown]
# ## 2. Seeing the landscape
#
# A function of two variables needs a picture with three numbers per point: $x$, $y$ and the
# height $f(x, y)$. A **heat map** keeps $x$ and $y$ as the axes and turns height into colour. The
# colour map used throughout this course is *viridis*: **dark purple is low, teal is in the
# middle, bright yellow is high**; the colour bar beside each plot translates colour back to $f$.
# On the right the same data is drawn as **filled contours**: bands of equal height, like a hiking
# map. White triangles pointing down mark the three minima, pointing up the three maxima.
#
# Before you look, use the table above to guess where the brightest yellow spot will be.

# %%
grid = gd.plotting.landscape_grid(f, n=200)  # f on a 200 x 200 grid, computed once, drawn twice
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
gd.plotting.plot_landscape(f, ax=left, kind="heatmap", grid=grid)
gd.plotting.plot_landscape(f, ax=right, kind="contour", grid=grid)
for ax in (left, right):
    gd.plotting.mark_extrema(f, ax=ax)
left.set_title("heat map")
right.set_title("filled contours")
plt.show()

# %% [markdown]
# The tallest summit, $f \approx 8.1$, is the yellow spot at the top centre. The deepest valley,
# $f \approx -6.6$, is the dark purple patch below the centre, and a second, less deep valley
# ($f \approx -3.0$) sits on the left. The third minimum hides in the middle, hemmed in by the
# three summits: it is so shallow ($f \approx -0.065$) that it hardly shows in colour, a small dip
# on the high ground between them. Around all of this the colour is a uniform teal: far from the centre the surface flattens
# out to $f \approx 0$. Keep that flat rim in mind; it matters later. The grid we drew agrees with
# the table:

# %%
X, Y, Z = grid
lowest, highest = np.unravel_index(Z.argmin(), Z.shape), np.unravel_index(Z.argmax(), Z.shape)
print(f"lowest grid point  ({X[lowest]:.2f}, {Y[lowest]:.2f}), f = {Z[lowest]:.3f}")  # NBVAL_CHECK_OUTPUT
print(f"highest grid point ({X[highest]:.2f}, {Y[highest]:.2f}), f = {Z[highest]:.3f}")  # NBVAL_CHECK_OUTPUT
assert np.hypot(X[lowest] - f.minima[0].x[0], Y[lowest] - f.minima[0].x[1]) < 0.05
assert np.hypot(X[highest] - f.maxima[0].x[0], Y[highest] - f.maxima[0].x[1]) < 0.05

# %% [markdown]
# Colour is precise but abstract. A **3-D surface** shows the same numbers as heights, which is
# how most of us picture "walking downhill". The surface is lit from the upper left, so slopes that
# face the light are brighter and shapes read as shapes; the white triangles are the three minima
# again. We look down on it from the side of negative $y$, so the tall peak is at the back. Find
# it, then the deep pit in front of it, the second pit on the left (half hidden behind a hill) and
# the flat plain all around.

# %%
fig = plt.figure(figsize=(8, 6))
ax3d = fig.add_subplot(projection="3d")
gd.plotting.plot_surface(f, ax=ax3d)
gd.plotting.mark_extrema(f, ax=ax3d, maxima=False)
ax3d.computed_zorder = False  # the markers stay in front of the surface
ax3d.view_init(elev=50, azim=-60)
plt.show()

# %% [markdown]
# Three mountains and two clear pits, plus a small hollow on the high ground between the
# mountains, all rising out of a flat plain. Drop a ball anywhere on this surface and it rolls
# into one of the pits, or, if it starts on the plain, barely moves at all. Gradient descent is a
# version of that ball with one difference that matters, which section 7 makes precise: it has no
# inertia.
#
# ## 3. The gradient: two slopes at once
#
# In one dimension the slope was a single number $f'(x)$. In two dimensions we can walk in any
# direction, and the slope depends on the direction. Two slopes are enough to know them all: the
# **partial derivatives** $\partial f/\partial x$ (the slope walking along $x$ with $y$ held fixed)
# and $\partial f/\partial y$ (along $y$ with $x$ fixed). Stacked into a vector they form the
# **gradient**
#
# $$\nabla f(x, y) = \begin{pmatrix} \partial f/\partial x \\ \partial f/\partial y \end{pmatrix}.$$
#
# sympy differentiates the formula for us, once per variable:

# %%
import sympy as sp
from IPython.display import display

x, y = f.variables
df_dx = sp.diff(f.expr, x)
df_dy = sp.diff(f.expr, y)
display(sp.Eq(sp.Symbol(r"\partial f / \partial x"), df_dx))
display(sp.Eq(sp.Symbol(r"\partial f / \partial y"), df_dy))

# %% [markdown]
# Two long expressions: the product and chain rules applied to every term, with nothing to invent.
# Doing this by hand would take a page and invite mistakes; sympy takes a fraction of a second and
# makes none. gdviz did the same when it built the objective (it keeps the results, tidied up, in
# `f.gradient_exprs`). Tidied or not, they are the same functions:

# %%
for ours, stored in zip((df_dx, df_dy), f.gradient_exprs, strict=True):
    assert sp.simplify(ours - stored) == 0
print("sympy's partial derivatives equal the ones stored in the objective")

# %% [markdown]
# The gradient points in the direction in which $f$ climbs fastest, and its length is that steepest
# slope. So $-\nabla f$ points the steepest way **down**. That is all gradient descent needs.
#
# ### From formula to fast function: `lambdify`
#
# A sympy expression is a tree of symbols, not a number. To evaluate it at a point you can
# substitute values and ask for a floating-point result with `evalf`, or you can translate the tree
# once into an ordinary Python function built on numpy with `sp.lambdify`:

# %%
grad_fast = sp.lambdify((x, y), [df_dx, df_dy], "numpy")  # (x, y) -> [df/dx, df/dy]


def grad_slow(px, py):
    """The same gradient, evaluated by sympy on every call."""
    return [float(d.evalf(subs={x: px, y: py})) for d in (df_dx, df_dy)]


point = (0.5, -1.0)
print(np.round(grad_fast(*point), 6), np.round(grad_slow(*point), 6))  # NBVAL_CHECK_OUTPUT
assert np.allclose(grad_fast(*point), grad_slow(*point)) and np.allclose(grad_fast(*point), f.grad(np.array(point)))

# %% [markdown]
# Same numbers. Now the price of each. We evaluate the gradient at 50 random points both ways and
# time it with `time.perf_counter` (the fast version goes over the points 20 times, so that its
# clock reading is not too small to trust). Before you run the cell, guess the ratio: twice as fast? Ten
# times?

# %%
import time

points = np.random.default_rng(seed=0).uniform(-3, 3, size=(50, 2))

start = time.perf_counter()
slow = [grad_slow(px, py) for px, py in points]
seconds_slow = (time.perf_counter() - start) / len(points)  # per gradient

start = time.perf_counter()
for _ in range(20):
    fast = [grad_fast(px, py) for px, py in points]
seconds_fast = (time.perf_counter() - start) / (20 * len(points))

assert np.allclose(slow, fast)
speedup = seconds_slow / seconds_fast
print(f"one gradient: evalf {1e3 * seconds_slow:.2f} ms, lambdify {1e6 * seconds_fast:.1f} µs")
print(f"lambdify is {speedup:.0f} times faster")
assert speedup > 20

# %% [markdown]
# The exact figure depends on the computer (and changes a little each run), so this cell is the one
# place in the notebook where the printed number is not checked; only that the lambdified version
# wins by more than a factor of 20. On a typical laptop the ratio is in the hundreds. The reason:
# `evalf` walks the expression tree in Python with sympy's arbitrary-precision numbers on every
# call, while the lambdified function is plain numpy arithmetic on floats.
#
# Scale that up. One run of 1000 steps needs 1000 gradients, and in section 6 we start 10 000 runs
# at once. The next cell turns the measurement into those two budgets; compare them with the time
# section 6 prints for the same 10 000 runs, lambdified and run as one batch. So we measure it once,
# here, and never put `evalf` in a loop again; gdviz lambdifies every objective when it is built.

# %%
print(f"one run of 1000 steps with evalf: about {1000 * seconds_slow:.1f} s; 10 000 such runs: "
      f"about {1e7 * seconds_slow / 3600:.0f} hours")

# %% [markdown]
# ## 4. Gradient descent on a plane
#
# The update rule is the one from notebook 01, applied to both coordinates at the same time:
#
# $$\begin{pmatrix} x \\ y \end{pmatrix} \leftarrow \begin{pmatrix} x \\ y \end{pmatrix}
#   - \eta\, \nabla f(x, y)
#   \qquad\text{that is}\qquad
#   x \leftarrow x - \eta\, \frac{\partial f}{\partial x}, \quad y \leftarrow y - \eta\, \frac{\partial f}{\partial y}.$$
#
# Both partial derivatives are evaluated at the *old* point before either coordinate moves. Here is
# the loop, written out once with the lambdified gradient, from a start drawn by a seeded random
# generator (so it is the same start every time you run the notebook), with $\eta = 0.01$ and 1000
# epochs.

# %%
def gradient_descent_2d(grad, start, lr, epochs):
    """Positions (x_t, y_t) of plain gradient descent, as an array of shape (epochs + 1, 2)."""
    path = [np.asarray(start, dtype=float)]
    for _ in range(epochs):
        path.append(path[-1] - lr * np.asarray(grad(*path[-1])))
    return np.array(path)


rng = np.random.default_rng(seed=9)
start_point = rng.uniform(-3, 3, size=2)  # anywhere in the window
by_hand = gradient_descent_2d(grad_fast, start_point, lr=0.01, epochs=1000)

# %% [markdown]
# From here on gdviz runs the loop for us; `gd.descend` accepts a 2-D start and returns the whole
# record (positions, values, gradients). It must agree with the loop above to the last digits:

# %%
run = gd.descend(f, start_point, lr=0.01, epochs=1000)
assert np.allclose(by_hand, run.x, rtol=0, atol=1e-12)
print(f"start ({start_point[0]:.3f}, {start_point[1]:.3f}), f = {run.f[0]:.3f}")  # NBVAL_CHECK_OUTPUT
print(f"end   ({run.final[0]:.3f}, {run.final[1]:.3f}), f = {run.final_f:.3f}")  # NBVAL_CHECK_OUTPUT
assert np.allclose(run.final, f.minima[0].x, atol=1e-4)  # the global minimum

# %% [markdown]
# The run starts near the right edge of the window, below the middle, and ends in the global
# minimum. The picture shows how it got there: **the square is the start, the dot the end, the line
# the path**. A long run gets a marker every few steps (here every 16th, 63 in all), evenly
# spaced in *time*, so their spacing on the map shows the speed. Look at where the markers crowd
# together and where they spread out.

# %%
fig, ax = plt.subplots(figsize=(7, 5.6))
gd.plotting.plot_landscape(f, ax=ax, kind="heatmap", grid=grid)
gd.plotting.mark_extrema(f, ax=ax)
(path,) = gd.plotting.plot_paths(run, ax=ax, labels=["lr = 0.01, 1000 epochs"])
assert path.line.get_markevery() == 16 and len(range(0, 1001, 16)) == 63  # every 16th step: 63 markers
plt.show()

# %% [markdown]
# The path does not head straight for the pit. It first curves down and to the left, across
# nearly flat ground, and only then drops into the valley. Near the start the markers are packed so
# tightly that they touch; on the way down into the pit they stand far apart.
# That is the 1-D lesson again, $\text{step} = \eta\,\nabla f$, seen from a new side: this start
# lies on the flat plain, where the gradient is small, so the first steps are tiny. Plotting the loss
# and the length of the gradient against the epoch shows how long the crawl takes:

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.6))
gd.plotting.plot_history(run, what="f", ax=left, legend=False)
gd.plotting.plot_history(run, what="grad", ax=right, log=True, legend=False)
left.set_title("loss f(x, y)")
right.set_title("length of the gradient")
plt.show()

# %% [markdown]
# For most of the run almost nothing happens: the loss creeps down from $0.13$ towards zero while
# the gradient stays small (note the log axis on the right). Then the point reaches the rim of the
# pit, the gradient shoots up, the loss plunges to $-6.551$ within a few dozen epochs, and the
# gradient collapses to below $10^{-9}$ as the point settles at the bottom. With a
# budget of 800 epochs instead of 1000 this run would have ended on the plain, far from any
# minimum. The numbers:

# %%
steps = np.linalg.norm(np.diff(run.x, axis=0), axis=1)  # length of every step
plunge = int(np.argmax(run.f < -3))  # first epoch below f = -3
assert np.all(np.diff(run.f) <= 1e-12)  # with this small rate, every step goes down
assert 800 < plunge < 950 and steps.max() > 40 * steps[:800].mean() and run.grad_norm[-1] < 1e-9
assert min(np.linalg.norm(run.x[800] - np.array(m.x)) for m in f.minima) > 1  # at epoch 800: on the plain
print(f"f drops below -3 at epoch {plunge}")  # NBVAL_CHECK_OUTPUT
print(f"mean step over the first 800 epochs {steps[:800].mean():.4f}, longest step {steps.max():.4f}")  # NBVAL_CHECK_OUTPUT
print(f"|grad f| at the start {run.grad_norm[0]:.2f}, at the end {run.grad_norm[-1]:.1e}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 5. Different starts, different valleys
#
# One run ended in the global minimum. Was that skill or luck? We try eight more random starts.
# `gd.descend` takes them all at once as an array of shape (8, 2) and runs them side by side as one
# batch. **Predict before running**: will all eight find the deepest pit?

# %%
starts = np.random.default_rng(seed=7).uniform(-2.5, 2.5, size=(8, 2))
batch = gd.descend(f, starts, lr=0.01, epochs=1000)
batch

# %%
fig, ax = plt.subplots(figsize=(7, 5.6))
gd.plotting.plot_landscape(f, ax=ax, kind="contour", grid=grid)
gd.plotting.mark_extrema(f, ax=ax)
gd.plotting.plot_paths(batch, ax=ax, legend=False)
plt.show()

# %% [markdown]
# No. Each path rolls into whatever valley lies downhill of its start: two reach the global minimum,
# two the valley on the left, one the shallow hollow in the middle, and three start on slopes that
# lead *away* from the centre and slide off onto the flat plain (two of them right out of the
# window). None of them is
# wrong; each did exactly what the rule says. The rule only ever looks at the slope **where it
# stands**, so it finds *a* minimum near its start, not *the* minimum. Gradient descent is a local
# method. Here is the tally:

# %%
def which_minimum(point, tol=1e-3):
    """Index of the known minimum at `point` (0 = global), or -1 if it is none of them."""
    for i, m in enumerate(f.minima):
        if np.hypot(point[0] - m.x[0], point[1] - m.x[1]) < tol:
            return i
    return -1


ends = [which_minimum(p) for p in batch.final]
for s, p, e in zip(starts, batch.final, ends, strict=True):
    print(f"start ({s[0]:5.2f}, {s[1]:5.2f}) -> end ({p[0]:5.2f}, {p[1]:5.2f})  minimum {e}")  # NBVAL_CHECK_OUTPUT
assert sorted(ends) == [-1, -1, -1, 0, 0, 1, 1, 2]

# %% [markdown]
# Minimum 0 is the global one, 1 the valley on the left, 2 the shallow hollow, and $-1$ means "no
# minimum within reach": those runs end on the plain with $f$ just above zero and a gradient too
# small to move them on. The same paths on the shaded 3-D surface make the "ball rolling downhill"
# picture literal: find the two runs that end in the deep pit in front, the two in the pit on the
# left, the one in the hollow between the mountains, and the three that start on an outer slope of
# a mountain and roll away from the middle, out onto the plain.

# %%
fig = plt.figure(figsize=(8, 6))
ax3d = fig.add_subplot(projection="3d")
gd.plotting.plot_surface(f, ax=ax3d, alpha=0.75)
gd.plotting.plot_paths(batch, ax=ax3d, legend=False)
ax3d.view_init(elev=55, azim=-60)
plt.show()

# %% [markdown]
# ## 6. The whole map: basins of attraction
#
# Eight runs are anecdotes. To see the full picture we start a run from **every** point of a
# 100 x 100 grid covering the window (10 000 runs, all with $\eta = 0.01$ and 1000 epochs) and
# colour each start by the minimum its run reaches. The set of starts that end in the same minimum
# is that minimum's **basin of attraction**. `gd.sweep` runs the whole grid as one vectorised batch
# and keeps only the final positions.

# %%
axis = np.linspace(-3, 3, 100)
grid_starts = np.stack(np.meshgrid(axis, axis), axis=-1)  # shape (100, 100, 2): one start per cell
start = time.perf_counter()
basins = gd.sweep(f, grid_starts, lr=0.01, epochs=1000)
labels = basins.basins(tol=1e-3)  # index of the minimum reached, -1 for none
print(f"{labels.size} runs of 1000 epochs in {time.perf_counter() - start:.1f} s")

# %% [markdown]
# Not every run that missed a minimum is lost: some are still sliding down when the 1000 epochs
# run out. To tell them apart we give the runs that reached no minimum 3000 more epochs, from where
# they stopped (one more `gd.sweep`, over those runs only). Those that then reach a minimum were
# **still on their way**; the others have **left for the plain**.

# %%
grey = labels == -1
later = gd.sweep(f, basins.x[grey], lr=0.01, epochs=3000).basins(tol=1e-3)
on_its_way = np.zeros_like(grey)
on_its_way[grey] = later >= 0
print(f"of the {grey.sum()} runs without a minimum after 1000 epochs, {on_its_way.sum()} reach one "
      f"within 3000 more")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# In the map below each colour is one basin (the legend says which minimum it leads to); light
# grey marks the starts still on their way after 1000 epochs, dark grey those that left for the
# plain. The thin dark lines are contour lines of $f$, so you can see the ridges and valleys under
# the colours. The black arrows show the **negative gradient** $-\nabla f$ on a coarse grid, the
# direction a run moves from each point (all drawn the same length: they show direction only).
# Look at the borders between colours: what do the contour lines and the arrows do there?

# %%
fig, ax = plt.subplots(figsize=(9.5, 6.2))
gd.plotting.plot_basins(basins, ax=ax, on_its_way=on_its_way)
gd.plotting.plot_landscape(f, ax=ax, kind="lines", grid=grid, levels=np.arange(-6, 9))
gd.plotting.plot_gradient_field(f, ax=ax, n=19, color="black")
assert ax.get_aspect() == 1.0  # x and y to the same scale
plt.show()

# %% [markdown]
# On either side of a border the arrows point away from each other, and the contour lines bend
# into a ridge there: borders run along ridges, where "downhill" splits into two directions.
# Inside a basin every arrow leads, step by step, towards that basin's minimum. The global
# minimum's basin is large, but far from the whole window; the shallow hollow in the middle drains
# a much smaller patch. And a big grey ring surrounds everything: on the outer slopes the arrows
# point outwards, off towards the flat plain, where the contour lines stop (the surface is nearly
# level) and runs crawl. A thin light-grey fringe lines the basins: runs that started far out and
# were still creeping back towards a pit when time ran out. The shares of the window:

# %%
share = {i: float(np.mean(labels == i)) for i in (0, 1, 2, -1)}
share["way"] = float(np.mean(on_its_way))
names = {0: "global minimum (0.228, -1.626)", 1: "left valley (-1.347, 0.205)",
         2: "shallow hollow (0.296, 0.320)", -1: "no minimum reached", "way": "  (of these: still on its way)"}
for i, s in share.items():
    print(f"{names[i]:32s} {100 * s:5.1f} %")  # NBVAL_CHECK_OUTPUT
assert 0.2 < share[0] < 0.35 and 0.15 < share[1] < 0.3 and 0.03 < share[2] < 0.1 and share[-1] > 0.3
assert share["way"] < 0.1 * share[-1]  # most grey runs are lost, not late

# %% [markdown]
# Only about a quarter of the starts in this window reach the global minimum. If you pick a start at
# random and run gradient descent once, the odds are against you. That is why notebook 08 is
# devoted to escaping local minima (restarts, momentum, noise and more).
#
# Where do the runs that left for the plain actually end? Some have left the window entirely; the
# rest are still inside, inching across the plain. Both groups sit where the landscape is nearly flat:

# %%
left_window = grey & ~on_its_way & (np.abs(basins.x).max(axis=-1) > 3)
print(f"runs left for the plain that left the window: {np.mean(left_window[grey & ~on_its_way]):.0%}")  # NBVAL_CHECK_OUTPUT
print(f"largest |f| at the end of a grey run that left: {np.abs(basins.f[left_window]).max():.3f}")  # NBVAL_CHECK_OUTPUT
assert np.abs(basins.f[left_window]).max() < 0.05

# %% [markdown]
# The flat plain is a first look at a problem notebook 05 takes up properly: where the gradient
# vanishes, gradient descent stalls, however many epochs you give it.
#
# ## 7. The stability edge in two dimensions
#
# Notebook 01 found the edge of stability in 1-D: near a minimum a step multiplies the distance by
# $1 - \eta f''(x^*)$, so descent converges for $\eta < 2/f''(x^*)$. In two dimensions the
# curvature is the **Hessian**, the $2 \times 2$ matrix of second derivatives. Near the minimum
# $f(\mathbf{x}) \approx f(\mathbf{x}^*) + \tfrac12 (\mathbf{x} - \mathbf{x}^*)^\top H\,(\mathbf{x} - \mathbf{x}^*)$, so
# one step maps the error $\mathbf{e} = \mathbf{x} - \mathbf{x}^*$ to $(I - \eta H)\,\mathbf{e}$. Along each
# **eigenvector** $\mathbf{v}_i$ of $H$ this is the 1-D story again, with the eigenvalue $\lambda_i$ as
# the curvature: that component is multiplied by $1 - \eta\lambda_i$ every step. Here is $H$ at the
# global minimum:

# %%
x_star = np.array(f.global_minimum.x)
H = f.hessian(x_star)
lam, vecs = np.linalg.eigh(H)  # eigenvalues in increasing order, eigenvectors as columns
print("H =", np.round(H, 2).tolist())  # NBVAL_CHECK_OUTPUT
print(f"eigenvalues {lam[0]:.1f} and {lam[1]:.1f}")  # NBVAL_CHECK_OUTPUT
print(f"zig-zag above 1/lambda_max = {1 / lam[1]:.4f}, no convergence above 2/lambda_max = {2 / lam[1]:.4f}")  # NBVAL_CHECK_OUTPUT
assert np.allclose(lam, [17.9, 30.2], atol=0.05) and np.allclose(H @ vecs, vecs * lam)

# %% [markdown]
# The steep direction (curvature 30.2) sets the limits, because its factor $1 - 30.2\,\eta$ is the
# first to turn negative (zig-zag, above $\eta = 1/30.2 \approx 0.033$) and the first to fall below
# $-1$ (no convergence, above $2/30.2 \approx 0.066$). The next figure zooms into the pit, three
# times: each panel shows the two eigenvectors at the minimum (white; the longer arrow is the gentle
# direction) and the first 60 steps of one run, all from the same start: one rate below
# $1/\lambda_{\max}$, one between the two limits and one just above $2/\lambda_{\max}$. **Predict**
# which of them zig-zags, and along which arrow.

# %%
near = x_star + 0.2 * vecs[:, 0] + 0.15 * vecs[:, 1]  # some of each direction in the start's error
rates_2d = {"lr = 0.03": 0.03, "lr = 0.05": 0.05, "lr = 0.07": 0.07}
edge_runs = {name: gd.descend(f, near, lr=lr, epochs=60) for name, lr in rates_2d.items()}
zoom = [(x_star[0] - 0.3, x_star[0] + 0.3), (x_star[1] - 0.3, x_star[1] + 0.3)]
fig, axes = plt.subplots(1, 3, figsize=(14, 4.6), layout="constrained")
for ax, (name, r) in zip(axes, edge_runs.items(), strict=True):
    gd.plotting.plot_landscape(f, ax=ax, kind="contour", bounds=zoom, levels=20, colorbar=False)
    for i, (length, label) in enumerate(((0.16, "gentle"), (0.11, "steep"))):
        v = vecs[:, i]
        for sign in (1, -1):  # an eigenvector has no preferred sign: draw both ways
            ax.annotate("", x_star + sign * length * v, x_star,
                        arrowprops={"arrowstyle": "->", "color": "white", "lw": 1.8})
        tip = x_star + length * v * np.sign(v[0] or 1)  # the arrow pointing right: its label reads outwards
        ax.annotate(f"{label}\nλ = {lam[i]:.1f}", tip, color="white", fontsize="small", fontweight="bold",
                    ha="left", va="center", xytext=(4, 0), textcoords="offset points")
    gd.plotting.plot_paths(r, ax=ax, bounds=zoom, legend=False)
    ax.set_title(f"{name}: factors {', '.join(f'{q:.2f}' for q in 1 - rates_2d[name] * lam)}")
plt.show()

# %% [markdown]
# At $\eta = 0.03$ the path curves smoothly into the pit. At $\eta = 0.05$ it zig-zags along the
# steep arrow while sliding down the gentle one, and still converges. At $\eta = 0.07$ the
# zig-zag along the steep arrow grows instead of dying down: the path ends bouncing across the pit,
# not at its bottom. The bars
# below show the factors $1 - \eta\lambda_i$ for the same three rates: a bar below zero zig-zags, a
# bar outside the shaded band $|{\rm factor}| < 1$ grows.

# %%
fig, axes = plt.subplots(1, 3, figsize=(12, 3.2), sharey=True, layout="constrained")
for ax, lr in zip(axes, rates_2d.values(), strict=True):
    gd.plotting.plot_step_factors(f, lr=lr, ax=ax)
plt.show()

# %% [markdown]
# The bars agree with the paths. We check it along the eigenvectors: project each run's error onto
# the steep direction and look at the signs of the last steps; and we check the edge itself with
# two long runs just below and just above $2/\lambda_{\max}$.

# %%
steep = (edge_runs["lr = 0.03"].x - x_star) @ vecs[:, 1]
zigzag = (edge_runs["lr = 0.05"].x - x_star) @ vecs[:, 1]
# steps 3-15 (before the error reaches rounding level): one sign at lr 0.03, alternating at lr 0.05
assert np.all(np.sign(steep[3:15]) == np.sign(steep[3])) and np.all(np.sign(zigzag[3:15]) == -np.sign(zigzag[4:16]))
edge_2d = 2 / lam[1]
below = gd.descend(f, near, lr=0.97 * edge_2d, epochs=3000)
above = gd.descend(f, near, lr=1.03 * edge_2d, epochs=3000)
assert np.linalg.norm(below.final - x_star) < 1e-9 and np.linalg.norm(above.final - x_star) > 1e-2
# NBVAL_CHECK_OUTPUT
print(f"lr = 0.97 * 2/lambda_max: ends {np.linalg.norm(below.final - x_star):.1e} from the minimum")
print(f"lr = 1.03 * 2/lambda_max: ends {np.linalg.norm(above.final - x_star):.3f} from it, f = {above.final_f:.3f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Just above the edge the run neither converges nor flies away: like the 1-D run on sin-gauss in
# notebook 01, it settles into a bounce across the pit, held by walls that are not quite a
# parabola. The lesson carries over: **the largest curvature at the minimum sets the largest
# usable rate**, and the gentle direction then crawls with factor $1 - \eta\lambda_{\min}$. When the
# two curvatures differ a lot (a long, narrow ravine) no single rate suits both directions.
#
# ### A ball in syrup
#
# We have been saying "a ball rolls into a pit". A real ball would not stop at the bottom: it
# carries speed, overshoots, rolls up the far side and back. Gradient descent has **no inertia**:
# each step depends only on the slope where the point stands now, never on how fast it was moving.
# It is a ball in thick syrup, creeping downhill and stopping as soon as the ground is level. That
# is why it crawls across the plain and why, in a ravine, it zig-zags instead of gliding along the
# valley floor. Notebook 06 gives the ball its inertia back (**momentum**) and races it against
# plain descent in exactly such a ravine.
#
# ## 8. Your turn: the 2-D explorer
#
# The explorer below runs gradient descent on peaks whenever you move a slider: start $x$, start
# $y$, the learning rate and the number of epochs. The path is drawn on the landscape, the loss
# beside it, and under the loss the bars of section 7, the factors $1 - \eta\lambda_i$ at the global
# minimum, follow the rate slider. (The run is always plain gradient descent; notebook 06 adds a
# choice of optimizers.)
#
# **Predict first, then move the slider:**
# 1. Put the start at $(1.0, 0.5)$. Using the basin map, which minimum should it reach? Check.
# 2. Move the start slowly to the right along $y = 0.5$. Where does the run stop reaching the
#    hollow, and does that happen where the basin map says it should?
# 3. From a start in the global minimum's basin, raise the learning rate step by step. The bars say
#    when the zig-zag should start and when convergence should stop: does the path agree? Does it
#    ever jump into another basin?
# 4. Start at $(2.5, 2.5)$ on the plain and give it the maximum number of epochs. Does it get
#    anywhere?

# %%
gd.widgets.explore_2d(f, x0=tuple(start_point), lr=0.01, epochs=1000, theory=True, choose_optimizer=False)

# %% [markdown]
# ## Summary
#
# - In two dimensions the slope becomes the **gradient** $\nabla f = (\partial f/\partial x,
#   \partial f/\partial y)$, which points uphill; descent steps along $-\nabla f$:
#   $(x, y) \leftarrow (x, y) - \eta \nabla f(x, y)$.
# - sympy derives the partial derivatives exactly; `lambdify` turns them into numpy functions that
#   are hundreds of times faster than evaluating the expressions with `evalf`. Never put `evalf` in
#   a loop.
# - The peaks surface has three minima and three maxima. Which minimum descent reaches depends on
#   where it starts: gradient descent is **local**.
# - The starts that lead to one minimum form its **basin of attraction**; basins are separated by
#   ridges where the negative gradient splits. On flat ground the gradient vanishes and descent
#   stalls; a few runs are merely late, most are lost on the plain.
# - Near a minimum the Hessian's eigenvalues play the role of $f''$: along eigenvector $i$ each step
#   multiplies the error by $1 - \eta\lambda_i$, so descent zig-zags above $1/\lambda_{\max}$ and
#   stops converging above $2/\lambda_{\max}$ (0.033 and 0.066 at peaks' global minimum).
# - Gradient descent is a ball in syrup, with no inertia; momentum (notebook 06) adds it.
#
# ## Exercises
#
# Each exercise has a check: put your answer in the variable and run the cell. Run the next cell
# first; it defines the checks (you do not need to read it).

# %%
# EXERCISE CHECKS
def _rate(answer):
    """The answer as a positive float, or None after saying what is wrong with it."""
    if answer is ...:
        return print("not yet: replace ... with a learning rate") or None
    if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
        return print(f"not yet: expected a learning rate (a number), got {answer!r}") or None
    if not 0 < answer < 1:
        return print(f"not yet: on peaks a useful learning rate lies between 0 and 1, got {answer!r}") or None
    return float(answer)


def check_basin(answer):
    """Exercise 1: the minimum a run from (0.5, 1.0) reaches (0, 1, 2, or -1 for none)."""
    if answer is ...:
        return print("not yet: replace ... with 0, 1, 2 or -1") or False
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)) or answer not in (0, 1, 2, -1):
        return print(f"not yet: expected one of 0, 1, 2, -1, got {answer!r}") or False
    end = gd.descend(gd.functions.peaks, [0.5, 1.0], lr=0.01, epochs=1000).final
    reached = next((i for i, m in enumerate(gd.functions.peaks.minima) if np.hypot(*(end - m.x)) < 1e-3), -1)
    ok = int(answer) == reached
    print("correct!" if ok else "not yet: look again at the colour under (0.5, 1.0) in the basin map")
    return ok


def check_left_edge(answer):
    """Exercise 2: the rate beyond which descent stops converging to the left valley (within 3%)."""
    rate = _rate(answer)
    if rate is None:
        return False
    peaks = gd.functions.peaks
    left = np.array(peaks.minima[1].x)
    start = left + np.array([0.05, -0.05])
    below = gd.descend(peaks, start, lr=0.97 * rate, epochs=4000)
    above = gd.descend(peaks, start, lr=1.03 * rate, epochs=4000)
    ok = bool(np.linalg.norm(below.final - left) < 1e-6 and np.linalg.norm(above.final - left) > 1e-3)
    print("correct!" if ok else "not yet: just below your rate descent should settle in the left valley, "
          "just above it should not")
    return ok


def check_best_rate(answer):
    """Exercise 3: the rate that makes the slower of the two factors at the global minimum fastest."""
    rate = _rate(answer)
    if rate is None:
        return False
    peaks = gd.functions.peaks
    lam = np.linalg.eigvalsh(peaks.hessian(np.array(peaks.global_minimum.x)))
    worst = float(np.max(np.abs(1 - rate * lam)))
    best = float(np.min(np.max(np.abs(1 - np.linspace(1e-4, 0.1, 100_001)[:, None] * lam), axis=1)))
    ok = worst <= best + 0.01
    print(f"with lr = {rate:g} the slowest direction keeps {worst:.1%} of its error per step: "
          + ("correct!" if ok else "not yet: another rate does better"))
    return ok

# %% [markdown]
# **1. Read the map.** Without running any descent, use the basin map to predict which minimum a run
# from $(0.5, 1.0)$ reaches (0 = global, 1 = left valley, 2 = shallow hollow, -1 = none). Put your
# answer in `my_basin`.

# %%
my_basin = ...  # 0, 1, 2 or -1
check_basin(my_basin)

# %% [markdown]
# <details><summary>Solution</summary>
#
# `my_basin = 2`: the point lies in the small patch just above the shallow hollow at
# $(0.296, 0.320)$, so the run drops into it. Check with
# `gd.descend(f, [0.5, 1.0], lr=0.01, epochs=1000).final`.
# </details>
#
# **2. The edge of the left valley.** From the Hessian at the left valley's minimum,
# `f.minima[1]`, predict the learning rate beyond which gradient descent started next to it no
# longer converges to it. Put it in `my_edge`; the check runs descent just below and just above it.

# %%
my_edge = ...  # a learning rate
check_left_edge(my_edge)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# lam_left = np.linalg.eigvalsh(f.hessian(np.array(f.minima[1].x)))   # about 8.55 and 15.57
# my_edge = 2 / lam_left.max()                                         # about 0.128
# ```
# The left valley is less sharply curved than the global minimum, so it tolerates about twice the rate.
# </details>
#
# **3. The best single rate.** Near the global minimum the error along eigenvector $i$ shrinks by
# $|1 - \eta\lambda_i|$ per step, and the slower of the two directions decides how fast descent
# gets there. Which rate $\eta$ makes the larger of $|1 - \eta\lambda_1|$ and $|1 - \eta\lambda_2|$
# as small as possible? Predict it with pencil and paper from the two eigenvalues, then put it in
# `my_best`.

# %%
my_best = ...  # a learning rate
check_best_rate(my_best)

# %% [markdown]
# <details><summary>Solution</summary>
#
# The best rate balances the two factors: $1 - \eta\lambda_{\min} = -(1 - \eta\lambda_{\max})$, so
# $\eta = 2/(\lambda_{\min} + \lambda_{\max}) = 2/(17.9 + 30.2) \approx 0.0416$. Both directions
# then keep $(\lambda_{\max} - \lambda_{\min})/(\lambda_{\max} + \lambda_{\min}) \approx 26\%$ of their
# error per step. The ratio $\kappa = \lambda_{\max}/\lambda_{\min}$ (the condition number) decides
# it: a long, narrow ravine has a large $\kappa$ and every rate is slow there. That is notebook 06's
# starting point.
# </details>
#
# **Next:** [03 · Parametric experiments](03_parametric_experiments.ipynb) runs whole families of
# descents at once (fifty starts, fifty learning rates, a grid of rates and epochs) and reads the
# answers off a single picture.
