/* Reductions and dtypes, end to end through the JIT (issue 9's bug class):
 *   - every combine identity against every dtype: a reduction over one
 *     element, and over many equal elements (the parallel chunked path),
 *     returns that element exactly, for edge values such as the i64 bounds;
 *   - f16/bf16 sums, means, products and matmuls accumulate in f32;
 *   - every cast pair JITs and rounds exactly as a reference rounding
 *     written here (round to nearest even, from the exact source value);
 *   - the registry agrees with itself (combines, identities, flags).
 * Values are compared exactly (halves read back as their exact double). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "opinfo.h"
#include "symjit/symjit.h"

#include "check.h"

static const sj_dtype numeric[] = {SJ_F16, SJ_BF16, SJ_F32, SJ_F64, SJ_I8, SJ_I32, SJ_I64};
static const sj_dtype all_dtypes[] = {SJ_F16, SJ_BF16, SJ_F32, SJ_F64, SJ_I8, SJ_I32, SJ_I64, SJ_BOOL};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Compiles `text` (function @f) fully optimized; NULL on failure. */
static sj_function *compile(sj_ctx *c, const char *text) {
  sj_module *m = NULL;
  sj_function *f = NULL;
  sj_compile_options o;
  sj_compile_options_init(&o);
  o.tiered = 0;
  if (sj_module_parse(c, text, strlen(text), "dtypes", &m) || sj_module_compile(m, "f", &o, &f)) {
    fprintf(stderr, "compile failed: %s\n%s\n", sj_ctx_errmsg(c), text);
    failures++;
    sj_ctx_clear_errors(c);
    return NULL;
  }
  return f;
}

/* Runs f on one input into nout outputs (free them); false on failure. */
static bool run(sj_ctx *c, sj_function *f, sj_tensor *in, sj_tensor **out, size_t nout) {
  memset(out, 0, nout * sizeof *out);
  if (sj_function_call(f, &in, 1, out, nout)) {
    fprintf(stderr, "call failed: %s\n", sj_ctx_errmsg(c));
    failures++;
    sj_ctx_clear_errors(c);
    return false;
  }
  return true;
}

static sj_tensor *run1(sj_ctx *c, sj_function *f, sj_tensor *in) {
  sj_tensor *out;
  return run(c, f, in, &out, 1) ? out : NULL;
}

static void free_all(sj_tensor **t, size_t n) {
  for (size_t i = 0; i < n; i++) sj_tensor_free(t[i]);
}

/* Stores an exact value: integers through their raw width (wrapping). */
static void put(sj_tensor *t, int64_t i, double f, int64_t n) {
  void *p = sj_tensor_data(t);
  switch (sj_tensor_dtype(t)) {
  case SJ_I8: ((int8_t *)p)[i] = (int8_t)(uint8_t)(uint64_t)n; break;
  case SJ_I32: ((int32_t *)p)[i] = (int32_t)(uint32_t)(uint64_t)n; break;
  case SJ_I64: ((int64_t *)p)[i] = n; break;
  default: sj_tensor_set(t, i, f); break;
  }
}

/* An element as an integer (int dtypes, exactly) or a double (others). */
static int64_t get_int(const sj_tensor *t, int64_t i) {
  const void *p = sj_tensor_data(t);
  switch (sj_tensor_dtype(t)) {
  case SJ_I8: return ((const int8_t *)p)[i];
  case SJ_I32: return ((const int32_t *)p)[i];
  case SJ_I64: return ((const int64_t *)p)[i];
  default: return (int64_t)sj_tensor_get(t, i);
  }
}

static bool is_int(sj_dtype dt) { return dt == SJ_I8 || dt == SJ_I32 || dt == SJ_I64; }

/* Same value, same sign of zero, or both NaN. */
static bool same_double(double a, double b) {
  if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
  return a == b && signbit(a) == signbit(b);
}

/* ---- identities: reduce([x]) == x and reduce([x] * n) == x ---- */

typedef struct edge {
  double f;
  int64_t i;
} edge;

