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
# - explain that budget with the *gradient flow*: gradient descent is Euler's method for
#   $dx/ds = -f'(x)$, so runs at different small rates follow one curve on the clock
#   $s = $ learning rate x epochs, and peel away from it near the stability edge;
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
# The dotted lines mark the two known minima, the dashed vertical lines the two hilltops. Every run
# is one point; a line joins neighbouring starts only when their runs ended close together, so no
# line pretends that some run ended halfway up a jump.

# %%
fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
gd.plotting.plot_sweep(exp1, ax=ax, join=1.0)  # no line between neighbours that ended more than 1 apart
for hill in f.maxima:
    ax.axvline(hill.x, color=gd.plotting.NEUTRAL, ls="--", lw=1)
    ax.text(hill.x, 0.03, f" hilltop {hill.x:.2f}", transform=ax.get_xaxis_transform(), color="dimgray")
plt.show()

# %% [markdown]
# A staircase. Every start between the hilltops at $-4.31$ and $+1.43$ ends on the same flat step,
# the deep minimum at $-1.43$; every start right of $+1.43$ ends near the other minimum at $4.31$;
# the few starts left of $-4.31$ end far down, below $-6$, outside the window we plot $f$ in. The
# jumps between the steps sit exactly on the dashed hilltops, because on either side of a hilltop
# the slope points away from it: the start alone decides which valley you roll into. Let us count
# the steps, and check that each jump lies between the two starts that flank a hilltop:

# %%
left_hill, right_hill = f.maxima[1].x, f.maxima[0].x  # the hilltops at -4.31 and +1.43
far_left = starts < left_hill
middle = (starts > left_hill) & (starts < right_hill)
right = starts > right_hill
assert np.all(np.abs(exp1.x[middle] - best.x) < 0.02)
assert np.all(np.abs(exp1.x[right] - other.x) < 0.05)
assert np.all(exp1.x[far_left] < -6) and not exp1.diverged.any()
jumps = np.flatnonzero(np.abs(np.diff(exp1.x)) > 1.0)  # between starts[k] and starts[k + 1]
assert len(jumps) == 2 and all(starts[k] < hill.x < starts[k + 1] for k, hill in zip(jumps, sorted(f.maxima)))
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
# (linear) axis, where the spacing shows as it is. The vertical axis shows only the stretch from the
# start, 0, down to the deep minimum at $-1.43$, where the whole story happens. **Predict first:**
# will the curve fall gradually from 0 to $-1.43$, or all at once?

# %%
fig, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
gd.plotting.plot_sweep(exp2, ax=ax)
ax.set_ylim(-1.6, 0.15)  # from the start down to the minimum; the other minimum (4.31) is off this chart
plt.show()

# %% [markdown]
# Almost all at once. The first rate, $10^{-10}$, leaves the point at 0 (the top left end of the curve);
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
# top, and each cell is coloured by how one run ended. On the left the distance to the minimum,
# $|x - x^*|$, on a logarithmic colour scale: yellow means "still about 1 away", green about 0.1,
# dark purple "within $10^{-4}$"; the white lines are contour lines where runs ended exactly 0.1 and
# 0.01 away. On the right the loss above the minimum, $f - f^*$, also on a log scale. The two dashed
# curves are a guess that we test below: *learning rate x epochs* = 2.7 (orange) and = 5 (pink).
# **Predict first:** in which corner will the runs that failed be, and what shape will the border of
# the dark region have?

# %%
budget_curves = (2.7, 5)
fig, (ax_x, ax_f) = plt.subplots(1, 2, figsize=(13, 4.6), layout="constrained")
gd.plotting.plot_sweep_heatmap(exp3, ax=ax_x, value="dist", log=True, vmin=1e-4, vmax=2, contours=(0.01, 0.1),
                               budgets=budget_curves)
gd.plotting.plot_sweep_heatmap(exp3, ax=ax_f, value="f", log=True, vmin=1e-12, budgets=budget_curves)
ax_x.set_title("distance to the minimum, |x - x*|")
ax_f.set_title("loss above the minimum, f - f*")
plt.show()

