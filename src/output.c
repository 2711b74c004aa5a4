/* SPDX-License-Identifier: MIT */
/* output.c - -o FILE: a report replaced whole or not at all (SPEC 1)
 *
 * A cron job that writes a textfile for node_exporter must never leave
 * half a report, a report its reader may not open, or the wreck of a
 * failed run over the last good one. So the results go to a temporary
 * file in FILE's directory, are synced, and are renamed over FILE only
 * when the run succeeded, as git's lockfile.c and rsync do.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "output.h"
#include "util.h"

int output_unnamed_ok = 1;

/* The named temporary file a fatal signal must not leave behind. */
static const char *volatile guard_path;
/* SIGINT and SIGTERM end the input and the run completes (main.c); a
 * second SIGINT calls output_abandon(). */
static const int guard_signals[] = { SIGHUP, SIGQUIT };
#define NGUARD (sizeof(guard_signals) / sizeof(guard_signals[0]))
static struct sigaction guard_old[NGUARD];

static void
guard_handler(int sig)
{
	const char *p = guard_path;
	int saved = errno;

	if (p != NULL)
		unlink(p);
	errno = saved;
	/* SA_RESETHAND restored the default action: die of SIG. */
	raise(sig);
}

void
output_abandon(void)
{
	const char *p = guard_path;

	if (p != NULL)
		unlink(p);
}

static void
guard_on(const char *path)
{
	struct sigaction sa;
	size_t i;

	guard_path = path;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = guard_handler;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NGUARD; i++) {
		sigaction(guard_signals[i], &sa, &guard_old[i]);
		/* A signal the caller ignores (nohup) stays ignored. */
		if (guard_old[i].sa_handler == SIG_IGN)
			sigaction(guard_signals[i], &guard_old[i], NULL);
	}
}

static void
guard_off(void)
{
	size_t i;

	for (i = 0; i < NGUARD; i++)
		sigaction(guard_signals[i], &guard_old[i], NULL);
	guard_path = NULL;
}

/* PATH with every symlink of its last component followed, dangling ones
 * included: -o writes through a link, it does not replace it. */
static char *
follow_links(const char *path, struct diag *err)
{
	char *p = xstrdup(path), buf[PATH_MAX];
	struct stat sb;
	int hops;

	for (hops = 0; lstat(p, &sb) == 0 && S_ISLNK(sb.st_mode); hops++) {
		ssize_t n;
		const char *slash;
		char *next;

		if (hops == 40 ||
		    (n = readlink(p, buf, sizeof(buf) - 1)) < 0 ||
		    (size_t)n == sizeof(buf) - 1) {
			diag_set(err, LOGQ_EXIT_INPUT, "cannot write '%s': %s",
			    path, strerror(hops == 40 ? ELOOP :
			    n < 0 ? errno : ENAMETOOLONG));
			free(p);
			return NULL;
		}
		buf[n] = '\0';
		slash = strrchr(p, '/');
		if (buf[0] == '/' || slash == NULL)
			next = xstrdup(buf);
		else
			next = xasprintf("%.*s/%s", (int)(slash - p), p, buf);
		free(p);
		p = next;
	}
	return p;
}

/* The directory PATH is in: the place for its temporary file. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static mode_t
new_file_mode(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return 0666 & ~mask;
}

static int
open_unnamed(const char *dir)
{
#ifdef O_TMPFILE
	/* Linking it in later needs /proc/self/fd (linkat's
	 * AT_EMPTY_PATH wants a capability). */
	if (output_unnamed_ok && access("/proc/self/fd", X_OK) == 0)
		return open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
#else
	(void)dir;
#endif
	errno = EOPNOTSUPP;
	return -1;
}

