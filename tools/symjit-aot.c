/* symjit-aot: compile a function of a .sj module ahead of time into an
 * object file and a C header (include/symjit/aot.h, docs/aot.md). The
 * object links with libsymjit_rt, which has no LLVM. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symjit/aot.h"
#include "symjit/symjit.h"

static void usage(FILE *o) {
  fputs("USAGE: symjit-aot FILE.sj --func NAME --name PREFIX -o OBJ.o --header OUT.h [options]\n\n"
        "Compiles @NAME of FILE.sj through the pipeline and writes its kernels, plan\n"
        "and signature as an object and a header that call it as PREFIX_NAME(...);\n"
        "link them with libsymjit_rt (pkg-config symjit_rt). Options:\n"
        "  --func NAME         the function to export (required)\n"
        "  --name PREFIX       the symbols' prefix, a C identifier (default: the func's name)\n"
        "  -o PATH             the object file (required)\n"
        "  --header PATH       the C header (required)\n"
        "  --c-name ID         the call's name after PREFIX_ (default: the func's name)\n"
        "  --pipeline P        symjit passes (default: the -O pipeline)\n"
        "  -O0..-O3            LLVM level of the kernels (default 3)\n"
        "  --fast-math         allow the rewrites of docs/fast-math.md\n"
        "  -h, --help          this text\n"
        "Text IR functions have no shared variables (the graph API's sj_compile\n"
        "does; export those with sj_function_export, shared initial or as args).\n",
        o);
}

typedef struct opts {
  const char *file, *func, *name, *obj, *header, *c_name, *pipeline;
  int opt;
  int fast_math;
} opts;

/* -1: go on; else the exit status. */
static int parse_args(int argc, char **argv, opts *o) {
  memset(o, 0, sizeof *o);
  o->opt = 3;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char **dst = !strcmp(a, "--func")       ? &o->func
                       : !strcmp(a, "--name")     ? &o->name
                       : !strcmp(a, "-o")         ? &o->obj
                       : !strcmp(a, "--header")   ? &o->header
                       : !strcmp(a, "--c-name")   ? &o->c_name
                       : !strcmp(a, "--pipeline") ? &o->pipeline
                                                  : NULL;
    if (dst) {
      if (i + 1 >= argc) {
        fprintf(stderr, "symjit-aot: %s needs a value\n", a);
        return 2;
      }
      *dst = argv[++i];
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      usage(stdout);
      return 0;
    } else if (!strcmp(a, "--fast-math")) o->fast_math = 1;
    else if (a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3' && !a[3]) o->opt = a[2] - '0';
    else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "symjit-aot: unknown option '%s' (--help lists them)\n", a);
      return 2;
    } else if (o->file) {
      fprintf(stderr, "symjit-aot: one input file only ('%s' and '%s')\n", o->file, a);
      return 2;
    } else o->file = a;
  }
  const char *missing = !o->file ? "an input file" : !o->func ? "--func" : !o->obj ? "-o" : !o->header ? "--header" : NULL;
  if (missing) {
    fprintf(stderr, "symjit-aot: %s is required (--help)\n", missing);
    return 2;
  }
  if (!o->name) o->name = o->func;
  return -1;
}

static int run(const opts *o, sj_ctx *c) {
  sj_module *m = NULL;
  if (sj_module_load(c, o->file, &m)) return 1;
  sj_compile_options co;
  sj_compile_options_init(&co);
  co.pipeline = o->pipeline;
  co.opt_level = o->opt;
  co.fast_math = o->fast_math;
  co.tiered = 0; /* the export compiles its own kernels */
  sj_function *f = NULL;
  if (sj_module_compile(m, o->func, &co, &f)) return 1;
  sj_aot_options ao;
  sj_aot_options_init(&ao);
  ao.opt_level = o->opt;
  ao.func_id = o->c_name;
  sj_status st = sj_function_export(f, o->name, o->obj, o->header, &ao);
  sj_function_free(f);
  return st ? 1 : 0;
}

int main(int argc, char **argv) {
  opts o;
  int rc = parse_args(argc, argv, &o);
  if (rc >= 0) return rc;
  sj_ctx *c = sj_ctx_new();
  if (!c) return 1;
  rc = run(&o, c);
  if (rc) fprintf(stderr, "%s", sj_ctx_errmsg(c));
  sj_ctx_free(c);
  return rc;
}
