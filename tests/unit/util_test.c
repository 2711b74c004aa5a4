/* SPDX-License-Identifier: MIT */
/* util_test.c - buffers and arenas */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "tap.h"

int
main(void)
{
	struct buf b = BUF_INIT;
	struct arena *a = arena_new();
	char *p, *big;
	size_t i;

	is_str(buf_str(&b), "", "an empty buffer reads as \"\"");
	buf_adds(&b, "ab");
	buf_addc(&b, 'c');
	buf_printf(&b, "%d-%s", 42, "x");
	is_str(buf_str(&b), "abc42-x", "add, addc and printf append");
	is_int(b.len, 7, "length counts the bytes");
	buf_reset(&b);
	is_str(buf_str(&b), "", "reset empties");
	for (i = 0; i < 10000; i++)
		buf_addc(&b, 'z');
	is_int(b.len, 10000, "buffers grow past their first block");
	p = buf_take(&b);
	ok(p[9999] == 'z' && p[10000] == '\0' && b.ptr == NULL,
	    "take hands over NUL-terminated bytes and resets");
	free(p);

	p = arena_strndup(a, "hello world", 5);
	is_str(p, "hello", "arena_strndup copies N bytes");
	ok(((uintptr_t)arena_alloc(a, 3) & 15) == 0, "arena memory is 16-aligned");
	big = arena_alloc(a, 1 << 20);
	memset(big, 1, 1 << 20);
	ok(big[(1 << 20) - 1] == 1, "a request larger than a block works");
	arena_reset(a);
	p = arena_strndup(a, "again", 5);
	is_str(p, "again", "the arena is usable after reset");
	arena_free(a);

	/* bytes_equal against memcmp: every length to 40 (byte loop,
	 * words with an overlapping tail, memcmp), a difference at each
	 * position, in buffers exactly as long as compared. */
	{
		char x[40], y[40];
		size_t n, k;
		int agree = 1;

		for (n = 0; n <= sizeof(x); n++) {
			char *px = malloc(n ? n : 1), *py = malloc(n ? n : 1);

			for (k = 0; k < n; k++)
				x[k] = y[k] = (char)('a' + k % 26);
			memcpy(px, x, n);
			memcpy(py, y, n);
			agree &= bytes_equal(px, py, n) == 1;
			for (k = 0; k < n; k++) {
				py[k] ^= 0x20;
				agree &= bytes_equal(px, py, n) ==
				    (memcmp(px, py, n) == 0);
				agree &= bytes_equal(px, py, n) == 0;
				py[k] ^= 0x20;
			}
			free(px);
			free(py);
		}
		ok(agree, "bytes_equal agrees with memcmp on lengths 0-40 and "
		    "a difference at every position");
	}
	return done_testing();
}
