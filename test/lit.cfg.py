# lit configuration for symjit: finds symjit-opt/symjit-run in the build tree
# and FileCheck in LLVM 19's tools.
import os
import lit.formats

config.name = "symjit"
config.test_format = lit.formats.ShTest(True)
config.suffixes = [".sj", ".test"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "unit", "Inputs", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.symjit_obj_root, "test")

path = os.pathsep.join([config.symjit_obj_root, config.llvm_tools_dir, config.environment.get("PATH", "")])
config.environment["PATH"] = path + os.pathsep + os.environ.get("PATH", "")
config.environment["FILECHECK_OPTS"] = "--enable-var-scope --allow-unused-prefixes=false"
for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
    if var in os.environ:
        config.environment[var] = os.environ[var]

config.substitutions.append(("%symjit-opt", os.path.join(config.symjit_obj_root, "symjit-opt")))
config.substitutions.append(("%symjit-run", os.path.join(config.symjit_obj_root, "symjit-run")))
config.substitutions.append(("%examples", os.path.join(config.symjit_src_root, "examples")))
config.substitutions.append(("%python", "/usr/bin/python3"))

# The ASan+UBSan build (SJ_SANITIZE): `UNSUPPORTED: asan` for tests that
# only repeat, far slower, what the normal build already checks.
if getattr(config, "sanitized", "").upper() in ("ON", "1", "TRUE", "YES"):
    config.available_features.add("asan")

# CPU features, for tests that check vector widths (REQUIRES: avx2).
try:
    with open("/proc/cpuinfo") as f:
        flags = f.read()
    for feat in ("avx2", "avx512f"):
        if " " + feat in flags:
            config.available_features.add(feat)
except OSError:
    pass

# Graphviz, for tests that feed symjit-opt --dot to `dot` (optional).
import shutil
if shutil.which("dot"):
    config.available_features.add("graphviz")

# 512-bit vectors preferred: AVX-512 on a core without the 512-bit clock
# penalty (the list of lib/codegen/target.c, clock_penalty_512).
if "avx512f" in config.available_features:
    import subprocess
    try:
        out = subprocess.run(["llc-19", "--version"], capture_output=True, text=True).stdout
        cpu = next((l.split(":")[1].strip() for l in out.splitlines() if "Host CPU" in l), "")
        if cpu and cpu not in ("skylake-avx512", "cascadelake", "cooperlake", "knl", "knm"):
            config.available_features.add("prefer512")
    except OSError:
        pass

# The GPU backend (docs/gpu.md): `nvptx` when LLVM has the NVPTX target
# (LLVM_TARGETS_TO_BUILD), `ptxas` plus %ptxas when the CUDA toolkit's
# assembler is found ($CUDA_HOME/bin, /usr/local/cuda/bin, then PATH).
if "NVPTX" in getattr(config, "llvm_targets", "").split(";"):
    config.available_features.add("nvptx")
_cuda_dirs = [os.path.join(os.environ["CUDA_HOME"], "bin")] if os.environ.get("CUDA_HOME") else []
_ptxas = next((os.path.join(d, "ptxas") for d in _cuda_dirs + ["/usr/local/cuda/bin"]
               if os.access(os.path.join(d, "ptxas"), os.X_OK)), None) or shutil.which("ptxas")
if _ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", _ptxas))
config.substitutions.append(("%sj-fuzzgen", os.path.join(config.symjit_obj_root, "test", "sj-fuzzgen")))

# ---- CUDA devices (issue 13; docs/gpu.md "Running the device checks") ----
# `cuda-device`: the NVIDIA driver loads ($SJ_LIBCUDA overrides the library,
# as in lib/runtime/cuda_driver.c), cuInit(0) succeeds and a device exists;
# tests that run kernels say `REQUIRES: cuda-device` and are UNSUPPORTED
# (never passed) elsewhere. `cuda-stub` and %cuda_stub: the toolkit's stub
# libcuda, for the "no driver" messages.
def _cuda_device_problem():
    import ctypes
    path = os.environ.get("SJ_LIBCUDA") or "libcuda.so.1"
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        return "no CUDA driver found (%s)" % e
    rc = lib.cuInit(0)
    if rc:
        return "cuInit failed with CUresult %d" % rc
    n = ctypes.c_int(0)
    if lib.cuDeviceGetCount(ctypes.byref(n)) or n.value <= 0:
        return "no CUDA device found"
    return None

_cuda_problem = _cuda_device_problem()
if _cuda_problem is None:
    config.available_features.add("cuda-device")
else:
    lit_config.note("device tests are unsupported here: " + _cuda_problem)
if "SJ_LIBCUDA" in os.environ:
    config.environment["SJ_LIBCUDA"] = os.environ["SJ_LIBCUDA"]
_cuda_stub = os.path.join(os.environ.get("CUDA_HOME") or "/usr/local/cuda", "lib64", "stubs", "libcuda.so")
if os.path.exists(_cuda_stub):
    config.available_features.add("cuda-stub")
    config.substitutions.append(("%cuda_stub", _cuda_stub))
