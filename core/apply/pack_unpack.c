/* Collapsing hint-made Pack/Unpack pairs (doc/conversion.md), but only where the
 * pair is provably the identity: a Pack whose N inputs are, in order,
 * outputs 0..N-1 of one Unpack (directly or through Identity chains), with
 * the same axis, N == num and the same T.  At least one side of the pair
 * was made by this conversion, so user pairs elsewhere are left alone.
 * Readers of the Pack then read the Unpack's input; the Pack goes, and
 * the Identities and the Unpack go only when nothing else reads them.
 * A Pack nobody reads is a graph output (the model's stacked result, asked
 * for by name as an output array): it stays, and so does its pair. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "stub.h"

static int64_t int_attr(const hs_node *n, const char *key, int64_t dflt, int *ok)
{
	hs_attr a;
	int rc = hs_node_attr(&a, n, key);
	if (rc == HS_ENOTFOUND || (rc == HS_OK && a.kind == HS_ATTR_NONE))
		return dflt;
	if (rc != HS_OK || a.kind != HS_ATTR_I)
		*ok = 0;
	return a.v.i;
}

static int same_type_attr(const hs_node *a, const hs_node *b)
{
	hs_str ra, rb;
	int fa = hs_node_find_raw_attr(&ra, a, "T", 1) == HS_OK;
	int fb = hs_node_find_raw_attr(&rb, b, "T", 1) == HS_OK;
	if (fa != fb)
		return 0;
	return !fa || (ra.len == rb.len && memcmp(ra.ptr, rb.ptr, ra.len) == 0);
}

static int has_control_input(const hs_node *n)
{
	for (uint32_t i = 0; i < n->n_inputs; i++)
		if (hs_node_input_port(n, i) < 0)
			return 1;
	return 0;
}

/* Follows Identity nodes up from (src, port); returns the first node that
 * is not a plain Identity, and its port. */
static hs_node *through_identities(hs_node *src, int *port)
{
	while (src && hs_str_eq(hs_op_of(src), "Identity") && *port == 0 &&
	       src->n_inputs == 1 && hs_node_input_port(src, 0) >= 0) {
		*port = hs_node_input_port(src, 0);
		src = hs_node_input_src(src, 0);
	}
	return src;
}

/* The Unpack a Pack undoes, or NULL. */
static hs_node *matching_unpack(const hs_node *pack)
{
	if ((pack->flags & HS_NODE_F_REMOVED) || !hs_str_eq(hs_op_of(pack), "Pack") ||
	    has_control_input(pack) || pack->n_inputs == 0 ||
	    pack->n_consumers == 0)
		return NULL;
	int ok = 1;
	int64_t n = int_attr(pack, "N", pack->n_inputs, &ok);
	int64_t axis = int_attr(pack, "axis", 0, &ok);
	if (!ok || n != (int64_t)pack->n_inputs)
		return NULL;
	hs_node *unpack = NULL;
	for (uint32_t i = 0; i < pack->n_inputs; i++) {
		int port = hs_node_input_port(pack, i);
		hs_node *src = through_identities(hs_node_input_src(pack, i), &port);
		if (!src || port != (int)i || (unpack && src != unpack))
			return NULL;
		unpack = src;
	}
	if (!hs_str_eq(hs_op_of(unpack), "Unpack") || unpack->n_inputs != 1 ||
	    hs_node_input_port(unpack, 0) < 0 || !hs_node_input_src(unpack, 0))
		return NULL;
	if (int_attr(unpack, "num", -1, &ok) != n ||
	    int_attr(unpack, "axis", 0, &ok) != axis || !ok ||
	    !same_type_attr(pack, unpack))
		return NULL;
	return unpack;
}

static void remove_if_unread(hs_graph *g, hs_node *n, size_t *removed)
{
	if (!(n->flags & HS_NODE_F_REMOVED) && n->n_consumers == 0) {
		hs_graph_remove_node(g, n);
		(*removed)++;
	}
}

static int collapse(hs_graph *g, hs_node *pack, hs_node *unpack, size_t *removed)
{
	const hs_input *src = &hs_node_inputs(unpack)[0];
	hs_str text = hs_input_text(g, src);
	char *to = malloc(text.len + 1);
	if (!to)
		return hs_fail(HS_ENOMEM, "out of memory");
	memcpy(to, text.ptr, text.len);
	to[text.len] = '\0';
	int rc = hs_graph_rewire(NULL, g, pack, -1, to);
	free(to);
	if (rc)
		return rc;
	/* The chains, read before the Pack lets go of them. */
	size_t n_in = pack->n_inputs;
	hs_node **heads = malloc(n_in * sizeof *heads);
	if (!heads)
		return hs_fail(HS_ENOMEM, "out of memory");
	for (size_t i = 0; i < n_in; i++)
		heads[i] = hs_node_input_src(pack, i);
	hs_graph_remove_node(g, pack);
	(*removed)++;
	for (size_t i = 0; i < n_in; i++) {
		hs_node *n = heads[i];
		while (n && n != unpack && !(n->flags & HS_NODE_F_REMOVED) &&
		       n->n_consumers == 0) {
			hs_node *up = hs_node_input_src(n, 0);
			remove_if_unread(g, n, removed);
			n = up;
		}
	}
	free(heads);
	remove_if_unread(g, unpack, removed);
	return HS_OK;
}

/* Packs reading a hint Unpack through Identity chains; seen[] (by node
 * id) keeps each node to one visit. */
static int packs_below(hs_node_list *out, hs_node *unpack, uint8_t *seen)
{
	hs_node_list stack = { NULL, 0, 0 };
	int rc = hs_node_list_push(&stack, unpack);
	while (!rc && stack.n) {
		hs_node *n = stack.v[--stack.n];
		for (uint32_t i = 0; i < n->n_consumers && !rc; i++) {
			hs_node *r = hs_node_consumer_at(n, i);
			if (seen[hs_node_id(r)])
				continue;
			seen[hs_node_id(r)] = 1;
			if (hs_str_eq(hs_op_of(r), "Identity"))
				rc = hs_node_list_push(&stack, r);
			else if (hs_str_eq(hs_op_of(r), "Pack"))
				rc = hs_node_list_push(out, r);
		}
	}
	hs_node_list_free(&stack);
	return rc;
}

int hs_pack_unpack_collapse(size_t *removed, hs_stub_ctx *ctx)
{
	hs_graph *g = ctx->g;
	hs_node_list cands = { NULL, 0, 0 };
	int rc = HS_OK;
	*removed = 0;
	uint8_t *seen = calloc(hs_graph_id_limit(g) + 1, 1);
	if (!seen)
		return hs_fail(HS_ENOMEM, "out of memory");
	for (size_t i = 0; i < ctx->packs.n && !rc; i++) {
		seen[hs_node_id(ctx->packs.v[i])] = 1;
		rc = hs_node_list_push(&cands, ctx->packs.v[i]);
	}
	for (size_t i = 0; i < ctx->unpacks.n && !rc; i++)
		rc = packs_below(&cands, ctx->unpacks.v[i], seen);
	free(seen);
	for (size_t i = 0; i < cands.n && !rc; i++) {
		hs_node *unpack = matching_unpack(cands.v[i]);
		if (unpack)
			rc = collapse(g, cands.v[i], unpack, removed);
	}
	hs_node_list_free(&cands);
	return rc;
}
