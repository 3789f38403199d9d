/* The model manifest of `hintstub test-models`, read with libyaml's
 * document loader; every error names FILE:LINE:COL of the node at fault. */
#include <config.h>

#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "manifest.h"

/* A manifest lists models, not data: a bigger file is a mistake. */
#define MANIFEST_MAX_BYTES (16u << 20)

typedef struct mctx {
	const char *path;
	char *dir;           /* the manifest's directory: relative paths start there */
	yaml_document_t doc;
	char *err;
	size_t errlen;
} mctx;

static int fail_at(mctx *c, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail_at(mctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	int k = snprintf(c->err, c->errlen, "%s:%lu:%lu: ", c->path,
			 (unsigned long)n->start_mark.line + 1,
			 (unsigned long)n->start_mark.column + 1);
	if (k < 0 || (size_t)k >= c->errlen)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err + k, c->errlen - (size_t)k, fmt, ap);
	va_end(ap);
	return -1;
}

static int oom(mctx *c, const yaml_node_t *n)
{
	return fail_at(c, n, "out of memory");
}

static const char *scalar(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *node(mctx *c, int id)
{
	return yaml_document_get_node(&c->doc, id);
}

static const char *kind_name(const yaml_node_t *n)
{
	return n->type == YAML_MAPPING_NODE ? "a mapping"
	     : n->type == YAML_SEQUENCE_NODE ? "a list" : "a scalar";
}

/* A path of the manifest, relative to its directory unless absolute. */
static char *resolve(mctx *c, const char *p)
{
	if (p[0] == '/' || !strcmp(c->dir, "."))
		return strdup(p);
	size_t n = strlen(c->dir) + strlen(p) + 2;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s/%s", c->dir, p);
	return s;
}

static int want_string(mctx *c, const yaml_node_t *v, const char *key, const char **out)
{
	*out = scalar(v);
	if (!*out || !**out)
		return fail_at(c, v, "%s: expected a non-empty string, found %s", key,
			       *out ? "an empty one" : kind_name(v));
	return 0;
}

static int want_path(mctx *c, const yaml_node_t *v, const char *key, char **out)
{
	const char *s;
	if (want_string(c, v, key, &s))
		return -1;
	if (!(*out = resolve(c, s)))
		return oom(c, v);
	return 0;
}

static int want_number(mctx *c, const yaml_node_t *v, const char *key, double *out)
{
	const char *s = scalar(v);
	char *end;
	errno = 0;
	double d = s ? strtod(s, &end) : 0;
	if (!s || !*s || *end || errno || !isfinite(d) || d < 0)
		return fail_at(c, v, "%s: expected a non-negative number such as 1e-5", key);
	*out = d;
	return 0;
}

static int want_count(mctx *c, const yaml_node_t *v, const char *key, long long *out)
{
	const char *s = scalar(v);
	char *end;
	errno = 0;
	long long k = s && *s >= '0' && *s <= '9' ? strtoll(s, &end, 10) : -1;
	if (k < 0 || *end || errno)
		return fail_at(c, v, "%s: expected a non-negative integer", key);
	*out = k;
	return 0;
}

static int want_bool(mctx *c, const yaml_node_t *v, const char *key, int *out)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes", "Yes", "on" };
	static const char *const no[] = { "false", "False", "FALSE", "no", "No", "off" };
	const char *s = scalar(v);
	for (size_t i = 0; s && i < sizeof yes / sizeof *yes; i++) {
		if (!strcmp(s, yes[i]) || !strcmp(s, no[i])) {
			*out = !strcmp(s, yes[i]);
			return 0;
		}
	}
	return fail_at(c, v, "%s: expected true or false", key);
}

/* A NumPy expression is Python, which hintstub does not run. */
static int looks_like_numpy(const char *s)
{
	return !strncmp(s, "np.", 3) || !strncmp(s, "numpy.", 6) || strchr(s, '(');
}

