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
#define MAX_INPUTS 256       /* steps a static graph's final Pack lists */
#define MAX_NODE_INPUTS 1024 /* a While of many layers reads ~20 a layer */
#define MAX_DIMS 8
#define MAX_LISTS 4
/* One node's scratch: the largest is a 1024 x 1024 float weight (4 MiB). */
#define ARENA_SIZE (5u << 20)
#define NAME_MAX_LEN 512

enum { DT_FLOAT = 1, DT_INT32 = 3, DT_BOOL = 10, DT_VARIANT = 21 };

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

/* A growing byte buffer for the messages built whole in memory: the
 * FunctionDefs of a dynamic_rnn graph (one loop's worth each). */
typedef struct dbuf {
	uint8_t *p;
	size_t len, cap;
} dbuf;

/* A FunctionDef being built: its node_def fields as encoded by node_end,
 * its signature's argument fields, its ret entries. */
typedef struct fn_def {
	char name[NAME_MAX_LEN];
	dbuf nodes;
	dbuf in_args;
	dbuf out_args;
	dbuf ret;
} fn_def;

typedef struct gen {
	FILE *out;
	uint64_t rng;
	int failed;
	char *err;
	size_t errlen;
	gen_stats stats;
	float weight_scale;  /* gen_options.weight_scale */

	/* the node being built */
	Tensorflow__NodeDef def;
	char *inputs[MAX_NODE_INPUTS];
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

	/* non-NULL: node_end appends FunctionDef.node_def fields here
	 * instead of writing GraphDef.node fields */
	fn_def *fn;
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

/* FunctionDef syntax names a node's output by its output argument. */
static const char *output_arg_name(const char *op)
{
	static const char *const map[][2] = {
		{ "MatMul", "product" }, { "Sigmoid", "y" }, { "Tanh", "y" },
		{ "Relu", "activations" }, { "Mul", "z" }, { "Add", "z" },
		{ "AddV2", "z" }, { "Less", "z" }, { "LogicalAnd", "z" },
		{ "TensorListGetItem", "item" },
		{ "TensorListSetItem", "output_handle" },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(op, map[i][0]) == 0)
			return map[i][1];
	return "output";
}

/* How later nodes read output 0 of the node being built: its name at the
 * top level, `name:out_arg:0` inside a function. */
static void node_ref(const gen *g, char *dst)
{
	if (g->fn)
		snprintf(dst, NAME_MAX_LEN, "%s:%s:0", g->def.name,
			 output_arg_name(g->def.op));
	else
		snprintf(dst, NAME_MAX_LEN, "%s", g->def.name);
}

static void node_input(gen *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void node_input(gen *g, const char *fmt, ...)
{
	if (g->def.n_input == MAX_NODE_INPUTS) {
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
		if (g->weight_scale != 0)
			f *= g->weight_scale;
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

static void dbuf_put(gen *g, dbuf *b, const void *data, size_t len)
{
	if (g->failed)
		return;
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + len)
			cap *= 2;
		uint8_t *p = realloc(b->p, cap);
		if (!p) {
			gen_fail(g, "out of memory");
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
}

static void dbuf_varint(gen *g, dbuf *b, uint64_t v)
{
	uint8_t tmp[HS_VARINT_MAX];
	dbuf_put(g, b, tmp, hs_varint_encode(tmp, v));
}

/* A length-delimited field: tag, length, bytes. */
static void dbuf_field(gen *g, dbuf *b, unsigned number, const void *data,
		       size_t len)
{
	dbuf_varint(g, b, (uint64_t)number << 3 | 2);
	dbuf_varint(g, b, len);
	dbuf_put(g, b, data, len);
}

static void dbuf_free(dbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
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
	if (g->fn) {
		dbuf_field(g, &g->fn->nodes, 3, g->packed, len);
		g->stats.function_nodes++;
		return;
	}
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
static void call_fill(hint_call *c, const char *function, uint64_t *rng)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t a = rng_next(rng), b = rng_next(rng);
	for (int i = 0; i < 16; i++) {
		c->uuid[i] = hex[(a >> (60 - 4 * i)) & 15];
		c->uuid[16 + i] = hex[(b >> (60 - 4 * i)) & 15];
	}
	c->uuid[32] = 0;
	c->function = function;
}

static void call_init(gen *g, hint_call *c, const char *function)
{
	call_fill(c, function, &g->rng);
	g->stats.calls++;
}

/* One hint Identity `<scope>/<Input|Output>Hint-<fn>-<uuid>-<index>-<sort|
 * None>-<arg>` reading `input`.  sort < 0: untagged.  Its name is copied to
 * name_out (may be NULL). */
static void hint_node_level(gen *g, const hint_call *c, const char *scope,
			    int is_input, int64_t index, int64_t sort,
			    const char *aggregate, const char *arg,
			    const char *input, char *name_out, int level,
			    const char *mapping)
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
	attr_i(g, "_tflite_ophint_level", level);
	if (mapping)
		attr_s(g, "_tflite_children_ophint_inputs_mapping", mapping);
	if (name_out)
		node_ref(g, name_out);
	node_end(g);
	if (is_input)
		g->stats.input_hints++;
	else
		g->stats.output_hints++;
}

static void hint_node(gen *g, const hint_call *c, const char *scope,
		      int is_input, int64_t index, int64_t sort,
		      const char *aggregate, const char *arg, const char *input,
		      char *name_out)
{
	hint_node_level(g, c, scope, is_input, index, sort, aggregate, arg,
			input, name_out, 1, NULL);
}

/* --------------------------------------------------------- common ops */

static void op_unary(gen *g, const char *op, const char *name, const char *x,
		     char *name_out)
{
	node_begin(g, op, "%s", name);
	node_input(g, "%s", x);
	attr_type(g, "T", DT_FLOAT);
	if (name_out)
		node_ref(g, name_out);
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
		node_ref(g, name_out);
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
	node_ref(g, name_out);
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
	node_ref(g, name_out);
	node_end(g);
}

/* `<name>/axis` Const and the ConcatV2 of a and b on axis 1. */
static void op_concat(gen *g, const char *name, const char *a, const char *b,
		      char *name_out)
{
	char axis[NAME_MAX_LEN];
	node_begin(g, "Const", "%s/axis", name);
	const_int(g, 0, 1);
	node_ref(g, axis);
	node_end(g);
	node_begin(g, "ConcatV2", "%s", name);
	node_input(g, "%s", a);
	node_input(g, "%s", b);
	node_input(g, "%s", axis);
	attr_i(g, "N", 2);
	attr_type(g, "T", DT_FLOAT);
	attr_type(g, "Tidx", DT_INT32);
	node_ref(g, name_out);
	node_end(g);
}

/* TF's op naming inside one scope: `MatMul`, `MatMul_1`, ... */
typedef struct scope_names {
	char scope[NAME_MAX_LEN];
	unsigned concat, matmul, bias_add, mul, add, sigmoid, tanh;
	unsigned sub; /* CIFG's 1 - f */
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

/* `<scope>/Shape` of x and `<scope>/strided_slice`, its first dimension
 * (the batch size of a static rnn's step, the time steps of a dynamic
 * one). */
static void shape_dim0(gen *g, const char *scope, const char *x)
{
	node_begin(g, "Shape", "%s/Shape", scope);
	node_input(g, "%s", x);
	attr_type(g, "T", DT_FLOAT);
	attr_type(g, "out_type", DT_INT32);
	node_end(g);
	static const char *const stacks[3] = { "stack", "stack_1", "stack_2" };
	static const int32_t stack_values[3] = { 0, 1, 1 };
	for (int i = 0; i < 3; i++) {
		node_begin(g, "Const", "%s/strided_slice/%s", scope, stacks[i]);
		const_int(g, 1, stack_values[i]);
		node_end(g);
	}
	node_begin(g, "StridedSlice", "%s/strided_slice", scope);
	node_input(g, "%s/Shape", scope);
	for (int i = 0; i < 3; i++)
		node_input(g, "%s/strided_slice/%s", scope, stacks[i]);
	attr_type(g, "Index", DT_INT32);
	attr_type(g, "T", DT_INT32);
	attr_i(g, "begin_mask", 0);
	attr_i(g, "ellipsis_mask", 0);
	attr_i(g, "end_mask", 0);
	attr_i(g, "new_axis_mask", 0);
	attr_i(g, "shrink_axis_mask", 1);
	node_end(g);
}

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

	shape_dim0(g, "rnn", "unstack");
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

/* CIFG (a coupled input gate, no input-gate weights): i = 1 - f. */
static void cifg_input_gate(gen *g, scope_names *sn, const char *f, char *i)
{
	char name[NAME_MAX_LEN], one[NAME_MAX_LEN];
	copy_name(name, scope_next(sn, "sub", &sn->sub));
	node_begin(g, "Const", "%s/x", name);
	const_float_scalar(g, 1.0f);
	copy_name(one, node_name(g));
	node_end(g);
	op_binary(g, "Sub", name, one, f, i);
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
		if (o->cifg && k == 0)
			continue;
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
		if (!o->cifg) {
			op_binary(g, "Mul", scope_next(sn, "mul", &sn->mul), L->w[9], c_hint, tmp);
			copy_name(name, scope_next(sn, "add", &sn->add));
			op_binary(g, "Add", name, gate[0], tmp, tmp);
			op_unary(g, "Sigmoid", scope_next(sn, "Sigmoid", &sn->sigmoid), tmp, i);
		}
	} else {
		op_unary(g, "Sigmoid", scope_next(sn, "Sigmoid", &sn->sigmoid), gate[1], f);
		op_binary(g, "Mul", scope_next(sn, "mul", &sn->mul), f, c_hint, fc);
		if (!o->cifg)
			op_unary(g, "Sigmoid", scope_next(sn, "Sigmoid", &sn->sigmoid), gate[0], i);
	}
	if (o->cifg)
		cifg_input_gate(g, sn, f, i);
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
			if (o->cifg && (w->index == 1 || w->index == 5 || w->index == 9 ||
					w->index == 12))
				continue;
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

/* One TfLiteRNNCell call at one time step: tanh(W [x, h] + b). */
static void rnn_cell(gen *g, rnn_layer *L, unsigned t, scope_names *sn,
		     const char *x)
{
	char xh[NAME_MAX_LEN], h[NAME_MAX_LEN], xw[NAME_MAX_LEN];
	char mm[NAME_MAX_LEN], ba[NAME_MAX_LEN], y[NAME_MAX_LEN];
	char name[NAME_MAX_LEN], wcat[NAME_MAX_LEN];
	hint_node(g, &L->call, sn->scope, 1, 0, t, "stack", "input", x, xh);
	hint_node(g, &L->call, sn->scope, 1, 4, t, "first", "hidden_state",
		  L->h_prev, h);
	copy_name(name, scope_next(sn, "concat", &sn->concat));
	op_concat(g, name, xh, h, xw);
	copy_name(name, scope_next(sn, "concat", &sn->concat));
	op_concat(g, name, L->w[1], L->w[2], wcat);
	op_matmul(g, scope_next(sn, "MatMul", &sn->matmul), xw, wcat, mm);
	op_bias_add(g, scope_next(sn, "BiasAdd", &sn->bias_add), mm, L->w[3], ba);
	op_unary(g, "Tanh", scope_next(sn, "Tanh", &sn->tanh), ba, y);
	hint_node(g, &L->call, sn->scope, 0, 1, t, "stack", "output", y, L->out);
	copy_name(L->h_prev, L->out);
}

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
			rnn_cell(g, &layers[l], t, &sn, x);
			copy_name(x, layers[l].out);
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

/* --------------------------------------------------------- dynamic_rnn */

/* tf.lite.experimental.nn.dynamic_rnn over StackedRNNCells of TFLite cells,
 * control flow v2, frozen (spec §2.6, §3.3, §3.4): a level-2
 * TfLiteDynamicRnn call whose input hint reads the time-major input and
 * whose output hint reads the stacked loop output; between them the
 * TensorLists, the loop bounds, the zero states and one While (TF 1.14) or
 * StatelessWhile (TF 1.15) whose body FunctionDef holds one time step of
 * every layer: the weight hints and the level-1 cell hints, one element
 * per aggregate tag.  Weights are top-level Consts read by `/read`
 * Identities and passed to the loop as extra inputs. */

static const char dyn_mapping[] =
	"{\"parent_first_child_input\": [{\"parent_ophint_input_index\": 0, "
	"\"first_child_ophint_input_index\": 0}], "
	"\"parent_last_child_output\": [{\"parent_output_index\": 0, "
	"\"child_output_index\": -1}], "
	"\"internal_children_input_output\": [{\"child_input_index\": 0, "
	"\"child_output_index\": -1}]}";

enum { DYN_MAX_LAYERS = 32, DYN_HEAD_CLASSES = 10 };

static void attr_func(gen *g, const char *key, const char *name)
{
	Tensorflow__AttrValue *v = attr_add(g, key);
	Tensorflow__NameAttrList *f = arena_alloc(g, sizeof *f);
	tensorflow__name_attr_list__init(f);
	f->name = arena_strdup(g, name);
	v->value_case = TENSORFLOW__ATTR_VALUE__VALUE_FUNC;
	v->func = f;
}

static void attr_list_type(gen *g, const char *key, size_t n, const int *types)
{
	Tensorflow__AttrValue__ListValue *l = attr_list(g, key);
	l->n_type = n;
	l->type = arena_alloc(g, n * sizeof *l->type + 1);
	for (size_t i = 0; i < n; i++)
		l->type[i] = (Tensorflow__DataType)types[i];
}

/* A shape of at most two dimensions (everything a loop variable has). */
typedef struct dyn_shape {
	size_t nd;
	int64_t d[2];
} dyn_shape;

static void attr_list_shape(gen *g, const char *key, size_t n, const dyn_shape *s)
{
	Tensorflow__AttrValue__ListValue *l = attr_list(g, key);
	l->n_shape = n;
	l->shape = arena_alloc(g, n * sizeof *l->shape + 1);
	for (size_t i = 0; i < n; i++) {
		Tensorflow__TensorShapeProto *p = arena_alloc(g, sizeof *p);
		tensorflow__tensor_shape_proto__init(p);
		p->n_dim = s[i].nd;
		p->dim = arena_alloc(g, 2 * sizeof *p->dim);
		for (size_t k = 0; k < s[i].nd; k++) {
			Tensorflow__TensorShapeProto__Dim *d = arena_alloc(g, sizeof *d);
			tensorflow__tensor_shape_proto__dim__init(d);
			d->size = s[i].d[k];
			p->dim[k] = d;
		}
		l->shape[i] = p;
	}
}

/* An int32 vector Const of n values. */
static void const_int_vec(gen *g, size_t n, const int32_t *values)
{
	int64_t len = (int64_t)n;
	attr_type(g, "dtype", DT_INT32);
	Tensorflow__TensorProto *t = attr_tensor(g, DT_INT32, 1, &len);
	t->n_int_val = n;
	t->int_val = arena_alloc(g, n * sizeof *t->int_val + 1);
	memcpy(t->int_val, values, n * sizeof *t->int_val);
}

/* A zero state as a cell's zero_state() builds it when the batch size is
 * known: `Const` [batch] and `Const_1` [width] concatenated into the
 * shape, `zeros` = Fill(shape, 0.0).  `zeros` is the Fill's full name
 * (`<scope>/zeros`, or `<scope>/zeros_1` for an LSTM's second state, whose
 * nodes are Const_2, Const_3 and concat_1). */
static void zero_state_static(gen *g, const char *zeros, int second,
			      int64_t batch, int64_t width)
{
	char scope[NAME_MAX_LEN], concat[NAME_MAX_LEN];
	int32_t dims[2] = { (int32_t)batch, (int32_t)width };
	snprintf(scope, NAME_MAX_LEN, "%.*s", (int)(strrchr(zeros, '/') - zeros), zeros);
	snprintf(concat, NAME_MAX_LEN, "%s/concat%s", scope, second ? "_1" : "");
	static const char *const consts[2][2] = { { "Const", "Const_1" }, { "Const_2", "Const_3" } };
	for (int i = 0; i < 2; i++) {
		node_begin(g, "Const", "%s/%s", scope, consts[second][i]);
		const_int_vec(g, 1, &dims[i]);
		node_end(g);
	}
	node_begin(g, "Const", "%s/axis", concat);
	const_int(g, 0, 0);
	node_end(g);
	node_begin(g, "ConcatV2", "%s", concat);
	node_input(g, "%s/%s", scope, consts[second][0]);
	node_input(g, "%s/%s", scope, consts[second][1]);
	node_input(g, "%s/axis", concat);
	attr_i(g, "N", 2);
	attr_type(g, "T", DT_INT32);
	attr_type(g, "Tidx", DT_INT32);
	node_end(g);
	node_begin(g, "Const", "%s/Const", zeros);
	const_float_scalar(g, 0.0f);
	node_end(g);
	node_begin(g, "Fill", "%s", zeros);
	node_input(g, "%s", concat);
	node_input(g, "%s/Const", zeros);
	attr_type(g, "T", DT_FLOAT);
	attr_type(g, "index_type", DT_INT32);
	node_end(g);
}

/* Lower case, every other character than a letter or digit an
 * underscore: how TF names function arguments after nodes. */
static void normalize_name(char *dst, const char *src)
{
	size_t i = 0;
	for (; src[i] && i + 1 < NAME_MAX_LEN; i++) {
		char c = src[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			c = '_';
		dst[i] = c;
	}
	dst[i] = 0;
}

/* A variable as a TF 1.x freeze leaves it: Const `name` (random) and its
 * `name/read` Identity, colocated with it. */
static void frozen_variable(gen *g, const char *name, size_t nd, const int64_t *dims)
{
	node_begin(g, "Const", "%s", name);
	const_random(g, nd, dims);
	node_end(g);
	node_begin(g, "Identity", "%s/read", name);
	node_input(g, "%s", name);
	attr_type(g, "T", DT_FLOAT);
	attr_colocate(g, name);
	node_end(g);
}

/* A dense layer over x [rows, in]: frozen variables kernel [in, out] and
 * bias [out], `MatMul` and `add` (the name TF gives `matmul(...) + b`). */
static void dense_add(gen *g, const char *x, const char *kernel, const char *bias,
		      int64_t in, int64_t out)
{
	int64_t kdims[2] = { in, out };
	char kread[NAME_MAX_LEN], bread[NAME_MAX_LEN];
	frozen_variable(g, kernel, 2, kdims);
	frozen_variable(g, bias, 1, &out);
	snprintf(kread, NAME_MAX_LEN, "%s/read", kernel);
	snprintf(bread, NAME_MAX_LEN, "%s/read", bias);
	node_begin(g, "MatMul", "MatMul");
	node_input(g, "%s", x);
	node_input(g, "%s", kread);
	attr_type(g, "T", DT_FLOAT);
	attr_b(g, "transpose_a", 0);
	attr_b(g, "transpose_b", 0);
	node_end(g);
	op_binary(g, "Add", "add", "MatMul", bread, NULL);
}

/* One dynamic_rnn call: names and sizes, a pure function of the options
 * and its number, so the library pass can rebuild it. */
typedef struct dyn_loop {
	unsigned n;                   /* uuids and function names */
	char scope[NAME_MAX_LEN];     /* its ops: rnn, rnn_1, bidirectional_rnn/fw/fw */
	char var_scope[NAME_MAX_LEN]; /* its weights: rnn, bidirectional_rnn/fw */
	char cond[NAME_MAX_LEN];      /* FunctionDef names */
	char body[NAME_MAX_LEN];
	unsigned in_depth;            /* last dimension of its input */
} dyn_loop;

static unsigned dyn_out_size(const gen_options *o)
{
	if (o->cell == GEN_CELL_LSTM && o->num_proj)
		return o->num_proj;
	return o->units;
}

static void dyn_loop_init(dyn_loop *lp, const gen_options *o, unsigned n)
{
	memset(lp, 0, sizeof *lp);
	lp->n = n;
	if (o->bidirectional) {
		const char *dir = n == 0 ? "fw" : "bw";
		snprintf(lp->scope, NAME_MAX_LEN, "bidirectional_rnn/%s/%s", dir, dir);
		snprintf(lp->var_scope, NAME_MAX_LEN, "bidirectional_rnn/%s", dir);
	} else if (n == 0) {
		snprintf(lp->scope, NAME_MAX_LEN, "rnn");
		snprintf(lp->var_scope, NAME_MAX_LEN, "rnn");
	} else {
		snprintf(lp->scope, NAME_MAX_LEN, "rnn_%u", n);
		snprintf(lp->var_scope, NAME_MAX_LEN, "rnn_%u", n);
	}
	char base[NAME_MAX_LEN];
	normalize_name(base, lp->scope);
	/* TF appends a graph-wide uid to each function name */
	snprintf(lp->cond, NAME_MAX_LEN, "%s_while_cond_%u", base, 10 + 2 * n);
	snprintf(lp->body, NAME_MAX_LEN, "%s_while_body_%u", base, 11 + 2 * n);
	lp->in_depth = o->bidirectional || n == 0 ? o->input_depth : dyn_out_size(o);
}

/* Call `role` of loop n (0 the TfLiteDynamicRnn parent, 1 + l layer l's
 * cell): its uuid derives from the seed, the loop and the role only. */
static void dyn_call(hint_call *c, const gen_options *o, unsigned n, unsigned role)
{
	uint64_t s = o->seed ^ (0xd1b54a32d192ed03ull * ((uint64_t)n * 64 + role + 1));
	const char *fn = role == 0 ? "TfLiteDynamicRnn"
		: o->cell == GEN_CELL_LSTM ? "UnidirectionalSequenceLstm"
		: "UnidirectionalSequenceRnn";
	call_fill(c, fn, &s);
}

typedef struct dyn_weight {
	int index;
	const char *arg;
	size_t nd;
	int64_t dims[2];
} dyn_weight;

/* Layer l's weights in the order its cell's build() hints them. */
static size_t dyn_layer_weights(const gen_options *o, const dyn_loop *lp,
				unsigned l, dyn_weight *w)
{
	int64_t in = l == 0 ? lp->in_depth : dyn_out_size(o), out = dyn_out_size(o);
	int64_t units = o->units;
	size_t n = 0;
	if (o->cell == GEN_CELL_RNN) {
		w[n++] = (dyn_weight){ 1, "input_weights", 2, { units, in } };
		w[n++] = (dyn_weight){ 2, "recurrent_weights", 2, { units, units } };
		w[n++] = (dyn_weight){ 3, "bias", 1, { units, 0 } };
		return n;
	}
	for (int k = 0; k < LSTM_WEIGHTS; k++) {
		const struct lstm_weight *lw = &lstm_weights[k];
		dyn_weight d = { lw->index, lw->arg, 2, { units, in } };
		switch (lw->kind) {
		case 0: break;
		case 1: d.dims[1] = out; break;
		case 3: if (!o->peephole) continue;
			/* fall through */
		case 2: d.nd = 1; d.dims[1] = 0; break;
		default: if (!o->num_proj) continue;
			d.dims[0] = o->num_proj; d.dims[1] = units; break;
		}
		w[n++] = d;
	}
	return n;
}

/* One loop variable: what the While reads, the functions' argument that
 * stands for it inside cond and body, its type and shape. */
typedef struct dyn_var {
	char outer[NAME_MAX_LEN];
	char arg[NAME_MAX_LEN];
	int dtype;
	dyn_shape shape;
} dyn_var;

/* Positions of the While's inputs: counter, maximum iterations, time,
 * output TensorList, the states (LSTM: c, m a layer), then the captures:
 * the loop bound (cond's), the input TensorList and the weights (body's). */
enum { DYN_COUNTER = 0, DYN_MAX_ITER = 1, DYN_TIME = 2, DYN_OUT_LIST = 3,
       DYN_STATES = 4 };

static unsigned dyn_states(const gen_options *o)
{
	return o->cell == GEN_CELL_LSTM ? 2 * o->layers : o->layers;
}

static void var_set(dyn_var *v, int dtype, size_t nd, int64_t d0, int64_t d1)
{
	v->dtype = dtype;
	v->shape = (dyn_shape){ nd, { d0, d1 } };
}

/* Fills v (room for dyn_var_count entries); returns the count. */
static size_t dyn_vars(const gen_options *o, const dyn_loop *lp, dyn_var *v)
{
	const char *S = lp->scope;
	char base[NAME_MAX_LEN], vbase[NAME_MAX_LEN];
	normalize_name(base, S);
	normalize_name(vbase, lp->var_scope);
	snprintf(v[0].outer, NAME_MAX_LEN, "%s/while/loop_counter", S);
	snprintf(v[0].arg, NAME_MAX_LEN, "%s_while_loop_counter", base);
	var_set(&v[0], DT_INT32, 0, 0, 0);
	snprintf(v[1].outer, NAME_MAX_LEN, "%s/strided_slice", S);
	snprintf(v[1].arg, NAME_MAX_LEN, "%s_while_maximum_iterations", base);
	var_set(&v[1], DT_INT32, 0, 0, 0);
	snprintf(v[2].outer, NAME_MAX_LEN, "%s/time", S);
	snprintf(v[2].arg, NAME_MAX_LEN, "placeholder");
	var_set(&v[2], DT_INT32, 0, 0, 0);
	snprintf(v[3].outer, NAME_MAX_LEN, "%s/TensorArrayV2", S);
	snprintf(v[3].arg, NAME_MAX_LEN, "placeholder_1");
	var_set(&v[3], DT_VARIANT, 0, 0, 0);
	size_t n = DYN_STATES;
	for (unsigned l = 0; l < o->layers; l++) {
		char zs[NAME_MAX_LEN];
		const char *cell = o->cell == GEN_CELL_LSTM ? "TFLiteLSTMCellZeroState"
							    : "TfLiteRNNCellZeroState";
		if (l == 0)
			snprintf(zs, NAME_MAX_LEN, "%s/%s", S, cell);
		else
			snprintf(zs, NAME_MAX_LEN, "%s/%s_%u", S, cell, l);
		snprintf(v[n].outer, NAME_MAX_LEN, "%s/zeros", zs);
		var_set(&v[n], DT_FLOAT, 2, o->batch, o->units);
		n++;
		if (o->cell == GEN_CELL_LSTM) {
			snprintf(v[n].outer, NAME_MAX_LEN, "%s/zeros_1", zs);
			var_set(&v[n], DT_FLOAT, 2, o->batch, dyn_out_size(o));
			n++;
		}
	}
	for (size_t k = DYN_STATES; k < n; k++)
		snprintf(v[k].arg, NAME_MAX_LEN, "placeholder_%zu", k - 2);
	snprintf(v[n].outer, NAME_MAX_LEN, "%s/Minimum", S);
	snprintf(v[n].arg, NAME_MAX_LEN, "%s_minimum", base);
	var_set(&v[n++], DT_INT32, 0, 0, 0);
	snprintf(v[n].outer, NAME_MAX_LEN, "%s/TensorArrayUnstack/TensorListFromTensor", S);
	snprintf(v[n].arg, NAME_MAX_LEN, "%s_tensorarrayunstack_tensorlistfromtensor", base);
	var_set(&v[n++], DT_VARIANT, 0, 0, 0);
	for (unsigned l = 0; l < o->layers; l++) {
		dyn_weight w[LSTM_WEIGHTS];
		size_t nw = dyn_layer_weights(o, lp, l, w);
		for (size_t k = 0; k < nw; k++, n++) {
			char norm[NAME_MAX_LEN];
			snprintf(v[n].outer, NAME_MAX_LEN, "%s/rnn%u/%s/read",
				 lp->var_scope, l + 1, w[k].arg);
			normalize_name(norm, w[k].arg);
			snprintf(v[n].arg, NAME_MAX_LEN, "%s_rnn%u_%s_read", vbase, l + 1, norm);
			var_set(&v[n], DT_FLOAT, w[k].nd, w[k].dims[0], w[k].dims[1]);
		}
	}
	return n;
}

static size_t dyn_var_count(void)
{
	return DYN_STATES + 2 * DYN_MAX_LAYERS + 2 + LSTM_WEIGHTS * DYN_MAX_LAYERS;
}

/* The top-level nodes of one loop, reading x; the output hint's name goes
 * to out. */
static void dyn_loop_nodes(gen *g, const gen_options *o, const dyn_loop *lp,
			   dyn_var *v, const char *x, char *out)
{
	const char *S = lp->scope;
	unsigned out_size = dyn_out_size(o);
	hint_call parent;
	dyn_call(&parent, o, lp->n, 0);
	g->stats.calls++;
	char in_hint[NAME_MAX_LEN];
	hint_node_level(g, &parent, S, 1, 0, -1, NULL, "input", x, in_hint, 2,
			dyn_mapping);
	size_t nv = dyn_vars(o, lp, v);
	size_t states_end = DYN_STATES + dyn_states(o);
	for (size_t k = DYN_STATES; k < states_end; k++)
		zero_state_static(g, v[k].outer, (k - DYN_STATES) % 2 && o->cell == GEN_CELL_LSTM,
				  v[k].shape.d[0], v[k].shape.d[1]);
	shape_dim0(g, S, in_hint);
	node_begin(g, "Const", "%s/time", S);
	const_int(g, 0, 0);
	node_end(g);

	int32_t out_elem[2] = { (int32_t)o->batch, (int32_t)out_size };
	int32_t in_elem[2] = { (int32_t)o->batch, (int32_t)lp->in_depth };
	node_begin(g, "Const", "%s/TensorArrayV2/element_shape", S);
	const_int_vec(g, 2, out_elem);
	node_end(g);
	node_begin(g, "TensorListReserve", "%s/TensorArrayV2", S);
	node_input(g, "%s/TensorArrayV2/element_shape", S);
	node_input(g, "%s/strided_slice", S);
	attr_type(g, "element_dtype", DT_FLOAT);
	attr_type(g, "shape_type", DT_INT32);
	node_end(g);
	node_begin(g, "Const", "%s/TensorArrayUnstack/TensorListFromTensor/element_shape", S);
	const_int_vec(g, 2, in_elem);
	node_end(g);
	node_begin(g, "TensorListFromTensor", "%s/TensorArrayUnstack/TensorListFromTensor", S);
	node_input(g, "%s", in_hint);
	node_input(g, "%s/TensorArrayUnstack/TensorListFromTensor/element_shape", S);
	attr_type(g, "element_dtype", DT_FLOAT);
	attr_type(g, "shape_type", DT_INT32);
	node_end(g);

	/* loop_bound = minimum(time_steps, maximum(1, time_steps)) */
	node_begin(g, "Const", "%s/Maximum/x", S);
	const_int(g, 0, 1);
	node_end(g);
	node_begin(g, "Maximum", "%s/Maximum", S);
	node_input(g, "%s/Maximum/x", S);
	node_input(g, "%s/strided_slice", S);
	attr_type(g, "T", DT_INT32);
	node_end(g);
	node_begin(g, "Minimum", "%s/Minimum", S);
	node_input(g, "%s/strided_slice", S);
	node_input(g, "%s/Maximum", S);
	attr_type(g, "T", DT_INT32);
	node_end(g);

	for (size_t k = states_end + 2; k < nv; k++) {
		char var[NAME_MAX_LEN];
		snprintf(var, NAME_MAX_LEN, "%.*s",
			 (int)(strlen(v[k].outer) - strlen("/read")), v[k].outer);
		frozen_variable(g, var, v[k].shape.nd, v[k].shape.d);
	}

	node_begin(g, "Const", "%s/while/loop_counter", S);
	const_int(g, 0, 0);
	node_end(g);
	node_begin(g, o->stateless ? "StatelessWhile" : "While", "%s/while", S);
	int *types = arena_alloc(g, nv * sizeof *types);
	dyn_shape *shapes = arena_alloc(g, nv * sizeof *shapes);
	for (size_t k = 0; k < nv; k++) {
		node_input(g, "%s", v[k].outer);
		types[k] = v[k].dtype;
		shapes[k] = v[k].shape;
	}
	attr_list_type(g, "T", nv, types);
	attr_func(g, "body", lp->body);
	attr_func(g, "cond", lp->cond);
	attr_list_shape(g, "output_shapes", nv, shapes);
	attr_i(g, "parallel_iterations", 32);
	attr_b(g, "_lower_using_switch_merge", 1);
	node_end(g);

	char stack[NAME_MAX_LEN];
	snprintf(stack, NAME_MAX_LEN, "%s/TensorArrayV2Stack/TensorListStack", S);
	node_begin(g, "Const", "%s/element_shape", stack);
	const_int_vec(g, 2, out_elem);
	node_end(g);
	node_begin(g, "TensorListStack", "%s", stack);
	node_input(g, "%s/while:%d", S, DYN_OUT_LIST);
	node_input(g, "%s/element_shape", stack);
	attr_type(g, "element_dtype", DT_FLOAT);
	attr_i(g, "num_elements", -1);
	node_end(g);
	hint_node_level(g, &parent, S, 0, 0, -1, NULL, "outputs", stack, out, 2,
			dyn_mapping);
}

/* ---- FunctionDefs: signature, node_def, ret, encoded by hand (the
 * node_defs by node_end) since they are assembled piece by piece. */

static size_t varint_len(uint64_t v)
{
	uint8_t tmp[HS_VARINT_MAX];
	return hs_varint_encode(tmp, v);
}

static void fn_reset(fn_def *fn, const char *name)
{
	copy_name(fn->name, name);
	fn->nodes.len = fn->in_args.len = fn->out_args.len = fn->ret.len = 0;
}

/* An OpDef.ArgDef (name 1, type 3) as field `field` (input_arg 2,
 * output_arg 3) of the signature. */
static void fn_arg(gen *g, fn_def *fn, int output, const char *name, int dtype)
{
	uint8_t tmp[NAME_MAX_LEN + 3 * HS_VARINT_MAX];
	size_t len = strlen(name), n = 0;
	tmp[n++] = 0x0a;
	n += hs_varint_encode(tmp + n, len);
	memcpy(tmp + n, name, len);
	n += len;
	tmp[n++] = 0x18;
	n += hs_varint_encode(tmp + n, (uint64_t)dtype);
	if (output)
		dbuf_field(g, &fn->out_args, 3, tmp, n);
	else
		dbuf_field(g, &fn->in_args, 2, tmp, n);
}

/* A ret map entry (key 1, value 2): output argument -> body tensor. */
static void fn_ret(gen *g, fn_def *fn, const char *key, const char *value)
{
	uint8_t tmp[2 * NAME_MAX_LEN + 4 * HS_VARINT_MAX];
	size_t klen = strlen(key), vlen = strlen(value), n = 0;
	tmp[n++] = 0x0a;
	n += hs_varint_encode(tmp + n, klen);
	memcpy(tmp + n, key, klen);
	n += klen;
	tmp[n++] = 0x12;
	n += hs_varint_encode(tmp + n, vlen);
	memcpy(tmp + n, value, vlen);
	n += vlen;
	dbuf_field(g, &fn->ret, 4, tmp, n);
}

static void fn_output(gen *g, fn_def *fn, const char *key, int dtype,
		      const char *value)
{
	fn_arg(g, fn, 1, key, dtype);
	fn_ret(g, fn, key, value);
}

static void dbuf_append(gen *g, dbuf *out, const dbuf *in)
{
	if (in->len)
		dbuf_put(g, out, in->p, in->len);
}

/* The FunctionDef message: signature (1), node_def (3), ret (4). */
static void fn_encode(gen *g, const fn_def *fn, dbuf *out)
{
	size_t name_len = strlen(fn->name);
	size_t sig_len = 1 + varint_len(name_len) + name_len + fn->in_args.len +
			 fn->out_args.len;
	out->len = 0;
	dbuf_varint(g, out, 0x0a);
	dbuf_varint(g, out, sig_len);
	dbuf_field(g, out, 1, fn->name, name_len);
	dbuf_append(g, out, &fn->in_args);
	dbuf_append(g, out, &fn->out_args);
	dbuf_append(g, out, &fn->nodes);
	dbuf_append(g, out, &fn->ret);
}

static void fn_inputs(gen *g, fn_def *fn, const dyn_var *v, size_t nv)
{
	for (size_t k = 0; k < nv; k++)
		fn_arg(g, fn, 0, v[k].arg, v[k].dtype);
}

/* cond: time < loop bound, and the counter below maximum_iterations. */
static void dyn_cond_fn(gen *g, const gen_options *o, const dyn_var *v,
			size_t nv, fn_def *fn)
{
	size_t bound = DYN_STATES + dyn_states(o);
	char less[NAME_MAX_LEN], less_1[NAME_MAX_LEN], both[NAME_MAX_LEN];
	fn_inputs(g, fn, v, nv);
	node_begin(g, "Less", "Less");
	node_input(g, "%s", v[DYN_TIME].arg);
	node_input(g, "%s", v[bound].arg);
	attr_type(g, "T", DT_INT32);
	node_ref(g, less);
	node_end(g);
	node_begin(g, "Less", "Less_1");
	node_input(g, "%s", v[DYN_COUNTER].arg);
	node_input(g, "%s", v[DYN_MAX_ITER].arg);
	attr_type(g, "T", DT_INT32);
	node_ref(g, less_1);
	node_end(g);
	node_begin(g, "LogicalAnd", "LogicalAnd");
	node_input(g, "%s", less_1);
	node_input(g, "%s", less);
	node_ref(g, both);
	node_end(g);
	fn_output(g, fn, "logicaland", DT_BOOL, both);
}

/* `<name>/y` Const 1 and name = x + 1 (int32): the loop's counters. */
static void counter_add(gen *g, const char *name, const char *x, char *out)
{
	char y[NAME_MAX_LEN];
	node_begin(g, "Const", "%s/y", name);
	const_int(g, 0, 1);
	node_ref(g, y);
	node_end(g);
	node_begin(g, "Add", "%s", name);
	node_input(g, "%s", x);
	node_input(g, "%s", y);
	attr_type(g, "T", DT_INT32);
	node_ref(g, out);
	node_end(g);
}

/* Per-layer state of the body being built. */
typedef struct dyn_scratch {
	dyn_var *v;
	lstm_layer *lstm;
	rnn_layer *rnn;
	fn_def fn;
	dbuf bytes;
} dyn_scratch;

/* An output argument named after the node it returns. */
static void fn_output_node(gen *g, fn_def *fn, int dtype, const char *ref)
{
	char name[NAME_MAX_LEN], key[NAME_MAX_LEN];
	snprintf(name, NAME_MAX_LEN, "%.*s", (int)strcspn(ref, ":"), ref);
	normalize_name(key, name);
	fn_output(g, fn, key, dtype, ref);
}

/* An output argument passing an argument through (a loop invariant). */
static void fn_output_arg(gen *g, fn_def *fn, const dyn_var *v)
{
	char key[NAME_MAX_LEN + 2];
	snprintf(key, sizeof key, "%s_0", v->arg);
	fn_output(g, fn, key, v->dtype, v->arg);
}

/* body: one time step.  TensorListGetItem of the input at `time`, every
 * layer's weight hints (build() runs on the first call), the layers'
 * cells chained, TensorListSetItem of the last output, time + 1 and
 * counter + 1; returns the loop variables in the While's order. */
static void dyn_body_fn(gen *g, const gen_options *o, const dyn_loop *lp,
			dyn_scratch *d, size_t nv)
{
	const dyn_var *v = d->v;
	fn_def *fn = &d->fn;
	size_t states_end = DYN_STATES + dyn_states(o), list = states_end + 1;
	int lstm = o->cell == GEN_CELL_LSTM;
	fn_inputs(g, fn, v, nv);

	char x[NAME_MAX_LEN], elem[NAME_MAX_LEN];
	int32_t in_elem[2] = { (int32_t)o->batch, (int32_t)lp->in_depth };
	node_begin(g, "Const", "TensorArrayV2Read/TensorListGetItem/element_shape");
	const_int_vec(g, 2, in_elem);
	node_ref(g, elem);
	node_end(g);
	node_begin(g, "TensorListGetItem", "TensorArrayV2Read/TensorListGetItem");
	node_input(g, "%s", v[list].arg);
	node_input(g, "%s", v[DYN_TIME].arg);
	node_input(g, "%s", elem);
	attr_type(g, "element_dtype", DT_FLOAT);
	node_ref(g, x);
	node_end(g);

	size_t w = states_end + 2;
	for (unsigned l = 0; l < o->layers; l++) {
		hint_call *c = lstm ? &d->lstm[l].call : &d->rnn[l].call;
		char (*hints)[NAME_MAX_LEN] = lstm ? d->lstm[l].w : d->rnn[l].w;
		dyn_call(c, o, lp->n, 1 + l);
		g->stats.calls++;
		dyn_weight ws[LSTM_WEIGHTS];
		size_t nw = dyn_layer_weights(o, lp, l, ws);
		for (size_t k = 0; k < nw; k++, w++)
			hint_node(g, c, "stacked_rnn_cells", 1, ws[k].index, -1, NULL,
				  ws[k].arg, v[w].arg, hints[ws[k].index]);
		if (lstm) {
			copy_name(d->lstm[l].c_prev, v[DYN_STATES + 2 * l].arg);
			copy_name(d->lstm[l].m_prev, v[DYN_STATES + 2 * l + 1].arg);
		} else {
			copy_name(d->rnn[l].h_prev, v[DYN_STATES + l].arg);
		}
	}
	scope_names sn;
	scope_reset(&sn, "stacked_rnn_cells");
	for (unsigned l = 0; l < o->layers; l++) {
		if (lstm) {
			lstm_cell(g, o, &d->lstm[l], 0, &sn, x);
			copy_name(x, d->lstm[l].m_out);
		} else {
			rnn_cell(g, &d->rnn[l], 0, &sn, x);
			copy_name(x, d->rnn[l].out);
		}
	}
	char set[NAME_MAX_LEN], time_1[NAME_MAX_LEN], counter_1[NAME_MAX_LEN];
	node_begin(g, "TensorListSetItem", "TensorArrayV2Write/TensorListSetItem");
	node_input(g, "%s", v[DYN_OUT_LIST].arg);
	node_input(g, "%s", v[DYN_TIME].arg);
	node_input(g, "%s", x);
	attr_type(g, "element_dtype", DT_FLOAT);
	node_ref(g, set);
	node_end(g);
	counter_add(g, "add", v[DYN_TIME].arg, time_1);
	counter_add(g, "add_1", v[DYN_COUNTER].arg, counter_1);

	fn_output_node(g, fn, DT_INT32, counter_1);
	fn_output_arg(g, fn, &v[DYN_MAX_ITER]);
	fn_output_node(g, fn, DT_INT32, time_1);
	fn_output_node(g, fn, DT_VARIANT, set);
	for (unsigned l = 0; l < o->layers; l++) {
		if (lstm) {
			fn_output_node(g, fn, DT_FLOAT, d->lstm[l].c_prev);
			fn_output_node(g, fn, DT_FLOAT, d->lstm[l].m_out);
		} else {
			fn_output_node(g, fn, DT_FLOAT, d->rnn[l].out);
		}
	}
	for (size_t k = states_end; k < nv; k++)
		fn_output_arg(g, fn, &v[k]);
}

/* GraphDef.library (field 2), one FunctionDef at a time: a first pass
 * measures the functions (their bytes are rebuilt, never kept), the
 * second writes them after the length. */
static void dyn_library(gen *g, const gen_options *o, unsigned loops, dyn_scratch *d)
{
	uint64_t total = 0;
	gen_stats saved = g->stats;
	for (int pass = 0; pass < 2 && !g->failed; pass++) {
		if (pass == 1) {
			uint8_t head[1 + HS_VARINT_MAX];
			head[0] = 0x12;
			g->stats = saved;
			write_bytes(g, head, 1 + hs_varint_encode(head + 1, total));
		}
		for (unsigned k = 0; k < loops && !g->failed; k++) {
			dyn_loop lp;
			dyn_loop_init(&lp, o, k);
			size_t nv = dyn_vars(o, &lp, d->v);
			for (int body = 0; body < 2; body++) {
				fn_reset(&d->fn, body ? lp.body : lp.cond);
				g->fn = &d->fn;
				if (body)
					dyn_body_fn(g, o, &lp, d, nv);
				else
					dyn_cond_fn(g, o, d->v, nv, &d->fn);
				g->fn = NULL;
				fn_encode(g, &d->fn, &d->bytes);
				size_t len = d->bytes.len;
				if (pass == 0) {
					total += 1 + varint_len(len) + len;
					continue;
				}
				uint8_t head[1 + HS_VARINT_MAX];
				head[0] = 0x0a;
				write_bytes(g, head, 1 + hs_varint_encode(head + 1, len));
				write_bytes(g, d->bytes.p, len);
				g->stats.functions++;
			}
		}
	}
}

/* A user head after the loop whose names clash with the body's: Reshape
 * to [T * B, width], `MatMul` by a dense kernel, `add` its bias (the
 * body's time counter is `add` too), `OUTPUT`. */
static void dyn_head(gen *g, const char *y, unsigned width)
{
	int32_t shape[2] = { -1, (int32_t)width };
	node_begin(g, "Const", "Reshape/shape");
	const_int_vec(g, 2, shape);
	node_end(g);
	node_begin(g, "Reshape", "Reshape");
	node_input(g, "%s", y);
	node_input(g, "Reshape/shape");
	attr_type(g, "T", DT_FLOAT);
	attr_type(g, "Tshape", DT_INT32);
	node_end(g);
	dense_add(g, "Reshape", "dense/kernel", "dense/bias", width, DYN_HEAD_CLASSES);
	op_unary(g, "Identity", "OUTPUT", "add", NULL);
}

enum { DYN_HEAD_NODES = 9 };

/* ReverseV2 of x along time (axis 0), named name. */
static void reverse_time(gen *g, const char *name, const char *x)
{
	int32_t axis = 0;
	node_begin(g, "Const", "%s/axis", name);
	const_int_vec(g, 1, &axis);
	node_end(g);
	node_begin(g, "ReverseV2", "%s", name);
	node_input(g, "%s", x);
	node_input(g, "%s/axis", name);
	attr_type(g, "T", DT_FLOAT);
	attr_type(g, "Tidx", DT_INT32);
	node_end(g);
}

/* fw over x, bw over x reversed in time, bw's output reversed back, the
 * two concatenated on the feature axis into `concat`. */
static void dyn_bidirectional(gen *g, const gen_options *o, dyn_scratch *d,
			      const char *x)
{
	char fw[NAME_MAX_LEN], bw[NAME_MAX_LEN];
	dyn_loop lp;
	dyn_loop_init(&lp, o, 0);
	dyn_loop_nodes(g, o, &lp, d->v, x, fw);
	reverse_time(g, "bidirectional_rnn/bw/ReverseV2", x);
	dyn_loop_init(&lp, o, 1);
	dyn_loop_nodes(g, o, &lp, d->v, "bidirectional_rnn/bw/ReverseV2", bw);
	reverse_time(g, "ReverseV2", bw);
	node_begin(g, "Const", "concat/axis");
	const_int(g, 0, 2);
	node_end(g);
	node_begin(g, "ConcatV2", "concat");
	node_input(g, "%s", fw);
	node_input(g, "ReverseV2");
	node_input(g, "concat/axis");
	attr_i(g, "N", 2);
	attr_type(g, "T", DT_FLOAT);
	attr_type(g, "Tidx", DT_INT32);
	node_end(g);
}

/* The TFLite LSTM guide's model around the loop: a batch-major INPUT
 * [batch, steps, depth] made time-major by `transpose`, the loop's output
 * transposed back, unstacked along time, and the last step's output
 * through the softmax layer `logits = matmul(out, Variable) + Variable_1`
 * (`add`, like the body's time counter) to OUTPUT_CLASS. */
static void guide_input(gen *g, const gen_options *o)
{
	int64_t shape[3] = { o->batch, o->steps, o->input_depth };
	static const int32_t perm[3] = { 1, 0, 2 };
	node_begin(g, "Placeholder", "INPUT");
	attr_type(g, "dtype", DT_FLOAT);
	attr_shape(g, "shape", 3, shape);
	node_end(g);
	node_begin(g, "Const", "transpose/perm");
	const_int_vec(g, 3, perm);
	node_end(g);
	node_begin(g, "Transpose", "transpose");
	node_input(g, "INPUT");
	node_input(g, "transpose/perm");
	attr_type(g, "T", DT_FLOAT);
	attr_type(g, "Tperm", DT_INT32);
	node_end(g);
}

static void guide_head(gen *g, const gen_options *o, const char *y)
{
	static const int32_t perm[3] = { 1, 0, 2 };
	node_begin(g, "Const", "transpose_1/perm");
	const_int_vec(g, 3, perm);
	node_end(g);
	node_begin(g, "Transpose", "transpose_1");
	node_input(g, "%s", y);
	node_input(g, "transpose_1/perm");
	attr_type(g, "T", DT_FLOAT);
	attr_type(g, "Tperm", DT_INT32);
	node_end(g);
	node_begin(g, "Unpack", "unstack");
	node_input(g, "transpose_1");
	attr_type(g, "T", DT_FLOAT);
	attr_i(g, "axis", 1);
	attr_i(g, "num", o->steps);
	node_end(g);
	char last[NAME_MAX_LEN];
	if (o->steps == 1)
		snprintf(last, NAME_MAX_LEN, "unstack");
	else
		snprintf(last, NAME_MAX_LEN, "unstack:%u", o->steps - 1);
	dense_add(g, last, "Variable", "Variable_1", dyn_out_size(o), DYN_HEAD_CLASSES);
	op_unary(g, "Softmax", "OUTPUT_CLASS", "add", NULL);
}

static void write_versions(gen *g);

static void gen_dynamic(gen *g, const gen_options *o)
{
	dyn_scratch *d = calloc(1, sizeof *d);
	if (!d || !(d->v = calloc(dyn_var_count(), sizeof *d->v)) ||
	    !(d->lstm = calloc(o->layers, sizeof *d->lstm)) ||
	    !(d->rnn = calloc(o->layers, sizeof *d->rnn))) {
		gen_fail(g, "out of memory");
		goto done;
	}
	unsigned loops = o->bidirectional ? 2 : o->loops, width = dyn_out_size(o);
	char y[NAME_MAX_LEN];
	if (o->guide) {
		guide_input(g, o);
		dyn_loop lp;
		dyn_loop_init(&lp, o, 0);
		dyn_loop_nodes(g, o, &lp, d->v, "transpose", y);
		guide_head(g, o, y);
		dyn_library(g, o, loops, d);
		write_versions(g);
		goto done;
	}
	int64_t shape[3] = { o->steps, o->batch, o->input_depth };
	node_begin(g, "Placeholder", "INPUT");
	attr_type(g, "dtype", DT_FLOAT);
	attr_shape(g, "shape", 3, shape);
	node_end(g);
	if (o->bidirectional) {
		dyn_bidirectional(g, o, d, "INPUT");
		copy_name(y, "concat");
		width *= 2;
	} else {
		/* filler after each loop, reading its output, to reach o->nodes */
		uint64_t filler = 0;
		copy_name(y, "INPUT");
		for (unsigned k = 0; k < loops && !g->failed; k++) {
			dyn_loop lp;
			uint64_t before = g->stats.nodes;
			dyn_loop_init(&lp, o, k);
			dyn_loop_nodes(g, o, &lp, d->v, y, y);
			if (k == 0) {
				uint64_t fixed = before + (g->stats.nodes - before) * loops +
					(o->head ? DYN_HEAD_NODES : 1);
				filler = o->nodes > fixed ? o->nodes - fixed : 0;
			}
			uint64_t count = filler / loops + (k < filler % loops);
			if (count)
				filler_block(g, k, count, y);
		}
	}
	if (o->head)
		dyn_head(g, y, width);
	else
		op_unary(g, "Identity", "OUTPUT", y, NULL);
	dyn_library(g, o, loops, d);
	write_versions(g);
done:
	if (d) {
		free(d->v);
		free(d->lstm);
		free(d->rnn);
		dbuf_free(&d->fn.nodes);
		dbuf_free(&d->fn.in_args);
		dbuf_free(&d->fn.out_args);
		dbuf_free(&d->fn.ret);
		dbuf_free(&d->bytes);
	}
	free(d);
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
	o->cell = GEN_CELL_LSTM;
	o->batch = 1;
	o->loops = 1;
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
	} else if (o->kind == GEN_DYNAMIC) {
		if (o->layers < 1 || o->layers > DYN_MAX_LAYERS)
			gen_fail(g, "--layers must be 1..%d", DYN_MAX_LAYERS);
		else if (o->steps < 1 || o->units < 1 || o->input_depth < 1 || o->batch < 1)
			gen_fail(g, "steps, units, depth and batch must be positive");
		else if (o->units > 256 || o->input_depth > 256 || o->num_proj > 256 ||
			 o->batch > 256)
			gen_fail(g, "units, depth, projection and batch are at most 256");
		else if (o->loops < 1)
			gen_fail(g, "--loops must be positive");
		else if (o->bidirectional && o->loops != 1)
			gen_fail(g, "--bidirectional makes its own two loops: no --loops");
		else if (o->cell != GEN_CELL_LSTM && (o->peephole || o->num_proj))
			gen_fail(g, "--peephole and --proj need --cell lstm");
		else if (o->guide && (o->bidirectional || o->loops != 1 || o->head || o->nodes))
			gen_fail(g, "--guide is one loop with its own head: no --bidirectional, --loops, --head or --nodes");
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

/* `versions { producer: 27 }`, the last GraphDef field. */
static void write_versions(gen *g)
{
	static const uint8_t versions[] = { 0x22, 0x02, 0x08, 27 };
	write_bytes(g, versions, sizeof versions);
}

/* GraphDef fields after the nodes: an empty `library` and the versions,
 * as a TF 1.x freeze writes them. */
static void write_trailer(gen *g)
{
	static const uint8_t library[] = { 0x12, 0x00 };
	write_bytes(g, library, sizeof library);
	write_versions(g);
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
	g->weight_scale = o->weight_scale;
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
		case GEN_DYNAMIC: gen_dynamic(g, o); break;
		}
		if (o->kind != GEN_DYNAMIC) /* it writes its own library */
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
