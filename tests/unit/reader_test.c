/* SPDX-License-Identifier: MIT */
/* reader_test.c - files, pipes, FIFOs, gzip and zstd into lines (SPEC 1, 2) */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_ZLIB
#include <zlib.h>
#endif
#ifdef HAVE_ZSTD
#include <zstd.h>
#endif

#include "decompress.h"
#include "diag.h"
#include "reader.h"
#include "util.h"
#include "tap.h"

static char tmpdir[] = "/tmp/reader_test.XXXXXX";

static void
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			perror("write");
			exit(99);
		}
		p += n;
		len -= (size_t)n;
	}
}

/* A new temporary file holding DATA; the caller frees the name. */
static char *
temp_file(const void *data, size_t len)
{
	char *path = xasprintf("%s/in.XXXXXX", tmpdir);
	int fd = mkstemp(path);

	if (fd == -1) {
		perror("mkstemp");
		exit(99);
	}
	write_all(fd, data, len);
	close(fd);
	return path;
}

/* Reads every line of R; "|"-joined text into *joined, count returned. */
static int
read_all(struct reader *r, struct buf *joined, struct diag *err)
{
	struct line l;
	int n = 0, rc;

	buf_reset(joined);
	while ((rc = reader_next(r, &l, err)) == 1) {
		if (n > 0)
			buf_addc(joined, '|');
		buf_add(joined, l.text, l.len);
		n++;
	}
	return rc == 0 ? n : -1;
}

/* The lines of a temporary file holding DATA, "|"-joined. */
static int
lines_of(const char *data, size_t len, struct buf *joined)
{
	struct diag err = { 0 };
	char *path = temp_file(data, len);
	struct reader *r = reader_open(path, &err);
	int n;

	if (r == NULL) {
		diag_release(&err);
		free(path);
		return -2;
	}
	n = read_all(r, joined, &err);
	reader_free(r);
	unlink(path);
	free(path);
	diag_release(&err);
	return n;
}

static void
test_endings(void)
{
	struct buf b = BUF_INIT;
	struct diag err = { 0 };
	struct reader *r;
	struct line l;
	char *path;

	is_int(lines_of("", 0, &b), 0, "an empty file has no lines");
	is_int(lines_of("a\nb\n", 4, &b), 2, "two lines with newlines");
	is_str(buf_str(&b), "a|b", "... read as a and b");
	is_int(lines_of("a\nb", 3, &b), 2, "a last line without newline");
	is_str(buf_str(&b), "a|b", "... is still a line");
	is_int(lines_of("a\r\nb\r\n", 6, &b), 2, "CRLF endings");
	is_str(buf_str(&b), "a|b", "... lose the CR");
	is_int(lines_of("a\rb\n", 4, &b), 1, "a lone CR is not an ending");
	is_str(buf_str(&b), "a\rb", "... and stays in the line");
	is_int(lines_of("x\r", 2, &b), 1, "CR at end of file, no newline");
	is_str(buf_str(&b), "x\r", "... keeps the CR (only CR LF ends)");
	is_int(lines_of("\n\n\r\n", 4, &b), 3, "empty lines are lines");
	is_str(buf_str(&b), "||", "... all three empty");
	is_int(lines_of("a\0b\n\0\n", 6, &b), 2, "NUL bytes do not end lines");
	ok(b.len == 5 && memcmp(b.ptr, "a\0b|\0", 5) == 0,
	    "... and are kept in the text");

	path = temp_file("one\ntwo\r\nthree", 14);
	r = reader_open(path, &err);
	ok(r != NULL, "open a temporary file");
	is_str(reader_name(r), path, "reader_name is the path given");
	ok(reader_next(r, &l, &err) == 1 && l.lineno == 1 && l.len == 3,
	    "line 1 is numbered 1, 3 bytes");
	ok(reader_next(r, &l, &err) == 1 && l.lineno == 2 && l.len == 3,
	    "line 2 is numbered 2, 3 bytes without CR LF");
	ok(reader_next(r, &l, &err) == 1 && l.lineno == 3 && l.len == 5,
	    "line 3 (no newline) is numbered 3");
	is_int(reader_next(r, &l, &err), 0, "then end of input");
	is_int(reader_next(r, &l, &err), 0, "end of input is sticky");
	ok(!diag_is_set(&err), "no error at end of input");
	reader_free(r);
	unlink(path);
	free(path);
	buf_release(&b);
}

static void
test_long_lines(void)
{
	struct buf b = BUF_INIT, want = BUF_INIT;
	size_t big = 10 * 1024 * 1024, i;
	char *data = xmalloc(big + 16);
	int n;

	memset(data, 'x', big);
	n = lines_of(data, big, &b);
	is_int(n, 1, "a 10 MB file without newline is one line");
	ok(b.len == big && b.ptr[0] == 'x' && b.ptr[big - 1] == 'x',
	    "... of 10485760 bytes");

	data[0] = '{';
	data[big - 1] = '}';
	memcpy(data + big, "\ntail\r\n", 7);
	n = lines_of(data, big + 7, &b);
	is_int(n, 2, "a 10 MB line then a short one");
	ok(b.len == big + 5 && b.ptr[0] == '{' && b.ptr[big - 1] == '}' &&
	    memcmp(b.ptr + big, "|tail", 5) == 0,
	    "... both intact across buffer growth");
	free(data);

	/* Lines of 1 to 3000 bytes cross every 64 KiB block edge. */
	buf_reset(&want);
	for (i = 0; i < 400; i++) {
		size_t len = (i * 7919) % 3000 + 1, k;

		for (k = 0; k < len; k++)
			buf_addc(&want, (char)('a' + (i + k) % 26));
		buf_addc(&want, '\n');
	}
	n = lines_of(want.ptr, want.len, &b);
	is_int(n, 400, "400 lines of varied length");
	for (i = 0; i < want.len; i++)
		if (want.ptr[i] == '\n')
			want.ptr[i] = '|';
	want.ptr[--want.len] = '\0';	/* no separator after the last */
	ok(b.len == want.len && memcmp(b.ptr, want.ptr, b.len) == 0,
	    "... every byte where it belongs across block edges");
	buf_release(&b);
	buf_release(&want);
}

