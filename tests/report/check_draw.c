/* The pictures of a plan (core/report/draw*.c): DOT clusters per call,
 * colours by result, summaries of bounded size, --detail, the after view,
 * and escaping of hostile names in DOT and HTML. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

#define U1 "aaaa0000aaaa0000aaaa0000aaaa0000"
#define U2 "aaaa1111aaaa1111aaaa1111aaaa1111"
/* Quotes, a newline, markup and an ampersand: DOT and HTML must escape
 * every one. */
#define HOSTILE "in\"q\nl<a>&b"
#define HOSTILE_FN "f\"<b>&\n"

/* Call U1 (function f): x -> HOSTILE (input hint) -> neg -> out (output
 * hint) -> user, converted with the generic stub.  Call U2 (function
 * HOSTILE_FN) has a sort-index gap: an error. */
static tu_graph *fixture_graph(void)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "x", "Placeholder", NULL);
	tu_hint(tu_node(t, HOSTILE, "Identity", "x", NULL), "f", U1, 1, 0, -1, NULL);
	tu_node(t, "neg", "Neg", HOSTILE, NULL);
	tu_hint(tu_node(t, "out", "Identity", "neg", NULL), "f", U1, 0, 0, -1, NULL);
	tu_node(t, "user", "Neg", "out", NULL);
	tu_hint(tu_node(t, "b/in0", "Identity", "x", NULL), HOSTILE_FN, U2, 1, 0, 0, "stack");
	tu_hint(tu_node(t, "b/in2", "Identity", "x", NULL), HOSTILE_FN, U2, 1, 0, 2, "stack");
	tu_node(t, "b/add", "Add", "b/in0", "b/in2", NULL);
	tu_hint(tu_node(t, "b/out", "Identity", "b/add", NULL), HOSTILE_FN, U2, 0, 0, -1, NULL);
	return t;
}

typedef struct fixture {
	tu_graph *t;
	hs_graph *g;
	hs_callset *s;
	hs_plan *p;
} fixture;

/* The plan of t (which f then owns), with explain's verdicts. */
static void plan_fixture(fixture *f, tu_graph *t)
{
	hs_plan_options po = HS_PLAN_OPTIONS_INIT;
	po.explain = 1;
	f->t = t;
	f->g = tu_graph_load(t);
	ck_assert_ptr_nonnull(f->g);
	ck_assert_int_eq(hs_discover(&f->s, f->g, NULL), HS_OK);
	ck_assert_int_eq(hs_plan_new(&f->p, f->g, f->s, &po), HS_OK);
}

static void open_fixture(fixture *f)
{
	plan_fixture(f, fixture_graph());
}

static void close_fixture(fixture *f)
{
	hs_plan_free(f->p);
	hs_callset_free(f->s);
	hs_graph_free(f->g);
	tu_graph_free(f->t);
}

static char *dot_of(const hs_plan *p, const hs_draw_options *o)
{
	char *dot = NULL;
	ck_assert_msg(hs_plan_to_dot(&dot, p, o) == HS_OK, "%s", hs_error_last());
	ck_assert_ptr_nonnull(dot);
	return dot;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *s = strstr(hay, needle); s; s = strstr(s + 1, needle))
		n++;
	return n;
}

/* No raw control byte inside a DOT string, and every string closes. */
static void assert_dot_strings_clean(const char *dot)
{
	int quoted = 0;
	for (const char *c = dot; *c; c++) {
		if (quoted && *c == '\\' && c[1]) {
			c++;
			continue;
		}
		if (*c == '"')
			quoted = !quoted;
		else if (quoted)
			ck_assert_msg((unsigned char)*c >= 0x20, "control byte in a DOT string at %zu",
				      (size_t)(c - dot));
	}
	ck_assert_int_eq(quoted, 0);
}

