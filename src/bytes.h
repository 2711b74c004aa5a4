/* SPDX-License-Identifier: MIT */
/* bytes.h - byte scanners: SSE2 where the target has it, and a portable
 * scalar twin of each that gives the same answer */
#ifndef LOGQ_BYTES_H
#define LOGQ_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#define BYTES_SSE2	1
#else
#define BYTES_SSE2	0
#endif

/*
 * Every scanner below comes as NAME_scalar (plain C, any target), as
 * NAME_sse2 where BYTES_SSE2 is 1, and as NAME, the one to call: the
 * SSE2 form where there is one, else the scalar. Each pair returns the
 * same result for the same bytes, and tests/unit/bytes_test.c checks
 * that they do. None reads outside the bytes it is given, except where
 * a comment says sixteen bytes must be readable. The hot ones are
 * inline: jscan reads every line through them.
 */

/*
 * Whether A and B hold the same N bytes. Keys, ids and paths are short:
 * compared a word at a time in line (the last word overlapping), which
 * costs less than a call to memcmp; long ones go to memcmp.
 */
static inline int
bytes_equal(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	uint32_t u, v, w, z;
	uint16_t h, k;
	size_t i;

	if (n < 8) {
		/* Two overlapping loads of four, or of two, or one byte. */
		if (n >= 4) {
			memcpy(&u, a, 4);
			memcpy(&v, b, 4);
			memcpy(&w, a + n - 4, 4);
			memcpy(&z, b + n - 4, 4);
			return u == v && w == z;
		}
		if (n >= 2) {
			memcpy(&h, a, 2);
			memcpy(&k, b, 2);
			return h == k && a[n - 1] == b[n - 1];
		}
		return n == 0 || a[0] == b[0];
	}
	if (n > 64)
		return memcmp(a, b, n) == 0;
	for (i = 0; i + 8 < n; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return 0;
	}
	memcpy(&x, a + n - 8, 8);
	memcpy(&y, b + n - 8, 8);
	return x == y;
}

/* 1 for the bytes that end the plain run of a JSON string: the quote,
 * the backslash and the controls below 0x20. */
extern const unsigned char bytes_string_stop[256];

/* Bit i set: P[i] is a stop byte, for i < 16. Sixteen bytes must be
 * readable at P. */
static inline unsigned
bytes_stop_mask16_scalar(const char *p)
{
	unsigned mask = 0, i;

	for (i = 0; i < 16; i++)
		mask |= (unsigned)bytes_string_stop[(unsigned char)p[i]] << i;
	return mask;
}

/* The first stop byte at or after P, or END. */
static inline const char *
bytes_find_stop_scalar(const char *p, const char *end)
{
	while (p < end && !bytes_string_stop[(unsigned char)*p])
		p++;
	return p;
}

/* Bit i set: A[i] == B[i], for i < 16. Sixteen bytes must be readable
 * at A and at B. */
static inline unsigned
bytes_eq_mask16_scalar(const char *a, const char *b)
{
	unsigned mask = 0, i;

	for (i = 0; i < 16; i++)
		mask |= (unsigned)(a[i] == b[i]) << i;
	return mask;
}

/* A little-endian word of eight bytes, on any target. */
static inline uint64_t
bytes_load64le(const char *s)
{
	uint64_t w;

	memcpy(&w, s, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/* The first K bytes (K <= 16) of the sixteen at P as two little-endian
 * words, *LO bytes 0..7 and *HI bytes 8..15, zero from byte K on: what
 * jscan hashes a short key from. Sixteen bytes must be readable at P. */
static inline void
bytes_words16_scalar(const char *p, unsigned k, uint64_t *lo, uint64_t *hi)
{
	uint64_t a = bytes_load64le(p), b = bytes_load64le(p + 8);

	if (k < 8) {
		a &= (UINT64_C(1) << (8 * k)) - 1;
		b = 0;
	} else if (k < 16)
		b &= (UINT64_C(1) << (8 * (k - 8))) - 1;
	*lo = a;
	*hi = b;
}

/* Whether P[0..LEN) is all ASCII (no byte with its high bit set). */
int	bytes_is_ascii_scalar(const char *p, size_t len);
/* The length of the ASCII run that P[0..LEN) starts with. */
size_t	bytes_ascii_span_scalar(const char *p, size_t len);
/* How many of P[0..LEN) are C. */
size_t	bytes_count_scalar(const char *p, size_t len, char c);

#if BYTES_SSE2
static inline __m128i
bytes_load16(const char *p)
{
	return _mm_loadu_si128((const __m128i *)(const void *)p);
}

static inline unsigned
bytes_stop_mask16_sse2(const char *p)
{
	const __m128i v = bytes_load16(p);

	/* A quote, a backslash, or a byte below 0x20 (min(c, 0x1f) == c). */
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(
	    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
	    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
	    _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v)));
}

