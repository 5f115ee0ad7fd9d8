/* The graph exports of graph_export.c with libsymjit_rt: shared variables as
 * initial data (each state owns a copy and updates it, as the in-process
 * function does) and as arguments (the update comes back as an output). */
#include <stdio.h>
#include <string.h>

#include "../unit/check.h"
#include "gargs.h"
#include "ginit.h"

int main(void) {
  float x[6] = {1, 1, 1, 0, 1, 0}, y[2] = {0}, w[3] = {1, 2, 3}, wn[3] = {0};
  ginit_state *a = ginit_new(1), *b = ginit_new(1);
  CHECK(a && b && sj_aot_num_inputs(a) == 1 && sj_aot_num_outputs(a) == 1 && sj_aot_num_shared(a) == 1);
  CHECK(ginit_step(a, x, 2, y, 2) == 0 && y[0] == 6 && y[1] == 2); /* w = [1,2,3] */
  CHECK(ginit_step(a, x, 2, y, 2) == 0 && y[0] == 12 && y[1] == 4); /* w = [2,4,6] */
  const float *wa = sj_tensor_data(sj_aot_shared(a, 0));
  CHECK(wa && wa[0] == 4 && wa[1] == 8 && wa[2] == 12);
  CHECK(ginit_step(b, x, 2, y, 2) == 0 && y[0] == 6); /* states are independent */
  CHECK(ginit_step(a, x, 2, y, 3) != 0 && strstr(ginit_error(a), "output 0 must be a f32[2] tensor"));
  float w2[3];
  memcpy(w2, sj_tensor_data(sj_aot_shared(a, 0)), sizeof w2);
  CHECK(w2[0] == 4); /* a failed call updates nothing */
  CHECK(sj_aot_num_inputs(a) == 1);
  ginit_free(a), ginit_free(b);

  gargs_state *g = gargs_new(1);
  CHECK(g && sj_aot_num_inputs(g) == 2 && sj_aot_num_outputs(g) == 2 && sj_aot_num_shared(g) == 0);
  CHECK(gargs_step(g, x, 2, w, y, 2, wn) == 0 && y[0] == 6 && y[1] == 2 && wn[0] == 2 && wn[1] == 4 && wn[2] == 6);
  CHECK(w[0] == 1); /* the argument itself is not written */
  gargs_free(g);
  if (!failures) printf("aot_graph: ok\n");
  return failures != 0;
}
