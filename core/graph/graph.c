/* Loading a GraphDef into views over its own bytes, and the name and
 * consumer index over them. */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "attr_iter.h"
#include "error.h"
#include "grow.h"
#include "graph_internal.h"
#include "hash.h"
#include "text.h"

#define HS_DEFAULT_MAX_FILE ((uint64_t)8 << 30)
#define HS_DEFAULT_MAX_NODES 50000000ull
#define HS_DEFAULT_MAX_DEPTH 64
/* Attribute values are checked recursively; this bounds the stack. */
#define HS_MAX_DEPTH_CEILING 1024

static const char TFLITE_PREFIX[] = "_tflite_";
static const char HINTSTUB_PREFIX[] = "_hintstub_";

typedef struct hs_limits {
	uint64_t max_file_size;
	uint64_t max_nodes;
	uint32_t max_depth;
} hs_limits;

static hs_limits limits_from(const hs_load_options *o)
{
	hs_limits l = { HS_DEFAULT_MAX_FILE, HS_DEFAULT_MAX_NODES,
			HS_DEFAULT_MAX_DEPTH };
	if (o) {
		if (o->max_file_size)
			l.max_file_size = o->max_file_size;
		if (o->max_nodes)
			l.max_nodes = o->max_nodes;
		if (o->max_depth)
			l.max_depth = o->max_depth < HS_MAX_DEPTH_CEILING
				? o->max_depth : HS_MAX_DEPTH_CEILING;
	}
	return l;
}

int hs_load_options_init(hs_load_options *opts, unsigned int version)
{
	if (!opts)
		return hs_fail(HS_EINVAL, "hs_load_options_init: opts is NULL");
	if (version < 1 || version > HS_LOAD_OPTIONS_VERSION)
		return hs_fail(HS_EINVAL, "hs_load_options_init: unknown version %u (this library knows 1 to %d)",
			       version, HS_LOAD_OPTIONS_VERSION);
	memset(opts, 0, sizeof *opts);
	opts->version = version;
	return HS_OK;
}

/* Shared by the loaders (io.c too): a version we do not know means a
 * struct whose fields we cannot read. */
int hs_load_options_check(const hs_load_options *o)
{
	if (o && (o->version < 1 || o->version > HS_LOAD_OPTIONS_VERSION))
		return hs_fail(HS_EINVAL, "hs_load_options: unknown version %u (this library knows 1 to %d; use HS_LOAD_OPTIONS_INIT or hs_load_options_init)",
			       o->version, HS_LOAD_OPTIONS_VERSION);
	const uint32_t known = HS_LOAD_MAP | HS_LOAD_PARALLEL;
	if (o && (o->flags & ~known))
		return hs_fail(HS_EINVAL, "hs_load_options: unknown flags 0x%x",
			       o->flags & ~known);
	return HS_OK;
}

int hs_str_eq(hs_str s, const char *text)
{
	size_t n = strlen(text);
	return s.len == n && (n == 0 || memcmp(s.ptr, text, n) == 0);
}

/* TensorFlow's reading (ParseTensorName, which its graph importer uses):
 * a run of decimal digits at the end, directly after a ':' that is not
 * the first byte, is the port and what precedes the ':' the name;
 * otherwise a leading '^' makes a control input of the rest; otherwise
 * the whole text is the name, port 0.  So "a:-1", "a:0x1", "a:+1",
 * "a: 1", "a:" and ":1" are names (of no node, unless one is so named)
 * and "a:1:2" is port 2 of "a:1".  Refused: an empty name, a port past
 * 2^31-1 (TensorFlow lets it overflow) and "^a:1" (TensorFlow's node
 * "^a", which no node can be: a control input has no port). */
int hs_input_parse_why(hs_str *name_out, int *port_out, hs_str in, char *why,
		       size_t why_size)
{
	const char *p = in.ptr;
	size_t n = in.len, digits = 0;
	while (digits + 1 < n && p[n - 1 - digits] >= '0' && p[n - 1 - digits] <= '9')
		digits++;
	hs_str name = { p, n };
	long long port = 0;
	if (digits && n - digits >= 2 && p[n - 1 - digits] == ':') {
		name.len = n - digits - 1;
		for (size_t i = n - digits; i < n; i++) {
			port = port * 10 + (p[i] - '0');
			if (port > INT32_MAX) {
				snprintf(why, why_size, "its port is larger than 2^31-1");
				return HS_EINVAL;
			}
		}
		if (p[0] == '^') {
			snprintf(why, why_size,
				 "TensorFlow reads it as port %lld of a node '^%.*s': a control input has no port",
				 port, (int)(name.len - 1 > 200 ? 200 : name.len - 1), p + 1);
			return HS_EINVAL;
		}
	} else if (n && p[0] == '^') {
		name = (hs_str){ p + 1, n - 1 };
		port = -1;
	}
	if (name.len == 0) {
		snprintf(why, why_size, "its node name is empty");
		return HS_EINVAL;
	}
	if (name_out)
		*name_out = name;
	if (port_out)
		*port_out = (int)port;
	return HS_OK;
}

int hs_parse_input(hs_str *name_out, int *port_out, hs_str in)
{
	char why[320];
	if (hs_input_parse_why(name_out, port_out, in, why, sizeof why) == HS_OK)
		return HS_OK;
	return hs_fail(HS_EINVAL, "input '%.*s' is not of the form name, name:port or ^name (%s)",
		       HS_NAME_ARG(in), why);
}

/* The length of the text before its first ':' (all of it when none). */
static size_t before_colon(const char *p, size_t n)
{
	const char *c = memchr(p, ':', n);
	return c ? (size_t)(c - p) : n;
}

/* An output-arg index: decimal digits, at most nine (no overflow). */
static int parse_index(int *out, const char *p, size_t n)
{
	int v = 0;
	if (n == 0 || n > 9)
		return HS_EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return HS_EINVAL;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return HS_OK;
}

static int bad_function_input(hs_str in)
{
	return hs_fail(HS_EINVAL, "input '%.*s' is not of the form node:out_arg:index, node:out_arg, name or ^node",
		       HS_NAME_ARG(in));
}

/* hs_parse_function_input with no message: the binder's and the port's
 * reading (HS_EINVAL when the text is not of the syntax). */
static int function_input_split(hs_str *node, hs_str *out_arg, int *index, hs_str input)
{
	const char *p = input.ptr;
	size_t n = input.len;
	int control = n && p[0] == '^', idx = 0;
	if (control) {
		p++;
		n--;
	}
	size_t name_len = before_colon(p, n);
	hs_str arg = { "", 0 };
	if (name_len == 0 || (control && name_len < n))
		return HS_EINVAL;
	if (name_len < n) {
		const char *a = p + name_len + 1;
		size_t rest = n - name_len - 1;
		arg.ptr = a;
		arg.len = before_colon(a, rest);
		if (arg.len == 0)
			return HS_EINVAL;
		if (arg.len < rest &&
		    parse_index(&idx, a + arg.len + 1, rest - arg.len - 1) != HS_OK)
			return HS_EINVAL;
	}
	if (node) {
		node->ptr = p;
		node->len = name_len;
	}
	if (out_arg)
		*out_arg = arg;
	if (index)
		*index = control ? -1 : idx;
	return HS_OK;
}

int hs_parse_function_input(hs_str *node, hs_str *out_arg, int *index,
			    hs_str input)
{
	if (function_input_split(node, out_arg, index, input) != HS_OK)
		return bad_function_input(input);
	return HS_OK;
}

/* ----------------------------------------------------------- containers */

static const hs_field_rule graphdef_rules[] = {
	{ HS_GRAPH_LIBRARY, HS_WT_LEN, "library" },
	{ 3, HS_WT_VARINT, "version" },
	{ 4, HS_WT_LEN, "versions" },
	{ 5, HS_WT_LEN, "debug_info" },
};

const hs_container hs_graphdef_container = {
	"GraphDef", HS_GRAPH_NODE, "node", HS_GRAPH_LIBRARY, 0, 0,
	graphdef_rules, sizeof graphdef_rules / sizeof graphdef_rules[0]
};

static const hs_field_rule functiondef_rules[] = {
	{ 1, HS_WT_LEN, "signature" },
	{ 4, HS_WT_LEN, "ret" },
	{ 5, HS_WT_LEN, "attr" },
	{ 6, HS_WT_LEN, "control_ret" },
	{ 7, HS_WT_LEN, "arg_attr" },
	{ 8, HS_WT_LEN, "resource_arg_unique_id" },
};

