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

static const char *severity_word(hs_severity s)
{
	return s == HS_SEVERITY_ERROR ? "error" : s == HS_SEVERITY_WARNING ? "warning" : "note";
}

/* What a conversion with default options would do to the call. */
static void outcome_text(char *buf, size_t cap, const hs_call_report *e)
{
	if (!e)
		snprintf(buf, cap, "unknown");
	else if (e->result == HS_CALL_CONVERTED)
		snprintf(buf, cap, "would convert (%s stub, %zu nodes removed, %zu added)",
			 e->plugin ? e->plugin : "generic", e->nodes_removed, e->nodes_added);
	else
		snprintf(buf, cap, "would be %s: %s", hs_call_result_name(e->result),
			 e->reason ? e->reason : "");
}

static void print_operands_text(const char *dir, const hs_operand *ops, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const hs_operand *o = &ops[i];
		hs_str first = hs_node_name(o->nodes[0]);
		printf("    %s %lld: %s x%zu, dtype %d, first '%.*s'\n", dir,
		       (long long)o->index, hs_aggregation_name(o->aggregation), o->count,
		       o->dtype, (int)first.len, first.ptr);
	}
}

static void print_operands_json(const hs_operand *ops, size_t n)
{
	putchar('[');
	for (size_t i = 0; i < n; i++) {
		const hs_operand *o = &ops[i];
		printf("%s{\"index\":%lld,\"aggregation\":\"%s\",\"count\":%zu,\"dtype\":%d,\"nodes\":[",
		       i ? "," : "", (long long)o->index, hs_aggregation_name(o->aggregation),
		       o->count, o->dtype);
		for (size_t k = 0; k < o->count; k++) {
			hs_str nm = hs_node_name(o->nodes[k]);
			if (k)
				putchar(',');
			cli_json_str(stdout, nm.ptr, nm.len);
		}
		printf("]}");
	}
	putchar(']');
}

static void print_problem_json(const hs_problem *p)
{
	printf("{\"severity\":\"%s\",\"code\":", severity_word(p->severity));
	cli_json_str(stdout, p->code, strlen(p->code));
	printf(",\"message\":");
	cli_json_str(stdout, p->message, strlen(p->message));
	putchar('}');
}

static void print_calls_json(const hs_hints *h, const hs_report *r)
{
	printf(",\"graph_problems\":[");
	for (size_t i = 0; i < hs_hints_graph_problem_count(h); i++) {
		if (i)
			putchar(',');
		print_problem_json(hs_hints_graph_problem(h, i));
	}
	printf("],\"calls\":[");
	for (size_t i = 0; i < hs_hints_call_count(h); i++) {
		const hs_call *c = hs_hints_call(h, i);
		const hs_call_report *e = hs_report_entry(r, i);
		char what[512];
		outcome_text(what, sizeof what, e);
		printf("%s{\"function\":", i ? "," : "");
		cli_json_str(stdout, c->function.ptr, c->function.len);
		printf(",\"uuid\":");
		cli_json_str(stdout, c->uuid.ptr, c->uuid.len);
		printf(",\"level\":%lld,\"inputs\":", (long long)c->level);
		print_operands_json(c->inputs, c->n_inputs);
		printf(",\"outputs\":");
		print_operands_json(c->outputs, c->n_outputs);
		printf(",\"interior\":%zu,\"problems\":[", c->n_interior);
		for (size_t k = 0; k < c->n_problems; k++) {
			if (k)
				putchar(',');
			print_problem_json(&c->problems[k]);
		}
		printf("],\"conversion\":{\"result\":\"%s\",\"text\":",
		       e ? hs_call_result_name(e->result) : "unknown");
		cli_json_str(stdout, what, strlen(what));
		printf("}}");
	}
	putchar(']');
}

static void print_calls_text(const hs_hints *h, const hs_report *r)
{
	for (size_t i = 0; i < hs_hints_graph_problem_count(h); i++) {
		const hs_problem *p = hs_hints_graph_problem(h, i);
		printf("%s: %s [%s]\n", severity_word(p->severity), p->message, p->code);
	}
	printf("%zu OpHint call(s)\n", hs_hints_call_count(h));
	for (size_t i = 0; i < hs_hints_call_count(h); i++) {
		const hs_call *c = hs_hints_call(h, i);
		char what[512];
		outcome_text(what, sizeof what, hs_report_entry(r, i));
		printf("call %zu: %.*s uuid %.*s level %lld, %zu input(s), %zu output(s), interior %zu nodes\n",
		       i, (int)c->function.len, c->function.ptr, (int)c->uuid.len, c->uuid.ptr,
		       (long long)c->level, c->n_inputs, c->n_outputs, c->n_interior);
		print_operands_text("input", c->inputs, c->n_inputs);
		print_operands_text("output", c->outputs, c->n_outputs);
		for (size_t k = 0; k < c->n_problems; k++)
			printf("    %s: %s [%s]\n", severity_word(c->problems[k].severity),
			       c->problems[k].message, c->problems[k].code);
		printf("    %s\n", what);
	}
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
			puts("Usage: hintstub inspect [--json] IN\n"
			     "Node and op counts, every OpHint call (arguments, interior size,\n"
			     "problems) and what a conversion with default options would do.");
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
	hs_hints *h = NULL;
	hs_report *r = NULL;
	hs_convert_options co = HS_CONVERT_OPTIONS_INIT;
	co.dry_run = 1;
	if (hs_graph_load_file(&g, argv[optind], NULL) != HS_OK) {
		cli_error_last();
		return HS_EXIT_BAD_INPUT;
	}
	if (hs_hints_find(&h, g, NULL) != HS_OK || hs_convert(&r, g, &co) != HS_OK) {
		cli_error("%s: %s", argv[optind], hs_error_last());
		hs_hints_free(h);
		hs_graph_free(g);
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
		printf("}");
		print_calls_json(h, r);
		printf("}\n");
	} else {
		printf("%s: %zu nodes, %zu distinct ops\n", argv[optind],
		       hs_graph_node_count(g), n_ops);
		for (size_t i = 0; i < n_ops; i++)
			printf("  %-32.*s %zu\n", (int)ops[i].op.len, ops[i].op.ptr,
			       ops[i].count);
		print_calls_text(h, r);
	}
	free(ops);
	hs_report_free(r);
	hs_hints_free(h);
	hs_graph_free(g);
	return HS_EXIT_OK;
}
