/* The plugin registry: who converts each call, and letting that plugin
 * finish its stub.  Matching is cheap: exact function names compare by
 * length then bytes, globs are only run for patterns that have one, and
 * operand lookups are binary searches over the call's sorted arguments. */
#include <config.h>

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "grow.h"
#include "calls_internal.h"
#include "registry_internal.h"
#include "suggest.h"
#include "emit_guard.h" /* hostile13b: host edits refused on pre-existing nodes */

/* ---------------------------------------------------------------- host */

static _Thread_local const hs_registry *current_registry;

static void diagnose(const hs_registry *r, const char *fmt, va_list ap)
{
	if (!r || !r->diag)
		return;
	char raw[1024], msg[1024];
	int n = vsnprintf(raw, sizeof raw, fmt, ap);
	/* One printable line, as every message of the library (hs_escape). */
	hs_escape(msg, sizeof msg, raw, n < 0 ? 0 : (size_t)n < sizeof raw ? (size_t)n : sizeof raw - 1);
	r->diag(msg, r->diag_payload);
}

static void host_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diagnose(current_registry, fmt, ap);
	va_end(ap);
}

static int host_fail_str(int code, const char *message)
{
	return hs_fail(code < 0 ? code : HS_EPLUGIN, "%s",
		       message ? message : "failed without a message");
}

static int host_fail(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = hs_vfail(code < 0 ? code : HS_EPLUGIN, fmt ? fmt : "failed without a message", ap);
	va_end(ap);
	return rc;
}

static void host_warn_str(const char *message)
{
	host_warn("%s", message ? message : "");
}

static int host_node_attrs(hs_attr *out, int *found, const hs_node *n,
			   const char *const *keys, size_t n_keys)
{
	hs_str raw[16];
	int got[16];
	if (!out || !found || !n || (n_keys && !keys))
		return hs_fail(HS_EINVAL, "node_attrs: NULL argument");
	for (size_t base = 0; base < n_keys; base += 16) {
		size_t m = n_keys - base < 16 ? n_keys - base : 16;
		hs_node_find_raw_attrs(raw, got, n, keys + base, m);
		for (size_t i = 0; i < m; i++) {
			found[base + i] = got[i];
			if (got[i] && hs_attr_decode(&out[base + i], (const uint8_t *)raw[i].ptr,
						     raw[i].len) != HS_OK)
				return hs_fail(HS_EPARSE, "node '%.*s': attribute '%s' is malformed",
					       (int)hs_node_name(n).len, hs_node_name(n).ptr,
					       keys[base + i]);
		}
	}
	return HS_OK;
}

