/*
 * hintstub plugins and the plugin registry.
 *
 * Two audiences:
 *  - plugin authors: a plugin is a shared object exporting one symbol,
 *    HS_PLUGIN_ENTRY ("hintstub_plugin_init"), of type hs_plugin_init_fn.
 *    It receives the host API table and returns a descriptor.  A plugin
 *    needs only this header and <hintstub/hintstub.h>, and should edit the
 *    graph only through the host table (it then has no link-time
 *    dependency on libhintstub and works with any compatible host);
 *  - pipelines: hs_registry_* load plugins and rule files; the registry is
 *    handed to the plan through hs_plan_options.registry.
 *
 * Ownership, for everything below:
 *  - the descriptor, its strings and signatures belong to the plugin and
 *    must stay valid and unchanged until the plugin is unloaded (static
 *    storage is the normal choice);
 *  - the host table is owned by the host, valid while the plugin is
 *    loaded, and never changes;
 *  - graphs, nodes, calls, regions and strings passed to callbacks are
 *    borrowed for the duration of the callback only;
 *  - per-instance state made by `create` is owned by the plugin and freed
 *    by its `destroy`;
 *  - memory a plugin hands to the host (claim data without a free_claim
 *    callback) must come from host->alloc.
 *
 * ABI rules: the host accepts a descriptor whose abi_major equals
 * HS_PLUGIN_ABI_MAJOR and whose abi_minor is <= the host's.  Structs only
 * grow at the end (struct_size tells how much the other side knows);
 * reserved fields must be zero.  tests/host/check_abi.c pins the layouts.
 */
#ifndef HINTSTUB_PLUGIN_H
#define HINTSTUB_PLUGIN_H

#include <stdarg.h>
#include <hintstub/hintstub.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HS_PLUGIN_ABI_MAJOR 2
#define HS_PLUGIN_ABI_MINOR 1
#define HS_PLUGIN_ENTRY "hintstub_plugin_init"

/* Exports the entry point with default visibility even when the plugin is
 * built with -fvisibility=hidden. */
#define HS_PLUGIN_EXPORT HS_EXTERN

/* ------------------------------------------------------------ signatures */

/* Flags of one argument in a signature. */
#define HS_ARG_REQUIRED 0x1u /* must be present */
#define HS_ARG_OPTIONAL 0x0u /* may be absent */

/* aggregation value meaning "any aggregation". */
#define HS_AGG_ANY (-1)

/** One input or output index a signature knows about. */
typedef struct hs_plugin_arg {
	int64_t index;
	unsigned int flags;   /* HS_ARG_REQUIRED or HS_ARG_OPTIONAL */
	int aggregation;      /* an hs_aggregation, or HS_AGG_ANY */
	int dtype;            /* required DataType of element 0; 0: any */
	uint32_t reserved;
} hs_plugin_arg;

/* Signature flags. */
#define HS_SIG_CLOSED 0x1u /* indices not listed are not allowed */

/** What a call must look like at its boundary for a plugin to consider
 * it.  Matching is done by the host, before the plugin's `check`. */
typedef struct hs_plugin_signature {
	/* Function name; may be a glob (*, ?, [...]).  A rule-file option
	 * `NAME.function` replaces it for every signature of the plugin. */
	const char *function;
	int64_t level;        /* required _tflite_ophint_level; -1: any */
	unsigned int flags;   /* HS_SIG_* */
	size_t n_inputs;
	const hs_plugin_arg *inputs;
	size_t n_outputs;
	const hs_plugin_arg *outputs;
	void *reserved[4];
} hs_plugin_signature;

/** An option a plugin takes from rule files (`option NAME.key = value`).
 * Declaring them lets the host refuse an unknown key with a suggestion
 * ("did you mean 'cell_clip'?") before set_option is called, and show
 * them with the values in effect (`hintstub --list-plugins`). */
typedef struct hs_plugin_option {
	const char *key;            /* NULL ends the list */
	const char *default_value;  /* as a rule file would write it; may be NULL */
	const char *help;           /* one line; may be NULL */
	void *reserved[2];
} hs_plugin_option;

