/* Thread pool for parallel loops: nthreads-1 persistent workers plus the
 * caller, which runs chunk 0 itself.
 *
 * Waiting spins before it sleeps: a condvar wake-up costs ~40 us on these VMs
 * while a spinning hand-off costs ~1 us (notes/llvm-c.md, "Using 2 cores"),
 * and kernels arrive back to back. The spin is bounded by time, not by a
 * count of pause instructions, because `pause` costs 13 ns on one CPU and
 * ~40 ns on another. A pool larger than the machine never spins: a spinning
 * worker would then steal the core that a working thread needs.
 *
 * Sleeping is rare, so the hot path takes no lock: a waiter announces itself
 * in a counter (`sleepers`, `done_waiting`) before it re-checks and sleeps,
 * and the other side only locks and signals when it sees that counter set.
 * Both sides use sequentially consistent operations (store flag, then load
 * the other's flag), so at least one of them sees the other: no lost wake-up.
 *
 * Chunks are fixed by the split, but who runs them is not: the caller runs
 * chunk 0, then everyone (caller included) claims the remaining chunks from
 * a counter. So a worker that the OS has not scheduled yet (other processes
 * on a loaded 2-vCPU VM, or more threads than cores) delays nothing: the
 * caller runs its chunk. Waiting for a descheduled worker costs ~0.4-4 ms.
 *
 * All state lives in the pool; the only thread-local is the "inside a task"
 * flag that makes nested runs serial. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "runtime.h"

#define MAX_THREADS 256
/* A job word packs (generation << CHUNK_BITS) | number of chunks, so a worker
 * can tell jobs apart without reading state that the next job rewrites. */
#define CHUNK_BITS 16
#define CHUNK_MASK ((UINT64_C(1) << CHUNK_BITS) - 1)
/* How long a waiter spins before sleeping; covers the gap between kernels. */
#define SPIN_NS 200000

struct sj_pool {
  int n;
  int64_t spin_ns; /* 0 when the pool is larger than the machine */
  pthread_t *th;
  pthread_mutex_t mu, run_mu; /* run_mu: one sj_pool_run at a time */
  pthread_cond_t cv_work, cv_done;
  _Atomic uint64_t job;    /* see CHUNK_BITS */
  _Atomic uint64_t claim;  /* (generation << CHUNK_BITS) | next unclaimed chunk */
  atomic_int pending;      /* chunks 1.. of the current job not yet done */
  atomic_int sleepers;     /* workers asleep (or about to be) on cv_work */
  atomic_int done_waiting; /* caller asleep (or about to be) on cv_done */
  atomic_bool stop;
  /* The current job; written before `job` is published, read after. */
  sj_range_fn fn;
  void *env;
  int64_t bounds[MAX_THREADS + 1];
};

/* True on pool workers always, and on a caller while it runs chunks. */
static _Thread_local bool in_task;

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Spins until *word != seen (or stop) or the budget is spent. The clock is
 * read every 64 pauses only, to keep the poll loop tight. */
static uint64_t spin_job(sj_pool *p, uint64_t seen) {
  uint64_t w = atomic_load_explicit(&p->job, memory_order_acquire);
  if (w != seen || !p->spin_ns) return w;
  int64_t deadline = now_ns() + p->spin_ns;
  for (unsigned i = 1;; i++) {
    cpu_relax();
    w = atomic_load_explicit(&p->job, memory_order_acquire);
    if (w != seen || atomic_load_explicit(&p->stop, memory_order_relaxed)) return w;
    if (!(i & 63) && now_ns() >= deadline) return w;
  }
}

/* Waits for a job word other than `seen`, or for stop. */
static uint64_t wait_job(sj_pool *p, uint64_t seen) {
  uint64_t w = spin_job(p, seen);
  if (w != seen || atomic_load(&p->stop)) return w;
  pthread_mutex_lock(&p->mu);
  atomic_fetch_add(&p->sleepers, 1);
  while ((w = atomic_load(&p->job)) == seen && !atomic_load(&p->stop))
    pthread_cond_wait(&p->cv_work, &p->mu);
  atomic_fetch_sub(&p->sleepers, 1);
  pthread_mutex_unlock(&p->mu);
  return w;
}

static void finish_chunk(sj_pool *p) {
  if (atomic_fetch_sub(&p->pending, 1) == 1 && atomic_load(&p->done_waiting)) {
    pthread_mutex_lock(&p->mu);
    pthread_cond_signal(&p->cv_done);
    pthread_mutex_unlock(&p->mu);
  }
}

/* Claims the next unclaimed chunk of job `w` into *id. The generation in the
 * claim word makes a late worker's claim on a finished job fail. */
static bool claim_chunk(sj_pool *p, uint64_t w, int *id) {
  uint64_t c = atomic_load(&p->claim);
  do {
    if (c >> CHUNK_BITS != w >> CHUNK_BITS || (c & CHUNK_MASK) >= (w & CHUNK_MASK)) return false;
  } while (!atomic_compare_exchange_weak(&p->claim, &c, c + 1));
  *id = (int)(c & CHUNK_MASK);
  return true;
}

static void *worker(void *arg) {
  sj_pool *p = arg;
  in_task = true;
  uint64_t seen = 0;
  for (;;) {
    seen = wait_job(p, seen);
    if (atomic_load(&p->stop)) break;
    for (int c; claim_chunk(p, seen, &c);) {
      p->fn(p->env, p->bounds[c], p->bounds[c + 1]);
      finish_chunk(p);
    }
  }
  return NULL;
}

