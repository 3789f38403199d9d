/* The reference evaluator's insides: the kernel interface, the kernel
 * table, and what kernels share (allocation under the memory limit,
 * attributes, shapes, function calls).  Private to libhintstub.
 *
 * A kernel computes one node: it gets the node's data inputs in order and
 * fills out[0..n_out), n_out being 1 + the highest port anyone reads (a
 * kernel with fewer outputs fails).  It allocates its outputs with
 * hs_kt_new, which counts them against the evaluator's memory limit, or
 * shares an input with hs_value_ref.  It reports a failure with hs_fail
 * and a message about the values ("input 1 has shape [2,3], expected a
 * matrix"): the evaluator prefixes "node 'NAME' (OP): ".  Inputs are
 * never written to.
 *
 * Kernels live in one file per op family (kernels_math.c, ...), each
 * exporting a family table sorted by op name (tests/eval/check_table.c
 * checks the order and that no op is in two families); kernels.c lists the
 * families.  Adding a family: its file, its `extern` below, one line in
 * kernels.c. */
#ifndef HS_EVAL_INTERNAL_H
#define HS_EVAL_INTERNAL_H

#include <stdint.h>

#include "hintstub/hintstub.h"
#include "hintstub/eval.h"

/* One kernel call.  Kernels reach the evaluator only through these
 * fields (function pointers for calls), so the modules form no cycle:
 * the evaluator uses the table, the table the kernels, never back. */
typedef struct hs_kctx hs_kctx;
struct hs_kctx {
	struct hs_eval *ev;
	const hs_node *n;
	const hs_eval_options *opts;
	uint64_t *live;     /* bytes of values held (the root's count) */
	int (*call)(hs_kctx *k, hs_str fn, const hs_value *const *args, size_t n_args,
		    hs_value **rets, size_t n_rets);
	int (*arity)(size_t *n_ret, hs_kctx *k, hs_str fn);
	/* Iterations of every While of the run so far (the root's count;
	 * NULL outside an evaluator: the loop counts alone).  Last, so
	 * initialisers that end before it stay right. */
	uint64_t *iterations;
};

typedef int (*hs_kernel_fn)(hs_kctx *k, const hs_node *n,
			    const hs_value *const *in, size_t n_in,
			    hs_value **out, size_t n_out);

typedef struct hs_kernel_def {
	const char *op;
	hs_kernel_fn fn;
} hs_kernel_def;

typedef struct hs_kernel_family {
	const char *name;               /* "math", for tests */
	const hs_kernel_def *defs;      /* sorted by op (strcmp) */
	size_t count;
} hs_kernel_family;

/* The families (one per kernels_*.c). */
extern const hs_kernel_family hs_kernels_core;    /* Const, Placeholder, Identity, NoOp */
extern const hs_kernel_family hs_kernels_math;
extern const hs_kernel_family hs_kernels_shape;
extern const hs_kernel_family hs_kernels_array;
extern const hs_kernel_family hs_kernels_control;
extern const hs_kernel_family hs_kernels_list;
extern const hs_kernel_family hs_kernels_fused;   /* stubs' fused ops, Conv2D */

/* Every family, NULL-terminated (kernels.c). */
extern const hs_kernel_family *const hs_kernel_families[];

/* The built-in kernel of op, NULL when none. */
hs_kernel_fn hs_kernel_find(hs_str op);

/* ------------------------------------------------------------ allocation */

/* A new zero-filled tensor for a kernel's output, counted against the
 * memory limit (HS_ELIMIT with a message naming the shape). */
int hs_kt_new(hs_value **out, hs_kctx *k, int dtype, size_t rank,
	      const int64_t *dims);
/* Same with the shape of `like`. */
int hs_kt_like(hs_value **out, hs_kctx *k, int dtype, const hs_value *like);
/* Checks that `bytes` more fit under the memory limit (for kernels that
 * hold scratch memory); HS_ELIMIT otherwise. */
int hs_kt_reserve(hs_kctx *k, uint64_t bytes);
/* The evaluator's options (limits). */
const hs_eval_options *hs_kt_options(const hs_kctx *k);

/* c[m,n] = A B in float32 (c zero-filled on entry), row-major A m x k (k x m when
 * ta) and B k x n (n x k when tb): MatMul's product (CBLAS when configure
 * found one), for kernels that multiply inside (the fused LSTM/RNN). */
int hs_kt_matmul(hs_kctx *k, float *c, const float *a, const float *b, size_t m, size_t n,
		 size_t kk, int ta, int tb);

/* ------------------------------------------------------------ attributes
 * Each returns 0, HS_ENOTFOUND when absent (no message: the caller has a
 * default or fails itself) or HS_EPARSE with a message naming the
 * attribute when its value is not of the kind asked for. */
int hs_kattr_int(int64_t *out, const hs_node *n, const char *key);
int hs_kattr_bool(int *out, const hs_node *n, const char *key);
int hs_kattr_float(float *out, const hs_node *n, const char *key);
int hs_kattr_type(int *out, const hs_node *n, const char *key);
int hs_kattr_str(hs_str *out, const hs_node *n, const char *key);
/* A list of ints into out[0..cap); *count gets their number (HS_EPARSE
 * when more than cap). */