# %% [markdown]
# Both maps tell the same story. Runs with a small rate **and** few epochs (bottom left) stay far
# from the minimum: yellow on both sides. More epochs or a larger rate both help, and they can stand
# in for each other. The border between failure and success is neither a vertical line (a minimum
# rate) nor a horizontal one (a minimum number of epochs), but a curve along which halving the rate
# doubles the epochs needed: a curve of constant *learning rate x epochs*. Look at the left map:
# the white contour "ended 0.1 away" runs along the orange hyperbola lr x epochs = 2.7 from one end
# to the other, and the contour "ended 0.01 away" along the pink one, lr x epochs = 5. Each
# distance to the goal has its own budget.
#
# The loss map says the same with other numbers: near a minimum the curve is flat, so a run 0.1
# short of $x^*$ has a loss only about $\tfrac12 f''\cdot 0.1^2 = 0.005$ above the best value, and a
# run 0.01 short about $5 \times 10^{-5}$ above it. The log scale shows those small differences
# that a linear colour scale would paint in one colour.

# %%
short_by = f(np.array([best.x - 0.1, best.x + 0.1])) - best.f
assert np.all(np.abs(short_by - 0.5 * curv_deep * 0.1**2) < 1e-4)
print("loss 0.1 away from the minimum, minus the minimum:", np.round(short_by, 4))  # NBVAL_CHECK_OUTPUT
near = f(np.array([best.x - 0.01, best.x + 0.01])) - best.f
assert np.all(np.abs(near - 0.5 * curv_deep * 0.01**2) < 1e-6)

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
# shrink by the same factor: the product stays near 2.7 for getting within 0.1 and between 4.85 and
# 5.04 for getting within 0.01. (It drifts down slightly for the larger rates, because big steps
# are no longer a smooth slide.) The heat map agrees cell by cell: every run whose budget exceeds
# 5.1 ended within 0.01 of the minimum, and none whose budget was below 4.8 did.

# %%
made_it = np.abs(exp3.x - best.x) < 0.01  # shape (50 rates, 40 epoch counts)
grid_budget = rates[:, None] * epoch_counts[None, :]
assert made_it[grid_budget > 5.1].all() and not made_it[grid_budget < 4.8].any()
print(f"{made_it.sum()} of {made_it.size} runs ended within 0.01 of the minimum")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 6. Why the product? Gradient flow
#
# Write the update rule as a difference quotient:
#
# $$\frac{x_{t+1} - x_t}{\eta} = -f'(x_t).$$
#
# This is exactly **Euler's method**, the simplest way to solve a differential equation, for
#
# $$\frac{dx}{ds} = -f'(x),$$
#
# with time step $\eta$: each update moves a clock $s$ forward by $\eta$, so after $t$ epochs
# $s = \eta\, t$, the *learning rate x epochs* of the heat maps. The solution $x(s)$ of this equation
# is called the **gradient flow**: a bead sliding down the curve in thick syrup, always moving
# downhill with a speed equal to the slope, and never overshooting. When the steps are small, any
# rate traces the same path $x(s)$, only cut into more or fewer pieces, so reaching a given point
# costs the same time $s$ whatever the rate. That is the budget.
#
# We compute the flow with a tiny time step, $\eta = 2 \times 10^{-4}$ (50,000 steps to reach
# $s = 10$), and check that halving the step again changes nothing we could see.

