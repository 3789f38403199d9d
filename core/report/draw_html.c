/* The plan as one self-contained HTML page (`hintstub draw -o x.html`):
 * the picture inline, then every call in a table with the plan's verdicts
 * and explain's reasons, filtered by a search box.  Nothing refers to
 * anything outside the page: no scripts, styles, fonts or images are
 * fetched, so it opens the same offline. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "draw_internal.h"
#include "error.h"

/* A report of a hundred thousand calls stays a page one can open. */
#define TABLE_LIMIT 10000

static void put(hs_buf *b, const char *text)
{
	hs_buf_put(b, text, strlen(text));
}

static void put_text(hs_buf *b, const char *s, size_t len)
{
	hs_draw_escape(b, s, len, 0, HS_ESC_HTML);
}

static void put_cstr(hs_buf *b, const char *s)
{
	if (s)
		put_text(b, s, strlen(s));
}

static const char style[] =
	"body{font:14px/1.4 sans-serif;margin:1.5em;color:#222}"
	"h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.5em}"
	".pic{overflow:auto;border:1px solid #ccc;padding:.5em;max-height:80vh}"
	".pic svg{max-width:none}pre{white-space:pre-wrap}"
	".note{background:#fff6d5;border:1px solid #e0c060;padding:.4em .6em}"
	"table{border-collapse:collapse;margin-top:.5em}"
	"th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}"
	"th{background:#f0f0f0}td.uuid{font-family:monospace}td.num{text-align:right}"
	"ul{margin:0;padding-left:1.2em}input{font-size:1em;width:24em;padding:.2em}";

/* Colours of the rows: the picture's, one rule per look. */
static void put_style(hs_buf *b)
{
	static const char *const looks[] = { "plugin", "generic", "kept", "skipped", "error" };
	put(b, "<style>");
	put(b, style);
	for (size_t i = 0; i < sizeof looks / sizeof looks[0]; i++) {
		const char *fill, *border;
		hs_draw_colours(looks[i], &fill, &border);
		hs_buf_printf(b, "tr.%s td.result{background:%s;border-left:4px solid %s}",
			      looks[i], fill, border);
	}
	put(b, "</style>\n");
}

/* The SVG from its root element on, without namespace declarations
 * (HTML knows SVG's) so the page names no URL of its own. */
static void put_svg(hs_buf *b, const char *svg)
{
	const char *root = strstr(svg, "<svg");
	if (!root)
		return;
	const char *end = strchr(root, '>');
	if (!end)
		return;
	const char *s = root;
	while (s < end) {
		const char *ns = strstr(s, " xmlns");
		if (!ns || ns > end) {
			hs_buf_put(b, s, (size_t)(end - s));
			break;
		}
		hs_buf_put(b, s, (size_t)(ns - s));
		const char *q = memchr(ns, '"', (size_t)(end - ns));
		const char *close = q ? memchr(q + 1, '"', (size_t)(end - q - 1)) : NULL;
		s = close ? close + 1 : end;
	}
	put(b, end);
}

static void put_picture(hs_buf *b, const char *dot, const char *svg)
{
	put(b, "<div class=\"pic\">");
	if (svg) {
		put_svg(b, svg);
	} else {
		put(b, "<p class=\"note\">No picture: Graphviz's <code>dot</code> was not found "
		       "(install it: <code>apt-get install graphviz</code>, then draw again). "
		       "The graph in DOT text follows; <code>dot -Tsvg</code> draws it.</p><pre>");
		if (dot)
			put_cstr(b, dot);
		put(b, "</pre>");
	}
	put(b, "</div>\n");
}

static void put_verdict(const char *plugin, int claims, const char *reason, void *payload)
{
	hs_buf *b = payload;
	put(b, "<li>");
	put_cstr(b, plugin);
	if (claims) {
		put(b, ": claims it");
	} else {
		put(b, ": no: ");
		put_cstr(b, reason);
	}
	put(b, "</li>");
}

static void put_problems(hs_buf *b, const hs_call_report *e)
{
	for (size_t k = 0; k < e->n_problems; k++) {
		put(b, "<br>");
		put_cstr(b, hs_severity_name(e->problems[k].severity));
		put(b, " (");
		put_cstr(b, e->problems[k].code);
		put(b, "): ");
		put_cstr(b, e->problems[k].message);
	}
}

static void put_stub_cell(hs_buf *b, const hs_graph *after, const hs_call *c)
{
	const hs_node *s = hs_draw_stub(after, c);
	put(b, "<td>");
	if (s) {
		hs_str op = hs_node_op(s);
		put_text(b, op.ptr, op.len);
		hs_buf_printf(b, " (%zu inputs, %zu readers)", hs_node_input_count(s),
			      hs_node_consumer_count(s));
	} else {
		put(b, "none");
	}
	put(b, "</td>");
}

