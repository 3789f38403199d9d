/* What protobuf's own parsers accept, hintstub accepts too (issue 13, item
 * 10): unknown fields encoded as groups (wire types 3 and 4, nested
 * groups included) are skipped and kept byte for byte, and a 10-byte
 * varint whose last byte carries bits past 64 is read as protobuf reads
 * it (those bits dropped).  What protobuf refuses stays refused, with the
 * byte offset: an end-group without its start, one closing another group,
 * a group never closed, groups nested deeper than protobuf's recursion
 * limit, a varint of 11 bytes.  tests/cli/cli_messages.sh checks the same
 * bytes against Debian's python3-protobuf. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "wire.h"

typedef struct bytes {
	uint8_t b[4096];
	size_t n;
} bytes;

static void put(bytes *o, const void *p, size_t n)
{
	ck_assert_uint_le(o->n + n, sizeof o->b);
	memcpy(o->b + o->n, p, n);
	o->n += n;
}

static void put_varint(bytes *o, uint64_t v)
{
	uint8_t tmp[HS_VARINT_MAX];
	put(o, tmp, hs_varint_encode(tmp, v));
}

static void put_tag(bytes *o, uint32_t number, uint32_t type)
{
	put_varint(o, (uint64_t)number << 3 | type);
}

static void put_len(bytes *o, uint32_t number, const bytes *payload)
{
	put_tag(o, number, HS_WT_LEN);
	put_varint(o, payload->n);
	put(o, payload->b, payload->n);
}

static void put_str(bytes *o, uint32_t number, const char *s)
{
	bytes p = { .n = 0 };
	put(&p, s, strlen(s));
	put_len(o, number, &p);
}

/* Field 7 as a group holding a varint, a string and a nested group 8. */
static void put_unknown_group(bytes *o)
{
	put_tag(o, 7, HS_WT_SGROUP);
	put_tag(o, 1, HS_WT_VARINT);
	put_varint(o, 5);
	put_str(o, 2, "inside");
	put_tag(o, 8, HS_WT_SGROUP);
	put_tag(o, 1, HS_WT_I32);
	put(o, "\1\2\3\4", 4);
	put_tag(o, 8, HS_WT_EGROUP);
	put_tag(o, 7, HS_WT_EGROUP);
}

/* A varint of 10 bytes whose last byte is 0x7f: protobuf reads 2^63 (the
 * bits past 64 dropped); hintstub refused any last byte above 1. */
static const uint8_t long_varint[10] = { 0x80, 0x80, 0x80, 0x80, 0x80,
					 0x80, 0x80, 0x80, 0x80, 0x7f };

/* node { name: "a" op: "Const" attr { key: "v" value { i: <long varint> } }
 *        <unknown group 99> }
 * <unknown group 100>  versions { producer: <long varint> } */
static bytes graph_with_groups(void)
{
	bytes node = { .n = 0 }, value = { .n = 0 }, entry = { .n = 0 }, g = { .n = 0 };
	bytes versions = { .n = 0 };
	put_tag(&value, 3, HS_WT_VARINT);
	put(&value, long_varint, sizeof long_varint);
	put_str(&entry, 1, "v");
	put_len(&entry, 2, &value);
	put_str(&node, 1, "a");
	put_str(&node, 2, "Const");
	put_len(&node, 5, &entry);
	bytes group = { .n = 0 };
	put_unknown_group(&group);
	/* the same group as field 99 of the node: renumber its outer tags */
	put_tag(&node, 99, HS_WT_SGROUP);
	put(&node, group.b + 1, group.n - 2);
	put_tag(&node, 99, HS_WT_EGROUP);
	put_len(&g, 1, &node);
	put_tag(&g, 100, HS_WT_SGROUP);
	put(&g, group.b + 1, group.n - 2);
	put_tag(&g, 100, HS_WT_EGROUP);
	put_tag(&versions, 1, HS_WT_VARINT);
	put(&versions, long_varint, sizeof long_varint);
	put_len(&g, 4, &versions);
	return g;
}