const hs_container hs_functiondef_container = {
	"FunctionDef", HS_FUNCTION_NODE_DEF, "node_def", 0, 1, 1,
	functiondef_rules, sizeof functiondef_rules / sizeof functiondef_rules[0]
};

/* The name a field of the container is checked under, NULL when its wire
 * type is not checked; *wire_type gets the type it must have. */
static const char *field_rule(const hs_container *c, uint32_t number,
			      uint32_t *wire_type)
{
	if (number == c->node_field) {
		*wire_type = HS_WT_LEN;
		return c->node_field_name;
	}
	for (size_t i = 0; i < c->n_rules; i++)
		if (c->rules[i].number == number) {
			*wire_type = c->rules[i].wire_type;
			return c->rules[i].name;
		}
	return NULL;
}

/* ---------------------------------------------------------------- parse */

enum { RECENT_OPS = 4 };

/* The parse hands its nodes to the indexing thread this many at a time. */
enum { PUBLISH_EVERY = 2048 };

typedef struct index_worker index_worker;

typedef struct hs_parse {
	hs_graph *g;
	const hs_limits *lim;
	hs_input *inputs;
	size_t n_inputs, cap_inputs;
	size_t cap_nodes, cap_items;
	uint32_t recent_ops[RECENT_OPS]; /* the last distinct ops met */
	unsigned next_recent;
	index_worker *worker;      /* indexing beside the parse, or NULL */
	size_t n_parsed;           /* nodes parsed, when the parse is done */
} hs_parse;

static void worker_pause(index_worker *w);
static void worker_resume(index_worker *w);
static void worker_publish(index_worker *w, size_t parsed);

static int parse_fail(hs_parse *ps, const uint8_t *at, int code,
		      const char *fmt, const char *detail)
{
	hs_fail(code, fmt, detail, (size_t)(at - ps->g->bytes));
	return code;
}

/* The producer's name and the port of input text in g's syntax; 0 when
 * the text is of neither syntax (it names no node: port 0, as
 * hs_input_bind).  No message is set. */
static int input_name(const hs_graph *g, hs_str *name, int *port, hs_str text)
{
	char why[8];
	*port = 0;
	if (g->container->function_inputs)
		return function_input_split(name, NULL, port, text) == HS_OK;
	return hs_input_parse_why(name, port, text, why, sizeof why) == HS_OK;
}

int hs_input_port(const hs_graph *g, const hs_input *in)
{
	hs_str name;
	int port;
	input_name(g, &name, &port, hs_input_text(g, in));
	return port;
}

/* The hash of the producer's name, taken while the input's bytes are in
 * the cache (it waits in src until the input is bound). */
static void parse_input_key(const hs_graph *g, hs_input *in)
{
	hs_str name;
	int port;
	int ok = input_name(g, &name, &port, hs_input_text(g, in));
	in->src = ok ? hs_name_hash(name.ptr, name.len) : 0;
}

static int push_input(hs_parse *ps, const uint8_t *data, size_t len)
{
	(void)len; /* hs_input_text reads it back from the varint before data */
	/* The block moves: never under the indexing thread's feet. */
	int moves = ps->worker && ps->n_inputs + 1 > ps->cap_inputs;
	if (moves)
		worker_pause(ps->worker);
	int rc = hs_grow((void **)&ps->inputs, &ps->cap_inputs, ps->n_inputs + 1,
			 sizeof *ps->inputs, 1024);
	if (moves)
		worker_resume(ps->worker);
	if (rc)
		return hs_fail(HS_ENOMEM, "out of memory reading inputs");
	hs_input *in = &ps->inputs[ps->n_inputs++];
	in->text = (uint32_t)(data - ps->g->bytes); /* the bytes are < 4 GiB */
	parse_input_key(ps->g, in);
	return HS_OK;
}

/* ------------------------------------------------- attribute values
 *
 * Attribute values are nested messages (AttrValue -> ListValue ->
 * NameAttrList -> AttrValue ...) that later readers, protobuf-c among
 * them, decode recursively.  Loading walks the message-typed fields of
 * every value once: each must be well-formed protobuf and the nesting
 * must stay within the depth limit, so that no later decoder meets
 * malformed bytes or recurses without bound.  Scalars and bytes fields
 * are not interpreted here. */

typedef enum value_kind {
	VK_ATTR_VALUE,
	VK_LIST_VALUE,
	VK_NAME_ATTR_LIST,
	VK_MAP_ENTRY,      /* NameAttrList.attr entry: key, AttrValue */
	VK_SHAPE,
	VK_DIM,
	VK_TENSOR,
	VK_VARIANT,        /* VariantTensorDataProto: tensors = 3 */
	/* The GraphDef's other message fields, kept and written back as
	 * they are: walked the same way at load (check_top_field), so that
	 * garbage is refused rather than copied into an output nothing
	 * parses. */
	VK_LIBRARY,        /* FunctionDefLibrary */
	VK_FUNCTION,       /* FunctionDef */
	VK_NODE_DEF,       /* NodeDef of a function body */
	VK_ARG_ATTR_ENTRY, /* FunctionDef.arg_attr entry: key, ArgAttrs */
	VK_ARG_ATTRS,      /* ArgAttrs: attr = 1 */
	VK_LEAF            /* a message whose fields are not walked */
} value_kind;

/* Which fields of which messages are messages walked for depth: field
 * `number` of a `parent` message is a `child` message (the AttrValue,
 * ListValue, NameAttrList, TensorShapeProto, TensorProto and
 * VariantTensorDataProto field numbers of TensorFlow's schema), indexed
 * directly: this runs for every field inside every attribute value.  0
 * is "not a walked message" (VK_ATTR_VALUE is never a child but of a map
 * entry, stored as VK_ATTR_VALUE + 1 like every kind). */
#define CHILD_FIELDS 16
static const uint8_t child_fields[VK_LEAF][CHILD_FIELDS] = {
	[VK_ATTR_VALUE] = { [1] = VK_LIST_VALUE + 1, [7] = VK_SHAPE + 1,
			    [8] = VK_TENSOR + 1, [10] = VK_NAME_ATTR_LIST + 1 },
	[VK_LIST_VALUE] = { [7] = VK_SHAPE + 1, [8] = VK_TENSOR + 1,
			    [9] = VK_NAME_ATTR_LIST + 1 },
	[VK_NAME_ATTR_LIST] = { [2] = VK_MAP_ENTRY + 1 },
	[VK_MAP_ENTRY] = { [2] = VK_ATTR_VALUE + 1 },
	[VK_SHAPE] = { [2] = VK_DIM + 1 },
	[VK_TENSOR] = { [2] = VK_SHAPE + 1, [15] = VK_VARIANT + 1 },
	[VK_VARIANT] = { [3] = VK_TENSOR + 1 },
	[VK_LIBRARY] = { [1] = VK_FUNCTION + 1, [2] = VK_LEAF + 1, [3] = VK_LEAF + 1 },
	[VK_FUNCTION] = { [1] = VK_LEAF + 1, [3] = VK_NODE_DEF + 1, [4] = VK_LEAF + 1,
			  [5] = VK_MAP_ENTRY + 1, [6] = VK_LEAF + 1,
			  [7] = VK_ARG_ATTR_ENTRY + 1, [8] = VK_LEAF + 1 },
	[VK_NODE_DEF] = { [5] = VK_MAP_ENTRY + 1, [6] = VK_LEAF + 1, [7] = VK_LEAF + 1 },
	[VK_ARG_ATTR_ENTRY] = { [2] = VK_ARG_ATTRS + 1 },
	[VK_ARG_ATTRS] = { [1] = VK_MAP_ENTRY + 1 },
};

/* The message kind of field `number` inside a `kind` message, VK_LEAF for
 * fields that are not messages (or not walked). */
static value_kind child_kind(value_kind kind, uint32_t number, int *is_message)
{
	unsigned c = kind < VK_LEAF && number < CHILD_FIELDS ? child_fields[kind][number] : 0;
	*is_message = c != 0;
	return c ? (value_kind)(c - 1) : VK_LEAF;
}

typedef struct value_check {
	hs_parse *ps;
	const hs_node *n;
	hs_str key;
} value_check;

static int value_fail(value_check *vc, const uint8_t *at, const char *what)
{
	if (!vc->n) /* a top-level field (check_top_field) */
		return hs_fail(HS_EPARSE, "not a %s: field '%.*s': %s at byte %zu",
			       vc->ps->g->container->message, HS_NAME_ARG(vc->key),
			       what, (size_t)(at - vc->ps->g->bytes));
	return hs_fail(HS_EPARSE, "attribute '%.*s': %s at byte %zu",
		       HS_NAME_ARG(vc->key),
		       what, (size_t)(at - vc->ps->g->bytes));
}

