/* SPDX-License-Identifier: MIT */
/* fields.h - field aliases: canonical names and their alternatives (3.5) */
#ifndef LOGQ_FIELDS_H
#define LOGQ_FIELDS_H

#include <stdio.h>

#include "diag.h"
#include "record.h"

/*
 * How an alternative's value is read. A unit converts to milliseconds:
 * numbers are scaled, strings are read as Go durations ("1.5s") as
 * ms() does. FIELDS_PINO maps numeric pino/bunyan levels to names
 * (10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal).
 * Spelled after the path: `duration:s`, `level:pino`.
 */
enum fields_conv {
	FIELDS_AS_IS,
	FIELDS_MS,		/* ":ms" - a duration in milliseconds */
	FIELDS_S,		/* ":s"  - seconds, scaled to ms */
	FIELDS_US,		/* ":us" - microseconds, scaled to ms */
	FIELDS_NS,		/* ":ns" - nanoseconds, scaled to ms */
	FIELDS_PINO		/* ":pino" */
};

struct fields_alt {
	struct field_path	 path;
	enum fields_conv	 conv;
	/* A plain spelling: one top-level key, not a special field
	 * (_time); then its key, length and jscan hash, side by side for
	 * the look-up every line makes (path's own). */
	int			 plain;
	const char		*key;
	size_t			 key_len;
	uint32_t		 key_hash;
};

struct fields_alias {
	unsigned		 slot;		/* position in its table */
	char			*name;		/* canonical name */
	struct fields_alt	*alts;		/* first present wins */
	size_t			 nalts;
};

struct fields;

/* The built-in table of SPEC 3.5. */
struct fields	*fields_new_builtin(void);
struct fields	*fields_copy(const struct fields *f);
/*
 * Sets NAME to the alternatives in SPEC ("latencyMs,took:s"), adding the
 * alias or replacing its alternatives. -1 with *err (exit 2) when SPEC
 * is empty or an alternative is not a field path or has an unknown
 * conversion.
 */
int		 fields_set(struct fields *f, const char *name,
		    const char *spec, struct diag *err);
/* Parses "NAME=SPEC" as --field takes it. */
int		 fields_set_arg(struct fields *f, const char *arg,
		    struct diag *err);
/* The alias NAME (NUL-terminated), or NULL; borrowed from F. */
const struct fields_alias *fields_find(const struct fields *f,
		    const char *name, size_t len);
/* The table as --fields prints it, one alias a line, in `--field` syntax. */
void		 fields_print(const struct fields *f, FILE *fp);
void		 fields_free(struct fields *f);

/* Applies an alternative's conversion to V (strings made in ARENA). */
struct value	 fields_convert(enum fields_conv conv, struct value v,
		    struct arena *arena);

#endif
