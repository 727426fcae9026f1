# %% [markdown]
# # 06 · The optimizer zoo
#
# **What you will be able to do after this notebook**
#
# - write the six classic update rules (gradient descent, momentum, Nesterov, AdaGrad, RMSprop
#   and Adam) as formulas and as a few lines of numpy, and say what each one remembers between steps;
# - explain why plain descent zig-zags down a narrow ravine while momentum glides along it;
# - run a **fair** race: same start, same epoch budget, every optimizer with its own learning rate
#   tuned by a sweep, and read the result as a table of final loss, distance and steps;
# - look inside an optimizer while it runs (its velocity, its averages of squared gradients,
#   Adam's two moments) and use that to explain a win or a failure;
# - say which optimizers escape a saddle point, and why some escape at the same speed however close
#   to the saddle they start.
#
# **Where we left off.** Notebook 05 looked at gradients that are too small or too large: on a
# plateau the steps $\eta\, f'(x)$ vanish and the epoch budget runs out; at a cliff one huge gradient
# throws the point far away; and in a deep network the gradient of an early layer is a product of
# one factor per layer, which can shrink towards zero or blow up. All of it came down to one fact:
# plain gradient descent takes the gradient at face value, so its step is only as good as the size
# of the gradient. The optimizers in this notebook stop doing that. Some remember past steps and keep
# moving, others rescale every coordinate by how large its gradients have been.

# %%
# SETUP

# %% [markdown]
# ## 1. The race course
#
# We race the optimizers on five landscapes from the gdviz catalogue, each hard in its own way:
#
# - the **ravine** $(x^2 + 100y^2)/2$: a bowl a hundred times steeper across ($y$) than along ($x$);
# - **Rosenbrock's banana** $(1-x)^2 + 100(y - x^2)^2$: a curved, flat-bottomed valley with its
#   minimum at $(1, 1)$;
# - the **saddle** $x^2 - y^2$: downhill along $y$, uphill along $x$, flat at the origin;
# - **peaks** from notebook 02, with three valleys;
# - **sin-gauss** from notebook 03, the one-dimensional landscape with several valleys.
#
# Look at the four two-dimensional ones below. The triangles mark minima, the diamond the saddle
# point. In the ravine and in Rosenbrock's valley, notice how long and thin the low region is.

# %%
F = gd.functions
fig, axes = plt.subplots(1, 4, figsize=(16, 3.6), layout="constrained")
for ax, f in zip(axes, [F.ravine, F.rosenbrock, F.saddle, F.peaks]):
    gd.plotting.plot_landscape(f, ax=ax, colorbar=False)
    gd.plotting.mark_extrema(f, ax=ax, maxima=False)
plt.show()

# %% [markdown]
# How much steeper is the ravine across than along? The second derivatives (the curvatures) answer
# that: their ratio is the **condition number** of the bowl. Notebook 01 showed that plain descent on
# a quadratic is stable only while $\eta < 2/f''$; with two curvatures the *larger* one sets that edge.