static int check_value(value_check *vc, value_kind kind, const uint8_t *p,
		       const uint8_t *end, uint32_t depth)
{
	if (depth > vc->ps->lim->max_depth) {
		char what[96];
		snprintf(what, sizeof what, "value nested deeper than the limit of %u",
			 (unsigned)vc->ps->lim->max_depth);
		return value_fail(vc, p, what);
	}
	hs_field f;
	int rc, is_message;
	while ((rc = hs_wire_next(&f, &p, end)) == HS_WIRE_OK) {
		value_kind child = child_kind(kind, f.number, &is_message);
		if (!is_message)
			continue;
		if (f.wire_type != HS_WT_LEN)
			return value_fail(vc, f.start, "message field has a wrong wire type");
		if ((rc = check_value(vc, child, f.data, f.data + f.len,
				      depth + 1)) != HS_OK)
			return rc;
	}
	if (rc != HS_WIRE_END)
		return value_fail(vc, p, hs_wire_status_text(rc));
	return HS_OK;
}

/* An attr map entry: key (1) and value (2), both length-delimited.  The
 * node's name may not be known yet (fields come in any order). */
static int check_attr_entry(hs_parse *ps, hs_node *n, const hs_field *entry)
{
	hs_attr_entry e;
	int rc = hs_attr_entry_read(&e, entry->data, entry->len);
	if (rc == HS_ATTR_ENTRY_BAD_KEY || rc == HS_ATTR_ENTRY_BAD_VALUE)
		return parse_fail(ps, e.bad, HS_EPARSE,
				  "attribute %s has a wrong wire type at byte %zu",
				  rc == HS_ATTR_ENTRY_BAD_KEY ? "key" : "value");
	if (rc != HS_WIRE_OK)
		return parse_fail(ps, e.bad, HS_EPARSE, "attribute entry: %s at byte %zu",
				  hs_wire_status_text(rc));
	if (e.key.len >= sizeof TFLITE_PREFIX - 1 &&
	    memcmp(e.key.ptr, TFLITE_PREFIX, sizeof TFLITE_PREFIX - 1) == 0)
		n->flags |= HS_NODE_F_TFLITE_ATTR;
	else if (e.key.len >= sizeof HINTSTUB_PREFIX - 1 &&
		 memcmp(e.key.ptr, HINTSTUB_PREFIX, sizeof HINTSTUB_PREFIX - 1) == 0)
		n->flags |= HS_NODE_F_HINTSTUB_ATTR;
	value_check vc = { ps, n, e.key };
	if (e.has_value)
		return check_value(&vc, VK_ATTR_VALUE, (const uint8_t *)e.value.ptr,
				   (const uint8_t *)e.value.ptr + e.value.len, 1);
	return HS_OK;
}

/* A kept message field of the GraphDef (library, versions, debug_info)
 * is well-formed protobuf down to the attribute values of the library's
 * functions (VersionDef and GraphDebugInfo: their own fields). */
static int check_top_field(hs_parse *ps, const hs_field *f, const char *name)
{
	value_kind kind = f->number == HS_GRAPH_LIBRARY ? VK_LIBRARY : VK_LEAF;
	value_check vc = { ps, NULL, { name, strlen(name) } };
	return check_value(&vc, kind, f->data, f->data + f->len, 1);
}

static const char *node_field_name(uint32_t number)
{
	switch (number) {
	case HS_NODE_NAME: return "name";
	case HS_NODE_OP: return "op";
	case HS_NODE_INPUT: return "input";
	case HS_NODE_DEVICE: return "device";
	default: return "attr";
	}
}

/* The id of a node's op.  A graph's ops repeat in short patterns (Const,
 * Mul, Const, Add...): the last few are compared before the table is
 * hashed, while the bytes are in the cache. */
static int parse_op(hs_parse *ps, uint32_t *id, hs_str op)
{
	const hs_op_table *t = &ps->g->ops;
	for (int i = 0; i < RECENT_OPS; i++) {
		hs_str r = t->names[ps->recent_ops[i]];
		if (r.len == op.len && (!op.len || memcmp(r.ptr, op.ptr, op.len) == 0)) {
			*id = ps->recent_ops[i];
			return HS_OK;
		}
	}
	int rc = hs_op_intern(id, ps->g, op);
	if (rc == HS_OK) {
		ps->recent_ops[ps->next_recent] = *id;
		ps->next_recent = (ps->next_recent + 1) % RECENT_OPS;
	}
	return rc;
}

static int parse_node(hs_parse *ps, hs_node *n, const hs_field *nf)
{
	hs_str op = { "", 0 };
	const uint8_t *p = nf->data, *end = p + nf->len;
	hs_field f;
	int rc;
	size_t first_input = ps->n_inputs;
	/* Node sizes are kept in 32 bits (so are input counts, which a node
	 * this size bounds): a bigger node would be written back truncated. */
	if ((size_t)(nf->end - nf->start) > UINT32_MAX)
		return parse_fail(ps, nf->start, HS_ELIMIT,
				  "is larger than 4 GiB%s (node field at byte %zu)", "");
	n->field_off = (uint32_t)(nf->start - ps->g->bytes); /* the file < 4 GiB */
	n->graph = ps->g;
	while ((rc = hs_wire_next(&f, &p, end)) == HS_WIRE_OK) {
		if (f.number < HS_NODE_NAME || f.number > HS_NODE_ATTR)
			continue; /* unknown fields travel untouched */
		if (f.wire_type != HS_WT_LEN)
			return parse_fail(ps, f.start, HS_EPARSE,
					  "field '%s' has a wrong wire type at byte %zu",
					  node_field_name(f.number));
		hs_str s = { (const char *)f.data, f.len };
		switch (f.number) {
		case HS_NODE_NAME: /* < 4 GiB: the field is (checked above) */
			/* its length is before it; never at 0 (a tag is) */
			n->name_off = (uint32_t)(f.data - ps->g->bytes);
			break;
		case HS_NODE_OP: op = s; break;
		case HS_NODE_DEVICE: break; /* read when asked: hs_node_device */
		case HS_NODE_INPUT:
			if ((rc = push_input(ps, f.data, f.len)) != HS_OK)
				return rc;
			break;
		case HS_NODE_ATTR:
			if ((rc = check_attr_entry(ps, n, &f)) != HS_OK)
				return rc;
			break;
		}
	}
	if (rc != HS_WIRE_END)
		return parse_fail(ps, p, HS_EPARSE, "%s at byte %zu",
				  hs_wire_status_text(rc));
	hs_str name = hs_name_of(n);
	if (name.len == 0)
		return parse_fail(ps, nf->start, HS_EGRAPH,
				  "has no name%s (node field at byte %zu)", "");
	const char *nul = memchr(name.ptr, '\0', name.len);
	if (nul)
		return hs_fail(HS_EGRAPH,
			       "node name '%.*s\\0...' contains a NUL byte (byte %zu of the name; node field at byte %zu)",
			       (int)(nul - name.ptr < 64 ? nul - name.ptr : 64), name.ptr,
			       (size_t)(nul - name.ptr), (size_t)(nf->start - ps->g->bytes));
	if ((rc = parse_op(ps, &n->op, op)) != HS_OK)
		return rc;
	hs_op_count(ps->g, n->op, 1);
	n->load_hash = hs_name_hash(name.ptr, name.len);
	/* An index into the block (which moves while it grows): < 2^31, an
	 * input takes two bytes of a file < 4 GiB at least. */
	n->inputs = (uint32_t)first_input;
	n->n_inputs = (uint32_t)(ps->n_inputs - first_input);
	return HS_OK;
}

/* A top-level field other than a node: its wire type is the one the
 * container says (a wrong one means the bytes are not that message), and
 * a kept GraphDef message field is well-formed down to its attribute
 * values (check_top_field). */
static int check_item(hs_parse *ps, const hs_field *f)
{
	hs_graph *g = ps->g;
	const hs_container *c = g->container;
	uint32_t want;
	const char *name = field_rule(c, f->number, &want);
	if (name && f->wire_type != want)
		return hs_fail(HS_EPARSE, "not a %s: field '%s' has a wrong wire type at byte %zu",
			       c->message, name, (size_t)(f->start - g->bytes));
	if (c->library_field && f->number == c->library_field)
		g->has_library = 1;
	if (c == &hs_graphdef_container && name && want == HS_WT_LEN)
		return check_top_field(ps, f, name);
	return HS_OK;
}

