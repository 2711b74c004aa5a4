/* SPDX-License-Identifier: MIT */
/* output.h - -o FILE: a report replaced whole or not at all (SPEC 1) */
#ifndef LOGQ_OUTPUT_H
#define LOGQ_OUTPUT_H

#include <stdio.h>

#include "diag.h"

/*
 * Where the results go. For stdout (no FILE, or "-") fp is stdout. A
 * device or FIFO is written in place. A regular FILE (new or existing,
 * reached through any symlinks, dangling ones included) is written to a
 * temporary file in FILE's directory and renamed over FILE only by
 * output_close(..., commit = 1): a failed or killed run leaves FILE as
 * it was and no temporary file behind. The temporary file is unnamed
 * (O_TMPFILE) where the file system allows, so even SIGKILL leaves
 * nothing; otherwise it is named and unlinked on SIGHUP and SIGQUIT, and
 * by output_abandon(). The new FILE has FILE's mode and owner when FILE existed,
 * 0666 & ~umask when it did not.
 */
struct output {
	FILE	*fp;
	char	*target;	/* the file renamed over, symlinks followed */
	char	*tmp;		/* named temporary file, or NULL */
	const char *name;	/* FILE as given, for messages */
	int	 fd;		/* the temporary file's descriptor */
	int	 unnamed;	/* temporary file made with O_TMPFILE */
	int	 direct;	/* a device or FIFO, written in place */
};

int	output_open(struct output *out, const char *path, struct diag *err);
/* Flushes and closes; with COMMIT, puts the file in place. Without, FILE
 * is left untouched. -1 (and ERR set) if writing or renaming failed. */
int	output_close(struct output *out, int commit, struct diag *err);

/* Removes the named temporary file, if any: for a signal handler that is
 * about to _exit(). Async-signal-safe. */
void	output_abandon(void);

/* Tests: 0 makes output_open() use a named temporary file. */
extern int output_unnamed_ok;

#endif
