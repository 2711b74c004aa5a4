/* SPDX-License-Identifier: MIT */
/* hash.h - keyed hashes for the tables that log content fills */
#ifndef LOGQ_HASH_H
#define LOGQ_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bytes.h"	/* bytes_load64le() */
#include "diag.h"

/*
 * The run's secret words, derived from one seed by hash_seed_set().
 * Every table that a log fills (group keys, distinct values, jscan's
 * key index, the call cache) hashes with them: with a fixed function, a
 * log could carry keys made to collide, and make an O(1) lookup O(n)
 * (issue 16). Mutable global state, as STYLE 5 allows for the program
 * name: main() sets them once, before any table exists or any thread
 * starts, and nothing writes them afterwards. Output never depends on
 * them (groups keep their order of arrival; distinct states are
 * written sorted). Until set, they hold fixed words (unit tests).
 */
extern uint64_t hash_secret[4];

/* Seeds the run: from TEXT if not NULL (LOGQ_HASH_SEED: a decimal or
 * 0x-prefixed hexadecimal number below 2^64, for repeatable runs),
 * else (NULL or empty) from getrandom() (or /dev/urandom, or the clock
 * and the pid).
 * -1 with *ERR filled (exit status 2) if TEXT is not such a number. */
int		hash_seed_init(const char *text, struct diag *err);
/* Derives the secret words from SEED (tests, hash_seed_init). */
void		hash_seed_set(uint64_t seed);

/* The 128-bit product of A and B as its halves *LO and *HI. */
static inline void
hash_mul128(uint64_t a, uint64_t b, uint64_t *lo, uint64_t *hi)
{
#ifdef __SIZEOF_INT128__
	__extension__ unsigned __int128 r = (unsigned __int128)a * b;

	*lo = (uint64_t)r;
	*hi = (uint64_t)(r >> 64);
#else
	uint64_t ha = a >> 32, la = (uint32_t)a, hb = b >> 32,
	    lb = (uint32_t)b, hl = ha * lb, lh = la * hb, ll = la * lb,
	    t = ll + (hl << 32), c = t < ll;

	*lo = t + (lh << 32);
	c += *lo < t;
	*hi = ha * hb + (hl >> 32) + (lh >> 32) + c;
#endif
}

/* The 128-bit product of A and B, its halves folded by xor: the mixing
 * step of wyhash. Each output bit depends on every input bit. */
static inline uint64_t
hash_mum(uint64_t a, uint64_t b)
{
	uint64_t lo, hi;

	hash_mul128(a, b, &lo, &hi);
	return lo ^ hi;
}

/*
 * A keyed hash of a key of LEN bytes given as two words A and B that
 * say it entirely (jscan's short keys: zero-padded little-endian
 * words; hash_bytes: its first and last eight bytes). Two products, as
 * wyhash's finish: secret words go into both factors of each, so which
 * keys collide depends on the seed.
 */
static inline uint64_t
hash_words(uint64_t a, uint64_t b, size_t len)
{
	uint64_t lo, hi;

	hash_mul128(a ^ hash_secret[0], b ^ hash_secret[1], &lo, &hi);
	return hash_mum(lo ^ hash_secret[2] ^ len, hi ^ hash_secret[3]);
}

/* A keyed hash of S[0..LEN) for tables (group keys, distinct values,
 * the call cache): up to sixteen bytes as two words read overlapping
 * (a tenant id is twenty), longer keys sixteen bytes a product. */
static inline uint64_t
hash_bytes(const char *s, size_t len)
{
	uint64_t a, b, h;
	size_t i;

	if (len <= 16) {
		if (len >= 8) {
			a = bytes_load64le(s);
			b = bytes_load64le(s + len - 8);
		} else if (len >= 4) {
			uint32_t x, y;

			/* Two overlapping words of four ("info", "GET "). */
			memcpy(&x, s, 4);
			memcpy(&y, s + len - 4, 4);
			a = (uint64_t)x << 32 | y;
			b = 0;
		} else {
			a = len == 0 ? 0 : (uint64_t)(unsigned char)s[0] << 16 |
			    (uint64_t)(unsigned char)s[len / 2] << 8 |
			    (unsigned char)s[len - 1];
			b = 0;
		}
		return hash_words(a, b, len);
	}
	h = hash_secret[0];
	for (i = 0; i + 16 < len; i += 16)
		h = hash_mum(bytes_load64le(s + i) ^ hash_secret[1],
		    bytes_load64le(s + i + 8) ^ h);
	return hash_words(bytes_load64le(s + len - 16),
	    bytes_load64le(s + len - 8) ^ h, len);
}

#endif
