# %% [markdown]
# # 09 · Training a neural network
#
# **What you will be able to do after this notebook**
#
# - write the training loop of a neural network yourself (forward pass, loss, backpropagation,
#   update, mini-batches, epochs) and check it against `gd.nn.train`;
# - train a small network on real handwritten digits, keep a test set aside, and read training and
#   test curves;
# - compare gradient descent, momentum, Adam and AdamW fairly: each tuned on a validation set,
#   then run from several seeds, with the spread shown;
# - pick a learning rate with a range test, and beat it with warm-up and cosine decay;
# - recognise notebook 05's vanishing gradients in a training curve, and rescue a rate that is too
#   large with gradient clipping;
# - look at a network's loss landscape (along a line and on a 2-D slice) and find notebook 01's
#   stability edge $2/\eta$ again, in a network.
#
# **Where we left off.** Eight notebooks took gradient descent apart: the update rule and its
# stability edge $\eta < 2/f''$ (01), landscapes with several valleys (02), sweeps over rates and
# epochs (03), schedules (04), vanishing and exploding gradients in deep networks (05), the optimizer
# zoo (06), mini-batches of data (07) and ways out of local minima (08). The networks of notebook 05
# were never trained, and notebook 07 fitted a straight line. This capstone puts every piece
# together on a real model: a neural network that learns to read handwritten digits.

# %%
# SETUP

# %% [markdown]
# ## 1. The data: 1,797 handwritten digits
#
# The UCI "Optical Recognition of Handwritten Digits" set (Alpaydin and Kaynak, 1998; CC BY 4.0)
# holds 8x8 images of digits written by 13 people. Each pixel counts the ink in a 4x4 block of
# the original 32x32 bitmap, 0 to 16; `load_digits` divides by 16, so pixels lie in $[0, 1]$ and
# an image is a row of 64 numbers. Here are the first twenty:

