# %% [markdown]
# # 05 · Vanishing and exploding gradients
#
# **What you will be able to do after this notebook**
#
# - recognise the two ways a gradient can fail you on a single curve: a **plateau**, where the slope
#   is so small that the epoch budget runs out, and a **cliff**, where one huge slope throws the
#   point far away;
# - tame a cliff with **gradient clipping** and say why clipping cannot help on a plateau;
# - write the backward pass of a deep chain as a product of one factor per layer, and explain with
#   that product why gradients vanish (factors below 1) or explode (factors above 1);
# - prove, and check numerically, that a chain of $n$ scalar sigmoid units with unit weights passes
#   on at most $0.25^n$ of the gradient, and say what bounds a network with width instead
#   (the product of $0.25\,\lVert W_l \rVert_2$);
# - measure the gradient reaching each layer of a small network for sigmoid, tanh and ReLU at
#   several weight scales, and demonstrate each standard remedy with numbers: ReLU, Xavier/He
#   initialisation, fewer layers, normalisation, residual connections and clipping;
# - show by training, not only at initialisation, that a deep sigmoid network stalls where ReLU
#   with He initialisation learns.
#
# **Where we left off.** Notebook 04 let the learning rate change during a run: a rate scaled by
# the current gradient, a linear decay over time, and the classic schedules (step, exponential,
# cosine annealing, warm-up) that take long steps early and short ones late. Every one of them
# still multiplies *the gradient*. This notebook looks at the other half of the step
# $\eta\, f'(x)$: what happens when the gradient itself is useless because it is almost zero, or
# absurdly large? That question decides whether a deep network can be trained at all.

# %%
# SETUP

# %% [markdown]
# ## 1. A plateau: the slope that is almost zero
#
# Our first landscape is $f(x) = 1 - e^{-x^2}$ on $[-4, 4]$: a valley at $x = 0$ with wide, flat
# shoulders on both sides. Its slope is $f'(x) = 2x\,e^{-x^2}$. The factor $e^{-x^2}$ crushes that
# slope once you are a little way out. **Look at** the dashed derivative: where does it become
# indistinguishable from zero?

# %%
plateau = gd.functions.plateau
gd.plotting.plot_function_1d(plateau)
plt.show()

# %% [markdown]
# The slope is only visibly non-zero between about $-2$ and $2$. Beyond that the curve is a
# plateau at height 1. Here are the slopes at a few points, straight from the formula and from the
# objective's derivative, which sympy worked out:

# %%
points = np.array([0.5, 1.0, 2.0, 3.0])
slopes = plateau.grad(points)
assert np.allclose(slopes, 2 * points * np.exp(-points**2))
for p, s in zip(points, slopes):
    print(f"f'({p}) = {s:.2e}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# At $x = 3$ the slope is $6e^{-9} \approx 7.4 \times 10^{-4}$, about a thousand times smaller than
# at $x = 1$. A step of gradient descent is $\eta\, f'(x)$, so from $x_0 = 3$ with $\eta = 0.1$ each
# step moves the point by less than $10^{-4}$. Let us give it a budget of 100 epochs and see. In the
# figure, **look at** how far the run gets along the curve (left), and at the size of the slope,
# on a logarithmic axis, at every epoch (right).

# %%
stuck = gd.descend(plateau, 3.0, lr=0.1, epochs=100)
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.6), layout="constrained")
gd.plotting.plot_descent_1d(stuck, ax=left)
gd.plotting.plot_history(stuck, what="grad", ax=right, log=True)
plt.show()

# %% [markdown]
# The hundred points sit on top of each other at $x \approx 3$: the run has hardly moved. The slope
# does grow a little as the point creeps inwards (right), but it stays below $10^{-3}$. The gradient
# has not *vanished* exactly, it has become too small to be useful within our budget. How long
# would the run need to reach the bottom, say $f < 10^{-3}$?

