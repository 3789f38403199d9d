/* Command-line resource limits: parsing sizes and counts, checked for
 * overflow, into hs_load_options. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "cli.h"

/* "123", "64K", "512M", "8G", "1T" (powers of 1024).  0 is refused: it
 * would mean "the default" to the library. */
static int parse_size(uint64_t *out, const char *text, uint64_t max)
{
	const char *p = text;
	char *end;
	if (!isdigit((unsigned char)*p))
		return -1;
	errno = 0;
	unsigned long long v = strtoull(p, &end, 10);
	if (errno == ERANGE)
		return -1;
	unsigned shift = 0;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	default: return -1;
	}
	if (*end != '\0' || v == 0)
		return -1;
	if (v > (UINT64_MAX >> shift) || (v << shift) > max)
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

int cli_set_limit(hs_load_options *o, int which, const char *text)
{
	uint64_t v;
	switch (which) {
	case CLI_MAX_FILE_SIZE:
		if (parse_size(&v, text, UINT64_MAX) != 0)
			goto bad;
		o->max_file_size = v;
		return 0;
	case CLI_MAX_NODES:
		if (parse_size(&v, text, UINT32_MAX - 1) != 0)
			goto bad;
		o->max_nodes = v;
		return 0;
	case CLI_MAX_DEPTH:
		if (parse_size(&v, text, CLI_DEPTH_CEILING) != 0)
			goto bad;
		o->max_depth = (uint32_t)v;
		return 0;
	}
bad:
	cli_error("invalid %s value '%s' (%s)",
		  which == CLI_MAX_FILE_SIZE ? "--max-file-size" :
		  which == CLI_MAX_NODES ? "--max-nodes" : "--max-depth",
		  text,
		  which == CLI_MAX_FILE_SIZE ? "a byte count such as 512M or 8G" :
		  which == CLI_MAX_NODES ? "a count from 1 to 4294967294" :
		  "a depth from 1 to " CLI_STR(CLI_DEPTH_CEILING));
	return -1;
}

int cli_parse_max_memory(unsigned long long *bytes, const char *text)
{
	uint64_t v;
	if (parse_size(&v, text, UINT64_MAX) != 0) {
		cli_error("invalid --max-memory value '%s' (a byte count such as 512M or 8G)",
			  text);
		return -1;
	}
	*bytes = v;
	return 0;
}

/* --max-memory is the kernel's address-space limit, set by the program:
 * it bounds every allocation of the run (the graph, protobuf-c, plugins,
 * libc) with no bookkeeping in the library, which must never change
 * process-wide state.  Allocations past it fail and the library reports
 * "out of memory".  It counts mappings, not use: code and stacks count
 * too, and sanitizer builds (which reserve terabytes) cannot run under it. */
int cli_apply_max_memory(unsigned long long bytes)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_AS, &rl) != 0)
		rl.rlim_max = RLIM_INFINITY;
	if (rl.rlim_max != RLIM_INFINITY && bytes > rl.rlim_max)
		bytes = rl.rlim_max;
	rl.rlim_cur = (rlim_t)bytes;
	if (setrlimit(RLIMIT_AS, &rl) != 0) {
		cli_error("--max-memory: cannot set the limit: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* What the converter requires of its input beyond loading: something to
 * convert (an empty file is a valid empty GraphDef on the wire, but in a
 * pipeline it is almost always a failed earlier step), and a graph that
 * verifies (no dangling input, no cycle). */
int cli_check_input(const hs_graph *g, int allow_empty)
{
	/* Counted only for a graph of no node: serializing a million nodes
	 * to learn the size is not 0 costs a tenth of a conversion. */
	if (!allow_empty && hs_graph_node_count(g) == 0 && hs_graph_serialized_size(g) == 0) {
		cli_error("%s: empty input: not a GraphDef (--allow-empty accepts it)",
			  hs_graph_source(g));
		return -1;
	}
	if (hs_graph_verify(g) != HS_OK) {
		cli_error("%s: %s", hs_graph_source(g), hs_error_last());
		return -1;
	}
	return 0;
}
