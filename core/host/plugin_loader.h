/* Opening one plugin: finding NAME.so on a search path, refusing files
 * others can replace, dlopen, checking the descriptor, creating its state.
 * The loader knows nothing of registries: it returns a complete plugin
 * (or nothing) and the caller keeps it.  Private to libhintstub. */
#ifndef HS_PLUGIN_LOADER_H
#define HS_PLUGIN_LOADER_H

#include "hintstub/plugin.h"

#define HS_PLUGIN_NAME_MAX 64

/* A signature with what matching needs precomputed. */
typedef struct hs_sig_rt {
	const hs_plugin_signature *sig;
	const char *function; /* effective pattern (desc or override) */
	size_t function_len;
	int is_glob;
} hs_sig_rt;

/* An option as set by rules or hs_registry_set_option. */
typedef struct hs_option_set {
	char *key, *value;
} hs_option_set;

/* One loaded plugin. */
typedef struct hs_plugin_rt {
	char *name;
	char *file;
	void *handle;                /* dlopen handle */
	int fd;                      /* the checked file, open while loaded */
	const hs_plugin_desc *desc;  /* owned by the plugin */
	void *state;                 /* from desc->create */
	size_t n_sigs;
	hs_sig_rt *sigs;
	char *function_override;     /* option NAME.function */
	int priority;
	size_t decl;                 /* load order, set by the owner (0 here) */
	struct hs_option_set *opts;  /* options set, the last value each */
	size_t n_opts, cap_opts;
} hs_plugin_rt;

/* Where NAME.so is looked for, in this order. */
typedef struct hs_plugin_search {
	const char *const *dirs;     /* each one directory */
	size_t n_dirs;
	int use_env;                 /* then HINTSTUB_PLUGIN_PATH (':'-separated) */
	int use_system;              /* then the installed plugin directory */
} hs_plugin_search;

/* [a-z0-9_]+, at most HS_PLUGIN_NAME_MAX bytes. */
int hs_plugin_name_valid(const char *name);

/* Opens one plugin, handing it `host` (which must outlive the plugin):
 * *out is complete (handle, descriptor checked, state created) and owned
 * by the caller, or nothing is left behind.  expect_name NULL: the name is
 * the file's base name without ".so". */
int hs_plugin_open_file(hs_plugin_rt **out, const char *path,
			const char *expect_name, const hs_plugin_host *host);
/* Same for NAME.so found on the search path (HS_ENOTFOUND naming every
 * directory searched). */
int hs_plugin_open_name(hs_plugin_rt **out, const hs_plugin_search *search,
			const char *name, const hs_plugin_host *host);
void hs_plugin_close(hs_plugin_rt *p);

/* The record hs_plugin_running reads: every call into a plugin is
 * bracketed by enter (saving the previous record into *saved) and leave
 * (restoring it).  `call` is the call's uuid, empty outside check/emit;
 * the strings must outlive the callback. */
typedef struct hs_callback_frame {
	const char *plugin;
	const char *callback;
	hs_str call;
	volatile int active;
} hs_callback_frame;
void hs_callback_enter(hs_callback_frame *saved, const char *plugin,
		       const char *callback, hs_str call);
void hs_callback_leave(const hs_callback_frame *saved);

/* Applies one option (NAME.function is handled here, the rest by the
 * plugin's set_option; a key the descriptor does not declare is refused
 * with the nearest declared one) and records the value in effect. */
int hs_plugin_set_option(hs_plugin_rt *p, const char *key, const char *value);
/* The value option `key` was last set to, NULL when never set. */
const char *hs_plugin_option_value(const hs_plugin_rt *p, const char *key);

#endif
