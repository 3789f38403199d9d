/* What the DOT and HTML pictures of a plan share: escaping (names are
 * hostile input), the words and colours of a result, finding the call
 * --detail names and the stub a call became. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "draw_internal.h"
#include "error.h"
#include "json.h"

int hs_draw_options_init(hs_draw_options *opts, unsigned int version)
{
	static const hs_draw_options defaults = HS_DRAW_OPTIONS_INIT;
	return hs_options_init(opts, &defaults, sizeof defaults, version,
			       HS_DRAW_OPTIONS_VERSION, "hs_draw_options");
}

int hs_draw_check(const hs_draw_options **opts, const hs_plan *p, const char *what)
{
	static const hs_draw_options defaults = HS_DRAW_OPTIONS_INIT;
	if (!p)
		return hs_fail(HS_EINVAL, "%s: out and plan are required", what);
	if (!*opts)
		*opts = &defaults;
	if ((*opts)->version != HS_DRAW_OPTIONS_VERSION)
		return hs_fail(HS_EINVAL, "hs_draw_options: unknown version %u", (*opts)->version);
	if ((*opts)->mode > HS_DRAW_SUMMARY)
		return hs_fail(HS_EINVAL, "hs_draw_options: unknown mode %d", (int)(*opts)->mode);
	return HS_OK;
}

/* One byte as the visible text \xNN. */
static void put_hex(hs_buf *b, unsigned char c)
{
	hs_buf_printf(b, "\\x%02x", c);
}

static void put_special(hs_buf *b, unsigned char c, hs_draw_escape_kind kind)
{
	if (kind == HS_ESC_DOT) {
		switch (c) {
		case '"': hs_buf_put(b, "\\\"", 2); return;
		/* A backslash starts DOT's own escapes (\n, \N, \G...). */
		case '\\': hs_buf_put(b, "\\\\", 2); return;
		/* Graphviz reads entities in labels: a bare & could make one. */
		case '&': hs_buf_put(b, "&amp;", 5); return;
		}
	} else {
		switch (c) {
		case '&': hs_buf_put(b, "&amp;", 5); return;
		case '<': hs_buf_put(b, "&lt;", 4); return;
		case '>': hs_buf_put(b, "&gt;", 4); return;
		case '"': hs_buf_put(b, "&quot;", 6); return;
		case '\'': hs_buf_put(b, "&#39;", 5); return;
		}
	}
	hs_buf_put(b, &c, 1);
}

static void escape_all(hs_buf *b, const unsigned char *s, size_t len,
		       hs_draw_escape_kind kind)
{
	/* Backslashes of \xNN are DOT escapes themselves. */
	const char *hex_prefix = kind == HS_ESC_DOT ? "\\" : "";
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		size_t step = 1, bad = 0;
		if (c >= 0x80)
			step = hs_utf8_sequence(s + i, len - i, &bad);
		if (c < 0x20 || c == 0x7f) {
			hs_buf_put(b, hex_prefix, strlen(hex_prefix));
			put_hex(b, c);
		} else if (c >= 0x80 && !step) {
			for (size_t k = 0; k < bad; k++) {
				hs_buf_put(b, hex_prefix, strlen(hex_prefix));
				put_hex(b, s[i + k]);
			}
			step = bad;
		} else if (c >= 0x80) {
			hs_buf_put(b, s + i, step);
		} else {
			put_special(b, c, kind);
		}
		i += step;
	}
}

static int continuation(unsigned char c)
{
	return c >= 0x80 && c < 0xc0;
}

/* Long names differ at their ends (a scope, then the op's own name): a
 * cut name keeps its first third and its end. */
void hs_draw_escape(hs_buf *b, const char *str, size_t len, size_t max,
		    hs_draw_escape_kind kind)
{
	const unsigned char *s = (const unsigned char *)str;
	if (!max || len <= max || max < 8) {
		escape_all(b, s, len, kind);
		return;
	}
	size_t head = max / 3, tail = len - (max - head - 3);
	while (head && continuation(s[head]))
		head--;
	while (tail < len && continuation(s[tail]))
		tail++;
	escape_all(b, s, head, kind);
	hs_buf_put(b, "...", 3);
	escape_all(b, s + tail, len - tail, kind);
}

