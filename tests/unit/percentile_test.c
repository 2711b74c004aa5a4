/* SPDX-License-Identifier: MIT */
/* percentile_test.c - nearest-rank selection (SPEC 4.3)
 *
 * Every expected value below was worked out by hand or with python3
 * (nearest rank: sorted(v)[ceil(Fraction(q) / 100 * n) - 1]); the
 * comment beside each says which. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "percentile.h"
#include "tap.h"

static void
test_percentile(void)
{
	/* The 200 values and their percentiles come from python3:
	 * random.seed(7); [random.randint(-50, 50) for _ in range(200)]. */
	static const double data[200] = {
		-9, -31, 0, 33, -44, -41, 18, -38, -4, 24, -43, 14, -23,
		-46, -39, 5, 3, -42, -20, -39, 20, 4, -43, 22, -35, -22, 30,
		30, 24, -43, 23, 24, 0, -44, -22, -45, 21, -33, -13, 3, -32,
		19, -35, 23, -11, 21, 37, -27, -37, 24, 23, 31, -26, -3, -38,
		20, 41, -42, 22, -43, 29, -24, 13, 37, 18, 4, 49, -10, 9, 24,
		8, -4, -12, -19, -27, 39, 49, -19, -40, 23, -12, 17, 13, -7,
		43, 7, -14, 27, -41, -35, 15, 3, -29, 46, -7, -31, 12, 3, -45,
		35, -41, 47, 21, 23, -10, -7, 38, -6, 26, 13, 24, 8, -42, -39,
		-16, 10, 39, 35, -42, -43, 43, 39, -11, 32, 23, 37, 7, -14,
		41, -1, 35, -6, -48, 9, -5, -29, 28, -36, 13, -43, -23, 48,
		-14, -34, 44, -19, 0, 0, 13, -40, -29, 7, 1, 20, -15, -33, 5,
		20, -15, 40, 3, -5, 37, -2, -21, -31, -40, -28, -31, -21, 34,
		-21, -49, 12, 25, -27, -17, -14, -50, -32, 3, 18, -3, 28, 22,
		-10, -34, 38, 15, 29, 33, 36, 44, -44, 8, 49, 37, 21, 0, 0
	};
	static const double qs[] = { 1, 10, 25, 33.3, 50, 66.7, 90, 95, 99,
		99.9, 100 };
	static const double want[] = { -49, -41, -27, -16, 0, 18, 37, 41,
		49, 49, 49 };
	double v[1000], w[200];
	size_t i, k;
	int all;

	/* n = 1: every percentile is the value (hand). */
	v[0] = 42;
	ok(percentile_of(v, 1, 1) == 42 && percentile_of(v, 1, 50) == 42 &&
	    percentile_of(v, 1, 100) == 42,
	    "n=1: p1, p50, p100 are the value");

	/* n = 2, {2, 1}: ranks ceil(.5)=1, ceil(1.02)=2 (hand). */
	v[0] = 2; v[1] = 1;
	ok(percentile_of(v, 2, 50) == 1, "n=2: p50 of {1,2} is 1");
	v[0] = 2; v[1] = 1;
	ok(percentile_of(v, 2, 51) == 2, "n=2: p51 of {1,2} is 2");
	v[0] = 2; v[1] = 1;
	ok(percentile_of(v, 2, 1) == 1, "n=2: p1 of {1,2} is 1");
	v[0] = 2; v[1] = 1;
	ok(percentile_of(v, 2, 100) == 2, "n=2: p100 of {1,2} is 2");

	/* n = 100, 1..100 ascending, then descending (hand: rank = q). */