const hs_plugin_host hs_host_table = {
	.struct_size = sizeof(hs_plugin_host),
	.version = HS_PLUGIN_HOST_VERSION,
	.host_version = PACKAGE_VERSION,
	.alloc = malloc,
	.realloc = realloc,
	.free = free,
	.fail = host_fail,
	.warn = host_warn,
	.str_eq = hs_str_eq,
	.graph_find_node = hs_graph_find_node,
	.node_name = hs_node_name,
	.node_op = hs_node_op,
	.node_input_count = hs_node_input_count,
	.node_input = hs_node_input,
	.node_input_node = hs_node_input_node,
	.node_consumer_count = hs_node_consumer_count,
	.node_consumer = hs_node_consumer,
	.node_attr = hs_node_attr,
	.attr_list_ints = hs_attr_list_ints,
	.attr_list_types = hs_attr_list_types,
	.call_input = hs_call_input,
	.call_output = hs_call_output,
	.graph_add_node = hs_graph_add_node,
	.node_add_input = hs_guarded_add_input,
	.node_set_input = hs_guarded_set_input,
	.node_set_inputs = hs_guarded_set_inputs,
	.node_set_attr_raw = hs_guarded_set_attr_raw,
	.node_set_attr_s = hs_guarded_set_attr_s,
	.node_set_attr_i = hs_guarded_set_attr_i,
	.node_set_attr_f = hs_guarded_set_attr_f,
	.node_set_attr_b = hs_guarded_set_attr_b,
	.node_set_attr_type = hs_guarded_set_attr_type,
	.node_set_attr_list_i = hs_guarded_set_attr_list_i,
	.node_set_attr_list_type = hs_guarded_set_attr_list_type,
	.node_remove_attr = hs_guarded_remove_attr,
	.graph_next_node = hs_graph_next_node,
	.node_device = hs_node_device,
	.node_attr_count = hs_node_attr_count,
	.node_attr_key = hs_node_attr_key,
	.attr_list_string = hs_attr_list_string,
	.parse_input = hs_parse_input,
	.graph_remove_node = hs_guarded_remove_node,
	.graph_rewire = hs_guarded_rewire,
	.node_set_device = hs_guarded_set_device,
	.error_last = hs_error_last,
	.node_attrs = host_node_attrs,
	.fail_str = host_fail_str,
	.warn_str = host_warn_str,
	.call_function = hs_call_function,
	.call_uuid = hs_call_uuid,
	.call_level = hs_call_level,
	.call_input_count = hs_call_input_count,
	.call_input_at = hs_call_input_at,
	.call_output_count = hs_call_output_count,
	.call_output_at = hs_call_output_at,
	.call_identity_count = hs_call_identity_count,
	.call_identity = hs_call_identity,
	.operand_index = hs_operand_index,
	.operand_aggregation = hs_operand_aggregation,
	.operand_dtype = hs_operand_dtype,
	.operand_count = hs_operand_count,
	.operand_tensor = hs_operand_tensor,
	.operand_identity = hs_operand_identity,
	.operand_kept_element = hs_operand_kept_element,
	.region_node_count = hs_region_node_count,
	.region_node = hs_region_node,
	.node_set_op = hs_node_set_op,
	.node_tensor = hs_node_tensor,
	.dtype_name = hs_dtype_name,
};

/* ------------------------------------------------------------ registry */

int hs_registry_new(hs_registry **out, unsigned int flags)
{
	if (!out)
		return hs_fail(HS_EINVAL, "hs_registry_new: out is NULL");
	*out = calloc(1, sizeof **out);
	if (!*out)
		return hs_fail(HS_ENOMEM, "out of memory");
	(*out)->flags = flags;
	return HS_OK;
}

void hs_registry_free(hs_registry *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_plugins; i++)
		hs_plugin_close(r->plugins[i]);
	for (size_t i = 0; i < r->n_dirs; i++)
		free(r->dirs[i]);
	for (size_t i = 0; i < r->n_selected; i++)
		free(r->selected[i]);
	free(r->plugins);
	free(r->dirs);
	free(r->selected);
	free(r);
}

static int push_string(char ***list, size_t *n, size_t *cap, const char *s)
{
	int rc = hs_grow((void **)list, cap, *n + 1, sizeof **list, 4);
	if (rc)
		return rc;
	if (!((*list)[*n] = strdup(s)))
		return hs_fail(HS_ENOMEM, "out of memory");
	(*n)++;
	return HS_OK;
}

int hs_registry_add_search_dir(hs_registry *r, const char *dir)
{
	if (!r)
		return hs_fail(HS_EINVAL, "hs_registry_add_search_dir: registry is NULL");
	if (!dir || !*dir)
		return hs_fail(HS_EINVAL, "plugin search directory is empty");
	return push_string(&r->dirs, &r->n_dirs, &r->cap_dirs, dir);
}

int hs_registry_select(hs_registry *r, const char *const *names, size_t count)
{
	if (!r)
		return hs_fail(HS_EINVAL, "hs_registry_select: registry is NULL");
	for (size_t i = 0; i < count; i++)
		if (!hs_plugin_name_valid(names[i]))
			return hs_fail(HS_EINVAL,
				       "'%s' is not a valid plugin name ([a-z0-9_]+)",
				       names[i]);
	if (!r->selected && !(r->selected = calloc(1, sizeof(char *))))
		return hs_fail(HS_ENOMEM, "out of memory");
	for (size_t i = 0; i < count; i++) {
		int rc = push_string(&r->selected, &r->n_selected, &r->cap_selected, names[i]);
		if (rc != HS_OK)
			return rc;
	}
	return HS_OK;
}

