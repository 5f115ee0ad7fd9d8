/* Thread pool for parallel loops: nthreads-1 persistent workers plus the
 * caller. Workers spin briefly before sleeping on a condvar: a condvar wake-up
 * costs ~40 us on these VMs, a spinning hand-off ~1 us (notes/llvm-c.md), and
 * kernels arrive back to back. All state lives in the pool; the only
 * thread-local is the "inside a task" flag that makes nested runs serial. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "runtime.h"

#define MAX_THREADS 256
/* Spin iterations before sleeping (each a pause: ~20-50 us in all). */
#define SPIN_ITERS 20000

struct sj_pool {
  int n;
  pthread_t *th;
  pthread_mutex_t mu, run_mu;
  pthread_cond_t cv_work, cv_done;
  atomic_uint_fast64_t gen; /* job generation */
  atomic_int pending;       /* workers still running the current job */
  atomic_bool stop;
  int sleepers_done;        /* caller sleeping on cv_done */
  sj_range_fn fn;
  void *env;
  int64_t bounds[MAX_THREADS + 1];
};

typedef struct worker_arg {
  sj_pool *p;
  int id;
} worker_arg;

static _Thread_local bool in_task;

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

static void run_chunk(sj_pool *p, int id) {
  int64_t lo = p->bounds[id], hi = p->bounds[id + 1];
  if (lo < hi) p->fn(p->env, lo, hi);
}

static void finish_chunk(sj_pool *p) {
  if (atomic_fetch_sub_explicit(&p->pending, 1, memory_order_acq_rel) == 1) {
    pthread_mutex_lock(&p->mu);
    pthread_cond_signal(&p->cv_done);
    pthread_mutex_unlock(&p->mu);
  }
}

/* Waits for a generation other than `seen` (or stop). */
static uint64_t wait_work(sj_pool *p, uint64_t seen) {
  for (int i = 0; i < SPIN_ITERS; i++) {
    uint64_t g = atomic_load_explicit(&p->gen, memory_order_acquire);
    if (g != seen || atomic_load(&p->stop)) return g;
    cpu_relax();
  }
  pthread_mutex_lock(&p->mu);
  uint64_t g;
  while ((g = atomic_load_explicit(&p->gen, memory_order_acquire)) == seen && !atomic_load(&p->stop))
    pthread_cond_wait(&p->cv_work, &p->mu);
  pthread_mutex_unlock(&p->mu);
  return g;
}

static void *worker(void *arg) {
  worker_arg *w = arg;
  sj_pool *p = w->p;
  int id = w->id;
  free(w);
  in_task = true;
  uint64_t seen = 0;
  for (;;) {
    seen = wait_work(p, seen);
    if (atomic_load(&p->stop)) break;
    run_chunk(p, id);
    finish_chunk(p);
  }
  return NULL;
}

sj_pool *sj_pool_new(int nthreads) {
  if (nthreads <= 0) nthreads = (int)sysconf(_SC_NPROCESSORS_ONLN);
  if (nthreads < 1) nthreads = 1;
  if (nthreads > MAX_THREADS) nthreads = MAX_THREADS;
  sj_pool *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->n = nthreads;
  pthread_mutex_init(&p->mu, NULL);
  pthread_mutex_init(&p->run_mu, NULL);
  pthread_cond_init(&p->cv_work, NULL);
  pthread_cond_init(&p->cv_done, NULL);
  p->th = calloc((size_t)nthreads, sizeof *p->th);
  for (int i = 1; p->th && i < nthreads; i++) {
    worker_arg *w = malloc(sizeof *w);
    if (w) *w = (worker_arg){p, i};
    if (!w || pthread_create(&p->th[i], NULL, worker, w)) {
      free(w);
      p->n = i; /* run with the workers we have */
      break;
    }
  }
  if (!p->th) p->n = 1;
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

static void split(sj_pool *p, int64_t lo, int64_t hi, int64_t align) {
  int64_t len = hi - lo, per = (len + p->n - 1) / p->n;
  if (align > 1) per = (per + align - 1) / align * align;
  for (int i = 0; i <= p->n; i++) {
    int64_t b = lo + per * i;
    p->bounds[i] = b > hi ? hi : b;
  }
  p->bounds[p->n] = hi;
}

static void wait_done(sj_pool *p) {
  for (int i = 0; i < SPIN_ITERS; i++) {
    if (atomic_load_explicit(&p->pending, memory_order_acquire) == 0) return;
    cpu_relax();
  }
  pthread_mutex_lock(&p->mu);
  while (atomic_load_explicit(&p->pending, memory_order_acquire) != 0) pthread_cond_wait(&p->cv_done, &p->mu);
  pthread_mutex_unlock(&p->mu);
}

void sj_pool_run(sj_pool *p, sj_range_fn fn, void *env, int64_t lo, int64_t hi, int64_t min_parallel,
                 int64_t align) {
  if (hi <= lo) return;
  if (!p || p->n < 2 || in_task || hi - lo < min_parallel) {
    fn(env, lo, hi);
    return;
  }
  pthread_mutex_lock(&p->run_mu);
  p->fn = fn;
  p->env = env;
  split(p, lo, hi, align);
  atomic_store_explicit(&p->pending, p->n - 1, memory_order_release);
  pthread_mutex_lock(&p->mu);
  atomic_fetch_add_explicit(&p->gen, 1, memory_order_acq_rel);
  pthread_cond_broadcast(&p->cv_work);
  pthread_mutex_unlock(&p->mu);
  in_task = true;
  run_chunk(p, 0);
  in_task = false;
  wait_done(p);
  pthread_mutex_unlock(&p->run_mu);
}
