/* SPDX-License-Identifier: MIT */
/* decompress.h - compressed input told by its first bytes, not its name
 * (SPEC 1): gzip through zlib, zstd through libzstd; other compressed
 * and archive formats are named and refused */
#ifndef LOGQ_DECOMPRESS_H
#define LOGQ_DECOMPRESS_H

#include <stddef.h>

enum decompress_format {
	DECOMPRESS_PLAIN,	/* not a format we know: read as it is */
	DECOMPRESS_GZIP,
	DECOMPRESS_ZSTD,
	DECOMPRESS_REFUSED	/* bzip2, xz, zip, ...: see decompress_what */
};

/* Bytes decompress_sniff() may need to tell every format apart. */
#define DECOMPRESS_SNIFF_BYTES	262

/*
 * What the first bytes P[0..N) of an input are. Returns 1 with *FORMAT
 * set, or 0 when N bytes are not enough to tell and more may come (pass
 * AT_EOF 1 when no more will: the answer is then final). On
 * DECOMPRESS_REFUSED, *WHAT is the format's name and *TOOL the command
 * that decompresses it (static strings); both are also set for gzip and
 * zstd, for the message of a build without the library.
 */
int		 decompress_sniff(const unsigned char *p, size_t n, int at_eof,
		    enum decompress_format *format, const char **what,
		    const char **tool);

/* Whether this build decompresses FORMAT (gzip needs zlib, zstd
 * libzstd). */
int		 decompress_built_in(enum decompress_format format);

/* "gzip (zlib 1.2.13), zstd (libzstd 1.5.4)", or "none", for
 * --version; a static string. */
const char	*decompress_describe(void);

/*
 * A decoder of one input, gzip or zstd, for formats built in. Several
 * streams one after another (`cat a.gz b.gz`, zstd frames) decode as one.
 */
struct decompress;

struct decompress *decompress_new(enum decompress_format format);
void		 decompress_free(struct decompress *d);

/*
 * Decodes from *IN (*IN_LEN bytes; both advanced past what was used)
 * into OUT[0..CAP). Returns the bytes written, possibly 0 when the
 * input given was used up without giving output; -1 with *WHY set (a
 * static or decoder-owned message) when the data is corrupt.
 */
long		 decompress_run(struct decompress *d, const unsigned char **in,
		    size_t *in_len, char *out, size_t cap, const char **why);

/*
 * At the end of the input: 0 when every stream was complete, -1 with
 * *WHY set ("unexpected end of file") when the last one was cut short.
 */
int		 decompress_finish(struct decompress *d, const char **why);

#endif
