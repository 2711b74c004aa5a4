/* SPDX-License-Identifier: MIT */
/* bytes_test.c - each SSE2 scanner against its scalar twin, and both
 * against a byte-by-byte oracle
 *
 * Inputs: every byte value at every position of buffers whose lengths
 * straddle the 16-, 32- and 64-byte steps of the wide loops, at every
 * alignment of the start; random buffers from alphabets where the byte
 * looked for is common, rare or absent; and long runs for the counters
 * that sum byte lanes. A target without SSE2 checks the scalar twins
 * against the oracle only.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "tap.h"

/* Room for the longest input at any alignment, plus sixteen readable
 * bytes after it for the scanners of sixteen bytes. */
#define ROOM	(20000 + 64)

static char *buf;
static unsigned long mismatches;

/* xorshift64*: the same inputs on every run. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* The lengths that straddle the wide loops' steps. */
static const size_t edge_lens[] = {
	0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65,
	79, 80, 127, 128, 129, 255, 256, 257
};
#define NEDGE	(sizeof(edge_lens) / sizeof(edge_lens[0]))

static int
is_stop(unsigned char c)
{
	return c == '"' || c == '\\' || c < 0x20;
}

static void
note(const char *what, size_t off, size_t len, size_t got, size_t want)
{
	if (mismatches++ < 10)
		printf("# %s: offset %zu length %zu: got %zu, want %zu\n",
		    what, off, len, got, want);
}

/* Fills P[0..LEN) from ALPHABET, or with any byte when it is NULL. */
static void
fill_random(char *p, size_t len, const char *alphabet)
{
	size_t i, n = alphabet ? strlen(alphabet) : 0;

	for (i = 0; i < len; i++)
		p[i] = alphabet ? alphabet[rng() % n] : (char)(rng() & 0xff);
}

/* --- the oracles --- */

static size_t
oracle_find_stop(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len && !is_stop((unsigned char)p[i]); i++)
		;
	return i;
}

static unsigned
oracle_stop_mask16(const char *p)
{
	unsigned mask = 0, i;

	for (i = 0; i < 16; i++)
		if (is_stop((unsigned char)p[i]))
			mask |= 1u << i;
	return mask;
}

static size_t
oracle_ascii_span(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len && (unsigned char)p[i] < 0x80; i++)
		;
	return i;
}

static size_t
oracle_count(const char *p, size_t len, char c)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += p[i] == c;
	return n;
}

/* --- one input through every twin --- */

static void
check_find_stop(size_t off, size_t len)
{
	const char *p = buf + off;
	size_t want = oracle_find_stop(p, len);

	if ((size_t)(bytes_find_stop_scalar(p, p + len) - p) != want)
		note("find_stop_scalar", off, len,
		    (size_t)(bytes_find_stop_scalar(p, p + len) - p), want);
#if BYTES_SSE2
	if ((size_t)(bytes_find_stop_sse2(p, p + len) - p) != want)
		note("find_stop_sse2", off, len,
		    (size_t)(bytes_find_stop_sse2(p, p + len) - p), want);
#endif
}

static void
check_mask16(size_t off)
{
	const char *p = buf + off;
	unsigned want = oracle_stop_mask16(p);

	if (bytes_stop_mask16_scalar(p) != want)
		note("stop_mask16_scalar", off, 16,
		    bytes_stop_mask16_scalar(p), want);
#if BYTES_SSE2
	if (bytes_stop_mask16_sse2(p) != want)
		note("stop_mask16_sse2", off, 16, bytes_stop_mask16_sse2(p),
		    want);
#endif
}

static void
check_ascii(size_t off, size_t len)
{
	const char *p = buf + off;
	size_t span = oracle_ascii_span(p, len);
	int all = span == len;

	if (bytes_is_ascii_scalar(p, len) != all)
		note("is_ascii_scalar", off, len,
		    (size_t)bytes_is_ascii_scalar(p, len), (size_t)all);
	if (bytes_ascii_span_scalar(p, len) != span)
		note("ascii_span_scalar", off, len,
		    bytes_ascii_span_scalar(p, len), span);
#if BYTES_SSE2
	if (bytes_is_ascii_sse2(p, len) != all)
		note("is_ascii_sse2", off, len,
		    (size_t)bytes_is_ascii_sse2(p, len), (size_t)all);
	if (bytes_ascii_span_sse2(p, len) != span)
		note("ascii_span_sse2", off, len,
		    bytes_ascii_span_sse2(p, len), span);
#endif
}

static void
check_count(size_t off, size_t len, char c)
{
	const char *p = buf + off;
	size_t want = oracle_count(p, len, c);

	if (bytes_count_scalar(p, len, c) != want)
		note("count_scalar", off, len, bytes_count_scalar(p, len, c),
		    want);
#if BYTES_SSE2
	if (bytes_count_sse2(p, len, c) != want)
		note("count_sse2", off, len, bytes_count_sse2(p, len, c),
		    want);
#endif
}

/* Every check of a buffer of LEN bytes at OFF, counting byte C. */
static void
check_all(size_t off, size_t len, char c)
{
	check_find_stop(off, len);
	check_ascii(off, len);
	check_count(off, len, c);
	if (len >= 16)
		check_mask16(off);
}

/* --- the inputs --- */

/* Whether position POS of LEN bytes is worth a check: all of them in
 * short buffers; in long ones the first and last, and those beside a
 * multiple of sixteen (where one wide step hands over to the next). */
static int
worth_checking(size_t pos, size_t len)
{
	if (len <= 65 || pos < 20 || pos + 20 >= len)
		return 1;
	return pos % 16 <= 1 || pos % 16 == 15;
}

/* Byte B at every position of a plain run, at every alignment (long
 * runs: at a few). */
