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
#   starts splits into basins of attraction.
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
# how most of us picture "walking downhill". We look down on it from the side of negative $y$, so
# the tall peak is at the back. Find it, then the deep pit in front of it, the second pit on the left
# (half hidden behind a hill) and the flat plain all around.

# %%
fig = plt.figure(figsize=(8, 6))
ax3d = fig.add_subplot(projection="3d")
gd.plotting.plot_surface(f, ax=ax3d)
ax3d.view_init(elev=50, azim=-60)
plt.show()

# %% [markdown]
# Three mountains and two clear pits, plus a small hollow on the high ground between the
# mountains, all rising out of a flat plain. Drop a ball anywhere on this surface and it rolls into one of the pits, or, if it starts on
# the plain, barely moves at all. Gradient descent is a careful version of that ball.
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
# small to move them on. The same paths on the 3-D surface make the "ball rolling downhill" picture
# literal. Watch the three runs that end on the plain: each starts on an outer slope of a mountain
# and rolls away from the middle.

# %%
fig = plt.figure(figsize=(8, 6))
ax3d = fig.add_subplot(projection="3d")
gd.plotting.plot_surface(f, ax=ax3d, alpha=0.6)
gd.plotting.plot_paths(batch, ax=ax3d, legend=False)
ax3d.view_init(elev=45, azim=-60)
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
# In the map below each colour is one basin (the legend says which minimum it leads to) and grey
# marks starts whose run reached no minimum within the 1000 epochs. On top, the white arrows show
# the **negative gradient** $-\nabla f$ on a coarse grid, the direction a run moves from each point
# (all arrows drawn the same length, so they show direction only). Look at the borders between
# colours: what do the arrows do on either side of a border?

# %%
fig, ax = plt.subplots(figsize=(9, 6))
gd.plotting.plot_basins(basins, ax=ax)
gd.plotting.plot_gradient_field(f, ax=ax, n=21, color="white")
plt.show()

# %% [markdown]
# On either side of a border the arrows point away from each other: borders run along ridges,
# where "downhill" splits into two directions. Inside a basin every arrow leads, step by step,
# towards that basin's minimum. The global minimum's basin is large, but far from the whole
# window; the shallow hollow in the middle drains a much smaller patch. And a big grey ring surrounds
# everything: on the outer slopes the arrows point outwards, off towards the flat plain, where the
# gradient is so small that runs crawl and never arrive anywhere. The shares of the window:

# %%
share = {i: float(np.mean(labels == i)) for i in (0, 1, 2, -1)}
names = {0: "global minimum (0.228, -1.626)", 1: "left valley (-1.347, 0.205)",
         2: "shallow hollow (0.296, 0.320)", -1: "no minimum reached"}
for i, s in share.items():
    print(f"{names[i]:32s} {100 * s:5.1f} %")  # NBVAL_CHECK_OUTPUT
assert 0.2 < share[0] < 0.35 and 0.15 < share[1] < 0.3 and 0.03 < share[2] < 0.1 and share[-1] > 0.3

# %% [markdown]
# Only about a quarter of the starts in this window reach the global minimum. If you pick a start at
# random and run gradient descent once, the odds are against you. That is why notebook 08 is
# devoted to escaping local minima (restarts, momentum, noise and more).
#
# Where do the grey runs actually end? Some have left the window entirely; the rest are still inside,
# inching across the plain. Both groups sit where the landscape is nearly flat:

# %%
grey = labels == -1
left_window = grey & (np.abs(basins.x).max(axis=-1) > 3)
print(f"grey runs that left the window: {np.mean(left_window[grey]):.0%}")  # NBVAL_CHECK_OUTPUT
print(f"largest |f| at the end of a grey run that left: {np.abs(basins.f[left_window]).max():.3f}")  # NBVAL_CHECK_OUTPUT
assert np.abs(basins.f[left_window]).max() < 0.05

