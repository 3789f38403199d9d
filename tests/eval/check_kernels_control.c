/* Control flow v2 and tensor lists (core/eval/kernels_control.c,
 * kernels_list.c): While loops running FunctionDefs of the library. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaltest.h"

/* cond(i, x...): i < 5 (any number of trailing arguments). */
static char *cond_fn(const char *name, const char *args, const char *limit)
{
	char lines[256];
	snprintf(lines, sizeof lines, "lim = Const i32 [] %s\nless = Less i lim:output:0", limit);
	return et_function(name, args, "out:bool=less:z:0", lines);
}

static hs_graph *with_library(const char *lines, char *f1, char *f2)
{
	size_t n = strlen(f1) + strlen(f2) + 32;
	char *lib = malloc(n);
	snprintf(lib, n, "library {\n%s%s}", f1, f2);
	hs_graph *g = et_graph(lines, lib);
	free(lib);
	free(f1);
	free(f2);
	return g;
}

/* x doubles five times: the While loop against its unrolled value. */
START_TEST(test_while)
{
	hs_graph *g = with_library(
		"i0 = Const i32 [] 0\nx0 = Const f32 [2] 1 3\n"
		"w = While i0 x0 cond=@cond body=@body\n"
		"s = StatelessWhile i0 x0 cond=@cond body=@body\n"
		"id = Identity w:1",
		cond_fn("cond", "i:i32 x:f32", "5"),
		et_function("body", "i:i32 x:f32", "i_out:i32=inc:z:0 x_out:f32=dbl:z:0",
			    "one = Const i32 [] 1\ninc = AddV2 i one:output:0\n"
			    "two = Const f32 [] 2\ndbl = Mul x two:output:0"));
	hs_value *t = et_run(g, "id", 0);
	ck_assert_msg(t != NULL, "%s", hs_error_last());
	et_expect_f(t, 1, ET_DIMS(2), ET_F(32, 96));
	hs_value_free(t);
	t = et_run(g, "w", 0);
	et_expect_i(t, HS_DT_INT32, 0, NULL, ET_I(5));
	hs_value_free(t);
	t = et_run(g, "s:1", 0);
	et_expect_f(t, 1, ET_DIMS(2), ET_F(32, 96));
	hs_value_free(t);
	hs_graph_free(g);
}
END_TEST

/* A loop that never starts gives its inputs back. */
START_TEST(test_while_zero_iterations)
{
	hs_graph *g = with_library("i0 = Const i32 [] 7\nx0 = Const f32 [1] 4\n"
				   "w = While i0 x0 cond=@cond body=@body",
				   cond_fn("cond", "i:i32 x:f32", "5"),
				   et_function("body", "i:i32 x:f32", "a:i32=bad:z:0 b:f32=bad:z:0",
					       "bad = Frobnicate i"));
	hs_value *t = et_run(g, "w:1", 0);
	ck_assert_msg(t != NULL, "%s", hs_error_last());
	et_expect_f(t, 1, ET_DIMS(1), ET_F(4));
	hs_value_free(t);
	hs_graph_free(g);
}
END_TEST

START_TEST(test_while_errors)
{
	hs_graph *g = with_library("i0 = Const i32 [] 0\nx0 = Const f32 [1] 4\n"
				   "w = While i0 x0 cond=@cond body=@body\n"
				   "v = While i0 x0 cond=@cond body=@nobody\n"
				   "u = While i0 x0 cond=@always body=@cond",
				   cond_fn("cond", "i:i32 x:f32", "5"),
				   et_function("body", "i:i32 x:f32", "a:i32=bad:z:0 b:f32=x",
					       "bad = Frobnicate i"));
	ck_assert_ptr_null(et_run(g, "w:1", 0));
	ck_assert_str_eq(hs_error_last(),
			 "node 'w' (While): function 'body': no kernel for op Frobnicate (node 'bad')");
	ck_assert_ptr_null(et_run(g, "v", 0));
	ck_assert_str_eq(hs_error_last(), "node 'v' (While): the graph's library has no function 'nobody'");
	ck_assert_ptr_null(et_run(g, "u", 0));
	ck_assert_str_eq(hs_error_last(), "node 'u' (While): the graph's library has no function 'always'");
	hs_graph_free(g);
}
END_TEST

/* A loop that never ends stops at the limit. */
START_TEST(test_while_limit)
{
	hs_graph *g = with_library("i0 = Const i32 [] 0\nw = While i0 cond=@cond body=@body",
				   cond_fn("cond", "i:i32", "5"),
				   et_function("body", "i:i32", "o:i32=i", ""));
	hs_eval_options o = HS_EVAL_OPTIONS_INIT;
	o.max_loop_iterations = 10;
	ck_assert_ptr_null(et_run_opts(g, &o, "w"));
	ck_assert_int_eq(hs_error_last_code(), HS_ELIMIT);
	ck_assert_str_eq(hs_error_last(), "node 'w' (While): the loops of this run took more than 10 iterations (the limit)");
	hs_graph_free(g);
}
END_TEST

/* A loop in a loop body: 3 x 3 inner steps add 9; the limit counts the
 * 3 outer and 9 inner iterations together. */