# %%
curvatures = np.linalg.eigvalsh(F.ravine.hessian([0.0, 0.0]))
edge = 2 / curvatures.max()
assert np.allclose(curvatures, [1, 100]) and np.isclose(edge, 0.02)
print(f"curvatures {curvatures}, condition number {curvatures.max() / curvatures.min():.0f}, "
      f"stable for lr < {edge:.2f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# So along the floor of the ravine, where the curvature is 1, a rate of 1 would land on the minimum in
# one step, yet plain descent must keep $\eta$ below 0.02 or it is thrown out across the steep
# walls. With $\eta < 0.02$ each step along the floor removes less than 2% of the remaining
# distance. That tension is what the zoo was invented for.
#
# ## 2. Six update rules, written out once
#
# Every optimizer below is one small step function: it takes the gradient function, the position
# $x$, whatever the optimizer remembers (its **state**) and the learning rate $\eta$, and returns the
# new position and the new state. One loop runs any of them. We check each one against gdviz on
# Rosenbrock's banana, started at the classic point $(-1.2, 1)$; from then on we use gdviz.

# %%
banana, start = F.rosenbrock, [-1.2, 1.0]


def by_hand(step, state, x0, lr, epochs, objective=banana):
    """Positions x_0 ... x_epochs of any step function, from state and x0."""
    xs = [np.array(x0, dtype=float)]
    for _ in range(epochs):
        x, state = step(objective.grad, xs[-1], state, lr)
        xs.append(x)
    return np.array(xs)


# %% [markdown]
# **Gradient descent** remembers nothing. With $g_t = \nabla f(x_t)$:
#
# $$x_{t+1} = x_t - \eta\, g_t$$

# %%
def gd_step(grad, x, state, lr):
    return x - lr * grad(x), state


hand = by_hand(gd_step, None, start, lr=1e-3, epochs=100)
assert np.allclose(hand, gd.descend(banana, start, lr=1e-3, epochs=100, optimizer=gd.optimizers.GD()).x)

# %% [markdown]
# **Momentum** (the "heavy ball") keeps a velocity $v$: every step adds the new gradient step to a
# fraction $\beta$ (about 0.9) of the previous one, so steps that agree pile up and steps that
# alternate cancel out.
#
# $$v_{t+1} = \beta\, v_t + \eta\, g_t, \qquad x_{t+1} = x_t - v_{t+1}$$

# %%
def momentum_step(grad, x, v, lr, beta=0.9):
    v = beta * v + lr * grad(x)
    return x - v, v


hand = by_hand(momentum_step, 0.0, start, lr=1e-3, epochs=100)
assert np.allclose(hand, gd.descend(banana, start, lr=1e-3, epochs=100, optimizer=gd.optimizers.Momentum(0.9)).x)

# %% [markdown]
# **Nesterov momentum** is the same, with one change: it knows it is about to move by roughly
# $\beta v$ anyway, so it takes the gradient at that **look-ahead point** instead of where it stands.
# If the velocity is about to carry it up the far wall, the gradient there already brakes.
#
# $$v_{t+1} = \beta\, v_t + \eta\, \nabla f(x_t - \beta v_t), \qquad x_{t+1} = x_t - v_{t+1}$$

# %%
def nesterov_step(grad, x, v, lr, beta=0.9):
    v = beta * v + lr * grad(x - beta * v)
    return x - v, v


hand = by_hand(nesterov_step, 0.0, start, lr=1e-3, epochs=100)
assert np.allclose(hand, gd.descend(banana, start, lr=1e-3, epochs=100, optimizer=gd.optimizers.Nesterov(0.9)).x)

# %% [markdown]
# **AdaGrad** gives every coordinate its own learning rate. It adds up the squared gradients of each
# coordinate in $G$ and divides the step by $\sqrt{G}$: a coordinate with large gradients gets small
# steps, one with small gradients large steps. The squares, the root and the division are taken
# coordinate by coordinate; $\epsilon$ (say $10^{-8}$) only prevents a division by zero.
#
# $$G_{t+1} = G_t + g_t^2, \qquad x_{t+1} = x_t - \frac{\eta\, g_t}{\sqrt{G_{t+1} + \epsilon}}$$

# %%
def adagrad_step(grad, x, G, lr, eps=1e-8):
    g = grad(x)
    G = G + g**2
    return x - lr * g / np.sqrt(G + eps), G


hand = by_hand(adagrad_step, 0.0, start, lr=0.1, epochs=100)
assert np.allclose(hand, gd.descend(banana, start, lr=0.1, epochs=100, optimizer=gd.optimizers.AdaGrad(1e-8)).x)

# %% [markdown]
# $G$ only ever grows, so AdaGrad's rates only ever shrink. **RMSprop** replaces the sum by a moving
# average $E$ that forgets old gradients at the rate $1 - \rho$ (with $\rho$ about 0.9):
#
# $$E_{t+1} = \rho\, E_t + (1-\rho)\, g_t^2, \qquad x_{t+1} = x_t - \frac{\eta\, g_t}{\sqrt{E_{t+1} + \epsilon}}$$

# %%
def rmsprop_step(grad, x, E, lr, rho=0.9, eps=1e-8):
    g = grad(x)
    E = rho * E + (1 - rho) * g**2
    return x - lr * g / np.sqrt(E + eps), E


hand = by_hand(rmsprop_step, 0.0, start, lr=0.01, epochs=100)
assert np.allclose(hand, gd.descend(banana, start, lr=0.01, epochs=100, optimizer=gd.optimizers.RMSprop(0.9, 1e-8)).x)

# %% [markdown]
# **Adam** combines the two ideas: a moving average $m$ of the gradients (momentum) and a moving
# average $v$ of their squares (RMSprop). Both start at zero, so early on they are too small; dividing
# by $1 - \beta^t$ corrects that **bias** (at $t = 1$ it turns $m = (1-\beta_1) g$ back into $g$).
# Here $\epsilon$ sits outside the square root.
#
# $$m_{t+1} = \beta_1 m_t + (1-\beta_1)\, g_t, \qquad v_{t+1} = \beta_2 v_t + (1-\beta_2)\, g_t^2$$
#
# $$\hat m = \frac{m_{t+1}}{1 - \beta_1^{\,t+1}}, \qquad \hat v = \frac{v_{t+1}}{1 - \beta_2^{\,t+1}},
# \qquad x_{t+1} = x_t - \frac{\eta\, \hat m}{\sqrt{\hat v} + \epsilon}$$
#
# with $\beta_1 = 0.9$, $\beta_2 = 0.999$ and $\epsilon = 10^{-8}$ by default. The state also
# counts the steps, for the bias correction.

# %%
def adam_step(grad, x, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    t, m, v = state
    g = grad(x)
    t, m, v = t + 1, beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return x - lr * m_hat / (np.sqrt(v_hat) + eps), (t, m, v)


hand = by_hand(adam_step, (0, 0.0, 0.0), start, lr=0.01, epochs=100)
adam = gd.optimizers.Adam(0.9, 0.999, 1e-8)
assert np.allclose(hand, gd.descend(banana, start, lr=0.01, epochs=100, optimizer=adam).x)

# %% [markdown]
# All six agree with gdviz step for step. One consequence of the formulas is worth checking now,
# because it will matter on the saddle: the first step of Adam has length $\eta$ in **every**
# coordinate, whatever the size of the gradient ($\hat m / \sqrt{\hat v} = g/|g|$ at $t = 1$).
# Plain descent's first step, by contrast, is $\eta$ times the gradient.

# %%
first = {name: gd.descend(banana, start, lr=0.01, epochs=1, optimizer=name).x[1] - start for name in ("gd", "adam")}
assert np.allclose(np.abs(first["adam"]), 0.01)
for name, step in first.items():
    print(f"{name:5s} first step: ({step[0]:+.4f}, {step[1]:+.4f})")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 3. First race: down the ravine
#
# Back to the ravine. Plain descent at $\eta = 0.019$, just under its edge, against momentum and
# Nesterov at $\eta = 0.005$, from the start $(-5, 2)$, 100 steps each. **Look at** the shape of each
# path: does it head for the minimum, or does it cross the ravine again and again?

# %%
ravine, ravine_start = F.ravine, [-5.0, 2.0]
first_race = {
    "GD, lr=0.019": gd.descend(ravine, ravine_start, lr=0.019, epochs=100),
    "momentum, lr=0.005": gd.descend(ravine, ravine_start, lr=0.005, epochs=100, optimizer="momentum"),
    "Nesterov, lr=0.005": gd.descend(ravine, ravine_start, lr=0.005, epochs=100, optimizer="nesterov"),
}
fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4), layout="constrained")
gd.plotting.plot_landscape(ravine, ax=left, colorbar=False)
gd.plotting.plot_paths(first_race, ax=left)
gd.plotting.plot_history(first_race, what="f", ax=right, log=True)
plt.show()

