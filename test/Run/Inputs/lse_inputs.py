"""Writes the inputs of logsumexp-online.sj into DIR: 40000 f32 values each
(3 chunks of the one-pass max and sum of exp; also as [40, 1000]), laid out so that whole chunks
are -inf, NaN or +inf appear in one chunk, or the chunk maxima are far apart.
Usage: lse_inputs.py DIR"""
import os
import struct
import sys

N = 40000


def uniform(seed):
    s, out = seed, []
    for _ in range(N):
        s = (s * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        out.append((s >> 40) / float(1 << 24) * 2 - 1)
    return out


def write(path, vals, shape=None):
    dims = "%d," % len(vals) if shape is None else "%d, %d" % shape
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % dims
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        f.write(struct.pack("<%df" % len(vals), *vals))


ninf, inf, nan = float("-inf"), float("inf"), float("nan")
u = uniform(1)
cases = {
    "neginf_head": [ninf] * 20000 + u[20000:],
    "all_neginf": [ninf] * N,
    "one_inf": u[:30000] + [inf] + u[30001:],
    "one_nan": u[:5] + [nan] + u[6:],
    "far_chunks": [v - 100 for v in u[:13334]] + u[13334:],
    "ascending": [i / 1000.0 for i in range(N)],
    "single_finite": [ninf] * (N - 1) + [3.5],
    "all_inf": [inf] * N,
}
for name, vals in cases.items():
    write(os.path.join(sys.argv[1], name + ".npy"), vals)
# [40, 1000]: chunks of 16 rows; rows 0-19 all -inf, then one +inf row
write(os.path.join(sys.argv[1], "rows_neginf_head.npy"), [ninf] * 20000 + u[20000:], (40, 1000))
write(os.path.join(sys.argv[1], "rows_one_inf.npy"), u[:30000] + [inf] + u[30001:], (40, 1000))
