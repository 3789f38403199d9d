/* Adversarial shapes (hostile_shapes.h): each node is encoded alone with
 * protobuf-c and appended as GraphDef field 1, so a million-node graph
 * never exists as a protobuf-c tree. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/graph/graph.pb-c.h"
#include "hostile_shapes.h"

#define MAX_ATTRS 8

typedef struct out_buf {
	uint8_t *p;
	size_t n, cap;
	int failed;
} out_buf;

static void put(out_buf *b, const void *data, size_t len)
{
	if (b->failed)
		return;
	if (b->n + len > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->n + len)
			cap *= 2;
		uint8_t *p = realloc(b->p, cap);
		if (!p) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, data, len);
	b->n += len;
}

static void put_varint(out_buf *b, uint64_t v)
{
	uint8_t t[10];
	size_t k = 0;
	do {
		t[k++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	put(b, t, k);
}

/* The node being built: name, op, inputs, a few attributes. */
typedef struct node {
	Tensorflow__NodeDef def;
	Tensorflow__NodeDef__AttrEntry entries[MAX_ATTRS];
	Tensorflow__NodeDef__AttrEntry *entry_ptrs[MAX_ATTRS];
	Tensorflow__AttrValue values[MAX_ATTRS];
} node;

static void node_init(node *n, const char *name, const char *op,
		      char **inputs, size_t n_inputs)
{
	tensorflow__node_def__init(&n->def);
	n->def.name = (char *)name;
	n->def.op = (char *)op;
	n->def.input = inputs;
	n->def.n_input = n_inputs;
	n->def.attr = n->entry_ptrs;
}

static Tensorflow__AttrValue *attr(node *n, const char *key)
{
	size_t k = n->def.n_attr++;
	tensorflow__node_def__attr_entry__init(&n->entries[k]);
	tensorflow__attr_value__init(&n->values[k]);
	n->entries[k].key = (char *)key;
	n->entries[k].value = &n->values[k];
	n->entry_ptrs[k] = &n->entries[k];
	return &n->values[k];
}

static void attr_s(node *n, const char *key, const char *s)
{
	Tensorflow__AttrValue *v = attr(n, key);
	v->value_case = TENSORFLOW__ATTR_VALUE__VALUE_S;
	v->s.data = (uint8_t *)s;
	v->s.len = strlen(s);
}

static void attr_i(node *n, const char *key, int64_t i)
{
	Tensorflow__AttrValue *v = attr(n, key);
	v->value_case = TENSORFLOW__ATTR_VALUE__VALUE_I;
	v->i = i;
}

static void attr_type(node *n, const char *key, int t)
{
	Tensorflow__AttrValue *v = attr(n, key);
	v->value_case = TENSORFLOW__ATTR_VALUE__VALUE_TYPE;
	v->type = (Tensorflow__DataType)t;
}

/* Marks n as hint `index` of call uuid (stacked when sort >= 0). */
static void hint(node *n, const char *uuid, int is_input, int64_t index, int64_t sort)
{
	attr_type(n, "T", 1);
	attr_s(n, "_tflite_function_name", "hostile");
	attr_s(n, "_tflite_function_uuid", uuid);
	attr_i(n, is_input ? "_tflite_function_input_index"
			   : "_tflite_function_output_index", index);
	if (sort >= 0) {
		attr_i(n, "_tflite_function_sort_index", sort);
		attr_s(n, "_tflite_function_aggregate", "stack");
	}
	attr_i(n, "_tflite_ophint_level", 1);
}

static void emit(out_buf *b, const node *n)
{
	size_t len = tensorflow__node_def__get_packed_size(&n->def);
	uint8_t small[512], *p = len <= sizeof small ? small : malloc(len);
	if (!p) {
		b->failed = 1;
		return;
	}
	tensorflow__node_def__pack(&n->def, p);
	put_varint(b, (1u << 3) | 2u);
	put_varint(b, len);
	put(b, p, len);
	if (p != small)
		free(p);
}

/* A node with up to one input, no attributes but T. */
static void simple(out_buf *b, const char *name, const char *op, const char *in)
{
	node n;
	char *inputs[1] = { (char *)in };
	node_init(&n, name, op, inputs, in ? 1 : 0);
	attr_type(&n, "T", 1);
	emit(b, &n);
}

static void identity_hint(out_buf *b, const char *name, const char *in,
			  const char *uuid, int is_input, int64_t index, int64_t sort)
{
	node n;
	char *inputs[1] = { (char *)in };
	node_init(&n, name, "Identity", inputs, 1);
	hint(&n, uuid, is_input, index, sort);
	emit(b, &n);
}

/* An n-input node whose i-th input is names(i); the names are built in
 * one block. */
