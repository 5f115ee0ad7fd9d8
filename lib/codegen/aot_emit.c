/* The object file of an exported function (aot_emit.h): the kernels as the
 * JIT builds them (sj_cg_build_module: the same IR, the same optimization
 * for the same CPU), then the image the runtime loads, emitted by a
 * position-independent target machine so the object links into PIE
 * executables and shared libraries. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aot_emit.h"
#include "cg_internal.h"
#include "symjit/aot.h"

static sj_status fail(sj_ctx *diag, sj_status st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static sj_status fail(sj_ctx *diag, sj_status st, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sj_loc none = {0};
  sj_emit_verror(diag, none, fmt, ap);
  va_end(ap);
  return st;
}

/* Everything the module defines becomes internal, so that objects of
 * different exports never clash; kernel entries get the prefix in their
 * names too (readable in a debugger or `nm`). The llvm.* globals keep their
 * special linkage. */
static void internalize(LLVMModuleRef M, char (*syms)[SJ_KABI_SYM_CAP], size_t n, const char *prefix) {
  for (LLVMValueRef f = LLVMGetFirstFunction(M); f; f = LLVMGetNextFunction(f))
    if (!LLVMIsDeclaration(f)) LLVMSetLinkage(f, LLVMInternalLinkage);
  for (LLVMValueRef g = LLVMGetFirstGlobal(M); g; g = LLVMGetNextGlobal(g)) {
    size_t len;
    const char *name = LLVMGetValueName2(g, &len);
    if (!LLVMIsDeclaration(g) && !(len >= 5 && !strncmp(name, "llvm.", 5))) LLVMSetLinkage(g, LLVMInternalLinkage);
  }
  for (size_t i = 0; i < n; i++) {
    LLVMValueRef f = LLVMGetNamedFunction(M, syms[i]);
    char name[SJ_KABI_SYM_CAP + 80];
    snprintf(name, sizeof name, "%s__%s", prefix, syms[i]);
    if (f) LLVMSetValueName2(f, name, strlen(name));
  }
}

static LLVMValueRef private_const(LLVMModuleRef M, LLVMValueRef init, const char *name) {
  LLVMValueRef g = LLVMAddGlobal(M, LLVMTypeOf(init), name);
  LLVMSetInitializer(g, init);
  LLVMSetGlobalConstant(g, 1);
  LLVMSetLinkage(g, LLVMPrivateLinkage);
  return g;
}

/* The image: {abi, nkernels, blob_len, blob, kernels} (sj_aot_image). */
static sj_status add_image(LLVMContextRef L, LLVMModuleRef M, char (*syms)[SJ_KABI_SYM_CAP], size_t n, const char *prefix,
                           const unsigned char *blob, size_t blob_len) {
  LLVMTypeRef ptr = LLVMPointerTypeInContext(L, 0), i32 = LLVMInt32TypeInContext(L), i64 = LLVMInt64TypeInContext(L);
  LLVMValueRef *fns = calloc(n + 1, sizeof *fns);
  if (!fns) return SJ_ERR_NOMEM;
  char name[SJ_KABI_SYM_CAP + 80];
  for (size_t i = 0; i < n; i++) {
    snprintf(name, sizeof name, "%s__%s", prefix, syms[i]);
    fns[i] = LLVMGetNamedFunction(M, name);
    if (!fns[i]) {
      free(fns);
      return SJ_ERR_INVALID;
    }
  }
  snprintf(name, sizeof name, "%s_aot_kernels", prefix);
  LLVMValueRef table = private_const(M, LLVMConstArray2(ptr, fns, n), name);
  free(fns);
  snprintf(name, sizeof name, "%s_aot_blob", prefix);
  LLVMValueRef data = private_const(M, LLVMConstStringInContext2(L, (const char *)blob, blob_len, 1), name);
  LLVMValueRef fields[] = {LLVMConstInt(i32, SJ_AOT_ABI, 0), LLVMConstInt(i32, n, 0), LLVMConstInt(i64, blob_len, 0), data,
                           table};
  LLVMValueRef img = LLVMConstStructInContext(L, fields, 5, 0);
  snprintf(name, sizeof name, "%s_aot_image", prefix);
  LLVMValueRef g = LLVMAddGlobal(M, LLVMTypeOf(img), name);
  LLVMSetInitializer(g, img);
  LLVMSetGlobalConstant(g, 1);
  return SJ_OK;
}

