# %% [markdown]
# # 07 · Batch, stochastic and mini-batch descent
#
# **What you will be able to do after this notebook**
#
# - write the loss of a straight-line model as an average over a data set, and its gradient as an
#   average of one small gradient per sample;
# - tell batch, stochastic (SGD) and mini-batch descent apart by how many samples each update
#   looks at, and count their updates per epoch: $1$, $n$ and $\lceil n/b \rceil$;
# - write the mini-batch loop yourself (shuffle, slice, update) and check it against gdviz;
# - tune each method's own learning rate fairly, read their paths and loss curves against updates
#   and against gradient evaluations, and find the data set size where SGD overtakes batch descent;
# - explain why SGD with a constant learning rate never comes to rest, measure how its noise floor
#   grows with the rate, and make it settle with a decaying rate (Robbins-Monro);
# - use momentum and Adam on mini-batches, and clip gradients inside a training loop;
# - fit a real data set from 1857, after standardizing its feature.
#
# **Where we left off.** Notebook 06 lined up the optimizer zoo (momentum, Nesterov, AdaGrad,
# RMSprop and Adam) and raced them on a ravine, Rosenbrock's banana, a saddle and the peaks: each
# one changes *how* a step is taken, and none wins everywhere. In every race the landscape was a
# formula, and each step used its exact gradient. In machine learning the landscape is a loss
# averaged over a data set, and its exact gradient means visiting every sample. This notebook asks
# a new question: **how many samples should one step look at?** The answer changes what a step
# costs, how noisy it is, and whether descent ever stops moving.

# %%
# SETUP

# %% [markdown]
# ## 1. A model fitted to data
#
# We start with data we made ourselves, so that we know the truth behind it. `make_linear` draws
# $n = 200$ inputs $x_i$ from a standard normal distribution and sets
# $y_i = 2x_i - 1 + 0.5\,\varepsilon_i$, where $\varepsilon_i$ is more standard normal noise. The seed
# fixes every draw.

# %%
data = gd.data.make_linear(n=200, w=2.0, b=-1.0, noise=0.5, seed=0)
x_data, y_data = data.X[:, 0], data.y
print(data, "| first inputs:", np.round(x_data[:3], 3), "| first targets:", np.round(y_data[:3], 3))  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# The model is a straight line, $\hat y = w\,x + b$, with two parameters: the slope $w$ and the
# intercept $b$. How badly a line fits is measured by the **mean squared error** over all samples,
#
# $$L(w, b) = \frac{1}{n} \sum_{i=1}^{n} \big(w\,x_i + b - y_i\big)^2 .$$
#
# `gd.data.LeastSquares` turns a data set into exactly this loss, as an `Objective` over $(w, b)$,
# so `gd.descend`, contour plots and explorers take it like any landscape from earlier notebooks.
# Expanding the 200 squares and collecting terms leaves a short formula:

# %%
loss = gd.data.LeastSquares(data)
loss

# %% [markdown]
# A sum of two squares plus a constant: the loss is a bowl, and its lowest value is the constant.
# Let us make sure the short formula is the long one, at a point drawn at random:

# %%
rng = np.random.default_rng(seed=7)
w, b = rng.uniform(-3, 3, size=2)
by_definition = np.mean((w * x_data + b - y_data) ** 2)
assert abs(loss([w, b]) - by_definition) < 1e-9 * by_definition
print(f"L({w:.3f}, {b:.3f}) = {by_definition:.6f} from the 200 squares, {loss([w, b]):.6f} from the formula")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# For this loss we do not need descent at all: least squares has an exact answer. numpy's
# `lstsq` solves it directly for the columns $[x, 1]$, and the objective knows it too, as
# `loss.solution`. Descent is still worth studying here precisely *because* we can check it
# against the exact answer.

