"""Training the digits network with ``gd.nn.train`` next to the same training in PyTorch.

The network is the course's default: 64-32-10, ReLU, softmax cross-entropy, Adam (lr 1e-3,
betas 0.9/0.999, eps 1e-8), mini-batches of 32 over the 1,437 training digits, 20 epochs
(900 updates). PyTorch gets the same initial weights (copied from ``net.init()``), the same
batches in the same order (drawn with ``gd.data.batches`` and the same seed) and runs on the
CPU with 2 threads. It is timed in float64, the arithmetic gdviz does (and the check that both
compute the same thing: the losses of every update agree), and in float32, PyTorch's default;
then in float32 on one thread, because on a busy machine PyTorch's two threads wait for each
other at every operation (seen here: 20x slower under load, where one thread is not). PyTorch
is not a dependency of the course; without it the gdviz time is printed alone.
"""

from __future__ import annotations

import time

import numpy as np

import gdviz as gd

EPOCHS, BATCH, LR, SEED = 20, 32, 1e-3, 0


def best_of(fn, repeat: int = 5) -> tuple[float, float]:
    """Shortest wall time and shortest CPU time (all threads of this process) of ``repeat`` calls.

    On a busy machine the wall time counts the waits for a core; the CPU time does not.
    """
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(wall), min(cpu)


def _problem():
    X, y = gd.datasets.load_digits()
    X_train, _, y_train, _ = gd.datasets.train_test_split(X, y, test_size=0.2, seed=0)
    return gd.nn.MLP([64, 32, 10], activation="relu", loss="cross_entropy", seed=0), X_train, y_train


def _torch_trainer(net, X, y, dtype_name: str, threads: int = 2):
    """A closure that trains the same network in PyTorch and returns the loss of every update."""
    import torch

    dtype = getattr(torch, dtype_name)
    (W1, b1), (W2, b2) = net.unflatten(net.init())
    Xt, yt = torch.tensor(X, dtype=dtype), torch.tensor(y, dtype=torch.long)
    rng = np.random.default_rng(SEED)
    plan = [torch.from_numpy(idx) for _ in range(EPOCHS) for idx in gd.data.batches(len(y), BATCH, rng)]

    def run() -> np.ndarray:
        torch.set_num_threads(threads)
        model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10)).to(dtype)
        with torch.no_grad():  # torch keeps W as (fan_out, fan_in): the transpose of ours
            for layer, W, b in ((model[0], W1, b1), (model[2], W2, b2)):
                layer.weight.copy_(torch.tensor(W.T, dtype=dtype))
                layer.bias.copy_(torch.tensor(b, dtype=dtype))
        opt = torch.optim.Adam(model.parameters(), lr=LR, betas=(0.9, 0.999), eps=1e-8)
        losses = torch.empty(len(plan), dtype=dtype)
        for u, idx in enumerate(plan):
            loss = torch.nn.functional.cross_entropy(model(Xt[idx]), yt[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            losses[u] = loss.detach()
        return losses.numpy()

    return run


def bench_digits() -> list[dict]:
    net, X, y = _problem()
    train = lambda: gd.nn.train(net, X, y, optimizer="adam", lr=LR, epochs=EPOCHS, batch_size=BATCH, seed=SEED)  # noqa: E731
    ours, ours_cpu = best_of(train)
    run = train()
    name = (f"7. digits MLP 64-32-10, Adam, batch {BATCH}, {EPOCHS} epochs ({run.epochs} updates): "
            "PyTorch on the CPU (float64) vs `nn.train`")
    try:
        import torch  # noqa: F401
    except ImportError:
        print("(PyTorch is not installed: benchmark 7 times gdviz alone; install PyTorch, a CPU build, to compare)")
        return [{"benchmark": name, "gdviz": ours, "target": "<= PyTorch",
                 "extra": f"PyTorch not installed; CPU time {ours_cpu:.2f} s"}]
    rows = []
    cases = [("float64", 2, name), ("float32", 2, "same, PyTorch in float32 (its default; gdviz stays float64)"),
             ("float32", 1, "same, PyTorch in float32 on 1 thread")]
    for dtype, threads, label in cases:
        trainer = _torch_trainer(net, X, y, dtype, threads)
        theirs, theirs_cpu = best_of(trainer, repeat=3)
        losses = trainer()
        gap = float(np.max(np.abs(losses - run.f[:-1])))
        met = "met" if ours <= theirs else "**missed**"
        rows.append({"benchmark": label, "naive": theirs, "gdviz": ours, "target": "<= PyTorch",
                     "extra": f"{met}; CPU time {theirs_cpu:.2f} s vs {ours_cpu:.2f} s; largest gap in the "
                              f"{run.epochs} batch losses {gap:.1e}"})
    return rows


def run_all() -> list[dict]:
    return bench_digits()


if __name__ == "__main__":
    for row in run_all():
        print(row)
