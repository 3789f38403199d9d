/* Plugin options shared by the hintstub subcommands: --plugin-path,
 * --plugins, --rules, --no-plugins, and --list-plugins. */
#include <config.h>

#include <ctype.h>
#include <stdarg.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "hintstub/plugin.h"

#ifndef HS_RULESDIR
#define HS_RULESDIR "/usr/local/share/hintstub/rules"
#endif

/* Plugin names are [a-z0-9_]+: anything else in --plugins is a usage
 * error, said before any file is read (uppercase: the lowercase name). */
static int check_plugin_names(const char *list)
{
	const char *name = list;
	for (const char *c = list;; c++) {
		if (*c && *c != ',')
			continue;
		size_t len = (size_t)(c - name), upper = 0, bad = 0;
		for (size_t i = 0; i < len; i++) {
			unsigned char ch = (unsigned char)name[i];
			upper += isupper(ch) != 0;
			bad += !(islower(ch) || isdigit(ch) || ch == '_' || isupper(ch));
		}
		if (!len || upper || bad) {
			char lower[128];
			size_t n = len < sizeof lower - 1 ? len : sizeof lower - 1;
			for (size_t i = 0; i < n; i++)
				lower[i] = (char)tolower((unsigned char)name[i]);
			lower[n] = '\0';
			if (!*list)
				cli_error("--plugins '' names no plugin (for none, use --no-plugins)");
			else if (!len)
				cli_error("--plugins: empty plugin name in '%s'", list);
			else if (!bad)
				cli_error("--plugins: '%.*s' is not a plugin name (lowercase: did you mean '%s'?)",
					  (int)len, name, lower);
			else
				cli_error("--plugins: '%.*s' is not a plugin name ([a-z0-9_]+)",
					  (int)len, name);
			return -1;
		}
		if (!*c)
			return 1;
		name = c + 1;
	}
}

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
		return check_plugin_names(arg);
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

/* Warnings name the input, as the conversion's problems do. */
static void print_diagnostic(const char *message, void *payload)
{
	const char *in = payload;
	if (in)
		cli_error("%s: warning: %s", in, message);
	else
		cli_error("warning: %s", message);
}

static void warn(const cli_plugin_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void warn(const cli_plugin_opts *o, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	print_diagnostic(msg, (void *)o->input);
}

static int valid_name(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
			return 0;
	return len > 0;
}

/* --plugin-path DIR holding plugins nothing asked for: they are not used
 * (only --plugins and rule files load plugins). */
static void warn_unused_dirs(const cli_plugin_opts *o, const hs_registry *r)
{
	for (size_t i = 0; i < o->n_dirs; i++) {
		DIR *d = opendir(o->dirs[i]);
		char names[512] = "";
		size_t used = 0, count = 0;
		for (struct dirent *e; d && (e = readdir(d));) {
			size_t len = strlen(e->d_name);
			if (len < 4 || strcmp(e->d_name + len - 3, ".so") != 0)
				continue;
			e->d_name[len - 3] = '\0';
			if (!valid_name(e->d_name, len - 3) || hs_registry_has_plugin(r, e->d_name))
				continue;
			count++;
			if (used < sizeof names)
				used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
							 used ? ", " : "", e->d_name);
		}
		if (d)
			closedir(d);
		if (count)
			warn(o, "--plugin-path %s: %s %s neither selected with --plugins nor named in the rules: not used",
			     o->dirs[i], names, count > 1 ? "are" : "is");
	}
}

/* Whether plugin `name` was named in --plugins. */
static int selected(const cli_plugin_opts *o, const char *name)
{
	size_t len = strlen(name);
	for (const char *s = o->plugins; s && *s;) {
		const char *end = strchr(s, ',');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		if (n == len && memcmp(s, name, len) == 0)
			return 1;
		s = end ? end + 1 : NULL;
	}
	return 0;
}

