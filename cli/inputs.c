/* Inputs of run/verify/test-models: NAME=SHAPE or NAME=FILE.npy. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "evalcli.h"

/* A dimension above this is refused as a shape, before anything is
 * allocated (the evaluator bounds the element count itself). */
#define CLI_MAX_DIM 1000000000LL

static int ends_with_npy(const char *s)
{
	size_t n = strlen(s);
	return n >= 4 && strcmp(s + n - 4, ".npy") == 0;
}

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

int cli_parse_shape(size_t *rank, int64_t *dims, const char *text)
{
	const char *p = skip_space(text);
	int bracket = *p == '[';
	if (bracket)
		p = skip_space(p + 1);
	size_t r = 0;
	if (bracket && *p == ']') {
		p = skip_space(p + 1);
		*rank = 0;
		return *p ? -1 : 0;
	}
	if (!bracket && !*p)
		return -1;
	for (;;) {
		char *end;
		if (*p < '0' || *p > '9' || r == CLI_MAX_RANK)
			return -1;
		errno = 0;
		long long v = strtoll(p, &end, 10);
		if (errno || v > CLI_MAX_DIM)
			return -1;
		dims[r++] = v;
		p = skip_space(end);
		if (*p == ',') {
			p = skip_space(p + 1);
			continue;
		}
		break;
	}
	if (bracket) {
		if (*p != ']')
			return -1;
		p = skip_space(p + 1);
	}
	if (*p)
		return -1;
	*rank = r;
	return 0;
}

int cli_inputs_push(cli_inputs *in, char *name, char *npy, size_t rank,
		    const int64_t *dims)
{
	if (in->n == in->cap) {
		size_t cap = in->cap ? 2 * in->cap : 8;
		cli_input *v = realloc(in->v, cap * sizeof *v);
		if (!v) {
			free(name);
			free(npy);
			return -1;
		}
		in->v = v;
		in->cap = cap;
	}
	cli_input *e = &in->v[in->n++];
	memset(e, 0, sizeof *e);
	e->name = name;
	e->npy = npy;
	e->rank = rank;
	if (rank)
		memcpy(e->dims, dims, rank * sizeof *dims);
	return 0;
}

int cli_inputs_add_arg(cli_inputs *in, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg || !eq[1]) {
		cli_error("--input '%s': expected NAME=SHAPE (e.g. x=2,1,300) or NAME=FILE.npy",
			  arg);
		return -1;
	}
	size_t rank = 0;
	int64_t dims[CLI_MAX_RANK];
	const char *value = eq + 1;
	int npy = ends_with_npy(value);
	if (!npy && cli_parse_shape(&rank, dims, value) != 0) {
		cli_error("--input '%s': '%s' is neither a shape (at most %d dimensions of "
			  "0..%lld, e.g. 2,1,300 or [] for a scalar) nor a .npy file",
			  arg, value, CLI_MAX_RANK, CLI_MAX_DIM);
		return -1;
	}
	char *name = strndup(arg, (size_t)(eq - arg));
	char *path = npy ? strdup(value) : NULL;
	if (!name || (npy && !path)) {
		free(name);
		free(path);
		cli_error("out of memory");
		return -1;
	}
	if (cli_inputs_push(in, name, path, rank, dims) == 0)
		return 0;
	cli_error("out of memory");
	return -1;
}

void cli_inputs_free(cli_inputs *in)
{
	for (size_t i = 0; i < in->n; i++) {
		free(in->v[i].name);
		free(in->v[i].npy);
	}
	free(in->v);
	memset(in, 0, sizeof *in);
}