static void put_row(hs_buf *b, const hs_plan *p, size_t i, const hs_draw_options *o)
{
	const hs_call *c = hs_plan_call_of(p, i);
	hs_call_report entry;
	hs_plan_entry_read(p, i, &entry);
	const hs_call_report *e = &entry;
	hs_str fn = hs_call_function(c), uuid = hs_call_uuid(c);
	hs_buf_printf(b, "<tr class=\"%s\"><td class=\"num\">%zu</td><td class=\"fn\">",
		      hs_draw_look(e), i);
	put_text(b, fn.ptr, fn.len);
	put(b, "</td><td class=\"uuid\">");
	put_text(b, uuid.ptr, uuid.len);
	put(b, "</td><td>");
	put_cstr(b, e->plugin ? e->plugin : "-");
	put(b, "</td><td class=\"result\">");
	put_cstr(b, hs_call_result_name(e->result));
	put(b, "</td><td>");
	hs_buf words = { NULL, 0, 0, 0 };
	hs_draw_result(&words, e);
	b->failed |= words.failed;
	put_text(b, (const char *)words.data, words.len);
	hs_buf_free(&words);
	put_problems(b, e);
	hs_buf_printf(b, "</td><td class=\"num\">%zu</td><td><ul>", e->nodes_removed);
	if (p->opts.explain)
		hs_plan_explain(p, i, put_verdict, b);
	put(b, "</ul></td>");
	if (o->after)
		put_stub_cell(b, o->after, c);
	put(b, "</tr>\n");
}

static const char script[] =
	"<script>(function(){var q=document.getElementById('q');"
	"q.addEventListener('input',function(){var t=q.value.toLowerCase();"
	"var rows=document.querySelectorAll('#calls tbody tr');"
	"for(var i=0;i<rows.length;i++){var r=rows[i];"
	"var s=(r.querySelector('.fn').textContent+' '+r.querySelector('.uuid').textContent).toLowerCase();"
	"r.style.display=s.indexOf(t)<0?'none':'';}});})();</script>\n";

static void put_table(hs_buf *b, const hs_plan *p, const hs_draw_options *o)
{
	put(b, "<h2>Calls</h2>\n<p><input id=\"q\" type=\"search\" "
	       "placeholder=\"filter by uuid or function\" aria-label=\"filter calls\"></p>\n"
	       "<table id=\"calls\"><thead><tr><th>#</th><th>function</th><th>uuid</th>"
	       "<th>plugin</th><th>result</th><th>reason</th><th>nodes removed</th>"
	       "<th>explain</th>");
	if (o->after)
		put(b, "<th>stub in the converted graph</th>");
	put(b, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < p->n && i < TABLE_LIMIT; i++)
		put_row(b, p, i, o);
	put(b, "</tbody></table>\n");
	if (p->n > TABLE_LIMIT)
		hs_buf_printf(b, "<p class=\"note\">%zu more calls not listed "
			      "(<code>hintstub inspect</code> lists them all).</p>\n",
			      p->n - TABLE_LIMIT);
	if (!p->opts.explain)
		put(b, "<p>(explain's verdicts need a plan made with the explain option.)</p>\n");
	put(b, script);
}

static void put_graph_problems(hs_buf *b, const hs_plan *p)
{
	size_t n = hs_callset_problem_count(p->calls);
	if (!n)
		return;
	put(b, "<h2>Problems not tied to a call</h2><ul>");
	for (size_t k = 0; k < n; k++) {
		const hs_problem *pr = hs_callset_problem(p->calls, k);
		put(b, "<li>");
		put_cstr(b, pr->message);
		put(b, " (");
		put_cstr(b, pr->code);
		put(b, ")</li>");
	}
	put(b, "</ul>\n");
}

int hs_plan_to_html(char **out, const hs_plan *p, const char *dot, const char *svg,
		    const hs_draw_options *opts)
{
	if (!out)
		return hs_fail(HS_EINVAL, "hs_plan_to_html: out and plan are required");
	*out = NULL;
	int rc = hs_draw_check(&opts, p, "hs_plan_to_html");
	if (rc)
		return rc;
	const char *src = hs_graph_source(p->g);
	hs_buf b = { NULL, 0, 0, 0 };
	put(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>hintstub: ");
	put_cstr(&b, src);
	put(&b, "</title>\n");
	put_style(&b);
	put(&b, "</head><body>\n<h1>hintstub draw: ");
	put_cstr(&b, src);
	hs_buf_printf(&b, "</h1>\n<p>%zu nodes, %zu OpHint calls: %zu converted, %zu with errors.</p>\n",
		      hs_graph_node_count(p->g), p->n, p->converted, p->errors);
	put_graph_problems(&b, p);
	put_table(&b, p, opts);
	put(&b, "<h2>Picture</h2>\n");
	put_picture(&b, dot, svg);
	put(&b, "</body></html>\n");
	return hs_buf_take_text(out, &b);
}
