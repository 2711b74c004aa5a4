/* reader.c - turn byte streams into lines of any length (SPEC section 2) */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_ZLIB
#include <zlib.h>
#endif

#include "diag.h"
#include "reader.h"
#include "util.h"

/* Each read asks for at least this much; pipes give at most 64 KiB. */
#define READER_BLOCK	(64 * 1024)

/*
 * buf[start..end) holds bytes not yet returned as lines; the newline
 * search resumes at scan so that a long line is never rescanned. Lines
 * are returned as pointers into buf: the only copy is the memmove of an
 * incomplete last line to the front before the next read.
 */
struct reader {
	char		*name;
	int		 fd;
	int		 is_stdin;
	int		 is_regular;	/* never blocks: no idle hook */
	int		 at_eof;
#ifdef HAVE_ZLIB
	gzFile		 gz;		/* NULL unless a .gz file */
#endif
	char		*buf;
	size_t		 cap;
	size_t		 start;
	size_t		 end;
	size_t		 scan;
	unsigned long	 lineno;
	void		(*idle_hook)(void *);
	void		*idle_ctx;
};

static int
reader_is_gz_name(const char *path)
{
	size_t len = strlen(path);

	return len > 3 && strcmp(path + len - 3, ".gz") == 0;
}

/* Quoted file name for messages; standard input has no name to quote. */
static const char *
reader_quoted_name(const struct reader *r, struct buf *b)
{
	if (r->is_stdin)
		buf_adds(b, "standard input");
	else
		buf_printf(b, "'%s'", r->name);
	return buf_str(b);
}

static void
reader_set_read_error(struct reader *r, const char *why, struct diag *err)
{
	struct buf b = BUF_INIT;

	diag_set(err, LOGQ_EXIT_INPUT, "error reading %s: %s",
	    reader_quoted_name(r, &b), why);
	buf_release(&b);
}

