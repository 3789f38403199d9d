/* The generic stub (TensorFlow's layout, doc/conversion.md), as edits of the
 * indexed graph: input identities and everything above them stay; stacked
 * inputs get a Pack; the stub is named after the uuid, its op is the
 * function name; output identities are rewired to the stub's ports
 * (original output indices, not compacted), stacked outputs through an
 * Unpack; the interior goes. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "graph.pb-c.h"
#include "grow.h"
#include "stub.h"

#define HS_DT_FLOAT 1

int hs_node_list_push(hs_node_list *l, hs_node *n)
{
	int rc = hs_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v, 16);
	if (rc)
		return rc;
	l->v[l->n++] = n;
	return HS_OK;
}

void hs_node_list_free(hs_node_list *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* ------------------------------------------------------------- names */

static int reserve(hs_stub_ctx *ctx, size_t need)
{
	return hs_grow((void **)&ctx->name_buf, &ctx->name_cap, need, 1, 128);
}

/* prefix + base, or with `_1`, `_2`... appended when taken.  The result
 * lives in ctx->name_buf until the next call.  Names are looked up by
 * length; a base with a NUL byte (which no node name has: the loader and
 * the detector refuse them) is refused, never searched for. */
static const char *unique_name(hs_stub_ctx *ctx, const char *prefix, hs_str base)
{
	size_t pl = strlen(prefix), len = pl + base.len, at = len;
	if (memchr(base.ptr, '\0', base.len)) {
		hs_fail(HS_EINVAL, "name '%.*s' contains a NUL byte", HS_NAME_ARG(base));
		return NULL;
	}
	if (reserve(ctx, len + 24))
		return NULL;
	memcpy(ctx->name_buf, prefix, pl);
	memcpy(ctx->name_buf + pl, base.ptr, base.len);
	ctx->name_buf[len] = '\0';
	for (unsigned long k = 1; hs_graph_find_node(ctx->g, ctx->name_buf, at); k++)
		at = len + (size_t)snprintf(ctx->name_buf + len, 24, "_%lu", k);
	return ctx->name_buf;
}

const char *hs_stub_unique_name(hs_stub_ctx *ctx, const char *prefix, hs_str base)
{
	return unique_name(ctx, prefix, base);
}

/* Scratch arrays of the context, reused from call to call: a conversion
 * builds tens of thousands of stubs. */
static int refs_room(hs_stub_ctx *ctx, size_t n)
{
	return hs_grow((void **)&ctx->refs, &ctx->cap_refs, n ? n : 1, sizeof *ctx->refs, 16);
}

static int ints_room(hs_stub_ctx *ctx, size_t n)
{
	return hs_grow((void **)&ctx->ints, &ctx->cap_ints, n ? n : 1, sizeof *ctx->ints, 16);
}

void hs_stub_ctx_free(hs_stub_ctx *ctx)
{
	hs_node_list_free(&ctx->packs);
	hs_node_list_free(&ctx->unpacks);
	free(ctx->name_buf);
	free(ctx->refs);
	free(ctx->ints);
	free(ctx->types);
	free(ctx->op_buf);
	free(ctx->doomed);
}

/* The one input of n: port `port` of src. */
static int set_single_input(hs_node *n, hs_node *src, int port)
{
	hs_output_ref one = { src, port };
	return hs_node_set_inputs_to(n, &one, 1);
}

/* ------------------------------------------------------------- helpers */

static int add_node(hs_node **out, hs_stub_ctx *ctx, const char *prefix, hs_str base, const char *op,
		    hs_node **after)
{
	const char *name = unique_name(ctx, prefix, base);
	if (!name)
		return hs_error_last_code();
	int rc = hs_graph_add_node(out, ctx->g, name, op, *after);
	if (rc)
		return rc;
	*after = *out;
	return HS_OK;
}

static int copy_type_attr(hs_node *to, const char *to_key, const hs_node *from)
{
	hs_str raw;
	if (hs_node_find_raw_attr(&raw, from, "T", 1) != HS_OK)
		return HS_OK;
	return hs_node_set_attr_raw(to, to_key, raw);
}

