/* SPDX-License-Identifier: MIT */
/* querypath_test.c - the search path of SPEC 1 and the built-ins in it
 *
 * Fixtures are written into a fresh temporary directory, which the test
 * makes its working directory so that paths are short and fixed. */
#include "config.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "querypath.h"
#include "util.h"
#include "tap.h"

static void
put(const char *path)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL || fputs("where: a\n", fp) == EOF || fclose(fp) != 0) {
		perror(path);
		exit(99);
	}
}

static void
test_init(void)
{
	struct query_path p;
	size_t n;

	setenv("LOGQ_PATH", "one:two", 1);
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	querypath_init(&p);
	n = p.n;
	ok(n >= 4, "LOGQ_PATH's two, the config directory, the installed");
	if (n >= 4) {
		is_str(p.dirs[0], "one", "$LOGQ_PATH first, in order");
		is_str(p.dirs[1], "two", "its second directory");
		is_str(p.dirs[2], "/xdg/logq/queries",
		    "then $XDG_CONFIG_HOME/logq/queries");
		is_str(p.dirs[n - 1], LOGQ_PKGDATADIR "/queries",
		    "the installed queries last");
	}
	querypath_release(&p);
	ok(p.dirs == NULL && p.n == 0, "release empties");

	unsetenv("LOGQ_PATH");
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "/home/u", 1);
	querypath_init(&p);
	ok(p.n >= 2 && strcmp(p.dirs[0], "/home/u/.config/logq/queries") ==
	    0, "without $XDG_CONFIG_HOME: ~/.config/logq/queries");
	querypath_release(&p);
}

static void
test_lookup(void)
{
	static char d1[] = "d1", d2[] = "d2";
	static char *dirs[] = { d1, d2 };
	const struct query_path search = { dirs, 2 };
	struct querypath_entry *v;
	char *got;
	size_t n;

	put("d1/a.yml");
	put("d1/b.yaml");
	put("d1/b.yml");
	put("d2/a.yaml");
	put("d2/c.yaml");
	put("d2/.hidden.yaml");
	put("d2/.yaml");
	put("d2/notes.txt");
	if (mkdir("d2/dir.yaml", 0777) == -1)
		perror("d2/dir.yaml");

	got = querypath_resolve(&search, "a");
	is_str(got, "d1/a.yml", "the first directory wins, even with .yml");
	free(got);
	got = querypath_resolve(&search, "b");
	is_str(got, "d1/b.yaml", "in a directory .yaml before .yml");
	free(got);
	got = querypath_resolve(&search, "c");
	is_str(got, "d2/c.yaml", "later directories are searched");
	free(got);
	ok(querypath_resolve(&search, "dir") == NULL,
	    "a directory is no query");
	ok(querypath_resolve(&search, "zzz") == NULL, "an unknown name");
	ok(querypath_resolve(NULL, "a") == NULL, "no search path");
	got = querypath_resolve(&search, "d2/a.yaml");
	is_str(got, "d2/a.yaml", "a path is not looked up");
	free(got);
	got = querypath_resolve(&search, "nowhere.yml");
	is_str(got, "nowhere.yml", "nor is a name ending in .yml");
	free(got);

	v = querypath_scan(&search, &n);
	is_int(n, 3, "three built-ins: hidden, empty-named, directories "
	    "and other files are left out");
	if (n == 3) {
		is_str(v[0].name, "a", "sorted by name");
		is_str(v[0].path, "d1/a.yml", "the first of a name wins");
		is_str(v[1].path, "d1/b.yaml", ".yaml before .yml");
		is_str(v[2].path, "d2/c.yaml", "from the later directory");
	}
	querypath_entries_free(v, n);
	v = querypath_scan(NULL, &n);
	ok(v == NULL && n == 0, "no search path, no built-ins");
}

static void
test_name_of(void)
{
	static const char *const cases[][2] = {
		{ "queries/slow-requests.yaml", "slow-requests" },
		{ "a.yml", "a" },
		{ "dir/plain", "plain" },
		{ ".yaml", ".yaml" },
		{ "x/.yml", ".yml" },
	};
	char *got;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = querypath_name_of(cases[i][0]);
		is_str(got, cases[i][1], "name of '%s'", cases[i][0]);
		free(got);
	}
}

int
main(void)
{
	char tmpl[] = "/tmp/logq-querypath-test-XXXXXX";
	char *cmd;

	if (mkdtemp(tmpl) == NULL || chdir(tmpl) == -1 ||
	    mkdir("d1", 0777) == -1 || mkdir("d2", 0777) == -1) {
		perror(tmpl);
		return 99;
	}
	test_init();
	test_lookup();
	test_name_of();
	if (chdir("/") == 0) {
		cmd = xasprintf("rm -rf '%s'", tmpl);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", tmpl);
		free(cmd);
	}
	return done_testing();
}