#define FILL_UP(n)	for (i = 0; i < (n); i++) v[i] = (double)(i + 1)
#define FILL_DOWN(n)	for (i = 0; i < (n); i++) v[i] = (double)((n) - i)
	FILL_UP(100);
	is_int(percentile_of(v, 100, 50), 50, "p50 of 1..100 sorted is 50");
	FILL_DOWN(100);
	is_int(percentile_of(v, 100, 50), 50, "p50 of 100..1 reversed is 50");
	FILL_UP(100);
	is_int(percentile_of(v, 100, 99), 99, "p99 of 1..100 is 99");
	FILL_DOWN(100);
	is_int(percentile_of(v, 100, 99), 99, "p99 of 100..1 is 99");
	FILL_UP(100);
	is_int(percentile_of(v, 100, 7), 7, "percentile 7 of 1..100 is 7");
	FILL_DOWN(100);
	is_int(percentile_of(v, 100, 1), 1, "p1 of 100..1 is 1");
	FILL_UP(100);
	is_int(percentile_of(v, 100, 100), 100, "p100 of 1..100 is the max");
	FILL_DOWN(100);
	is_int(percentile_of(v, 100, 99.9), 100,
	    "p99.9 of 1..100 is 100 (rank ceil(99.9))");
	/* 1..101: p50 rank ceil(50.5) = 51, p90 rank ceil(90.9) = 91. */
	FILL_DOWN(101);
	is_int(percentile_of(v, 101, 50), 51, "p50 of 1..101 is 51");
	FILL_UP(101);
	is_int(percentile_of(v, 101, 90), 91, "p90 of 1..101 is 91");

	/* n = 1000 (python3). */
	FILL_UP(1000);
	is_int(percentile_of(v, 1000, 99.9), 999, "p99.9 of 1..1000 is 999");
	FILL_DOWN(1000);
	is_int(percentile_of(v, 1000, 99.99), 1000,
	    "p99.99 of 1..1000 is 1000 (rank ceil(999.9))");
	FILL_DOWN(1000);
	is_int(percentile_of(v, 1000, 0.001), 1,
	    "percentile 0.001 of 1..1000 is rank 1");
	/* Ties: {5,1,5,5,1,9} sorted 1 1 5 5 5 9 (python3). */
#define TIES()	do { v[0] = 5; v[1] = 1; v[2] = 5; v[3] = 5; v[4] = 1; \
		    v[5] = 9; } while (0)
	TIES();
	is_int(percentile_of(v, 6, 33), 1, "ties: p33 is rank 2 -> 1");
	TIES();
	is_int(percentile_of(v, 6, 34), 5, "ties: p34 is rank 3 -> 5");
	TIES();
	is_int(percentile_of(v, 6, 84), 9, "ties: p84 is rank 6 -> 9");
	for (i = 0; i < 100; i++)
		v[i] = 7;
	is_int(percentile_of(v, 100, 50), 7, "100 equal values: p50 is it");

	/* Negatives: {-3,-10,0,7,-1} sorted -10 -3 -1 0 7 (hand). */
#define NEG()	do { v[0] = -3; v[1] = -10; v[2] = 0; v[3] = 7; \
		    v[4] = -1; } while (0)
	NEG();
	is_int(percentile_of(v, 5, 20), -10, "negatives: p20 is -10");
	NEG();
	is_int(percentile_of(v, 5, 40), -3, "negatives: p40 is -3");
	NEG();
	is_int(percentile_of(v, 5, 41), -1, "negatives: p41 is -1");
	NEG();
	is_int(percentile_of(v, 5, 0.5), -10, "negatives: p0.5 is the min");
	NEG();
	is_int(percentile_of(v, 5, 100), 7, "negatives: p100 is the max");
	NEG();
	ok(percentile_of(v, 5, 50) == -1 && percentile_of(v, 5, 50) == -1,
	    "a second call on the reordered array gives the same value");
	v[0] = -0.5; v[1] = -0.25; v[2] = 0.75;
	ok(percentile_of(v, 3, 50) == -0.25, "reals: p50 of 3 is the middle");

	/* 200 random values with ties and negatives (python3). */
	all = 1;
	for (k = 0; k < sizeof(qs) / sizeof(qs[0]); k++) {
		double got;

		memcpy(w, data, sizeof(w));
		got = percentile_of(w, 200, qs[k]);
		if (got != want[k]) {
			printf("# q=%g: got %g, want %g\n", qs[k], got,
			    want[k]);
			all = 0;
		}
	}
	ok(all, "200 random values: 11 percentiles as python3 computes them");
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * The selection against a sorted copy, on shapes that trouble a
 * quickselect (all equal, two values, few distinct values, sorted,
 * reversed, organ pipe, reals, down-up) and sizes around its cut-over
 * to insertion sort, and 65,536, where reversed, organ pipe and down-up
 * exhaust the partitions and heap selection finishes: successive percentiles on the same array, each from
 * the order the last one left, as the percentiles of one group are
 * computed. Each must leave its rank's value in place with no larger
 * value before it and no smaller one after (percentile_of_ranked narrows
 * the next search by that). Rank as SPEC 4.3: ceil(q/100 * n).
 */
