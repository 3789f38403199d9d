/* The tensors fed to one evaluation: Placeholders' values made from their
 * shapes (seeded), or read from .npy files. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "evalcli.h"
#include "hintstub/npy.h"

const char *cli_dtype_text(int dtype)
{
	switch (dtype) {
	case HS_DT_FLOAT: return "float32";
	case HS_DT_INT32: return "int32";
	case HS_DT_INT64: return "int64";
	case HS_DT_BOOL: return "bool";
	}
	return hs_dtype_name(dtype);
}

double cli_element(const hs_value *t, uint64_t i)
{
	switch (t->dtype) {
	case HS_DT_FLOAT: return ((const float *)t->data)[i];
	case HS_DT_INT32: return ((const int32_t *)t->data)[i];
	case HS_DT_INT64: return (double)((const int64_t *)t->data)[i];
	case HS_DT_BOOL: return ((const uint8_t *)t->data)[i];
	}
	return 0;
}

/* splitmix64, as hintstub-gen: the same seed gives the same inputs
 * everywhere. */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* get_random: floats uniform in [-1, 1), integers in [0, 10), bools 0/1;
 * get_ramp: 1, 2, 3, ... (bools alternate); get_zeros. */
static void fill_values(hs_value *t, cli_fill fill, uint64_t *rng)
{
	for (uint64_t i = 0; i < t->elements; i++) {
		uint64_t r = fill == CLI_FILL_RANDOM ? rng_next(rng) : 0;
		double v = fill == CLI_FILL_ZEROS ? 0 : fill == CLI_FILL_RAMP ? (double)(i + 1)
			 : t->dtype == HS_DT_FLOAT ? (double)(r >> 40) / (double)(1u << 23) - 1.0
			 : t->dtype == HS_DT_BOOL ? (double)(r >> 63) : (double)(r % 10);
		switch (t->dtype) {
		case HS_DT_FLOAT: ((float *)t->data)[i] = (float)v; break;
		case HS_DT_INT32: ((int32_t *)t->data)[i] = (int32_t)v; break;
		case HS_DT_INT64: ((int64_t *)t->data)[i] = (int64_t)v; break;
		case HS_DT_BOOL:
			((uint8_t *)t->data)[i] = fill == CLI_FILL_RAMP ? (uint8_t)(i % 2 == 0)
								       : (uint8_t)v;
			break;
		}
	}
}

static int feed_push(cli_feed *f, const char *name, hs_value *t)
{
	char **names = realloc(f->names, (f->n + 1) * sizeof *names);
	if (names)
		f->names = names;
	hs_value **values = names ? realloc(f->values, (f->n + 1) * sizeof *values) : NULL;
	if (values)
		f->values = values;
	char *dup = values ? strdup(name) : NULL;
	if (!dup) {
		hs_value_free(t);
		cli_error("out of memory");
		return HS_EXIT_CANNOT_EVALUATE;
	}
	f->names[f->n] = dup;
	f->values[f->n++] = t;
	return HS_EXIT_OK;
}

/* The node a tensor name ("x", "x:0") names, or NULL. */
static const hs_node *named_node(const hs_graph *g, const char *name)
{
	hs_str node;
	int port;
	if (hs_parse_input(&node, &port, (hs_str){ name, strlen(name) }) != HS_OK)
		return NULL;
	return hs_graph_find_node(g, node.ptr, node.len);
}

static const cli_input *given_for(const cli_inputs *given, const hs_graph *g,
				  const hs_node *n)
{
	for (size_t i = 0; i < given->n; i++)
		if (named_node(g, given->v[i].name) == n)
			return &given->v[i];
	return NULL;
}

static int shape_fits(const hs_placeholder *p, size_t rank, const int64_t *dims)
{
	if (p->rank < 0)
		return 1;
	if ((size_t)p->rank != rank)
		return 0;
	for (size_t i = 0; i < rank; i++)
		if (p->dims[i] >= 0 && p->dims[i] != dims[i])
			return 0;
	return 1;
}

/* "[?,3]": unknown dimensions as '?'. */
static char *placeholder_shape_text(char *buf, size_t cap, const hs_placeholder *p)
{
	if (p->rank < 0)
		return strcpy(buf, "unknown");
	size_t k = (size_t)snprintf(buf, cap, "[");
	for (int i = 0; i < p->rank && k < cap; i++)
		k += (size_t)(p->dims[i] < 0 ? snprintf(buf + k, cap - k, "%s?", i ? "," : "")
				: snprintf(buf + k, cap - k, "%s%lld", i ? "," : "",
					   (long long)p->dims[i]));
	if (k < cap)
		snprintf(buf + k, cap - k, "]");
	return buf;
}

static int bad_shape(const char *label, const hs_placeholder *p, const char *what,
		     size_t rank, const int64_t *dims)
{
	char want[128], got[128];
	hs_str name = hs_node_name(p->node);
	cli_error("%s: input %.*s: %s %s does not fit the Placeholder's shape %s", label,
		  (int)name.len, name.ptr, what, hs_shape_text(got, sizeof got, rank, dims),
		  placeholder_shape_text(want, sizeof want, p));
	return HS_EXIT_USAGE;
}

/* The value of one Placeholder: read, made from the given shape, or made
 * from its own shape (unknown dimensions 1). */