static void
test_errors(void)
{
	struct diag err = { 0 };
	struct reader *r;
	struct line l;
	char *path, *msg;
	int fd;

	r = reader_open("/nonexistent-logq-dir/nope.log", &err);
	ok(r == NULL, "a missing file cannot be opened");
	is_str(err.msg, "cannot open '/nonexistent-logq-dir/nope.log': "
	    "No such file or directory", "missing file message, git style");
	is_int(err.status, LOGQ_EXIT_INPUT, "missing file is exit status 3");
	diag_release(&err);

	r = reader_open(tmpdir, &err);
	ok(r == NULL, "a directory cannot be read");
	msg = xasprintf("'%s' is a directory", tmpdir);
	is_str(err.msg, msg, "directory message");
	is_int(err.status, LOGQ_EXIT_INPUT, "directory is exit status 3");
	free(msg);
	diag_release(&err);

	path = temp_file("secret\n", 7);
	chmod(path, 0);
	if (geteuid() != 0) {
		r = reader_open(path, &err);
		msg = xasprintf("cannot open '%s': Permission denied", path);
		ok(r == NULL, "an unreadable file cannot be opened");
		is_str(err.msg, msg, "permission message");
		free(msg);
		diag_release(&err);
	} else {
		ok(1, "# SKIP root reads files without permission");
		ok(1, "# SKIP root reads files without permission");
	}
	unlink(path);
	free(path);

	/* Linux: reading /proc/self/mem at offset 0 fails with EIO. */
	fd = open("/proc/self/mem", O_RDONLY);
	if (fd != -1) {
		close(fd);
		r = reader_open("/proc/self/mem", &err);
		ok(r != NULL, "/proc/self/mem opens");
		is_int(r ? reader_next(r, &l, &err) : 0, -1,
		    "a read error is -1");
		is_str(err.msg, "error reading '/proc/self/mem': "
		    "Input/output error", "read error message names the file");
		reader_free(r);
		diag_release(&err);
	} else {
		ok(1, "# SKIP no /proc/self/mem");
		ok(1, "# SKIP no /proc/self/mem");
		ok(1, "# SKIP no /proc/self/mem");
	}
}

static void
count_idle(void *ctx)
{
	(*(int *)ctx)++;
}

/* A child writes CHUNKS to FD, pausing PAUSE_MS before each, and exits. */
static pid_t
spawn_writer(const char *path, int fd, const char *const *chunks,
    int pause_ms)
{
	pid_t pid = fork();
	size_t i;

	if (pid == -1) {
		perror("fork");
		exit(99);
	}
	if (pid > 0)
		return pid;
	if (path != NULL)
		fd = open(path, O_WRONLY);
	if (fd == -1)
		_exit(98);
	for (i = 0; chunks[i] != NULL; i++) {
		usleep((useconds_t)pause_ms * 1000);
		write_all(fd, chunks[i], strlen(chunks[i]));
	}
	_exit(0);
}

static void
test_stdin_pipe(void)
{
	static const char *const chunks[] = {
		"first\nsec", "ond\r\nthird", NULL
	};
	struct diag err = { 0 };
	struct buf b = BUF_INIT;
	struct reader *r;
	int fds[2], saved, status, idle = 0;
	pid_t pid;

	if (pipe(fds) == -1) {
		perror("pipe");
		exit(99);
	}
	saved = dup(STDIN_FILENO);
	dup2(fds[0], STDIN_FILENO);
	close(fds[0]);
	pid = spawn_writer(NULL, fds[1], chunks, 50);
	close(fds[1]);

	r = reader_open("-", &err);
	ok(r != NULL, "\"-\" opens standard input");
	is_str(reader_name(r), "-", "standard input is named \"-\"");
	reader_set_idle_hook(r, count_idle, &idle);
	is_int(read_all(r, &b, &err), 3, "three lines from a pipe");
	is_str(buf_str(&b), "first|second|third",
	    "lines split across writes are joined");
	ok(idle >= 1, "the idle hook ran while the pipe was empty");
	reader_free(r);
	ok(fcntl(STDIN_FILENO, F_GETFD) != -1,
	    "reader_free leaves standard input open");
	waitpid(pid, &status, 0);
	dup2(saved, STDIN_FILENO);
	close(saved);
	buf_release(&b);
	diag_release(&err);
}

static void
test_fifo(void)
{
	static const char *const chunks[] = {
		"{\"a\":1}\n", "{\"a\":2}", NULL
	};
	struct diag err = { 0 };
	struct buf b = BUF_INIT;
	struct reader *r;
	char *path = xasprintf("%s/fifo", tmpdir);
	int status, idle = 0;
	pid_t pid;

	if (mkfifo(path, 0600) == -1) {
		perror("mkfifo");
		exit(99);
	}
	pid = spawn_writer(path, -1, chunks, 100);
	r = reader_open(path, &err);
	ok(r != NULL, "a FIFO opens");
	reader_set_idle_hook(r, count_idle, &idle);
	is_int(read_all(r, &b, &err), 2, "two lines from a FIFO");
	is_str(buf_str(&b), "{\"a\":1}|{\"a\":2}", "FIFO lines intact");
	ok(idle >= 1, "the idle hook ran before blocking on the FIFO");
	reader_free(r);
	waitpid(pid, &status, 0);
	unlink(path);
	free(path);
	buf_release(&b);
	diag_release(&err);
}

/* Follow mode's timer: counts its calls, due every MS milliseconds,
 * and ends the input at its END-th call. */
struct timer_count {
	int	 calls, end, ms;
};