# %% [markdown]
# Plain descent (blue) zig-zags: its rate is near the stability edge of the steep direction, so every
# step jumps across the ravine to the other wall (the factor per step across is
# $1 - 0.019 \cdot 100 = -0.9$), while along the floor it creeps, keeping 98.1% of the distance each
# step. It ends well short of the minimum. Momentum (orange) also swings across, but in long, slow
# arcs, and meanwhile its velocity along the floor builds up: it covers the whole ravine. Nesterov
# (green) brakes the swing with its look-ahead gradient and glides straight down the middle. On the
# log axis (right) plain descent's loss ends up falling as a gentle straight line; the other two
# fall far more steeply.

# %%
gd_run, mom_run, nes_run = first_race.values()
y_signs = np.sign(gd_run.x[:, 1])
assert np.all(y_signs[1:] == -y_signs[:-1])  # plain descent changes sides at every step
assert np.allclose(gd_run.x[1:, 0] / gd_run.x[:-1, 0], 1 - 0.019)  # and keeps 98.1% along the floor
assert np.abs(mom_run.x[10:, 1]).max() > 1 and np.abs(nes_run.x[10:, 1]).max() < 0.02  # swings vs glide
assert max(mom_run.final_f, nes_run.final_f) < gd_run.final_f / 100
for name, run in first_race.items():
    print(f"{name:19s} f after 100 steps = {run.final_f:.2e}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ### The same race as an animation
#
# A drawn path hides the timing. The animation replays the race: both runs start together, and each
# frame advances them by the same number of steps. Press play and **watch** which run leads after
# the first few frames, and how the gap opens later.

# %%
from IPython.display import HTML

fig, ax = plt.subplots(figsize=(6.4, 3.6), dpi=60)
anim = gd.plotting.animate(first_race, ax=ax, max_frames=20, interval=250)
HTML(gd.plotting.to_html(anim))

# %% [markdown]
# For the first few frames all three are close together, plain descent bouncing from wall to wall.
# Then momentum and Nesterov build up speed along the floor and pull away, while plain descent is
# still short of the minimum when the budget ends.
#
# And the edge itself: a sweep of 30 rates from 0.01 to 0.03, 500 epochs each, shows plain descent
# ending *higher* than it started for every rate above $2/100 = 0.02$ and converging for every rate
# below it. Momentum can go further, up to $2(1 + \beta)/100 = 0.038$, because its velocity damps
# the bouncing: none of these rates troubles it.

# %%
edge_rates = np.linspace(0.01, 0.03, 30)
gd_edge = gd.sweep(ravine, ravine_start, lr=edge_rates, epochs=500)
mom_edge = gd.sweep(ravine, ravine_start, lr=edge_rates, epochs=500, optimizer="momentum")
worse = gd_edge.f > ravine(np.array(ravine_start))  # ended above the start: the run blew up
assert np.array_equal(worse, edge_rates > 0.02) and np.all(gd_edge.f[~worse] < 1e-3)
assert np.all(mom_edge.f < 1e-10)
beyond = gd.sweep(ravine, ravine_start, lr=[0.037, 0.039], epochs=2000, optimizer="momentum")
assert beyond.f[0] < 1e-10 and beyond.f[1] > ravine(np.array(ravine_start))  # momentum's own edge: 0.038
# NBVAL_CHECK_OUTPUT
print(f"GD blows up from lr = {edge_rates[worse].min():.4f} on; momentum converges at all 30 rates")

# %% [markdown]
# ## 4. A fair race
#
# The first race was not fair: each optimizer got a rate we picked by hand. Optimizers use their
# learning rate differently (for plain descent the step is $\eta g$, for Adam it is about $\eta$
# whatever $g$ is), so one shared rate favours some of them. The fair way: for every optimizer and
# every landscape, try 30 rates spaced evenly on a log scale from $10^{-4}$ to $10$, all from the
# same start with the same budget of 200 epochs, and keep the rate whose run ends with the lowest
# loss without diverging. One `gd.sweep` call per optimizer and landscape runs all 30 rates at once.

# %%
OPTIMIZERS = {"GD": gd.optimizers.GD(), "Momentum": gd.optimizers.Momentum(0.9),
              "Nesterov": gd.optimizers.Nesterov(0.9), "AdaGrad": gd.optimizers.AdaGrad(),
              "RMSprop": gd.optimizers.RMSprop(0.9), "Adam": gd.optimizers.Adam()}
COURSE = {"ravine": (ravine, ravine_start), "Rosenbrock": (banana, [-1.5, 2.5]),
          "peaks": (F.peaks, [-0.5, -2.5]), "sin-gauss": (F.sin_gauss, -4.0)}
rates, EPOCHS = np.geomspace(1e-4, 10, 30), 200

sweeps = {(land, name): gd.sweep(f, x0, lr=rates, epochs=EPOCHS, optimizer=opt)
          for land, (f, x0) in COURSE.items() for name, opt in OPTIMIZERS.items()}


def tuned_rate(result):
    """The rate with the lowest final loss among the runs that did not diverge."""
    return float(result.lr[np.argmin(np.where(result.diverged, np.inf, result.f))])


tuned = {key: tuned_rate(result) for key, result in sweeps.items()}

# %% [markdown]
# Here is what the tuning saw on the ravine: one panel per optimizer, final loss against learning rate
# (both on log axes), with the chosen rate marked; runs that ended below $10^{-12}$ sit under the
# bottom edge. **Before you look**, guess: which optimizers will
# have an X (diverged) at the high rates, and which can take any rate in the grid?

# %%
fig, axes = plt.subplots(2, 3, figsize=(14, 6.5), sharey=True, layout="constrained")
for ax, name in zip(axes.flat, OPTIMIZERS):
    gd.plotting.plot_sweep(sweeps["ravine", name], ax=ax, legend=False)
    ax.axvline(tuned["ravine", name], color=gd.plotting.PALETTE[1], ls="--", lw=1.5)
    ax.set(yscale="log", ylim=(1e-12, 1e4), ylabel="final f - f* (f* = 0)")
    ax.set_title(f"{name}: tuned lr = {tuned['ravine', name]:.3g}")
plt.show()

# %% [markdown]
# The three methods that step along the raw gradient (GD, momentum, Nesterov) blow up once the rate
# is too large for the steep direction: the X marks along the top.
# The three adaptive ones (AdaGrad, RMSprop, Adam) never diverge on this grid, because their steps are
# scaled by the gradients' own size; a rate that is too large makes them wander, not explode. Each
# curve has a best rate somewhere in the middle of the grid (the dashed line), and it differs by
# three orders of magnitude between the optimizers: one shared rate could not be fair.

# %%
raw, adaptive = ["GD", "Momentum", "Nesterov"], ["AdaGrad", "RMSprop", "Adam"]
assert all(sweeps[land, n].diverged.any() for land in ("ravine", "Rosenbrock") for n in raw)
assert not any(sweeps[land, n].diverged.any() for land in COURSE for n in adaptive)
assert all(rates[0] < tuned[key] < rates[-1] for key in tuned)  # no best rate sits on the grid's edge
ravine_rates = [tuned["ravine", n] for n in OPTIMIZERS]
assert max(ravine_rates) / min(ravine_rates) > 1000

# %% [markdown]
# Now the table. For each landscape and optimizer we rerun the tuned rate with `gd.descend` and report
# the final gap to the minimum value, $f - f^*$, the distance to the minimum, and the number of steps
# until $f - f^* \le 10^{-6}$ (`Trajectory.steps_to`; "never" if the budget ran out first). The
# winner of each landscape, marked with a star, is the optimizer that got there in the fewest steps,
# or, if none did, the one with the lowest final loss.

# %%
TOL = 1e-6
runs = {key: gd.descend(COURSE[key[0]][0], COURSE[key[0]][1], lr=tuned[key], epochs=EPOCHS,
                        optimizer=OPTIMIZERS[key[1]]) for key in sweeps}


def score(run):
    """Final gap f - f*, distance to the minimum and steps to the tolerance (-1: never)."""
    best = run.objective.global_minimum
    gap = run.final_f - best.f
    distance = float(np.linalg.norm(np.atleast_1d(run.final - np.asarray(best.x))))
    return max(gap, 0.0), distance, int(run.steps_to(TOL))  # gaps of -1e-16 are rounding: call them 0


def tiny(value):
    """Numbers below 1e-30 are zero for every practical purpose: print them as such."""
    return f"{value:.1e}" if value >= 1e-30 else "< 1e-30"


scores = {key: score(run) for key, run in runs.items()}
winners = {land: min(OPTIMIZERS, key=lambda n: (scores[land, n][2] if scores[land, n][2] >= 0 else np.inf,
                                                 scores[land, n][0])) for land in COURSE}

# %%
# NBVAL_CHECK_OUTPUT
print(f"{'landscape':11s} {'optimizer':10s} {'tuned lr':>9s} {'f - f*':>9s} {'distance':>9s} {'steps':>6s}")
for land in COURSE:
    for name in OPTIMIZERS:
        gap, dist, steps = scores[land, name]
        star = " *" if winners[land] == name else ""
        print(f"{land:11s} {name:10s} {tuned[land, name]:9.3g} {tiny(gap):>9s} {tiny(dist):>9s} "
              f"{steps if steps >= 0 else 'never':>6}{star}")
    print()

# %% [markdown]
# Read it landscape by landscape.
#
# - **Ravine.** AdaGrad wins outright, in 9 steps, and momentum and Nesterov leave plain descent far
#   behind. AdaGrad's win is no accident: the ravine's steep and gentle directions are exactly the
#   $x$ and $y$ axes, and AdaGrad gives each *coordinate* its own rate, so it removes the ill
#   conditioning completely. Tilt the ravine and that advantage disappears (Exercise 1).
# - **Rosenbrock.** The roles turn around: AdaGrad comes last, barely moving from its start
#   (section 6 looks inside it to see why), and RMSprop finishes closest. Hold that win loosely,
#   though: section 5 shows how it got there.
# - **Peaks** and **sin-gauss** are friendly valleys, and plain descent with a well-chosen rate is
#   among the front runners; AdaGrad wins again, and RMSprop, the Rosenbrock winner, is last on both.
#
# No optimizer is best everywhere: the winner changes with the landscape, and the winner of one is
# the loser of another. The checks below hold exactly these claims.

# %%
def rank(land):
    return sorted(OPTIMIZERS, key=lambda n: (scores[land, n][2] if scores[land, n][2] >= 0 else np.inf,
                                              scores[land, n][0]))


assert winners == {"ravine": "AdaGrad", "Rosenbrock": "RMSprop", "peaks": "AdaGrad", "sin-gauss": "AdaGrad"}
assert scores["ravine", "AdaGrad"][2] == 9 and rank("Rosenbrock")[-1] == "AdaGrad"
assert all(rank(land)[-1] == "RMSprop" for land in ("ravine", "peaks", "sin-gauss"))
assert all(scores["ravine", n][0] < 1e-5 * scores["ravine", "GD"][0] for n in ("Momentum", "Nesterov"))
assert all("GD" in rank(land)[:3] for land in ("peaks", "sin-gauss"))

# %% [markdown]
# ## 5. Paths and loss curves
#
# Numbers hide *how* each optimizer got where it did. Here are the tuned runs on Rosenbrock's banana:
# the paths on the contour plot (left) and the loss gap $f - f^*$ against the epoch on a log axis
# (right). **Look for** who follows the curved valley floor and who stalls on the slope.

# %%
def race_figure(land):
    """Paths (or positions, in 1-D) and log-loss curves of the tuned runs on one landscape."""
    race = {name: runs[land, name] for name in OPTIMIZERS}
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 4.6), layout="constrained")
    if COURSE[land][0].dim == 2:
        gd.plotting.plot_landscape(COURSE[land][0], ax=left, colorbar=False)
        gd.plotting.plot_paths(race, ax=left, legend=False)
    else:
        gd.plotting.plot_history(race, what="x", ax=left, legend=False)
    gd.plotting.plot_history(race, what="f", ax=right, log=True, legend="upper right")
    return fig