static int parse_shape_list(mctx *c, const yaml_node_t *v, const char *name,
			    size_t *rank, int64_t *dims)
{
	yaml_node_item_t *it = v->data.sequence.items.start;
	size_t n = (size_t)(v->data.sequence.items.top - it);
	if (n > CLI_MAX_RANK)
		return fail_at(c, v, "inputs: %s: %zu dimensions, at most %d", name, n,
			       CLI_MAX_RANK);
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *d = node(c, it[i]);
		const char *s = scalar(d);
		long long k = -1;
		char *end = NULL;
		errno = 0;
		if (s && *s >= '0' && *s <= '9')
			k = strtoll(s, &end, 10);
		if (k < 0 || *end || errno || k > 1000000000LL)
			return fail_at(c, d, "inputs: %s: a dimension must be an integer "
				       "0..1000000000 (unknown dimensions: give their size)",
				       name);
		dims[i] = k;
	}
	*rank = n;
	return 0;
}

static int parse_input(mctx *c, cli_model *m, const yaml_node_t *k, const yaml_node_t *v)
{
	const char *name = scalar(k);
	if (!name || !*name)
		return fail_at(c, k, "inputs: a tensor name must be a non-empty string");
	for (size_t i = 0; i < m->inputs.n; i++)
		if (!strcmp(m->inputs.v[i].name, name))
			return fail_at(c, k, "inputs: '%s' is given twice", name);
	size_t rank = 0;
	int64_t dims[CLI_MAX_RANK];
	char *npy = NULL;
	if (v->type == YAML_SEQUENCE_NODE) {
		if (parse_shape_list(c, v, name, &rank, dims))
			return -1;
	} else if (v->type == YAML_SCALAR_NODE) {
		const char *s = scalar(v);
		size_t len = strlen(s);
		if (looks_like_numpy(s))
			return fail_at(c, v, "inputs: %s: '%s' is a NumPy expression, which "
				       "hintstub does not evaluate: write its shape as a list "
				       "(e.g. [2, 1, 300]) or save the array with "
				       "numpy.save('x.npy', ...) and give the path", name, s);
		if (len < 4 || strcmp(s + len - 4, ".npy"))
			return fail_at(c, v, "inputs: %s: expected a shape list such as "
				       "[2, 1, 300] or the path of a .npy file", name);
		if (!(npy = resolve(c, s)))
			return oom(c, v);
	} else {
		return fail_at(c, v, "inputs: %s: expected a shape list or a .npy path, "
			       "found a mapping", name);
	}
	char *dup = strdup(name);
	if (!dup) {
		free(npy);
		return oom(c, k);
	}
	return cli_inputs_push(&m->inputs, dup, npy, rank, dims) ? oom(c, k) : 0;
}

static int parse_inputs(mctx *c, cli_model *m, const yaml_node_t *v)
{
	if (v->type != YAML_MAPPING_NODE)
		return fail_at(c, v, "inputs: expected a mapping from tensor name to a "
			       "shape list or a .npy path, found %s", kind_name(v));
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start;
	     p < v->data.mapping.pairs.top; p++)
		if (parse_input(c, m, node(c, p->key), node(c, p->value)))
			return -1;
	return 0;
}

static int parse_outputs(mctx *c, cli_model *m, const yaml_node_t *v)
{
	if (v->type != YAML_SEQUENCE_NODE)
		return fail_at(c, v, "outputs: expected a list of tensor names such as "
			       "[OUTPUT:0], found %s", kind_name(v));
	yaml_node_item_t *it = v->data.sequence.items.start;
	size_t n = (size_t)(v->data.sequence.items.top - it);
	if (!n)
		return fail_at(c, v, "outputs: the list is empty (leave the key out for the "
			       "graph's own outputs)");
	if (!(m->outputs = calloc(n, sizeof *m->outputs)))
		return oom(c, v);
	for (size_t i = 0; i < n; i++) {
		const char *s;
		if (want_string(c, node(c, it[i]), "outputs", &s))
			return -1;
		if (!(m->outputs[m->n_outputs++] = strdup(s)))
			return oom(c, v);
	}
	return 0;
}