struct reader *
reader_open(const char *path, struct diag *err)
{
	struct reader *r;
	struct stat st;
	int fd, is_stdin = strcmp(path, "-") == 0;
	int is_gz = !is_stdin && reader_is_gz_name(path);

#ifndef HAVE_ZLIB
	if (is_gz) {
		diag_set(err, LOGQ_EXIT_INPUT,
		    "cannot read '%s': logq was built without zlib", path);
		return NULL;
	}
#endif
	if (is_stdin)
		fd = STDIN_FILENO;
	else {
		do
			fd = open(path, O_RDONLY | O_CLOEXEC);
		while (fd == -1 && errno == EINTR);
		if (fd == -1) {
			diag_set(err, LOGQ_EXIT_INPUT, "cannot open '%s': %s",
			    path, strerror(errno));
			return NULL;
		}
	}
	if (fstat(fd, &st) == -1) {
		diag_set(err, LOGQ_EXIT_INPUT, "cannot open '%s': %s", path,
		    strerror(errno));
		if (!is_stdin)
			close(fd);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		/* open() succeeds on a directory; read() would say EISDIR. */
		diag_set(err, LOGQ_EXIT_INPUT, "'%s' is a directory", path);
		if (!is_stdin)
			close(fd);
		return NULL;
	}

	r = xcalloc(1, sizeof *r);
	r->name = xstrdup(path);
	r->fd = fd;
	r->is_stdin = is_stdin;
	r->is_regular = S_ISREG(st.st_mode);
	r->cap = 2 * READER_BLOCK;
	r->buf = xmalloc(r->cap);
#ifdef HAVE_ZLIB
	if (is_gz) {
		r->gz = gzdopen(fd, "rb");
		if (r->gz == NULL) {
			diag_set(err, LOGQ_EXIT_INPUT, "cannot open '%s': %s",
			    path, errno ? strerror(errno) : "out of memory");
			reader_free(r);
			return NULL;
		}
		/* zlib's own buffer: bigger reads, fewer system calls. */
		gzbuffer(r->gz, 128 * 1024);
	}
#endif
#ifdef POSIX_FADV_SEQUENTIAL
	if (r->is_regular)
		(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	return r;
}

void
reader_set_idle_hook(struct reader *r, void (*hook)(void *), void *ctx)
{
	r->idle_hook = hook;
	r->idle_ctx = ctx;
}

const char *
reader_name(const struct reader *r)
{
	return r->name;
}

void
reader_free(struct reader *r)
{
	if (r == NULL)
		return;
#ifdef HAVE_ZLIB
	if (r->gz != NULL) {
		gzclose(r->gz);	/* closes fd too */
		r->fd = -1;
	}
#endif
	if (!r->is_stdin && r->fd != -1)
		close(r->fd);
	free(r->buf);
	free(r->name);
	free(r);
}

/*
 * When a live stream (pipe, terminal, FIFO) has nothing to read right
 * now, give the caller a chance to flush held output before we block.
 */
static void
reader_maybe_idle(struct reader *r)
{
	struct pollfd pfd;
	int n;

	if (r->idle_hook == NULL || r->is_regular)
		return;
	pfd.fd = r->fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	do
		n = poll(&pfd, 1, 0);
	while (n == -1 && errno == EINTR);
	if (n == 0)
		r->idle_hook(r->idle_ctx);
}

/* Reads into buf[end..cap): bytes read, 0 at end of input, -1 on error. */
static ssize_t
reader_fill(struct reader *r, struct diag *err)
{
	size_t room = r->cap - r->end;
	ssize_t n;

	reader_maybe_idle(r);
#ifdef HAVE_ZLIB
	if (r->gz != NULL) {
		const char *msg;
		int errnum, got;

		if (room > INT_MAX)
			room = INT_MAX;
		got = gzread(r->gz, r->buf + r->end, (unsigned)room);
		if (got > 0)
			return got;
		/* A truncated stream reads as 0 with an error set. */
		msg = gzerror(r->gz, &errnum);
		if (errnum == Z_OK)
			return 0;
		/* gzdopen names the stream "<fd:3>"; we name the file. */
		if (strncmp(msg, "<fd:", 4) == 0 && strstr(msg, ": ") != NULL)
			msg = strstr(msg, ": ") + 2;
		reader_set_read_error(r, errnum == Z_ERRNO ? strerror(errno) :
		    msg, err);
		return -1;
	}
#endif
	if (room > SSIZE_MAX)
		room = SSIZE_MAX;
	do
		n = read(r->fd, r->buf + r->end, room);
	while (n == -1 && errno == EINTR);
	if (n == -1) {
		reader_set_read_error(r, strerror(errno), err);
		return -1;
	}
	return n;
}

/* Makes room for at least READER_BLOCK more bytes after end. */
static void
reader_make_room(struct reader *r)
{
	if (r->start > 0) {
		/* Only the incomplete last line moves, once per read. */
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->scan -= r->start;
		r->start = 0;
	}
	if (r->cap - r->end < READER_BLOCK) {
		while (r->cap - r->end < READER_BLOCK)
			r->cap *= 2;
		r->buf = xrealloc(r->buf, r->cap);
	}
}

static void
reader_emit(struct reader *r, size_t line_end, size_t next,
    struct line *out)
{
	out->text = r->buf + r->start;
	out->len = line_end - r->start;
	out->lineno = ++r->lineno;
	r->start = r->scan = next;
}

int
reader_next(struct reader *r, struct line *out, struct diag *err)
{
	char *nl;
	size_t at;
	ssize_t n;

	for (;;) {
		nl = memchr(r->buf + r->scan, '\n', r->end - r->scan);
		if (nl != NULL) {
			at = (size_t)(nl - r->buf);
			/* "\r\n" ends a line; a lone '\r' is data. */
			if (at > r->start && r->buf[at - 1] == '\r')
				reader_emit(r, at - 1, at + 1, out);
			else
				reader_emit(r, at, at + 1, out);
			return 1;
		}
		r->scan = r->end;
		if (r->at_eof) {
			if (r->start == r->end)
				return 0;
			/* A last line without a newline is still a line. */
			reader_emit(r, r->end, r->end, out);
			return 1;
		}
		reader_make_room(r);
		n = reader_fill(r, err);
		if (n == -1)
			return -1;
		if (n == 0)
			r->at_eof = 1;
		r->end += (size_t)n;
	}
}
