/* SPDX-License-Identifier: MIT */
/* prefetch.c - input files read and decompressed ahead, each on a thread
 * of its own, their spans handed over in file order (issue 18 item 7) */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decompress.h"
#include "prefetch.h"
#include "util.h"

/*
 * One thread reads one file at a time into that file's queue; the files
 * are claimed in order, so the file the caller waits for is always
 * claimed before any after it, and a queue holds at most QUEUE_SPANS
 * spans: memory stays about threads x QUEUE_SPANS x the span size
 * whatever the files' sizes, and no thread waits for another.
 */
#define QUEUE_SPANS	4
/* Buffers handed back by the caller wait here for the next spans, so
 * that a span's memory is used again rather than allocated (and its
 * pages faulted in) anew: a third fewer page faults on 8 .gz files. */
#define SPARE_BUFS	4

struct item {
	enum prefetch_kind kind;
	struct buf	 text;		/* PREFETCH_SPAN: the span's bytes */
	struct span	 span;		/* its text is text.ptr */
	unsigned long	*too_long;	/* owned copy of span.too_long */
	unsigned long	*joined;	/* owned copy of span.joined */
	struct diag	 diag;		/* PREFETCH_NOTE, PREFETCH_ERROR */
	struct item	*next;
};

struct file_queue {
	struct item	*head, *tail;
	size_t		 nspans;	/* PREFETCH_SPAN items queued */
};

struct prefetch {
	char *const	*files;
	const char	*is_ahead;
	size_t		 nfiles;
	size_t		 max_span;
	struct prefetch_options o;
	pthread_mutex_t	 lock;
	pthread_cond_t	 queued;	/* an item queued, or stop */
	pthread_cond_t	 taken;		/* a span taken, or stop */
	struct file_queue *queues;
	size_t		 next_claim;
	int		 stopping;
	pthread_t	*threads;
	size_t		 nthreads;
	struct item	*given;		/* the caller's last span item */
	struct buf	 spare[SPARE_BUFS];	/* under lock */
	size_t		 nspare;
};

static void
item_free(struct item *it)
{
	if (it == NULL)
		return;
	buf_release(&it->text);
	free(it->too_long);
	free(it->joined);
	diag_release(&it->diag);
	free(it);
}

/* Queues IT for file I (under no lock); 0, or -1 when stopping. */
static int
push(struct prefetch *p, size_t i, struct item *it)
{
	struct file_queue *q = &p->queues[i];

	pthread_mutex_lock(&p->lock);
	while (it->kind == PREFETCH_SPAN && q->nspans >= QUEUE_SPANS &&
	    !p->stopping)
		pthread_cond_wait(&p->taken, &p->lock);
	if (p->stopping) {
		pthread_mutex_unlock(&p->lock);
		item_free(it);
		return -1;
	}
	if (q->tail != NULL)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	if (it->kind == PREFETCH_SPAN)
		q->nspans++;
	/* One caller waits, for one file's queue. */
	pthread_cond_signal(&p->queued);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

static struct item *
item_new(enum prefetch_kind kind)
{
	struct item *it = xcalloc(1, sizeof(*it));

	it->kind = kind;
	return it;
}

/* A span item, with a buffer the caller gave back if there is one. */
static struct item *
span_item_new(struct prefetch *p)
{
	struct item *it = item_new(PREFETCH_SPAN);

	pthread_mutex_lock(&p->lock);
	if (p->nspare > 0)
		it->text = p->spare[--p->nspare];
	pthread_mutex_unlock(&p->lock);
	return it;
}

/* Reads file I into its queue, to its end, an error, or a stop. */
static void
read_ahead(struct prefetch *p, size_t i)
{
	struct diag err = { 0 }, note = { 0 };
	struct reader *rd = reader_open(p->files[i], &err);
	struct item *it;
	int rc;

	if (rd == NULL)
		goto failed;
	if ((rc = reader_set_shard(rd, p->o.shard_index, p->o.shard_count,
	    &note, &err)) < 0)
		goto failed;
	if (rc == 0) {
		it = item_new(PREFETCH_NOTE);
		it->diag = note;
		if (push(p, i, it) < 0)
			goto done;
	} else
		diag_release(&note);
	reader_set_max_line_bytes(rd, p->o.max_line_bytes);
	for (;;) {
		it = span_item_new(p);
		rc = reader_take_span(rd, &it->text, p->max_span, &it->span,
		    &err);
		if (rc <= 0) {
			item_free(it);
			break;
		}
		if (it->span.ntoo_long > 0) {
			it->too_long = xmalloc(it->span.ntoo_long *
			    sizeof(*it->too_long));
			memcpy(it->too_long, it->span.too_long,
			    it->span.ntoo_long * sizeof(*it->too_long));
		}
		it->span.too_long = it->too_long;
		if (it->span.njoined > 0) {
			it->joined = xmalloc(it->span.njoined *
			    sizeof(*it->joined));
			memcpy(it->joined, it->span.joined,
			    it->span.njoined * sizeof(*it->joined));
		}
		it->span.joined = it->joined;
		if (push(p, i, it) < 0)
			goto done;
	}
	if (rc < 0)
		goto failed;
	(void)push(p, i, item_new(PREFETCH_END));
	goto done;
failed:
	it = item_new(PREFETCH_ERROR);
	it->diag = err;
	memset(&err, 0, sizeof(err));
	(void)push(p, i, it);
done:
	diag_release(&err);
	reader_free(rd);
}

static void *
prefetch_main(void *arg)
{
	struct prefetch *p = arg;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (p->next_claim < p->nfiles &&
		    !p->is_ahead[p->next_claim])
			p->next_claim++;
		i = p->next_claim;
		if (i < p->nfiles)
			p->next_claim++;
		if (p->stopping)
			i = p->nfiles;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->nfiles)
			return NULL;
		read_ahead(p, i);
	}
}

