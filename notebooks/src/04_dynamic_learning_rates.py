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
#   and still settle, and measure how much wider that makes the range of good base rates.
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
# until the curve's bends catch them in a cycle.)

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
# Now their effect: the loss above the minimum, $f - f^*$, on a log axis (left), and the position
# during the first 60 steps (right). On the log axis a straight downward line means the gap shrinks
# by the same factor every step, and a line that ends early has reached the minimum to machine
# precision (its gap is exactly 0, which a log axis cannot show). **Look for** the moment each run
# stops zig-zagging, and compare it with the step at which its rate crossed the edge.

# %%
fig, axes = plt.subplots(1, 2, figsize=(14, 4.2), layout="constrained")
gd.plotting.plot_histories(sched_runs, whats=("f", "x"), axes=axes, log=("f",))
axes[1].axhline(best.x, color=gd.plotting.NEUTRAL, ls=":", lw=1)
axes[1].set_xlim(0, 60)
plt.show()

# %% [markdown]
# Every decaying schedule settles at the minimum, in the same order in which its rate fell below
# the edge for good: exponential first, then step decay, then cosine, then warm-up + cosine; each
# one a few steps after its crossing. The fixed run zig-zags to the
# end. The warm-up run is the surprise: with its small first steps it walks to the bottom in six
# steps without a single big jump, and sits there. Then its rate climbs above the edge, and at the
# bottom a rate above the edge *magnifies* errors (notebook 01's factor $|1 - \eta f''|$, up to 1.5
# here): the tiny leftover distance grows step by step, to more than 0.5 around step 30, until the
# cosine brings the rate back down. Warm-up protects the first steps; it cannot make a rate safe
# that is too large for the place you are in.
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
settled = {}
for name, run in sched_runs.items():
    dist = np.abs(run.x - best.x)
    settled[name] = int(np.flatnonzero(dist > 1e-3).max()) + 1  # first step of the final stay
    if name != "fixed":
        assert dist[-1] < 1e-12 and run.final_f - best.f < 1e-12
assert abs(abs(stuck.final - best.x) - 0.70) < 0.01 and abs(stuck.final_f - best.f - 0.25) < 0.01
order = ["exponential", "step decay", "cosine", "warm-up + cosine"]  # by the step each rate stays below the edge
assert [below[n] for n in order] == sorted(below[n] for n in order)
assert [settled[n] for n in order] == sorted(settled[n] for n in order)  # the same order for settling
assert all(below[n] < settled[n] for n in order) and settled["fixed"] == budget + 1
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
    gd.plotting.plot_sweep(s, ax=ax)
    ax.set(title=name, xlabel="base learning rate")
    ax.axvline(edge, color=gd.plotting.NEUTRAL, ls="--", lw=0.8)
for ax in axes[1:]:
    ax.set_ylabel("")
plt.show()

# %% [markdown]
# The fixed rate (left) lands on $-1.43$ only up to the stability edge, marked by the dashed line;
# beyond it the final positions scatter. Every decaying schedule stays on the dotted line about
# twice as far, up to a base rate of 4.3. Beyond that even they fail, for a reason no decay
# can fix: the very first step, $-\eta\,f'(0) = -\eta$, already leaps over the hilltop at $-4.31$
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
# ## 8. Letting the optimizer choose the rate: a look ahead
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
# ## 9. Your turn: the schedule explorer
#
# The explorer runs one schedule on the damped sine every time you change a control: the path on the
# curve (left), the rate and the loss against the step (right). The drop-down picks the schedule;
# below it appear only the sliders that schedule takes (`factor` and `every` for step decay,
# `alpha` for exponential, `final` for cosine, the number of warm-up steps for warm-up, where the
# warm-up hands over to a constant rate). The learning-rate slider sets the base rate $\eta$.
#
# **Predict first, then move the slider:**
# 1. With `step_decay` at base rate 2.5, set `every` to 50. When will the run stop zig-zagging? Now
#    set `factor` to 0.9: will it settle within 100 steps at all?
# 2. Pick `exponential` and lower `alpha` from 0.95 towards 0.8. Before each move, guess the base
#    rate below which the run no longer reaches $-1.43$ (hint: the rates add up to $\eta/(1-\alpha)$).
# 3. Pick `warmup` (a warm-up followed by a constant rate) at base rate 2.5. Will it end on the
#    minimum? Compare with section 6 and explain with the edge.
# 4. Pick `linear` and raise the base rate to 4, then to 4.5. Which of the two still ends at $-1.43$?