static int edges_of(sj_dtype dt, edge *e) {
  int n = 0;
  if (is_int(dt)) {
    int64_t lo = dt == SJ_I8 ? INT8_MIN : dt == SJ_I32 ? INT32_MIN : INT64_MIN;
    int64_t hi = dt == SJ_I8 ? INT8_MAX : dt == SJ_I32 ? INT32_MAX : INT64_MAX;
    int64_t v[] = {0, 1, -1, lo, hi, lo + 1, hi - 1, 100};
    for (size_t k = 0; k < COUNT(v); k++) e[n++] = (edge){(double)v[k], v[k]};
    return n;
  }
  double big = dt == SJ_F16 ? 65504 : dt == SJ_BF16 ? 0x1.fep127 : dt == SJ_F32 ? 0x1.fffffep127 : 0x1.fffffffffffffp1023;
  double v[] = {0.0, 1.0, -1.0, 0.5, big, -big, INFINITY, -INFINITY, NAN, 1e-3};
  for (size_t k = 0; k < COUNT(v); k++) e[n++] = (edge){v[k], 0};
  return n;
}

static const char *const reds[] = {"sum", "prod", "max", "min"};

/* Every reduction of dt over n copies of each edge value (one function, one
 * compile). Sums and products of many copies are not x: with n > 1 only
 * max and min are checked. */
static void check_identity(sj_ctx *c, sj_function *f, sj_dtype dt, int64_t n) {
  edge e[16];
  int ne = edges_of(dt, e);
  sj_tensor *in = sj_tensor_new(dt, 1, &n), *out[4];
  for (int k = 0; k < ne; k++) {
    for (int64_t i = 0; i < n; i++) put(in, i, e[k].f, e[k].i);
    if (!run(c, f, in, out, 4)) continue;
    for (int r = n > 1 ? 2 : 0; r < 4; r++) {
      bool ok = is_int(dt) ? get_int(out[r], 0) == e[k].i : same_double(sj_tensor_get(out[r], 0), sj_tensor_get(in, 0));
      /* 0 + -0 is +0: a sum of one -0 may give +0 (documented) */
      if (!ok && !is_int(dt) && r == 0 && sj_tensor_get(in, 0) == 0) ok = sj_tensor_get(out[r], 0) == 0;
      if (!ok) {
        fprintf(stderr, "%s of %lld x %s %.17g (%lld): got %.17g (%lld)\n", reds[r], (long long)n, sj_dtype_name(dt),
                e[k].f, (long long)e[k].i, sj_tensor_get(out[r], 0), (long long)get_int(out[r], 0));
        failures++;
      }
    }
    free_all(out, 4);
  }
  sj_tensor_free(in);
}

static void test_identities(sj_ctx *c) {
  for (size_t d = 0; d < COUNT(numeric); d++) {
    const char *t = sj_dtype_name(numeric[d]);
    char text[512];
    snprintf(text, sizeof text,
             "func @f(%%x: %s[?]) -> (%s[], %s[], %s[], %s[]) {\n  %%0 = sum %%x : %s[]\n  %%1 = prod %%x : %s[]\n"
             "  %%2 = max %%x : %s[]\n  %%3 = min %%x : %s[]\n  return %%0, %%1, %%2, %%3\n}\n",
             t, t, t, t, t, t, t, t, t);
    sj_function *f = compile(c, text);
    if (!f) continue;
    check_identity(c, f, numeric[d], 1);
    /* many equal elements: a large max/min runs as parallel chunks, each
     * started from the identity (lib/codegen/parallel.c) */
    check_identity(c, f, numeric[d], 300007);
    sj_function_free(f);
  }
}

/* The registry: exactly add, mul, maximum, minimum are combines, and each
 * identity is neutral in the registry's own evaluator for every dtype. */
