/* Device residency of shared variables (cuda_resident.h, decision 0031):
 * a small list of records under one lock. The lists are short (one record
 * per shared variable a device function binds) and looked up once per
 * variable per call, so a linear search is enough. */
#define _POSIX_C_SOURCE 200809L
#include "cuda_resident.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

struct sj_cu_resident {
  sj_tensor **slot; /* the variable's tensor pointer (its tensor may be swapped) */
  sj_cu_dev *dev;   /* a reference of its own */
  sj_cu_ptr value, spare;
  size_t bytes;
  bool host_valid, dev_valid; /* at least one is true */
  int refs;
  sj_cu_resident *next;
};

static pthread_mutex_t r_lock = PTHREAD_MUTEX_INITIALIZER;
static sj_cu_resident *r_list;
static atomic_int r_count; /* the host-side fast path reads it without the lock */

static sj_cu_resident *find(sj_tensor *const *slot) {
  for (sj_cu_resident *r = r_list; r; r = r->next)
    if (r->slot == slot) return r;
  return NULL;
}

/* The host copy up to date (the device one stays valid); lock held. Uses
 * the default stream: the calls that wrote the value have synchronized. */
static sj_status download(sj_cu_resident *r, char *err, size_t cap) {
  if (r->host_valid) return SJ_OK;
  sj_status st = sj_cu_to_host(r->dev, NULL, sj_tensor_data(*r->slot), r->value, r->bytes, err, cap);
  if (!st) r->host_valid = true;
  return st;
}

/* Device memory of the record freed, the host copy current; lock held. */
static sj_status drop_device(sj_cu_resident *r, char *err, size_t cap) {
  sj_status st = download(r, err, cap);
  sj_cu_free(r->dev, r->value);
  sj_cu_free(r->dev, r->spare);
  sj_cu_close(r->dev);
  r->value = r->spare = 0, r->dev = NULL, r->dev_valid = false;
  r->host_valid = true; /* if the download failed the value is lost: st says so */
  return st;
}

static void unlink_record(sj_cu_resident *r) {
  for (sj_cu_resident **p = &r_list; *p; p = &(*p)->next)
    if (*p == r) {
      *p = r->next;
      break;
    }
  atomic_fetch_sub(&r_count, 1);
  free(r);
}

/* The record on device d, with its two buffers; moved there (through the
 * host) when it lives elsewhere; lock held. */
static sj_status place_locked(sj_cu_resident *r, sj_cu_dev *d, char *err, size_t cap) {
  if (r->dev == d) return SJ_OK;
  sj_status st = r->dev ? drop_device(r, err, cap) : SJ_OK;
  if (st) return st;
  r->bytes = sj_tensor_nbytes(*r->slot);
  st = sj_cu_open(sj_cu_props_of(d)->ordinal, &r->dev, err, cap);
  if (!st) st = sj_cu_alloc(d, r->bytes, &r->value, err, cap);
  if (!st) st = sj_cu_alloc(d, r->bytes, &r->spare, err, cap);
  if (st && r->dev) drop_device(r, NULL, 0); /* the host copy is current: nothing to download */
  return st;
}

static sj_status acquire_locked(sj_tensor **slot, sj_cu_dev *d, sj_cu_resident **out, char *err, size_t cap) {
  sj_cu_resident *r = find(slot);
  if (!r) {
    if (!(r = calloc(1, sizeof *r))) {
      if (err && cap) snprintf(err, cap, "out of memory recording a device-resident variable");
      return SJ_ERR_NOMEM;
    }
    r->slot = slot, r->host_valid = true, r->next = r_list;
    r_list = r;
    atomic_fetch_add(&r_count, 1);
  }
  sj_status st = place_locked(r, d, err, cap);
  if (st) {
    if (!r->refs) unlink_record(r); /* nobody else holds it: forget it */
    return st;
  }
  r->refs++;
  *out = r;
  return SJ_OK;
}

sj_status sj_cu_resident_acquire(sj_tensor **slot, sj_cu_dev *d, sj_cu_resident **out, char *err, size_t cap) {
  *out = NULL;
  pthread_mutex_lock(&r_lock);
  sj_status st = acquire_locked(slot, d, out, err, cap);
  pthread_mutex_unlock(&r_lock);
  return st;
}

void sj_cu_resident_release(sj_cu_resident *r) {
  if (!r) return;
  pthread_mutex_lock(&r_lock);
  if (--r->refs == 0) {
    if (r->dev) drop_device(r, NULL, 0);
    unlink_record(r);
  }
  pthread_mutex_unlock(&r_lock);
}

sj_status sj_cu_resident_value(sj_cu_resident *r, sj_cu_dev *d, sj_cu_stream *s, sj_cu_ptr *out, char *err,
                               size_t cap) {
  pthread_mutex_lock(&r_lock);
  sj_status st = place_locked(r, d, err, cap);
  if (!st && !r->dev_valid) st = sj_cu_to_device(r->dev, s, r->value, sj_tensor_data(*r->slot), r->bytes, err, cap);
  if (!st) r->dev_valid = true;
  *out = st ? 0 : r->value;
  pthread_mutex_unlock(&r_lock);
  return st;
}

sj_status sj_cu_resident_spare(sj_cu_resident *r, sj_cu_dev *d, sj_cu_ptr *out, char *err, size_t cap) {
  pthread_mutex_lock(&r_lock);
  sj_status st = place_locked(r, d, err, cap);
  *out = st ? 0 : r->spare;
  pthread_mutex_unlock(&r_lock);
  return st;
}

void sj_cu_resident_commit(sj_cu_resident *r) {
  pthread_mutex_lock(&r_lock);
  sj_cu_ptr t = r->value;
  r->value = r->spare, r->spare = t;
  r->dev_valid = true, r->host_valid = false;
  pthread_mutex_unlock(&r_lock);
}

sj_status sj_cu_resident_sync_host(sj_tensor *const *slot, char *err, size_t cap) {
  if (!atomic_load(&r_count)) return SJ_OK;
  pthread_mutex_lock(&r_lock);
  sj_cu_resident *r = find(slot);
  sj_status st = r && r->dev ? download(r, err, cap) : SJ_OK;
  pthread_mutex_unlock(&r_lock);
  return st;
}

void sj_cu_resident_host_written(sj_tensor *const *slot) {
  if (!atomic_load(&r_count)) return;
  pthread_mutex_lock(&r_lock);
  sj_cu_resident *r = find(slot);
  if (r) r->host_valid = true, r->dev_valid = false;
  pthread_mutex_unlock(&r_lock);
}

int sj_cu_resident_count(void) { return atomic_load(&r_count); }
