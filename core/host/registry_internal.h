/* Private structures of the plugin registry, shared by registry.c (the
 * registry and the host table) and rules.c (rule files).  Both sit above
 * plugin_loader.c, which opens single plugins and knows no registry. */
#ifndef HS_REGISTRY_INTERNAL_H
#define HS_REGISTRY_INTERNAL_H

#include "hintstub/plugin.h"
#include "dispatch.h"
#include "plugin_loader.h"

struct hs_registry {
	unsigned int flags;
	char **dirs;
	size_t n_dirs, cap_dirs;
	char **selected;             /* NULL: every plugin */
	size_t n_selected, cap_selected;
	hs_plugin_rt **plugins;      /* conversion order */
	size_t n_plugins, cap_plugins;
	size_t next_decl;
	hs_unclaimed_policy unclaimed;
	hs_failure_policy on_failure;
	hs_overlap_policy overlap;
	hs_diagnostic_fn diag;
	void *diag_payload;
};

/* The host table handed to every plugin. */
extern const hs_plugin_host hs_host_table;

int hs_registry_selected(const hs_registry *r, const char *name);
hs_plugin_rt *hs_registry_lookup(const hs_registry *r, const char *name);

/* Opens plugin NAME the way r finds plugins (its search directories and
 * flags, the host table) without registering it: *out is the caller's. */
int hs_registry_open_plugin(hs_plugin_rt **out, const hs_registry *r,
			    const char *name);
/* Appends p to r->plugins (no ordering); fails on a duplicate name. */
int hs_registry_append(hs_registry *r, hs_plugin_rt *p);

#endif
