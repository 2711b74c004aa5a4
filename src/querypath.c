/* SPDX-License-Identifier: MIT */
/* querypath.c - where a QUERY name is looked up (SPEC 1), and the
 * built-in queries found there */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "querypath.h"
#include "util.h"

/* Lookups try these in this order in each directory. */
static const char *const exts[] = { ".yaml", ".yml" };
#define NEXTS	(sizeof(exts) / sizeof(exts[0]))

static void
path_add(struct query_path *p, size_t *alloc, char *dir)
{
	XGROW(p->dirs, p->n + 1, *alloc);
	p->dirs[p->n++] = dir;
}

static int
is_directory(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void
querypath_init(struct query_path *p)
{
	querypath_init_for(p, "queries");
}

void
querypath_init_for(struct query_path *p, const char *kind)
{
	size_t alloc = 0;
	const char *env = getenv("LOGQ_PATH"), *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	char exe[PATH_MAX];
	ssize_t n;

	memset(p, 0, sizeof(*p));
	if (env != NULL && *env != '\0') {
		char *copy = xstrdup(env), *save = NULL, *dir;

		for (dir = strtok_r(copy, ":", &save); dir != NULL;
		    dir = strtok_r(NULL, ":", &save))
			path_add(p, &alloc, strcmp(kind, "queries") == 0 ?
			    xstrdup(dir) : xasprintf("%s/%s", dir, kind));
		free(copy);
	}
	if (xdg != NULL && *xdg != '\0')
		path_add(p, &alloc, xasprintf("%s/logq/%s", xdg, kind));
	else if (home != NULL && *home != '\0')
		path_add(p, &alloc, xasprintf("%s/.config/logq/%s", home,
		    kind));
	/* Run from a build tree (./logq before make install): the queries
	 * beside the binary. A build tree is told by its config.status, so
	 * an installed binary never reads a stray queries/ beside it. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash, *q, *cs;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash != NULL) {
			*slash = '\0';
			q = xasprintf("%s/%s", exe, kind);
			cs = xasprintf("%s/config.status", exe);
			if (is_directory(q) && access(cs, F_OK) == 0)
				path_add(p, &alloc, q);
			else
				free(q);
			free(cs);
		}
	}
	path_add(p, &alloc, xasprintf("%s/%s", LOGQ_PKGDATADIR, kind));
}

void
querypath_release(struct query_path *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->dirs[i]);
	free(p->dirs);
	memset(p, 0, sizeof(*p));
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

static int
is_regular_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *
querypath_resolve(const struct query_path *search, const char *name)
{
	char *path;
	size_t i, j;

	if (strchr(name, '/') != NULL || has_suffix(name, ".yaml") ||
	    has_suffix(name, ".yml"))
		return xstrdup(name);
	for (i = 0; search != NULL && i < search->n; i++) {
		for (j = 0; j < NEXTS; j++) {
			path = xasprintf("%s/%s%s", search->dirs[i], name,
			    exts[j]);
			if (is_regular_file(path))
				return path;
			free(path);
		}
	}
	return NULL;
}

char *
querypath_name_of(const char *path)
{
	const char *slash = strrchr(path, '/'), *b = slash ? slash + 1 : path;
	size_t len = strlen(b);

	if (has_suffix(b, ".yaml") && len > 5)
		len -= 5;
	else if (has_suffix(b, ".yml") && len > 4)
		len -= 4;
	return xstrndup(b, len);
}

static int
entry_cmp(const void *va, const void *vb)
{
	const struct querypath_entry *a = va, *b = vb;

	return strcmp(a->name, b->name);
}

struct querypath_entry *
querypath_scan(const struct query_path *search, size_t *nout)
{
	struct querypath_entry *v = NULL;
	struct dirent *de;
	size_t n = 0, alloc = 0, i, j, k;
	char *name, *path;
	DIR *dir;

	for (i = 0; search != NULL && i < search->n; i++) {
		if ((dir = opendir(search->dirs[i])) == NULL)
			continue;
		for (j = 0; j < NEXTS; j++) {
			rewinddir(dir);
			while ((de = readdir(dir)) != NULL) {
				if (de->d_name[0] == '.' ||
				    !has_suffix(de->d_name, exts[j]) ||
				    strlen(de->d_name) == strlen(exts[j]))
					continue;
				name = xstrndup(de->d_name,
				    strlen(de->d_name) - strlen(exts[j]));
				for (k = 0; k < n; k++)
					if (strcmp(v[k].name, name) == 0)
						break;
				path = xasprintf("%s/%s", search->dirs[i],
				    de->d_name);
				if (k < n || !is_regular_file(path)) {
					free(name);
					free(path);
					continue;
				}
				XGROW(v, n + 1, alloc);
				v[n++] = (struct querypath_entry){ name, path };
			}
		}
		closedir(dir);
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), entry_cmp);
	*nout = n;
	return v;
}

void
querypath_entries_free(struct querypath_entry *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].path);
	}
	free(v);
}
