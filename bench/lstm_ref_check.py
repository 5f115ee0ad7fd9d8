#!/usr/bin/env python3
"""Checks the hand-written LSTM step's loss and gradient (bench/lstm_ref.c)
against central differences of an independent numpy forward pass in float64.

    lstm_bench --dump-grad /tmp/g0.bin && lstm_bench --dump-grad /tmp/g6.bin --embed 6
    python3 bench/lstm_ref_check.py /tmp/g0.bin /tmp/g6.bin

Exit status 0 when every file agrees (loss to 1e-5, gradient to 1e-4
relative to its largest element)."""
import sys

import numpy as np


def check(path):
    raw = open(path, "rb").read()
    V, E, H, T, B = (int(v) for v in np.frombuffer(raw[:20], np.int32))
    o = 20
    x = np.frombuffer(raw[o:o + 4 * T * B], np.int32).reshape(T, B); o += 4 * T * B
    y = np.frombuffer(raw[o:o + 4 * T * B], np.int32).reshape(T, B); o += 4 * T * B
    n_in = E if E else V
    sizes = [V * E, n_in * 4 * H, H * 4 * H, 4 * H, H * V, V]
    n = sum(sizes)
    p = np.frombuffer(raw[o:o + 4 * n], np.float32).astype(np.float64); o += 4 * n
    g = np.frombuffer(raw[o:o + 4 * n], np.float32).astype(np.float64); o += 4 * n
    loss_c = float(np.frombuffer(raw[o:o + 8], np.float64)[0])

    def sig(z):
        return 1 / (1 + np.exp(-z))

    def loss(q):
        emb, wih, whh, b, wout, bout = np.split(q, np.cumsum(sizes)[:-1])
        emb, wih, whh = emb.reshape(V, E), wih.reshape(n_in, 4 * H), whh.reshape(H, 4 * H)
        wout = wout.reshape(H, V)
        h, c, total = np.zeros((B, H)), np.zeros((B, H)), 0.0
        for t in range(T):
            xin = emb[x[t]] @ wih if E else wih[x[t]]
            G = xin + h @ whh + b
            i, f = sig(G[:, :H]), sig(G[:, H:2 * H])
            gg, og = np.tanh(G[:, 2 * H:3 * H]), sig(G[:, 3 * H:])
            c = f * c + i * gg
            h = og * np.tanh(c)
            z = h @ wout + bout
            z = z - z.max(1, keepdims=True)
            logp = z - np.log(np.exp(z).sum(1, keepdims=True))
            total -= logp[np.arange(B), y[t]].sum()
        return total / (T * B)

    eps, num = 1e-6, np.zeros(n)
    for k in range(n):
        d = np.zeros(n)
        d[k] = eps
        num[k] = (loss(p + d) - loss(p - d)) / (2 * eps)
    rel = np.abs(num - g).max() / np.abs(num).max()
    loss_np = loss(p)
    ok = abs(loss_np - loss_c) < 1e-5 and rel < 1e-4
    print(f"{path}: V={V} E={E} H={H} T={T} B={B}: loss C {loss_c:.7f} numpy {loss_np:.7f}; "
          f"gradient max error {rel:.2e} of its largest element ({n} elements): {'ok' if ok else 'MISMATCH'}")
    return ok


if __name__ == "__main__":
    results = [check(f) for f in sys.argv[1:]]
    sys.exit(0 if results and all(results) else 1)
