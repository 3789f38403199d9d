/* What every subcommand that looks at calls shares: the options that
 * shape the plan (plugins, rules, layout, policies, limits) and the steps
 * load -> registry -> discover -> plan.  The conversion applies the plan
 * that `inspect` and `explain` print, built by the same code from the same
 * options, so the three always agree. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hintstub/plugin.h"

void cli_pass_init(cli_pass *p)
{
	hs_load_options limits = HS_LOAD_OPTIONS_INIT;
	hs_plan_options plan = HS_PLAN_OPTIONS_INIT;
	memset(p, 0, sizeof *p);
	p->limits = limits;
	p->limits.flags = HS_LOAD_MAP; /* a SIGBUS is handled: cli/guard.c */
	/* A second core indexes names while the first parses. */
	if (sysconf(_SC_NPROCESSORS_ONLN) > 1)
		p->limits.flags |= HS_LOAD_PARALLEL;
	p->plan = plan;
}

static int parse_policy(hs_policy *out, const char *s)
{
	if (strcmp(s, "error") == 0)
		*out = HS_POLICY_ERROR;
	else if (strcmp(s, "warn") == 0)
		*out = HS_POLICY_WARN;
	else if (strcmp(s, "ignore") == 0)
		*out = HS_POLICY_IGNORE;
	else
		return -1;
	return 0;
}

static int parse_layout(hs_input_layout *out, const char *s)
{
	if (strcmp(s, "dense") == 0)
		*out = HS_LAYOUT_DENSE;
	else if (strcmp(s, "present") == 0)
		*out = HS_LAYOUT_PRESENT;
	else
		return -1;
	return 0;
}

static int bad_value(int opt, const char *arg)
{
	cli_error("invalid value '%s' for --%s", arg,
		  opt == CLI_OPT_LAYOUT ? "input-layout"
		  : opt == CLI_OPT_ESCAPE ? "interior-escape" : "side-input");
	return -1;
}

int cli_pass_option(cli_pass *p, int opt, const char *arg)
{
	int handled = cli_plugin_option(&p->plugins, opt, arg);
	if (handled)
		return handled;
	switch (opt) {
	case CLI_OPT_TF_EXACT: p->plan.tf_exact = 1; return 1;
	case CLI_OPT_LAYOUT:
		return parse_layout(&p->plan.input_layout, arg) ? bad_value(opt, arg) : 1;
	case CLI_OPT_ESCAPE:
		return parse_policy(&p->plan.interior_escape, arg) ? bad_value(opt, arg) : 1;
	case CLI_OPT_SIDE:
		return parse_policy(&p->plan.unhinted_side_input, arg) ? bad_value(opt, arg) : 1;
	case CLI_MAX_FILE_SIZE:
	case CLI_MAX_NODES:
	case CLI_MAX_DEPTH:
		return cli_set_limit(&p->limits, opt, arg) ? -1 : 1;
	case CLI_ALLOW_EMPTY: p->allow_empty = 1; return 1;
	case CLI_MAX_MEMORY:
		return cli_parse_max_memory(&p->max_memory, arg) ? -1 : 1;
	}
	return 0;
}

/* Discovery or planning failed (hs_error_last says why). */
static int pass_failed(const cli_pass *p)
{
	cli_error("%s: %s", p->plugins.input, hs_error_last());
	return HS_EXIT_BAD_INPUT;
}

/* Load, registry and discovery: what a plan is made from. */
static int pass_discover(cli_pass *p, const char *in)
{
	if (!*in) {
		cli_error("IN is an empty path (use - for standard input)");
		return HS_EXIT_USAGE;
	}
	if (p->max_memory && cli_apply_max_memory(p->max_memory) != 0)
		return HS_EXIT_USAGE;
	p->plugins.input = in;
	int status = cli_registry_open(&p->registry, &p->plugins);
	if (status != HS_EXIT_OK)
		return status;
	p->plan.registry = p->registry;
	if (hs_graph_load_file(&p->g, in, &p->limits) != HS_OK) {
		cli_error_last();
		return HS_EXIT_BAD_INPUT;
	}
	if (cli_check_input(p->g, p->allow_empty) != 0)
		return HS_EXIT_BAD_INPUT;
	if (hs_discover(&p->calls, p->g, NULL) != HS_OK)
		return pass_failed(p);
	return HS_EXIT_OK;
}

int cli_pass_open(cli_pass *p, const char *in)
{
	int status = pass_discover(p, in);
	if (status != HS_EXIT_OK)
		return status;
	if (hs_plan_new(&p->p, p->g, p->calls, &p->plan) != HS_OK)
		return pass_failed(p);
	cli_warn_idle_plugins(&p->plugins, p->registry, p->p);
	return HS_EXIT_OK;
}

/* The caller's write function, the idle plugins warned of before its
 * first slice: as cli_pass_open, before the text. */
typedef struct text_writer {
	cli_pass *p;
	hs_write_fn fn;
	void *payload;
	int warned;
} text_writer;

static void warn_once(text_writer *w)
{
	if (!w->warned && w->p->p)
		cli_warn_idle_plugins(&w->p->plugins, w->p->registry, w->p->p);
	w->warned = 1;
}

static int write_after_warnings(const char *data, size_t len, void *payload)
{
	text_writer *w = payload;
	warn_once(w); /* the plan is made (and in w->p->p) before any text */
	return w->fn(data, len, w->payload);
}

int cli_pass_open_text(cli_pass *p, const char *in, hs_write_fn fn, void *payload,
		       int *write_rc)
{
	*write_rc = HS_OK;
	int status = pass_discover(p, in);
	if (status != HS_EXIT_OK)
		return status;
	text_writer w = { p, fn, payload, 0 };
	*write_rc = hs_plan_new_write_text(&p->p, p->g, p->calls, &p->plan,
					   write_after_warnings, &w);
	if (!p->p) {
		*write_rc = HS_OK; /* the plan's failure: nothing written */
		return pass_failed(p);
	}
	warn_once(&w);
	return HS_EXIT_OK;
}

/* The process ends right after a pass closes: freeing a million nodes one
 * by one only to exit is a few percent of a conversion, so the last few
 * passes' graphs, call sets and plans are left to the exit, reachable
 * from here (neither valgrind nor LeakSanitizer calls them leaks).
 * HINTSTUB_FREE_AT_EXIT=1 frees them (for leak checkers that differ). */
enum { KEPT_PASSES = 4 };
static struct kept_pass {
	hs_plan *p;
	hs_callset *calls;
	hs_graph *g;
} kept[KEPT_PASSES];

static int keep_for_exit(const cli_pass *p)
{
	const char *free_env = getenv("HINTSTUB_FREE_AT_EXIT");
	if (free_env && *free_env && strcmp(free_env, "0") != 0)
		return 0;
	for (size_t i = 0; i < KEPT_PASSES; i++)
		if (!kept[i].p && !kept[i].calls && !kept[i].g) {
			kept[i] = (struct kept_pass){ p->p, p->calls, p->g };
			return 1;
		}
	return 0;
}

void cli_pass_drop_plan(cli_pass *p)
{
	hs_plan_free(p->p);
	hs_callset_free(p->calls);
	p->p = NULL;
	p->calls = NULL;
}

void cli_pass_close(cli_pass *p)
{
	if (!keep_for_exit(p)) {
		hs_plan_free(p->p);
		hs_callset_free(p->calls);
		hs_graph_free(p->g);
	}
	hs_registry_free(p->registry);
	p->p = NULL;
	p->calls = NULL;
	p->g = NULL;
	p->registry = NULL;
}