static void test_registry(void) {
  int ncomb = 0;
  for (int k = 0; k < SJ_OP_COUNT; k++) {
    const sj_opinfo *oi = sj_opinfo_get((sj_opcode)k);
    if (!sj_is_combine((sj_opcode)k)) continue;
    ncomb++;
    CHECK(oi->flags & SJ_F_ELEMWISE);
    CHECK(oi->flags & SJ_F_COMMUTATIVE);
    CHECK(oi->min_opnds == 2 && oi->max_opnds == 2);
    for (size_t d = 0; d < COUNT(numeric); d++) {
      sj_attr id = sj_combine_identity((sj_opcode)k, numeric[d]);
      CHECK((id.kind == SJ_ATTR_FLOAT) == sj_dtype_is_float(numeric[d]));
      edge e[16];
      int ne = edges_of(numeric[d], e);
      for (int j = 0; j < ne; j++) {
        /* in doubles, integers are exact only below 2^53 */
        if (is_int(numeric[d]) && (e[j].i > (INT64_C(1) << 53) || e[j].i < -(INT64_C(1) << 53))) continue;
        double in[2] = {id.kind == SJ_ATTR_FLOAT ? id.u.f : (double)id.u.i, e[j].f}, r;
        CHECK(oi->eval(numeric[d], in, &r));
        CHECK(same_double(r, e[j].f) || (r == 0 && e[j].f == 0));
      }
    }
  }
  CHECK(ncomb == 4);
  int nred = 0;
  for (int k = 0; k < SJ_OP_COUNT; k++) {
    const sj_opinfo *oi = sj_opinfo_get((sj_opcode)k);
    bool red = (oi->flags & SJ_F_REDUCE) != 0;
    nred += red;
    CHECK(red == (oi->combine != SJ_OP_NONE));
    CHECK(red == (oi->identity != SJ_IDENTITY_NONE));
    if (red) CHECK(sj_is_combine(oi->combine));
  }
  CHECK(nred == 5);
  /* "not differentiable" is the VJP column's NONE */
  sj_opcode code;
  CHECK(sj_opcode_lookup("eq", 2, &code) && (sj_opinfo_get(code)->flags & SJ_F_NO_VJP));
  CHECK(sj_opcode_lookup("exp", 3, &code) && !(sj_opinfo_get(code)->flags & SJ_F_NO_VJP));
  CHECK(sj_opcode_lookup("load", 4, &code) && (sj_opinfo_get(code)->flags & SJ_F_READS));
  CHECK(sj_opcode_lookup("fused", 5, &code) && (sj_opinfo_get(code)->flags & SJ_F_ISOLATED));
  /* the i64 bounds are exact */
  CHECK(sj_combine_identity(SJ_OP_MINIMUM, SJ_I64).u.i == INT64_MAX);
  CHECK(sj_combine_identity(SJ_OP_MAXIMUM, SJ_I64).u.i == INT64_MIN);
  CHECK(sj_combine_identity(SJ_OP_MINIMUM, SJ_I8).u.i == 127);
}

/* ---- f16/bf16 accumulate in f32 ---- */

/* 4096 ones: a sum accumulated in f16 sticks at 2048 (2049 rounds to even),
 * in bf16 at 256; in f32 it is exact. */