int hs_registry_selected(const hs_registry *r, const char *name)
{
	if (!r->selected)
		return 1;
	for (size_t i = 0; i < r->n_selected; i++)
		if (strcmp(r->selected[i], name) == 0)
			return 1;
	return 0;
}

hs_plugin_rt *hs_registry_lookup(const hs_registry *r, const char *name)
{
	for (size_t i = 0; i < r->n_plugins; i++)
		if (strcmp(r->plugins[i]->name, name) == 0)
			return r->plugins[i];
	return NULL;
}

int hs_registry_has_plugin(const hs_registry *r, const char *name)
{
	return r && name && hs_registry_lookup(r, name) != NULL;
}

int hs_registry_append(hs_registry *r, hs_plugin_rt *p)
{
	hs_plugin_rt *old = hs_registry_lookup(r, p->name);
	if (old)
		return hs_fail(HS_EEXISTS,
			       "plugin %s: duplicate name: already loaded from %s",
			       p->name, old->file);
	int rc = hs_grow((void **)&r->plugins, &r->cap_plugins, r->n_plugins + 1,
			 sizeof *r->plugins, 4);
	if (rc)
		return rc;
	p->decl = r->next_decl++;
	r->plugins[r->n_plugins++] = p;
	return HS_OK;
}

static int register_loaded(hs_registry *r, hs_plugin_rt *p)
{
	int rc = hs_registry_append(r, p);
	if (rc != HS_OK)
		hs_plugin_close(p);
	return rc;
}

int hs_registry_open_plugin(hs_plugin_rt **out, const hs_registry *r,
			    const char *name)
{
	*out = NULL;
	if (r->flags & HS_REGISTRY_NO_PLUGINS)
		return hs_fail(HS_EPLUGIN, "plugin %s: plugins are disabled", name);
	hs_plugin_search search = {
		.dirs = (const char *const *)r->dirs,
		.n_dirs = r->n_dirs,
		.use_env = !(r->flags & HS_REGISTRY_NO_ENV_PATH),
		.use_system = !(r->flags & HS_REGISTRY_NO_SYSTEM_PATH),
	};
	return hs_plugin_open_name(out, &search, name, &hs_host_table);
}

int hs_registry_load_plugin(hs_registry *r, const char *name)
{
	if (!r || !name)
		return hs_fail(HS_EINVAL, "hs_registry_load_plugin: NULL argument");
	if (hs_registry_lookup(r, name))
		return hs_fail(HS_EEXISTS, "plugin %s: duplicate name: already loaded",
			       name);
	hs_plugin_rt *p;
	int rc = hs_registry_open_plugin(&p, r, name);
	return rc == HS_OK ? register_loaded(r, p) : rc;
}

int hs_registry_load_plugin_file(hs_registry *r, const char *path)
{
	if (!r || !path)
		return hs_fail(HS_EINVAL, "hs_registry_load_plugin_file: NULL argument");
	if (r->flags & HS_REGISTRY_NO_PLUGINS)
		return hs_fail(HS_EPLUGIN, "%s: plugins are disabled", path);
	hs_plugin_rt *p;
	int rc = hs_plugin_open_file(&p, path, NULL, &hs_host_table);
	return rc == HS_OK ? register_loaded(r, p) : rc;
}

int hs_registry_set_option(hs_registry *r, const char *plugin,
			   const char *key, const char *value)
{
	hs_plugin_rt *p = r && plugin ? hs_registry_lookup(r, plugin) : NULL;
	if (!p && r && plugin) {
		hs_nearest near;
		size_t len;
		hs_nearest_init(&near, plugin, strlen(plugin));
		for (size_t i = 0; i < r->n_plugins; i++)
			hs_nearest_offer(&near, r->plugins[i]->name, strlen(r->plugins[i]->name));
		const char *best = hs_nearest_result(&near, &len);
		if (best)
			return hs_fail(HS_ENOTFOUND, "plugin %s is not loaded (did you mean '%.*s'?)",
				       plugin, (int)len, best);
	}
	if (!p)
		return hs_fail(HS_ENOTFOUND, "plugin %s is not loaded",
			       plugin ? plugin : "(null)");
	return hs_plugin_set_option(p, key, value);
}

