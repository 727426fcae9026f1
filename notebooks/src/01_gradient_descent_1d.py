# %% [markdown]
# # 01 · Gradient descent in one dimension
#
# **What you will be able to do after this notebook**
#
# - state the update rule $x \leftarrow x - \eta\, f'(x)$ and say why the minus sign sends you downhill;
# - let sympy find a derivative and the exact minimum, then check that descent finds the same point;
# - explain why steps shrink near the minimum even though the learning rate $\eta$ never changes;
# - predict, for a quadratic, which learning rates crawl, converge, bounce or blow up, and find the
#   one rate that lands in a single step;
# - explain why the same edge, $2/f''(x^*)$, holds near the minimum of *any* smooth curve;
# - read a training loop: epochs, loss, and when to stop.
#
# **Where we start.** You need two facts from calculus: the derivative $f'(x)$ is the slope of $f$
# at $x$, and at a smooth minimum the slope is zero. Everything below is built from those two facts
# and a loop.

# %%
# SETUP

# %% [markdown]
# ## 1. A valley and its slope
#
# Our first landscape is $f(x) = 3x^2 - 3x + 4$ on $[-2, 2]$. It lives in the gdviz catalogue as an
# `Objective`: a formula together with its derivative, which sympy works out once when the object is
# built.

# %%
f = gd.functions.quadratic
f

# %% [markdown]
# Before any descent, let us find the minimum the exact way: differentiate, set the derivative to
# zero, solve. sympy does all three symbolically, so the answer is a fraction, not a float.

# %%
import sympy as sp

(x,) = f.variables
fprime = sp.diff(f.expr, x)
x_star = sp.solve(sp.Eq(fprime, 0), x)[0]
print("f'(x) =", fprime, "   f' = 0 at x =", x_star, "   f(x*) =", f.expr.subs(x, x_star))
assert x_star == sp.Rational(1, 2)

# %% [markdown]
# Now look at both curves. Watch the sign of the dashed derivative: negative left of $x = 1/2$
# (the curve falls as you move right), positive to the right of it (the curve rises), and zero
# exactly under the bottom of the valley.

# %%
gd.plotting.plot_function_1d(f)
plt.show()

# %% [markdown]
# ## 2. One step downhill
#
# If the slope is positive, downhill is to the left; if it is negative, downhill is to the right.
# In both cases "downhill" is the direction of $-f'(x)$. Gradient descent takes a small step that
# way, of size proportional to the slope:
#
# $$x_{t+1} = x_t - \eta\, f'(x_t)$$
#
# where $\eta$ (eta) is the **learning rate**. Here is that rule as a loop, written out once. From
# then on we use `gd.descend`, which does exactly this (and more) without the Python overhead.

# %%
def gradient_descent(fprime, x0, lr, epochs):
    """Positions x_0, x_1, ..., x_epochs of plain gradient descent."""
    xs = [x0]
    for _ in range(epochs):
        xs.append(xs[-1] - lr * fprime(xs[-1]))
    return np.array(xs)