int
output_open(struct output *out, const char *path, struct diag *err)
{
	struct stat sb;
	int exists;
	char *dir;

	memset(out, 0, sizeof(*out));
	out->fd = -1;
	if (path == NULL || strcmp(path, "-") == 0) {
		out->fp = stdout;
		return 0;
	}
	out->name = path;
	/* A device or a FIFO (/dev/stderr, a named pipe) is written in
	 * place: renaming a file over it would replace the device. */
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		if ((out->fp = fopen(path, "w")) == NULL) {
			diag_set(err, LOGQ_EXIT_INPUT, "cannot write '%s': %s",
			    path, strerror(errno));
			return -1;
		}
		out->direct = 1;
		return 0;
	}
	if ((out->target = follow_links(path, err)) == NULL)
		return -1;
	exists = stat(out->target, &sb) == 0;
	dir = dir_of(out->target);
	if ((out->fd = open_unnamed(dir)) >= 0) {
		out->unnamed = 1;
	} else {
		out->tmp = xasprintf("%s.XXXXXX", out->target);
		guard_on(out->tmp);
		if ((out->fd = mkostemp(out->tmp, O_CLOEXEC)) < 0) {
			guard_off();
			free(out->tmp);
			out->tmp = NULL;
		} else if (!exists)
			fchmod(out->fd, new_file_mode());
	}
	free(dir);
	if (out->fd < 0) {
		diag_set(err, LOGQ_EXIT_INPUT, "cannot write '%s': %s", path,
		    strerror(errno));
		free(out->target);
		out->target = NULL;
		return -1;
	}
	/* An existing report keeps its mode and, where we may, its owner
	 * and group: its reader (node_exporter) keeps its access. */
	if (exists) {
		if (fchown(out->fd, sb.st_uid, sb.st_gid) != 0)
			sb.st_mode &= ~(mode_t)(S_ISUID | S_ISGID);
		fchmod(out->fd, sb.st_mode & 07777);
	}
	if ((out->fp = fdopen(out->fd, "w")) == NULL) {
		diag_set(err, LOGQ_EXIT_INPUT, "cannot write '%s': %s", path,
		    strerror(errno));
		output_close(out, 0, err);
		return -1;
	}
	return 0;
}

/* Gives the unnamed temporary file its final name. */
static int
link_unnamed(struct output *out)
{
	char proc[64];
	unsigned tries;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", out->fd);
	if (linkat(AT_FDCWD, proc, AT_FDCWD, out->target,
	    AT_SYMLINK_FOLLOW) == 0)
		return 0;		/* FILE did not exist */
	if (errno != EEXIST)
		return -1;
	/* Link it beside FILE, then rename over FILE: rename is the one
	 * atomic replacement. */
	for (tries = 0; tries < 100; tries++) {
		free(out->tmp);
		out->tmp = xasprintf("%s.%ld.%u", out->target, (long)getpid(),
		    (unsigned)(time(NULL) ^ (tries * 2654435761u)));
		guard_on(out->tmp);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, out->tmp,
		    AT_SYMLINK_FOLLOW) == 0)
			return 1;
		guard_off();
		if (errno != EEXIST)
			break;
	}
	free(out->tmp);
	out->tmp = NULL;
	return -1;
}

int
output_close(struct output *out, int commit, struct diag *err)
{
	const char *what = "write";
	int rc = 0, e = 0, placed = 0;

	if (out->fp == stdout || (out->fp == NULL && out->fd < 0))
		return 0;
	if (out->direct) {
		if (fclose(out->fp) != 0 && commit) {
			diag_set(err, LOGQ_EXIT_INPUT, "cannot write '%s': %s",
			    out->name, strerror(errno));
			rc = -1;
		}
		out->fp = NULL;
		return rc;
	}
	if (commit && out->fp != NULL &&
	    (fflush(out->fp) != 0 || ferror(out->fp)))
		e = errno ? errno : EIO;
	/* On disk before it replaces the last good report. */
	else if (commit && fsync(out->fd) != 0)
		e = errno;
	else if (commit && out->unnamed) {
		int r = link_unnamed(out);

		if (r < 0)
			e = errno, what = "link";
		placed = r == 0;	/* FILE was new: in place already */
	}
	if (commit && e == 0 && !placed) {
		if (rename(out->tmp, out->target) == 0)
			placed = 1;
		else
			e = errno, what = "rename";
	}
	/* Whatever was not renamed into place goes. */
	if (out->tmp != NULL) {
		if (!placed)
			unlink(out->tmp);
		guard_off();
	}
	if (out->fp != NULL)
		fclose(out->fp);
	else
		close(out->fd);
	if (e != 0) {
		diag_set(err, LOGQ_EXIT_INPUT, "cannot %s '%s': %s", what,
		    out->name, strerror(e));
		rc = -1;
	}
	free(out->tmp);
	free(out->target);
	out->tmp = out->target = NULL;
	out->fp = NULL;
	out->fd = -1;
	return rc;
}
