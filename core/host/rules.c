/* Rule files (doc/rules.md): which plugins convert calls, in what order,
 * with which options, and what happens to calls none of them claims.
 * Parsing collects statements from the file and its includes; nothing
 * touches the registry until everything parsed, loaded and ordered. */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "grow.h"
#include "registry_internal.h"

#define RULES_MAX_INCLUDE_DEPTH 16
/* Distinct files one rule file may read, includes and drop-ins counted. */
#define RULES_MAX_FILES 256
#define RULES_MAX_FILE_SIZE (1u << 20)

typedef struct loc {
	const char *file; /* owned by rules.files */
	int line, col;
} loc;

typedef struct name_ref {
	char *name;
	loc at;
} name_ref;

typedef struct rule_plugin {
	char *name;
	loc at;
	int has_priority;
	int priority;
	name_ref *before, *after;
	size_t n_before, n_after, cap_before, cap_after;
} rule_plugin;

typedef struct rule_option {
	char *plugin, *key, *value;
	loc at;
} rule_option;

typedef struct rules {
	rule_plugin *plugins;
	size_t n_plugins, cap_plugins;
	rule_option *options;
	size_t n_options, cap_options;
	char **files;          /* every file read, for loc.file */
	size_t n_files, cap_files;
	const char *stack[RULES_MAX_INCLUDE_DEPTH + 1]; /* real paths */
	size_t depth;
	const char *read[RULES_MAX_FILES]; /* real paths of the files read */
	size_t n_read;
	int unclaimed, on_failure, overlap; /* -1: not set */
} rules;

