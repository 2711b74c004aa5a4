/* SPDX-License-Identifier: MIT */
/* reader.c - turn byte streams into lines of any length (SPEC section 2) */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bytes.h"
#include "decompress.h"
#include "diag.h"
#include "extract.h"
#include "reader.h"
#include "util.h"

volatile sig_atomic_t reader_stop;

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
	/* Until the first bytes were seen: whether the input is
	 * compressed (SPEC 1: by content, never by name). */
	int		 sniffed;
	struct decompress *dec;		/* NULL for plain input */
	unsigned char	*raw;		/* compressed bytes read, not decoded */
	size_t		 raw_start, raw_end, raw_cap;
	int		 raw_eof;
	char		*buf;
	size_t		 cap;
	size_t		 std_cap;	/* cap without long lines */
	size_t		 start;
	size_t		 end;
	size_t		 scan;
	unsigned long	 lineno;
	void		(*idle_hook)(void *);
	void		*idle_ctx;
	int		(*timer)(void *);
	void		*timer_ctx;
	size_t		 max_line_bytes;	/* 0: no cap */
	/* --shard: the reads stop after limit_left more bytes. */
	int		 is_limited;
	uint64_t	 limit_left;
	/* Lines dropped as too long, not yet handed out in a span, and
	 * how many at the front the last span handed out. */
	unsigned long	*too_long;
	size_t		 ntoo_long, too_long_alloc, too_long_given;
	/* The same for the later records of joined CRI runs (span.joined). */
	unsigned long	*joined;
	size_t		 njoined, joined_alloc, joined_given;
	void		*(*realloc_fn)(void *, size_t);
	/* CRI partial records joined (reader_cri_span): whether the
	 * input is in the CRI log format (-1: not seen yet), the joined
	 * spans' text, whether the next span is to take all the buffered
	 * lines (a run open at the last one's start), and per stream
	 * (stdout, stderr) whether its records continue a run that an
	 * earlier span gave whole. */
	int		 cri;
	struct buf	 cri_out;
	int		 cri_more;
	int		 cri_skip[2];
	/* --shard on CRI input: the reads go past the range, to end the
	 * runs its lines start, and cri_left lines are handed out. */
	int		 cri_limited;
	size_t		 cri_left;
	/* reader_next() on CRI input: the joined span's lines. */
	size_t		 cri_pos, cri_len;
	unsigned long	 cri_lineno;
};

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
	/* Regular files in reads of 256 KiB: a read's lines become a
	 * chunk of work as they are (reader_take_span). */
	r->cap = r->std_cap = (r->is_regular ? 4 : 2) * READER_BLOCK;
	r->buf = xmalloc(r->cap);
	r->realloc_fn = realloc;
	r->cri = -1;
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

void
reader_set_timer(struct reader *r, int (*timer)(void *), void *ctx)
{
	r->timer = timer;
	r->timer_ctx = ctx;
}

void
reader_set_max_line_bytes(struct reader *r, size_t max)
{
	r->max_line_bytes = max;
}

