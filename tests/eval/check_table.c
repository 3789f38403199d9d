/* The kernel table (core/eval/kernels.c): each family sorted, as the
 * binary search needs, and no op in two families; every required op of
 * issue 10 has a kernel. */
#include <config.h>

#include <check.h>
#include <string.h>

#include "run.h"
#include "eval_internal.h"

START_TEST(test_sorted_and_unique)
{
	for (size_t f = 0; hs_kernel_families[f]; f++) {
		const hs_kernel_family *fam = hs_kernel_families[f];
		ck_assert_uint_gt(fam->count, 0);
		for (size_t i = 1; i < fam->count; i++)
			ck_assert_msg(strcmp(fam->defs[i - 1].op, fam->defs[i].op) < 0,
				      "family %s: '%s' is not before '%s'", fam->name,
				      fam->defs[i - 1].op, fam->defs[i].op);
		for (size_t g = f + 1; hs_kernel_families[g]; g++)
			for (size_t i = 0; i < fam->count; i++)
				for (size_t j = 0; j < hs_kernel_families[g]->count; j++)
					ck_assert_msg(strcmp(fam->defs[i].op,
							     hs_kernel_families[g]->defs[j].op),
						      "op %s is in families %s and %s", fam->defs[i].op,
						      fam->name, hs_kernel_families[g]->name);
	}
}
END_TEST

START_TEST(test_required_ops)
{
	static const char *const ops[] = {
		"Const", "Placeholder", "PlaceholderWithDefault", "Identity", "MatMul", "BiasAdd",
		"Add", "AddV2", "Sub", "Mul", "Neg", "Maximum", "Minimum", "Sigmoid", "Tanh", "Relu",
		"Relu6", "Softmax", "ConcatV2", "Split", "SplitV", "Pack", "Unpack", "Reshape",
		"ExpandDims", "Squeeze", "Transpose", "ReverseV2", "Slice", "StridedSlice", "Shape",
		"Fill", "ZerosLike", "Range", "Less", "LogicalAnd", "Select", "Cast", "NoOp", "While",
		"StatelessWhile", "TensorListReserve", "TensorListFromTensor", "TensorListGetItem",
		"TensorListSetItem", "TensorListStack",
	};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		ck_assert_msg(hs_kernel_find((hs_str){ ops[i], strlen(ops[i]) }) != NULL,
			      "no kernel for %s", ops[i]);
	ck_assert_ptr_null(hs_kernel_find((hs_str){ "Frobnicate", 10 }));
	/* The length counts: "Add" is not "AddN"'s prefix match. */
	ck_assert_ptr_null(hs_kernel_find((hs_str){ "AddV", 4 }));
	ck_assert_ptr_null(hs_kernel_find((hs_str){ "", 0 }));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("table");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, test_sorted_and_unique);
	tcase_add_test(tc, test_required_ops);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
