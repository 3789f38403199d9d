#include <config.h>

#include <dirent.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grow.h"
#include "testutil.h"

tu_graph *tu_graph_new(void)
{
	tu_graph *g = calloc(1, sizeof *g);
	Tensorflow__GraphDef init = TENSORFLOW__GRAPH_DEF__INIT;
	g->def = init;
	return g;
}

Tensorflow__NodeDef *tu_node(tu_graph *g, const char *name, const char *op, ...)
{
	Tensorflow__NodeDef *n = malloc(sizeof *n);
	tensorflow__node_def__init(n);
	n->name = strdup(name);
	n->op = strdup(op);
	va_list ap;
	va_start(ap, op);
	const char *in;
	while ((in = va_arg(ap, const char *)) != NULL) {
		n->input = realloc(n->input, (n->n_input + 1) * sizeof(char *));
		n->input[n->n_input++] = strdup(in);
	}
	va_end(ap);
	if (g->def.n_node == g->cap_node) { /* doubling: 40,000 nodes took 1.5 GB under ASan */
		g->cap_node = hs_grow_capacity(g->cap_node, g->def.n_node + 1,
					       sizeof *g->def.node, 16);
		g->def.node = realloc(g->def.node, g->cap_node * sizeof *g->def.node);
	}
	g->def.node[g->def.n_node++] = n;
	return n;
}

static Tensorflow__NodeDef__AttrEntry *attr_entry(const char *key)
{
	Tensorflow__NodeDef__AttrEntry *e = malloc(sizeof *e);
	tensorflow__node_def__attr_entry__init(e);
	e->key = strdup(key);
	e->value = malloc(sizeof *e->value);
	tensorflow__attr_value__init(e->value);
	return e;
}

/* The array is always exactly n_attr long: tests append to it with a
 * realloc of their own. */
static Tensorflow__AttrValue *add_attr(Tensorflow__NodeDef *n, const char *key)
{
	Tensorflow__NodeDef__AttrEntry *e = attr_entry(key);
	n->attr = realloc(n->attr, (n->n_attr + 1) * sizeof *n->attr);
	n->attr[n->n_attr++] = e;
	return e->value;
}

void tu_attrs_i(Tensorflow__NodeDef *n, const char *prefix, size_t count)
{
	n->attr = realloc(n->attr, (n->n_attr + count) * sizeof *n->attr);
	for (size_t i = 0; i < count; i++) {
		char key[64];
		snprintf(key, sizeof key, "%s%05zu", prefix, i);
		Tensorflow__NodeDef__AttrEntry *e = attr_entry(key);
		e->value->value_case = TENSORFLOW__ATTR_VALUE__VALUE_I;
		e->value->i = (int64_t)i;
		n->attr[n->n_attr++] = e;
	}
}

void tu_attr_i(Tensorflow__NodeDef *n, const char *key, int64_t v)
{
	Tensorflow__AttrValue *a = add_attr(n, key);
	a->value_case = TENSORFLOW__ATTR_VALUE__VALUE_I;
	a->i = v;
}

void tu_attr_s(Tensorflow__NodeDef *n, const char *key, const char *v)
{
	Tensorflow__AttrValue *a = add_attr(n, key);
	a->value_case = TENSORFLOW__ATTR_VALUE__VALUE_S;
	a->s.len = strlen(v);
	a->s.data = (uint8_t *)strdup(v);
}

void tu_attr_type(Tensorflow__NodeDef *n, const char *key, int dtype)
{
	Tensorflow__AttrValue *a = add_attr(n, key);
	a->value_case = TENSORFLOW__ATTR_VALUE__VALUE_TYPE;
	a->type = (Tensorflow__DataType)dtype;
}

void tu_attr_f(Tensorflow__NodeDef *n, const char *key, float v)
{
	Tensorflow__AttrValue *a = add_attr(n, key);
	a->value_case = TENSORFLOW__ATTR_VALUE__VALUE_F;
	a->f = v;
}

void tu_attr_tensor(Tensorflow__NodeDef *n, const char *key, int dtype,
		    const int64_t *dims, size_t rank, const void *content,
		    size_t content_len, const float *fvals, size_t n_f,
		    const int32_t *ivals, size_t n_i)
{
	Tensorflow__AttrValue *a = add_attr(n, key);
	Tensorflow__TensorProto *t = malloc(sizeof *t);
	tensorflow__tensor_proto__init(t);
	t->dtype = (Tensorflow__DataType)dtype;
	Tensorflow__TensorShapeProto *shape = malloc(sizeof *shape);
	tensorflow__tensor_shape_proto__init(shape);
	shape->n_dim = rank;
	shape->dim = malloc((rank ? rank : 1) * sizeof *shape->dim);
	for (size_t i = 0; i < rank; i++) {
		shape->dim[i] = malloc(sizeof *shape->dim[i]);
		tensorflow__tensor_shape_proto__dim__init(shape->dim[i]);
		shape->dim[i]->size = dims[i];
	}
	t->tensor_shape = shape;
	if (content) {
		t->tensor_content.len = content_len;
		t->tensor_content.data = malloc(content_len ? content_len : 1);
		memcpy(t->tensor_content.data, content, content_len);
	}
	if (n_f) {
		t->n_float_val = n_f;
		t->float_val = malloc(n_f * sizeof *t->float_val);
		memcpy(t->float_val, fvals, n_f * sizeof *t->float_val);
	}
	if (n_i) {
		t->n_int_val = n_i;
		t->int_val = malloc(n_i * sizeof *t->int_val);
		memcpy(t->int_val, ivals, n_i * sizeof *t->int_val);
	}
	a->value_case = TENSORFLOW__ATTR_VALUE__VALUE_TENSOR;
	a->tensor = t;
}

