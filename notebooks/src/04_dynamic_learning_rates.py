# %% [markdown]
# # 04 · Dynamic learning rates: changing the step size as you go
#
# **What you will be able to do after this notebook**
#
# - write a learning-rate rule as a function of the step $t$ (and, for one rule, of the current
#   gradient), and run it in a five-line loop;
# - compare a fixed rate, a gradient-scaled rate and a linearly decaying rate from the same start,
#   and read the difference off three panels: position, derivative, learning rate;
# - name the classic schedules (step decay, exponential decay, cosine annealing, linear warm-up),
#   write down their formulas and sketch their curves;
# - explain, with notebook 01's stability edge $2/f''$, why a decaying rate can start too large
#   and still settle, and measure how much wider that makes the range of good base rates;
# - say why practice warms the rate up, and show a warm-up that rescues a rate every other
#   schedule fails with;
# - read a bifurcation diagram: what a *fixed* rate beyond the edge does in the long run, from a
#   2-cycle through period doubling to chaos.
#
# **Where we left off.** Notebook 03 ran whole experiments as single `gd.sweep` calls. The start
# decided which valley a run ended in; the learning rate and the number of epochs decided whether it
# got there, and the two traded off: what mattered was roughly their product,
# *learning rate x epochs*. All of those runs kept $\eta$ fixed from the first step to the last.
# This notebook lets the rate change while the run is going: big while we are far away and
# need to travel, small once we are close and need to settle.

# %%
# SETUP

# %% [markdown]
# ## 1. Three ways to choose the rate at step $t$
#
# We return to notebook 01's bowl, $f(x) = 3x^2 - 3x + 4$, with its minimum at $x^* = 1/2$ and a
# constant curvature $f'' = 6$. Notebook 01 showed that a fixed rate converges when
# $\eta < 2/f'' = 1/3$ and lands in one step at $\eta = 1/f'' = 1/6$. Between the two, every step
# jumps across the valley.

