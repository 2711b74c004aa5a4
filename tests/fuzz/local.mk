# SPDX-License-Identifier: MIT
# tests/fuzz/local.mk - included from Makefile.am.
#
# make fuzz            the libFuzzer harnesses (./configure --enable-fuzzing
#                      CC=clang); tests/fuzz/run.sh [SECONDS] runs them
# make check           replays tests/fuzz/regress/NAME (inputs that once
#                      crashed) and the seed corpora through each harness
# make check-valgrind  the CLI cases with logq under valgrind memcheck
# make check-helgrind  the CLI cases about -j threads, under helgrind

FUZZERS = \
	tests/fuzz/fuzz_record \
	tests/fuzz/fuzz_expr \
	tests/fuzz/fuzz_query
EXTRA_PROGRAMS = $(FUZZERS)

# fuzz_query and its replayer see an in-memory file system, not the real
# one (see fuzz_query.c).
FUZZ_WRAP = -Wl,--wrap=fopen -Wl,--wrap=realpath

tests_fuzz_fuzz_record_SOURCES = tests/fuzz/fuzz_record.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_record_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_expr_SOURCES = tests/fuzz/fuzz_expr.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_expr_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_query_SOURCES = tests/fuzz/fuzz_query.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_query_LDFLAGS = -fsanitize=fuzzer $(FUZZ_WRAP)

if FUZZING
fuzz: $(FUZZERS)
else
fuzz:
	@echo "make fuzz: run ./configure --enable-fuzzing CC=clang first" >&2
	@exit 1
endif

# The same entry points, driven by regress.c's main instead of libFuzzer,
# so that any compiler runs them in `make check`.
FUZZ_REGRESS = \
	tests/fuzz/regress_record \
	tests/fuzz/regress_expr \
	tests/fuzz/regress_query
check_PROGRAMS += $(FUZZ_REGRESS)
TESTS += $(FUZZ_REGRESS)

tests_fuzz_regress_record_SOURCES = tests/fuzz/regress.c \
	tests/fuzz/fuzz_record.c tests/fuzz/fuzz.h
tests_fuzz_regress_expr_SOURCES = tests/fuzz/regress.c \
	tests/fuzz/fuzz_expr.c tests/fuzz/fuzz.h
tests_fuzz_regress_query_SOURCES = tests/fuzz/regress.c \
	tests/fuzz/fuzz_query.c tests/fuzz/fuzz.h
tests_fuzz_regress_query_LDFLAGS = $(FUZZ_WRAP)
# Run by hand, the replayers find the corpora in the source tree.
REGRESS_CPPFLAGS = $(AM_CPPFLAGS) -DLOGQ_SRCDIR='"$(abs_top_srcdir)"'
tests_fuzz_regress_record_CPPFLAGS = $(REGRESS_CPPFLAGS)
tests_fuzz_regress_expr_CPPFLAGS = $(REGRESS_CPPFLAGS)
tests_fuzz_regress_query_CPPFLAGS = $(REGRESS_CPPFLAGS)

# Every golden CLI case with logq run under memcheck: valgrind's report
# goes to a file, and a non-empty report fails the case (see the wrapper).
# LOGQ_UNDER_VALGRIND=1 tells the hostile-* cases to use smaller inputs
# with the same expected output (tests/cli/data/hostile/README).
check-valgrind: logq
	@command -v valgrind >/dev/null || \
	    { echo "check-valgrind: valgrind is not installed" >&2; exit 1; }
	LOGQ_REAL=$(abs_builddir)/logq LOGQ_UNDER_VALGRIND=1 \
	LOGQ=$(abs_top_srcdir)/tests/fuzz/valgrind-logq \
	LOGQ_TESTS=$(abs_top_srcdir)/tests \
	    $(SHELL) $(top_srcdir)/tests/cli/run.sh

# The cases about -j threads, with logq under helgrind: a data race
# between the threads fails the case. Not the follow-mode ones, whose
# pipe timings helgrind's slowness upsets.
HELGRIND_CASES = agg-jobs-identical jobs-files-in-order \
	jobs-gz-errors-in-order limits-max-groups-jobs limits-max-values-jobs
check-helgrind: logq
	@command -v valgrind >/dev/null || \
	    { echo "check-helgrind: valgrind is not installed" >&2; exit 1; }
	LOGQ_REAL=$(abs_builddir)/logq LOGQ_UNDER_VALGRIND=1 \
	LOGQ_VALGRIND_TOOL=helgrind \
	LOGQ=$(abs_top_srcdir)/tests/fuzz/valgrind-logq \
	LOGQ_TESTS=$(abs_top_srcdir)/tests \
	    $(SHELL) $(top_srcdir)/tests/cli/run.sh $(HELGRIND_CASES)

.PHONY: fuzz check-valgrind check-helgrind
