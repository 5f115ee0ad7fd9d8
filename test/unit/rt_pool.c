/* Thread pool: every iteration runs exactly once; chunks are contiguous, at
 * most size(p), aligned, and chunk 0 runs on the caller; the serial rules
 * (NULL pool, pool of 1, short range, nested call); many rapid runs; wake-up
 * after the workers went to sleep; slow workers (the caller sleeps); two
 * threads sharing a pool; free right after use. Prints the fork/join
 * latency (not asserted: it depends on the machine and its load). Meant to
 * be clean under ASan and TSan. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runtime.h"

#include "check.h"

#define MAXN 8192
#define MAXCHUNKS 64

typedef struct chunk {
  int64_t lo, hi;
  bool on_caller;
} chunk;

typedef struct job {
  int64_t base;       /* visits[i - base] counts iteration i */
  int visits[MAXN];   /* each chunk writes only its own range */
  atomic_int nchunks;
  chunk chunks[MAXCHUNKS];
  pthread_t caller;
  sj_pool *pool;      /* for the nested call */
  int nested;         /* 1: call sj_pool_run from inside the task */
  int64_t nested_chunks[MAXCHUNKS];
  long sleep_ns;      /* a worker chunk sleeps this long */
} job;

static void sleep_ns(long ns) {
  struct timespec ts = {ns / 1000000000, ns % 1000000000};
  nanosleep(&ts, NULL);
}

static void count_inner(void *env, int64_t lo, int64_t hi) {
  (void)lo, (void)hi;
  atomic_fetch_add((atomic_int *)env, 1);
}

static void body(void *env, int64_t lo, int64_t hi) {
  job *j = env;
  int k = atomic_fetch_add(&j->nchunks, 1);
  bool on_caller = pthread_equal(pthread_self(), j->caller);
  if (k < MAXCHUNKS) j->chunks[k] = (chunk){lo, hi, on_caller};
  for (int64_t i = lo; i < hi; i++) j->visits[i - j->base]++;
  if (j->nested) { /* a nested run must be serial: one call with the whole range */
    atomic_int calls = 0;
    sj_pool_run(j->pool, count_inner, &calls, 0, 1000, 1, 1);
    if (k < MAXCHUNKS) j->nested_chunks[k] = atomic_load(&calls);
  }
  if (j->sleep_ns && !on_caller) sleep_ns(j->sleep_ns);
}

static job *new_job(sj_pool *p, int64_t base) {
  job *j = calloc(1, sizeof *j);
  j->base = base;
  j->caller = pthread_self();
  j->pool = p;
  return j;
}

/* Runs [lo, hi) and checks coverage and the shape of the split. Returns the
 * number of chunks. */
static int run_check(sj_pool *p, int64_t lo, int64_t hi, int64_t minp, int64_t align, job *j) {
  memset(j->visits, 0, sizeof j->visits);
  atomic_store(&j->nchunks, 0);
  sj_pool_run(p, body, j, lo, hi, minp, align);
  int n = atomic_load(&j->nchunks), bad = 0;
  for (int64_t i = lo; i < hi; i++) bad += j->visits[i - j->base] != 1;
  CHECK(bad == 0);
  CHECK(n >= (hi > lo) && n <= sj_pool_size(p) && n <= MAXCHUNKS);
  int64_t a = align < 1 ? 1 : align;
  for (int k = 0; k < n && k < MAXCHUNKS; k++) {
    chunk c = j->chunks[k];
    CHECK(c.lo < c.hi && (c.lo - lo) % a == 0);        /* non-empty, aligned start */
    CHECK(c.hi == hi || (c.hi - c.lo) % a == 0);         /* multiple of align but the last */
    CHECK(c.lo != lo || c.on_caller);                    /* caller runs chunk 0 */
  }
  return n;
}

static void test_sizes(void) {
  CHECK(sj_pool_size(NULL) == 1);
  sj_pool *p1 = sj_pool_new(1), *p0 = sj_pool_new(0), *p4 = sj_pool_new(4);
  CHECK(p1 && sj_pool_size(p1) == 1);
  CHECK(p0 && sj_pool_size(p0) == (int)sysconf(_SC_NPROCESSORS_ONLN));
  CHECK(p4 && sj_pool_size(p4) == 4);
  sj_pool_free(p1);
  sj_pool_free(p0);
  sj_pool_free(p4);
  sj_pool_free(NULL);
}

