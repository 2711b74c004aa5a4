/* SPDX-License-Identifier: MIT */
/*
 * fuzz_record.c - libFuzzer harness: line extraction, JSON parse, UTF-8
 * repair (record_parse and what the run reads out of a record).
 *
 * The input is split into lines as the reader splits a file ("\n", with
 * "\r\n" accepted) and every line goes through record_parse, then the
 * special fields and a few paths are read and written out as the output
 * formats would. Besides the sanitizers, invariants of SPEC section 2
 * are checked and a violation aborts: a repaired line is valid UTF-8, a
 * used line is a JSON object, _line is the line as read (or repaired),
 * and fields read through jscan's index equal those read from jansson's
 * tree (fuzz_one_line).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "extract.h"
#include "reader.h"
#include "record.h"
#include "util.h"
#include "value.h"

#include "fuzz.h"

/* Bigger inputs only slow the fuzzer down: lines of any length are the
 * hostile CLI cases' business. */
#define FUZZ_RECORD_MAX_LEN	(64 * 1024)

static const char *const paths[][3] = {
	{ "_line", NULL, NULL },
	{ "_prefix", NULL, NULL },
	{ "_time", NULL, NULL },
	{ "_pod", NULL, NULL },
	{ "_service", NULL, NULL },
	{ "_lineno", NULL, NULL },
	{ "msg", NULL, NULL },
	{ "level", NULL, NULL },
	{ "a", NULL, NULL },
	{ "b", NULL, NULL },
	{ "m", NULL, NULL },
	{ "n", NULL, NULL },
	{ "", NULL, NULL },
	{ "a", "a", NULL },
	{ "a", "b", NULL },
	{ "a", "", NULL },
	{ "http", "status_code", NULL },
	{ "log", "level", NULL },
	{ "a", "b", "c" },
};

static void
fuzz_check_utf8(const char *s, size_t len)
{
	struct buf b = BUF_INIT;

	/* Repairing a repaired line finds nothing left to repair. */
	if (record_repair_utf8(s, len, &b) != 0)
		abort();
	buf_release(&b);
}

#define FUZZ_NPATHS	(sizeof paths / sizeof paths[0])

/* Built once: the run builds its paths once too, at compile time. */
static struct field_path fuzz_paths[FUZZ_NPATHS];

static void
fuzz_make_paths(void)
{
	size_t i, j;

	for (i = 0; i < FUZZ_NPATHS; i++) {
		field_path_init(&fuzz_paths[i]);
		for (j = 0; j < 3 && paths[i][j] != NULL; j++)
			field_path_push(&fuzz_paths[i], paths[i][j],
			    strlen(paths[i][j]));
	}
}

/* Appends what each path reads, as JSON, to OUT. */
static void
fuzz_read_fields(struct record *rec, struct arena *arena, struct buf *out)
{
	struct value v, copy;
	struct buf text = BUF_INIT;
	size_t i;
	int found;

	for (i = 0; i < FUZZ_NPATHS; i++) {
		found = record_get(rec, &fuzz_paths[i], &v);
		if (v.kind == VALUE_STRING)
			fuzz_check_utf8(v.u.s.ptr, v.u.s.len);
		buf_printf(out, "%zu:%d:%s=", i, found,
		    value_kind_name(v.kind));
		value_write_json(out, &v);
		buf_addc(out, '\n');
		value_write_text(&text, &v, VALUE_TEXT_TABLE);
		value_write_text(&text, &v, VALUE_TEXT_PLAIN);
		buf_reset(&text);
		copy = value_dup(arena, &v);
		value_release(&copy);
	}
	buf_release(&text);
}

/*
 * Fields are read twice: first from the record as parsed (record.c may
 * answer from jscan's index without building jansson's tree), then
 * again once record_json() has built the tree. Both must read the same:
 * the tree is built from the text jscan checked, decoded as jscan's
 * members are (record_build).
 */
static void
fuzz_one_line(struct record *rec, struct arena *arena, struct buf *out,
    struct buf *again, const char *text, size_t len, unsigned long lineno)
{
	struct line line = { text, len, lineno };
	const struct line *got;
	struct value v;
	enum record_status st;
	int repaired = -1;

	st = record_parse(rec, &line, "fuzz.log", &repaired);
	if (st >= RECORD_NSTATUS || (repaired != 0 && repaired != 1))
		abort();
	buf_reset(out);
	fuzz_read_fields(rec, arena, out);
	if ((st == RECORD_OK) != (record_json(rec) != NULL))
		abort();
	buf_reset(again);
	fuzz_read_fields(rec, arena, again);
	if (out->len != again->len || (out->len > 0 &&
	    memcmp(out->ptr, again->ptr, out->len) != 0))
		abort();
	if (st == RECORD_OK && !json_is_object(record_json(rec)))
		abort();
	got = record_line(rec);
	if (got->lineno != lineno)
		abort();
	if (!repaired && (got->len != len || (len > 0 &&
	    memcmp(got->text, text, len) != 0)))
		abort();
	if (repaired)
		fuzz_check_utf8(got->text, got->len);

	/* _line (paths[0]) is the line as the record holds it. */
	if (record_get(rec, &fuzz_paths[0], &v) != 1 ||
	    v.kind != VALUE_STRING || v.u.s.len != got->len)
		abort();

	arena_reset(arena);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct record *rec;
	struct arena *arena;
	struct buf out = BUF_INIT, again = BUF_INIT;
	const char *s, *nl, *end;
	char *copy;
	size_t len;
	unsigned long lineno = 0;

	if (size > FUZZ_RECORD_MAX_LEN)
		return 0;
	if (!ready) {
		fuzz_make_paths();
		ready = 1;
	}
	/* A heap copy of exactly SIZE bytes: reads past the line are
	 * caught by ASan, as they would be past the reader's buffer. */
	copy = xmalloc(size ? size : 1);
	memcpy(copy, data, size);
	rec = record_new();
	arena = arena_new();

	s = copy;
	end = copy + size;
	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		len = (size_t)((nl ? nl : end) - s);
		if (nl != NULL && len > 0 && s[len - 1] == '\r')
			len--;
		fuzz_one_line(rec, arena, &out, &again, s, len, ++lineno);
		s = nl ? nl + 1 : end;
	}
	/* The whole input as one line, newlines and all. */
	fuzz_one_line(rec, arena, &out, &again, copy, size, ++lineno);

	buf_release(&out);
	buf_release(&again);
	arena_free(arena);
	record_free(rec);
	free(copy);
	return 0;
}
