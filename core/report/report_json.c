/* The conversion report as JSON (for --report and other tools). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "json.h"
#include "report_internal.h"

void put_text(hs_buf *b, const char *s)
{
	hs_buf_put(b, s, strlen(s));
}

/* JSON strings and numbers are json.h's: invalid UTF-8 written as \ufffd;
 * a failed allocation marks b failed, which hs_buf_finish reports. */
void put_json_str(hs_buf *b, const char *s, size_t len)
{
	hs_json_put_str(b, s, len);
}

void put_cstr_or_null(hs_buf *b, const char *s)
{
	hs_json_put_cstr_or_null(b, s);
}

void put_size(hs_buf *b, size_t v)
{
	hs_json_put_size(b, v);
}

void put_problems(hs_buf *b, const hs_problem *p, size_t n)
{
	put_text(b, "[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			put_text(b, ",");
		put_text(b, "{\"severity\":");
		put_cstr_or_null(b, hs_severity_name(p[i].severity));
		put_text(b, ",\"code\":");
		put_cstr_or_null(b, p[i].code);
		put_text(b, ",\"message\":");
		put_cstr_or_null(b, p[i].message);
		put_text(b, "}");
	}
	put_text(b, "]");
}

int hs_report_to_json(char **out, const hs_report *r)
{
	if (!out || !r)
		return hs_fail(HS_EINVAL, "hs_report_to_json: out and report are required");
	*out = NULL;
	hs_buf b = { NULL, 0, 0, 0 };
	size_t n = hs_report_count(r), np = hs_report_problem_count(r);
	put_text(&b, "{\"dry_run\":");
	put_text(&b, hs_report_dry_run(r) ? "true" : "false");
	put_text(&b, ",\"calls_total\":");
	put_size(&b, n);
	put_text(&b, ",\"converted\":");
	put_size(&b, hs_report_converted(r));
	put_text(&b, ",\"errors\":");
	put_size(&b, hs_report_errors(r));
	put_text(&b, ",\"pack_unpack_nodes_removed\":");
	put_size(&b, hs_report_pack_unpack_removed(r));
	put_text(&b, ",\"problems\":");
	put_problems(&b, np ? hs_report_problem(r, 0) : NULL, np);
	put_text(&b, ",\"calls\":[");
	for (size_t i = 0; i < n; i++) {
		const hs_call_report *e = hs_report_entry(r, i);
		if (i)
			put_text(&b, ",");
		put_text(&b, "{\"function\":");
		put_json_str(&b, e->function.ptr, e->function.len);
		put_text(&b, ",\"uuid\":");
		put_json_str(&b, e->uuid.ptr, e->uuid.len);
		put_text(&b, ",\"result\":");
		put_cstr_or_null(&b, hs_call_result_name(e->result));
		put_text(&b, ",\"error\":");
		put_text(&b, e->error ? "true" : "false");
		put_text(&b, ",\"plugin\":");
		put_cstr_or_null(&b, e->plugin);
		put_text(&b, ",\"nodes_removed\":");
		put_size(&b, e->nodes_removed);
		put_text(&b, ",\"nodes_added\":");
		put_size(&b, e->nodes_added);
		put_text(&b, ",\"reason\":");
		put_cstr_or_null(&b, e->reason);
		put_text(&b, ",\"problems\":");
		put_problems(&b, e->problems, e->n_problems);
		put_text(&b, "}");
	}
	put_text(&b, "]}\n");
	return hs_buf_finish(out, &b);
}

int hs_buf_finish(char **out, hs_buf *b)
{
	hs_buf_put(b, "", 1);
	if (b->failed) {
		hs_buf_free(b);
		return hs_fail(HS_ENOMEM, "out of memory");
	}
	*out = (char *)b->data;
	return HS_OK;
}