static int add_item(hs_parse *ps, const hs_field *f, size_t before)
{
	hs_graph *g = ps->g;
	int rc = check_item(ps, f);
	if (rc != HS_OK)
		return rc;
	if (hs_grow((void **)&g->items, &ps->cap_items, g->n_items + 1,
		    sizeof *g->items, 8))
		return hs_fail(HS_ENOMEM, "out of memory reading the %s", g->container->message);
	g->items[g->n_items++] = (hs_item){ f->start, (size_t)(f->end - f->start), before,
					    f->start };
	return HS_OK;
}

/* The node fields from p on (the refusal of too many nodes names the
 * total, as a count before parsing would). */
static size_t count_nodes_from(const hs_container *c, const uint8_t *p,
			       const uint8_t *end)
{
	hs_field f;
	size_t n = 0;
	while (hs_wire_next(&f, &p, end) == HS_WIRE_OK)
		n += f.number == c->node_field;
	return n;
}

/* Room for node #ni, whose field starts at `at`.  The first block is
 * guessed from the file's size (most nodes take a hundred bytes or more),
 * so that a typical graph is never moved; more doubles (a block that big
 * is moved by remapping, not copying).  Node numbers are 32-bit
 * (UINT32_MAX marks "no node"). */
static int room_for_node(hs_parse *ps, size_t ni, const uint8_t *at)
{
	hs_graph *g = ps->g;
	if (ni >= UINT32_MAX - 1 || ni >= ps->lim->max_nodes) {
		size_t total = ni + count_nodes_from(g->container, at, g->bytes + g->size);
		if (ni >= UINT32_MAX - 1)
			return hs_fail(HS_ELIMIT, "graph has %zu nodes, more than the limit of %u",
				       total, UINT32_MAX - 1);
		return hs_fail(HS_ELIMIT, "graph has %zu nodes, more than the limit of %llu",
			       total, (unsigned long long)ps->lim->max_nodes);
	}
	size_t first = g->size / 128 + 16;
	if (first > ps->lim->max_nodes)
		first = (size_t)ps->lim->max_nodes;
	int moves = ps->worker && ni + 1 > ps->cap_nodes;
	if (moves)
		worker_pause(ps->worker);
	int rc = hs_grow((void **)&g->nodes, &ps->cap_nodes, ni + 1, sizeof *g->nodes, first);
	if (moves)
		worker_resume(ps->worker);
	if (rc)
		return hs_fail(HS_ENOMEM, "out of memory for %zu nodes", ni + 1);
	memset(&g->nodes[ni], 0, sizeof g->nodes[ni]);
	return HS_OK;
}

static int parse_one_node(hs_parse *ps, const hs_field *f, size_t ni)
{
	hs_graph *g = ps->g;
	int rc = room_for_node(ps, ni, f->start);
	if (rc != HS_OK)
		return rc;
	hs_node *n = &g->nodes[ni]; /* its id: ni */
	if ((rc = parse_node(ps, n, f)) != HS_OK) {
		char label[300];
		if (hs_name_of(n).len)
			snprintf(label, sizeof label, "node #%zu '%.*s'", ni,
				 HS_NAME_ARG(hs_name_of(n)));
		else
			snprintf(label, sizeof label, "node #%zu", ni);
		hs_error_prefix(label);
		return rc;
	}
	if (!(n->flags & HS_NODE_F_TFLITE_ATTR))
		return HS_OK;
	if (hs_grow((void **)&g->tflite_ids, &g->cap_tflite, g->n_tflite + 1,
		    sizeof *g->tflite_ids, 256))
		return hs_fail(HS_ENOMEM, "out of memory for %zu nodes", ni + 1);
	g->tflite_ids[g->n_tflite++] = (uint32_t)ni;
	return HS_OK;
}

/* One pass over the message: nodes are parsed and the other fields
 * checked and kept as they come. */
static int parse_graph(hs_parse *ps)
{
	hs_graph *g = ps->g;
	const hs_container *c = g->container;
	const uint8_t *p = g->bytes, *end = g->bytes + g->size;
	hs_field f;
	size_t ni = 0;
	int rc;
	while ((rc = hs_wire_next(&f, &p, end)) == HS_WIRE_OK) {
		if (f.number != c->node_field) {
			if ((rc = add_item(ps, &f, ni)) != HS_OK)
				return rc;
			continue;
		}
		if (f.wire_type != HS_WT_LEN)
			return hs_fail(HS_EPARSE, "not a %s: field '%s' has a wrong wire type at byte %zu",
				       c->message, c->node_field_name, (size_t)(f.start - g->bytes));
		if ((size_t)(f.end - f.start) > UINT32_MAX)
			return parse_fail(ps, f.start, HS_ELIMIT,
					  "node %sat byte %zu is larger than 4 GiB", "");
		if ((rc = parse_one_node(ps, &f, ni)) != HS_OK)
			return rc;
		ni++;
		if (ps->worker && ni % PUBLISH_EVERY == 0)
			worker_publish(ps->worker, ni);
	}
	if (rc == HS_WIRE_TRUNCATED)
		return hs_fail(HS_EPARSE, "truncated %s: the field at byte %zu runs past the end of the input (%zu bytes)",
			       c->message, (size_t)(p - g->bytes), g->size);
	if (rc != HS_WIRE_END)
		return hs_fail(HS_EPARSE, "not a %s: %s at byte %zu", c->message,
			       hs_wire_status_text(rc), (size_t)(p - g->bytes));
	ps->n_parsed = ni;
	return HS_OK;
}

/* The parsed nodes become the graph's, and the input block, which stops
 * moving here: their offsets index it. */
static int finish_parse(hs_parse *ps)
{
	hs_graph *g = ps->g;
	size_t ni = ps->n_parsed;
	g->n_nodes = ni;
	g->live_count = ni;
	/* A graph without any input still has a block: every node's empty
	 * list points into it (hs_node_inputs). */
	if (!ps->inputs && !(ps->inputs = calloc(1, sizeof *ps->inputs)))
		return hs_fail(HS_ENOMEM, "out of memory reading inputs");
	g->input_block = ps->inputs;
	ps->inputs = NULL;
	return HS_OK;
}

/* -------------------------------------------------------- signature */

/* OpDef.input_arg = 2 (ArgDef), ArgDef.name = 1. */
enum { HS_OPDEF_INPUT_ARG = 2, HS_ARGDEF_NAME = 1 };

/* Calls `fn` with each length-delimited field `number` of a message;
 * refuses other wire types for it and malformed bytes. */
static int each_len_field(hs_parse *ps, const uint8_t *p, size_t len,
			  uint32_t number, const char *what,
			  int (*fn)(hs_parse *, const hs_field *))
{
	const uint8_t *end = p + len;
	hs_field f;
	int rc;
	while ((rc = hs_wire_next(&f, &p, end)) == HS_WIRE_OK) {
		if (f.number != number)
			continue;
		if (f.wire_type != HS_WT_LEN)
			return parse_fail(ps, f.start, HS_EPARSE,
					  "signature: %s has a wrong wire type at byte %zu", what);
		if ((rc = fn(ps, &f)) != HS_OK)
			return rc;
	}
	if (rc != HS_WIRE_END)
		return parse_fail(ps, p, HS_EPARSE, "signature: %s at byte %zu",
				  hs_wire_status_text(rc));
	return HS_OK;
}

static int add_arg_name(hs_parse *ps, const hs_field *f)
{
	hs_graph *g = ps->g;
	hs_str *last = &g->args[g->n_args - 1];
	last->ptr = (const char *)f->data;  /* the last name field wins */
	last->len = f->len;
	return HS_OK;
}

static int add_arg(hs_parse *ps, const hs_field *f)
{
	hs_graph *g = ps->g;
	int rc = hs_grow((void **)&g->args, &g->cap_args, g->n_args + 1,
			 sizeof *g->args, 8);
	if (rc != HS_OK)
		return rc;
	g->args[g->n_args].ptr = "";
	g->args[g->n_args++].len = 0;
	return each_len_field(ps, f->data, f->len, HS_ARGDEF_NAME,
			      "input_arg name", add_arg_name);
}

/* A FunctionDef scope knows its arguments: inputs that name one have no
 * producer inside the scope. */
static int parse_signature(hs_parse *ps)
{
	hs_graph *g = ps->g;
	uint32_t number = g->container->signature_field;
	for (size_t i = 0; number && i < g->n_items; i++) {
		const hs_item *it = &g->items[i];
		const uint8_t *p = it->field, *end = p + it->len;
		hs_field f;
		if (hs_wire_next(&f, &p, end) != HS_WIRE_OK || f.number != number)
			continue;
		g->n_args = 0; /* a repeated message field: the last counts */
		int rc = each_len_field(ps, f.data, f.len, HS_OPDEF_INPUT_ARG,
					"input_arg", add_arg);
		if (rc != HS_OK)
			return rc;
	}
	return HS_OK;
}

