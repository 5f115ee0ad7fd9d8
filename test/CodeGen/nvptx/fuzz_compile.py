#!/usr/bin/env python3
"""Random valid programs of the semantic fuzzer's generator (sj-fuzzgen),
compiled with -O for the GPU at the oldest and newest architectures
symjit accepts: each must compile (or fail with "not supported on nvptx"),
never crash or abort inside LLVM (an op and dtype NVPTX cannot select kills
the process), and ptxas must accept the sm_90 PTX. With symjit-opt flags
after the seeds (--gpu-native-f16), every architecture where what NVPTX
selects for half ops changes (sm_70, sm_75, sm_80, sm_90), ptxas at sm_80
and sm_90.

usage: fuzz_compile.py SJ_FUZZGEN SYMJIT_OPT PTXAS FIRST_SEED LAST_SEED [FLAG...]"""
import os
import subprocess
import sys
import tempfile


def main():
    gen, opt, ptxas, first, last = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    flags = sys.argv[6:]
    archs = ("sm_70", "sm_75", "sm_80", "sm_90") if flags else ("sm_70", "sm_90")
    assembled = ("sm_80", "sm_90") if flags else ("sm_90",)
    failures, compiled = [], 0
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "p.sj")
        for seed in range(first, last + 1):
            g = subprocess.run([gen, str(seed), "special" if seed % 3 == 0 else "normal"], capture_output=True, text=True)
            if g.returncode != 0:
                continue
            with open(path, "w") as f:
                f.write(g.stdout)
            if subprocess.run([opt, "-O", path], capture_output=True).returncode != 0:
                continue  # the host rejects it too (a dim too large to allocate)
            for arch in archs:
                r = subprocess.run([opt, "-O", "--target=nvptx", f"--gpu-arch={arch}", "--emit-ptx", *flags, path],
                                   capture_output=True, text=True)
                if r.returncode != 0:
                    if r.returncode != 1 or "not supported on nvptx" not in r.stderr:
                        failures.append(f"seed {seed} {arch}: rc {r.returncode}: {r.stderr.strip()[:200]}")
                    break
                if arch in assembled:
                    p = subprocess.run([ptxas, f"-arch={arch}", "-", "-o", os.devnull], input=r.stdout,
                                       capture_output=True, text=True)
                    if p.returncode != 0:
                        failures.append(f"seed {seed} {arch}: ptxas: {p.stderr.strip()[:200]}")
                        break
                    compiled += arch == "sm_90"
    print(f"fuzz: {compiled} programs compiled for {' '.join(archs)}{' with ' + ' '.join(flags) if flags else ''}, "
          f"{len(failures)} failures")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
