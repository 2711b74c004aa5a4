/* SPDX-License-Identifier: MIT */
/* decompress_test.c - compressed input told by its first bytes (SPEC 1) */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "decompress.h"
#include "util.h"
#include "tap.h"

static enum decompress_format sniffed;
static const char *what, *tool;

/* decompress_sniff over the LEN bytes of P: 1 decided, 0 undecided. */
static int
sniff(const char *p, size_t len, int at_eof)
{
	return decompress_sniff((const unsigned char *)p, len, at_eof,
	    &sniffed, &what, &tool);
}

static void
test_magics(void)
{
	static const struct {
		const char	*bytes;
		size_t		 len;
		enum decompress_format format;
		const char	*what;
	} cases[] = {
		{ "\x1f\x8b\x08\x00", 4, DECOMPRESS_GZIP, "gzip" },
		{ "\x28\xb5\x2f\xfd\x04", 5, DECOMPRESS_ZSTD, "zstd" },
		{ "\x5e\x2a\x4d\x18\x00", 5, DECOMPRESS_ZSTD, "zstd" },
		{ "BZh91AY&SY", 10, DECOMPRESS_REFUSED, "bzip2" },
		{ "\xfd" "7zXZ\0\0", 7, DECOMPRESS_REFUSED, "xz" },
		{ "\x04\x22\x4d\x18\x64", 5, DECOMPRESS_REFUSED, "lz4" },
		{ "LZIP\x01", 5, DECOMPRESS_REFUSED, "lzip" },
		{ "\x1f\x9d\x90", 3, DECOMPRESS_REFUSED, "compress (.Z)" },
		{ "7z\xbc\xaf\x27\x1c\x00", 7, DECOMPRESS_REFUSED, "7-Zip" },
		{ "PK\x03\x04\x14", 5, DECOMPRESS_REFUSED, "zip" },
		{ "Rar!\x1a\x07\x00", 7, DECOMPRESS_REFUSED, "RAR" },
	};
	size_t i, k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ok(sniff(cases[i].bytes, cases[i].len, 0) == 1 &&
		    sniffed == cases[i].format &&
		    strcmp(what, cases[i].what) == 0 && tool != NULL,
		    "%s told by its magic bytes", cases[i].what);
		/* Every shorter prefix of a magic waits for more bytes,
		 * and is plain text when the input ends there. */
		for (k = 1; k < 2 && k < cases[i].len; k++) {
			ok(sniff(cases[i].bytes, k, 0) == 0,
			    "%s: %zu byte waits for more", cases[i].what, k);
			ok(sniff(cases[i].bytes, k, 1) == 1 &&
			    sniffed == DECOMPRESS_PLAIN,
			    "%s: %zu byte at the end is plain", cases[i].what,
			    k);
		}
	}
}

static void
test_tar(void)
{
	char block[512];

	memset(block, 0, sizeof(block));
	strcpy(block, "app.log");
	memcpy(block + 257, "ustar\0" "00", 8);
	ok(sniff(block, sizeof(block), 0) == 1 &&
	    sniffed == DECOMPRESS_REFUSED && strcmp(what, "tar") == 0,
	    "a tar header is told by \"ustar\" at offset 257");
	ok(sniff(block, 100, 0) == 0,
	    "a tar header's first 100 bytes wait for the rest");
	ok(sniff(block, 100, 1) == 1 && sniffed == DECOMPRESS_PLAIN,
	    "100 bytes without a newline at the end of input are plain");
}

static void
test_plain(void)
{
	const char *json = "{\"level\":\"info\",\"msg\":\"hi\"}\n";

	ok(sniff(json, strlen(json), 0) == 1 && sniffed == DECOMPRESS_PLAIN,
	    "a JSON line is plain at once");
	ok(sniff("{", 1, 0) == 0,
	    "one '{' without its newline waits (a tar name may start so)");
	ok(sniff("{", 1, 1) == 1 && sniffed == DECOMPRESS_PLAIN,
	    "one '{' at the end of input is plain");
	ok(sniff("abc", 3, 0) == 0,
	    "three bytes of text without a newline wait (tar is possible)");
	ok(sniff("abc\n", 4, 0) == 1 && sniffed == DECOMPRESS_PLAIN,
	    "a newline says line text: no wait for offset 257");
	ok(sniff("", 0, 1) == 1 && sniffed == DECOMPRESS_PLAIN,
	    "empty input is plain");
	ok(sniff("BZ\n", 3, 0) == 1 && sniffed == DECOMPRESS_PLAIN,
	    "\"BZ\" then a newline is not bzip2");
	ok(sniff("\x1f\x8c\n", 3, 0) == 1 && sniffed == DECOMPRESS_PLAIN,
	    "0x1f 0x8c is no magic");
}

static void
test_built_in(void)
{
	const char *d = decompress_describe();

#ifdef HAVE_ZLIB
	ok(decompress_built_in(DECOMPRESS_GZIP) &&
	    strstr(d, "gzip (zlib ") != NULL,
	    "gzip built in and described: %s", d);
#else
	ok(!decompress_built_in(DECOMPRESS_GZIP) &&
	    strstr(d, "gzip") == NULL, "gzip not built in: %s", d);
#endif
#ifdef HAVE_ZSTD
	ok(decompress_built_in(DECOMPRESS_ZSTD) &&
	    strstr(d, "zstd (libzstd ") != NULL,
	    "zstd built in and described: %s", d);
#else
	ok(!decompress_built_in(DECOMPRESS_ZSTD) &&
	    strstr(d, "zstd") == NULL, "zstd not built in: %s", d);
#endif
	ok(!decompress_built_in(DECOMPRESS_REFUSED),
	    "refused formats are never built in");
	ok(decompress_new(DECOMPRESS_REFUSED) == NULL &&
	    decompress_new(DECOMPRESS_PLAIN) == NULL,
	    "no decoder for plain or refused input");
}

int
main(void)
{
	test_magics();
	test_tar();
	test_plain();
	test_built_in();
	return done_testing();
}