/* ------------------------------------------------------------- host API */

#define HS_PLUGIN_HOST_VERSION 2

/** Functions the host offers plugins: the graph and call API of
 * hintstub.h, the host allocator and diagnostics.  Append-only: version 1
 * has everything up to node_attrs; version 2 (ABI 2) adds fail_str,
 * warn_str, the call accessors, node_set_op, node_tensor and dtype_name;
 * later versions only add members at the
 * end, so check `version` (or `struct_size`) before using a member newer
 * than your minimum. */
typedef struct hs_plugin_host {
	uint32_t struct_size;     /* sizeof(hs_plugin_host) of the host */
	uint32_t version;         /* HS_PLUGIN_HOST_VERSION of the host */
	const char *host_version; /* hs_version() */

	/* Memory: anything handed across the boundary. */
	void *(*alloc)(size_t size);
	void *(*realloc)(void *ptr, size_t size);
	void (*free)(void *ptr);

	/* Records an error message (returned by the failing callback's
	 * caller) and returns code: `return host->fail(HS_EPLUGIN, "...")`. */
	int (*fail)(int code, const char *fmt, ...);
	/* A diagnostic not failing anything, given to the registry's
	 * diagnostic callback (the CLI prints it as a warning). */
	void (*warn)(const char *fmt, ...);

	/* Strings and reading the graph (see hintstub.h). */
	int (*str_eq)(hs_str s, const char *text);
	hs_node *(*graph_find_node)(const hs_graph *g, const char *name, size_t len);
	hs_str (*node_name)(const hs_node *n);
	hs_str (*node_op)(const hs_node *n);
	size_t (*node_input_count)(const hs_node *n);
	hs_str (*node_input)(const hs_node *n, size_t i);
	hs_node *(*node_input_node)(const hs_node *n, size_t i, int *port);
	size_t (*node_consumer_count)(const hs_node *n);
	hs_node *(*node_consumer)(const hs_node *n, size_t i);
	int (*node_attr)(hs_attr *out, const hs_node *n, const char *key);
	int (*attr_list_ints)(int64_t *out, size_t cap, size_t *count, const hs_attr *a);
	int (*attr_list_types)(int *out, size_t cap, size_t *count, const hs_attr *a);

	/* Calls (see calls.h).  NULL when the index is absent. */
	const hs_operand *(*call_input)(const hs_call *c, int64_t index);
	const hs_operand *(*call_output)(const hs_call *c, int64_t index);

	/* Editing (only from `emit`). */
	int (*graph_add_node)(hs_node **out, hs_graph *g, const char *name,
			      const char *op, const hs_node *after);
	int (*node_add_input)(hs_node *n, const char *input);
	int (*node_set_input)(hs_node *n, size_t i, const char *input);
	int (*node_set_inputs)(hs_node *n, const char *const *inputs, size_t count);
	int (*node_set_attr_raw)(hs_node *n, const char *key, hs_str encoded);
	int (*node_set_attr_s)(hs_node *n, const char *key, hs_str value);
	int (*node_set_attr_i)(hs_node *n, const char *key, int64_t value);
	int (*node_set_attr_f)(hs_node *n, const char *key, float value);
	int (*node_set_attr_b)(hs_node *n, const char *key, int value);
	int (*node_set_attr_type)(hs_node *n, const char *key, int dtype);
	int (*node_set_attr_list_i)(hs_node *n, const char *key,
				    const int64_t *values, size_t count);
	int (*node_set_attr_list_type)(hs_node *n, const char *key,
				       const int *values, size_t count);
	int (*node_remove_attr)(hs_node *n, const char *key);

	/* More of hintstub.h, for plugins that rebuild more than the stub. */
	hs_node *(*graph_next_node)(const hs_graph *g, const hs_node *prev);
	hs_str (*node_device)(const hs_node *n);
	size_t (*node_attr_count)(const hs_node *n);
	hs_str (*node_attr_key)(const hs_node *n, size_t i);
	int (*attr_list_string)(hs_str *out, const hs_attr *a, size_t i);
	int (*parse_input)(hs_str *name_out, int *port_out, hs_str input);
	int (*graph_remove_node)(hs_graph *g, hs_node *n);
	int (*graph_rewire)(size_t *changed, hs_graph *g, const hs_node *from,
			    int from_port, const char *to);
	int (*node_set_device)(hs_node *n, const char *device);
	/* The message of the last failed host call (for wrapping it). */
	const char *(*error_last)(void);
	/* Looks up n_keys attributes in one pass over the node (cheaper
	 * than n_keys node_attr calls): found[i] tells whether keys[i]
	 * exists, out[i] is its value then.  HS_EPARSE if one is malformed. */
	int (*node_attrs)(hs_attr *out, int *found, const hs_node *n,
			  const char *const *keys, size_t n_keys);
	/* end of version 1 */

	/* fail and warn without a format, for plugins written in languages
	 * that cannot call a C variadic function (bindings): the message is
	 * taken as it is ('%' included).  fail_str returns code (HS_EPLUGIN
	 * when code is not negative). */
	int (*fail_str)(int code, const char *message);
	void (*warn_str)(const char *message);

	/* Version 2: calls are opaque (<hintstub/calls.h>); read them here. */
	hs_str (*call_function)(const hs_call *c);
	hs_str (*call_uuid)(const hs_call *c);
	int64_t (*call_level)(const hs_call *c);
	size_t (*call_input_count)(const hs_call *c);
	const hs_operand *(*call_input_at)(const hs_call *c, size_t i);
	size_t (*call_output_count)(const hs_call *c);
	const hs_operand *(*call_output_at)(const hs_call *c, size_t i);
	size_t (*call_identity_count)(const hs_call *c);
	const hs_node *(*call_identity)(const hs_call *c, size_t i);
	int64_t (*operand_index)(const hs_operand *o);
	hs_aggregation (*operand_aggregation)(const hs_operand *o);
	int (*operand_dtype)(const hs_operand *o);
	size_t (*operand_count)(const hs_operand *o);
	hs_tensor (*operand_tensor)(const hs_operand *o, size_t k);
	const hs_node *(*operand_identity)(const hs_operand *o, size_t k);
	size_t (*operand_kept_element)(const hs_operand *o);
	size_t (*region_node_count)(const hs_region *r);
	const hs_node *(*region_node)(const hs_region *r, size_t i);
	/* Changes the op of a node the plugin's emit added, or of the stub
	 * (hs_node_set_op): a plugin's fused op.  The stub stays recognised
	 * on later runs by the `_hintstub_call` attribute the host sets. */
	int (*node_set_op)(hs_node *n, const char *op);
	/* Reads a constant tensor (hs_node_tensor, graph.h): dtype, shape and
	 * the values decoded into buf. */
	int (*node_tensor)(hs_tensor_view *out, const hs_node *n, const char *key,
			   void *buf, size_t buf_size);
	/* "DT_FLOAT" for 1 (hs_dtype_name), for messages. */
	const char *(*dtype_name)(int dtype);
	/* end of version 2 */
} hs_plugin_host;

