/* Private structures of the plugin registry, shared by registry.c (claim
 * and emit), plugin_loader.c (dlopen and trust) and rules.c (rule files). */
#ifndef HS_REGISTRY_INTERNAL_H
#define HS_REGISTRY_INTERNAL_H

#include "hintstub/plugin.h"
#include "dispatch.h"

#define HS_PLUGIN_NAME_MAX 64

/* A signature with what matching needs precomputed. */
typedef struct hs_sig_rt {
	const hs_plugin_signature *sig;
	const char *function; /* effective pattern (desc or override) */
	size_t function_len;
	int is_glob;
} hs_sig_rt;

/* One loaded plugin of one registry. */
typedef struct hs_plugin_rt {
	char *name;
	char *file;
	void *handle;                /* dlopen handle */
	const hs_plugin_desc *desc;  /* owned by the plugin */
	void *state;                 /* from desc->create */
	size_t n_sigs;
	hs_sig_rt *sigs;
	char *function_override;     /* option NAME.function */
	int priority;
	size_t decl;                 /* load order, breaks priority ties */
} hs_plugin_rt;

struct hs_registry {
	unsigned int flags;
	char **dirs;
	size_t n_dirs;
	char **selected;             /* NULL: every plugin */
	size_t n_selected;
	hs_plugin_rt **plugins;      /* conversion order */
	size_t n_plugins;
	size_t next_decl;
	hs_unclaimed_policy unclaimed;
	hs_failure_policy on_failure;
	hs_overlap_policy overlap;
	hs_diagnostic_fn diag;
	void *diag_payload;
};

/* The host table handed to every plugin. */
extern const hs_plugin_host hs_host_table;

int hs_plugin_name_valid(const char *name);
int hs_registry_selected(const hs_registry *r, const char *name);
hs_plugin_rt *hs_registry_lookup(const hs_registry *r, const char *name);

/* Loads one plugin without registering it: *out is complete (handle,
 * descriptor checked, state created) or nothing is left behind. */
int hs_plugin_open_name(hs_plugin_rt **out, const hs_registry *r,
			const char *name);
int hs_plugin_open_file(hs_plugin_rt **out, const char *path,
			const char *expect_name);
void hs_plugin_close(hs_plugin_rt *p);
/* Applies one option (NAME.function is handled here, the rest by the
 * plugin's set_option). */
int hs_plugin_set_option(hs_plugin_rt *p, const char *key, const char *value);
/* Appends p to r->plugins (no ordering); fails on a duplicate name. */
int hs_registry_append(hs_registry *r, hs_plugin_rt *p);

#endif