static void test_splits(void) {
  static const int sizes[] = {1, 2, 3, 4, 7};
  static const int64_t ranges[][2] = {{0, 1}, {0, 2}, {0, 3}, {5, 6}, {0, 100}, {-50, 51}, {10, 4010},
                                      {0, 64}, {0, 65}, {0, 129}, {3, 200}, {7, 7}, {9, 3}};
  static const int64_t aligns[] = {0, 1, 3, 8, 64};
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    sj_pool *p = sj_pool_new(sizes[s]);
    job *j = new_job(p, -100);
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
      for (size_t a = 0; a < sizeof aligns / sizeof aligns[0]; a++)
        run_check(p, ranges[r][0], ranges[r][1], 1, aligns[a], j);
    /* an even split: 4000 over n threads, align 1, uses every thread */
    CHECK(run_check(p, 0, 4000, 1, 1, j) == sizes[s]);
    free(j);
    sj_pool_free(p);
  }
}

/* Records chunk bounds only, for ranges too long to visit. */
typedef struct bounds_log {
  pthread_mutex_t mu;
  int n;
  int64_t lo[MAXCHUNKS], hi[MAXCHUNKS];
} bounds_log;

static void log_bounds(void *env, int64_t lo, int64_t hi) {
  bounds_log *l = env;
  pthread_mutex_lock(&l->mu);
  if (l->n < MAXCHUNKS) l->lo[l->n] = lo, l->hi[l->n] = hi;
  l->n++;
  pthread_mutex_unlock(&l->mu);
}

/* Ranges whose length (hi - lo up to 2^64 - 1) or rounded-up share overflow
 * int64: the chunks must still tile [lo, hi) exactly, in order, aligned. */
static void test_huge_ranges(void) {
  static const int64_t ranges[][2] = {{INT64_MIN, INT64_MAX}, {0, INT64_MAX}, {INT64_MIN, 0},
                                      {-1, INT64_MAX},        {INT64_MAX - 5, INT64_MAX}, {INT64_MIN, INT64_MIN + 1000}};
  static const int64_t aligns[] = {1, 64, INT64_MAX / 3, INT64_MAX};
  for (int threads = 2; threads <= 3; threads++) {
    sj_pool *p = sj_pool_new(threads);
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
      for (size_t a = 0; a < sizeof aligns / sizeof aligns[0]; a++) {
        bounds_log l = {.mu = PTHREAD_MUTEX_INITIALIZER};
        int64_t lo = ranges[r][0], hi = ranges[r][1];
        sj_pool_run(p, log_bounds, &l, lo, hi, 1, aligns[a]);
        CHECK(l.n >= 1 && l.n <= threads);
        /* sort by lo (at most 3 chunks), then they must tile [lo, hi) */
        for (int i = 0; i < l.n; i++)
          for (int k = i + 1; k < l.n; k++)
            if (l.lo[k] < l.lo[i]) {
              int64_t t0 = l.lo[i], t1 = l.hi[i];
              l.lo[i] = l.lo[k], l.hi[i] = l.hi[k], l.lo[k] = t0, l.hi[k] = t1;
            }
        bool ok = l.lo[0] == lo && l.hi[l.n - 1] == hi;
        for (int i = 0; i < l.n; i++) {
          ok = ok && l.lo[i] < l.hi[i] && ((uint64_t)l.lo[i] - (uint64_t)lo) % (uint64_t)aligns[a] == 0;
          if (i) ok = ok && l.lo[i] == l.hi[i - 1];
        }
        if (!ok) {
          fprintf(stderr, "bad split of [%lld, %lld) align %lld on %d threads\n", (long long)lo, (long long)hi,
                  (long long)aligns[a], threads);
          failures++;
        }
      }
    sj_pool_free(p);
  }
}

static void test_serial_rules(void) {
  sj_pool *p = sj_pool_new(3);
  job *j = new_job(p, 0);
  CHECK(run_check(NULL, 0, 1000, 1, 1, j) == 1);    /* no pool */
  CHECK(run_check(p, 0, 999, 1000, 1, j) == 1);     /* shorter than min_parallel */
  CHECK(run_check(p, 0, 1000, 1000, 1, j) == 3);    /* not shorter */
  CHECK(run_check(p, 0, 64, 1, 64, j) == 1);        /* one aligned chunk */
  CHECK(run_check(p, 0, 2, 1, 1, j) == 2);          /* fewer iterations than threads */
  sj_pool *one = sj_pool_new(1);
  CHECK(run_check(one, 0, 1000, 1, 1, j) == 1);
  sj_pool_free(one);
  /* JIT entry point: NULL pool is serial, a pool splits */
  memset(j->visits, 0, sizeof j->visits);
  atomic_store(&j->nchunks, 0);
  sj_rt_parallel_for(NULL, body, j, 0, 100, 1, 1);
  CHECK(atomic_load(&j->nchunks) == 1 && j->visits[99] == 1);
  atomic_store(&j->nchunks, 0);
  sj_rt_parallel_for(p, body, j, 100, 400, 1, 1);
  CHECK(atomic_load(&j->nchunks) == 3 && j->visits[399] == 1);
  /* nested: every chunk's inner run is one serial call */
  j->nested = 1;
  int n = run_check(p, 0, 300, 1, 1, j);
  CHECK(n == 3);
  for (int k = 0; k < n; k++) CHECK(j->nested_chunks[k] == 1);
  j->nested = 0;
  free(j);
  sj_pool_free(p);
}

