/* SPDX-License-Identifier: MIT */
/* fuzz.h - the libFuzzer entry point every harness defines; the
 * regression driver (regress.c) calls it with each saved input. */
#ifndef LOGQ_FUZZ_H
#define LOGQ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
