/* Writing a graph: untouched nodes and other GraphDef fields go out as the
 * bytes they came in as; edited and new nodes are re-encoded keeping every
 * field they did not change. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "attr_iter.h"
#include "error.h"
#include "graph_internal.h"
#include "sink.h"

static void put_inputs(hs_buf *b, const hs_node *n)
{
	for (uint32_t i = 0; i < n->n_inputs; i++) {
		hs_str text = hs_input_text(n->graph, &hs_node_inputs(n)[i]);
		hs_buf_put_len_field(b, HS_NODE_INPUT, text.ptr, text.len);
	}
}

static void put_attr_entry(hs_buf *b, const char *key, size_t key_len,
			   const void *value, size_t value_len)
{
	size_t entry = 1 + hs_varint_size(key_len) + key_len + 1 +
		       hs_varint_size(value_len) + value_len;
	hs_buf_put_tag(b, HS_NODE_ATTR, HS_WT_LEN);
	hs_buf_put_varint(b, entry);
	hs_buf_put_len_field(b, 1, key, key_len);
	hs_buf_put_len_field(b, 2, value, value_len);
}

static void put_edit_entry(hs_buf *b, const hs_node *n, const hs_attr_edit *e)
{
	hs_str key = hs_attr_edit_key(n->graph, e);
	put_attr_entry(b, key.ptr, key.len, e->value, e->value_len);
}

/* Edits whose key is not among the original attributes (done[i]: the
 * list's i-th was; done NULL: a new node, all of them), in key order. */
static void put_added_attrs(hs_buf *b, const hs_node *n, const uint8_t *done)
{
	hs_edit_walk w;
	size_t i;
	if (hs_edit_walk_init(&w, n) != HS_OK) {
		b->failed = 1;
		return;
	}
	for (const hs_attr_edit *e; (e = hs_edit_walk_next(&w, &i));)
		if (!hs_attr_edit_removed(e) && (!done || !done[i]))
			put_edit_entry(b, n, e);
	hs_edit_walk_free(&w);
}

/* The edit for an original attr entry, if any.  Like every protobuf
 * reader (and hs_node_find_raw_attr), the entry's last key field is its
 * key. */
static const hs_attr_edit *edit_for_entry(const hs_node *n, const hs_field *f,
					  size_t *pos)
{
	hs_attr_entry entry;
	hs_attr_entry_read(&entry, f->data, f->len);
	const char *key = entry.key.ptr;
	size_t key_len = entry.key.len;
	size_t i = 0;
	for (const hs_attr_edit *ed = hs_node_attr_edits(n); ed; ed = ed->next, i++)
		if (hs_attr_edit_key(n->graph, ed).len == key_len &&
		    memcmp(hs_attr_edit_key(n->graph, ed).ptr, key, key_len) == 0) {
			*pos = i;
			return ed;
		}
	return NULL;
}

static void encode_new(hs_buf *b, const hs_node *n)
{
	hs_buf_put_len_field(b, HS_NODE_NAME, hs_name_of(n).ptr, hs_name_of(n).len);
	hs_buf_put_len_field(b, HS_NODE_OP, hs_op_of(n).ptr, hs_op_of(n).len);
	put_inputs(b, n);
	hs_str device = hs_node_device(n);
	if (device.len)
		hs_buf_put_len_field(b, HS_NODE_DEVICE, device.ptr, device.len);
	put_added_attrs(b, n, NULL);
}

/* Emits pending groups whose field number comes before `number`. */
typedef struct edit_state {
	int inputs_done, device_done, attrs_done;
	uint8_t *attr_done;
} edit_state;

static void flush_before(hs_buf *b, const hs_node *n, edit_state *st,
			 uint32_t number)
{
	if (!st->inputs_done && (n->flags & HS_NODE_F_INPUTS_EDITED) &&
	    number > HS_NODE_INPUT) {
		put_inputs(b, n);
		st->inputs_done = 1;
	}
	if (!st->device_done && (n->flags & HS_NODE_F_DEVICE_EDITED) &&
	    number > HS_NODE_DEVICE) {
		hs_str device = hs_node_device(n);
		if (device.len)
			hs_buf_put_len_field(b, HS_NODE_DEVICE, device.ptr,
					     device.len);
		st->device_done = 1;
	}
	if (!st->attrs_done && number > HS_NODE_ATTR) {
		put_added_attrs(b, n, st->attr_done);
		st->attrs_done = 1;
	}
}

/* A field the loop below would copy as it is with nothing put before it,
 * so that it may join the run of fields copied just before.  Only without
 * attribute edits (added attributes may go before any later field); a
 * field not listed is not merged, which is always right. */