race_figure("Rosenbrock")
plt.show()

# %%
rms_banana = runs["Rosenbrock", "RMSprop"]
assert rms_banana.f[-50:].max() > 1e3 and rms_banana.final_f < 1e-3  # spikes late, lands low at the end
assert np.sum(rms_banana.f[100:] < 1e-3) == 1  # ... and only at that one step
steady = [n for n in OPTIMIZERS if n != "RMSprop"]
assert min(steady, key=lambda n: runs["Rosenbrock", n].final_f) == "Nesterov"
# NBVAL_CHECK_OUTPUT
print(f"RMSprop's loss: up to {rms_banana.f[-50:].max():.0f} in the last 50 steps, {rms_banana.final_f:.1e} at the end")

# %% [markdown]
# The steady runners first drop onto the floor of the banana, the easy part, and then start the
# long curved walk to $(1, 1)$. Plain descent stalls partway along, AdaGrad hardly leaves its start,
# and momentum, Nesterov and Adam slide on, swinging across the floor (the wiggles in their loss
# curves), to get most of the way.
#
# RMSprop (light blue) is a different story. Its tuned rate is so large that it leaps all over the
# landscape, and its loss spikes into the thousands again and again; it just happens to land near
# the minimum at the very last step. Our tuning rule, "lowest loss at the end of the budget", cannot
# tell luck from skill, and one step earlier or later the table would look different. Among the runs
# that converge steadily, Nesterov leads. A fair race needs a fair *rule*, and it is worth looking at
# the curves before believing a table.
#
# The same picture on peaks and on sin-gauss (where the left panel shows the position against the
# epoch, since the landscape is one-dimensional):

