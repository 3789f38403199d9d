/* Test plugins, one source built in several flavours (TP_NAME, TP_MODE)
 * to exercise the loader, ordering and failure handling. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <hintstub/plugin.h>

#define STR2(x) #x
#define STR(x) STR2(x)

#define MODE_CLAIM 0      /* claims TestFn calls that have input 0 */
#define MODE_PICKY 1      /* declines calls that have input 1 */
#define MODE_FAILING 2    /* emit fails on uuid "bad*", check on "checkfail" */
#define MODE_BAD_ABI 3
#define MODE_INIT_FAIL 4
#define MODE_NO_ENTRY 5
#define MODE_WRONG_NAME 6
#define MODE_STR 7        /* reports through fail_str/warn_str (host v2) */
#define MODE_FUSER 8      /* MySwish: check reads the beta Const, emit fuses */
#define MODE_BAD_NAME 9   /* the descriptor's name is no plugin name */

static const hs_plugin_host *host;

static const hs_plugin_arg tp_inputs[] = {
	{ 0, HS_ARG_REQUIRED, HS_AGG_ANY, 0, 0 },
};

static const hs_plugin_signature tp_signatures[] = {
#if TP_MODE == MODE_FAILING
	{ .function = "Test*", .level = -1, .n_inputs = 1, .inputs = tp_inputs },
#elif TP_MODE == MODE_FUSER
	{ .function = "MySwish", .level = -1, .n_inputs = 1, .inputs = tp_inputs },
#else
	{ .function = "TestFn", .level = -1, .n_inputs = 1, .inputs = tp_inputs },
#endif
};

static char tag[64] = STR(TP_NAME);
static int claims_freed;
static int fail_checks; /* option fail = check: every check fails */

/* Claims (a copy of the uuid) are freed here: counted for the tests. */
static __attribute__((unused)) void tp_free_claim(void *state, void *claim)
{
	(void)state;
	host->free(claim);
	claims_freed++;
}

static int tp_set_option(void *state, const char *key, const char *value)
{
	if (TP_MODE == MODE_FAILING && strcmp(key, "fail") == 0 && strcmp(value, "check") == 0) {
		fail_checks = 1;
		return HS_OK;
	}
	if (strcmp(key, "freed") == 0)
		return host->fail(HS_ERULES, "freed %d", claims_freed);
	if (TP_MODE == MODE_STR && strcmp(key, "tag") != 0)
		return host->fail_str(HS_ERULES, "no option of that name (100% literal)");
	if (strcmp(key, "tag") != 0)
		return host->fail(HS_ERULES, "unknown option '%s' (tag)", key);
	if (strlen(value) >= sizeof tag)
		return host->fail(HS_ERULES, "tag too long");
	strcpy(tag, value);
	return HS_OK;
}

/* The region's scalar float Const is beta; its value goes to emit. */
static int fuser_check(const hs_plugin_host *h, const hs_region *region,
		       char *reason, size_t size, void **claim)
{
	for (size_t i = 0; i < h->region_node_count(region); i++) {
		const hs_node *n = h->region_node(region, i);
		hs_tensor_view t;
		float beta;
		if (!h->str_eq(h->node_op(n), "Const"))
			continue;
		int rc = h->node_tensor(&t, n, "value", NULL, 0);
		if (rc)
			return rc;
		if (t.dtype != 1 || t.elements != 1) {
			snprintf(reason, size, "beta is %s with %llu elements, expected one DT_FLOAT",
				 h->dtype_name(t.dtype), (unsigned long long)t.elements);
			return HS_CHECK_DECLINE;
		}
		if ((rc = h->node_tensor(&t, n, "value", &beta, sizeof beta)))
			return rc;
		float *v = h->alloc(sizeof *v);
		if (!v)
			return h->fail(HS_ENOMEM, "out of memory");
		*v = beta;
		*claim = v;
		return HS_CHECK_CLAIM;
	}
	snprintf(reason, size, "no beta Const in the region");
	return HS_CHECK_DECLINE;
}

