/* SPDX-License-Identifier: MIT */
/* bytes.c - byte scanners: the ones not worth inlining, and the tables */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bytes.h"

const unsigned char bytes_string_stop[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* '"' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,	/* '\\' */
};

#define HIGH_BITS	UINT64_C(0x8080808080808080)

/* Eight bytes at a time, the high bits ORed together, then the tail. */
int
bytes_is_ascii_scalar(const char *p, size_t len)
{
	const unsigned char *s = (const unsigned char *)p;
	uint64_t w, acc = 0;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		acc |= w;
	}
	for (; i < len; i++)
		acc |= s[i];
	return (acc & HIGH_BITS) == 0;
}

size_t
bytes_ascii_span_scalar(const char *p, size_t len)
{
	const unsigned char *s = (const unsigned char *)p;
	uint64_t w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		if ((w & HIGH_BITS) != 0)
			break;
	}
	while (i < len && s[i] < 0x80)
		i++;
	return i;
}

size_t
bytes_count_scalar(const char *p, size_t len, char c)
{
	size_t i, count = 0;

	for (i = 0; i < len; i++)
		count += p[i] == c;
	return count;
}

#if BYTES_SSE2
const unsigned char bytes_keep_mask[32] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

size_t
bytes_ascii_span_sse2(const char *p, size_t len)
{
	size_t i = 0;
	int mask;

	for (; i + 16 <= len; i += 16)
		if ((mask = _mm_movemask_epi8(bytes_load16(p + i))) != 0)
			return i + (size_t)__builtin_ctz((unsigned)mask);
	return i + bytes_ascii_span_scalar(p + i, len - i);
}

size_t
bytes_count_sse2(const char *p, size_t len, char c)
{
	const __m128i needle = _mm_set1_epi8(c), zero = _mm_setzero_si128();
	size_t i = 0, count = 0;

	/* Each byte lane counts its matches (a match is -1: subtract it)
	 * for up to 252 blocks, four at a step, then the lanes are
	 * summed. */
	while (i + 16 <= len) {
		__m128i lanes = zero, sums;
		size_t k;

		for (k = 0; k < 63 && i + 64 <= len; k++, i += 64)
			lanes = _mm_sub_epi8(_mm_sub_epi8(_mm_sub_epi8(
			    _mm_sub_epi8(lanes,
			    _mm_cmpeq_epi8(bytes_load16(p + i), needle)),
			    _mm_cmpeq_epi8(bytes_load16(p + i + 16), needle)),
			    _mm_cmpeq_epi8(bytes_load16(p + i + 32), needle)),
			    _mm_cmpeq_epi8(bytes_load16(p + i + 48), needle));
		if (k == 0)	/* the last blocks of sixteen */
			for (; i + 16 <= len; i += 16)
				lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(
				    bytes_load16(p + i), needle));
		sums = _mm_sad_epu8(lanes, zero);
		count += (size_t)_mm_cvtsi128_si32(sums) +
		    (size_t)_mm_cvtsi128_si32(_mm_unpackhi_epi64(sums, sums));
	}
	return count + bytes_count_scalar(p + i, len - i, c);
}
#endif
