/* A program of an exported function, built against the installed
 * libsymjit_rt (test/install/run.sh: symjit-aot exports examples/
 * mlp_layer.sj as `lay`): softmax rows must sum to one. */
#include <math.h>
#include <stdio.h>

#include "lay.h"

int main(void) {
  static float x[2 * 784], w1[784 * 128], b1[128], w2[128 * 10], b2[10], p[2 * 10];
  for (int i = 0; i < 2 * 784; i++) x[i] = (float)(i % 7) / 7.0f;
  for (int i = 0; i < 784 * 128; i++) w1[i] = (float)((i % 11) - 5) / 100.0f;
  for (int i = 0; i < 128 * 10; i++) w2[i] = (float)((i % 5) - 2) / 10.0f;
  lay_state *s = lay_new(1);
  if (!s || lay_mlp(s, x, 2, w1, b1, w2, b2, p, 2)) {
    fprintf(stderr, "aot_consumer: %s", s ? lay_error(s) : "no memory\n");
    return 1;
  }
  lay_free(s);
  for (int r = 0; r < 2; r++) {
    double t = 0;
    for (int k = 0; k < 10; k++) t += p[r * 10 + k];
    if (fabs(t - 1) > 1e-5) return fprintf(stderr, "aot_consumer: row %d sums to %g\n", r, t), 1;
  }
  printf("aot_consumer: ok\n");
  return 0;
}