int hs_registry_set_unclaimed(hs_registry *r, hs_unclaimed_policy p)
{
	if (!r || p < HS_UNCLAIMED_GENERIC || p > HS_UNCLAIMED_ERROR)
		return hs_fail(HS_EINVAL, "invalid unclaimed-call policy");
	r->unclaimed = p;
	return HS_OK;
}

hs_unclaimed_policy hs_registry_unclaimed(const hs_registry *r)
{
	return r ? r->unclaimed : HS_UNCLAIMED_GENERIC;
}

void hs_registry_set_diagnostic(hs_registry *r, hs_diagnostic_fn fn,
				void *payload)
{
	if (!r)
		return;
	r->diag = fn;
	r->diag_payload = payload;
}

size_t hs_registry_plugin_count(const hs_registry *r)
{
	return r ? r->n_plugins : 0;
}

const hs_plugin_desc *hs_registry_plugin(const hs_registry *r, size_t i)
{
	return r && i < r->n_plugins ? r->plugins[i]->desc : NULL;
}

const char *hs_registry_plugin_file(const hs_registry *r, size_t i)
{
	return r && i < r->n_plugins ? r->plugins[i]->file : NULL;
}

int hs_registry_plugin_priority(const hs_registry *r, size_t i)
{
	return r && i < r->n_plugins ? r->plugins[i]->priority : 0;
}

const char *hs_registry_plugin_option(const hs_registry *r, size_t i, const char *key)
{
	return r && key && i < r->n_plugins ? hs_plugin_option_value(r->plugins[i], key) : NULL;
}

const char *hs_registry_plugin_function(const hs_registry *r, size_t i,
					size_t sig)
{
	if (!r || i >= r->n_plugins || sig >= r->plugins[i]->n_sigs)
		return NULL;
	return r->plugins[i]->sigs[sig].function;
}

hs_failure_policy hs_registry_failure_policy(const hs_registry *r)
{
	return r ? r->on_failure : HS_ON_FAILURE_SKIP;
}

hs_overlap_policy hs_registry_overlap_policy(const hs_registry *r)
{
	return r ? r->overlap : HS_OVERLAP_PRIORITY;
}

/* ------------------------------------------------------------ matching */

/* Globs are fnmatch(3) patterns; the subject is a view, copied to be
 * terminated (function names are short; a long one gets the heap). */
static int glob_match(const char *pat, hs_str fn)
{
	char small[256];
	char *buf = fn.len < sizeof small ? small : malloc(fn.len + 1);
	if (!buf)
		return 0;
	memcpy(buf, fn.ptr, fn.len);
	buf[fn.len] = '\0';
	int ok = memchr(fn.ptr, '\0', fn.len) == NULL && fnmatch(pat, buf, 0) == 0;
	if (buf != small)
		free(buf);
	return ok;
}

static int function_matches(const hs_sig_rt *s, hs_str fn)
{
	if (!s->is_glob)
		return fn.len == s->function_len &&
		       memcmp(fn.ptr, s->function, fn.len) == 0;
	return glob_match(s->function, fn);
}

#define DECLINE(...) \
	(reason ? (void)hs_format_cut(reason, reason_size, NULL, __VA_ARGS__) : (void)0, 0)

typedef const hs_operand *(*operand_fn)(const hs_call *c, int64_t index);