# %%
race_figure("peaks")
plt.show()

# %%
race_figure("sin-gauss")
plt.show()

# %%
assert all(scores[land, n][2] >= 0 for land in ("peaks", "sin-gauss") for n in OPTIMIZERS)  # all arrive

# %% [markdown]
# On both friendly landscapes every optimizer arrives, and the log plots show the different manners:
# plain descent and AdaGrad fall in straight lines (a constant factor per step), momentum and
# Adam overshoot and ring before settling, and RMSprop, tuned to a small rate, takes longest.


# %% [markdown]
# ## 6. Looking inside the optimizers
#
# An optimizer's state tells you *why* it moves as it does. `gd.descend(..., keep_state=True)`
# records it at every step in `traj.state`, laid out like `traj.x` (one row per step, one column per
# coordinate): `MomentumState(v)` for momentum and Nesterov, `AdaGradState(G)`, `RMSpropState(E)`
# and `AdamState(count, m, v)`.
#
# ### Momentum's velocity in the ravine
#
# Take momentum's run from section 3 again, this time keeping its state. The velocity is exactly the
# step taken, $v_{t+1} = x_t - x_{t+1}$.
# **Look at** its two coordinates: across the ravine ($y$) it swings from side to side and dies out,
# along the floor ($x$) it builds up and stays one-signed until the run nears the minimum.

# %%
mom = gd.descend(ravine, ravine_start, lr=0.005, epochs=100, optimizer="momentum", keep_state=True)
assert np.allclose(mom.state.v[1:], mom.x[:-1] - mom.x[1:])  # the velocity is the step

fig, ax = plt.subplots(figsize=(8, 3.4), layout="constrained")
gd.plotting.plot_state(mom, quantity="v", ax=ax, ylabel="velocity v")
ax.set_title("momentum on the ravine")
plt.show()

# %% [markdown]
# The $y$ velocity alternates in sign, and the alternations cancel inside the running sum, so the
# zig-zag is damped; the $x$ velocity grows to several times the size of a single gradient step,
# which is how momentum glides along the gentle floor. We check both: the $y$ velocity changes sign
# many times, and at its largest the $x$ velocity is more than six times the first gradient step
# along $x$ ($\eta\, g_x = 0.005 \cdot 5$).

# %%
vx, vy = mom.state.v[1:, 0], mom.state.v[1:, 1]
y_flips = int(np.sum(np.sign(vy[1:]) != np.sign(vy[:-1])))
assert y_flips > 10 and np.abs(vx).max() > 6 * 0.005 * 5
assert np.all(np.sign(vx[:60]) == np.sign(vx[0]))  # one-signed along the floor for the first 60 steps
# NBVAL_CHECK_OUTPUT
print(f"the y velocity changes sign {y_flips} times; the largest x velocity is {np.abs(vx).max():.3f}")

# %% [markdown]
# ### Why AdaGrad stalled on the banana
#
# AdaGrad's step in each coordinate is $\eta / \sqrt{G}$ times the gradient, and $G$ is a *sum*. On
# Rosenbrock the run starts on a steep slope, with gradients in the hundreds; their squares go into
# $G$ and never leave. **Predict** what that does to the effective rate $\eta/\sqrt{G + \epsilon}$
# once the run reaches the flat floor. The figure plots that rate for AdaGrad and, beside it,
# for RMSprop (with $E$ in place of $G$), both in their tuned Rosenbrock runs.