static int fail_at(loc at, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail_at(loc at, const char *fmt, ...)
{
	char where[600];
	va_list ap;
	va_start(ap, fmt);
	hs_vfail(HS_ERULES, fmt, ap);
	va_end(ap);
	snprintf(where, sizeof where, "%s:%d:%d", at.file, at.line, at.col);
	hs_error_prefix(where);
	return HS_ERULES;
}

static void rules_free(rules *rs)
{
	for (size_t i = 0; i < rs->n_plugins; i++) {
		rule_plugin *p = &rs->plugins[i];
		free(p->name);
		for (size_t k = 0; k < p->n_before; k++)
			free(p->before[k].name);
		for (size_t k = 0; k < p->n_after; k++)
			free(p->after[k].name);
		free(p->before);
		free(p->after);
	}
	for (size_t i = 0; i < rs->n_options; i++) {
		free(rs->options[i].plugin);
		free(rs->options[i].key);
		free(rs->options[i].value);
	}
	for (size_t i = 0; i < rs->n_files; i++)
		free(rs->files[i]);
	free(rs->plugins);
	free(rs->options);
	free(rs->files);
}

/* Room for one more element of the n in *arr (hs_grow: *arr and *cap
 * unchanged on failure). */
static int grow_one(void *arr, size_t *cap, size_t n, size_t elem)
{
	return hs_grow((void **)arr, cap, n + 1, elem, 4);
}

/* ------------------------------------------------------------- tokens */

typedef enum tok_kind { TOK_END, TOK_WORD, TOK_STRING, TOK_EQ, TOK_COMMA } tok_kind;

typedef struct lexer {
	const char *p, *end; /* current line */
	const char *line_start;
	loc at;              /* of the last token */
	char text[1024];
	tok_kind kind;
} lexer;

static int is_word_char(char c)
{
	return c && !strchr(" \t\r\n#=,\"", c);
}

/* Reads the next token of the line into lx->kind/text/at. */
static int next_token(lexer *lx)
{
	while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r'))
		lx->p++;
	lx->at.col = (int)(lx->p - lx->line_start) + 1;
	lx->text[0] = '\0';
	if (lx->p >= lx->end || *lx->p == '#') {
		lx->kind = TOK_END;
		return HS_OK;
	}
	char c = *lx->p;
	if (c == '=' || c == ',') {
		lx->kind = c == '=' ? TOK_EQ : TOK_COMMA;
		lx->text[0] = c;
		lx->text[1] = '\0';
		lx->p++;
		return HS_OK;
	}
	size_t n = 0;
	if (c == '"') {
		lx->p++;
		while (lx->p < lx->end && *lx->p != '"') {
			char ch = *lx->p++;
			if (ch == '\\' && lx->p < lx->end)
				ch = *lx->p++;
			if (n + 1 >= sizeof lx->text)
				return fail_at(lx->at, "string too long");
			lx->text[n++] = ch;
		}
		if (lx->p >= lx->end)
			return fail_at(lx->at, "unterminated string");
		lx->p++;
		lx->text[n] = '\0';
		lx->kind = TOK_STRING;
		return HS_OK;
	}
	while (lx->p < lx->end && is_word_char(*lx->p)) {
		if (n + 1 >= sizeof lx->text)
			return fail_at(lx->at, "word too long");
		lx->text[n++] = *lx->p++;
	}
	lx->text[n] = '\0';
	lx->kind = TOK_WORD;
	return HS_OK;
}

static int expect_value(lexer *lx, const char *what)
{
	int rc = next_token(lx);
	if (rc != HS_OK)
		return rc;
	if (lx->kind != TOK_WORD && lx->kind != TOK_STRING)
		return fail_at(lx->at, "expected %s", what);
	return HS_OK;
}

static int expect_end(lexer *lx)
{
	int rc = next_token(lx);
	if (rc == HS_OK && lx->kind != TOK_END)
		return fail_at(lx->at, "unexpected '%s' at end of statement", lx->text);
	return rc;
}

static int expect_plugin_name(lexer *lx)
{
	int rc = expect_value(lx, "a plugin name");
	if (rc == HS_OK && !hs_plugin_name_valid(lx->text))
		return fail_at(lx->at, "'%s' is not a valid plugin name ([a-z0-9_]+)",
			       lx->text);
	return rc;
}

/* ---------------------------------------------------------- statements */

static int read_file_rules(rules *rs, const char *path, loc from);
static int read_dir_rules(rules *rs, const char *dir, loc from);
static int parse_text(rules *rs, const char *text, size_t len, const char *file);

static rule_plugin *find_rule_plugin(rules *rs, const char *name)
{
	for (size_t i = 0; i < rs->n_plugins; i++)
		if (strcmp(rs->plugins[i].name, name) == 0)
			return &rs->plugins[i];
	return NULL;
}

static int parse_name_list(lexer *lx, name_ref **list, size_t *n, size_t *cap)
{
	for (;;) {
		int rc = expect_plugin_name(lx);
		if (rc != HS_OK)
			return rc;
		if ((rc = grow_one(list, cap, *n, sizeof **list)) != HS_OK)
			return rc;
		name_ref *g = *list;
		g[*n].at = lx->at;
		if (!(g[*n].name = strdup(lx->text)))
			return hs_fail(HS_ENOMEM, "out of memory");
		(*n)++;
		/* A comma continues the list. */
		const char *save = lx->p;
		if ((rc = next_token(lx)) != HS_OK)
			return rc;
		if (lx->kind != TOK_COMMA) {
			lx->p = save;
			return HS_OK;
		}
	}
}

static int parse_plugin(rules *rs, lexer *lx)
{
	int rc = expect_plugin_name(lx);
	if (rc != HS_OK)
		return rc;
	rule_plugin *dup = find_rule_plugin(rs, lx->text);
	if (dup)
		return fail_at(lx->at, "plugin %s already declared at %s:%d:%d",
			       lx->text, dup->at.file, dup->at.line, dup->at.col);
	if ((rc = grow_one(&rs->plugins, &rs->cap_plugins, rs->n_plugins,
			   sizeof *rs->plugins)) != HS_OK)
		return rc;
	rule_plugin *p = &rs->plugins[rs->n_plugins];
	memset(p, 0, sizeof *p);
	p->at = lx->at;
	if (!(p->name = strdup(lx->text)))
		return hs_fail(HS_ENOMEM, "out of memory");
	rs->n_plugins++;
	for (;;) {
		if ((rc = next_token(lx)) != HS_OK)
			return rc;
		if (lx->kind == TOK_END)
			return HS_OK;
		if (lx->kind != TOK_WORD)
			return fail_at(lx->at, "expected 'priority', 'before' or 'after', got '%s'",
				       lx->text);
		if (strcmp(lx->text, "priority") == 0) {
			if ((rc = expect_value(lx, "a priority (integer)")) != HS_OK)
				return rc;
			char *end;
			errno = 0;
			long v = strtol(lx->text, &end, 10);
			if (*end || end == lx->text || errno || v < INT_MIN / 2 ||
			    v > INT_MAX / 2)
				return fail_at(lx->at, "priority '%s' is not an integer",
					       lx->text);
			p->has_priority = 1;
			p->priority = (int)v;
		} else if (strcmp(lx->text, "before") == 0) {
			if ((rc = parse_name_list(lx, &p->before, &p->n_before, &p->cap_before)) != HS_OK)
				return rc;
		} else if (strcmp(lx->text, "after") == 0) {
			if ((rc = parse_name_list(lx, &p->after, &p->n_after, &p->cap_after)) != HS_OK)
				return rc;
		} else {
			return fail_at(lx->at, "expected 'priority', 'before' or 'after', got '%s'",
				       lx->text);
		}
	}
}

static int parse_option(rules *rs, lexer *lx)
{
	int rc = expect_value(lx, "PLUGIN.KEY");
	if (rc != HS_OK)
		return rc;
	loc at = lx->at;
	char *dot = strchr(lx->text, '.');
	if (!dot || dot == lx->text || !dot[1])
		return fail_at(at, "expected PLUGIN.KEY, got '%s'", lx->text);
	*dot = '\0';
	if (!hs_plugin_name_valid(lx->text))
		return fail_at(at, "'%s' is not a valid plugin name ([a-z0-9_]+)",
			       lx->text);
	rule_option o = { .at = at };
	o.plugin = strdup(lx->text);
	o.key = strdup(dot + 1);
	if ((rc = next_token(lx)) == HS_OK && lx->kind != TOK_EQ)
		rc = fail_at(lx->at, "expected '=' after %s.%s", o.plugin, o.key);
	if (rc == HS_OK)
		rc = expect_value(lx, "a value");
	if (rc == HS_OK)
		o.value = strdup(lx->text);
	if (rc == HS_OK)
		rc = expect_end(lx);
	if (rc == HS_OK)
		rc = grow_one(&rs->options, &rs->cap_options, rs->n_options,
			      sizeof *rs->options);
	if (rc == HS_OK && (!o.plugin || !o.key || !o.value))
		rc = hs_fail(HS_ENOMEM, "out of memory");
	if (rc != HS_OK) {
		free(o.plugin);
		free(o.key);
		free(o.value);
		return rc;
	}
	rs->options[rs->n_options++] = o;
	return HS_OK;
}

static int parse_choice(lexer *lx, int *out, const char *stmt,
			const char *const *words)
{
	int rc = expect_value(lx, "a policy");
	if (rc != HS_OK)
		return rc;
	for (int i = 0; words[i]; i++)
		if (strcmp(lx->text, words[i]) == 0) {
			*out = i;
			return expect_end(lx);
		}
	char list[200] = "";
	for (int i = 0; words[i]; i++) {
		strcat(list, i ? ", " : "");
		strcat(list, words[i]);
	}
	return fail_at(lx->at, "unknown %s policy '%s' (expected %s)", stmt,
		       lx->text, list);
}

/* Where `include <NAME>` looks: HINTSTUB_RULES_DIR, else the installed
 * rules directory (configure's rulesdir). */
static const char *system_rules_dir(void)
{
	const char *env = getenv("HINTSTUB_RULES_DIR");
	return env && *env ? env : HS_RULESDIR;
}

/* The file an include names: <NAME> in the system rules directory, an
 * absolute name as it is, anything else beside the including file. */
static int include_target(char *target, size_t size, const lexer *lx,
			  const char *file)
{
	const char *name = lx->text;
	size_t len = strlen(name);
	int n;
	if (name[0] == '<') {
		if (len < 3 || name[len - 1] != '>' || name[1] == '/')
			return fail_at(lx->at, "include <%s: expected <NAME>, a name in the rules directory %s",
				       name + 1, system_rules_dir());
		n = snprintf(target, size, "%s/%.*s", system_rules_dir(),
			     (int)(len - 2), name + 1);
	} else {
		const char *slash = strrchr(file, '/');
		if (name[0] == '/' || !slash)
			n = snprintf(target, size, "%s", name);
		else
			n = snprintf(target, size, "%.*s/%s", (int)(slash - file),
				     file, name);
	}
	if (n < 0 || (size_t)n >= size)
		return fail_at(lx->at, "included file name longer than %zu bytes", size - 1);
	return HS_OK;
}

static int parse_include(rules *rs, lexer *lx, const char *file)
{
	int rc = expect_value(lx, "a file name");
	if (rc != HS_OK)
		return rc;
	loc at = lx->at;
	char target[PATH_MAX];
	if ((rc = include_target(target, sizeof target, lx, file)) != HS_OK ||
	    (rc = expect_end(lx)) != HS_OK)
		return rc;
	return read_file_rules(rs, target, at);
}

static int parse_line(rules *rs, lexer *lx, const char *file)
{
	static const char *const unclaimed_words[] = { "generic", "keep", "error", NULL };
	static const char *const failure_words[] = { "skip", "abort", NULL };
	static const char *const overlap_words[] = { "priority", "error", NULL };
	int rc = next_token(lx);
	if (rc != HS_OK || lx->kind == TOK_END)
		return rc;
	if (lx->kind != TOK_WORD)
		return fail_at(lx->at, "expected a statement, got '%s'", lx->text);
	if (strcmp(lx->text, "plugin") == 0)
		return parse_plugin(rs, lx);
	if (strcmp(lx->text, "option") == 0)
		return parse_option(rs, lx);
	if (strcmp(lx->text, "unclaimed") == 0)
		return parse_choice(lx, &rs->unclaimed, "unclaimed", unclaimed_words);
	if (strcmp(lx->text, "on-failure") == 0)
		return parse_choice(lx, &rs->on_failure, "on-failure", failure_words);
	if (strcmp(lx->text, "overlap") == 0)
		return parse_choice(lx, &rs->overlap, "overlap", overlap_words);
	if (strcmp(lx->text, "include") == 0)
		return parse_include(rs, lx, file);
	return fail_at(lx->at, "unknown statement '%s'", lx->text);
}

static int parse_text(rules *rs, const char *text, size_t len, const char *file)
{
	lexer lx = { .at = { .file = file, .line = 0 } };
	const char *p = text, *end = text + len;
	/* A UTF-8 byte-order mark (editors on Windows write one) is no text:
	 * skipped, so columns count from the first character one sees. */
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		lx.at.line++;
		lx.p = lx.line_start = p;
		lx.end = eol;
		if (memchr(p, '\0', (size_t)(eol - p))) {
			lx.at.col = (int)((const char *)memchr(p, '\0', (size_t)(eol - p)) - p) + 1;
			return fail_at(lx.at, "NUL byte in rule file");
		}
		int rc = parse_line(rs, &lx, file);
		if (rc != HS_OK)
			return rc;
		p = eol + 1;
	}
	return HS_OK;
}

