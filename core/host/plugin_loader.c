/* Finding, trusting and dlopen'ing plugins.  Every failure is one line
 * naming the plugin and the cause, and leaves nothing loaded.  Depends on
 * no registry: the caller passes the search path and the host table. */
#include <config.h>

#include <dlfcn.h>
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

int hs_plugin_set_option(hs_plugin_rt *p, const char *key, const char *value)
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
	int rc = p->desc->set_option(p->state, key, value);
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
	if (p->desc && p->desc->destroy && p->state)
		p->desc->destroy(p->state);
	if (p->handle)
		dlclose(p->handle);
	free(p->sigs);
	free(p->function_override);
	free(p->name);
	free(p->file);
	free(p);
}

/* Plugins run with the host's rights: a file anyone else can replace is
 * code anyone else can run. */
static int check_trust(const char *path, const char *name)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return hs_fail(HS_EPLUGIN, "plugin %s: cannot stat %s: %s", name,
			       path, strerror(errno));
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return hs_fail(HS_EPLUGIN,
			       "plugin %s: refusing %s: writable by group or others",
			       name, path);
	char *dir = strdup(path);
	if (!dir)
		return hs_fail(HS_ENOMEM, "out of memory");
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	int rc = HS_OK;
	if (stat(dir, &st) != 0)
		rc = hs_fail(HS_EPLUGIN, "plugin %s: cannot stat %s: %s", name,
			     dir, strerror(errno));
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		rc = hs_fail(HS_EPLUGIN,
			     "plugin %s: refusing directory %s: writable by group or others",
			     name, dir);
	free(dir);
	return rc;
}

static int is_elf(const char *path)
{
	unsigned char magic[4] = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, magic, sizeof magic);
	close(fd);
	return n == 4 && memcmp(magic, "\x7f" "ELF", 4) == 0;
}

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
	if (!d->name || strcmp(d->name, name) != 0)
		return hs_fail(HS_EPLUGIN,
			       "plugin %s: descriptor names itself '%s'; the file must be NAME.so",
			       name, d->name ? d->name : "(null)");
	if (!d->emit)
		return hs_fail(HS_EPLUGIN, "plugin %s: descriptor has no emit callback",
			       name);
	if (d->n_signatures == 0 || !d->signatures)
		return hs_fail(HS_EPLUGIN, "plugin %s: descriptor has no signature", name);
	for (size_t i = 0; i < d->n_signatures; i++) {
		const hs_plugin_signature *s = &d->signatures[i];
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
	p->file = strdup(path);
	int rc = p->file ? HS_OK : hs_fail(HS_ENOMEM, "out of memory");
	if (rc == HS_OK)
		rc = check_trust(path, name);
	if (rc == HS_OK && !is_elf(path))
		rc = hs_fail(HS_EPLUGIN, "plugin %s: %s is not a shared object", name,
			     path);
	if (rc == HS_OK) {
		dlerror();
		p->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		if (!p->handle) {
			const char *why = dlerror();
			rc = hs_fail(HS_EPLUGIN, "plugin %s: cannot load: %s", name,
				     why ? why : path);
		}
	}
	hs_plugin_init_fn init = NULL;
	if (rc == HS_OK) {
		*(void **)&init = dlsym(p->handle, HS_PLUGIN_ENTRY);
		if (!init)
			rc = hs_fail(HS_EPLUGIN, "plugin %s: %s has no entry symbol %s",
				     name, path, HS_PLUGIN_ENTRY);
	}
	if (rc == HS_OK) {
		hs_error_clear();
		p->desc = init(host);
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
		if (p->desc->create(&p->state, host) < 0)
			rc = init_failed(name);
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
		rc = hs_fail(HS_ENOTFOUND, "plugin %s: %s.so not found (searched: %s)",
			     name, name, n ? list : "no directory");
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
