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
	hs_json_put_raw(&b, ",\"problems\":");
	hs_report_put_problems(&b, np ? hs_report_problem(r, 0) : NULL, np);
	hs_json_put_raw(&b, ",\"calls\":[");
	for (size_t i = 0; i < n; i++) {
		const hs_call_report *e = hs_report_entry(r, i);
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
		hs_json_put_raw(&b, "}");
	}
	hs_json_put_raw(&b, "]}\n");
	return hs_buf_take_text(out, &b);
}