static const char *keep_file_name(rules *rs, const char *name)
{
	if (grow_one(&rs->files, &rs->cap_files, rs->n_files, sizeof *rs->files))
		return NULL;
	if (!(rs->files[rs->n_files] = strdup(name)))
		return NULL;
	return rs->files[rs->n_files++];
}

/* Reads and parses one file; `from` is the include statement (file NULL
 * for the top-level file). */
static int read_file_rules(rules *rs, const char *path, loc from)
{
	char real[PATH_MAX];
	/* Only regular files: a FIFO or terminal (include "/dev/stdin") would
	 * block the conversion forever.  O_NONBLOCK keeps open() itself from
	 * waiting for a FIFO's writer.  A directory reads as EISDIR. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		if (from.file)
			return read_dir_rules(rs, path, from);
		fd = -1;
		errno = EISDIR;
	} else if (fd >= 0 && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		close(fd);
		if (from.file)
			return fail_at(from, "included file %s is not a regular file", path);
		return hs_fail(HS_ERULES, "%s: rule file is not a regular file", path);
	}
	FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
	if (!f) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		if (from.file)
			return fail_at(from, "cannot open included file %s: %s", path,
				       strerror(e));
		return hs_fail(HS_EIO, "%s: cannot open rule file: %s", path,
			       strerror(e));
	}
	if (!realpath(path, real))
		snprintf(real, sizeof real, "%s", path);
	for (size_t i = 0; i < rs->depth; i++) {
		if (strcmp(rs->stack[i], real) == 0) {
			fclose(f);
			char chain[700] = "";
			for (size_t k = i; k < rs->depth; k++) {
				strncat(chain, rs->stack[k], sizeof chain - strlen(chain) - 1);
				strncat(chain, " -> ", sizeof chain - strlen(chain) - 1);
			}
			strncat(chain, real, sizeof chain - strlen(chain) - 1);
			return fail_at(from, "include loop: %s", chain);
		}
	}
	if (rs->depth >= RULES_MAX_INCLUDE_DEPTH) {
		fclose(f);
		return fail_at(from, "includes nested deeper than %d",
			       RULES_MAX_INCLUDE_DEPTH);
	}
	/* Each file is read once, however often it is included: a second
	 * include of it (a diamond, or a file including the next ten times)
	 * adds nothing, and the reading stays linear in the files. */
	for (size_t i = 0; i < rs->n_read; i++) {
		if (strcmp(rs->read[i], real) == 0) {
			fclose(f);
			return HS_OK;
		}
	}
	if (rs->n_read >= RULES_MAX_FILES) {
		fclose(f);
		return fail_at(from, "rule files include more than %d files",
			       RULES_MAX_FILES);
	}
	char *buf = malloc(RULES_MAX_FILE_SIZE + 1);
	size_t len = buf ? fread(buf, 1, RULES_MAX_FILE_SIZE + 1, f) : 0;
	int err = ferror(f) ? errno : 0;
	fclose(f);
	if (!buf)
		return hs_fail(HS_ENOMEM, "out of memory");
	if (err || len > RULES_MAX_FILE_SIZE) {
		free(buf);
		if (err)
			return hs_fail(HS_ERULES, "%s: read error: %s", path, strerror(err));
		return hs_fail(HS_ERULES, "%s: rule file larger than 1 MiB", path);
	}
	const char *name = keep_file_name(rs, path);
	const char *real_kept = name ? keep_file_name(rs, real) : NULL;
	if (!real_kept) {
		free(buf);
		return hs_fail(HS_ENOMEM, "out of memory");
	}
	rs->stack[rs->depth++] = real_kept;
	rs->read[rs->n_read++] = real_kept;
	int rc = parse_text(rs, buf, len, name);
	rs->depth--;
	free(buf);
	return rc;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A drop-in directory: its NAME.rules files (none hidden), in the byte
 * order of their names, as if included one after another. */
static int read_dir_rules(rules *rs, const char *dir, loc from)
{
	DIR *d = opendir(dir);
	if (!d)
		return fail_at(from, "cannot open included directory %s: %s", dir,
			       strerror(errno));
	char *names[RULES_MAX_FILES + 1];
	size_t n = 0;
	int rc = HS_OK;
	struct dirent *e;
	while (rc == HS_OK && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len <= 6 ||
		    strcmp(e->d_name + len - 6, ".rules") != 0)
			continue;
		if (n == RULES_MAX_FILES)
			rc = fail_at(from, "included directory %s holds more than %d rule files",
				     dir, RULES_MAX_FILES);
		else if (!(names[n++] = strdup(e->d_name)))
			rc = hs_fail(HS_ENOMEM, "out of memory");
	}
	closedir(d);
	if (rc == HS_OK)
		qsort(names, n, sizeof *names, cmp_name);
	for (size_t i = 0; i < n && rc == HS_OK; i++) {
		char path[PATH_MAX];
		int len = snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		rc = len >= 0 && (size_t)len < sizeof path
			     ? read_file_rules(rs, path, from)
			     : fail_at(from, "included file name longer than %zu bytes",
				       sizeof path - 1);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	return rc;
}

/* ------------------------------------------------------------- commit */

typedef struct node {
	hs_plugin_rt *p;
	rule_plugin *rule;  /* NULL: loaded outside the rules */
	int fresh;          /* loaded by this rule file */
	size_t rank;        /* declaration position */
	int priority;       /* the rule's, else the plugin's */
} node;

static size_t node_index(node *nodes, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(nodes[i].p->name, name) == 0)
			return i;
	return n;
}

