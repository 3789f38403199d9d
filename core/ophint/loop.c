/* Level-2 OpHint calls (TfLiteDynamicRnn, spec §2.6, §3.3): the loop
 * between the call's input and output hints, its body function (read from
 * the library only now, when a level-2 call needs it), the cell calls of
 * the body as the call's children in body order, and the children mapping
 * parsed.  Every way this can be wrong is a problem on the call; the call
 * is then left as it is. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "grow.h"
#include "library.h"
#include "ophint_internal.h"

#define STR_ARG HS_STR_ARG
#define NODE_ARG HS_NODE_ARG
#define CALL_FMT "call %.*s (%.*s)"
#define CALL_ARG(c) STR_ARG((c)->uuid), STR_ARG((c)->function)

typedef struct level2_state {
	hs_callset *set;
	hs_library *lib;        /* opened on the first level-2 call */
	const char *lib_error;  /* why it could not be (in the set's arena) */
	uint32_t *stamp;        /* per node id: the walk that saw it */
	uint32_t walk;
	const hs_node **stack;
	size_t n_stack, cap_stack;
} level2_state;

static int is_loop(const hs_node *n)
{
	return hs_str_eq(hs_op_of(n), "While") || hs_str_eq(hs_op_of(n), "StatelessWhile");
}

/* ------------------------------------------------------------ the loop */

static int push(level2_state *st, const hs_node *n)
{
	if (!n || st->stamp[hs_node_id(n)] == st->walk)
		return HS_OK;
	st->stamp[hs_node_id(n)] = st->walk;
	if (hs_grow((void **)&st->stack, &st->cap_stack, st->n_stack + 1,
		    sizeof *st->stack, 64))
		return HS_ENOMEM;
	st->stack[st->n_stack++] = n;
	return HS_OK;
}

/* The loops the call's outputs are computed from, above its input hints:
 * *loop gets the first found, *count how many.  The walk does not go past
 * a loop (what a loop reads may reach far up the user's graph); a second
 * loop above the first is found by the plan, in the call's region. */
static int find_loops(level2_state *st, const hs_call *c, const hs_node **loop,
		      size_t *count)
{
	*loop = NULL;
	*count = 0;
	st->walk++;
	st->n_stack = 0;
	for (size_t i = 0; i < c->n_inputs; i++)
		for (size_t e = 0; e < c->inputs[i].count; e++)
			if (hs_operand_ids(&c->inputs[i])[e])
				st->stamp[hs_operand_ids(&c->inputs[i])[e] - 1] = st->walk;
	int rc = HS_OK;
	for (size_t i = 0; i < c->n_outputs && !rc; i++)
		for (size_t e = 0; e < c->outputs[i].count && !rc; e++)
			rc = push(st, hs_operand_tensor(&c->outputs[i], e).node);
	while (st->n_stack && !rc) {
		const hs_node *n = st->stack[--st->n_stack];
		if (is_loop(n)) {
			if (!*loop || hs_node_id(n) < hs_node_id(*loop))
				*loop = n;
			(*count)++;
			continue;
		}
		for (uint32_t k = 0; k < n->n_inputs && !rc; k++)
			rc = push(st, hs_node_input_src(n, k));
	}
	return rc;
}

/* ------------------------------------------------------- the mapping */

/* Just enough JSON for the mapping: objects, arrays, integers, strings
 * without escapes (its keys), true/false/null skipped. */
typedef struct json_in {
	const char *p, *end;
	int depth;
} json_in;

