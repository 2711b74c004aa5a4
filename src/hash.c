/* SPDX-License-Identifier: MIT */
/* hash.c - the run's hash seed: random, or LOGQ_HASH_SEED */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_SYS_RANDOM_H
#include <sys/random.h>
#endif

#include "hash.h"

/* hash_seed_set(0)'s words, so that a program that never seeds (the
 * unit tests) hashes as a run with LOGQ_HASH_SEED=0 does. */
uint64_t hash_secret[4] = {
	0xe220a8397b1dcdafULL, 0x6e789e6aa1b965f4ULL,
	0x06c45d188009454fULL, 0xf88bb8a8724c81ecULL
};

/* splitmix64's step: distinct, well-mixed words from one counter. */
static uint64_t
splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
hash_seed_set(uint64_t seed)
{
	size_t i;

	for (i = 0; i < 4; i++)
		hash_secret[i] = splitmix64(&seed);
}

/* A seed no log writer can know: the kernel's random bytes, else
 * /dev/urandom, else what changes from run to run (clock, pid, where
 * the stack and this function were mapped). */
static uint64_t
random_seed(void)
{
	uint64_t seed = 0;
	struct timespec ts;
	int fd;

#ifdef HAVE_GETRANDOM
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) ==
	    (ssize_t)sizeof(seed))
		return seed;
#endif
	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) >= 0) {
		ssize_t got = read(fd, &seed, sizeof(seed));

		close(fd);
		if (got == (ssize_t)sizeof(seed))
			return seed;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	seed = (uint64_t)ts.tv_sec * 1000000007ULL ^ (uint64_t)ts.tv_nsec;
	seed ^= (uint64_t)getpid() << 32;
	seed ^= (uint64_t)(uintptr_t)&ts ^ (uint64_t)(uintptr_t)random_seed;
	return seed;
}

/* TEXT as a seed: decimal digits, or 0x and hexadecimal digits, below
 * 2^64 and nothing else (strtoull would take a sign, spaces or a
 * second 0x). -1 if it is not one. */
static int
parse_seed(const char *text, uint64_t *out)
{
	const char *p = text;
	uint64_t v = 0, base = 10, d;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		base = 16;
	}
	if (*p == '\0')
		return -1;
	for (; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9')
			d = (uint64_t)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (uint64_t)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (uint64_t)(*p - 'A' + 10);
		else
			return -1;
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

int
hash_seed_init(const char *text, struct diag *err)
{
	uint64_t seed;

	/* Empty is unset, as for PYTHONHASHSEED. */
	if (text == NULL || *text == '\0') {
		hash_seed_set(random_seed());
		return 0;
	}
	if (parse_seed(text, &seed) < 0) {
		diag_set(err, LOGQ_EXIT_USAGE, "LOGQ_HASH_SEED '%s' is not a "
		    "seed: give a decimal or 0x-hexadecimal number below "
		    "2^64", text);
		return -1;
	}
	hash_seed_set(seed);
	return 0;
}