/* Is there an edge a -> b (a must come before b)? */
static int edge(node *nodes, size_t n, size_t a, size_t b)
{
	const rule_plugin *ra = nodes[a].rule, *rb = nodes[b].rule;
	for (size_t k = 0; ra && k < ra->n_before; k++)
		if (strcmp(ra->before[k].name, nodes[b].p->name) == 0)
			return 1;
	for (size_t k = 0; rb && k < rb->n_after; k++)
		if (strcmp(rb->after[k].name, nodes[a].p->name) == 0)
			return 1;
	(void)n;
	return 0;
}

static int better(const node *a, const node *b)
{
	if (a->priority != b->priority)
		return a->priority > b->priority;
	return a->rank < b->rank;
}

/* Names the cycle through `start` found by following predecessors:
 * printed forwards ("a -> b -> a" means a before b before a), starting at
 * its earliest-declared plugin, located at that plugin's statement. */
static int report_cycle(node *nodes, size_t n, const int *placed, size_t start)
{
	size_t *path = calloc(n + 1, sizeof *path);
	if (!path)
		return hs_fail(HS_ENOMEM, "out of memory");
	size_t len = 0, cur = start, from = 0;
	for (;;) {
		size_t k;
		for (k = 0; k < len && path[k] != cur; k++)
			;
		if (k < len) {
			from = k;
			break;
		}
		path[len++] = cur;
		for (k = 0; k < n; k++)
			if (!placed[k] && edge(nodes, n, k, cur))
				break;
		cur = k;
	}
	/* path[from..len) runs against the edges. */
	size_t first = len - 1;
	for (size_t k = from; k < len; k++)
		if (nodes[path[k]].rank < nodes[path[first]].rank)
			first = k;
	char chain[700] = "";
	size_t m = len - from;
	for (size_t step = 0; step <= m; step++) {
		size_t k = from + (first - from + m - step % m) % m;
		if (step)
			strncat(chain, " -> ", sizeof chain - strlen(chain) - 1);
		strncat(chain, nodes[path[k]].p->name, sizeof chain - strlen(chain) - 1);
	}
	loc at = nodes[path[first]].rule->at;
	free(path);
	return fail_at(at, "before/after constraints form a cycle: %s", chain);
}