/* ------------------------------------------------------------ evaluation */

/** One evaluation of a plugin's fused op (ABI 2.1), handed to the
 * descriptor's `evaluate`.  Whoever connects the registry to the evaluator
 * fills it (see hs_registry_evaluate); the functions are the evaluator's
 * (<hintstub/eval.h>), passed here so that a plugin still needs nothing
 * but the pointers it is given.  Append-only, like the host table. */
typedef struct hs_plugin_eval {
	uint32_t struct_size;         /* sizeof(hs_plugin_eval) of the caller */
	uint32_t reserved0;
	const hs_node *node;          /* the node to compute (borrowed) */
	const hs_value *const *in;    /* its data inputs in order (read-only) */
	size_t n_in;
	hs_value **out;               /* receives n_out new values */
	size_t n_out;                 /* 1 + the highest output port read */
	/* hs_value_new: a zero-filled value of dtype and dims[0..rank). */
	int (*value_new)(hs_value **out, int dtype, size_t rank,
			 const int64_t *dims);
	/* hs_value_free: releases a value the plugin made and keeps. */
	void (*value_free)(hs_value *v);
	/* hs_eval_builtin: runs the evaluator's kernel of `op` on in[0..n_in)
	 * as if node n (whose attributes it reads) had that op, filling
	 * out[0..n_out): a fused op made of built-in ones defers to them.
	 * HS_ENOTFOUND when the evaluator has no kernel for `op`. */
	int (*builtin)(const char *op, const hs_node *n,
		       const hs_value *const *in, size_t n_in, hs_value **out,
		       size_t n_out);
	void *reserved[4];
} hs_plugin_eval;

