/* Device residency of shared variables (lib/runtime/cuda_resident.c,
 * decision 0031) with the fake libcuda (host memory; it counts the bytes
 * copied each way): a value is uploaded once and not again while the host
 * copy is unchanged; an update committed on the device leaves the host copy
 * stale until a host reader syncs it (one download, then none); a host
 * write makes the device copy stale (one upload); two devices hand the
 * value over through the host; the last release brings the host copy up to
 * date and frees every buffer. (sj_shared_value and sj_shared_set reach
 * the records through compiled graph functions: unit_cuda_api.) */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "cuda_resident.h"

#include "check.h"

typedef long (*live_fn)(const char *);
static live_fn live;
static char err[1024];

static long h2d(void) { return live("h2d"); }
static long d2h(void) { return live("d2h"); }

/* What a kernel would do: write v into the record's spare buffer. */
static void write_spare(sj_cu_dev *d, sj_cu_resident *r, const float *v, size_t n) {
  sj_cu_ptr sp = 0;
  CHECK(sj_cu_resident_spare(r, d, &sp, err, sizeof err) == SJ_OK && sp);
  CHECK(sj_cu_to_device(d, NULL, sp, v, n * sizeof *v, err, sizeof err) == SJ_OK);
}

static void test_one_device(sj_cu_dev *d) {
  int64_t dims[1] = {4};
  float init[4] = {1, 2, 3, 4}, next[4] = {5, 6, 7, 8}, got[4];
  sj_tensor *t = sj_tensor_from(SJ_F32, 1, dims, init);
  sj_tensor **slot = &t;
  sj_cu_resident *r = NULL, *r2 = NULL;
  CHECK(sj_cu_resident_count() == 0);
  CHECK(sj_cu_resident_acquire(slot, d, &r, err, sizeof err) == SJ_OK && r);
  CHECK(sj_cu_resident_acquire(slot, d, &r2, err, sizeof err) == SJ_OK && r2 == r); /* one record per variable */
  CHECK(sj_cu_resident_count() == 1);
  long up = h2d(), down = d2h();
  sj_cu_ptr v = 0;
  CHECK(sj_cu_resident_value(r, d, NULL, &v, err, sizeof err) == SJ_OK && v);
  CHECK(h2d() - up == 16); /* uploaded once */
  CHECK(sj_cu_resident_value(r, d, NULL, &v, err, sizeof err) == SJ_OK);
  CHECK(h2d() - up == 16); /* and not again */
  CHECK(sj_cu_resident_sync_host(slot, err, sizeof err) == SJ_OK && d2h() == down); /* host copy current: nothing */

  /* an update on the device: the host copy is stale until synced, once */
  write_spare(d, r, next, 4);
  up = h2d();
  sj_cu_resident_commit(r);
  CHECK(sj_cu_resident_value(r, d, NULL, &v, err, sizeof err) == SJ_OK && h2d() == up); /* the device has it */
  CHECK(sj_cu_to_host(d, NULL, got, v, sizeof got, err, sizeof err) == SJ_OK && !memcmp(got, next, sizeof got));
  down = d2h();
  CHECK(sj_tensor_get(t, 0) == 1); /* stale host copy, not yet read */
  CHECK(sj_cu_resident_sync_host(slot, err, sizeof err) == SJ_OK && d2h() - down == 16);
  CHECK(!memcmp(sj_tensor_data(t), next, sizeof next));
  CHECK(sj_cu_resident_sync_host(slot, err, sizeof err) == SJ_OK && d2h() - down == 16); /* once */

  /* a host write: the device copy is uploaded again at the next use */
  sj_tensor_set(t, 0, 42);
  sj_cu_resident_host_written(slot);
  up = h2d();
  CHECK(sj_cu_resident_value(r, d, NULL, &v, err, sizeof err) == SJ_OK && h2d() - up == 16);
  CHECK(sj_cu_to_host(d, NULL, got, v, sizeof got, err, sizeof err) == SJ_OK && got[0] == 42);

  /* the last release: a stale host copy is brought up to date */
  float last[4] = {9, 10, 11, 12};
  write_spare(d, r, last, 4);
  sj_cu_resident_commit(r);
  sj_cu_resident_release(r2);
  CHECK(sj_cu_resident_count() == 1 && sj_tensor_get(t, 0) == 42); /* still held once */
  sj_cu_resident_release(r);
  CHECK(sj_cu_resident_count() == 0 && !memcmp(sj_tensor_data(t), last, sizeof last));
  CHECK(sj_cu_resident_sync_host(slot, err, sizeof err) == SJ_OK); /* no record: nothing to do */
  sj_cu_resident_release(NULL);
  sj_tensor_free(t);
}

static void test_two_devices(sj_cu_dev *d0, sj_cu_dev *d1) {
  int64_t dims[1] = {2};
  float init[2] = {1, 2}, next[2] = {3, 4}, got[2];
  sj_tensor *t = sj_tensor_from(SJ_F32, 1, dims, init);
  sj_cu_resident *r = NULL;
  sj_cu_ptr v = 0;
  CHECK(sj_cu_resident_acquire(&t, d0, &r, err, sizeof err) == SJ_OK);
  CHECK(sj_cu_resident_value(r, d0, NULL, &v, err, sizeof err) == SJ_OK);
  write_spare(d0, r, next, 2);
  sj_cu_resident_commit(r);
  long down = d2h();
  CHECK(sj_cu_resident_value(r, d1, NULL, &v, err, sizeof err) == SJ_OK); /* moved: via the host */
  CHECK(d2h() - down == 8 && !memcmp(sj_tensor_data(t), next, sizeof next));
  CHECK(sj_cu_to_host(d1, NULL, got, v, sizeof got, err, sizeof err) == SJ_OK && !memcmp(got, next, sizeof got));
  sj_cu_resident_release(r);
  sj_tensor_free(t);
}

int main(void) {
  setenv("SJ_LIBCUDA", SJ_FAKE_CUDA, 1);
  setenv("FAKE_CUDA_DEVICES", "2", 1);
  sj_cu_dev *d0 = NULL, *d1 = NULL;
  CHECK(sj_cu_open(0, &d0, err, sizeof err) == SJ_OK && sj_cu_open(1, &d1, err, sizeof err) == SJ_OK);
  void *h = dlopen(SJ_FAKE_CUDA, RTLD_NOW | RTLD_NOLOAD);
  live = h ? (live_fn)(uintptr_t)dlsym(h, "fake_cuda_live") : NULL;
  CHECK(live != NULL);
  if (!live || !d0 || !d1) return 1;
  test_one_device(d0);
  test_two_devices(d0, d1);
  sj_cu_close(d0);
  sj_cu_close(d1);
  CHECK(live("allocs") == 0 && live("ctx") == 0);
  dlclose(h);
  return failures != 0;
}