static void ws(json_in *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int eat(json_in *j, char ch)
{
	ws(j);
	if (j->p < j->end && *j->p == ch) {
		j->p++;
		return 1;
	}
	return 0;
}

static int json_string(json_in *j, hs_str *out)
{
	if (!eat(j, '"'))
		return -1;
	const char *s = j->p;
	while (j->p < j->end && *j->p != '"') {
		if (*j->p == '\\' && j->p + 1 < j->end)
			j->p++;
		j->p++;
	}
	if (j->p >= j->end)
		return -1;
	*out = (hs_str){ s, (size_t)(j->p - s) };
	j->p++;
	return 0;
}

static int json_int(json_in *j, int64_t *out)
{
	ws(j);
	int neg = j->p < j->end && *j->p == '-';
	const char *s = j->p + neg;
	int64_t v = 0;
	for (j->p = s; j->p < j->end && *j->p >= '0' && *j->p <= '9'; j->p++) {
		if (v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*j->p - '0');
	}
	if (j->p == s || (j->p < j->end && (*j->p == '.' || *j->p == 'e' || *j->p == 'E')))
		return -1;
	*out = neg ? -v : v;
	return 0;
}

static int json_skip(json_in *j);

static int skip_items(json_in *j, char close, int keyed)
{
	if (eat(j, close))
		return 0;
	do {
		hs_str key;
		if (keyed && (json_string(j, &key) || !eat(j, ':')))
			return -1;
		if (json_skip(j))
			return -1;
	} while (eat(j, ','));
	return eat(j, close) ? 0 : -1;
}

static int json_skip(json_in *j)
{
	ws(j);
	if (j->p >= j->end || ++j->depth > 16)
		return -1;
	int rc;
	hs_str s;
	int64_t v;
	if (eat(j, '{'))
		rc = skip_items(j, '}', 1);
	else if (eat(j, '['))
		rc = skip_items(j, ']', 0);
	else if (*j->p == '"')
		rc = json_string(j, &s);
	else if (j->end - j->p >= 4 && (!memcmp(j->p, "true", 4) || !memcmp(j->p, "null", 4)))
		rc = (j->p += 4, 0);
	else if (j->end - j->p >= 5 && !memcmp(j->p, "false", 5))
		rc = (j->p += 5, 0);
	else
		rc = json_int(j, &v);
	j->depth--;
	return rc;
}

typedef struct mapping_list {
	const char *name;       /* key of the list */
	const char *from, *to;  /* keys of each entry's two indices */
	hs_child_link **links;
	size_t *n;
} mapping_list;

/* One entry {"<from>": i, "<to>": j}; other keys are skipped. */
static int parse_link(json_in *j, const mapping_list *l, hs_child_link *out)
{
	int have = 0;
	if (!eat(j, '{'))
		return -1;
	if (eat(j, '}'))
		return -1;
	do {
		hs_str key;
		int64_t v;
		if (json_string(j, &key) || !eat(j, ':'))
			return -1;
		if (hs_str_eq(key, l->from) || hs_str_eq(key, l->to)) {
			if (json_int(j, &v) || v < -1 || v > HS_MAX_ARG_INDEX)
				return -1;
			if (hs_str_eq(key, l->from))
				out->from = v, have |= 1;
			else
				out->to = v, have |= 2;
		} else if (json_skip(j)) {
			return -1;
		}
	} while (eat(j, ','));
	return eat(j, '}') && have == 3 ? 0 : -1;
}

static int parse_links(json_in *j, hs_arena *a, const mapping_list *l)
{
	hs_child_link *v = NULL, link;
	size_t n = 0, cap = 0;
	if (!eat(j, '['))
		return -1;
	if (!eat(j, ']')) {
		do {
			if (parse_link(j, l, &link))
				return -1;
			if (hs_arena_grow(a, (void **)&v, &cap, n + 1, sizeof *v))
				return HS_ENOMEM;
			v[n++] = link;
		} while (eat(j, ','));
		if (!eat(j, ']'))
			return -1;
	}
	*l->links = v;
	*l->n = n;
	return 0;
}

/* 0, -1 (malformed: *what names the part), or HS_ENOMEM. */
static int parse_mapping(hs_call_body *b, hs_arena *a, hs_str json, const char **what)
{
	mapping_list lists[3] = {
		{ "parent_first_child_input", "parent_ophint_input_index",
		  "first_child_ophint_input_index", &b->first, &b->n_first },
		{ "internal_children_input_output", "child_output_index",
		  "child_input_index", &b->internal, &b->n_internal },
		{ "parent_last_child_output", "child_output_index",
		  "parent_output_index", &b->last, &b->n_last },
	};
	json_in j = { json.ptr, json.ptr + json.len, 0 };
	int seen = 0;
	*what = "an object";
	if (!eat(&j, '{'))
		return -1;
	if (!eat(&j, '}')) {
		do {
			hs_str key;
			int k = 0, rc;
			if (json_string(&j, &key) || !eat(&j, ':'))
				return -1;
			while (k < 3 && !hs_str_eq(key, lists[k].name))
				k++;
			*what = k < 3 ? lists[k].name : "an object";
			rc = k < 3 ? parse_links(&j, a, &lists[k]) : json_skip(&j);
			if (rc)
				return rc;
			seen |= k < 3 ? 1 << k : 0;
		} while (eat(&j, ','));
		*what = "an object";
		if (!eat(&j, '}'))
			return -1;
	}
	ws(&j);
	if (j.p != j.end)
		return -1;
	for (int k = 0; k < 3; k++)
		if (!(seen & (1 << k))) {
			*what = lists[k].name;
			return -1;
		}
	return 0;
}

/* ------------------------------------------------------- the children */

static uint32_t first_output_seq(const hs_call *c)
{
	uint32_t best = UINT32_MAX;
	for (size_t i = 0; i < c->n_outputs; i++)
		for (size_t e = 0; e < c->outputs[i].count; e++) {
			const hs_node *id = hs_operand_identity_at(&c->outputs[i], e);
			if (id && hs_node_id(id) < best)
				best = hs_node_id(id);
		}
	return best;
}

static int cmp_position(const void *pa, const void *pb)
{
	const hs_call *a = *(const hs_call *const *)pa, *b = *(const hs_call *const *)pb;
	uint32_t x = first_output_seq(a), y = first_output_seq(b);
	if (x != y)
		return x < y ? -1 : 1;
	return (a->ordinal > b->ordinal) - (a->ordinal < b->ordinal);
}

/* The body's cell calls become the children, ordered by the body position
 * of their output hints (TensorFlow's order: the first layer first). */
static int adopt_children(hs_call *c)
{
	hs_callset *bc = hs_call_body_of(c)->calls;
	size_t n = bc->n_calls;
	hs_call **order = malloc((n ? n : 1) * sizeof *order);
	if (!order)
		return hs_fail(HS_ENOMEM, "out of memory");
	if (n) {
		memcpy(order, bc->calls, n * sizeof *order);
		qsort(order, n, sizeof *order, cmp_position);
	}
	int rc = HS_OK;
	for (size_t i = 0; i < n && !rc; i++)
		rc = hs_call_add_body_child(c, order[i]);
	free(order);
	return rc;
}

/* Problems of the body as a whole: nested loops, a child that cannot be
 * converted, sequence_length's per-entry selects. */
static int check_body(hs_call *c)
{
	const hs_graph *scope = hs_call_body_of(c)->scope;
	int rc = HS_OK, warned = 0;
	for (hs_node *n = hs_graph_next_node(scope, NULL); n && !rc; n = hs_graph_next_node(scope, n)) {
		if (is_loop(n))
			rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_NESTED_LOOP,
					      CALL_FMT ": the loop body holds another loop, node '%.*s' (%.*s): nested loops are not supported",
					      CALL_ARG(c), NODE_ARG(n), STR_ARG(hs_op_of(n)));
		else if (!warned && (hs_str_eq(hs_op_of(n), "Select") || hs_str_eq(hs_op_of(n), "SelectV2"))) {
			warned = 1;
			rc = hs_call_problemf(c, HS_SEVERITY_WARNING, HS_P_SEQUENCE_LENGTH,
					      CALL_FMT ": the loop body selects per batch entry (node '%.*s'), as dynamic_rnn does for sequence_length: the fused op ignores it and runs every step for every entry, as TensorFlow's converter does",
					      CALL_ARG(c), NODE_ARG(n));
		}
	}
	for (size_t i = 0; i < hs_call_child_count(c) && !rc; i++) {
		const hs_call *k = hs_call_child(c, i);
		const char *why = NULL;
		for (size_t p = 0; p < hs_call_problem_count(k) && !why; p++)
			if (hs_call_problem(k, p)->severity == HS_SEVERITY_ERROR)
				why = hs_call_problem(k, p)->message;
		if (k->level >= 2)
			rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_NESTED_LOOP,
					      CALL_FMT ": child %.*s (%.*s) in the loop body has level %lld: nested level-2 calls are not supported",
					      CALL_ARG(c), CALL_ARG(k), (long long)k->level);
		else if (why)
			rc = hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_CHILD_PROBLEM,
					      CALL_FMT ": child %.*s (%.*s): %s",
					      CALL_ARG(c), CALL_ARG(k), why);
	}
	return rc;
}