static int args_match(const hs_plugin_arg *spec, size_t n_spec,
		      const hs_call *call, int outputs, unsigned int flags,
		      char *reason, size_t reason_size)
{
	operand_fn find = outputs ? hs_call_output : hs_call_input;
	const hs_operand *ops = outputs ? call->outputs : call->inputs;
	size_t n_ops = outputs ? call->n_outputs : call->n_inputs;
	const char *what = outputs ? "output" : "input";
	for (size_t i = 0; i < n_spec; i++) {
		const hs_plugin_arg *a = &spec[i];
		const hs_operand *op = find(call, a->index);
		if (!op) {
			if (a->flags & HS_ARG_REQUIRED)
				return DECLINE("%s %lld missing", what,
					       (long long)a->index);
			continue;
		}
		if (a->aggregation != HS_AGG_ANY &&
		    (int)op->aggregation != a->aggregation)
			return DECLINE("%s %lld is aggregated as %s, expected %s", what,
				       (long long)a->index,
				       hs_aggregation_name(op->aggregation),
				       hs_aggregation_name((hs_aggregation)a->aggregation));
		if (a->dtype && op->dtype != a->dtype) {
			char has[32];
			snprintf(has, sizeof has, "%s", hs_dtype_name(op->dtype));
			return DECLINE("%s %lld has dtype %s, expected %s", what,
				       (long long)a->index, has, hs_dtype_name(a->dtype));
		}
	}
	if (flags & HS_SIG_CLOSED) {
		for (size_t i = 0; i < n_ops; i++) {
			size_t k = 0;
			while (k < n_spec && spec[k].index != ops[i].index)
				k++;
			if (k == n_spec)
				return DECLINE("%s %lld is not expected", what,
					       (long long)ops[i].index);
		}
	}
	return 1;
}

/* Boundary check of one signature; reason may be NULL when the caller
 * does not need to know why. */
static int signature_matches(const hs_sig_rt *s, const hs_call *call,
			     char *reason, size_t reason_size)
{
	const hs_plugin_signature *sig = s->sig;
	if (!function_matches(s, call->function))
		return DECLINE("function name '%.*s' differs from '%s'",
			       HS_NAME_ARG(call->function),
			       s->function);
	if (sig->level >= 0 && call->level != sig->level)
		return DECLINE("level %lld, expected %lld", (long long)call->level,
			       (long long)sig->level);
	return args_match(sig->inputs, sig->n_inputs, call, 0, sig->flags,
			  reason, reason_size) &&
	       args_match(sig->outputs, sig->n_outputs, call, 1, sig->flags,
			  reason, reason_size);
}

enum { VERDICT_DECLINE = 0, VERDICT_CLAIM = 1, VERDICT_ERROR = -1 };

void hs_registry_free_claim(const void *plugin, void *data)
{
	const hs_plugin_rt *p = plugin;
	if (!data || !p)
		return;
	if (p->desc->free_claim)
		p->desc->free_claim(p->state, data);
	else
		hs_host_table.free(data);
}

/* Asks p's check about the call for signature i.  A verdict that is
 * neither claim nor decline is the plugin's error, as a failure is. */
static int run_check(const hs_plugin_rt *p, const hs_graph *g, const hs_call *call,
		     const hs_region *region, size_t i, char *tmp, size_t tmp_size,
		     void **claim)
{
	tmp[0] = '\0';
	*claim = NULL;
	hs_error_clear();
	hs_callback_frame frame; /* hostile13b: for crash/exit reports */
	hs_callback_enter(&frame, p->name, "check", call->uuid);
	int v = p->desc->check(p->state, &hs_host_table, g, call, region, i, tmp,
			       tmp_size, claim);
	hs_callback_leave(&frame);
	if (v == HS_CHECK_CLAIM)
		return VERDICT_CLAIM;
	hs_registry_free_claim(p, *claim);
	*claim = NULL;
	if (v == HS_CHECK_DECLINE)
		return VERDICT_DECLINE;
	if (v >= 0)
		hs_fail(HS_EPLUGIN, "check returned %d (expected HS_CHECK_CLAIM, HS_CHECK_DECLINE or a negative error code)",
			v);
	else if (!*hs_error_last())
		hs_fail(HS_EPLUGIN, "check failed without a message");
	return VERDICT_ERROR;
}

/* Does plugin p claim the call?  On decline with reason != NULL, the
 * reason of the last signature tried (the first whose function matched,
 * if any) is written.  On claim *claim gets what check stored; on error
 * hs_error_last() says why. */