/* Sixteen bytes at a time while sixteen remain, then the scalar twin. */
static inline const char *
bytes_find_stop_sse2(const char *p, const char *end)
{
	unsigned mask;

	while (end - p >= 16) {
		if ((mask = bytes_stop_mask16_sse2(p)) != 0)
			return p + __builtin_ctz(mask);
		p += 16;
	}
	return bytes_find_stop_scalar(p, end);
}

static inline unsigned
bytes_eq_mask16_sse2(const char *a, const char *b)
{
	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(bytes_load16(a),
	    bytes_load16(b)));
}

/* Bytes 0..15 of each: K leading 0xff, then zeros (K = 0..16). */
extern const unsigned char bytes_keep_mask[32];

#if defined(__x86_64__)
static inline void
bytes_words16_sse2(const char *p, unsigned k, uint64_t *lo, uint64_t *hi)
{
	const __m128i w = _mm_and_si128(bytes_load16(p),
	    bytes_load16((const char *)bytes_keep_mask + 16 - k));

	*lo = (uint64_t)_mm_cvtsi128_si64(w);
	*hi = (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(w, w));
}
#else
/* 32-bit x86 has no move of a whole word out of a vector register. */
#define bytes_words16_sse2	bytes_words16_scalar
#endif

size_t	bytes_ascii_span_sse2(const char *p, size_t len);
size_t	bytes_count_sse2(const char *p, size_t len, char c);

/* Nearly every log line is ASCII: from sixteen bytes on, the high bits
 * of every byte ORed together, 64 bytes a step, the tail as the last
 * sixteen bytes (overlapping), then one test. In line: once a line,
 * in record.c. */
static inline int
bytes_is_ascii_sse2(const char *p, size_t len)
{
	__m128i acc = _mm_setzero_si128();
	size_t i = 0;

	if (len < 16)
		return bytes_is_ascii_scalar(p, len);
	for (; i + 64 <= len; i += 64)
		acc = _mm_or_si128(acc, _mm_or_si128(
		    _mm_or_si128(bytes_load16(p + i),
		    bytes_load16(p + i + 16)),
		    _mm_or_si128(bytes_load16(p + i + 32),
		    bytes_load16(p + i + 48))));
	for (; i + 16 <= len; i += 16)
		acc = _mm_or_si128(acc, bytes_load16(p + i));
	acc = _mm_or_si128(acc, bytes_load16(p + len - 16));
	return _mm_movemask_epi8(acc) == 0;
}

#define bytes_stop_mask16	bytes_stop_mask16_sse2
#define bytes_find_stop		bytes_find_stop_sse2
#define bytes_eq_mask16		bytes_eq_mask16_sse2
#define bytes_words16		bytes_words16_sse2
#define bytes_is_ascii		bytes_is_ascii_sse2
#define bytes_ascii_span	bytes_ascii_span_sse2
#define bytes_count		bytes_count_sse2
#else
#define bytes_stop_mask16	bytes_stop_mask16_scalar
#define bytes_find_stop		bytes_find_stop_scalar
#define bytes_eq_mask16		bytes_eq_mask16_scalar
#define bytes_words16		bytes_words16_scalar
#define bytes_is_ascii		bytes_is_ascii_scalar
#define bytes_ascii_span	bytes_ascii_span_scalar
#define bytes_count		bytes_count_scalar
#endif

#endif