void
reader_set_allocator(struct reader *r, void *(*realloc_fn)(void *, size_t))
{
	r->realloc_fn = realloc_fn != NULL ? realloc_fn : realloc;
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
	decompress_free(r->dec);
	free(r->raw);
	if (!r->is_stdin && r->fd != -1)
		close(r->fd);
	free(r->buf);
	free(r->name);
	free(r->too_long);
	free(r->joined);
	buf_release(&r->cri_out);
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

/*
 * Follow mode: what is due done, then, on a live stream, the wait for
 * input in poll(2) until the timer is due again. 0 when input can be
 * read (or the wait cannot tell: read(2) will), -1 when the input ends
 * now (a stop signal, or the timer said so).
 */
static int
reader_wait(struct reader *r)
{
	struct pollfd pfd;
	int ms, n;

	for (;;) {
		if (reader_stop || (ms = r->timer(r->timer_ctx)) < 0)
			return -1;
		if (r->is_regular)
			return 0;
		pfd.fd = r->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		n = poll(&pfd, 1, ms);
		if (n > 0)
			return 0;
		if (n == -1 && errno != EINTR)
			return 0;	/* read(2) says what is wrong */
		/* Timed out: the timer is due; interrupted: a stop
		 * signal, or one to go on after. */
	}
}

/* read(2) into DST[0..ROOM): bytes read, 0 at end of input, -1 on
 * error with *err set. */
static ssize_t
reader_read_fd(struct reader *r, void *dst, size_t room, struct diag *err)
{
	ssize_t n;

	if (room > SSIZE_MAX)
		room = SSIZE_MAX;
	/* A stop signal ends the input; a read it interrupts says so. */
	if (reader_stop)
		return 0;
	/* A shard ends where its last line does. */
	if (r->is_limited) {
		if (r->limit_left == 0)
			return 0;
		if (room > r->limit_left)
			room = (size_t)r->limit_left;
	}
	if (r->timer != NULL && reader_wait(r) < 0)
		return 0;
	do
		n = read(r->fd, dst, room);
	while (n == -1 && errno == EINTR && !reader_stop);
	if (n == -1 && errno == EINTR)
		return 0;
	if (n == -1)
		reader_set_read_error(r, strerror(errno), err);
	if (n > 0 && r->is_limited)
		r->limit_left -= (uint64_t)n;
	return n;
}

/* Compressed bytes read each time; a decoded read is larger. */
#define READER_RAW_BLOCK	(128 * 1024)

/* Decodes into buf[end..end+ROOM): bytes, 0 at the end, -1 on error. */
static ssize_t
reader_fill_decoded(struct reader *r, size_t room, struct diag *err)
{
	const unsigned char *in;
	const char *why = NULL;
	size_t in_len;
	ssize_t n;
	long got;

	for (;;) {
		in = r->raw + r->raw_start;
		in_len = r->raw_end - r->raw_start;
		got = decompress_run(r->dec, &in, &in_len, r->buf + r->end,
		    room, &why);
		r->raw_start = (size_t)(in - r->raw);
		if (got < 0) {
			reader_set_read_error(r, why, err);
			return -1;
		}
		if (got > 0)
			return got;
		/* The decoder wants more input than there is. */
		if (r->raw_eof) {
			/* A stop signal ended the input, not the data. */
			if (reader_stop)
				return 0;
			if (decompress_finish(r->dec, &why) < 0 ||
			    (why = "unexpected end of file",
			    r->raw_start < r->raw_end)) {
				reader_set_read_error(r, why, err);
				return -1;
			}
			return 0;
		}
		memmove(r->raw, r->raw + r->raw_start,
		    r->raw_end - r->raw_start);
		r->raw_end -= r->raw_start;
		r->raw_start = 0;
		reader_maybe_idle(r);
		n = reader_read_fd(r, r->raw + r->raw_end,
		    r->raw_cap - r->raw_end, err);
		if (n < 0)
			return -1;
		r->raw_eof = n == 0;
		r->raw_end += (size_t)n;
	}
}

/*
 * The input's first read: its first bytes say whether it is compressed
 * (SPEC 1), and reading goes on until they can tell. Plain input stays
 * where it was read; compressed input moves to the raw buffer and is
 * decoded from there. A format that is not built in, or that logq does
 * not read, is an error naming the command that decompresses it.
 */
static ssize_t
reader_fill_first(struct reader *r, size_t room, struct diag *err)
{
	enum decompress_format format;
	const char *what, *tool;
	struct buf b = BUF_INIT;
	size_t have = 0;
	ssize_t n;
	int at_eof = 0;

	for (;;) {
		n = reader_read_fd(r, r->buf + r->end + have, room - have,
		    err);
		if (n < 0)
			return -1;
		at_eof = n == 0;
		have += (size_t)n;
		if (decompress_sniff((const unsigned char *)r->buf + r->end,
		    have, at_eof || have == room, &format, &what, &tool))
			break;
		reader_maybe_idle(r);
	}
	r->sniffed = 1;
	if (format == DECOMPRESS_PLAIN)
		return (ssize_t)have;
	if (format == DECOMPRESS_REFUSED || !decompress_built_in(format)) {
		const char *name = reader_quoted_name(r, &b);
		char *why = format == DECOMPRESS_REFUSED ?
		    xasprintf("it is %s data, which logq does not read",
		    what) :
		    xasprintf("it is %s data, and this logq was built "
		    "without %s", what, format == DECOMPRESS_GZIP ? "zlib" :
		    "libzstd");

		if (r->is_stdin)
			diag_set(err, LOGQ_EXIT_INPUT, "cannot read %s: %s; "
			    "decompress it before logq, with %s", name, why,
			    tool);
		else
			diag_set(err, LOGQ_EXIT_INPUT, "cannot read %s: %s; "
			    "decompress it first: %s %s | logq ...", name,
			    why, tool, name);
		free(why);
		buf_release(&b);
		return -1;
	}
	r->dec = decompress_new(format);
	/* The first read may be larger than later ones. */
	r->raw_cap = have > READER_RAW_BLOCK ? have : READER_RAW_BLOCK;
	r->raw = xmalloc(r->raw_cap);
	memcpy(r->raw, r->buf + r->end, have);
	r->raw_start = 0;
	r->raw_end = have;
	r->raw_eof = at_eof;
	return reader_fill_decoded(r, room, err);
}

/* Reads into buf[end..cap): bytes read, 0 at end of input, -1 on error. */
static ssize_t
reader_fill(struct reader *r, struct diag *err)
{
	/* One byte stays free: a span handed over (reader_take_span)
	 * ends with a NUL there. */
	size_t room = r->cap - r->end - 1;

	reader_maybe_idle(r);
	if (!r->sniffed)
		return reader_fill_first(r, room, err);
	if (r->dec != NULL)
		return reader_fill_decoded(r, room, err);
	return reader_read_fd(r, r->buf + r->end, room, err);
}

/* pread(2) of LEN bytes of the input at POS into BUF, fewer only at the
 * end of the file: bytes read, or -1 with *err set. */
static ssize_t
reader_pread_into(struct reader *r, char *buf, size_t len, off_t pos,
    struct diag *err)
{
	size_t have = 0;
	ssize_t n;

	while (have < len) {
		n = pread(r->fd, buf + have, len - have, pos + (off_t)have);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			reader_set_read_error(r, strerror(errno), err);
			return -1;
		}
		if (n == 0)
			break;
		have += (size_t)n;
	}
	return (ssize_t)have;
}

/* reader_pread_into() the reader's buffer (not in use before the first
 * read), at most its capacity. */
static ssize_t
reader_pread(struct reader *r, size_t len, off_t pos, struct diag *err)
{
	return reader_pread_into(r, r->buf, len > r->cap ? r->cap : len, pos,
	    err);
}