/* The -1 float of the newest TensorFlow at absent input indices. */
static int set_minus_one(hs_node *k)
{
	Tensorflow__TensorShapeProto__Dim dim = TENSORFLOW__TENSOR_SHAPE_PROTO__DIM__INIT;
	Tensorflow__TensorShapeProto__Dim *dims[1] = { &dim };
	Tensorflow__TensorShapeProto shape = TENSORFLOW__TENSOR_SHAPE_PROTO__INIT;
	Tensorflow__TensorProto t = TENSORFLOW__TENSOR_PROTO__INIT;
	Tensorflow__AttrValue v = TENSORFLOW__ATTR_VALUE__INIT;
	float minus_one = -1.0f;
	uint8_t buf[64];
	dim.size = 1;
	shape.n_dim = 1;
	shape.dim = dims;
	t.dtype = (Tensorflow__DataType)HS_DT_FLOAT;
	t.tensor_shape = &shape;
	t.n_float_val = 1;
	t.float_val = &minus_one;
	v.value_case = TENSORFLOW__ATTR_VALUE__VALUE_TENSOR;
	v.tensor = &t;
	size_t len = tensorflow__attr_value__get_packed_size(&v);
	if (len > sizeof buf)
		return hs_fail(HS_ERROR, "optional-input constant does not fit");
	tensorflow__attr_value__pack(&v, buf);
	hs_str raw = { (const char *)buf, len };
	int rc = hs_node_set_attr_type(k, "dtype", HS_DT_FLOAT);
	return rc ? rc : hs_node_set_attr_raw(k, "value", raw);
}

static hs_node *later_original(hs_node *best, hs_node *n)
{
	if (n && !(n->flags & HS_NODE_F_NEW) && (!best || hs_node_id(n) > hs_node_id(best)))
		return n;
	return best;
}

hs_node *hs_stub_anchor(const hs_call *c, int every_element)
{
	hs_node *best = NULL;
	if (!every_element) {
		for (size_t i = 0; i < c->n_inputs; i++)
			best = later_original(best, hs_operand_identity_at(&c->inputs[i],
							 hs_operand_kept(&c->inputs[i])));
		return best;
	}
	hs_kept_iter it;
	uint32_t id;
	for (hs_kept_begin(&it, c, 0); hs_kept_next(&it, &id);)
		best = later_original(best, hs_callset_node(c->set, id));
	return best;
}

/* ---------------------------------------------------------------- build */

static int stack_input(hs_stub_ctx *ctx, const hs_operand *o,
		       hs_node **after, hs_node **pack_out)
{
	hs_node *pack;
	int rc = add_node(&pack, ctx, "OpHintStack-", hs_name_of(hs_operand_identity_at(o, 0)),
			  "Pack", after);
	if (rc)
		return rc;
	if ((rc = hs_node_list_push(&ctx->packs, pack)) ||
	    (rc = hs_node_set_attr_i(pack, "N", (int64_t)o->count)) ||
	    (rc = copy_type_attr(pack, "T", hs_operand_identity_at(o, 0))))
		return rc;
	/* The stub's own inputs are gathered in ctx->refs: the Pack's go in
	 * an array of their own. */
	hs_output_ref *refs = malloc(o->count * sizeof *refs);
	if (!refs)
		return hs_fail(HS_ENOMEM, "out of memory");
	for (size_t e = 0; e < o->count; e++)
		refs[e] = (hs_output_ref){ hs_operand_identity_at(o, e), 0 };
	rc = hs_node_set_inputs_to(pack, refs, o->count);
	free(refs);
	*pack_out = pack;
	return rc;
}

static hs_node *kept_element(const hs_operand *o)
{
	return hs_operand_identity_at(o, hs_operand_kept(o));
}

