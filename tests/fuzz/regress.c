/* SPDX-License-Identifier: MIT */
/*
 * regress.c - replays saved fuzzer inputs through a harness, for `make
 * check` (TAP). Linked with one harness: regress_record runs
 * fuzz_record's entry point, and so on, its name telling which.
 *
 * Usage: regress_NAME [FILE|DIR...]. Without arguments it runs every
 * file of $LOGQ_TESTS/fuzz/regress/NAME (inputs that once crashed) and
 * $LOGQ_TESTS/fuzz/corpus/NAME (the seeds). A crash is a crash of this
 * program: the TAP driver reports it as an error, and the last
 * "# running" line says which input it was. Files are read with
 * open(2), not stdio: fuzz_query wraps fopen.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#include "fuzz.h"

static int	 regress_n;
static int	 regress_failed;
static const char *regress_root;	/* left out of test names */

static int
regress_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads PATH whole; NULL with errno set. */
static uint8_t *
regress_read(const char *path, size_t *len)
{
	struct buf b = BUF_INIT;
	char chunk[65536];
	ssize_t n;
	int fd, e;

	if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			e = errno;
			close(fd);
			buf_release(&b);
			errno = e;
			return NULL;
		}
		buf_add(&b, chunk, (size_t)n);
	}
	close(fd);
	*len = b.len;
	return b.ptr ? (uint8_t *)buf_take(&b) : (uint8_t *)xstrdup("");
}

/* "fuzz/corpus/record/x", not the checkout's absolute path. */
static const char *
regress_name(const char *path)
{
	size_t n = regress_root ? strlen(regress_root) : 0;

	if (n > 0 && strncmp(path, regress_root, n) == 0 && path[n] == '/')
		return path + n + 1;
	return path;
}

static void
regress_file(const char *path)
{
	uint8_t *data;
	size_t len = 0;

	regress_n++;
	if ((data = regress_read(path, &len)) == NULL) {
		printf("not ok %d - %s: %s\n", regress_n, regress_name(path),
		    strerror(errno));
		regress_failed++;
		return;
	}
	printf("# running %s\n", regress_name(path));
	fflush(stdout);
	(void)LLVMFuzzerTestOneInput(data, len);
	printf("ok %d - %s (%zu bytes)\n", regress_n, regress_name(path),
	    len);
	free(data);
}

static void
regress_path(const char *path, int must_exist)
{
	struct stat st;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	DIR *dir;

	if (stat(path, &st) == -1) {
		if (!must_exist && errno == ENOENT)
			return;
		regress_file(path);	/* reports the error */
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		regress_file(path);
		return;
	}
	if ((dir = opendir(path)) == NULL) {
		regress_file(path);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		/* Every file is an input; dot files are an editor's. */
		if (de->d_name[0] == '.')
			continue;
		XGROW(names, n + 1, alloc);
		names[n++] = xasprintf("%s/%s", path, de->d_name);
	}
	closedir(dir);
	/* Sorted: the same order, and test numbers, on every machine. */
	if (n > 0)
		qsort(names, n, sizeof *names, regress_cmp);
	for (i = 0; i < n; i++) {
		regress_file(names[i]);
		free(names[i]);
	}
	free(names);
}

int
main(int argc, char **argv)
{
	const char *base, *tests = getenv("LOGQ_TESTS");
	char *name, *p;
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			regress_path(argv[i], 1);
	} else {
		/* regress_record -> record */
		base = strrchr(argv[0], '/');
		base = base ? base + 1 : argv[0];
		if (strncmp(base, "regress_", 8) == 0)
			base += 8;
		name = xstrdup(base);
		if ((p = strchr(name, '.')) != NULL)	/* .exe */
			*p = '\0';
		if (tests == NULL || *tests == '\0')
			tests = LOGQ_SRCDIR "/tests";
		regress_root = tests;
		p = xasprintf("%s/fuzz/regress/%s", tests, name);
		regress_path(p, 0);
		free(p);
		p = xasprintf("%s/fuzz/corpus/%s", tests, name);
		regress_path(p, 1);
		free(p);
		free(name);
	}
	printf("1..%d\n", regress_n);
	return regress_failed > 0;
}