/* ------------------------------------------------------------ descriptor */

/** Verdicts of `check`. */
#define HS_CHECK_CLAIM 1
#define HS_CHECK_DECLINE 0

typedef struct hs_plugin_desc {
	uint32_t abi_major;     /* HS_PLUGIN_ABI_MAJOR the plugin was built for */
	uint32_t abi_minor;     /* HS_PLUGIN_ABI_MINOR the plugin was built for */
	uint32_t struct_size;   /* sizeof(hs_plugin_desc) */
	uint32_t reserved0;
	const char *name;       /* [a-z0-9_]+, equal to the file's NAME.so */
	const char *version;    /* free text, e.g. "1.0" */
	const char *description; /* one line, may be NULL */
	int priority;           /* default priority; rules may override */
	size_t n_signatures;    /* >= 1 */
	const hs_plugin_signature *signatures;

	/* Optional: makes per-registry state (options...).  *state_out may
	 * stay NULL.  Failure: return < 0 after host->fail. */
	int (*create)(void **state_out, const hs_plugin_host *host);
	/* Optional: frees what create made. */
	void (*destroy)(void *state);
	/* Optional: a per-plugin option from a rule file (`option
	 * NAME.key = value`).  key and value are borrowed.  Unknown key or
	 * bad value: return < 0 after host->fail (message without location;
	 * the host adds file:line:col). */
	int (*set_option)(void *state, const char *key, const char *value);
	/* Optional: called for a call whose boundary matched signature
	 * `sig` (an index into signatures).  `region` holds the nodes the
	 * stub replaces (host->region_node).  May look anywhere in the graph.
	 * Returns HS_CHECK_CLAIM, or HS_CHECK_DECLINE after writing a
	 * one-line reason into reason[0..reason_size), or < 0 when the call
	 * cannot be judged (after host->fail; the rules' on-failure policy
	 * decides, as for emit: the call is reported failed).  Any other
	 * value is an error of the plugin, handled the same way.
	 * What check found can travel to emit: set *claim (NULL on entry)
	 * when claiming; the host hands it to emit and releases it with
	 * free_claim (or host->free) when the plan is freed, and at once when
	 * check does not claim.  Must not edit the graph; may run on several
	 * threads at once (plans of one graph or of several). */
	int (*check)(void *state, const hs_plugin_host *host,
		     const hs_graph *g, const hs_call *call,
		     const hs_region *region, size_t sig, char *reason,
		     size_t reason_size, void **claim);
	/* Required: finishes the generic stub of a claimed call.  `stub` is
	 * named (uuid), has op = function name and its inputs wired as the
	 * generic pass builds them (doc/conversion.md); outputs are rewired by the
	 * host afterwards.  The plugin may set attributes, change the op,
	 * rewrite the stub's inputs and add nodes; the host's editing
	 * functions refuse nodes that existed before the call (HS_EPLUGIN).
	 * `claim` is what check stored for this call (NULL when it stored
	 * nothing or has no check); borrowed.  Failure: return < 0 after
	 * host->fail; the host then removes every node added for this call. */
	int (*emit)(void *state, const hs_plugin_host *host, hs_graph *g,
		    const hs_call *call, const hs_region *region, hs_node *stub,
		    void *claim);
	/* Optional: releases a claim check stored (`state` is the plugin's).
	 * NULL: the host releases claims with host->free. */
	void (*free_claim)(void *state, void *claim);
	/* Optional: the options set_option accepts, ended by a NULL key
	 * (`NAME.function` is the host's and needs no entry).  NULL: any key
	 * goes to set_option. */
	const hs_plugin_option *options;
	/* Optional (ABI 2.1): the fused op's reference semantics, so that
	 * `hintstub verify` can evaluate the stubs this plugin makes.
	 * Computes e->node from e->in into e->out[0..e->n_out) (values made
	 * with e->value_new, or built-in kernels through e->builtin) and
	 * returns 0; returns HS_ENOTFOUND, without a message, for a node that
	 * is not this plugin's op (the next plugin is asked); < 0 after
	 * host->fail when the inputs are wrong.  Outputs left set on failure
	 * are freed by the caller.  Must not keep any pointer from e; may run
	 * on several threads at once.  Only asked for ops the evaluator has
	 * no kernel for. */
	int (*evaluate)(void *state, const hs_plugin_host *host,
			const hs_plugin_eval *e);
	void *reserved[5];
} hs_plugin_desc;