int hs_kattr_ints(int64_t *out, size_t cap, size_t *count, const hs_node *n,
		  const char *key);
/* Attribute with a default: absent gives def, malformed fails. */
int hs_kattr_int_or(int64_t *out, const hs_node *n, const char *key, int64_t def);
int hs_kattr_bool_or(int *out, const hs_node *n, const char *key, int def);

/* ---------------------------------------------------------------- shapes */

/* True when a and b have the same rank and dims. */
int hs_shape_same(const hs_value *a, const hs_value *b);
/* numpy broadcasting of a and b's shapes into *rank/dims; HS_EINVAL with
 * a message naming both shapes when they do not broadcast. */
int hs_broadcast_shape(size_t *rank, int64_t *dims, const hs_value *a,
		       const hs_value *b);
/* Element `i` of an int32 or int64 tensor as int64 (indices, shapes). */
int64_t hs_value_int_at(const hs_value *t, uint64_t i);
/* Fails with HS_EINVAL unless t is of an integer dtype (int32/int64) and of
 * rank <= max_rank; `what` names it ("input 1 (shape)"). */
int hs_kcheck_ints(const hs_value *t, size_t max_rank, const char *what);
/* Fails with HS_EINVAL unless t's dtype is `dtype`. */
int hs_kcheck_dtype(const hs_value *t, int dtype, const char *what);
/* Fails with HS_EINVAL unless n_in >= min (and <= max when max >= 0). */
int hs_kcheck_inputs(size_t n_in, size_t min, long max);
/* Fails with HS_EINVAL when n_out > max (the node has max outputs). */
int hs_kcheck_outputs(size_t n_out, size_t max);
/* Normalises axis (negative counts from the end) against rank; HS_EINVAL
 * when out of range. */
int hs_kaxis(int64_t *out, int64_t axis, size_t rank);

/* ------------------------------------------------------------- functions */

/* Calls function `name` of the graph's library with args[0..n_args),
 * giving its n_rets results in rets (each a new reference).  Runs in its
 * own evaluator (kept for the next call), bounded in nesting depth. */
static inline int hs_kt_call(hs_kctx *k, hs_str name, const hs_value *const *args,
			     size_t n_args, hs_value **rets, size_t n_rets)
{
	return k->call(k, name, args, n_args, rets, n_rets);
}
/* Number of results of function `name` (its signature's output_arg). */
static inline int hs_kt_function_arity(size_t *n_ret, hs_kctx *k, hs_str name)
{
	return k->arity(n_ret, k, name);
}

/* ------------------------------------------------------------ tensor lists
 * An HS_DT_VARIANT tensor holding a list of tensors (TensorList*). */
typedef struct hs_value_list {
	hs_value **items;     /* NULL: not set yet */
	size_t count;
	int element_dtype;
	size_t element_rank;   /* HS_TENSOR_MAX_RANK + 1: unknown rank */
	int64_t element_dims[HS_TENSOR_MAX_RANK]; /* -1: unknown */
} hs_value_list;

/* A new list tensor of `count` unset items (counted against the limit). */
int hs_kt_list_new(hs_value **out, hs_kctx *k, int element_dtype, size_t count);
/* The same without a limit (tensor.c). */
int hs_value_list_make(hs_value **out, int element_dtype, size_t count);
/* The elements of a dense shape, checked (rank, dimensions, at most
 * 2^40 bytes): HS_EINVAL or HS_ELIMIT with a message. */
int hs_shape_elements(uint64_t *out, int dtype, size_t rank, const int64_t *dims);
/* Checks a caller-made value: known dtype, elements matching the dims,
 * data present (HS_EINVAL with a message). */
int hs_value_check(const hs_value *t);
/* A dense value sharing base's elements under another shape of as many
 * elements (Reshape, ExpandDims, Squeeze): nothing is copied. */
int hs_value_view(hs_value **out, const hs_value *base, size_t rank, const int64_t *dims);
/* Bytes a value holds: a dense tensor's elements, a list's items. */
uint64_t hs_value_held_bytes(const hs_value *t);

/* ------------------------------------------------------ the library
 * GraphDef.library's FunctionDefs by name, each body loaded as a node
 * scope on first use (function.c). */
typedef struct hs_fn {
	hs_str name;               /* signature.name */
	const uint8_t *def;        /* the FunctionDef bytes, in the graph */
	size_t def_len;
	hs_graph *scope;           /* the body; NULL until loaded */
	hs_str *rets;              /* per output_arg, in order: ret's tensor */
	size_t n_rets;
} hs_fn;

typedef struct hs_fn_library hs_fn_library;

/* Indexes g's library (none: an empty one). */
int hs_fn_library_new(hs_fn_library **out, const hs_graph *g);
/* Function `name`, its body loaded; *index gets its position (dense, for
 * side arrays of hs_fn_library_count entries).  HS_ENOTFOUND with a
 * message when the library has none of that name. */
int hs_fn_library_get(hs_fn **out, size_t *index, hs_fn_library *lib, hs_str name);
size_t hs_fn_library_count(const hs_fn_library *lib);
void hs_fn_library_free(hs_fn_library *lib);

#endif
