# %% [markdown]
# # 03 · Parametric experiments: thousands of runs at once
#
# **What you will be able to do after this notebook**
#
# - describe a landscape with several valleys by its derivative, and say which valley a start leads to;
# - run a whole experiment (50 starts, 50 learning rates, or a 50 x 40 grid of rates and epoch
#   counts) as **one** vectorised `gd.sweep` call, and read the result as a curve or a heat map;
# - explain why tiny learning rates barely move, and predict roughly how many epochs a given rate
#   needs, from one number: the product *learning rate x epochs*;
# - measure how much faster one vectorised sweep is than the nested Python loops a first attempt
#   would write.
#
# **Where we left off.** In notebook 02 gradient descent moved to two dimensions on the peaks
# landscape: the derivative became a gradient with two partial derivatives, sympy derived them and
# `lambdify` made them fast, and we saw that descent is *local*. Different starts rolled into
# different minima, and colouring every start of a grid by its destination drew the basins of
# attraction. This notebook turns that grid idea into a habit: instead of trying one setting at a
# time, we change one parameter (the start, the learning rate, the number of epochs) over a whole
# range and look at all the outcomes in a single picture.

# %%
# SETUP

# %% [markdown]
# ## 1. A landscape with several valleys
#
# Our test landscape is a sine wave whose swings are damped by a bell curve:
#
# $$f(x) = \sin(x)\, e^{-0.05 x^2}, \qquad x \in [-2\pi, 2\pi].$$
#
# The sine supplies one valley per period; the factor $e^{-0.05x^2}$ makes the valleys shallower the
# further they are from the origin, so one of them is deeper than all the others.

# %%
f = gd.functions.sin_gauss
f

# %% [markdown]
# As in notebook 01, sympy derives the slope for us. `factor` tidies the result into the bell curve
# times a bracket, which makes it easy to read where the slope vanishes.

# %%
import sympy as sp

(x,) = f.variables
fprime = sp.diff(f.expr, x)
sp.factor(fprime)

# %% [markdown]
# The bell curve is never zero, so $f'(x) = 0$ exactly when $x \sin x = 10 \cos x$, that is
# $\tan x = 10/x$. Unlike notebook 01's parabola this equation has no closed-form solution, so we
# will ask sympy for numerical roots in a moment. First the picture. **Look for** the valleys of the
# solid curve and check that the dashed slope crosses zero under each valley and each hilltop.

# %%
gd.plotting.plot_function_1d(f)
plt.show()

# %% [markdown]
# Inside the window there are two valleys: a deep one left of the origin and a shallower one on the
# right, separated by a hill at about $1.43$; a second hill, at about $-4.31$, closes the deep valley
# on the left. The curve keeps going beyond $\pm 2\pi$, where more (ever flatter) valleys wait; we
# will meet one of them in Experiment 1.
#
# `sympy.nsolve` finds a root of $f'$ near a guess. Started near $-1.4$, it lands on the global
# minimum that the catalogue lists; started near $-7.5$ it finds the next valley, outside the window.