static int
tick_timer(void *ctx)
{
	struct timer_count *t = ctx;

	return ++t->calls >= t->end ? -1 : t->ms;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
test_timer(void)
{
	struct diag err = { 0 };
	struct buf b = BUF_INIT;
	struct timer_count t = { 0, 5, 20 };
	struct reader *r;
	char *path;
	int fds[2], saved;
	double start;

	/* A pipe whose writer stays open and says two lines, then
	 * nothing: the reader waits in poll(2) for the timer's 20 ms at
	 * a time, calling it at each timeout, until it ends the input. */
	if (pipe(fds) == -1) {
		perror("pipe");
		exit(99);
	}
	write_all(fds[1], "a\nb\n", 4);
	saved = dup(STDIN_FILENO);
	dup2(fds[0], STDIN_FILENO);
	close(fds[0]);
	r = reader_open("-", &err);
	reader_set_timer(r, tick_timer, &t);
	start = now_ms();
	is_int(read_all(r, &b, &err), 2, "timer: the two lines are read");
	is_str(buf_str(&b), "a|b", "timer: lines intact");
	is_int(t.calls, 5, "timer: called before the read, then at each "
	    "timeout, until it ends the input");
	ok(now_ms() - start >= 3 * 20, "timer: the reader waited in "
	    "poll(2) between the calls, not in a busy loop");
	reader_free(r);
	close(fds[1]);
	dup2(saved, STDIN_FILENO);
	close(saved);
	buf_release(&b);

	/* A regular file is never waited on: the timer's minute costs
	 * nothing, and the file is read to its end. */
	path = temp_file("x\ny\nz\n", 6);
	t.calls = 0;
	t.end = 1000;
	t.ms = 60000;
	r = reader_open(path, &err);
	reader_set_timer(r, tick_timer, &t);
	start = now_ms();
	is_int(read_all(r, &b, &err), 3, "timer, regular file: 3 lines");
	ok(t.calls >= 1 && now_ms() - start < 30000,
	    "timer, regular file: called, never waited on");
	reader_free(r);
	unlink(path);
	free(path);
	buf_release(&b);
	diag_release(&err);
}

static void
test_regular_no_idle(void)
{
	struct diag err = { 0 };
	struct buf b = BUF_INIT;
	char *path = temp_file("a\nb\n", 4);
	struct reader *r = reader_open(path, &err);
	int idle = 0;

	reader_set_idle_hook(r, count_idle, &idle);
	is_int(read_all(r, &b, &err), 2, "regular file with a hook: 2 lines");
	is_int(idle, 0, "the idle hook never runs for a regular file");
	reader_free(r);
	unlink(path);
	free(path);
	buf_release(&b);
}

#ifdef HAVE_ZLIB
/* A child writes LEN bytes of DATA to FD in pieces of PIECE bytes,
 * pausing 20 ms before each, and exits. */
static pid_t
spawn_binary_writer(int fd, const void *data, size_t len, size_t piece)
{
	const char *p = data;
	pid_t pid = fork();

	if (pid == -1) {
		perror("fork");
		exit(99);
	}
	if (pid > 0)
		return pid;
	while (len > 0) {
		size_t n = len < piece ? len : piece;

		usleep(20 * 1000);
		write_all(fd, p, n);
		p += n;
		len -= n;
	}
	_exit(0);
}

#endif

/* The lines of the file at PATH, joined by '|', or -1 with *ERR. */
static int
read_path(const char *path, struct buf *b, struct diag *err)
{
	struct reader *r = reader_open(path, err);
	int n;

	if (r == NULL)
		return -1;
	n = read_all(r, b, err);
	reader_free(r);
	return n;
}

#if defined(HAVE_ZLIB) || defined(HAVE_ZSTD)
/* Lines {"n":FROM} .. {"n":TO - 1}, each with its newline. */
static void
numbered_lines(struct buf *b, int from, int to)
{
	int i;

	buf_reset(b);
	for (i = from; i < to; i++)
		buf_printf(b, "{\"n\":%d}\n", i);
}

/* N lines of random hex that compress badly: the compressed input is
 * larger than the first read (256 KiB for a file). */
static void
noisy_lines(struct buf *b, int n)
{
	unsigned long x = 88172645463325252UL;
	int i, k;

	buf_reset(b);
	for (i = 0; i < n; i++) {
		buf_printf(b, "{\"n\":%d,\"x\":\"", i);
		for (k = 0; k < 4; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf_printf(b, "%016lx", x);
		}
		buf_adds(b, "\"}\n");
	}
}

/* The line count and bytes of TEXT read back from a file holding ENC,
 * its compressed form. */
static int
reads_back(const struct buf *text, const struct buf *enc, int nlines)
{
	struct diag err = { 0 };
	struct buf got = BUF_INIT;
	char *path = temp_file(enc->ptr, enc->len), *p;
	int n = read_path(path, &got, &err), same;

	/* read_all joins with '|': put the newlines back. */
	for (p = got.ptr; p != NULL && p < got.ptr + got.len; p++)
		if (*p == '|')
			*p = '\n';
	same = n == nlines && got.len + 1 == text->len &&
	    memcmp(got.ptr, text->ptr, got.len) == 0;
	diag_release(&err);
	buf_release(&got);
	unlink(path);
	free(path);
	return same;
}

/* What read_all joins of numbered_lines(FROM, TO). */
static int
joined_is(const struct buf *b, int from, int to)
{
	struct buf want = BUF_INIT;
	int i, same;

	for (i = from; i < to; i++)
		buf_printf(&want, "%s{\"n\":%d}", i > from ? "|" : "", i);
	same = b->len == want.len && memcmp(b->ptr, want.ptr, b->len) == 0;
	buf_release(&want);
	return same;
}

#endif

#ifdef HAVE_ZLIB
/* A temporary file holding the concatenation of the N parts. */
static char *
temp_file_parts(const struct buf *parts, size_t n)
{
	struct buf all = BUF_INIT;
	char *path;
	size_t i;

	for (i = 0; i < n; i++)
		buf_add(&all, parts[i].ptr, parts[i].len);
	path = temp_file(all.ptr, all.len);
	buf_release(&all);
	return path;
}

/* TEXT as one gzip member, appended to OUT. */
static void
gzip_member(const struct buf *text, struct buf *out)
{
	z_stream z;
	unsigned char chunk[16384];
	int ret;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		exit(99);
	z.next_in = (unsigned char *)text->ptr;
	z.avail_in = (unsigned)text->len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		ret = deflate(&z, Z_FINISH);
		buf_add(out, (const char *)chunk, sizeof(chunk) - z.avail_out);
	} while (ret == Z_OK);
	deflateEnd(&z);
}

