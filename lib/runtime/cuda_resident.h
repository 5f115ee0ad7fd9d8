/* Shared variables that live on a CUDA device (decision 0031): a record per
 * variable, keyed by the address of the variable's tensor pointer (the
 * slot `sj_tensor **` the graph layer owns and compiled functions bind),
 * saying which copies hold the current value: the host tensor *slot, the
 * device buffer, or both. Device calls read the device copy (uploaded when
 * stale) and write updates into a spare device buffer that then becomes the
 * value, leaving the host copy stale; host readers (sj_shared_value, CPU
 * functions) download first. Records are counted by the device functions
 * that bind them; the last release brings the host copy up to date and
 * frees the device memory. A process with no record pays one atomic load
 * per host access. */
#ifndef SJ_CUDA_RESIDENT_H
#define SJ_CUDA_RESIDENT_H

#include "cuda_driver.h"
#include "symjit/tensor.h"

typedef struct sj_cu_resident sj_cu_resident;

/* The record of *slot placed on device d (created on the first acquire,
 * its value then on the host only); one reference more. A record on
 * another device is moved: the host copy is brought up to date first. */
sj_status sj_cu_resident_acquire(sj_tensor **slot, sj_cu_dev *d, sj_cu_resident **out, char *err, size_t cap);
/* One reference less; the last one downloads a stale host copy and frees
 * the device memory. NULL ok. */
void sj_cu_resident_release(sj_cu_resident *r);
/* The device buffer on d with the current value, uploaded on s when the
 * device copy is stale (moved to d through the host if it was on another
 * device). */
sj_status sj_cu_resident_value(sj_cu_resident *r, sj_cu_dev *d, sj_cu_stream *s, sj_cu_ptr *out, char *err,
                               size_t cap);
/* The spare device buffer on d a call writes the variable's next value
 * into. */
sj_status sj_cu_resident_spare(sj_cu_resident *r, sj_cu_dev *d, sj_cu_ptr *out, char *err, size_t cap);
/* After a successful call wrote the spare: it becomes the value; the host
 * copy is stale. */
void sj_cu_resident_commit(sj_cu_resident *r);

/* Host side, for any slot (no record: nothing to do). Brings *slot up to
 * date before the host reads it. */
sj_status sj_cu_resident_sync_host(sj_tensor *const *slot, char *err, size_t cap);
/* The host copy was written (sj_shared_set, a CPU function's update): the
 * device copy is stale. */
void sj_cu_resident_host_written(sj_tensor *const *slot);
/* Records alive (for tests). */
int sj_cu_resident_count(void);
#endif