static int index_absent(hs_call *c, const char *list, const char *who, const hs_call *k,
			const char *dir, int64_t index)
{
	return hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_MAPPING_INDEX,
				CALL_FMT ": children mapping %s: %s %.*s has no %s %lld",
				CALL_ARG(c), list, who, STR_ARG(k->uuid), dir, (long long)index);
}

/* Every index the mapping names exists, and child j reads child j-1 in
 * the body where the mapping says it does. */
static int check_links(hs_call *c)
{
	hs_call_body *b = hs_call_body_of(c);
	hs_call **ch = hs_call_rare_of(c)->children;
	size_t n = hs_call_child_count(c);
	for (size_t i = 0; i < b->n_first; i++) {
		if (!hs_operand_of_index(c->inputs, c->n_inputs, b->first[i].from))
			return index_absent(c, "parent_first_child_input", "parent", c, "input", b->first[i].from);
		if (!hs_operand_of_index(ch[0]->inputs, ch[0]->n_inputs, b->first[i].to))
			return index_absent(c, "parent_first_child_input", "child", ch[0], "input", b->first[i].to);
	}
	for (size_t i = 0; i < b->n_last; i++) {
		if (!hs_operand_of_index(ch[n - 1]->outputs, ch[n - 1]->n_outputs, b->last[i].from))
			return index_absent(c, "parent_last_child_output", "child", ch[n - 1], "output", b->last[i].from);
		if (!hs_operand_of_index(c->outputs, c->n_outputs, b->last[i].to))
			return index_absent(c, "parent_last_child_output", "parent", c, "output", b->last[i].to);
	}
	/* Every parent output is fed by the last child: the loop that
	 * computed it goes. */
	for (size_t q = 0; q < c->n_outputs; q++) {
		size_t i = 0;
		while (i < b->n_last &&
		       hs_operand_of_index(c->outputs, c->n_outputs, b->last[i].to) != &c->outputs[q])
			i++;
		if (i == b->n_last)
			return hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_MAPPING_INDEX,
						CALL_FMT ": children mapping parent_last_child_output: no child output feeds parent output %lld",
						CALL_ARG(c), (long long)c->outputs[q].index);
	}
	for (size_t j = 1; j < n; j++)
		for (size_t i = 0; i < b->n_internal; i++) {
			const hs_operand *out = hs_operand_of_index(ch[j - 1]->outputs, ch[j - 1]->n_outputs,
								    b->internal[i].from);
			const hs_operand *in = hs_operand_of_index(ch[j]->inputs, ch[j]->n_inputs,
								   b->internal[i].to);
			if (!out)
				return index_absent(c, "internal_children_input_output", "child", ch[j - 1], "output", b->internal[i].from);
			if (!in)
				return index_absent(c, "internal_children_input_output", "child", ch[j], "input", b->internal[i].to);
			const hs_node *x = hs_operand_identity_at(in, 0), *o = hs_operand_identity_at(out, hs_operand_kept(out));
			if (x && o && x->n_inputs && hs_node_input_src(x, 0) == o)
				continue;
			return hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_UNCHAINED,
						CALL_FMT ": children do not chain: in the loop body, input %lld of child %.*s ('%.*s') does not read output %lld of child %.*s ('%.*s')",
						CALL_ARG(c), (long long)in->index, STR_ARG(ch[j]->uuid),
						x ? (int)hs_name_of(x).len : 1, x ? hs_name_of(x).ptr : "?",
						(long long)out->index, STR_ARG(ch[j - 1]->uuid),
						o ? (int)hs_name_of(o).len : 1, o ? hs_name_of(o).ptr : "?");
		}
	return HS_OK;
}

