/* Hostile test plugins, one source built in several flavours (HP_NAME,
 * HP_MODE): a plugin that calls exit() or crashes in emit, one that
 * deletes a node that existed before its call and then fails, and
 * descriptors whose counts and pointers lie, and one that truncates the
 * input file (named by $HP_TRUNCATE) under the mapped graph.  They claim
 * every call. */
#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <hintstub/plugin.h>

#define STR2(x) #x
#define STR(x) STR2(x)

#define MODE_EXIT 0       /* emit calls exit(0) */
#define MODE_CRASH 1      /* emit writes through a NULL pointer */
#define MODE_DELETE 2     /* emit removes the call's first input node, fails */
#define MODE_HUGE 3       /* n_signatures = 2^30 over a one-entry array */
#define MODE_NULL_ARGS 4  /* a signature with 3 inputs and no array */
#define MODE_EDIT 5       /* emit sets an attribute on an input node, succeeds */
#define MODE_BYPASS 6     /* emit removes an input node through the library's
			     own symbol (no host table, no guard), fails */
#define MODE_TRUNCATE 7   /* emit truncates $HP_TRUNCATE to 0 bytes, succeeds */

static const hs_plugin_signature hp_signatures[] = {
#if HP_MODE == MODE_NULL_ARGS
	{ .function = "*", .level = -1, .n_inputs = 3, .inputs = NULL },
#else
	{ .function = "*", .level = -1 },
#endif
};

/* The node the call's first input operand reads (it existed before). */
static hs_node *first_input(const hs_plugin_host *h, const hs_call *call)
{
	if (h->call_input_count(call) == 0)
		return NULL;
	const hs_operand *o = h->call_input_at(call, 0);
	const hs_node *id = h->operand_identity(o, 0);
	return id && h->node_input_count(id) ? h->node_input_node(id, 0, NULL) : NULL;
}

static int hp_emit(void *state, const hs_plugin_host *h, hs_graph *g,
		   const hs_call *call, const hs_region *region, hs_node *stub,
		   void *claim)
{
	(void)claim;
	(void)state;
	(void)region;
	(void)stub;
	if (HP_MODE == MODE_EXIT)
		exit(0);
	if (HP_MODE == MODE_TRUNCATE) {
		const char *path = getenv("HP_TRUNCATE");
		if (!path || truncate(path, 0) != 0)
			return h->fail(HS_EPLUGIN, "cannot truncate $HP_TRUNCATE");
		return HS_OK;
	}
	if (HP_MODE == MODE_CRASH) {
		/* A real fault, not undefined behaviour a sanitizer reports
		 * first: a store to a page mapped without access. */
		volatile int *locked = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (locked != MAP_FAILED)
			*locked = 1;
		abort();
	}
	hs_node *victim = first_input(h, call);
	if (!victim)
		return h->fail(HS_EPLUGIN, "no input node to pick on");
	if (HP_MODE == MODE_BYPASS) {
		int (*remove_node)(hs_graph *, hs_node *);
		*(void **)&remove_node = dlsym(RTLD_DEFAULT, "hs_graph_remove_node");
		if (remove_node)
			remove_node(g, victim);
		return h->fail(HS_EPLUGIN, "removed a node behind the host's back, then gave up");
	}
	if (HP_MODE == MODE_EDIT) {
		/* The refusal is ignored: the call still succeeds. */
		h->node_set_attr_i(victim, "edited_by_plugin", 1);
		return HS_OK;
	}
	if (h->graph_remove_node(g, victim) < 0) {
		char why[512]; /* fail() rewrites the buffer error_last() returns */
		strncpy(why, h->error_last(), sizeof why - 1);
		why[sizeof why - 1] = '\0';
		return h->fail(HS_EPLUGIN, "remove refused: %s", why);
	}
	return h->fail(HS_EPLUGIN, "removed a node, then gave up");
}

static const hs_plugin_desc hp_desc = {
	.abi_major = HS_PLUGIN_ABI_MAJOR,
	.abi_minor = HS_PLUGIN_ABI_MINOR,
	.struct_size = sizeof(hs_plugin_desc),
	.name = STR(HP_NAME),
	.version = "0.1",
#if HP_MODE == MODE_HUGE
	.n_signatures = (size_t)1 << 30,
#else
	.n_signatures = 1,
#endif
	.signatures = hp_signatures,
	.emit = hp_emit,
};

HS_PLUGIN_EXPORT const hs_plugin_desc *hintstub_plugin_init(const hs_plugin_host *h);

const hs_plugin_desc *hintstub_plugin_init(const hs_plugin_host *h)
{
	(void)h;
	return &hp_desc;
}