long hs_scope_find_arg(const hs_graph *g, hs_str name)
{
	for (size_t i = 0; i < g->n_args; i++)
		if (g->args[i].len == name.len &&
		    memcmp(g->args[i].ptr, name.ptr, name.len) == 0)
			return (long)i;
	return -1;
}

int hs_scope_reads_arg(const hs_graph *g, hs_str text)
{
	/* No ':' and no '^': a bare name (checked before any parsing, which
	 * would set an error message for malformed text). */
	if (!g->n_args || !text.len || text.ptr[0] == '^' ||
	    memchr(text.ptr, ':', text.len))
		return 0;
	return hs_scope_find_arg(g, text) >= 0;
}

/* ---------------------------------------------------------------- index */

static void bind_input(hs_graph *g, hs_input *in)
{
	hs_str name, text = hs_input_text(g, in);
	in->src = 0;
	if (hs_scope_parse_input(g, &name, NULL, text) != HS_OK)
		return;
	if (g->n_args && hs_scope_reads_arg(g, text))
		return;
	hs_input_set_src(in, hs_name_index_find(g, name.ptr, name.len));
}

void hs_input_bind(hs_graph *g, hs_input *in) { bind_input(g, in); }

/* How many names ahead the index walks prefetch their slots, the nodes
 * the slots point at and those nodes' names: far enough apart to cover a
 * miss to memory each, near enough to stay in the cache. */
enum { PREFETCH_SLOTS = 24, PREFETCH_NODES = 16, PREFETCH_NAMES = 8 };

/* The index has room for an eighth more names than the file's: the stubs
 * a conversion adds (one a call, mixed graphs have a call in 16 nodes)
 * then fit without a rebuild, which would hold two tables at once. */
static size_t names_with_room(const hs_graph *g)
{
	return g->n_nodes + g->n_nodes / 8;
}

static int index_names(hs_graph *g)
{
	int rc = hs_name_index_init(g, names_with_room(g));
	size_t count = g->n_nodes;
	for (size_t i = 0; rc == HS_OK && i < count; i++) {
		hs_node *n = &g->nodes[i], *dup = NULL;
		if (i + PREFETCH_SLOTS < count)
			hs_name_index_prefetch(&g->names, g->nodes[i + PREFETCH_SLOTS].load_hash);
		rc = hs_name_index_add_hashed(g, n, n->load_hash, &dup);
		if (rc == HS_EEXISTS)
			return hs_fail(HS_EGRAPH,
				       "duplicate node name '%.*s' (nodes #%u and #%u)",
				       HS_NODE_NAME_ARG(n), hs_node_id(dup),
				       hs_node_id(n));
	}
	return rc;
}

/* The producer of an original input, its name's hash in src: NULL when
 * the text names no node or (a FunctionDef scope) reads an argument. */
static hs_node *resolve_input(const hs_graph *g, const hs_input *in)
{
	hs_str name, text = hs_input_text(g, in);
	int port;
	if (!input_name(g, &name, &port, text))
		return NULL;
	if (g->n_args && hs_scope_reads_arg(g, text))
		return NULL;
	return hs_name_index_find_hashed(g, name.ptr, name.len, in->src);
}

/* A producer's reader count, 32-bit: a file over ~12 GiB could name one
 * node more often than that. */
static int count_reader(hs_node *src)
{
	if (src->n_consumers == UINT32_MAX)
		return hs_fail(HS_ELIMIT, "node '%.*s' is read by more than %u inputs",
			       HS_NAME_ARG(hs_name_of(src)), UINT32_MAX);
	src->n_consumers++;
	return HS_OK;
}

/* Binds every original input and counts the readers of each producer
 * (while its node is in the cache), looking ahead to overlap the cache
 * misses of successive lookups: the slot, then its node, then the node's
 * name and the input's own text (from its length on, which
 * hs_input_text reads).  *total gets the inputs bound to a node. */
static int bind_original_inputs(hs_graph *g, size_t count, size_t *total)
{
	hs_input *ins = g->input_block;
	*total = 0;
	for (size_t i = 0; i < count; i++) {
		if (i + PREFETCH_SLOTS < count)
			hs_name_index_prefetch(&g->names, ins[i + PREFETCH_SLOTS].src);
		if (i + PREFETCH_NODES < count)
			hs_name_index_prefetch_node(g, ins[i + PREFETCH_NODES].src, 0);
		if (i + PREFETCH_NAMES < count) {
			hs_name_index_prefetch_node(g, ins[i + PREFETCH_NAMES].src, 1);
			__builtin_prefetch(g->bytes + ins[i + PREFETCH_NAMES].text - 2);
		}
		hs_node *src = resolve_input(g, &ins[i]);
		hs_input_set_src(&ins[i], src);
		if (!src) {
			g->n_dangling++;
			continue;
		}
		int rc = count_reader(src);
		if (rc != HS_OK)
			return rc;
		(*total)++;
	}
	return HS_OK;
}

/* ------------------------------------------------ the indexing thread
 *
 * With HS_LOAD_PARALLEL, a second thread indexes the names and binds the
 * inputs of the nodes the parse has finished, PUBLISH_EVERY at a time,
 * while the parse goes on: on a 940k-node graph the index and the binding
 * are about a third of the load, and the parse the rest.  The thread
 * reads the nodes and inputs published, writes the name index, their
 * inputs' producers and the producers' reader counts, and nothing the
 * parse touches; the parse pauses it while a block moves (a realloc).
 * An input naming a node not yet parsed (a back edge, or a file out of
 * order) is bound again once all names are in.  What it finds wrong is
 * reported as the serial load reports it, after the parse's own errors. */

struct index_worker {
	hs_graph *g;
	hs_parse *ps;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;     /* to the thread: more nodes, a pause ended, done */
	pthread_cond_t idle;     /* to the parse: a batch is done */
	size_t parsed;           /* nodes published (under lock) */
	size_t taken;            /* nodes the thread took (under lock) */
	int busy, pause, finished;
	/* The thread's results, read after the join: */
	int rc;                  /* HS_EEXISTS (a duplicate name), HS_ENOMEM */
	uint32_t dup_first, dup_second;
	size_t *later;           /* inputs to bind once all names are in */
	size_t n_later, cap_later;
	size_t bound;            /* inputs bound to a node */
	size_t dangling;         /* inputs whose text names no node */
};

/* Room in the index for the names of nodes 0..n-1 and those still to
 * come (the count is known only at the end of the parse): when full, the
 * total is guessed from how far into the file node n-1 is, so the index
 * grows once or twice, near its final size, rather than by half at each
 * step.  The add's own growth would go by the live count: 0 until the
 * parse is done. */
static int worker_reserve(hs_graph *g, size_t n)
{
	if (!hs_key_table_full(&g->names))
		return HS_OK;
	uint64_t at = (uint64_t)g->nodes[n - 1].field_off + 1;
	uint64_t guess = (uint64_t)n * g->size / at;
	guess += guess / 8;
	if (guess < n + n / 2)
		guess = n + n / 2;
	if (guess > (uint64_t)n * 4) /* a file of big nodes then small ones */
		guess = (uint64_t)n * 4;
	return hs_name_index_reserve(g, (size_t)guess);
}

static void worker_index(index_worker *w, size_t from, size_t to)
{
	hs_graph *g = w->g;
	for (size_t i = from; i < to && w->rc == HS_OK; i++) {
		hs_node *n = &g->nodes[i], *dup = NULL;
		if (i + PREFETCH_SLOTS < to)
			hs_name_index_prefetch(&g->names, g->nodes[i + PREFETCH_SLOTS].load_hash);
		int rc = worker_reserve(g, i + 1);
		if (rc == HS_OK)
			rc = hs_name_index_add_hashed(g, n, n->load_hash, &dup);
		if (rc == HS_EEXISTS) {
			w->dup_first = hs_node_id(dup);
			w->dup_second = (uint32_t)i;
		}
		w->rc = rc;
	}
}

/* Binds inputs [from, to) of the block, as bind_original_inputs does,
 * keeping for later those naming a node not indexed yet. */
