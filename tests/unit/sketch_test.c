/* SPDX-License-Identifier: MIT */
/* sketch_test.c - approximate percentiles against exact ones, merge, state */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sketch.h"
#include "tap.h"

/* xorshift64*: the same data on every run and machine. */
struct rng {
	uint64_t	 x;
};

static uint64_t
rng_next(struct rng *r)
{
	r->x ^= r->x >> 12;
	r->x ^= r->x << 25;
	r->x ^= r->x >> 27;
	return r->x * 2685821657736338717ULL;
}

/* Uniform in (0, 1). */
static double
rng_unit(struct rng *r)
{
	return ((double)(rng_next(r) >> 11) + 0.5) / 9007199254740992.0;
}

/* Standard normal (Box-Muller). */
static double
rng_normal(struct rng *r)
{
	double u = rng_unit(r), v = rng_unit(r);

	return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

enum dist { UNIFORM, LOGNORMAL, BIMODAL, PARETO, SIGNED, NDIST };

static const char *const dist_name[NDIST] = {
	"uniform[1,1000]", "lognormal(4.5,0.8)", "bimodal N(50,5)/N(2000,100)",
	"pareto(1.2)", "negatives and zeros"
};

static double
draw(struct rng *r, enum dist d)
{
	double u, x;

	switch (d) {
	case UNIFORM:
		return 1 + 999 * rng_unit(r);
	case LOGNORMAL:
		return exp(4.5 + 0.8 * rng_normal(r));
	case BIMODAL:
		do {
			if (rng_unit(r) < 0.6)
				x = 50 + 5 * rng_normal(r);
			else
				x = 2000 + 100 * rng_normal(r);
		} while (x <= 0);
		return x;
	case PARETO:
		return pow(rng_unit(r), -1 / 1.2);
	default:
		u = rng_unit(r);
		if (u < 0.1)
			return 0.0;
		if (u < 0.2)
			return -0.0;
		if (u < 0.55)
			return -exp(2 + 1.5 * rng_normal(r));
		return exp(1 + 2 * rng_normal(r));
	}
}

static double *
make_data(enum dist d, size_t n, uint64_t seed)
{
	struct rng r = { seed };
	double *v = malloc(n * sizeof(*v));
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = draw(&r, d);
	return v;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The nearest rank of SPEC 4.3 for q in thousandths of a percent: the
 * smallest r >= 1 with r / n >= qm / 100000. */
static size_t
rank_of(long qm, size_t n)
{
	size_t r = 1;

	while ((unsigned long long)r * 100000 < (unsigned long long)qm * n)
		r++;
	return r;
}

static struct sketch *
sketch_of(const double *v, size_t from, size_t to, size_t step)
{
	struct sketch *s = sketch_new();
	size_t i;

	for (i = from; i < to; i += step)
		sketch_add(s, v[i]);
	return s;
}

static char *
json_of(const struct sketch *s)
{
	struct buf b = BUF_INIT;

	sketch_write_json(&b, s);
	return buf_take(&b);
}

/* The same double, NaN included. */
static int
same_double(double x, double y)
{
	return memcmp(&x, &y, sizeof(x)) == 0;
}

/* Same answer for every q in 0.001 .. 100 (a mix of steps). */
static int
same_quantiles(const struct sketch *a, const struct sketch *b)
{
	long qm;

	if (sketch_count(a) != sketch_count(b))
		return 0;
	for (qm = 1; qm <= 100000; qm += qm < 1000 ? 1 : 37) {
		if (!same_double(sketch_quantile(a, qm / 1000.0),
		    sketch_quantile(b, qm / 1000.0)))
			return 0;
	}
	return same_double(sketch_quantile(a, 100), sketch_quantile(b, 100));
}

static void
test_accuracy(void)
{
	static const size_t sizes[] = { 1, 2, 100, 100000 };
	static const long qms[] = { 50000, 90000, 95000, 99000, 99900, 7500 };
	size_t di, si, qi, n, r;
	double *v, got, want;
	struct sketch *s;

	for (di = 0; di < NDIST; di++) {
		for (si = 0; si < sizeof(sizes) / sizeof(*sizes); si++) {
			n = sizes[si];
			v = make_data(di, n, 0x9e3779b97f4a7c15ULL + di);
			s = sketch_of(v, 0, n, 1);
			qsort(v, n, sizeof(*v), cmp_double);
			is_int(sketch_count(s), n, "%s n=%zu: count",
			    dist_name[di], n);
			for (qi = 0; qi < sizeof(qms) / sizeof(*qms); qi++) {
				r = rank_of(qms[qi], n);
				want = v[r - 1];
				got = sketch_quantile(s, qms[qi] / 1000.0);
				if (r == 1 || r == n)
					ok(got == want, "%s n=%zu: p%g is the "
					    "exact %s", dist_name[di], n,
					    qms[qi] / 1000.0,
					    r == 1 ? "min" : "max");
				else
					ok(fabs(got - want) <=
					    0.01 * fabs(want), "%s n=%zu: p%g "
					    "within 1%%", dist_name[di], n,
					    qms[qi] / 1000.0);
				if (fabs(got - want) > 0.01 * fabs(want))
					printf("#   got %.17g, want %.17g\n",
					    got, want);
			}
			ok(sketch_quantile(s, 100) == v[n - 1] &&
			    sketch_max(s) == v[n - 1] && sketch_min(s) == v[0],
			    "%s n=%zu: p100 and max are the exact max, min the "
			    "exact min", dist_name[di], n);
			sketch_free(s);
			free(v);
		}
	}
}

/* Merging any split in any order gives the very same sketch. */
static void
check_merges(const char *what, const double *v, size_t n)
{
	static const size_t cuts[] = { 0, 3, 100, 5000, 5001, 40000, 77777 };
	struct sketch *whole, *a, *b, *m, *part[7];
	char *want, *got;
	size_t i, end;

	whole = sketch_of(v, 0, n, 1);
	want = json_of(whole);

	/* Halves, each way round. */
	a = sketch_of(v, 0, n / 2, 1);
	b = sketch_of(v, n / 2, n, 1);
	m = sketch_new();
	sketch_merge(m, b);
	sketch_merge(m, a);
	sketch_merge(a, b);
	got = json_of(a);
	ok(same_quantiles(a, whole) && strcmp(got, want) == 0,
	    "%s: first half + second half equals one pass", what);
	free(got);
	got = json_of(m);
	ok(same_quantiles(m, whole) && strcmp(got, want) == 0,
	    "%s: empty + second half + first half equals one pass", what);
	free(got);
	sketch_free(a);
	sketch_free(b);
	sketch_free(m);

	/* Seven interleaved parts (i mod 7), merged last to first. */
	for (i = 0; i < 7; i++)
		part[i] = sketch_of(v, i, n, 7);
	m = sketch_new();
	for (i = 7; i-- > 0; )
		sketch_merge(m, part[i]);
	got = json_of(m);
	ok(same_quantiles(m, whole) && strcmp(got, want) == 0,
	    "%s: seven interleaved parts merged in reverse equal one pass",
	    what);
	free(got);
	sketch_free(m);
	for (i = 0; i < 7; i++)
		sketch_free(part[i]);

	/* Seven uneven runs (one may be empty), merged as a tree. */
	for (i = 0; i < 7; i++) {
		end = i == 6 ? n : cuts[i + 1] < n ? cuts[i + 1] : n;
		part[i] = sketch_of(v, cuts[i] < n ? cuts[i] : n, end, 1);
	}
	sketch_merge(part[1], part[0]);
	sketch_merge(part[2], part[3]);
	sketch_merge(part[6], part[5]);
	sketch_merge(part[6], part[4]);
	sketch_merge(part[2], part[1]);
	sketch_merge(part[6], part[2]);
	got = json_of(part[6]);
	ok(same_quantiles(part[6], whole) && strcmp(got, want) == 0,
	    "%s: seven uneven runs merged as a tree equal one pass", what);
	free(got);
	for (i = 0; i < 7; i++)
		sketch_free(part[i]);

	free(want);
	sketch_free(whole);
}

/* Log-uniform over 10^lo .. 10^hi, with random signs if SIGNED. */
static double *
make_wide(size_t n, double lo, double hi, int is_signed, uint64_t seed)
{
	struct rng r = { seed };
	double *v = malloc(n * sizeof(*v));
	size_t i;

	for (i = 0; i < n; i++) {
		v[i] = pow(10, lo + (hi - lo) * rng_unit(&r));
		if (is_signed && rng_unit(&r) < 0.5)
			v[i] = -v[i];
	}
	return v;
}

static void
test_merge(void)
{
	size_t di, n = 100000;
	double *v;

	for (di = 0; di < NDIST; di++) {
		v = make_data(di, n, 42 + di);
		check_merges(dist_name[di], v, n);
		free(v);
	}
	/* 21 decades: both stores collapse, at different moments in
	 * each part; the floor must still end up the same. */
	v = make_wide(n, -9, 12, 1, 7);
	check_merges("collapsing, shuffled", v, n);
	qsort(v, n, sizeof(*v), cmp_double);
	check_merges("collapsing, sorted", v, n);
	free(v);
}

static void
test_memory(void)
{
	size_t n = 1000000, r;
	double *v, got, want, max;
	struct sketch *s;

	v = make_wide(n, -9, 12, 0, 99);
	s = sketch_of(v, 0, n, 1);
	ok(sketch_buckets(s) <= SKETCH_MAX_BUCKETS,
	    "10^6 values over 21 decades keep at most 4096 buckets (%zu)",
	    sketch_buckets(s));
	qsort(v, n, sizeof(*v), cmp_double);
	max = v[n - 1];
	r = rank_of(50000, n);
	got = sketch_quantile(s, 50);
	want = v[r - 1];
	ok(fabs(got - want) <= 0.01 * want,
	    "p50 above the collapsed range stays within 1%%");
	r = rank_of(99900, n);
	got = sketch_quantile(s, 99.9);
	want = v[r - 1];
	ok(fabs(got - want) <= 0.01 * want, "p99.9 stays within 1%%");
	/* 10^-7.425 lies below max * 1.6e-18 ~ 1.6e-6: collapsed. */
	r = rank_of(7500, n);
	got = sketch_quantile(s, 7.5);
	want = v[r - 1];
	ok(want < 1.6e-18 * max && got >= 1.6e-18 * max &&
	    got <= 1.7e-18 * max,
	    "p7.5 in the collapsed range reads as the floor, "
	    "max * 1.6e-18 .. 1.7e-18");
	ok(sketch_quantile(s, 0.0001) == v[0],
	    "rank 1 still gives the exact min");
	sketch_free(s);
	free(v);

	s = sketch_new();
	sketch_add(s, 1e-300);
	sketch_add(s, 1e300);
	sketch_add(s, -1e-300);
	sketch_add(s, -1e300);
	ok(sketch_buckets(s) <= 2 * SKETCH_MAX_BUCKETS,
	    "600 decades of both signs stay bounded");
	sketch_free(s);
}

static void
test_values(void)
{
	struct sketch *s = sketch_new();
	double got;
	char *text;
	int i;

	ok(isnan(sketch_quantile(s, 50)) && sketch_count(s) == 0,
	    "an empty sketch has no percentile");
	sketch_add(s, 1);
	sketch_add(s, 100);
	sketch_add(s, 100);
	sketch_add(s, 1000);
	sketch_add(s, NAN);
	sketch_add(s, INFINITY);
	is_int(sketch_count(s), 4, "NaN and infinities are not counted");
	/* Bucket ceil(ln 100 / ln g) = 461; 2 g^461 / (g + 1) by python3. */
	got = sketch_quantile(s, 50);
	ok(fabs(got - 99.98556998434792) < 1e-9,
	    "p50 of 1 100 100 1000 is bucket 461's value 99.98557");
	ok(sketch_quantile(s, 75) == got, "p75 (rank 3) is the same bucket");
	ok(sketch_quantile(s, 25) == 1, "p25 (rank 1) is the exact min");
	ok(sketch_quantile(s, 75.001) == 1000,
	    "p75.001 (rank 4) is the exact max");
	sketch_free(s);

	s = sketch_new();
	sketch_add(s, -1000);
	sketch_add(s, -100);
	sketch_add(s, -100);
	sketch_add(s, -1);
	ok(fabs(sketch_quantile(s, 50) + 99.98556998434792) < 1e-9,
	    "negatives mirror: p50 of -1000 -100 -100 -1 is -99.98557");
	sketch_free(s);

	/* ceil(99.9/100 * 1000) is 999, not the 1000 a double gives. */
	s = sketch_new();
	for (i = 0; i < 999; i++)
		sketch_add(s, 1);
	sketch_add(s, 1000);
	ok(sketch_quantile(s, 99.9) == 1, "p99.9 of 1000 values is rank 999");
	sketch_free(s);

	s = sketch_new();
	sketch_add(s, -0.0);
	sketch_add(s, 0.0);
	sketch_add(s, 5e-324);
	sketch_add(s, 3);
	ok(sketch_quantile(s, 50) == 0, "zeros and subnormals read as 0");
	text = json_of(s);
	is_str(text, "{\"alpha\":0.005,\"zero\":3,\"min\":0,\"max\":3,"
	    "\"pos\":{\"offset\":110,\"counts\":[1]},"
	    "\"neg\":{\"offset\":0,\"counts\":[]}}",
	    "-0 is kept as 0; 3 is bucket ceil(ln 3 / ln g) = 110");
	free(text);
	sketch_free(s);
}

static struct sketch *
parse(const char *text, struct diag *err)
{
	json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
	struct sketch *s;

	s = sketch_read_json(j, err);
	json_decref(j);
	return s;
}

static void
round_trip(const char *what, const struct sketch *s)
{
	struct diag err = { 0 };
	struct sketch *back;
	char *text, *again;

	text = json_of(s);
	back = parse(text, &err);
	ok(back != NULL, "%s: the state reads back", what);
	if (back == NULL) {
		printf("#   %s\n", err.msg);
		diag_release(&err);
		free(text);
		return;
	}
	again = json_of(back);
	ok(same_quantiles(s, back) &&
	    same_double(sketch_min(s), sketch_min(back)) &&
	    same_double(sketch_max(s), sketch_max(back)),
	    "%s: read back, it gives identical percentiles", what);
	is_str(again, text, "%s: and writes the same text", what);
	free(again);
	free(text);
	sketch_free(back);
}

static void
bad_state(const char *text, const char *want, const char *what)
{
	struct diag err = { 0 };
	struct sketch *s = parse(text, &err);

	ok(s == NULL && err.status == LOGQ_EXIT_INPUT,
	    "%s: refused as an input error", what);
	is_str(err.msg, want, "%s: message", what);
	sketch_free(s);
	diag_release(&err);
}

static void
test_json(void)
{
	struct sketch *s = sketch_new();
	struct diag err = { 0 };
	char *text, big[30000];
	size_t di, i, len;
	double *v;

	text = json_of(s);
	is_str(text, "{\"alpha\":0.005,\"zero\":0,\"min\":null,\"max\":null,"
	    "\"pos\":{\"offset\":0,\"counts\":[]},"
	    "\"neg\":{\"offset\":0,\"counts\":[]}}",
	    "an empty sketch writes null min and max, no buckets");
	free(text);
	round_trip("empty", s);
	sketch_add(s, 0);
	sketch_add(s, 1);
	sketch_add(s, -1);
	sketch_add(s, 1.01);
	/* ln 1.01 / ln g = 0.995: 1.01 is bucket 1; 1 is bucket 0. */
	text = json_of(s);
	is_str(text, "{\"alpha\":0.005,\"zero\":1,\"min\":-1,\"max\":1.01,"
	    "\"pos\":{\"offset\":0,\"counts\":[1,1]},"
	    "\"neg\":{\"offset\":0,\"counts\":[1]}}",
	    "0 1 -1 1.01 write as worked out by hand");
	free(text);
	round_trip("0 1 -1 1.01", s);
	sketch_free(s);

	for (di = 0; di < NDIST; di++) {
		v = make_data(di, 10000, 1000 + di);
		s = sketch_of(v, 0, 10000, 1);
		round_trip(dist_name[di], s);
		sketch_free(s);
		free(v);
	}
	v = make_wide(100000, -9, 12, 1, 5);
	s = sketch_of(v, 0, 100000, 1);
	round_trip("collapsed, both signs", s);
	sketch_free(s);
	free(v);

	/* 10^18 values: q * n would overflow 64 bits. */
	s = parse("{\"alpha\":0.005,\"zero\":0,\"min\":1,\"max\":1.01,"
	    "\"pos\":{\"offset\":0,\"counts\":[500000000000000000,"
	    "500000000000000000]},\"neg\":{\"offset\":0,\"counts\":[]}}",
	    &err);
	ok(s != NULL && sketch_count(s) == 1000000000000000000ULL,
	    "a state of 10^18 values reads");
	if (s != NULL) {
		ok(sketch_quantile(s, 50) == 1,
		    "p50 of 10^18 is rank 5e17, bucket 0, clamped to min 1");
		ok(fabs(sketch_quantile(s, 50.001) - 1.005) < 1e-12,
		    "p50.001 is rank 500010000000000000: bucket 1, 1.005");
	}
	sketch_free(s);

	bad_state("[1]", "invalid sketch: not a JSON object", "an array");
	bad_state("{\"zero\":0}",
	    "invalid sketch: 'alpha' is missing or not a number",
	    "no alpha");
	bad_state("{\"alpha\":0.01,\"zero\":0,\"min\":null,\"max\":null,"
	    "\"pos\":{\"offset\":0,\"counts\":[]},"
	    "\"neg\":{\"offset\":0,\"counts\":[]}}",
	    "invalid sketch: 'alpha' is 0.01, this logq uses 0.005",
	    "another alpha");
	bad_state("{\"alpha\":0.005,\"zero\":-1}",
	    "invalid sketch: 'zero' is missing or not an integer >= 0",
	    "a negative zero count");
	bad_state("{\"alpha\":0.005,\"zero\":0,\"min\":1,\"max\":1,"
	    "\"neg\":{\"offset\":0,\"counts\":[]}}",
	    "invalid sketch: 'pos' must be an object with integer 'offset' "
	    "and array 'counts'", "no pos");
	bad_state("{\"alpha\":0.005,\"zero\":0,\"min\":1,\"max\":1,"
	    "\"pos\":{\"offset\":0,\"counts\":[1.5]},"
	    "\"neg\":{\"offset\":0,\"counts\":[]}}",
	    "invalid sketch: 'pos' has a count that is not an integer >= 0",
	    "a fractional count");
	bad_state("{\"alpha\":0.005,\"zero\":0,\"min\":-1,\"max\":-1,"
	    "\"pos\":{\"offset\":0,\"counts\":[]},"
	    "\"neg\":{\"offset\":0,\"counts\":[0,-2]}}",
	    "invalid sketch: 'neg' has a count that is not an integer >= 0",
	    "a negative count");
	bad_state("{\"alpha\":0.005,\"zero\":0,\"min\":1,\"max\":1,"
	    "\"pos\":{\"offset\":70978,\"counts\":[1,1]},"
	    "\"neg\":{\"offset\":0,\"counts\":[]}}",
	    "invalid sketch: 'pos' has buckets out of range",
	    "a bucket past DBL_MAX's (70978)");
	bad_state("{\"alpha\":0.005,\"zero\":0,\"min\":1,\"max\":1,"
	    "\"pos\":{\"offset\":-70840,\"counts\":[1]},"
	    "\"neg\":{\"offset\":0,\"counts\":[]}}",
	    "invalid sketch: 'pos' has buckets out of range",
	    "a bucket below DBL_MIN's (-70839)");
	bad_state("{\"alpha\":0.005,\"zero\":9223372036854775807,"
	    "\"min\":1,\"max\":1,"
	    "\"pos\":{\"offset\":0,\"counts\":[9223372036854775807,2]},"
	    "\"neg\":{\"offset\":0,\"counts\":[]}}",
	    "invalid sketch: 'pos' has counts that overflow 64 bits",
	    "a total past 2^64");
	bad_state("{\"alpha\":0.005,\"zero\":1,\"min\":1,\"max\":0,"
	    "\"pos\":{\"offset\":0,\"counts\":[]},"
	    "\"neg\":{\"offset\":0,\"counts\":[]}}",
	    "invalid sketch: 'min' and 'max' must be numbers, min <= max "
	    "(null when empty)", "min above max");
	bad_state("{\"alpha\":0.005,\"zero\":0,\"min\":1,\"max\":1,"
	    "\"pos\":{\"offset\":0,\"counts\":[]},"
	    "\"neg\":{\"offset\":0,\"counts\":[]}}",
	    "invalid sketch: 'min' and 'max' must be numbers, min <= max "
	    "(null when empty)", "an empty sketch with a min");

	len = (size_t)snprintf(big, sizeof(big), "{\"alpha\":0.005,"
	    "\"zero\":0,\"min\":1,\"max\":1,\"neg\":{\"offset\":0,"
	    "\"counts\":[]},\"pos\":{\"offset\":0,\"counts\":[1");
	for (i = 1; i < SKETCH_MAX_BUCKETS + 1; i++)
		len += (size_t)snprintf(big + len, sizeof(big) - len, ",0");
	snprintf(big + len, sizeof(big) - len, "]}}");
	bad_state(big, "invalid sketch: 'pos' has more than 4096 buckets",
	    "4097 buckets");
}

/* sketch_write()'s tree has sketch_write_json()'s keys and reads back
 * to the same sketch (its numbers are reals where the text may have
 * written "2" for 2.0). */
static void
test_write_tree(void)
{
	static const double v[] = { -3.5, 0, 1e-9, 2, 2, 700, 1e12 };
	struct sketch *s = sketch_new(), *back;
	struct diag err = { 0 };
	json_t *tree, *parsed;
	const char *key;
	json_t *unused;
	char *text, *again;
	size_t i, k;
	int same_keys;

	for (i = 0; i < 2; i++) {
		tree = sketch_write(s);
		text = json_of(s);
		parsed = json_loads(text, 0, NULL);
		same_keys = parsed != NULL &&
		    json_object_size(tree) == json_object_size(parsed);
		json_object_foreach(tree, key, unused)
			same_keys &= json_object_get(parsed, key) != NULL;
		ok(same_keys, "sketch_write has sketch_write_json's keys (%s)",
		    i ? "seven values" : "empty");
		back = sketch_read_json(tree, &err);
		again = back ? json_of(back) : NULL;
		is_str(again, text, "and reads back to the same sketch");
		free(again);
		sketch_free(back);
		free(text);
		json_decref(parsed);
		json_decref(tree);
		for (k = 0; k < sizeof(v) / sizeof(v[0]); k++)
			sketch_add(s, v[k]);
	}
	diag_release(&err);
	sketch_free(s);
}

int
main(void)
{
	test_values();
	test_accuracy();
	test_merge();
	test_memory();
	test_json();
	test_write_tree();
	return done_testing();
}
