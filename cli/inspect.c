/* hintstub inspect: what a graph holds and what a conversion would do. */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct op_count {
	hs_str op;
	size_t count;
} op_count;

static int cmp_op(const void *a, const void *b)
{
	const op_count *x = a, *y = b;
	size_t n = x->op.len < y->op.len ? x->op.len : y->op.len;
	int c = memcmp(x->op.ptr, y->op.ptr, n);
	return c ? c : (x->op.len > y->op.len) - (x->op.len < y->op.len);
}

/* Op histogram, sorted by op name. */
static op_count *count_ops(const hs_graph *g, size_t *n_out)
{
	size_t n = hs_graph_node_count(g), k = 0;
	op_count *all = malloc((n ? n : 1) * sizeof *all);
	if (!all)
		return NULL;
	for (hs_node *nd = hs_graph_next_node(g, NULL); nd; nd = hs_graph_next_node(g, nd)) {
		all[k].op = hs_node_op(nd);
		all[k++].count = 1;
	}
	qsort(all, k, sizeof *all, cmp_op);
	size_t m = 0;
	for (size_t i = 0; i < k; i++) {
		if (m && cmp_op(&all[m - 1], &all[i]) == 0)
			all[m - 1].count++;
		else
			all[m++] = all[i];
	}
	*n_out = m;
	return all;
}

int cli_inspect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int json = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'h':
			puts("Usage: hintstub inspect [--json] IN");
			return HS_EXIT_OK;
		default:
			return HS_EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		cli_error("inspect: expected one input file");
		return HS_EXIT_USAGE;
	}
	hs_graph *g = NULL;
	if (hs_graph_load_file(&g, argv[optind], NULL) != HS_OK) {
		cli_error_last();
		return HS_EXIT_BAD_INPUT;
	}
	size_t n_ops = 0;
	op_count *ops = count_ops(g, &n_ops);
	if (json) {
		printf("{\"file\":");
		cli_json_str(stdout, argv[optind], strlen(argv[optind]));
		printf(",\"nodes\":%zu,\"ops\":{", hs_graph_node_count(g));
		for (size_t i = 0; i < n_ops; i++) {
			if (i)
				putchar(',');
			cli_json_str(stdout, ops[i].op.ptr, ops[i].op.len);
			printf(":%zu", ops[i].count);
		}
		printf("}}\n");
	} else {
		printf("%s: %zu nodes, %zu distinct ops\n", argv[optind],
		       hs_graph_node_count(g), n_ops);
		for (size_t i = 0; i < n_ops; i++)
			printf("  %-32.*s %zu\n", (int)ops[i].op.len, ops[i].op.ptr,
			       ops[i].count);
	}
	free(ops);
	hs_graph_free(g);
	return HS_EXIT_OK;
}
