# %% [markdown]
# # 06 · The optimizer zoo
#
# **What you will be able to do after this notebook**
#
# - write the six classic update rules (gradient descent, momentum, Nesterov, AdaGrad, RMSprop
#   and Adam) and four more (NAdam, Lion, AdamW and Newton's method) as formulas and as a few lines
#   of numpy, and say what each one remembers between steps;
# - explain why plain descent zig-zags down a narrow ravine while momentum glides along it, and
#   predict momentum's speed from the eigenvalues of a 2x2 matrix;
# - run a **fair** race: many starts at once, every optimizer's rate tuned by the criterion it is
#   ranked by, results reported on held-out starts with their spread, ties called ties;
# - look inside an optimizer while it runs (its velocity, its averages of squared gradients,
#   Adam's two moments) and use that to explain a win, a failure or a noise floor;
# - say which optimizers escape a saddle point, and why some escape at the same speed however close
#   to the saddle they start; and what noisy gradients do to all of them.
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
# ## 2. The update rules, written out once
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
# **A note on conventions.** gdviz stores the velocity with the rate inside it, $v \leftarrow \beta v + \eta g$,
# as Distill's "Why momentum really works" and many textbooks do. PyTorch and d2l store it without
# the rate, $u \leftarrow \beta u + g$, $x \leftarrow x - \eta u$. At a constant rate the two are the same
# iteration ($v = \eta u$). Under a learning-rate schedule they differ: in gdviz's form a rate change
# acts only on new gradients, while PyTorch's form rescales the whole remembered velocity at once.
# Keep that in mind when you combine momentum with the schedules of notebook 04.

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
# ### Four more: NAdam, Lion, AdamW and Newton
#
# Three newer relatives of Adam and one much older method complete the zoo.
#
# **NAdam** (Dozat 2016) folds Nesterov's look-ahead into Adam: instead of stepping along this step's
# $\hat m$, it steps along the next step's as far as it is known now, the old average's share plus
# the new gradient at full weight:
#
# $$\bar m = \frac{\beta_1 m_{t+1}}{1 - \beta_1^{\,t+2}} + \frac{(1-\beta_1)\, g_t}{1 - \beta_1^{\,t+1}}, \qquad
# x_{t+1} = x_t - \frac{\eta\, \bar m}{\sqrt{\hat v} + \epsilon}$$
#
# with $m$, $v$ and $\hat v$ as in Adam.