static void
test_every_byte(void)
{
	size_t e, off, pos, len;
	int b;

	for (b = 0; b < 256; b++)
		for (e = 0; e < NEDGE; e++)
			for (off = 0; off < 16; off++) {
				len = edge_lens[e];
				if (len > 65 && off % 5 != 0)
					continue;
				memset(buf, 'a', 512);
				/* Past the end: must not be seen. */
				buf[off + len] = '"';
				buf[off + len + 1] = (char)0x80;
				check_all(off, len, (char)b);
				for (pos = 0; pos < len; pos++) {
					if (!worth_checking(pos, len))
						continue;
					buf[off + pos] = (char)b;
					check_all(off, len, (char)b);
					buf[off + pos] = 'a';
				}
			}
	ok(mismatches == 0, "every byte value at every position, length "
	    "and alignment");
}

/* Buffers drawn from alphabets where a stop byte, a high byte or the
 * counted byte is common, rare or absent. */
static void
test_random(void)
{
	static const char *const alphabets[] = {
		NULL,
		"abcdefghijklmnopqrstuvwxyz0123456789",
		"abcdefghijklmnopqrstuvwxyz\"",
		"abcdefghijklmnopqrstuvwxyz0123456789\\",
		"ab\n",
		"ab\x01\x1f ",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3",
		"\x7f\x80\xff ~",
	};
	size_t i, a, off, len;

	mismatches = 0;
	for (i = 0; i < 20000; i++) {
		a = i % (sizeof(alphabets) / sizeof(alphabets[0]));
		off = (size_t)(rng() % 16);
		len = (size_t)(rng() % 300);
		fill_random(buf, 400, alphabets[a]);
		check_all(off, len, i % 2 ? '\n' : buf[off]);
	}
	ok(mismatches == 0, "random buffers from biased alphabets");
}

/* Long buffers: the byte-lane counters of bytes_count_sse2 sum their
 * lanes every 63 steps of 64 bytes; a lane must not wrap. */
static void
test_long(void)
{
	static const size_t lens[] = {
		4031, 4032, 4033, 4095, 4096, 4097, 8064, 8065, 16128, 20000
	};
	size_t i, off;

	mismatches = 0;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		for (off = 0; off < 3; off++) {
			memset(buf, '\n', ROOM);
			check_all(off, lens[i], '\n');
			fill_random(buf, ROOM, "\n\na");
			check_all(off, lens[i], '\n');
			memset(buf, 'a', ROOM);
			buf[off + lens[i] - 1] = (char)0xe2;
			check_all(off, lens[i], 'a');
		}
	ok(mismatches == 0, "long buffers, all or most bytes counted");
}

/* The sixteen-byte pair scanners: equal bytes and key words. */
static void
test_sixteen(void)
{
	char a[32], b[32], pad[16];
	uint64_t lo, hi, wlo, whi;
	unsigned i, k, want, off;

	mismatches = 0;
	for (i = 0; i < 20000; i++) {
		off = i % 16;
		fill_random(a, sizeof(a), NULL);
		memcpy(b, a, sizeof(b));
		/* A few bytes differ, sometimes none. */
		for (k = (unsigned)(rng() % 4); k > 0; k--)
			b[off + rng() % 16] ^= (char)(1 + rng() % 255);
		for (want = 0, k = 0; k < 16; k++)
			want |= (unsigned)(a[off + k] == b[off + k]) << k;
		if (bytes_eq_mask16_scalar(a + off, b + off) != want)
			note("eq_mask16_scalar", off, 16,
			    bytes_eq_mask16_scalar(a + off, b + off), want);
#if BYTES_SSE2
		if (bytes_eq_mask16_sse2(a + off, b + off) != want)
			note("eq_mask16_sse2", off, 16,
			    bytes_eq_mask16_sse2(a + off, b + off), want);
#endif
		k = i % 17;
		memset(pad, 0, sizeof(pad));
		memcpy(pad, a + off, k);
		wlo = bytes_load64le(pad);
		whi = bytes_load64le(pad + 8);
		bytes_words16_scalar(a + off, k, &lo, &hi);
		if (lo != wlo || hi != whi)
			note("words16_scalar", off, k, (size_t)lo, (size_t)wlo);
#if BYTES_SSE2
		bytes_words16_sse2(a + off, k, &lo, &hi);
		if (lo != wlo || hi != whi)
			note("words16_sse2", off, k, (size_t)lo, (size_t)wlo);
#endif
	}
	ok(mismatches == 0, "equal-byte masks and key words of sixteen bytes");
}

/* bytes_equal against memcmp, around its word steps. */
static void
test_equal(void)
{
	char a[80], b[80];
	size_t i, n, k;

	mismatches = 0;
	for (i = 0; i < 20000; i++) {
		n = i % 80;
		fill_random(a, sizeof(a), "ab");
		memcpy(b, a, sizeof(b));
		if (n > 0 && i % 3 != 0) {
			k = (size_t)(rng() % n);
			b[k] = b[k] == 'a' ? 'b' : 'a';
		}
		if (bytes_equal(a, b, n) != (memcmp(a, b, n) == 0))
			note("equal", 0, n, (size_t)bytes_equal(a, b, n),
			    (size_t)(memcmp(a, b, n) == 0));
	}
	ok(mismatches == 0, "bytes_equal agrees with memcmp");
}

int
main(void)
{
	if ((buf = malloc(ROOM)) == NULL)
		return 99;
	if (!BYTES_SSE2)
		printf("# no SSE2: the scalar twins against the oracles "
		    "only\n");
	test_every_byte();
	test_random();
	test_long();
	test_sixteen();
	test_equal();
	free(buf);
	return done_testing();
}