# %%
columns = np.column_stack([x_data, np.ones(data.n)])
exact, *_ = np.linalg.lstsq(columns, y_data, rcond=None)
assert np.allclose(exact, loss.solution, rtol=1e-12, atol=1e-12)
w_star, b_star = loss.solution
L_star = loss.min_loss
print(f"best line: w* = {w_star:.4f}, b* = {b_star:.4f}, smallest loss L* = {L_star:.4f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# The best line is close to the truth ($w = 2$, $b = -1$) but not on it: it is the best line for
# *these* 200 noisy points. Below are the data, the best line and the true line. **Look at** the
# vertical gaps between the points and the solid line: the loss is the mean of their squares.
# `gd.plotting.plot_data` draws a data set with one feature and any lines given by their $(w, b)$.

# %%
fig, ax = plt.subplots(figsize=(6.5, 4), layout="constrained")
gd.plotting.plot_data(data, ax=ax, lines={"least-squares line": (w_star, b_star), "true line y = 2x - 1": (2.0, -1.0)})
ax.set_title("200 noisy samples of a straight line")
plt.show()

# %% [markdown]
# The two lines are hard to tell apart. The gaps that remain are the noise we added: the smallest
# possible loss, $L^* \approx 0.26$, is close to the noise's variance, $0.5^2 = 0.25$. No straight
# line can explain the noise away.

# %%
assert 0.2 < L_star < 0.3 and abs(w_star - 2) < 0.05 and abs(b_star + 1) < 0.05

# %% [markdown]
# ## 2. The gradient is an average
#
# Write $r_i = w\,x_i + b - y_i$ for the error on sample $i$. Differentiating $L$ term by term gives
#
# $$\frac{\partial L}{\partial w} = \frac{1}{n}\sum_{i} 2\,r_i\,x_i, \qquad
#   \frac{\partial L}{\partial b} = \frac{1}{n}\sum_{i} 2\,r_i .$$
#
# Read that as: each sample has its own little gradient $g_i = 2\,r_i\,(x_i, 1)$, and the gradient of
# the loss is their **average**. This one fact is the whole idea of this notebook: an average over a
# *few* samples is an estimate of the average over all of them. Here are the per-sample gradients,
# written out once and checked against the objective's full gradient and its `batch_grad`, which
# averages over any list of sample indices.

# %%
def sample_grads(loss, theta, idx=slice(None)):
    """One row (dL_i/dw, dL_i/db) per sample in idx (all samples by default)."""
    x, y = loss.data.X[idx, 0], loss.data.y[idx]
    r = theta[0] * x + theta[1] - y
    return np.column_stack([2 * r * x, 2 * r])


theta = np.array([w, b])
five = np.array([3, 14, 15, 92, 65])
assert np.allclose(sample_grads(loss, theta).mean(axis=0), loss.grad(theta))
assert np.allclose(sample_grads(loss, theta, five).mean(axis=0), loss.batch_grad(theta, five))
g_all, g_five = loss.grad(theta), loss.batch_grad(theta, five)
assert g_all @ g_five > 0.9 * np.linalg.norm(g_all) * np.linalg.norm(g_five)  # less than 26 degrees apart
print("full gradient:", np.round(g_all, 4), "  estimate from 5 samples:", np.round(g_five, 4))  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Five samples already point roughly the same way as all 200, at a fortieth of the cost. Now the
# landscape itself. **Look for** the shape of the contours around the minimum (the white marker) and
# the range of the colour bar.

# %%
fig, ax = plt.subplots(figsize=(6, 4.6), layout="constrained")
gd.plotting.plot_landscape(loss, ax=ax)
gd.plotting.mark_extrema(loss, ax=ax)
plt.show()

# %% [markdown]
# The contours are nearly circles: the bowl curves almost equally in every direction. The
# curvatures are the eigenvalues of the Hessian matrix, which for this loss is
# $2\begin{pmatrix}\overline{x^2} & \bar x\\ \bar x & 1\end{pmatrix}$, close to $2I$ because the inputs
# have mean about 0 and variance about 1. From notebook 01 we know that full-batch descent on a
# bowl is stable while $\eta < 2/f''$, with $f''$ the largest curvature: here about $\eta < 1$.

# %%
curvatures = np.linalg.eigvalsh(loss.hessian(loss.solution))
assert 1.8 < curvatures[0] < curvatures[1] < 2.05 and curvatures[1] / curvatures[0] < 1.1
print(f"curvatures {curvatures.round(3)}: full-batch descent is stable for lr < {2 / curvatures[1]:.3f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 3. Three ways to spend a pass over the data
#
# One pass over all $n$ samples is an **epoch**. The three methods spend it differently:
#
# | method | samples per update | updates per epoch | one update costs |
# |---|---|---|---|
# | **batch** gradient descent | all $n$ | $1$ | $n$ sample gradients: exact, smooth, expensive |
# | **stochastic** gradient descent (SGD) | $1$ | $n$ | one sample gradient: cheap, very noisy |
# | **mini-batch** descent | $b$ (e.g. 32) | $\lceil n/b \rceil$ | $b$ sample gradients: the usual compromise |
#
# SGD and mini-batch descent **shuffle** the samples at the start of every epoch, so that each
# epoch visits them in a new order, and then cut the shuffled list into batches. When $b$ does not
# divide $n$ the last batch is smaller. Here is that loop by hand, written once. The batch size is a
# parameter, so the same ten lines give all three methods.

# %%
def minibatch_descent(loss, theta0, lr, epochs, batch_size, seed):
    """Positions after every update of mini-batch descent with a seeded shuffle."""
    rng = np.random.default_rng(seed)
    theta = np.array(theta0, dtype=float)
    path = [theta]
    for _ in range(epochs):
        order = rng.permutation(loss.n)  # a fresh shuffle every epoch
        for start in range(0, loss.n, batch_size):
            batch = order[start:start + batch_size]  # the last batch may be shorter
            theta = theta - lr * loss.batch_grad(theta, batch)
            path.append(theta)
    return np.array(path)


# %% [markdown]
# gdviz's `gd.data.descend_data` runs the same loop (with any optimizer and schedule from notebooks
# 04 and 06) and returns a `DataTrajectory`: one row per update, plus the epoch of each row and the
# number of sample gradients computed so far. Given the same seed it must shuffle the same way and
# land on the same points as our loop, for all three batch sizes:

# %%
start, sizes = [-0.5, 0.5], {"batch": None, "SGD": 1, "mini-batch": 32}
for name, size in sizes.items():
    mine = minibatch_descent(loss, start, lr=0.05, epochs=2, batch_size=size or data.n, seed=0)
    theirs = gd.data.descend_data(loss, start, lr=0.05, epochs=2, batch_size=size, seed=0)
    assert theirs.method == ("stochastic" if name == "SGD" else name)
    assert mine.shape == theirs.x.shape and np.allclose(mine, theirs.x, rtol=0, atol=1e-12)
    print(f"{name:10s}: {theirs.updates_per_epoch:3d} updates per epoch, the same path as the loop")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# The counts are $1$, $n = 200$ and $\lceil 200/32 \rceil = 7$: six batches of 32 and a last one of
# the $200 - 6 \cdot 32 = 8$ samples left over. The record says so too: `grad_evals` counts the
# sample gradients, and its steps are the batch sizes.

# %%
mini = gd.data.descend_data(loss, start, lr=0.05, epochs=2, batch_size=32, seed=0)
assert mini.updates_per_epoch == int(np.ceil(data.n / 32)) == 7
assert np.diff(mini.grad_evals).tolist() == [32] * 6 + [8] + [32] * 6 + [8]
assert mini.grad_evals[-1] == 2 * data.n and np.array_equal(mini.epoch_ends, [0, 7, 14])
print("sample gradients per update:", np.diff(mini.grad_evals)[:7].tolist())  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 4. Each method at its own learning rate
#
# A race at one shared learning rate would not be fair: the rate that suits a step guided by all
# 200 samples need not suit a step guided by one. Notebook 01 even tells us batch descent's natural
# rate: on a bowl of curvature $f''$, $\eta = 1/f''$ lands in one step, and here $f'' \approx 2$, so
# $\eta \approx 0.5$. So before any race, every method gets its **own rate, tuned by the criterion we
# will rank by**: the loss above the minimum, $L - L^*$, after a budget of 10 epochs (2000 sample
# gradients for everyone), as the **median over 5 shuffling seeds**. The candidates run from $1/1024$
# to $1$ in steps of $\sqrt 2$, all in one call per seed (`lr` may be an array). Gaps below machine
# precision ($\epsilon L^*$) are round-off and count as equal; **ties go to the smaller rate**, and a
# run that blows up scores infinity.

# %%
RATES = 2.0 ** np.arange(-10, 0.25, 0.5)  # 1/1024 ... 1, steps of sqrt(2)
SEEDS = range(5)


def final_gaps(loss, start, epochs, batch_size, optimizer="gd"):
    """L - L* after `epochs` for every rate (columns) and seed (rows), floored at eps * L*; inf if it blew up."""
    floor = np.finfo(float).eps * loss.min_loss
    rows = []
    for seed in SEEDS:
        run = gd.data.descend_data(loss, start, lr=RATES, epochs=epochs, batch_size=batch_size,
                                   optimizer=optimizer, seed=seed)
        rows.append(np.where(run.diverged, np.inf, np.maximum(run.final_f - loss.min_loss, floor)))
    return np.array(rows)


def tuned(gaps):
    """The rate with the smallest median gap; np.argmin takes the first, the smallest rate, among ties."""
    median = np.median(gaps, axis=0)
    best = int(np.argmin(median))
    return RATES[best], int(np.sum(median == median[best]))  # the rate and how many rates tie with it


tuning = {name: final_gaps(loss, start, 10, size) for name, size in sizes.items()}
rate = {}
for name, gaps in tuning.items():
    rate[name], ties = tuned(gaps)
    print(f"{name:10s}: tuned lr = {rate[name]:.4g}, median L - L* {np.median(gaps, axis=0).min():.1e}"  # NBVAL_CHECK_OUTPUT
          + (f" ({ties} rates tie at machine precision)" if ties > 1 else ""))

# %% [markdown]
# Here is every candidate: **the median gap against the rate**, with a band from the best to the
# worst of the 5 seeds, and a dot on the rate each method gets. **Look for** how far apart the three
# best rates are, and which curve reaches lowest.

# %%
fig, ax = plt.subplots(figsize=(8, 4.2), layout="constrained")
for name, gaps in tuning.items():
    colour = gd.plotting.color_of("stochastic" if name == "SGD" else name)
    kept = np.isfinite(gaps).all(axis=0)  # rates at which no seed blew up
    ax.plot(RATES[kept], np.median(gaps[:, kept], axis=0), "o-", ms=3, color=colour, label=name)
    ax.fill_between(RATES[kept], gaps[:, kept].min(axis=0), gaps[:, kept].max(axis=0), color=colour, alpha=0.2, lw=0)
    ax.plot(rate[name], np.median(gaps, axis=0).min(), "o", ms=10, mfc="none", mec=colour, mew=2)
ax.set(xscale="log", yscale="log", xlabel="learning rate", ylabel="L - L* after 10 epochs (median of 5 seeds)",
       title="tuning each method on its own (no point: a seed blew up at that rate)")
ax.legend(loc="upper right")
plt.show()

# %% [markdown]
# The three best rates differ by a factor of about 250. Batch descent's curve plunges to machine
# precision at $\eta = 0.5 = 1/f''$: the bowl's curvatures are 1.84 and 2.01, so each step shrinks
# the distance to the minimum by a factor $|1 - 0.5 f''|$ of at most 0.08 (notebook 01). SGD wants a
# rate 256 times smaller, and even at its best it ends about $10^{-4}$ above the minimum: with one
# sample per step, a large rate makes large random kicks (section 6). Mini-batches of 32 sit in
# between. At the largest rates SGD blows up ($\eta \approx 0.7$, no point drawn) before batch descent
# reaches its edge $2/f'' \approx 1$: one sample's own bowl can be much steeper than the average one.

# %%
median_best = {name: np.median(g, axis=0).min() for name, g in tuning.items()}
assert 0.3 < rate["batch"] <= 0.5 and median_best["batch"] < 1e-14
assert rate["SGD"] < 0.01 and 1e-5 < median_best["SGD"] < 1e-3 and rate["batch"] / rate["SGD"] > 100
assert rate["SGD"] < rate["mini-batch"] < rate["batch"] and median_best["batch"] < median_best["mini-batch"]
assert np.isinf(tuning["SGD"][:, RATES > 0.6]).all() and np.isfinite(tuning["batch"][:, RATES < 0.99]).all()

# %% [markdown]
# Now the three runs at their tuned rates, from the start $(w, b) = (-0.5, 0.5)$, each with 10 epochs:
# batch descent makes 10 updates, SGD 2000 and mini-batch descent 70. **Predict first:** which path
# will be the smoothest, and which will look the most tangled?

# %%
runs = {name: gd.data.descend_data(loss, start, lr=rate[name], epochs=10, batch_size=size, seed=0)
        for name, size in sizes.items()}
fig, axes = plt.subplots(1, 3, figsize=(15, 4.6), layout="constrained")
for ax, (name, run) in zip(axes, runs.items()):
    gd.plotting.plot_landscape(loss, ax=ax, colorbar=False, aspect="equal")  # a round bowl looks round
    gd.plotting.plot_paths(run, ax=ax, legend=False, markersize=2)  # in the colour of its batch method
    ax.set_title(f"{name}, lr {rate[name]:.3g}: {run.epochs} updates")
plt.show()

# %% [markdown]
# Batch descent (left) jumps almost to the minimum with its first step and then sits there. SGD
# (middle) walks a gently shaking line of 2000 tiny steps: at its tuned rate each kick is small, so
# the path looks almost as tidy as a batch path drawn in slow motion. Mini-batch descent (right)
# covers the same line in 70 larger steps. The distances to the exact answer at the end of epochs 1
# and 10:

# %%
for name, run in runs.items():
    gaps = np.linalg.norm(run.x[run.epoch_ends] - loss.solution, axis=1)
    print(f"{name:10s}: after epoch 1 {gaps[1]:.2e}, after epoch 10 {gaps[-1]:.2e}")  # NBVAL_CHECK_OUTPUT
gap = {name: np.linalg.norm(run.final - loss.solution) for name, run in runs.items()}
assert gap["batch"] < 1e-6 < gap["mini-batch"] and gap["batch"] < gap["SGD"]

# %% [markdown]
# Batch descent does the very same steps as `gd.descend` on the loss as a formula, and a few more
# epochs take it to the exact least-squares answer to many decimals:

# %%
full = gd.data.descend_data(loss, start, lr=0.5, epochs=30)
assert np.allclose(full.x, gd.descend(loss, start, lr=0.5, epochs=30).x, rtol=0, atol=1e-12)
assert np.linalg.norm(full.final - exact) < 1e-9
print(f"batch descent, lr 0.5, 30 epochs: w = {full.final[0]:.6f}, b = {full.final[1]:.6f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 5. Which is fastest? It depends on what you count, and on n
#
# Two ways to count the cost of these runs. On the left, $L - L^*$ against the number of
# **updates** (steps). On the right, the same against the number of **sample gradients computed**
# (the work); every epoch costs $n = 200$ of them whatever the batch size. Both axes are logarithmic.
# **Predict first:** with 200 samples and tuned rates, who is ahead per unit of work after one epoch?

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.4), sharey=True, layout="constrained")
gd.plotting.plot_history(runs, what="f", ax=left, log=True, against="update")
gd.plotting.plot_history(runs, what="f", ax=right, log=True, against="grad_evals")
for ax in (left, right):
    ax.set_xscale("log")  # both counts span several decades
plt.show()

# %% [markdown]
# **Per update** (left) batch descent is far ahead: each of its steps uses the exact gradient at a
# large rate. **Per unit of work** (right) it is ahead too, on this data set: its single update of
# the first epoch already beats 200 SGD updates and 7 mini-batch updates. Their rates had to be
# small to keep the noise down, so each step moves little. With only 200 samples and a round bowl a
# full pass is cheap and one exact step at $1/f''$ is hard to beat.

# %%
first = {name: run.f[run.epoch_ends[1]] - L_star for name, run in runs.items()}
assert first["batch"] < 0.1 * min(first["SGD"], first["mini-batch"])
print({name: f"{value:.2e}" for name, value in first.items()}, "= L - L* after one epoch")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ### When SGD wins: many samples
#
# Batch descent pays $n$ sample gradients for every step, so its bill grows with the data set. SGD's
# bill does not: how many steps it needs to get within a tolerance depends on the noise and the
# curvature, not on how many samples are waiting in the data set. So there must be a data set size
# where the two **cross over**. We measure it for $n = 10^2, 10^3, 10^4, 10^5$ (data drawn as in
# section 1): the work, in sample gradients, each method needs until $L - L^*$ drops below
# $10^{-3}$ **and stays there**, with each method's rate tuned by that same criterion (median over 3
# seeds).
#
# `descend_data` counts its budget in whole epochs, and one epoch of SGD on $10^5$ samples is
# $10^5$ updates, far more than SGD needs here. So for SGD and mini-batches we write the shuffled
# loop once more, vectorised over seeds and rates, with a budget in updates, and check it against
# `descend_data` where both can run.

# %%
def shuffled_gaps(loss, theta0, rates, updates, batch_size, seeds):
    """L - L* after each of `updates` updates of shuffled mini-batch descent (one feature),
    shape (updates + 1, seeds, rates): epochs reshuffle as in descend_data; a run may end mid-epoch."""
    x, y = loss.data.X[:, 0], loss.data.y
    rngs = [np.random.default_rng(s) for s in seeds]
    theta = np.broadcast_to(np.asarray(theta0, dtype=float), (len(seeds), len(rates), 2)).copy()
    lr, per_epoch = np.asarray(rates, dtype=float), -(-loss.n // batch_size)
    (w_best, _), var_x = loss.solution, loss.cov_xx[0, 0]

    def gap(t):  # L - L* from the moments, as in LeastSquares' formula
        return var_x * (t[..., 0] - w_best) ** 2 + (t[..., 1] + t[..., 0] * loss.x_mean[0] - loss.y_mean) ** 2

    gaps = np.empty((updates + 1, len(seeds), len(rates)))
    gaps[0] = gap(theta)
    for u in range(updates):
        k = u % per_epoch
        if k == 0:  # a new epoch: every seed draws its own shuffle
            order = np.stack([rng.permutation(loss.n) for rng in rngs])
        idx = order[:, k * batch_size:(k + 1) * batch_size]
        xb, yb = x[idx][:, None, :], y[idx][:, None, :]  # (seeds, 1, b) against theta's (seeds, rates)
        r = theta[..., :1] * xb + theta[..., 1:] - yb
        theta[..., 0] -= lr * 2 * np.mean(r * xb, axis=-1)
        theta[..., 1] -= lr * 2 * np.mean(r, axis=-1)
        gaps[u + 1] = gap(theta)
    return gaps


for seed in (0, 1):
    ref = gd.data.descend_data(loss, start, lr=[0.01, 0.05], epochs=3, batch_size=7, seed=seed).f - L_star
    assert np.allclose(shuffled_gaps(loss, start, [0.01, 0.05], 3 * 29, 7, [seed])[:, 0], ref, rtol=0, atol=1e-12)

# %% [markdown]
# Where a run "gets there and stays" is the row after the last one above the tolerance; its cost is
# that many updates times the batch size. A run that is still above at the end scores infinity.

# %%
TOL = 1e-3


def work_to_stay(gaps, cost):
    """Sample gradients until the gap is <= TOL for good (axis 0 is the update); inf if never."""
    above = gaps > TOL
    last = gaps.shape[0] - 1 - np.argmax(above[::-1], axis=0)  # the last row above TOL
    last = np.where(above.any(axis=0), last, -1)
    return np.where(last < gaps.shape[0] - 1, (last + 1) * cost, np.inf)


SIZES_N = [100, 1_000, 10_000, 100_000]
GRIDS = {"SGD": (1, 2.0 ** np.arange(-13, -7.5), 15_000), "mini-batch": (32, 2.0 ** np.arange(-10, -2.5), 1_000)}
needed, spread, curves = {}, {}, {}
for n in SIZES_N:
    big = gd.data.LeastSquares(gd.data.make_linear(n=n, w=2.0, b=-1.0, noise=0.5, seed=0))
    for name, (size, rates, updates) in GRIDS.items():
        gaps = shuffled_gaps(big, start, rates, updates, size, seeds=[0, 1, 2])
        per_seed = work_to_stay(gaps, size)  # (seeds, rates)
        work = np.median(per_seed, axis=0)  # median over the seeds, per rate
        best = int(np.argmin(work))
        needed[name, n], spread[name, n] = work[best], (per_seed[:, best].min(), per_seed[:, best].max())
        curves[name, n] = np.arange(updates + 1) * size, np.median(gaps[:, :, best], 1)
    batch_rates = np.geomspace(0.05, 1.0, 13)
    batch = gd.data.descend_data(big, start, lr=batch_rates, epochs=30)
    work = work_to_stay(batch.f - big.min_loss, n)
    best = int(np.argmin(work))
    needed["batch", n], curves["batch", n] = work[best], (batch.grad_evals, batch.f[:, best] - big.min_loss)

# %% [markdown]
# The figure shows, for each $n$, the median run at each method's tuned rate (work on a log axis),
# with the tolerance dashed. **Look for** how batch descent's curve slides to the right as $n$ grows
# while SGD's stays put.

# %%
fig, axes = plt.subplots(1, 4, figsize=(16, 3.8), sharey=True, layout="constrained")
for ax, n in zip(axes, SIZES_N):
    for name in ("batch", "SGD", "mini-batch"):
        evals, values = curves[name, n]
        every = max(1, len(evals) // 1500)  # at most ~1500 points a line: the picture is the same
        evals, values = evals[::every], values[::every]
        ax.step(np.maximum(evals, 1), np.maximum(values, 1e-16), where="post", label=name,  # flat until the next update
                color=gd.plotting.color_of("stochastic" if name == "SGD" else name))
    ax.axhline(TOL, color=gd.plotting.NEUTRAL, ls="--", lw=1)
    ax.set(xscale="log", yscale="log", ylim=(1e-7, 30), xlabel="sample gradients computed", title=f"n = {n:,}")
    ax.minorticks_off()  # whole decades are enough here
axes[0].set_ylabel("L - L* (median of 3 seeds)")
axes[0].legend(loc="lower left")
plt.show()

# %% [markdown]
# Batch descent needs the same two or three passes at every size, so its work grows tenfold with
# each tenfold of $n$. SGD needs a few thousand sample gradients whatever $n$ is. The table of the
# work until $L - L^*$ stays below $10^{-3}$ (for SGD and mini-batches the median of the 3 seeds, with
# the fastest and slowest seed in brackets; batch descent has no randomness), and where the two cross:

# %%
print(f"{'n':>8s}{'batch':>10s}{'SGD':>26s}{'mini-batch':>26s}")  # NBVAL_CHECK_OUTPUT
for n in SIZES_N:
    print(f"{n:8,d}{needed['batch', n]:10,.0f}" + "".join(  # NBVAL_CHECK_OUTPUT
        f"{needed[name, n]:10,.0f} ({spread[name, n][0]:,.0f}-{spread[name, n][1]:,.0f})".rjust(26)
        for name in ("SGD", "mini-batch")))
ratio = np.log([needed["batch", n] / needed["SGD", n] for n in SIZES_N])
k = int(np.argmax(ratio > 0))  # the first size where batch descent needs more work than SGD
crossover = 10 ** (np.log10(SIZES_N[k - 1]) + ratio[k - 1] / (ratio[k - 1] - ratio[k]))  # log-linear interpolation
assert 0 < k and 1_000 < crossover < 10_000 and needed["batch", 100] < needed["SGD", 100]
assert needed["SGD", 100_000] < 0.1 * needed["batch", 100_000]
print(f"SGD needs less work than batch descent from about n = {crossover:,.0f} on")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Below a few thousand samples a full pass is cheap and batch descent at $1/f''$ wins; above, SGD
# wins, and at $n = 10^5$ it needs a small fraction of one pass. Real training sets have millions of
# samples, and nobody needs the loss to $10^{-3}$ of the training optimum (the noise in the data is
# far larger): that is the regime where stochastic methods rule. The crossover moves with the
# tolerance, though: ask for $10^{-6}$ and SGD, whose constant-rate floor must then be tiny, needs
# a very small rate and many more steps (section 6).
#
# ### What a step costs in time and memory
#
# Counting sample gradients assumes each one costs the same. On a computer a batch of 32 is one
# vectorised operation, and the fixed cost of a call (Python, numpy's set-up) dominates small
# batches. Measured on this machine (the times vary from run to run, the pattern does not):

# %%
import timeit
from functools import partial

theta_now = np.array([w, b])
cost = {}
for size in (1, 32, 200):
    batch_idx = np.arange(size)
    one_gradient = partial(loss.batch_grad, theta_now, batch_idx)
    cost[size] = min(timeit.repeat(one_gradient, number=200, repeat=9)) / 200
print({size: f"{1e6 * t:.0f} µs" for size, t in cost.items()}, "per batch gradient")
assert cost[32] < 8 * cost[1]  # 32 samples cost far less than 32 separate samples

# %% [markdown]
# A gradient over 32 samples costs little more than a gradient over one (the exact times jitter from
# run to run on a busy machine), and far less than 32 separate ones. That
# is the practical reason mini-batches of 32 to a few hundred are the default: less noise than SGD
# per step (section 6 measures how much), many more steps per epoch than batch descent, and each
# step fills the hardware.
#
# Memory tells the same story. A batch gradient holds one residual and one row of features per
# sample in the batch. `tracemalloc` (Python's allocation tracer) measures the peak for one gradient
# over a batch of 32 and over all of a data set of $10^5$ samples:

# %%
import tracemalloc

huge = gd.data.LeastSquares(gd.data.make_linear(n=100_000, seed=0))


def peak_bytes(idx):
    tracemalloc.start()
    huge.batch_grad(theta_now, idx)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


peaks = {size: peak_bytes(np.arange(size)) for size in (32, 100_000)}
assert peaks[100_000] > 100 * peaks[32]
print({size: f"{p / 1024:,.0f} KiB" for size, p in peaks.items()}, "peak memory of one gradient")

# %% [markdown]
# The full-batch gradient needs memory in proportion to $n$ (here a few megabytes; for a network on
# a million images, the activations of every image at once, far beyond any GPU). A mini-batch needs
# memory in proportion to $b$, whatever the size of the data set.
#
# ## 6. Why SGD never settles, and how to make it
#
# Why does SGD keep jumping around near the minimum? At $(w^*, b^*)$ the *average* of the
# per-sample gradients is zero; that is what makes it the minimum. But the individual gradients are
# not zero: each sample still pulls towards its own best line. With a constant learning rate every
# SGD update at the minimum is a kick of size $\eta\,|g_i|$ in a random direction.

# %%
at_minimum = sample_grads(loss, loss.solution)
mean_g, typical = at_minimum.mean(axis=0), np.sqrt(np.mean(np.sum(at_minimum**2, axis=1)))
assert np.abs(mean_g).max() < 1e-12 and typical > 1
print(f"at the minimum: mean sample gradient {np.abs(mean_g).max():.0e}, typical size {typical:.3f}")  # NBVAL_CHECK_OUTPUT
print(f"so a typical SGD kick there, with lr = 0.05, has length about {0.05 * typical:.3f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# How big is the jitter, and how does it depend on the rate? A little algebra predicts it. Near the
# minimum, with a bowl whose curvature is about $h = 2$ in every direction, one SGD step does
# $e \leftarrow (1 - \eta h)\,e - \eta\,\xi$ to the error $e = \theta - \theta^*$, where the kick $\xi$ has
# mean 0 and mean square $\sigma^2$, the typical size just printed, squared. If the kicks were
# independent, the mean square error would settle where the shrinking balances the kicks,
# $E|e|^2 = \eta \sigma^2 / (h(2 - \eta h))$, and the loss (here $L - L^* \approx |e|^2$) at
#
# $$\text{floor} \approx \frac{\eta\,\sigma^2}{4(1 - \eta)} \quad\text{for } h = 2 :$$
#
# **proportional to the rate**. We measure it: SGD started at the minimum, 20 epochs at each of
# seven rates (one call), the floor being the mean of $L - L^*$ over the last 10 epochs, median over
# 3 seeds.

# %%
floor_rates = np.geomspace(0.002, 0.2, 7)
floors = np.median([np.mean(gd.data.descend_data(loss, loss.solution, lr=floor_rates, epochs=20, batch_size=1,
                                                  seed=seed).f[-10 * data.n:] - L_star, axis=0)
                    for seed in range(3)], axis=0)
predicted = floor_rates * typical**2 / (4 * (1 - floor_rates))
fig, ax = plt.subplots(figsize=(6.5, 4), layout="constrained")
ax.loglog(floor_rates, floors, "o-", color=gd.plotting.color_of("stochastic"), label="measured (median of 3 seeds)")
ax.loglog(floor_rates, predicted, "--", color=gd.plotting.NEUTRAL,
          label=r"independent kicks: $\eta\sigma^2 / 4(1-\eta)$")
ax.set(xlabel="learning rate", ylabel="SGD's floor: mean L - L*", title="the noise floor grows with the rate")
ax.legend()
plt.show()

# %% [markdown]
# The floor rises with the rate over two decades: a hundred times the rate, about 750 times the
# floor. Around $\eta = 0.02$ to $0.05$ the simple formula is on the mark. At small rates the
# measured floor is *lower* than predicted: our SGD draws samples by shuffling, so within an epoch
# every sample is used exactly once and the kicks of an epoch sum to zero, which is better than
# independent draws. At the largest rates it is higher: away from the minimum each sample's kick
# also grows with the error (each sample has its own bowl), which the formula leaves out.

# %%
print("rate:    ", " ".join(f"{r:8.3f}" for r in floor_rates))  # NBVAL_CHECK_OUTPUT
print("measured:", " ".join(f"{v:8.1e}" for v in floors))  # NBVAL_CHECK_OUTPUT
print("formula: ", " ".join(f"{v:8.1e}" for v in predicted))  # NBVAL_CHECK_OUTPUT
assert np.all(np.diff(floors) > 0) and floors[-1] / floors[0] > 100
middle = (floor_rates > 0.015) & (floor_rates < 0.06)
assert np.all(np.abs(np.log(floors[middle] / predicted[middle])) < np.log(1.3))
assert floors[0] < 0.5 * predicted[0] and floors[-1] > predicted[-1]

# %% [markdown]
# So a constant rate trades speed for a floor: a larger rate gets near the minimum sooner and then
# jitters at a higher level. Why does a *decaying* rate escape the trade? Robbins and Monro (1951)
# answered it for any such noisy search: the rates $\eta_t$ must satisfy
#
# $$\sum_t \eta_t = \infty \qquad\text{and}\qquad \sum_t \eta_t^2 < \infty .$$
#
# The first sum lets the steps add up to any distance, so the run can still get anywhere. The second
# keeps the total noise finite: each kick adds a variance of about $\eta_t^2 \sigma^2$, and the sum of
# these stays bounded, so the jitter dies out. A constant rate fails the second condition;
# $\eta_t = \eta_0 / (1 + t/t_0)$ satisfies both (the harmonic series diverges, the sum of its squares
# does not). Decaying the rate during a run of fixed length, as the schedules of notebook 04 do, follows
# the same idea: large steps while they help, small ones once they only stir the point around.
#
# The cure is to shrink the kicks over time: a **decaying learning rate**, any of the schedules of
# notebook 04. With `gd.schedules.linear()` the rate falls in a straight line from just under
# $\eta$ at the first update to zero at the last (`descend_data` counts the schedule's steps in
# updates, not epochs). We run SGD with a constant and with a linearly decaying rate, for three
# different shuffling seeds each, and measure two things: how far the last position is from the
# exact answer, and how much the positions of the last epoch spread (their standard deviation, in
# $w$ and $b$ together).

# %%
def last_epoch(run):
    """Positions visited during the final epoch."""
    return run.x[run.epoch == run.n_epochs]


schedules = {"constant rate": None, "linear decay": gd.schedules.linear()}
settle = {(label, seed): gd.data.descend_data(loss, start, lr=0.05, epochs=10, batch_size=1,
                                              schedule=schedule, seed=seed)
          for label, schedule in schedules.items() for seed in (0, 1, 2)}

# %%
for (label, seed), run in settle.items():
    distance = np.linalg.norm(run.final - loss.solution)
    spread = np.linalg.norm(last_epoch(run).std(axis=0))
    print(f"{label:13s} seed {seed}: final distance {distance:.4f}, last-epoch spread {spread:.4f}")  # NBVAL_CHECK_OUTPUT
for seed in (0, 1, 2):
    const, decay = settle["constant rate", seed], settle["linear decay", seed]
    assert np.linalg.norm(decay.final - exact) < 0.2 * np.linalg.norm(const.final - exact)
    assert np.linalg.norm(last_epoch(decay).std(axis=0)) < 0.2 * np.linalg.norm(last_epoch(const).std(axis=0))

# %% [markdown]
# For every seed the decaying rate ends at least five times closer and its last epoch spreads at
# least five times less. The figure shows seed 0. **Look at** the top row: the position after every
# update, $w$ solid and $b$ dashed, with the constant rate on the left and the decaying one on the
# right. Watch the width of each band over time. The bottom row shows the loss and the rate each
# update used.

# %%
const_run, decay_run = (settle[label, 0] for label in schedules)
fig, axes = plt.subplots(2, 2, figsize=(13, 7.4), sharex=True, layout="constrained")
gd.plotting.plot_history(const_run, what="x", ax=axes[0, 0], labels=["constant rate"],
                         colors=[gd.plotting.color_of("constant")])
gd.plotting.plot_history(decay_run, what="x", ax=axes[0, 1], labels=["linear decay"],
                         colors=[gd.plotting.color_of("linear")])
axes[0, 1].sharey(axes[0, 0])
pair = {label: settle[label, 0] for label in schedules}
gd.plotting.plot_histories(pair, whats=("f", "lr"), axes=axes[1], log=("f",))
plt.show()

# %% [markdown]
# With a constant rate (left, blue) SGD reaches the neighbourhood of the minimum within the first
# epoch and then jitters around it for good: $w$ and $b$ stay in bands of the same width to the
# end, and the loss is a band too, not a line. With the decaying rate (right, orange) the kicks
# shrink with the rate, the bands narrow, and in the last epoch the point barely moves. A smaller
# *constant* rate would narrow the bands as well, but it would make every step smaller, the useful
# early ones included. A schedule takes large steps while they help and small ones once they only
# stir the point around. The smaller constant rate, checked:

# %%
calmer = gd.data.descend_data(loss, start, lr=0.01, epochs=10, batch_size=1, seed=0)
spreads = [np.linalg.norm(last_epoch(run).std(axis=0)) for run in (settle["constant rate", 0], calmer)]
assert spreads[1] < 0.6 * spreads[0]
print(f"last-epoch spread with a constant lr of 0.05: {spreads[0]:.4f}, of 0.01: {spreads[1]:.4f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ### Momentum and Adam on mini-batches
#
# Notebook 06 raced momentum and Adam on formulas. Data brings two new reasons to reach for them.
# Our synthetic inputs have mean 0 and spread 1, which made the bowl round. Real inputs rarely do.
# Shift them to mean 3 (the same noise and slope as before) and the bowl becomes a **ravine**: the
# curvatures are about 0.19 and 22.5, a ratio over 100. Plain descent must keep its rate below the
# steep direction's edge and crawls along the flat one; momentum builds up speed along the ravine,
# and Adam rescales each coordinate. With mini-batches, both also *average* the noisy gradients of
# several batches.
#
# Each optimizer runs mini-batches of 32 for 20 epochs from $(0, 0)$, with its rate tuned as in
# section 4 (median over 5 seeds of $L - L^*$ at the end; $\beta = 0.9$ for momentum and Adam's
# $\beta_1, \beta_2$ at their defaults, not tuned).

# %%
shift = np.random.default_rng(3)
x_off = 3 + shift.standard_normal(200)
y_off = 2 * x_off - 1 + 0.5 * shift.standard_normal(200)
offset = gd.data.LeastSquares(gd.data.Dataset(x_off, y_off, name="offset inputs"))
ravine_curv = np.linalg.eigvalsh(offset.hessian(offset.solution))
assert ravine_curv[1] / ravine_curv[0] > 100
optimizers = ["gd", "momentum", "adam"]
ravine_gaps = {opt: final_gaps(offset, [0.0, 0.0], 20, 32, optimizer=opt) for opt in optimizers}
ravine_rate = {opt: tuned(g)[0] for opt, g in ravine_gaps.items()}
for opt, g in ravine_gaps.items():
    best = RATES == ravine_rate[opt]
    print(f"{opt:9s} lr {ravine_rate[opt]:.4g}: median L - L* {np.median(g[:, best]):.1e}, "  # NBVAL_CHECK_OUTPUT
          f"seeds from {g[:, best].min():.1e} to {g[:, best].max():.1e}")

# %% [markdown]
# The loss curves at the tuned rates, seed 0, against updates. **Look for** where plain descent's
# curve flattens out: that is the crawl along the ravine's floor.

# %%
ravine_runs = {opt: gd.data.descend_data(offset, [0.0, 0.0], lr=ravine_rate[opt], epochs=20, batch_size=32,
                                         optimizer=opt, seed=0) for opt in optimizers}
fig, ax = plt.subplots(figsize=(7.5, 4), layout="constrained")
for opt, run in ravine_runs.items():
    gd.plotting.plot_data_loss(run, ax=ax, against="update", color=gd.plotting.color_of(opt),
                               label=f"{opt}, lr {ravine_rate[opt]:.3g}")
ax.set_title("mini-batches of 32 on offset inputs (a ravine)")
ax.legend()
plt.show()

# %% [markdown]
# Plain descent drops fast at first (down the steep walls) and then crawls along the floor. Momentum
# ends about ten times lower and Adam lower still; both beat plain descent on every one of the 5
# seeds (their ranges printed above do not overlap plain descent's). Adam's median is below
# momentum's, but their ranges overlap: between those two, 5 seeds do not settle it, and the
# ranking can change with $\beta$ or with a schedule, which we did not tune. Standardizing the input, as we will do for Forbes' data below, is the other cure: it makes
# the ravine a round bowl again, for every optimizer.

# %%
med = {opt: np.median(g[:, RATES == ravine_rate[opt]]) for opt, g in ravine_gaps.items()}
worst = {opt: g[:, RATES == ravine_rate[opt]].max() for opt, g in ravine_gaps.items()}
least = {opt: g[:, RATES == ravine_rate[opt]].min() for opt, g in ravine_gaps.items()}
assert med["adam"] < med["momentum"] < 0.2 * med["gd"]
assert worst["momentum"] < least["gd"] and worst["adam"] < least["gd"]

# %% [markdown]
# ## 7. Real data: Forbes' boiling points (1857)
#
# The physicist James D. Forbes measured the temperature at which water boils, and the air pressure,
# at 17 places in the Alps and in Scotland. He hoped that a thermometer, easier to carry up a
# mountain than a barometer, could stand in for both. Source: J. D. Forbes, "Further experiments and
# remarks on the measurement of heights by the boiling point of water", *Transactions of the Royal
# Society of Edinburgh* 21 (1857), 235-243; values as tabulated in S. Weisberg, *Applied Linear
# Regression* (1985), p. 3. The data are in the public domain and ship with gdviz:

# %%
forbes = gd.data.load_csv("forbes")
print(forbes)  # NBVAL_CHECK_OUTPUT
print(forbes.source.splitlines()[0])  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Before fitting anything, a warning from the numbers. The boiling points sit near 203 °F and vary
# by only about 5.6 °F. On these raw values the loss surface is an extremely narrow ravine: the
# Hessian's two curvatures differ by a factor of tens of millions. Plain descent must keep its rate
# below $2/f''_{\max}$ to stay stable, and along the flat direction such a tiny rate gets nowhere.

# %%
raw = gd.data.LeastSquares(forbes)
mean_T, sd_T = forbes.X[:, 0].mean(), forbes.X[:, 0].std()
raw_curv = np.linalg.eigvalsh(raw.hessian(raw.solution))
edge = 2 / raw_curv[1]
crawl = gd.descend(raw, [0.0, 0.0], lr=0.9 * edge, epochs=1000)
assert abs(mean_T - 203) < 0.1 and abs(sd_T - 5.6) < 0.05
assert raw_curv[1] / raw_curv[0] > 1e7 and 2e-5 < edge < 3e-5
assert not crawl.diverged and abs(crawl.final[1] - raw.solution[1]) > 80
assert gd.descend(raw, [0.0, 0.0], lr=1.1 * edge, epochs=1000).diverged
print(f"curvature ratio {raw_curv[1] / raw_curv[0]:.1e}; stable only for lr < {edge:.2e}")  # NBVAL_CHECK_OUTPUT
print(f"1000 epochs at lr = {0.9 * edge:.2e}: (w, b) = {crawl.final.round(3)}, exact {raw.solution.round(3)}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# After 1000 epochs the intercept has barely left 0, while the answer is about $-81$. The fix is
# to **standardize** the feature: subtract its mean and divide by its standard deviation, so that it
# has mean 0 and spread 1. The loss over the new $(w, b)$ is then a perfectly round bowl, with the
# Hessian exactly $2I$. The target stays in inches of mercury, so $b^*$ becomes the mean pressure and
# $w^*$ the change in pressure per standard deviation of boiling point.

# %%
scaled = gd.data.LeastSquares(forbes.standardized())
assert np.allclose(scaled.hessian(scaled.solution), 2 * np.eye(2))
w_s, b_s = scaled.solution
back = np.array([w_s / sd_T, b_s - w_s * mean_T / sd_T])  # undo the standardization
assert np.allclose(back, raw.solution, rtol=1e-9) and abs(b_s - forbes.y.mean()) < 1e-12
print(f"standardized: w* = {w_s:.4f}, b* = {b_s:.4f};",
      f"in raw units: w* = {back[0]:.4f} inHg/°F, b* = {back[1]:.3f} inHg")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Both routes give the same line. Because the Hessian is exactly $2I$, notebook 01 says batch
# descent at $\eta = 1/2$ lands on the minimum in a single step, from anywhere:

# %%
one_pass = gd.data.descend_data(scaled, [0.0, 0.0], lr=0.5, epochs=1)
assert np.linalg.norm(one_pass.final - scaled.solution) < 1e-12
print(f"batch descent, lr 0.5, one epoch: (w, b) = {one_pass.final.round(4)}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Now the three methods, each tuned as in section 4: 40 epochs from $(0, 0)$, the median over 5
# seeds of $L - L^*$ at the end, ties to the smaller rate. With only $n = 17$ samples a batch of 32
# does not exist, so the mini-batches hold 4 samples: $\lceil 17/4 \rceil = 5$ updates per epoch, the
# last with a single sample. **Predict first:** which method ends closest, and which moves most
# wildly on the way?

# %%
forbes_sizes = {"batch": None, "SGD": 1, "mini-batch": 4}
forbes_tuning = {name: final_gaps(scaled, [0.0, 0.0], 40, size) for name, size in forbes_sizes.items()}
forbes_rate = {}
for name, gaps in forbes_tuning.items():
    forbes_rate[name], ties = tuned(gaps)
    print(f"{name:10s}: tuned lr = {forbes_rate[name]:.4g}, median L - L* {np.median(gaps, axis=0).min():.1e}"  # NBVAL_CHECK_OUTPUT
          + (f" ({ties} rates tie at machine precision)" if ties > 1 else ""))

# %% [markdown]
# Batch descent ties: every rate from 0.25 to 0.71 brings the loss to the minimum to machine
# precision within 40 epochs, and the tie goes to the smallest, 0.25; $0.5$ is the one that needs only
# one epoch. SGD's best rate is 32 times smaller. The paths at the tuned rates, on the round bowl, with the loss against the work:

# %%
forbes_runs = {name: gd.data.descend_data(scaled, [0.0, 0.0], lr=forbes_rate[name], epochs=40, batch_size=size, seed=0)
               for name, size in forbes_sizes.items()}
per_epoch = [run.updates_per_epoch for run in forbes_runs.values()]
assert per_epoch == [1, forbes.n, int(np.ceil(forbes.n / 4))] == [1, 17, 5]
fig, (ax_path, ax_work) = plt.subplots(1, 2, figsize=(12, 5.2), width_ratios=(1, 1.8), layout="constrained")
window = [(-3, 7), (-3, 28)]  # wide enough in w for every path
gd.plotting.plot_landscape(scaled, ax=ax_path, bounds=window, colorbar=False, aspect="equal")
gd.plotting.plot_paths(forbes_runs, ax=ax_path, bounds=window, markersize=2, legend=False)  # legend on the right
gd.plotting.plot_history(forbes_runs, what="f", ax=ax_work, log=True, against="grad_evals")
ax_work.set_xscale("log")
plt.show()

# %% [markdown]
# Batch descent walks a straight line to the minimum, most of the way up in $b$: the intercept
# must grow to the mean pressure, about 25. SGD and the mini-batches swing left and right in $w$ on
# the way, beyond the stretch between the start and the answer. On the right, batch descent reaches machine precision within a few epochs, while SGD and
# mini-batch descent level off at their noise floors. On 17 samples and an exactly round bowl, a
# full pass is cheap and batch descent at its natural rate wins outright, as the crossover of
# section 5 predicts for small $n$.

# %%
gaps = {name: np.linalg.norm(run.final - scaled.solution) for name, run in forbes_runs.items()}
assert gaps["batch"] < 1e-9 < gaps["SGD"] < 0.02 and gaps["mini-batch"] < 0.05
print({name: f"{g:.1e}" for name, g in gaps.items()}, "from the exact answer after 40 epochs")  # NBVAL_CHECK_OUTPUT
tie = np.median(forbes_tuning["batch"], axis=0) == np.median(forbes_tuning["batch"], axis=0).min()
assert forbes_rate["batch"] == 0.25 and np.allclose(RATES[tie], 2.0 ** np.arange(-2, -0.25, 0.5))
assert forbes_rate["batch"] / forbes_rate["SGD"] == 32

# %% [markdown]
# Why the swings in $w$? At the start $(0, 0)$ every sample's error is about $-25$ (the line
# predicts 0, the pressures are near 25), so every sample's gradient says firmly "raise $b$". Its
# $w$ part, $2 r_i x_i$, is that error times the standardized boiling point $x_i$, which is
# negative for some samples and positive for others. The samples agree about $b$ and disagree
# loudly about $w$; their average, the batch gradient, is large in $b$ and small in $w$.

# %%
g_start = sample_grads(scaled, [0.0, 0.0])
assert np.all((-61 < g_start[:, 1]) & (g_start[:, 1] < -41))
assert g_start[:, 0].min() < -90 and g_start[:, 0].max() > 60
print(f"sample gradients at (0, 0): w part from {g_start[:, 0].min():.1f} to {g_start[:, 0].max():.1f},",
      f"b part from {g_start[:, 1].min():.1f} to {g_start[:, 1].max():.1f}")  # NBVAL_CHECK_OUTPUT
print(f"their average, the batch gradient: {np.round(scaled.grad([0.0, 0.0]), 1)}")  # NBVAL_CHECK_OUTPUT
overshoot = {name: max(-run.x[:, 0].min(), run.x[:, 0].max() - w_s) for name, run in forbes_runs.items()}
assert overshoot["batch"] < 1e-9 and overshoot["SGD"] > 1 and overshoot["mini-batch"] > 1  # beyond [0, w*] in w

# %% [markdown]
# Finally, the fitted line in Forbes' own units, with the mini-batch run's parameters converted back.
# **Look for** the one point that sits clearly off the line: sample 12, the outlier that every
# textbook analysis of these data points out.

# %%
w_fit, b_fit = forbes_runs["mini-batch"].final
fit = (w_fit / sd_T, b_fit - w_fit * mean_T / sd_T)  # back to raw units, as for the exact answer above
fig, ax = plt.subplots(figsize=(6.5, 4), layout="constrained")
gd.plotting.plot_data(forbes, ax=ax, lines={"mini-batch fit, 40 epochs": fit}, label="Forbes' 17 measurements",
                      annotate={11: "sample 12"})
ax.set(xlabel="boiling point (°F)", ylabel="pressure (inches of mercury)", title="Forbes (1857)")
plt.show()

# %% [markdown]
# The line runs through the measurements: each degree Fahrenheit of boiling point is worth about
# half an inch of mercury. The outlier misses it by about 0.65 inches, more than twice as far as any
# other point.

# %%
residuals = np.abs(raw.residuals(raw.solution))
assert 0.5 < back[0] < 0.55  # inches of mercury per degree
assert int(residuals.argmax()) == 11 and residuals[11] > 2 * np.delete(residuals, 11).max()
print(f"sample 12 misses the best line by {residuals[11]:.3f} inHg;",
      f"the next worst by {np.delete(residuals, 11).max():.3f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 8. Your turn: the batch explorer
#
# The explorer runs `descend_data` on the synthetic data every time you move a slider: the batch
# size (1 is SGD, 200 is batch descent, powers of two in between), the learning rate and the number
# of epochs. On the left is the path on the loss contour, from the same start as in section 4; on
# the right $L - L^*$ against updates (the steps taken) and against gradient evaluations (the work).
# The readout under the figure gives the updates per epoch, the total work and where the run ended.
#
# **Predict first, then move the slider:**
# 1. Set the batch size to 200. How many updates will 20 epochs make, and will the path wobble?
# 2. Set the batch size to 1 and the rate to 0.05. Will adding epochs bring the end point closer to
#    the minimum? Now lower the rate to 0.01: what happens to the size of the cloud?
# 3. Raise the rate to about 0.8. Which batch size blows up first: 1, 32 or 200? (Hint: a single
#    sample with a large $x_i$ makes its own bowl much steeper than the average one.)

# %%
gd.widgets.explore_batches(loss, lr=0.05, epochs=20, batch_size=32, seed=0, params0=start)

# %% [markdown]
# For question 3, here is the check, over 5 epochs: at $\eta = 0.8$ batch and mini-batch descent
# stay in the bowl (batch descent's limit is $\eta < 2/f''_{\max} \approx 1$), while SGD is thrown
# out within its first epoch.

# %%
hot = {size: gd.data.descend_data(loss, start, lr=0.8, epochs=5, batch_size=size, seed=0) for size in (1, 32, None)}
assert [bool(run.diverged) for run in hot.values()] == [True, False, False] and hot[1].diverged_at < data.n
print({run.method: bool(run.diverged) for run in hot.values()})  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## Summary
#
# - A data-fitting loss is an average over samples, so its gradient is an average of per-sample
#   gradients. For a straight line and mean squared error the minimum is also known exactly
#   (least squares), and descent reaches it.
# - **Batch** descent uses all $n$ samples per update (1 update per epoch): smooth and exact, but each
#   step costs a full pass. **SGD** uses one (n updates per epoch): cheap and noisy. **Mini-batch**
#   descent uses $b$ ($\lceil n/b \rceil$ updates per epoch, the last batch holding what is left over).
# - Compare methods at their **own tuned rates**, tuned by the criterion you rank by, over several
#   seeds. Tuned, the three best rates here differed 250-fold: batch descent's is notebook 01's
#   $1/f''$, SGD's is small enough to keep its kicks small.
# - Who wins depends on $n$: batch descent pays $n$ sample gradients per step, SGD's work to a
#   tolerance hardly depends on $n$. On our data SGD needed less work from about $n = 2600$ on; on
#   small data sets (200 samples, Forbes' 17) batch descent at $1/f''$ won outright.
# - A batch of 32 costs about as much time as one sample on a computer, and memory in proportion to
#   the batch, not to the data set: the practical case for mini-batches.
# - With a constant rate SGD never settles: at the minimum the per-sample gradients average to zero
#   but are not zero. Its noise floor grows with the rate (about in proportion, near
#   $\eta\sigma^2/4$). A decaying rate that satisfies Robbins and Monro's conditions,
#   $\sum \eta_t = \infty$ and $\sum \eta_t^2 < \infty$, lets it come to rest.
# - On badly scaled inputs (a ravine), mini-batches with momentum or Adam end far lower than plain
#   mini-batch descent at its best rate.
# - Standardize features before descending: on Forbes' raw boiling points the bowl is a ravine with
#   curvatures more than $10^7$ apart; standardized, it is perfectly round.
#
# ## Exercises
#
# Each exercise ends with a check that says "correct!" or "not yet". The next cell defines the
# checks; run it once.

# %%
# EXERCISE CHECKS
def check_updates(answer):
    """Exercise 1: (updates per epoch, updates per epoch with drop_last=True), n = 1000, batches of 64."""
    if answer is ...:
        return print("not yet: replace ... with two whole numbers, e.g. (12, 11)") or False
    if (not isinstance(answer, tuple) or len(answer) != 2
            or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in answer)):
        return print("not yet: answer with a pair of whole numbers: (updates, updates with drop_last)") or False
    big = gd.data.make_linear(n=1000, seed=1)
    truth = tuple(gd.data.descend_data(big, epochs=1, batch_size=64, drop_last=drop).updates_per_epoch
                  for drop in (False, True))
    ok = tuple(int(v) for v in answer) == truth
    print("correct!" if ok else "not yet: 1000 = 64 * 15 + ?")
    return ok


def check_ratio(answer):
    """Exercise 2: typical size of a 16-sample batch gradient over a 1-sample one, at the minimum."""
    if answer is ...:
        return print("not yet: replace ... with your predicted ratio, a number") or False
    if isinstance(answer, bool) or not isinstance(answer, (int, float, np.floating, np.integer)):
        return print("not yet: answer with a number, e.g. 0.5") or False
    loss = gd.data.LeastSquares(gd.data.make_linear(n=200, w=2.0, b=-1.0, noise=0.5, seed=0))
    draws = np.random.default_rng(seed=11)

    def typical_size(size):
        grads = [loss.batch_grad(loss.solution, draws.choice(loss.n, size, replace=False)) for _ in range(4000)]
        return np.sqrt(np.mean(np.sum(np.square(grads), axis=1)))

    measured = typical_size(16) / typical_size(1)
    ok = bool(abs(answer / measured - 1) < 0.1)
    print(f"measured ratio {measured:.3f}:", "correct!" if ok else "not yet: how does the spread of a mean shrink?")
    return ok


def check_schedule(answer):
    """Exercise 3: a schedule that brings SGD on standardized Forbes within 0.005 for seeds 0, 1, 2."""
    if answer is ...:
        return print("not yet: replace ... with a schedule, e.g. gd.schedules.step_decay(0.5, 100)") or False
    scaled = gd.data.LeastSquares(gd.data.load_csv("forbes").standardized())
    try:
        ends = [gd.data.descend_data(scaled, [0.0, 0.0], lr=0.05, epochs=30, batch_size=1, schedule=answer,
                                     seed=s).final for s in (0, 1, 2)]
    except (TypeError, ValueError) as error:
        return print(f"not yet: that is not a schedule gdviz knows ({error})") or False
    worst = max(np.linalg.norm(e - scaled.solution) for e in ends)
    ok = bool(worst < 0.005)
    print(f"worst final distance {worst:.4f}:", "correct!" if ok else "not yet: decay further, but not too fast")
    return ok


def check_clipped_sgd(fn):
    """Exercise 4: fn(loss, theta0, lr, epochs, clip, seed) -> positions after every update of clipped SGD."""
    shift = np.random.default_rng(3)  # the offset inputs of section 6
    x_off = 3 + shift.standard_normal(200)
    loss = gd.data.LeastSquares(gd.data.Dataset(x_off, 2 * x_off - 1 + 0.5 * shift.standard_normal(200)))
    rng, theta, expected = np.random.default_rng(0), np.zeros(2), [np.zeros(2)]
    for _ in range(3):  # the reference: shuffle every epoch, clip each sample's gradient to norm <= 1
        for i in rng.permutation(loss.n):
            g = loss.batch_grad(theta, [i])
            g = g * min(1.0, 1.0 / np.linalg.norm(g)) if np.linalg.norm(g) > 0 else g
            theta = theta - 0.15 * g
            expected.append(theta)
    try:
        with np.errstate(all="ignore"):
            got = fn(loss, [0.0, 0.0], 0.15, 3, 1.0, 0)
    except Exception as error:  # noqa: BLE001 - a learner's bug becomes a hint, not a traceback
        return print(f"not yet: your function raised {type(error).__name__}: {error}") or False
    if got is None:
        return print("not yet: your function returns nothing; replace ... with your loop") or False
    got = np.asarray(got, dtype=float)
    if got.shape != (len(expected), 2):
        return print(f"not yet: expected {len(expected)} positions (the start and one per update) of (w, b), "
                     f"got shape {got.shape}") or False
    if not np.allclose(got, expected, rtol=0, atol=1e-9):
        return print("not yet: shuffle each epoch with rng.permutation, then for each sample scale g down to "
                     "norm clip if it is longer, and step") or False
    plain = gd.data.descend_data(loss, [0.0, 0.0], lr=0.15, epochs=3, batch_size=1, seed=0)
    print(f"correct! Plain SGD blew up at update {plain.diverged_at}; clipped, it ends at "
          f"L - L* = {loss(expected[-1]) - loss.min_loss:.3f}")
    return True


# %% [markdown]
# **1. Counting updates.** A data set has $n = 1000$ samples and you train with mini-batches of 64.
# How many updates does one epoch make, and how many with `drop_last=True`, which skips a last,
# smaller batch? Put both in `my_updates` as a pair and run the check.

# %%
my_updates = ...  # your answer: (updates per epoch, updates with drop_last=True)

check_updates(my_updates);

# %% [markdown]
# <details><summary>Solution</summary>
#
# $1000 = 15 \cdot 64 + 40$: fifteen full batches and one of 40, so 16 updates. With
# `drop_last=True` the 40 left-over samples sit the epoch out (a different 40 each epoch, because of
# the shuffle): 15. So `my_updates = (16, 15)`.
# </details>
#
# **2. How noisy is a mini-batch?** At the minimum of the synthetic loss the full gradient is zero,
# but the gradient of a random batch is not. By what factor does the typical size of a batch
# gradient shrink when the batch grows from 1 to 16 samples? Predict, put the ratio in `my_ratio`,
# then run the check, which measures it from 4000 random batches of each size.

# %%
my_ratio = ...  # your prediction, a number

check_ratio(my_ratio);

# %% [markdown]
# <details><summary>Solution</summary>
#
# About $1/\sqrt{16} = 0.25$, so `my_ratio = 0.25`. A batch gradient is the mean of $b$ sample
# gradients, and the spread of a mean of $b$ independent draws shrinks like $1/\sqrt b$. (The batch
# is drawn without replacement from only 200 samples, which shrinks it a little more, by
# $\sqrt{(n-b)/(n-1)} \approx 0.96$: the measurement gives about 0.24.) This is why a 16 times larger
# batch buys only 4 times less noise: the first samples of a batch are the most valuable ones.
# </details>
#
# **3. Make SGD settle on Forbes' data.** SGD on the standardized Forbes loss with $\eta = 0.05$ for
# 30 epochs ends between 0.01 and 0.05 from the exact answer, depending on the seed. Choose a
# schedule (a `gd.schedules` object or a name) that brings it within 0.005 for seeds 0, 1 and 2,
# without changing $\eta$ or the number of epochs.

# %%
my_schedule = ...  # your schedule

check_schedule(my_schedule);

# %% [markdown]
# <details><summary>Solution</summary>
#
# `my_schedule = gd.schedules.linear()` ends within about 0.002 for all three seeds; so does
# `gd.schedules.exponential(0.99)` (over $30 \cdot 17 = 510$ updates the rate falls to
# $0.99^{510} \approx 0.6\%$ of its start). With a constant rate the same runs end 0.012, 0.049 and
# 0.021 away. A decay can also be too fast: the name `"exponential"` means $\alpha = 0.95$ per
# update, which shrinks the rate to almost nothing within about a hundred updates, and the runs
# freeze about 3 away from the answer, before they get there.
# </details>
#
# **4. Clipping inside a training loop.** On the offset inputs of section 6, SGD at $\eta = 0.15$
# blows up in its first epoch: a sample with a large $x_i$ has a bowl so steep that one step
# overshoots wildly. Notebook 05 tamed exploding gradients by **clipping**: if $\lVert g \rVert > c$,
# replace $g$ by $g \cdot c / \lVert g \rVert$ (same direction, length $c$). Write SGD with clipping:
# `my_clipped_sgd(loss, theta0, lr, epochs, clip, seed)` makes `rng = np.random.default_rng(seed)`,
# draws `order = rng.permutation(loss.n)` at the start of every epoch, and for each sample `i` in
# that order takes the gradient `loss.batch_grad(theta, [i])`, clips it, and steps. It returns the
# start and every position after it, as an array of shape `(epochs * n + 1, 2)`. The check runs it
# at $\eta = 0.15$, 3 epochs, $c = 1$ and compares every position with its own loop.

# %%
def my_clipped_sgd(loss, theta0, lr, epochs, clip, seed):
    ...  # your loop: shuffle, then for each sample: gradient, clip, step; return the positions


check_clipped_sgd(my_clipped_sgd);

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_clipped_sgd(loss, theta0, lr, epochs, clip, seed):
#     rng = np.random.default_rng(seed)
#     theta = np.array(theta0, dtype=float)
#     path = [theta]
#     for _ in range(epochs):
#         for i in rng.permutation(loss.n):           # a fresh shuffle every epoch
#             g = loss.batch_grad(theta, [i])
#             norm = np.linalg.norm(g)
#             if norm > clip:
#                 g = g * (clip / norm)                # same direction, length clip
#             theta = theta - lr * g
#             path.append(theta)
#     return np.array(path)
# ```
#
# Clipping each coordinate on its own (`np.clip(g, -clip, clip)`) changes the gradient's direction
# and the check says "not yet". Clipped, the run stays in the bowl; it does not settle, because
# clipping bounds the kicks without shrinking them (that is a schedule's job).
# </details>
#
# **Next:** [08 · Escaping local minima](08_escaping_local_minima.ipynb) turns the noise of this
# notebook into a tool: on landscapes with several valleys, random kicks, restarts and annealing can
# carry descent out of a poor minimum into a better one.