/* The first line start at or after POS, the input's lines starting at
 * BASE: POS itself when the byte before it ends a line, else the byte
 * after the next newline, else SIZE. 0, or -1 with *err set. */
static int
reader_line_start(struct reader *r, off_t base, off_t size, off_t pos,
    off_t *out, struct diag *err)
{
	const char *nl;
	ssize_t n;

	*out = size;
	if (pos <= base) {
		*out = base;
		return 0;
	}
	for (pos--; pos < size; pos += n) {
		if ((n = reader_pread(r, (size_t)(size - pos) < r->cap ?
		    (size_t)(size - pos) : r->cap, pos, err)) < 0)
			return -1;
		if (n == 0)
			break;		/* the file shrank */
		if ((nl = memchr(r->buf, '\n', (size_t)n)) != NULL) {
			*out = pos + (nl - r->buf) + 1;
			break;
		}
	}
	return 0;
}

/* The newlines in [FROM, TO) added to *COUNT: 0, or -1 with *err set. */
static int
reader_count_newlines(struct reader *r, off_t from, off_t to,
    unsigned long *count, struct diag *err)
{
	ssize_t n;

	for (; from < to; from += n) {
		if ((n = reader_pread(r, (size_t)(to - from) < r->cap ?
		    (size_t)(to - from) : r->cap, from, err)) < 0)
			return -1;
		if (n == 0)
			break;
		*count += bytes_count(r->buf, (size_t)n, '\n');
	}
	return 0;
}

/* The bytes [BASE, BASE + LEN) cut in COUNT ranges: where the INDEX-th
 * (1-based) starts, INDEX - 1 of them in. Without overflow: LEN / COUNT
 * whole parts, and the remainder spread, COUNT * COUNT < 2^64. */
static off_t
shard_offset(off_t base, uint64_t len, uint64_t index, uint64_t count)
{
	return base + (off_t)(len / count * (index - 1) +
	    len % count * (index - 1) / count);
}

/* Longest CRI record head read: time, stream and tag, with room. */
#define READER_CRI_HEAD	128

/* Whether the line at POS, ending before END (its newline), is a CRI
 * record: 0 or 1 with *c set, or -1 with *err set. */
static int
reader_cri_at(struct reader *r, off_t pos, off_t end, struct extract_cri *c,
    struct diag *err)
{
	char head[READER_CRI_HEAD];
	size_t want = end - pos < READER_CRI_HEAD ? (size_t)(end - pos) :
	    READER_CRI_HEAD;
	ssize_t have = reader_pread_into(r, head, want, pos, err);

	if (have < 0)
		return -1;
	return extract_cri(head, (size_t)have, c);
}

/*
 * --shard on CRI input (the file's first line tells, as for the whole
 * input): a shard's lines are still those whose first record starts in
 * its range [START, STOP). A stream whose last record before START is
 * partial continues a run that the shard before gives whole: its next
 * records are skipped; and the runs the shard's lines start are read to
 * their end past STOP. 0, or -1 with *err set.
 */
static int
reader_cri_shard(struct reader *r, off_t base, off_t size, off_t start,
    off_t stop, struct diag *err)
{
	struct extract_cri c;
	unsigned long lines = 0;
	int known[2] = { 0, 0 }, rc;
	off_t line_end, pos, from, to;
	ssize_t n;
	char last;

	/* The first line of the file, as a whole read would see it. */
	if ((n = reader_pread(r, READER_CRI_HEAD, base, err)) < 0)
		return -1;
	for (pos = 0; pos < n && r->buf[pos] != '\n'; pos++)
		;
	r->cri = extract_cri(r->buf, (size_t)pos, &c);
	if (!r->cri)
		return 0;
	/* The shard's lines: its newlines, and a last line without one. */
	if (reader_count_newlines(r, start, stop, &lines, err) < 0)
		return -1;
	if (stop > start && stop == size && pread(r->fd, &last, 1,
	    stop - 1) == 1 && last != '\n')
		lines++;
	r->cri_left = lines;
	r->cri_limited = 1;
	/* Each stream's last record before START, found backwards: the
	 * lines start at BASE and after each newline before START - 1. */
	line_end = start - 1;
	for (to = start - 1; to > base && !(known[0] && known[1]); to = from) {
		from = to - base > (off_t)r->cap ? to - (off_t)r->cap : base;
		if ((n = reader_pread(r, (size_t)(to - from), from, err)) < 0)
			return -1;
		for (pos = from + n; pos > from && !(known[0] &&
		    known[1]); pos--) {
			if (r->buf[pos - 1 - from] != '\n')
				continue;
			if ((rc = reader_cri_at(r, pos, line_end, &c,
			    err)) < 0)
				return -1;
			line_end = pos - 1;
			if (rc && !known[c.is_stderr]) {
				known[c.is_stderr] = 1;
				r->cri_skip[c.is_stderr] = c.is_partial;
			}
		}
	}
	if (start > base && !(known[0] && known[1])) {
		if ((rc = reader_cri_at(r, base, line_end, &c, err)) < 0)
			return -1;
		if (rc && !known[c.is_stderr])
			r->cri_skip[c.is_stderr] = c.is_partial;
	}
	return 0;
}

