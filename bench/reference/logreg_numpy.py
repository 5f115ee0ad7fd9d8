#!/usr/bin/python3
"""examples/logreg written in numpy, for an ad-hoc cross-check (not a
dependency, not run by the tests). Same data scaling, zero init, mean
softmax cross-entropy, plain SGD (lr 0.1, batch 256, last partial batch
kept) and, with --shuffle xorshift, exactly the example's per-epoch shuffle,
so the printed accuracies can be compared digit for digit with
`build/logreg --seed N`. With --shuffle numpy it uses numpy's own
permutations instead (the "same model in numpy" of issue 5).
Usage: /usr/bin/python3 bench/reference/logreg_numpy.py [--shuffle xorshift|numpy] SEED...
"""
import gzip
import sys

import numpy as np

DATA = "/usr/share/datasets/fashion-mnist"
M64 = (1 << 64) - 1


def load(prefix):
    with gzip.open(f"{DATA}/{prefix}-images-idx3-ubyte.gz") as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255
    with gzip.open(f"{DATA}/{prefix}-labels-idx1-ubyte.gz") as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)
    return x, y


def xorshift_shuffle(perm, s):
    """fm_shuffle in examples/fashion_mnist.c (Fisher-Yates on xorshift64)."""
    for i in range(len(perm) - 1, 0, -1):
        s ^= (s << 13) & M64
        s ^= s >> 7
        s ^= (s << 17) & M64
        j = s % (i + 1)
        perm[i], perm[j] = perm[j], perm[i]
    return s


def train(x, y, xt, yt, seed, shuffle, epochs=5, batch=256, lr=np.float32(0.1)):
    w, b = np.zeros((784, 10), np.float32), np.zeros(10, np.float32)
    perm, s = np.arange(len(y)), (seed * 0x9E3779B97F4A7C15 + 1) & M64
    rng = np.random.default_rng(seed)
    for e in range(1, epochs + 1):
        if shuffle == "xorshift":
            s = xorshift_shuffle(perm, s)
        else:
            perm = rng.permutation(len(y))
        total, steps = 0.0, 0
        for start in range(0, len(y), batch):
            idx = perm[start:start + batch]
            xb, yb, n = x[idx], y[idx], len(idx)
            z = xb @ w + b
            p = np.exp(z - z.max(1, keepdims=True))
            p /= p.sum(1, keepdims=True)
            total += -np.log(p[np.arange(n), yb]).mean()
            steps += 1
            p[np.arange(n), yb] -= 1
            p /= n
            w -= lr * (xb.T @ p)
            b -= lr * p.sum(0)
        acc = ((xt @ w + b).argmax(1) == yt).mean()
        print(f"seed {seed} epoch {e}: train loss {total / steps:.4f}, test accuracy {acc:.4f}", flush=True)


def main(argv):
    shuffle = "xorshift"
    if len(argv) > 1 and argv[0] == "--shuffle":
        shuffle, argv = argv[1], argv[2:]
    x, y = load("train")
    xt, yt = load("t10k")
    for seed in map(int, argv or ["1"]):
        train(x, y, xt, yt, seed, shuffle)


if __name__ == "__main__":
    main(sys.argv[1:])