static int plugin_verdict(const hs_plugin_rt *p, const hs_graph *g,
			  const hs_call *call, const hs_region *region,
			  char *reason, size_t reason_size, void **claim)
{
	int name_matched = 0;
	*claim = NULL;
	for (size_t i = 0; i < p->n_sigs; i++) {
		const hs_sig_rt *s = &p->sigs[i];
		char tmp[HS_CLAIM_REASON_MAX];
		if (!reason) {
			/* The claim path: no words, no second name compare. */
			if (!signature_matches(s, call, NULL, 0))
				continue;
		} else {
			int fn_ok = function_matches(s, call->function);
			/* Keep the most telling reason: once a signature's
			 * name has matched, a later name mismatch says
			 * nothing new. */
			if (!signature_matches(s, call, tmp, sizeof tmp)) {
				if (fn_ok || !name_matched)
					hs_format_cut(reason, reason_size, NULL, "%s", tmp);
				name_matched |= fn_ok;
				continue;
			}
		}
		if (!p->desc->check)
			return VERDICT_CLAIM;
		int v = run_check(p, g, call, region, i, tmp, sizeof tmp, claim);
		if (v == VERDICT_CLAIM)
			return VERDICT_CLAIM;
		if (v == VERDICT_ERROR) {
			if (reason)
				hs_format_cut(reason, reason_size, NULL, "check failed: %s",
					      hs_error_last());
			return VERDICT_ERROR;
		}
		name_matched = 1;
		if (reason)
			hs_format_cut(reason, reason_size, NULL, "%s",
				      tmp[0] ? tmp : "declined by the plugin's check");
	}
	return VERDICT_DECLINE;
}

/* No plugin claimed the call: the rules' unclaimed policy, with every
 * plugin's reason (gathered by the one claim loop) for keep and error. */
static void unclaimed(hs_claim *out, const hs_registry *r, const hs_call *call,
		      const char *why)
{
	switch (r->unclaimed) {
	case HS_UNCLAIMED_GENERIC:
		out->kind = HS_CLAIM_GENERIC;
		hs_format_cut(out->reason, sizeof out->reason, NULL, "no plugin claims it");
		return;
	case HS_UNCLAIMED_KEEP:
		out->kind = HS_CLAIM_KEEP;
		break;
	case HS_UNCLAIMED_ERROR:
		out->kind = HS_CLAIM_ERROR;
		break;
	}
	hs_format_cut(out->reason, sizeof out->reason, NULL, "no plugin claims %.*s (%s)",
		      HS_NAME_ARG(call->function), why[0] ? why : "no plugin loaded");
}

/* A plugin's check failed: the call fails as it would in emit, and the
 * plan applies the on-failure rule. */
static void check_failed(hs_claim *out, const hs_plugin_rt *p, const hs_call *call)
{
	char msg[HS_CLAIM_REASON_MAX / 2];
	snprintf(msg, sizeof msg, "%s", hs_error_last());
	out->kind = HS_CLAIM_FAILED;
	out->plugin_name = p->name;
	hs_format_cut(out->reason, sizeof out->reason, NULL, "plugin %s: %.*s: %s", p->name,
		      HS_NAME_ARG(call->uuid), msg);
}

int hs_registry_claim(hs_claim *out, const hs_registry *r, const hs_graph *g,
		      const hs_call *call, const hs_region *region,
		      hs_trail_fn trail, void *payload)
{
	if (!out || !call)
		return hs_fail(HS_EINVAL, "hs_registry_claim: NULL argument");
	memset(out, 0, sizeof *out);
	out->kind = HS_CLAIM_GENERIC;
	if (!r)
		return HS_OK;
	/* Reasons cost words: only explain and the keep/error policies
	 * need them.  Each plugin's check runs once either way. */
	int words = trail || r->unclaimed != HS_UNCLAIMED_GENERIC;
	char why[HS_CLAIM_REASON_MAX] = "";
	size_t used = 0;
	int why_full = 0; /* cut: the other plugins' reasons would not show */
	current_registry = r;
	for (size_t i = 0; i < r->n_plugins; i++) {
		const hs_plugin_rt *p = r->plugins[i];
		char reason[HS_CLAIM_REASON_MAX] = "";
		void *claim = NULL;
		int v = plugin_verdict(p, g, call, region, words ? reason : NULL,
				       sizeof reason, &claim);
		if (words && v == VERDICT_DECLINE && !why_full)
			used += hs_format_cut(why + used, sizeof why - used, &why_full,
					      "%s%s: %s", used ? "; " : "", p->name, reason);
		if (trail)
			trail(p->name, v == VERDICT_CLAIM, v == VERDICT_CLAIM ? NULL : reason,
			      payload);
		if (v == VERDICT_CLAIM) {
			out->kind = HS_CLAIM_PLUGIN;
			out->plugin_name = p->name;
			out->priority = p->priority;
			out->plugin = p;
			out->data = claim;
			current_registry = NULL;
			return HS_OK;
		}
		if (v == VERDICT_ERROR) {
			current_registry = NULL;
			check_failed(out, p, call);
			return HS_OK;
		}
	}
	current_registry = NULL;
	unclaimed(out, r, call, why);
	return HS_OK;
}