static void test_half_accumulation(sj_ctx *c) {
  static const char *const forms[] = {
      "func @f(%%x: %s[4096,3]) -> (%s[3]) {\n  %%0 = sum %%x {axes = [0]} : %s[3]\n  return %%0\n}\n",
      "func @f(%%x: %s[4096,3]) -> (%s[3]) {\n  %%t = transpose %%x {perm = [1, 0]} : %s[3,4096]\n"
      "  %%0 = sum %%t {axes = [1]} : %s[3]\n  return %%0\n}\n",
      "func @f(%%x: %s[4096,3]) -> (%s[3]) {\n  %%0 = mean %%x {axes = [0]} : %s[3]\n  return %%0\n}\n",
      "func @f(%%x: %s[4096,3]) -> (%s[3,3]) {\n  %%t = transpose %%x {perm = [1, 0]} : %s[3,4096]\n"
      "  %%0 = matmul %%t, %%x : %s[3,3]\n  return %%0\n}\n",
  };
  static const double want[] = {4096, 4096, 1, 4096};
  for (int h = 0; h < 2; h++) {
    sj_dtype dt = h ? SJ_BF16 : SJ_F16;
    const char *n = sj_dtype_name(dt);
    for (size_t k = 0; k < COUNT(forms); k++) {
      char text[512];
      snprintf(text, sizeof text, forms[k], n, n, n, n);
      sj_function *f = compile(c, text);
      if (!f) continue;
      sj_tensor *in = sj_tensor_new(dt, 2, (int64_t[]){4096, 3});
      for (int64_t i = 0; i < 4096 * 3; i++) sj_tensor_set(in, i, 1.0);
      sj_tensor *out = run1(c, f, in);
      if (out) {
        double got = sj_tensor_get(out, sj_tensor_numel(out) - 1);
        if (got != want[k]) {
          fprintf(stderr, "%s form %zu: got %g, want %g\n", n, k, got, want[k]);
          failures++;
        }
      }
      sj_tensor_free(out);
      sj_tensor_free(in);
      sj_function_free(f);
    }
  }
  /* a matmul that does not cancel: k = 4096 products of 1 and 1 + 2^-7
   * (exact in bf16 and f16); f32 accumulation rounds once */
  for (int h = 0; h < 2; h++) {
    sj_dtype dt = h ? SJ_BF16 : SJ_F16;
    char text[256];
    snprintf(text, sizeof text, "func @f(%%a: %s[1,4096]) -> (%s[1,1]) {\n  %%b = reshape %%a : %s[4096,1]\n"
             "  %%0 = matmul %%a, %%b : %s[1,1]\n  return %%0\n}\n", sj_dtype_name(dt), sj_dtype_name(dt),
             sj_dtype_name(dt), sj_dtype_name(dt));
    sj_function *f = compile(c, text);
    if (!f) continue;
    sj_tensor *in = sj_tensor_new(dt, 2, (int64_t[]){1, 4096});
    for (int64_t i = 0; i < 4096; i++) sj_tensor_set(in, i, i % 2 ? 1.0 : 1.0 + 0x1p-7);
    sj_tensor *out = run1(c, f, in);
    double exact = 2048 * 1.0 + 2048 * (1.0 + 0x1p-7) * (1.0 + 0x1p-7);
    sj_tensor *r = sj_tensor_new(dt, 0, NULL);
    sj_tensor_set(r, 0, exact); /* the exact value rounded once to dt */
    if (out) CHECK(sj_tensor_get(out, 0) == sj_tensor_get(r, 0));
    sj_tensor_free(r);
    sj_tensor_free(out);
    sj_tensor_free(in);
    sj_function_free(f);
  }
}

/* ---- casts ---- */

/* m * 2^e (m > 0) rounded to nearest even with p significant bits, minimum
 * normal exponent emin and largest finite value maxv (inf above it). */
static double round_bits(uint64_t m, int e, int p, int emin, double maxv) {
  int nb = 64 - __builtin_clzll(m);
  int E = e + nb - 1;
  int q = (E > emin ? E : emin) - (p - 1); /* exponent of the last kept bit */
  double r;
  if (q <= e) {
    r = ldexp((double)m, e); /* exact: at most p bits */
  } else {
    int s = q - e;
    uint64_t kept = s >= 64 ? 0 : m >> s;
    uint64_t rem = s >= 64 ? m : m - (kept << s);
    bool up;
    if (s > 64) up = false; /* below half of the last bit */
    else {
      uint64_t half = (uint64_t)1 << (s - 1);
      up = rem > half || (rem == half && (kept & 1));
    }
    r = ldexp((double)(kept + up), q);
  }
  return r > maxv ? INFINITY : r;
}

/* The exact source value as sign, integer mantissa and exponent. */
static double ref_half_from(bool neg, uint64_t m, int e, sj_dtype to) {
  double r = m == 0 ? 0.0 : to == SJ_F16 ? round_bits(m, e, 11, -14, 65504) : round_bits(m, e, 8, -126, 0x1.fep127);
  return neg ? -r : r;
}

