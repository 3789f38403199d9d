/* Plugin dispatch benchmark: N (default 10,000) hinted
 * Conv2D -> BiasAdd -> Relu calls converted by hs_convert with no registry
 * (the generic pass), with the conv plugin, with lstm,rnn,conv (two
 * plugins tried first), and with lstm,rnn only (no plugin claims: pure
 * dispatch cost).  Prints the best of several interleaved runs and the
 * ratios to the generic pass (target: dispatch <= 1.2x).  CPU time, not
 * wall time: the machine is shared.
 *   make bench-plugins   or   tests/bench_dispatch [PLUGIN_DIR [CONFIG]]
 * Without arguments (as `make valgrind` runs it) it is a quick smoke run
 * of 200 calls using the plugins of the build tree. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "testutil.h"
#include "hintstub/plugin.h"

static double now(void) { struct timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec / 1e9; }

/* n calls x -> [in, w, b hints] Conv2D -> BiasAdd -> Relu -> [out hint]. */
static void build_chain(tu_graph *tg, int n)
{
	tu_node(tg, "x", "Placeholder", NULL);
	char prev[64] = "x";
	for (int i = 0; i < n; i++) {
		char u[32], a[64], b[64], c[64], d[64], e[64], w[64], bb[64], wi[64], bi[64];
		snprintf(u, sizeof u, "u%08d", i);
		snprintf(w, sizeof w, "b%d/w", i); snprintf(bb, sizeof bb, "b%d/b", i);
		tu_node(tg, w, "Const", NULL); tu_node(tg, bb, "Const", NULL);
		snprintf(a, sizeof a, "b%d/in", i);
		snprintf(wi, sizeof wi, "b%d/win", i); snprintf(bi, sizeof bi, "b%d/bin", i);
		tu_hint(tu_node(tg, a, "Identity", prev, NULL), "CustomConv2D", u, 1, 0, 0, NULL);
		tu_hint(tu_node(tg, wi, "Identity", w, NULL), "CustomConv2D", u, 1, 1, 0, NULL);
		tu_hint(tu_node(tg, bi, "Identity", bb, NULL), "CustomConv2D", u, 1, 2, 0, NULL);
		snprintf(b, sizeof b, "b%d/Conv2D", i);
		Tensorflow__NodeDef *cv = tu_node(tg, b, "Conv2D", a, wi, NULL);
		tu_attr_s(cv, "padding", "SAME"); tu_attr_s(cv, "data_format", "NHWC");
		snprintf(c, sizeof c, "b%d/BiasAdd", i);
		tu_node(tg, c, "BiasAdd", b, bi, NULL);
		snprintf(d, sizeof d, "b%d/Relu", i);
		tu_node(tg, d, "Relu", c, NULL);
		snprintf(e, sizeof e, "b%d/out", i);
		tu_hint(tu_node(tg, e, "Identity", d, NULL), "CustomConv2D", u, 0, 0, 0, NULL);
		strcpy(prev, e);
	}
}

int main(int argc, char **argv)
{
	int smoke = argc < 2;
	int n = getenv("HS_BENCH_CALLS") ? atoi(getenv("HS_BENCH_CALLS"))
					 : smoke ? 200 : 10000;
	/* HS_BENCH_GRAPH: a graph of CustomConv2D calls from elsewhere
	 * (make bench-plugins uses hintstub-gen conv, TF-shaped nodes). */
	const char *graph_file = getenv("HS_BENCH_GRAPH");
	tu_graph *tg = tu_graph_new();
	size_t len;
	uint8_t *bytes;
	if (graph_file) {
		bytes = tu_read_file(graph_file, &len);
		if (!bytes) {
			fprintf(stderr, "bench_dispatch: cannot read %s\n", graph_file);
			return 1;
		}
		n = -1;
	} else {
		build_chain(tg, n);
		bytes = tu_graph_pack(tg, &len);
	}
	const char *dirs[3] = { argv[1], NULL, NULL };
	static char build_dirs[3][1024];
	if (smoke) {
		static const char *const names[3] = { "lstm", "rnn", "conv" };
		for (int i = 0; i < 3; i++) {
			snprintf(build_dirs[i], sizeof build_dirs[i],
				 "%s/plugins/%s/.libs", HS_BUILD_DIR, names[i]);
			dirs[i] = build_dirs[i];
		}
	}
	hs_registry *reg[4] = { NULL, NULL, NULL, NULL };
	const char *rules[4] = { NULL, "plugin conv\n", "plugin lstm\nplugin rnn\nplugin conv\n", "plugin lstm\nplugin rnn\n" };
	for (int k = 1; k < 4; k++) {
		hs_registry_new(&reg[k], HS_REGISTRY_NO_ENV_PATH | HS_REGISTRY_NO_SYSTEM_PATH);
		for (int i = 0; i < 3 && dirs[i]; i++)
			hs_registry_add_search_dir(reg[k], dirs[i]);
		if (hs_registry_load_rules_buffer(reg[k], rules[k], strlen(rules[k]), "b")) { puts(hs_error_last()); return 1; }
	}
	const char *label[4] = { "generic (no registry)", "conv plugin", "lstm,rnn,conv", "lstm,rnn (none claims)" };
	double best[4] = { 1e9, 1e9, 1e9, 1e9 };
	int only = argc > 2 ? atoi(argv[2]) : -1;
	for (int rep = 0; rep < (smoke ? 1 : only >= 0 ? 3 : 15); rep++)
		for (int k = 0; k < 4; k++) {
			if (only >= 0 && k != only) continue;
			hs_graph *g; hs_graph_load_buffer(&g, bytes, len, "b", NULL);
			hs_convert_options o = HS_CONVERT_OPTIONS_INIT; o.registry = reg[k];
			hs_report *r;
			double t0 = now();
			if (hs_convert(&r, g, &o)) { puts(hs_error_last()); return 1; }
			double t = now() - t0;
			if (n < 0)
				n = (int)hs_report_count(r);
			if (hs_report_converted(r) != (size_t)n) { printf("converted %zu\n", hs_report_converted(r)); return 1; }
			if (k && k < 3 && strcmp(hs_report_entry(r, 0)->plugin, "conv")) { puts("not conv"); return 1; }
			if (t < best[k]) best[k] = t;
			hs_report_free(r); hs_graph_free(g);
		}
	if (smoke)
		printf("smoke run (%d calls, one pass): figures are not meaningful\n", n);
	for (int k = 0; k < 4; k++)
		if (best[k] < 1e9)
			printf("%-24s %8.2f ms  ratio %.3f\n", label[k], best[k] * 1e3, best[k] / best[0]);
	for (int k = 0; k < 4; k++)
		hs_registry_free(reg[k]);
	free(bytes);
	tu_graph_free(tg);
	return 0;
}
