#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dispatch.h"
#include "plugtest.h"
#include "testutil.h"

static char base[512];

void pt_begin(void)
{
	snprintf(base, sizeof base, "%s/tests/tmp-plugins-XXXXXX", HS_BUILD_DIR);
	if (!mkdtemp(base))
		base[0] = '\0';
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void pt_end(void)
{
	if (base[0])
		nftw(base, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *pt_tmpdir(void)
{
	char *t = malloc(strlen(base) + 16);
	sprintf(t, "%s/d-XXXXXX", base);
	if (!base[0] || !mkdtemp(t)) {
		free(t);
		return NULL;
	}
	return t;
}

void pt_call_init(pt_call *c, const char *function, const char *uuid)
{
	memset(c, 0, sizeof *c);
	c->call.function = (hs_str){ function, strlen(function) };
	c->call.uuid = (hs_str){ uuid, strlen(uuid) };
	c->call.inputs = c->in;
	c->call.outputs = c->out;
}

void pt_region(pt_call *c, const hs_graph *g, hs_node *const *nodes, size_t n)
{
	hs_region_block *b = (hs_region_block *)(void *)c->region_mem;
	ck_assert_uint_le(n, PT_MAX_REGION);
	b->g = g;
	b->cap = b->used = (uint32_t)n;
	for (size_t i = 0; i < n; i++)
		b->ids[i] = hs_node_id(nodes[i]);
	c->region = (hs_region){ b, 0, (uint32_t)n };
}

void pt_input(pt_call *c, int64_t index, hs_aggregation agg)
{
	c->in[c->call.n_inputs++] = (hs_operand){ .index = index,
						  .aggregation = agg, .count = 1 };
}

void pt_output(pt_call *c, int64_t index, hs_aggregation agg)
{
	c->out[c->call.n_outputs++] = (hs_operand){ .index = index,
						    .aggregation = agg, .count = 1 };
}

int pt_explain(const hs_registry *r, const hs_graph *g, const pt_call *c,
	       hs_explain_fn fn, void *payload)
{
	hs_claim claim;
	int rc = hs_registry_claim(&claim, r, g, &c->call, &c->region, fn, payload);
	if (rc == HS_OK)
		hs_registry_free_claim(claim.plugin, claim.data);
	return rc;
}

/* The claim the last pt_claim made, released by the next or by
 * pt_registry_free (emit may still use it until then). */
static const void *last_plugin;
static void *last_data;

static void release_last(void)
{
	hs_registry_free_claim(last_plugin, last_data);
	last_plugin = last_data = NULL;
}

int pt_claim(hs_claim *out, const hs_registry *r, const hs_graph *g, const hs_call *call,
	     const hs_region *region, hs_trail_fn trail, void *payload)
{
	release_last();
	int rc = hs_registry_claim(out, r, g, call, region, trail, payload);
	if (rc == HS_OK) {
		last_plugin = out->plugin;
		last_data = out->data;
	}
	return rc;
}

void pt_registry_free(hs_registry *r)
{
	release_last();
	hs_registry_free(r);
}

void pt_lstm_call(pt_call *c, const char *uuid, int cifg)
{
	pt_call_init(c, "UnidirectionalSequenceLstm", uuid);
	pt_input(c, 0, HS_AGG_STACK);
	for (int i = 1; i <= 8; i++)
		if (!(cifg && (i == 1 || i == 5)))
			pt_input(c, i, HS_AGG_SINGLE);
	for (int i = 12; i <= 15; i++)
		if (!(cifg && i == 12))
			pt_input(c, i, HS_AGG_SINGLE);
	pt_input(c, 18, HS_AGG_FIRST);
	pt_input(c, 19, HS_AGG_FIRST);
	pt_output(c, 1, HS_AGG_LAST);
	pt_output(c, 2, HS_AGG_STACK);
}

char *pt_stage(const char *dir, const char *which, const char *name, int mode)
{
	char src[1024];
	if (strcmp(which, "tests") == 0)
		snprintf(src, sizeof src, "%s/tests/host/plugins/.libs/%s.so", HS_BUILD_DIR, name);
	else
		snprintf(src, sizeof src, "%s/plugins/%s/.libs/%s.so", HS_BUILD_DIR, which, which);
	size_t len;
	uint8_t *data = tu_read_file(src, &len);
	if (!data)
		return NULL;
	char file[256];
	snprintf(file, sizeof file, "%s.so", name);
	char *dst = tu_path(dir, file);
	if (tu_write_file(dst, data, len) != 0 || chmod(dst, (mode_t)mode) != 0) {
		free(dst);
		dst = NULL;
	}
	free(data);
	return dst;
}

char *pt_stage_dir(const char *which, const char *const *names)
{
	char *dir = pt_tmpdir();
	for (size_t i = 0; dir && names[i]; i++)
		free(pt_stage(dir, which, names[i], 0755));
	return dir;
}