/** The entry point, declared here (exported, with C linkage in C++ too)
 * so that a plugin only defines it:
 *   const hs_plugin_desc *hintstub_plugin_init(const hs_plugin_host *host)
 *   { ... }
 * Returns a descriptor (owned by the plugin), or NULL after host->fail
 * explaining why (the host reports "init failed: <message>"). */
typedef const hs_plugin_desc *(*hs_plugin_init_fn)(const hs_plugin_host *host);
HS_PLUGIN_EXPORT const hs_plugin_desc *hintstub_plugin_init(const hs_plugin_host *host);

/* -------------------------------------------------------------- registry */

/* hs_registry_new flags. */
#define HS_REGISTRY_NO_ENV_PATH 0x1u    /* ignore HINTSTUB_PLUGIN_PATH */
#define HS_REGISTRY_NO_SYSTEM_PATH 0x2u /* ignore the installed plugin dir */
#define HS_REGISTRY_NO_PLUGINS 0x4u     /* refuse to load any plugin */

typedef enum hs_unclaimed_policy {
	HS_UNCLAIMED_GENERIC = 0, /* generic stub, as TensorFlow makes it */
	HS_UNCLAIMED_KEEP = 1,    /* leave the call unconverted */
	HS_UNCLAIMED_ERROR = 2    /* a call no plugin claims is an error */
} hs_unclaimed_policy;

/** A new empty registry (every call unclaimed).  Owned by the caller. */
HS_EXTERN int hs_registry_new(hs_registry **out, unsigned int flags);
HS_EXTERN void hs_registry_free(hs_registry *r);
/** Adds a directory searched before HINTSTUB_PLUGIN_PATH and the
 * installed directory (in the order added).  The string is copied. */
HS_EXTERN int hs_registry_add_search_dir(hs_registry *r, const char *dir);
/** Restricts later loads to these plugin names (--plugins); the order of
 * conversion still follows the rules.  Call before loading. */
HS_EXTERN int hs_registry_select(hs_registry *r, const char *const *names,
				 size_t count);
/** True when `name` is loaded. */
HS_EXTERN int hs_registry_has_plugin(const hs_registry *r, const char *name);
/** Loads plugin NAME (file NAME.so in the search path) and appends it to
 * the order.  Transactional: on failure nothing is registered. */
HS_EXTERN int hs_registry_load_plugin(hs_registry *r, const char *name);
/** Same from an explicit file path. */
HS_EXTERN int hs_registry_load_plugin_file(hs_registry *r, const char *path);
/** Reads a rule file (doc/rules.md): loads the plugins it names, applies
 * options, orders plugins and sets the policies.  Errors are
 * "FILE:LINE:COL: message".  On failure no plugin, order or policy of
 * the file takes effect (options it set on plugins loaded before this
 * call may remain). */
