/* SPDX-License-Identifier: MIT */
/* querypath.h - where a QUERY name is looked up (SPEC 1), and the
 * built-in queries found there */
#ifndef LOGQ_QUERYPATH_H
#define LOGQ_QUERYPATH_H

#include <stddef.h>

/* Directories searched for built-in queries, in order. */
struct query_path {
	char		**dirs;		/* owned after querypath_init */
	size_t		  n;
};

/*
 * Fills P as SPEC 1 orders it: each directory of $LOGQ_PATH, then
 * $XDG_CONFIG_HOME/logq/queries (default ~/.config/logq/queries), then
 * the installed queries. A binary run from its build tree finds the
 * source tree's queries/ before the installed ones, so a developer's
 * build uses the queries beside it. querypath_release() frees P's copy.
 */
void	querypath_init(struct query_path *p);
/*
 * The same search for another KIND of file ("profiles"): each
 * $LOGQ_PATH directory's KIND/ subdirectory, then
 * $XDG_CONFIG_HOME/logq/KIND, the build tree's KIND/, the installed
 * KIND/. querypath_init() is querypath_init_for(p, "queries"), whose
 * $LOGQ_PATH directories hold the queries themselves.
 */
void	querypath_init_for(struct query_path *p, const char *kind);
void	querypath_release(struct query_path *p);

/*
 * The file a QUERY argument names, owned by the caller: a path (it has
 * a '/' or ends in .yaml/.yml) as it is, else the first DIR/NAME.yaml or
 * DIR/NAME.yml of SEARCH (which may be NULL). NULL when there is none.
 */
char	*querypath_resolve(const struct query_path *search, const char *name);

/* A query's default name, owned: "queries/slow-requests.yaml" ->
 * "slow-requests". */
char	*querypath_name_of(const char *path);

/* A built-in query: a *.yaml or *.yml file of a search directory. */
struct querypath_entry {
	char		*name;		/* without the extension */
	char		*path;
};

/*
 * The built-in queries of SEARCH, sorted by name, *NOUT of them; the
 * first of a name wins (in a directory .yaml before .yml, as
 * querypath_resolve goes). Free with querypath_entries_free().
 */
struct querypath_entry *querypath_scan(const struct query_path *search,
	    size_t *nout);
void	querypath_entries_free(struct querypath_entry *v, size_t n);

#endif