static int output_types(hs_stub_ctx *ctx, const hs_call *c, hs_node *stub)
{
	int dense = ctx->opts->input_layout == HS_LAYOUT_DENSE;
	size_t n = dense ? (size_t)(hs_plan_max_index(c->outputs, c->n_outputs) + 1) : c->n_outputs;
	if (hs_grow((void **)&ctx->types, &ctx->cap_types, n ? n : 1, sizeof *ctx->types, 16))
		return HS_ENOMEM;
	int *types = ctx->types;
	memset(types, 0, (n ? n : 1) * sizeof *types);
	for (size_t i = 0; i < c->n_outputs; i++) {
		const hs_operand *o = &c->outputs[i];
		int t = o->dtype;
		if (ctx->opts->tf_exact && o->aggregation != HS_AGG_STACK)
			t = 0;
		types[dense ? (size_t)o->index : i] = t;
	}
	return hs_node_set_attr_list_type(stub, HS_ATTR_STUB_OUTPUT_TYPES, types, n);
}

static int stub_attrs(hs_stub_ctx *ctx, const hs_call *c, hs_node *stub)
{
	if (ints_room(ctx, c->n_inputs))
		return HS_ENOMEM;
	for (size_t i = 0; i < c->n_inputs; i++)
		ctx->ints[i] = c->inputs[i].index;
	int rc = hs_node_set_attr_list_i(stub, HS_ATTR_STUB_INPUT_INDICES, ctx->ints,
					 c->n_inputs);
	if (!rc)
		rc = output_types(ctx, c, stub);
	if (!rc)
		rc = hs_node_set_attr_b(stub, HS_ATTR_STUB_OUTPUT_QUANTIZED, 0);
	return rc;
}

/* The stub's inputs into ctx->refs[0..*n): per slot the kept identity,
 * the Pack of a stacked operand, or (dense layout) the -1 Const. */
static int build_inputs(hs_stub_ctx *ctx, const hs_call *c,
			hs_node **after, size_t *n_out)
{
	int dense = ctx->opts->input_layout == HS_LAYOUT_DENSE;
	size_t n = dense ? (size_t)(hs_plan_max_index(c->inputs, c->n_inputs) + 1) : c->n_inputs;
	hs_node *konst = NULL;
	int rc;
	if (refs_room(ctx, n))
		return HS_ENOMEM;
	if (hs_plan_needs_const(ctx->opts, c)) {
		if ((rc = add_node(&konst, ctx, "Const", c->uuid, "Const", after)) ||
		    (rc = set_minus_one(konst)))
			return rc;
	}
	for (size_t i = 0; i < n; i++)
		ctx->refs[i] = (hs_output_ref){ konst, 0 };
	for (size_t i = 0; i < c->n_inputs; i++) {
		const hs_operand *o = &c->inputs[i];
		hs_output_ref *slot = &ctx->refs[dense ? (size_t)o->index : i];
		if (o->aggregation == HS_AGG_STACK) {
			if ((rc = stack_input(ctx, o, after, &slot->node)) != HS_OK)
				return rc;
		} else {
			slot->node = kept_element(o);
		}
	}
	*n_out = n;
	return HS_OK;
}

/* The function name as an op: a terminated copy in ctx->op_buf. */
static const char *op_of(hs_stub_ctx *ctx, const hs_call *c)
{
	if (hs_grow((void **)&ctx->op_buf, &ctx->op_cap, c->function.len + 1, 1, 64))
		return NULL;
	memcpy(ctx->op_buf, c->function.ptr, c->function.len);
	ctx->op_buf[c->function.len] = '\0';
	return ctx->op_buf;
}

int hs_stub_build(hs_stub_ctx *ctx, const hs_call *c, hs_node *after,
		  hs_node **stub_out)
{
	hs_node *stub = NULL;
	size_t n = 0;
	const char *op = op_of(ctx, c);
	if (!op)
		return HS_ENOMEM;
	int rc = build_inputs(ctx, c, &after, &n);
	if (!rc) {
		/* Named after the uuid: its own bytes when no suffix was needed
		 * (the graph keeps a view of the hint's attribute, no copy). */
		const char *name = unique_name(ctx, "", c->uuid);
		hs_str nm = { name, name ? strlen(name) : 0 };
		if (nm.len == c->uuid.len)
			nm = c->uuid;
		rc = name ? hs_graph_add_node_named(&stub, ctx->g, nm, op, after)
			  : hs_error_last_code();
	}
	if (!rc)
		rc = hs_node_set_inputs_to(stub, ctx->refs, n);
	if (!rc)
		rc = stub_attrs(ctx, c, stub);
	*stub_out = stub;
	return rc;
}

