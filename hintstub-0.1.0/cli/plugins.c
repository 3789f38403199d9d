/* Plugin options shared by the hintstub subcommands: --plugin-path,
 * --plugins, --rules, --no-plugins, and --list-plugins. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hintstub/plugin.h"

#ifndef HS_RULESDIR
#define HS_RULESDIR "/usr/local/share/hintstub/rules"
#endif

int cli_plugin_option(cli_plugin_opts *o, int opt, const char *arg)
{
	switch (opt) {
	case CLI_OPT_PLUGIN_PATH:
		if (o->n_dirs == CLI_MAX_PLUGIN_DIRS) {
			cli_error("too many --plugin-path options (at most %d)",
				  CLI_MAX_PLUGIN_DIRS);
			return -1;
		}
		o->dirs[o->n_dirs++] = arg;
		return 1;
	case CLI_OPT_PLUGINS:
		o->plugins = arg;
		return 1;
	case CLI_OPT_RULES:
		o->rules = arg;
		return 1;
	case CLI_OPT_NO_PLUGINS:
		o->no_plugins = 1;
		return 1;
	case CLI_OPT_LIST_PLUGINS:
		o->list = 1;
		return 1;
	default:
		return 0;
	}
}

static void print_diagnostic(const char *message, void *payload)
{
	(void)payload;
	fprintf(stderr, "hintstub: warning: %s\n", message);
}

/* --plugins a,b: selects, then loads any not named by the rules. */
static int select_plugins(hs_registry *r, const char *list, int load)
{
	char *copy = strdup(list);
	if (!copy) {
		cli_error("out of memory");
		return -1;
	}
	int rc = 0;
	for (char *save = NULL, *name = strtok_r(copy, ",", &save); name && !rc;
	     name = strtok_r(NULL, ",", &save)) {
		if (!load) {
			const char *one = name;
			rc = hs_registry_select(r, &one, 1);
		} else if (!hs_registry_has_plugin(r, name)) {
			rc = hs_registry_load_plugin(r, name);
		}
	}
	free(copy);
	if (rc)
		cli_error_last();
	return rc ? -1 : 0;
}

int cli_registry_open(hs_registry **out, const cli_plugin_opts *o)
{
	*out = NULL;
	if (o->no_plugins) {
		if (o->plugins || o->rules) {
			cli_error("--no-plugins cannot be combined with --plugins or --rules");
			return HS_EXIT_USAGE;
		}
		return HS_EXIT_OK;
	}
	hs_registry *r = NULL;
	if (hs_registry_new(&r, 0) != HS_OK) {
		cli_error_last();
		return HS_EXIT_BAD_INPUT;
	}
	hs_registry_set_diagnostic(r, print_diagnostic, NULL);
	for (size_t i = 0; i < o->n_dirs; i++)
		if (hs_registry_add_search_dir(r, o->dirs[i]) != HS_OK)
			goto fail;
	if (o->plugins && select_plugins(r, o->plugins, 0) != 0)
		goto fail_reported;
	const char *rules = o->rules;
	if (!rules && access(HS_RULESDIR "/default.rules", R_OK) == 0)
		rules = HS_RULESDIR "/default.rules";
	if (rules && hs_registry_load_rules(r, rules) != HS_OK)
		goto fail;
	if (o->plugins && select_plugins(r, o->plugins, 1) != 0)
		goto fail_reported;
	*out = r;
	return HS_EXIT_OK;
fail:
	cli_error_last();
fail_reported:
	hs_registry_free(r);
	return HS_EXIT_BAD_INPUT;
}

int cli_list_plugins(const cli_plugin_opts *o)
{
	hs_registry *r;
	int rc = cli_registry_open(&r, o);
	if (rc != HS_EXIT_OK)
		return rc;
	size_t n = hs_registry_plugin_count(r);
	if (n == 0)
		printf("no plugins loaded\n");
	for (size_t i = 0; i < n; i++) {
		const hs_plugin_desc *d = hs_registry_plugin(r, i);
		printf("%s %s\t%s\n", d->name, d->version ? d->version : "?",
		       hs_registry_plugin_file(r, i));
		if (d->description)
			printf("  %s\n", d->description);
		for (size_t s = 0; s < d->n_signatures; s++) {
			const hs_plugin_signature *sig = &d->signatures[s];
			printf("  signature %s:", hs_registry_plugin_function(r, i, s));
			for (size_t k = 0; k < sig->n_inputs; k++)
				printf(" in%lld%s", (long long)sig->inputs[k].index,
				       sig->inputs[k].flags & HS_ARG_REQUIRED ? "" : "?");
			for (size_t k = 0; k < sig->n_outputs; k++)
				printf(" out%lld%s", (long long)sig->outputs[k].index,
				       sig->outputs[k].flags & HS_ARG_REQUIRED ? "" : "?");
			printf("%s\n", sig->flags & HS_SIG_CLOSED ? " (closed)" : "");
		}
	}
	hs_registry_free(r);
	return HS_EXIT_OK;
}