static int field_is_kept(const hs_node *n, const hs_field *f, const edit_state *st)
{
	int inputs_out = st->inputs_done || !(n->flags & HS_NODE_F_INPUTS_EDITED);
	int device_out = st->device_done || !(n->flags & HS_NODE_F_DEVICE_EDITED);
	if (hs_node_attr_edits(n))
		return 0;
	switch (f->number) {
	case HS_NODE_NAME:
	case HS_NODE_OP:
		return 1;
	case HS_NODE_INPUT:
		return !(n->flags & HS_NODE_F_INPUTS_EDITED);
	case HS_NODE_ATTR:
		return inputs_out && device_out;
	default:
		return 0;
	}
}

static void encode_edited(hs_buf *b, const hs_node *n)
{
	size_t n_edits = 0;
	for (const hs_attr_edit *e = hs_node_attr_edits(n); e; e = e->next)
		n_edits++;
	/* Most edited nodes have their inputs rewired and no attribute
	 * edited: no marks to allocate then. */
	uint8_t no_marks = 0;
	edit_state st = { 0, 0, 0, n_edits ? calloc(n_edits, 1) : &no_marks };
	if (!st.attr_done) {
		b->failed = 1;
		return;
	}
	uint32_t body_len;
	const uint8_t *p = hs_node_body_span(n, &body_len), *end = p + body_len;
	/* Unchanged fields in a row are copied in one go, before anything
	 * else is put. */
	const uint8_t *kept = NULL, *kept_end = NULL;
	hs_field f;
	int seen_attr = 0;
	while (hs_wire_next(&f, &p, end) == HS_WIRE_OK) {
		if (kept && f.start == kept_end && field_is_kept(n, &f, &st)) {
			kept_end = f.end;
			seen_attr |= f.number == HS_NODE_ATTR;
			continue;
		}
		if (kept)
			hs_buf_put(b, kept, (size_t)(kept_end - kept));
		kept = NULL;
		/* Added attributes follow the last original one. */
		if (seen_attr && f.number != HS_NODE_ATTR && !st.attrs_done) {
			put_added_attrs(b, n, st.attr_done);
			st.attrs_done = 1;
		}
		flush_before(b, n, &st, f.number);
		if (f.number == HS_NODE_INPUT && (n->flags & HS_NODE_F_INPUTS_EDITED)) {
			if (!st.inputs_done)
				put_inputs(b, n);
			st.inputs_done = 1;
			continue;
		}
		if (f.number == HS_NODE_DEVICE && (n->flags & HS_NODE_F_DEVICE_EDITED)) {
			hs_str device = hs_node_device(n);
			if (!st.device_done && device.len)
				hs_buf_put_len_field(b, HS_NODE_DEVICE, device.ptr,
						     device.len);
			st.device_done = 1;
			continue;
		}
		if (f.number == HS_NODE_ATTR && n_edits) {
			size_t pos = 0;
			const hs_attr_edit *e = edit_for_entry(n, &f, &pos);
			seen_attr = 1;
			if (e) {
				if (!hs_attr_edit_removed(e) && !st.attr_done[pos])
					put_edit_entry(b, n, e);
				st.attr_done[pos] = 1;
				continue;
			}
		}
		seen_attr |= f.number == HS_NODE_ATTR;
		kept = f.start;
		kept_end = f.end;
	}
	if (kept)
		hs_buf_put(b, kept, (size_t)(kept_end - kept));
	flush_before(b, n, &st, UINT32_MAX);
	if (n_edits)
		free(st.attr_done);
}

void hs_node_encode(hs_buf *b, const hs_node *n)
{
	if (n->flags & HS_NODE_F_NEW)
		encode_new(b, n);
	else
		encode_edited(b, n);
}

static int node_is_edited(const hs_node *n)
{
	return (n->flags & (HS_NODE_F_NEW | HS_NODE_F_INPUTS_EDITED |
			    HS_NODE_F_ATTRS_EDITED | HS_NODE_F_DEVICE_EDITED)) != 0;
}

/* Scratch of one serialization: an edited node's body and its field
 * head (tag and length), reused from node to node; and the run of source
 * bytes (unchanged nodes, other fields) not yet handed to the sink, which
 * grows while the next piece continues it, so that a run of unchanged
 * nodes reaches the sink as one write (one call and one copy a run, not a
 * node). */
typedef struct write_state {
	hs_sink *sink;
	uint32_t node_field;   /* the container's node list field */
	hs_buf body;
	hs_buf head;
	const uint8_t *run;
	size_t run_len;
} write_state;

