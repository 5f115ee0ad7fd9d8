/* An adversarial sweep of ahead-of-time export (docs/aot.md): every func of
 * every .sj program in the given directory (test/Run) is JIT-compiled
 * (tiered = 0: fully optimized, as exported), exported with
 * sj_function_export, the file's objects are linked into one shared library
 * (`cc -shared`), dlopened, and each func's image is loaded through the
 * runtime's generic entry (sj_aot_new, sj_aot_call_tensors). Both run on the
 * same deterministic inputs, with every dynamic dim set to 0, 1 and 3: the
 * same kernels run, so the outputs must be identical bit for bit, and a call
 * one side refuses must be refused by the other with the same status.
 * Funcs the JIT itself rejects (or whose static inputs cannot exist) are
 * skipped, each with its reason. Usage: aot_sweep CC DIR [K N]: with K N,
 * only the files whose index (sorted by name) is K mod N, so that ctest runs
 * the sweep as N shorter tests. The files go to a fresh directory under
 * $TMPDIR or /tmp, removed at the end. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ir.h"
#include "symjit/aot.h"
#include "symjit/symjit.h"

#define MAX_FUNCS 64
#define MAX_IO 32

static int nfuncs, nsame, nskip, nfail;
static int opt_level = 3; /* of the JIT and the export alike: $AOT_SWEEP_OPT */

static bool is_float(sj_dtype dt) { return dt == SJ_F32 || dt == SJ_F64 || dt == SJ_F16 || dt == SJ_BF16; }

/* Input i of f with every `?` dim = dyn; NULL when the shape cannot exist. */
static sj_tensor *input(const sj_value *p, int64_t dyn, unsigned seed) {
  const sj_type *t = &p->type;
  int64_t dims[SJ_MAX_RANK];
  int64_t n = 1;
  for (int k = 0; k < t->rank; k++) {
    dims[k] = t->dims[k] == SJ_DYN ? dyn : t->dims[k];
    if (dims[k] && n > ((int64_t)1 << 26) / dims[k]) return NULL; /* beyond what a test allocates */
    n *= dims[k] ? dims[k] : 1;
  }
  sj_tensor *x = sj_tensor_new(t->dt, t->rank, dims);
  if (!x) return NULL;
  if (t->dt == SJ_BOOL) sj_tensor_fill_uniform(x, seed, 0, 2);
  else if (is_float(t->dt)) sj_tensor_fill_uniform(x, seed, -2, 2);
  else sj_tensor_fill_uniform(x, seed, 0, 4); /* small: valid indices of small dims */
  return x;
}

/* The most elements a static type of the block (nested regions included)
 * has: a func that works on 2^40 elements (test/Run/check-refusals.sj @big)
 * is correct but takes minutes, so the sweep skips it with this reason. */
static double max_static_numel(const sj_block *b) {
  double best = 0;
  for (const sj_op *op = b->first; op; op = op->next) {
    for (unsigned r = 0; r < op->nresults; r++) {
      const sj_type *t = &op->results[r]->type;
      double n = 1;
      for (int k = 0; k < t->rank; k++) n *= t->dims[k] == SJ_DYN ? 1 : (double)t->dims[k];
      if (n > best) best = n;
    }
    for (unsigned g = 0; g < op->nregions; g++) {
      double n = max_static_numel(op->regions[g]);
      if (n > best) best = n;
    }
  }
  return best;
}

static bool has_dyn_input(const sj_block *b) {
  for (unsigned i = 0; i < b->nargs; i++)
    for (int k = 0; k < b->args[i]->type.rank; k++)
      if (b->args[i]->type.dims[k] == SJ_DYN) return true;
  return false;
}

static bool same_tensor(const sj_tensor *a, const sj_tensor *b) {
  if (!a || !b) return a == b;
  if (sj_tensor_dtype(a) != sj_tensor_dtype(b) || sj_tensor_rank(a) != sj_tensor_rank(b)) return false;
  if (memcmp(sj_tensor_dims(a), sj_tensor_dims(b), sizeof(int64_t) * (size_t)sj_tensor_rank(a))) return false;
  return sj_tensor_nbytes(a) == sj_tensor_nbytes(b) && !memcmp(sj_tensor_data(a), sj_tensor_data(b), sj_tensor_nbytes(a));
}