static int tp_check(void *state, const hs_plugin_host *h, const hs_graph *g,
		    const hs_call *call, const hs_region *region,
		      size_t sig, char *reason, size_t size, void **claim)
{
	if (TP_MODE == MODE_PICKY && h->call_input(call, 1)) {
		strncpy(reason, "picky wants no input 1", size - 1);
		reason[size - 1] = '\0';
		return HS_CHECK_DECLINE;
	}
	if (TP_MODE == MODE_FAILING && fail_checks)
		return h->fail(HS_EPLUGIN, "check exploded");
	if (TP_MODE == MODE_FAILING && h->str_eq(h->call_uuid(call), "checkfail"))
		return h->fail(HS_EPLUGIN, "check exploded");
	if (TP_MODE == MODE_FAILING && h->str_eq(h->call_uuid(call), "weird"))
		return 5;
	if (TP_MODE == MODE_FAILING && h->str_eq(h->call_uuid(call), "silent"))
		return HS_EPLUGIN;
	if (TP_MODE == MODE_FUSER)
		return fuser_check(h, region, reason, size, claim);
	if (TP_MODE == MODE_CLAIM) {
		hs_str u = h->call_uuid(call);
		char *copy = h->alloc(u.len + 1);
		if (!copy)
			return h->fail(HS_ENOMEM, "out of memory");
		memcpy(copy, u.ptr, u.len);
		copy[u.len] = '\0';
		*claim = copy;
	}
	if (TP_MODE == MODE_STR && h->str_eq(h->call_uuid(call), "warnme"))
		h->warn_str("looked at %s twice");
	if (TP_MODE == MODE_STR && h->str_eq(h->call_uuid(call), "checkfail"))
		return h->fail_str(7, NULL);
	return HS_CHECK_CLAIM;
}

static int tp_emit(void *state, const hs_plugin_host *h, hs_graph *g,
		const hs_call *call, const hs_region *region, hs_node *stub, void *claim)
{
	if (TP_MODE == MODE_FAILING && h->call_uuid(call).len >= 3 &&
	    memcmp(h->call_uuid(call).ptr, "bad", 3) == 0)
		return h->fail(HS_EPLUGIN, "cannot convert this one");
	if (TP_MODE == MODE_STR && h->call_uuid(call).len >= 3 &&
	    memcmp(h->call_uuid(call).ptr, "bad", 3) == 0)
		return h->fail_str(HS_EINVAL, "cannot convert %s, %d%%");
	if (TP_MODE == MODE_FUSER) {
		int rc = h->node_set_op(stub, "MySwishFused");
		return rc ? rc : h->node_set_attr_f(stub, "beta", *(const float *)claim);
	}
	if (TP_MODE == MODE_CLAIM && claim) {
		hs_str c = { claim, strlen(claim) };
		int rc = h->node_set_attr_s(stub, "claim", c);
		if (rc)
			return rc;
	}
	hs_str v = { tag, strlen(tag) };
	return h->node_set_attr_s(stub, "claimed_by", v);
}

static const hs_plugin_desc tp_desc __attribute__((unused)) = {
#if TP_MODE == MODE_BAD_ABI
	.abi_major = 99,
#else
	.abi_major = HS_PLUGIN_ABI_MAJOR,
#endif
	.abi_minor = HS_PLUGIN_ABI_MINOR,
	.struct_size = sizeof(hs_plugin_desc),
#if TP_MODE == MODE_WRONG_NAME
	.name = "somebody_else",
#elif TP_MODE == MODE_BAD_NAME
	.name = "Bad-Name",
#else
	.name = STR(TP_NAME),
#endif
	.version = "0.1",
	.n_signatures = 1,
	.signatures = tp_signatures,
	.set_option = tp_set_option,
	.check = tp_check,
	.emit = tp_emit,
#if TP_MODE == MODE_CLAIM
	.free_claim = tp_free_claim,
#endif
};

#if TP_MODE != MODE_NO_ENTRY
const hs_plugin_desc *hintstub_plugin_init(const hs_plugin_host *h)
{
	host = h;
	/* Every member of the host table must be set: a forgotten entry
	 * would crash a real plugin later. */
	for (size_t off = offsetof(hs_plugin_host, alloc); off < h->struct_size;
	     off += sizeof(void (*)(void))) {
		void (*fn)(void);
		memcpy(&fn, (const char *)h + off, sizeof fn);
		if (!fn) {
			if (h->fail)
				h->fail(HS_EPLUGIN, "host table member at offset %zu is NULL", off);
			return NULL;
		}
	}
	if (TP_MODE == MODE_STR && (h->version < 2 ||
				    h->struct_size < offsetof(hs_plugin_host, warn_str) +
						     sizeof h->warn_str)) {
		h->fail(HS_EPLUGIN, "needs host table version 2");
		return NULL;
	}
	if (TP_MODE == MODE_INIT_FAIL) {
		h->fail(HS_EPLUGIN, "needs a license file");
		return NULL;
	}
	return &tp_desc;
}
#else
HS_PLUGIN_EXPORT int tp_something_else(void);
int tp_something_else(void) { return 0; }
#endif