static void
test_gzip(void)
{
	struct diag err = { 0 };
	struct buf text = BUF_INIT, gz[3] = { BUF_INIT, BUF_INIT, BUF_INIT };
	struct buf b = BUF_INIT;
	struct reader *r;
	struct span sp;
	char *path, *msg;
	int fds[2], saved, status;
	pid_t pid;

	/* A rotated log keeps its gzip content and loses the name. */
	numbered_lines(&text, 0, 20000);
	gzip_member(&text, &gz[0]);
	path = temp_file(gz[0].ptr, gz[0].len);
	is_int(read_path(path, &b, &err), 20000,
	    "gzip told by content: 20000 lines from a file not named .gz");
	ok(joined_is(&b, 0, 20000), "decompressed lines are the text written");

	/* Cut in half: the stream ends early. */
	if (truncate(path, (off_t)gz[0].len / 2) != 0)
		exit(99);
	is_int(read_path(path, &b, &err), -1, "a truncated gzip is an error");
	msg = xasprintf("error reading '%s': unexpected end of file", path);
	is_str(err.msg, msg, "truncated gzip message");
	is_int(err.status, LOGQ_EXIT_INPUT, "truncated gzip is exit status 3");
	free(msg);
	diag_release(&err);
	unlink(path);
	free(path);

	/* Two members, as `cat a.gz b.gz` makes, then zero padding. */
	numbered_lines(&text, 20000, 20010);
	gzip_member(&text, &gz[1]);
	buf_add(&gz[2], "\0\0\0\0\0\0\0\0", 8);
	path = temp_file_parts(gz, 3);
	is_int(read_path(path, &b, &err), 20010,
	    "two gzip members and zero padding read as one input");
	ok(joined_is(&b, 0, 20010), "both members' lines, in order");
	unlink(path);
	free(path);

	/* Anything else after the data is not read as lines. */
	buf_reset(&gz[2]);
	buf_adds(&gz[2], "{\"n\":1}\n");
	path = temp_file_parts(gz, 3);
	is_int(read_path(path, &b, &err), -1,
	    "text after the gzip data is an error");
	msg = xasprintf("error reading '%s': data after the end of the gzip "
	    "data is not gzip", path);
	is_str(err.msg, msg, "trailing data message");
	free(msg);
	diag_release(&err);
	unlink(path);
	free(path);

	/* Standard input in pieces of 1 byte: the magic is split across
	 * reads of a pipe, and still told. */
	if (pipe(fds) == -1) {
		perror("pipe");
		exit(99);
	}
	saved = dup(STDIN_FILENO);
	dup2(fds[0], STDIN_FILENO);
	close(fds[0]);
	pid = spawn_binary_writer(fds[1], gz[1].ptr, gz[1].len, 1);
	close(fds[1]);
	r = reader_open("-", &err);
	is_int(read_all(r, &b, &err), 10,
	    "gzip on standard input, one byte a write: 10 lines");
	ok(joined_is(&b, 20000, 20010), "its lines are the text written");
	reader_free(r);
	waitpid(pid, &status, 0);
	dup2(saved, STDIN_FILENO);
	close(saved);

	/* Compressed data larger than the first read, which sniffs it. */
	noisy_lines(&text, 20000);
	buf_reset(&gz[0]);
	gzip_member(&text, &gz[0]);
	ok(gz[0].len > 512 * 1024 && reads_back(&text, &gz[0], 20000),
	    "gzip of %zu bytes (more than a first read) reads back whole",
	    gz[0].len);

	/* SIGINT in the middle: the input ends there, and the stream cut
	 * short by it is not an error (SPEC 1.1). */
	path = temp_file(gz[0].ptr, gz[0].len);
	r = reader_open(path, &err);
	ok(r != NULL && reader_next_span(r, 4096, &sp, &err) == 1,
	    "a first span read");
	reader_stop = SIGINT;
	while ((status = reader_next_span(r, 4096, &sp, &err)) == 1)
		;
	reader_stop = 0;
	is_int(status, 0, "a stop signal ends compressed input");
	ok(err.msg == NULL, "... with no error: %s", err.msg ? err.msg :
	    "none");
	diag_release(&err);
	reader_free(r);
	unlink(path);
	free(path);

	buf_release(&text);
	buf_release(&gz[0]);
	buf_release(&gz[1]);
	buf_release(&gz[2]);
	buf_release(&b);
}
#endif

#ifdef HAVE_ZSTD
static void
zstd_frame(const struct buf *text, struct buf *out)
{
	size_t bound = ZSTD_compressBound(text->len), n;
	char *dst = xmalloc(bound);

	n = ZSTD_compress(dst, bound, text->ptr, text->len, 3);
	if (ZSTD_isError(n))
		exit(99);
	buf_add(out, dst, n);
	free(dst);
}

static void
test_zstd(void)
{
	struct diag err = { 0 };
	struct buf text = BUF_INIT, zst = BUF_INIT, b = BUF_INIT;
	char *path, *msg;

	numbered_lines(&text, 0, 30000);
	zstd_frame(&text, &zst);
	numbered_lines(&text, 30000, 30005);
	zstd_frame(&text, &zst);
	path = temp_file(zst.ptr, zst.len);
	is_int(read_path(path, &b, &err), 30005,
	    "zstd told by content: two frames read as one input");
	ok(joined_is(&b, 0, 30005), "zstd lines are the text written");
	if (truncate(path, (off_t)zst.len / 2) != 0)
		exit(99);
	is_int(read_path(path, &b, &err), -1, "a truncated zstd is an error");
	msg = xasprintf("error reading '%s': unexpected end of file", path);
	is_str(err.msg, msg, "truncated zstd message");
	free(msg);
	diag_release(&err);
	unlink(path);
	free(path);
	noisy_lines(&text, 20000);
	buf_reset(&zst);
	zstd_frame(&text, &zst);
	ok(zst.len > 512 * 1024 && reads_back(&text, &zst, 20000),
	    "zstd of %zu bytes (more than a first read) reads back whole",
	    zst.len);
	buf_release(&text);
	buf_release(&zst);
	buf_release(&b);
}
#endif

/* Formats logq does not read, and those this build lacks, are refused
 * with the command that reads them, never read as garbage. */