HS_EXTERN int hs_registry_load_rules(hs_registry *r, const char *path);
/** Same from memory; `label` names the text in messages. */
HS_EXTERN int hs_registry_load_rules_buffer(hs_registry *r, const char *text,
					    size_t len, const char *label);
/** Sets option `key` of loaded plugin `plugin`. */
HS_EXTERN int hs_registry_set_option(hs_registry *r, const char *plugin,
				     const char *key, const char *value);
HS_EXTERN int hs_registry_set_unclaimed(hs_registry *r, hs_unclaimed_policy p);
HS_EXTERN hs_unclaimed_policy hs_registry_unclaimed(const hs_registry *r);

/** Loaded plugins in conversion order. Borrowed from the registry. */
HS_EXTERN size_t hs_registry_plugin_count(const hs_registry *r);
HS_EXTERN const hs_plugin_desc *hs_registry_plugin(const hs_registry *r, size_t i);
HS_EXTERN const char *hs_registry_plugin_file(const hs_registry *r, size_t i);
/** Priority of plugin i in effect (the descriptor's, or the rules'). */
HS_EXTERN int hs_registry_plugin_priority(const hs_registry *r, size_t i);
/** The value option `key` of plugin i was last set to (rules,
 * hs_registry_set_option), or NULL when it was never set.  Borrowed. */
HS_EXTERN const char *hs_registry_plugin_option(const hs_registry *r, size_t i,
						const char *key);
/** Effective function pattern of signature `sig` of plugin i. */
HS_EXTERN const char *hs_registry_plugin_function(const hs_registry *r,
						  size_t i, size_t sig);

/** How many calls of `calls` not converted yet have a function that a
 * signature of plugin i names (its glob).  When none, `why` (may be NULL)
 * gets a one-line hint for a plugin that converts nothing: the nearest
 * function name of the set ("did you mean 'MySwish'?") or the names there
 * are; it stays empty when every call is converted already.  *suggests
 * (may be NULL) is set when `why` names a likely typo. */
HS_EXTERN size_t hs_registry_plugin_name_matches(char *why, size_t size, int *suggests,
						 const hs_registry *r, size_t i,
						 const hs_callset *calls);

/** The plugin callback running on the calling thread, for a program's
 * crash or exit() handler: 1 and the plugin's name, the callback
 * ("load" for its constructors, "init", "create", "set_option", "check",
 * "emit", "destroy") and the
 * call's uuid (empty outside check and emit), or 0 when no plugin code
 * runs.  Async-signal-safe: it only reads a thread-local record (in a
 * program linked with libhintstub, not one that dlopens it).  Any
 * argument may be NULL. */
HS_EXTERN int hs_plugin_running(const char **plugin, const char **callback, hs_str *call);

/** Evaluates e->node with the `evaluate` callbacks of r's plugins, asked in
 * conversion order until one does not answer HS_ENOTFOUND: 0 when one
 * computed it, HS_ENOTFOUND (no message) when none knows the op, or the
 * plugin's failure, its message prefixed "plugin NAME: ".  Connects the
 * registry to the evaluator's kernel hook (hs_eval_options.kernel), from a
 * layer that has both:
 *
 *   static int plugin_kernel(void *r, const hs_node *n,
 *                            const hs_value *const *in, size_t n_in,
 *                            hs_value **out, size_t n_out)
 *   {
 *           hs_plugin_eval e = { sizeof e, 0, n, in, n_in, out, n_out,
 *                                hs_value_new, hs_value_free,
 *                                hs_eval_builtin, { 0 } };
 *           return hs_registry_evaluate(r, &e);
 *   }
 */
HS_EXTERN int hs_registry_evaluate(const hs_registry *r, const hs_plugin_eval *e);

/** Receives warnings from plugins (host->warn) and the registry. */
typedef void (*hs_diagnostic_fn)(const char *message, void *payload);
HS_EXTERN void hs_registry_set_diagnostic(hs_registry *r, hs_diagnostic_fn fn,
					  void *payload);

#ifdef __cplusplus
}
#endif

#endif /* HINTSTUB_PLUGIN_H */