void tu_hint(Tensorflow__NodeDef *n, const char *function, const char *uuid,
	     int is_input, int64_t index, int64_t sort, const char *aggregate)
{
	tu_attr_type(n, "T", 1);
	tu_attr_s(n, "_tflite_function_name", function);
	tu_attr_s(n, "_tflite_function_uuid", uuid);
	tu_attr_i(n, is_input ? "_tflite_function_input_index"
			      : "_tflite_function_output_index", index);
	if (aggregate) {
		tu_attr_i(n, "_tflite_function_sort_index", sort);
		tu_attr_s(n, "_tflite_function_aggregate", aggregate);
	}
	tu_attr_i(n, "_tflite_ophint_level", 1);
}

uint8_t *tu_graph_pack(const tu_graph *g, size_t *len)
{
	*len = tensorflow__graph_def__get_packed_size(&g->def);
	uint8_t *buf = malloc(*len ? *len : 1);
	tensorflow__graph_def__pack(&g->def, buf);
	return buf;
}

hs_graph *tu_graph_load(const tu_graph *g)
{
	size_t len;
	uint8_t *buf = tu_graph_pack(g, &len);
	hs_graph *out = NULL;
	if (hs_graph_load_buffer(&out, buf, len, "test", NULL) != HS_OK)
		out = NULL;
	free(buf);
	return out;
}

void tu_graph_free(tu_graph *g)
{
	/* The message tree was built with malloc; protobuf-c frees it alike. */
	for (size_t i = 0; i < g->def.n_node; i++)
		tensorflow__node_def__free_unpacked(g->def.node[i], NULL);
	free(g->def.node);
	free(g);
}

uint8_t *tu_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
	*len = fread(buf, 1, (size_t)n, f);
	fclose(f);
	return buf;
}

char *tu_read_text(const char *path, size_t *len)
{
	uint8_t *bytes = tu_read_file(path, len);
	char *text = bytes ? malloc(*len + 1) : NULL;
	if (text) {
		memcpy(text, bytes, *len);
		text[*len] = '\0';
	}
	free(bytes);
	return text;
}

int tu_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t w = fwrite(data, 1, len, f);
	fclose(f);
	return w == len ? 0 : -1;
}

/* Scratch directories go when the process that made them exits (a test
 * leaving files behind, or failing half-way, leaves nothing in tests/);
 * HS_KEEP set (non-empty) keeps them to look at.  A forked test inherits the list: only
 * the maker's exit removes a directory. */
enum { MAX_SCRATCH = 256 };
static struct { char path[512]; pid_t maker; } scratch[MAX_SCRATCH];
static int n_scratch;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	(void)remove(path); /* go on: remove what can be */
	return 0;
}

static void remove_scratch(void)
{
	const char *keep = getenv("HS_KEEP");
	if (keep && *keep)
		return;
	for (int i = 0; i < n_scratch; i++)
		if (scratch[i].maker == getpid())
			nftw(scratch[i].path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *tu_tmpdir(void)
{
	char *t = malloc(strlen(HS_BUILD_DIR) + 64);
	sprintf(t, "%s/tests/tmp-XXXXXX", HS_BUILD_DIR);
	if (!mkdtemp(t)) {
		free(t);
		return NULL;
	}
	if (n_scratch < MAX_SCRATCH && strlen(t) < sizeof scratch[0].path) {
		if (n_scratch == 0)
			atexit(remove_scratch);
		strcpy(scratch[n_scratch].path, t);
		scratch[n_scratch++].maker = getpid();
	}
	return t;
}

char *tu_path(const char *dir, const char *name)
{
	char *p = malloc(strlen(dir) + strlen(name) + 2);
	sprintf(p, "%s/%s", dir, name);
	return p;
}

int tu_file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

int tu_dir_count(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

uint8_t *tu_roundtrip(const uint8_t *in, size_t len, size_t *out_len)
{
	hs_graph *g = NULL;
	void *out = NULL;
	if (hs_graph_load_buffer(&g, in, len, "roundtrip", NULL) != HS_OK)
		return NULL;
	if (hs_graph_write_buffer(&out, out_len, g) != HS_OK)
		out = NULL;
	hs_graph_free(g);
	return out;
}