static void
test_refused(void)
{
	static const struct {
		const char	*bytes;
		size_t		 len;
		const char	*what, *tool;
	} cases[] = {
		{ "BZh91AY&SY\x01\x02", 12, "bzip2 data, which logq does not "
		    "read", "bzcat" },
		{ "\xfd" "7zXZ\0\0\x04", 8, "xz data, which logq does not "
		    "read", "xzcat" },
		{ "PK\x03\x04\x14\0\0\0", 8, "zip data, which logq does not "
		    "read", "unzip -p" },
#ifndef HAVE_ZLIB
		{ "\x1f\x8b\x08\0\0\0\0\0", 8, "gzip data, and this logq was "
		    "built without zlib", "zcat" },
#endif
#ifndef HAVE_ZSTD
		{ "\x28\xb5\x2f\xfd\x04\0", 6, "zstd data, and this logq was "
		    "built without libzstd", "zstdcat" },
#endif
	};
	struct diag err = { 0 };
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = temp_file(cases[i].bytes, cases[i].len);
		char *msg = xasprintf("cannot read '%s': it is %s; decompress "
		    "it first: %s '%s' | logq ...", path, cases[i].what,
		    cases[i].tool, path);

		is_int(read_path(path, &b, &err), -1, "%s: refused",
		    cases[i].tool);
		is_str(err.msg, msg, "%s: the message names the format and "
		    "the command", cases[i].tool);
		is_int(err.status, LOGQ_EXIT_INPUT, "%s: exit status 3",
		    cases[i].tool);
		diag_release(&err);
		free(msg);
		unlink(path);
		free(path);
	}
	buf_release(&b);
}

/* Short plain files that begin like a magic number are read as lines. */
static void
test_magic_prefixes(void)
{
	struct diag err = { 0 };
	struct buf b = BUF_INIT;
	char *path = temp_file("\x1f", 1);

	is_int(read_path(path, &b, &err), 1,
	    "a one-byte file 0x1f is one plain line");
	unlink(path);
	free(path);
	path = temp_file("BZ\nPK\n", 6);
	is_int(read_path(path, &b, &err), 2, "\"BZ\" and \"PK\" lines are text");
	is_str(buf_str(&b), "BZ|PK", "their text as written");
	unlink(path);
	free(path);
	buf_release(&b);
}

/*
 * The lines of DATA read as spans of at most MAX bytes and cut with
 * reader_cut_line: text, line numbers and counts the same as
 * reader_next() gives, line for line. Returns 1 when they agree.
 */
static int
spans_agree(const char *data, size_t len, size_t max)
{
	struct diag err = { 0 };
	char *path = temp_file(data, len);
	struct reader *a = reader_open(path, &err);
	struct reader *b = reader_open(path, &err);
	struct buf held = BUF_INIT, kept = BUF_INIT, t;
	struct span sp;
	struct line l;
	unsigned turn = 0;
	int same = a != NULL && b != NULL, rc;

	/* Spans taken (the buffer handed over, then kept elsewhere as a
	 * chunk keeps it) and spans copied, in turn. */
	while (same && (rc = turn++ % 3 ? reader_take_span(b, &held, max,
	    &sp, &err) : reader_next_span(b, max, &sp, &err)) == 1) {
		size_t pos = 0, k;
		const char *text;
		size_t tlen;

		for (k = 0; k < sp.nlines; k++) {
			if (!reader_cut_line(sp.text, sp.len, &pos, &text,
			    &tlen) || reader_next(a, &l, &err) != 1 ||
			    l.len != tlen || memcmp(l.text, text, tlen) != 0 ||
			    l.lineno != sp.lineno + k) {
				same = 0;
				break;
			}
		}
		/* The count covers the span exactly. */
		same &= pos == sp.len;
		/* Within MAX, unless one line alone is longer. */
		same &= sp.len <= max || sp.nlines == 1;
		if (sp.text == held.ptr) {
			t = kept;
			kept = held;
			held = t;
			buf_reset(&held);
		}
	}
	buf_release(&held);
	buf_release(&kept);
	same &= a != NULL && reader_next(a, &l, &err) == 0;
	reader_free(a);
	reader_free(b);
	unlink(path);
	free(path);
	diag_release(&err);
	return same;
}

static void
test_spans(void)
{
	static const char *const inputs[] = {
		"", "\n", "a", "a\n", "a\r\n", "a\r", "\r\n\r\n",
		"one\ntwo\r\nthree\rstill three\n\nlast",
		"x\r\ny\r\nz\r",
	};
	struct buf big = BUF_INIT;
	size_t i, m;
	int all = 1;

	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
		for (m = 1; m <= 8; m++)
			all &= spans_agree(inputs[i], strlen(inputs[i]), m);
	ok(all, "spans cut into the lines reader_next gives (CR, CRLF, "
	    "blank lines, no final newline), whatever their size");
	/* Many short lines, a few very long ones, NUL bytes. */
	for (i = 0; i < 20000; i++) {
		if (i % 5000 == 7)
			for (m = 0; m < 300000; m++)
				buf_addc(&big, (char)('a' + m % 26));
		buf_printf(&big, "{\"n\":%zu}%s", i, i % 3 ? "\n" : "\r\n");
		if (i % 1000 == 3)
			buf_add(&big, "\0\0\n", 3);
	}
	ok(spans_agree(big.ptr, big.len, 256 * 1024) &&
	    spans_agree(big.ptr, big.len, 100) &&
	    spans_agree(big.ptr, big.len, 1),
	    "spans of 300 kB lines among short ones agree with reader_next");
	buf_release(&big);
}

/* Reads every span of R cut into lines: "|"-joined into *joined, the
 * too-long line numbers ","-joined into *longs. Lines, or -1. */
static int
read_spans(struct reader *r, struct buf *joined, struct buf *longs,
    struct diag *err)
{
	struct span sp;
	int n = 0, rc;
	size_t k;

	buf_reset(joined);
	buf_reset(longs);
	while ((rc = reader_next_span(r, 1 << 20, &sp, err)) == 1) {
		size_t pos = 0, tlen;
		const char *text;

		while (reader_cut_line(sp.text, sp.len, &pos, &text, &tlen)) {
			if (n++ > 0)
				buf_addc(joined, '|');
			buf_add(joined, text, tlen);
		}
		for (k = 0; k < sp.ntoo_long; k++)
			buf_printf(longs, "%s%lu", longs->len ? "," : "",
			    sp.too_long[k]);
	}
	return rc == 0 ? n : -1;
}