# %%
gd.widgets.explore_schedule(g, schedule="step_decay", lr=base_lr, epochs=budget, x0=0.0, lr_range=(0.01, 8.0))

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
#   bottom of the valley.
# - **Adaptive methods** (AdaGrad, RMSprop, Adam) adjust a rate per parameter from the gradients
#   themselves: notebook 06.
#
# ## Exercises
#
# **1. How far away is too far for the gradient-scaled rule?** On $3x^2 - 3x + 4$ with
# $\eta = 0.025$, section 3 found $d_{t+1} = d_t\,(1 - 0.9\,|d_t|)$. A step overshoots wildly when
# $0.9\,|d_t| > 2$. Predict the start $x_0 < 1/2$ closest to the minimum from which gradient-scaled
# descent *diverges*, put it in `my_start` and run the check, which tries starts just inside and
# just outside your answer.

# %%
my_start = None  # your prediction, e.g. -3.0

if my_start is not None:
    scaled = gd.schedules.gradient_scaled()
    inside = gd.descend(f, my_start + 0.01, lr=0.025, epochs=200, schedule=scaled)
    outside = gd.descend(f, my_start - 0.01, lr=0.025, epochs=200, schedule=scaled)
    print("correct!" if not inside.diverged and outside.diverged
          else "not quite: for which |d| does 1 - 0.9|d| drop below -1?")

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
# $\eta/(1-\alpha)$, and the trip needs about 5. Put your choice in `my_alpha`.

# %%
my_alpha = None  # your choice, e.g. 0.9

if my_alpha is not None:
    mine = gd.descend(g, 0.0, lr=0.2, epochs=budget, schedule=gd.schedules.exponential(my_alpha))
    gap = abs(mine.final - best.x)
    print(f"final x = {mine.final:.4f}, {gap:.1e} from the minimum:",
          "well chosen!" if gap < 1e-3 else "not there yet: how large must 0.2 / (1 - alpha) be?")

# %% [markdown]
# <details><summary>Solution</summary>
#
# We need $0.2/(1-\alpha)$ comfortably above 5, so $1 - \alpha$ well below 0.04, for example
# $\alpha = 0.99$ (total at most 20). Two effects cut in: over 100 steps the sum is really
# $0.2\,(1-\alpha^{100})/(1-\alpha)$, about 12.7 for $\alpha = 0.99$, and the last stretch into the
# minimum needs more budget than the first, because the slope flattens. A quick check with a sweep
# over `alpha` shows that 0.97 still ends 0.002 short, while 0.98 and above succeed:
#
# ```python
# for a in (0.95, 0.96, 0.97, 0.98, 0.99, 1.0):
#     run = gd.descend(g, 0.0, lr=0.2, epochs=100, schedule=gd.schedules.exponential(a))
#     print(a, round(run.final, 4))
# ```
#
# $\alpha = 1$ is the fixed rate, which at 0.2 also succeeds; the decay only costs budget here,
# because 0.2 is far below the edge. Decay pays off when the base rate is too large, not too small.
# </details>
#
# **3. Surviving a base rate of 5.** At base rate 5 every schedule of section 5 fails: the first
# step leaps over the hilltop. Build a schedule that survives it (100 steps from $x_0 = 0$, ending
# within $10^{-3}$ of $-1.43$). You can hand a warm-up any schedule to follow, e.g.
# `gd.schedules.warmup(steps=10, then=gd.schedules.exponential(0.9))`. Put it in `my_schedule`.

# %%
my_schedule = None  # your schedule, e.g. gd.schedules.warmup(steps=10, then=gd.schedules.cosine())

if my_schedule is not None:
    mine = gd.descend(g, 0.0, lr=5.0, epochs=budget, schedule=my_schedule)
    print(f"{my_schedule!r}: final x = {mine.final:.4f}:",
          "it survives!" if abs(mine.final - best.x) < 1e-3 else "thrown out: think about the rate at the bottom")

# %% [markdown]
# <details><summary>Solution</summary>
#
# Two things must hold. The first steps must be small, which a warm-up gives. And by the time the
# warm-up has walked the run to the bottom of the valley (a handful of steps), the rate must
# already be on its way below the edge $2/f'' \approx 2$, so the decay after the warm-up must be
# quick. `gd.schedules.warmup(steps=10, then=gd.schedules.exponential(0.8))` works: the rate peaks
# at 5 for a moment, the small kicks it gives at the bottom die out as $0.8^t$ brings it under 2
# within five steps, and the run ends at $-1.4289$. A warm-up followed by cosine does not: cosine
# stays above the edge for a third of the run, long enough to throw the point over the hill.
# </details>
#
# **Next:** [05 · Vanishing and exploding gradients](05_vanishing_exploding_gradients.ipynb) looks at
# the other half of every step, the gradient itself: what happens when it is almost zero on a long
# plateau, or enormous at a cliff, and why deep networks suffer from both.