static int check_mapping(hs_call *c)
{
	const char *what;
	if (!hs_call_children_mapping(c).len)
		return hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_BAD_MAPPING,
					CALL_FMT ": its hints have no %s", CALL_ARG(c),
					HS_ATTR_CHILDREN_MAPPING);
	int rc = parse_mapping(hs_call_body_of(c), &c->set->arena, hs_call_children_mapping(c), &what);
	if (rc == -1)
		return hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_BAD_MAPPING,
					CALL_FMT ": the children mapping is malformed: expected %s of index pairs in '%.*s'",
					CALL_ARG(c), what, STR_ARG(hs_call_children_mapping(c)));
	return rc ? hs_fail(rc, "out of memory") : check_links(c);
}

/* ------------------------------------------------------------ one call */

static int data_inputs(const hs_node *n)
{
	int k = 0;
	for (uint32_t i = 0; i < n->n_inputs; i++)
		k += hs_node_input_port(n, i) >= 0;
	return k;
}

/* The body function of `loop`, loaded into c's body. */
static int load_body(level2_state *st, hs_call *c, const hs_node *loop)
{
	hs_attr a;
	if (hs_node_attr(&a, loop, "body") != HS_OK || a.kind != HS_ATTR_FUNC)
		return hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_BODY_MISSING,
					CALL_FMT ": loop '%.*s' has no body function attribute",
					CALL_ARG(c), NODE_ARG(loop));
	if (!st->lib && !st->lib_error) {
		int rc = hs_library_open(&st->lib, st->set->g);
		if (rc == HS_ENOMEM)
			return rc;
		/* Malformed: a problem of every level-2 call, indexed once. */
		if (rc && !(st->lib_error = hs_arena_printf(&st->set->arena, "%s", hs_error_last())))
			return HS_ENOMEM;
	}
	if (st->lib_error)
		return hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_BODY_MALFORMED,
					CALL_FMT ": loop '%.*s': the graph's function library is malformed: %s",
					CALL_ARG(c), NODE_ARG(loop), st->lib_error);
	const hs_function *f = hs_library_find(st->lib, a.v.s);
	if (!f)
		return hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_BODY_MISSING,
					CALL_FMT ": the body function '%.*s' of loop '%.*s' is not in the graph's library",
					CALL_ARG(c), STR_ARG(a.v.s), NODE_ARG(loop));
	hs_call_body *b = NULL;
	int rc = hs_call_new_body(&b, c);
	if (!rc)
		rc = hs_library_load_body(&b->scope, st->lib, f);
	if (rc == HS_ENOMEM || (rc && !b))
		return rc;
	if (rc)
		return hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_BODY_MALFORMED,
					CALL_FMT ": loop '%.*s': %s", CALL_ARG(c), NODE_ARG(loop),
					hs_error_last());
	b->loop = loop;
	if ((size_t)data_inputs(loop) != b->scope->n_args)
		return hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_LOOP_ARITY,
					CALL_FMT ": loop '%.*s' has %d inputs, its body '%.*s' %zu arguments",
					CALL_ARG(c), NODE_ARG(loop), data_inputs(loop),
					STR_ARG(a.v.s), b->scope->n_args);
	return HS_OK;
}

