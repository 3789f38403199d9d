/* Finding, trusting and dlopen'ing plugins.  Every failure is one line
 * naming the plugin and the cause, and leaves nothing loaded.  Depends on
 * no registry: the caller passes the search path and the host table. */
#include <config.h>

#include <dirent.h>
#include <dlfcn.h>
#include <link.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "grow.h"
#include "plugin_loader.h"
#include "suggest.h"

#ifndef HS_PLUGINDIR
#define HS_PLUGINDIR "/usr/local/lib/hintstub/plugins"
#endif

int hs_plugin_name_valid(const char *name)
{
	size_t n = 0;
	for (const char *c = name; *c; c++, n++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		      *c == '_'))
			return 0;
	return n > 0 && n <= HS_PLUGIN_NAME_MAX;
}

static int is_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static int build_sigs(hs_plugin_rt *p)
{
	const hs_plugin_desc *d = p->desc;
	/* The old table stays until the new one exists: a failure must not
	 * leave n_sigs entries behind a NULL pointer. */
	hs_sig_rt *sigs = calloc(d->n_signatures, sizeof *sigs);
	if (!sigs)
		return hs_fail(HS_ENOMEM, "out of memory");
	free(p->sigs);
	p->sigs = sigs;
	p->n_sigs = d->n_signatures;
	for (size_t i = 0; i < p->n_sigs; i++) {
		hs_sig_rt *s = &p->sigs[i];
		s->sig = &d->signatures[i];
		s->function = p->function_override ? p->function_override
						   : s->sig->function;
		s->function_len = strlen(s->function);
		s->is_glob = is_glob(s->function);
	}
	return HS_OK;
}

static int apply_option(hs_plugin_rt *p, const char *key, const char *value);

const char *hs_plugin_option_value(const hs_plugin_rt *p, const char *key)
{
	for (size_t i = 0; i < p->n_opts; i++)
		if (strcmp(p->opts[i].key, key) == 0)
			return p->opts[i].value;
	return NULL;
}

static int record_option(hs_plugin_rt *p, const char *key, const char *value)
{
	char *v = strdup(value);
	if (!v)
		return hs_fail(HS_ENOMEM, "out of memory");
	for (size_t i = 0; i < p->n_opts; i++)
		if (strcmp(p->opts[i].key, key) == 0) {
			free(p->opts[i].value);
			p->opts[i].value = v;
			return HS_OK;
		}
	int rc = hs_grow((void **)&p->opts, &p->cap_opts, p->n_opts + 1, sizeof *p->opts, 4);
	char *k = rc ? NULL : strdup(key);
	if (!k) {
		free(v);
		return rc ? rc : hs_fail(HS_ENOMEM, "out of memory");
	}
	p->opts[p->n_opts++] = (hs_option_set){ k, v };
	return HS_OK;
}

/* A key the descriptor does not declare, refused with the nearest one. */
static int unknown_option(const hs_plugin_rt *p, const char *key)
{
	const hs_plugin_option *o = p->desc->options;
	hs_nearest near;
	char list[400] = "";
	size_t used = 0;
	hs_nearest_init(&near, key, strlen(key));
	for (size_t i = 0; o[i].key; i++) {
		hs_nearest_offer(&near, o[i].key, strlen(o[i].key));
		if (used < sizeof list)
			used += (size_t)snprintf(list + used, sizeof list - used, "%s, ", o[i].key);
	}
	size_t len;
	const char *best = hs_nearest_result(&near, &len);
	if (best)
		return hs_fail(HS_ERULES, "%s: unknown option '%s' (did you mean '%.*s'?)",
			       p->name, key, (int)len, best);
	return hs_fail(HS_ERULES, "%s: unknown option '%s' (options: %sfunction)", p->name,
		       key, list);
}

static int declared(const hs_plugin_option *o, const char *key)
{
	for (size_t i = 0; o[i].key; i++)
		if (strcmp(o[i].key, key) == 0)
			return 1;
	return 0;
}

int hs_plugin_set_option(hs_plugin_rt *p, const char *key, const char *value)
{
	int rc = strcmp(key, "function") == 0 ? HS_OK
		 : p->desc->options && !declared(p->desc->options, key) ? unknown_option(p, key)
		 : HS_OK;
	if (rc == HS_OK)
		rc = apply_option(p, key, value);
	return rc == HS_OK ? record_option(p, key, value) : rc;
}

