/* SPDX-License-Identifier: MIT */
/* decompress.c - compressed input told by its first bytes, not its name
 * (SPEC 1): gzip through zlib, zstd through libzstd */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_ZLIB
#include <zlib.h>
#endif
#ifdef HAVE_ZSTD
#include <zstd.h>
#endif

#include "decompress.h"
#include "util.h"

#if defined(HAVE_ZLIB) || defined(HAVE_ZSTD)
/* A decoder that cannot allocate its state: out of memory, the one
 * error we do not carry (util.h). */
static void
decoder_oom(void)
{
	fprintf(stderr, "%s: out of memory (starting a decompressor)\n",
	    logq_progname);
	exit(2);
}
#endif

/*
 * The magic numbers of the formats people compress logs with (and the
 * archives they ship them in), from each format's own specification:
 * RFC 1952 (gzip), RFC 8878 (zstd), bzip2's "BZh", the xz and lz4 frame
 * formats, lzip, compress(1)'s .Z, 7-Zip, zip's local header, RAR and
 * POSIX tar's "ustar" at offset 257.
 */
static const struct magic {
	size_t		 offset;
	const char	*bytes;
	size_t		 len;
	enum decompress_format format;
	const char	*what, *tool;
} magics[] = {
	{ 0, "\x1f\x8b", 2, DECOMPRESS_GZIP, "gzip", "zcat" },
	{ 0, "\x28\xb5\x2f\xfd", 4, DECOMPRESS_ZSTD, "zstd", "zstdcat" },
	{ 0, "BZh", 3, DECOMPRESS_REFUSED, "bzip2", "bzcat" },
	{ 0, "\xfd" "7zXZ", 6, DECOMPRESS_REFUSED, "xz", "xzcat" },
	{ 0, "\x04\x22\x4d\x18", 4, DECOMPRESS_REFUSED, "lz4", "lz4cat" },
	{ 0, "LZIP", 4, DECOMPRESS_REFUSED, "lzip", "lzip -dc" },
	{ 0, "\x1f\x9d", 2, DECOMPRESS_REFUSED, "compress (.Z)",
	    "gzip -dc" },
	{ 0, "7z\xbc\xaf\x27\x1c", 6, DECOMPRESS_REFUSED, "7-Zip",
	    "7z x -so" },
	{ 0, "PK\x03\x04", 4, DECOMPRESS_REFUSED, "zip", "unzip -p" },
	{ 0, "Rar!\x1a\x07", 6, DECOMPRESS_REFUSED, "RAR", "unrar p -inul" },
	{ 257, "ustar", 5, DECOMPRESS_REFUSED, "tar", "tar -xOf" },
};

/* A zstd skippable frame: 0x184D2A50..5F, little-endian (RFC 8878). */
static int
zstd_skippable(const unsigned char *p, size_t n, int *partial)
{
	static const unsigned char tail[3] = { 0x2a, 0x4d, 0x18 };
	size_t k = n < 4 ? n : 4;

	*partial = 0;
	if (k == 0 || (p[0] & 0xf0) != 0x50 ||
	    memcmp(p + 1, tail, k > 1 ? k - 1 : 0) != 0)
		return 0;
	*partial = k < 4;
	return k == 4;
}

int
decompress_sniff(const unsigned char *p, size_t n, int at_eof,
    enum decompress_format *format, const char **what, const char **tool)
{
	size_t i, end, avail;
	int undecided = 0, partial;
	/* A newline before a late magic's place says line text, so a live
	 * stream's short first line is not held back to look for tar. */
	int is_text = memchr(p, '\n', n) != NULL;

	*format = DECOMPRESS_PLAIN;
	*what = *tool = NULL;
	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
		const struct magic *m = &magics[i];

		end = m->offset + m->len;
		avail = n < end ? n : end;
		if (avail <= m->offset) {
			undecided |= !at_eof && !is_text;
			continue;
		}
		if (memcmp(p + m->offset, m->bytes, avail - m->offset) != 0)
			continue;
		if (avail == end) {
			*format = m->format;
			*what = m->what;
			*tool = m->tool;
			return 1;
		}
		undecided |= !at_eof;
	}
	if (zstd_skippable(p, n, &partial)) {
		*format = DECOMPRESS_ZSTD;
		*what = "zstd";
		*tool = "zstdcat";
		return 1;
	}
	undecided |= partial && !at_eof;
	return !undecided;
}

int
decompress_built_in(enum decompress_format format)
{
	switch (format) {
	case DECOMPRESS_PLAIN:
		return 1;
	case DECOMPRESS_GZIP:
#ifdef HAVE_ZLIB
		return 1;
#else
		return 0;
#endif
	case DECOMPRESS_ZSTD:
#ifdef HAVE_ZSTD
		return 1;
#else
		return 0;
#endif
	case DECOMPRESS_REFUSED:
		break;
	}
	return 0;
}

const char *
decompress_describe(void)
{
	static char text[128];

	text[0] = '\0';
#ifdef HAVE_ZLIB
	snprintf(text, sizeof(text), "gzip (zlib %s)", zlibVersion());
#endif
#ifdef HAVE_ZSTD
	snprintf(text + strlen(text), sizeof(text) - strlen(text),
	    "%szstd (libzstd %s)", text[0] ? ", " : "", ZSTD_versionString());
#endif
	return text[0] ? text : "none";
}

