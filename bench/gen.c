/* Synthetic OpHint graphs, streamed one NodeDef at a time.
 *
 * Each node is assembled in a scratch area (protobuf-c structs pointing into
 * a bump arena), encoded with protobuf-c and written as GraphDef field 1.
 * Names that later nodes read are copied into small fixed buffers by the
 * builders; nothing else survives a node. */
#include <config.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/graph/graph.pb-c.h"
#include "core/util/wire.h"
#include "gen.h"

#define MAX_ATTRS 16
#define MAX_INPUTS 256
#define MAX_DIMS 8
#define MAX_LISTS 4
/* One node's scratch: the largest is a 1024 x 1024 float weight (4 MiB). */
#define ARENA_SIZE (5u << 20)
#define NAME_MAX_LEN 512

enum { DT_FLOAT = 1, DT_INT32 = 3 };

/* ------------------------------------------------------------------ rng */

/* splitmix64: tiny, good enough, identical everywhere. */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* ----------------------------------------------------------- the writer */

typedef struct gen {
	FILE *out;
	uint64_t rng;
	int failed;
	char *err;
	size_t errlen;
	gen_stats stats;

	/* the node being built */
	Tensorflow__NodeDef def;
	char *inputs[MAX_INPUTS];
	Tensorflow__NodeDef__AttrEntry entries[MAX_ATTRS];
	Tensorflow__NodeDef__AttrEntry *entry_ptrs[MAX_ATTRS];
	Tensorflow__AttrValue values[MAX_ATTRS];
	Tensorflow__AttrValue__ListValue lists[MAX_LISTS];
	size_t n_lists;
	Tensorflow__TensorProto tensor;
	Tensorflow__TensorShapeProto shapes[2];
	size_t n_shapes;
	Tensorflow__TensorShapeProto__Dim dims[MAX_DIMS];
	Tensorflow__TensorShapeProto__Dim *dim_ptrs[MAX_DIMS];
	size_t n_dims;
	uint8_t *arena;
	size_t arena_used;

	uint8_t *packed;
	size_t packed_cap;
} gen;

static void gen_fail(gen *g, const char *fmt, ...)
{
	if (g->failed)
		return;
	g->failed = 1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(g->err, g->errlen, fmt, ap);
	va_end(ap);
}

static void *arena_alloc(gen *g, size_t size)
{
	size_t at = (g->arena_used + 7) & ~(size_t)7;
	if (at + size > ARENA_SIZE) {
		gen_fail(g, "node too large for the generator's arena");
		at = 0; /* keep going harmlessly; the run has failed */
	}
	g->arena_used = at + size;
	return g->arena + at;
}