# %%
def nadam_step(grad, x, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    t, m, v = state
    g = grad(x)
    t, m, v = t + 1, beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g**2
    m_bar = beta1 * m / (1 - beta1 ** (t + 1)) + (1 - beta1) * g / (1 - beta1**t)
    return x - lr * m_bar / (np.sqrt(v / (1 - beta2**t)) + eps), (t, m, v)


hand = by_hand(nadam_step, (0, 0.0, 0.0), start, lr=0.01, epochs=100)
assert np.allclose(hand, gd.descend(banana, start, lr=0.01, epochs=100, optimizer=gd.optimizers.NAdam()).x)

# %% [markdown]
# **Lion** (Chen et al. 2023, found by a program search) keeps one momentum $m$ and steps along the
# *sign* of an interpolation between it and the new gradient, so every coordinate moves by exactly
# $\eta$ per step:
#
# $$c = \beta_1 m_t + (1-\beta_1)\, g_t, \qquad x_{t+1} = x_t - \eta\, \operatorname{sign}(c), \qquad
# m_{t+1} = \beta_2 m_t + (1-\beta_2)\, g_t$$
#
# with $\beta_1 = 0.9$, $\beta_2 = 0.99$ (and an optional weight decay, left at 0 here).

# %%
def lion_step(grad, x, m, lr, beta1=0.9, beta2=0.99):
    g = grad(x)
    return x - lr * np.sign(beta1 * m + (1 - beta1) * g), beta2 * m + (1 - beta2) * g


hand = by_hand(lion_step, 0.0, start, lr=0.01, epochs=100)
assert np.allclose(hand, gd.descend(banana, start, lr=0.01, epochs=100, optimizer=gd.optimizers.Lion()).x)

# %% [markdown]
# **AdamW** (Loshchilov & Hutter 2019) is Adam plus *decoupled* weight decay: before the Adam step,
# every coordinate is shrunk towards zero by the factor $1 - \eta \lambda$ (scaled by the rate, as in
# PyTorch; $\lambda = 0.01$ by default):
#
# $$x \leftarrow x - \eta \lambda\, x, \qquad \text{then the Adam step with } g_t = \nabla f(x_t).$$
#
# The decay never enters $m$ or $v$. Adding $\lambda x$ to the gradient instead (plain L2
# regularisation) would send it through $\sqrt{\hat v}$, so coordinates with large gradients would
# barely be decayed. You will write AdamW yourself in Exercise 2.
#
# **Newton's method** is the curvature-aware reference. It steps to the minimum of the local
# quadratic model, $x_{t+1} = x_t - \eta\, H^{-1} \nabla f(x_t)$ with the Hessian $H$. In one dimension
# that is gradient descent at the rate $\eta / f''(x)$: at $\eta = 1$ it is notebook 01's one-step rate
# $1/f''$. On a quadratic it lands in one step, whatever the conditioning. It needs second derivatives
# (a $d \times d$ matrix and a linear solve per step, hopeless for a network with millions of weights),
# and it heads for the nearest point where the model's gradient vanishes, which can be a maximum or a
# saddle. `gd.optimizers.Newton(f)` takes the objective, because it needs its Hessian.

# %%
quad = gd.Objective("3*x**2 - 3*x + 4")  # notebook 01: f'' = 6, minimum at 1/2
newton_1d = gd.descend(quad, -1.0, lr=1.0, epochs=3, optimizer=gd.optimizers.Newton(quad))
gd_one_step = gd.descend(quad, -1.0, lr=1 / 6, epochs=3)
assert np.allclose(newton_1d.x, gd_one_step.x) and newton_1d.x[1] == 0.5
newton_ravine = gd.descend(F.ravine, [-5.0, 2.0], lr=1.0, epochs=1, optimizer=gd.optimizers.Newton(F.ravine))
assert np.allclose(newton_ravine.x[1], 0.0)  # one step to the bottom of the ravine
print(f"Newton on 3x^2 - 3x + 4 from -1: {newton_1d.x.tolist()} (GD at lr = 1/6: {gd_one_step.x.tolist()})")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# All six classic rules, NAdam and Lion agree with gdviz step for step. One consequence of the formulas is worth checking now,
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
# A drawn path hides the timing. The animation replays the race: the runs start together, and each
# frame advances them by the same number of steps (every third step). Press play and **watch** which
# run leads after the first few frames, and how the gap opens later. (Where no JavaScript runs, on
# GitHub for instance, the animation does not show; the figure above is its last frame.)

# %%
from IPython.display import HTML

fig, ax = plt.subplots(figsize=(7.5, 4.2), dpi=80)
anim = gd.plotting.animate(first_race, ax=ax, max_frames=30, interval=200)
HTML(gd.plotting.to_html(anim))

# %% [markdown]
# For the first few frames all three are close together, plain descent bouncing from wall to wall.
# Then momentum and Nesterov build up speed along the floor and pull away, while plain descent is
# still short of the minimum when the budget ends.
#
# And the edge itself: a sweep of 30 rates from 0.01 to 0.03, 500 epochs each. Above $2/100 = 0.02$
# the steep direction's factor $|1 - 100\,\eta|$ exceeds 1, so the distance across the ravine grows
# every step; within 500 steps such a run ends **above its start**, and the fastest ones even leave
# the box $|x| \le 10^{12}$, where gdviz flags them as **diverged**. We call both *failed*: a run
# that ends above its start is on its way out. Below 0.02 every run converges. Momentum can go further,
# up to $2(1 + \beta)/100 = 0.038$, because its velocity damps the bouncing: none of these rates
# troubles it.

# %%
edge_rates = np.linspace(0.01, 0.03, 30)
gd_edge = gd.sweep(ravine, ravine_start, lr=edge_rates, epochs=500)
mom_edge = gd.sweep(ravine, ravine_start, lr=edge_rates, epochs=500, optimizer="momentum")


def failed(result, start_f):
    """Diverged (flagged by gdviz) or ended above the start: the two ways a run fails."""
    return result.diverged | (result.f > start_f)


worse = failed(gd_edge, ravine(np.array(ravine_start)))
assert np.array_equal(worse, edge_rates > 0.02) and np.all(gd_edge.f[~worse] < 1e-3)
assert gd_edge.diverged.any() and not gd_edge.diverged.all()  # some already flagged, all failed
assert np.all(mom_edge.f < 1e-10)
beyond = gd.sweep(ravine, ravine_start, lr=[0.037, 0.039], epochs=2000, optimizer="momentum")
assert beyond.f[0] < 1e-10 and failed(beyond, ravine(np.array(ravine_start)))[1]  # momentum's own edge: 0.038
# NBVAL_CHECK_OUTPUT
print(f"GD fails from lr = {edge_rates[worse].min():.4f} on ({int(gd_edge.diverged.sum())} of "
      f"{int(worse.sum())} failed runs already flagged as diverged); momentum converges at all 30 rates")

# %% [markdown]
# ## 4. A fair race
#
# The first race was not fair: each optimizer got a rate we picked by hand, from one start.
# Optimizers use their learning rate differently (for plain descent the step is $\eta g$, for Adam it
# is about $\eta$ whatever $g$ is), so one shared rate favours some of them; and one start is an
# anecdote. A fair race follows five rules:
#
# 1. **Many starts.** Every optimizer runs from the same 25 random starts per landscape, all at once
#    in one vectorised `gd.sweep` call per optimizer and landscape.
# 2. **One criterion, for tuning and for ranking:** the **median** over the starts of the final gap
#    $f - f^*$ after a fixed budget, on a log scale. A run that diverged counts as an infinite gap.
# 3. **Gaps floored at machine precision.** A gap below $\epsilon_{\text{mach}} \max(1, |f^*|)$ (about
#    $2 \times 10^{-16}$ for $f^* = 0$) is rounding noise, not progress: every such gap counts as the floor.
# 4. **Ties are ties.** Medians are compared to a tenth of a decade (gaps within about 25% of each
#    other): finer differences over 25 starts are noise, down to the last bit of the arithmetic. When
#    several rates reach the same median (usually the floor), the *smallest* of them is chosen; when
#    several optimizers reach the same median, they share a place.
# 5. **Held-out starts.** The rate is tuned on one set of 25 starts; the table reports 25 *other*
#    starts, so that a rate that only suits the tuning set is found out.
#
# Each optimizer tries 31 rates spaced evenly on a log scale from $10^{-4}$ to $10$. The starts are
# drawn uniformly from the whole window on the ravine and on Rosenbrock's banana (whose held-out set
# begins with the classic start $(-1.2, 1)$), and from the global minimum's valley on peaks and
# sin-gauss, where a start in another valley would measure luck, not the optimizer. The budget is
# 200 epochs, 1000 on the banana.

# %%
OPTIMIZERS = {"GD": gd.optimizers.GD(), "Momentum": gd.optimizers.Momentum(0.9),
              "Nesterov": gd.optimizers.Nesterov(0.9), "AdaGrad": gd.optimizers.AdaGrad(),
              "RMSprop": gd.optimizers.RMSprop(0.9), "Adam": gd.optimizers.Adam(), "AdamW": gd.optimizers.AdamW(),
              "NAdam": gd.optimizers.NAdam(), "Lion": gd.optimizers.Lion()}
# landscape: (objective, low corner and high corner of the box the starts are drawn from, epochs)
COURSE = {"ravine": (ravine, [-6, -3], [6, 3], 200), "Rosenbrock": (banana, [-2, -1], [2, 3], 1000),
          "peaks": (F.peaks, [-1, -2.8], [1, -0.8], 200), "sin-gauss": (F.sin_gauss, [-4.0], [1.0], 200)}
rng = np.random.default_rng(2024)
STARTS = {}
for land, (f, low, high, _) in COURSE.items():
    tune_set, test_set = rng.uniform(low, high, (2, 25, len(low)))
    STARTS[land] = (tune_set, test_set) if f.dim > 1 else (tune_set[:, 0], test_set[:, 0])
STARTS["Rosenbrock"][1][0] = start  # the classic (-1.2, 1) is the first held-out start
rates = np.geomspace(1e-4, 10, 31)


def gaps(result):
    """Final gaps f - f*, floored at machine precision; inf for a run that diverged."""
    best = result.objective.global_minimum.f
    floor = np.finfo(float).eps * max(1.0, abs(best))
    return np.where(result.diverged, np.inf, np.maximum(result.f - best, floor))


def criterion(result):
    """The median over the starts (axis 0) of log10 of the floored gap, to a tenth of a decade: lower is better."""
    return np.round(np.median(np.log10(gaps(result)), axis=0), 1)


def tuned_rate(result):
    """The rate with the best criterion; among tied rates, the smallest."""
    score = criterion(result)
    return float(result.lr[np.flatnonzero(score == score.min())[0]])

# %% [markdown]
# Tuning: one sweep of the 25 tuning starts by the 31 rates per optimizer and landscape. Then one
# more call per pair runs the tuned rate from the 25 held-out starts. Newton's method joins the
# held-out race as a reference at its natural rate $\eta = 1$; it is not tuned.

# %%
tuning = {(land, name): gd.sweep(f, STARTS[land][0], lr=rates, epochs=epochs, optimizer=opt)
          for land, (f, _, _, epochs) in COURSE.items() for name, opt in OPTIMIZERS.items()}
tuned = {key: tuned_rate(result) for key, result in tuning.items()}
held_out = {(land, name): gd.sweep(COURSE[land][0], STARTS[land][1], lr=tuned[land, name], epochs=COURSE[land][3],
                                   optimizer=OPTIMIZERS[name]) for land, name in tuning}
for land, (f, _, _, epochs) in COURSE.items():
    tuned[land, "Newton"] = 1.0
    held_out[land, "Newton"] = gd.sweep(f, STARTS[land][1], lr=1.0, epochs=epochs, optimizer=gd.optimizers.Newton(f))
NAMES = [*OPTIMIZERS, "Newton"]

# %% [markdown]
# Here is what the tuning saw on Rosenbrock's banana: one panel per optimizer, the median final gap
# over the 25 tuning starts against the rate (both on log axes), with the band from the 25th to the
# 75th percentile of the starts. The dashed line marks the tuned rate, the dot the median on the
# held-out starts at that rate. An X on the top edge marks a rate at which the median run diverged;
# the grey band at the bottom is machine precision, where every gap is floored. **Before you
# look**, guess: which optimizers fail at the high rates, and which can take any rate in the grid?

# %%
def quantiles(result, q):
    """Percentile q of log10 gap over the starts (a start's own value, no interpolation)."""
    return np.quantile(np.log10(gaps(result)), q, axis=0, method="nearest")


def tuning_figure(land):
    fig, axes = plt.subplots(3, 3, figsize=(13, 8), sharex=True, sharey=True, layout="constrained")
    floor = np.log10(np.finfo(float).eps * max(1.0, abs(COURSE[land][0].global_minimum.f)))
    top = 4.0
    for ax, name in zip(axes.flat, OPTIMIZERS):
        result, color = tuning[land, name], gd.plotting.color_of(name)
        median, low, high = criterion(result), quantiles(result, 0.25), quantiles(result, 0.75)
        shown = np.isfinite(median)
        ax.fill_between(rates, 10.0 ** np.minimum(low, top), 10.0 ** np.minimum(high, top), color=color, alpha=0.25,
                        lw=0, label="25-75% of the starts")
        ax.plot(rates[shown], 10.0 ** median[shown], "-", color=color, lw=2, label="median (tuning starts)")
        ax.plot(rates[~shown], np.full((~shown).sum(), 10.0**top), "x", color=gd.plotting.DIVERGED_COLOR, ms=7,
                label="median run diverged")
        ax.axvline(tuned[land, name], color=gd.plotting.NEUTRAL, ls="--", lw=1.2)
        ax.plot(tuned[land, name], 10.0 ** criterion(held_out[land, name]), "o", color="black", ms=6,
                label="median, held-out starts")
        ax.axhspan(10.0 ** (floor - 1), 10.0**floor, color=gd.plotting.NEUTRAL, alpha=0.35, lw=0,
                   label="machine precision (floor)")
        ax.set(xscale="log", yscale="log", ylim=(10.0 ** (floor - 1), 10.0 ** (top + 0.5)))
        ax.set_title(f"{name}: tuned lr = {tuned[land, name]:.3g}")
    for ax in axes[-1]:
        ax.set_xlabel("learning rate")
    for ax in axes[:, 0]:
        ax.set_ylabel("final f - f*")
    axes[0, 0].legend(loc="lower left", fontsize=8)
    return fig


tuning_figure("Rosenbrock")
plt.show()

# %% [markdown]
# Now the table: for each landscape, every optimizer's tuned rate and, on the **held-out** starts, the
# median final gap (as $\log_{10}$) with the 25th and 75th percentiles, and how many of the 25 runs
# diverged. Places follow the median; optimizers with the same median share a place, marked "=".
# (Momentum has no dot in the figure above: more than half of its held-out runs diverged, so its
# held-out median is infinite.)

# %%
def places(land):
    """Place of every optimizer on one landscape: 1 + the number with a strictly better median."""
    medians = {name: criterion(held_out[land, name]) for name in NAMES}
    return {name: 1 + sum(m < medians[name] for m in medians.values()) for name in NAMES}, medians


def gap_text(value):
    return "inf" if np.isinf(value) else f"{value:.1f}"


# NBVAL_CHECK_OUTPUT
for land in COURSE:
    place, medians = places(land)
    print(f"{land}: log10 of the final gap f - f* on 25 held-out starts")
    print(f"  {'place':>5s} {'optimizer':9s} {'tuned lr':>9s} {'median':>7s} {'25%':>6s} {'75%':>6s} {'diverged':>8s}")
    for name in sorted(NAMES, key=lambda n: (place[n], NAMES.index(n))):
        r = held_out[land, name]
        tie = "=" if list(place.values()).count(place[name]) > 1 else " "
        print(f"  {place[name]:>4d}{tie} {name:9s} {tuned[land, name]:>9.3g} {gap_text(medians[name]):>7s} "
              f"{gap_text(quantiles(r, 0.25)):>6s} {gap_text(quantiles(r, 0.75)):>6s} {int(r.diverged.sum()):>8d}")

# %% [markdown]
# Read it landscape by landscape.
#
# - **Ravine.** AdaGrad, NAdam and Newton tie for first place at machine precision: AdaGrad's
#   per-coordinate rates undo the ravine's scaling exactly, because its steep and gentle directions
#   are the $x$ and $y$ axes (what a tilted ravine does to it is Exercise 1), and Newton lands
#   in one step. AdamW comes close, but for a reason that does not carry over: its weight decay pulls
#   every coordinate towards zero, which happens to be where the ravine's minimum is; its tuned rate,
#   10, sits at the top edge of the grid, so a larger one might do better still. Nesterov beats
#   momentum, and both leave plain descent far behind.
# - **Rosenbrock.** Newton, the reference with the exact Hessian, reaches machine precision from every
#   start. Among the first-order methods **Adam wins** clearly, with a median gap around $10^{-7.5}$;
#   RMSprop, AdaGrad and plain descent are near the back. The last place is the lesson of the day:
#   **momentum's** tuned rate worked on most tuning starts (median $10^{-6.2}$), but it sits right at
#   the edge of stability, and on the held-out starts 15 of 25 runs diverge. Nesterov and plain
#   descent lose 9 and 7 runs the same way. Without held-out starts we would not have seen it.
# - **Peaks** and **sin-gauss** are friendly valleys: plain descent, AdaGrad and NAdam reach machine
#   precision on both (a tie; Nesterov joins them on sin-gauss and nearly on peaks), while the methods that cannot settle at a constant rate
#   (RMSprop and Lion, section 6) stay far above it. Newton is worst: where the Hessian is not
#   positive definite it heads for a saddle or a maximum, or wanders off onto the flat plain of
#   peaks, where the gradient and the curvature both vanish.
#
# What we did **not** tune: $\beta$ of momentum and Nesterov (0.9), $\rho$ of RMSprop (0.9), Adam's
# $\beta_1, \beta_2, \epsilon$, AdamW's decay and Lion's betas all kept their defaults, and the budget
# is fixed. Choi et al. (2019) show that rankings of optimizers can flip once those are tuned too, so
# read the table as "at their default settings, with a tuned rate", not as a verdict on the methods.

# %%
place = {land: places(land)[0] for land in COURSE}
medians = {land: places(land)[1] for land in COURSE}
first_order = [n for n in NAMES if n != "Newton"]
assert {n for n in NAMES if place["ravine"][n] == 1} == {"AdaGrad", "NAdam", "Newton"}
assert tuned["ravine", "AdamW"] == rates[-1]  # at the edge of the grid
assert min(first_order, key=lambda n: medians["Rosenbrock"][n]) == "Adam" and place["Rosenbrock"]["Newton"] == 1
assert place["Rosenbrock"]["Momentum"] == len(NAMES) and int(held_out["Rosenbrock", "Momentum"].diverged.sum()) > 12
assert criterion(tuning["Rosenbrock", "Momentum"]).min() < -6  # it looked fine on the tuning starts
assert all(place["Rosenbrock"][n] >= 6 for n in ("RMSprop", "AdaGrad", "GD"))
for land in ("peaks", "sin-gauss"):
    assert {"GD", "AdaGrad", "NAdam"} <= {n for n in NAMES if place[land][n] == 1}
    assert place[land]["Newton"] == len(NAMES) and min(place[land]["RMSprop"], place[land]["Lion"]) >= 7
assert all(medians["ravine"][n] < medians["ravine"]["GD"] - 5 for n in ("Momentum", "Nesterov"))
adaptive = ["AdaGrad", "RMSprop", "Adam", "AdamW", "NAdam", "Lion"]
assert not any(tuning[land, n].diverged.any() for land in COURSE for n in adaptive)  # at any of the 31 rates

# %% [markdown]
# ## 5. The race from the classic start
#
# Medians hide *how* each optimizer got where it did. Here are the tuned runs from Rosenbrock's
# classic start $(-1.2, 1)$ (the first held-out start), one panel per optimizer. The contour levels
# are spaced evenly in $\log_{10} f$, so that the curved valley floor, where $f$ is below $10^{-2}$,
# shows as bands of its own instead of one dark blur. **Look for** who follows the curved floor, who
# stalls on it, and who jumps about.

# %%
def log_grid(objective, floor=1e-3):
    """The landscape sampled on its window, as log10(f - f* + floor): evenly spaced levels of it are log-spaced in f."""
    X, Y, Z = gd.plotting.landscape_grid(objective)
    return gd.plotting.Grid(X, Y, np.log10(Z - objective.global_minimum.f + floor))


def small_multiples(objective, x0, land, epochs):
    """One panel per optimizer: its tuned run from x0 on log-spaced contours."""
    grid = log_grid(objective)
    fig, axes = plt.subplots(2, 5, figsize=(16, 6.6), sharex=True, sharey=True, layout="constrained")
    race = {}
    for ax, name in zip(axes.flat, NAMES):
        opt = gd.optimizers.Newton(objective) if name == "Newton" else OPTIMIZERS[name]
        race[name] = gd.descend(objective, x0, lr=tuned[land, name], epochs=epochs, optimizer=opt)
        gd.plotting.plot_landscape(objective, ax=ax, grid=grid, levels=25, colorbar=False)
        gd.plotting.mark_extrema(objective, ax=ax, maxima=False)
        gd.plotting.plot_paths(race[name], ax=ax, colors=["white"], legend=False, markersize=2)
        ax.set_title(f"{name} (lr {tuned[land, name]:.3g})", color=gd.plotting.color_of(name), fontweight="bold")
    return race


classic = small_multiples(banana, start, "Rosenbrock", COURSE["Rosenbrock"][3])
plt.show()

# %% [markdown]
# Newton leaves the window in its first step, comes straight back and lands on $(1, 1)$ within a few
# steps. Momentum swings across the floor at first and then follows it all the way; Nesterov, NAdam
# and AdamW get most of the way; plain descent and RMSprop stall partway along the floor; Lion gets to
# the end but, moving $\eta$ in every coordinate at every step, hops about the minimum; and AdaGrad and
# Adam, at their large tuned rates, leap across the landscape. From this one start the
# order is not the table's order: Adam, the first-order winner of the medians, ends *last* here. One
# start is an anecdote.
#
# The loss curves tell the same story in time. Gaps are drawn down to machine precision and no
# further: below the grey band a gap is rounding noise, so a run that reaches it is drawn *on* the
# band (a curve that dropped to an exact 0 would otherwise vanish from a log axis).

# %%
def loss_curves(race, ax, title):
    best = next(iter(race.values())).objective.global_minimum.f
    floor = np.finfo(float).eps * max(1.0, abs(best))
    for name, run in race.items():
        ax.plot(np.maximum(run.f - best, floor), color=gd.plotting.color_of(name), lw=1.6, label=name)
    ax.axhspan(floor / 10, floor, color=gd.plotting.NEUTRAL, alpha=0.35, lw=0, label="machine precision")
    ax.set(yscale="log", ylim=(floor / 10, None), xlabel="epoch", ylabel="f - f*", title=title)


fig, ax = plt.subplots(figsize=(11, 4.2), layout="constrained")
loss_curves(classic, ax, "Rosenbrock from (-1.2, 1), tuned rates")
ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=9)
plt.show()

