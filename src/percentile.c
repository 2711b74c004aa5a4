/* SPDX-License-Identifier: MIT */
/* percentile.c - nearest-rank percentiles by selection (SPEC 4.3) */
#include "config.h"

#include <math.h>
#include <string.h>

#include "percentile.h"

static inline double
median3(double a, double b, double c)
{
	return a < b ? (b < c ? b : (a < c ? c : a)) :
	    (a < c ? a : (b < c ? c : b));
}

/* Moves V[I] down the max-heap H[0..N) to its place. */
static void
sift_down(double *h, size_t i, size_t n)
{
	double x = h[i];
	size_t c;

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n && h[c + 1] > h[c])
			c++;
		if (!(h[c] > x))
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = x;
}

/*
 * Heap selection within V[LO..HI], the same contract as select_kth()
 * in O(n log n) whatever the order of the values: V[LO..K] becomes a
 * max-heap of the K-LO+1 least values seen, each later value below its
 * root replacing the root; the root is then the K-th smallest, and is
 * swapped to V[K]. Every value that left the heap or never entered it
 * is at least the root.
 */
static void
heap_select(double *v, size_t lo, size_t hi, size_t k)
{
	double *h = v + lo, x;
	size_t m = k - lo + 1, i;

	for (i = m / 2; i-- > 0;)
		sift_down(h, i, m);
	for (i = k + 1; i <= hi; i++)
		if (v[i] < h[0]) {
			x = v[i];
			v[i] = h[0];
			h[0] = x;
			sift_down(h, 0, m);
		}
	x = h[0];
	h[0] = v[k];
	v[k] = x;
}

/* The pivot of V[LO..HI] (HI - LO >= 16): median of three, Tukey's
 * ninther on large ranges. */
static inline double
choose_pivot(const double *v, size_t lo, size_t hi)
{
	size_t mid = lo + (hi - lo) / 2, e;

	if (hi - lo < 128)
		return median3(v[lo], v[mid], v[hi]);
	e = (hi - lo) / 8;
	return median3(median3(v[lo], v[lo + e], v[lo + 2 * e]),
	    median3(v[mid - e], v[mid], v[mid + e]),
	    median3(v[hi - 2 * e], v[hi - e], v[hi]));
}

/* Lomuto's partition of V[LO..HI] without a branch on the data: the
 * values below PIVOT (at or below it, with OR_EQUAL) go first; returns
 * where the others start. */
static inline size_t
partition(double *v, size_t lo, size_t hi, double pivot, int or_equal)
{
	size_t i, s;
	double x;

	for (i = s = lo; i <= hi; i++) {
		x = v[i];
		v[i] = v[s];
		v[s] = x;
		s += or_equal ? x <= pivot : x < pivot;
	}
	return s;
}

/* Insertion sort of V[LO..HI], for the short ranges left at the end. */
static void
insertion_sort(double *v, size_t lo, size_t hi)
{
	size_t i, s;
	double x;

	for (i = lo + 1; i <= hi; i++) {
		x = v[i];
		for (s = i; s > lo && v[s - 1] > x; s--)
			v[s] = v[s - 1];
		v[s] = x;
	}
}

/*
 * Introselect within V[LO..HI]: afterwards V[K] is the K-th smallest of
 * them and V[LO..K) <= V[K] <= V(K..HI]. Quickselect with median-of-
 * three pivots (Tukey's ninther on large ranges); the partition is
 * Lomuto's without a branch on the data (a value below the pivot swaps
 * into place and moves the boundary by the comparison's 0 or 1), since
 * on unordered values a branch on each comparison is mispredicted half
 * the time: 2.8 times faster on latencies. When no value is below the
 * pivot, the ones equal to it go first instead, so that many equal
 * values still make progress. Some orders still defeat the pivots
 * (200,000 decreasing values took 4 s, issue 16): after 2 log2(n) + 4
 * partitions, heap_select() finishes in O(n log n). The values are
 * finite (the percentile aggregates feed numbers only).
 */