# %%
x_star = float(sp.nsolve(fprime, x, -1.4))
x_outside = float(sp.nsolve(fprime, x, -7.5))
best = f.global_minimum
assert best.kind == "global" and abs(best.x - x_star) < 1e-12 and abs(x_star + 1.43) < 0.01
assert [round(m.x, 4) for m in f.minima] == [-1.4289, 4.3058]
other = f.minima[1]
print(f"global minimum f({x_star:.4f}) = {best.f:.4f}")  # NBVAL_CHECK_OUTPUT
print(f"other minimum  f({other.x:.4f}) = {other.f:.4f}")  # NBVAL_CHECK_OUTPUT
print(f"next valley outside the window: x = {x_outside:.4f}, f = {f(x_outside):.4f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# One more number will explain a lot later: the curvature $f''$ at the bottom of each valley.
# Notebook 01 showed that near a minimum every step shrinks the distance by the factor
# $1 - \eta f''$, so a valley with a smaller $f''$ is approached more slowly.

# %%
curv_deep, curv_right = f.hessian(best.x), f.hessian(other.x)
assert 0.99 < curv_deep < 1.01 and 0.46 < curv_right < 0.47
print(f"f'' = {curv_deep:.3f} in the deep valley, {curv_right:.3f} in the right one")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 2. From one run to a sweep
#
# `gd.descend` records every step of a run. For experiments we usually want something else: many
# runs, and only where each one *ended*. `gd.sweep` does that. Give it an array of starts, an array
# of learning rates, a list of epoch counts (or any mix of single values and arrays) and it runs
# **every combination** together, one numpy operation per epoch for all runs at once. It returns a
# `SweepResult` with the final positions `x`, final losses `f`, a `diverged` flag per run, and
# `dims`, which names the grid's axes in order: starts, then rates, then epochs.
#
# ## 3. Experiment 1: where you start decides where you end
#
# Fifty starts evenly spaced on $[-5, 5]$, learning rate 0.01, 1000 epochs each. One call:

# %%
starts = np.linspace(-5, 5, 50)
exp1 = gd.sweep(f, x0=starts, lr=0.01, epochs=1000)
print(exp1.dims, exp1.x.shape)  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Now plot the final position against the start. Before you look, use the curve from section 1 to
# **predict** the shape: where will a start at $-3$ end up? One at $+3$? What happens at the hilltops?
# The dotted lines mark the two known minima.

# %%
gd.plotting.plot_sweep(exp1)
plt.show()

# %% [markdown]
# A staircase. Every start between the hilltops at $-4.31$ and $+1.43$ ends on the same flat step,
# the deep minimum at $-1.43$; every start right of $+1.43$ ends near the other minimum at $4.31$;
# the few starts left of $-4.31$ end far down, below $-6$, outside the window we plot $f$ in. The
# edges of the steps sit on the hilltops, because on either side of a hilltop the slope points away
# from it: the start alone decides which valley you roll into. Let us count the steps:

# %%
left_hill, right_hill = f.maxima[1].x, f.maxima[0].x  # the hilltops at -4.31 and +1.43
far_left = starts < left_hill
middle = (starts > left_hill) & (starts < right_hill)
right = starts > right_hill
assert np.all(np.abs(exp1.x[middle] - best.x) < 0.02)
assert np.all(np.abs(exp1.x[right] - other.x) < 0.05)
assert np.all(exp1.x[far_left] < -6) and not exp1.diverged.any()
print(f"{far_left.sum()} starts leave, {middle.sum()} reach -1.43, {right.sum()} reach 4.31")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Two details deserve a closer look.
#
# - **The left step is not a valley of the window.** Starts left of $-4.31$ roll left, out of the
#   window, towards the next valley at $x \approx -7.23$. The bell curve has flattened that region
#   so much that after 1000 epochs they are still on their way, strung out between $-6.7$ and $-6$.
# - **The right step is not quite flat.** Its runs still creep towards $4.31$ from both sides,
#   because that valley is only about half as curved as the deep one ($f'' \approx 0.47$ against
#   $1.00$), so each step closes less of the gap. A step is flat only once all its runs have arrived.

# %%
print(f"far left ends: {exp1.x[far_left].min():.3f} .. {exp1.x[far_left].max():.3f}")  # NBVAL_CHECK_OUTPUT
print(f"right step ends: {exp1.x[right].min():.3f} .. {exp1.x[right].max():.3f}")  # NBVAL_CHECK_OUTPUT
gap_deep = np.abs(exp1.x[middle] - best.x).max()
gap_right = np.abs(exp1.x[right] - other.x).max()
assert gap_right > 2 * gap_deep

# %% [markdown]
# ## 4. Experiment 2: how big a step?
#
# Now fix the start at $x_0 = 0$ (on the slope of the deep valley) and vary the learning rate:
# 50 rates evenly spaced between $10^{-10}$ and $10^{-1}$, 1000 epochs each. Again one call; this
# time the grid's axis is the learning rate.

# %%
rates = np.linspace(1e-10, 1e-1, 50)
exp2 = gd.sweep(f, x0=0.0, lr=rates, epochs=1000)
print(exp2.dims, exp2.x.shape)  # NBVAL_CHECK_OUTPUT
print(f"rates: {rates[0]:.0e}, {rates[1]:.5f}, {rates[2]:.5f}, ..., {rates[-1]:.2f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Evenly spaced means a constant gap of $0.1/49 \approx 0.002$: apart from the very first rate,
# none of them is tiny. gdviz sees that the rates are evenly spaced and plots them on an ordinary
# (linear) axis, where the spacing shows as it is. **Predict first:** will the curve fall gradually from 0 to $-1.43$, or all at once?

# %%
gd.plotting.plot_sweep(exp2)
plt.show()

# %% [markdown]
# Almost all at once. The first rate, $10^{-10}$, leaves the point at 0 (the left end of the curve);
# the second already gets most of the way; from the fourth on, every rate lands on the minimum and
# the curve lies on the dotted line. The numbers behind the first few points:

# %%
for lr, end in zip(rates[:5], exp2.x[:5]):
    print(f"lr = {lr:<7.3g} final x = {end:+.4g}, {abs(end - best.x):.4f} from the minimum")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Why does $10^{-10}$ barely move? Each step is $\eta\, f'(x)$, and at the start the slope is
# $f'(0) = 1$. So each of the 1000 steps moves the point by about $10^{-10}$, and all of them
# together by about $10^{-7}$: invisible. The rule of thumb hiding here is *distance travelled
# $\approx$ learning rate $\times$ epochs $\times$ slope*. With the second rate that product is
# about 2 (times a slope that shrinks on the way down), not quite enough to reach $-1.43$.

# %%
assert f.grad(0.0) == 1.0
assert abs(exp2.x[0] - (-1000 * 1e-10)) < 1e-12  # moved by 1e-7, exactly 1000 steps of 1e-10
close = np.abs(exp2.x - best.x) < 0.01
first = int(np.argmax(close))
assert first == 3 and close[first:].all()
print(f"from lr = {rates[first]:.5f} on, every run ends within 0.01 of the minimum")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# And why does no rate overshoot into another valley, however large? Notebook 01 gave the answer:
# near a minimum descent is stable while $\eta < 2/f''$, which here is about 2. Our largest rate,
# 0.1, is twenty times smaller than that edge, so every run slides in smoothly.

# %%
assert 2 / curv_deep > 19 * rates.max() and not exp2.diverged.any()

# %% [markdown]
# ## 5. Experiment 3: learning rate against epochs
#
# Experiment 2 fixed the budget at 1000 epochs. What if we have fewer? Now we vary both: the same 50
# rates crossed with 40 epoch counts from 10 to 500, that is 2000 runs. `gd.sweep` runs them all
# for 500 epochs *once* and keeps each run's position at the 40 requested epochs, so this costs no
# more than 50 runs of 500 epochs.

# %%
epoch_counts = np.linspace(10, 500, 40).astype(int)
exp3 = gd.sweep(f, x0=0.0, lr=rates, epochs=epoch_counts)
print(exp3.dims, exp3.x.shape, epoch_counts[:4], "...", epoch_counts[-2:])  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Two heat maps side by side: the learning rate runs left to right, the number of epochs bottom to
# top, and each cell is coloured by how one run ended. On the left the final position, with the
# colours limited to $[-1.45, -1.2]$ around the minimum: yellow means "still short of $-1.2$", dark
# purple "at the minimum", green about 0.1 short. On the right the final loss, with its own scale.
# The orange dashed curve is a guess that we test below. **Predict first:** in which corner will the
# runs that failed be, and what shape will the border of the dark region have?

# %%
fig, (ax_x, ax_f) = plt.subplots(1, 2, figsize=(13, 4.6), layout="constrained")
gd.plotting.plot_sweep_heatmap(exp3, ax=ax_x, value="x", vmin=-1.45, vmax=-1.2)
gd.plotting.plot_sweep_heatmap(exp3, ax=ax_f, value="f")
for ax, title in [(ax_x, "final x"), (ax_f, "final loss f(x)")]:
    inside = 5 / rates <= epoch_counts.max()  # draw the curve only where the grid has cells
    ax.plot(rates[inside], 5 / rates[inside], "--", color=gd.plotting.PALETTE[1], lw=2.5, label="lr x epochs = 5")
    ax.legend(loc="upper right")
    ax.set_title(title)
plt.show()

# %% [markdown]
# Both maps tell the same story. Runs with a small rate **and** few epochs (bottom left) stay far
# from the minimum: yellow on the left, a high loss on the right. More epochs or a larger rate both
# help, and they can stand in for each other. The border between failure and success is neither a
# vertical line (a minimum rate) nor a horizontal one (a minimum number of epochs), but a curve
# along which halving the rate doubles the epochs needed: a curve of constant
# *learning rate x epochs*. The green band, where runs ended about 0.1 short, follows such a curve;
# the dashed one, further right, marks where they get within 0.01. The colour scale cannot show a
# difference of 0.01, so the cells on both sides of the dashed curve look equally dark.
#
# The loss map is more forgiving: its dark region reaches further left. Near a minimum the curve is
# flat, so the loss of a run 0.1 short of $x^*$ is already within about
# $\tfrac12 f''\cdot 0.1^2 = 0.005$ of the best value, a difference the colours cannot show either.

# %%
short_by = f(np.array([best.x - 0.1, best.x + 0.1])) - best.f
assert np.all(np.abs(short_by - 0.5 * curv_deep * 0.1**2) < 1e-4)
print("loss 0.1 away from the minimum, minus the minimum:", np.round(short_by, 4))  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Why should *learning rate x epochs* be what matters? Section 4's rule of thumb: while the steps
# are small, distance travelled $\approx$ rate $\times$ epochs $\times$ slope, and the slopes along
# the way are the same for every small rate. So each goal has its own budget. We can measure it:
# run the 49 non-tiny rates with `gd.descend` (one batched call) long enough, find the first epoch
# at which each run is within 0.1 (and within 0.01) of the minimum, and multiply by its rate.

# %%
long = gd.descend(f, 0.0, lr=rates[1:], epochs=3000)
budgets = {}
for tol in (0.1, 0.01):
    arrived = np.abs(long.x - best.x) < tol  # shape (3001 steps, 49 rates)
    assert arrived[-1].all()
    needed = arrived.argmax(axis=0)  # first epoch within tol, for each rate
    budgets[tol] = rates[1:] * needed
    print(f"within {tol}: {needed[0]} epochs at lr = {rates[1]:.5f}, {needed[-1]} at lr = {rates[-1]:.1f};",
          f"lr x epochs = {budgets[tol].min():.2f} .. {budgets[tol].max():.2f}")  # NBVAL_CHECK_OUTPUT
assert np.all((2.6 < budgets[0.1]) & (budgets[0.1] < 2.8))
assert np.all((4.8 < budgets[0.01]) & (budgets[0.01] < 5.1))

# %% [markdown]
# From the smallest of these rates to the largest the rate grows 49-fold and the epochs needed
# shrink by the same factor: the product stays near 2.7 for the green band and between 4.85 and
# 5.04 for getting within 0.01. (It drifts down slightly for the larger rates, because big steps
# are no longer a smooth slide.) The heat map agrees cell by cell: every run whose budget exceeds
# 5.1 ended within 0.01 of the minimum, and none whose budget was below 4.8 did.

# %%
made_it = np.abs(exp3.x - best.x) < 0.01  # shape (50 rates, 40 epoch counts)
grid_budget = rates[:, None] * epoch_counts[None, :]
assert made_it[grid_budget > 5.1].all() and not made_it[grid_budget < 4.8].any()
print(f"{made_it.sum()} of {made_it.size} runs ended within 0.01 of the minimum")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 6. One call against nested loops
#
# How would a first attempt run Experiment 3? Probably as below: a `lambdify`-ed derivative (as in
# notebook 02), a loop over rates, a loop over epoch counts, and inside them the update rule
# $x \leftarrow x - \eta f'(x)$ written out by hand, starting each run from scratch. This is the
# algorithm of the whole notebook in plain Python, so we also use it as a check: it must give the
# same 2000 final positions as the sweep.

# %%
import time

fprime_num = sp.lambdify(x, fprime)

start = time.perf_counter()
by_loops = np.empty((len(rates), len(epoch_counts)))
for i, lr in enumerate(rates):
    for j, n_epochs in enumerate(epoch_counts):
        x_t = 0.0
        for _ in range(n_epochs):
            x_t = x_t - lr * fprime_num(x_t)
        by_loops[i, j] = x_t
loop_time = time.perf_counter() - start

# %% [markdown]
# Now the same experiment through `gd.sweep`, on the same clock. The sweep is over so quickly that a
# single hiccup of the machine would distort its time, so we take the best of three runs.

# %%
sweep_times = []
for _ in range(3):
    start = time.perf_counter()
    again = gd.sweep(f, x0=0.0, lr=rates, epochs=epoch_counts)
    sweep_times.append(time.perf_counter() - start)
sweep_time = min(sweep_times)
assert np.allclose(by_loops, again.x, rtol=0, atol=1e-12)  # the very same 2000 results
speedup = loop_time / sweep_time
assert speedup > 5
print(f"nested loops {loop_time:.2f} s, one sweep {1000 * sweep_time:.1f} ms: {speedup:.0f}x faster")

# %% [markdown]
# The results agree to within $10^{-12}$, and the sweep is many times faster (the exact ratio depends
# on your machine, which is why this printout is not checked). The loops pay Python's overhead on
# every one of the half a million single updates, and they recompute each run from scratch for
# every epoch count; the sweep advances all 50 rates together with a handful of numpy operations per
# epoch and reads off the 40 epoch counts along the way. We made this comparison once; from here
# on, every experiment is a single call.
#
# ## 7. Your turn: the sweep explorer
#
# The explorer below shows the final-position heat map of Experiment 3 (computed once, by one
# sweep) beside the curve. Two sliders choose a cell, a learning rate and a number of epochs; a
# white square marks it on the heat map and that cell's run is drawn on the curve, step by step.
# The readout under the figure repeats the cell's value. We leave out the $10^{-10}$ column, whose
# story we know (the run does not move), so that the rate slider starts where something happens.
#
# **Predict first, then move the slider:**
# 1. Set the rate to 0.0102. How many epochs should the run need to get within 0.01 of the minimum,
#    by the budget of 5? Move the epochs slider up and watch where the path stops.
# 2. Keep about 100 epochs and slide the rate down to the smallest value, 0.00204. Before each move,
#    guess how far from 0 the run will get. Are its steps evenly spaced, or do they shrink?
# 3. Choose the cell with the largest rate and the fewest epochs. Is it on the dark side of the
#    border? Decide with the budget rule, then look.

# %%
gd.widgets.explore_sweep(f, 0.0, lrs=rates[1:], epochs_grid=epoch_counts, lr=rates[5], epochs=epoch_counts[8])

# %% [markdown]
# ## Summary
#
# - $\sin(x)e^{-0.05x^2}$ has several valleys; the global minimum is at $x \approx -1.43$. Where
#   $f' = 0$ has no closed-form solution, `sympy.nsolve` finds the roots numerically.
# - **Experiment 1:** final position against start is a staircase. Each step is a basin of
#   attraction and each edge a hilltop: gradient descent is local, and the start picks the valley.
# - **Experiment 2:** from $x_0 = 0$ a rate of $10^{-10}$ moves the point by only $10^{-7}$ in 1000
#   epochs, because each step is $\eta f'(x)$. From $\eta \approx 0.006$ on, 1000 epochs are enough
#   to reach the minimum, and no rate up to 0.1 comes near the stability edge $2/f'' \approx 2$.
# - **Experiment 3:** rate and epochs trade off. Here a run needs *learning rate x epochs* $\approx 5$
#   to get within 0.01 of the minimum (about 2.7 to get within 0.1): halve the rate and you need
#   twice the epochs. The loss map looks more forgiving than the position map because the curve is
#   flat near its minimum.
# - One `gd.sweep` call runs a whole grid of starts, rates and epoch counts at once, and it returned
#   the same numbers as nested Python loops, many times faster.
#
# ## Exercises
#
# **1. Rates on a logarithmic grid.** Experiment 2 spaced its rates evenly, so only one of them was
# really small. Repeat it with `np.geomspace(1e-10, 1e-1, 50)`, which spaces them evenly on a
# logarithmic scale. Before you run it, use the budget of 5 to predict the smallest rate that gets
# within 0.01 of the minimum in 1000 epochs, put it in `my_rate` and run the check.

# %%
my_rate = None  # your prediction, e.g. 0.0123

if my_rate is not None:
    log_rates = np.geomspace(1e-10, 1e-1, 50)
    ends = gd.sweep(f, 0.0, lr=log_rates, epochs=1000).x
    smallest = log_rates[np.argmax(np.abs(ends - best.x) < 0.01)]
    ratio = my_rate / smallest
    print(f"the grid's smallest successful rate is {smallest:.4g};",
          "well predicted!" if 0.6 < ratio < 1.6 else "not quite: how many epochs does lr x epochs = 5 allow?")

# %% [markdown]
# <details><summary>Solution</summary>
#
# A budget of 5 spread over 1000 epochs needs $\eta \approx 5/1000 = 0.005$, so `my_rate = 0.005`.
# On the logarithmic grid the first rate that succeeds is about 0.0052 (its neighbour below, 0.0034,
# falls short). Plotting the new sweep with `gd.plotting.plot_sweep` shows a smooth S-shaped
# descent from 0 to $-1.43$ across the rates from about $10^{-4}$ to $10^{-2}$ (below that the runs
# move by about $1000\,\eta$, too little to see), a range the evenly spaced grid jumped over in a
# single step from $10^{-10}$ to 0.002.
# </details>
#
# **2. The edge of a step.** In Experiment 1 the middle step ends near $x_0 = 1.43$. Find the
# edge more precisely: sweep 2001 starts evenly spaced on $[1, 2]$ with lr 0.01 and 5000 epochs,
# and find the last start that still ends in the deep valley. Put it in `my_edge`. Why is the edge
# exactly there?

# %%
my_edge = None  # your answer, e.g. 1.234

if my_edge is not None:
    top = f.maxima[0].x
    print("correct!" if abs(my_edge - top) < 1e-3 else "not quite: where does the final x jump to the other valley?")

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# edge_starts = np.linspace(1, 2, 2001)
# ends = gd.sweep(f, edge_starts, lr=0.01, epochs=5000).x
# my_edge = edge_starts[ends < 0].max()   # 1.4285, next start 1.4290
# ```
#
# The edge is the hilltop at $x = 1.4289$ (`f.maxima[0].x`). There $f' = 0$; just left of it the
# slope is positive, so descent moves left, and just right of it the slope is negative, so descent
# moves right. Starts very close to the top take many epochs to get going, because the slope there
# is nearly zero: with only 1000 epochs some of them have not arrived yet, hence the 5000.
# </details>
#
# **3. The budget of the shallow valley.** Start at $x_0 = 3$, which rolls into the right valley at
# $4.31$. Measure the budget *learning rate x epochs* needed to get within 0.01 of that minimum, for
# a few rates (as in section 5, with a batched `gd.descend`). Is it larger or smaller than 5, and
# why? Put your measured budget in `my_budget`.

# %%
my_budget = None  # your measurement, e.g. 3.2

if my_budget is not None:
    run = gd.descend(f, 3.0, lr=0.01, epochs=3000)
    measured = 0.01 * np.argmax(np.abs(run.x - f.minima[1].x) < 0.01)
    print(f"measured at lr = 0.01: {measured:.2f};", "correct!" if abs(my_budget / measured - 1) < 0.1 else "not quite")

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# trial_rates = np.array([0.01, 0.02, 0.05, 0.1])
# run = gd.descend(f, 3.0, lr=trial_rates, epochs=3000)
# needed = np.argmax(np.abs(run.x - f.minima[1].x) < 0.01, axis=0)
# print(trial_rates * needed)   # about 9.6 to 9.8
# ```
#
# About 9.7, nearly twice the deep valley's 5, although the distance to cover is shorter (1.31
# instead of 1.43). The right valley is shallower and flatter ($f'' \approx 0.47$ instead of $1.00$;
# the slope at the start is $-0.66$ instead of $1$), so every step, $\eta f'(x)$, is smaller on the
# way in and it takes more of them.
# </details>
#
# **Next:** [04 · Dynamic learning rates](04_dynamic_learning_rates.ipynb) stops keeping the learning
# rate fixed: large steps while far away, small ones near the minimum, and the schedules that
# training libraries use to get both.