static int flush_run(write_state *w)
{
	int rc = w->run_len ? hs_sink_write(w->sink, w->run, w->run_len) : HS_OK;
	w->run_len = 0;
	return rc;
}

/* Source bytes, written as they came in. */
static int write_source(write_state *w, const uint8_t *p, size_t len)
{
	if (w->run_len && w->run + w->run_len == p) {
		w->run_len += len;
		return HS_OK;
	}
	int rc = flush_run(w);
	w->run = p;
	w->run_len = len;
	return rc;
}

/* field_len: an unchanged original node's field length when the caller
 * knows it (0: read it from the field's head). */
static int write_node(write_state *w, const hs_node *n, size_t field_len)
{
	if (!node_is_edited(n))
		return write_source(w, hs_node_field(n),
				    field_len ? field_len : hs_node_field_len(n));
	int rc = flush_run(w);
	if (rc)
		return rc;
	w->body.len = 0;
	w->head.len = 0;
	hs_node_encode(&w->body, n);
	hs_buf_put_tag(&w->head, w->node_field, HS_WT_LEN);
	hs_buf_put_varint(&w->head, w->body.len);
	if (w->body.failed || w->head.failed)
		return hs_fail(HS_ENOMEM, "out of memory encoding node '%.*s'",
			       HS_NODE_NAME_ARG(n));
	rc = hs_sink_write(w->sink, w->head.data, w->head.len);
	return rc ? rc : hs_sink_write(w->sink, w->body.data, w->body.len);
}

/* Writes new nodes chained after `n`, then returns. */
static int write_chain(write_state *w, const hs_node *n)
{
	for (; n; n = hs_node_next_new(n))
		if (!(n->flags & HS_NODE_F_REMOVED)) {
			int rc = write_node(w, n, 0);
			if (rc)
				return rc;
		}
	return HS_OK;
}

/* Original node i's field length, with no read of its head: up to where
 * the next top-level field of the file begins (item k, the first not yet
 * written, when it came right after the node; else node i + 1; the end of
 * the bytes after the last). */
static size_t field_len_from_next(const hs_graph *g, size_t i, size_t k)
{
	const uint8_t *start = hs_node_field(&g->nodes[i]), *end;
	if (k < g->n_items && g->items[k].before == i + 1)
		end = g->items[k].at;
	else
		end = i + 1 < g->n_nodes ? hs_node_field(&g->nodes[i + 1]) : g->bytes + g->size;
	return (size_t)(end - start);
}

/* The container's fields other than nodes go out where they came in;
 * nodes are written under the container's node field (GraphDef.node = 1,
 * FunctionDef.node_def = 3). */
int hs_graph_serialize(const hs_graph *g, hs_sink *s)
{
	write_state w = { s, g->container->node_field, { 0 }, { 0 }, NULL, 0 };
	int rc = HS_OK;
	size_t k = 0;
	for (size_t i = 0; rc == HS_OK && i <= g->n_nodes; i++) {
		for (; rc == HS_OK && k < g->n_items && g->items[k].before <= i; k++)
			rc = write_source(&w, g->items[k].field, g->items[k].len);
		if (rc != HS_OK || i == g->n_nodes)
			break;
		const hs_node *n = &g->nodes[i];
		if (!(n->flags & HS_NODE_F_REMOVED))
			rc = write_node(&w, n, field_len_from_next(g, i, k));
		if (rc == HS_OK)
			rc = write_chain(&w, hs_node_next_new(n));
	}
	if (rc == HS_OK)
		rc = write_chain(&w, g->tail_new_first);
	if (rc == HS_OK)
		rc = flush_run(&w);
	hs_buf_free(&w.body);
	hs_buf_free(&w.head);
	return rc;
}

size_t hs_graph_serialized_size(const hs_graph *g)
{
	hs_sink s;
	hs_sink_init_count(&s);
	if (hs_graph_serialize(g, &s) != HS_OK)
		return 0;
	return s.count;
}

int hs_graph_write_buffer(void **out, size_t *out_size, const hs_graph *g)
{
	hs_sink s;
	*out = NULL;
	*out_size = 0;
	hs_sink_init_buffer(&s);
	int rc = hs_graph_serialize(g, &s);
	if (rc == HS_OK && s.buf.failed)
		rc = hs_fail(HS_ENOMEM, "out of memory serializing the graph");
	if (rc != HS_OK) {
		hs_buf_free(&s.buf);
		return rc;
	}
	*out = s.buf.data ? s.buf.data : malloc(1);
	*out_size = s.buf.len;
	return *out ? HS_OK : hs_fail(HS_ENOMEM, "out of memory");
}