# %%
X, y = gd.datasets.load_digits()
mosaic = X[:20].reshape(2, 10, 8, 8).transpose(0, 2, 1, 3).reshape(16, 80)  # 2 rows of 10 images, side by side
fig, ax = plt.subplots(figsize=(10, 2.2), layout="constrained")
ax.imshow(mosaic, cmap="gray_r", vmin=0, vmax=1)
for i, label in enumerate(y[:20]):  # each image's label in its top-left corner
    ax.text(8 * (i % 10) - 0.3, 8 * (i // 10) - 0.3, str(label), color=gd.plotting.PALETTE[0], va="top", fontsize=11)
ax.axis("off")
plt.show()

# %% [markdown]
# A model that only memorised these images would be useless: it has to read digits it has never
# seen. So, as in every machine-learning project, we **hold out a test set** before anything
# else: 20% of the images, drawn at random per digit (stratified, with a seed), which we look at
# only to report results. For choosing settings such as the learning rate we hold out another 20%
# of the rest, the **validation set**; tuning on the test set would make its verdict optimistic.

# %%
X_train, X_test, y_train, y_test = gd.datasets.train_test_split(X, y, test_size=0.2, seed=0)
X_fit, X_val, y_fit, y_val = gd.datasets.train_test_split(X_train, y_train, test_size=0.2, seed=1)
assert len(y_train) + len(y_test) == 1797 and np.all(np.bincount(y_test) >= 35)
print(f"training {len(y_train)} (of which {len(y_fit)} fit + {len(y_val)} validation), test {len(y_test)}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 2. The network and its training loop, by hand
#
# Our network is a **multilayer perceptron**: 64 inputs, one hidden layer of 32 units and 10
# outputs, one per digit. A sample $x$ (a row of 64 pixels) goes through
#
# $$z_1 = x W_1 + b_1, \qquad a_1 = \max(z_1, 0), \qquad z_2 = a_1 W_2 + b_2,$$
#
# where $W_1$ is a $64 \times 32$ matrix, $W_2$ is $32 \times 10$, and ReLU, $\max(z, 0)$, acts
# element by element. The ten outputs $z_2$ are **logits**: the **softmax**
# $p_k = e^{z_k} / \sum_j e^{z_j}$ turns them into probabilities, and the loss of a sample with
# label $c$ is the **cross-entropy** $-\log p_c$, small when the network puts its probability on
# the right digit. The loss of a batch is the mean over its samples.
#
# `gd.nn.MLP` keeps all weights and biases in **one flat vector** $\theta$, so to the optimizers of
# notebook 06 a network is just another objective with many coordinates.

# %%
net = gd.nn.MLP([64, 32, 10], activation="relu", loss="cross_entropy", seed=0)
theta0 = net.init()
(W1, b1), (W2, b2) = net.unflatten(theta0)
assert theta0.size == W1.size + b1.size + W2.size + b2.size
print(f"{theta0.size} parameters: W1 {W1.shape}, b1 {b1.shape}, W2 {W2.shape}, b2 {b2.shape}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# The **forward pass** and the loss, written out once. Subtracting each row's largest logit before
# the exponential changes nothing in the softmax but keeps $e^{z}$ from overflowing.

# %%
def forward(theta, X):
    (W1, b1), (W2, b2) = net.unflatten(theta)
    z1 = X @ W1 + b1
    a1 = np.maximum(z1, 0)
    return z1, a1, a1 @ W2 + b2


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def cross_entropy(theta, X, y):
    p = softmax(forward(theta, X)[2])
    return np.mean(-np.log(p[np.arange(len(y)), y]))


assert np.isclose(cross_entropy(theta0, X_train, y_train), net.loss(theta0, X_train, y_train))
print(f"loss of the untrained network: {net.loss(theta0, X_train, y_train):.3f}; ln 10 = {np.log(10):.3f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# An untrained network spreads its bets, so its loss is close to $\ln 10$: the cross-entropy of
# putting probability $1/10$ on every digit.
#
# The **backward pass** is the chain rule of notebook 05, one layer at a time from the top.
# For softmax with cross-entropy the gradient with respect to the logits is remarkably simple:
# $\partial L / \partial z_2 = (p - \text{onehot}(y)) / n$ for a batch of $n$ samples. From there
#
# $$\frac{\partial L}{\partial W_2} = a_1^\top \delta_2, \quad \frac{\partial L}{\partial b_2} = \sum_i \delta_{2,i},
# \quad \delta_1 = (\delta_2 W_2^\top) \odot [z_1 > 0], \quad
# \frac{\partial L}{\partial W_1} = x^\top \delta_1, \quad \frac{\partial L}{\partial b_1} = \sum_i \delta_{1,i},$$
#
# where $\delta_l = \partial L / \partial z_l$ and $[z_1 > 0]$ is ReLU's slope (1 or 0).

# %%
def backward(theta, X, y):
    (W1, b1), (W2, b2) = net.unflatten(theta)
    z1, a1, z2 = forward(theta, X)
    delta2 = softmax(z2)
    delta2[np.arange(len(y)), y] -= 1
    delta2 /= len(y)
    delta1 = (delta2 @ W2.T) * (z1 > 0)
    return np.concatenate([(X.T @ delta1).ravel(), delta1.sum(0), (a1.T @ delta2).ravel(), delta2.sum(0)])


batch = slice(0, 32)
g = backward(theta0, X_train[batch], y_train[batch])
assert np.allclose(g, net.grad(theta0, X_train[batch], y_train[batch]))

# %% [markdown]
# Backpropagation agrees with gdviz. Both could share a mistake, so we also check it against the
# definition of a derivative: nudge one weight by $\pm h$ and take the central difference.

# %%
h, worst = 1e-6, 0.0
for i in np.random.default_rng(0).choice(theta0.size, 20, replace=False):
    e = np.zeros_like(theta0)
    e[i] = h
    numeric = (cross_entropy(theta0 + e, X_train[batch], y_train[batch])
               - cross_entropy(theta0 - e, X_train[batch], y_train[batch])) / (2 * h)
    worst = max(worst, abs(numeric - g[i]))
assert worst < 1e-7

# %% [markdown]
# Now the **training loop** of the sources. One **epoch** is one pass over the training data: shuffle
# the samples, cut them into **mini-batches** of 32 (notebook 07), and for each batch compute the
# error, backpropagate and update every weight by $\theta \leftarrow \theta - \eta\, g$.

# %%
def train_by_hand(theta, X, y, lr, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    for _ in range(epochs):  # one epoch: one pass over the shuffled samples
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            rows = order[start:start + batch_size]
            theta = theta - lr * backward(theta, X[rows], y[rows])
    return theta


hand = train_by_hand(theta0, X_train, y_train, lr=0.1, epochs=3, batch_size=32, seed=0)
run = gd.nn.train(net, X_train, y_train, optimizer="gd", lr=0.1, epochs=3, batch_size=32, seed=0)
assert np.allclose(hand, run.x[-1])
print(f"{run.updates_per_epoch} updates per epoch; loss {net.loss(theta0, X_train, y_train):.3f} -> "
      f"{net.loss(hand, X_train, y_train):.3f} after 3 epochs")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Our loop and `gd.nn.train` take the same 135 steps to the same weights. From now on we use
# gdviz: it runs the network through the same engine as every landscape of the course, so every
# optimizer, schedule, clipping and the divergence check of notebooks 01-08 work on it unchanged.
#
# ## 3. Training and test curves
#
# Let us train properly: Adam (notebook 06) at $\eta = 0.01$, a common first choice for Adam,
# mini-batches of 32, 20 epochs. After every epoch we measure the loss on the whole training set
# and on the test set, and the **accuracy**: the share of images whose largest logit is the right
# digit.

# %%
run = gd.nn.train(net, X_train, y_train, optimizer="adam", lr=0.01, epochs=20, batch_size=32, seed=0,
                  X_test=X_test, y_test=y_test)
curves = {"training": run.train_loss, "test": run.test_loss}

fig, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
for name, values in curves.items():
    ax.plot(values, marker="o", ms=3, label=f"{name} loss")
ax.set(yscale="log", xlabel="epoch", ylabel="cross-entropy",
       title=f"Adam, lr = 0.01: test accuracy {run.test_accuracy[-1]:.1%}")
ax.legend()
plt.show()

# %% [markdown]
# Both losses fall fast in the first epochs. Then they part: the training loss keeps falling
# towards zero, while the test loss falls more and more slowly and levels off far above it. The
# network does better on the images it has trained on than on new ones: a **generalisation gap**,
# the first sign of **over-fitting** (learning the particular training images rather than digits in
# general). Still, it reads more than 95% of the test digits correctly, digits it has never seen.

# %%
gap = run.test_loss[-1] / run.train_loss[-1]
assert run.test_accuracy[-1] >= 0.95 and gap > 5
assert run.test_loss[10:].max() < 1.5 * run.test_loss[10:].min()  # levelled off in the second half
print(f"test accuracy {run.test_accuracy[-1]:.1%}; final losses: training {run.train_loss[-1]:.4f}, "
      f"test {run.test_loss[-1]:.3f} ({gap:.0f} times higher)")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 4. A fair race: GD, momentum, Adam and AdamW
#
# Which optimizer trains this network best? Notebook 06 taught the rules of a fair race: tune every
# optimizer's learning rate with the same budget and the same criterion, then compare over many
# starts. Here the budget is 10 epochs with mini-batches of 64 (to keep the notebook quick), the
# criterion is the **validation loss** at the end, and the race is repeated from 4 seeds: each
# seed draws new initial weights and a new order of the mini-batches.
#
# The fourth runner is **AdamW** (Loshchilov and Hutter, 2019): Adam plus *decoupled weight
# decay*, which pulls every weight towards zero by a fixed fraction $\eta \lambda$ per step,
# $\theta \leftarrow \theta - \eta\,(\hat m / (\sqrt{\hat v} + \epsilon) + \lambda \theta)$, here with
# $\lambda = 0.1$. Small weights are a classic remedy for over-fitting.
#
# First the tuning, on the fit/validation split, with 7 rates from $10^{-3}$ to $3$:

# %%
OPTIMIZERS = {"GD": "gd", "Momentum": "momentum", "Adam": "adam", "AdamW": gd.optimizers.AdamW(weight_decay=0.1)}
RATES, EPOCHS, BATCH, SEEDS = np.geomspace(1e-3, 3, 7), 10, 64, range(4)


def validation_loss(optimizer, lr):
    """The validation loss after EPOCHS epochs on the fit set; a run that diverged counts as infinitely bad."""
    r = gd.nn.train(net, X_fit, y_fit, optimizer=optimizer, lr=lr, epochs=EPOCHS, batch_size=BATCH, seed=0)
    return np.inf if np.any(r.diverged) else net.loss(r.x[-1], X_val, y_val)


tuning = {name: np.array([validation_loss(opt, lr) for lr in RATES]) for name, opt in OPTIMIZERS.items()}
tuned = {name: float(RATES[np.argmin(losses)]) for name, losses in tuning.items()}
print({name: round(lr, 4) for name, lr in tuned.items()})  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Now the race itself: each optimizer at its tuned rate, trained on the whole training set from 5
# seeds, scored on the test set.

# %%
def test_curve(r):
    """The test loss after each epoch of a run (the untrained network first)."""
    return [net.loss(theta, X_test, y_test) for theta in r.x[r.epoch_ends]]


race = {name: [gd.nn.train(gd.nn.MLP([64, 32, 10], seed=s), X_train, y_train, optimizer=opt, lr=tuned[name],
                           epochs=EPOCHS, batch_size=BATCH, seed=s) for s in SEEDS]
        for name, opt in OPTIMIZERS.items()}
race_curves = {name: np.array([test_curve(r) for r in runs]) for name, runs in race.items()}

fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4), layout="constrained")
for name in OPTIMIZERS:
    color = gd.plotting.color_of(name)
    left.plot(RATES, tuning[name], marker="o", color=color, label=name)
    gd.plotting.plot_spread(race_curves[name], color=color, label=name, ax=right)
left.set(xscale="log", yscale="log", xlabel="learning rate", ylabel=f"validation loss after {EPOCHS} epochs",
         title="tuning (seed 0)")
right.set(yscale="log", xlabel="epoch", ylabel="test loss", title=f"race at the tuned rates: {len(SEEDS)} seeds")
right.legend(loc="upper right")  # the top right of the race is empty; on the left it would hide points
plt.show()

# %% [markdown]
# On the left, every optimizer has a rate that suits it, and they are far apart: Adam and AdamW
# want about 0.05, momentum about 0.2, plain descent about 0.8. Adam's step is about $\eta$
# whatever the gradient, plain descent's is $\eta$ times the gradient (notebook 06), and momentum's
# steps pile up to about $\eta/(1-\beta) = 10\,\eta$ times the gradient. Every best rate lies inside
# the grid, so the grid was wide enough. Too large a rate ruins every optimizer: the loss ends near
# $\ln 10 \approx 2.3$, a network that only guesses. On the right, the median test loss of the 4
# seeds with a band from the best to the worst seed: momentum, Adam and AdamW fall fastest in the
# first epochs; plain descent is slower, and in those early epochs its seeds spread most.

# %%
others = ("Momentum", "Adam", "AdamW")
assert all(RATES[0] < lr < RATES[-1] for lr in tuned.values()) and all(t[-1] > 2 for t in tuning.values())
early = {name: values[:, 1:4] for name, values in race_curves.items()}  # epochs 1 to 3
assert all(np.median(early["GD"][:, 0]) > np.median(early[n][:, 0]) for n in others)
assert all(np.ptp(early["GD"], axis=0).mean() > np.ptp(early[n], axis=0).mean() for n in others)

# %%
final = {name: values[:, -1] for name, values in race_curves.items()}
accuracy = {name: np.array([net.accuracy(r.x[-1], X_test, y_test) for r in runs]) for name, runs in race.items()}
# NBVAL_CHECK_OUTPUT
print(f"{'':9s} {'tuned lr':>9s} {'test loss: median (min-max)':>28s} {'test accuracy: mean (min)':>26s}")
for name in OPTIMIZERS:
    print(f"{name:9s} {tuned[name]:9.3g} {np.median(final[name]):13.3f} ({final[name].min():.3f}-"
          f"{final[name].max():.3f}) {accuracy[name].mean():16.1%} ({accuracy[name].min():.1%})")

# %% [markdown]
# After 10 epochs momentum, Adam and AdamW end close together, and their bands overlap: which of
# them is best depends on the seed. Plain descent ends clearly behind. Weight decay changed little
# in 10 epochs. With bands this wide, any ranking of the three would be an anecdote of a few seeds
# on one small problem; the honest summary is "tuned, they are about equal here, and all beat plain
# descent".

# %%
overlap = max(final[n].min() for n in others) < min(final[n].max() for n in others)
assert overlap and all(np.median(final[n]) < np.median(final["GD"]) for n in others)

# %% [markdown]
# ## 5. Choosing the rate: a range test, then warm-up and cosine decay
#
# Tuning by a sweep costs one training run per rate. The **learning-rate range test** (Smith, 2017)
# needs one short run: start with a tiny rate and multiply it by a constant factor after every
# mini-batch, from $10^{-4}$ to $10$ over two epochs, and record the mini-batch loss. A schedule is a
# function of the step (notebook 04), so the growing rate is one line. While the rate is too small
# nothing happens; then the loss falls faster and faster; at some point the steps become too large
# and the loss shoots up.

# %%
updates = 2 * int(np.ceil(len(y_train) / BATCH))
growth = (10 / 1e-4) ** (1 / (updates - 1))
growing = gd.schedules.Schedule("range test", lambda t, total: growth**t)
probe = gd.nn.train(net, X_train, y_train, optimizer="momentum", lr=1e-4, epochs=2, batch_size=BATCH, seed=0,
                    schedule=growing)
lrs, losses = probe.lr, probe.f[:-1]  # f[u]: the loss of the batch that update u + 1 was computed from
k = 5  # a moving average over 5 batches, and the geometric mean of their rates
smooth = np.convolve(losses, np.ones(k) / k, mode="valid")
centres = np.exp(np.convolve(np.log(lrs), np.ones(k) / k, mode="valid"))
lowest = smooth.argmin()
steepest = centres[np.argmin(np.gradient(smooth, np.log(centres))[:lowest])]  # fastest fall before the lowest point

fig, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
ax.plot(lrs, losses, color=gd.plotting.NEUTRAL, lw=1, label="mini-batch loss")
ax.plot(centres, smooth, color=gd.plotting.color_of("Momentum"), label="moving average of 5")
ax.axvline(steepest, ls="--", color="black", label=f"steepest fall, lr = {steepest:.2g}")
ax.set(xscale="log", ylim=(0, 2 * losses[0]), xlabel="learning rate (growing every step)", ylabel="loss")
ax.legend()
plt.show()

# %% [markdown]
# The curve reads like notebook 01's table of rates in one picture: below about $10^{-2}$ the loss
# barely moves (steps too small to matter), from $0.1$ on it drops steeply, and past about $1$ it
# shoots up. A common rule picks the rate where the smoothed loss falls fastest, before its lowest
# point. We take that rate and train with momentum for 10 epochs from each of the 4 seeds, once
# with the rate held constant and once with a **linear warm-up** over the first epoch followed by
# **cosine decay** to zero (notebook 04).

# %%
peak = float(steepest)
schedule = gd.schedules.warmup(int(np.ceil(len(y_train) / BATCH)), then=gd.schedules.cosine())
plans = {"constant": None, "warm-up + cosine": schedule}
scheduled = {name: np.array([net.loss(gd.nn.train(gd.nn.MLP([64, 32, 10], seed=s), X_train, y_train,
                                                  optimizer="momentum", lr=peak, epochs=EPOCHS, batch_size=BATCH,
                                                  seed=s, schedule=plan).x[-1], X_test, y_test) for s in SEEDS])
             for name, plan in plans.items()}
# NBVAL_CHECK_OUTPUT
for name, values in scheduled.items():
    print(f"{name:17s} lr = {peak:.2g}: test loss per seed {np.round(values, 3)}, mean {values.mean():.3f}")
wins = int(np.sum(scheduled["warm-up + cosine"] < scheduled["constant"]))
print(f"warm-up + cosine ends lower from {wins} of {len(SEEDS)} seeds")

# %% [markdown]
# The rate at the steepest fall is bold: it is about three times the rate the tuning of section 4
# chose for momentum, and held constant it ends well above the tuned runs of the race. With warm-up
# and cosine decay the same peak rate ends lower on average and from most seeds. The warm-up lets
# the first, large and unreliable gradients of a fresh network pass with small steps; the decay lets
# the run settle at the end instead of bouncing around at a rate chosen for fast progress, the same
# lesson as SGD in notebook 07. A schedule makes a bold rate usable.

# %%
assert scheduled["warm-up + cosine"].mean() < scheduled["constant"].mean() and wins > len(SEEDS) / 2
assert peak > 2 * tuned["Momentum"] and scheduled["constant"].mean() > np.median(final["Momentum"])

# %% [markdown]
# ## 6. Notebook 05 in training: vanishing gradients and clipping
#
# Notebook 05 measured gradients of untrained deep networks and found that through many sigmoid
# layers they vanish. What does that do to training? We build two networks with six hidden layers
# of 32 units: sigmoid with Xavier initialisation, and ReLU with He initialisation, and train both
# with plain gradient descent at $\eta = 0.1$ for 10 epochs.

# %%
deep = {"sigmoid, Xavier": gd.nn.MLP([64] + [32] * 6 + [10], activation="sigmoid", init="xavier", seed=0),
        "ReLU, He": gd.nn.MLP([64] + [32] * 6 + [10], activation="relu", init="he", seed=0)}
deep_runs = {name: gd.nn.train(m, X_train, y_train, optimizer="gd", lr=0.1, epochs=10, batch_size=32, seed=0,
                               X_test=X_test, y_test=y_test) for name, m in deep.items()}
first_layer = {name: np.linalg.norm(m.unflatten(m.grad(m.init(), X_train, y_train))[0][0]) for name, m in deep.items()}

fig, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
for (name, r), color in zip(deep_runs.items(), gd.plotting.PALETTE[3:5]):
    ax.plot(r.train_loss, marker="o", ms=3, color=color,
            label=f"{name} (first-layer gradient {first_layer[name]:.0e})")
ax.axhline(np.log(10), ls=":", color=gd.plotting.NEUTRAL, label="ln 10: guessing")
ax.set(xlabel="epoch", ylabel="training loss", title="six hidden layers, GD, lr = 0.1")
ax.legend()
plt.show()

# %% [markdown]
# The sigmoid network does not learn at all: its loss sits at $\ln 10$, the loss of guessing, for
# all 10 epochs. The gradient reaching its first layer is thousands of times smaller than the
# ReLU network's, so its first layers barely move, and the top layers learn only the one thing they
# can without them: how often each digit occurs. ReLU with He initialisation trains: its loss
# falls to about 0.3 in the same 10 epochs.

# %%
sigmoid_loss, relu_loss = (r.train_loss[-1] for r in deep_runs.values())
assert abs(sigmoid_loss - np.log(10)) < 0.02 and relu_loss < 0.5
assert first_layer["ReLU, He"] > 1000 * first_layer["sigmoid, Xavier"]
print(f"after 10 epochs: sigmoid {sigmoid_loss:.3f}, ReLU {relu_loss:.3f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# **Clipping.** Too large a rate is the other classic failure (notebook 01). We train a tanh
# network of two hidden layers with plain gradient descent at $\eta = 3$. Then the same run with the
# gradient's global norm clipped to 1 (notebook 05): the direction of each step is kept, its length
# capped at $\eta \cdot 1$.

# %%
tanh_net = gd.nn.MLP([64, 32, 32, 10], activation="tanh", init="xavier", seed=0)
clipping = {f"clip = {c}": gd.nn.train(tanh_net, X_train, y_train, optimizer="gd", lr=3.0, epochs=10, batch_size=32,
                                        seed=0, clip=c, X_test=X_test, y_test=y_test) for c in (None, 1.0)}
fig, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
for (name, r), color in zip(clipping.items(), (gd.plotting.DIVERGED_COLOR, gd.plotting.PALETTE[0])):
    ax.plot(r.test_loss, marker="o", ms=3, color=color, label=name)
ax.set(yscale="log", xlabel="epoch", ylabel="test loss", title="tanh network, GD, lr = 3")
ax.legend()
plt.show()

# %% [markdown]
# Without clipping, the test loss jumps far above where it started after the first epoch and stays
# there: the steps overshoot, as on notebook 01's parabola with $\eta > 2/f''$. With clipping the
# same rate trains: every step is at most $\eta \cdot 1 = 3$ long, whatever the gradient, so no
# single step can throw the weights far away.

# %%
unclipped, clipped = (r.test_loss[-1] for r in clipping.values())
start_loss = clipping["clip = None"].test_loss[0]
assert unclipped > 3 * start_loss and clipped < 0.5
print(f"test loss: start {start_loss:.2f}, without clipping {unclipped:.1f}, with clipping {clipped:.3f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 7. Watching a decision boundary form
#
# Digits live in 64 dimensions, which we cannot draw. A two-dimensional toy set can be: two
# interleaving half moons, 200 points with a little noise. No straight line separates them; a
# network with two hidden layers of 16 tanh units can. We train it with Adam and look at the
# **decision boundary**, where the network switches from one class to the other, as training
# goes on.

# %%
X_moons, y_moons = gd.datasets.make_moons(n=200, noise=0.2, seed=0)
moons_net = gd.nn.MLP([2, 16, 16, 2], activation="tanh", init="xavier", seed=0)
moons_run = gd.nn.train(moons_net, X_moons, y_moons, optimizer="adam", lr=0.01, epochs=100, batch_size=20, seed=0)
snapshots = [0, 2, 5, 10, 30, 100]

fig, axes = plt.subplots(1, len(snapshots), figsize=(13, 2.6), layout="constrained", sharey=True)
for ax, epoch in zip(axes, snapshots):
    theta_e = moons_run.x[moons_run.epoch_ends[epoch]]
    gd.plotting.plot_decision_boundary(moons_net, theta_e, X_moons, y_moons, n=50, markersize=8, ax=ax)
    ax.set_title(f"epoch {epoch}: {moons_net.accuracy(theta_e, X_moons, y_moons):.0%}")
plt.show()

# %% [markdown]
# The colour shows the network's probability of the lower moon, the black line is where it is 50%.
# At first the boundary is nearly straight (a network with small weights is almost linear); after a
# few epochs it tilts to separate the bulk of the two moons; then it bends around the tips. The same
# film as an animation (press play):

# %%
from IPython.display import HTML

fig, ax = plt.subplots(figsize=(3.6, 2.9), dpi=50)
anim = gd.plotting.animate_boundary(moons_net, moons_run, X_moons, y_moons, max_frames=9, ax=ax)
HTML(gd.plotting.to_html(anim))

# %%
accuracies = [moons_net.accuracy(moons_run.x[moons_run.epoch_ends[e]], X_moons, y_moons) for e in snapshots]
assert accuracies[-1] >= 0.95 and accuracies[0] < 0.9
print("accuracy at epochs", snapshots, ":", [f"{a:.0%}" for a in accuracies])  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 8. The loss landscape of a real network
#
# Notebook 02 drew a landscape over two coordinates. Our digit network has 2,410 coordinates, so we
# can only look at slices through its landscape.
#
# **Along a line.** Goodfellow, Vinyals and Saxe (2015) asked a simple question: what does the loss
# look like on the straight line from the initial weights $\theta_0$ to the trained ones
# $\theta^\ast$, $\theta(\alpha) = (1-\alpha)\,\theta_0 + \alpha\,\theta^\ast$? We take the Adam
# run of section 3 and go a little beyond both ends.

# %%
theta_star = run.x[-1]
alphas = np.linspace(-0.25, 1.5, 71)
line = {name: np.array([net.loss((1 - a) * theta0 + a * theta_star, Xs, ys) for a in alphas])
        for name, (Xs, ys) in {"training": (X_train, y_train), "test": (X_test, y_test)}.items()}
fig, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
for name, values in line.items():
    ax.plot(alphas, values, label=f"{name} loss")
ax.axvline(0, color=gd.plotting.NEUTRAL, ls=":")
ax.axvline(1, color=gd.plotting.NEUTRAL, ls=":")
ax.set(yscale="log", xlabel="alpha (0: initial weights, 1: trained weights)", ylabel="loss")
ax.legend()
plt.show()

# %% [markdown]
# Between the two ends the training loss falls all the way, without a bump: on this line there is
# no hill to climb and no local minimum to get caught in, even though the path the optimizer took
# was anything but straight. That is what Goodfellow et al. found for much larger networks too.
# Past $\alpha = 1$ the training loss even keeps falling a little: going further in the same
# direction makes the network more confident on the digits it has seen. The test loss does not
# follow: it is lowest a little before $\alpha = 1$ and rises beyond. Extra confidence on the
# training digits does not carry over to new ones: section 3's over-fitting, seen in the landscape.

# %%
inside = line["training"][(alphas >= 0) & (alphas <= 1)]
best = {name: alphas[values.argmin()] for name, values in line.items()}
assert np.all(np.diff(inside) < 0) and best["training"] > 1 and 0.5 < best["test"] <= 1
print(f"training loss along the line: {inside[0]:.3f} -> {inside[-1]:.4f}, strictly falling; lowest at alpha = "
      f"{best['training']:.2f} (training), {best['test']:.2f} (test)")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# **A 2-D slice.** Li, Xu, Taylor, Studer and Goldstein (2018) draw the loss on a plane through the
# trained weights, $\theta^\ast + \alpha\, d_1 + \beta\, d_2$, spanned by two random directions. A
# purely random direction would be unfair to layers with small weights, so they **filter-normalise**
# it: each unit's incoming weights in $d$ (a column of a $W_l$) are scaled to the length of the same
# column in $\theta^\ast$, and the biases' entries are set to zero. Then a step of 1 along $d$ changes
# every unit's weights by about their own size.

# %%
def filter_normalised(theta, rng):
    d = rng.standard_normal(theta.size)
    for (D, bias), (W, _) in zip(net.unflatten(d), net.unflatten(theta)):
        D *= np.linalg.norm(W, axis=0) / np.linalg.norm(D, axis=0)  # column by column, in place
        bias[:] = 0
    return d


rng = np.random.default_rng(1)
d1, d2 = filter_normalised(theta_star, rng), filter_normalised(theta_star, rng)
span = np.linspace(-1, 1, 31)
sample = slice(0, 400)  # 400 training images are enough to draw the shape
Z = np.array([[net.loss(theta_star + a * d1 + b * d2, X_train[sample], y_train[sample]) for a in span] for b in span])

# %% [markdown]
# The training path lives in the same space. To draw it on the slice we write each
# $\theta_t - \theta^\ast$ in the coordinates $(\alpha, \beta)$ that come closest (least squares on
# $d_1, d_2$). A random plane may miss most of the path, so Li et al. also slice along the two
# **principal directions of the path** itself: the plane in which the weights moved most, found by a
# principal component analysis (numpy's SVD) of the weights after each epoch. We draw both planes.

# %%
def project(thetas, d1, d2):
    D = np.column_stack([d1, d2])
    return np.linalg.lstsq(D, (thetas - theta_star).T, rcond=None)[0].T


moves = run.x[run.epoch_ends] - theta_star
_, singular, components = np.linalg.svd(moves - moves.mean(axis=0), full_matrices=False)
p1, p2 = components[0], components[1]
explained = singular[:2] ** 2 / np.sum(singular**2)
path, pca_path = project(run.x[::10], d1, d2), project(run.x[::10], p1, p2)
reach = 1.2 * np.abs(pca_path).max(axis=0)
alphas_pca, betas_pca = np.linspace(-reach[0], reach[0], 31), np.linspace(-reach[1], reach[1], 31)
Z_pca = np.array([[net.loss(theta_star + a * p1 + b * p2, X_train[sample], y_train[sample]) for a in alphas_pca]
                  for b in betas_pca])

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2), layout="constrained")
gd.plotting.plot_loss_slice(span, span, Z, path=path, levels=20, ax=left)
left.set(xlabel="alpha (along d1)", ylabel="beta (along d2)", title="random, filter-normalised directions")
gd.plotting.plot_loss_slice(alphas_pca, betas_pca, Z_pca, path=pca_path, levels=20, ax=right)
right.set(xlabel="first principal direction", ylabel="second principal direction",
          title=f"the path's own plane ({explained.sum():.0%} of its movement)")
plt.show()

# %% [markdown]
# Around the trained weights (the star) the random slice (left) is a smooth, nearly round bowl,
# much like notebook 02's valleys. But where is the path? Its projection is a speck hidden under the
# star: in 2,410 dimensions two random directions are almost perpendicular to everything else,
# including the direction the optimizer travelled, so they keep only a sliver of the path.
#
# In the path's own plane (right) we see the journey: a long first stretch down the slope, then a
# turn into a long, curved valley and along its floor to the trained weights, like the paths on
# notebook 02's peaks. The picture also shows what the line above found: the trained weights are not
# at the bottom of this slice, the valley floor keeps going down beyond the star. Training was
# stopped, not finished; the test loss (section 3) says that going further would not help.

# %%
random_share = np.linalg.norm(path[0]) * np.linalg.norm(d1) / np.linalg.norm(run.x[0] - theta_star)
assert random_share < 0.1 and explained.sum() > 0.8
assert Z_pca.min() < net.loss(theta_star, X_train[sample], y_train[sample])  # the valley goes on beyond the star
print(f"random plane keeps {random_share:.1%} of the start's distance; the path's plane holds {explained.sum():.0%}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 9. The edge of stability
#
# Notebook 01 found that gradient descent on a parabola is stable only while $\eta < 2/f''$: the
# curvature sets the largest rate. A network's loss has a curvature in every direction; the largest
# of them, the top eigenvalue of the Hessian matrix, is called the **sharpness** $S$. The same
# argument says full-batch gradient descent is stable only while $S < 2/\eta$.
#
# Cohen, Kaur, Li, Kolter and Talwalkar (2021) watched $S$ during training and found two things.
# First, **progressive sharpening**: while training runs, $S$ grows. Second, it grows only until it
# reaches $2/\eta$, and then hovers there, at the **edge of stability**, while the loss keeps
# falling, though no longer smoothly. Can we see that at our scale?
#
# We need $S$ without the 2,410 x 2,410 Hessian. **Power iteration** finds the largest eigenvalue
# from products $Hv$ alone: repeat $v \leftarrow Hv / \lVert Hv \rVert$ and $v^\top H v$ converges to
# the top eigenvalue. And $Hv$ is the derivative of the gradient in the direction $v$, which a
# central difference of two gradients gives: $Hv \approx (\nabla L(\theta + hv) - \nabla L(\theta - hv))/(2h)$.

# %%
def sharpness(model, theta, X, y, v, iterations=10, h=1e-4):
    """The top Hessian eigenvalue at theta by power iteration on finite-difference Hessian-vector products."""
    for _ in range(iterations):
        v = v / np.linalg.norm(v)
        Hv = (model.grad(theta + h * v, X, y) - model.grad(theta - h * v, X, y)) / (2 * h)
        top, v = v @ Hv, Hv
    return top, v

# %% [markdown]
# A check on a case we can solve: for a network without hidden layer and the mean squared error, the
# loss is a quadratic with Hessian $2 X^\top X / n$ (for each output), so the sharpness must equal
# twice the top eigenvalue of $X^\top X / n$ with a column of ones for the bias.

# %%
linear = gd.nn.MLP([64, 3], activation="relu", loss="mse", seed=0)
few = X_train[:100]
targets = np.eye(3)[y_train[:100] % 3]
ones = np.column_stack([few, np.ones(100)])
exact = 2 * np.linalg.eigvalsh(ones.T @ ones / 100).max()
measured, _ = sharpness(linear, linear.init(), few, targets, np.ones(linear.n_params), iterations=200)
assert abs(measured - exact) < 1e-4 * exact
print(f"power iteration {measured:.4f}, exact {exact:.4f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Now the experiment, following Cohen et al.: a small subset (200 digits, centred), the mean squared
# error on one-hot targets, a tanh network 64-32-10, **full-batch** gradient descent (every step
# sees all 200 samples, so there is no mini-batch noise) at three rates, for 1,500 steps. Every 75
# steps we measure the sharpness, warm-starting the power iteration from the last vector.

# %%
X_eos = X_train[:200] - X_train[:200].mean(axis=0)
T_eos = np.eye(10)[y_train[:200]]
eos_net = gd.nn.MLP([64, 32, 10], activation="tanh", loss="mse", init="xavier", seed=0)
EOS_RATES, EOS_STEPS, EVERY = (0.1, 0.25, 0.3), 1500, 75
eos = {}
for lr in EOS_RATES:
    r = gd.nn.train(eos_net, X_eos, T_eos, optimizer="gd", lr=lr, epochs=EOS_STEPS, batch_size=None)
    v, track = np.ones(eos_net.n_params), []
    for t in range(0, EOS_STEPS + 1, EVERY):
        s, v = sharpness(eos_net, r.x[t], X_eos, T_eos, v)
        track.append(s)
    eos[lr] = (r, np.array(track))

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4), layout="constrained")
steps = np.arange(0, EOS_STEPS + 1, EVERY)
for lr, color in zip(EOS_RATES, gd.plotting.PALETTE):
    r, track = eos[lr]
    left.plot(np.asarray(r.f), color=color, lw=1, label=f"lr = {lr}")
    right.plot(steps, track, marker="o", ms=3, color=color, label=f"sharpness, lr = {lr}")
    right.axhline(2 / lr, color=color, ls="--", lw=1.2)
left.set(yscale="log", xlabel="step (full batch)", ylabel="training loss (mse)")
right.set(xlabel="step (full batch)", ylabel="top Hessian eigenvalue", title="dashed: 2 / lr")
left.legend()
plt.show()

# %% [markdown]
# It reproduces. At every rate the sharpness first dips, then climbs steadily: progressive
# sharpening. At the two larger rates it climbs until it meets its own $2/\eta$ line, overshoots a
# little, and the loss jumps up (a "catapult": for a few steps the run is unstable along the sharpest
# direction, exactly as on notebook 01's parabola). The jump pushes the weights to a flatter spot,
# and from then on the sharpness hovers at $2/\eta$ while the loss keeps falling, in small jolts
# instead of smoothly. At $\eta = 0.1$, $2/\eta = 20$ is far above anything the sharpness reaches in
# 1,500 steps, and the loss falls smoothly. Notebook 01's edge, $\eta f'' < 2$, is not just a limit
# the landscape imposes on us: in a network, training itself walks up to that edge and stays there.

# %%
last = {lr: track[len(track) // 2:] for lr, (r, track) in eos.items()}
for lr in EOS_RATES[1:]:
    assert np.all(np.abs(last[lr] * lr / 2 - 1) < 0.1)  # hovering within 10% of 2/lr
    assert eos[lr][1].max() > 2 / lr  # after overshooting it
    assert np.any(np.diff(np.asarray(eos[lr][0].f)[EOS_STEPS // 2:]) > 0)  # the loss is no longer monotone
assert last[EOS_RATES[0]].max() < 0.5 * 2 / EOS_RATES[0] and np.all(np.diff(last[EOS_RATES[0]]) > 0)
# NBVAL_CHECK_OUTPUT
for lr, values in last.items():
    print(f"lr = {lr}: 2/lr = {2 / lr:.2f}, sharpness in the second half {values.min():.2f} to {values.max():.2f}")

# %% [markdown]
# ## 10. Your turn: the network explorer
#
# The explorer trains a small network on the two moons while you move the sliders: the optimizer,
# the learning rate, the batch size, the number of epochs, the width of the two hidden layers and
# the activation. It shows the training and test loss after every epoch and the decision boundary
# at the end. The test set is another 200 points from the same moons.
#
# **Predict first, then move the slider:**
# 1. With Adam, raise the learning rate from 0.01 to 1. At which rate do the loss curves start to
#    jump about, and what happens to the boundary?
# 2. Switch to plain GD. Which rate does it need to do in 50 epochs what Adam did? (Section 4's
#    tuning gives a hint.)
# 3. Set the epochs to 10, then the batch size to 1 (pure SGD, 2,000 updates) and to 200 (full
#    batch, 10 updates). Which curve is noisier, and which one is better after the same number of
#    epochs? Which one did more work?
# 4. Make the hidden layers 2 units wide. Can the boundary still bend around both moons?

# %%
gd.widgets.explore_network()

# %% [markdown]
# ## Summary
#
# - Training a network is the gradient descent of this course applied to one long vector of
#   weights: a forward pass computes the loss, backpropagation (the chain rule, layer by layer)
#   its gradient, and an optimizer updates the weights, batch after batch, epoch after epoch.
# - A **test set**, held out from the start, tells how well the network reads digits it has never
#   seen; a **validation set** is what we tune on. Training loss keeps falling while test loss levels
#   off: over-fitting.
# - The default network (64-32-10, ReLU) reads more than 95% of the test digits after 20 epochs
#   of Adam. Tuned fairly on a validation set, momentum, Adam and AdamW end close together, with
#   overlapping spreads over seeds, and plain descent behind.
# - A **range test** finds a bold rate in one short run; **warm-up and cosine decay** make that rate
#   work, ending lower than the same rate held constant.
# - Notebook 05's vanishing gradients stop a deep sigmoid network from learning at all; ReLU with He
#   initialisation trains. **Clipping** rescues a rate that would blow up.
# - The loss on the line from initial to trained weights falls without a bump; a filter-normalised
#   random slice shows a round bowl but hides the path, which the path's own principal plane shows.
# - Full-batch gradient descent drives the sharpness up to **$2/\eta$** and keeps it there: notebook
#   01's edge of stability, found again in a network.
#
# ## Where each piece came from
#
# | piece of the capstone | notebook |
# |---|---|
# | the update $\theta \leftarrow \theta - \eta g$, the stability edge $2/f''$, too large and too small rates | [01](01_gradient_descent_1d.ipynb) |
# | gradients in several variables, landscapes, contour plots, valleys and paths | [02](02_peaks_2d.ipynb) |
# | sweeps over learning rates, the rate-versus-budget trade-off | [03](03_parametric_experiments.ipynb) |
# | schedules: a rate that is a function of the step, warm-up, cosine decay | [04](04_dynamic_learning_rates.ipynb) |
# | backpropagation as a chain of factors, vanishing gradients, He and Xavier, clipping | [05](05_vanishing_exploding_gradients.ipynb) |
# | momentum, Adam and the fair, tuned race | [06](06_optimizer_zoo.ipynb) |
# | losses averaged over data, mini-batches, epochs, shuffling | [07](07_batch_stochastic_minibatch.ipynb) |
# | local minima and why they mattered less here than on the peaks; several seeds | [08](08_escaping_local_minima.ipynb) |
#
# ## Exercises
#
# The checks below say "correct" or "not yet" (and why); the untouched placeholder `...` is always
# "not yet". Run this cell once to load them.

# %%
# EXERCISE CHECKS
def check_parameters(answer):
    """Exercise 1: the number of parameters of MLP([64, 128, 64, 10])."""
    if answer is ...:
        return print("not yet: replace ... with a whole number") or False
    expected = gd.nn.MLP([64, 128, 64, 10]).n_params
    ok = isinstance(answer, (int, np.integer)) and answer == expected
    print("correct!" if ok else "not yet: count a weight for every pair of units in neighbouring layers, "
          "plus one bias per unit after the input")
    return ok


def check_momentum_step(step):
    """Exercise 2: step(theta, v, g, lr, beta) -> (theta, v), as notebook 06's momentum."""
    rng = np.random.default_rng(5)
    theta, v, g = rng.standard_normal((3, 7))
    expected_v = 0.9 * v + 0.05 * g
    try:
        out = step(theta.copy(), v.copy(), g.copy(), 0.05, 0.9)
        if out is None:
            return print("not yet: your function returns nothing; replace ... with your two lines") or False
        new_theta, new_v = out
        ok = np.allclose(new_v, expected_v) and np.allclose(new_theta, theta - expected_v)
    except Exception as err:  # a learner's code may fail in any way: report it, do not crash
        return print(f"not yet: your function raised {type(err).__name__}: {err}") or False
    print("correct!" if ok else "not yet: v <- beta v + lr g, then theta <- theta - v")
    return bool(ok)


def check_edge(answer):
    """Exercise 3: the sharpness full-batch GD at lr = 0.2 settles at."""
    if answer is ...:
        return print("not yet: replace ... with a number") or False
    ok = isinstance(answer, (int, float, np.floating)) and abs(answer - 2 / 0.2) <= 0.05 * 2 / 0.2
    print("correct!" if ok else "not yet: at the edge of stability, sharpness * lr is about 2")
    return ok

# %% [markdown]
# **1. Count the weights.** A wider, deeper network for the digits: `gd.nn.MLP([64, 128, 64, 10])`.
# Without running it, how many parameters (weights and biases) does it have? Put the number in
# `my_count`.

# %%
my_count = ...  # a whole number
check_parameters(my_count);

# %% [markdown]
# <details><summary>Solution</summary>
#
# Each layer has fan_in x fan_out weights and fan_out biases:
# $64 \cdot 128 + 128 + 128 \cdot 64 + 64 + 64 \cdot 10 + 10 = 8320 + 8256 + 650$, so `my_count = 17226`.
# </details>
#
# **2. Momentum for a network.** Write one step of momentum (notebook 06) for a flat parameter
# vector: `step(theta, v, g, lr, beta)` returns the new `(theta, v)`. Then, if you like, use it in
# `train_by_hand` of section 2 instead of the plain update and compare with
# `gd.nn.train(..., optimizer="momentum")`.

# %%
def my_step(theta, v, g, lr, beta):
    ...  # your two lines


check_momentum_step(my_step);

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_step(theta, v, g, lr, beta):
#     v = beta * v + lr * g
#     return theta - v, v
# ```
# </details>
#
# **3. Predict the edge.** Section 9 trained at three rates. If you ran the same experiment at
# $\eta = 0.2$ for long enough, at what value would the sharpness settle? Put it in `my_sharpness`,
# then check: set `EOS_RATES = (0.2,)` and `EOS_STEPS = 3000` in section 9 and run it again (the
# sharpness needs more steps to climb that far).

# %%
my_sharpness = ...  # a number
check_edge(my_sharpness);

# %% [markdown]
# <details><summary>Solution</summary>
#
# At the edge of stability the sharpness hovers at $2/\eta = 2/0.2 = 10$, so `my_sharpness = 10`. With
# 3,000 steps the measured sharpness reaches 10 after about 2,200 steps, overshoots a little and is
# pulled back by a catapult, as at the other two rates.
# </details>
#
# **4. Weight decay, measured.** In section 3 the test loss levelled off while the training loss kept
# falling. Retrain with AdamW at the same rate and a weight decay of 0.1, and compare the final
# training and test losses with Adam's. Does weight decay close the gap? (No check: measure it.)
#
# <details><summary>Solution</summary>
#
# ```python
# adamw = gd.optimizers.AdamW(weight_decay=0.1)
# run_w = gd.nn.train(net, X_train, y_train, optimizer=adamw, lr=0.01, epochs=20, batch_size=32, seed=0,
#                     X_test=X_test, y_test=y_test)
# print(run_w.train_loss[-1], run_w.test_loss[-1], "vs Adam:", run.train_loss[-1], run.test_loss[-1])
# ```
# Weight decay pulls every weight towards zero, so the training loss cannot fall as far: expect it
# to end higher than Adam's. Whether the test loss gains is the experiment; on a problem this small
# the difference is small, and it can change sign from seed to seed (section 4).
# </details>
#
# This is the end of the course. You have written every piece of a neural network's training
# yourself, and checked each one: from here, a library such as PyTorch or JAX does the same steps,
# with the gradients computed for you.