# %%
land = "Rosenbrock"
ada = gd.descend(banana, COURSE[land][1], lr=tuned[land, "AdaGrad"], epochs=EPOCHS, optimizer="adagrad",
                 keep_state=True)
rms = gd.descend(banana, COURSE[land][1], lr=tuned[land, "RMSprop"], epochs=EPOCHS,
                 optimizer=OPTIMIZERS["RMSprop"], keep_state=True)
def ada_effective(run):
    return tuned[land, "AdaGrad"] / np.sqrt(run.state.G + 1e-8)


def rms_effective(run):
    return tuned[land, "RMSprop"] / np.sqrt(run.state.E + 1e-8)


ada_rate, rms_rate = ada_effective(ada)[1:], rms_effective(rms)[1:]  # row 0 is the empty initial state
fig, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
gd.plotting.plot_state(ada, quantity=ada_effective, ax=ax, label="AdaGrad", color=gd.plotting.color_of("adagrad"),
                       scale="log", first=1)
gd.plotting.plot_state(rms, quantity=rms_effective, ax=ax, label="RMSprop", color=gd.plotting.color_of("rmsprop"),
                       scale="log", first=1, ylabel="effective rate lr / sqrt(G or E)")
ax.set_title("Rosenbrock")
plt.show()

# %% [markdown]
# AdaGrad's effective rates (pink) fall within the first few steps and then stay flat, at about
# $5 \cdot 10^{-4}$ and $1.6 \cdot 10^{-3}$: they can never rise again, so on the flat floor, where
# the gradients are small, its steps are tiny. RMSprop's rates (light blue) drop even lower at first,
# because it saw the same steep start, but its average forgets: its rates climb back by a factor of
# more than 30 in $y$ and almost 200 in $x$, and the run keeps moving. The sawtooth shows the other
# side of forgetting: each time the rate has grown large, a step lands on a steep wall, the squared
# gradients jump, the rate collapses, and the climb starts again. Those are the leaps of section 5.

# %%
assert np.all(np.diff(ada.state.G, axis=0) >= 0)  # G never decreases, so AdaGrad's rates never grow
assert np.all(ada_rate[20] < 1.05 * ada_rate[-1])  # flat after step 20
lowest = rms_rate.argmin(axis=0)
climb = [rms_rate[lowest[i]:, i].max() / rms_rate[lowest[i], i] for i in range(2)]
assert min(climb) > 30 and max(climb) > 150
# NBVAL_CHECK_OUTPUT
print(f"AdaGrad's final rates {ada_rate[-1].round(5)}; RMSprop's climb by {climb[0]:.0f}x (x), {climb[1]:.0f}x (y)")

# %% [markdown]
# ### Adam's two moments
#
# Adam keeps both kinds of memory. In its tuned ravine run, plot the bias-corrected first moment
# $\hat m$ (the smoothed gradient) and the root of the second, $\sqrt{\hat v}$ (the typical gradient
# size) for the steep coordinate $y$. Their ratio is the direction Adam steps in, times $\eta$.

# %%
adam_run = gd.descend(ravine, ravine_start, lr=tuned["ravine", "Adam"], epochs=EPOCHS, optimizer="adam",
                      keep_state=True)


def m_hat_of(run):  # the bias-corrected moments; at row 0 (count 0) m and v are still zero
    return run.state.m / (1 - 0.9 ** np.maximum(run.state.count, 1))[:, None]


def v_hat_of(run):
    return run.state.v / (1 - 0.999 ** np.maximum(run.state.count, 1))[:, None]


def step_of(run):  # Adam's step divided by lr
    return m_hat_of(run) / (np.sqrt(v_hat_of(run)) + 1e-8)


m_hat, v_hat = m_hat_of(adam_run)[1:], v_hat_of(adam_run)[1:]
assert np.allclose(np.abs(m_hat[0]), np.sqrt(v_hat[0]))  # at t = 1 both are |g|: the first step has length lr

fig, (left, right) = plt.subplots(1, 2, figsize=(13, 3.6), layout="constrained")
gd.plotting.plot_state(adam_run, quantity=m_hat_of, ax=left, label="m_hat", coordinate=1, first=1,
                       color=gd.plotting.PALETTE[0], scale="symlog")
gd.plotting.plot_state(adam_run, quantity=lambda run: np.sqrt(v_hat_of(run)), ax=left, label="sqrt(v_hat)",
                       coordinate=1, first=1, color=gd.plotting.PALETTE[1], scale="symlog", ylabel="gradient scale")
left.set_title("Adam's moments, y coordinate")
gd.plotting.plot_state(adam_run, quantity=step_of, ax=right, label="step / lr", coordinate=1, first=1,
                       color=gd.plotting.PALETTE[2], ylabel="m_hat / (sqrt(v_hat) + eps)")
right.set_title("step in y, in units of lr")
plt.show()

# %% [markdown]
# The second moment $\sqrt{\hat v}$ remembers that $y$ gradients were once large (its $\beta_2 = 0.999$
# forgets very slowly), while the first moment $\hat m$ follows the gradient's sign and shrinks as the
# run settles. Their ratio (right) starts at $\pm 1$, one full $\eta$ per step, and then falls towards
# zero: Adam's steps shrink as the smoothed gradient becomes small compared with the gradients it
# has seen.

# %%
ratio = m_hat[:, 1] / (np.sqrt(v_hat[:, 1]) + 1e-8)
assert abs(abs(ratio[0]) - 1) < 1e-6 and np.abs(ratio[-20:]).max() < 0.01
# NBVAL_CHECK_OUTPUT
print(f"|step in y| / lr: {abs(ratio[0]):.3f} at step 1, at most {np.abs(ratio[-20:]).max():.1e} in the last 20")