# %%
f = gd.functions.quadratic
x_star, curvature = f.global_minimum.x, f.hessian(0.0)
assert x_star == 0.5 and curvature == 6.0
print(f"x* = {x_star}, f'' = {curvature:g}, one-step rate 1/f'' = {1 / curvature:.4f},",
      f"stability edge 2/f'' = {2 / curvature:.4f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Every run below starts at the same point, $x_0 = -1.5$, and gets the same budget of 30 steps, so
# that any difference comes from the rule alone. The three rules are:
#
# | rule | learning rate at step $t$ | idea |
# |---|---|---|
# | fixed | $\eta_t = \eta$ | what we have done so far |
# | gradient-scaled | $\eta_t = \eta\, \lvert f'(x_t)\rvert$ | steep slope, far away: big rate; flat slope, close by: small rate |
# | linear decay | $\eta_t = \eta\,\bigl(1 - \tfrac{t+1}{T}\bigr)$ | start at full rate, reach zero at the last of $T$ steps |
#
# The gradient-scaled rule reads the slope at the **current** point $x_t$, the one we are about to
# step from; it needs no clock. The linear rule is the opposite: it looks only at the clock $t$ and
# never at the landscape.
#
# For the fixed and the linear rule we take $\eta = 0.3$: just inside the edge $1/3$, so a fixed
# run will bounce. The gradient-scaled rule multiplies $\eta$ by a slope, so its $\eta$ lives on a
# different scale. To be fair we pick it so that its **first** rate is also 0.3: at the start the
# slope is $|f'(-1.5)| = 12$, so $\eta = 0.3/12 = 0.025$. (The linear rule starts a hair lower, at
# $0.3 \cdot 29/30 = 0.29$, because it counts its first step as $t + 1 = 1$.)

# %%
x0, epochs, lr = -1.5, 30, 0.3
lr_scaled = lr / abs(f.grad(x0))
assert f.grad(x0) == -12.0 and abs(lr_scaled - 0.025) < 1e-15
rules = {
    "fixed": lambda t, x: lr,
    "gradient-scaled": lambda t, x: lr_scaled * abs(f.grad(x)),
    "linear decay": lambda t, x: lr * (1 - (t + 1) / epochs),
}

# %% [markdown]
# ## 2. Each rule in a five-line loop
#
# A dynamic rate changes only one line of gradient descent: before each step we ask the rule for
# $\eta_t$. Here is that loop, written out once; it also records the rates so we can plot them.

# %%
def descend_with(rule, fprime, x0, epochs):
    """Gradient descent whose rate at step t is rule(t, x_t); returns positions and rates."""
    xs, rates = [x0], []
    for t in range(epochs):
        rates.append(rule(t, xs[-1]))
        xs.append(xs[-1] - rates[-1] * fprime(xs[-1]))
    return np.array(xs), np.array(rates)

# %% [markdown]
# gdviz does the same through the `schedule=` argument of `gd.descend`. A schedule returns the
# factor that multiplies the base rate: `gd.schedules.gradient_scaled()` gives $|f'(x_t)|$ and
# `gd.schedules.linear()` gives $1 - (t+1)/T$; leaving the schedule out keeps the rate fixed. The
# `assert` checks that package and loop agree, position by position and rate by rate.

# %%
runs = {
    "fixed": gd.descend(f, x0, lr=lr, epochs=epochs),
    "gradient-scaled": gd.descend(f, x0, lr=lr_scaled, epochs=epochs, schedule=gd.schedules.gradient_scaled()),
    "linear decay": gd.descend(f, x0, lr=lr, epochs=epochs, schedule=gd.schedules.linear()),
}
for name, rule in rules.items():
    xs, rates = descend_with(rule, f.grad, x0, epochs)
    assert np.allclose(xs, runs[name].x, rtol=0, atol=1e-12) and np.allclose(rates, runs[name].lr)

# %% [markdown]
# ## 3. Position, slope and rate, side by side
#
# Three panels, one line per rule, all against the step: the position $x_t$, the derivative
# $f'(x_t)$ and the rate $\eta_t$. **Look for** three things. Which runs zig-zag around
# $x^* = 1/2$, and for how long? Which rate panel line copies the shape of the derivative? And who
# is closest to $1/2$ at step 30?

# %%
fig, axes = plt.subplots(1, 3, figsize=(14, 3.9), layout="constrained")
gd.plotting.plot_histories(runs, whats=("x", "grad", "lr"), axes=axes)
axes[0].axhline(x_star, color=gd.plotting.NEUTRAL, ls=":", lw=1)
axes[2].axhline(1 / curvature, color=gd.plotting.NEUTRAL, ls=":", lw=1)
axes[2].text(epochs - 1, 1 / curvature, "1/f'' ", ha="right", va="bottom", color="dimgray")
plt.show()

# %% [markdown]
# **Fixed (blue).** The rate stays at 0.3, well above the one-step rate $1/6$ (dotted line, right),
# so every step overshoots: the position zig-zags around $1/2$ and the derivative flips sign at
# every step. Each jump shrinks the distance only by the factor $|1 - 0.3 \cdot 6| = 0.8$, so after
# 30 steps the bounce is still there.
#
# **Gradient-scaled (orange).** Its rate panel is a copy of $|f'|$ from the middle panel, scaled by
# 0.025. The first step is as wild as the fixed one, but the jump lands closer, the slope is
# smaller, so the next rate is smaller too, and after two steps the zig-zag is gone: from then on
# the run approaches $1/2$ from the left. Then comes
# the price: near the minimum the slope and with it the rate go to zero *together*, so the step
# $\eta\,|f'|\,f'$ shrinks like the square of the distance. The run crawls.
#
# **Linear decay (green).** The rate falls along a straight line. While it is above $1/6$ the run
# bounces like the fixed one; once it drops below, the bouncing stops and the run slides in, very
# fast at first, because rates near $1/6$ land almost in one step. By the end the rate is nearly
# zero, but by then there is nothing left to do.

# %%
def gap(value):
    """A distance for printing, with rounding-level noise (below 1e-12) shown as 0."""
    return f"{value:.2g}" if abs(value) > 1e-12 else "0"


distance = {name: abs(run.final - x_star) for name, run in runs.items()}
for name, d in distance.items():
    print(f"{name:>15}: final x = {runs[name].final:.6f}, {gap(d)} from x*")  # NBVAL_CHECK_OUTPUT
assert abs(distance["fixed"] - 2 * 0.8**30) < 1e-12  # the distance 2 shrinks by 0.8 per step
assert distance["linear decay"] < 1e-10 < 0.03 < distance["gradient-scaled"] < 0.04
assert distance["fixed"] < distance["gradient-scaled"]

# %% [markdown]
# The claims about the zig-zags, checked: the sign of $x_t - 1/2$ flips at every step of the fixed
# run; the gradient-scaled run stops flipping after its second step; the linear run flips exactly as
# long as its rate is above $1/6$ and never afterwards.

# %%
def flips(run):
    """For each step: did it jump across x* (sign of x - x* changed)?"""
    side = np.sign(run.x - x_star)
    return side[1:] != side[:-1]


assert flips(runs["fixed"]).all()
assert flips(runs["gradient-scaled"]).tolist() == [True] * 2 + [False] * 28
assert np.array_equal(flips(runs["linear decay"]), runs["linear decay"].lr > 1 / curvature)
print("linear decay stops bouncing at step", np.argmin(flips(runs["linear decay"])))  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# And the crawl of the gradient-scaled rule, in numbers. Write $d_t = x_t - x^*$. Here
# $f'(x_t) = 6 d_t$, so one step is $d_{t+1} = d_t - 0.025 \cdot 6|d_t| \cdot 6 d_t = d_t\,(1 - 0.9\,|d_t|)$:
# the closer we get, the less of the remaining distance each step removes. Over the last ten steps
# the fixed run shrinks its distance by $0.8^{10} \approx 0.11$; the gradient-scaled run only by
# about 0.69: it keeps more than two thirds of its distance.

# %%
d = np.abs(runs["gradient-scaled"].x - x_star)
assert np.allclose(d[1:], d[:-1] * np.abs(1 - 0.9 * d[:-1]))
shrink_scaled = d[-1] / d[-11]
assert 0.68 < shrink_scaled < 0.7
print(f"last ten steps shrink the distance by {0.8**10:.2f} (fixed) and {shrink_scaled:.2f} (gradient-scaled)")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ### A teaching toy, and a bug to avoid
#
# The gradient-scaled rule is good for seeing what a rate that follows the landscape does, but it is
# a **teaching toy**: no training library uses it. Its step is $\eta\,|f'|\,f'$, which *grows* with
# the square of the slope, exactly where a step is already large. Practical methods do the
# opposite and **divide** by the gradient's size: normalised descent steps by
# $\eta\, f'/|f'|$ (always the same length $\eta$), gradient clipping caps the length at a
# threshold (`clip=` in `gd.descend`, used in notebooks 05 and 09), and RMSprop and Adam divide
# each coordinate by a running average of its own gradient's size (notebook 06).
#
# The toy still teaches one thing every hand-written schedule needs: the rate must use the
# gradient at the point you step **from**. A common slip in a loop is to compute the rate from the
# gradient left over from the *previous* step, as below: the rate then belongs to the previous
# point.

# %%
def descend_lagged(lr, fprime, x0, epochs):
    """The gradient-scaled rule with a bug: the rate uses the gradient of the previous step."""
    xs, rates, g_old = [x0], [], fprime(x0)
    for _ in range(epochs):
        g = fprime(xs[-1])
        rates.append(lr * abs(g_old))  # bug: g_old is f' at x_{t-1}, not at x_t
        xs.append(xs[-1] - rates[-1] * g)
        g_old = g
    return np.array(xs), np.array(rates)


lagged_x, lagged_rates = descend_lagged(lr_scaled, f.grad, x0, epochs)
lagged_flips = np.sign(lagged_x - x_star)
jumps = {"current": int(flips(runs["gradient-scaled"]).sum()),
         "previous": int((lagged_flips[1:] != lagged_flips[:-1]).sum())}
assert jumps["previous"] == 2 * jumps["current"] and abs(lagged_x[-1] - x_star) < 0.05
print("jumps across x*, with the current gradient:", jumps["current"], "| with the previous one:", jumps["previous"])  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# The lagged rule bounces across $x^*$ twice as often: after the first jump it still uses the
# large slope of the start, so its second step overshoots too. On this bowl it survives; on a
# landscape with cliffs a rate that lags behind the slope is a step of the wrong size at exactly
# the wrong moment. The run still converges, so the bug is easy to miss, but a one-line check
# catches it: the rate at step $t$ must be $\eta\,|f'(x_t)|$ of the **same** $t$.

# %%
same_step = lr_scaled * np.abs(f.grad(lagged_x[:-1]))
assert np.allclose(runs["gradient-scaled"].lr, lr_scaled * np.abs(f.grad(runs["gradient-scaled"].x[:-1])))
assert not np.allclose(lagged_rates, same_step)  # the lagged loop fails the check
assert np.allclose(lagged_rates[1:], same_step[:-1])  # its rates are one step behind
print(f"step 1: rate {lagged_rates[1]:.3f} (lagged) against {same_step[1]:.3f} (the slope where it stands)")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# So on this bowl neither dynamic rule beats a *well-chosen* fixed rate: notebook 01's $\eta = 1/6$
# lands in one step. Their value is that they forgive a *badly* chosen one. The linear rule turned a
# bouncing rate into a landing, and it would do the same for a rate that a fixed run cannot survive
# at all (try the explorer at the end with a base rate above $1/3$). The gradient-scaled rule has a
# catch of its own: far from the minimum its rate grows with the slope, so from a start far enough
# away even $\eta = 0.025$ is too much (Exercise 1).
#
# ## 4. A harder landscape, where a fixed rate fails
#
# Schedules earn their keep when a run has to travel fast first and settle precisely later. Take
# notebook 03's damped sine, $f(x) = \sin(x)\,e^{-0.05x^2}$, again from $x_0 = 0$. Its deep valley
# at $x \approx -1.43$ has curvature $f'' \approx 1.00$, so the stability edge there is
# $2/f'' \approx 2.0$. We use a base rate of 2.5 and a budget of 100 steps: too much to settle with,
# but notice that the first step, $-2.5 \cdot f'(0) = -2.5$, gets us across the valley at once.

# %%
g = gd.functions.sin_gauss
best = g.global_minimum
edge = 2 / g.hessian(best.x)
assert 1.99 < edge < 2.0 and g.grad(0.0) == 1.0
base_lr, budget = 2.5, 100
stuck = gd.descend(g, 0.0, lr=base_lr, epochs=budget)
print(f"edge 2/f'' = {edge:.3f}; fixed rate {base_lr}: final x = {stuck.final:.3f}, minimum at {best.x:.3f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# The fixed run does not diverge, and it does not arrive either. It has fallen into a two-step
# cycle, jumping back and forth between about $-0.73$ and $-2.43$, on either side of the minimum,
# forever. (Notebook 01's prediction was that above the edge small errors *grow*; here they grow
# until the curve's bends catch them in a cycle. Section 11 follows this cycle to larger rates.)

# %%
tail = stuck.x[-20:]
assert np.allclose(tail[::2], tail[-2], atol=1e-6) and np.allclose(tail[1::2], tail[-1], atol=1e-6)
print("the last four positions:", np.round(stuck.x[-4:], 3))  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 5. The classic schedules
#
# Training libraries offer a handful of standard schedules. All of them look only at the step $t$
# (and sometimes the total $T$), and all of them are written as a factor times the base rate
# $\eta$:
#
# - **step decay**: cut the rate by a factor $\gamma$ every $k$ steps, $\eta_t = \eta\,\gamma^{\lfloor t/k \rfloor}$;
# - **exponential decay**: shrink it a little every step, $\eta_t = \eta\,\alpha^t$, for example
#   $0.1 \cdot 0.95^t$;
# - **cosine annealing**: glide from $\eta$ down to zero along half a cosine wave,
#   $\eta_t = \eta\,\tfrac12\bigl(1 + \cos(\pi t / T)\bigr)$: slow at first, fastest in the middle,
#   slow again at the end;
# - **linear warm-up**: *increase* the rate from $\eta/w$ to $\eta$ over the first $w$ steps,
#   $\eta_t = \eta\,(t+1)/w$, then hand over to another schedule, here cosine.
#
# The formulas are one line of numpy each. We compare them with what the gdviz schedules produce;
# `Schedule.rates(lr, T)` lists $\eta_t$ for $t = 0, \dots, T-1$.

# %%
t = np.arange(budget)
by_formula = {
    "step decay": 0.1 * 0.5 ** (t // 20),
    "exponential": 0.1 * 0.95**t,
    "cosine": 0.1 * (1 + np.cos(np.pi * t / budget)) / 2,
    "warm-up + cosine": np.where(t < 10, 0.1 * (t + 1) / 10, 0.1 * (1 + np.cos(np.pi * (t - 10) / (budget - 10))) / 2),
}

# %% [markdown]
# The gdviz versions, with the same settings: halve every 20 steps, $\alpha = 0.95$, 10 warm-up
# steps.

# %%
schedules = {
    "step decay": gd.schedules.step_decay(factor=0.5, every=20),
    "exponential": gd.schedules.exponential(alpha=0.95),
    "cosine": gd.schedules.cosine(),
    "warm-up + cosine": gd.schedules.warmup(steps=10, then=gd.schedules.cosine()),
}
for name, schedule in schedules.items():
    assert np.allclose(schedule.rates(0.1, budget), by_formula[name], rtol=0, atol=1e-15), name
print("0.1 * 0.95^t for t = 0..4:", np.round(schedules["exponential"].rates(0.1, 5), 5))  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Now run each schedule on the damped sine, from $x_0 = 0$ with base rate 2.5 and 100 steps, next to
# the fixed run from section 4. (Because gdviz uses the package from here on, running them is one
# `gd.descend` call each.)

# %%
sched_runs = {"fixed": stuck}
for name, schedule in schedules.items():
    sched_runs[name] = gd.descend(g, 0.0, lr=base_lr, epochs=budget, schedule=schedule)

# %% [markdown]
# First the schedules themselves: the rate each run used at every step. The dotted line is the
# stability edge $2/f'' \approx 2$ of the deep valley. **Predict first:** which schedule will be
# the first to settle at the bottom, and which will need the longest?

# %%
fig, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
gd.plotting.plot_history(sched_runs, what="lr", ax=ax)
ax.axhline(edge, color=gd.plotting.NEUTRAL, ls=":", lw=1.2)
ax.text(budget - 1, edge, "stability edge 2/f''", ha="right", va="bottom", color="dimgray")
plt.show()

# %% [markdown]
# All four start at (or climb to) 2.5 and end well below the edge, but they cross it at very
# different times: exponential decay at step 5, step decay at step 20 (when it halves to 1.25),
# cosine at step 30. The warm-up starts tiny, climbs *above* the edge at step 7, peaks at 2.5 when
# its cosine takes over at step 10, and stays above the edge until step 37. The fixed rate never
# comes down at all. In numbers, the step from which each rate stays below the edge (for the fixed
# rate: never, so the budget of 100):

# %%
below = {}  # the step from which each rate stays below the edge
for name, run in sched_runs.items():
    above = np.flatnonzero(run.lr > edge)
    below[name] = int(above.max()) + 1 if above.size else 0
assert below == {"fixed": budget, "step decay": 20, "exponential": 5, "cosine": 30, "warm-up + cosine": 37}
assert np.flatnonzero(sched_runs["warm-up + cosine"].lr > edge).min() == 7
print(below)  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 6. What the schedules do to the run
#
# Now their effect. Five lines zig-zagging on one plot cannot be told apart, so each run gets a
# small panel of its own, all on the same axes: the distance to the minimum, $|x_t - x^*|$, on a
# log axis. On a log axis a straight downward line means the distance shrinks by the same factor
# every step; a line that flattens near $10^{-16}$, or stops (a distance of exactly 0, which a log
# axis cannot show), has reached the minimum to machine precision. Two marks in each panel: the
# dotted line is the step from which the rate stays below the edge, the dashed one the step from which the run stays within
# $10^{-3}$ of the minimum, its *settling step*. **Predict first:** how long after its dotted line
# will each run settle?

# %%
settled = {}  # the first step of the final stay within 1e-3 of the minimum
for name, run in sched_runs.items():
    away = np.flatnonzero(np.abs(run.x - best.x) > 1e-3)
    settled[name] = int(away.max()) + 1 if away.size else 0

fig, axes = plt.subplots(1, 5, figsize=(16, 3.4), sharey=True, layout="constrained")
for ax, (name, run) in zip(axes, sched_runs.items()):
    gd.plotting.plot_history({name: run}, what="dist", log=True, ax=ax, legend=False,
                             colors=[gd.plotting.color_of(run.schedule)])  # each schedule's colour, as above
    if below[name] < budget:
        ax.axvline(below[name], color=gd.plotting.NEUTRAL, ls=":", lw=1.5)
    if settled[name] <= budget:
        ax.axvline(settled[name], color="black", ls="--", lw=1)
    ax.set_title(f"{name}: settles at {settled[name]}" if settled[name] <= budget else f"{name}: never settles")
    ax.set_xlim(0, budget)
for ax in axes[1:]:
    ax.set_ylabel("")
plt.show()

# %% [markdown]
# Every decaying schedule settles at the minimum, in the same order in which its rate fell below
# the edge for good: exponential first, then step decay, then cosine, then warm-up + cosine; each
# one 5 to 17 steps after its dotted line (once below the edge, each step shrinks the distance by
# $|1 - \eta_t f''| < 1$, so the line falls steeply). The fixed run stays about 0.7 away to the
# end. The warm-up run is the surprise: with its small first steps it walks to the bottom in six
# steps without a single big jump, and sits there. Then its rate climbs above the edge, and at the
# bottom a rate above the edge *magnifies* errors (notebook 01's factor $|1 - \eta f''|$, up to 1.5
# here): the tiny leftover distance grows step by step, to more than 0.5 around step 30, until the
# cosine brings the rate back down. Warm-up protects the first steps; it cannot make a rate safe
# that is too large for the place you are in (section 8 shows a warm-up that does rescue a run).
#
# The numbers: final distance to the minimum, final loss above $f^*$, and the last step at which
# the run was still more than $10^{-3}$ away (100 means: still away at the end).

# %%
for name, run in sched_runs.items():
    dist = np.abs(run.x - best.x)
    last_away = int(np.flatnonzero(dist > 1e-3).max())
    print(f"{name:>16}: |x - x*| = {gap(dist[-1])}, f - f* = {gap(run.final_f - best.f)}, "
          f"last step away: {last_away}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# At the same budget the fixed rate ends 0.70 away with a loss 0.25 above the minimum; every
# schedule ends on the minimum to within floating-point rounding. We assert what the figure and the
# table say, including the warm-up run's arrival by step 6 and its excursion afterwards.

# %%
for name, run in sched_runs.items():
    if name != "fixed":
        assert abs(run.final - best.x) < 1e-12 and run.final_f - best.f < 1e-12
assert abs(abs(stuck.final - best.x) - 0.70) < 0.01 and abs(stuck.final_f - best.f - 0.25) < 0.01
order = ["exponential", "step decay", "cosine", "warm-up + cosine"]  # by the step each rate stays below the edge
assert [below[n] for n in order] == sorted(below[n] for n in order)
assert [settled[n] for n in order] == sorted(settled[n] for n in order)  # the same order for settling
assert all(5 <= settled[n] - below[n] <= 17 for n in order) and settled["fixed"] == budget + 1
warm = np.abs(sched_runs["warm-up + cosine"].x - best.x)
assert warm[6] < 1e-3 and warm[25:40].max() > 0.5

# %% [markdown]
# ## 7. How wide is the range of good base rates?
#
# One run per schedule could be luck. So let us repeat the experiment for 60 base rates from 0.1 to
# 6.0, every schedule, same start, same 100 steps: one `gd.sweep` call per schedule (sweeps accept
# `schedule=` too). We count a run as a success if it ends within $10^{-3}$ of the minimum.

# %%
base_rates = np.linspace(0.1, 6.0, 60)
sweeps = {"fixed": gd.sweep(g, 0.0, lr=base_rates, epochs=budget)}
for name, schedule in schedules.items():
    sweeps[name] = gd.sweep(g, 0.0, lr=base_rates, epochs=budget, schedule=schedule)
success = {name: np.abs(s.x - best.x) < 1e-3 for name, s in sweeps.items()}

# %% [markdown]
# One small panel per schedule: final position against the base rate. The dotted lines mark the two
# minima inside the window, $-1.43$ and $4.31$. **Predict first:** where will the fixed rate's
# panel leave the dotted line at $-1.43$?

# %%
fig, axes = plt.subplots(1, 5, figsize=(16, 3.6), sharey=True, layout="constrained")
for ax, (name, s) in zip(axes, sweeps.items()):
    gd.plotting.plot_sweep(s, ax=ax, colors=[gd.plotting.color_of(sched_runs[name].schedule)])
    ax.set(title=name, xlabel="base learning rate")
    ax.axvline(edge, color=gd.plotting.NEUTRAL, ls="--", lw=0.8)
for ax in axes[1:]:
    ax.set_ylabel("")
plt.show()

# %% [markdown]
# The fixed rate (left) lands on $-1.43$ only up to the stability edge, marked by the dashed line;
# beyond it the final positions scatter (they are snapshots of cycles and worse, which section 11
# takes apart). Every decaying schedule stays on the dotted line about twice as far, up to a base
# rate of 4.3. Beyond that even they fail, for a reason no decay can fix (a warm-up can, section 8): the very first step, $-\eta\,f'(0) = -\eta$, already leaps over the hilltop at $-4.31$
# into the next valley on the left (the runs end near $-7.23$). And exponential decay fails at the
# *small* end: its rates add up to at most $\eta/(1 - 0.95) = 20\,\eta$, and notebook 03 measured
# that the trip from 0 to the minimum needs a budget of about 5, so $\eta$ below about 0.25 cannot
# make it however many steps we allow.

# %%
for name, ok in success.items():
    good = base_rates[ok]
    print(f"{name:>16}: {ok.sum():2d} of 60 rates succeed, from {good.min():.1f} to {good.max():.1f}")  # NBVAL_CHECK_OUTPUT
assert base_rates[success["fixed"]].max() < edge < base_rates[~success["fixed"]].min()
for name in schedules:
    assert success[name][(base_rates > 0.35) & (base_rates < 4.31)].all() and not success[name][base_rates > 4.31].any()
assert not success["exponential"][base_rates < 0.25].any() and 20 * 0.25 < 5.5
leapt = base_rates > 4.31  # the first step, -lr * f'(0) = -lr, clears the hilltop at -4.31
assert all(np.allclose(s.x[leapt], -7.23, atol=0.01) for s in sweeps.values())

# %% [markdown]
# That is the practical case for schedules: you rarely know the curvature of the landscape you are
# training on, so you do not know the edge. A decaying schedule lets you start with a rate that is
# generous enough to travel, and takes care of the settling for you.
#
# ## 8. A warm-up that helps
#
# Section 6 showed warm-up failing, and the sweep above showed every schedule failing beyond a base
# rate of 4.31, where the very first step leaps over the hilltop. A warm-up takes care of exactly
# that first step. What it needs after the warm-up is a decay that pulls the rate below the edge
# *quickly*, before the big rate at the bottom of the valley has had time to magnify the leftover
# error. So hand the warm-up to a fast exponential decay, $\alpha = 0.8$, instead of a cosine,
# and sweep the base rate up to 8. **Predict first:** up to which base rate will it settle?

# %%
rescue = gd.schedules.warmup(steps=10, then=gd.schedules.exponential(alpha=0.8))
wide_rates = np.linspace(0.1, 8.0, 80)
wide = {"warm-up + exponential(0.8)": gd.sweep(g, 0.0, lr=wide_rates, epochs=budget, schedule=rescue)}
for name in ("exponential", "cosine", "warm-up + cosine"):
    wide[name] = gd.sweep(g, 0.0, lr=wide_rates, epochs=budget, schedule=schedules[name])
wide_ok = {name: np.abs(s.x - best.x) < 1e-3 for name, s in wide.items()}

# %% [markdown]
# Each schedule's final position against the base rate, in one panel per schedule; the dashed line
# is the base rate 4.31 beyond which the first full-rate step leaps over the hill.

# %%
fig, axes = plt.subplots(1, 4, figsize=(16, 3.6), sharey=True, layout="constrained")
for ax, (name, s), kind in zip(axes, wide.items(), ("warmup", "exponential", "cosine", "warmup")):
    gd.plotting.plot_sweep(s, ax=ax, join=1.0, colors=[gd.plotting.color_of(kind)])
    ax.axvline(-g.maxima[1].x, color=gd.plotting.NEUTRAL, ls="--", lw=0.8)
    ax.set(title=name, xlabel="base learning rate")
for ax in axes[1:]:
    ax.set_ylabel("")
plt.show()

# %% [markdown]
# The warm-up followed by a quick decay reaches the minimum well beyond 4.31, where the three others
# have all stopped: for every base rate from 4.5 to 5.2 and for a few scattered ones up to 6.1
# (it misses at 4.4, and from 5.3 on it is hit or miss). Its first step is a tenth of the base
# rate, so it walks into the valley instead of leaping over the hill; when the rate peaks, the run
# is already near the bottom, where the gradient is nearly zero; and $0.8^t$ brings the rate below
# the edge within a handful of steps, before the magnified leftover error can grow into a jump over
# the hill. Whether that race is won depends delicately on the base rate, for a reason section 11
# will make visible: at rates this large, descent near the minimum is chaotic. (Warm-up + cosine
# keeps its rate above the edge for a third of the run: long enough to be thrown out every time.)

# %%
for name, ok in wide_ok.items():
    print(f"{name:>26}: settles for base rates {wide_rates[ok].min():.1f} .. {wide_rates[ok].max():.1f}")  # NBVAL_CHECK_OUTPUT
saved = wide_ok["warm-up + exponential(0.8)"]
assert saved[(wide_rates > 0.55) & (wide_rates < 4.35)].all() and saved[(wide_rates > 4.45) & (wide_rates < 5.25)].all()
assert not saved[np.isclose(wide_rates, 4.4)].any() and saved[wide_rates > 5.25].sum() == 3
for name in ("exponential", "cosine", "warm-up + cosine"):
    assert not wide_ok[name][wide_rates > 4.31].any()
print(f"beyond 4.31: {saved[wide_rates > 4.31].sum()} base rates settle with the warm-up + quick decay, "
      f"none with the others")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# **Why practice warms up.** In a real network the first steps are the dangerous ones, for two
# reasons. At initialisation the weights are random and far from any minimum, and the gradients
# are often at their largest: a full-size rate then is our leap over the hill. And Adam (notebook
# 06) divides by a running average of squared gradients that, in the first steps, rests on only a
# handful of samples; its per-parameter rates are then unreliable and can be huge (Liu et al.,
# 2020, "On the variance of the adaptive learning rate and beyond"). A few hundred or thousand steps
# of warm-up keep those first updates small until the statistics have settled; large-batch image
# training (Goyal et al., 2017) and the original Transformer (Vaswani et al., 2017) both relied on
# it, and notebook 09 uses warm-up + cosine on a real network.
#
# ## 9. Letting the optimizer choose the rate: a look ahead
#
# A schedule is the same for every parameter and is fixed before the run starts. **Adaptive
# methods** (AdaGrad, RMSprop, Adam) go further: they keep running statistics of the gradients they
# have seen and give *every parameter its own* rate, adjusted automatically as the run goes on.
# AdaGrad, for instance, divides the rate by the square root of the sum of all squared gradients so
# far, so the rate can only fall: a built-in decay that needs no schedule. A quick taste, on the
# same problem as above: AdaGrad at base rate 2.5, no schedule.

# %%
ada = gd.descend(g, 0.0, lr=base_lr, epochs=budget, optimizer="adagrad")
assert abs(ada.final - best.x) < 1e-9 and abs(stuck.final - best.x) > 0.5
print(f"AdaGrad, base rate {base_lr}: final x = {ada.final:.4f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# It settles where the fixed rate cycled. How it does that, and how RMSprop and Adam refine the
# idea, is the subject of notebook 06, the optimizer zoo.
#
# ## 10. Your turn: the schedule explorer
#
# The explorer runs one schedule on the damped sine every time you change a control: the path on the
# curve (left), the rate and the loss against the step (right). The drop-down picks the schedule;
# below it appear only the sliders that schedule takes (`factor` and `every` for step decay,
# `alpha` for exponential, `final` for cosine, the number of warm-up steps for warm-up, where the
# warm-up hands over to a constant rate). The learning-rate slider sets the base rate $\eta$. The
# dotted line in the rate panel is the edge $2/f''(x^*) \approx 2$ of the deep valley: watch when
# the rate crosses it, and when the run settles.
#
# **Predict first, then move the slider:**
# 1. With `step_decay` at base rate 2.5, set `every` to 50. When will the run stop zig-zagging? Now
#    set `factor` to 0.9: will it settle within 100 steps at all?
# 2. Pick `exponential` and lower `alpha` from 0.95 towards 0.8. Before each move, guess the base
#    rate below which the run no longer reaches $-1.43$ (hint: the rates add up to $\eta/(1-\alpha)$).
# 3. Pick `warmup` (a warm-up followed by a constant rate) at base rate 2.5. Will it end on the
#    minimum? Compare with section 6 and explain with the dotted edge.
# 4. Pick `linear` and raise the base rate to 4, then to 4.5. Which of the two still ends at $-1.43$?

# %%
gd.widgets.explore_schedule(g, schedule="step_decay", lr=base_lr, epochs=budget, x0=0.0, lr_range=(0.01, 8.0))

# %% [markdown]
# ## 11. Beyond the edge: gradient descent's route to chaos
#
# Back to section 4, where a *fixed* rate of 2.5, above the edge, neither diverged nor arrived: it
# settled on a 2-cycle around the minimum. What do other fixed rates above the edge do in the long
# run? Run each one for 2000 steps, so that its start is forgotten, and then write down where it is
# at the next 64 steps. If the run settled on the minimum, those 64 positions are one point; on a
# 2-cycle, two points; if it never settles, a cloud. One `gd.sweep` does it for 1201 rates from
# 1.5 to 4.5: giving it the *window* of epochs 2000 to 2063 keeps exactly those steps of every run.

# %%
late_rates = np.linspace(1.5, 4.5, 1201)  # steps of 0.0025, through 2.5
late = gd.sweep(g, 0.0, lr=late_rates, epochs=np.arange(2000, 2064))
print(late.dims, late.x.shape)  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Plotting the 64 positions of every rate above that rate gives a **bifurcation diagram**. The
# dashed line is the edge $2/f''(x^*)$; dotted lines mark the minima and hilltops; the orange line
# is section 4's rate, 2.5. **Predict first:** what happens exactly at the dashed line?

# %%
fig, ax = plt.subplots(figsize=(11, 5), layout="constrained")
gd.plotting.plot_bifurcation(late, ax=ax)
ax.axvline(base_lr, color=gd.plotting.PALETTE[1], lw=1, alpha=0.7)
ax.text(base_lr, 0.02, " section 4", transform=ax.get_xaxis_transform(), color=gd.plotting.PALETTE[1])
ax.text(4.45, -7.0, "the next valley, -7.23", ha="right", color="dimgray")
plt.show()

# %% [markdown]
# Reading from left to right:
#
# - **Up to the edge** every run ends on the minimum: one point per rate.
# - **At the edge** $2/f''(x^*) \approx 2.0$ the minimum splits into two branches: a 2-cycle, one
#   point on each side of $x^*$. At 2.5 the two branches are section 4's cycle, $-0.73$ and $-2.43$.
#   Notebook 01's factor explains the split: at the edge $1 - \eta f''$ passes $-1$, so small
#   errors stop shrinking, and they grow until the curve's bends hold them in a cycle.
# - **Near 2.71** each branch splits again (a 4-cycle), **near 2.91** again (an 8-cycle), and the
#   splits come faster and faster: a *period-doubling cascade*, the same route to chaos as the
#   famous logistic map of population biology.
# - **From about 2.95** the run never repeats: it wanders forever over a band of positions. This is
#   chaos: deterministic steps, no cycle, and two starts a hair apart soon far apart. Inside it sit
#   white stripes of order again, for example a 3-cycle near 3.45.
# - **Near 4.21** the chaotic band touches the hilltop at $-4.31$, and the run falls over it into the
#   next valley on the left, at $-7.23$. That valley is so flat ($f'' \approx 0.1$, an edge of
#   about 20) that these rates are gentle there: the run settles again, far from where it started.
#
# `gd.plotting.cycle_length` reads the period of each rate off the kept window (0 means no period
# up to 32: chaos, or a run that has not settled yet, as happens right at a split, where the factor
# is so close to $-1$ that 2000 steps are not enough). The claims, checked; for the split itself we
# run two rates 1% either side of the edge:

# %%
periods = gd.plotting.cycle_length(late)
period_at = {r: int(periods[np.argmin(np.abs(late_rates - r))]) for r in (1.9, 2.3, 2.8, 2.93, 3.45, 3.9, 4.4)}
print(period_at)  # NBVAL_CHECK_OUTPUT
assert period_at == {1.9: 1, 2.3: 2, 2.8: 4, 2.93: 8, 3.45: 3, 3.9: 0, 4.4: 1}
near = gd.sweep(g, 0.0, lr=[0.99 * edge, 1.01 * edge], epochs=np.arange(2000, 2064))  # 1% either side
spread = np.ptp(near.x, axis=1)
assert gd.plotting.cycle_length(near).tolist() == [1, 2] and spread[0] < 1e-9 and spread[1] > 0.3
doublings = [late_rates[np.argmax(periods == p)] for p in (2, 4, 8)]
assert 2.70 < doublings[1] < 2.72 and 2.90 < doublings[2] < 2.92
assert doublings[2] - doublings[1] < doublings[1] - doublings[0]  # each doubling comes sooner
cycle = late.x[np.argmin(np.abs(late_rates - base_lr))]
assert np.allclose(np.sort(np.unique(cycle.round(6))), np.sort(stuck.x[-2:]), atol=1e-4)  # section 4's cycle
jump = late_rates[np.argmax(late.x.max(axis=1) < g.maxima[1].x)]  # first rate that ends beyond the hill
far = late.x[np.argmin(np.abs(late_rates - 4.4))]
assert 4.15 < jump < 4.3 and np.allclose(far, -7.2281, atol=1e-3) and 2 / g.hessian(-7.2281) > 20
print(f"1% below the edge {edge:.3f}: one point; 1% above: a 2-cycle, {spread[1]:.2f} wide; "
      f"over the hill from lr = {jump:.3f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# **Zoom in.** The explorer shows the whole diagram on the left, with a band over the rates that
# the right panel zooms into; the zoom is a new sweep of 400 rates each time a slider moves. The
# readout names the cycle at the centre rate.
#
# **Predict first, then move the sliders:**
# 1. Centre on 2.93 with width 0.1. How many branches do you expect just left of 2.95, and what
#    happens right of it?
# 2. Find the 3-cycle window between 3.4 and 3.5 (width about 0.1). What happens at its right end?
#    (Look for another cascade.)
# 3. Zoom into the chaotic band near 3.9 with a width of 0.01. Does the cloud become smooth, or do
#    new windows of order appear?

# %%
gd.widgets.explore_bifurcation(g, 0.0, (1.5, 4.5), centre=2.93, width=0.1)

# %% [markdown]
# ## Summary
#
# - A dynamic learning rate changes one line of gradient descent: $x_{t+1} = x_t - \eta_t f'(x_t)$,
#   with $\eta_t$ given by a rule. In gdviz that rule is the `schedule=` argument of `gd.descend`
#   and `gd.sweep`.
# - **Gradient-scaled** ($\eta_t = \eta|f'(x_t)|$, the slope at the current point): big steps far
#   away, small ones close by. It calmed notebook 01's bouncing bowl within two steps but then
#   crawled, because near the minimum its step shrinks like the square of the distance; far away its
#   rate grows and can blow up.
# - **Time-based decay** (linear, step, exponential, cosine) ignores the landscape and follows the
#   clock. Once its rate falls below the stability edge $2/f''$ the run settles, so it can start
#   above the edge. On the damped sine a fixed rate of 2.5 cycled forever, 0.70 from the minimum;
#   every decaying schedule settled exactly, and the range of good base rates roughly doubled
#   (up to 4.3; beyond 4.31 the very first step leaps over the hill).
# - Decay too fast and the run freezes before it arrives: the rates of $\eta\,\alpha^t$ add up to at
#   most $\eta/(1-\alpha)$, notebook 03's *learning rate x epochs* budget in a new form.
# - **Warm-up** makes the first steps gentle; it cannot make a rate safe that is too large at the
#   bottom of the valley, but followed by a quick decay it rescued base rates up to about 6, where
#   every other schedule was thrown over the hill. Practice uses it because the first steps are
#   the dangerous ones: large gradients far from any minimum, and Adam's early statistics.
# - The gradient-scaled rule is a **teaching toy**; practical methods divide by the gradient's size
#   (normalised steps, clipping, RMSprop and Adam). A rate must use the gradient of the current
#   step, not the previous one.
# - Past the edge a **fixed** rate does not simply fail: the minimum splits into a 2-cycle exactly
#   at $2/f''(x^*)$, then 4, 8, ... (period doubling), then chaos, until the run is thrown into
#   another valley. One `gd.sweep` with a window of late epochs draws it all.
# - **Adaptive methods** (AdaGrad, RMSprop, Adam) adjust a rate per parameter from the gradients
#   themselves: notebook 06.
#
# ## Exercises
#
# Each exercise asks for a prediction. Put your answer where the `...` is and run the cell: the
# check runs the experiment and says "correct!" or "not yet". Run the next cell once to load the
# checks.

# %%
# EXERCISE CHECKS
def _number(answer, what):
    """None when ``answer`` is a usable number, else the message for the learner."""
    if answer is ...:
        return f"not yet: replace ... with {what}"
    if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
        return f"not yet: expected {what}, got {answer!r}"
    return None


def check_scaled_start(answer):
    """Exercise 1: the start x0 < 1/2 closest to 1/2 from which gradient-scaled descent (lr 0.025) diverges."""
    problem = _number(answer, "a start x0")
    if problem:
        return print(problem) or False
    if not answer < 0.5:
        return print("not yet: the exercise asks for a start left of the minimum, x0 < 1/2") or False
    bowl, scaled = gd.functions.quadratic, gd.schedules.gradient_scaled()
    inside = gd.descend(bowl, answer + 0.01, lr=0.025, epochs=200, schedule=scaled)
    outside = gd.descend(bowl, answer - 0.01, lr=0.025, epochs=200, schedule=scaled)
    ok = bool(not inside.diverged and outside.diverged)
    print("correct!" if ok else "not yet: for which distance |d| does the factor 1 - 0.9|d| drop below -1?")
    return ok


def check_decay_alpha(answer):
    """Exercise 2: an alpha with which exponential decay from lr 0.2 reaches the deep minimum in 100 steps."""
    problem = _number(answer, "a decay factor alpha")
    if problem:
        return print(problem) or False
    if not 0 < answer < 1:
        return print("not yet: a decaying schedule needs 0 < alpha < 1") or False
    g = gd.functions.sin_gauss
    run = gd.descend(g, 0.0, lr=0.2, epochs=100, schedule=gd.schedules.exponential(float(answer)))
    gap = abs(run.final - g.global_minimum.x)
    ok = bool(gap < 1e-3)
    print(f"correct! it ends {gap:.1e} from the minimum" if ok
          else f"not yet: it ends {gap:.2g} short; how large must 0.2 / (1 - alpha) be?")
    return ok


def _survives(steps):
    g = gd.functions.sin_gauss
    rule = gd.schedules.warmup(steps=steps, then=gd.schedules.exponential(alpha=0.8))
    return abs(gd.descend(g, 0.0, lr=5.0, epochs=100, schedule=rule).final - g.global_minimum.x) < 1e-3


def check_shortest_warmup(answer):
    """Exercise 3: the fewest warm-up steps before exponential(0.8) with which lr 5 settles."""
    if answer is ...:
        return print("not yet: replace ... with a whole number of steps") or False
    if isinstance(answer, bool) or not isinstance(answer, (int, np.integer)) or answer < 1:
        return print(f"not yet: expected a whole number of steps, at least 1, got {answer!r}") or False
    shortest = next(w for w in range(1, 101) if _survives(w))
    ok = int(answer) == shortest
    print("correct!" if ok else "not yet: " + ("that one is thrown out; " if not _survives(int(answer)) else
                                                "that one survives, but a shorter one does too; ")
          + "where does the first step, -(5 / steps) f'(0), land?")
    return ok


def check_split_rate(answer):
    """Exercise 4: the fixed rate at which the right valley's minimum (4.31) splits into a 2-cycle (within 0.5%)."""
    problem = _number(answer, "a learning rate")
    if problem:
        return print(problem) or False
    if not answer > 0:
        return print("not yet: a learning rate is above 0") or False
    g = gd.functions.sin_gauss
    late = gd.sweep(g, 4.2, lr=[0.995 * answer, 1.005 * answer], epochs=np.arange(3000, 3064))
    ok = gd.plotting.cycle_length(late).tolist() == [1, 2]
    print("correct! just below it the run settles, just above it cycles" if ok
          else "not yet: the split happens where 1 - lr f''(x*) = -1, with this valley's own curvature")
    return ok

# %% [markdown]
# **1. How far away is too far for the gradient-scaled rule?** On $3x^2 - 3x + 4$ with
# $\eta = 0.025$, section 3 found $d_{t+1} = d_t\,(1 - 0.9\,|d_t|)$. A step overshoots wildly when
# $0.9\,|d_t| > 2$. Predict the start $x_0 < 1/2$ closest to the minimum from which gradient-scaled
# descent *diverges*, and put it in `my_start`. The check tries starts just inside and just outside
# your answer.

# %%
my_start = ...  # your prediction: a start x0
check_scaled_start(my_start);

# %% [markdown]
# <details><summary>Solution</summary>
#
# The step multiplies the distance by $1 - 0.9|d|$. For $|d| < 2/0.9$ that factor lies between $-1$
# and $1$, and since the distance then shrinks, it stays that way: the run converges. For
# $|d| > 2/0.9 \approx 2.22$ the factor is below $-1$: the run jumps to the other side, *farther*
# away, where the factor is even more negative, and it explodes. So
# `my_start = 0.5 - 2 / 0.9` $\approx -1.722$. Notice how close that is to our start of $-1.5$: the
# gradient-scaled rule is only as safe as its first step.
# </details>
#
# **2. A decay that is too eager.** Section 7 showed exponential decay failing at small base rates.
# Keep the base rate at 0.2 on the damped sine from $x_0 = 0$ (100 steps) and choose an `alpha`
# that does reach the minimum (within $10^{-3}$). Use the budget argument: the rates add up to about
# $\eta/(1-\alpha)$, and notebook 03 measured that the trip needs about 5. Put your choice in
# `my_alpha`.

# %%
my_alpha = ...  # your choice: a decay factor between 0 and 1
check_decay_alpha(my_alpha);

# %% [markdown]
# <details><summary>Solution</summary>
#
# We need $0.2/(1-\alpha)$ comfortably above 5, so $1 - \alpha$ well below 0.04, for example
# $\alpha = 0.99$ (total at most 20). Two effects cut in: over 100 steps the sum is really
# $0.2\,(1-\alpha^{100})/(1-\alpha)$, about 12.7 for $\alpha = 0.99$, and the last stretch into the
# minimum needs more budget than the first, because the slope flattens. A quick check over `alpha`
# shows that 0.97 still ends 0.002 short, while 0.98 and above succeed:
#
# ```python
# for a in (0.95, 0.96, 0.97, 0.98, 0.99):
#     run = gd.descend(g, 0.0, lr=0.2, epochs=100, schedule=gd.schedules.exponential(a))
#     print(a, round(run.final, 4))
# ```
#
# A fixed rate of 0.2 also succeeds: the decay only costs budget here, because 0.2 is far below the
# edge. Decay pays off when the base rate is too large, not too small.
# </details>
#
# **3. The shortest warm-up.** Section 8's rescue used 10 warm-up steps before
# `exponential(alpha=0.8)` at base rate 5. What is the *fewest* warm-up steps with which that
# schedule still ends within $10^{-3}$ of the minimum (100 steps from $x_0 = 0$)? Predict it from
# the first step alone: where does $x_1 = -\tfrac{5}{w}\,f'(0)$ land, and where is the hilltop?
# Put the number in `my_steps`.

# %%
my_steps = ...  # your prediction: a whole number of warm-up steps
check_shortest_warmup(my_steps);

# %% [markdown]
# <details><summary>Solution</summary>
#
# With $w$ warm-up steps the first rate is $5/w$ and, since $f'(0) = 1$, the first step lands at
# $x_1 = -5/w$. Without a warm-up ($w = 1$) that is $-5$, beyond the hilltop at $-4.31$: thrown out.
# With $w = 2$ it lands at $-2.5$, inside the deep valley, and the quick decay does the rest, so
# `my_steps = 2`. Beware of generalising: the runs are sensitive, and a few longer warm-ups (for
# example 7 steps) fail, because the rate peaks at 5 while the run is still on its way down.
# ```python
# rule = lambda w: gd.schedules.warmup(steps=w, then=gd.schedules.exponential(alpha=0.8))
# [w for w in range(1, 15) if abs(gd.descend(g, 0.0, lr=5.0, epochs=100, schedule=rule(w)).final - best.x) < 1e-3]
# ```
# </details>
#
# **4. Where does the other valley split?** The bifurcation diagram of section 11 started in the
# deep valley. A run started at $x_0 = 4.2$ stays in the right valley, around its minimum at
# $4.31$. Predict the fixed rate at which *that* minimum splits into a 2-cycle (use `g.hessian`),
# and put it in `my_split`. The check runs two sweeps, 0.5% below and 0.5% above your rate.

# %%
my_split = ...  # your prediction: a learning rate
check_split_rate(my_split);

# %% [markdown]
# <details><summary>Solution</summary>
#
# The split happens where the factor $1 - \eta f''(x^*)$ passes $-1$, at $\eta = 2/f''(x^*)$ with
# this valley's own curvature: `my_split = 2 / g.hessian(g.minima[1].x)`, about
# $2/0.467 \approx 4.28$. The shallower the valley, the larger the rate it tolerates; the deep
# valley, twice as curved, splits at about 2.0.
# </details>
#
# **Next:** [05 · Vanishing and exploding gradients](05_vanishing_exploding_gradients.ipynb) looks at
# the other half of every step, the gradient itself: what happens when it is almost zero on a long
# plateau, or enormous at a cliff, and why deep networks suffer from both.
