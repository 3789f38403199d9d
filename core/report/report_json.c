/* The conversion report as JSON (for --report and other tools). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "json.h"
#include "report_internal.h"

/* JSON strings and numbers are json.h's: invalid UTF-8 written as \ufffd;
 * a failed allocation marks b failed, which hs_buf_take_text reports. */

void hs_report_put_problems(hs_buf *b, const hs_problem *p, size_t n)
{
	hs_json_put_raw(b, "[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			hs_json_put_raw(b, ",");
		hs_json_put_raw(b, "{\"severity\":");
		hs_json_put_cstr_or_null(b, hs_severity_name(p[i].severity));
		hs_json_put_raw(b, ",\"code\":");
		hs_json_put_cstr_or_null(b, p[i].code);
		hs_json_put_raw(b, ",\"message\":");
		hs_json_put_cstr_or_null(b, p[i].message);
		hs_json_put_raw(b, "}");
	}
	hs_json_put_raw(b, "]");
}

/* The body function a level-2 call's loop names ("" when none). */
static hs_str body_name(const hs_call *c)
{
	hs_attr a;
	const hs_call_body *body = hs_call_body_of(c);
	if (body && body->loop && hs_node_attr(&a, body->loop, "body") == HS_OK &&
	    a.kind == HS_ATTR_FUNC)
		return a.v.s;
	return (hs_str){ "", 0 };
}

void hs_report_put_children(hs_buf *b, const hs_plan *p, size_t i, hs_call_result result)
{
	const hs_call *c = hs_plan_call_of(p, i);
	const hs_l2_plan *l2 = hs_plan_l2(&p->pc[i]);
	if (!hs_call_child_count(c))
		return;
	hs_str body = body_name(c);
	hs_json_put_raw(b, ",\"loop\":");
	hs_json_put_str(b, hs_name_of(hs_call_body_of(c)->loop).ptr, hs_name_of(hs_call_body_of(c)->loop).len);
	hs_json_put_raw(b, ",\"body\":");
	hs_json_put_str(b, body.ptr, body.len);
	hs_json_put_raw(b, ",\"children\":[");
	for (size_t j = 0; j < hs_call_child_count(c); j++) {
		const hs_call *k = hs_call_child(c, j);
		const hs_l2_child *ch = l2 && j < l2->n_children ? &l2->children[j] : NULL;
		int claimed = ch && ch->claim <= HS_CLAIM_PLUGIN;
		hs_json_put_raw(b, j ? ",{\"layer\":" : "{\"layer\":");
		hs_json_put_size(b, j);
		hs_json_put_raw(b, ",\"function\":");
		hs_json_put_str(b, k->function.ptr, k->function.len);
		hs_json_put_raw(b, ",\"uuid\":");
		hs_json_put_str(b, k->uuid.ptr, k->uuid.len);
		hs_json_put_raw(b, ",\"plugin\":");
		hs_json_put_cstr_or_null(b, claimed ? ch->plugin_name : NULL);
		hs_json_put_raw(b, ",\"reason\":");
		hs_json_put_cstr_or_null(b, ch && !claimed ? ch->reason : NULL);
		hs_json_put_raw(b, ",\"result\":");
		hs_json_put_cstr_or_null(b, hs_call_result_name(result));
		hs_json_put_raw(b, "}");
	}
	hs_json_put_raw(b, "]");
}

/* Names, functions, uuids and plugin names come from the graph or a
 * plugin: escaped (hs_escape), as every line inspect prints. */
static void put_escaped_str(hs_buf *b, hs_str s)
{
	hs_buf_put_escaped(b, s.ptr, s.len);
}