/* --------------------------------------------------------------- finish */

static int add_unpack(hs_stub_ctx *ctx, const hs_operand *o, hs_node *stub,
		      hs_node **after, hs_node **out)
{
	hs_node *u;
	int rc = add_node(&u, ctx, "OpHintUnstack-", hs_name_of(hs_operand_identity_at(o, 0)),
			  "Unpack", after);
	if (rc || (rc = hs_node_list_push(&ctx->unpacks, u)) ||
	    (rc = hs_node_set_attr_i(u, "num", (int64_t)o->count)) ||
	    (rc = copy_type_attr(u, "T", hs_operand_identity_at(o, 0))) ||
	    (rc = set_single_input(u, stub, (int)o->index)))
		return rc;
	*out = u;
	return HS_OK;
}

static int rewire_output(const hs_operand *o, hs_node *stub, hs_node *unpack)
{
	if (o->aggregation != HS_AGG_STACK)
		return set_single_input(kept_element(o), stub, (int)o->index);
	for (size_t j = 0; j < o->count; j++) {
		int rc = set_single_input(hs_operand_identity_at(o, j), unpack, (int)j);
		if (rc)
			return rc;
	}
	return HS_OK;
}

int hs_stub_remove_region(hs_stub_ctx *ctx, const hs_region *r)
{
	int rc = hs_grow((void **)&ctx->doomed, &ctx->cap_doomed, r->n ? r->n : 1,
			 sizeof *ctx->doomed, 64);
	if (rc)
		return rc;
	for (size_t i = 0; i < r->n; i++)
		ctx->doomed[i] = (hs_node *)hs_graph_node_at(ctx->g, hs_region_ids(r)[i]);
	return hs_graph_remove_nodes(ctx->g, ctx->doomed, r->n);
}

/* New nodes first (an addition while inputs dangle scans the graph), then
 * the interior goes in one batch, then the output identities are rewired:
 * their old producers are gone by then, so each rewiring costs only its
 * own edge, however many identities read one interior node. */
int hs_stub_finish(hs_stub_ctx *ctx, const hs_call *c, const hs_region *region,
		   hs_node *stub)
{
	hs_node *after = stub;
	hs_node **unpack = calloc(c->n_outputs ? c->n_outputs : 1, sizeof *unpack);
	if (!unpack)
		return hs_fail(HS_ENOMEM, "out of memory");
	int rc = HS_OK;
	for (size_t i = 0; i < c->n_outputs && !rc; i++)
		if (c->outputs[i].aggregation == HS_AGG_STACK)
			rc = add_unpack(ctx, &c->outputs[i], stub, &after, &unpack[i]);
	if (!rc)
		rc = hs_stub_remove_region(ctx, region);
	for (size_t i = 0; i < c->n_outputs && !rc; i++)
		rc = rewire_output(&c->outputs[i], stub, unpack[i]);
	free(unpack);
	return rc;
}

static void forget_removed(hs_node_list *l)
{
	size_t k = 0;
	for (size_t i = 0; i < l->n; i++)
		if (!(l->v[i]->flags & HS_NODE_F_REMOVED))
			l->v[k++] = l->v[i];
	l->n = k;
}

void hs_stub_rollback(hs_stub_ctx *ctx, size_t first_new)
{
	hs_graph *g = ctx->g;
	if (first_new >= g->n_new)
		return;
	hs_graph_remove_nodes(g, g->new_nodes + first_new, g->n_new - first_new);
	/* Forget them in the clean-up lists too. */
	forget_removed(&ctx->packs);
	forget_removed(&ctx->unpacks);
}