static void
test_max_line_bytes(void)
{
	struct diag err = { 0 };
	struct buf data = BUF_INIT, joined = BUF_INIT, longs = BUF_INIT;
	struct buf want = BUF_INIT;
	struct reader *r;
	char *path;
	size_t i;

	/* Line 2 (600000 bytes) and 5 (700000, no newline) are longer
	 * than a read (256 KiB): the reader drops them; line 3 (150
	 * bytes) comes whole in a read and is left to the caller. */
	buf_adds(&data, "short\n");
	for (i = 0; i < 600000; i++)
		buf_addc(&data, 'x');
	buf_addc(&data, '\n');
	for (i = 0; i < 150; i++)
		buf_addc(&data, 'm');
	buf_adds(&data, "\nafter\r\n");
	for (i = 0; i < 700000; i++)
		buf_addc(&data, 'y');
	path = temp_file(data.ptr, data.len);

	r = reader_open(path, &err);
	reader_set_max_line_bytes(r, 100);
	is_int(read_spans(r, &joined, &longs, &err), 5,
	    "max_line_bytes: every line is still a line");
	buf_adds(&want, "short||");
	for (i = 0; i < 150; i++)
		buf_addc(&want, 'm');
	buf_adds(&want, "|after|");
	is_str(buf_str(&joined), buf_str(&want),
	    "max_line_bytes: lines too long for a read are empty");
	is_str(buf_str(&longs), "2,5",
	    "max_line_bytes: the spans name lines 2 and 5 too long");
	reader_free(r);

	r = reader_open(path, &err);
	is_int(read_spans(r, &joined, &longs, &err), 5,
	    "no cap: the same 5 lines");
	is_int((int)joined.len, (int)(data.len - 1), "no cap: whole "
	    "(each newline a '|', line 4's \"\\r\" gone)");
	is_str(buf_str(&longs), "", "no cap: no line too long");
	reader_free(r);

	unlink(path);
	free(path);
	buf_release(&data);
	buf_release(&joined);
	buf_release(&longs);
	buf_release(&want);
	diag_release(&err);
}

/* An allocator with 300 KB of memory. */
static void *
small_realloc(void *p, size_t n)
{
	return n > 300000 ? NULL : realloc(p, n);
}

static void
test_out_of_memory(void)
{
	struct diag err = { 0 };
	struct buf data = BUF_INIT, joined = BUF_INIT, longs = BUF_INIT;
	struct reader *r;
	char *path, *want;
	size_t i;

	buf_adds(&data, "{\"a\":1}\n");
	for (i = 0; i < 600000; i++)
		buf_addc(&data, 'x');
	buf_adds(&data, "\n{\"a\":2}\n");
	path = temp_file(data.ptr, data.len);

	r = reader_open(path, &err);
	reader_set_allocator(r, small_realloc);
	is_int(read_spans(r, &joined, &longs, &err), -1,
	    "out of memory in a line: an error, not an exit");
	is_int(err.status, LOGQ_EXIT_INPUT, "out of memory: exit status 3");
	want = xasprintf("error reading '%s': line 2 is longer than memory "
	    "allows; skip such lines with --max-line-bytes", path);
	is_str(err.msg, want, "out of memory: the message names the file "
	    "and the line");
	is_str(buf_str(&joined), "{\"a\":1}", "the line before was read");
	free(want);
	reader_free(r);
	diag_release(&err);

	/* The same allocator with a cap: the line is dropped as read. */
	r = reader_open(path, &err);
	reader_set_allocator(r, small_realloc);
	reader_set_max_line_bytes(r, 1000);
	is_int(read_spans(r, &joined, &longs, &err), 3,
	    "max_line_bytes under the same memory: all 3 lines");
	is_str(buf_str(&longs), "2", "and line 2 is the one too long");
	reader_free(r);

	unlink(path);
	free(path);
	buf_release(&data);
	buf_release(&joined);
	buf_release(&longs);
	diag_release(&err);
}

/* Shard I of N of PATH, "LINENO:TEXT\n" per line appended to OUT, by
 * reader_next or, with SPANS, reader_next_span in small spans; the
 * value of reader_set_shard(), or -1 on error. */
static int
read_shard(const char *path, unsigned long i, unsigned long n, int spans,
    struct buf *out)
{
	struct diag err = { 0 }, note = { 0 };
	struct reader *r = reader_open(path, &err);
	struct line l;
	struct span sp;
	const char *text;
	size_t pos, len;
	unsigned long lineno;
	int rc, split;

	if (r == NULL)
		return -1;
	if ((split = reader_set_shard(r, i, n, &note, &err)) < 0) {
		reader_free(r);
		diag_release(&err);
		return -1;
	}
	if (!spans)
		while ((rc = reader_next(r, &l, &err)) == 1) {
			buf_printf(out, "%lu:", l.lineno);
			buf_add(out, l.text, l.len);
			buf_addc(out, '\n');
		}
	else
		while ((rc = reader_next_span(r, 7, &sp, &err)) == 1)
			for (pos = 0, lineno = sp.lineno; reader_cut_line(
			    sp.text, sp.len, &pos, &text, &len); lineno++) {
				buf_printf(out, "%lu:", lineno);
				buf_add(out, text, len);
				buf_addc(out, '\n');
			}
	reader_free(r);
	diag_release(&err);
	diag_release(&note);
	return rc < 0 ? -1 : split;
}

/*
 * --shard (SPEC 1, 7): for every N, the shards' lines, in shard order,
 * are the whole file's lines with the same numbers: none read twice or
 * lost, also with N past the number of bytes, without a final newline,
 * with CRLF, empty lines, and lines longer than a shard and than the
 * reader's buffer.
 */
