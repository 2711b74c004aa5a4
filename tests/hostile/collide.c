/* SPDX-License-Identifier: MIT */
/* collide.c - keys made to collide in logq's hash tables as they were
 * before the seed (issue 16), for tests/hostile.sh
 *
 * Usage: collide tenants|paths|members N
 *
 * Prints N distinct keys, one a line, whose hash under the OLD, unseeded
 * functions (copied below from main before issue 16) falls in one run
 * of WINDOW slots of the table that N of them fill: a group-by's index
 * (agg.c: hash_bytes, 64-bit, slot = hash mod a power of two at least
 * 4/3 of the groups) for tenant ids and for paths that route() keeps as
 * they are, or jscan's member index (jscan_hash, 32-bit, slot = hash
 * mod the power of two at least twice the members) for member names.
 * With linear probing, N keys in one run make one cluster of N slots:
 * each insertion and lookup walks it, N^2/2 steps in all. The old code
 * took 16 s on 80,000 tenants; the seeded hash scatters the same keys.
 *
 * The keys are candidates from a counter (letters only, so that no
 * JSON escaping and no route() rewriting applies), kept when their old
 * hash lands in the window: about SLOTS / WINDOW tries a key.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW	1024

static uint64_t
load64le(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t w = 0;
	int i;

	for (i = 7; i >= 0; i--)
		w = w << 8 | p[i];
	return w;
}

static uint32_t
load32le(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* src/util.h's hash_bytes before issue 16 (on a little-endian host, as
 * it read with memcpy). */
static uint64_t
old_hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w = 0;
	size_t i;

	if (len < 8) {
		if (len >= 4)
			w = (uint64_t)load32le(s) << 32 |
			    load32le(s + len - 4);
		else
			for (i = 0; i < len; i++)
				w = (w << 8) | (unsigned char)s[i];
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
	} else {
		for (i = 0; i + 8 <= len; i += 8) {
			w = load64le(s + i);
			h = (h ^ w) * 0xff51afd7ed558ccdULL;
			h ^= h >> 32;
		}
		w = load64le(s + len - 8);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

/* src/jscan.c's jscan_hash before issue 16, for keys of up to sixteen
 * bytes (the ones made here). */
static uint32_t
old_jscan_hash(const char *s, size_t len)
{
	char pad[16] = { 0 };
	uint64_t a, b, h;

	memcpy(pad, s, len);
	a = load64le(pad);
	b = load64le(pad + 8);
	h = (a ^ (uint64_t)len * 0x9e3779b97f4a7c15ULL) *
	    0xff51afd7ed558ccdULL;
	h = (h ^ b ^ (h >> 32)) * 0xc4ceb9fe1a85ec53ULL;
	return (uint32_t)(h >> 32);
}

/* PREFIX and the counter C in eight letters. */
static size_t
candidate(char *out, const char *prefix, uint64_t c)
{
	size_t n = strlen(prefix), i;

	memcpy(out, prefix, n);
	for (i = 0; i < 8; i++) {
		out[n++] = (char)('a' + c % 26);
		c /= 26;
	}
	out[n] = '\0';
	return n;
}

int
main(int argc, char **argv)
{
	const char *prefix;
	uint64_t slots = 16, c, h;
	unsigned long n, made = 0;
	char key[64], *end;
	size_t len;
	int members;

	if (argc != 3 || (n = strtoul(argv[2], &end, 10)) == 0 ||
	    *end != '\0' || n > 1000000) {
		fprintf(stderr, "usage: collide tenants|paths|members N "
		    "(N in 1..1000000)\n");
		return 2;
	}
	if (strcmp(argv[1], "tenants") == 0)
		prefix = "acme-";
	else if (strcmp(argv[1], "paths") == 0)
		prefix = "/api/v2/x";	/* x: not all hex, not an id */
	else if (strcmp(argv[1], "members") == 0)
		prefix = "f";
	else {
		fprintf(stderr, "collide: unknown table '%s'\n", argv[1]);
		return 2;
	}
	members = prefix[0] == 'f';
	/* The table's size once it holds the N keys (agg.c gindex_grow:
	 * grows past 3/4 full; jscan.c index_members: twice the members). */
	if (members)
		while (slots < 2 * (uint64_t)n)
			slots *= 2;
	else
		for (slots = 64; (n + 1) * 4 > slots * 3; slots *= 2)
			;
	for (c = 0; made < n; c++) {
		len = candidate(key, prefix, c);
		h = members ? old_jscan_hash(key, len) :
		    old_hash_bytes(key, len);
		if ((h & (slots - 1)) < WINDOW) {
			puts(key);
			made++;
		}
	}
	return 0;
}
