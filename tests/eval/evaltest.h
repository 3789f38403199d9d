/* Helpers of the evaluator's suites: graphs written one node a line, runs,
 * and comparisons with hand-computed values. */
#ifndef HS_EVALTEST_H
#define HS_EVALTEST_H

#include <stddef.h>
#include <stdint.h>

#include "run.h"
#include "hintstub/hintstub.h"

/* Builds a graph from lines "NAME = OP INPUT... KEY=VALUE...":
 *   a = Const f32 [2,2] 1 2 3 4    (dtype f32/i32/i64/bool, shape, values;
 *                                   fewer values repeat the last, as TF)
 *   x = Placeholder f32 [-1,3]
 *   y = MatMul a x transpose_b=true
 * Attribute values: true/false (b), an integer (i), a number with '.' or
 * 'e' (f), f32/i32/i64/bool (type), [1,2] (list of ints), "text" (s),
 * @name (func).  Lines starting with '#' are skipped.  `extra` is pbtxt
 * appended as it is (a library).  Fails the test on a load error. */
hs_graph *et_graph(const char *lines, const char *extra);
/* The pbtxt et_graph loads (caller frees). */
char *et_pbtxt(const char *lines, const char *extra);
/* A FunctionDef in pbtxt (for et_graph's `extra`, inside "library {
 * ... }"): args "i:i32 x:f32", results "out:bool=less:z:0" (name, type,
 * the tensor ret maps it to), body nodes as for et_graph (caller frees). */
char *et_function(const char *name, const char *args, const char *rets, const char *lines);
/* A float tensor of shape dims with values v (caller frees). */
hs_value *et_float(size_t rank, const int64_t *dims, const float *v);
/* Runs g (feeds as name/tensor pairs, n_feeds of them) and returns fetch
 * `name`; NULL with the message in hs_error_last() on failure. */
hs_value *et_run(const hs_graph *g, const char *name, size_t n_feeds, ...);
/* The same with options (no feeds). */
hs_value *et_run_opts(const hs_graph *g, const hs_eval_options *o, const char *name);
/* Runs fetch `name` of ev, failing the test when it fails. */
hs_value *et_fetch(hs_eval *ev, const char *name);
/* Asserts t has the shape and the float values (within 1e-5 relative). */
/* The largest |a[i] - b[i]| of two float values of as many elements
 * (asserted). */
double et_max_abs_error(const hs_value *a, const hs_value *b);

void et_expect_f(const hs_value *t, size_t rank, const int64_t *dims, const float *v);
/* The same for int32/int64 (values as int64) and bool (0/1). */
void et_expect_i(const hs_value *t, int dtype, size_t rank, const int64_t *dims,
		 const int64_t *v);
/* Runs fetch `name` of the one-node-a-line graph and checks the float
 * result: for kernel tables of cases. */
void et_check_f(const char *lines, const char *name, size_t rank, const int64_t *dims,
		const float *v);
void et_check_i(const char *lines, const char *name, int dtype, size_t rank,
		const int64_t *dims, const int64_t *v);
/* Asserts the run fails with a message containing `part`. */
void et_check_fails(const char *lines, const char *name, const char *part);

#define ET_DIMS(...) ((const int64_t[]){ __VA_ARGS__ })
#define ET_F(...) ((const float[]){ __VA_ARGS__ })
#define ET_I(...) ((const int64_t[]){ __VA_ARGS__ })
#define ET_N(...) (sizeof((const int64_t[]){ __VA_ARGS__ }) / sizeof(int64_t))
#define ET_NF(...) (sizeof((const float[]){ __VA_ARGS__ }) / sizeof(float))

#endif