START_TEST(test_clusters_and_colours)
{
	fixture f;
	open_fixture(&f);
	char *dot = dot_of(f.p, NULL);
	ck_assert_ptr_nonnull(strstr(dot, "digraph hintstub {"));
	ck_assert_uint_eq(count(dot, "subgraph cluster_c"), 2);
	/* Call 0: the generic stub, blue; its identities on the edges. */
	const char *c0 = strstr(dot, "subgraph cluster_c0 {");
	const char *c1 = strstr(dot, "subgraph cluster_c1 {");
	ck_assert_ptr_nonnull(c0);
	ck_assert_ptr_nonnull(c1);
	ck_assert_ptr_nonnull(strstr(c0, "label=\"f\\naaaa0000aaaa...\\ngeneric stub\""));
	ck_assert_ptr_nonnull(strstr(c0, "fillcolor=\"#dde8f8\"; color=\"#1f5fa8\""));
	/* The whole uuid, in the tooltip. */
	ck_assert_ptr_nonnull(strstr(c0, "tooltip=\"call " U1 " (f): generic stub\";"));
	ck_assert_ptr_nonnull(strstr(c0, "label=\"input 0\\n"));
	ck_assert_ptr_nonnull(strstr(c0, "shape=invhouse"));
	ck_assert_ptr_nonnull(strstr(c0, "label=\"output 0\\nout\\nIdentity\""));
	ck_assert_ptr_nonnull(strstr(c0, "label=\"neg\\nNeg\""));
	/* Call 1: an error, red, its problem without the "call UUID (fn): "
	 * the label says already. */
	ck_assert_ptr_nonnull(strstr(c1, "\\nerror: input 0: sort index 1 is missing"));
	ck_assert_ptr_nonnull(strstr(c1, "fillcolor=\"#f9dbd9\"; color=\"#b3261e\""));
	/* Outside every call. */
	ck_assert_ptr_nonnull(strstr(dot, "[label=\"user\\nNeg\" tooltip=\"user\"]"));
	ck_assert_ptr_nonnull(strstr(dot, " -> "));
	ck_assert_ptr_null(strstr(dot, "(summarised)"));
	hs_free(dot);
	close_fixture(&f);
}
END_TEST

START_TEST(test_escaping)
{
	fixture f;
	open_fixture(&f);
	char *dot = dot_of(f.p, NULL);
	assert_dot_strings_clean(dot);
	/* \" for the quote, the newline as the text \x0a, &amp; (Graphviz
	 * reads entities), < and > as they are (quoted DOT strings). */
	ck_assert_ptr_nonnull(strstr(dot, "\"input 0\\nin\\\"q\\\\x0al<a>&amp;b\\nIdentity\""));
	ck_assert_ptr_nonnull(strstr(dot, "label=\"f\\\"<b>&amp;\\\\x0a\\naaaa1111aaaa..."));
	ck_assert_ptr_null(strstr(dot, "&b"));

	char *html = NULL;
	ck_assert_int_eq(hs_plan_to_html(&html, f.p, dot, NULL, NULL), HS_OK);
	ck_assert_ptr_nonnull(strstr(html, "<td class=\"fn\">f&quot;&lt;b&gt;&amp;\\x0a</td>"));
	ck_assert_ptr_null(strstr(html, "<b>"));
	ck_assert_ptr_null(strstr(html, "<a>"));
	/* The DOT text in the <pre>, escaped again for HTML. */
	ck_assert_ptr_nonnull(strstr(html, "in\\&quot;q\\\\x0al&lt;a&gt;&amp;amp;b"));
	ck_assert_ptr_nonnull(strstr(html, "apt-get install graphviz"));
	ck_assert_ptr_null(strstr(html, "http://"));
	ck_assert_ptr_null(strstr(html, "https://"));
	/* Every row is findable: the search reads these two cells. */
	ck_assert_uint_eq(count(html, "<td class=\"uuid\">"), 2);
	ck_assert_ptr_nonnull(strstr(html, "<td class=\"uuid\">" U1 "</td>"));
	ck_assert_ptr_nonnull(strstr(html, "addEventListener('input'"));
	hs_free(html);
	hs_free(dot);
	close_fixture(&f);
}
END_TEST