static int apply_option(hs_plugin_rt *p, const char *key, const char *value)
{
	if (strcmp(key, "function") == 0) {
		if (!*value)
			return hs_fail(HS_ERULES, "option %s.function: empty function name",
				       p->name);
		char *copy = strdup(value);
		if (!copy)
			return hs_fail(HS_ENOMEM, "out of memory");
		char *old = p->function_override;
		p->function_override = copy;
		int rc = build_sigs(p);
		if (rc != HS_OK) {
			p->function_override = old;
			free(copy);
			return rc;
		}
		free(old);
		return HS_OK;
	}
	if (!p->desc->set_option)
		return hs_fail(HS_ERULES, "plugin %s has no options (got '%s')",
			       p->name, key);
	hs_error_clear();
	hs_callback_frame saved;
	hs_callback_enter(&saved, p->name, "set_option", (hs_str){ NULL, 0 });
	int rc = p->desc->set_option(p->state, key, value);
	hs_callback_leave(&saved);
	if (rc < 0) {
		if (!*hs_error_last())
			hs_fail(HS_ERULES, "bad value for option '%s'", key);
		hs_error_prefix(p->name);
		return HS_ERULES;
	}
	return HS_OK;
}

void hs_plugin_close(hs_plugin_rt *p)
{
	if (!p)
		return;
	if (p->desc && p->desc->destroy && p->state) {
		hs_callback_frame saved;
		hs_callback_enter(&saved, p->name, "destroy", (hs_str){ NULL, 0 });
		p->desc->destroy(p->state);
		hs_callback_leave(&saved);
	}
	if (p->handle)
		dlclose(p->handle);
	for (size_t i = 0; i < p->n_opts; i++) {
		free(p->opts[i].key);
		free(p->opts[i].value);
	}
	free(p->opts);
	if (p->fd >= 0)
		close(p->fd);
	free(p->sigs);
	free(p->function_override);
	free(p->name);
	free(p->file);
	free(p);
}

/* ------------------------------------------------------ running callback */

/* Which plugin callback runs on this thread, for the CLI's crash and
 * exit() handlers (hs_plugin_running).  Fields are set before `active`
 * and cleared after it, with a signal fence, so a handler interrupting
 * the thread sees either nothing or a complete record. */
static _Thread_local hs_callback_frame running;

void hs_callback_enter(hs_callback_frame *saved, const char *plugin,
		       const char *callback, hs_str call)
{
	*saved = running;
	running.active = 0;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	running.plugin = plugin;
	running.callback = callback;
	running.call = call;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	running.active = 1;
}

void hs_callback_leave(const hs_callback_frame *saved)
{
	running.active = 0;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	running = *saved;
}

int hs_plugin_running(const char **plugin, const char **callback, hs_str *call)
{
	if (!running.active)
		return 0;
	if (plugin)
		*plugin = running.plugin;
	if (callback)
		*callback = running.callback;
	if (call)
		*call = running.call;
	return 1;
}

/* ---------------------------------------------------------------- trust */

/* Plugins run with the host's rights: a file anyone else can replace is
 * code anyone else can run.  So is a file in a directory anyone else can
 * write, at any level: whoever can rename an ancestor can put another
 * tree in its place.  The check therefore runs on the real path (symbolic
 * links resolved) and covers the file and every directory up to /: each
 * must belong to root or to the effective user and be writable by no one
 * else, except a sticky directory (/tmp), where others may add entries
 * but not rename or remove ours, which is what the next level's owner
 * check is for (the rule shells and ssh apply to their startup files). */
static int trusted_owner(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

static int check_node(const char *name, const char *what, const char *path,
		      const struct stat *st, int is_dir)
{
	if (!trusted_owner(st->st_uid))
		return hs_fail(HS_EPLUGIN,
			       "plugin %s: refusing %s%s: owned by uid %ld, neither root nor the effective user",
			       name, what, path, (long)st->st_uid);
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !(is_dir && (st->st_mode & S_ISVTX)))
		return hs_fail(HS_EPLUGIN,
			       "plugin %s: refusing %s%s: writable by group or others",
			       name, what, path);
	return HS_OK;
}