# %%
final_classic = {name: max(run.final_f, np.finfo(float).eps) for name, run in classic.items()}
assert final_classic["Newton"] <= np.finfo(float).eps and classic["Newton"].steps_to(1e-12) < 20
assert sum(final_classic[n] < final_classic["Adam"] for n in first_order) >= 3  # one start is an anecdote
# NBVAL_CHECK_OUTPUT
ranked = sorted(final_classic.items(), key=lambda kv: kv[1])
print("from (-1.2, 1):", ", ".join(f"{n} {np.log10(v):.1f}" for n, v in ranked))

# %% [markdown]
# The loss curves explain Adam's place. At its tuned rate $\eta = 1$ it gets down to about $10^{-6}$ after some 500 epochs,
# is thrown out of the valley, comes back, and is thrown out again: the spikes. Where a run *ends*
# then depends on where in that cycle the budget runs out. That is what the wide spread of Adam's row
# in the table says (25-75%: from $10^{-8.5}$ to $10^{-1.7}$), and why the median of many starts, not
# one run, decides the place. NAdam shows the same spikes at a smaller rate. Momentum, smooth from
# the classic start, diverged from 15 of the 25 held-out starts at the very same rate.
#
# A fair race is a *distribution*: read the spread, not only the winner.

# %%
adam_classic = classic["Adam"].f
assert adam_classic.min() < 1e-5 and adam_classic[-1] > 1e-2 and (np.diff(adam_classic) > 1).sum() >= 3
assert quantiles(held_out["Rosenbrock", "Adam"], 0.75) - quantiles(held_out["Rosenbrock", "Adam"], 0.25) > 5