int
reader_set_shard(struct reader *r, unsigned long index, unsigned long count,
    struct diag *note, struct diag *err)
{
	enum decompress_format format;
	const char *what = NULL, *tool;
	struct stat st;
	struct buf b = BUF_INIT;
	off_t base, size, start, stop;
	ssize_t n;

	if (count <= 1)
		return 1;
	what = "it is not a regular file";
	if (!r->is_regular || (base = lseek(r->fd, 0, SEEK_CUR)) == -1)
		goto whole;
	if (fstat(r->fd, &st) == -1) {
		reader_set_read_error(r, strerror(errno), err);
		return -1;
	}
	size = st.st_size > base ? st.st_size : base;
	if ((n = reader_pread(r, DECOMPRESS_SNIFF_BYTES, base, err)) < 0)
		return -1;
	/* What the first read would find there, all of it at hand. */
	(void)decompress_sniff((const unsigned char *)r->buf, (size_t)n, 1,
	    &format, &what, &tool);
	if (format == DECOMPRESS_REFUSED || (format != DECOMPRESS_PLAIN &&
	    !decompress_built_in(format)))
		return 1;	/* every shard's first read says why */
	if (format != DECOMPRESS_PLAIN) {
		what = format == DECOMPRESS_GZIP ? "it is gzip data" :
		    "it is zstd data";
		goto whole;
	}
	/* A line is the shard's where it starts: from the first line
	 * start in the range to the first one in the next. */
	if (reader_line_start(r, base, size, shard_offset(base,
	    (uint64_t)(size - base), index, count), &start, err) < 0 ||
	    reader_line_start(r, base, size, shard_offset(base,
	    (uint64_t)(size - base), index + 1, count), &stop, err) < 0 ||
	    reader_count_newlines(r, base, start, &r->lineno, err) < 0)
		return -1;
	if (lseek(r->fd, start, SEEK_SET) == -1) {
		reader_set_read_error(r, strerror(errno), err);
		return -1;
	}
	if (reader_cri_shard(r, base, size, start, stop, err) < 0)
		return -1;
	r->is_limited = !r->cri;
	r->limit_left = stop > start ? (uint64_t)(stop - start) : 0;
	/* The input was sniffed as a whole: plain text. */
	r->sniffed = 1;
	return 1;

whole:
	diag_set(note, LOGQ_EXIT_OK, "warning: %s cannot be split into "
	    "shards (%s): shard 1/%lu reads all of it, shard %lu/%lu none",
	    reader_quoted_name(r, &b), what, count, index, count);
	buf_release(&b);
	if (index > 1)
		r->at_eof = r->sniffed = 1;
	return 0;
}

/* The incomplete line at start does not fit in memory: exit status 3
 * with its place, not xrealloc()'s exit. */
static void
reader_set_memory_error(struct reader *r, struct diag *err)
{
	struct buf b = BUF_INIT;

	diag_set(err, LOGQ_EXIT_INPUT, "error reading %s: line %lu is "
	    "longer than memory allows; skip such lines with "
	    "--max-line-bytes", reader_quoted_name(r, &b), r->lineno + 1);
	buf_release(&b);
}

/* Makes room for at least READER_BLOCK more bytes after end; -1 with
 * *err set when memory runs out. */
static int
reader_make_room(struct reader *r, struct diag *err)
{
	size_t cap;
	char *buf;

	if (r->start > 0) {
		/* Only the incomplete last line moves, once per read. */
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->scan -= r->start;
		r->start = 0;
	}
	if (r->cap - r->end < READER_BLOCK) {
		for (cap = r->cap; cap - r->end < READER_BLOCK; cap *= 2)
			if (cap > SIZE_MAX / 2) {
				errno = ENOMEM;
				reader_set_memory_error(r, err);
				return -1;
			}
		if ((buf = r->realloc_fn(r->buf, cap)) == NULL) {
			reader_set_memory_error(r, err);
			return -1;
		}
		r->buf = buf;
		r->cap = cap;
	}
	return 0;
}

/* Reads more after the buffered bytes: 0 (end of input noted in
 * at_eof), or -1 with *err set. */
static int
reader_more(struct reader *r, struct diag *err)
{
	ssize_t n;

	if (reader_make_room(r, err) < 0)
		return -1;
	if ((n = reader_fill(r, err)) == -1)
		return -1;
	if (n == 0)
		r->at_eof = 1;
	r->end += (size_t)n;
	return 0;
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

static int	reader_is_cri(struct reader *);

/* reader_next() on CRI input: the lines of joined spans. 1 with *out
 * set, 0 at the end, -1 with *err set; 2 when the input is not CRI. */
static int
reader_next_cri(struct reader *r, struct line *out, struct diag *err)
{
	struct span sp;
	int rc;

	if (r->cri_pos == r->cri_len) {
		while (r->cri < 0 && !r->at_eof && memchr(r->buf + r->start,
		    '\n', r->end - r->start) == NULL)
			if (reader_more(r, err) < 0)
				return -1;
		if (r->cri < 0 && r->start == r->end)
			return 0;
		if (!reader_is_cri(r))
			return 2;
		if ((rc = reader_next_span(r, READER_BLOCK, &sp, err)) != 1)
			return rc;
		r->cri_pos = 0;
		r->cri_len = sp.len;
		r->cri_lineno = sp.lineno;
	}
	(void)reader_cut_line(r->cri_out.ptr, r->cri_len, &r->cri_pos,
	    &out->text, &out->len);
	out->lineno = r->cri_lineno++;
	return 1;
}

int
reader_next(struct reader *r, struct line *out, struct diag *err)
{
	char *nl;
	size_t at;
	int rc;

	if (r->cri != 0 && (rc = reader_next_cri(r, out, err)) != 2)
		return rc;
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
		if (reader_more(r, err) < 0)
			return -1;
	}
}