# %%
patient = gd.descend(plateau, 3.0, lr=0.1, epochs=4000)
needed = int(patient.steps_to(1e-3))
assert abs(stuck.final - 3) < 0.01 and needed > 2600
print(f"after 100 epochs: x = {stuck.final:.4f} (moved {3 - stuck.final:.4f})")  # NBVAL_CHECK_OUTPUT
print(f"epochs needed to reach f < 1e-3: {needed}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# More than 2600 epochs, almost all of them spent crossing the plateau: the history of the slope
# tells the story.

# %%
gd.plotting.plot_history(patient, what="grad", log=True)
plt.show()

# %% [markdown]
# For more than 2300 epochs the slope creeps up from $7 \times 10^{-4}$ without reaching
# $10^{-2}$. Then the point reaches the valley's wall, the slope shoots up more than a thousandfold to its
# peak, where the wall is steepest, and soon after the point settles at the bottom, where the slope
# falls to nothing (the flat line at the floor of the plot).

# %%
slope = np.abs(patient.grad)
crawl, peak = int(np.argmax(slope > 1e-2)), int(slope.argmax())
assert crawl > 2300 and slope[peak] > 1000 * slope[0] and 0.85 < slope[peak] < 0.86
assert abs(patient.x[peak] - 1 / np.sqrt(2)) < 0.01  # the steepest point of the wall
print(f"|f'| first exceeds 1e-2 at epoch {crawl}; peak {slope[peak]:.2f} at epoch {peak}, x = {patient.x[peak]:.3f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# (The steepest point of the wall is where $f''(x) = 0$, at $x = 1/\sqrt 2 \approx 0.707$.)
#
# **Why not simply take a larger learning rate?** On the plateau a larger rate does help: it
# multiplies every tiny step. But the valley at the bottom has curvature $f''(0) = 2$, and notebook
# 01 showed that descent near a minimum is only stable for $\eta < 2/f'' = 1$. A rate large enough
# for the plateau is too large for the valley:

# %%
for lr in (0.1, 1.0, 3.0):
    r = gd.descend(plateau, 3.0, lr=lr, epochs=3000)
    print(f"lr = {lr}: x after 100 epochs = {r.x[100]:.3f}, after 3000 = {r.final:+.3f}")  # NBVAL_CHECK_OUTPUT
bouncing = gd.descend(plateau, 3.0, lr=3.0, epochs=3000)
assert plateau.hessian(0.0) == 2.0 and np.abs(bouncing.x[-100:]).max() > 1  # never settles

# %% [markdown]
# With $\eta = 3$ the point crosses the plateau in a few dozen epochs, but then it bounces around
# the valley for ever instead of settling. No single fixed rate suits both the flat part and the
# curved part. (This is one motivation for the adaptive methods of notebook 06, which rescale each
# step by the recent size of the gradient.)
#
# ## 2. A cliff: the slope that is enormous
#
# The opposite problem. `gd.functions.cliff` is a gentle bowl $x^2/8$ with its minimum at $x = 0$,
# next to a wall about 20 units high and only about 0.1 wide at $x = 2$:
#
# $$f(x) = \frac{x^2}{8} + 10\,\bigl(1 + \tanh(15(x - 2))\bigr).$$
#
# **Look at** the dashed derivative: small everywhere except for one tall spike at the wall.

# %%
cliff = gd.functions.cliff
gd.plotting.plot_function_1d(cliff)
plt.show()

# %% [markdown]
# On the bowl the slope is $x/4$, at most 1.5 in size on the plotted window. On the wall it
# reaches about $150$ (the $\tanh$ term contributes $10 \cdot 15 = 150$ at its steepest point).

# %%
xs = np.linspace(*cliff.bounds[0], 20_001)
steepest = np.abs(cliff.grad(xs)).max()
bowl = np.abs(cliff.grad(xs[xs < 1.5])).max()
assert 150 < steepest < 151 and bowl == 1.5  # 1.5 = 6/4 at the left edge x = -6
print(f"largest |f'| on the wall: {steepest:.1f}; on the bowl: {bowl:.2f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# The bowl's 1.5 is its slope at the far left edge, $x = -6$; a hundred times less than the wall.
# Start on the shelf above the wall, at $x_0 = 3.5$, with the modest rate
# $\eta = 0.1$ and 60 epochs. The shelf slopes gently down towards the wall, so the point walks
# towards it in small steps. **Predict** what the step taken *on* the wall will look like, then
# look at the path (left) and the position against the epoch (right).

# %%
thrown = gd.descend(cliff, 3.5, lr=0.1, epochs=60)
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.6), layout="constrained")
gd.plotting.plot_descent_1d(thrown, ax=left)
gd.plotting.plot_history(thrown, what="x", ax=right)
plt.show()

# %% [markdown]
# The point walks down the shelf and then, in a single step, is hurled far past the bottom of the
# bowl, out of the window on the left. The rest of the run is spent walking back. Let us find that
# step and compare it with the one before it:

# %%
steps = np.abs(np.diff(thrown.x))
jump = int(steps.argmax())
assert 70 < steps[jump] / steps[jump - 1] < 75 and thrown.x[jump + 1] < -10
print(f"step {jump}: from x = {thrown.x[jump]:.3f}, where f' = {thrown.grad[jump]:.1f}")  # NBVAL_CHECK_OUTPUT
print(f"  jumped {steps[jump]:.2f} to x = {thrown.x[jump + 1]:.2f}; the step before was {steps[jump - 1]:.3f}")  # NBVAL_CHECK_OUTPUT
print(f"after 60 epochs: x = {thrown.final:.2f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# The step before the wall moved the point by about 0.2; on the wall the slope is about 148, so the
# step is $0.1 \times 148 \approx 14.8$, seventy times longer, landing near $x = -12.8$. Nothing was
# wrong with the learning rate: on the bowl it is perfectly stable ($\eta < 2/f'' = 8$). One
# gigantic gradient was enough. In a deep network this is an *exploding gradient*: one unlucky batch
# hits a steep wall in the loss and the weights jump somewhere useless, or overflow to `inf`.
#
# ## 3. Gradient clipping
#
# The standard cure for a cliff is blunt and effective: if the gradient is longer than a threshold
# $c$, shorten it to length $c$ before taking the step, keeping its direction:
#
# $$g \leftarrow g \cdot \min\!\left(1, \frac{c}{\lVert g\rVert}\right).$$
#
# Here is descent with clipping written out once, in one dimension (where $\lVert g\rVert = |g|$).
# We choose $c = 1$: between the start and the minimum the bowl's slope $x/4$ is smaller than 1, so
# only the wall is affected.

# %%
def clipped_descent(fprime, x0, lr, epochs, c):
    xs = [x0]
    for _ in range(epochs):
        g = fprime(xs[-1])
        g = g * min(1.0, c / abs(g)) if g != 0 else g
        xs.append(xs[-1] - lr * g)
    return np.array(xs)


by_hand = clipped_descent(cliff.grad, 3.5, lr=0.1, epochs=60, c=1.0)
tamed = gd.descend(cliff, 3.5, lr=0.1, epochs=60, clip=1.0)
assert np.allclose(by_hand, tamed.x, rtol=0, atol=1e-12)  # the package clips the same way

# %% [markdown]
# Now compare the two runs. **Look for** the jump in the unclipped run and its absence in the
# clipped one.

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.6), layout="constrained")
gd.plotting.plot_descent_1d(tamed, ax=left, label="clip = 1")
gd.plotting.plot_history({"no clipping": thrown, "clip = 1": tamed}, what="x", ax=right)
plt.show()

# %% [markdown]
# With clipping the point climbs down the wall in steps of exactly $\eta c = 0.1$ and then follows
# the bowl to its minimum. No step is longer than 0.1, and after 60 epochs it is much closer to the
# minimum than the unclipped run, which is still walking back from its flight.

# %%
assert np.abs(np.diff(tamed.x)).max() <= 0.1 + 1e-12
assert abs(tamed.final) < abs(thrown.final) / 5
print(f"longest step with clipping: {np.abs(np.diff(tamed.x)).max():.3f}")  # NBVAL_CHECK_OUTPUT
print(f"after 60 epochs: x = {tamed.final:.3f} with clipping, {thrown.final:.3f} without")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Clipping only ever *shortens* a gradient. On the plateau every gradient is already far below any
# sensible threshold, so clipping changes nothing there: it cures exploding gradients, never
# vanishing ones.

# %%
same = gd.descend(plateau, 3.0, lr=0.1, epochs=100, clip=1.0)
assert np.array_equal(same.x, stuck.x)

# %% [markdown]
# ## 4. Your turn: one explorer, two landscapes
#
# The same explorer works on both curves: a learning rate slider (logarithmic), the number of
# epochs and the start. The left panel shows the run on the curve, the middle its position and the
# right its slope, against the epoch.
#
# **Predict first, then move the slider (plateau):**
# 1. From $x_0 = 3$ with $\eta = 0.1$, how many epochs would you need? Push the epochs slider to its
#    maximum. Does the point get anywhere?
# 2. Now move the start inwards, to 2 and then to 1.5. How does the number of epochs you need change?
# 3. Keep $x_0 = 3$ and raise the rate until the point crosses the plateau. What happens at the
#    bottom?

# %%
gd.widgets.explore_1d(plateau, lr=0.1, epochs=100, x0=3.0, lr_range=(1e-3, 10.0), max_epochs=500)

# %% [markdown]
# **Predict first, then move the slider (cliff):**
# 1. From $x_0 = 3.5$ with $\eta = 0.1$: at which epoch does the jump happen? Check against section 2.
# 2. Lower the rate to 0.01 and raise the epochs. Does a small rate avoid the jump, or only delay it?
# 3. Start at $x_0 = 1$, below the wall. Can the run ever be thrown, whatever the rate below 1?

# %%
gd.widgets.explore_1d(cliff, lr=0.1, epochs=60, x0=3.5, max_epochs=500)