# %% [markdown]
# The same view on peaks, from its first held-out start, in the global minimum's valley. **Predict**
# which of the ten will *not* end in that valley.

# %%
peaks_start = STARTS["peaks"][1][0]
peaks_race = small_multiples(F.peaks, peaks_start, "peaks", COURSE["peaks"][3])
plt.show()

# %% [markdown]
# Every first-order method ends at the global minimum; they differ only in how directly they get
# there (Adam and AdamW circle in, Lion hops about the bottom). Newton's method goes the other way and
# walks off the window: at this start the Hessian has a negative eigenvalue, so the minimum of its
# quadratic model is not downhill, and once out on the flat plain of peaks, where the gradient and the
# curvature both fade, it never comes back.

# %%
best_peaks = F.peaks.global_minimum
arrived = [n for n, r in peaks_race.items() if np.linalg.norm(r.final - np.array(best_peaks.x)) < 0.02]
assert arrived == first_order and abs(peaks_race["Newton"].final_f) < 1e-6
assert np.linalg.eigvalsh(F.peaks.hessian(peaks_start)).min() < 0  # not positive definite at the start
print(f"Newton from ({peaks_start[0]:.2f}, {peaks_start[1]:.2f}) ends at {np.round(peaks_race['Newton'].final, 1)}, "
      f"f = {peaks_race['Newton'].final_f:.1e}")  # NBVAL_CHECK_OUTPUT


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
# ### AdaGrad's rates only shrink, RMSprop's never settle
#
# AdaGrad's step in each coordinate is $\eta / \sqrt{G}$ times the gradient, and $G$ is a *sum*. On
# Rosenbrock the run starts on a steep slope, with gradients in the hundreds; their squares go into
# $G$ and never leave. **Predict** what that does to the effective rate $\eta/\sqrt{G + \epsilon}$
# once the run reaches the flat floor. The figure plots that rate for AdaGrad and, beside it, for
# RMSprop (with $E$ in place of $G$), both at $\eta = 0.01$ from the classic start, for 1000 epochs.

# %%
ada = gd.descend(banana, start, lr=0.01, epochs=1000, optimizer="adagrad", keep_state=True)
rms = gd.descend(banana, start, lr=0.01, epochs=1000, optimizer=OPTIMIZERS["RMSprop"], keep_state=True)


def ada_effective(run):
    return 0.01 / np.sqrt(run.state.G + 1e-8)


def rms_effective(run):
    return 0.01 / np.sqrt(run.state.E + 1e-8)


ada_rate, rms_rate = ada_effective(ada)[1:], rms_effective(rms)[1:]  # row 0 is the empty initial state
fig, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
gd.plotting.plot_state(ada, quantity=ada_effective, ax=ax, label="AdaGrad", color=gd.plotting.color_of("adagrad"),
                       scale="log", first=1)
gd.plotting.plot_state(rms, quantity=rms_effective, ax=ax, label="RMSprop", color=gd.plotting.color_of("rmsprop"),
                       scale="log", first=1, ylabel="effective rate lr / sqrt(G or E)")
ax.set_title("Rosenbrock from (-1.2, 1), lr = 0.01")
plt.show()