struct prefetch *
prefetch_new(char *const *files, const char *is_ahead, size_t nfiles,
    size_t max_span, const struct prefetch_options *o)
{
	struct prefetch *p = xcalloc(1, sizeof(*p));
	size_t n = o->threads > 0 ? o->threads : 1;

	p->files = files;
	p->is_ahead = is_ahead;
	p->nfiles = nfiles;
	p->max_span = max_span;
	p->o = *o;
	p->queues = xcalloc(nfiles + 1, sizeof(*p->queues));
	p->threads = xcalloc(n, sizeof(*p->threads));
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->queued, NULL);
	pthread_cond_init(&p->taken, NULL);
	for (p->nthreads = 0; p->nthreads < n; p->nthreads++)
		if (pthread_create(&p->threads[p->nthreads], NULL,
		    prefetch_main, p) != 0)
			break;
	if (p->nthreads == 0) {
		prefetch_free(p);
		return NULL;
	}
	return p;
}

enum prefetch_kind
prefetch_next(struct prefetch *p, size_t i, struct buf *into,
    struct span *out, struct diag *note, struct diag *err)
{
	struct file_queue *q = &p->queues[i];
	enum prefetch_kind kind;
	struct item *it;

	item_free(p->given);
	p->given = NULL;
	pthread_mutex_lock(&p->lock);
	if (into->ptr != NULL && p->nspare < SPARE_BUFS) {
		into->len = 0;
		p->spare[p->nspare++] = *into;
		*into = (struct buf)BUF_INIT;
	}
	while (q->head == NULL)
		pthread_cond_wait(&p->queued, &p->lock);
	it = q->head;
	kind = it->kind;
	/* The end and errors stay at the head: asked again, the same. */
	if (kind == PREFETCH_SPAN || kind == PREFETCH_NOTE) {
		q->head = it->next;
		if (q->head == NULL)
			q->tail = NULL;
		if (kind == PREFETCH_SPAN)
			q->nspans--;
		/* Its reader may be waiting for room, among others. */
		pthread_cond_broadcast(&p->taken);
	}
	pthread_mutex_unlock(&p->lock);
	switch (kind) {
	case PREFETCH_SPAN:
		buf_release(into);
		*into = it->text;
		memset(&it->text, 0, sizeof(it->text));
		*out = it->span;
		p->given = it;
		break;
	case PREFETCH_NOTE:
		*note = it->diag;
		memset(&it->diag, 0, sizeof(it->diag));
		item_free(it);
		break;
	case PREFETCH_ERROR:
		diag_set(err, it->diag.status, "%s", it->diag.msg ?
		    it->diag.msg : "read error");
		break;
	case PREFETCH_END:
		break;
	}
	return kind;
}

void
prefetch_free(struct prefetch *p)
{
	struct item *it, *next;
	size_t i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = 1;
	pthread_cond_broadcast(&p->queued);
	pthread_cond_broadcast(&p->taken);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	for (i = 0; i < p->nfiles; i++)
		for (it = p->queues[i].head; it != NULL; it = next) {
			next = it->next;
			item_free(it);
		}
	item_free(p->given);
	for (i = 0; i < p->nspare; i++)
		buf_release(&p->spare[i]);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->queued);
	pthread_cond_destroy(&p->taken);
	free(p->queues);
	free(p->threads);
	free(p);
}

int
prefetch_worth(const char *path)
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