static void wide(out_buf *b, const char *name, const char *op, size_t count,
		 const char *fmt, int distinct)
{
	char **inputs = malloc((count ? count : 1) * sizeof *inputs);
	char *text = malloc((count ? count : 1) * 24);
	if (!inputs || !text) {
		free(inputs);
		free(text);
		b->failed = 1;
		return;
	}
	for (size_t i = 0; i < count; i++) {
		inputs[i] = text + i * 24;
		snprintf(inputs[i], 24, fmt, distinct ? i : (size_t)0);
	}
	node n;
	node_init(&n, name, op, inputs, count);
	attr_type(&n, "T", 1);
	attr_i(&n, "N", (int64_t)count);
	emit(b, &n);
	free(inputs);
	free(text);
}

static void addn_fanin(out_buf *b, size_t n)
{
	simple(b, "x", "Placeholder", NULL);
	identity_hint(b, "in", "x", "c", 1, 0, -1);
	simple(b, "r", "Relu", "in");
	wide(b, "sum", "AddN", n, "r", 0);
	identity_hint(b, "out", "sum", "c", 0, 0, -1);
	simple(b, "y", "Relu", "out");
}

static void wide_fanout(out_buf *b, size_t n)
{
	char name[32];
	simple(b, "x", "Placeholder", NULL);
	identity_hint(b, "in", "x", "c", 1, 0, -1);
	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof name, "p%zu", i);
		simple(b, name, "Relu", "in");
	}
	wide(b, "sum", "AddN", n, "p%zu", 1);
	identity_hint(b, "out", "sum", "c", 0, 0, -1);
	simple(b, "y", "Relu", "out");
}

static void stacked_pack(out_buf *b, size_t n)
{
	char name[32], in[32];
	size_t k = n / 2 ? n / 2 : 1, m = n / 2 ? n / 2 : 1;
	for (size_t i = 0; i < k; i++) {
		snprintf(name, sizeof name, "x%zu", i);
		simple(b, name, "Placeholder", NULL);
		snprintf(in, sizeof in, "in%zu", i);
		identity_hint(b, in, name, "c", 1, 0, (int64_t)i);
	}
	wide(b, "pack", "Pack", k, "in%zu", 1);
	for (size_t i = 0; i < m; i++) {
		snprintf(name, sizeof name, "r%zu", i);
		simple(b, name, "Relu", "pack");
	}
	wide(b, "sum", "AddN", m, "r%zu", 1);
	identity_hint(b, "out", "sum", "c", 0, 0, -1);
	simple(b, "y", "Relu", "out");
}

static void nested_calls(out_buf *b, size_t n)
{
	char name[32], in[32], uuid[32];
	size_t k = n / 3 ? n / 3 : 1;
	simple(b, "x", "Placeholder", NULL);
	identity_hint(b, "in", "x", "outer", 1, 0, -1);
	for (size_t i = 0; i < k; i++) {
		snprintf(uuid, sizeof uuid, "inner%zu", i);
		snprintf(in, sizeof in, "a%zu", i);
		identity_hint(b, in, "in", uuid, 1, 0, -1);
		snprintf(name, sizeof name, "r%zu", i);
		simple(b, name, "Relu", in);
		snprintf(in, sizeof in, "b%zu", i);
		identity_hint(b, in, name, uuid, 0, 0, -1);
	}
	wide(b, "sum", "AddN", k, "b%zu", 1);
	identity_hint(b, "out", "sum", "outer", 0, 0, -1);
	simple(b, "y", "Relu", "out");
}

const char *hostile_shape_name(hostile_shape s)
{
	static const char *const names[HOSTILE_SHAPE_COUNT] = {
		"addn-fanin", "wide-fanout", "stacked-pack", "nested-calls"
	};
	return s < HOSTILE_SHAPE_COUNT ? names[s] : "?";
}

uint8_t *hostile_graph(hostile_shape s, size_t n, size_t *len)
{
	out_buf b = { NULL, 0, 0, 0 };
	switch (s) {
	case HOSTILE_ADDN_FANIN: addn_fanin(&b, n); break;
	case HOSTILE_WIDE_FANOUT: wide_fanout(&b, n); break;
	case HOSTILE_STACKED_PACK: stacked_pack(&b, n); break;
	case HOSTILE_NESTED_CALLS: nested_calls(&b, n); break;
	default: b.failed = 1; break;
	}
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	*len = b.n;
	return b.p;
}

uint8_t *hostile_tiny_graph(size_t n, unsigned inputs, size_t *len)
{
	out_buf b = { NULL, 0, 0, 0 };
	char name[24], text[8][24], *in[8];
	if (inputs > 8)
		return NULL;
	for (size_t i = 0; i < n && !b.failed; i++) {
		node nd;
		unsigned k = 0;
		for (; k < inputs && k < i; k++) {
			snprintf(text[k], sizeof text[k], "n%zu", i - 1 - k);
			in[k] = text[k];
		}
		snprintf(name, sizeof name, "n%zu", i);
		node_init(&nd, name, "C", in, k);
		emit(&b, &nd);
	}
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	*len = b.n;
	return b.p;
}