static void worker_bind(index_worker *w, size_t from, size_t to)
{
	hs_graph *g = w->g;
	hs_input *ins = w->ps->inputs;
	for (size_t i = from; i < to && w->rc == HS_OK; i++) {
		if (i + PREFETCH_SLOTS < to)
			hs_name_index_prefetch(&g->names, ins[i + PREFETCH_SLOTS].src);
		if (i + PREFETCH_NODES < to)
			hs_name_index_prefetch_node(g, ins[i + PREFETCH_NODES].src, 0);
		if (i + PREFETCH_NAMES < to)
			hs_name_index_prefetch_node(g, ins[i + PREFETCH_NAMES].src, 1);
		hs_str name;
		int port;
		if (!input_name(g, &name, &port, hs_input_text(g, &ins[i]))) {
			hs_input_set_src(&ins[i], NULL);
			w->dangling++;
			continue;
		}
		hs_node *src = hs_name_index_find_hashed(g, name.ptr, name.len, ins[i].src);
		if (!src) {
			if (hs_grow((void **)&w->later, &w->cap_later, w->n_later + 1,
				    sizeof *w->later, 256)) {
				w->rc = HS_ENOMEM;
				return;
			}
			w->later[w->n_later++] = i;
			continue;
		}
		hs_input_set_src(&ins[i], src);
		src->n_consumers++; /* < 2^32: a file < 4 GiB has fewer inputs */
		w->bound++;
	}
}

static void worker_batch(index_worker *w, size_t from, size_t to)
{
	const hs_node *nodes = w->g->nodes;
	size_t in_from = nodes[from].inputs;
	size_t in_to = (size_t)nodes[to - 1].inputs + nodes[to - 1].n_inputs;
	worker_index(w, from, to);
	worker_bind(w, in_from, in_to);
}

static void *worker_run(void *arg)
{
	index_worker *w = arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->finished && (w->pause || w->taken == w->parsed))
			pthread_cond_wait(&w->wake, &w->lock);
		if (w->taken == w->parsed)
			break; /* finished, and all taken */
		size_t from = w->taken, to = w->parsed;
		w->taken = to;
		w->busy = 1;
		pthread_mutex_unlock(&w->lock);
		if (w->rc == HS_OK)
			worker_batch(w, from, to);
		pthread_mutex_lock(&w->lock);
		w->busy = 0;
		pthread_cond_signal(&w->idle);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* The parse, before moving a block the thread reads: waits until it is
 * between batches, and keeps it there. */
