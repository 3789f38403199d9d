/* See bench_run.h. */
#include <config.h>

#include <stdio.h>

#include "bench_run.h"
#include "bench_util.h"
#include "hintstub/hintstub.h"

int bench_convert_file(const char *who, const char *in, const char *out, double *ms)
{
	double t0 = bench_now_ms();
	hs_graph *g = NULL;
	hs_report *report = NULL;
	hs_convert_options opts = HS_CONVERT_OPTIONS_INIT;
	int rc = hs_graph_load_file(&g, in, NULL);
	if (rc == HS_OK)
		rc = hs_convert(&report, g, &opts);
	if (rc == HS_OK)
		rc = hs_graph_write_file(g, out);
	hs_report_free(report);
	hs_graph_free(g);
	*ms = bench_now_ms() - t0;
	if (rc != HS_OK)
		fprintf(stderr, "%s: %s: %s\n", who, in, hs_error_last());
	return rc == HS_OK ? 0 : -1;
}