struct decompress {
	enum decompress_format format;
	/* Between two streams (after one ended, before the next began);
	 * a decoder starts inside its first stream. */
	int		 between;
#ifdef HAVE_ZLIB
	z_stream	 z;
#endif
#ifdef HAVE_ZSTD
	ZSTD_DStream	*zs;
	size_t		 zs_hint;	/* last return: 0 at a frame's end */
#endif
};

struct decompress *
decompress_new(enum decompress_format format)
{
	struct decompress *d;

	if (!decompress_built_in(format) || format == DECOMPRESS_PLAIN)
		return NULL;
	d = xcalloc(1, sizeof(*d));
	d->format = format;
#ifdef HAVE_ZLIB
	if (format == DECOMPRESS_GZIP &&
	    inflateInit2(&d->z, 15 + 16) != Z_OK)	/* gzip wrapper */
		decoder_oom();
#endif
#ifdef HAVE_ZSTD
	if (format == DECOMPRESS_ZSTD) {
		if ((d->zs = ZSTD_createDStream()) == NULL)
			decoder_oom();
		d->zs_hint = 1;		/* inside the first frame */
	}
#endif
	return d;
}

void
decompress_free(struct decompress *d)
{
	if (d == NULL)
		return;
#ifdef HAVE_ZLIB
	if (d->format == DECOMPRESS_GZIP)
		inflateEnd(&d->z);
#endif
#ifdef HAVE_ZSTD
	if (d->format == DECOMPRESS_ZSTD)
		ZSTD_freeDStream(d->zs);
#endif
	free(d);
}

#ifdef HAVE_ZLIB
/*
 * gzip members one after another are one input (`cat a.gz b.gz`, as
 * gzip -d reads them). Zero bytes after a member are padding (tape
 * blocks, preallocated files) and ignored, as gzip ignores them; any
 * other data there is not read as log lines but refused.
 */
static long
gzip_run(struct decompress *d, const unsigned char **in, size_t *in_len,
    char *out, size_t cap, const char **why)
{
	z_stream *z = &d->z;
	int ret;

	z->next_out = (unsigned char *)out;
	z->avail_out = cap > UINT32_MAX ? UINT32_MAX : (unsigned)cap;
	while (z->avail_out > 0) {
		if (d->between) {
			while (*in_len > 0 && **in == 0) {
				(*in)++;
				(*in_len)--;
			}
			if (*in_len == 0 || (*in_len == 1 && **in == 0x1f))
				break;	/* more input tells */
			if ((*in)[0] != 0x1f || (*in)[1] != 0x8b) {
				*why = "data after the end of the gzip data "
				    "is not gzip";
				return -1;
			}
			inflateReset(z);
			d->between = 0;
		}
		z->next_in = (unsigned char *)(uintptr_t)*in;
		z->avail_in = *in_len > UINT32_MAX ? UINT32_MAX :
		    (unsigned)*in_len;
		ret = inflate(z, Z_NO_FLUSH);
		*in_len -= (size_t)(z->next_in - *in);
		*in = z->next_in;
		if (ret == Z_STREAM_END) {
			d->between = 1;
			continue;
		}
		if (ret == Z_BUF_ERROR)		/* no progress: wants input */
			break;
		if (ret != Z_OK) {
			*why = z->msg != NULL ? z->msg : "corrupt gzip data";
			return -1;
		}
		if (*in_len == 0)
			break;
	}
	return (long)(cap - z->avail_out);
}
#endif

#ifdef HAVE_ZSTD
/* zstd frames one after another are one input, as zstd -d reads them. */
static long
zstd_run(struct decompress *d, const unsigned char **in, size_t *in_len,
    char *out, size_t cap, const char **why)
{
	ZSTD_inBuffer ib = { *in, *in_len, 0 };
	ZSTD_outBuffer ob = { out, cap, 0 };
	size_t ret;

	while (ob.pos < ob.size) {
		size_t before_in = ib.pos, before_out = ob.pos;

		ret = ZSTD_decompressStream(d->zs, &ob, &ib);
		if (ZSTD_isError(ret)) {
			*why = ZSTD_getErrorName(ret);
			return -1;
		}
		/* Called with nothing to do after a frame's end, zstd
		 * returns the next header's size: not a frame cut short. */
		if (ib.pos == before_in && ob.pos == before_out)
			break;		/* wants input */
		d->zs_hint = ret;
		if (ib.pos == ib.size && ob.pos < ob.size)
			break;
	}
	*in += ib.pos;
	*in_len -= ib.pos;
	return (long)ob.pos;
}
#endif

long
decompress_run(struct decompress *d, const unsigned char **in, size_t *in_len,
    char *out, size_t cap, const char **why)
{
#ifdef HAVE_ZLIB
	if (d->format == DECOMPRESS_GZIP)
		return gzip_run(d, in, in_len, out, cap, why);
#endif
#ifdef HAVE_ZSTD
	if (d->format == DECOMPRESS_ZSTD)
		return zstd_run(d, in, in_len, out, cap, why);
#endif
	(void)d;
	(void)in;
	(void)in_len;
	(void)out;
	(void)cap;
	*why = "no decoder for this format";
	return -1;
}

int
decompress_finish(struct decompress *d, const char **why)
{
	int complete = 0;

	(void)d;
#ifdef HAVE_ZLIB
	if (d->format == DECOMPRESS_GZIP)
		complete = d->between;
#endif
#ifdef HAVE_ZSTD
	if (d->format == DECOMPRESS_ZSTD)
		complete = d->zs_hint == 0;
#endif
	if (complete)
		return 0;
	/* The words zlib's gzread used for a cut-off file. */
	*why = "unexpected end of file";
	return -1;
}
