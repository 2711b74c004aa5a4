/* SPDX-License-Identifier: MIT */
/* hash_test.c - the keyed hashes and the run's seed (issue 16)
 *
 * The collisions below are searched for here, under one seed, the way
 * an attacker who knew the function would; the test is that another
 * seed parts them. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "jscan.h"
#include "tap.h"

static void
test_seed_text(void)
{
	static const char *const good[] = { "0", "12345", "0x1F", "0XaB",
		"18446744073709551615", "0xffffffffffffffff" };
	static const char *const bad[] = { "abc", "-1", "+5", " 1",
		"1 ", "0x", "0x-1", "0x 1", "1.5", "0x0x1",
		"18446744073709551616", "0x10000000000000000" };
	uint64_t want[4];
	size_t i;
	int all = 1;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct diag err = { 0 };

		if (hash_seed_init(good[i], &err) != 0 || diag_is_set(&err)) {
			printf("# refused '%s'\n", good[i]);
			all = 0;
		}
		diag_release(&err);
	}
	ok(all, "decimal and 0x-hexadecimal seeds up to 2^64-1 are taken");

	all = 1;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct diag err = { 0 };

		if (hash_seed_init(bad[i], &err) != -1 ||
		    err.status != LOGQ_EXIT_USAGE || err.msg == NULL ||
		    strstr(err.msg, "LOGQ_HASH_SEED") == NULL ||
		    strstr(err.msg, bad[i]) == NULL) {
			printf("# took '%s'\n", bad[i]);
			all = 0;
		}
		diag_release(&err);
	}
	ok(all, "signs, spaces, fractions, 2^64 and more are "
	    "refused with status 2, naming the variable and the value");

	{
		struct diag err = { 0 };

		hash_seed_init("0x1F", &err);
		memcpy(want, hash_secret, sizeof(want));
		hash_seed_set(31);
		ok(memcmp(want, hash_secret, sizeof(want)) == 0,
		    "0x1F and 31 are one seed");
	}

	memcpy(want, hash_secret, sizeof(want));
	hash_seed_init(NULL, NULL);
	ok(memcmp(want, hash_secret, sizeof(want)) != 0,
	    "no LOGQ_HASH_SEED: a random seed");
	memcpy(want, hash_secret, sizeof(want));
	hash_seed_init(NULL, NULL);
	ok(memcmp(want, hash_secret, sizeof(want)) != 0,
	    "and another one on the next call");
	memcpy(want, hash_secret, sizeof(want));
	hash_seed_init("", NULL);
	ok(memcmp(want, hash_secret, sizeof(want)) != 0,
	    "LOGQ_HASH_SEED empty: a random seed too");
}

/* The I-th six-letter key. */
static void
key6(uint32_t i, char *k)
{
	int j;

	for (j = 0; j < 6; j++) {
		k[j] = (char)('a' + i % 26);
		i /= 26;
	}
	k[6] = '\0';
}

struct entry {
	uint32_t	 hash, i;
};

static int
entry_cmp(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;

	return (a->hash > b->hash) - (a->hash < b->hash);
}

/*
 * A 32-bit jscan_hash collision by the birthday bound (about 2^16 keys
 * make one; 300,000 make about ten), under seed 1: its two keys would
 * share a slot of jscan's index at any size. Under seed 2 they must
 * not collide, nor any of the others found.
 */
static void
test_jscan_collision(void)
{
	size_t n = 300000, i, found = 0, parted = 0;
	struct entry *e = calloc(n, sizeof(*e));
	char a[8], b[8];

	hash_seed_set(1);
	for (i = 0; i < n; i++) {
		key6((uint32_t)i * 7919u + 13, a);
		e[i].hash = jscan_hash(a, 6);
		e[i].i = (uint32_t)i * 7919u + 13;
	}
	qsort(e, n, sizeof(*e), entry_cmp);
	for (i = 1; i < n; i++) {
		if (e[i].hash != e[i - 1].hash)
			continue;
		key6(e[i].i, a);
		key6(e[i - 1].i, b);
		if (strcmp(a, b) == 0)
			continue;
		found++;
		hash_seed_set(2);
		if (jscan_hash(a, 6) != jscan_hash(b, 6))
			parted++;
		else
			printf("# '%s' and '%s' collide under both\n", a, b);
		if (found == 1)
			printf("# seed 1: '%s' and '%s' share hash %08x\n", a,
			    b, (unsigned)e[i].hash);
		hash_seed_set(1);
	}
	ok(found >= 2, "seed 1: a birthday search finds colliding keys "
	    "(%zu pairs)", found);
	ok(found > 0 && parted == found,
	    "seed 2: none of those pairs collides");
	free(e);
}

/*
 * What an attack on a group-by needs: many keys in one run of slots.
 * Under seed 1, 64 keys of 20 bytes (tenant ids) whose hash_bytes has
 * the same low 17 bits (one slot of a table of 131,072); under seed 2
 * they must scatter (64 keys in 131,072 slots: two in one slot has a
 * chance of 1.5%, five is about 10^-10).
 */
static void
test_bytes_bucket(void)
{
	char keys[64][21];
	uint64_t want = 0, h;
	size_t n = 0, i, j, most = 0;
	uint32_t c = 0;

	hash_seed_set(1);
	while (n < 64) {
		char k[21];

		snprintf(k, sizeof(k), "tenant-%013lu", (unsigned long)c++);
		h = hash_bytes(k, 20) & 0x1ffff;
		if (n == 0)
			want = h;
		if (h == want)
			memcpy(keys[n++], k, sizeof(k));
	}
	ok(n == 64, "seed 1: 64 tenant ids share one of 131,072 slots "
	    "(%lu tried)", (unsigned long)c);
	hash_seed_set(2);
	for (i = 0; i < 64; i++) {
		size_t same = 0;

		h = hash_bytes(keys[i], 20) & 0x1ffff;
		for (j = 0; j < 64; j++)
			same += (hash_bytes(keys[j], 20) & 0x1ffff) == h;
		if (same > most)
			most = same;
	}
	ok(most <= 4, "seed 2: at most 4 of them share a slot (%zu)", most);
}

/* Equal bytes hash equal, whatever the way in; the length counts. */
static void
test_consistency(void)
{
	const char *s = "a long key of more than sixteen bytes, "
	    "and more than thirty-two";
	uint64_t seen[64];
	size_t len, i, dup = 0;
	char copy[128];

	hash_seed_set(7);
	for (len = 0; len < 64; len++) {
		memcpy(copy, s, len);
		if (hash_bytes(copy, len) != hash_bytes(s, len) ||
		    jscan_hash(copy, len) != jscan_hash(s, len))
			dup = 1000;
		seen[len] = hash_bytes(s, len);
		for (i = 0; i < len; i++)
			dup += seen[i] == seen[len];
	}
	ok(dup == 0, "the 64 prefixes of a string hash apart, and a copy "
	    "hashes as the original");
	ok(jscan_hash("ab", 2) != jscan_hash("ab\0", 3) &&
	    hash_bytes("ab", 2) != hash_bytes("ab\0", 3) &&
	    hash_bytes("", 0) != hash_bytes("\0", 1),
	    "a key and the key with a NUL after it hash apart");
}

int
main(void)
{
	uint64_t first[4];

	memcpy(first, hash_secret, sizeof(first));
	hash_seed_set(0);
	ok(memcmp(first, hash_secret, sizeof(first)) == 0,
	    "a program that never seeds hashes as seed 0");
	test_seed_text();
	test_jscan_collision();
	test_bytes_bucket();
	test_consistency();
	return done_testing();
}