static void
select_kth(double *v, size_t lo, size_t hi, size_t k)
{
	size_t s, n = hi - lo + 1, depth = 4;
	double pivot;

	while (n > 1) {
		depth += 2;
		n >>= 1;
	}
	while (hi - lo >= 16) {
		if (depth-- == 0) {
			heap_select(v, lo, hi, k);
			return;
		}
		pivot = choose_pivot(v, lo, hi);
		s = partition(v, lo, hi, pivot, 0);
		if (k < s) {
			hi = s - 1;
			continue;
		}
		if (s > lo) {
			lo = s;
			continue;
		}
		/* The pivot is the least: V[LO..S) becomes its equals. */
		s = partition(v, lo, hi, pivot, 1);
		if (k < s)
			return;
		lo = s;
	}
	insertion_sort(v, lo, hi);
}

/* Nearest rank ceil(q/100 * n) in integers, q to 1/1000 (a double
 * product would make p99.9 of 1000 values rank 1000, not 999), within
 * 1..n, less one. */
uint64_t
percentile_index(uint64_t n, double q)
{
	unsigned long long qm = (unsigned long long)llround(q * 1000);
	unsigned long long rank = (qm * n + 99999) / 100000;

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return rank - 1;
}

/* Heapsort of V[LO..HI]: what percentile_sort() falls back to. */
static void
heap_sort(double *v, size_t lo, size_t hi)
{
	double *h = v + lo, x;
	size_t m = hi - lo + 1, i;

	for (i = m / 2; i-- > 0;)
		sift_down(h, i, m);
	while (m > 1) {
		x = h[0];
		h[0] = h[--m];
		h[m] = x;
		sift_down(h, 0, m);
	}
}

/*
 * Introsort: select_kth()'s pivots and branch-free partition, the
 * smaller side first (so the stack is O(log n)) and the larger one in
 * the loop; heap_sort() past the same depth; insertion sort of short
 * ranges. Values equal to a pivot that is the least of its range go
 * first and are done, so many equal values cost one pass each.
 */
static void
sort_range(double *v, size_t lo, size_t hi, unsigned depth)
{
	size_t s;
	double pivot;

	while (hi - lo >= 16) {
		if (depth-- == 0) {
			heap_sort(v, lo, hi);
			return;
		}
		pivot = choose_pivot(v, lo, hi);
		s = partition(v, lo, hi, pivot, 0);
		if (s == lo) {
			/* The pivot is the least: its equals go first. */
			s = partition(v, lo, hi, pivot, 1);
			if (s > hi)
				return;
			lo = s;
			continue;
		}
		/* V[LO..S) < pivot <= V[S..HI], both sides non-empty. */
		if (s - lo < hi - s + 1) {
			sort_range(v, lo, s - 1, depth);
			lo = s;
		} else {
			sort_range(v, s, hi, depth);
			hi = s - 1;
		}
	}
	insertion_sort(v, lo, hi);
}

void
percentile_sort(double *v, size_t n)
{
	size_t i, j, neg;
	unsigned depth = 4;

	if (n < 2)
		return;
	for (i = n; i > 1; i >>= 1)
		depth += 2;
	sort_range(v, 0, n - 1, depth);
	/* Zeros compare equal: within their block, -0 goes first. */
	for (i = 0; i < n && v[i] < 0; i++)
		;
	for (j = i, neg = 0; j < n && v[j] == 0; j++)
		neg += signbit(v[j]) != 0;
	for (; i < j; i++) {
		v[i] = neg > 0 ? -0.0 : 0.0;
		neg -= neg > 0;
	}
}

double
percentile_of(double *v, size_t n, double q)
{
	size_t k = (size_t)percentile_index(n, q);

	select_kth(v, 0, n - 1, k);
	return v[k];
}

double
percentile_of_ranked(double *v, size_t n, double q,
    struct percentile_ranks *f)
{
	size_t k = (size_t)percentile_index(n, q), lo = 0, hi = n - 1, i;

	if (f->fixed_n != n)
		f->nfixed = 0;
	for (i = 0; i < f->nfixed && f->fixed[i] < k; i++)
		lo = f->fixed[i] + 1;
	if (i < f->nfixed && f->fixed[i] == k)
		return v[k];
	if (i < f->nfixed)
		hi = f->fixed[i] - 1;
	select_kth(v, lo, hi, k);
	if (f->nfixed < PERCENTILE_FIXED) {
		memmove(&f->fixed[i + 1], &f->fixed[i],
		    (f->nfixed - i) * sizeof(f->fixed[0]));
		f->fixed[i] = k;
		f->nfixed++;
		f->fixed_n = n;
	}
	return v[k];
}