START_TEST(test_nested_while)
{
	char *outer = et_function("outer", "i:i32 x:f32", "i_out:i32=inc:z:0 x_out:f32=w:output:1",
				  "zero = Const i32 [] 0\n"
				  "w = While zero:output:0 x cond=@cond3 body=@inner\n"
				  "one = Const i32 [] 1\ninc = AddV2 i one:output:0");
	char *inner = et_function("inner", "i:i32 x:f32", "i_out:i32=inc:z:0 x_out:f32=add:z:0",
				  "one = Const i32 [] 1\ninc = AddV2 i one:output:0\n"
				  "f1 = Const f32 [] 1\nadd = AddV2 x f1:output:0");
	size_t n = strlen(outer) + strlen(inner) + 1;
	char *both = malloc(n);
	snprintf(both, n, "%s%s", outer, inner);
	free(outer);
	free(inner);
	hs_graph *g = with_library("i0 = Const i32 [] 0\nx0 = Const f32 [] 0\n"
				   "w = While i0 x0 cond=@cond3 body=@outer",
				   cond_fn("cond3", "i:i32 x:f32", "3"), both);
	hs_eval_options o = HS_EVAL_OPTIONS_INIT;
	o.max_loop_iterations = 12;
	hs_value *t = et_run_opts(g, &o, "w:1");
	ck_assert_msg(t != NULL, "%s", hs_error_last());
	et_expect_f(t, 0, NULL, ET_F(9));
	hs_value_free(t);
	o.max_loop_iterations = 11;
	ck_assert_ptr_null(et_run_opts(g, &o, "w:1"));
	ck_assert_str_eq(hs_error_last(), "node 'w' (While): function 'outer': node 'w' (While): the loops of this run took more than 11 iterations (the limit)");
	hs_graph_free(g);
}
END_TEST

/* dynamic_rnn's pattern: the input unstacked into a list, one item read
 * per step, results written into a reserved list, stacked at the end. */
START_TEST(test_tensor_lists)
{
	hs_graph *g = with_library(
		"es = Const i32 [1] 2\nn = Const i32 [] 3\n"
		"l0 = TensorListReserve es n element_dtype=f32\n"
		"x = Const f32 [3,2] 1 2 3 4 5 6\nxl = TensorListFromTensor x es\n"
		"i0 = Const i32 [] 0\n"
		"w = While i0 l0 xl cond=@cond body=@body\n"
		"st = TensorListStack w:1 es element_dtype=f32\n"
		"len = TensorListLength w:1\n"
		"unset = TensorListStack l0 es element_dtype=f32\n"
		"k = Const i32 [] 1\ng1 = TensorListGetItem xl k es element_dtype=f32\n"
		"k9 = Const i32 [] 9\ng9 = TensorListGetItem xl k9 es element_dtype=f32\n",
		cond_fn("cond", "i:i32 l:variant xl:variant", "3"),
		et_function("body", "i:i32 l:variant xl:variant",
			    "i_out:i32=inc:z:0 l_out:variant=set:output_handle:0 xl_out:variant=xl",
			    "es = Const i32 [1] 2\n"
			    "item = TensorListGetItem xl i es:output:0 element_dtype=f32\n"
			    "sq = Mul item:item:0 item:item:0\n"
			    "set = TensorListSetItem l i sq:z:0\n"
			    "one = Const i32 [] 1\ninc = AddV2 i one:output:0"));
	hs_value *t = et_run(g, "st", 0);
	ck_assert_msg(t != NULL, "%s", hs_error_last());
	et_expect_f(t, 2, ET_DIMS(3, 2), ET_F(1, 4, 9, 16, 25, 36));
	hs_value_free(t);
	t = et_run(g, "len", 0);
	et_expect_i(t, HS_DT_INT32, 0, NULL, ET_I(3));
	hs_value_free(t);
	/* Items never set stack as zeros of the known element shape. */
	t = et_run(g, "unset", 0);
	et_expect_f(t, 2, ET_DIMS(3, 2), ET_F(0, 0, 0, 0, 0, 0));
	hs_value_free(t);
	t = et_run(g, "g1", 0);
	et_expect_f(t, 1, ET_DIMS(2), ET_F(3, 4));
	hs_value_free(t);
	ck_assert_ptr_null(et_run(g, "g9", 0));
	ck_assert_str_eq(hs_error_last(), "node 'g9' (TensorListGetItem): index 9 is out of a list of 3 items");
	hs_graph_free(g);
}
END_TEST

START_TEST(test_if_and_call)
{
	hs_graph *g = with_library(
		"c = Const bool [] 1\nf = Const bool [] 0\nx = Const f32 [2] 1 2\n"
		"a = If c x then_branch=@neg else_branch=@dbl\n"
		"b = StatelessIf f x then_branch=@neg else_branch=@dbl\n"
		"p = PartitionedCall x f=@dbl",
		et_function("neg", "x:f32", "o:f32=n:y:0", "n = Neg x"),
		et_function("dbl", "x:f32", "o:f32=d:z:0", "d = Add x x"));
	hs_value *t = et_run(g, "a", 0);
	ck_assert_msg(t != NULL, "%s", hs_error_last());
	et_expect_f(t, 1, ET_DIMS(2), ET_F(-1, -2));
	hs_value_free(t);
	t = et_run(g, "b", 0);
	et_expect_f(t, 1, ET_DIMS(2), ET_F(2, 4));
	hs_value_free(t);
	t = et_run(g, "p", 0);
	et_expect_f(t, 1, ET_DIMS(2), ET_F(2, 4));
	hs_value_free(t);
	hs_graph_free(g);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("kernels_control");
	TCase *tc = tcase_create("control");
	tcase_add_test(tc, test_while);
	tcase_add_test(tc, test_while_zero_iterations);
	tcase_add_test(tc, test_while_errors);
	tcase_add_test(tc, test_while_limit);
	tcase_add_test(tc, test_nested_while);
	tcase_add_test(tc, test_tensor_lists);
	tcase_add_test(tc, test_if_and_call);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