static void
test_percentile_shapes(void)
{
	static const size_t sizes[] = { 15, 16, 17, 33, 100, 1001, 4096,
		65536 };
	static const double qs[] = { 50, 95, 99, 1, 25, 99.9, 75, 100, 0.1 };
	static double v[65536], sorted[65536];
	unsigned long x = 12345;
	size_t si, i, qi, bad = 0, checks = 0;
	int shape;

	for (shape = 0; shape < 9; shape++)
		for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
			size_t n = sizes[si];

			for (i = 0; i < n; i++) {
				x = x * 6364136223846793005UL + 1442695040888963407UL;
				switch (shape) {
				case 0: v[i] = 7; break;
				case 1: v[i] = (double)((x >> 33) & 1); break;
				case 2: v[i] = (double)((x >> 33) % 5); break;
				case 3: v[i] = (double)i; break;
				case 4: v[i] = (double)(n - i); break;
				case 5: v[i] = (double)(i < n / 2 ? i : n - i);
					break;
				case 6: v[i] = (double)((x >> 11) % 100000) /
					    7.0 - 5000; break;
				case 7: v[i] = (double)((x >> 40) % 3000);
					break;
				default: /* down-up: n/2 .. 0 .. n/2 */
					v[i] = (double)(i < n / 2 ? n / 2 - i :
					    i - n / 2);
					break;
				}
			}
			memcpy(sorted, v, n * sizeof(*v));
			qsort(sorted, n, sizeof(*v), cmp_double);
			for (qi = 0; qi < sizeof(qs) / sizeof(qs[0]); qi++) {
				unsigned long long qm =
				    (unsigned long long)llround(qs[qi] * 1000);
				size_t rank = (size_t)((qm * n + 99999) / 100000);
				size_t k = (rank < 1 ? 1 : rank) - 1, j;
				double got = percentile_of(v, n, qs[qi]);
				int fine = got == sorted[k] && v[k] == got;

				for (j = 0; j < n && fine; j++)
					fine = j < k ? v[j] <= got :
					    j > k ? v[j] >= got : 1;
				checks++;
				if (!fine && bad++ < 5)
					printf("# shape %d n=%zu q=%g: got %g, "
					    "want %g\n", shape, n, qs[qi], got,
					    sorted[k]);
			}
		}
	/* The pivot (median of first, middle, last) is the least value, 0,
	 * and the rank is the first above its three equals: 4 of 20, p20
	 * (hand: the least value above 0 is 6). */
	{
		static const double least[20] = { 0, 50, 98, 54, 6, 34, 66,
			63, 52, 39, 0, 62, 46, 75, 28, 65, 18, 37, 97, 0 };

		memcpy(v, least, sizeof(least));
		checks++;
		if (percentile_of(v, 20, 20) != 6 && bad++ < 5)
			printf("# least pivot: got %g, want 6\n", v[3]);
	}
	/* Every rank of 1000 values (q = rank / 10 is exact), in a
	 * scattered order, on the same array: few distinct values, reals,
	 * a range of 3000. */
	for (shape = 0; shape < 3; shape++) {
		for (i = 0; i < 1000; i++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			v[i] = shape == 0 ? (double)((x >> 33) % 5) :
			    shape == 1 ? (double)((x >> 11) % 100000) / 7.0 :
			    (double)((x >> 40) % 3000);
		}
		memcpy(sorted, v, 1000 * sizeof(*v));
		qsort(sorted, 1000, sizeof(*v), cmp_double);
		for (i = 0; i < 1000; i++) {
			size_t k = (i * 389 + 17) % 1000;	/* all of 0..999 */

			checks++;
			if (percentile_of(v, 1000, (double)(k + 1) / 10) !=
			    sorted[k] && bad++ < 5)
				printf("# every rank, shape %d: rank %zu\n",
				    shape, k + 1);
		}
	}
	ok(bad == 0 && checks == 9 * 8 * 9 + 1 + 3 * 1000,
	    "selection on 9 shapes x 8 sizes x 9 successive percentiles, "
	    "a least pivot, every rank of 1000 values: the sorted copy's "
	    "value, partitioned around it");
}

