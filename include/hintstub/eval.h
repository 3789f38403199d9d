/*
 * The reference evaluator: runs a GraphDef on the CPU with TensorFlow's
 * semantics, so a converted graph can be compared with the original.
 * Include <hintstub/hintstub.h>, which includes every public header.
 *
 *   hs_eval *ev;
 *   hs_eval_new(&ev, graph, NULL);
 *   hs_eval_set_input(ev, "x", x);          // feeds a Placeholder
 *   hs_eval_run(outs, ev, fetches, n);      // computes what fetches need
 *   hs_eval_free(ev);
 *
 * Element types: float32 for values, int32/int64/bool where shapes,
 * indices and masks need them.  An op without a kernel is an error naming
 * the op and the node; kernels for ops the library lacks (a plugin's fused
 * op) come from a hook in the options.
 *
 * Conventions: see <hintstub/hintstub.h>.
 */
#ifndef HINTSTUB_EVAL_H
#define HINTSTUB_EVAL_H

#include <hintstub/graph.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ----------------------------------------------------------------- values */

/** Element types, TensorFlow DataType values.  HS_DT_VARIANT holds a tensor
 * list (TensorListReserve & co.), whose items only kernels see. */
typedef enum hs_dtype {
	HS_DT_FLOAT = 1,
	HS_DT_INT32 = 3,
	HS_DT_INT64 = 9,
	HS_DT_BOOL = 10,
	HS_DT_VARIANT = 21
} hs_dtype;

/** Bytes of one element of a dense dtype (bool: 1); 0 for a dtype the
 * evaluator does not compute with (and for HS_DT_VARIANT). */
HS_EXTERN size_t hs_dtype_size(int dtype);

struct hs_value_list;

/** A tensor value (hs_value, as calls.h's hs_tensor names a tensor of a
 * graph, not its contents): C order (row-major), host byte order.
 * Tensors are reference counted: one the evaluator hands out may be shared
 * with others (Identity shares its input), so treat a tensor someone gave
 * you as read-only, and write only into one you made with hs_value_new.
 * A tensor belongs to one thread at a time. */
typedef struct hs_value {
	int dtype;                         /* hs_dtype */
	size_t rank;                       /* 0: a scalar */
	int64_t dims[HS_TENSOR_MAX_RANK];  /* each >= 0 */
	uint64_t elements;                 /* product of dims (1 for a scalar) */
	void *data;                        /* elements x hs_dtype_size bytes,
					      aligned for any element type;
					      NULL when elements is 0 or the
					      tensor is a list */
	/* Private to the library. */
	unsigned int refs;
	struct hs_value_list *list;       /* HS_DT_VARIANT */
	struct hs_value *base;            /* a view: owns data (Reshape) */
} hs_value;

/** Makes a zero-filled dense tensor of `dtype` and shape dims[0..rank)
 * (dims may be NULL when rank is 0), owned by the caller (hs_value_free).
 * HS_EINVAL for an unknown dtype, a rank above HS_TENSOR_MAX_RANK or a
 * negative dimension; HS_ELIMIT when the byte size overflows or exceeds
 * 2^40; HS_ENOMEM. */
HS_EXTERN int hs_value_new(hs_value **out, int dtype, size_t rank,
			    const int64_t *dims);
/** A new reference to t (the same tensor); release it with hs_value_free. */
HS_EXTERN hs_value *hs_value_ref(const hs_value *t);
/** Releases a reference; the last one frees the tensor.  NULL is fine. */
HS_EXTERN void hs_value_free(hs_value *t);
/** Bytes of t's elements (elements x hs_dtype_size). */
HS_EXTERN size_t hs_value_size(const hs_value *t);
/** Writes "[2,3]" ("[]" for a scalar) into buf (always terminated);
 * returns buf.  For messages. */
HS_EXTERN char *hs_shape_text(char *buf, size_t size, size_t rank,
			      const int64_t *dims);

/* -------------------------------------------------------------- evaluator */

typedef struct hs_eval hs_eval;

/** A kernel for an op the evaluator has none for (a plugin's fused op):
 * `in` holds the node's data inputs in order (control inputs are not
 * evaluated), `out` receives n_out new tensors (hs_value_new), n_out being
 * 1 + the highest output port anyone reads (at least 1).  Return 0, or
 * HS_ENOTFOUND without a message when the hook has no kernel for this op
 * (the evaluator then reports "no kernel for op X (node Y)"), or another
 * error with hs_fail's message (the evaluator prefixes the node).  Outputs
 * set before a failure are freed by the evaluator. */