int hs_registry_emit(const hs_registry *r, const hs_claim *claim, hs_graph *g,
		     const hs_call *call, const hs_region *region, hs_node *stub)
{
	if (!claim || claim->kind == HS_CLAIM_GENERIC)
		return HS_OK;
	if (claim->kind != HS_CLAIM_PLUGIN || !claim->plugin)
		return hs_fail(HS_EINVAL, "no plugin to emit this call");
	const hs_plugin_rt *p = claim->plugin;
	hs_error_clear();
	current_registry = r;
	hs_callback_frame frame; /* hostile13b: for crash/exit reports */
	hs_callback_enter(&frame, p->name, "emit", call->uuid);
	int rc = p->desc->emit(p->state, &hs_host_table, g, call, region, stub,
			       claim->data);
	hs_callback_leave(&frame);
	current_registry = NULL;
	if (rc < 0) {
		if (!*hs_error_last())
			hs_fail(HS_EPLUGIN, "emit failed without a message");
		char msg[1024];
		snprintf(msg, sizeof msg, "%s", hs_error_last());
		return hs_fail(HS_EPLUGIN, "plugin %s: %.*s: %s", p->name,
			       HS_NAME_ARG(call->uuid), msg);
	}
	return HS_OK;
}

/* ------------------------------------------------------------ evaluation */

static void forget_outputs(const hs_plugin_eval *e)
{
	for (size_t i = 0; i < e->n_out; i++) {
		if (e->out[i] && e->value_free)
			e->value_free(e->out[i]);
		e->out[i] = NULL;
	}
}

/* A plugin built for ABI 2.0 had reserved space where evaluate is. */
static int can_evaluate(const hs_plugin_rt *p)
{
	return p->desc->abi_minor >= 1 && p->desc->evaluate;
}

int hs_registry_evaluate(const hs_registry *r, const hs_plugin_eval *e)
{
	if (!e || e->struct_size < sizeof *e || !e->node || (e->n_in && !e->in) ||
	    (e->n_out && !e->out))
		return hs_fail(HS_EINVAL, "hs_registry_evaluate: incomplete hs_plugin_eval");
	for (size_t i = 0; r && i < r->n_plugins; i++) {
		const hs_plugin_rt *p = r->plugins[i];
		if (!can_evaluate(p))
			continue;
		hs_error_clear();
		current_registry = r;
		hs_callback_frame frame;
		hs_callback_enter(&frame, p->name, "evaluate", hs_node_name(e->node));
		int rc = p->desc->evaluate(p->state, &hs_host_table, e);
		hs_callback_leave(&frame);
		current_registry = NULL;
		if (rc == HS_ENOTFOUND) {
			forget_outputs(e);
			continue;
		}
		if (rc >= 0) {
			for (size_t k = 0; k < e->n_out; k++)
				if (!e->out[k])
					return hs_fail(HS_EPLUGIN, "plugin %s: evaluate left output "
						       "%zu unset", p->name, k);
			return HS_OK;
		}
		if (!*hs_error_last())
			hs_fail(HS_EPLUGIN, "evaluate failed without a message");
		char msg[1024];
		snprintf(msg, sizeof msg, "%s", hs_error_last());
		return hs_fail(rc, "plugin %s: %s", p->name, msg);
	}
	hs_error_clear();
	return HS_ENOTFOUND;
}