static char *arena_vprintf(gen *g, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	char *s = arena_alloc(g, (size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static char *arena_printf(gen *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static char *arena_printf(gen *g, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(g, fmt, ap);
	va_end(ap);
	return s;
}

static char *arena_strdup(gen *g, const char *text)
{
	size_t n = strlen(text);
	char *s = arena_alloc(g, n + 1);
	memcpy(s, text, n + 1);
	return s;
}

static void node_begin(gen *g, const char *op, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void node_begin(gen *g, const char *op, const char *fmt, ...)
{
	tensorflow__node_def__init(&g->def);
	g->def.input = g->inputs;
	g->def.attr = g->entry_ptrs;
	g->n_lists = g->n_shapes = g->n_dims = 0;
	g->arena_used = 0;
	va_list ap;
	va_start(ap, fmt);
	g->def.name = arena_vprintf(g, fmt, ap);
	va_end(ap);
	g->def.op = arena_strdup(g, op);
}

/* Name of the node being built; valid until the next node_begin. */
static const char *node_name(const gen *g)
{
	return g->def.name;
}

static void node_input(gen *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void node_input(gen *g, const char *fmt, ...)
{
	if (g->def.n_input == MAX_INPUTS) {
		gen_fail(g, "too many inputs on %s", g->def.name);
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	g->inputs[g->def.n_input++] = arena_vprintf(g, fmt, ap);
	va_end(ap);
}

static Tensorflow__AttrValue *attr_add(gen *g, const char *key)
{
	size_t i = g->def.n_attr;
	if (i == MAX_ATTRS) {
		gen_fail(g, "too many attributes on %s", g->def.name);
		i = MAX_ATTRS - 1;
	} else {
		g->def.n_attr++;
	}
	tensorflow__node_def__attr_entry__init(&g->entries[i]);
	tensorflow__attr_value__init(&g->values[i]);
	g->entries[i].key = (char *)key;
	g->entries[i].value = &g->values[i];
	g->entry_ptrs[i] = &g->entries[i];
	return &g->values[i];
}

static void attr_type(gen *g, const char *key, int dtype)
{
	Tensorflow__AttrValue *v = attr_add(g, key);
	v->value_case = TENSORFLOW__ATTR_VALUE__VALUE_TYPE;
	v->type = (Tensorflow__DataType)dtype;
}

static void attr_i(gen *g, const char *key, int64_t i)
{
	Tensorflow__AttrValue *v = attr_add(g, key);
	v->value_case = TENSORFLOW__ATTR_VALUE__VALUE_I;
	v->i = i;
}

static void attr_b(gen *g, const char *key, int b)
{
	Tensorflow__AttrValue *v = attr_add(g, key);
	v->value_case = TENSORFLOW__ATTR_VALUE__VALUE_B;
	v->b = b != 0;
}

static void attr_s(gen *g, const char *key, const char *text)
{
	Tensorflow__AttrValue *v = attr_add(g, key);
	v->value_case = TENSORFLOW__ATTR_VALUE__VALUE_S;
	v->s.data = (uint8_t *)arena_strdup(g, text);
	v->s.len = strlen(text);
}

static Tensorflow__AttrValue__ListValue *attr_list(gen *g, const char *key)
{
	Tensorflow__AttrValue *v = attr_add(g, key);
	if (g->n_lists == MAX_LISTS) {
		gen_fail(g, "too many list attributes on %s", g->def.name);
		g->n_lists--;
	}
	Tensorflow__AttrValue__ListValue *l = &g->lists[g->n_lists++];
	tensorflow__attr_value__list_value__init(l);
	v->value_case = TENSORFLOW__ATTR_VALUE__VALUE_LIST;
	v->list = l;
	return l;
}

static void attr_list_i(gen *g, const char *key, size_t n, const int64_t *vals)
{
	Tensorflow__AttrValue__ListValue *l = attr_list(g, key);
	l->n_i = n;
	l->i = arena_alloc(g, n * sizeof *l->i + 1);
	if (n) /* vals may be NULL for an empty list: memcpy must not see it */
		memcpy(l->i, vals, n * sizeof *l->i);
}

/* `_class: [loc:@node]`, the colocation entry TF puts on variable reads. */
static void attr_colocate(gen *g, const char *with)
{
	Tensorflow__AttrValue__ListValue *l = attr_list(g, "_class");
	char *text = arena_printf(g, "loc:@%s", with);
	l->n_s = 1;
	l->s = arena_alloc(g, sizeof *l->s);
	l->s[0].data = (uint8_t *)text;
	l->s[0].len = strlen(text);
}

static Tensorflow__TensorShapeProto *make_shape(gen *g, size_t ndims,
						const int64_t *dims)
{
	if (g->n_shapes == 2 || g->n_dims + ndims > MAX_DIMS) {
		gen_fail(g, "too many shapes on %s", g->def.name);
		g->n_shapes = 0;
		g->n_dims = 0;
	}
	Tensorflow__TensorShapeProto *s = &g->shapes[g->n_shapes++];
	tensorflow__tensor_shape_proto__init(s);
	s->n_dim = ndims;
	s->dim = &g->dim_ptrs[g->n_dims];
	for (size_t i = 0; i < ndims; i++) {
		Tensorflow__TensorShapeProto__Dim *d = &g->dims[g->n_dims];
		tensorflow__tensor_shape_proto__dim__init(d);
		d->size = dims[i];
		g->dim_ptrs[g->n_dims++] = d;
	}
	return s;
}

static void attr_shape(gen *g, const char *key, size_t ndims, const int64_t *dims)
{
	Tensorflow__AttrValue *v = attr_add(g, key);
	v->value_case = TENSORFLOW__ATTR_VALUE__VALUE_SHAPE;
	v->shape = make_shape(g, ndims, dims);
}

static Tensorflow__TensorProto *attr_tensor(gen *g, int dtype, size_t ndims,
					    const int64_t *dims)
{
	Tensorflow__AttrValue *v = attr_add(g, "value");
	tensorflow__tensor_proto__init(&g->tensor);
	g->tensor.dtype = (Tensorflow__DataType)dtype;
	g->tensor.tensor_shape = make_shape(g, ndims, dims);
	v->value_case = TENSORFLOW__ATTR_VALUE__VALUE_TENSOR;
	v->tensor = &g->tensor;
	return &g->tensor;
}

/* A float Const of the given shape with random values in [-1, 1), stored
 * as tensor_content (little-endian), as TF does for more than one value. */
static void const_random(gen *g, size_t ndims, const int64_t *dims)
{
	attr_type(g, "dtype", DT_FLOAT);
	Tensorflow__TensorProto *t = attr_tensor(g, DT_FLOAT, ndims, dims);
	size_t count = 1;
	for (size_t i = 0; i < ndims; i++)
		count *= (size_t)dims[i];
	uint8_t *p = arena_alloc(g, count * 4 + 1);
	for (size_t i = 0; i < count; i++) {
		float f = (float)(rng_next(&g->rng) >> 40) / (float)(1u << 23) - 1.0f;
		uint32_t u;
		memcpy(&u, &f, 4);
		p[4 * i] = (uint8_t)u;
		p[4 * i + 1] = (uint8_t)(u >> 8);
		p[4 * i + 2] = (uint8_t)(u >> 16);
		p[4 * i + 3] = (uint8_t)(u >> 24);
	}
	t->tensor_content.data = p;
	t->tensor_content.len = count * 4;
}

/* An int32 Const: a scalar (ndims 0) or a one-element vector. */
static void const_int(gen *g, int vector, int32_t value)
{
	int64_t one = 1;
	attr_type(g, "dtype", DT_INT32);
	Tensorflow__TensorProto *t = attr_tensor(g, DT_INT32, vector ? 1 : 0, &one);
	t->n_int_val = 1;
	t->int_val = arena_alloc(g, sizeof *t->int_val);
	t->int_val[0] = value;
}

static void const_float_scalar(gen *g, float value)
{
	attr_type(g, "dtype", DT_FLOAT);
	Tensorflow__TensorProto *t = attr_tensor(g, DT_FLOAT, 0, NULL);
	t->n_float_val = 1;
	t->float_val = arena_alloc(g, sizeof *t->float_val);
	t->float_val[0] = value;
}

static int entry_cmp(const void *a, const void *b)
{
	const Tensorflow__NodeDef__AttrEntry *x = *(Tensorflow__NodeDef__AttrEntry *const *)a;
	const Tensorflow__NodeDef__AttrEntry *y = *(Tensorflow__NodeDef__AttrEntry *const *)b;
	return strcmp(x->key, y->key);
}

static void write_bytes(gen *g, const void *p, size_t len)
{
	if (g->failed)
		return;
	if (fwrite(p, 1, len, g->out) != len)
		gen_fail(g, "write failed");
	g->stats.bytes += len;
}

/* Encodes the node being built (attributes sorted by key, as TF writes
 * them) and writes it as one GraphDef.node field. */
static void node_end(gen *g)
{
	if (g->failed)
		return;
	qsort(g->entry_ptrs, g->def.n_attr, sizeof *g->entry_ptrs, entry_cmp);
	size_t len = tensorflow__node_def__get_packed_size(&g->def);
	if (len > g->packed_cap) {
		free(g->packed);
		g->packed_cap = len * 2;
		g->packed = malloc(g->packed_cap);
		if (!g->packed) {
			g->packed_cap = 0;
			gen_fail(g, "out of memory");
			return;
		}
	}
	tensorflow__node_def__pack(&g->def, g->packed);
	uint8_t head[1 + HS_VARINT_MAX];
	head[0] = 0x0a; /* field 1 (node), length-delimited */
	size_t n = 1 + hs_varint_encode(head + 1, len);
	write_bytes(g, head, n);
	write_bytes(g, g->packed, len);
	g->stats.nodes++;
}

static void copy_name(char *dst, const char *src)
{
	snprintf(dst, NAME_MAX_LEN, "%s", src);
}

/* ------------------------------------------------------------- hints */

typedef struct hint_call {
	const char *function;
	char uuid[33];
} hint_call;

/* uuid1().hex look-alike: 32 lowercase hex digits from the seed. */
static void call_init(gen *g, hint_call *c, const char *function)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t a = rng_next(&g->rng), b = rng_next(&g->rng);
	for (int i = 0; i < 16; i++) {
		c->uuid[i] = hex[(a >> (60 - 4 * i)) & 15];
		c->uuid[16 + i] = hex[(b >> (60 - 4 * i)) & 15];
	}
	c->uuid[32] = 0;
	c->function = function;
	g->stats.calls++;
}

/* One hint Identity `<scope>/<Input|Output>Hint-<fn>-<uuid>-<index>-<sort|
 * None>-<arg>` reading `input`.  sort < 0: untagged.  Its name is copied to
 * name_out (may be NULL). */
static void hint_node(gen *g, const hint_call *c, const char *scope,
		      int is_input, int64_t index, int64_t sort,
		      const char *aggregate, const char *arg, const char *input,
		      char *name_out)
{
	char sort_text[24];
	if (sort < 0)
		snprintf(sort_text, sizeof sort_text, "None");
	else
		snprintf(sort_text, sizeof sort_text, "%lld", (long long)sort);
	node_begin(g, "Identity", "%s/%sHint-%s-%s-%lld-%s-%s", scope,
		   is_input ? "Input" : "Output", c->function, c->uuid,
		   (long long)index, sort_text, arg);
	node_input(g, "%s", input);
	attr_type(g, "T", DT_FLOAT);
	attr_s(g, "_tflite_function_name", c->function);
	attr_s(g, "_tflite_function_uuid", c->uuid);
	attr_i(g, is_input ? "_tflite_function_input_index"
			   : "_tflite_function_output_index", index);
	if (sort >= 0) {
		attr_i(g, "_tflite_function_sort_index", sort);
		attr_s(g, "_tflite_function_aggregate", aggregate);
	}
	attr_i(g, "_tflite_ophint_level", 1);
	if (name_out)
		copy_name(name_out, node_name(g));
	node_end(g);
	if (is_input)
		g->stats.input_hints++;
	else
		g->stats.output_hints++;
}

/* --------------------------------------------------------- common ops */

static void op_unary(gen *g, const char *op, const char *name, const char *x,
		     char *name_out)
{
	node_begin(g, op, "%s", name);
	node_input(g, "%s", x);
	attr_type(g, "T", DT_FLOAT);
	if (name_out)
		copy_name(name_out, node_name(g));
	node_end(g);
}

static void op_binary(gen *g, const char *op, const char *name, const char *x,
		      const char *y, char *name_out)
{
	node_begin(g, op, "%s", name);
	node_input(g, "%s", x);
	node_input(g, "%s", y);
	attr_type(g, "T", DT_FLOAT);
	if (name_out)
		copy_name(name_out, node_name(g));
	node_end(g);
}

static void op_matmul(gen *g, const char *name, const char *a, const char *b,
		      char *name_out)
{
	node_begin(g, "MatMul", "%s", name);
	node_input(g, "%s", a);
	node_input(g, "%s", b);
	attr_type(g, "T", DT_FLOAT);
	attr_b(g, "transpose_a", 0);
	attr_b(g, "transpose_b", 1);
	copy_name(name_out, node_name(g));
	node_end(g);
}

static void op_bias_add(gen *g, const char *name, const char *x,
			const char *bias, char *name_out)
{
	node_begin(g, "BiasAdd", "%s", name);
	node_input(g, "%s", x);
	node_input(g, "%s", bias);
	attr_type(g, "T", DT_FLOAT);
	attr_s(g, "data_format", "NHWC");
	copy_name(name_out, node_name(g));
	node_end(g);
}

/* `<name>/axis` Const and the ConcatV2 of a and b on axis 1. */
static void op_concat(gen *g, const char *name, const char *a, const char *b,
		      char *name_out)
{
	node_begin(g, "Const", "%s/axis", name);
	const_int(g, 0, 1);
	node_end(g);
	node_begin(g, "ConcatV2", "%s", name);
	node_input(g, "%s", a);
	node_input(g, "%s", b);
	node_input(g, "%s/axis", name);
	attr_i(g, "N", 2);
	attr_type(g, "T", DT_FLOAT);
	attr_type(g, "Tidx", DT_INT32);
	copy_name(name_out, node_name(g));
	node_end(g);
}

/* TF's op naming inside one scope: `MatMul`, `MatMul_1`, ... */
typedef struct scope_names {
	char scope[NAME_MAX_LEN];
	unsigned concat, matmul, bias_add, mul, add, sigmoid, tanh;
	char buf[NAME_MAX_LEN];
} scope_names;

static void scope_reset(scope_names *s, const char *scope)
{
	memset(s, 0, sizeof *s);
	copy_name(s->scope, scope);
}

static const char *scope_next(scope_names *s, const char *base, unsigned *counter)
{
	if (*counter == 0)
		snprintf(s->buf, sizeof s->buf, "%s/%s", s->scope, base);
	else
		snprintf(s->buf, sizeof s->buf, "%s/%s_%u", s->scope, base, *counter);
	(*counter)++;
	return s->buf;
}

/* A variable as frozen by TF: Const, its ReadVariableOp Identity (colocated
 * with the Const), the Read/Identity, then the input hint reading it. */
static void hinted_weight(gen *g, const hint_call *c, const char *var_scope,
			  const char *hint_scope, int64_t index, const char *arg,
			  size_t ndims, const int64_t *dims, char *hint_out)
{
	char var[NAME_MAX_LEN];
	node_begin(g, "Const", "%s/%s", var_scope, arg);
	const_random(g, ndims, dims);
	copy_name(var, node_name(g));
	node_end(g);

	node_begin(g, "Identity", "%s/Read/ReadVariableOp", var);
	node_input(g, "%s", var);
	attr_type(g, "T", DT_FLOAT);
	attr_colocate(g, var);
	node_end(g);

	node_begin(g, "Identity", "%s/Read/Identity", var);
	node_input(g, "%s/Read/ReadVariableOp", var);
	attr_type(g, "T", DT_FLOAT);
	node_end(g);

	char read[NAME_MAX_LEN];
	snprintf(read, sizeof read, "%s/Read/Identity", var);
	hint_node(g, c, hint_scope, 1, index, -1, NULL, arg, read, hint_out);
}

/* ---------------------------------------------------------- rnn stacks */

/* INPUT [-1, steps, depth], `unstack` along axis 1, and the batch size
 * `rnn/strided_slice` (shape of unstack, element 0) the zero states use. */
static void rnn_prologue(gen *g, const gen_options *o)
{
	int64_t shape[3] = { -1, o->steps, o->input_depth };
	node_begin(g, "Placeholder", "INPUT");
	attr_type(g, "dtype", DT_FLOAT);
	attr_shape(g, "shape", 3, shape);
	node_end(g);

	node_begin(g, "Unpack", "unstack");
	node_input(g, "INPUT");
	attr_type(g, "T", DT_FLOAT);
	attr_i(g, "axis", 1);
	attr_i(g, "num", o->steps);
	node_end(g);

	node_begin(g, "Shape", "rnn/Shape");
	node_input(g, "unstack");
	attr_type(g, "T", DT_FLOAT);
	attr_type(g, "out_type", DT_INT32);
	node_end(g);
	static const char *const stacks[3] = { "stack", "stack_1", "stack_2" };
	static const int32_t stack_values[3] = { 0, 1, 1 };
	for (int i = 0; i < 3; i++) {
		node_begin(g, "Const", "rnn/strided_slice/%s", stacks[i]);
		const_int(g, 1, stack_values[i]);
		node_end(g);
	}
	node_begin(g, "StridedSlice", "rnn/strided_slice");
	node_input(g, "rnn/Shape");
	for (int i = 0; i < 3; i++)
		node_input(g, "rnn/strided_slice/%s", stacks[i]);
	attr_type(g, "Index", DT_INT32);
	attr_type(g, "T", DT_INT32);
	attr_i(g, "begin_mask", 0);
	attr_i(g, "ellipsis_mask", 0);
	attr_i(g, "end_mask", 0);
	attr_i(g, "new_axis_mask", 0);
	attr_i(g, "shrink_axis_mask", 1);
	node_end(g);
}

/* zeros([batch, width]) as TF's zero_state builds it: ExpandDims of the
 * batch size, concat with the width, Fill. */
static void zero_state(gen *g, const char *scope, const char *suffix,
		       const char *concat_name, const char *zeros_name,
		       unsigned width, char *name_out)
{
	node_begin(g, "Const", "%s/ExpandDims%s/dim", scope, suffix);
	const_int(g, 0, 0);
	node_end(g);
	node_begin(g, "ExpandDims", "%s/ExpandDims%s", scope, suffix);
	node_input(g, "rnn/strided_slice");
	node_input(g, "%s/ExpandDims%s/dim", scope, suffix);
	attr_type(g, "T", DT_INT32);
	attr_type(g, "Tdim", DT_INT32);
	node_end(g);
	node_begin(g, "Const", "%s/Const%s", scope, suffix);
	const_int(g, 1, (int32_t)width);
	node_end(g);
	node_begin(g, "Const", "%s/%s/axis", scope, concat_name);
	const_int(g, 0, 0);
	node_end(g);
	node_begin(g, "ConcatV2", "%s/%s", scope, concat_name);
	node_input(g, "%s/ExpandDims%s", scope, suffix);
	node_input(g, "%s/Const%s", scope, suffix);
	node_input(g, "%s/%s/axis", scope, concat_name);
	attr_i(g, "N", 2);
	attr_type(g, "T", DT_INT32);
	attr_type(g, "Tidx", DT_INT32);
	node_end(g);
	node_begin(g, "Const", "%s/%s/Const", scope, zeros_name);
	const_float_scalar(g, 0.0f);
	node_end(g);
	node_begin(g, "Fill", "%s/%s", scope, zeros_name);
	node_input(g, "%s/%s", scope, concat_name);
	node_input(g, "%s/%s/Const", scope, zeros_name);
	attr_type(g, "T", DT_FLOAT);
	attr_type(g, "index_type", DT_INT32);
	copy_name(name_out, node_name(g));
	node_end(g);
}

static void step_scope(char *out, unsigned t)
{
	if (t == 0)
		snprintf(out, NAME_MAX_LEN, "rnn/stacked_rnn_cells");
	else
		snprintf(out, NAME_MAX_LEN, "rnn/stacked_rnn_cells_%u", t);
}

/* The user's `stack(outputs, axis=1)` and `OUTPUT` identity. */
static void rnn_epilogue(gen *g, const gen_options *o, char (*outputs)[NAME_MAX_LEN])
{
	node_begin(g, "Pack", "stack");
	for (unsigned t = 0; t < o->steps && t < MAX_INPUTS; t++)
		node_input(g, "%s", outputs[t]);
	attr_i(g, "N", o->steps);
	attr_type(g, "T", DT_FLOAT);
	attr_i(g, "axis", 1);
	node_end(g);
	op_unary(g, "Identity", "OUTPUT", "stack", NULL);
}

/* Weights hinted once per layer (in `build`), in TF's order. */
enum { LSTM_WEIGHTS = 16 };
static const struct lstm_weight {
	int index;
	const char *arg;
	int kind; /* 0 input_to (in), 1 cell_to (out), 2 vector, 3 peephole, 4 proj */
} lstm_weights[LSTM_WEIGHTS] = {
	{ 1, "input_to_input_w", 0 },  { 2, "input_to_forget_w", 0 },
	{ 3, "input_to_cell_w", 0 },   { 4, "input_to_output_w", 0 },
	{ 5, "cell_to_input_w", 1 },   { 6, "cell_to_forget_w", 1 },
	{ 7, "cell_to_cell_w", 1 },    { 8, "cell_to_output_w", 1 },
	{ 12, "input_bias", 2 },       { 13, "forget_bias", 2 },
	{ 14, "cell_bias", 2 },        { 15, "output_bias", 2 },
	{ 10, "w_f_diag", 3 },         { 9, "w_i_diag", 3 },
	{ 11, "w_o_diag", 3 },         { 16, "projection/kernel", 4 },
};

typedef struct lstm_layer {
	hint_call call;
	char w[24][NAME_MAX_LEN]; /* hint identity of weight input i */
	char c_prev[NAME_MAX_LEN];
	char m_prev[NAME_MAX_LEN];
	char m_out[NAME_MAX_LEN]; /* this step's m output hint */
} lstm_layer;

/* gate = gate + F, F a scalar Const inside the region: how early
 * TFLiteLSTMCell versions applied forget_bias, which the fused op drops. */
static void forget_bias_add(gen *g, scope_names *sn, float bias, char *gate)
{
	char name[NAME_MAX_LEN], y[NAME_MAX_LEN], x[NAME_MAX_LEN];
	copy_name(name, scope_next(sn, "add", &sn->add));
	copy_name(x, gate);
	node_begin(g, "Const", "%s/y", name);
	const_float_scalar(g, bias);
	copy_name(y, node_name(g));
	node_end(g);
	op_binary(g, "Add", name, x, y, gate);
}

/* One TFLiteLSTMCell call at one time step. */
static void lstm_cell(gen *g, const gen_options *o, lstm_layer *L, unsigned t,
		      scope_names *sn, const char *x)
{
	char x_hint[NAME_MAX_LEN], c_hint[NAME_MAX_LEN], m_hint[NAME_MAX_LEN];
	hint_node(g, &L->call, sn->scope, 1, 0, t, "stack", "input", x, x_hint);
	hint_node(g, &L->call, sn->scope, 1, 19, t, "first", "c_prev", L->c_prev, c_hint);
	hint_node(g, &L->call, sn->scope, 1, 18, t, "first", "m_prev", L->m_prev, m_hint);

	char xm[NAME_MAX_LEN], gate[4][NAME_MAX_LEN], tmp[NAME_MAX_LEN], name[NAME_MAX_LEN];
	op_concat(g, scope_next(sn, "concat", &sn->concat), x_hint, m_hint, xm);
	for (int k = 0; k < 4; k++) {
		char wcat[NAME_MAX_LEN], mm[NAME_MAX_LEN];
		copy_name(name, scope_next(sn, "concat", &sn->concat));
		op_concat(g, name, L->w[1 + k], L->w[5 + k], wcat);
		op_matmul(g, scope_next(sn, "MatMul", &sn->matmul), xm, wcat, mm);
		op_bias_add(g, scope_next(sn, "BiasAdd", &sn->bias_add), mm,
			    L->w[12 + k], gate[k]);
	}
	/* gate[0] input, [1] forget, [2] cell, [3] output */
	char f[NAME_MAX_LEN], i[NAME_MAX_LEN], fc[NAME_MAX_LEN], ic[NAME_MAX_LEN];
	char c[NAME_MAX_LEN], og[NAME_MAX_LEN], m[NAME_MAX_LEN], th[NAME_MAX_LEN];
	if (o->forget_bias_in_region)
		forget_bias_add(g, sn, o->forget_bias, gate[1]);
	if (o->peephole) {
		op_binary(g, "Mul", scope_next(sn, "mul", &sn->mul), L->w[10], c_hint, tmp);
		copy_name(name, scope_next(sn, "add", &sn->add));
		op_binary(g, "Add", name, gate[1], tmp, tmp);
		op_unary(g, "Sigmoid", scope_next(sn, "Sigmoid", &sn->sigmoid), tmp, f);
		op_binary(g, "Mul", scope_next(sn, "mul", &sn->mul), f, c_hint, fc);
		op_binary(g, "Mul", scope_next(sn, "mul", &sn->mul), L->w[9], c_hint, tmp);
		copy_name(name, scope_next(sn, "add", &sn->add));
		op_binary(g, "Add", name, gate[0], tmp, tmp);
		op_unary(g, "Sigmoid", scope_next(sn, "Sigmoid", &sn->sigmoid), tmp, i);
	} else {
		op_unary(g, "Sigmoid", scope_next(sn, "Sigmoid", &sn->sigmoid), gate[1], f);
		op_binary(g, "Mul", scope_next(sn, "mul", &sn->mul), f, c_hint, fc);
		op_unary(g, "Sigmoid", scope_next(sn, "Sigmoid", &sn->sigmoid), gate[0], i);
	}
	op_unary(g, "Tanh", scope_next(sn, "Tanh", &sn->tanh), gate[2], th);
	op_binary(g, "Mul", scope_next(sn, "mul", &sn->mul), i, th, ic);
	op_binary(g, "Add", scope_next(sn, "add", &sn->add), fc, ic, c);
	if (o->peephole) {
		op_binary(g, "Mul", scope_next(sn, "mul", &sn->mul), L->w[11], c, tmp);
		copy_name(name, scope_next(sn, "add", &sn->add));
		op_binary(g, "Add", name, gate[3], tmp, tmp);
		op_unary(g, "Sigmoid", scope_next(sn, "Sigmoid", &sn->sigmoid), tmp, og);
	} else {
		op_unary(g, "Sigmoid", scope_next(sn, "Sigmoid", &sn->sigmoid), gate[3], og);
	}
	op_unary(g, "Tanh", scope_next(sn, "Tanh", &sn->tanh), c, th);
	op_binary(g, "Mul", scope_next(sn, "mul", &sn->mul), og, th, m);
	if (o->num_proj) {
		copy_name(name, scope_next(sn, "MatMul", &sn->matmul));
		op_matmul(g, name, m, L->w[16], m);
	}
	hint_node(g, &L->call, sn->scope, 0, 1, t, "last", "c", c, L->c_prev);
	hint_node(g, &L->call, sn->scope, 0, 2, t, "stack", "m", m, L->m_out);
	copy_name(L->m_prev, L->m_out);
}

static void gen_lstm(gen *g, const gen_options *o)
{
	unsigned out_size = o->num_proj ? o->num_proj : o->units;
	lstm_layer *layers = calloc(o->layers, sizeof *layers);
	char (*outputs)[NAME_MAX_LEN] = calloc(o->steps, NAME_MAX_LEN);
	if (!layers || !outputs) {
		gen_fail(g, "out of memory");
		goto done;
	}
	rnn_prologue(g, o);
	for (unsigned l = 0; l < o->layers; l++) {
		char scope[NAME_MAX_LEN];
		if (l == 0)
			snprintf(scope, sizeof scope, "rnn/TFLiteLSTMCellZeroState");
		else
			snprintf(scope, sizeof scope, "rnn/TFLiteLSTMCellZeroState_%u", l);
		zero_state(g, scope, "", "concat", "zeros", o->units, layers[l].c_prev);
		zero_state(g, scope, "_2", "concat_1", "zeros_1", out_size, layers[l].m_prev);
	}
	for (unsigned l = 0; l < o->layers; l++) {
		lstm_layer *L = &layers[l];
		char var_scope[NAME_MAX_LEN];
		snprintf(var_scope, sizeof var_scope, "rnn/rnn%u", l + 1);
		call_init(g, &L->call, "UnidirectionalSequenceLstm");
		int64_t in_depth = l == 0 ? o->input_depth : out_size;
		for (int k = 0; k < LSTM_WEIGHTS; k++) {
			const struct lstm_weight *w = &lstm_weights[k];
			int64_t dims[2];
			size_t nd = 2;
			switch (w->kind) {
			case 0: dims[0] = o->units; dims[1] = in_depth; break;
			case 1: dims[0] = o->units; dims[1] = out_size; break;
			case 3: if (!o->peephole) continue;
				/* fall through */
			case 2: dims[0] = o->units; nd = 1; break;
			default: if (!o->num_proj) continue;
				dims[0] = o->num_proj; dims[1] = o->units; break;
			}
			hinted_weight(g, &L->call, var_scope, "rnn/stacked_rnn_cells",
				      w->index, w->arg, nd, dims, L->w[w->index]);
		}
	}
	for (unsigned t = 0; t < o->steps; t++) {
		scope_names sn;
		char scope[NAME_MAX_LEN], x[NAME_MAX_LEN];
		step_scope(scope, t);
		scope_reset(&sn, scope);
		if (t == 0)
			snprintf(x, sizeof x, "unstack");
		else
			snprintf(x, sizeof x, "unstack:%u", t);
		for (unsigned l = 0; l < o->layers; l++) {
			lstm_cell(g, o, &layers[l], t, &sn, x);
			copy_name(x, layers[l].m_out);
		}
		copy_name(outputs[t], x);
	}
	rnn_epilogue(g, o, outputs);
done:
	free(layers);
	free(outputs);
}

typedef struct rnn_layer {
	hint_call call;
	char w[4][NAME_MAX_LEN];
	char h_prev[NAME_MAX_LEN];
	char out[NAME_MAX_LEN];
} rnn_layer;

static void gen_rnn(gen *g, const gen_options *o)
{
	rnn_layer *layers = calloc(o->layers, sizeof *layers);
	char (*outputs)[NAME_MAX_LEN] = calloc(o->steps, NAME_MAX_LEN);
	if (!layers || !outputs) {
		gen_fail(g, "out of memory");
		goto done;
	}
	rnn_prologue(g, o);
	for (unsigned l = 0; l < o->layers; l++) {
		char scope[NAME_MAX_LEN];
		if (l == 0)
			snprintf(scope, sizeof scope, "rnn/TfLiteRNNCellZeroState");
		else
			snprintf(scope, sizeof scope, "rnn/TfLiteRNNCellZeroState_%u", l);
		zero_state(g, scope, "", "concat", "zeros", o->units, layers[l].h_prev);
	}
	for (unsigned l = 0; l < o->layers; l++) {
		rnn_layer *L = &layers[l];
		char var_scope[NAME_MAX_LEN];
		snprintf(var_scope, sizeof var_scope, "rnn/rnn%u", l + 1);
		call_init(g, &L->call, "UnidirectionalSequenceRnn");
		int64_t in_w[2] = { o->units, l == 0 ? o->input_depth : o->units };
		int64_t rec_w[2] = { o->units, o->units };
		int64_t bias[1] = { o->units };
		hinted_weight(g, &L->call, var_scope, "rnn/stacked_rnn_cells", 1,
			      "input_weights", 2, in_w, L->w[1]);
		hinted_weight(g, &L->call, var_scope, "rnn/stacked_rnn_cells", 2,
			      "recurrent_weights", 2, rec_w, L->w[2]);
		hinted_weight(g, &L->call, var_scope, "rnn/stacked_rnn_cells", 3,
			      "bias", 1, bias, L->w[3]);
	}
	for (unsigned t = 0; t < o->steps; t++) {
		scope_names sn;
		char scope[NAME_MAX_LEN], x[NAME_MAX_LEN];
		step_scope(scope, t);
		scope_reset(&sn, scope);
		if (t == 0)
			snprintf(x, sizeof x, "unstack");
		else
			snprintf(x, sizeof x, "unstack:%u", t);
		for (unsigned l = 0; l < o->layers; l++) {
			rnn_layer *L = &layers[l];
			char xh[NAME_MAX_LEN], h[NAME_MAX_LEN], xw[NAME_MAX_LEN];
			char mm[NAME_MAX_LEN], ba[NAME_MAX_LEN], y[NAME_MAX_LEN];
			char name[NAME_MAX_LEN];
			hint_node(g, &L->call, scope, 1, 0, t, "stack", "input", x, xh);
			hint_node(g, &L->call, scope, 1, 4, t, "first", "hidden_state",
				  L->h_prev, h);
			copy_name(name, scope_next(&sn, "concat", &sn.concat));
			op_concat(g, name, xh, h, xw);
			copy_name(name, scope_next(&sn, "concat", &sn.concat));
			char wcat[NAME_MAX_LEN];
			op_concat(g, name, L->w[1], L->w[2], wcat);
			op_matmul(g, scope_next(&sn, "MatMul", &sn.matmul), xw, wcat, mm);
			op_bias_add(g, scope_next(&sn, "BiasAdd", &sn.bias_add), mm,
				    L->w[3], ba);
			op_unary(g, "Tanh", scope_next(&sn, "Tanh", &sn.tanh), ba, y);
			hint_node(g, &L->call, scope, 0, 1, t, "stack", "output", y, L->out);
			copy_name(L->h_prev, L->out);
			copy_name(x, L->out);
		}
		copy_name(outputs[t], x);
	}
	rnn_epilogue(g, o, outputs);
done:
	free(layers);
	free(outputs);
}

/* --------------------------------------------------------- conv chains */

/* One hinted call: filter and bias Consts, input hints 0 (activation),
 * 1 (filter), 2 (bias), Conv2D, BiasAdd, Relu, output hint 0.  9 nodes.
 * `x` is the activation; the output hint's name goes to out. */
static void conv_call(gen *g, const gen_options *o, uint64_t k, const char *x,
		      char *out)
{
	hint_call c;
	char scope[NAME_MAX_LEN], in[3][NAME_MAX_LEN], t1[NAME_MAX_LEN], t2[NAME_MAX_LEN];
	snprintf(scope, sizeof scope, "model/block%llu", (unsigned long long)k);
	call_init(g, &c, o->function);

	int64_t fdims[4] = { 3, 3, o->channels, o->channels };
	int64_t bdims[1] = { o->channels };
	node_begin(g, "Const", "%s/kernel", scope);
	const_random(g, 4, fdims);
	node_end(g);
	node_begin(g, "Const", "%s/bias", scope);
	const_random(g, 1, bdims);
	node_end(g);

	hint_node(g, &c, scope, 1, 0, -1, NULL, "input", x, in[0]);
	snprintf(t1, sizeof t1, "%s/kernel", scope);
	hint_node(g, &c, scope, 1, 1, -1, NULL, "filter", t1, in[1]);
	snprintf(t1, sizeof t1, "%s/bias", scope);
	hint_node(g, &c, scope, 1, 2, -1, NULL, "bias", t1, in[2]);

	static const int64_t ones[4] = { 1, 1, 1, 1 };
	node_begin(g, "Conv2D", "%s/Conv2D", scope);
	node_input(g, "%s", in[0]);
	node_input(g, "%s", in[1]);
	attr_type(g, "T", DT_FLOAT);
	attr_s(g, "data_format", "NHWC");
	attr_list_i(g, "dilations", 4, ones);
	attr_list_i(g, "explicit_paddings", 0, NULL);
	attr_s(g, "padding", "SAME");
	attr_list_i(g, "strides", 4, ones);
	attr_b(g, "use_cudnn_on_gpu", 1);
	copy_name(t1, node_name(g));
	node_end(g);
	snprintf(t2, sizeof t2, "%s/BiasAdd", scope);
	op_bias_add(g, t2, t1, in[2], t1);
	snprintf(t2, sizeof t2, "%s/Relu", scope);
	op_unary(g, "Relu", t2, t1, t1);
	hint_node(g, &c, scope, 0, 0, -1, NULL, "output", t1, out);
}

static void conv_input(gen *g, const gen_options *o)
{
	int64_t shape[4] = { 1, 32, 32, o->channels };
	node_begin(g, "Placeholder", "input");
	attr_type(g, "dtype", DT_FLOAT);
	attr_shape(g, "shape", 4, shape);
	node_end(g);
}

/* `count` unrelated nodes: a chain of Mul/Add/Identity over small float
 * Consts, starting from `from` (a call's output: a reader outside the
 * region, which the conversion must keep and rewire). */
static void filler_block(gen *g, uint64_t block, uint64_t count, const char *from)
{
	char prev[NAME_MAX_LEN], konst[NAME_MAX_LEN], name[NAME_MAX_LEN];
	copy_name(prev, from);
	konst[0] = 0;
	for (uint64_t j = 0; j < count; j++) {
		unsigned long long b = block, u = j / 2;
		if (j % 2 == 0) {
			int64_t dims[1] = { 8 };
			node_begin(g, "Const", "model/tower%llu/unit%llu/scale", b, u);
			const_random(g, 1, dims);
			copy_name(konst, node_name(g));
			node_end(g);
		} else if (j % 8 == 7) {
			snprintf(name, sizeof name, "model/tower%llu/unit%llu/Identity", b, u);
			op_unary(g, "Identity", name, prev, prev);
		} else if (j % 4 == 1) {
			snprintf(name, sizeof name, "model/tower%llu/unit%llu/mul", b, u);
			op_binary(g, "Mul", name, prev, konst, prev);
		} else {
			snprintf(name, sizeof name, "model/tower%llu/unit%llu/add", b, u);
			op_binary(g, "Add", name, prev, konst, prev);
		}
	}
}

static void gen_conv(gen *g, const gen_options *o)
{
	char x[NAME_MAX_LEN];
	conv_input(g, o);
	copy_name(x, "input");
	for (uint64_t k = 0; k < o->calls && !g->failed; k++)
		conv_call(g, o, k, x, x);
	op_unary(g, "Identity", "output", x, NULL);
}

enum { CONV_CALL_NODES = 9 };

static void gen_mixed(gen *g, const gen_options *o)
{
	uint64_t fixed = 2 + o->calls * CONV_CALL_NODES;
	uint64_t filler = o->nodes > fixed ? o->nodes - fixed : 0;
	uint64_t blocks = o->calls ? o->calls : 1;
	char x[NAME_MAX_LEN];
	conv_input(g, o);
	copy_name(x, "input");
	for (uint64_t k = 0; k < blocks && !g->failed; k++) {
		if (k < o->calls)
			conv_call(g, o, k, x, x);
		uint64_t count = filler / blocks + (k < filler % blocks);
		filler_block(g, k, count, x);
	}
	op_unary(g, "Identity", "output", x, NULL);
}

/* ------------------------------------------------------------- custom */

enum { CUSTOM_MAX_OPS = 64, CUSTOM_MAX_OPERANDS = 64, CUSTOM_MAX_STACK = 256 };

/* Ops of two tensors: they read the chain and the next input. */
static int binary_op(const char *op)
{
	static const char *const ops[] = { "Add", "AddV2", "Sub", "Mul", "RealDiv",
		"Div", "Maximum", "Minimum", "Pow", "SquaredDifference", "MatMul",
		"BiasAdd", NULL };
	for (int i = 0; ops[i]; i++)
		if (strcmp(op, ops[i]) == 0)
			return 1;
	return 0;
}

/* Splits o->interior into ops[] and checks that they can carry the
 * operands; returns the count, or 0 after gen_fail. */
static size_t custom_ops(gen *g, const gen_options *o, char (*ops)[64])
{
	size_t n_binary = 0;
	size_t n = 0;
	const char *p = o->interior ? o->interior : "";
	while (*p) {
		size_t len = strcspn(p, ",");
		if (len == 0 || len >= 64 || n == CUSTOM_MAX_OPS) {
			gen_fail(g, "--interior: expected up to %d comma-separated op names of 1..63 characters",
				 CUSTOM_MAX_OPS);
			return 0;
		}
		memcpy(ops[n], p, len);
		ops[n++][len] = 0;
		p += len + (p[len] == ',');
	}
	for (size_t k = 0; k < n; k++)
		n_binary += binary_op(ops[k]);
	if (n == 0)
		gen_fail(g, "--interior: at least one op");
	else if (o->outputs > n)
		gen_fail(g, "--outputs %u: at most one output per interior op (%zu)",
			 o->outputs, n);
	else if (o->inputs > 1 + n_binary)
		gen_fail(g, "--inputs %u: the first op reads input 0 and each binary op (Add, Mul, ...) the next; %zu binary ops read at most %zu inputs",
			 o->inputs, n_binary, 1 + n_binary);
	return g->failed ? 0 : n;
}

/* One step of the call: the interior chain over the input hints of step
 * t (sort -1: not stacked), then the output hints; out[k] gets output k's
 * hint name. */
static void custom_step(gen *g, const gen_options *o, const hint_call *c,
			char (*ops)[64], size_t n_ops, int64_t sort,
			char (*src)[NAME_MAX_LEN], char (*out)[NAME_MAX_LEN])
{
	char scope[NAME_MAX_LEN], in[CUSTOM_MAX_OPERANDS][NAME_MAX_LEN], arg[32];
	static char chain[CUSTOM_MAX_OPS][NAME_MAX_LEN];
	const char *agg = sort < 0 ? NULL : "stack";
	if (sort < 0)
		snprintf(scope, sizeof scope, "model/%s", o->function);
	else
		snprintf(scope, sizeof scope, "model/%s/step%lld", o->function, (long long)sort);
	for (unsigned i = 0; i < o->inputs; i++) {
		snprintf(arg, sizeof arg, "input%u", i);
		hint_node(g, c, scope, 1, i, sort, agg, arg, src[i], in[i]);
	}
	unsigned next = 1 % o->inputs;
	for (size_t k = 0; k < n_ops; k++) {
		node_begin(g, ops[k], "%s/%s_%zu", scope, ops[k], k);
		node_input(g, "%s", k ? chain[k - 1] : in[0]);
		if (binary_op(ops[k])) {
			node_input(g, "%s", in[next]);
			next = (next + 1) % o->inputs;
		}
		attr_type(g, "T", DT_FLOAT);
		copy_name(chain[k], node_name(g));
		node_end(g);
	}
	for (unsigned k = 0; k < o->outputs; k++) {
		snprintf(arg, sizeof arg, "output%u", k);
		hint_node(g, c, scope, 0, k, sort, agg, arg, chain[n_ops - 1 - k], out[k]);
	}
}

/* Placeholders input0.. (unstacked along axis 0 with --stack), one call of
 * o->function, and what reads its outputs: an Identity output<k>, or with
 * --stack a Pack stack<k> of the steps that nothing reads (the model's
 * stacked result, a graph output). */
static void gen_custom(gen *g, const gen_options *o)
{
	static char ops[CUSTOM_MAX_OPS][64];
	static char src[CUSTOM_MAX_OPERANDS][NAME_MAX_LEN];
	size_t n_ops = custom_ops(g, o, ops);
	if (!n_ops)
		return;
	unsigned steps = o->stack ? o->stack : 1;
	char (*out)[NAME_MAX_LEN] = malloc((size_t)steps * o->outputs * NAME_MAX_LEN);
	if (!out) {
		gen_fail(g, "out of memory");
		return;
	}
	int64_t shape[2] = { steps, 8 };
	for (unsigned i = 0; i < o->inputs; i++) {
		node_begin(g, "Placeholder", "input%u", i);
		attr_type(g, "dtype", DT_FLOAT);
		attr_shape(g, "shape", o->stack ? 2 : 1, o->stack ? shape : shape + 1);
		node_end(g);
		snprintf(src[i], NAME_MAX_LEN, "input%u", i);
		if (!o->stack)
			continue;
		node_begin(g, "Unpack", "model/unstack%u", i);
		node_input(g, "input%u", i);
		attr_i(g, "num", steps);
		attr_i(g, "axis", 0);
		attr_type(g, "T", DT_FLOAT);
		node_end(g);
	}
	hint_call c;
	call_init(g, &c, o->function);
	for (unsigned t = 0; t < steps && !g->failed; t++) {
		char step_src[CUSTOM_MAX_OPERANDS][NAME_MAX_LEN];
		for (unsigned i = 0; i < o->inputs; i++) {
			if (!o->stack)
				copy_name(step_src[i], src[i]);
			else if (t == 0)
				snprintf(step_src[i], NAME_MAX_LEN, "model/unstack%u", i);
			else
				snprintf(step_src[i], NAME_MAX_LEN, "model/unstack%u:%u", i, t);
		}
		custom_step(g, o, &c, ops, n_ops, o->stack ? (int64_t)t : -1,
			    step_src, out + (size_t)t * o->outputs);
	}
	for (unsigned k = 0; k < o->outputs; k++) {
		if (!o->stack) {
			node_begin(g, "Identity", "output%u", k);
			node_input(g, "%s", out[k]);
			attr_type(g, "T", DT_FLOAT);
			node_end(g);
			continue;
		}
		node_begin(g, "Pack", "stack%u", k);
		for (unsigned t = 0; t < steps; t++)
			node_input(g, "%s", out[(size_t)t * o->outputs + k]);
		attr_i(g, "N", steps);
		attr_i(g, "axis", 0);
		attr_type(g, "T", DT_FLOAT);
		node_end(g);
	}
	free(out);
}

/* ------------------------------------------------------------- driver */

void gen_options_init(gen_options *o, gen_kind kind)
{
	memset(o, 0, sizeof *o);
	o->kind = kind;
	o->seed = 1;
	o->layers = 2;
	o->steps = 3;
	o->units = 8;
	o->input_depth = 8;
	o->calls = 1;
	o->nodes = 0;
	o->channels = 4;
	o->function = GEN_DEFAULT_CONV_FUNCTION;
	o->inputs = 1;
	o->outputs = 1;
	if (kind == GEN_CUSTOM)
		o->function = NULL;
}

static int check_options(gen *g, const gen_options *o)
{
	if (o->kind == GEN_LSTM || o->kind == GEN_RNN) {
		if (o->layers < 1 || o->steps < 1 || o->units < 1 || o->input_depth < 1)
			gen_fail(g, "layers, steps, units and input depth must be positive");
		/* the final Pack lists every step in one node */
		else if (o->steps > MAX_INPUTS)
			gen_fail(g, "at most %d steps", MAX_INPUTS);
		else if (o->units > 1024 || o->input_depth > 1024 || o->num_proj > 1024)
			gen_fail(g, "units, input depth and projection are at most 1024");
		else if (o->forget_bias_in_region && o->kind != GEN_LSTM)
			gen_fail(g, "--forget-bias-in-region is for lstm only");
	} else if (o->kind == GEN_CONV || o->kind == GEN_MIXED) {
		if (o->channels < 1 || o->channels > 64)
			gen_fail(g, "channels must be 1..64");
		if (!o->function || !*o->function || strchr(o->function, '-'))
			gen_fail(g, "function name must be non-empty, without '-'");
	} else if (o->kind == GEN_CUSTOM) {
		if (!o->function || !*o->function || strchr(o->function, '-') ||
		    strchr(o->function, '/'))
			gen_fail(g, "custom needs --function NAME (non-empty, without '-' or '/')");
		else if (!o->interior)
			gen_fail(g, "custom needs --interior OPS (e.g. Sigmoid,Mul)");
		else if (o->inputs < 1 || o->inputs > CUSTOM_MAX_OPERANDS ||
			 o->outputs < 1 || o->outputs > CUSTOM_MAX_OPERANDS)
			gen_fail(g, "--inputs and --outputs must be 1..%d", CUSTOM_MAX_OPERANDS);
		else if (o->stack > CUSTOM_MAX_STACK)
			gen_fail(g, "--stack must be 0..%d", CUSTOM_MAX_STACK);
		else {
			static char ops[CUSTOM_MAX_OPS][64];
			custom_ops(g, o, ops);
		}
	} else {
		gen_fail(g, "unknown graph kind");
	}
	return g->failed ? -1 : 0;
}

int gen_check_options(const gen_options *o, char *err, size_t errlen)
{
	gen g;
	memset(&g, 0, sizeof g);
	g.err = err;
	g.errlen = errlen;
	return check_options(&g, o);
}

/* GraphDef fields after the nodes: an empty `library` and `versions
 * { producer: 27 }`, as a TF 1.x freeze writes them. */
static void write_trailer(gen *g)
{
	static const uint8_t trailer[] = { 0x12, 0x00, 0x22, 0x02, 0x08, 27 };
	write_bytes(g, trailer, sizeof trailer);
}

int gen_write(FILE *out, const gen_options *o, gen_stats *stats, char *err,
	      size_t errlen)
{
	char dummy[1];
	gen *g = calloc(1, sizeof *g);
	if (!g) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	g->out = out;
	g->err = err ? err : dummy;
	g->errlen = err ? errlen : sizeof dummy;
	g->rng = o->seed;
	g->arena = malloc(ARENA_SIZE);
	if (!g->arena)
		gen_fail(g, "out of memory");
	if (!g->failed && check_options(g, o) == 0) {
		switch (o->kind) {
		case GEN_LSTM: gen_lstm(g, o); break;
		case GEN_RNN: gen_rnn(g, o); break;
		case GEN_CONV: gen_conv(g, o); break;
		case GEN_MIXED: gen_mixed(g, o); break;
		case GEN_CUSTOM: gen_custom(g, o); break;
		}
		write_trailer(g);
	}
	if (!g->failed && fflush(out) != 0)
		gen_fail(g, "write failed");
	int rc = g->failed ? -1 : 0;
	if (stats)
		*stats = g->stats;
	free(g->arena);
	free(g->packed);
	free(g);
	return rc;
}