typedef int (*hs_eval_kernel_fn)(void *user, const hs_node *n,
				 const hs_value *const *in, size_t n_in,
				 hs_value **out, size_t n_out);

/** Runs the evaluator's built-in kernel of `op` on in[0..n_in) as if node
 * n (whose attributes it reads) had that op, storing n_out new values in
 * out (the caller's): for a kernel hook whose fused op is made of built-in
 * ones (a plugin's `evaluate`, through hs_plugin_eval.builtin).  Runs
 * outside any evaluator: a 4 GiB bound on what the kernel allocates, and
 * no function calls (While is refused).  HS_ENOTFOUND, with a message,
 * when there is no kernel for op; a kernel's failure is prefixed "OP: ".
 * On failure every out[i] is NULL. */
HS_EXTERN int hs_eval_builtin(const char *op, const hs_node *n,
			      const hs_value *const *in, size_t n_in,
			      hs_value **out, size_t n_out);

#define HS_EVAL_OPTIONS_VERSION 1
/** 0 in a field means the default. */
typedef struct hs_eval_options {
	unsigned int version;         /* HS_EVAL_OPTIONS_VERSION */
	uint64_t max_memory;          /* bytes of tensors alive at once in a
					 run; default 4 GiB, or half of the
					 physical memory when less */
	uint64_t max_loop_iterations; /* of all While loops of one run
					 together (nested loops multiply);
					 default 1,000,000 */
	hs_eval_kernel_fn kernel;     /* ops without a built-in kernel */
	void *kernel_user;            /* the hook's first argument */
	uint32_t reserved[8];
} hs_eval_options;
#define HS_EVAL_OPTIONS_INIT { HS_EVAL_OPTIONS_VERSION, 0, 0, 0, 0, { 0 } }
/** The function form of HS_EVAL_OPTIONS_INIT. */
HS_EXTERN int hs_eval_options_init(hs_eval_options *opts, unsigned int version);

/** Makes an evaluator of g, which it borrows (g must outlive it and not be
 * edited meanwhile).  opts may be NULL.  Owned by the caller
 * (hs_eval_free). */
HS_EXTERN int hs_eval_new(hs_eval **out, const hs_graph *g,
			  const hs_eval_options *opts);
HS_EXTERN void hs_eval_free(hs_eval *ev);

/** Feeds tensor `name` ("node" or "node:port") with t: every run reads t
 * instead of computing that output (a Placeholder's value, or any node's
 * output overridden).  t comes from hs_value_new (or an evaluator): the
 * evaluator keeps a reference to it (do not write into it afterwards);
 * feeding the same name again replaces it.  HS_EINVAL for a value whose
 * elements do not match its dims.
 * HS_ENOTFOUND when no such node, HS_EINVAL for a malformed name. */
HS_EXTERN int hs_eval_set_input(hs_eval *ev, const char *name,
				const hs_value *t);
/** Forgets every fed tensor. */
HS_EXTERN void hs_eval_clear_inputs(hs_eval *ev);

/** Computes the tensors fetches[0..n) ("node" or "node:port"), evaluating
 * only the nodes they depend on (each once), and stores them in
 * outs[0..n), owned by the caller (hs_value_free each).  Intermediate
 * values are freed as soon as nothing still needs them.  On failure every
 * outs[i] is NULL and hs_error_last() names the op and node at fault:
 * "node 'y' (MatMul): ..." or "no kernel for op Foo (node 'y')". */
HS_EXTERN int hs_eval_run(hs_value **outs, hs_eval *ev,
			  const char *const *fetches, size_t n);

/** A Placeholder of a graph, for making inputs. */
typedef struct hs_placeholder {
	const hs_node *node;      /* borrowed from the graph */
	int dtype;                /* its `dtype` attribute (0 when absent) */
	int rank;                 /* -1: unknown rank */
	int64_t dims[HS_TENSOR_MAX_RANK]; /* -1: unknown dimension */
	int has_default;          /* PlaceholderWithDefault */
} hs_placeholder;

/** Lists g's Placeholders and PlaceholderWithDefaults in graph order into a
 * new array owned by the caller (hs_free); *count gets their number (the
 * array may be NULL when 0). */
HS_EXTERN int hs_eval_placeholders(hs_placeholder **out, size_t *count,
				   const hs_graph *g);

#ifdef __cplusplus
}
#endif

#endif /* HINTSTUB_EVAL_H */