static int check_ancestors(const char *name, char *real)
{
	int rc = HS_OK;
	char *slash;
	while (rc == HS_OK && (slash = strrchr(real, '/')) != NULL) {
		if (slash == real)
			slash[1] = '\0';
		else
			*slash = '\0';
		struct stat st;
		if (stat(real, &st) != 0)
			rc = hs_fail(HS_EPLUGIN, "plugin %s: cannot stat %s: %s", name, real,
				     strerror(errno));
		else
			rc = check_node(name, "directory ", real, &st, 1);
		if (slash == real)
			break;
	}
	return rc;
}

/* Opens the plugin file for loading: the real path, checked as above,
 * opened without blocking (a FIFO must not hang the loader) and without
 * following a link swapped in since, and accepted only when the opened
 * file is a regular file and the one that was checked.  *fd_out is then
 * loaded through /proc/self/fd (see load_fd). */
static int open_trusted(int *fd_out, char **real_out, const char *path, const char *name)
{
	*fd_out = -1;
	*real_out = NULL;
	char *real = realpath(path, NULL);
	if (!real)
		return hs_fail(HS_EPLUGIN, "plugin %s: cannot resolve %s: %s", name, path,
			       strerror(errno));
	struct stat st, fst;
	int rc = HS_OK;
	if (stat(real, &st) != 0)
		rc = hs_fail(HS_EPLUGIN, "plugin %s: cannot stat %s: %s", name, real,
			     strerror(errno));
	else if (!S_ISREG(st.st_mode))
		rc = hs_fail(HS_EPLUGIN, "plugin %s: %s is not a regular file", name, real);
	else
		rc = check_node(name, "", real, &st, 0);
	if (rc == HS_OK) {
		char *up = strdup(real);
		rc = up ? check_ancestors(name, up) : hs_fail(HS_ENOMEM, "out of memory");
		free(up);
	}
	int fd = -1;
	if (rc == HS_OK) {
		fd = open(real, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			rc = hs_fail(HS_EPLUGIN, "plugin %s: cannot open %s: %s", name, real,
				     strerror(errno));
	}
	if (rc == HS_OK && (fstat(fd, &fst) != 0 || !S_ISREG(fst.st_mode) ||
			    fst.st_dev != st.st_dev || fst.st_ino != st.st_ino))
		rc = hs_fail(HS_EPLUGIN, "plugin %s: %s changed while it was checked", name, real);
	if (rc != HS_OK) {
		if (fd >= 0)
			close(fd);
		free(real);
		return rc;
	}
	*fd_out = fd;
	*real_out = real;
	return HS_OK;
}

/* HS_OK when fd starts like an ELF file; a read error says its errno, so
 * a file that cannot be read is not called "not a shared object". */
static int check_elf_fd(int fd, const char *name, const char *path)
{
	unsigned char magic[4] = { 0 };
	ssize_t n = pread(fd, magic, sizeof magic, 0);
	if (n < 0)
		return hs_fail(HS_EPLUGIN, "plugin %s: cannot read %s: %s", name, path,
			       strerror(errno));
	if (n != 4 || memcmp(magic, "\x7f" "ELF", 4) != 0)
		return hs_fail(HS_EPLUGIN, "plugin %s: %s is not a shared object", name,
			       path);
	return HS_OK;
}

/* dlopen of the file that was checked, not of its name: through
 * /proc/self/fd/N the dynamic loader opens the very inode held by fd, so
 * renaming another file into place after the check changes nothing.
 *
 * The loader knows objects by name first: once "/proc/self/fd/5" is
 * loaded, a later dlopen of that name returns the same object whatever
 * fd 5 is by then.  So the fd stays open while the plugin is loaded
 * (hs_plugin_close closes it), which keeps its number, and so its name,
 * from being reused; a name still held by an object that dlclose did
 * not unload is detected with RTLD_NOLOAD and the fd moved to another
 * number.  (A NOLOAD hit of an object known by another name is this
 * very file, loaded already: the loader's file-identity check returns
 * that object, which is the right one.)
 * Without /proc the real path is loaded and then compared with fd (dev
 * and inode); a file swapped in that window is refused, though its
 * constructors have run. */
/* Whether the loaded object h is known by `name` (not only by identity). */
static int held_by_name(void *h, const char *name)
{
	struct link_map *lm = NULL;
	return dlinfo(h, RTLD_DI_LINKMAP, &lm) != 0 || !lm || !lm->l_name ||
	       strcmp(lm->l_name, name) == 0;
}

static void *load_fd(int *fd, const char *real, char *why, size_t why_size)
{
	char proc[64];
	struct stat fst, now;
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", *fd);
	dlerror();
	if (access(proc, F_OK) == 0) {
		for (int tries = 0; tries < 16; tries++) {
			void *old = dlopen(proc, RTLD_LAZY | RTLD_NOLOAD);
			if (!old)
				break;
			int same_name = held_by_name(old, proc);
			dlclose(old);
			if (!same_name)
				break; /* this very file, loaded already */
			int moved = fcntl(*fd, F_DUPFD_CLOEXEC, *fd + 1);
			if (moved < 0)
				break;
			close(*fd);
			*fd = moved;
			snprintf(proc, sizeof proc, "/proc/self/fd/%d", *fd);
		}
		void *h = dlopen(proc, RTLD_NOW | RTLD_LOCAL);
		const char *e = h ? NULL : dlerror();
		size_t n = strlen(proc);
		/* dlerror says "/proc/self/fd/N: why": name the file instead. */
		if (!h && e && strncmp(e, proc, n) == 0 && e[n] == ':')
			snprintf(why, why_size, "%s%s", real, e + n);
		else if (!h)
			snprintf(why, why_size, "%s", e ? e : real);
		return h;
	}
	void *h = dlopen(real, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(why, why_size, "%s", e ? e : real);
		return NULL;
	}
	if (fstat(*fd, &fst) != 0 || stat(real, &now) != 0 ||
	    fst.st_dev != now.st_dev || fst.st_ino != now.st_ino) {
		dlclose(h);
		snprintf(why, why_size, "%s was replaced while it was loaded", real);
		return NULL;
	}
	return h;
}

/* Counts a descriptor may claim: far above any real plugin, low enough
 * that walking them cannot run off a mapping of sane size. */
#define HS_PLUGIN_MAX_SIGNATURES 4096
#define HS_PLUGIN_MAX_ARGS 65536

static int check_desc(const hs_plugin_desc *d, const char *name)
{
	if (d->abi_major != HS_PLUGIN_ABI_MAJOR || d->abi_minor > HS_PLUGIN_ABI_MINOR)
		return hs_fail(HS_EPLUGIN,
			       "plugin %s: ABI mismatch: host supports %d.%d, plugin was built for %u.%u",
			       name, HS_PLUGIN_ABI_MAJOR, HS_PLUGIN_ABI_MINOR,
			       d->abi_major, d->abi_minor);
	if (d->struct_size < sizeof *d)
		return hs_fail(HS_EPLUGIN,
			       "plugin %s: ABI mismatch: descriptor size %u, expected at least %zu",
			       name, d->struct_size, sizeof *d);
	if (d->name && !hs_plugin_name_valid(d->name))
		return hs_fail(HS_EPLUGIN,
			       "plugin %s: the descriptor's name '%.64s' is not a valid plugin name ([a-z0-9_]+, at most %d)",
			       name, d->name, HS_PLUGIN_NAME_MAX);
	if (!d->name || strcmp(d->name, name) != 0)
		return hs_fail(HS_EPLUGIN,
			       "plugin %s: descriptor names itself '%s'; the file must be NAME.so",
			       name, d->name ? d->name : "(null)");
	if (!d->emit)
		return hs_fail(HS_EPLUGIN, "plugin %s: descriptor has no emit callback",
			       name);
	if (d->n_signatures == 0 || !d->signatures)
		return hs_fail(HS_EPLUGIN, "plugin %s: descriptor has no signature", name);
	if (d->n_signatures > HS_PLUGIN_MAX_SIGNATURES)
		return hs_fail(HS_EPLUGIN,
			       "plugin %s: descriptor declares %zu signatures, more than the limit of %d",
			       name, d->n_signatures, HS_PLUGIN_MAX_SIGNATURES);
	for (size_t i = 0; i < d->n_signatures; i++) {
		const hs_plugin_signature *s = &d->signatures[i];
		if (s->n_inputs > HS_PLUGIN_MAX_ARGS || s->n_outputs > HS_PLUGIN_MAX_ARGS)
			return hs_fail(HS_EPLUGIN,
				       "plugin %s: signature %zu declares %zu inputs and %zu outputs, more than the limit of %d",
				       name, i, s->n_inputs, s->n_outputs, HS_PLUGIN_MAX_ARGS);
		if (!s->function || !*s->function ||
		    (s->n_inputs && !s->inputs) || (s->n_outputs && !s->outputs))
			return hs_fail(HS_EPLUGIN,
				       "plugin %s: signature %zu is incomplete", name, i);
	}
	return HS_OK;
}

/* The plugin's own message (set through host->fail), wrapped. */
static int init_failed(const char *name)
{
	char why[900];
	snprintf(why, sizeof why, "%s",
		 *hs_error_last() ? hs_error_last() : "no reason given");
	return hs_fail(HS_EPLUGIN, "plugin %s: init failed: %s", name, why);
}

static char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
	if (n > 3 && strcmp(b + n - 3, ".so") == 0)
		n -= 3;
	return strndup(b, n);
}