static size_t best_of(node *nodes, size_t n, const int *placed, size_t succ)
{
	size_t best = n;
	for (size_t i = 0; i < n; i++)
		if (!placed[i] && (succ == n || edge(nodes, n, i, succ)) &&
		    (best == n || better(&nodes[i], &nodes[best])))
			best = i;
	return best;
}

/* Orders nodes: higher priority first, then declaration order, moving a
 * plugin only as far as its before/after constraints require: take the
 * best remaining plugin; while something must precede it, take the best
 * of those instead. */
static int order_nodes(hs_plugin_rt **out, node *nodes, size_t n)
{
	int *placed = calloc(n ? n : 1, sizeof *placed);
	int *seen = calloc(n ? n : 1, sizeof *seen);
	if (!placed || !seen) {
		free(placed);
		free(seen);
		return hs_fail(HS_ENOMEM, "out of memory");
	}
	for (size_t done = 0; done < n; done++) {
		memset(seen, 0, n * sizeof *seen);
		size_t cur = best_of(nodes, n, placed, n);
		for (;;) {
			if (seen[cur]) {
				int rc = report_cycle(nodes, n, placed, cur);
				free(placed);
				free(seen);
				return rc;
			}
			seen[cur] = 1;
			size_t pred = best_of(nodes, n, placed, cur);
			if (pred == n)
				break;
			cur = pred;
		}
		placed[cur] = 1;
		out[done] = nodes[cur].p;
	}
	free(placed);
	free(seen);
	return HS_OK;
}