const char *hs_draw_look(const hs_call_report *e)
{
	if (e->error || e->result == HS_CALL_FAILED)
		return "error";
	if (e->result == HS_CALL_CONVERTED)
		return e->plugin && strcmp(e->plugin, "generic") ? "plugin" : "generic";
	return e->result == HS_CALL_KEPT ? "kept" : "skipped";
}

void hs_draw_colours(const char *look, const char **fill, const char **border)
{
	static const struct { const char *look, *fill, *border; } colours[] = {
		{ "plugin", "#dcf1dc", "#2e7d32" },
		{ "generic", "#dde8f8", "#1f5fa8" },
		{ "kept", "#eeeeee", "#707070" },
		{ "skipped", "#fdebd0", "#c26a00" },
		{ "error", "#f9dbd9", "#b3261e" },
	};
	for (size_t i = 0; i < sizeof colours / sizeof colours[0]; i++)
		if (strcmp(look, colours[i].look) == 0) {
			*fill = colours[i].fill;
			*border = colours[i].border;
			return;
		}
	*fill = "#ffffff";
	*border = "#000000";
}

/* The first error problem's message, for a call without a reason. */
static const char *first_error(const hs_call_report *e)
{
	for (size_t k = 0; k < e->n_problems; k++)
		if (e->problems[k].severity == HS_SEVERITY_ERROR)
			return e->problems[k].message;
	return e->n_problems ? e->problems[0].message : "";
}

/* Reasons start "call UUID (FUNCTION): ", which the picture shows
 * already. */
static const char *without_call_prefix(const hs_call_report *e, const char *why)
{
	size_t n = e->uuid.len;
	if (strncmp(why, "call ", 5) || n > strlen(why + 5) || memcmp(why + 5, e->uuid.ptr, n))
		return why;
	const char *rest = strstr(why + 5 + n, "): ");
	return rest ? rest + 3 : why;
}

void hs_draw_result(hs_buf *b, const hs_call_report *e)
{
	const char *look = hs_draw_look(e);
	const char *why = e->reason ? e->reason : "";
	if (strcmp(look, "plugin") == 0) {
		hs_buf_printf(b, "converted by plugin %s", e->plugin);
		return;
	}
	if (strcmp(look, "generic") == 0) {
		hs_buf_printf(b, "generic stub");
		return;
	}
	if (strcmp(look, "error") == 0 && !e->reason)
		why = first_error(e);
	hs_buf_printf(b, "%s: %s", look, without_call_prefix(e, why));
}

int hs_draw_detail(size_t *out, const hs_plan *p, const hs_draw_options *opts)
{
	*out = SIZE_MAX;
	if (!opts || !opts->detail)
		return HS_OK;
	const char *want = opts->detail;
	size_t len = strlen(want), found = 0;
	for (size_t i = 0; i < p->n; i++) {
		hs_str u = hs_call_uuid(hs_plan_call_of(p, i));
		if (u.len == len && memcmp(u.ptr, want, len) == 0) {
			*out = i;
			return HS_OK;
		}
		if (u.len > len && memcmp(u.ptr, want, len) == 0 && found++ == 0)
			*out = i;
	}
	if (found == 1 && len)
		return HS_OK;
	*out = SIZE_MAX;
	if (!found || !len)
		return hs_fail(HS_ENOTFOUND, "no call's uuid is or starts with '%s'", want);
	return hs_fail(HS_EINVAL, "'%s' starts the uuid of %zu calls: give more of it",
		       want, found);
}

const hs_node *hs_draw_stub(const hs_graph *after, const hs_call *c)
{
	if (!after)
		return NULL;
	/* A level-2 call became its children's stubs: the last, which its
	 * output hint reads, stands for them. */
	if (hs_call_child_count(c))
		c = hs_call_child(c, hs_call_child_count(c) - 1);
	hs_str u = hs_call_uuid(c);
	return hs_graph_find_node(after, u.ptr, u.len);
}