# %% [markdown]
# AdaGrad's effective rates (one line per coordinate) fall within the first steps to a few times
# $10^{-5}$ and stay there: they can never rise again, so on the flat floor, where the gradients are
# small, its steps are tiny and the run stalls far from the minimum. That is why its tuned rate in the
# race was so large, and why that large rate made it leap about early on. RMSprop's rates start just as
# low, because it saw the same steep slope, but its average forgets: they climb by more than an order
# of magnitude, and the run keeps moving.

# %%
assert np.all(np.diff(ada.state.G, axis=0) >= 0)  # G never decreases, so AdaGrad's rates never grow
assert np.all(ada_rate[-1] < 5e-5) and ada.final_f > 1 and rms.final_f < 0.1
climb = rms_rate[-1] / rms_rate.min(axis=0)
assert np.all(climb > 10)
# NBVAL_CHECK_OUTPUT
print(f"after 1000 epochs at lr = 0.01: AdaGrad f = {ada.final_f:.2f} (rates {ada_rate[-1].round(6)}), "
      f"RMSprop f = {rms.final_f:.3f} (rates back up {climb.min():.0f}x and {climb.max():.0f}x)")

# %% [markdown]
# Forgetting has a price. RMSprop divides the gradient by the root of its *recent* size, so its step
# $\eta\, g / \sqrt{E}$ stays about $\eta$ long however small $g$ becomes: at a constant rate it
# **never settles**. Near the minimum it hops across it, and its loss stops falling at a floor set by
# the rate. Two facts make this exact:
#
# - its very first step is $\eta / \sqrt{1 - \rho}$ long in every coordinate ($E_1 = (1-\rho)\, g_0^2$),
#   about $3.16\,\eta$ for $\rho = 0.9$;
# - on the ravine it ends in a 2-cycle that jumps between $\pm \eta/2$ in each coordinate (a step of
#   length $\eta$ across the minimum, with $E = g^2$), where the loss is
#   $\tfrac12 (1 + 100)(\eta/2)^2 = 12.625\,\eta^2$.
#
# This is the same story as stochastic gradient descent at a constant rate in notebook 07: a step
# that does not shrink leaves a floor that only a smaller (or decaying) rate lowers.

# %%
floors = {}
for lr in (0.01, 0.1):
    hop = gd.descend(ravine, ravine_start, lr=lr, epochs=2000, optimizer="rmsprop")
    assert np.allclose(np.abs(hop.x[1] - hop.x[0]), lr / np.sqrt(1 - 0.9))  # the first step
    floors[lr] = hop.f[-100:]
    assert np.allclose(floors[lr], 101 / 8 * lr**2, rtol=1e-3)  # the 2-cycle's loss, from the formula
    print(f"RMSprop at lr = {lr}: loss over the last 100 epochs {floors[lr].min():.5g} .. {floors[lr].max():.5g}; "
          f"12.625 lr^2 = {101 / 8 * lr**2:.5g}")  # NBVAL_CHECK_OUTPUT

# ### Adam's two moments
#
# Adam keeps both kinds of memory. In its tuned ravine run, plot the bias-corrected first moment
# $\hat m$ (the smoothed gradient) and the root of the second, $\sqrt{\hat v}$ (the typical gradient
# size) for the steep coordinate $y$. Their ratio is the direction Adam steps in, times $\eta$.