void cli_warn_idle_plugins(const cli_plugin_opts *o, const hs_registry *r,
			   const hs_plan *p)
{
	for (size_t i = 0; i < hs_registry_plugin_count(r); i++) {
		const char *name = hs_registry_plugin(r, i)->name;
		size_t converted = 0;
		int asked = selected(o, name);
		/* A rule file's plugin is asked for too, but rule files name
		 * plugins for many models: only a likely typo is worth a word. */
		if (!asked && !o->rules)
			continue;
		for (size_t k = 0; k < hs_plan_count(p) && !converted; k++) {
			hs_call_report entry;
			hs_plan_entry_get(p, k, &entry, sizeof entry);
			const hs_call_report *e = &entry;
			converted = e->plugin && strcmp(e->plugin, name) == 0;
			/* A level-2 call's children are claimed one by one. */
			size_t nk = hs_call_child_count(hs_callset_call(hs_plan_calls(p), k));
			for (size_t j = 0; j < nk && !converted && e->plugin; j++) {
				const char *by = hs_plan_child_plugin(p, k, j);
				converted = by && strcmp(by, name) == 0;
			}
		}
		if (converted)
			continue;
		char why[600];
		int typo;
		size_t named = hs_registry_plugin_name_matches(why, sizeof why, &typo, r, i,
							       hs_plan_calls(p));
		if (!asked && !typo)
			continue;
		if (named)
			warn(o, "plugin %s converts none of the %zu call(s) named like its signature (hintstub explain %s says why)",
			     name, named, o->input ? o->input : "IN");
		else if (why[0])
			warn(o, "plugin %s converts no call: %s", name, why);
	}
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
	hs_registry_set_diagnostic(r, print_diagnostic, (void *)o->input);
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
	warn_unused_dirs(o, r);
	*out = r;
	return HS_EXIT_OK;
fail:
	cli_error_last();
fail_reported:
	hs_registry_free(r);
	return HS_EXIT_BAD_INPUT;
}

static void print_args(const char *dir, const hs_plugin_arg *args, size_t n, int *first)
{
	for (size_t k = 0; k < n; k++) {
		const hs_plugin_arg *a = &args[k];
		cli_printf("%s%s%lld%s %s", *first ? " " : ", ", dir, (long long)a->index,
		       a->flags & HS_ARG_REQUIRED ? "" : "?",
		       a->aggregation == HS_AGG_ANY ? "any"
		       : hs_aggregation_name((hs_aggregation)a->aggregation));
		if (a->dtype)
			cli_printf(" %s", hs_dtype_name(a->dtype));
		*first = 0;
	}
}

/* One signature: what the host matches before the plugin's check. */
static void print_signature(const hs_registry *r, size_t i, size_t s,
			    const hs_plugin_signature *sig)
{
	cli_printf("  signature %s", hs_registry_plugin_function(r, i, s));
	if (sig->level >= 0)
		cli_printf(" (level %lld)", (long long)sig->level);
	putchar(':');
	int first = 1;
	print_args("in", sig->inputs, sig->n_inputs, &first);
	print_args("out", sig->outputs, sig->n_outputs, &first);
	if (first)
		cli_printf(" any %s", sig->flags & HS_SIG_CLOSED ? "call without arguments"
			: "inputs and outputs");
	else
		cli_printf("%s", sig->flags & HS_SIG_CLOSED ? " (no other index)"
		       : " (other indices allowed)");
	cli_printf("%s\n", hs_registry_plugin(r, i)->check ? "; then the plugin's check" : "");
}

static void print_options(const hs_registry *r, size_t i)
{
	const hs_plugin_option *opt = hs_registry_plugin(r, i)->options;
	for (size_t k = 0; opt && opt[k].key; k++) {
		const char *set = hs_registry_plugin_option(r, i, opt[k].key);
		cli_printf("  option %s = %s (%s)", opt[k].key,
		       set ? set : opt[k].default_value ? opt[k].default_value : "unset",
		       set ? "set" : "default");
		cli_printf("%s%s\n", opt[k].help ? ": " : "", opt[k].help ? opt[k].help : "");
	}
	const char *fn = hs_registry_plugin_option(r, i, "function");
	if (fn)
		cli_printf("  option function = %s (set)\n", fn);
}

int cli_list_plugins(const cli_plugin_opts *o)
{
	hs_registry *r;
	int rc = cli_registry_open(&r, o);
	if (rc != HS_EXIT_OK)
		return rc;
	size_t n = hs_registry_plugin_count(r);
	if (n == 0)
		cli_printf("no plugins loaded\n");
	for (size_t i = 0; i < n; i++) {
		const hs_plugin_desc *d = hs_registry_plugin(r, i);
		cli_printf("%s %s", d->name, d->version ? d->version : "?");
		putchar('\t');
		cli_printf("%s\n", hs_registry_plugin_file(r, i));
		if (d->description)
			cli_printf("  %s\n", d->description);
		cli_printf("  priority %d\n", hs_registry_plugin_priority(r, i));
		for (size_t s = 0; s < d->n_signatures; s++)
			print_signature(r, i, s, &d->signatures[s]);
		print_options(r, i);
	}
	hs_registry_free(r);
	return HS_EXIT_OK;
}