static int online_cpus(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

static void start_workers(sj_pool *p) {
  for (int i = 1; i < p->n; i++) {
    if (pthread_create(&p->th[i], NULL, worker, p)) {
      p->n = i; /* run with the workers we have */
      return;
    }
  }
}

sj_pool *sj_pool_new(int nthreads) {
  int cpus = online_cpus();
  if (nthreads <= 0) nthreads = cpus;
  if (nthreads > MAX_THREADS) nthreads = MAX_THREADS;
  sj_pool *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->th = calloc((size_t)nthreads, sizeof *p->th);
  if (!p->th) {
    free(p);
    return NULL;
  }
  p->n = nthreads;
  p->spin_ns = nthreads <= cpus ? SPIN_NS : 0;
  pthread_mutex_init(&p->mu, NULL);
  pthread_mutex_init(&p->run_mu, NULL);
  pthread_cond_init(&p->cv_work, NULL);
  pthread_cond_init(&p->cv_done, NULL);
  start_workers(p);
  return p;
}

void sj_pool_free(sj_pool *p) {
  if (!p) return;
  pthread_mutex_lock(&p->mu);
  atomic_store(&p->stop, true);
  pthread_cond_broadcast(&p->cv_work);
  pthread_mutex_unlock(&p->mu);
  for (int i = 1; i < p->n; i++) pthread_join(p->th[i], NULL);
  pthread_mutex_destroy(&p->mu);
  pthread_mutex_destroy(&p->run_mu);
  pthread_cond_destroy(&p->cv_work);
  pthread_cond_destroy(&p->cv_done);
  free(p->th);
  free(p);
}

int sj_pool_size(const sj_pool *p) { return p ? p->n : 1; }

/* Chunk size: an equal share rounded up to a multiple of align, so every
 * chunk starts `align`-aligned relative to lo and all but the last are whole
 * multiples of align. Returns the number of non-empty chunks and fills
 * bounds[0..nchunks]. Counts in uint64_t: hi - lo of any int64 pair fits
 * there (INT64_MIN to INT64_MAX is 2^64 - 1), and a share rounded up past
 * the range is clamped to it, so no intermediate can overflow. */
static int split(sj_pool *p, int64_t lo, int64_t hi, int64_t align) {
  uint64_t len = (uint64_t)hi - (uint64_t)lo, n = (uint64_t)p->n, a = (uint64_t)align;
  uint64_t per = len / n + (len % n != 0);
  per = per % a ? (per / a < len / a ? (per / a + 1) * a : len) : per;
  int nchunks = (int)(len / per + (len % per != 0));
  for (int i = 0; i < nchunks; i++) p->bounds[i] = (int64_t)((uint64_t)lo + per * (uint64_t)i);
  p->bounds[nchunks] = hi;
  return nchunks;
}

static void wait_done(sj_pool *p) {
  int64_t deadline = now_ns() + p->spin_ns;
  for (unsigned i = 1; atomic_load_explicit(&p->pending, memory_order_acquire); i++) {
    cpu_relax();
    if (!(i & 63) && now_ns() >= deadline) break;
  }
  if (!atomic_load(&p->pending)) return;
  pthread_mutex_lock(&p->mu);
  atomic_store(&p->done_waiting, 1);
  while (atomic_load(&p->pending)) pthread_cond_wait(&p->cv_done, &p->mu);
  atomic_store(&p->done_waiting, 0);
  pthread_mutex_unlock(&p->mu);
}

/* Publishes the job and wakes sleeping workers (only if there are any).
 * Returns the job word. */
static uint64_t publish(sj_pool *p, int nchunks) {
  uint64_t gen = (atomic_load_explicit(&p->job, memory_order_relaxed) >> CHUNK_BITS) + 1;
  atomic_store(&p->pending, nchunks - 1);
  atomic_store(&p->claim, gen << CHUNK_BITS | 1); /* chunk 0 is the caller's */
  atomic_store(&p->job, gen << CHUNK_BITS | (uint64_t)nchunks);
  if (atomic_load(&p->sleepers)) {
    pthread_mutex_lock(&p->mu);
    pthread_cond_broadcast(&p->cv_work);
    pthread_mutex_unlock(&p->mu);
  }
  return gen << CHUNK_BITS | (uint64_t)nchunks;
}

void sj_pool_run(sj_pool *p, sj_range_fn fn, void *env, int64_t lo, int64_t hi, int64_t min_parallel,
                 int64_t align) {
  if (hi <= lo) return;
  if (align < 1) align = 1;
  uint64_t len = (uint64_t)hi - (uint64_t)lo; /* may exceed INT64_MAX */
  /* A range within one aligned chunk cannot be split. */
  if (!p || p->n < 2 || in_task || (min_parallel > 0 && len < (uint64_t)min_parallel) || len <= (uint64_t)align) {
    fn(env, lo, hi);
    return;
  }
  pthread_mutex_lock(&p->run_mu);
  p->fn = fn;
  p->env = env;
  int nchunks = split(p, lo, hi, align);
  if (nchunks < 2) {
    pthread_mutex_unlock(&p->run_mu);
    fn(env, lo, hi);
    return;
  }
  uint64_t w = publish(p, nchunks);
  in_task = true;
  fn(env, p->bounds[0], p->bounds[1]);
  for (int c; claim_chunk(p, w, &c);) { /* chunks no worker has started */
    fn(env, p->bounds[c], p->bounds[c + 1]);
    atomic_fetch_sub(&p->pending, 1);
  }
  in_task = false;
  wait_done(p);
  pthread_mutex_unlock(&p->run_mu);
}