/* The last newline in P[FROM..TO), or NULL. */
static const char *
last_newline(const char *p, size_t from, size_t to)
{
	while (to > from)
		if (p[--to] == '\n')
			return p + to;
	return NULL;
}

/*
 * The incomplete line buffered at start is longer than max_line_bytes:
 * its bytes are dropped up to its newline (or the end of input), as
 * they are read, and it stays as an empty line, noted in too_long, so
 * that the lines keep their numbers. 0, or -1 with *err set.
 */
static int
reader_drop_line(struct reader *r, struct diag *err)
{
	const char *nl = NULL;

	r->end = r->start;
	for (;;) {
		if (r->end > r->start)
			nl = memchr(r->buf + r->start, '\n',
			    r->end - r->start);
		if (nl != NULL) {
			r->start = r->scan = (size_t)(nl - r->buf);
			break;
		}
		if (r->at_eof) {
			/* A last line without a newline: one is put in
			 * its place, and the input ends after it. */
			r->start = r->scan = 0;
			r->buf[0] = '\n';
			r->end = 1;
			break;
		}
		r->start = r->end = r->scan = 0;
		if (reader_more(r, err) < 0)
			return -1;
	}
	XGROW(r->too_long, r->ntoo_long + 1, r->too_long_alloc);
	r->too_long[r->ntoo_long++] = r->lineno + 1;
	return 0;
}

/*
 * On CRI input, the incomplete last line buffered, from AT, is longer
 * than max_line_bytes: only its first max_line_bytes + 2 bytes are kept,
 * its other bytes dropped up to its newline (or the end of input) as
 * they are read. Still longer than the cap, it stays a record that the
 * join reads as any other (reader_cri_span): the line it is, or ends up
 * in, is too long, and its run's records are counted as that line's;
 * but its memory is the cap's. 0, or -1 with *err set.
 */
static int
reader_cut_line_short(struct reader *r, size_t at, struct diag *err)
{
	/* Offsets from start: reader_more() moves the buffered bytes. */
	size_t keep = at + r->max_line_bytes + 2 - r->start, rest;
	const char *nl;

	for (;;) {
		nl = memchr(r->buf + r->start + keep, '\n',
		    r->end - r->start - keep);
		if (nl != NULL) {
			rest = r->end - (size_t)(nl - r->buf);
			memmove(r->buf + r->start + keep, nl, rest);
			r->end = r->start + keep + rest;
			break;
		}
		r->end = r->start + keep;
		if (r->at_eof)
			break;	/* the input's last line, without newline */
		if (reader_more(r, err) < 0)
			return -1;
	}
	r->scan = r->start;
	return 0;
}

/* How many of the N ascending line numbers V are below END. */
static size_t
lines_below(const unsigned long *v, size_t n, unsigned long end)
{
	size_t k = 0;

	while (k < n && v[k] < end)
		k++;
	return k;
}

/* The dropped lines and joined records among the NLINES from LINENO,
 * for the span. */
static void
reader_give_too_long(struct reader *r, struct span *out)
{
	unsigned long end = out->lineno + out->nlines;

	out->too_long = r->too_long;
	out->ntoo_long = r->too_long_given = lines_below(r->too_long,
	    r->ntoo_long, end);
	out->joined = r->joined;
	out->njoined = r->joined_given = lines_below(r->joined, r->njoined,
	    end);
}

/* What a line of a span being joined is. */
enum cri_mark {
	CRI_LINE,		/* a line of its own, or a run's head */
	CRI_PART,		/* a later record of a run: joined into it */
	CRI_TOO_LONG		/* a run's head, the joined line too long */
};

/* A line of a span being joined: its text in the reader's buffer, or,
 * for the head of a run of partial records, in the joined text. */
struct cri_slot {
	const char	*text;
	size_t		 len;
	size_t		 joined;	/* offset in the joined text; or -1 */
	enum cri_mark	 mark;
};

/* The open run of partial records of one stream. */
struct cri_run {
	int		 open;
	size_t		 slot;		/* its first record's line */
	int		 state[2];	/* skip-or-open of both streams before it */
	struct buf	 text;		/* "<time> <stream> F " and contents */
};

/* RUN, open, ends: its text becomes its first record's line; or, when
 * that is longer than MAX (0: no cap), the line is too long, an empty
 * one in the span as a line the reader dropped is. */
static void
cri_close(struct buf *joined, struct cri_slot *slots, struct cri_run *run,
    size_t max)
{
	if (max > 0 && run->text.len > max)
		slots[run->slot].mark = CRI_TOO_LONG;
	else {
		slots[run->slot].joined = joined->len;
		slots[run->slot].len = run->text.len;
		buf_add(joined, run->text.ptr, run->text.len);
	}
	run->open = 0;
}

/* Whether the record C (of LINE) ends RUN, open, its content added: an
 * F record does, and so does one that makes the joined line longer
 * than MAX (0: no cap), so that a run is never held past the cap: the
 * line is too long, and the stream's records up to its F are skipped
 * as the rest of the run (*SKIP set). */