/* Whether an output hint of c reads a stub hintstub made. */
static int reads_stub(const hs_call *c)
{
	hs_str raw;
	for (size_t i = 0; i < c->n_outputs; i++) {
		const hs_node *s = hs_operand_tensor(&c->outputs[i], 0).node;
		if (s && hs_node_find_raw_attr(&raw, s, HS_ATTR_STUB_CALL,
					       strlen(HS_ATTR_STUB_CALL)) == HS_OK)
			return 1;
	}
	return 0;
}

/* Phase 1 of call c: its loop and body, with an empty call set for the
 * body's calls. */
static int load_call(level2_state *st, hs_call *c)
{
	if (c->level >= 3)
		return hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_LEVEL3,
					CALL_FMT " has level %lld: only level-1 cells and level-2 loops of cells exist",
					CALL_ARG(c), (long long)c->level);
	if (hs_call_has_errors(c) || !c->n_inputs || !c->n_outputs)
		return HS_OK;
	const hs_node *loop;
	size_t n_loops;
	int rc = find_loops(st, c, &loop, &n_loops);
	if (rc)
		return rc;
	if (!n_loops && reads_stub(c)) {
		/* Converted already: the output hint reads the last stub. */
		c->converted = 1;
		hs_call_clear_problems(c);
		return hs_call_problemf(c, HS_SEVERITY_NOTE, HS_P_ALREADY_CONVERTED,
					CALL_FMT " is already converted: its output hint reads a stub",
					CALL_ARG(c));
	}
	if (!n_loops)
		return hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_NO_LOOP,
					CALL_FMT ": no While or StatelessWhile node computes its outputs from its inputs",
					CALL_ARG(c));
	if (n_loops > 1)
		return hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_NESTED_LOOP,
					CALL_FMT ": %zu loops lie between its hints (the first '%.*s'); one is expected",
					CALL_ARG(c), n_loops, NODE_ARG(loop));
	if ((rc = load_body(st, c, loop)) || hs_call_has_errors(c))
		return rc;
	return hs_callset_new(&hs_call_body_of(c)->calls, hs_call_body_of(c)->scope);
}