int hs_plugin_open_file(hs_plugin_rt **out, const char *path,
			const char *expect_name, const hs_plugin_host *host)
{
	*out = NULL;
	char *name = expect_name ? strdup(expect_name) : base_name(path);
	if (!name)
		return hs_fail(HS_ENOMEM, "out of memory");
	if (!hs_plugin_name_valid(name)) {
		int rc = hs_fail(HS_EPLUGIN,
				 "plugin file %s: '%s' is not a valid plugin name ([a-z0-9_]+, at most %d)",
				 path, name, HS_PLUGIN_NAME_MAX);
		free(name);
		return rc;
	}
	hs_plugin_rt *p = calloc(1, sizeof *p);
	if (!p) {
		free(name);
		return hs_fail(HS_ENOMEM, "out of memory");
	}
	p->name = name;
	p->fd = -1;
	p->file = strdup(path);
	int rc = p->file ? HS_OK : hs_fail(HS_ENOMEM, "out of memory");
	int fd = -1;
	char *real = NULL;
	if (rc == HS_OK)
		rc = open_trusted(&fd, &real, path, name);
	if (rc == HS_OK)
		rc = check_elf_fd(fd, name, path);
	if (rc == HS_OK) {
		char why[512];
		hs_callback_frame saved; /* its constructors run in dlopen */
		hs_callback_enter(&saved, name, "load", (hs_str){ NULL, 0 });
		p->handle = load_fd(&fd, real, why, sizeof why);
		hs_callback_leave(&saved);
		if (!p->handle)
			rc = hs_fail(HS_EPLUGIN, "plugin %s: cannot load: %s", name, why);
	}
	p->fd = fd; /* closed by hs_plugin_close, after dlclose */
	free(real);
	hs_plugin_init_fn init = NULL;
	if (rc == HS_OK) {
		*(void **)&init = dlsym(p->handle, HS_PLUGIN_ENTRY);
		if (!init)
			rc = hs_fail(HS_EPLUGIN, "plugin %s: %s has no entry symbol %s "
				     "(define it with C linkage, inside extern \"C\" in C++, and "
				     "exported: include <hintstub/plugin.h>, which declares it "
				     "HS_PLUGIN_EXPORT, when building with -fvisibility=hidden)",
				     name, path, HS_PLUGIN_ENTRY);
	}
	if (rc == HS_OK) {
		hs_error_clear();
		hs_callback_frame saved;
		hs_callback_enter(&saved, name, "init", (hs_str){ NULL, 0 });
		p->desc = init(host);
		hs_callback_leave(&saved);
		if (!p->desc)
			rc = init_failed(name);
	}
	if (rc == HS_OK)
		rc = check_desc(p->desc, name);
	if (rc == HS_OK) {
		p->priority = p->desc->priority;
		rc = build_sigs(p);
	}
	if (rc == HS_OK && p->desc->create) {
		hs_error_clear();
		hs_callback_frame saved;
		hs_callback_enter(&saved, name, "create", (hs_str){ NULL, 0 });
		if (p->desc->create(&p->state, host) < 0)
			rc = init_failed(name);
		hs_callback_leave(&saved);
	}
	if (rc != HS_OK) {
		p->state = NULL; /* create, the last step, failed or never ran */
		hs_plugin_close(p);
		return rc;
	}
	*out = p;
	return HS_OK;
}