/* "lstm,rnn" or [lstm, rnn]; [] or "" is no plugins. */
static int parse_plugins(mctx *c, cli_model *m, const yaml_node_t *v)
{
	if (v->type == YAML_SCALAR_NODE)
		return (m->plugins = strdup(scalar(v))) ? 0 : oom(c, v);
	if (v->type != YAML_SEQUENCE_NODE)
		return fail_at(c, v, "plugins: expected a list of plugin names or 'a,b'");
	size_t len = 1;
	for (yaml_node_item_t *it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		const char *s;
		if (want_string(c, node(c, *it), "plugins", &s))
			return -1;
		len += strlen(s) + 1;
	}
	if (!(m->plugins = calloc(1, len)))
		return oom(c, v);
	for (yaml_node_item_t *it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		if (*m->plugins)
			strcat(m->plugins, ",");
		strcat(m->plugins, scalar(node(c, *it)));
	}
	return 0;
}

static int parse_input_get(mctx *c, cli_model *m, const yaml_node_t *v)
{
	const char *s = scalar(v);
	if (s && !strcmp(s, "get_random"))
		m->fill = CLI_FILL_RANDOM;
	else if (s && !strcmp(s, "get_ramp"))
		m->fill = CLI_FILL_RAMP;
	else if (s && !strcmp(s, "get_zeros"))
		m->fill = CLI_FILL_ZEROS;
	else
		return fail_at(c, v, "input_get: '%s' is not supported: use get_random, "
			       "get_ramp or get_zeros, or give the inputs as .npy files",
			       s ? s : kind_name(v));
	return 0;
}

/* run_pretrained_models.py keys that mean nothing without TensorFlow and
 * ONNX: accepted, so that its manifests read, and not used. */
static int tf2onnx_only(const char *key)
{
	static const char *const keys[] = {
		"url", "model_type", "opset_constraints", "check_only_shape",
		"skip_tensorflow", "skip_conversion", "tag", "signature_def",
		"concrete_function", "large_model", "structured_outputs", "dequantize",
		"ptol", "custom_ops", "run_tf_frozen", "skip_onnx_checker",
		"use_custom_ops", "more_inputs", "input_names", "output_names",
	};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (!strcmp(key, keys[i]))
			return 1;
	return 0;
}

static int parse_key(mctx *c, cli_model *m, const char *key, const yaml_node_t *k,
		     const yaml_node_t *v)
{
	if (!strcmp(key, "model"))
		return want_path(c, v, key, &m->model);
	if (!strcmp(key, "inputs"))
		return parse_inputs(c, m, v);
	if (!strcmp(key, "outputs"))
		return parse_outputs(c, m, v);
	if (!strcmp(key, "input_get"))
		return parse_input_get(c, m, v);
	if (!strcmp(key, "plugins"))
		return parse_plugins(c, m, v);
	if (!strcmp(key, "rules"))
		return want_path(c, v, key, &m->rules);
	if (!strcmp(key, "atol"))
		return want_number(c, v, key, &m->atol);
	if (!strcmp(key, "rtol"))
		return want_number(c, v, key, &m->rtol);
	if (!strcmp(key, "fused_calls"))
		return want_count(c, v, key, &m->fused_calls);
	if (!strcmp(key, "disabled"))
		return want_bool(c, v, key, &m->disabled);
	if (tf2onnx_only(key))
		return 0;
	return fail_at(c, k, "unknown key '%s' (known: model, inputs, outputs, input_get, "
		       "plugins, rules, atol, rtol, fused_calls, disabled)", key);
}