rng = np.random.default_rng(seed=3)
x0 = rng.uniform(-2, 2)  # a random start in the plotting window, the same on every run
by_hand = gradient_descent(f.grad, x0, lr=0.01, epochs=100)
run = gd.descend(f, x0, lr=0.01, epochs=100)
assert np.allclose(by_hand, run.x, rtol=0, atol=1e-12)  # the package does what the loop does
print(f"start x0 = {x0:.4f}, after 100 steps x = {run.final:.4f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# After 100 steps with $\eta = 0.01$ we are close to $x^* = 1/2$ but not on it. The picture shows
# why. How to read it (every run in this course is drawn the same way): the **square** is the
# start, the **dot** the end, each small point is one step and the arrows join consecutive points;
# the white **triangle** marks the minimum. On the right, the dotted line marks $x^*$.
# **Look at the spacing**: wide at the start, tight at the end.

# %%
fig, (left, mid, right) = plt.subplots(1, 3, figsize=(13, 3.6), layout="constrained")
gd.plotting.plot_descent_1d(run, ax=left)
gd.plotting.plot_histories(run, whats=("x", "grad"), axes=(mid, right))
plt.show()

# %% [markdown]
# The position (middle) approaches the dotted line $x^* = 1/2$ quickly at first and then more and
# more slowly; the
# derivative (right) shrinks towards zero at the same pace. That is the whole story: the step is
# $\eta\, f'(x)$, not $\eta$. Far from the minimum the slope is steep and the steps are long; near
# it the slope flattens and the steps shrink, even though $\eta$ stays fixed. We can check this
# number by number:

# %%
steps = np.abs(np.diff(run.x))
assert np.allclose(steps, 0.01 * np.abs(run.grad[:-1]))  # step = lr * |f'(x)| at every step
assert np.all(np.diff(steps) < 0)  # and every step is shorter than the one before
print(f"first step {steps[0]:.4f}, last step {steps[-1]:.5f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 3. The wrong sign: climbing instead
#
# The minus sign in the update rule is doing the work. Flip it, $x \leftarrow x + \eta f'(x)$, and
# every step goes uphill: that is *gradient ascent*. Ascent on $f$ is the same as descent on $-f$,
# so we can ask gdviz for it directly.

# %%
uphill = gd.Objective(-f.expr, name="-f (ascent on f)", bounds=f.bounds)
climb = gd.descend(uphill, x0, lr=0.01, epochs=100)
assert np.allclose(climb.x[1:], run.x[0] + np.cumsum(0.01 * f.grad(climb.x[:-1])))  # x += lr f'(x)

# %% [markdown]
# Plotting both positions on one axis would hide descent: ascent ends hundreds of units away, and
# descent's whole story happens within 1.5 of the minimum. So we plot the **distance to the
# minimum**, $|x_t - 1/2|$, on a logarithmic axis, where a quantity multiplied by the same factor
# every step is a straight line. Predict before you look: which line goes up?

# %%
gd.plotting.plot_history({"descent: x - lr f'(x)": run, "ascent: x + lr f'(x)": climb}, what="dist", log=True,
                        x_star=0.5)  # -f has no minimum: say where to measure from
plt.show()

# %% [markdown]
# Two straight lines: descent's distance falls by the same factor every step, ascent's grows by the
# same factor. The slopes are $\log 0.94$ and $\log 1.06$: each descent step keeps 94% of the
# distance and each ascent step adds 6%. Those factors, $1 \mp 0.01 \cdot 6$, come back in section 4:
# they are the whole theory of gradient descent on a quadratic. A parabola that opens upwards has no
# top, so ascent never stops.

# %%
ratio_down = np.abs(run.x[1:] - 0.5) / np.abs(run.x[:-1] - 0.5)
ratio_up = np.abs(climb.x[1:] - 0.5) / np.abs(climb.x[:-1] - 0.5)
assert np.allclose(ratio_down, 0.94) and np.allclose(ratio_up, 1.06)  # the same factor at every step
distance = np.abs(climb.x - 0.5)
# NBVAL_CHECK_OUTPUT
print(f"ascent after 100 steps: x = {climb.final:.3f}, {distance[-1] / distance[0]:.1f}x farther from 1/2")

# %% [markdown]
# ## 4. How big a step? Four learning rates
#
# The learning rate is the one knob of plain gradient descent. Here are four choices from the same
# start, $x_0 = 1.2$, 30 steps each (the last one gets 300, for a reason explained below).
# **Before running the cell, guess** which ones will overshoot the minimum.

# %%
rates = {"0.01: too small": 0.01, "0.15: about right": 0.15, "0.3: too large": 0.3, "0.35: far too large": 0.35}
runs = {name: gd.descend(f, 1.2, lr=lr, epochs=300 if lr == 0.35 else 30) for name, lr in rates.items()}
fig, axes = plt.subplots(1, 4, figsize=(15, 3.4), sharey=True, layout="constrained")
for ax, (name, r) in zip(axes, runs.items()):
    gd.plotting.plot_descent_1d(r, ax=ax)
    ax.set_title(f"lr = {name}", pad=14)
plt.show()

# %% [markdown]
# From left to right: $\eta = 0.01$ crawls and is still short of the minimum after 30 steps; $\eta = 0.15$
# arrives within a few steps; $\eta = 0.3$ jumps across the valley every step, bouncing between the
# walls while closing in; $\eta = 0.35$ also bounces, but lands a little *further* out each time,
# climbing the walls until it leaves the picture. The X marks where its path leaves the view; the
# run itself went on until $|x|$ passed $10^{12}$, where gdviz stops a run and flags it
# **diverged** (that takes a few hundred steps, hence the 300 epochs).

# %%
for name, r in runs.items():
    print(f"{name:20s} final x = {r.final:10.4g}   diverged: {bool(r.diverged)}")  # NBVAL_CHECK_OUTPUT
assert [bool(r.diverged) for r in runs.values()] == [False, False, False, True]
gaps = np.abs(runs["0.35: far too large"].x[:8] - 0.5)
assert np.all(np.diff(gaps) > 0) and np.all(np.abs(runs["0.35: far too large"].x[:8]) < 2)  # 7 steps out, in view
print(f"lr = 0.35 diverged at step {runs['0.35: far too large'].diverged_at}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ### Why: the contraction factor
#
# For a quadratic the derivative is a straight line, $f'(x) = f''\,(x - x^*)$ with a constant
# curvature $f'' = 6$. Put that into the update rule and subtract $x^*$:
#
# $$x_{t+1} - x^* = (1 - \eta f'')\,(x_t - x^*) \qquad\Longrightarrow\qquad x_t = x^* + (1 - \eta f'')^t\,(x_0 - x^*).$$
#
# Every step multiplies the distance to the minimum by the same **contraction factor**
# $1 - \eta f''$. Descent converges exactly when that factor is between $-1$ and $1$, that is when
# $0 < \eta < 2/f'' = 1/3$. A negative factor means the point lands on the other side each step (the
# bouncing above: $1 - 0.3 \cdot 6 = -0.8$ closes in, $1 - 0.35 \cdot 6 = -1.1$ moves out). And at
# $\eta = 1/f'' = 1/6$ the factor is zero: one step lands on the minimum.

# %%
curvature = f.hessian(0.0)  # f'' = 6 everywhere
for name, r in runs.items():
    lr = rates[name]
    t = np.arange(len(r.x))
    closed_form = 0.5 + (1 - lr * curvature) ** t * (1.2 - 0.5)
    shown = slice(None, r.diverged_at if r.diverged else None)  # up to the blow-up
    assert np.allclose(r.x[shown], closed_form[shown], rtol=1e-9, atol=1e-12)
one_step = gd.descend(f, 1.8, lr=1 / curvature, epochs=1)
assert abs(one_step.final - 0.5) < 1e-12
# NBVAL_CHECK_OUTPUT
print(f"f'' = {curvature:g}: stable for 0 < lr < {2 / curvature:.4f}; lr = {1 / curvature:.4f} lands in one step")

# %% [markdown]
# The next figure measures the factor instead of computing it: one step from $x_0 = 1.8$ for 46
# learning rates, in a single vectorised `gd.sweep`, and the ratio
# $(x_1 - x^*)/(x_0 - x^*)$ plotted against $\eta$. Look for the two special rates: where the line
# crosses zero ($\eta = 1/6$) and where it leaves the shaded band $|{\rm factor}| < 1$ ($\eta = 1/3$).

# %%
one_step_sweep = gd.sweep(f, x0=1.8, lr=np.linspace(0.005, 0.45, 46), epochs=1)
gd.plotting.plot_step_ratio(one_step_sweep)
plt.show()

# %% [markdown]
# The measured points fall on the line $1 - 6\eta$, the closed form. Just below $\eta = 1/3$ descent
# still converges, though slowly and bouncing; just above, it bounces out of the valley. We check
# both sides of the edge over a longer run:

# %%
edge = 2 / curvature
below = gd.descend(f, 1.8, lr=0.95 * edge, epochs=2000)
above = gd.descend(f, 1.8, lr=1.05 * edge, epochs=2000)
assert abs(below.final - 0.5) < 1e-6 and not below.diverged
assert above.diverged
# NBVAL_CHECK_OUTPUT
print(f"lr = 0.95 * 2/f'': ends at {below.final:.6f};  lr = 1.05 * 2/f'': diverged at step {above.diverged_at}")

# %% [markdown]
# ### Beyond the quadratic: every smooth minimum has an edge
#
# Real landscapes are not parabolas. But zoom in on any smooth minimum and it looks like one:
# Taylor's theorem gives, near $x^*$ (where $f'(x^*) = 0$),
#
# $$f(x) \approx f(x^*) + \tfrac12 f''(x^*)\,(x - x^*)^2, \qquad f'(x) \approx f''(x^*)\,(x - x^*).$$
#
# So *near* the minimum a step multiplies the distance by $1 - \eta f''(x^*)$, the same factor with
# the curvature at the bottom, and $2/f''(x^*)$ is the edge for every smooth minimum. Let us test
# the claim where it could fail: on $s(x) = \sin(x)\, e^{-0.05 x^2}$ (notebook 03's landscape),
# whose global minimum is at $x^* \approx -1.43$. We measure one step for 52 learning rates twice:
# from a start very close to $x^*$, and from one far up the slope. **Predict**: which panel follows
# the straight line?

# %%
s = gd.functions.sin_gauss
s_star = s.global_minimum.x
s_curv = s.hessian(s_star)  # f''(x*) = 1.0015
lrs = np.linspace(0.05, 2.6, 52)
near = gd.sweep(s, x0=s_star + 0.05, lr=lrs, epochs=1)
far = gd.sweep(s, x0=s_star + 1.5, lr=lrs, epochs=1)
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 3.8), sharey=True, layout="constrained")
gd.plotting.plot_step_ratio(near, ax=left)
gd.plotting.plot_step_ratio(far, ax=right)
left.set_title("start x* + 0.05 (near the bottom)")
right.set_title("start x* + 1.5 (far up the slope)")
plt.show()

# %% [markdown]
# Near the bottom (left) the measured factors lie on the line $1 - \eta f''(x^*)$, the quadratic's
# prediction: the edge sits at $2/f''(x^*) \approx 2.0$. Far up the slope (right) they do not: there
# the curve is no parabola, and one step is not a fixed fraction of the distance. The edge is a
# statement about the neighbourhood of the minimum, and that is where a converging run ends up.
# We check both sides of it with long runs from $x^* + 0.3$:

# %%
s_edge = 2 / s_curv
off_near = np.max(np.abs((near.x - s_star) / 0.05 - (1 - lrs * s_curv)))  # measured - predicted
off_far = np.max(np.abs((far.x - s_star) / 1.5 - (1 - lrs * s_curv)))
assert off_near < 0.05 < 0.3 < off_far
s_below = gd.descend(s, s_star + 0.3, lr=0.95 * s_edge, epochs=3000)
s_above = gd.descend(s, s_star + 0.3, lr=1.05 * s_edge, epochs=3000)
assert abs(s_below.final - s_star) < 1e-9
gap = np.abs(s_above.x[-2:] - s_star)
assert np.all(gap > 0.3) and not s_above.diverged  # it stops converging: it hops between two points
# NBVAL_CHECK_OUTPUT
print(f"f''(x*) = {s_curv:.4f}, edge 2/f''(x*) = {s_edge:.4f}")
print(f"lr = 0.95 * edge: ends at x = {s_below.final:.6f} (x* = {s_star:.6f})")  # NBVAL_CHECK_OUTPUT
print(f"lr = 1.05 * edge: still hopping after 3000 steps, {gap[0]:.3f} and {gap[1]:.3f} from x*")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Below the edge the run settles on $x^*$ to nine decimals; just above it, it never settles. On a
# parabola it would fly off to infinity; here the walls bend back (the curve is no parabola far from
# $x^*$), so it keeps hopping between two points on either side of the minimum forever. That
# hopping is the first step of a remarkable story that notebook 04 follows: as the rate grows
# further, gradient descent on this curve becomes chaotic.
#
# ## 5. Any scale: $x^2 + 5$ from ten thousand
#
# Nothing in the rule depends on where you start. Take $g(x) = x^2 + 5$ (minimum value 5 at $x = 0$)
# and start absurdly far away, at $x_0 = 10\,000$. With $\eta = 0.1$ the factor is
# $1 - 0.1 \cdot 2 = 0.8$, so each step keeps 80% of the distance, wherever you are.

# %%
g = gd.functions.parabola
far = gd.descend(g, 10_000.0, lr=0.1, epochs=100)
assert np.allclose(far.x, 10_000 * 0.8 ** np.arange(101))
print(f"after 100 steps: x = {far.final:.3e}, g(x) = {far.final_f:.6f}")  # NBVAL_CHECK_OUTPUT

# %%
gd.plotting.plot_history(far, what="f", log=True)
plt.show()

# %% [markdown]
# On a logarithmic axis the distance to the minimum value, $g(x_t) - 5 = x_t^2$, is a straight
# line: it shrinks by the same factor $0.8^2 = 0.64$ every step. That steady ratio is what
# "linear convergence" means.
#
# ## 6. The smallest training loop
#
# Machine learning uses the same loop with different words. The quantity we minimise is the
# **loss**; the number we adjust is a **weight** $w$; one pass of updates is an **epoch** (here the
# "data set" is a single number, so an epoch is a single update). Take the loss $(w - 3)^2$, whose
# best weight is $w = 3$, start from $w = 0$ and print every epoch:

# %%
w, lr = 0.0, 0.1
for epoch in range(1, 11):
    loss, grad = (w - 3) ** 2, 2 * (w - 3)
    w = w - lr * grad
    print(f"epoch {epoch:2d}: loss before = {loss:7.4f}, w after = {w:.4f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# The loss falls fast at first and then by less and less. When do we stop? A common rule: when the
# loss stops decreasing by more than a small tolerance. gdviz records the loss of every epoch, so
# we can find that moment after the fact:

# %%
training = gd.descend(gd.functions.squared_error, 0.0, lr=0.1, epochs=200)
improvement = -np.diff(training.f)
stop = int(np.argmax(improvement < 1e-8))  # first epoch whose improvement is below the tolerance
# each epoch removes 36% of the loss (0.8^2 = 0.64 stays), so a step worth < 1e-8 means loss < 1e-8 / 0.36
assert training.f[stop] < 1e-8 / 0.36 and abs(training.x[stop] - 3) < 2e-4
print(f"stop after {stop} epochs: w = {training.x[stop]:.6f}, loss = {training.f[stop]:.2e}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 7. Your turn: the explorer
#
# The explorer below runs gradient descent on $3x^2 - 3x + 4$ every time you move a slider: the
# learning rate (on a logarithmic scale), the number of epochs and the start. On the right, the
# position against the epoch and, below it, the distance $|x_t - x^*|$ on a log axis with the
# theory's prediction $|x_0 - x^*|\,|1 - \eta f''|^t$ as a wide pale band under it (on this parabola
# the two agree exactly; try `gd.functions.sin_gauss` to see them part far from the minimum). The title of that panel gives
# the factor $1 - \eta f''(x^*)$ and the regime it predicts: **crawl** (factor at least 0.9),
# **converge**, **one step** (factor 0), **bounce** (between $-1$ and 0) or **diverge** (below
# $-1$). The readout under the figure repeats the numbers with the final $x$ and $f(x)$.
#
# **Predict first, then move the slider:**
# 1. At $\eta = 0.05$ the factor is $0.7$. What should the slope of the distance line be? Check the
#    readout, then find the rate at which the line drops straight to the bottom of the panel.
# 2. Slide the rate slowly from 0.2 to 0.4. The position panel turns into a solid band (every
#    step jumps across $x^*$), but the distance panel stays readable. At which rate does its line
#    turn from falling to rising, and what does the title say there?
# 3. Put the start at $-2$ with a rate of 0.01. Do 100 epochs get you within 0.01 of $x^*$? Predict
#    how many you need from the factor, then check with the epochs slider.

# %%
gd.widgets.explore_1d(f, lr=0.01, epochs=100, x0=-1.5, theory=True)

# %% [markdown]
# ## Summary
#
# - Gradient descent repeats $x \leftarrow x - \eta f'(x)$: the minus sign points downhill, and
#   flipping it climbs away.
# - The step is $\eta f'(x)$, so it shrinks by itself as the slope flattens near a minimum.
# - On a quadratic each step multiplies the distance to the minimum by $1 - \eta f''$: descent
#   converges for $0 < \eta < 2/f''$, lands in one step at $\eta = 1/f''$, bounces for
#   $1/f'' < \eta < 2/f''$ and diverges beyond. On a log axis the distance is a straight line whose
#   slope is the log of that factor.
# - Near any smooth minimum the curve is a parabola with curvature $f''(x^*)$ (Taylor), so
#   $2/f''(x^*)$ is the edge there too; far from the minimum the factor is not constant.
# - The same rule works at any scale; in machine learning it is a training loop over epochs, stopped
#   when the loss no longer improves.
#
# ## Exercises
#
# Each exercise has a check: put your answer in the variable and run the cell. Run the next cell
# first; it defines the checks (you do not need to read it).

# %%
# EXERCISE CHECKS
def _number(answer, what):
    """The answer as a float, or None after saying what is wrong with it."""
    if answer is ...:
        return print(f"not yet: replace ... with {what}") or None
    if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
        return print(f"not yet: expected {what}, got {answer!r}") or None
    if not np.isfinite(answer) or answer <= 0:
        return print(f"not yet: expected {what} (a positive number), got {answer!r}") or None
    return float(answer)


def check_bowl_edge(answer):
    """Exercise 1: the largest rate at which descent on 5x^2 + 2x converges (within 2%)."""
    rate = _number(answer, "a learning rate")
    if rate is None:
        return False
    bowl = gd.Objective("5*x**2 + 2*x")
    below = gd.descend(bowl, 1.0, lr=0.98 * rate, epochs=3000)
    above = gd.descend(bowl, 1.0, lr=1.02 * rate, epochs=3000)
    ok = bool(not below.diverged and abs(below.final + 0.2) < 1e-6 and above.diverged)
    print("correct!" if ok else "not yet: just below your rate descent should converge, just above it diverge")
    return ok


def check_one_step(answer):
    """Exercise 2: the rate that takes x^2 + 5 from 10 000 to its minimum in one step."""
    rate = _number(answer, "a learning rate")
    if rate is None:
        return False
    landed = gd.descend(gd.functions.parabola, 10_000.0, lr=rate, epochs=1).final
    ok = bool(abs(landed) < 1e-9)
    print("correct!" if ok else f"not yet: one step with lr = {rate:g} lands at x = {landed:.6g}, not at 0")
    return ok


def check_epochs(answer):
    """Exercise 3: epochs until |x - 1/2| < 1e-6 from x0 = 1.8 at lr = 0.05 on 3x^2 - 3x + 4."""
    if answer is ...:
        return print("not yet: replace ... with a whole number of epochs") or False
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)):
        return print(f"not yet: expected a whole number of epochs, got {answer!r}") or False
    run = gd.descend(gd.functions.quadratic, 1.8, lr=0.05, epochs=200)
    first = int(np.argmax(np.abs(run.x - 0.5) < 1e-6))
    ok = int(answer) == first
    hint = "too few: the run is not that close yet" if answer < first else "more than needed: it got there sooner"
    print("correct!" if ok else f"not yet: {hint}")
    return ok

# %% [markdown]
# **1. The stability edge of another bowl.** For $h(x) = 5x^2 + 2x$, what is the largest learning
# rate for which gradient descent converges? Work it out on paper, then put it in `my_edge`.

# %%
my_edge = ...  # a number
check_bowl_edge(my_edge)

# %% [markdown]
# <details><summary>Solution</summary>
#
# $h''(x) = 10$, so the edge is $2/h'' = 0.2$: `my_edge = 0.2`. (And $\eta = 0.1$ lands on the
# minimum $x = -0.2$ in one step.)
# </details>
#
# **2. One step from ten thousand.** Which learning rate takes $x^2 + 5$ from $x_0 = 10\,000$ to
# its minimum in a single step? Predict it, then check (you can also try it with
# `gd.descend(gd.functions.parabola, 10_000.0, lr=..., epochs=1).final`).

# %%
my_rate = ...  # a number
check_one_step(my_rate)

# %% [markdown]
# <details><summary>Solution</summary>
#
# $g'' = 2$, so $\eta = 1/g'' = 0.5$: $10\,000 - 0.5 \cdot 2 \cdot 10\,000 = 0$.
# </details>
#
# **3. How long to a millionth?** Descent on $f(x) = 3x^2 - 3x + 4$ starts at $x_0 = 1.8$ with
# $\eta = 0.05$. After how many epochs is $|x_t - 1/2|$ below $10^{-6}$ for the first time? Use the
# contraction factor, not a run: then check.

# %%
my_epochs = ...  # a whole number
check_epochs(my_epochs)

# %% [markdown]
# <details><summary>Solution</summary>
#
# The factor is $1 - 0.05 \cdot 6 = 0.7$ and the start is $1.3$ away, so
# $|x_t - 1/2| = 1.3 \cdot 0.7^t < 10^{-6}$ when $t > \ln(1.3 \cdot 10^6)/\ln(1/0.7) \approx 39.5$:
# `my_epochs = 40`.
# </details>
#
# **Next:** [02 · The peaks landscape in 2D](02_peaks_2d.ipynb) takes the same rule to two
# variables, where the derivative becomes a gradient and the valley has more than one bottom.
