/* SPDX-License-Identifier: MIT */
/* output_test.c - -o FILE replaced whole or not at all (SPEC 1) */
#include "config.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output.h"
#include "util.h"
#include "tap.h"

static char dir[64];
static const char *how;		/* "unnamed" or "named" temporary file */

static char *
at(const char *name)
{
	static char buf[4][256];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

static void
put(const char *name, const char *text, mode_t mode)
{
	FILE *fp = fopen(at(name), "w");

	fputs(text, fp);
	fclose(fp);
	chmod(at(name), mode);
}

/* The contents of NAME, or "" if it cannot be read. */
static const char *
get(const char *name)
{
	static char buf[256];
	FILE *fp = fopen(at(name), "r");
	size_t n = 0;

	if (fp != NULL) {
		n = fread(buf, 1, sizeof(buf) - 1, fp);
		fclose(fp);
	}
	buf[n] = '\0';
	return buf;
}

static unsigned
mode_of(const char *name)
{
	struct stat sb;

	return stat(at(name), &sb) == 0 ? (unsigned)(sb.st_mode & 07777) : 0;
}

static int
is_link(const char *name)
{
	struct stat sb;

	return lstat(at(name), &sb) == 0 && S_ISLNK(sb.st_mode);
}

/* Entries of the directory (recursively in one level of subdirectory). */
static int
entries(const char *sub)
{
	DIR *d = opendir(sub ? at(sub) : dir);
	struct dirent *de;
	int n = 0;

	while (d != NULL && (de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	if (d != NULL)
		closedir(d);
	return n;
}

static void
clean(void)
{
	char *cmd = xasprintf("rm -rf %s/* %s/.[!.]*", dir, dir);

	if (system(cmd) != 0)
		printf("# could not clean %s\n", dir);
	free(cmd);
}

/* Writes TEXT to NAME through output_open/close; the close's result. */
static int
write_report(const char *name, const char *text, int commit)
{
	struct output out;
	struct diag err = { 0 };
	int rc;

	if (output_open(&out, at(name), &err) < 0) {
		diag_release(&err);
		return -2;
	}
	fputs(text, out.fp);
	rc = output_close(&out, commit, &err);
	diag_release(&err);
	return rc;
}

static void
test_new_file(void)
{
	mode_t old = umask(022);

	ok(write_report("a.prom", "new\n", 1) == 0 &&
	    strcmp(get("a.prom"), "new\n") == 0, "%s: new file written", how);
	is_int(mode_of("a.prom"), 0644, "%s: new file 0666 & ~022", how);
	is_int(entries(NULL), 1, "%s: no temporary file left", how);
	umask(027);
	ok(write_report("b.prom", "x", 1) == 0, "%s: second new file", how);
	is_int(mode_of("b.prom"), 0640, "%s: new file 0666 & ~027", how);
	umask(old);
	clean();
}

static void
test_existing(void)
{
	put("r.prom", "old\n", 0644);
	ok(write_report("r.prom", "new\n", 1) == 0 &&
	    strcmp(get("r.prom"), "new\n") == 0, "%s: report replaced", how);
	is_int(mode_of("r.prom"), 0644, "%s: 0644 kept", how);
	put("s.prom", "old\n", 0604);
	ok(write_report("s.prom", "new\n", 1) == 0, "%s: 0604 replaced", how);
	is_int(mode_of("s.prom"), 0604, "%s: odd mode 0604 kept", how);
	/* A failed run leaves the last good report. */
	ok(write_report("r.prom", "half a rep", 0) == 0 &&
	    strcmp(get("r.prom"), "new\n") == 0,
	    "%s: no commit keeps the last report", how);
	is_int(entries(NULL), 2, "%s: and no temporary file", how);
	ok(write_report("n.prom", "half", 0) == 0 && entries(NULL) == 2,
	    "%s: no commit of a new file creates nothing", how);
	clean();
}

static void
test_symlinks(void)
{
	char *cmd;

	put("real.prom", "old\n", 0644);
	ok(symlink("real.prom", at("link.prom")) == 0, "%s: link made", how);
	ok(write_report("link.prom", "new\n", 1) == 0 &&
	    is_link("link.prom") && strcmp(get("real.prom"), "new\n") == 0,
	    "%s: written through a symlink, the link kept", how);
	ok(symlink("link.prom", at("chain.prom")) == 0 &&
	    write_report("chain.prom", "chain\n", 1) == 0 &&
	    is_link("chain.prom") && is_link("link.prom") &&
	    strcmp(get("real.prom"), "chain\n") == 0,
	    "%s: through a chain of symlinks", how);
	ok(symlink("ghost.prom", at("dangling.prom")) == 0 &&
	    write_report("dangling.prom", "ghost\n", 1) == 0 &&
	    is_link("dangling.prom") &&
	    strcmp(get("ghost.prom"), "ghost\n") == 0,
	    "%s: a dangling symlink's target is created", how);
	cmd = xasprintf("mkdir %s/sub %s/other", dir, dir);
	ok(system(cmd) == 0 &&
	    symlink("../other/deep.prom", at("sub/rel.prom")) == 0 &&
	    write_report("sub/rel.prom", "rel\n", 1) == 0 &&
	    strcmp(get("other/deep.prom"), "rel\n") == 0 &&
	    entries("sub") == 1 && entries("other") == 1,
	    "%s: a relative symlink is read from its own directory", how);
	free(cmd);
	ok(symlink("loop2", at("loop1")) == 0 &&
	    symlink("loop1", at("loop2")) == 0 &&
	    write_report("loop1", "x", 1) == -2 && is_link("loop1"),
	    "%s: a symlink loop is an error", how);
	clean();
}

static void
test_errors(void)
{
	struct output out;
	struct diag err = { 0 };

	ok(output_open(&out, at("missing/dir/x.prom"), &err) < 0 &&
	    err.status == LOGQ_EXIT_INPUT && err.msg != NULL &&
	    strstr(err.msg, "missing/dir/x.prom") != NULL,
	    "%s: a missing directory is an input error naming the file: %s",
	    how, err.msg ? err.msg : "(none)");
	diag_release(&err);
	ok(output_open(&out, "/dev/null", &err) == 0 && out.direct &&
	    output_close(&out, 1, &err) == 0,
	    "%s: a device is written in place", how);
	diag_release(&err);
	ok(output_open(&out, "-", &err) == 0 && out.fp == stdout &&
	    output_close(&out, 1, &err) == 0, "%s: - is stdout", how);
}

static void
test_while_open(void)
{
	struct output out;
	struct diag err = { 0 };

	put("w.prom", "old\n", 0644);
	ok(output_open(&out, at("w.prom"), &err) == 0, "%s: opened", how);
	fputs("new\n", out.fp);
	fflush(out.fp);
	ok(strcmp(get("w.prom"), "old\n") == 0,
	    "%s: the old report is readable while the run goes on", how);
	/* An unnamed temporary file has no name a kill could leave. */
	is_int(entries(NULL), output_unnamed_ok && out.tmp == NULL ? 1 : 2,
	    "%s: entries while running", how);
	output_close(&out, 1, &err);
	ok(strcmp(get("w.prom"), "new\n") == 0 && entries(NULL) == 1,
	    "%s: replaced at close", how);
	diag_release(&err);
	clean();
}

/* A child writes half a report and gets SIGHUP (disposition DISP
 * before the run); its wait status. */
static int
killed_child(void (*disp)(int))
{
	pid_t pid;
	int ws = 0;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		struct output out;
		struct diag err = { 0 };

		signal(SIGHUP, disp);
		if (output_open(&out, at("k.prom"), &err) < 0)
			_exit(9);
		fputs("half", out.fp);
		fflush(out.fp);
		raise(SIGHUP);
		_exit(output_close(&out, 1, &err) == 0 ? 0 : 8);
	}
	waitpid(pid, &ws, 0);
	return ws;
}

static void
test_killed(void)
{
	int ws;

	put("k.prom", "old\n", 0644);
	ws = killed_child(SIG_DFL);
	ok(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGHUP,
	    "%s: the run dies of SIGHUP", how);
	ok(entries(NULL) == 1 && strcmp(get("k.prom"), "old\n") == 0,
	    "%s: SIGHUP leaves the report and no temporary file", how);
	/* nohup logq ...: an ignored SIGHUP stays ignored. */
	ws = killed_child(SIG_IGN);
	ok(WIFEXITED(ws) && WEXITSTATUS(ws) == 0 &&
	    strcmp(get("k.prom"), "half") == 0 && entries(NULL) == 1,
	    "%s: an ignored SIGHUP does not stop the run", how);
	clean();
}

static void
run_all(void)
{
	test_new_file();
	test_existing();
	test_symlinks();
	test_errors();
	test_while_open();
	test_killed();
}

int
main(void)
{
	struct output out;
	struct diag err = { 0 };

	snprintf(dir, sizeof(dir), "/tmp/logq-output-test.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	/* Where the kernel gives O_TMPFILE (ext4, tmpfs, xfs, btrfs). */
	if (output_open(&out, at("probe"), &err) == 0) {
		ok(1, "probe: unnamed temporary file %s",
		    out.unnamed ? "available" : "not available here");
		output_close(&out, 0, &err);
	}
	diag_release(&err);
	how = "unnamed";
	run_all();
	output_unnamed_ok = 0;
	how = "named";
	run_all();
	rmdir(dir);
	return done_testing();
}