/* Appends the directories of one search list, skipping empty entries
 * (which would otherwise mean the current directory). */
static int add_dirs(char ***dirs, size_t *n, size_t *cap, const char *list,
		    int split)
{
	const char *s = list;
	while (s && *s) {
		const char *end = split ? strchr(s, ':') : NULL;
		size_t len = end ? (size_t)(end - s) : strlen(s);
		if (len > 0) {
			int rc = hs_grow((void **)dirs, cap, *n + 1, sizeof **dirs, 8);
			if (rc != HS_OK)
				return rc;
			if (!((*dirs)[*n] = strndup(s, len)))
				return hs_fail(HS_ENOMEM, "out of memory");
			(*n)++;
		}
		s = end ? end + 1 : NULL;
	}
	return HS_OK;
}

/* "; did you mean 'x'?" when a NAME.so in the directories is close. */
static void nearest_plugin(char *hint, size_t size, char *const *dirs, size_t n,
			   const char *name)
{
	hs_nearest near;
	char best[HS_PLUGIN_NAME_MAX + 1] = "";
	hs_nearest_init(&near, name, strlen(name));
	for (size_t i = 0; i < n; i++) {
		DIR *d = opendir(dirs[i]);
		for (struct dirent *e; d && (e = readdir(d));) {
			size_t len = strlen(e->d_name), before = near.distance;
			if (len < 4 || len - 3 > HS_PLUGIN_NAME_MAX ||
			    strcmp(e->d_name + len - 3, ".so") != 0)
				continue;
			hs_nearest_offer(&near, e->d_name, len - 3);
			if (near.distance < before) {
				/* readdir's buffer is reused: keep a copy. */
				memcpy(best, e->d_name, len - 3);
				best[len - 3] = '\0';
				near.best = best;
			}
		}
		if (d)
			closedir(d);
	}
	if (hs_nearest_result(&near, NULL))
		snprintf(hint, size, "; did you mean '%s'?", best);
}