# %% [markdown]
# ## 7. The saddle: who gets away?
#
# On the saddle $x^2 - y^2$ the origin is flat, but it is not a minimum: moving along $y$ goes
# downhill for ever. Start at $(-1.5, 10^{-3})$, just off the $x$ axis, with the same rate 0.1 for
# everyone (there is no minimum here to tune for). **Predict:** who will slide towards the saddle
# point first, and who will turn away along $y$ soonest?

# %%
saddle = F.saddle
escape = {name: gd.descend(saddle, [-1.5, 1e-3], lr=0.1, epochs=40, optimizer=opt) for name, opt in OPTIMIZERS.items()}
fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
gd.plotting.plot_landscape(saddle, ax=ax, colorbar=False)
gd.plotting.mark_extrema(saddle, ax=ax)
gd.plotting.plot_paths(escape, ax=ax)
plt.show()

# %% [markdown]
# Plain descent and the momentum methods first run towards the saddle point along $x$, where the
# slope is steep, and only later turn away along $y$: near the axis the $y$ gradient $-2y$ is tiny,
# and they take it at face value. The adaptive methods divide each coordinate by its own gradient
# scale, so the tiny $y$ gradient produces a step as large as the $x$ one, and they leave almost
# diagonally.
#
# How fast each one escapes depends on how close to the axis it starts. Plain descent multiplies $y$
# by $1 + 2\eta = 1.2$ every step, so it needs $\log(1/y_0)/\log 1.2$ steps to reach $|y| = 1$: every
# factor of 1000 closer costs another 38 steps. We count the steps to $|y| \ge 1$ for four starts at
# once, the last one exactly on the axis.

# %%
y0s = np.array([1e-1, 1e-3, 1e-6, 0.0])
starts = np.stack([np.full(4, -1.5), y0s], axis=-1)  # shape (4 starts, 2 coordinates)
away = {}
for name, opt in OPTIMIZERS.items():
    run = gd.descend(saddle, starts, lr=0.1, epochs=100, optimizer=opt)
    out = np.abs(run.x[..., 1]) >= 1  # (steps, starts): has y left the band |y| < 1?
    away[name] = np.where(out.any(axis=0), out.argmax(axis=0), -1)

# %%
# NBVAL_CHECK_OUTPUT
print("steps to |y| >= 1 from y0 =", "  ".join(f"{y:>6g}" for y in y0s))
for name, steps in away.items():
    print(f"{name:>27s}  " + "  ".join(f"{s if s >= 0 else 'never':>6}" for s in steps))

# %% [markdown]
# Plain descent's counts follow the formula exactly, and momentum and Nesterov roughly halve them
# but still pay more the closer they start. The adaptive methods barely care: AdaGrad, RMSprop and
# Adam need about the same number of steps from $10^{-1}$ as from $10^{-6}$, because they look at the
# gradient's sign and scale, not its size. And exactly on the axis nobody escapes: the $y$ gradient
# is exactly zero, every method's $y$ stays 0, and all of them settle on the saddle point. In
# practice rounding noise or stochastic gradients (notebook 07) supply the tiny push.

# %%
assert list(away["GD"][:3]) == list(np.ceil(np.log(1 / y0s[:3]) / np.log(1.2)).astype(int))
assert all(away[n][2] - away[n][0] > 20 for n in raw)  # raw-gradient methods: much slower from closer
assert all(away[n][2] - away[n][0] <= 3 for n in adaptive)  # adaptive ones: about the same
assert all(s[3] == -1 for s in away.values())  # on the axis itself, nobody leaves

# %% [markdown]
# ## 8. What the sources advise, and what we saw
#
# Textbooks and library documentation give three pieces of advice. Our experiments let us check each.
#
# - **Momentum and Nesterov speed up and smooth descent.** On the ravine momentum beat the best
#   plain descent by many orders of magnitude, and its velocity damped the zig-zag; Nesterov's
#   look-ahead braked earlier and reached the tolerance in fewer steps than momentum.
# - **Adam is a robust default.** It did not win any of our four races, but it never came last, and
#   like the other adaptive methods it never diverged at any of the 30 rates, from $10^{-4}$ to 10,
#   on any landscape. If you can afford only a rough guess of the rate, that matters more than
#   winning a tuned race.
# - **No optimizer is best everywhere.** AdaGrad won three races and came last on the fourth;
#   RMSprop topped the Rosenbrock table (with luck) and came last on the other three.

# %%
assert 0 <= scores["ravine", "Nesterov"][2] < scores["ravine", "Momentum"][2]
assert all(winners[land] != "Adam" and rank(land)[-1] != "Adam" for land in COURSE)
assert not any(sweeps[land, "Adam"].diverged.any() for land in COURSE)
print({land: rank(land) for land in COURSE})  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 9. Your turn: the optimizer explorer
#
# The explorer races up to six optimizers from one start on one landscape, with **one shared**
# learning rate (unlike the fair race above), the number of epochs, the start, and each optimizer's
# own hyper-parameters (its $\beta$, $\rho$ or $\epsilon$) in a pane of its own. It starts on the
# ravine.
#
# **Predict first, then move the slider:**
# 1. With the rate at 0.01, open the momentum pane and set $\beta$ to 0. Which other line will its
#    loss curve land on?
# 2. Raise the learning rate slowly from 0.01 to 0.05. Which optimizer diverges first, at about
#    which rate, and which ones never do? (Hint: with $\beta = 0.9$ the look-ahead makes Nesterov
#    the most sensitive of the three on this ravine.)
# 3. Set Adam's $\beta_1$ to 0. What is left is RMSprop with a bias correction: does its path start
#    to zig-zag across the ravine?
# 4. Move the start onto the $x$ axis ($y_0 = 0$). Which optimizers still need more than a few
#    steps, and why?