static int placeholder_value(hs_value **out, const hs_placeholder *p, const cli_input *in,
			     const char *label, cli_fill fill, uint64_t *rng)
{
	hs_str name = hs_node_name(p->node);
	int64_t dims[HS_TENSOR_MAX_RANK];
	size_t rank;
	*out = NULL;
	if (in && in->npy) {
		if (hs_npy_read_file(out, in->npy) != HS_OK) {
			cli_error_last();
			return HS_EXIT_CANNOT_EVALUATE;
		}
		if (p->dtype && (*out)->dtype != p->dtype) {
			cli_error("%s: input %.*s: %s holds %s, the Placeholder takes %s", label,
				  (int)name.len, name.ptr, in->npy, cli_dtype_text((*out)->dtype),
				  cli_dtype_text(p->dtype));
			return HS_EXIT_USAGE;
		}
		if (!shape_fits(p, (*out)->rank, (*out)->dims))
			return bad_shape(label, p, in->npy, (*out)->rank, (*out)->dims);
		return HS_EXIT_OK;
	}
	if (in) {
		if (!shape_fits(p, in->rank, in->dims))
			return bad_shape(label, p, "shape", in->rank, in->dims);
		rank = in->rank;
		memcpy(dims, in->dims, sizeof dims);
	} else if (p->rank < 0) {
		cli_error("%s: Placeholder %.*s has no known rank: give its shape with --input "
			  "%.*s=SHAPE", label, (int)name.len, name.ptr, (int)name.len, name.ptr);
		return HS_EXIT_USAGE;
	} else {
		rank = (size_t)p->rank;
		for (size_t i = 0; i < rank; i++)
			dims[i] = p->dims[i] < 0 ? 1 : p->dims[i];
	}
	/* a Placeholder without `dtype` (TensorFlow always writes one) */
	int dtype = p->dtype ? p->dtype : HS_DT_FLOAT;
	if (!hs_dtype_size(dtype) || dtype == HS_DT_VARIANT) {
		cli_error("%s: Placeholder %.*s is %s: hintstub makes float32, int32, int64 "
			  "and bool values only", label, (int)name.len, name.ptr,
			  hs_dtype_name(dtype));
		return HS_EXIT_CANNOT_EVALUATE;
	}
	if (hs_value_new(out, dtype, rank, dims) != HS_OK) {
		cli_error("%s: input %.*s: %s", label, (int)name.len, name.ptr, hs_error_last());
		return HS_EXIT_CANNOT_EVALUATE;
	}
	fill_values(*out, fill, rng);
	return HS_EXIT_OK;
}

/* A given input that is no Placeholder overrides that tensor. */
static int override_value(hs_value **out, const cli_input *in, const char *label,
			  cli_fill fill, uint64_t *rng)
{
	if (in->npy) {
		if (hs_npy_read_file(out, in->npy) == HS_OK)
			return HS_EXIT_OK;
		cli_error_last();
		return HS_EXIT_CANNOT_EVALUATE;
	}
	if (hs_value_new(out, HS_DT_FLOAT, in->rank, in->dims) != HS_OK) {
		cli_error("%s: input %s: %s", label, in->name, hs_error_last());
		return HS_EXIT_CANNOT_EVALUATE;
	}
	fill_values(*out, fill, rng);
	return HS_EXIT_OK;
}

static int feed_given_others(cli_feed *f, const hs_graph *g, const char *label,
			     const cli_inputs *given, const hs_placeholder *ph, size_t n_ph,
			     cli_fill fill, uint64_t *rng)
{
	for (size_t i = 0; i < given->n; i++) {
		const cli_input *in = &given->v[i];
		const hs_node *n = named_node(g, in->name);
		if (!n) {
			cli_error("--input %s: %s has no such tensor", in->name, label);
			return HS_EXIT_USAGE;
		}
		size_t k = 0;
		while (k < n_ph && ph[k].node != n)
			k++;
		if (k < n_ph)
			continue;
		hs_value *t;
		int status = override_value(&t, in, label, fill, rng);
		if (status == HS_EXIT_OK)
			status = feed_push(f, in->name, t);
		if (status != HS_EXIT_OK)
			return status;
	}
	return HS_EXIT_OK;
}

int cli_feed_make(cli_feed *f, const hs_graph *g, const char *label,
		  const cli_inputs *given, cli_fill fill, uint64_t seed)
{
	memset(f, 0, sizeof *f);
	hs_placeholder *ph = NULL;
	size_t n_ph = 0;
	if (hs_eval_placeholders(&ph, &n_ph, g) != HS_OK) {
		cli_error("%s: %s", label, hs_error_last());
		return HS_EXIT_CANNOT_EVALUATE;
	}
	uint64_t rng = seed;
	int status = HS_EXIT_OK;
	for (size_t i = 0; i < n_ph && status == HS_EXIT_OK; i++) {
		const cli_input *in = given_for(given, g, ph[i].node);
		if (!in && ph[i].has_default)
			continue;
		hs_value *t;
		status = placeholder_value(&t, &ph[i], in, label, fill, &rng);
		if (status == HS_EXIT_OK) {
			hs_str name = hs_node_name(ph[i].node);
			char buf[1024];
			snprintf(buf, sizeof buf, "%.*s", (int)name.len, name.ptr);
			status = feed_push(f, buf, t);
		} else {
			hs_value_free(t);
		}
	}
	if (status == HS_EXIT_OK)
		status = feed_given_others(f, g, label, given, ph, n_ph, fill, &rng);
	hs_free(ph);
	if (status != HS_EXIT_OK)
		cli_feed_free(f);
	return status;
}

int cli_feed_apply(hs_eval *ev, const cli_feed *f, const char *label)
{
	for (size_t i = 0; i < f->n; i++) {
		if (hs_eval_set_input(ev, f->names[i], f->values[i]) != HS_OK) {
			cli_error("%s: input %s: %s", label, f->names[i], hs_error_last());
			return HS_EXIT_CANNOT_EVALUATE;
		}
	}
	return HS_EXIT_OK;
}

void cli_feed_free(cli_feed *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->names[i]);
		hs_value_free(f->values[i]);
	}
	free(f->names);
	free(f->values);
	memset(f, 0, sizeof *f);
}