static void worker_pause(index_worker *w)
{
	pthread_mutex_lock(&w->lock);
	w->pause = 1;
	while (w->busy)
		pthread_cond_wait(&w->idle, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

static void worker_resume(index_worker *w)
{
	pthread_mutex_lock(&w->lock);
	w->pause = 0;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

static void worker_publish(index_worker *w, size_t parsed)
{
	pthread_mutex_lock(&w->lock);
	w->parsed = parsed;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

/* Graphs this small load faster than a thread starts. */
#define PARALLEL_MIN_BYTES (1u << 20)

/* Starts the thread for a big GraphDef when asked: HS_OK, or a failure
 * after which the load goes on without it. */
static int worker_start(index_worker *w, hs_parse *ps, int asked)
{
	hs_graph *g = ps->g;
	memset(w, 0, sizeof *w);
	if (!asked || g->container != &hs_graphdef_container || g->size < PARALLEL_MIN_BYTES)
		return HS_EINVAL;
	w->g = g;
	w->ps = ps;
	/* Nodes of ~200 bytes (mixed graphs have 215): grown if more,
	 * trimmed at the end if far fewer. */
	if (hs_name_index_init(g, g->size / 200 + 16) != HS_OK)
		return HS_ENOMEM;
	if (pthread_mutex_init(&w->lock, NULL) != 0)
		return HS_ENOMEM;
	if (pthread_cond_init(&w->wake, NULL) != 0) {
		pthread_mutex_destroy(&w->lock);
		return HS_ENOMEM;
	}
	if (pthread_cond_init(&w->idle, NULL) != 0) {
		pthread_cond_destroy(&w->wake);
		pthread_mutex_destroy(&w->lock);
		return HS_ENOMEM;
	}
	/* node_of tells original nodes from new ones by the count: none is
	 * new while loading. */
	g->n_nodes = SIZE_MAX;
	if (pthread_create(&w->thread, NULL, worker_run, w) != 0) {
		g->n_nodes = 0;
		pthread_cond_destroy(&w->idle);
		pthread_cond_destroy(&w->wake);
		pthread_mutex_destroy(&w->lock);
		return HS_ENOMEM;
	}
	ps->worker = w;
	return HS_OK;
}

/* Hands over the last nodes and waits for the thread.  rc is the parse's:
 * its failure comes first; then the thread's. */
static int worker_finish(index_worker *w, int rc)
{
	hs_graph *g = w->g;
	pthread_mutex_lock(&w->lock);
	if (rc == HS_OK)
		w->parsed = w->ps->n_parsed;
	w->finished = 1;
	w->pause = 0;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->idle);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	w->ps->worker = NULL;
	g->n_nodes = 0;
	if (rc != HS_OK)
		return rc;
	if (w->rc == HS_EEXISTS) {
		const hs_node *n = &g->nodes[w->dup_second];
		return hs_fail(HS_EGRAPH, "duplicate node name '%.*s' (nodes #%u and #%u)",
			       HS_NODE_NAME_ARG(n), w->dup_first, w->dup_second);
	}
	if (w->rc != HS_OK)
		return hs_fail(HS_ENOMEM, "out of memory indexing node names");
	return HS_OK;
}

/* The inputs the thread could not bind, now that every name is in. */
static int worker_bind_later(index_worker *w, size_t *total)
{
	hs_graph *g = w->g;
	hs_input *ins = g->input_block;
	g->n_dangling = w->dangling;
	*total = w->bound;
	for (size_t k = 0; k < w->n_later; k++) {
		hs_input *in = &ins[w->later[k]];
		hs_node *src = resolve_input(g, in);
		hs_input_set_src(in, src);
		if (!src) {
			g->n_dangling++;
			continue;
		}
		src->n_consumers++;
		(*total)++;
	}
	return HS_OK;
}

static int index_consumers(hs_graph *g, size_t n_inputs, size_t total);

/* Parses the nodes and indexes them: names, producers, readers. */
static int load_nodes(hs_parse *ps, int parallel)
{
	hs_graph *g = ps->g;
	index_worker w;
	int threaded = worker_start(&w, ps, parallel) == HS_OK;
	int rc = parse_graph(ps);
	if (threaded)
		rc = worker_finish(&w, rc);
	if (rc == HS_OK)
		rc = finish_parse(ps);
	if (rc == HS_OK)
		rc = parse_signature(ps);
	size_t total = 0;
	if (rc == HS_OK && threaded)
		hs_name_index_trim(g, names_with_room(g));
	if (rc == HS_OK)
		rc = threaded ? worker_bind_later(&w, &total) : index_names(g);
	if (rc == HS_OK && !threaded)
		rc = bind_original_inputs(g, ps->n_inputs, &total);
	if (rc == HS_OK)
		rc = index_consumers(g, ps->n_inputs, total);
	free(w.later);
	return rc;
}

/* Hint identities get a free entry after their consumer list: a
 * conversion gives an input identity the stub as a reader before it
 * removes the region reading it, and the stub then takes the entry
 * instead of moving the whole list out of the block (a list and its slot,
 * 16 bytes or more, against 4).  Returns how many. */
static size_t room_for_stubs(hs_graph *g)
{
	for (size_t i = 0; i < g->n_tflite; i++)
		g->nodes[g->tflite_ids[i]].flags |= HS_NODE_F_CONSUMER_ROOM;
	return g->n_tflite;
}

/* Consumers of the original nodes live in one block: counted while the
 * inputs were bound (total of them bound to a node), then filled. */
static int index_consumers(hs_graph *g, size_t n_inputs, size_t total)
{
	size_t entries = total + room_for_stubs(g); /* < 2^32: one a hint */
	g->consumer_block = malloc((entries ? entries : 1) * sizeof *g->consumer_block);
	if (!g->consumer_block)
		return hs_fail(HS_ENOMEM, "out of memory indexing %zu edges", total);
	size_t off = 0; /* <= entries */
	for (size_t i = 0; i < g->n_nodes; i++) {
		hs_node *n = &g->nodes[i];
		n->consumers = (uint32_t)off;
		off += n->n_consumers + !!(n->flags & HS_NODE_F_CONSUMER_ROOM);
		n->n_consumers = 0;
	}
	/* Inputs are in node order: input i's reader is the node whose
	 * inputs hold it; its producer is prefetched some inputs ahead. */
	hs_input *ins = g->input_block;
	g->edges_forward = 1;
	for (size_t i = 0, k = 0; i < g->n_nodes; i++) {
		hs_node *n = &g->nodes[i];
		for (uint32_t j = 0; j < n->n_inputs; j++, k++) {
			if (k + PREFETCH_NAMES < n_inputs && ins[k + PREFETCH_NAMES].src)
				__builtin_prefetch(hs_input_src(g, &ins[k + PREFETCH_NAMES]), 1);
			hs_node *src = hs_input_src(g, &ins[k]);
			if (src)
				hs_node_consumers(src)[src->n_consumers++] = (uint32_t)i;
			if (src && hs_node_id(src) >= i && !hs_node_is_back_edge(src))
				g->edges_forward = 0;
		}
	}
	return HS_OK;
}

/* Gives back the bytes a graph was loaded from, however they were got. */
/* Whose the bytes of a graph are: its own (freed), a mapping of the file
 * (unmapped), or another graph's (a function body: left alone). */
enum { BYTES_OWNED = 0, BYTES_MAPPED = 1, BYTES_BORROWED = 2 };

static void release_bytes(uint8_t *bytes, size_t size, int mapped)
{
	if (mapped == BYTES_MAPPED)
		munmap(bytes, size ? size : 1);
	else if (mapped == BYTES_OWNED)
		free(bytes);
}

static int scope_load(hs_graph **out, const hs_container *c, uint8_t *bytes,
		      size_t size, int mapped, const char *label,
		      const hs_load_options *opts);

/* Bytes taken for text that are no text: a binary GraphDef can, in
 * theory, start like text (a length byte that is a letter, then 0x0a and
 * a length that is ':').  Binary is tried before the text's error is
 * given. */
static int load_binary_or_fail(hs_graph **out, uint8_t *bytes, size_t size,
			       int mapped, const char *label,
			       const hs_load_options *opts, int text_rc)
{
	char *text_error = strdup(hs_error_last());
	int rc = scope_load(out, &hs_graphdef_container, bytes, size, mapped, label, opts);
	if (rc != HS_OK)
		rc = text_error ? hs_fail(text_rc, "%s", text_error) : text_rc;
	free(text_error);
	return rc;
}

/* Text format becomes the binary bytes of the same message first, so
 * everything after loading sees one encoding (text.c). */
static int load_any(hs_graph **out, uint8_t *bytes, size_t size, int mapped,
		    const char *label, const hs_load_options *opts)
{
	*out = NULL;
	if (hs_load_options_check(opts) != HS_OK) {
		release_bytes(bytes, size, mapped);
		return HS_EINVAL;
	}
	uint32_t format = opts ? opts->format : HS_FORMAT_AUTO;
	if (format > HS_FORMAT_TEXT) {
		release_bytes(bytes, size, mapped);
		return hs_fail(HS_EINVAL, "hs_load_options: unknown format %u", format);
	}
	/* Text over the size limit is refused as binary is, unparsed. */
	hs_limits lim = limits_from(opts);
	if (size <= lim.max_file_size &&
	    (format == HS_FORMAT_TEXT ||
	     (format == HS_FORMAT_AUTO && hs_text_detect(bytes, size)))) {
		uint8_t *wire = NULL;
		size_t wire_size = 0;
		int rc = hs_text_to_wire(&wire, &wire_size, bytes, size,
					 label ? label : "<memory>", lim.max_depth);
		if (rc != HS_OK && format == HS_FORMAT_AUTO)
			return load_binary_or_fail(out, bytes, size, mapped, label, opts, rc);
		release_bytes(bytes, size, mapped);
		if (rc != HS_OK)
			return rc;
		bytes = wire;
		size = wire_size;
		mapped = 0;
	}
	return scope_load(out, &hs_graphdef_container, bytes, size, mapped, label, opts);
}

int hs_graph_load_owned(hs_graph **out, uint8_t *bytes, size_t size,
			const char *label, const hs_load_options *opts)
{
	return load_any(out, bytes, size, 0, label, opts);
}

int hs_graph_load_mapped(hs_graph **out, uint8_t *map, size_t size,
			 const char *label, const hs_load_options *opts)
{
	return load_any(out, map, size, 1, label, opts);
}

int hs_scope_load(hs_graph **out, const hs_container *c, const uint8_t *bytes,
		  size_t size, const char *label, const hs_load_options *opts)
{
	/* Nothing writes a graph's bytes: edits live beside them. */
	return scope_load(out, c, (uint8_t *)bytes, size, BYTES_BORROWED, label, opts);
}

static int scope_load(hs_graph **out, const hs_container *c, uint8_t *bytes,
		      size_t size, int mapped, const char *label,
		      const hs_load_options *opts)
{
	*out = NULL;
	if (hs_load_options_check(opts) != HS_OK) {
		release_bytes(bytes, size, mapped);
		return HS_EINVAL;
	}
	hs_limits lim = limits_from(opts);
	hs_graph *g = calloc(1, sizeof *g);
	if (!g || !(g->source = strdup(label ? label : "<memory>"))) {
		free(g);
		release_bytes(bytes, size, mapped);
		return hs_fail(HS_ENOMEM, "out of memory");
	}
	g->container = c;
	g->bytes = bytes;
	g->size = size;
	g->bytes_mapped = mapped;
	/* Its function bodies load under the same limits. */
	g->body_opts = (hs_load_options){ .version = HS_LOAD_OPTIONS_VERSION,
					  .max_nodes = lim.max_nodes,
					  .max_depth = lim.max_depth,
					  .format = HS_FORMAT_BINARY };
	hs_parse ps = { g, &lim, NULL, 0, 0, 0, 0, { 0 }, 0, NULL, 0 };
	int rc = hs_op_table_init(g);
	if (rc == HS_OK && size > lim.max_file_size)
		rc = hs_fail(HS_ELIMIT, "input is %zu bytes, more than the limit of %llu",
			     size, (unsigned long long)lim.max_file_size);
	/* Nodes keep 32-bit offsets into the bytes; protobuf itself refuses
	 * messages of 2 GiB and more. */
	else if (rc == HS_OK && (uint64_t)size > HS_MAX_MESSAGE_SIZE)
		rc = hs_fail(HS_ELIMIT, "input is %zu bytes, more than the largest %s hintstub reads (%llu bytes, 4 GiB - 1; protobuf refuses 2 GiB and more)",
			     size, c->message, (unsigned long long)HS_MAX_MESSAGE_SIZE);
	if (rc == HS_OK)
		rc = load_nodes(&ps, opts && (opts->flags & HS_LOAD_PARALLEL));
	free(ps.inputs);
	if (rc != HS_OK) {
		hs_error_prefix(g->source);
		hs_graph_free(g);
		return rc;
	}
	*out = g;
	return HS_OK;
}

int hs_graph_load_buffer(hs_graph **out, const void *data, size_t size,
			 const char *label, const hs_load_options *opts)
{
	if (!out || (!data && size))
		return hs_fail(HS_EINVAL, "hs_graph_load_buffer: NULL argument");
	uint8_t *copy = malloc(size ? size : 1);
	if (!copy)
		return hs_fail(HS_ENOMEM, "out of memory copying %zu bytes", size);
	if (size)
		memcpy(copy, data, size);
	return hs_graph_load_owned(out, copy, size, label, opts);
}

static void free_node_parts(hs_node *n)
{
	if (n->flags & HS_NODE_F_OWNS_INPUTS)
		free(hs_node_inputs(n));
	if (n->flags & HS_NODE_F_OWNS_CONSUMERS)
		free(hs_node_consumers(n));
}

/* Node ids hashed for the graph's tables keyed by node (edit records,
 * runs of new nodes). */
static uint32_t id_hash(uint32_t id)
{
	return (uint32_t)hs_hash(&id, sizeof id);
}

/* A node id looked up in one of those tables. */
typedef struct id_key {
	const hs_graph *g;
	uint32_t id;
} id_key;

static int same_owner(const void *ctx, uint32_t rec)
{
	const id_key *k = ctx;
	return k->g->edit_owners[rec] == k->id;
}

static size_t original_edit_slot(const hs_graph *g, uint32_t id, int *found)
{
	id_key k = { g, id };
	*found = 0;
	return g->original_edits.slots
		? hs_key_table_probe(&g->original_edits, id_hash(id), same_owner, &k, found) : 0;
}

uint32_t hs_graph_original_edit(const hs_graph *g, uint32_t id)
{
	int found;
	size_t slot = original_edit_slot(g, id, &found);
	return hs_key_table_id(&g->original_edits, slot);
}

/* Where record `rec` of node n is found: the new nodes' array, or the
 * table of the few original nodes with one. */
static int note_edit_owner(hs_graph *g, hs_node *n, uint32_t rec)
{
	uint32_t id = hs_node_id(n);
	if (hs_grow((void **)&g->edit_owners, &g->cap_edit_owners, (size_t)rec + 1,
		    sizeof *g->edit_owners, 64))
		return hs_fail(HS_ENOMEM, "out of memory");
	g->edit_owners[rec] = id;
	if (n->flags & HS_NODE_F_NEW) {
		g->new_edits[id - g->n_nodes] = rec;
		return HS_OK;
	}
	int found;
	if (hs_key_table_reserve(&g->original_edits, g->original_edits.used))
		return hs_fail(HS_ENOMEM, "out of memory");
	size_t slot = original_edit_slot(g, id, &found);
	hs_key_table_put_at(&g->original_edits, slot, rec, id_hash(id));
	return HS_OK;
}

int hs_node_edit_get(hs_node_edit **out, hs_node *n)
{
	hs_graph *g = n->graph;
	if (n->flags & HS_NODE_F_EDIT_REC) {
		*out = hs_node_edit_of(n);
		return HS_OK;
	}
	*out = NULL;
	if (g->n_edit_recs >= HS_KEY_ID_MAX)
		return hs_fail(HS_ELIMIT, "more than %u edited nodes", HS_KEY_ID_MAX);
	uint32_t at, rec = (uint32_t)g->n_edit_recs;
	unsigned k = hs_edit_block(rec, &at);
	if (!at && !g->edit_blocks[k] &&
	    !(g->edit_blocks[k] = hs_arena_alloc(&g->edit_arena,
						  ((size_t)HS_EDIT_BLOCK0 << k) *
						  sizeof *g->edit_blocks[k])))
		return HS_ENOMEM;
	int rc = note_edit_owner(g, n, rec);
	if (rc)
		return rc;
	g->n_edit_recs++;
	n->flags |= HS_NODE_F_EDIT_REC;
	*out = &g->edit_blocks[k][at];
	return HS_OK;
}

/* Runs of new nodes by their original node's id: the table holds the
 * first node's id, whose placement names the anchor. */
static int same_run(const void *ctx, uint32_t id)
{
	const id_key *k = ctx;
	return k->g->placements[id - k->g->n_nodes].anchor == k->id;
}

static size_t run_slot(const hs_graph *g, uint32_t anchor, int *found)
{
	id_key k = { g, anchor };
	*found = 0;
	return g->run_heads.slots
		? hs_key_table_probe(&g->run_heads, id_hash(anchor), same_run, &k, found) : 0;
}

hs_node *hs_graph_run_head(const hs_graph *g, uint32_t anchor)
{
	int found;
	size_t slot = run_slot(g, anchor, &found);
	return found ? g->new_nodes[hs_key_table_id(&g->run_heads, slot) - g->n_nodes] : NULL;
}

int hs_graph_run_reserve(hs_graph *g)
{
	if (hs_key_table_reserve(&g->run_heads, g->run_heads.used))
		return hs_fail(HS_ENOMEM, "out of memory");
	return HS_OK;
}

void hs_graph_set_run_head(hs_graph *g, hs_node *anchor, const hs_node *first)
{
	int found;
	uint32_t id = hs_node_id(anchor);
	size_t slot = run_slot(g, id, &found);
	hs_key_table_put_at(&g->run_heads, slot, hs_node_id(first), id_hash(id));
	anchor->flags |= HS_NODE_F_RUN;
}

hs_str hs_node_device(const hs_node *n)
{
	hs_str device = { "", 0 };
	const hs_node_edit *e = hs_node_edit_of(n);
	if (e && e->device && (n->flags & (HS_NODE_F_NEW | HS_NODE_F_DEVICE_EDITED)))
		return hs_prefixed_text(e->device);
	if (n->flags & (HS_NODE_F_NEW | HS_NODE_F_DEVICE_EDITED))
		return device;
	uint32_t body_len;
	const uint8_t *p = hs_node_body_span(n, &body_len), *end = p + body_len, *data;
	size_t len;
	uint32_t number;
	/* The last device field counts, as protobuf reads it. */
	while ((number = hs_wire_next_len(&p, end, &data, &len)) != 0)
		if (number == HS_NODE_DEVICE)
			device = (hs_str){ (const char *)data, len };
	return device;
}

void hs_graph_free(hs_graph *g)
{
	if (!g)
		return;
	hs_name_index_free(g);
	for (size_t i = 0; i < g->n_nodes; i++)
		free_node_parts(&g->nodes[i]);
	for (size_t i = 0; i < g->n_new; i++)
		free_node_parts(g->new_nodes[i]);
	hs_arena_free(&g->edit_arena); /* new nodes, edits, interned text */
	free(g->texts.pages);
	free(g->texts.chunks);
	free(g->input_lists.at);
	free(g->consumer_lists.at);
	free(g->new_nodes);
	free(g->placements);
	free(g->new_edits);
	free(g->edit_owners);
	hs_key_table_free(&g->original_edits);
	hs_key_table_free(&g->run_heads);
	free(g->consumer_block);
	free(g->input_block);
	free(g->nodes);
	free(g->items);
	free(g->tflite_ids);
	free(g->args);
	hs_op_table_free(g);
	hs_string_table_free(&g->edit_keys);
	free(g->long_keys.bits);
	release_bytes(g->bytes, g->size, g->bytes_mapped);
	free(g->source);
	free(g);
}

/* -------------------------------------------------------------- queries */

const char *hs_graph_source(const hs_graph *g) { return g->source; }
size_t hs_graph_node_count(const hs_graph *g) { return g->live_count; }
int hs_graph_has_library(const hs_graph *g) { return g->has_library; }

hs_node *hs_graph_find_node(const hs_graph *g, const char *name, size_t len)
{
	return hs_name_index_find(g, name, len);
}

hs_str hs_node_name(const hs_node *n) { return hs_name_of(n); }
hs_str hs_node_op(const hs_node *n) { return hs_op_of(n); }
size_t hs_node_input_count(const hs_node *n) { return n->n_inputs; }
int hs_node_is_removed(const hs_node *n) { return !!(n->flags & HS_NODE_F_REMOVED); }

hs_str hs_node_input(const hs_node *n, size_t i)
{
	hs_str none = { "", 0 };
	return i < n->n_inputs ? hs_input_text(n->graph, &hs_node_inputs(n)[i]) : none;
}

hs_node *hs_node_input_node(const hs_node *n, size_t i, int *port)
{
	if (i >= n->n_inputs)
		return NULL;
	if (port)
		*port = hs_node_input_port(n, (uint32_t)i);
	return hs_node_input_src(n, i);
}

size_t hs_node_consumer_count(const hs_node *n) { return n->n_consumers; }

hs_node *hs_node_consumer(const hs_node *n, size_t i)
{
	return i < n->n_consumers ? hs_node_consumer_at(n, i) : NULL;
}

/* Output order: the file's nodes, each followed by the new nodes anchored
 * after it, then the new nodes anchored at the end.  These walk that order
 * including removed nodes; hs_graph_next_node skips them. */
static hs_node *order_from(const hs_graph *g, size_t i)
{
	for (; i < g->n_nodes; i++) {
		hs_node *o = &g->nodes[i];
		if (!(o->flags & HS_NODE_F_REMOVED))
			return o;
		if (o->flags & HS_NODE_F_RUN)
			return hs_node_next_new(o);
	}
	return g->tail_new_first;
}

hs_node *hs_graph_order_next(const hs_graph *g, const hs_node *prev)
{
	if (!prev)
		return order_from(g, 0);
	hs_node *next = hs_node_next_new(prev);
	if (next)
		return next;
	uint32_t at = (prev->flags & HS_NODE_F_NEW) ? hs_node_anchor(prev) : hs_node_id(prev);
	if (at == HS_ANCHOR_TAIL)
		return NULL;
	return order_from(g, (size_t)at + 1);
}

hs_node *hs_graph_next_marked(const hs_graph *g, hs_node_cursor *c)
{
	if (g->edits == 0 && g->n_new == 0) /* as loaded: the parse's list */
		return c->i < g->n_tflite ? &g->nodes[g->tflite_ids[c->i++]] : NULL;
	hs_node *n = c->at;
	while ((n = hs_graph_next_node(g, n)) != NULL)
		if ((n->flags & HS_NODE_F_TFLITE_ATTR) || hs_node_attr_edits(n))
			break;
	c->at = n;
	return n;
}

hs_node *hs_graph_next_node(const hs_graph *g, const hs_node *prev)
{
	hs_node *n = hs_graph_order_next(g, prev);
	while (n && (n->flags & HS_NODE_F_REMOVED))
		n = hs_graph_order_next(g, n);
	return n;
}