# %% [markdown]
# ## 5. Deep chains: the chain rule multiplies
#
# A deep network is a long composition of simple functions, and its gradient comes from the chain
# rule. The smallest example that shows everything is a chain of scalar "layers", each multiplying
# by a weight $w$ and applying an activation $\varphi$:
#
# $$a_0 = x, \qquad a_l = \varphi(w\, a_{l-1}) \quad (l = 1, \dots, n).$$
#
# By the chain rule the derivative of the output with respect to the input is a product with one
# factor per layer:
#
# $$\frac{d a_n}{d x} = \prod_{l=1}^{n} \frac{d a_l}{d a_{l-1}} = \prod_{l=1}^{n} w\, \varphi'(w\, a_{l-1}).$$
#
# *Backpropagation* computes exactly this product: a forward pass stores the values $a_l$, a
# backward pass multiplies the factors from the top down. Here it is once, by hand, for a sigmoid
# $\sigma(z) = 1/(1 + e^{-z})$, whose derivative is $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$:

# %%
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def chain_by_hand(x, w, n):
    values = [x]  # forward: a_0, a_1, ..., a_n
    for _ in range(n):
        values.append(sigmoid(w * values[-1]))
    gradient = 1.0  # backward: multiply d a_l / d a_(l-1) from the top layer down
    for a_prev in reversed(values[:-1]):
        s = sigmoid(w * a_prev)
        gradient *= w * s * (1 - s)
    return np.array(values), gradient

# %% [markdown]
# `gd.deep.chain_gradient` does the same for any activation and also returns the individual factors.
# We check the two against each other, and both against a finite difference
# $\bigl(a_n(x + h) - a_n(x - h)\bigr)/2h$, which knows nothing about the chain rule.

