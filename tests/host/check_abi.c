/* Pins the layout of everything a plugin binary depends on (GStreamer's
 * gstabi.c idea): a change here breaks every compiled plugin, so it must
 * come with an ABI major bump, or be an append plus a minor bump and a new
 * row in these tables.  Values are for LP64 (x86_64, aarch64). */
#include <config.h>

#include <check.h>
#include <stddef.h>
#include <stdlib.h>

#include "hintstub/plugin.h"
#include "testutil.h"

typedef struct layout {
	const char *what;
	size_t actual, expected;
} layout;

#define SIZE(t, n) { "sizeof(" #t ")", sizeof(t), n }
#define OFF(t, f, n) { "offsetof(" #t ", " #f ")", offsetof(t, f), n }

#if defined(__LP64__) && (defined(__x86_64__) || defined(__aarch64__))
static const layout layouts[] = {
	SIZE(hs_plugin_desc, 168),
	OFF(hs_plugin_desc, abi_major, 0),
	OFF(hs_plugin_desc, abi_minor, 4),
	OFF(hs_plugin_desc, struct_size, 8),
	OFF(hs_plugin_desc, name, 16),
	OFF(hs_plugin_desc, version, 24),
	OFF(hs_plugin_desc, description, 32),
	OFF(hs_plugin_desc, priority, 40),
	OFF(hs_plugin_desc, n_signatures, 48),
	OFF(hs_plugin_desc, signatures, 56),
	OFF(hs_plugin_desc, create, 64),
	OFF(hs_plugin_desc, destroy, 72),
	OFF(hs_plugin_desc, set_option, 80),
	OFF(hs_plugin_desc, check, 88),
	OFF(hs_plugin_desc, emit, 96),
	/* ABI 2.0 (unreleased when they came): free_claim and options take
	 * reserved[0] and [1]. */
	OFF(hs_plugin_desc, free_claim, 104),
	OFF(hs_plugin_desc, options, 112),
	/* ABI 2.1: evaluate takes reserved[0]; the size stays. */
	OFF(hs_plugin_desc, evaluate, 120),
	OFF(hs_plugin_desc, reserved, 128),

	/* ABI 2.1: what evaluate receives. */
	SIZE(hs_plugin_eval, 104),
	OFF(hs_plugin_eval, struct_size, 0),
	OFF(hs_plugin_eval, node, 8),
	OFF(hs_plugin_eval, in, 16),
	OFF(hs_plugin_eval, n_in, 24),
	OFF(hs_plugin_eval, out, 32),
	OFF(hs_plugin_eval, n_out, 40),
	OFF(hs_plugin_eval, value_new, 48),
	OFF(hs_plugin_eval, value_free, 56),
	OFF(hs_plugin_eval, builtin, 64),
	OFF(hs_plugin_eval, reserved, 72),

	SIZE(hs_plugin_signature, 88),
	OFF(hs_plugin_signature, function, 0),
	OFF(hs_plugin_signature, level, 8),
	OFF(hs_plugin_signature, flags, 16),
	OFF(hs_plugin_signature, n_inputs, 24),
	OFF(hs_plugin_signature, inputs, 32),
	OFF(hs_plugin_signature, n_outputs, 40),
	OFF(hs_plugin_signature, outputs, 48),
	OFF(hs_plugin_signature, reserved, 56),

	SIZE(hs_plugin_arg, 24),
	OFF(hs_plugin_arg, index, 0),
	OFF(hs_plugin_arg, flags, 8),
	OFF(hs_plugin_arg, aggregation, 12),
	OFF(hs_plugin_arg, dtype, 16),

	/* Host table: only ever appended to (version 1 ends at 360). */
	SIZE(hs_plugin_host, 544),
	OFF(hs_plugin_host, struct_size, 0),
	OFF(hs_plugin_host, version, 4),
	OFF(hs_plugin_host, host_version, 8),
	OFF(hs_plugin_host, alloc, 16),
	OFF(hs_plugin_host, realloc, 24),
	OFF(hs_plugin_host, free, 32),
	OFF(hs_plugin_host, fail, 40),
	OFF(hs_plugin_host, warn, 48),
	OFF(hs_plugin_host, str_eq, 56),
	OFF(hs_plugin_host, graph_find_node, 64),
	OFF(hs_plugin_host, node_name, 72),
	OFF(hs_plugin_host, node_op, 80),
	OFF(hs_plugin_host, node_input_count, 88),
	OFF(hs_plugin_host, node_input, 96),
	OFF(hs_plugin_host, node_input_node, 104),
	OFF(hs_plugin_host, node_consumer_count, 112),
	OFF(hs_plugin_host, node_consumer, 120),
	OFF(hs_plugin_host, node_attr, 128),
	OFF(hs_plugin_host, attr_list_ints, 136),
	OFF(hs_plugin_host, attr_list_types, 144),
	OFF(hs_plugin_host, call_input, 152),
	OFF(hs_plugin_host, call_output, 160),
	OFF(hs_plugin_host, graph_add_node, 168),
	OFF(hs_plugin_host, node_add_input, 176),
	OFF(hs_plugin_host, node_set_input, 184),
	OFF(hs_plugin_host, node_set_inputs, 192),
	OFF(hs_plugin_host, node_set_attr_raw, 200),
	OFF(hs_plugin_host, node_set_attr_s, 208),
	OFF(hs_plugin_host, node_set_attr_i, 216),
	OFF(hs_plugin_host, node_set_attr_f, 224),
	OFF(hs_plugin_host, node_set_attr_b, 232),
	OFF(hs_plugin_host, node_set_attr_type, 240),
	OFF(hs_plugin_host, node_set_attr_list_i, 248),
	OFF(hs_plugin_host, node_set_attr_list_type, 256),
	OFF(hs_plugin_host, node_remove_attr, 264),
	OFF(hs_plugin_host, graph_next_node, 272),
	OFF(hs_plugin_host, node_device, 280),
	OFF(hs_plugin_host, node_attr_count, 288),
	OFF(hs_plugin_host, node_attr_key, 296),
	OFF(hs_plugin_host, attr_list_string, 304),
	OFF(hs_plugin_host, parse_input, 312),
	OFF(hs_plugin_host, graph_remove_node, 320),
	OFF(hs_plugin_host, graph_rewire, 328),
	OFF(hs_plugin_host, node_set_device, 336),
	OFF(hs_plugin_host, error_last, 344),
	OFF(hs_plugin_host, node_attrs, 352),
	/* version 2 */
	OFF(hs_plugin_host, fail_str, 360),
	OFF(hs_plugin_host, warn_str, 368),

	/* Version 2 (ABI 2): the call model through functions. */
	OFF(hs_plugin_host, call_function, 376),
	OFF(hs_plugin_host, call_uuid, 384),
	OFF(hs_plugin_host, call_level, 392),
	OFF(hs_plugin_host, call_input_count, 400),
	OFF(hs_plugin_host, call_input_at, 408),
	OFF(hs_plugin_host, call_output_count, 416),
	OFF(hs_plugin_host, call_output_at, 424),
	OFF(hs_plugin_host, call_identity_count, 432),
	OFF(hs_plugin_host, call_identity, 440),
	OFF(hs_plugin_host, operand_index, 448),
	OFF(hs_plugin_host, operand_aggregation, 456),
	OFF(hs_plugin_host, operand_dtype, 464),
	OFF(hs_plugin_host, operand_count, 472),
	OFF(hs_plugin_host, operand_tensor, 480),
	OFF(hs_plugin_host, operand_identity, 488),
	OFF(hs_plugin_host, operand_kept_element, 496),
	OFF(hs_plugin_host, region_node_count, 504),
	OFF(hs_plugin_host, region_node, 512),
	OFF(hs_plugin_host, node_set_op, 520),
	OFF(hs_plugin_host, node_tensor, 528),
	OFF(hs_plugin_host, dtype_name, 536),

	/* Values plugins receive (hintstub.h, calls.h); calls, operands and
	 * regions are opaque and read through the host table. */
	SIZE(hs_str, 16),
	SIZE(hs_attr, 40),
	SIZE(hs_tensor, 16),
	OFF(hs_tensor, node, 0),
	OFF(hs_tensor, port, 8),
	SIZE(hs_plugin_option, 40),
	OFF(hs_plugin_option, key, 0),
	OFF(hs_plugin_option, default_value, 8),
	OFF(hs_plugin_option, help, 16),
	SIZE(hs_tensor_view, 104),
	OFF(hs_tensor_view, dtype, 0),
	OFF(hs_tensor_view, rank, 8),
	OFF(hs_tensor_view, dims, 16),
	OFF(hs_tensor_view, elements, 80),
	OFF(hs_tensor_view, size, 88),
	OFF(hs_tensor_view, data, 96),
};
#define N_LAYOUTS (sizeof layouts / sizeof layouts[0])