/* Runs f and s on the same inputs at dims 0, 1, 3; 1 when all agree. */
static int compare(sj_ctx *c, const char *file, const sj_op *fop, sj_function *f, sj_aot_state *s) {
  const sj_block *b = sj_func_body(fop);
  const char *fname = sj_func_name(fop);
  size_t nin = sj_function_num_inputs(f), nout = sj_function_num_outputs(f);
  if (nin > MAX_IO || nout > MAX_IO || nin != b->nargs) {
    printf("FAIL %s @%s: %zu inputs, %zu outputs\n", file, fname, nin, nout);
    return 0;
  }
  if (sj_aot_num_inputs(s) != nin || sj_aot_num_outputs(s) != nout) {
    printf("FAIL %s @%s: the export has %zu inputs and %zu outputs, the JIT %zu and %zu (%s)\n", file, fname,
           sj_aot_num_inputs(s), sj_aot_num_outputs(s), nin, nout, sj_aot_errmsg(s));
    return 0;
  }
  static const int64_t dyns[] = {0, 1, 3};
  int ok = 1, ran = 0;
  size_t ndyn = has_dyn_input(b) ? sizeof dyns / sizeof *dyns : 1; /* static: one call */
  for (size_t d = 0; d < ndyn && ok; d++) {
    sj_tensor *in[MAX_IO] = {0}, *a[MAX_IO] = {0}, *o[MAX_IO] = {0};
    bool made = true;
    for (size_t i = 0; i < nin; i++) made = made && (in[i] = input(b->args[i], dyns[d], 17u + (unsigned)i)) != NULL;
    if (made) {
      sj_status ja = sj_function_call(f, in, nin, a, nout);
      sj_status sa = sj_aot_call_tensors(s, in, nin, o, nout);
      if (ja != sa) {
        printf("FAIL %s @%s dyn=%lld: the JIT returns %d (%s), the export %d (%s)\n", file, fname, (long long)dyns[d],
               (int)ja, ja ? sj_ctx_errmsg(c) : "", (int)sa, sa ? sj_aot_errmsg(s) : "");
        ok = 0;
      } else if (!ja) {
        ran++;
        for (size_t i = 0; i < nout; i++)
          if (!same_tensor(a[i], o[i])) {
            printf("FAIL %s @%s dyn=%lld: output %zu differs\n", file, fname, (long long)dyns[d], i);
            ok = 0;
          }
      }
    }
    for (size_t i = 0; i < MAX_IO; i++) sj_tensor_free(in[i]), sj_tensor_free(a[i]), sj_tensor_free(o[i]);
  }
  if (ok && !ran) printf("note %s @%s: both refuse every shape tried (same status)\n", file, fname);
  return ok;
}

static int ends_with(const char *s, const char *suf) {
  size_t n = strlen(s), m = strlen(suf);
  return n >= m && !strcmp(s + n - m, suf);
}

