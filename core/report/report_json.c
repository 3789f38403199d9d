/* The conversion report as JSON (for --report and other tools).  Strings
 * go through json.h: invalid UTF-8 is written as \ufffd. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "json.h"
#include "ophint_internal.h"

static void put_problem(hs_buf *b, const hs_problem *p)
{
	hs_json_put_raw(b, "{\"severity\":");
	hs_json_put_cstr_or_null(b, hs_severity_name(p->severity));
	hs_json_put_raw(b, ",\"code\":");
	hs_json_put_cstr_or_null(b, p->code);
	hs_json_put_raw(b, ",\"message\":");
	hs_json_put_cstr_or_null(b, p->message);
	hs_json_put_raw(b, "}");
}

/* "key": after the object's opening brace (first field) or a comma. */
static void put_key(hs_buf *b, const char *key, int first)
{
	hs_json_put_raw(b, first ? "{\"" : ",\"");
	hs_json_put_raw(b, key);
	hs_json_put_raw(b, "\":");
}

/* ,"key":[item,item,...] with fn writing item i of list. */
typedef void (*put_item_fn)(hs_buf *b, const void *list, size_t i);

static void put_list(hs_buf *b, const char *key, const void *list, size_t n,
		     put_item_fn fn)
{
	put_key(b, key, 0);
	hs_json_put_raw(b, "[");
	for (size_t i = 0; i < n; i++) {
		hs_json_put_raw(b, i ? "," : "");
		fn(b, list, i);
	}
	hs_json_put_raw(b, "]");
}

static void put_call_problem(hs_buf *b, const void *problems, size_t i)
{
	put_problem(b, &((const hs_problem *)problems)[i]);
}

static void put_report_problem(hs_buf *b, const void *r, size_t i)
{
	put_problem(b, hs_report_problem(r, i));
}

static void put_call(hs_buf *b, const void *r, size_t i)
{
	const hs_call_report *e = hs_report_entry(r, i);
	put_key(b, "function", 1);
	hs_json_put_str(b, e->function.ptr, e->function.len);
	put_key(b, "uuid", 0);
	hs_json_put_str(b, e->uuid.ptr, e->uuid.len);
	put_key(b, "result", 0);
	hs_json_put_cstr_or_null(b, hs_call_result_name(e->result));
	put_key(b, "error", 0);
	hs_json_put_raw(b, e->error ? "true" : "false");
	put_key(b, "plugin", 0);
	hs_json_put_cstr_or_null(b, e->plugin);
	put_key(b, "nodes_removed", 0);
	hs_json_put_size(b, e->nodes_removed);
	put_key(b, "nodes_added", 0);
	hs_json_put_size(b, e->nodes_added);
	put_key(b, "reason", 0);
	hs_json_put_cstr_or_null(b, e->reason);
	put_list(b, "problems", e->problems, e->n_problems, put_call_problem);
	hs_json_put_raw(b, "}");
}

/* Writes into b; a failed allocation marks b failed (json.h). */
static void put_report(hs_buf *b, const hs_report *r)
{
	put_key(b, "dry_run", 1);
	hs_json_put_raw(b, hs_report_dry_run(r) ? "true" : "false");
	put_key(b, "calls_total", 0);
	hs_json_put_size(b, hs_report_count(r));
	put_key(b, "converted", 0);
	hs_json_put_size(b, hs_report_converted(r));
	put_key(b, "errors", 0);
	hs_json_put_size(b, hs_report_errors(r));
	put_key(b, "pack_unpack_nodes_removed", 0);
	hs_json_put_size(b, hs_report_pack_unpack_removed(r));
	put_list(b, "problems", r, hs_report_problem_count(r), put_report_problem);
	put_list(b, "calls", r, hs_report_count(r), put_call);
	hs_json_put_raw(b, "}\n");
	hs_buf_put(b, "", 1);
}

int hs_report_to_json(char **out, const hs_report *r)
{
	if (!out || !r)
		return hs_fail(HS_EINVAL, "hs_report_to_json: out and report are required");
	*out = NULL;
	hs_buf b = { NULL, 0, 0, 0 };
	put_report(&b, r);
	if (b.failed) {
		hs_buf_free(&b);
		return hs_fail(HS_ENOMEM, "out of memory writing the JSON report");
	}
	*out = (char *)b.data;
	return HS_OK;
}