/* The callbacks' types are ABI too: check and emit carry the claim (ABI
 * 2.0 grew them before any release rather than add second variants). */
#define SAME_TYPE(a, b) __builtin_types_compatible_p(__typeof__(a), b)
_Static_assert(SAME_TYPE(((hs_plugin_desc *)0)->check,
			 int (*)(void *, const hs_plugin_host *, const hs_graph *,
				 const hs_call *, const hs_region *, size_t, char *,
				 size_t, void **)),
	       "check's signature is ABI");
_Static_assert(SAME_TYPE(((hs_plugin_desc *)0)->emit,
			 int (*)(void *, const hs_plugin_host *, hs_graph *,
				 const hs_call *, const hs_region *, hs_node *, void *)),
	       "emit's signature is ABI");
_Static_assert(SAME_TYPE(((hs_plugin_desc *)0)->free_claim, void (*)(void *, void *)),
	       "free_claim's signature is ABI");
_Static_assert(SAME_TYPE(((hs_plugin_desc *)0)->evaluate,
			 int (*)(void *, const hs_plugin_host *, const hs_plugin_eval *)),
	       "evaluate's signature is ABI");
_Static_assert(SAME_TYPE(((hs_plugin_eval *)0)->builtin,
			 int (*)(const char *, const hs_node *, const hs_value *const *,
				 size_t, hs_value **, size_t)),
	       "builtin's signature is ABI");