START_TEST(test_unknown_groups_and_long_varints_load_and_round_trip)
{
	bytes in = graph_with_groups();
	hs_graph *g = NULL;
	int rc = hs_graph_load_buffer(&g, in.b, in.n, "groups.pb", NULL);
	ck_assert_msg(rc == HS_OK, "%s", hs_error_last());
	ck_assert_uint_eq(hs_graph_node_count(g), 1);
	hs_node *a = hs_graph_find_node(g, "a", 1);
	ck_assert_ptr_nonnull(a);
	hs_attr v;
	ck_assert_int_eq(hs_node_attr(&v, a, "v"), HS_OK);
	ck_assert_int_eq(v.kind, HS_ATTR_I);
	ck_assert(v.v.i == INT64_MIN); /* 2^63 as an int64, as protobuf reads it */
	void *out = NULL;
	size_t n = 0;
	ck_assert_int_eq(hs_graph_write_buffer(&out, &n, g), HS_OK);
	ck_assert_uint_eq(n, in.n); /* nothing changed: the same bytes */
	ck_assert_int_eq(memcmp(out, in.b, n), 0);
	hs_free(out);
	hs_graph_free(g);
}
END_TEST

static void assert_refused(const bytes *in, const char *message)
{
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, in->b, in->n, "bad.pb", NULL), HS_EPARSE);
	ck_assert_ptr_null(g);
	ck_assert_str_eq(hs_error_last(), message);
}

START_TEST(test_what_protobuf_refuses_stays_refused)
{
	bytes b = { .n = 0 };
	put_tag(&b, 100, HS_WT_EGROUP);
	assert_refused(&b, "bad.pb: not a GraphDef: end-group without a matching start-group at byte 0");

	b.n = 0;
	put_tag(&b, 100, HS_WT_SGROUP);
	put_tag(&b, 101, HS_WT_EGROUP);
	assert_refused(&b, "bad.pb: not a GraphDef: end-group without a matching start-group at byte 0");

	b.n = 0;
	put_tag(&b, 100, HS_WT_SGROUP);
	put_tag(&b, 1, HS_WT_VARINT);
	put_varint(&b, 1);
	assert_refused(&b, "bad.pb: truncated GraphDef: the field at byte 0 runs past the end of the input (4 bytes)");

	b.n = 0;
	for (int i = 0; i <= HS_WIRE_MAX_GROUP_DEPTH; i++)
		put_tag(&b, 100, HS_WT_SGROUP);
	for (int i = 0; i <= HS_WIRE_MAX_GROUP_DEPTH; i++)
		put_tag(&b, 100, HS_WT_EGROUP);
	assert_refused(&b, "bad.pb: not a GraphDef: groups nested deeper than 100 at byte 0");

	/* 100 levels are what protobuf takes. */
	b.n = 0;
	for (int i = 0; i < HS_WIRE_MAX_GROUP_DEPTH; i++)
		put_tag(&b, 100, HS_WT_SGROUP);
	for (int i = 0; i < HS_WIRE_MAX_GROUP_DEPTH; i++)
		put_tag(&b, 100, HS_WT_EGROUP);
	hs_graph *g = NULL;
	ck_assert_int_eq(hs_graph_load_buffer(&g, b.b, b.n, "deep.pb", NULL), HS_OK);
	hs_graph_free(g);

	/* A varint of 11 bytes: no protobuf parser reads it. */
	b.n = 0;
	put_tag(&b, 3, HS_WT_VARINT);
	for (int i = 0; i < 10; i++)
		put(&b, "\x80", 1);
	put(&b, "\x01", 1);
	assert_refused(&b, "bad.pb: not a GraphDef: malformed varint at byte 0");

	/* A known field as a group is still the wrong wire type. */
	b.n = 0;
	put_tag(&b, 1, HS_WT_SGROUP);
	put_tag(&b, 1, HS_WT_EGROUP);
	assert_refused(&b, "bad.pb: not a GraphDef: field 'node' has a wrong wire type at byte 0");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("wire_compat");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_unknown_groups_and_long_varints_load_and_round_trip);
	tcase_add_test(tc, test_what_protobuf_refuses_stays_refused);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
