/* SPDX-License-Identifier: MIT */
/* percentile.h - nearest-rank percentiles by selection (SPEC 4.3) */
#ifndef LOGQ_PERCENTILE_H
#define LOGQ_PERCENTILE_H

#include <stddef.h>
#include <stdint.h>

/* The nearest-rank percentile Q (0 < Q <= 100) of V[0..N), N > 0, as
 * SPEC 4.3 defines it: the value at 1-based rank ceil(Q/100 * N) of V
 * sorted ascending. Reorders V (selection, not a full sort). */
double		 percentile_of(double *v, size_t n, double q);

/* The 0-based place of that rank: ceil(Q/100 * N) - 1, within 0..N-1
 * (N > 0, N < 2^46). */
uint64_t	 percentile_index(uint64_t n, double q);

/* Sorts V[0..N) ascending, -0 before 0 (finite values: no NaN), in
 * O(n log n) whatever their order. */
void		 percentile_sort(double *v, size_t n);

#define PERCENTILE_FIXED	8

/* Ranks of an array already selected (ascending), while its n is
 * fixed_n: each is in its sorted place with nothing larger before it
 * and nothing smaller after it, so the next percentile of the array
 * (p95 after p50) selects between two of them only. Zeroed: none. */
struct percentile_ranks {
	size_t		 fixed[PERCENTILE_FIXED];
	size_t		 nfixed, fixed_n;
};

/* percentile_of() of V[0..N), selecting only between the ranks earlier
 * calls with the same R fixed, and recording the rank found in R. */
double		 percentile_of_ranked(double *v, size_t n, double q,
		    struct percentile_ranks *r);

#endif