static void
test_shard(void)
{
	static const unsigned long counts[] = { 2, 3, 4, 5, 7, 8, 13, 64 };
	struct buf data[8], whole = BUF_INIT, union_ = BUF_INIT;
	struct diag err = { 0 }, note = { 0 };
	struct reader *r;
	struct line l;
	const char *what[8] = {
		"an empty file", "one line", "one line without newline",
		"CRLF and empty lines", "no final newline",
		"newlines only", "a 600 KB line among short ones",
		"1000 numbered lines"
	};
	size_t k, c;
	unsigned long i;
	char *path;
	int bad, splits = 0;

	memset(data, 0, sizeof(data));	/* eight BUF_INITs */
	buf_adds(&data[1], "{\"a\":1}\n");
	buf_adds(&data[2], "{\"a\":1}");
	buf_adds(&data[3], "{\"a\":1}\r\n\r\n\n{\"b\":22}\r\nx\r\n");
	buf_adds(&data[4], "a\nbb\nccc\ndddd\neeeee");
	buf_adds(&data[5], "\n\n\n\n\n");
	buf_adds(&data[6], "short\n");
	for (i = 0; i < 600000; i++)
		buf_addc(&data[6], (char)('a' + i % 26));
	buf_adds(&data[6], "\nafter\r\nlast");
	for (i = 0; i < 1000; i++)
		buf_printf(&data[7], "{\"n\":%lu}\n", i);
	for (k = 0; k < 8; k++) {
		path = temp_file(data[k].ptr, data[k].len);
		buf_reset(&whole);
		read_shard(path, 1, 1, 0, &whole);
		bad = 0;
		for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
			buf_reset(&union_);
			for (i = 1; i <= counts[c]; i++)
				bad |= read_shard(path, i, counts[c], c % 2,
				    &union_) != 1;
			bad |= union_.len != whole.len || (whole.len > 0 &&
			    memcmp(union_.ptr, whole.ptr, whole.len) != 0);
		}
		ok(!bad, "shards of %s read each line once, numbered", what[k]);
		unlink(path);
		free(path);
	}

	/* The 600 KB line starts in shard 1 of 64: shards 2 to about 40
	 * start inside it and have no line, and shard 1 reads past its
	 * range to the line's end. */
	path = temp_file(data[6].ptr, data[6].len);
	buf_reset(&union_);
	is_int(read_shard(path, 1, 64, 0, &union_), 1, "shard 1/64 splits");
	ok(union_.len == 8 + 600000 + 3 && memcmp(union_.ptr, "1:short\n2:",
	    10) == 0, "... and reads the long line whole");
	buf_reset(&union_);
	read_shard(path, 2, 64, 0, &union_);
	is_int(union_.len, 0, "a shard inside a long line reads nothing");
	buf_reset(&union_);
	read_shard(path, 64, 64, 1, &union_);
	is_str(buf_str(&union_), "3:after\n4:last\n",
	    "the last shard's lines keep the file's line numbers");
	unlink(path);
	free(path);

	/* Standard input from a regular file is split from where it is. */
	path = temp_file("skipped\n1\n2\n3\n4\n", 16);
	{
		int fd = open(path, O_RDONLY), saved = dup(STDIN_FILENO);

		dup2(fd, STDIN_FILENO);
		close(fd);
		(void)lseek(STDIN_FILENO, 8, SEEK_SET);
		r = reader_open("-", &err);
		is_int(reader_set_shard(r, 2, 2, &note, &err), 1,
		    "standard input on a file is split");
		ok(reader_next(r, &l, &err) == 1 && l.lineno == 3 &&
		    l.len == 1 && l.text[0] == '3',
		    "... from its offset: shard 2/2 of 1 2 3 4 is 3 4");
		reader_free(r);
		dup2(saved, STDIN_FILENO);
		close(saved);
	}
	unlink(path);
	free(path);

	/* What cannot be split is shard 1's whole, the others' none. */
	{
		int fds[2], saved = dup(STDIN_FILENO);

		if (pipe(fds) == -1)
			exit(99);
		write_all(fds[1], "a\nb\n", 4);
		close(fds[1]);
		dup2(fds[0], STDIN_FILENO);
		close(fds[0]);
		r = reader_open("-", &err);
		is_int(reader_set_shard(r, 2, 3, &note, &err), 0,
		    "a pipe is not split");
		is_str(note.msg, "warning: standard input cannot be split "
		    "into shards (it is not a regular file): shard 1/3 "
		    "reads all of it, shard 2/3 none", "... and says so");
		is_int(reader_next(r, &l, &err), 0,
		    "shard 2/3 reads none of it");
		reader_free(r);
		diag_release(&note);
		dup2(saved, STDIN_FILENO);
		close(saved);
	}
#ifdef HAVE_ZLIB
	{
		struct buf gz = BUF_INIT;

		gzip_member(&data[7], &gz);
		path = temp_file(gz.ptr, gz.len);
		buf_reset(&union_);
		splits = 0;
		for (i = 1; i <= 3; i++)
			splits += read_shard(path, i, 3, 0, &union_);
		buf_reset(&whole);
		read_shard(path, 1, 1, 0, &whole);
		ok(splits == 0 && union_.len == whole.len &&
		    memcmp(union_.ptr, whole.ptr, whole.len) == 0 &&
		    memcmp(whole.ptr, "1:{\"n\":0}\n", 10) == 0,
		    "gzip input is not split: shard 1 reads it whole");
		unlink(path);
		free(path);
		buf_release(&gz);
	}
#endif
	(void)splits;
	for (k = 0; k < 8; k++)
		buf_release(&data[k]);
	buf_release(&whole);
	buf_release(&union_);
	diag_release(&err);
}

/* CRI records joined (the kubelet's way), by hand: runs of P records
 * per stream, interleaved, a tag with ':', a line that is no record in
 * a run, a run the input ends in (no newline). */
static const char cri_input[] =
    "2026-01-02T03:04:05Z stdout P a\n"
    "2026-01-02T03:04:06Z stderr P x\n"
    "2026-01-02T03:04:07Z stdout P:T b\n"
    "plain\n"
    "2026-01-02T03:04:08Z stdout F c\n"
    "2026-01-02T03:04:09Z stdout F d\n"
    "2026-01-02T03:04:10Z stderr F y\n"
    "2026-01-02T03:04:11Z stderr P z";