/* ------------------------------------------------------ what did not happen */

/* The graph's function names, each once, the first five written into a
 * message (the rest counted). */
typedef struct function_list {
	char *why;
	size_t size, used;
	hs_str listed[5];
	size_t n_listed, more;
} function_list;

static void list_function(function_list *fl, hs_str fn)
{
	for (size_t j = 0; j < fl->n_listed; j++)
		if (fl->listed[j].len == fn.len && !memcmp(fl->listed[j].ptr, fn.ptr, fn.len))
			return;
	if (fl->n_listed == 5) {
		fl->more++;
		return;
	}
	fl->listed[fl->n_listed] = fn;
	if (fl->used < fl->size)
		fl->used += (size_t)snprintf(fl->why + fl->used, fl->size - fl->used, "%s '%.*s'",
					     fl->n_listed ? "," : "",
					     (int)(fn.len > 64 ? 64 : fn.len), fn.ptr);
	fl->n_listed++;
}

size_t hs_registry_plugin_name_matches(char *why, size_t size, int *suggests,
				       const hs_registry *r, size_t i, const hs_callset *calls)
{
	if (why && size)
		why[0] = '\0';
	if (suggests)
		*suggests = 0;
	if (!r || i >= r->n_plugins || !calls)
		return 0;
	const hs_plugin_rt *p = r->plugins[i];
	size_t n = hs_callset_count(calls), matches = 0, open = 0;
	for (size_t k = 0; k < n; k++) {
		const hs_call *c = hs_callset_call(calls, k);
		hs_str fn = hs_call_function(c);
		if (hs_call_is_converted(c))
			continue; /* nothing left to claim there */
		open++;
		for (size_t s = 0; s < p->n_sigs; s++)
			if (function_matches(&p->sigs[s], fn)) {
				matches++;
				break;
			}
	}
	if (matches || !why || !size)
		return matches;
	if (!n) {
		snprintf(why, size, "the graph has no OpHint calls");
		return 0;
	}
	if (!open)
		return 0; /* every call is converted already: nothing to say */
	/* The nearest function to any signature's name (globs as written). */
	hs_nearest best = { 0 };
	best.distance = (size_t)-1;
	for (size_t s = 0; s < p->n_sigs; s++) {
		hs_nearest near;
		hs_nearest_init(&near, p->sigs[s].function, p->sigs[s].function_len);
		for (size_t k = 0; k < n; k++) {
			hs_str fn = hs_call_function(hs_callset_call(calls, k));
			hs_nearest_offer(&near, fn.ptr, fn.len);
		}
		if (hs_nearest_result(&near, NULL) && near.distance < best.distance)
			best = near;
	}
	size_t used = (size_t)snprintf(why, size, "no call is named like its signature%s",
				       p->n_sigs > 1 ? "s" : "");
	for (size_t s = 0; s < p->n_sigs && used < size; s++)
		used += (size_t)snprintf(why + used, size - used, "%s '%s'", s ? "," : "",
					 p->sigs[s].function);
	if (used >= size)
		return 0;
	if (best.best) {
		snprintf(why + used, size - used, "; did you mean '%.*s'?", (int)best.best_len,
			 best.best);
		if (suggests)
			*suggests = 1;
		return 0;
	}
	used += (size_t)snprintf(why + used, size - used, "; the graph's functions:");
	function_list fl = { why, size, used, { { 0 } }, 0, 0 };
	for (size_t k = 0; k < n; k++) {
		/* A level-2 call's children are claimed like calls: list theirs. */
		const hs_call *call = hs_callset_call(calls, k);
		list_function(&fl, hs_call_function(call));
		for (size_t c = 0; c < hs_call_child_count(call); c++)
			list_function(&fl, hs_call_function(hs_call_child(call, c)));
	}
	used = fl.used;
	size_t more = fl.more;
	if (more && used < size)
		snprintf(why + used, size - used, " and others");
	return 0;
}