_Static_assert(SAME_TYPE(((hs_plugin_host *)0)->node_tensor,
			 int (*)(hs_tensor_view *, const hs_node *, const char *,
				 void *, size_t)),
	       "node_tensor's signature is ABI");
_Static_assert(SAME_TYPE(&hintstub_plugin_init, hs_plugin_init_fn),
	       "plugin.h declares the entry point with its type");
#else
static const layout layouts[1];
#define N_LAYOUTS 0
#endif

START_TEST(test_layouts)
{
	for (size_t i = 0; i < N_LAYOUTS; i++)
		ck_assert_msg(layouts[i].actual == layouts[i].expected,
			      "%s is %zu, pinned at %zu: an ABI change", layouts[i].what,
			      layouts[i].actual, layouts[i].expected);
}
END_TEST

START_TEST(test_versions)
{
	/* Bump these deliberately, together with the tables above. */
	ck_assert_int_eq(HS_PLUGIN_ABI_MAJOR, 2);
	ck_assert_int_eq(HS_PLUGIN_ABI_MINOR, 1);
	ck_assert_int_eq(HS_PLUGIN_HOST_VERSION, 2);
	ck_assert_str_eq(HS_PLUGIN_ENTRY, "hintstub_plugin_init");
	ck_assert_int_eq(HS_AGG_ANY, -1);
	ck_assert_int_eq(HS_ARG_REQUIRED, 1);
	ck_assert_int_eq(HS_SIG_CLOSED, 1);
	ck_assert_int_eq(HS_CHECK_CLAIM, 1);
	ck_assert_int_eq(HS_CHECK_DECLINE, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("abi");
	TCase *t = tcase_create("layout");
	tcase_add_test(t, test_layouts);
	tcase_add_test(t, test_versions);
	suite_add_tcase(s, t);
	return tu_run(s);
}