static int
cri_continue(struct cri_run *run, const char *line, size_t line_len,
    const struct extract_cri *c, size_t max, int *skip)
{
	buf_add(&run->text, line + c->content, line_len - c->content);
	if (!c->is_partial)
		return 1;
	if (max > 0 && run->text.len > max) {
		*skip = 1;
		return 1;
	}
	return 0;
}

/*
 * Whether TEXT (LEN bytes of whole lines) may hold a record tagged TAG:
 * a line whose second word is a stream and third starts with TAG. A
 * cheap look, so that the common span of full records is handed out
 * as it is ('P'); a false alarm only costs the join's full look.
 */
static int
cri_may_have(const char *text, size_t len, char tag)
{
	const char *p = text, *end = text + len, *sp, *nl;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		sp = memchr(p, ' ', (size_t)(nl - p));
		if (sp != NULL && nl - sp > 9 && sp[8] == tag &&
		    sp[7] == ' ' && (memcmp(sp + 1, "stdout", 6) == 0 ||
		    memcmp(sp + 1, "stderr", 6) == 0))
			return 1;
	}
	return 0;
}

/*
 * The CRI log format splits a line longer than the runtime's buffer into
 * partial records (tag P) ended by a full one (F), per stream; records
 * of the other stream may come in between. As the kubelet's ReadLogs
 * does for `kubectl logs` (pkg/kubelet/kuberuntime/logs/logs.go: a P
 * record's content is written without its newline to its stream's
 * writer, so the stream's next records continue it), the contents are
 * joined per stream into one line, which takes the place of the first
 * record (its line number, its time: where `kubectl logs --timestamps`
 * prints the line's time) as "<time> <stream> F <joined>"; the records
 * after it become empty lines, so that every other line keeps its
 * number. A run that the input ends in the middle of is a line too,
 * with what it has.
 *
 * Joins the lines buf[start..stop) (at the end of input when FINAL)
 * and fills *out with those before the first run still open at stop;
 * 0 when that is none of them (the caller reads on), else 1.
 */
static int
reader_cri_span(struct reader *r, size_t stop, int final, struct span *out)
{
	const char *text = r->buf + r->start, *line;
	size_t len = stop - r->start, pos = 0, n = 0, alloc = 0, cut, i;
	size_t line_len, *ends = NULL, ends_alloc = 0;
	struct cri_slot *slots = NULL, *sl;
	struct cri_run run[2];
	struct buf joined = BUF_INIT;
	struct extract_cri c;
	int s, rc = 0, skip[2] = { r->cri_skip[0], r->cri_skip[1] };
	size_t limit = r->cri_limited ? r->cri_left : (size_t)-1;

	if (!skip[0] && !skip[1] && !cri_may_have(text, len, 'P')) {
		/* Full records only: the lines as they are. */
		n = bytes_count(text, len, '\n');
		if (len > 0 && text[len - 1] != '\n')
			n++;	/* the input's last line, without a newline */
		if (n <= limit) {
			out->text = text;
			out->len = len;
			out->lineno = r->lineno + 1;
			out->nlines = n;
			r->lineno += n;
			if (r->cri_limited)
				r->cri_left -= n;
			r->start = r->scan = stop;
			r->cri_more = 0;
			return 1;
		}
		n = 0;
	}
	memset(run, 0, sizeof run);
	while (reader_cut_line(text, len, &pos, &line, &line_len)) {
		if (n >= limit) {
			/* Past a shard's lines: only the rest of its runs. */
			if (!run[0].open && !run[1].open)
				break;
			if (extract_cri(line, line_len, &c) &&
			    run[c.is_stderr].open) {
				s = c.is_stderr;
				if (cri_continue(&run[s], line, line_len, &c,
				    r->max_line_bytes, &skip[s]))
					cri_close(&joined, slots, &run[s],
					    r->max_line_bytes);
			}
			n++;
			continue;
		}
		XGROW(slots, n + 1, alloc);
		XGROW(ends, n + 1, ends_alloc);
		ends[n] = pos;
		sl = &slots[n];
		sl->text = line;
		sl->len = line_len;
		sl->joined = (size_t)-1;
		sl->mark = CRI_LINE;
		if (extract_cri(line, line_len, &c)) {
			s = c.is_stderr;
			if (run[s].open) {
				/* A later record of the stream's run. */
				sl->len = 0;
				sl->mark = CRI_PART;
				if (cri_continue(&run[s], line, line_len, &c,
				    r->max_line_bytes, &skip[s]))
					cri_close(&joined, slots, &run[s],
					    r->max_line_bytes);
			} else if (skip[s]) {
				/* The rest of a run an earlier span gave, or
				 * of one too long. */
				sl->len = 0;
				sl->mark = CRI_PART;
				skip[s] = c.is_partial;
			} else if (c.is_partial) {
				run[s].open = 1;
				run[s].slot = n;
				run[s].state[0] = skip[0] || run[0].open;
				run[s].state[1] = skip[1] || run[1].open;
				run[s].state[s] = 0;
				sl->len = 0;
				buf_reset(&run[s].text);
				buf_add(&run[s].text, line, c.head_len);
				buf_adds(&run[s].text, "F ");
				buf_add(&run[s].text, line + c.content,
				    line_len - c.content);
				if (r->max_line_bytes > 0 && run[s].text.len >
				    r->max_line_bytes) {
					skip[s] = 1;
					cri_close(&joined, slots, &run[s],
					    r->max_line_bytes);
				}
			}
		}
		n++;
	}
	/* The lines before the first run still open are whole; at the
	 * end of input, a run not ended is a line with what it has. */
	cut = n < limit ? n : limit;
	for (s = 0; s < 2; s++)
		if (run[s].open && final)
			cri_close(&joined, slots, &run[s], r->max_line_bytes);
		else if (run[s].open && run[s].slot < cut)
			cut = run[s].slot;
	if (cut == 0)
		goto done;
	buf_reset(&r->cri_out);
	for (i = 0; i < cut; i++) {
		sl = &slots[i];
		/* Listed in order: the lines of earlier spans come first. */
		if (sl->mark == CRI_PART) {
			XGROW(r->joined, r->njoined + 1, r->joined_alloc);
			r->joined[r->njoined++] = r->lineno + 1 + i;
		} else if (sl->mark == CRI_TOO_LONG) {
			XGROW(r->too_long, r->ntoo_long + 1,
			    r->too_long_alloc);
			r->too_long[r->ntoo_long++] = r->lineno + 1 + i;
		}
		buf_add(&r->cri_out, sl->joined == (size_t)-1 ? sl->text :
		    joined.ptr + sl->joined, sl->len);
		buf_addc(&r->cri_out, '\n');
	}
	if (cut < n && cut < limit) {
		/* The records from the cut, a run's first, are read again
		 * with the next span, the streams as they were there. */
		s = run[0].open && run[0].slot == cut ? 0 : 1;
		r->cri_skip[0] = run[s].state[0];
		r->cri_skip[1] = run[s].state[1];
	} else {
		r->cri_skip[0] = skip[0];
		r->cri_skip[1] = skip[1];
	}
	out->text = r->cri_out.ptr;
	out->len = r->cri_out.len;
	out->lineno = r->lineno + 1;
	out->nlines = cut;
	r->lineno += cut;
	if (r->cri_limited)
		r->cri_left -= cut;
	r->start = r->scan = r->start + ends[cut - 1];
	r->cri_more = 0;
	rc = 1;
done:
	buf_release(&run[0].text);
	buf_release(&run[1].text);
	buf_release(&joined);
	free(slots);
	free(ends);
	return rc;
}