# %% [markdown]
# The flat plain is a first look at a problem notebook 05 takes up properly: where the gradient
# vanishes, gradient descent stalls, however many epochs you give it.
#
# ## 7. Your turn: the 2-D explorer
#
# The explorer below runs gradient descent on peaks whenever you move a slider: start $x$, start
# $y$, the learning rate and the number of epochs. The path is drawn on the landscape, with the loss
# beside it.
#
# **Predict first, then move the slider:**
# 1. Put the start at $(1.0, 0.5)$. Using the basin map, which minimum should it reach? Check.
# 2. Move the start slowly to the right along $y = 0.5$. Where does the run stop reaching the
#    hollow, and does that happen where the basin map says it should?
# 3. From a start that reaches the global minimum, raise the learning rate step by step. At what
#    rate does the path start to zig-zag across the valley? Does it ever jump into another basin?
# 4. Start at $(2.5, 2.5)$ on the plain and give it the maximum number of epochs. Does it get
#    anywhere?

# %%
gd.widgets.explore_2d(gd.functions.peaks, x0=tuple(start_point), lr=0.01, epochs=1000)

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
#   stalls.
#
# ## Exercises
#
# **1. Read the map.** Without running any descent, use the basin map to predict which minimum a run
# from $(0.5, 1.0)$ reaches (0 = global, 1 = left valley, 2 = shallow hollow, -1 = none). Put your
# answer in `my_basin` and run the check.

# %%
my_basin = None  # your answer here: 0, 1, 2 or -1

if my_basin is not None:
    reached = which_minimum(gd.descend(f, [0.5, 1.0], lr=0.01, epochs=1000).final)
    print("correct!" if my_basin == reached else "not quite: look again at the colour under (0.5, 1.0)")

# %% [markdown]
# <details><summary>Solution</summary>
#
# `my_basin = 2`: the point lies in the small patch just above the shallow hollow at
# $(0.296, 0.320)$, so the run drops into it. Check with
# `gd.descend(f, [0.5, 1.0], lr=0.01, epochs=1000).final`.
# </details>
#
# **2. Climb the highest summit.** Ascent on $f$ is descent on $-f$ (notebook 01, section 3). Start
# from $(0.5, 1.0)$ and climb with $\eta = 0.01$. Which summit do you reach? Store the end point in
# `my_top` and check it against `f.maxima[0]`.

# %%
my_top = None  # e.g. gd.descend(gd.Objective(-f.expr, bounds=f.bounds), [0.5, 1.0], lr=0.01, epochs=1000).final

if my_top is not None:
    ok = np.allclose(my_top, f.maxima[0].x, atol=1e-3)
    print("correct: the tallest peak, f = 8.106!" if ok else "not the tallest one: try another start?")

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# uphill = gd.Objective(-f.expr, bounds=f.bounds)
# my_top = gd.descend(uphill, [0.5, 1.0], lr=0.01, epochs=1000).final
# print(my_top, f(my_top))   # about (-0.009, 1.581) and 8.106
# ```
# The start lies on the lower slopes of the tallest peak, so ascent climbs straight up it.
# </details>
#
# **3. More epochs for the grey runs?** Repeat the basin sweep of section 6 with 3000 epochs
# instead of 1000. Does the grey share shrink much? Store the new share in `my_grey` and run the
# check.

# %%
my_grey = None  # e.g. float(np.mean(gd.sweep(f, grid_starts, lr=0.01, epochs=3000).basins() == -1))

if my_grey is not None:
    print("grey share with 1000 epochs:", round(share[-1], 3), " with 3000:", round(my_grey, 3))
    print("right: it barely changes" if share[-1] - my_grey < 0.05 else "check your sweep")

# %% [markdown]
# <details><summary>Solution</summary>
#
# The grey share drops only by a couple of percentage points. Most grey runs are not slow, they are
# lost: they roll outwards onto the plain, where the gradient is almost zero and more epochs buy
# almost nothing. A larger learning rate or a cleverer optimizer (notebook 06) helps more than
# patience.
# </details>
#
# **Next:** [03 · Parametric experiments](03_parametric_experiments.ipynb) runs whole families of
# descents at once (fifty starts, fifty learning rates, a grid of rates and epochs) and reads the
# answers off a single picture.