static double ref_to_half_double(double x, sj_dtype to) {
  if (isnan(x) || isinf(x)) return x;
  int ex;
  double fr = frexp(fabs(x), &ex);                       /* fr in [0.5, 1) */
  uint64_t m = (uint64_t)ldexp(fr, 53);                    /* exact */
  return ref_half_from(signbit(x), x == 0 ? 0 : m, ex - 53, to);
}

static double ref_to_half_int(int64_t x, sj_dtype to) {
  uint64_t m = x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
  return ref_half_from(x < 0, m, 0, to);
}

typedef struct src_val {
  double f;  /* float sources */
  int64_t i; /* int and bool sources */
} src_val;

static int cast_sources(sj_dtype from, src_val *v) {
  int n = 0;
  if (from == SJ_BOOL) {
    v[n++] = (src_val){0, 0};
    v[n++] = (src_val){1, 1};
    return n;
  }
  if (is_int(from)) {
    int64_t xs[] = {0, 1, -1, 127, -128, 100, 65519, 65520, 65535, (1 << 24) + (1 << 16) + 1, INT32_MAX, INT32_MIN,
                    (INT64_C(1) << 53) + 1, (INT64_C(1) << 62) + (INT64_C(1) << 54) + 1, INT64_MAX, INT64_MIN,
                    -((INT64_C(1) << 40) + (INT64_C(1) << 32) + 3)};
    for (size_t k = 0; k < COUNT(xs); k++) v[n++] = (src_val){(double)xs[k], xs[k]};
    return n;
  }
  double xs[] = {0.0, -0.0, 1.0, -1.0, 0.5, 1.0 / 3, -7.75, 123.456, 65504, 65519.99, 65520, 1e5, 3.4e38, 1e-8,
                 1e-40, 0x1p-24, 0x1p-25, 0x1.8p-25, 1 + 0x1p-8, 1 + 3 * 0x1p-8, 1 + 0x1p-8 + 0x1p-30,
                 1 + 0x1p-8 + 0x1p-40, 1 + 0x1p-11 + 0x1p-50, 0x1.fefp127, 1e300, 2147483520.0, -2147483648.0,
                 9.2e18, INFINITY, -INFINITY, NAN, 126.9, -128.99};
  for (size_t k = 0; k < COUNT(xs); k++) v[n++] = (src_val){xs[k], 0};
  return n;
}

/* The reference result of casting the stored source element; false when
 * the cast is undefined (float to int out of range, NaN or inf). */
static bool ref_cast(const sj_tensor *in, int64_t i, sj_dtype to, double *rf, int64_t *ri) {
  sj_dtype from = sj_tensor_dtype(in);
  bool fi = is_int(from) || from == SJ_BOOL;
  int64_t xi = fi ? (from == SJ_BOOL ? (int64_t)sj_tensor_get(in, i) : get_int(in, i)) : 0;
  double xf = fi ? 0 : sj_tensor_get(in, i);
  if (to == SJ_BOOL) {
    *ri = fi ? xi != 0 : xf != 0; /* NaN is true */
    return true;
  }
  if (is_int(to)) {
    int64_t v;
    if (fi) {
      v = xi;
    } else {
      double lo = to == SJ_I8 ? -129.0 : to == SJ_I32 ? -2147483649.0 : -0x1p63 - 1;
      double hi = to == SJ_I8 ? 128.0 : to == SJ_I32 ? 2147483648.0 : 0x1p63;
      if (!(xf > lo && xf < hi)) return false;
      v = (int64_t)trunc(xf);
    }
    *ri = to == SJ_I8 ? (int8_t)(uint8_t)(uint64_t)v : to == SJ_I32 ? (int32_t)(uint32_t)(uint64_t)v : v;
    return true;
  }
  if (to == SJ_F16 || to == SJ_BF16) *rf = fi ? ref_to_half_int(xi, to) : ref_to_half_double(xf, to);
  else if (to == SJ_F32) *rf = fi ? (double)(float)xi : (double)(float)xf;
  else *rf = fi ? (double)xi : xf;
  return true;
}