/*
 * Whether the input is in the CRI log format, told once by its first
 * line (buffered at start): the join costs other input nothing.
 */
static int
reader_is_cri(struct reader *r)
{
	struct extract_cri c;
	const char *nl;

	if (r->cri < 0) {
		nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		r->cri = extract_cri(r->buf + r->start, nl != NULL ?
		    (size_t)(nl - r->buf) - r->start : r->end - r->start, &c);
	}
	return r->cri;
}

/* Whether a read would not wait: a regular file, or input is there. */
static int
reader_ready(struct reader *r)
{
	struct pollfd pfd;

	if (r->is_regular)
		return 1;
	pfd.fd = r->fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	return poll(&pfd, 1, 0) > 0;
}

/*
 * A run is open at the first buffered line, joined up to STOP: reads
 * more, until twice as much is buffered (or the input ends), so that a
 * long run is joined again a logarithmic number of times, not once per
 * read. But once an F record, which may end the run, was read, no more
 * than is there without waiting: on a live stream it may be the last
 * record for a while. An incomplete last line longer than
 * max_line_bytes is cut short (reader_cut_line_short) rather than held
 * whole. 0, or -1 with *err set.
 */
static int
reader_cri_more(struct reader *r, size_t stop, struct diag *err)
{
	size_t want = 2 * (stop - r->start), seen = stop - r->start, to;
	const char *nl;
	int full = 0, read = 0;

	for (;;) {
		/* The lines buffered since the last look (offsets from
		 * start: reader_more() moves the buffered bytes). */
		nl = last_newline(r->buf, r->start + seen, r->end);
		if (nl != NULL) {
			to = (size_t)(nl - r->buf) + 1 - r->start;
			full |= cri_may_have(r->buf + r->start + seen,
			    to - seen, 'F');
			seen = to;
		}
		if (r->max_line_bytes > 0 &&
		    r->end - r->start - seen > r->max_line_bytes + 1)
			return reader_cut_line_short(r, r->start + seen, err);
		if (read && (r->at_eof || r->end - r->start >= want ||
		    (full && !reader_ready(r))))
			return 0;
		if (reader_more(r, err) < 0)
			return -1;
		read = 1;
	}
}

int
reader_next_span(struct reader *r, size_t max, struct span *out,
    struct diag *err)
{
	const char *nl;
	size_t window, from, stop;

