/* Prints the size and field offsets of every struct the Python package
 * declares with ctypes (python/hintstub/_lib.py), one JSON object a line:
 * the suite compares them with ctypes' own, so a field added on one side
 * only cannot go unnoticed. */
#include <stddef.h>
#include <stdio.h>

#include "hintstub/hintstub.h"
#include "hintstub/plugin.h"

#define BEGIN(T) printf("{\"struct\":\"%s\",\"size\":%zu,\"fields\":{", #T, sizeof(T))
#define FIELD(T, f, sep) printf("\"%s\":%zu%s", #f, offsetof(T, f), sep)
#define END() printf("}}\n")

int main(void)
{
	BEGIN(hs_str); FIELD(hs_str, ptr, ","); FIELD(hs_str, len, ""); END();
	BEGIN(hs_problem); FIELD(hs_problem, severity, ","); FIELD(hs_problem, code, ",");
	FIELD(hs_problem, message, ""); END();
	BEGIN(hs_load_options); FIELD(hs_load_options, version, ",");
	FIELD(hs_load_options, max_file_size, ","); FIELD(hs_load_options, max_nodes, ",");
	FIELD(hs_load_options, max_depth, ","); FIELD(hs_load_options, format, ",");
	FIELD(hs_load_options, flags, ","); FIELD(hs_load_options, reserved, ""); END();
	BEGIN(hs_discover_options); FIELD(hs_discover_options, version, ",");
	FIELD(hs_discover_options, colocation_edges, ",");
	FIELD(hs_discover_options, reserved, ""); END();
	BEGIN(hs_plan_options); FIELD(hs_plan_options, version, ",");
	FIELD(hs_plan_options, interior_escape, ",");
	FIELD(hs_plan_options, unhinted_side_input, ",");
	FIELD(hs_plan_options, input_layout, ","); FIELD(hs_plan_options, tf_exact, ",");
	FIELD(hs_plan_options, registry, ","); FIELD(hs_plan_options, explain, ",");
	FIELD(hs_plan_options, reserved, ""); END();
	BEGIN(hs_apply_options); FIELD(hs_apply_options, version, ",");
	FIELD(hs_apply_options, strip_hints, ","); FIELD(hs_apply_options, keep_pack_unpack, ",");
	FIELD(hs_apply_options, dry_run, ","); FIELD(hs_apply_options, verify_all, ",");
	FIELD(hs_apply_options, prune_library, ",");
	FIELD(hs_apply_options, reserved, ""); END();
	BEGIN(hs_convert_options); FIELD(hs_convert_options, version, ",");
	FIELD(hs_convert_options, discover, ","); FIELD(hs_convert_options, plan, ",");
	FIELD(hs_convert_options, apply, ","); FIELD(hs_convert_options, reserved, ""); END();
	BEGIN(hs_call_report); FIELD(hs_call_report, function, ",");
	FIELD(hs_call_report, uuid, ","); FIELD(hs_call_report, result, ",");
	FIELD(hs_call_report, plugin, ","); FIELD(hs_call_report, nodes_removed, ",");
	FIELD(hs_call_report, nodes_added, ","); FIELD(hs_call_report, reason, ",");
	FIELD(hs_call_report, error, ","); FIELD(hs_call_report, n_problems, ",");
	FIELD(hs_call_report, problems, ","); FIELD(hs_call_report, ordinal, ""); END();
	BEGIN(hs_plugin_arg); FIELD(hs_plugin_arg, index, ","); FIELD(hs_plugin_arg, flags, ",");
	FIELD(hs_plugin_arg, aggregation, ","); FIELD(hs_plugin_arg, dtype, ",");
	FIELD(hs_plugin_arg, reserved, ""); END();
	BEGIN(hs_plugin_signature); FIELD(hs_plugin_signature, function, ",");
	FIELD(hs_plugin_signature, level, ","); FIELD(hs_plugin_signature, flags, ",");
	FIELD(hs_plugin_signature, n_inputs, ","); FIELD(hs_plugin_signature, inputs, ",");
	FIELD(hs_plugin_signature, n_outputs, ","); FIELD(hs_plugin_signature, outputs, ",");
	FIELD(hs_plugin_signature, reserved, ""); END();
	BEGIN(hs_plugin_desc); FIELD(hs_plugin_desc, abi_major, ",");
	FIELD(hs_plugin_desc, abi_minor, ","); FIELD(hs_plugin_desc, struct_size, ",");
	FIELD(hs_plugin_desc, reserved0, ","); FIELD(hs_plugin_desc, name, ",");
	FIELD(hs_plugin_desc, version, ","); FIELD(hs_plugin_desc, description, ",");
	FIELD(hs_plugin_desc, priority, ","); FIELD(hs_plugin_desc, n_signatures, ",");
	FIELD(hs_plugin_desc, signatures, ","); FIELD(hs_plugin_desc, create, ",");
	FIELD(hs_plugin_desc, destroy, ","); FIELD(hs_plugin_desc, set_option, ",");
	FIELD(hs_plugin_desc, check, ","); FIELD(hs_plugin_desc, emit, ",");
	FIELD(hs_plugin_desc, free_claim, ","); FIELD(hs_plugin_desc, options, ",");
	FIELD(hs_plugin_desc, evaluate, ","); FIELD(hs_plugin_desc, reserved, ""); END();
	return 0;
}
