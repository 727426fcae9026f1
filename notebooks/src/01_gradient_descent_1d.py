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
# why. Each point is one step; the arrows join consecutive points. **Look at the spacing**: wide
# at the start, tight at the end.

# %%
fig, (left, mid, right) = plt.subplots(1, 3, figsize=(13, 3.6), layout="constrained")
gd.plotting.plot_descent_1d(run, ax=left)
gd.plotting.plot_histories(run, whats=("x", "grad"), axes=(mid, right))
plt.show()

# %% [markdown]
# The position (middle) approaches $1/2$ quickly at first and then more and more slowly; the
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
gd.plotting.plot_history({"descent: x - lr f'(x)": run, "ascent: x + lr f'(x)": climb}, what="x")
plt.show()

# %% [markdown]
# Descent settles at $1/2$; ascent runs away from it, faster and faster, because the further it
# gets the steeper the slope. A parabola that opens upwards has no top, so ascent never stops.

# %%
distance = np.abs(climb.x - 0.5)
assert np.all(np.diff(distance) > 0)
# NBVAL_CHECK_OUTPUT
print(f"ascent after 100 steps: x = {climb.final:.3f}, {distance[-1] / distance[0]:.1f}x farther from 1/2")

# %% [markdown]
# ## 4. How big a step? Four learning rates
#
# The learning rate is the one knob of plain gradient descent. Here are four choices from the same
# start, 30 steps each. **Before running the cell, guess** which one will overshoot the minimum.

# %%
rates = {"0.01: too small": 0.01, "0.15: about right": 0.15, "0.3: too large": 0.3, "0.7: far too large": 0.7}
runs = {name: gd.descend(f, 1.8, lr=lr, epochs=30) for name, lr in rates.items()}
fig, axes = plt.subplots(1, 4, figsize=(15, 3.4), sharey=True, layout="constrained")
for ax, (name, r) in zip(axes, runs.items()):
    gd.plotting.plot_descent_1d(r, ax=ax)
    ax.set_title(f"lr = {name}")
plt.show()

# %% [markdown]
# From left to right: $\eta = 0.01$ crawls and is still far away after 30 steps; $\eta = 0.15$
# arrives within a few steps; $\eta = 0.3$ jumps across the valley every step, bouncing between the
# walls while slowly closing in; $\eta = 0.7$ jumps further out each time and is flagged as
# **diverged** (the X marks where gdviz stopped it).

# %%
for name, r in runs.items():
    print(f"{name:20s} final x = {r.final:10.4g}   diverged: {bool(r.diverged)}")  # NBVAL_CHECK_OUTPUT
assert [bool(r.diverged) for r in runs.values()] == [False, False, False, True]

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
# bouncing above). And at $\eta = 1/f'' = 1/6$ the factor is zero: one step lands on the minimum.

# %%
curvature = f.hessian(0.0)  # f'' = 6 everywhere
t = np.arange(31)
for name, r in runs.items():
    lr = rates[name]
    closed_form = 0.5 + (1 - lr * curvature) ** t * (1.8 - 0.5)
    if not r.diverged:
        assert np.allclose(r.x, closed_form, rtol=1e-9, atol=1e-12)
one_step = gd.descend(f, 1.8, lr=1 / curvature, epochs=1)
assert abs(one_step.final - 0.5) < 1e-12
# NBVAL_CHECK_OUTPUT
print(f"f'' = {curvature:g}: stable for 0 < lr < {2 / curvature:.4f}; lr = {1 / curvature:.4f} lands in one step")

# %% [markdown]
# The next figure measures the factor instead of computing it: one step from the same start for 46
# learning rates, in a single vectorised `gd.sweep`, and the ratio
# $(x_1 - x^*)/(x_0 - x^*)$ plotted against $\eta$. Look for the three special rates: where the line
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
# learning rate (on a logarithmic scale), the number of epochs and the start. The readout under the
# figure gives the final $x$, $f(x)$ and whether the run diverged.
#
# **Predict first, then move the slider:**
# 1. Set the learning rate to about 0.16. How many steps until the point sits on the minimum?
# 2. Slide it slowly from 0.2 to 0.4. At which value does the bouncing stop closing in?
# 3. Put the start at $-2$ with a learning rate of 0.01. Do 100 epochs get you there? How many do?

# %%
gd.widgets.explore_1d(f, lr=0.01, epochs=100, x0=-1.5)

# %% [markdown]
# ## Summary
#
# - Gradient descent repeats $x \leftarrow x - \eta f'(x)$: the minus sign points downhill, and
#   flipping it climbs away.
# - The step is $\eta f'(x)$, so it shrinks by itself as the slope flattens near a minimum.
# - On a quadratic each step multiplies the distance to the minimum by $1 - \eta f''$: descent
#   converges for $0 < \eta < 2/f''$, lands in one step at $\eta = 1/f''$, bounces for
#   $1/f'' < \eta < 2/f''$ and diverges beyond.
# - The same rule works at any scale; in machine learning it is a training loop over epochs, stopped
#   when the loss no longer improves.
#
# ## Exercises
#
# **1. The stability edge of another bowl.** For $h(x) = 5x^2 + 2x$, what is the largest learning
# rate for which gradient descent converges? Put your answer in `my_edge` and run the check.

# %%
my_edge = None  # your answer here, e.g. 0.123

h = gd.Objective("5*x**2 + 2*x")
if my_edge is not None:
    ok = not gd.descend(h, 1.0, lr=0.98 * my_edge, epochs=3000).diverged
    ok &= bool(gd.descend(h, 1.0, lr=1.02 * my_edge, epochs=3000).diverged)
    print("correct!" if ok else "not quite: converges below the edge and diverges above it?")

# %% [markdown]
# <details><summary>Solution</summary>
#
# $h''(x) = 10$, so the edge is $2/h'' = 0.2$: `my_edge = 0.2`. (And $\eta = 0.1$ lands on the
# minimum $x = -0.2$ in one step.)
# </details>
#
# **2. One step from ten thousand.** Which learning rate takes $x^2 + 5$ from $x_0 = 10\,000$ to
# its minimum in a single step? Check it with `gd.descend(g, 10_000.0, lr=..., epochs=1).final`.
#
# <details><summary>Solution</summary>
#
# $g'' = 2$, so $\eta = 1/g'' = 0.5$: $10\,000 - 0.5 \cdot 2 \cdot 10\,000 = 0$.
# </details>
#
# **3. Ascent finds maxima.** `gd.functions.sin_gauss` has a maximum near $x = 1.43$. Use descent on
# $-f$ (as in section 3) from $x_0 = 0.5$ to find it to four decimals, and check your answer against
# `gd.functions.sin_gauss.maxima`.
#
# <details><summary>Solution</summary>
#
# ```python
# s = gd.functions.sin_gauss
# top = gd.descend(gd.Objective(-s.expr, bounds=s.bounds), 0.5, lr=0.1, epochs=500)
# print(round(top.final, 4), s.maxima[0].x)   # 1.4289  1.428870...
# ```
# </details>
#
# **Next:** [02 · The peaks landscape in 2D](02_peaks_2d.ipynb) takes the same rule to two
# variables, where the derivative becomes a gradient and the valley has more than one bottom.