# %%
values, grad = chain_by_hand(x=0.5, w=1.0, n=6)
chain = gd.deep.chain_gradient(6, "sigmoid", weight=1.0, x=0.5)
assert np.allclose(values, chain.values) and np.isclose(grad, chain.gradient, rtol=1e-12)
assert np.isclose(np.prod(chain.factors), chain.gradient) and chain.gradient < 0.25**6
h = 1e-5
finite_diff = (chain_by_hand(0.5 + h, 1.0, 6)[0][-1] - chain_by_hand(0.5 - h, 1.0, 6)[0][-1]) / (2 * h)
assert np.isclose(finite_diff, grad, rtol=1e-6)
print("factors:", np.round(chain.factors, 4))  # NBVAL_CHECK_OUTPUT
print(f"gradient through 6 layers: {chain.gradient:.3e}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Every factor is a little below 0.25, and six of them multiply to about $1.4 \times 10^{-4}$,
# less than $0.25^6 \approx 2.4 \times 10^{-4}$. That is no accident.
#
# ### The 0.25 bound
#
# The sigmoid's slope $\sigma(z)(1 - \sigma(z))$ is a product $p(1-p)$ of two numbers that add up to
# 1, and such a product is largest when both are $1/2$: at $z = 0$, where $\sigma'(0) = 1/4$. So with
# unit weights every factor is at most $0.25$, and through $n$ layers at most $0.25^n$ of the
# gradient arrives: $0.25^{10} \approx 10^{-6}$. First the maximum, on a fine grid:

# %%
z = np.linspace(-10, 10, 200_001)
dsigma = gd.deep.ACTIVATIONS["sigmoid"].df(z)
assert dsigma.max() == 0.25 and z[dsigma.argmax()] == 0
print(f"max sigma'(z) = {dsigma.max()} at z = {z[dsigma.argmax()]}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Now the bound itself: 500 chains with random inputs $x \in [-3, 3]$, for every depth from 1 to
# 30, all with unit weights. The largest gradient of each depth must stay below $0.25^n$. One
# 30-layer chain per input is enough: its first $n$ layers *are* the $n$-layer chain, so the
# running product of its factors gives the gradient at every depth at once.

# %%
rng = np.random.default_rng(5)
starts = rng.uniform(-3, 3, 500)
depths = np.arange(1, 31)
running = np.array([np.cumprod(gd.deep.chain_gradient(30, "sigmoid", 1.0, x).factors) for x in starts])
assert np.isclose(running[0, 9], gd.deep.chain_gradient(10, "sigmoid", 1.0, starts[0]).gradient)
largest = np.abs(running).max(axis=0)  # the largest gradient over the 500 inputs, for each depth
assert np.all(largest <= 0.25**depths) and largest[-1] < 1e-18
for n in (1, 5, 10, 20, 30):
    print(f"n = {n:2d}: largest gradient {largest[n - 1]:.2e} <= bound 0.25^n = {0.25**n:.2e}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Thirty sigmoid layers deliver less than $10^{-18}$ of the gradient to the input. If these layers
# were weights to be trained, the first ones would receive updates of that size: in practice, none.
#
# The same product explains explosion. Swap the sigmoid for a ReLU, $\varphi(z) = \max(z, 0)$,
# whose slope is exactly 1 for positive inputs: each factor is then just $w$, and the product is
# $w^n$. A weight a little below 1 vanishes, a little above 1 explodes, and only $w = 1$ keeps the
# gradient intact.

# %%
for w in (0.8, 1.0, 1.5):
    relu_chain = gd.deep.chain_gradient(20, "relu", weight=w, x=1.0)
    assert np.isclose(relu_chain.gradient, w**20)
    print(f"ReLU, w = {w}: gradient through 20 layers = {relu_chain.gradient:.4g} = {w}^20")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ### A scalar tanh chain does not explode
#
# tanh also has slope 1 at zero, so you might expect a tanh chain with $w = 1.5$ to explode like
# $1.5^n$. It does not: it *vanishes*. Each layer maps $a \mapsto \tanh(w a)$, and for $w > 1$ the
# activations are pulled to the fixed point $a^* = \tanh(w a^*) \ne 0$ (about 0.859 for $w = 1.5$),
# out on the flat part of the curve. There every factor is $w\,(1 - a^{*2})$, about
# $1.5 \times 0.263 \approx 0.39$, and a product of factors below 1 shrinks. A larger $w$ pushes
# $a^*$ further into saturation and makes the factor *smaller*. **Predict** the order of the three
# tanh lines before you look; the ReLU chain with the same $w = 1.5$ is there for contrast.

# %%
def reaching(chain):
    """|d a_n / d a_(l-1)|: the gradient that reaches layer l, for l = 1 .. n (a product from the top)."""
    return np.abs(np.cumprod(chain.factors[::-1])[::-1])


scalar = {f"tanh, w = {w}": gd.deep.chain_gradient(30, "tanh", weight=w, x=1.0) for w in (1.5, 2.0, 3.0)}
scalar["ReLU, w = 1.5"] = gd.deep.chain_gradient(30, "relu", weight=1.5, x=1.0)
gd.plotting.plot_layer_gradients({name: reaching(c) for name, c in scalar.items()})
plt.show()

# %% [markdown]
# The ReLU line rises towards the input, $1.5^{30} \approx 2 \times 10^5$; the three tanh lines fall,
# and the steeper the larger the weight. The factors settle at one value per chain, the slope at the
# fixed point:

# %%
for name, c in scalar.items():
    print(f"{name:13s} last factors {c.factors[-1]:.3f}; through 30 layers {abs(c.gradient):.1e}")  # NBVAL_CHECK_OUTPUT
fixed = scalar["tanh, w = 1.5"].values[-1]
assert np.isclose(fixed, np.tanh(1.5 * fixed)) and 0.85 < fixed < 0.87  # a* = tanh(w a*)
settled = scalar["tanh, w = 1.5"].factors[-1]
assert 0.38 < settled < 0.40 and np.isclose(settled, 1.5 * (1 - fixed**2))
assert all(abs(scalar[f"tanh, w = {w}"].gradient) < 1e-10 for w in (1.5, 2.0, 3.0))
sizes = [abs(scalar[f"tanh, w = {w}"].gradient) for w in (3.0, 2.0, 1.5)]
assert sizes[0] < sizes[1] < sizes[2]
assert np.isclose(scalar["ReLU, w = 1.5"].gradient, 1.5**30)

# %% [markdown]
# ## 6. A real network: the gradient layer by layer
#
# A real layer has many units: it multiplies its input by a weight *matrix* $W_l$, adds a bias and
# applies the activation to every entry. The backward pass is the same chain rule with matrices: the
# gradient arriving at layer $l$ is multiplied by $\operatorname{diag}(\varphi')$ and by $W_l^\top$
# on its way down. Its size after many layers depends on whether those matrices shrink or stretch
# vectors on average.
#
# `gd.deep` has explicit forward and backward passes for such a network (a multilayer perceptron,
# MLP). `gd.deep.layer_gradient_norms` builds one with random weights, sends a seeded batch of 64
# inputs through it, backpropagates a fixed random loss, and returns the length of the gradient
# that reaches the input of each layer, first layer first. Here is what it does, spelled out with
# the building blocks, for 20 layers of 32 units:

# %%
rng = np.random.default_rng(0)
layers = gd.deep.init_weights([32] * 21, scale=1.0, scheme="xavier", seed=rng)
x_batch = rng.standard_normal((64, 32))
direction = rng.standard_normal((64, 32))
cache = gd.deep.forward(layers, x_batch, "tanh")
grads = gd.deep.backward(layers, cache, direction / 64)  # loss = mean of direction . output
norms = np.array([np.linalg.norm(g) for g in grads.inputs])
assert np.allclose(norms, gd.deep.layer_gradient_norms(20, 32, "tanh", scheme="xavier", seed=0))

# %% [markdown]
# Is the matrix backward pass right? A finite difference on one input number says yes:

# %%
def loss(xb):
    return np.sum(direction * gd.deep.forward(layers, xb, "tanh").output) / 64


bump = np.zeros_like(x_batch)
bump[0, 0] = 1e-6
numeric = (loss(x_batch + bump) - loss(x_batch - bump)) / 2e-6
assert np.isclose(numeric, grads.inputs[0][0, 0], rtol=1e-5)

# %% [markdown]
# `gd.plotting.plot_layer_gradients` draws such a list of norms against the layer number on a
# logarithmic axis. Given a dict name -> norms it draws several networks on one axes, each in its
# own colour and line style, with the axis limits fitted to all of them.

# %% [markdown]
# Now the experiment the whole notebook is about. Three activations, and for each three weight
# scales: every weight drawn from a normal distribution with standard deviation 0.05 (small),
# 1 (unit) or 3 (large). The figure shows the gradient length at each of the 20 layers on a
# logarithmic axis; the output layer is on the right, the input layer on the left, so read each
# line from right to left, in the direction backpropagation travels. A flat line is healthy; a line
# falling towards the left is a vanishing gradient, one rising towards the left an exploding one.

# %%
ACTIVATIONS = ("sigmoid", "tanh", "relu")
SCALES = {"small (0.05)": 0.05, "unit (1)": 1.0, "large (3)": 3.0}
by_scale = {
    act: {name: gd.deep.layer_gradient_norms(20, 32, act, scale=s) for name, s in SCALES.items()}
    for act in ACTIVATIONS
}

# %%
fig, axes = plt.subplots(1, 3, figsize=(14, 4), sharey=True, layout="constrained")  # one scale for all three
for ax, act in zip(axes, ACTIVATIONS):
    gd.plotting.plot_layer_gradients(by_scale[act], ax=ax)
    ax.set_title(act)
plt.show()

# %% [markdown]
# Read the panels one at a time.
#
# - **Small weights** make every line fall steeply: each layer multiplies the gradient by a
#   matrix with tiny entries, so it vanishes whatever the activation, even for ReLU.
# - **Unit weights** are *not* neutral in a real layer. Each unit adds up 32 weighted inputs, so a
#   matrix with standard deviation 1 stretches a vector by roughly $\sqrt{32} \approx 5.7$. For ReLU,
#   which zeroes about half the units, that is about $\sqrt{32/2} = 4$ per layer, and the gradient
#   explodes; tanh saturates, which tames the stretch but does not stop it; for the sigmoid the
#   small slope still wins and the gradient fades.
# - **Large weights** explode tanh and ReLU even faster, and push even the sigmoid past the point
#   where the stretching beats its slope of at most 0.25.
#
# The ratio of the gradient at the first layer to the one at the last puts numbers on the picture:

# %%
ratio = {act: {name: n[0] / n[-1] for name, n in runs.items()} for act, runs in by_scale.items()}
for act in ACTIVATIONS:
    print(f"{act:8s}", "  ".join(f"{name}: {r:7.1e}" for name, r in ratio[act].items()))  # NBVAL_CHECK_OUTPUT
assert all(ratio[act]["small (0.05)"] < 1e-10 for act in ACTIVATIONS)
assert ratio["sigmoid"]["unit (1)"] < 1e-2 and ratio["tanh"]["unit (1)"] > 1e3 and ratio["relu"]["unit (1)"] > 1e10
assert ratio["relu"]["large (3)"] / ratio["sigmoid"]["small (0.05)"] > 1e40
relu_per_layer = ratio["relu"]["unit (1)"] ** (1 / 19)  # 19 layers lie between the first entry and the last
assert 3.5 < relu_per_layer < 4.5
print(f"ReLU, unit weights: x{relu_per_layer:.2f} per layer (sqrt(32/2) = {np.sqrt(16):.0f})")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# From $10^{-22}$ to $10^{20}$: more than forty orders of magnitude, from nothing but the choice
# of activation and the size of the random starting weights. The lesson of the middle column is
# that the right scale depends on the **width** of the layer: to keep the stretch near 1, the
# standard deviation has to shrink like $1/\sqrt{n_{\text{in}}}$. That is exactly what the standard
# initialisation schemes do.
#
# ### What bounds a matrix network?
#
# The middle column has a surprise: the sigmoid network with unit weights loses far *less* than
# $0.25$ per layer. The $0.25^n$ bound of section 5 was for a scalar chain with unit weights, and a
# matrix layer is not one. On its way down through layer $l$ the gradient is multiplied by
# $\operatorname{diag}(\sigma')$, whose entries are at most $0.25$, and by $W_l^\top$, which can
# stretch a vector by up to its largest singular value $\lVert W_l \rVert_2$ (the spectral norm). So
# the honest bound for a sigmoid network is
#
# $$\Bigl\lVert \frac{\partial L}{\partial a_{l-1}} \Bigr\rVert \le
# \Bigl(\prod_{k=l}^{L} 0.25\, \lVert W_k \rVert_2\Bigr)\, \Bigl\lVert \frac{\partial L}{\partial a_L} \Bigr\rVert .$$
#
# Width is what breaks the scalar picture: a $32 \times 32$ matrix of standard normal entries has
# $\lVert W \rVert_2 \approx 2\sqrt{32} \approx 11$, so each layer's factor in the bound is about
# $0.25 \times 11 \approx 2.8$, more than 1. We draw, for the 20-layer sigmoid network with unit
# weights, the measured gradient, the scalar line $\times 0.25$ per layer traced back from the last
# layer, and the matrix bound. **Look for** which line the measured gradient crosses.

# %%
rng = np.random.default_rng(0)  # the network of layer_gradient_norms(20, 32, "sigmoid", seed=0)
sig_layers = gd.deep.init_weights([32] * 21, scale=1.0, seed=rng)
x_sig, dir_sig = rng.standard_normal((64, 32)), rng.standard_normal((64, 32))
sig_grads = gd.deep.backward(sig_layers, gd.deep.forward(sig_layers, x_sig, "sigmoid"), dir_sig / 64)
measured = np.array([np.linalg.norm(g) for g in sig_grads.inputs])
assert np.allclose(measured, by_scale["sigmoid"]["unit (1)"])
spectral = np.array([np.linalg.norm(layer.W, 2) for layer in sig_layers])  # largest singular values
below = np.arange(len(measured) - 1, -1, -1)  # layers between each entry and the last one
matrix_bound = measured[-1] * np.array([np.prod(0.25 * spectral[i:-1]) for i in range(len(measured))])
scalar_line = measured[-1] * 0.25**below
gd.plotting.plot_layer_gradients({"measured (sigmoid, unit weights)": measured,
                                  "x0.25 per layer: a scalar chain's bound, not this network's": scalar_line,
                                  "bound: product of 0.25 ||W_l||_2": matrix_bound})
plt.show()

# %% [markdown]
# The measured gradient sits far *above* the scalar line, so that line is no bound for a network
# with width: it only describes a chain of single units with weight 1. The matrix bound holds at every
# layer, but it is loose, by orders of magnitude: it assumes that every layer stretches the gradient
# in its most-stretched direction *and* that every unit sits at the sigmoid's steepest point, and a
# random network does neither.

# %%
assert np.all(measured <= matrix_bound * (1 + 1e-12))  # the matrix bound holds at every layer
assert measured[0] / scalar_line[0] > 1e4  # the scalar line is beaten by orders of magnitude
assert np.all((10 < spectral) & (spectral < 12))  # about 2 sqrt(32) = 11.3
print(f"||W_l||_2 from {spectral.min():.1f} to {spectral.max():.1f} (2 sqrt(32) = {2 * np.sqrt(32):.1f})")  # NBVAL_CHECK_OUTPUT
print(f"first layer: measured {measured[0]:.1e}, scalar line {scalar_line[0]:.1e}, matrix bound {matrix_bound[0]:.1e}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## 7. Remedies, each measured
#
# Each remedy below attacks one factor of the product. We keep the setting of section 6 (20 layers
# of 32 units) and measure the same ratio, first layer over last, before and after.
#
# ### Careful initialisation: Xavier and He
#
# **Xavier** (Glorot) initialisation draws weights with standard deviation
# $\sqrt{2/(n_{\text{in}} + n_{\text{out}})}$, here $\sqrt{2/64} = 1/\sqrt{32}$: it is designed for
# tanh, whose slope is 1 near zero. **He** initialisation uses $\sqrt{2/n_{\text{in}}}$, a factor
# $\sqrt 2$ larger, to make up for the half of the units that ReLU switches off. In the figure,
# **look for** which lines are now (nearly) flat and which one is not.

# %%
INIT = {"sigmoid + Xavier": ("sigmoid", "xavier"), "tanh + Xavier": ("tanh", "xavier"), "ReLU + He": ("relu", "he")}
by_init = {name: gd.deep.layer_gradient_norms(20, 32, act, scheme=scheme) for name, (act, scheme) in INIT.items()}
gd.plotting.plot_layer_gradients(by_init)
plt.show()

# %% [markdown]
# tanh with Xavier and ReLU with He keep the gradient within a factor of ten across all 20 layers,
# where the same activations with unit weights exploded by $10^4$ and $10^{11}$. The sigmoid is not
# rescued: Xavier's recipe assumes a slope of 1 at zero, and the sigmoid's is 0.25.

# %%
init_ratio = {name: n[0] / n[-1] for name, n in by_init.items()}
for name, r in init_ratio.items():
    print(f"{name:17s} first / last = {r:.2e}")  # NBVAL_CHECK_OUTPUT
assert 0.1 < init_ratio["tanh + Xavier"] < 10 and 0.1 < init_ratio["ReLU + He"] < 10
assert init_ratio["sigmoid + Xavier"] < 1e-10

# %% [markdown]
# ### A non-saturating activation: ReLU
#
# That last line is also the argument for ReLU. The sigmoid's slope is at most 0.25 *and* falls to
# nothing for large inputs (it saturates); ReLU's slope is exactly 1 for every positive input. With
# the initialisation that suits each, swapping the activation is worth eleven orders of magnitude:

# %%
gain = init_ratio["ReLU + He"] / init_ratio["sigmoid + Xavier"]
assert gain > 1e11
print(f"ReLU + He passes {gain:.1e} times more gradient to the first layer than sigmoid + Xavier")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ### Fewer layers
#
# If each sigmoid layer costs a factor, fewer layers cost fewer factors. Here is sigmoid with Xavier
# weights at depths 2, 5, 10, 20 and 40. **Predict** the pattern before you look: if each layer
# multiplies the gradient by the same factor, what shape does each line have on a log axis?

# %%
DEPTHS = (2, 5, 10, 20, 40)
by_depth = {f"{d} layers": gd.deep.layer_gradient_norms(d, 32, "sigmoid", scheme="xavier") for d in DEPTHS}
gd.plotting.plot_layer_gradients(by_depth)
plt.show()

# %% [markdown]
# Straight lines with the same slope: every sigmoid layer multiplies the gradient by the same factor,
# about 0.23, just under the bound of 0.25 from section 5. The shortest networks keep a usable
# gradient; the 40-layer one delivers $10^{-25}$ of it.

# %%
for (name, n), d in zip(by_depth.items(), DEPTHS):
    per_layer = (n[0] / n[-1]) ** (1 / (d - 1)) if d > 1 else 1.0
    print(f"{name:9s} first / last = {n[0] / n[-1]:.1e}, x{per_layer:.3f} per layer")  # NBVAL_CHECK_OUTPUT
    assert 0.2 < per_layer < 0.25

# %% [markdown]
# ### Normalisation
#
# Normalisation rescales each layer's pre-activations to mean 0 and spread 1 (here per sample, over
# the units, as layer normalisation does). Whatever the weight scale, the activation then sees
# inputs of the same size, so the scale of the weights drops out. Here tanh with the small, unit
# and large weights of section 6, plus the sigmoid with unit weights, all normalised:

# %%
by_norm = {f"tanh, {name}": gd.deep.layer_gradient_norms(20, 32, "tanh", scale=s, normalize=True)
           for name, s in SCALES.items()}
by_norm["sigmoid, unit (1)"] = gd.deep.layer_gradient_norms(20, 32, "sigmoid", normalize=True)
gd.plotting.plot_layer_gradients(by_norm)
plt.show()

# %% [markdown]
# The three tanh lines lie on top of each other: the wide solid line shows under the dashed and
# the dotted one. Weights spread by a factor of 60 now give the same gradients, which grow only
# gently, by a factor of about 4 over 20 layers. Without normalisation the same three networks ranged from $10^{-11}$ to $10^{6}$. But
# the sigmoid still vanishes: normalisation fixes the *size of the signal*, not the *slope of the
# activation*, and the sigmoid's slope stays below 0.25. Pair normalisation with tanh.

# %%
norm_ratio = {name: n[0] / n[-1] for name, n in by_norm.items()}
for name, r in norm_ratio.items():
    print(f"{name:20s} first / last = {r:.2e}")  # NBVAL_CHECK_OUTPUT
tanh_ratios = [r for name, r in norm_ratio.items() if name.startswith("tanh")]
assert max(tanh_ratios) / min(tanh_ratios) < 1.01 and 1 < min(tanh_ratios) < 10
assert norm_ratio["sigmoid, unit (1)"] < 1e-6

# %% [markdown]
# ### Residual (skip) connections
#
# A residual layer adds its input to its output, $a_l = a_{l-1} + \varphi(W_l a_{l-1})$. Its factor
# in the backward pass is then $I + (\text{the layer's own factor})$: even when the layer's own part
# is tiny, the identity carries the gradient through unchanged. Compare tanh with small weights,
# with and without skips, and ReLU with He weights with skips. **Predict:** which of the three
# will be flat?

# %%
by_skip = {
    "tanh, small (0.05)": gd.deep.layer_gradient_norms(20, 32, "tanh", scale=0.05),
    "tanh, small (0.05), residual": gd.deep.layer_gradient_norms(20, 32, "tanh", scale=0.05, residual=True),
    "ReLU + He, residual": gd.deep.layer_gradient_norms(20, 32, "relu", scheme="he", residual=True),
}
gd.plotting.plot_layer_gradients(by_skip)
plt.show()

# %% [markdown]
# With small weights the skips turn a gradient that vanished by eleven orders of magnitude into
# one that barely changes. With He-initialised ReLU, however, each layer's own factor is already
# about 1, and adding the identity on top makes every layer stretch the gradient further: it
# explodes. Residual networks therefore keep each block's contribution small at the start (small or
# scaled-down weights, often with normalisation inside the block).

# %%
skip_ratio = {name: n[0] / n[-1] for name, n in by_skip.items()}
for name, r in skip_ratio.items():
    print(f"{name:29s} first / last = {r:.2e}")  # NBVAL_CHECK_OUTPUT
assert skip_ratio["tanh, small (0.05)"] < 1e-10 and 0.5 < skip_ratio["tanh, small (0.05), residual"] < 3
assert skip_ratio["ReLU + He, residual"] > 1e3

# %% [markdown]
# ### Gradient clipping, for a whole network
#
# Section 3 clipped a single number. In a network one clips the gradient of *all* weights together:
# compute the global norm $\lVert g \rVert = \sqrt{\sum_l \lVert \partial L/\partial W_l \rVert^2}$
# and, if it exceeds $c$, scale every layer's gradient by $c/\lVert g\rVert$. The direction of the
# step is kept; only its length is capped. `gd.deep.clip_by_norm` does this. We try it on the
# exploding case of section 6, ReLU with unit weights, and check it against the formula:

# %%
rng = np.random.default_rng(0)
wild = gd.deep.init_weights([32] * 21, scale=1.0, seed=rng)
x_wild, dir_wild = rng.standard_normal((64, 32)), rng.standard_normal((64, 32))
wild_grads = gd.deep.backward(wild, gd.deep.forward(wild, x_wild, "relu"), dir_wild / 64).W
clipped = gd.deep.clip_by_norm(wild_grads, max_norm=1.0)
size = gd.deep.global_norm(wild_grads)
assert all(np.allclose(c, g * min(1.0, 1.0 / size)) for c, g in zip(clipped, wild_grads))

# %% [markdown]
# What would one step of gradient descent with $\eta = 0.01$ do to these weights, without and with
# clipping? Compare the length of the step with the length of all the weights together:

# %%
weights_size = gd.deep.global_norm([layer.W for layer in wild])
raw_step, clipped_step = 0.01 * size, 0.01 * gd.deep.global_norm(clipped)
assert raw_step > 1e8 * weights_size and np.isclose(clipped_step, 0.01)
print(f"weights: {weights_size:.0f}; gradient: {size:.2e}")  # NBVAL_CHECK_OUTPUT
print(f"step without clipping: {raw_step:.2e}; with clip = 1: {clipped_step:.2f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Without clipping a single step would be a hundred million times longer than the weights
# themselves: the network would be destroyed in one update. With clipping the step is 0.01 long and
# points the same way. As on the plateau, clipping does nothing for a vanishing gradient: the
# sigmoid network's gradient is far below any threshold and comes back untouched.

# %%
faint = gd.deep.layer_gradient_norms(20, 32, "sigmoid", scheme="xavier", wrt="weight")
assert np.array_equal(gd.deep.clip_by_norm([faint], 1.0)[0], faint)

# %% [markdown]
# ### Other remedies, briefly
#
# - **Pre-training.** Before ReLU and good initialisation were common, deep networks were trained
#   one layer at a time (for example as stacked autoencoders), so that each layer started from
#   weights that already did something sensible; then the whole network was fine-tuned.
# - **Batch normalisation** normalises each unit over the mini-batch rather than over the units of
#   one sample, as we did above. It has the same effect on the scale of the signal, and it is what
#   made very deep convolutional networks trainable.
# - **Dropout** and **weight decay** are regularisers: they fight over-fitting, not vanishing or
#   exploding gradients. Weight decay keeps the weights small, which indirectly stops them from
#   growing into the exploding regime; dropout randomly silences units during training.
#
# ## 8. Can it be trained? Two short training runs
#
# Everything so far was measured at initialisation. "A deep sigmoid network cannot be trained" is a
# claim about *training*, so let us train. The task is small: 200 points of two interleaved half
# moons (`gd.datasets.make_moons`), two classes. Two networks with 10 hidden layers of 16 units
# each: sigmoid with Xavier initialisation, and ReLU with He initialisation. Both are trained by
# `gd.nn.train` with full-batch gradient descent for 200 epochs, at two learning rates each, so
# that neither loses because of one unlucky rate. **Predict** the two loss curves before you look.
# (A classifier that guesses has loss $\ln 2 \approx 0.693$.)

# %%
X_moons, y_moons = gd.datasets.make_moons(n=200, noise=0.1, seed=0)
NETS = {"sigmoid + Xavier": ("sigmoid", "xavier"), "ReLU + He": ("relu", "he")}
trained = {}
for name, (act, init) in NETS.items():
    net = gd.nn.MLP([2] + [16] * 10 + [2], activation=act, init=init, seed=0)
    for lr in (0.1, 0.5):
        trained[f"{name}, lr = {lr}"] = gd.nn.train(net, X_moons, y_moons, optimizer="gd", lr=lr, epochs=200,
                                                    batch_size=None, seed=0)

# %% [markdown]
# Beside the loss curves we measure what each layer *does* during training: the **update-to-weight
# ratio** $\lVert \Delta W_l \rVert / \lVert W_l \rVert$, how much one update changes a layer's
# weights relative to their size (a common rule of thumb calls about $10^{-3}$ healthy). We take its
# median over the first 10 updates at $\eta = 0.5$, layer by layer.

# %%
def update_ratios(run, updates=10):
    """Median over the first updates of ||W_l(t+1) - W_l(t)|| / ||W_l(t)||, for every layer l."""
    net, rows = run.net, run.x[: updates + 1]
    change = [[np.linalg.norm(dW) for dW, _ in net.unflatten(d)] for d in np.diff(rows, axis=0)]
    size = [[np.linalg.norm(W) for W, _ in net.unflatten(theta)] for theta in rows[:-1]]
    return np.median(np.array(change) / np.array(size), axis=0)


ratios = {name: update_ratios(trained[f"{name}, lr = 0.5"]) for name in NETS}
colors = [gd.plotting.PALETTE[i] for i in (0, 0, 1, 1)]  # blue: sigmoid, orange: ReLU; dashed: lr = 0.1
fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4), layout="constrained")
lines = gd.plotting.plot_history(trained, what="f", ax=left, colors=colors)
for line, name in zip(lines, trained):
    line.set_linestyle("--" if name.endswith("0.1") else "-")
left.legend()
left.axhline(np.log(2), color=gd.plotting.NEUTRAL, ls=":", lw=1.2)
left.set(yscale="log", ylabel="training loss (cross-entropy)", title="loss; dotted: ln 2, a coin toss")
gd.plotting.plot_layer_gradients(ratios, ax=right)
right.set(ylabel="||dW_l|| / ||W_l|| per update", title="update-to-weight ratio, first 10 updates, lr = 0.5")
plt.show()

# %% [markdown]
# The sigmoid network's loss drops to $\ln 2$ within a few epochs and stays there at both rates:
# its output layer learns that the two classes are equally common, and nothing else happens. The
# right panel shows why: its first layer changes by about $10^{-7}$ of its size per update, its last
# by more than $10^{-3}$, a factor of about 4 per layer: the vanishing gradient of section 6, now as
# updates that do nothing. The ReLU network's layers all change by about one per cent per update, from
# the first to the last, and its loss falls by two orders of magnitude (with a few spikes on the way,
# where a large step overshoots; it recovers from each).

# %%
final = {name: float(run.f[-1]) for name, run in trained.items()}
for name, value in final.items():
    accuracy = trained[name].net.accuracy(trained[name].theta, X_moons, y_moons)
    print(f"{name:26s} final loss {value:.4f}, accuracy {accuracy:.2f}")  # NBVAL_CHECK_OUTPUT
assert all(abs(final[f"sigmoid + Xavier, lr = {lr}"] - np.log(2)) < 1e-6 for lr in (0.1, 0.5))
assert all(final[f"ReLU + He, lr = {lr}"] < 0.02 for lr in (0.1, 0.5))
sig, relu = ratios["sigmoid + Xavier"], ratios["ReLU + He"]
assert sig[0] < 1e-6 and sig[-2] > 1e-4 and np.all((relu > 5e-3) & (relu < 5e-2))
assert all(trained[f"ReLU + He, lr = {lr}"].f[0] / final[f"ReLU + He, lr = {lr}"] > 50 for lr in (0.1, 0.5))
for lr in (1.0, 2.0):  # larger rates do not rescue the sigmoid network either
    late = gd.nn.train(gd.nn.MLP([2] + [16] * 10 + [2], activation="sigmoid", init="xavier", seed=0),
                       X_moons, y_moons, optimizer="gd", lr=lr, epochs=200, batch_size=None, seed=0)
    assert late.f[-1] > 0.69

# %% [markdown]
# So "cannot be trained" is not an inference any more: with the same data, the same depth, the same
# optimizer and the same budget, the sigmoid network learns nothing beyond the class balance (also at
# rates 1 and 2, checked above), and the ReLU network with He initialisation fits the moons.
#
# ## 9. Your turn: the deep-network explorer
#
# The explorer below draws the gradient norm at every layer, as in section 6, for a network you
# choose: depth, activation, weight scale and initialisation scheme, and switches for residual
# connections and normalisation. For the sigmoid, a dashed line traces $\times 0.25$ per layer back
# from the last layer: the bound of a *scalar* chain with unit weights, which section 6 showed is no
# bound for a network with width.
#
# **Predict first, then move the slider:**
# 1. Sigmoid with unit weights at depth 10: read off the gradient at the first layer. Predict it at
#    depth 40 using the per-layer factor, then check. Is the measured line above or below the dashed one?
# 2. Switch to ReLU with the "normal" scheme and slide the scale from 0.1 upwards. At which scale does
#    the line turn from falling to rising? Compare with He's $\sqrt{2/32} = 0.25$.
# 3. Choose tanh with a large scale so that the gradient explodes, then tick normalisation. Then
#    untick it and try residual connections with a small scale instead.
# 4. Choose ReLU with He initialisation and tick residual. Was section 7 right?

# %%
gd.widgets.explore_deep(depth=10, activation="sigmoid", scale=1.0, scheme="normal")

# %% [markdown]
# ## Summary
#
# - On a **plateau** the gradient is tiny and so is every step: from $x_0 = 3$ on $1 - e^{-x^2}$,
#   100 epochs at $\eta = 0.1$ move the point by 0.008, and it needs over 2600 epochs to reach the
#   bottom. A rate large enough for the plateau is too large for the valley.
# - On a **cliff** one enormous gradient throws the point far away (a step 70 times longer than the
#   one before). **Clipping** the gradient to a maximum length cures that, and does nothing for a
#   vanishing gradient.
# - Backpropagation multiplies one factor per layer. The sigmoid's slope is at most 0.25, so a
#   *scalar* chain of $n$ sigmoid units with unit weights passes on at most $0.25^n$ of the gradient;
#   a ReLU chain's factor is the weight itself, so the product is $w^n$; a scalar tanh chain with
#   $w > 1$ saturates and *vanishes* (factor about 0.39 for $w = 1.5$).
# - In a network with width, a layer can stretch the gradient by its spectral norm: the bound is the
#   product of $0.25\,\lVert W_l \rVert_2$, and the scalar $0.25^n$ is no bound. Small weights make
#   gradients vanish, unit or large ones make tanh and ReLU gradients explode.
# - Remedies, measured on 20 layers: Xavier (tanh) and He (ReLU) initialisation keep the gradient
#   within a factor of 10; ReLU beats sigmoid by eleven orders of magnitude; fewer layers mean fewer
#   factors; normalisation removes the weight scale (with tanh, not with sigmoid); residual
#   connections rescue small weights (but explode with He ReLU); clipping caps exploding steps.
# - Trained for 200 epochs on the moons, a 10-layer sigmoid network stays at the coin-toss loss
#   $\ln 2$ (its first layer moves by $10^{-7}$ of its size per update) while ReLU with He
#   initialisation fits the data.
#
# ## Exercises
#
# Each exercise ends with a check that says "correct!" or "not yet". The first cell defines the
# checks; run it once.

# %%
# EXERCISE CHECKS
def check_layers(answer):
    """Exercise 1: the smallest n with 0.25**n <= 1e-6."""
    if answer is ...:
        return print("not yet: replace ... with a whole number") or False
    n = 1
    while 0.25**n > 1e-6:
        n += 1
    ok = isinstance(answer, (int, np.integer)) and not isinstance(answer, bool) and answer == n
    print("correct!" if ok else "not yet: find the smallest whole n with 0.25**n <= 1e-6")
    return ok


def check_scale(answer):
    """Exercise 2: a weight scale that keeps a 20-layer ReLU network of width 64 healthy."""
    if answer is ... or isinstance(answer, bool) or not isinstance(answer, (int, float, np.floating)):
        return print("not yet: replace ... with a number, the standard deviation of the weights") or False
    if not 0 < answer < 100:
        return print("not yet: a standard deviation is a positive number (try something below 1)") or False
    norms = gd.deep.layer_gradient_norms(20, 64, "relu", scale=float(answer))
    ratio = norms[0] / norms[-1]
    ok = bool(0.1 < ratio < 10)
    print(f"first / last = {ratio:.2g}:", "correct!" if ok else "not yet: the ratio should be within 10x of 1")
    return ok


def check_clip(clip):
    """Exercise 3: clip(g, c) scales a gradient vector down to length c when it is longer."""
    rng = np.random.default_rng(3)
    cases = [(rng.standard_normal(5) * s, c) for s, c in ((10.0, 1.0), (0.1, 1.0), (3.0, 0.5))]
    cases += [(np.array([150.0]), 1.0), (np.array([0.3, -0.4]), 0.5), (np.zeros(3), 1.0)]
    try:
        for g, c in cases:
            out = clip(g.copy(), c)
            if out is None:
                return print("not yet: your function returns nothing; replace ... with your lines") or False
            norm = np.linalg.norm(g)
            expected = g if norm <= c else g * (c / norm)
            if np.shape(out) != g.shape or not np.allclose(out, expected, rtol=1e-12, atol=1e-15):
                return print(f"not yet: for g = {np.round(g, 3)} and c = {c} expected {np.round(expected, 4)}, "
                             f"got {np.round(out, 4)}") or False
        x = np.array([3.9])  # the cliff from x0 = 3.9 at lr = 0.5, 40 epochs, with clip = 1
        xs = [x]
        for _ in range(40):
            x = x - 0.5 * np.asarray(clip(gd.functions.cliff.grad(x), 1.0))
            xs.append(x)
    except Exception as err:  # a learner's code may fail in any way: report it, do not crash
        return print(f"not yet: your function raised {type(err).__name__}: {err}") or False
    xs = np.concatenate(xs)
    ok = bool(np.all((xs >= -6) & (xs <= 4)) and abs(xs[-1]) < 0.1)
    print("correct!" if ok else "not yet: the clipped run should stay in [-6, 4] and end near 0")
    return ok

# %% [markdown]
# **1. How deep before a millionth?** Using only the $0.25^n$ bound of a scalar sigmoid chain with
# unit weights, what is the smallest number of layers after which *at most* one millionth of the
# gradient can arrive? Put it in `my_layers`.

# %%
my_layers = ...  # a whole number
check_layers(my_layers)

# %% [markdown]
# <details><summary>Solution</summary>
#
# $0.25^n \le 10^{-6}$ means $n \ge 6 / \log_{10} 4 \approx 9.97$, so `my_layers = 10`
# ($0.25^{10} \approx 9.5 \times 10^{-7}$, while $0.25^9 \approx 3.8 \times 10^{-6}$).
# </details>
#
# **2. He by hand.** For a ReLU network of width 64 and 20 layers with the "normal" scheme
# (`gd.deep.layer_gradient_norms(20, 64, "relu", scale=...)`), find a weight scale (the standard
# deviation) that keeps the ratio first / last within a factor of 10 of 1. Predict it from the width
# before you search, and put it in `my_scale`.

# %%
my_scale = ...  # a number
check_scale(my_scale)

# %% [markdown]
# <details><summary>Solution</summary>
#
# He's rule gives $\sqrt{2/64} \approx 0.177$, so `my_scale = 0.177`: the ratio is about 1.1. The
# window is narrow: 0.15 already vanishes to about 0.05 and 0.2 explodes to about 11. The same
# network is `gd.deep.layer_gradient_norms(20, 64, "relu", scheme="he")`.
# </details>
#
# **3. Clipping inside a training loop.** Write `my_clip(g, c)`: it returns the gradient vector `g`
# unchanged when its length $\lVert g \rVert$ is at most `c`, and scaled down to length `c`
# (same direction) otherwise. The check tests it on a few vectors, then uses it inside a plain
# training loop on the cliff, from $x_0 = 3.9$ with $\eta = 0.5$ for 40 epochs, where unclipped
# descent is thrown to about $x = -38$. Careful with the zero vector.

# %%
def my_clip(g, c):
    ...  # your lines: return g, or g scaled to length c


check_clip(my_clip)

# %% [markdown]
# <details><summary>Solution</summary>
#
# ```python
# def my_clip(g, c):
#     norm = np.linalg.norm(g)
#     return g if norm <= c else g * (c / norm)
# ```
#
# `np.clip(g, -c, c)` is a different rule: it clips each coordinate on its own, which changes the
# direction of the step. The loop the check runs is
#
# ```python
# x = np.array([3.9])
# for _ in range(40):
#     x = x - 0.5 * my_clip(gd.functions.cliff.grad(x), 1.0)
# ```
#
# and matches `gd.descend(gd.functions.cliff, 3.9, lr=0.5, epochs=40, clip=1.0)`. Every step is at
# most $\eta c = 0.5$ long, so the run walks down the wall instead of flying off it.
# </details>
#
# **Next:** [06 · The optimizer zoo](06_optimizer_zoo.ipynb) meets momentum, AdaGrad, RMSprop,
# Adam and their newer relatives. The adaptive ones divide each step by a running average of the
# gradient's size, which is another answer to this notebook's question: they take longer steps where
# the gradient is faint and shorter ones where it is huge.