void hs_report_text_children(hs_buf *b, const hs_plan *p, size_t i)
{
	const hs_call *c = hs_plan_call_of(p, i);
	const hs_l2_plan *l2 = hs_plan_l2(&p->pc[i]);
	if (hs_call_child_count(c)) {
		hs_json_put_raw(b, "    loop '");
		put_escaped_str(b, hs_name_of(hs_call_body_of(c)->loop));
		hs_json_put_raw(b, "' (");
		put_escaped_str(b, hs_op_of(hs_call_body_of(c)->loop));
		hs_json_put_raw(b, "), body '");
		put_escaped_str(b, body_name(c));
		hs_buf_printf(b, "', %zu children in layer order\n", (size_t)hs_call_child_count(c));
	}
	for (size_t j = 0; j < hs_call_child_count(c); j++) {
		const hs_call *k = hs_call_child(c, j);
		const hs_l2_child *ch = l2 && j < l2->n_children ? &l2->children[j] : NULL;
		hs_buf_printf(b, "    child %zu (layer %zu of %zu): ", j, j + 1, (size_t)hs_call_child_count(c));
		put_escaped_str(b, k->function);
		hs_json_put_raw(b, " uuid ");
		put_escaped_str(b, k->uuid);
		hs_buf_printf(b, ", %zu input(s), %zu output(s): ", (size_t)k->n_inputs,
			      (size_t)k->n_outputs);
		if (!ch) {
			hs_json_put_raw(b, "not planned\n");
		} else if (ch->claim <= HS_CLAIM_PLUGIN) {
			const char *by = ch->plugin_name ? ch->plugin_name : "";
			put_escaped_str(b, (hs_str){ by, strlen(by) });
			hs_json_put_raw(b, " stub\n");
		} else {
			hs_json_put_raw(b, "not claimed: ");
			hs_json_put_raw(b, ch->reason ? ch->reason : ""); /* escaped when made */
			hs_json_put_raw(b, "\n");
		}
	}
}

int hs_report_to_json(char **out, const hs_report *r)
{
	if (!out || !r)
		return hs_fail(HS_EINVAL, "hs_report_to_json: out and report are required");
	*out = NULL;
	hs_buf b = { NULL, 0, 0, 0 };
	size_t n = hs_report_count(r), np = hs_report_problem_count(r);
	hs_json_put_raw(&b, "{\"dry_run\":");
	hs_json_put_raw(&b, hs_report_dry_run(r) ? "true" : "false");
	hs_json_put_raw(&b, ",\"calls_total\":");
	hs_json_put_size(&b, n);
	hs_json_put_raw(&b, ",\"converted\":");
	hs_json_put_size(&b, hs_report_converted(r));
	hs_json_put_raw(&b, ",\"errors\":");
	hs_json_put_size(&b, hs_report_errors(r));
	hs_json_put_raw(&b, ",\"pack_unpack_nodes_removed\":");
	hs_json_put_size(&b, hs_report_pack_unpack_removed(r));
	hs_json_put_raw(&b, ",\"functions_pruned\":");
	hs_json_put_size(&b, r->functions_pruned);
	hs_json_put_raw(&b, ",\"problems\":");
	hs_report_put_problems(&b, np ? hs_report_problem(r, 0) : NULL, np);
	hs_json_put_raw(&b, ",\"calls\":[");
	for (size_t i = 0; i < n; i++) {
		hs_call_report entry;
		hs_report_entry_read(r, i, &entry);
		const hs_call_report *e = &entry;
		if (i)
			hs_json_put_raw(&b, ",");
		hs_json_put_raw(&b, "{\"function\":");
		hs_json_put_str(&b, e->function.ptr, e->function.len);
		hs_json_put_raw(&b, ",\"uuid\":");
		hs_json_put_str(&b, e->uuid.ptr, e->uuid.len);
		hs_json_put_raw(&b, ",\"result\":");
		hs_json_put_cstr_or_null(&b, hs_call_result_name(e->result));
		hs_json_put_raw(&b, ",\"error\":");
		hs_json_put_raw(&b, e->error ? "true" : "false");
		hs_json_put_raw(&b, ",\"plugin\":");
		hs_json_put_cstr_or_null(&b, e->plugin);
		hs_json_put_raw(&b, ",\"nodes_removed\":");
		hs_json_put_size(&b, e->nodes_removed);
		hs_json_put_raw(&b, ",\"nodes_added\":");
		hs_json_put_size(&b, e->nodes_added);
		hs_json_put_raw(&b, ",\"reason\":");
		hs_json_put_cstr_or_null(&b, e->reason);
		hs_json_put_raw(&b, ",\"problems\":");
		hs_report_put_problems(&b, e->problems, e->n_problems);
		hs_report_put_children(&b, r->plan, i, e->result);
		hs_json_put_raw(&b, "}");
	}
	hs_json_put_raw(&b, "]}\n");
	return hs_buf_take_text(out, &b);
}

