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
# - prove, and check numerically, that $n$ sigmoid layers with unit weights pass on at most
#   $0.25^n$ of the gradient;
# - measure the gradient reaching each layer of a small network for sigmoid, tanh and ReLU at
#   several weight scales, and demonstrate each standard remedy with numbers: ReLU, Xavier/He
#   initialisation, fewer layers, normalisation, residual connections and clipping.
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
gd.plotting.plot_descent_1d(stuck, left)
gd.plotting.plot_history(stuck, "grad", right, log=True)
plt.show()

# %% [markdown]
# The hundred points sit on top of each other at $x \approx 3$: the run has hardly moved. The slope
# does grow a little as the point creeps inwards (right), but it stays below $10^{-3}$. The gradient
# has not *vanished* exactly, it has become too small to be useful within our budget. How long
# would the run need to reach the bottom, say $f < 10^{-3}$?

# %%
patient = gd.descend(plateau, 3.0, lr=0.1, epochs=4000)
needed = int(patient.steps_to(1e-3))
assert abs(stuck.final - 3) < 0.01 and needed > 2500
print(f"after 100 epochs: x = {stuck.final:.4f} (moved {3 - stuck.final:.4f})")  # NBVAL_CHECK_OUTPUT
print(f"epochs needed to reach f < 1e-3: {needed}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# More than 2600 epochs, almost all of them spent crossing the plateau: the history of the slope
# tells the story.

# %%
gd.plotting.plot_history(patient, "grad", log=True)
plt.show()

# %% [markdown]
# For about 2000 epochs the slope creeps up from $10^{-3}$; then the point reaches the valley's
# wall, the slope jumps by two orders of magnitude, and within a few dozen epochs the point is at
# the bottom, where the slope falls away again.
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
# On the bowl the slope is $x/4$, never more than 1 in size on the plotted window. On the wall it
# reaches about $150$ (the $\tanh$ term contributes $10 \cdot 15 = 150$ at its steepest point).

# %%
xs = np.linspace(*cliff.bounds[0], 20_001)
steepest = np.abs(cliff.grad(xs)).max()
bowl = np.abs(cliff.grad(xs[xs < 1.5])).max()
assert 150 < steepest < 151 and bowl == 1.5  # 1.5 = 6/4 at the left edge x = -6
print(f"largest |f'| on the wall: {steepest:.1f}; on the bowl: {bowl:.2f}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# (Far on the left, at $x = -6$, the bowl's slope is 1.5; on the part the runs below visit it
# stays under 1.) Start on the shelf above the wall, at $x_0 = 3.5$, with the modest rate
# $\eta = 0.1$ and 60 epochs. The shelf slopes gently down towards the wall, so the point walks
# towards it in small steps. **Predict** what the step taken *on* the wall will look like, then
# look at the path (left) and the position against the epoch (right).

# %%
thrown = gd.descend(cliff, 3.5, lr=0.1, epochs=60)
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.6), layout="constrained")
gd.plotting.plot_descent_1d(thrown, left)
gd.plotting.plot_history(thrown, "x", right)
plt.show()

# %% [markdown]
# The point walks down the shelf and then, in a single step, is hurled far past the bottom of the
# bowl, out of the window on the left. The rest of the run is spent walking back. Let us find that
# step and compare it with the one before it:

# %%
steps = np.abs(np.diff(thrown.x))
jump = int(steps.argmax())
assert steps[jump] > 50 * steps[jump - 1] and thrown.x[jump + 1] < -10
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
# We choose $c = 1$: on the part of the bowl we visit the slope is smaller than 1, so only the wall
# is affected.

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
gd.plotting.plot_descent_1d(tamed, left, label="clip = 1")
gd.plotting.plot_history({"no clipping": thrown, "clip = 1": tamed}, "x", right)
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
gd.widgets.explore_1d(plateau, lr=0.1, epochs=100, x0=3.0, max_epochs=500)

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
assert np.isclose(np.prod(chain.factors), chain.gradient)
h = 1e-5
finite_diff = (chain_by_hand(0.5 + h, 1.0, 6)[0][-1] - chain_by_hand(0.5 - h, 1.0, 6)[0][-1]) / (2 * h)
assert np.isclose(finite_diff, grad, rtol=1e-6)
print("factors:", np.round(chain.factors, 4))  # NBVAL_CHECK_OUTPUT
print(f"gradient through 6 layers: {chain.gradient:.3e}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Every factor is a little below 0.25, and six of them multiply to about $2 \times 10^{-4}$. That
# is no accident.
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
# 30, all with unit weights. The largest gradient of each depth must stay below $0.25^n$.

# %%
rng = np.random.default_rng(5)
starts = rng.uniform(-3, 3, 500)
depths = np.arange(1, 31)
largest = np.array([max(abs(gd.deep.chain_gradient(n, "sigmoid", 1.0, x).gradient) for x in starts) for n in depths])
assert np.all(largest <= 0.25**depths)
for n in (1, 5, 10, 20, 30):
    print(f"n = {n:2d}: largest gradient {largest[n - 1]:.2e} <= bound 0.25^n = {0.25**n:.2e}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Thirty sigmoid layers deliver less than $10^{-18}$ of the gradient to the input. If these layers
# were weights to be trained, the first ones would receive updates of that size: in practice, none.
#
# The same product explains explosion. Swap the sigmoid for a ReLU, $\varphi(z) = \max(z, 0)$,
# whose slope is exactly 1 for positive inputs: each factor is then just $w$, and the product is
# $w^n$. A weight a little below 1 vanishes, a little above 1 explodes, and only $w = 1$ keeps the
# gradient intact. (tanh, with $\tanh'(0) = 1$, behaves like this near $x = 0$.)

# %%
for w in (0.8, 1.0, 1.5):
    relu_chain = gd.deep.chain_gradient(20, "relu", weight=w, x=1.0)
    assert np.isclose(relu_chain.gradient, w**20)
    print(f"ReLU, w = {w}: gradient through 20 layers = {relu_chain.gradient:.4g} = {w}^20")  # NBVAL_CHECK_OUTPUT

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
fig, axes = plt.subplots(1, 3, figsize=(14, 3.8), sharey=True, layout="constrained")
for ax, act in zip(axes, ACTIVATIONS):
    gd.plotting.plot_layer_gradients(by_scale[act], ax)
    ax.set_title(act)
plt.show()

# %% [markdown]
# PLACEHOLDER: what the figure shows.

# %%
ratio = {act: {name: n[0] / n[-1] for name, n in runs.items()} for act, runs in by_scale.items()}
for act in ACTIVATIONS:
    print(f"{act:8s}", "  ".join(f"{name}: {r:8.1e}" for name, r in ratio[act].items()))  # NBVAL_CHECK_OUTPUT
assert all(ratio[act]["small (0.05)"] < 1e-10 for act in ACTIVATIONS)
assert ratio["tanh"]["unit (1)"] > 1e3 and ratio["relu"]["unit (1)"] > 1e10

# %% [markdown]
# ## 7. Remedies, each measured
#
# PLACEHOLDER

# %%
gd.widgets.explore_deep(depth=10, activation="sigmoid", scale=1.0, scheme="normal")