# %%
adam_run = gd.descend(ravine, ravine_start, lr=tuned["ravine", "Adam"], epochs=200, optimizer="adam",
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
CLASSIC = ["GD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam"]  # the newer ones: in the table below
escape = {name: gd.descend(saddle, [-1.5, 1e-3], lr=0.1, epochs=40, optimizer=OPTIMIZERS[name]) for name in CLASSIC}
fig, ax = plt.subplots(figsize=(8.5, 5), layout="constrained")
gd.plotting.plot_landscape(saddle, ax=ax, colorbar=False)
gd.plotting.mark_extrema(saddle, ax=ax)
gd.plotting.plot_paths(escape, ax=ax, legend=False)
ax.legend(*ax.get_legend_handles_labels(), loc="center left", bbox_to_anchor=(1.02, 0.5))
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
raw = ["GD", "Momentum", "Nesterov"]  # the methods that step along the raw gradient
assert list(away["GD"][:3]) == list(np.ceil(np.log(1 / y0s[:3]) / np.log(1.2)).astype(int))
assert all(away[n][2] - away[n][0] > 20 for n in raw)  # raw-gradient methods: much slower from closer
assert all(away[n][2] - away[n][0] <= 3 for n in adaptive)  # adaptive ones: about the same
assert all(s[3] == -1 for s in away.values())  # on the axis itself, nobody leaves

# %% [markdown]
# ## 8. Theory against simulation: momentum's rate
#
# On a quadratic, momentum can be solved exactly. Along an eigen-direction with curvature $\lambda$ the
# gradient is $\lambda x$, and the update $v \leftarrow \beta v + \eta \lambda x$, $x \leftarrow x - v$
# becomes a two-term recursion,
#
# $$x_{k+1} = (1 + \beta - \eta \lambda)\, x_k - \beta\, x_{k-1}, \qquad
# \begin{pmatrix} x_{k+1} \\ x_k \end{pmatrix} = \underbrace{\begin{pmatrix} 1 + \beta - \eta\lambda & -\beta \\ 1 & 0 \end{pmatrix}}_{M}
# \begin{pmatrix} x_k \\ x_{k-1} \end{pmatrix},$$
#
# so the error shrinks like $\rho(M)^k$, where $\rho(M)$ is the larger absolute value of $M$'s two
# eigenvalues, and the slowest direction of the ravine sets the pace. When the eigenvalues are complex
# ($\,(1 + \beta - \eta\lambda)^2 < 4\beta$) they both have absolute value $\sqrt\beta$ and the path
# *spirals*: momentum is **under-damped**, it overshoots and swings back. `gd.optimizers.momentum_rate`
# computes $\rho$ for any $(\eta, \beta)$, and `gd.optimizers.momentum_optimum` the best pair (Goh,
# "Why momentum really works", Distill 2017): with $\kappa = L/\mu$,
#
# $$\beta^* = \Bigl(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\Bigr)^2, \qquad \eta^* = \Bigl(\frac{2}{\sqrt L + \sqrt\mu}\Bigr)^2,
# \qquad \rho^* = \frac{\sqrt\kappa - 1}{\sqrt\kappa + 1},$$
#
# against plain descent's best, $(\kappa - 1)/(\kappa + 1)$. On the ravine ($\kappa = 100$) that is
# 0.818 per step against 0.980: to shrink the error a millionfold, about 70 steps instead of about 690.

# %%
best = gd.optimizers.momentum_optimum([1.0, 100.0])
gd_best = (100 - 1) / (100 + 1)
assert np.isclose(best.rate, 9 / 11) and np.isclose(best.rate, np.sqrt(best.beta))
assert np.isclose(gd.optimizers.momentum_rate(best.lr, best.beta, [1.0, 100.0]), best.rate)
assert np.isclose(gd.optimizers.momentum_rate(2 / 101, 0.0, [1.0, 100.0]), gd_best)  # beta = 0 is plain descent
steps = {name: int(np.ceil(np.log(1e-6) / np.log(r))) for name, r in (("momentum", best.rate), ("GD", gd_best))}
print(f"optimum: lr = {best.lr:.4f}, beta = {best.beta:.4f}, rate {best.rate:.4f}; GD's best rate {gd_best:.4f}")  # NBVAL_CHECK_OUTPUT
print(f"steps to shrink the error 1e6-fold: momentum {steps['momentum']}, GD {steps['GD']}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Does the engine agree with the algebra? We **measure** the rate on runs: for 23 values of $\beta$,
# one sweep each over 40 rates on the ravine, from $(-5, 2)$. The distance to the minimum may swing
# (the spirals), so we compare its *largest* value over steps 250 to 300 with its largest over steps
# 150 to 200: their ratio, to the power 1/100, is the measured rate per step. Each sweep keeps only
# those epochs (`epochs=` accepts a list).

# %%
m_lr, m_beta = np.geomspace(0.05, 4.0, 40) / 100, np.linspace(0.0, 0.99, 23)
window = np.arange(150, 301)
measured = np.full((m_beta.size, m_lr.size), np.nan)
for i, beta in enumerate(m_beta):
    result = gd.sweep(ravine, ravine_start, lr=m_lr, epochs=window, optimizer=gd.optimizers.Momentum(beta))
    distance = np.linalg.norm(result.x, axis=-1)  # shape (40 rates, 151 epochs)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = (distance[:, 100:].max(axis=1) / distance[:, :51].max(axis=1)) ** (1 / 100)
    measured[i] = np.where(result.diverged[:, -1], np.nan, rate)

# %% [markdown]
# The map shows the theory: the colour is the rate per step (darker is faster), solid white lines
# are its contours, vermillion is $\rho \ge 1$ where momentum diverges, and the star is Distill's
# optimum. The dashed black lines are the **measured** rates at the same levels. **Look for** where
# the dashed lines sit.

# %%
fig, ax = plt.subplots(figsize=(9, 5.2), layout="constrained")
gd.plotting.plot_momentum_rates([1.0, 100.0], ax=ax, measured=(m_lr, m_beta, measured))
plt.show()

# %% [markdown]
# The dashed lines lie on the solid ones: simulation and theory agree, including the edge of
# stability, which bends from $\eta L = 2$ at $\beta = 0$ (plain descent) to $\eta L = 2(1 + \beta)$.
# The best region is a narrow ridge: a larger $\beta$ than $\beta^*$ leaves the rate stuck at
# $\sqrt\beta$ (under-damped, the flat bands at the top), a smaller one wastes the momentum.

# %%
theory = gd.optimizers.momentum_rate(m_lr[None, :], m_beta[:, None], [1.0, 100.0])
ok = np.isfinite(measured) & (theory < 0.995)
assert np.abs(measured[ok] - theory[ok]).max() < 0.03  # within 0.03 of theory wherever it converges
assert np.median(np.abs(measured[ok] - theory[ok])) < 1e-3  # and typically within 0.001
assert not np.any(measured[theory > 1.01] < 1)  # growing (or diverged) where theory says rho > 1
print(f"|measured - theory| where it converges: median {np.median(np.abs(measured[ok] - theory[ok])):.1e}, "
      f"largest {np.abs(measured[ok] - theory[ok]).max():.3f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ### Why Nesterov's loss dips and climbs
#
# The same algebra explains a feature of the ravine race that looks like a bug. Here are momentum and
# Nesterov at their tuned rate from the first held-out ravine start: their loss falls in waves, dips
# and climbs again.

# %%
wave_start = STARTS["ravine"][1][0]
waves = {name: gd.descend(ravine, wave_start, lr=tuned["ravine", name], epochs=300, optimizer=OPTIMIZERS[name])
         for name in ("Momentum", "Nesterov")}
fig, ax = plt.subplots(figsize=(9, 3.6), layout="constrained")
loss_curves(waves, ax,
            f"ravine from ({wave_start[0]:.2f}, {wave_start[1]:.2f}), tuned lr = {tuned['ravine', 'Nesterov']:.3g}")
ax.legend()
plt.show()

# %% [markdown]
# At $\beta = 0.9$ the gentle direction ($\lambda = 1$, with $\eta\lambda \approx 0.005$) is deep in the
# under-damped region: its eigenvalues are complex, so $x$ spirals in, overshooting the minimum and
# swinging back. Each time $x$ passes through the minimum the loss dips; then it climbs while $x$
# swings out on the other side. For Nesterov the iteration matrix is
# $\begin{pmatrix} (1+\beta)(1-\eta\lambda) & -\beta(1-\eta\lambda) \\ 1 & 0 \end{pmatrix}$: its
# eigenvalues have angle $\theta$, so $x$ crosses zero, and the loss dips, every $\pi/\theta$ steps,
# while the envelope shrinks by their absolute value per step. Nesterov's steep direction
# ($\eta\lambda \approx 0.46$) is damped much harder and dies out within a few dozen steps, which leaves
# the clean waves. Momentum's steep direction is under-damped too, with the same absolute value
# $\sqrt\beta \approx 0.949$ as its gentle one, so its fast swings across the ravine never die out
# faster than the slow ones: the ripples on its curve.

# %%
def eigenvalues(lr, beta, lam, nesterov):
    """The two eigenvalues of the 2x2 iteration matrix along a direction of curvature lam."""
    a = (1 + beta) * (1 - lr * lam) if nesterov else 1 + beta - lr * lam
    b = beta * (1 - lr * lam) if nesterov else beta
    return np.roots([1, -a, b])


lr_w = tuned["ravine", "Nesterov"]
slow = eigenvalues(lr_w, 0.9, 1.0, nesterov=True)
every = np.pi / np.abs(np.angle(slow)).max()  # steps between two zero crossings of x
f_nes = waves["Nesterov"].f
dips = [t for t in range(30, 300) if f_nes[t] < f_nes[t - 1] and f_nes[t] < f_nes[t + 1]]
assert len(dips) >= 3 and abs(np.diff(dips).mean() - every) < 0.1 * every  # measured spacing = theory
steep = {n: np.abs(eigenvalues(lr_w, 0.9, 100.0, n == "Nesterov")).max() for n in waves}
assert steep["Nesterov"] < 0.75 and np.isclose(steep["Momentum"], np.sqrt(0.9))
assert np.isclose(np.abs(eigenvalues(lr_w, 0.9, 1.0, False)).max(), np.sqrt(0.9))
print(f"Nesterov: dips at steps {dips}, every {np.diff(dips).mean():.1f} (theory {every:.1f})")  # NBVAL_CHECK_OUTPUT
print(f"steep direction, per step: Nesterov {steep['Nesterov']:.3f}, momentum {steep['Momentum']:.3f}; "
      f"gentle: {np.abs(slow).max():.3f} (Nesterov)")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 9. A noisy race
#
# So far every optimizer saw the exact gradient. In machine learning it rarely does: a gradient
# computed on a mini-batch of data is the true gradient plus noise (notebook 07). We imitate that on
# the ravine: at every step each optimizer gets $\nabla f(x) + \sigma \xi$, with $\xi$ standard
# normal noise, drawn by a seeded generator (`gd.descend(..., gradient=...)` accepts any such estimate).
# With noise no run converges at a constant rate: each settles at a **noise floor**. The fair race
# rules stay: 25 starts, each optimizer's rate tuned (here by the median, over the starts, of the
# true loss averaged over the last 50 of 300 epochs), and the band shows the spread.

# %%
def noisy_gradient(objective, sigma, seed):
    """A gradient estimate: the exact gradient plus sigma times standard normal noise."""
    noise = np.random.default_rng(seed)

    def estimate(point, t):
        return objective.grad(point) + sigma * noise.standard_normal(np.shape(point))
    return estimate


SIGMA, NOISY = 2.0, ("GD", "Momentum", "Adam", "RMSprop")
noisy_starts, noisy_rates = STARTS["ravine"][0], np.geomspace(1e-4, 1.0, 25)
grid_starts = np.broadcast_to(noisy_starts[:, None, :], (25, noisy_rates.size, 2))
noisy_level, noisy_tuned = {}, {}
for name in NOISY:
    run = gd.descend(ravine, grid_starts, lr=noisy_rates, epochs=300, optimizer=OPTIMIZERS[name],
                     gradient=noisy_gradient(ravine, SIGMA, seed=1))
    level = np.where(run.diverged, np.inf, run.f[-50:].mean(axis=0))  # (25 starts, 25 rates)
    score = np.median(np.log10(level), axis=0)
    k = np.flatnonzero(score == score.min())[0]
    noisy_tuned[name], noisy_level[name] = noisy_rates[k], run.f[:, :, k]

# %% [markdown]
# The median loss of the 25 runs against the epoch, each at its own tuned rate, with the 25-75% band:

# %%
fig, ax = plt.subplots(figsize=(9, 4), layout="constrained")
for name in NOISY:
    f_runs, color = noisy_level[name], gd.plotting.color_of(name)
    ax.fill_between(np.arange(301), *np.percentile(f_runs, [25, 75], axis=1), color=color, alpha=0.2, lw=0)
    ax.plot(np.median(f_runs, axis=1), color=color, lw=1.8, label=f"{name} (lr {noisy_tuned[name]:.3g})")
ax.set(yscale="log", xlabel="epoch", ylabel="f (median of 25 starts)",
       title=f"ravine, gradient noise sigma = {SIGMA:g}")
ax.legend()
plt.show()

# %% [markdown]
# Every curve flattens onto a floor. Momentum and Adam reach lower floors than plain descent and
# RMSprop: both *average* gradients over many steps (momentum's velocity over about $1/(1-\beta) = 10$,
# Adam's $m$ likewise), so the noise partly cancels before it moves the point, while plain descent
# and RMSprop take every noisy gradient at face value. The gain is real but modest, about a factor of
# two; a rate that decays over time lowers every floor much further (notebook 07). Try other noise
# levels with the explorer in section 11.

# %%
floor_of = {name: float(np.median(noisy_level[name][-50:].mean(axis=0))) for name in NOISY}
for name, value in floor_of.items():
    print(f"{name:9s} tuned lr {noisy_tuned[name]:.3g}: median loss over the last 50 epochs {value:.3g}")  # NBVAL_CHECK_OUTPUT
assert max(floor_of["Momentum"], floor_of["Adam"]) < min(floor_of["GD"], floor_of["RMSprop"])
assert min(floor_of["GD"], floor_of["RMSprop"]) / max(floor_of["Momentum"], floor_of["Adam"]) > 1.3

# %% [markdown]
# ## 10. What the sources advise, and what we saw
#
# Textbooks and library documentation give a few pieces of advice. Our experiments let us check each,
# with the caveat of section 4: rates were tuned, the other hyper-parameters were not.
#
# - **Momentum and Nesterov speed up and smooth descent.** On the ravine both beat the best plain
#   descent by six orders of magnitude or more, and theory and simulation agreed on how fast
#   momentum can go. But a momentum rate tuned close to the edge of stability is fragile: on the
#   banana it diverged from 15 of 25 held-out starts.
# - **Adam is a robust default.** It won the banana among the first-order methods and never diverged at
#   any of the 31 rates on any landscape, like every adaptive method. It did not win the friendly
#   valleys, and at its best rate on the banana it kept being thrown out of the valley: robust is
#   not the same as best.
# - **When the newer ones help.** NAdam tied for first on the ravine, peaks and sin-gauss: the
#   look-ahead helps Adam settle. AdamW's decay is a *regulariser*: it pulls the
#   weights towards zero, which helps a network generalise but moves the point it converges to on a
#   landscape whose minimum is not at zero (its gaps stayed near $10^{-5}$ on peaks and sin-gauss). Lion
#   moves every coordinate by exactly $\eta$, cheap and scale-free, which makes it hop around a
#   minimum at a constant rate: it needs a decaying rate to finish. Newton's method is unbeatable near
#   a minimum of a smooth function (one step on a quadratic) and useless where the curvature is
#   not positive: it seeks any point with zero gradient.
# - **No optimizer is best everywhere.** Every landscape had a different winner, and three of the
#   four had ties at machine precision.

# %%
assert medians["ravine"]["Nesterov"] < medians["ravine"]["Momentum"] < medians["ravine"]["GD"] - 6
assert not any(tuning[land, "Adam"].diverged.any() for land in COURSE)
assert all(medians[land]["AdamW"] > -7 for land in ("peaks", "sin-gauss", "Rosenbrock"))
winners = {land: sorted(n for n in NAMES if place[land][n] == 1) for land in COURSE}
print(winners)  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 11. Your turn: three explorers
#
# **The race.** The first explorer races optimizers from one start on the ravine with **one shared**
# learning rate (unlike the fair race above), the number of epochs, the start, and each optimizer's
# own hyper-parameters (its $\beta$, $\rho$ or $\epsilon$) in a pane of its own. It opens at
# $\eta = 0.018$, where plain descent zig-zags across the ravine (its factor across is
# $1 - 0.018 \cdot 100 = -0.8$) and Adam moves by about $\eta$ per step.
#
# **Predict first, then move the slider:**
# 1. Open the momentum pane and set $\beta$ to 0. Which other line will its loss curve land on?
# 2. Lower the rate to 0.01, which is $1/\lambda_{\max}$. What does plain descent do across the
#    ravine now? (Notebook 01: at $\eta = 1/f''$ it lands in one step.)
# 3. Raise the rate slowly towards 0.05. Which optimizer diverges first, at about which rate, and
#    which never does?
# 4. Set Adam's $\beta_1$ to 0. What is left is RMSprop with a bias correction: does its path start
#    to zig-zag across the ravine?

# %%
gd.widgets.explore_optimizers(ravine, optimizers=("gd", "momentum", "adam"), lr=0.018, epochs=100, x0=ravine_start)

# %% [markdown]
# **The rate map.** The second explorer draws section 8's map for a quadratic bowl with condition
# number $\kappa$ (curvatures 1 and $\kappa$), with the rates measured on runs dashed on top.
# **Predict:** as $\kappa$ grows, where does the optimum move, and what happens to its rate? Check
# against $(\sqrt\kappa - 1)/(\sqrt\kappa + 1)$.

# %%
gd.widgets.explore_momentum_rates(kappa=100)

# %% [markdown]
# **The noisy race.** The third explorer is section 9's race from one start with a noise slider.
# **Predict:** at $\sigma = 0$, who wins at the shared rate? Then raise $\sigma$: whose loss floor rises
# fastest?

# %%
gd.widgets.explore_noisy_race(ravine, optimizers=("gd", "momentum", "adam"), lr=0.005, epochs=200, noise=2.0,
                              x0=ravine_start)

# %% [markdown]
# ## Summary
#
# - Ten update rules: gradient descent ($x \leftarrow x - \eta g$); momentum (a velocity
#   $v \leftarrow \beta v + \eta g$, then $x \leftarrow x - v$; PyTorch keeps $\eta$ outside the
#   velocity, the same at a constant rate); Nesterov (the gradient at the look-ahead point
#   $x - \beta v$); AdaGrad (divide by the root of the *sum* of squared gradients); RMSprop (by the
#   root of their *moving average*); Adam (a moving average of gradients over the root of one of their
#   squares, both bias-corrected); NAdam (Adam with a look-ahead); AdamW (Adam plus decoupled weight
#   decay); Lion (the sign of an interpolated momentum); Newton (the inverse Hessian times the gradient).
# - A fair comparison runs many starts at once, tunes each optimizer's rate by the same criterion it
#   is ranked by (here the median floored gap), reports held-out starts with their spread and calls
#   ties ties. It found what one start hides: a momentum rate that diverges on most new starts, and
#   an Adam that wins the median while losing the classic start.
# - On a quadratic, momentum's rate is the spectral radius of a 2x2 matrix: the map over
#   $(\eta, \beta)$ matches measured runs, and Distill's optimum gives $(\sqrt\kappa - 1)/(\sqrt\kappa + 1)$
#   per step against plain descent's $(\kappa - 1)/(\kappa + 1)$. Complex eigenvalues (under-damping) are
#   why the loss of momentum and Nesterov dips and climbs.
# - Methods whose step does not shrink with the gradient (RMSprop, Lion, and every method under
#   gradient noise) settle on a floor at a constant rate; averaging (momentum, Adam) lowers a noise
#   floor a little, a decaying rate much more.
# - Adaptive methods leave a saddle in about the same number of steps however close to it they start;
#   raw-gradient methods pay for every factor of closeness.
#
# ## Exercises
#
# Each exercise ends with a check that says "correct!" or "not yet". The first cell defines the
# checks; run it once.

# %%
# EXERCISE CHECKS
def check_winner(answer):
    """Exercise 1: which of AdaGrad and Momentum wins the tilted ravine, tuned over many starts."""
    if answer is ...:
        return print('not yet: replace ... with "AdaGrad" or "Momentum"') or False
    if not isinstance(answer, str) or answer.strip().lower() not in ("adagrad", "momentum"):
        return print('not yet: answer with one of the names "AdaGrad" or "Momentum"') or False
    tilted = gd.Objective("((x + y)**2 + 100*(x - y)**2) / 4", name="tilted ravine", bounds=[(-6, 6), (-3, 3)],
                          minima=[((0.0, 0.0), 0.0)])
    starts = np.random.default_rng(7).uniform([-6, -3], [6, 3], (25, 2))
    median = {}
    for name in ("adagrad", "momentum"):
        result = gd.sweep(tilted, starts, lr=np.geomspace(1e-4, 10, 31), epochs=200, optimizer=name)
        gap = np.where(result.diverged, np.inf, np.maximum(result.f, np.finfo(float).eps))
        median[name] = np.median(np.log10(gap), axis=0).min()
    ok = answer.strip().lower() == min(median, key=median.get)
    print(f"best medians (log10 gap): AdaGrad {median['adagrad']:.1f}, momentum {median['momentum']:.1f};",
          "correct!" if ok else "not yet: look at the two medians")
    return ok


def check_adamw(step):
    """Exercise 2: step(grad, x, state, lr) -> (x, state), AdamW with the defaults of gd.optimizers.AdamW."""
    banana = gd.functions.rosenbrock
    expected = gd.descend(banana, [-1.2, 1.0], lr=0.05, epochs=60, optimizer=gd.optimizers.AdamW(weight_decay=0.1))
    try:
        x, state, xs = np.array([-1.2, 1.0]), (0, np.zeros(2), np.zeros(2)), [np.array([-1.2, 1.0])]
        for _ in range(60):
            out = step(banana.grad, x, state, 0.05)
            if out is None:
                return print("not yet: your function returns nothing; replace ... with your lines") or False
            x, state = out
            xs.append(np.asarray(x, dtype=float))
        ok = bool(np.allclose(np.array(xs), expected.x, rtol=1e-9, atol=1e-12))
    except Exception as err:  # a learner's code may fail in any way: report it, do not crash
        return print(f"not yet: your function raised {type(err).__name__}: {err}") or False
    print("correct!" if ok else "not yet: shrink x by lr * weight_decay * x, then take Adam's step with the "
          "gradient at the old x (the decay never enters m or v)")
    return ok


def check_steps(answer):
    """Exercise 3: Adam's steps to |y| >= 1 on the saddle from (-1.5, 1e-4) at lr 0.05."""
    if answer is ... or isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
        return print("not yet: replace ... with a number of steps") or False
    run = gd.descend(gd.functions.saddle, [-1.5, 1e-4], lr=0.05, epochs=200, optimizer="adam")
    measured = int(np.argmax(np.abs(run.x[:, 1]) >= 1))
    ok = abs(answer - measured) <= 2
    print(f"measured: {measured} steps;", "correct!" if ok else "not yet: how far does one step of length lr go?")
    return ok

# %% [markdown]
# **1. Tilt the ravine.** Rotate the ravine by 45° so that its steep and gentle directions are the
# diagonals: $r(x, y) = ((x + y)^2 + 100(x - y)^2)/4$. **Predict:** tuned over 25 starts as in section 4,
# does AdaGrad still beat momentum? Put the name of the winner in `my_winner`. (The check runs the
# sweeps; you may run them yourself first with `gd.sweep`.)

# %%
my_winner = ...  # "AdaGrad" or "Momentum"
check_winner(my_winner)

# %% [markdown]
# <details><summary>Solution</summary>
#
# Momentum wins: `my_winner = "Momentum"`. Tuned, it ends about as close as on the upright ravine
# (rotating a quadratic does not change its curvatures, and momentum does not care about axes). AdaGrad
# loses its advantage: each coordinate now mixes the steep and the gentle direction, so a
# per-coordinate rate cannot separate them. Adaptive methods help most when the badly scaled
# directions line up with the parameters.
# </details>
#
# **2. AdamW by hand.** Write one step of AdamW in the style of section 2: `my_adamw_step(grad, x,
# state, lr)` with `state = (t, m, v)` returns the new `(x, state)`, with $\beta_1 = 0.9$,
# $\beta_2 = 0.999$, $\epsilon = 10^{-8}$ and weight decay $\lambda = 0.1$. The check runs 60 steps on the
# banana from $(-1.2, 1)$ at $\eta = 0.05$ and compares every position with
# `gd.optimizers.AdamW(weight_decay=0.1)`.

# %%
def my_adamw_step(grad, x, state, lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.1):
    ...  # your lines: the decay, then Adam's step; return x, (t, m, v)


check_adamw(my_adamw_step)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_adamw_step(grad, x, state, lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.1):
#     t, m, v = state
#     g = grad(x)                                   # the gradient at the old x
#     t, m, v = t + 1, beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g**2
#     m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
#     x = x - lr * weight_decay * x                 # decoupled decay, scaled by the rate
#     return x - lr * m_hat / (np.sqrt(v_hat) + eps), (t, m, v)
# ```
#
# Adding `weight_decay * x` to `g` instead is L2 regularisation ("Adam with weight decay" before
# AdamW): the decay then passes through $\sqrt{\hat v}$ and the check says "not yet".
# </details>
#
# **3. Adam's rate is a step length.** Section 2 showed that Adam's first step has length $\eta$ in
# every coordinate. On the saddle from $(-1.5, 10^{-4})$ with $\eta = 0.05$, about how many steps should
# Adam need to move $y$ from $10^{-4}$ to 1 if every step kept that length? Put your estimate in
# `my_steps`. (The table of section 7 used other numbers; the check runs this case.)

# %%
my_steps = ...  # a number of steps
check_steps(my_steps)

# %% [markdown]
# <details><summary>Solution</summary>
#
# One full step of 0.05 per epoch covers the distance of about 1 in 20 steps, so `my_steps = 20`, and
# the run needs exactly 20. The first step has length exactly $\eta$, and later ones stay close to it
# as long as the $y$ gradient keeps its sign and keeps growing, which it does on the saddle. The start's
# distance from the axis, $10^{-4}$, hardly matters: from $10^{-3}$ Adam also needs 20 steps.
# </details>
#
# **Next:** [07 · Batch, stochastic and mini-batch descent](07_batch_stochastic_minibatch.ipynb)
# fits a model to data, where every gradient is an average over examples and we choose how many
# examples to use per step. That choice turns section 9's imitation into the real thing: noisy
# gradients whose noise we control with the batch size.