/* Casts from `from` to every dtype: one function with 8 results. */
static void check_casts_from(sj_ctx *c, sj_dtype from) {
  enum { N = COUNT(all_dtypes) };
  char text[1024];
  int k = snprintf(text, sizeof text, "func @f(%%x: %s[?]) -> (", sj_dtype_name(from));
  for (size_t b = 0; b < N; b++) k += snprintf(text + k, sizeof text - (size_t)k, "%s%s[?]", b ? ", " : "", sj_dtype_name(all_dtypes[b]));
  k += snprintf(text + k, sizeof text - (size_t)k, ") {\n");
  for (size_t b = 0; b < N; b++)
    k += snprintf(text + k, sizeof text - (size_t)k, "  %%%zu = cast %%x : %s[?]\n", b, sj_dtype_name(all_dtypes[b]));
  k += snprintf(text + k, sizeof text - (size_t)k, "  return %%0, %%1, %%2, %%3, %%4, %%5, %%6, %%7\n}\n");
  sj_function *f = compile(c, text);
  if (!f) return;
  src_val v[64];
  int64_t n = cast_sources(from, v);
  sj_tensor *in = sj_tensor_new(from, 1, &n), *out[N];
  for (int64_t i = 0; i < n; i++) put(in, i, v[i].f, v[i].i);
  if (run(c, f, in, out, N)) {
    for (size_t b = 0; b < N; b++) {
      sj_dtype to = all_dtypes[b];
      for (int64_t i = 0; i < n; i++) {
        double rf = 0;
        int64_t ri = 0;
        if (!ref_cast(in, i, to, &rf, &ri)) continue;
        bool ok = is_int(to) || to == SJ_BOOL ? get_int(out[b], i) == ri : same_double(sj_tensor_get(out[b], i), rf);
        if (!ok) {
          fprintf(stderr, "cast %s -> %s of %.17g (%lld): got %.17g (%lld), want %.17g (%lld)\n", sj_dtype_name(from),
                  sj_dtype_name(to), v[i].f, (long long)v[i].i, sj_tensor_get(out[b], i), (long long)get_int(out[b], i),
                  rf, (long long)ri);
          failures++;
        }
      }
    }
    free_all(out, N);
  }
  sj_tensor_free(in);
  sj_function_free(f);
}

static void test_casts(sj_ctx *c) {
  for (size_t a = 0; a < COUNT(all_dtypes); a++) check_casts_from(c, all_dtypes[a]);
}

/* The reference rounding itself, on cases worked out by hand. */
static void test_reference_rounding(void) {
  CHECK(ref_to_half_double(1 + 0x1p-8, SJ_BF16) == 1.0);                 /* tie: to even */
  CHECK(ref_to_half_double(1 + 3 * 0x1p-8, SJ_BF16) == 1 + 0x1p-6);      /* tie: to even (up) */
  CHECK(ref_to_half_double(1 + 0x1p-8 + 0x1p-40, SJ_BF16) == 1 + 0x1p-7); /* above the tie */
  CHECK(ref_to_half_double(65520, SJ_F16) == INFINITY);
  CHECK(ref_to_half_double(65519.99, SJ_F16) == 65504);
  CHECK(ref_to_half_double(0x1p-25, SJ_F16) == 0);            /* tie with 0: to even */
  CHECK(ref_to_half_double(0x1.8p-25, SJ_F16) == 0x1p-24);    /* smallest subnormal */
  CHECK(ref_to_half_int((1 << 24) + (1 << 16) + 1, SJ_BF16) == (1 << 24) + (1 << 17));
  CHECK(ref_to_half_int(INT64_MIN, SJ_BF16) == -0x1p63);
}

int main(void) {
  sj_ctx *c = sj_ctx_new();
  test_registry();
  test_reference_rounding();
  test_identities(c);
  test_half_accumulation(c);
  test_casts(c);
  sj_ctx_free(c);
  if (failures) fprintf(stderr, "%d failure(s)\n", failures);
  return failures != 0;
}
