/* What the pictures of a plan share (draw.c): escaping hostile names,
 * the words and colours of a call's result, finding calls and stubs.
 * Private to libhintstub. */
#ifndef HS_DRAW_INTERNAL_H
#define HS_DRAW_INTERNAL_H

#include "report_internal.h"

/* Labels show at most this many bytes of a name, then "...". */
#define HS_DRAW_NAME_MAX 64

typedef enum hs_draw_escape_kind {
	HS_ESC_DOT,   /* inside a DOT "string": \" \\ and &amp; */
	HS_ESC_HTML   /* HTML text and attribute values */
} hs_draw_escape_kind;

/* Appends the len bytes at s escaped for `kind`: control bytes and bytes
 * that are not well-formed UTF-8 appear as the text \xNN.  A name longer
 * than max bytes (0: no limit) shows its first third, "..." and its end,
 * cut at characters. */
void hs_draw_escape(hs_buf *b, const char *s, size_t len, size_t max,
		    hs_draw_escape_kind kind);

/* The look of a call's result: "plugin", "generic", "kept", "skipped" or
 * "error" (the CSS class of the HTML table's row, too). */
const char *hs_draw_look(const hs_call_report *e);
/* Fill and border colours ("#rrggbb") of a look. */
void hs_draw_colours(const char *look, const char **fill, const char **border);
/* The result in words, unescaped: "converted by plugin X", "generic
 * stub", "kept: why", "skipped: why", "error: problem". */
void hs_draw_result(hs_buf *b, const hs_call_report *e);

/* The index of the call opts->detail names (uuid or unique prefix) in
 * *out; SIZE_MAX when opts or detail is NULL. */
int hs_draw_detail(size_t *out, const hs_plan *p, const hs_draw_options *opts);
/* The stub call i became in the converted graph (the node named after its
 * uuid), or NULL. */
const hs_node *hs_draw_stub(const hs_graph *after, const hs_call *c);
/* opts, or the defaults when NULL; HS_EINVAL for an unknown version. */
int hs_draw_check(const hs_draw_options **opts, const hs_plan *p, const char *what);

#endif