int hs_plugin_open_name(hs_plugin_rt **out, const hs_plugin_search *search,
			const char *name, const hs_plugin_host *host)
{
	*out = NULL;
	if (!hs_plugin_name_valid(name))
		return hs_fail(HS_EPLUGIN,
			       "'%s' is not a valid plugin name ([a-z0-9_]+, at most %d)",
			       name, HS_PLUGIN_NAME_MAX);
	char **dirs = NULL;
	size_t n = 0, cap = 0;
	int rc = HS_OK;
	for (size_t i = 0; rc == HS_OK && i < search->n_dirs; i++)
		rc = add_dirs(&dirs, &n, &cap, search->dirs[i], 0);
	if (rc == HS_OK && search->use_env)
		rc = add_dirs(&dirs, &n, &cap, getenv("HINTSTUB_PLUGIN_PATH"), 1);
	if (rc == HS_OK && search->use_system)
		rc = add_dirs(&dirs, &n, &cap, HS_PLUGINDIR, 0);
	char *found = NULL;
	for (size_t i = 0; rc == HS_OK && !found && i < n; i++) {
		size_t len = strlen(dirs[i]) + strlen(name) + 5;
		char *path = malloc(len);
		if (!path) {
			rc = hs_fail(HS_ENOMEM, "out of memory");
			break;
		}
		snprintf(path, len, "%s/%s.so", dirs[i], name);
		if (access(path, F_OK) == 0)
			found = path;
		else
			free(path);
	}
	if (rc == HS_OK && !found) {
		char list[700] = "";
		size_t used = 0;
		for (size_t i = 0; i < n && used < sizeof list - 1; i++)
			used += (size_t)snprintf(list + used, sizeof list - used,
						 "%s%s", i ? ", " : "", dirs[i]);
		char hint[HS_PLUGIN_NAME_MAX + 32] = "";
		nearest_plugin(hint, sizeof hint, dirs, n, name);
		rc = hs_fail(HS_ENOTFOUND, "plugin %s: %s.so not found (searched: %s)%s",
			     name, name, n ? list : "no directory", hint);
	}
	for (size_t i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
	if (rc != HS_OK)
		return rc;
	rc = hs_plugin_open_file(out, found, name, host);
	free(found);
	return rc;
}