# %%
flow = gd.descend(f, 0.0, lr=2e-4, epochs=50_000)
finer = gd.descend(f, 0.0, lr=1e-4, epochs=100_000)
assert np.abs(flow.x - finer.x[::2]).max() < 1e-4  # this is the flow, to plotting accuracy
s_flow = 2e-4 * np.arange(flow.x.size)
arrival = {tol: s_flow[np.argmax(np.abs(flow.x - best.x) < tol)] for tol in (0.1, 0.01)}
print(f"the flow gets within 0.1 of the minimum at s = {arrival[0.1]:.2f}, within 0.01 at s = {arrival[0.01]:.2f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# The flow's arrival times are the two budgets we measured from the sweep: about 2.7 and 5. Now five
# runs at rates from 0.05 to 1.9, each for as many epochs as it takes to reach $s = 10$, drawn
# against their clock $s$ (gdviz calls it `against="time"`: the rates summed so far), with the flow
# as a thin black line on top. **Predict first:** which of them will lie on the flow, and which will
# not?

# %%
flow_rates = (0.05, 0.2, 0.5, 1.0, 1.9)
flow_runs = {f"lr = {lr}": gd.descend(f, 0.0, lr=lr, epochs=round(10 / lr)) for lr in flow_rates}
fig, ax = plt.subplots(figsize=(9, 4.2), layout="constrained")
gd.plotting.plot_history(flow_runs, what="x", against="time", ax=ax, colors=gd.plotting.PALETTE[:5], legend=False)
(flow_line,) = gd.plotting.plot_history({"gradient flow": flow}, what="x", against="time", ax=ax, colors=["black"])
flow_line.set(linewidth=1.2, zorder=5)  # thin and on top, so that the runs on it stay visible
ax.set(xlim=(0, 10), xlabel="time s = learning rate x epochs")
plt.show()

# %% [markdown]
# The runs at 0.05 and 0.2 lie on the black flow: on the clock $s$ the rate no longer matters. At
# 0.5 the run cuts the corner a little, and at 1.0, the one-step rate $1/f''(x^*) \approx 1$ of the
# deep valley, it arrives in two big steps, before the flow does: large steps are not pieces of the
# flow any more, which is why the measured budgets drifted down a little for the largest rates. At
# 1.9 the run overshoots and bounces around the minimum, peeling away from the flow for good: it is
# close to the stability edge $2/f''(x^*) \approx 2$ of notebook 01, where a step is no longer a
# small piece of any slide. The biggest gap between each run and the flow, at the same $s$:

# %%
gaps = {}
for lr, run in zip(flow_rates, flow_runs.values()):
    on_flow = np.interp(lr * np.arange(run.x.size), s_flow, flow.x)
    gaps[lr] = np.abs(run.x - on_flow).max()
    print(f"lr = {lr:<4}: at most {gaps[lr]:.3f} away from the flow")  # NBVAL_CHECK_OUTPUT
assert gaps[0.05] < 0.01 and gaps[0.2] < 0.05 and gaps[1.9] > 0.5
assert list(gaps.values()) == sorted(gaps.values())  # the larger the rate, the further from the flow
assert abs(arrival[0.1] - 2.75) < 0.02 and abs(arrival[0.01] - 5.04) < 0.02
assert budgets[0.1].min() < arrival[0.1] < budgets[0.1].max() + 0.05 and budgets[0.01].min() < arrival[0.01]

# %% [markdown]
# ## 7. One call against nested loops
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
# ## 8. Your turn: the sweep explorer
#
# The explorer below shows the left heat map of Experiment 3 (computed once, by one sweep, with the
# same colours, contours and budget curves) beside the curve. Two sliders choose a cell, a learning rate and a number of epochs; a
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
gd.widgets.explore_sweep(f, 0.0, lrs=rates[1:], epochs_grid=epoch_counts, lr=rates[5], epochs=epoch_counts[8],
                         value="dist", title="distance to the minimum, |x - x*|",
                         heatmap={"log": True, "vmin": 1e-4, "vmax": 2, "contours": (0.01, 0.1),
                                  "budgets": budget_curves})

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
#   twice the epochs. The contour lines of the final distance lie on the hyperbolas
#   lr x epochs = const.
# - **Gradient flow:** descent is Euler's method for $dx/ds = -f'(x)$ with step $\eta$. Plotted
#   against $s = \eta\,t$, runs at small rates fall on one curve, and the budget is the time the
#   flow needs; near the edge $2/f''$ the runs peel away from it.
# - One `gd.sweep` call runs a whole grid of starts, rates and epoch counts at once, and it returned
#   the same numbers as nested Python loops, many times faster.
#
# ## Exercises
#
# Each exercise asks for a prediction first. Put your answer where the `...` is and run the cell:
# the check runs the experiment and says "correct!" or "not yet". Run the next cell once to load
# the checks.

# %%
# EXERCISE CHECKS
def _number(answer, what):
    """None when ``answer`` is a usable positive number, else the message for the learner."""
    if answer is ...:
        return f"not yet: replace ... with {what}"
    if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
        return f"not yet: expected {what}, got {answer!r}"
    return None if answer > 0 else f"not yet: expected {what} above 0, got {answer!r}"


def check_log_rate(answer):
    """Exercise 1: the smallest rate of np.geomspace(1e-10, 1e-1, 50) that ends within 0.01 of -1.43."""
    problem = _number(answer, "a learning rate")
    if problem:
        return print(problem) or False
    f = gd.functions.sin_gauss
    grid = np.geomspace(1e-10, 1e-1, 50)
    ends = gd.sweep(f, 0.0, lr=grid, epochs=1000).x
    smallest = grid[np.argmax(np.abs(ends - f.global_minimum.x) < 0.01)]
    ok = bool(0.6 < answer / smallest < 1.6)
    print(f"correct! the grid's smallest successful rate is {smallest:.4g}" if ok
          else "not yet: how large a rate does a budget of lr x epochs = 5 need with 1000 epochs?")
    return ok


def check_flow_epochs(answer):
    """Exercise 2: epochs at lr 0.02 from x0 = 0 until |x - x*| < 0.001 (within 5%)."""
    problem = _number(answer, "a number of epochs")
    if problem:
        return print(problem) or False
    f = gd.functions.sin_gauss
    run = gd.descend(f, 0.0, lr=0.02, epochs=2000)
    needed = int(np.argmax(np.abs(run.x - f.global_minimum.x) < 1e-3))
    ok = bool(abs(answer - needed) <= 0.05 * needed)
    print(f"correct! the run needs {needed} epochs" if ok
          else "not yet: how much flow time does the last factor of 10 cost, if |x - x*| shrinks like e^(-f'' s)?")
    return ok


def check_shallow_budget(answer):
    """Exercise 3: lr x epochs to get within 0.01 of the right minimum from x0 = 3 (within 10%)."""
    problem = _number(answer, "a budget lr x epochs")
    if problem:
        return print(problem) or False
    f = gd.functions.sin_gauss
    run = gd.descend(f, 3.0, lr=0.01, epochs=3000)
    measured = 0.01 * int(np.argmax(np.abs(run.x - f.minima[1].x) < 0.01))
    ok = bool(abs(answer / measured - 1) < 0.1)
    print(f"correct! measured at lr = 0.01: {measured:.2f}" if ok
          else "not yet: measure it as in section 5, from x0 = 3 and towards 4.31")
    return ok

# %% [markdown]
# **1. Rates on a logarithmic grid.** Experiment 2 spaced its rates evenly, so only one of them was
# really small. Repeat it with `np.geomspace(1e-10, 1e-1, 50)`, which spaces them evenly on a
# logarithmic scale. Before you run it, use the budgets of section 5 to predict the smallest rate
# that gets within 0.01 of the minimum in 1000 epochs, and put it in `my_rate`.

# %%
my_rate = ...  # your prediction: a learning rate
check_log_rate(my_rate);

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
# **2. The last factor of ten.** At $\eta = 0.02$ from $x_0 = 0$, how many epochs does descent
# need to get within $0.001$ of the minimum? Predict it from the gradient flow, without running
# descent: the flow reaches $0.01$ at $s \approx 5.04$; from there on it is so close to the minimum
# that $f$ looks like notebook 01's parabola with curvature $f''(x^*) \approx 1.00$. Put your
# number of epochs in `my_epochs`.

# %%
my_epochs = ...  # your prediction: a number of epochs
check_flow_epochs(my_epochs);

# %% [markdown]
# <details><summary>Solution</summary>
#
# Near the minimum the flow is $dx/ds = -f''(x^*)\,(x - x^*)$, so the distance shrinks like
# $e^{-f''(x^*)\,s}$: one factor of 10 costs $\ln 10 / f''(x^*) \approx 2.30$ units of time. The
# flow is within 0.001 at $s \approx 5.04 + 2.30 = 7.34$, and at $\eta = 0.02$ that takes
# $7.34 / 0.02 \approx 367$ epochs (`my_epochs = 367`). Descent needs 364: at this small rate each
# step is a good piece of the flow. (Notebook 01's contraction factor says the same:
# $(1 - 0.02 \cdot 1.00)^t = 0.1$ gives $t \approx 114$ epochs for the last factor of 10.)
# </details>
#
# **3. The budget of the shallow valley.** Start at $x_0 = 3$, which rolls into the right valley at
# $4.31$. Measure the budget *learning rate x epochs* needed to get within 0.01 of that minimum, for
# a few rates (as in section 5, with a batched `gd.descend`). Is it larger or smaller than 5, and
# why? Put your measured budget in `my_budget`.

# %%
my_budget = ...  # your measurement: lr x epochs
check_shallow_budget(my_budget);

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
# way in and it takes more of them. In the language of section 6: the flow into the shallow valley
# is slower, so it needs more time $s$.
# </details>
#
# **Next:** [04 · Dynamic learning rates](04_dynamic_learning_rates.ipynb) stops keeping the learning
# rate fixed: large steps while far away, small ones near the minimum, and the schedules that
# training libraries use to get both.