	/* The last span's dropped lines are out of the list now. */
	if (r->too_long_given > 0) {
		r->ntoo_long -= r->too_long_given;
		memmove(r->too_long, r->too_long + r->too_long_given,
		    r->ntoo_long * sizeof(*r->too_long));
		r->too_long_given = 0;
	}
	if (r->joined_given > 0) {
		r->njoined -= r->joined_given;
		memmove(r->joined, r->joined + r->joined_given,
		    r->njoined * sizeof(*r->joined));
		r->joined_given = 0;
	}
	if (r->cri_limited && r->cri_left == 0)
		return 0;	/* a shard's lines, their runs whole */
	if (max == 0)
		max = 1;
	for (;;) {
		/* buf[start..scan) has no newline. The lines that end
		 * within MAX bytes of start; or, when the first line is
		 * longer, that line alone once its end is here. */
		window = r->end - r->start > max && !r->cri_more ?
		    r->start + max : r->end;
		from = r->scan > r->start ? r->scan : r->start;
		nl = from < window ? last_newline(r->buf, from, window) : NULL;
		if (nl == NULL && window < r->end) {
			from = r->scan > window ? r->scan : window;
			nl = memchr(r->buf + from, '\n', r->end - from);
		}
		if (nl != NULL) {
			stop = (size_t)(nl - r->buf) + 1;
			if (reader_is_cri(r)) {
				if (!reader_cri_span(r, stop, 0, out)) {
					if (!r->at_eof) {
						r->cri_more = 1;
						if (reader_cri_more(r, stop,
						    err) < 0)
							return -1;
						continue;
					}
					(void)reader_cri_span(r, r->end, 1,
					    out);
				}
				reader_give_too_long(r, out);
				return 1;
			}
			out->text = r->buf + r->start;
			out->len = stop - r->start;
			out->lineno = r->lineno + 1;
			out->nlines = bytes_count(out->text, out->len, '\n');
			r->lineno += out->nlines;
			r->start = r->scan = stop;
			reader_give_too_long(r, out);
			return 1;
		}
		r->scan = r->end;
		/* buf[start..end) is one incomplete line: past the cap
		 * (its "\r" aside), it is not kept; on CRI input, only
		 * what the join needs to see it is too long. */
		if (r->max_line_bytes > 0 &&
		    r->end - r->start > r->max_line_bytes + 1) {
			if ((reader_is_cri(r) ?
			    reader_cut_line_short(r, r->start, err) :
			    reader_drop_line(r, err)) < 0)
				return -1;
			continue;
		}
		if (r->at_eof) {
			if (r->start == r->end)
				return 0;
			/* A last line without a newline is still a line. */
			if (reader_is_cri(r)) {
				(void)reader_cri_span(r, r->end, 1, out);
				reader_give_too_long(r, out);
				return 1;
			}
			out->text = r->buf + r->start;
			out->len = r->end - r->start;
			out->lineno = ++r->lineno;
			out->nlines = 1;
			r->start = r->scan = r->end;
			reader_give_too_long(r, out);
			return 1;
		}
		if (reader_more(r, err) < 0)
			return -1;
	}
}

int
reader_take_span(struct reader *r, struct buf *into, size_t max,
    struct span *out, struct diag *err)
{
	size_t left, cap;
	char *spare;
	int rc = reader_next_span(r, max, out, err);

	if (rc != 1)
		return rc;
	/* Handed over when the span starts the buffer and leaves room for
	 * the NUL a struct buf ends with. */
	if (out->text != r->buf || into->len != 0 || out->len + 1 > r->cap) {
		buf_reset(into);
		buf_add(into, out->text, out->len);
		out->text = into->ptr;
		return 1;
	}
	/* The reader's next buffer: INTO's old one if it has the usual
	 * size, else one of the usual size (more for a long line's start),
	 * so that buffers grown for a long line do not stay in use. */
	left = r->end - r->start;
	cap = left + READER_BLOCK + 1 > r->std_cap ? left + READER_BLOCK + 1 :
	    r->std_cap;
	spare = into->ptr;
	if (spare == NULL || into->cap != cap) {
		free(spare);
		into->ptr = NULL;
		into->cap = 0;
		if ((spare = r->realloc_fn(NULL, cap)) == NULL) {
			/* The span is copied instead: its text stays
			 * valid, and the next read finds no less room. */
			buf_add(into, out->text, out->len);
			out->text = into->ptr;
			return 1;
		}
	}
	if (left > 0)
		memcpy(spare, r->buf + r->start, left);
	into->ptr = r->buf;
	into->cap = r->cap;
	into->len = out->len;
	into->ptr[into->len] = '\0';
	r->buf = spare;
	r->cap = cap;
	r->end = left;
	r->start = r->scan = 0;
	return 1;
}

int
reader_cut_line(const char *text, size_t len, size_t *pos, const char **line,
    size_t *line_len)
{
	const char *p = text + *pos, *nl;

	if (*pos >= len)
		return 0;
	nl = memchr(p, '\n', len - *pos);
	*line = p;
	if (nl == NULL) {
		/* The input's last line, without a newline: as it is. */
		*line_len = len - *pos;
		*pos = len;
		return 1;
	}
	*line_len = (size_t)(nl - p);
	/* "\r\n" ends a line; a lone '\r' is data. */
	if (*line_len > 0 && nl[-1] == '\r')
		(*line_len)--;
	*pos = (size_t)(nl - text) + 1;
	return 1;
}

int
reader_is_compressed(const char *path)
{
	unsigned char head[DECOMPRESS_SNIFF_BYTES];
	enum decompress_format format;
	const char *what, *tool;
	struct stat st;
	ssize_t n;
	int fd;

	if (strcmp(path, "-") == 0 || stat(path, &st) != 0 ||
	    !S_ISREG(st.st_mode))
		return 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	do
		n = pread(fd, head, sizeof(head), 0);
	while (n == -1 && errno == EINTR);
	close(fd);
	if (n <= 0)
		return 0;
	(void)decompress_sniff(head, (size_t)n, 1, &format, &what, &tool);
	return (format == DECOMPRESS_GZIP || format == DECOMPRESS_ZSTD) &&
	    decompress_built_in(format);
}
