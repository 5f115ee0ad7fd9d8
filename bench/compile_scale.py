#!/usr/bin/env python3
"""Compile-time scaling of symjit-opt -O (issue 9: every pass near-linear).

  bench/compile_scale.py [build-dir] [--sizes 10000,30000,100000] [--repeat 3]

For each shape (chain: N elementwise ops in one dependence chain; wide:
chains of 8 under a sum tree; see bench/gen_graph.py) and size, runs
`symjit-opt -O` --repeat times and prints the best wall time and the best
CPU time (user + sys of the child: on a shared machine wall time also
counts waiting), the CPU time per op, and the ratio to the smallest size
(linear scaling: ratio = size ratio). Then the per-pass wall times of the
largest chain (--time-passes). Results go to bench/RESULTS.md by hand.
"""
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run(opt, path, extra=()):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.run([opt, "-O", path, *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode:
        sys.exit(f"compile_scale: symjit-opt failed on {path}:\n{p.stderr}")
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return wall, cpu, p.stderr


def main(argv):
    build = "build"
    sizes = [10000, 30000, 100000]
    repeat = 3
    args = list(argv[1:])
    while args:
        a = args.pop(0)
        if a == "--sizes":
            sizes = [int(x) for x in args.pop(0).split(",")]
        elif a == "--repeat":
            repeat = int(args.pop(0))
        else:
            build = a
    opt = os.path.join(build, "symjit-opt")
    if not os.access(opt, os.X_OK):
        sys.exit(f"compile_scale: no {opt} (build first: bash scripts/build.sh {build})")
    gen = os.path.join(HERE, "gen_graph.py")
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'shape':6} {'ops':>7} {'wall s':>8} {'cpu s':>8} {'cpu us/op':>10} {'cpu ratio':>10} {'size ratio':>10}")
        for shape in ("chain", "wide"):
            base = None
            for n in sizes:
                path = os.path.join(tmp, f"{shape}{n}.sj")
                with open(path, "w") as f:
                    subprocess.run([sys.executable, gen, shape, str(n)], stdout=f, check=True)
                best = min((run(opt, path)[:2] for _ in range(repeat)), key=lambda t: t[1])
                base = base or (n, best[1])
                print(f"{shape:6} {n:7d} {best[0]:8.3f} {best[1]:8.3f} {1e6 * best[1] / n:10.2f}"
                      f" {best[1] / base[1]:10.2f} {n / base[0]:10.2f}")
        n = sizes[-1]
        _, _, report = run(opt, os.path.join(tmp, f"chain{n}.sj"), ["--time-passes"])
        print(f"\nper pass, chain of {n} (wall):")
        print("\n".join(l for l in report.splitlines() if l.startswith("  ") and "Wall" not in l))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