static void add_range(void *env, int64_t lo, int64_t hi) {
  int64_t s = 0;
  for (int64_t i = lo; i < hi; i++) s += i;
  atomic_fetch_add((_Atomic int64_t *)env, s);
}

/* Many back-to-back runs, uneven lengths: catches lost wake-ups and races
 * between one job's end and the next one's start. */
static void test_rapid(int nthreads, int runs) {
  sj_pool *p = sj_pool_new(nthreads);
  int bad = 0;
  for (int r = 0; r < runs; r++) {
    int64_t hi = 1 + r % 37;
    _Atomic int64_t sum = 0;
    sj_pool_run(p, add_range, &sum, 0, hi, 1, 1 + r % 3);
    bad += atomic_load(&sum) != hi * (hi - 1) / 2;
  }
  CHECK(bad == 0);
  sj_pool_free(p); /* right after the last run */
}

/* Workers asleep on the condvar must wake; a slow worker makes the caller
 * sleep on its condvar. */
static void test_sleep_paths(void) {
  sj_pool *p = sj_pool_new(2);
  job *j = new_job(p, 0);
  for (int r = 0; r < 3; r++) {
    sleep_ns(2000000); /* 2 ms: past the spin budget */
    CHECK(run_check(p, 0, 100, 1, 1, j) == 2);
  }
  j->sleep_ns = 2000000;
  for (int r = 0; r < 3; r++) CHECK(run_check(p, 0, 100, 1, 1, j) == 2);
  free(j);
  sj_pool_free(p);
}

static void *user_thread(void *arg) {
  sj_pool *p = arg;
  int bad = 0;
  for (int r = 0; r < 500; r++) {
    _Atomic int64_t sum = 0;
    sj_pool_run(p, add_range, &sum, 0, 1000, 1, 1);
    bad += atomic_load(&sum) != 999 * 1000 / 2;
  }
  return (void *)(intptr_t)bad;
}

/* Two application threads share one pool: runs are serialized, not mixed. */
static void test_two_callers(void) {
  sj_pool *p = sj_pool_new(2);
  pthread_t a, b;
  void *ra, *rb;
  pthread_create(&a, NULL, user_thread, p);
  pthread_create(&b, NULL, user_thread, p);
  pthread_join(a, &ra);
  pthread_join(b, &rb);
  CHECK(ra == NULL && rb == NULL);
  sj_pool_free(p);
}

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Each of the two chunks checks in, then waits (bounded) for the other, so a
 * run measures a real hand-off to the worker and back; an empty body would
 * measure nothing, since the caller takes chunks no worker has started. */
static void rendezvous(void *env, int64_t lo, int64_t hi) {
  (void)lo, (void)hi;
  atomic_int *in = env;
  atomic_fetch_add(in, 1);
  double t0 = now_us();
  while (atomic_load(in) < 2 && now_us() - t0 < 10000) {
  }
}

/* Median of `runs` fork/joins, each after `gap_us` idle; stops early after
 * 0.5 s so that a loaded machine cannot make the test slow. */
static double latency(sj_pool *p, int runs, long gap_us) {
  static double t[2000];
  double start = now_us();
  for (int r = 0; r < runs; r++) {
    if (now_us() - start > 500000) runs = r;
    if (r == runs) break;
    if (gap_us) sleep_ns(gap_us * 1000);
    atomic_int in = 0;
    double t0 = now_us();
    sj_pool_run(p, rendezvous, &in, 0, 2, 1, 1);
    t[r] = now_us() - t0;
  }
  for (int a = 1; a < runs; a++) /* insertion sort: small n */
    for (int b = a; b > 0 && t[b] < t[b - 1]; b--) {
      double x = t[b];
      t[b] = t[b - 1], t[b - 1] = x;
    }
  return runs ? t[runs / 2] : NAN;
}

static void measure(void) {
  sj_pool *p = sj_pool_new(2);
  latency(p, 100, 0); /* warm up */
  double hot = latency(p, 1000, 0), cold = latency(p, 20, 2000);
  printf("pool of 2, median fork/join: %.2f us back to back (worker spinning), %.1f us after 2 ms idle "
         "(worker asleep on the condvar)\n", hot, cold);
  sj_pool_free(p);
}

int main(void) {
  test_sizes();
  test_splits();
  test_serial_rules();
  test_huge_ranges();
  test_rapid(2, 10000);
  test_rapid(3, 3000);
  test_rapid(8, 1000); /* more threads than CPUs: no spinning, condvar only */
  test_sleep_paths();
  test_two_callers();
  measure();
  if (failures) fprintf(stderr, "rt_pool: %d check(s) failed\n", failures);
  else printf("rt_pool: all checks passed\n");
  return failures != 0;
}