static int check_refs(rules *rs, const hs_registry *r, const name_ref *refs,
		      size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (!find_rule_plugin(rs, refs[k].name) &&
		    !hs_registry_lookup(r, refs[k].name))
			return fail_at(refs[k].at, "unknown plugin '%s' (not declared by a plugin statement)",
				       refs[k].name);
	return HS_OK;
}

static int commit(hs_registry *r, rules *rs)
{
	size_t cap = r->n_plugins + rs->n_plugins;
	node *nodes = calloc(cap ? cap : 1, sizeof *nodes);
	hs_plugin_rt **ordered = calloc(cap ? cap : 1, sizeof *ordered);
	size_t n = 0;
	int rc = nodes && ordered ? HS_OK : hs_fail(HS_ENOMEM, "out of memory");
	/* Plugins in the rules, loaded (or found loaded) in rule order. */
	for (size_t i = 0; rc == HS_OK && i < rs->n_plugins; i++) {
		rule_plugin *rp = &rs->plugins[i];
		rc = check_refs(rs, r, rp->before, rp->n_before);
		if (rc == HS_OK)
			rc = check_refs(rs, r, rp->after, rp->n_after);
		if (rc != HS_OK || !hs_registry_selected(r, rp->name))
			continue;
		hs_plugin_rt *p = hs_registry_lookup(r, rp->name);
		int fresh = 0;
		if (!p) {
			rc = hs_registry_open_plugin(&p, r, rp->name);
			if (rc != HS_OK) {
				char msg[900];
				snprintf(msg, sizeof msg, "%s", hs_error_last());
				rc = fail_at(rp->at, "%s", msg);
				break;
			}
			fresh = 1;
		}
		nodes[n++] = (node){ .p = p, .rule = rp, .fresh = fresh, .rank = i,
				     .priority = rp->has_priority ? rp->priority
								  : p->priority };
	}
	/* Ordered before anything of a loaded plugin changes: a constraint
	 * cycle must leave the registry as it was. */
	if (rc == HS_OK)
		rc = order_nodes(ordered, nodes, n);
	/* Options, on a copy of nothing: they apply to the plugins directly,
	 * fresh ones first so a failure leaves old plugins untouched as far
	 * as possible. */
	for (size_t i = 0; rc == HS_OK && i < rs->n_options; i++) {
		rule_option *o = &rs->options[i];
		size_t k = node_index(nodes, n, o->plugin);
		if (k == n) {
			if (find_rule_plugin(rs, o->plugin) &&
			    !hs_registry_selected(r, o->plugin))
				continue; /* declared but not selected */
			hs_plugin_rt *loaded = hs_registry_lookup(r, o->plugin);
			if (!loaded) {
				rc = fail_at(o->at, "option for unknown plugin '%s'", o->plugin);
				break;
			}
			rc = hs_plugin_set_option(loaded, o->key, o->value);
		} else {
			rc = hs_plugin_set_option(nodes[k].p, o->key, o->value);
		}
		if (rc != HS_OK) {
			char msg[900];
			snprintf(msg, sizeof msg, "%s", hs_error_last());
			rc = fail_at(o->at, "%s", msg);
		}
	}
	if (rc == HS_OK) {
		for (size_t i = 0; i < n; i++)
			nodes[i].p->priority = nodes[i].priority;
		/* Plugins loaded outside the rules keep their places after. */
		size_t m = n;
		for (size_t i = 0; i < r->n_plugins; i++)
			if (node_index(nodes, n, r->plugins[i]->name) == n)
				ordered[m++] = r->plugins[i];
		for (size_t i = 0; i < n; i++)
			if (nodes[i].fresh)
				nodes[i].p->decl = r->next_decl++;
		free(r->plugins);
		r->plugins = ordered;
		r->n_plugins = m;
		r->cap_plugins = cap ? cap : 1;
		ordered = NULL;
		if (rs->unclaimed >= 0)
			r->unclaimed = (hs_unclaimed_policy)rs->unclaimed;
		if (rs->on_failure >= 0)
			r->on_failure = (hs_failure_policy)rs->on_failure;
		if (rs->overlap >= 0)
			r->overlap = (hs_overlap_policy)rs->overlap;
	} else {
		for (size_t i = 0; nodes && i < n; i++)
			if (nodes[i].fresh)
				hs_plugin_close(nodes[i].p);
	}
	free(ordered);
	free(nodes);
	return rc;
}

static void rules_init(rules *rs)
{
	memset(rs, 0, sizeof *rs);
	rs->unclaimed = rs->on_failure = rs->overlap = -1;
}

int hs_registry_load_rules(hs_registry *r, const char *path)
{
	if (!r || !path)
		return hs_fail(HS_EINVAL, "hs_registry_load_rules: NULL argument");
	rules rs;
	rules_init(&rs);
	int rc = read_file_rules(&rs, path, (loc){ 0 });
	if (rc == HS_OK)
		rc = commit(r, &rs);
	rules_free(&rs);
	return rc;
}

int hs_registry_load_rules_buffer(hs_registry *r, const char *text,
				  size_t len, const char *label)
{
	if (!r || (!text && len))
		return hs_fail(HS_EINVAL, "hs_registry_load_rules_buffer: NULL argument");
	rules rs;
	rules_init(&rs);
	const char *name = keep_file_name(&rs, label ? label : "<rules>");
	int rc = name ? parse_text(&rs, text, len, name)
		      : hs_fail(HS_ENOMEM, "out of memory");
	if (rc == HS_OK)
		rc = commit(r, &rs);
	rules_free(&rs);
	return rc;
}