static const char *const cri_want[] = {
	"2026-01-02T03:04:05Z stdout F abc",
	"2026-01-02T03:04:06Z stderr F xy",
	"", "plain", "",
	"2026-01-02T03:04:09Z stdout F d",
	"",
	"2026-01-02T03:04:11Z stderr F z",
};
/* Which of those lines are later records of a run (span.joined). */
static const int cri_joined[] = { 0, 0, 1, 0, 1, 0, 1, 0 };

/* The lines of shard INDEX/COUNT of PATH read in spans of MAX bytes
 * (taken or copied in turn), checked against cri_want and the spans'
 * joined lists against cri_joined; the lines seen marked in SEEN. 1
 * when they match. */
static int
cri_spans_match(const char *path, size_t max, unsigned long index,
    unsigned long count, int *seen)
{
	struct diag err = { 0 }, note = { 0 };
	struct reader *r = reader_open(path, &err);
	struct buf held = BUF_INIT;
	struct span sp;
	const char *text;
	size_t pos, k, j, tlen;
	unsigned turn = 0;
	int same = r != NULL, rc = 0, listed;

	if (same && count > 1)
		same = reader_set_shard(r, index, count, &note, &err) == 1;
	while (same && (rc = turn++ % 2 ? reader_take_span(r, &held, max,
	    &sp, &err) : reader_next_span(r, max, &sp, &err)) == 1) {
		for (pos = 0, k = 0, j = 0; k < sp.nlines && same; k++) {
			same = reader_cut_line(sp.text, sp.len, &pos, &text,
			    &tlen) && sp.lineno + k >= 1 &&
			    sp.lineno + k <= 8 && !seen[sp.lineno + k - 1] &&
			    strlen(cri_want[sp.lineno + k - 1]) == tlen &&
			    memcmp(cri_want[sp.lineno + k - 1], text,
			    tlen) == 0;
			if (!same)
				break;
			seen[sp.lineno + k - 1] = 1;
			listed = j < sp.njoined && sp.joined[j] == sp.lineno + k;
			j += listed;
			same = listed == cri_joined[sp.lineno + k - 1];
		}
		same &= pos == sp.len && j == sp.njoined;
		buf_reset(&held);
	}
	same &= rc == 0;
	buf_release(&held);
	reader_free(r);
	diag_release(&err);
	diag_release(&note);
	return same;
}

static void
test_cri(void)
{
	char *path = temp_file(cri_input, sizeof cri_input - 1);
	struct buf joined = BUF_INIT;
	unsigned long n, i;
	size_t max, k;
	int all = 1, seen[8];

	for (max = 1; max <= 300; max++) {
		memset(seen, 0, sizeof seen);
		all &= cri_spans_match(path, max, 1, 1, seen);
		for (k = 0; k < 8; k++)
			all &= seen[k];
	}
	ok(all, "CRI partial records joined per stream at the first "
	    "record's line, the later records listed as joined, whatever "
	    "the spans' size");
	all = 1;
	for (n = 2; n <= 12; n++) {
		memset(seen, 0, sizeof seen);
		for (i = 1; i <= n; i++)
			all &= cri_spans_match(path, 7, i, n, seen);
		for (k = 0; k < 8; k++)
			all &= seen[k];
	}
	ok(all, "CRI shards give each joined line once, at its first "
	    "record's line, whatever the shard count");
	ok(lines_of(cri_input, sizeof cri_input - 1, &joined) == 8 &&
	    strcmp(buf_str(&joined), "2026-01-02T03:04:05Z stdout F abc|"
	    "2026-01-02T03:04:06Z stderr F xy||plain||"
	    "2026-01-02T03:04:09Z stdout F d||"
	    "2026-01-02T03:04:11Z stderr F z") == 0,
	    "reader_next gives CRI input's joined lines");
	ok(lines_of("plain\n2026-01-02T03:04:05Z stdout P a\n"
	    "2026-01-02T03:04:06Z stdout F b\n", 70, &joined) == 3 &&
	    strcmp(buf_str(&joined), "plain|2026-01-02T03:04:05Z stdout P "
	    "a|2026-01-02T03:04:06Z stdout F b") == 0,
	    "input whose first line is no CRI record is read as it is");
	buf_release(&joined);
	unlink(path);
	free(path);
}

/* A new file NAME in tmpdir holding the LEN bytes of TEXT; owned path. */
static char *
worth_file(const char *name, const void *text, size_t len)
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
	char *plain = worth_file("plain.log", "{\"a\":1}\n", 8);
	char *gzip = worth_file("app.log.1", gz, sizeof(gz));
	char *zstd = worth_file("app.log.2", zst, sizeof(zst));
	char *empty = worth_file("empty.log", "", 0);
	char *fifo = xasprintf("%s/fifo", tmpdir);
	char *missing = xasprintf("%s/nothing", tmpdir);

	is_int(reader_is_compressed(plain), 0, "plain text: read by the caller");
	is_int(reader_is_compressed(gzip), decompress_built_in(DECOMPRESS_GZIP),
	    "gzip data not named .gz: read ahead");
	is_int(reader_is_compressed(zstd), decompress_built_in(DECOMPRESS_ZSTD),
	    "zstd data not named .zst: read ahead");
	is_int(reader_is_compressed(empty), 0, "an empty file: not ahead");
	ok(mkfifo(fifo, 0600) == 0, "a FIFO made");
	is_int(reader_is_compressed(fifo), 0, "a FIFO: never opened ahead");
	is_int(reader_is_compressed(tmpdir), 0, "a directory: not ahead");
	is_int(reader_is_compressed(missing), 0, "a missing file: its error is "
	    "the caller's, in its turn");
	is_int(reader_is_compressed("-"), 0, "the standard input: not ahead");
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

int
main(void)
{
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	test_endings();
	test_long_lines();
	test_errors();
	test_stdin_pipe();
	test_fifo();
	test_regular_no_idle();
	test_timer();
	test_spans();
	test_max_line_bytes();
	test_out_of_memory();
#ifdef HAVE_ZLIB
	test_gzip();
#endif
#ifdef HAVE_ZSTD
	test_zstd();
#endif
	test_refused();
	test_magic_prefixes();
	test_shard();
	test_cri();
	test_worth();
	rmdir(tmpdir);
	return done_testing();
}