/* ---------------------------------------------------------------- */


/* percentile_of_ranked() on one array, p50 then p95 then p50 again and
 * p99: each the sorted copy's value, whatever the ranks fixed before. */
static void
test_ranked(void)
{
	static double v[1000], sorted[1000];
	static const double qs[] = { 50, 95, 50, 99, 1, 100, 95 };
	struct percentile_ranks r = { { 0 }, 0, 0 };
	unsigned long x = 99;
	size_t i, bad = 0;

	for (i = 0; i < 1000; i++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		v[i] = sorted[i] = (double)((x >> 33) % 700);
	}
	qsort(sorted, 1000, sizeof(*sorted), cmp_double);
	for (i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		size_t k = (size_t)ceil(qs[i] * 10) - 1;

		if (percentile_of_ranked(v, 1000, qs[i], &r) != sorted[k])
			bad++;
	}
	ok(bad == 0, "ranked selections of p50, p95, p50, p99, p1, p100, p95 "
	    "are the sorted copy's values");
	/* 8 more values: the ranks fixed for 1000 no longer hold. */
	for (i = 0; i < 8; i++)
		v[i] = -1;
	ok(percentile_of_ranked(v, 8, 50, &r) == -1,
	    "a new length forgets the fixed ranks");
}

/* -0 before 0, as percentile_sort() orders them: qsort's oracle. */
static int
total_cmp(const void *pa, const void *pb)
{
	double x = *(const double *)pa, y = *(const double *)pb;

	if (x != y)
		return (x > y) - (x < y);
	return (signbit(y) != 0) - (signbit(x) != 0);
}

/* percentile_sort() against qsort(): random values from small and
 * large ranges (many equal, -0 and 0 mixed), and orders that defeat
 * pivots (all equal, ascending, descending, organ pipe). */
static void
test_sort(void)
{
	static const size_t sizes[] = { 0, 1, 2, 15, 16, 17, 129, 1000,
	    4096, 50000 };
	uint64_t r = 88172645463325252ULL;
	double *v, *w;
	size_t si, i, n, shape;
	int good = 1;

	for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++)
		for (shape = 0; shape < 7; shape++) {
			n = sizes[si];
			v = calloc(n + 1, sizeof(*v));
			w = calloc(n + 1, sizeof(*w));
			for (i = 0; i < n; i++) {
				r ^= r << 13;
				r ^= r >> 7;
				r ^= r << 17;
				switch (shape) {
				case 0:	/* -3 .. 3, zeros of both signs */
					v[i] = (double)(r % 7) - 3;
					if (v[i] == 0 && (r >> 20) & 1)
						v[i] = -0.0;
					break;
				case 1:
					v[i] = (double)(r >> 11) / 9007.0;
					break;
				case 2:
					v[i] = 5;
					break;
				case 3:
					v[i] = (double)i;
					break;
				case 4:
					v[i] = (double)(n - i);
					break;
				case 5:
					v[i] = (double)(i < n / 2 ? i : n - i);
					break;
				default:
					v[i] = (r >> 30) & 1 ? -0.0 : 0.0;
				}
			}
			memcpy(w, v, n * sizeof(*v));
			percentile_sort(v, n);
			qsort(w, n, sizeof(*w), total_cmp);
			for (i = 0; i < n; i++)
				if (v[i] != w[i] ||
				    signbit(v[i]) != signbit(w[i])) {
					printf("# size %zu shape %zu: [%zu] "
					    "%g, qsort %g\n", n, shape, i,
					    v[i], w[i]);
					good = 0;
					break;
				}
			free(v);
			free(w);
		}
	ok(good, "percentile_sort orders as qsort does, -0 before 0, on "
	    "every size and shape");
}

int
main(void)
{
	test_percentile();
	test_percentile_shapes();
	test_ranked();
	test_sort();
	return done_testing();
}