START_TEST(test_html_svg_inline)
{
	fixture f;
	open_fixture(&f);
	static const char svg[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
		"<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\"\n"
		" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
		"<svg width=\"8pt\" height=\"8pt\"\n xmlns=\"http://www.w3.org/2000/svg\" "
		"xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n<g id=\"graph0\"/>\n</svg>\n";
	char *html = NULL;
	ck_assert_int_eq(hs_plan_to_html(&html, f.p, "digraph {}", svg, NULL), HS_OK);
	ck_assert_ptr_nonnull(strstr(html, "<svg width=\"8pt\" height=\"8pt\"\n>\n<g id=\"graph0\"/>\n</svg>"));
	ck_assert_ptr_null(strstr(html, "http"));
	ck_assert_ptr_null(strstr(html, "<?xml"));
	ck_assert_ptr_null(strstr(html, "digraph {}"));
	hs_free(html);
	close_fixture(&f);
}
END_TEST

START_TEST(test_summary_and_detail)
{
	fixture f;
	open_fixture(&f);
	hs_draw_options o = HS_DRAW_OPTIONS_INIT;
	o.mode = HS_DRAW_SUMMARY;
	char *dot = dot_of(f.p, &o);
	ck_assert_ptr_null(strstr(dot, "cluster"));
	ck_assert_uint_eq(count(dot, "shape=box3d"), 2);
	ck_assert_ptr_nonnull(strstr(dot, "\\n3 nodes (region 1, hint identities 2)\""));
	ck_assert_ptr_nonnull(strstr(dot, "label=\"(top level)\\n2 nodes\""));
	ck_assert_ptr_nonnull(strstr(dot, "label=\"b/\\n1 nodes\""));
	ck_assert_ptr_nonnull(strstr(dot, "(summarised)"));
	hs_free(dot);

	o.mode = HS_DRAW_AUTO;
	o.detail = "aaaa1";
	dot = dot_of(f.p, &o);
	ck_assert_ptr_nonnull(strstr(dot, "subgraph cluster_c1 {"));
	ck_assert_ptr_null(strstr(dot, "cluster_c0"));
	ck_assert_uint_eq(count(dot, "shape=box3d"), 1);
	hs_free(dot);

	char *none = NULL;
	o.detail = "aaaa";
	ck_assert_int_eq(hs_plan_to_dot(&none, f.p, &o), HS_EINVAL);
	ck_assert_ptr_nonnull(strstr(hs_error_last(), "uuid of 2 calls"));
	o.detail = "zz";
	ck_assert_int_eq(hs_plan_to_dot(&none, f.p, &o), HS_ENOTFOUND);
	o.detail = U1;
	dot = dot_of(f.p, &o);
	ck_assert_ptr_nonnull(strstr(dot, "subgraph cluster_c0 {"));
	hs_free(dot);
	ck_assert_ptr_null(none);
	close_fixture(&f);
}
END_TEST

START_TEST(test_after)
{
	fixture f;
	open_fixture(&f);
	hs_graph *after = tu_graph_load(f.t);
	hs_convert_options co = HS_CONVERT_OPTIONS_INIT;
	hs_report *r = NULL;
	ck_assert_int_eq(hs_convert(&r, after, &co), HS_OK);
	hs_report_free(r);
	hs_draw_options o = HS_DRAW_OPTIONS_INIT;
	o.after = after;
	char *dot = dot_of(f.p, &o);
	/* The stub of call 0 (named after its uuid, op f), what it reads and
	 * who reads its port 0; call 1 (an error) was not converted. */
	const char *a0 = strstr(dot, "subgraph cluster_a0 {");
	ck_assert_ptr_nonnull(a0);
	ck_assert_ptr_nonnull(strstr(a0, "[label=\"" U1 "\\nf\""));
	ck_assert_ptr_nonnull(strstr(a0, "[label=\":0\"]"));
	ck_assert_ptr_nonnull(strstr(a0, "[label=\"0\"]"));
	ck_assert_ptr_null(strstr(dot, "cluster_a1"));
	ck_assert_ptr_nonnull(strstr(dot, "[ltail=cluster_c0 lhead=cluster_a0 style=dashed"));
	hs_free(dot);

	o.mode = HS_DRAW_SUMMARY;
	dot = dot_of(f.p, &o);
	ck_assert_ptr_nonnull(strstr(dot, "\\nbecame f (1 inputs, 1 readers)"));
	ck_assert_ptr_nonnull(strstr(dot, "\\nno stub in the converted graph"));
	hs_free(dot);

	char *html = NULL;
	ck_assert_int_eq(hs_plan_to_html(&html, f.p, "", NULL, &o), HS_OK);
	ck_assert_ptr_nonnull(strstr(html, "<td>f (1 inputs, 1 readers)</td>"));
	hs_free(html);
	hs_graph_free(after);
	close_fixture(&f);
}
END_TEST

/* 6000 nodes in 3000 scopes and 100 calls: the summary stays small. */
START_TEST(test_large_is_bounded)
{
	tu_graph *t = tu_graph_new();
	char name[64], in[64], out[64], uuid[40];
	tu_node(t, "x", "Placeholder", NULL);
	for (int k = 0; k < 3000; k++) {
		snprintf(name, sizeof name, "top/s%d/a", k);
		tu_node(t, name, "Neg", "x", NULL);
		snprintf(in, sizeof in, "top/s%d/b", k);
		tu_node(t, in, "Neg", name, NULL);
	}
	for (int k = 0; k < 100; k++) {
		snprintf(uuid, sizeof uuid, "%032d", k);
		snprintf(in, sizeof in, "c%d/in", k);
		snprintf(name, sizeof name, "c%d/neg", k);
		snprintf(out, sizeof out, "c%d/out", k);
		tu_hint(tu_node(t, in, "Identity", "top/s0/b", NULL), "g", uuid, 1, 0, -1, NULL);
		tu_node(t, name, "Neg", in, NULL);
		tu_hint(tu_node(t, out, "Identity", name, NULL), "g", uuid, 0, 0, -1, NULL);
	}
	fixture f;
	plan_fixture(&f, t);
	char *dot = dot_of(f.p, NULL);
	ck_assert_ptr_nonnull(strstr(dot, "(summarised)"));
	ck_assert_msg(strlen(dot) < 4096, "summary of %zu bytes", strlen(dot));
	ck_assert_uint_le(count(dot, "shape=folder"), 40);
	ck_assert_ptr_nonnull(strstr(dot, "label=\"g\\n100 calls\\ngeneric stub\\n300 nodes\""));
	ck_assert_ptr_nonnull(strstr(dot, "label=\"top/s#/\\n6000 nodes\""));
	hs_free(dot);
	/* --full draws every node all the same. */
	hs_draw_options o = HS_DRAW_OPTIONS_INIT;
	o.mode = HS_DRAW_FULL;
	dot = dot_of(f.p, &o);
	ck_assert_uint_eq(count(dot, "subgraph cluster_c"), 100);
	hs_free(dot);
	close_fixture(&f);
}
END_TEST

/* No call, no edge: a picture all the same. */
START_TEST(test_no_edges)
{
	tu_graph *t = tu_graph_new();
	tu_node(t, "x", "Placeholder", NULL);
	fixture f;
	plan_fixture(&f, t);
	hs_draw_options o = HS_DRAW_OPTIONS_INIT;
	for (int mode = HS_DRAW_AUTO; mode <= HS_DRAW_SUMMARY; mode++) {
		o.mode = (hs_draw_mode)mode;
		char *dot = dot_of(f.p, &o);
		ck_assert_ptr_nonnull(strstr(dot, mode == HS_DRAW_SUMMARY ? "(top level)\\n1 nodes"
									  : "label=\"x\\nPlaceholder\""));
		ck_assert_ptr_null(strstr(dot, " -> "));
		hs_free(dot);
	}
	close_fixture(&f);
}
END_TEST

START_TEST(test_bad_arguments)
{
	fixture f;
	open_fixture(&f);
	char *out = NULL;
	hs_draw_options o = HS_DRAW_OPTIONS_INIT;
	ck_assert_int_eq(hs_plan_to_dot(NULL, f.p, NULL), HS_EINVAL);
	ck_assert_int_eq(hs_plan_to_dot(&out, NULL, NULL), HS_EINVAL);
	ck_assert_int_eq(hs_plan_to_html(&out, NULL, NULL, NULL, NULL), HS_EINVAL);
	o.version = 99;
	ck_assert_int_eq(hs_plan_to_dot(&out, f.p, &o), HS_EINVAL);
	ck_assert_ptr_nonnull(strstr(hs_error_last(), "version"));
	ck_assert_int_eq(hs_draw_options_init(&o, 99), HS_EINVAL);
	ck_assert_int_eq(hs_draw_options_init(&o, HS_DRAW_OPTIONS_VERSION), HS_OK);
	ck_assert_int_eq(o.mode, HS_DRAW_AUTO);
	o.mode = (hs_draw_mode)7;
	ck_assert_int_eq(hs_plan_to_dot(&out, f.p, &o), HS_EINVAL);
	ck_assert_ptr_null(out);
	close_fixture(&f);
}
END_TEST

static Suite *draw_suite(void)
{
	Suite *s = suite_create("draw");
	TCase *t = tcase_create("draw");
	tcase_add_test(t, test_clusters_and_colours);
	tcase_add_test(t, test_escaping);
	tcase_add_test(t, test_html_svg_inline);
	tcase_add_test(t, test_summary_and_detail);
	tcase_add_test(t, test_after);
	tcase_add_test(t, test_large_is_bounded);
	tcase_add_test(t, test_no_edges);
	tcase_add_test(t, test_bad_arguments);
	suite_add_tcase(s, t);
	return s;
}

int main(void) { return tu_run(draw_suite()); }