/* The host target machine of sj_cg_host_tm, but position-independent with
 * the default code model (an object for a static linker, not the JIT). */
static LLVMTargetMachineRef pic_tm(void) {
  LLVMTargetMachineRef probe = sj_cg_host_tm(LLVMCodeGenLevelAggressive, NULL); /* initializes LLVM */
  if (probe) LLVMDisposeTargetMachine(probe);
  char *triple = LLVMGetDefaultTargetTriple(), *cpu = LLVMGetHostCPUName(), *feat = LLVMGetHostCPUFeatures();
  LLVMTargetRef t = NULL;
  char *err = NULL;
  LLVMTargetMachineRef tm = NULL;
  if (!LLVMGetTargetFromTriple(triple, &t, &err))
    tm = LLVMCreateTargetMachine(t, triple, cpu, feat, LLVMCodeGenLevelAggressive, LLVMRelocPIC, LLVMCodeModelDefault);
  if (err) LLVMDisposeMessage(err);
  LLVMDisposeMessage(triple), LLVMDisposeMessage(cpu), LLVMDisposeMessage(feat);
  return tm;
}

sj_status sj_aot_emit_object(sj_ctx *diag, sj_op *const *ks, size_t n, int opt_level, const char *prefix,
                             const unsigned char *blob, size_t blob_len, unsigned char **obj, size_t *obj_len) {
  *obj = NULL, *obj_len = 0;
  char (*syms)[SJ_KABI_SYM_CAP] = calloc(n + 1, sizeof *syms);
  if (!syms) return fail(diag, SJ_ERR_NOMEM, "export: out of memory");
  sj_cg_kernel_symbols(ks, n, syms);
  LLVMContextRef L = LLVMContextCreate();
  LLVMModuleRef M = NULL;
  sj_status st = sj_cg_build_module(diag, ks, syms, n, opt_level, L, &M);
  if (!st) {
    internalize(M, syms, n, prefix);
    st = add_image(L, M, syms, n, prefix, blob, blob_len);
    if (st) fail(diag, st, "export: cannot build the image%s", st == SJ_ERR_NOMEM ? ": out of memory" : " (internal error)");
  }
  LLVMTargetMachineRef tm = st ? NULL : pic_tm();
  if (!st && !tm) st = fail(diag, SJ_ERR_UNSUPPORTED, "export: cannot create a target machine for the host");
  LLVMMemoryBufferRef buf = NULL;
  char *err = NULL;
  if (!st && LLVMTargetMachineEmitToMemoryBuffer(tm, M, LLVMObjectFile, &err, &buf))
    st = fail(diag, SJ_ERR_UNSUPPORTED, "export: emitting the object failed: %s", err ? err : "?");
  if (!st) {
    *obj_len = LLVMGetBufferSize(buf);
    *obj = malloc(*obj_len ? *obj_len : 1);
    if (*obj) memcpy(*obj, LLVMGetBufferStart(buf), *obj_len);
    else st = fail(diag, SJ_ERR_NOMEM, "export: out of memory"), *obj_len = 0;
  }
  if (err) LLVMDisposeMessage(err);
  if (buf) LLVMDisposeMemoryBuffer(buf);
  if (tm) LLVMDisposeTargetMachine(tm);
  if (M) LLVMDisposeModule(M);
  LLVMContextDispose(L);
  free(syms);
  return st;
}