int hs_ophint_loops_load(hs_callset *set, size_t first_call)
{
	level2_state st = { .set = set };
	int rc = HS_OK;
	for (size_t i = first_call; i < set->n_calls && !rc; i++) {
		hs_call *c = set->calls[i];
		if (c->level < 2 || c->converted)
			continue;
		if (!st.stamp && !(st.stamp = calloc(hs_graph_id_limit(set->g) + 1, sizeof *st.stamp)))
			rc = hs_fail(HS_ENOMEM, "out of memory");
		if (!rc)
			rc = load_call(&st, c);
	}
	hs_library_free(st.lib);
	free(st.stamp);
	free(st.stack);
	if (!rc && set->failed)
		rc = hs_fail(set->failed, "out of memory recording problems");
	return rc;
}

/* Phase 2 of call c, its body's calls found: children and checks. */
static int finish_call(hs_call *c)
{
	int rc = adopt_children(c);
	if (rc)
		return rc;
	if (!hs_call_child_count(c))
		return hs_call_problemf(c, HS_SEVERITY_ERROR, HS_P_NO_CHILDREN,
					CALL_FMT ": the body of loop '%.*s' holds no cell hints",
					CALL_ARG(c), HS_NODE_ARG(hs_call_body_of(c)->loop));
	if ((rc = check_body(c)) || hs_call_has_errors(c))
		return rc;
	return check_mapping(c);
}

int hs_ophint_loops_finish(hs_callset *set, size_t first_call)
{
	int rc = HS_OK;
	for (size_t i = first_call; i < set->n_calls && !rc; i++) {
		hs_call *c = set->calls[i];
		if (hs_call_body_of(c) && hs_call_body_of(c)->calls && !hs_call_has_errors(c))
			rc = finish_call(c);
	}
	if (!rc && set->failed)
		rc = hs_fail(set->failed, "out of memory recording problems");
	return rc;
}
