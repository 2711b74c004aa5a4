/* SPDX-License-Identifier: MIT */
/* prefetch_test.c - files read ahead on threads, spans in file order */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decompress.h"
#include "diag.h"
#include "prefetch.h"
#include "util.h"
#include "tap.h"

static char tmpdir[] = "/tmp/prefetch_test.XXXXXX";

/* A new file NAME in tmpdir holding N numbered lines; owned path. */
static char *
numbered_file(const char *name, int n, struct buf *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *fp = fopen(path, "w");
	int i;

	if (fp == NULL) {
		perror(path);
		exit(99);
	}
	buf_reset(text);
	for (i = 1; i <= n; i++)
		buf_printf(text, "{\"n\":%d,\"file\":\"%s\"}\n", i, name);
	fwrite(text->ptr, 1, text->len, fp);
	fclose(fp);
	return path;
}

/* A new file NAME in tmpdir holding the LEN bytes of TEXT; owned path. */
static char *
bytes_file(const char *name, const void *text, size_t len)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *fp = fopen(path, "wb");

	if (fp == NULL || fwrite(text, 1, len, fp) != len) {
		perror(path);
		exit(99);
	}
	fclose(fp);
	return path;
}

/* Which files are worth reading ahead: the compressed regular ones, by
 * their first bytes (RFC 1952's and RFC 8878's magic numbers), whatever
 * their names. */
static void
test_worth(void)
{
	static const unsigned char gz[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0,
	    3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const unsigned char zst[] = { 0x28, 0xb5, 0x2f, 0xfd, 0x20,
	    0, 1, 0, 0 };
	char *plain = bytes_file("plain.log", "{\"a\":1}\n", 8);
	char *gzip = bytes_file("app.log.1", gz, sizeof(gz));
	char *zstd = bytes_file("app.log.2", zst, sizeof(zst));
	char *empty = bytes_file("empty.log", "", 0);
	char *fifo = xasprintf("%s/fifo", tmpdir);
	char *missing = xasprintf("%s/nothing", tmpdir);

	is_int(prefetch_worth(plain), 0, "plain text: read by the caller");
	is_int(prefetch_worth(gzip), decompress_built_in(DECOMPRESS_GZIP),
	    "gzip data not named .gz: read ahead");
	is_int(prefetch_worth(zstd), decompress_built_in(DECOMPRESS_ZSTD),
	    "zstd data not named .zst: read ahead");
	is_int(prefetch_worth(empty), 0, "an empty file: not ahead");
	ok(mkfifo(fifo, 0600) == 0, "a FIFO made");
	is_int(prefetch_worth(fifo), 0, "a FIFO: never opened ahead");
	is_int(prefetch_worth(tmpdir), 0, "a directory: not ahead");
	is_int(prefetch_worth(missing), 0, "a missing file: its error is "
	    "the caller's, in its turn");
	is_int(prefetch_worth("-"), 0, "the standard input: not ahead");
	unlink(plain);
	unlink(gzip);
	unlink(zstd);
	unlink(empty);
	unlink(fifo);
	free(plain);
	free(gzip);
	free(zstd);
	free(empty);
	free(fifo);
	free(missing);
}

/* File I's spans joined into *GOT; the last kind prefetch_next gave. */
static enum prefetch_kind
drain(struct prefetch *p, size_t i, struct buf *got, unsigned long *lines,
    struct diag *err)
{
	struct buf into = BUF_INIT;
	struct diag note = { 0 };
	struct span sp;
	enum prefetch_kind kind;
	unsigned long next = 0;	/* the first span's number */

	buf_reset(got);
	*lines = 0;
	while ((kind = prefetch_next(p, i, &into, &sp, &note, err)) ==
	    PREFETCH_SPAN || kind == PREFETCH_NOTE) {
		if (kind == PREFETCH_NOTE) {
			diag_release(&note);
			continue;
		}
		/* In order, and the text is INTO's. */
		if (next == 0)
			next = sp.lineno;
		if (sp.lineno != next || sp.text != into.ptr)
			*lines = (unsigned long)-1;
		next += sp.nlines;
		if (*lines != (unsigned long)-1)
			*lines += sp.nlines;
		buf_add(got, sp.text, sp.len);
	}
	buf_release(&into);
	return kind;
}

int
main(void)
{
	struct prefetch_options o = { 0 };
	struct buf want[3], got = BUF_INIT;
	struct diag err = { 0 };
	struct prefetch *p;
	char *files[4];
	char ahead[4] = { 1, 1, 0, 1 };
	unsigned long lines;
	size_t i;

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	test_worth();
	memset(want, 0, sizeof(want));
	files[0] = numbered_file("a.log", 20000, &want[0]);
	files[1] = numbered_file("b.log", 3, &want[1]);
	files[2] = xstrdup("-");	/* not ahead: the caller's */
	files[3] = xasprintf("%s/missing.log", tmpdir);

	o.threads = 2;
	p = prefetch_new(files, ahead, 4, 4096, &o);
	ok(p != NULL, "two threads start");
	for (i = 0; i < 2; i++) {
		is_int(drain(p, i, &got, &lines, &err), PREFETCH_END,
		    "file %zu ends", i + 1);
		ok(got.len == want[i].len &&
		    memcmp(got.ptr, want[i].ptr, got.len) == 0,
		    "file %zu: its bytes, in order, in spans of about 4 KB",
		    i + 1);
		is_int(lines, i == 0 ? 20000 : 3,
		    "file %zu: every line, numbered in order", i + 1);
	}
	is_int(drain(p, 3, &got, &lines, &err), PREFETCH_ERROR,
	    "a file that cannot be opened is an error, in its turn");
	ok(err.msg != NULL && strstr(err.msg, "missing.log") != NULL &&
	    err.status == LOGQ_EXIT_INPUT, "... naming it, exit status 3");
	diag_release(&err);
	prefetch_free(p);

	/* Stopped while the threads wait for room: no file is taken, and
	 * every queue is full; valgrind checks that nothing leaks. */
	o.threads = 3;
	p = prefetch_new(files, ahead, 2, 512, &o);
	usleep(100000);
	prefetch_free(p);
	ok(1, "prefetch_free stops threads that wait for room");

	/* --shard over a prefetched file: the shards' lines add up. */
	o.threads = 1;
	o.shard_count = 3;
	lines = 0;
	for (o.shard_index = 1; o.shard_index <= 3; o.shard_index++) {
		unsigned long n;

		p = prefetch_new(files, ahead, 1, 4096, &o);
		drain(p, 0, &got, &n, &err);
		lines += n;
		prefetch_free(p);
	}
	is_int(lines, 20000, "three shards of a prefetched file: all lines");

	for (i = 0; i < 4; i++) {
		if (i != 2)
			unlink(files[i]);
		free(files[i]);
	}
	for (i = 0; i < 3; i++)
		buf_release(&want[i]);
	buf_release(&got);
	rmdir(tmpdir);
	return done_testing();
}