static void sweep_file(const char *cc, const char *dir, const char *name, const char *tmp, int fileno_) {
  char path[1024], obj[MAX_FUNCS][1024], so[1024], cmd[MAX_FUNCS * 1100];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  sj_ctx *c = sj_ctx_new();
  sj_module *m = NULL;
  if (sj_module_load(c, path, &m)) {
    printf("skip %s (all funcs): the module does not load: %s\n", name, sj_ctx_errmsg(c));
    sj_ctx_free(c);
    return;
  }
  const sj_op *fops[MAX_FUNCS];
  sj_function *fs[MAX_FUNCS] = {0};
  int nf = 0;
  snprintf(cmd, sizeof cmd, "%s -shared -o %s/sweep%d.so", cc, tmp, fileno_);
  for (const sj_op *op = m->body->first; op && nf < MAX_FUNCS; op = op->next) {
    if (op->code != SJ_OP_FUNC) continue;
    const char *fname = sj_func_name(op);
    nfuncs++;
    double big = max_static_numel(sj_func_body(op));
    if (big > (double)(1 << 28)) {
      printf("skip %s @%s: a value of %.0f elements (runs for minutes)\n", name, fname, big);
      nskip++;
      continue;
    }
    sj_compile_options o;
    sj_compile_options_init(&o);
    o.tiered = 0;
    o.cache = 0;
    o.num_threads = 2;
    o.opt_level = opt_level;
    sj_function *f = NULL;
    if (sj_module_compile(m, fname, &o, &f)) {
      char msg[300];
      snprintf(msg, sizeof msg, "%s", sj_ctx_errmsg(c));
      for (char *p = msg; *p; p++)
        if (*p == '\n') *p = ' ';
      printf("skip %s @%s: the JIT rejects it: %s\n", name, fname, msg);
      nskip++;
      sj_ctx_clear_errors(c);
      continue;
    }
    char sym[32];
    snprintf(sym, sizeof sym, "f%d_%d", fileno_, nf);
    snprintf(obj[nf], sizeof obj[nf], "%s/%s.o", tmp, sym);
    char hdr[1024];
    snprintf(hdr, sizeof hdr, "%s/%s.h", tmp, sym);
    sj_aot_options ao;
    sj_aot_options_init(&ao);
    ao.opt_level = opt_level;
    ao.func_id = "call"; /* a func named like a C keyword still gives a valid header */
    if (sj_function_export(f, sym, obj[nf], hdr, &ao)) {
      printf("FAIL %s @%s: sj_function_export: %s\n", name, fname, sj_ctx_errmsg(c));
      nfail++;
      sj_ctx_clear_errors(c);
      sj_function_free(f);
      continue;
    }
    size_t l = strlen(cmd);
    snprintf(cmd + l, sizeof cmd - l, " %s", obj[nf]);
    fops[nf] = op, fs[nf++] = f;
  }
  void *h = NULL;
  if (nf) {
    snprintf(so, sizeof so, "%s/sweep%d.so", tmp, fileno_);
    size_t l = strlen(cmd);
    snprintf(cmd + l, sizeof cmd - l, " -lmvec -lm");
    if (system(cmd) != 0) printf("FAIL %s: `%s` failed\n", name, cmd), nfail += nf;
    else if (!(h = dlopen(so, RTLD_NOW | RTLD_LOCAL))) printf("FAIL %s: dlopen: %s\n", name, dlerror()), nfail += nf;
  }
  for (int i = 0; h && i < nf; i++) {
    char sym[64];
    snprintf(sym, sizeof sym, "f%d_%d_aot_image", fileno_, i);
    const sj_aot_image *img = dlsym(h, sym);
    sj_aot_state *s = img ? sj_aot_new(img, 2) : NULL;
    if (!s) {
      printf("FAIL %s @%s: no image %s or no state\n", name, sj_func_name(fops[i]), sym);
      nfail++;
    } else if (compare(c, name, fops[i], fs[i], s)) {
      nsame++;
    } else {
      nfail++;
    }
    sj_aot_free(s);
  }
  for (int i = 0; i < nf; i++) {
    sj_function_free(fs[i]);
    unlink(obj[i]);
    obj[i][strlen(obj[i]) - 1] = 'h';
    unlink(obj[i]);
  }
  if (h) dlclose(h);
  if (nf) unlink(so);
  sj_ctx_free(c);
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
  int shard = 0, nshards = 1;
  if (argc == 5) shard = atoi(argv[3]), nshards = atoi(argv[4]);
  if ((argc != 3 && argc != 5) || nshards < 1 || shard < 0 || shard >= nshards) {
    fprintf(stderr, "usage: aot_sweep CC DIR [K N]\n");
    return 2;
  }
  const char *lv = getenv("AOT_SWEEP_OPT");
  if (lv && *lv >= '0' && *lv <= '3' && !lv[1]) opt_level = *lv - '0';
  char tmp[1024];
  const char *td = getenv("TMPDIR");
  snprintf(tmp, sizeof tmp, "%s/aot_sweep.XXXXXX", td && *td ? td : "/tmp");
  if (!mkdtemp(tmp)) {
    fprintf(stderr, "aot_sweep: cannot create %s\n", tmp);
    return 2;
  }
  DIR *d = opendir(argv[2]);
  if (!d) {
    fprintf(stderr, "aot_sweep: cannot open %s\n", argv[2]);
    return 2;
  }
  char *names[512];
  int n = 0;
  for (struct dirent *e; (e = readdir(d)) && n < 512;)
    if (ends_with(e->d_name, ".sj")) names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, (size_t)n, sizeof *names, cmp_names);
  for (int i = 0; i < n; i++) {
    if (i % nshards == shard) sweep_file(argv[1], argv[2], names[i], tmp, i);
    fflush(stdout);
    free(names[i]);
  }
  rmdir(tmp);
  printf("aot_sweep: %d funcs, %d identical, %d skipped\n", nfuncs, nsame, nskip);
  if (nfail) printf("aot_sweep: %d FAILED\n", nfail);
  return nfail != 0 || nsame == 0;
}