static int parse_model(mctx *c, cli_model *m, const yaml_node_t *k, const yaml_node_t *v)
{
	m->line = k->start_mark.line + 1;
	m->col = k->start_mark.column + 1;
	m->atol = m->rtol = -1;
	m->fused_calls = -1;
	if (!(m->name = strdup(scalar(k))))
		return oom(c, k);
	if (v->type != YAML_MAPPING_NODE)
		return fail_at(c, v, "%s: expected a mapping of keys (model, inputs, "
			       "outputs, ...), found %s", m->name, kind_name(v));
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start;
	     p < v->data.mapping.pairs.top; p++) {
		yaml_node_t *pk = node(c, p->key);
		const char *key = scalar(pk);
		if (!key)
			return fail_at(c, pk, "%s: keys must be strings", m->name);
		for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < p; q++)
			if (!strcmp(scalar(node(c, q->key)), key))
				return fail_at(c, pk, "%s: key '%s' is given twice", m->name, key);
		if (parse_key(c, m, key, pk, node(c, p->value)))
			return -1;
	}
	if (!m->model)
		return fail_at(c, k, "%s: no 'model:' (the graph file; hintstub does not "
			       "download 'url:')", m->name);
	return 0;
}

static int parse_root(mctx *c, cli_manifest *out)
{
	yaml_node_t *root = yaml_document_get_root_node(&c->doc);
	if (!root) {
		snprintf(c->err, c->errlen, "%s: the manifest is empty: expected a mapping "
			 "from model name to its test", c->path);
		return -1;
	}
	if (root->type != YAML_MAPPING_NODE)
		return fail_at(c, root, "expected a mapping from model name to its test, "
			       "found %s", kind_name(root));
	size_t n = (size_t)(root->data.mapping.pairs.top - root->data.mapping.pairs.start);
	if (!(out->models = calloc(n ? n : 1, sizeof *out->models)))
		return oom(c, root);
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(c, p->key);
		if (!scalar(k) || !*scalar(k))
			return fail_at(c, k, "a model name must be a non-empty string");
		for (size_t i = 0; i < out->n; i++)
			if (!strcmp(out->models[i].name, scalar(k)))
				return fail_at(c, k, "model '%s' is defined twice (first at "
					       "line %lu)", scalar(k), out->models[i].line);
		if (parse_model(c, &out->models[out->n++], k, node(c, p->value)))
			return -1;
	}
	return 0;
}

static int load_document(mctx *c, FILE *f)
{
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		snprintf(c->err, c->errlen, "%s: out of memory", c->path);
		return -1;
	}
	yaml_parser_set_input_file(&parser, f);
	int rc = 0;
	if (!yaml_parser_load(&parser, &c->doc)) {
		const yaml_mark_t *mk = &parser.problem_mark;
		snprintf(c->err, c->errlen, "%s:%lu:%lu: not valid YAML: %s%s%s", c->path,
			 (unsigned long)mk->line + 1, (unsigned long)mk->column + 1,
			 parser.problem ? parser.problem : "parse error",
			 parser.context ? " " : "", parser.context ? parser.context : "");
		rc = -1;
	}
	yaml_parser_delete(&parser);
	return rc;
}

int cli_manifest_load(cli_manifest *out, const char *path, char *err, size_t errlen)
{
	mctx c = { .path = path, .err = err, .errlen = errlen };
	memset(out, 0, sizeof *out);
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (off_t)MANIFEST_MAX_BYTES) {
		snprintf(err, errlen, "%s: %s", path, S_ISREG(st.st_mode)
			 ? "larger than 16 MiB: not a manifest" : "not a regular file");
		fclose(f);
		return -1;
	}
	char *copy = strdup(path);
	c.dir = copy ? strdup(dirname(copy)) : NULL;
	free(copy);
	int rc = -1;
	if (!c.dir)
		snprintf(err, errlen, "%s: out of memory", path);
	else if (load_document(&c, f) == 0) {
		rc = parse_root(&c, out);
		yaml_document_delete(&c.doc);
	}
	fclose(f);
	free(c.dir);
	if (rc)
		cli_manifest_free(out);
	return rc;
}

void cli_manifest_free(cli_manifest *m)
{
	for (size_t i = 0; i < m->n; i++) {
		cli_model *e = &m->models[i];
		free(e->name);
		free(e->model);
		cli_inputs_free(&e->inputs);
		for (size_t k = 0; k < e->n_outputs; k++)
			free(e->outputs[k]);
		free(e->outputs);
		free(e->plugins);
		free(e->rules);
	}
	free(m->models);
	memset(m, 0, sizeof *m);
}