# %%
gd.widgets.explore_optimizers(ravine, optimizers=("gd", "momentum", "nesterov", "adam"), lr=0.01, epochs=100,
                              x0=ravine_start)

# %% [markdown]
# ## Summary
#
# - Six update rules: gradient descent ($x \leftarrow x - \eta g$); momentum (a velocity
#   $v \leftarrow \beta v + \eta g$, then $x \leftarrow x - v$); Nesterov (the same with the gradient
#   at the look-ahead point $x - \beta v$); AdaGrad (divide by the root of the *sum* of squared
#   gradients); RMSprop (by the root of their *moving average*); Adam (a moving average of gradients
#   divided by the root of one of their squares, both bias-corrected).
# - On an ill-conditioned ravine plain descent must keep $\eta$ below $2/f''_{\max}$ and zig-zags;
#   momentum keeps what the steps agree on and cancels what they do not, and glides.
# - A fair comparison tunes each optimizer's rate (here by one vectorised sweep each) and fixes the
#   start and the budget. The winner then still changes with the landscape: adaptive methods win when
#   the hard directions are the coordinate axes, AdaGrad stalls when an early steep slope fills its
#   sum, RMSprop recovers because it forgets (and can then leap about). Look at the curves before you
#   trust a table: a rule like "lowest final loss" can reward a lucky last step.
# - Looking at the state explains the behaviour: velocities that cancel, effective rates that can only
#   shrink, moments whose ratio is the step.
# - Adaptive methods leave a saddle in about the same number of steps however close to it they start;
#   raw-gradient methods pay for every factor of closeness. Adam is a robust default rather than a
#   universal winner.
#
# ## Exercises
#
# **1. Tilt the ravine.** Rotate the ravine by 45° so that its steep and gentle directions are the
# diagonals: $r(x, y) = ((x + y)^2 + 100(x - y)^2)/4$. Tune AdaGrad and momentum on it as in section 4
# (same start, 200 epochs, the same 30 rates) and compare their final gaps $f - f^*$. **Predict:** does
# AdaGrad still win? Put the name of the winner in `my_winner` and run the check.

# %%
my_winner = None  # "AdaGrad" or "Momentum"

tilted = gd.Objective("((x + y)**2 + 100*(x - y)**2) / 4", name="tilted ravine", bounds=[(-6, 6), (-3, 3)],
                      minima=[((0.0, 0.0), 0.0)])
if my_winner is not None:
    final = {n: gd.sweep(tilted, ravine_start, lr=rates, epochs=EPOCHS, optimizer=n.lower())
             for n in ("AdaGrad", "Momentum")}
    best_gap = {n: np.where(s.diverged, np.inf, s.f).min() for n, s in final.items()}
    print(best_gap, "correct!" if my_winner == min(best_gap, key=best_gap.get) else "not quite: look at the gaps")

# %% [markdown]
# <details><summary>Solution</summary>
#
# Momentum wins: `my_winner = "Momentum"`. Tuned, it ends about as close as on the original ravine
# (rotating a quadratic does not change its curvatures, and momentum does not care about axes). AdaGrad
# loses its magic: each coordinate now mixes the steep and the gentle direction, so a per-coordinate
# rate cannot separate them: its final gap, about $10^{-2}$, is worse than even plain descent's, and
# hundreds of orders of magnitude worse than on the upright ravine. Adaptive methods help most when
# the badly scaled directions line up with the parameters.
# </details>
#
# **2. Momentum without memory.** With $\beta = 0$ the momentum rule becomes $v = \eta g$,
# $x \leftarrow x - v$. Check that `gd.optimizers.Momentum(0.0)` then takes exactly the steps of plain
# descent on Rosenbrock from $(-1.2, 1)$. Set `my_check` to the largest difference between the two
# paths that you measured.

# %%
my_check = None  # e.g. np.abs(run_a.x - run_b.x).max()

if my_check is not None:
    print("correct!" if my_check == 0 else "not quite: the two rules should agree to the last bit")

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# run_a = gd.descend(banana, [-1.2, 1.0], lr=1e-3, epochs=200, optimizer=gd.optimizers.Momentum(0.0))
# run_b = gd.descend(banana, [-1.2, 1.0], lr=1e-3, epochs=200, optimizer="gd")
# my_check = np.abs(run_a.x - run_b.x).max()   # 0.0
# ```
#
# With $\beta = 0$, $v_{t+1} = 0 \cdot v_t + \eta g_t = \eta g_t$, which is the gradient step itself.
# </details>
#
# **3. Adam's rate is a step length.** Section 2 showed that Adam's first step has length $\eta$ in
# every coordinate. On the saddle from $(-1.5, 10^{-3})$ with $\eta = 0.1$, about how many steps should
# Adam need to move $y$ from $10^{-3}$ to 1 if every step kept that length? Compare with the table of
# section 7 and put your estimate in `my_steps`.

# %%
my_steps = None  # your estimate, e.g. 25

if my_steps is not None:
    close = abs(my_steps - away["Adam"][1]) <= 2
    print(f"measured: {away['Adam'][1]} steps;", "close enough!" if close else "not quite")

# %% [markdown]
# <details><summary>Solution</summary>
#
# One full step of 0.1 per epoch covers the distance of about 1 in 10 steps, so `my_steps = 10`. The
# table says 11: the first step has length exactly $\eta$, and later ones stay close to it as long as
# the $y$ gradient keeps its sign and keeps growing, which it does on the saddle.
# </details>
#
# **Next:** [07 · Batch, stochastic and mini-batch descent](07_batch_stochastic_minibatch.ipynb)
# fits a model to data, where every gradient is an average over examples and we can choose how many
# examples to use per step. That choice brings noise into the gradient, and with it new reasons to
# reach for momentum and Adam.
