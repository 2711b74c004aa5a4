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
 * Spelled after the path: `duration:s`, `level:pino`. FIELDS_PINO
 * also reads a level between two of those as the lower (bunyan's 55 is
 * error) and slog's "ERROR+4" as its base name. A `?` after the unit
 * (`duration:s?`) marks it as assumed, not known: the first line that
 * reads the field that way says so on stderr (alias.c).
 */
enum fields_conv {
	FIELDS_AS_IS,
	FIELDS_MS,		/* ":ms" - a duration in milliseconds */
	FIELDS_S,		/* ":s"  - seconds, scaled to ms */
	FIELDS_US,		/* ":us" - microseconds, scaled to ms */
	FIELDS_NS,		/* ":ns" - nanoseconds, scaled to ms */
	FIELDS_PINO,		/* ":pino" */
	/* From an HTTP request line "GET /x?q=1 HTTP/1.1" (nginx's
	 * $request) or "GET /x" (django-structlog's request): its target,
	 * its method; any other value is absent. */
	FIELDS_REQUEST_PATH,	/* ":request_path" */
	FIELDS_REQUEST_METHOD	/* ":request_method" */
};

struct fields_alt {
	struct field_path	 path;
	enum fields_conv	 conv;
	int			 guess;		/* ":s?": the unit assumed */
	/* A plain spelling: one top-level key, not a special field
	 * (_time); then its key, length and jscan hash, side by side for
	 * the look-up every line makes (path's own). */
	int			 plain;
	const char		*key;
	size_t			 key_len;
	uint32_t		 key_hash;
};

/*
 * A level vocabulary (a profile's `levels:`): raw values, compared as
 * text without case, to canonical names; DFLT (or NULL) for a line
 * without the field. Owned by whoever made it; aliases borrow it.
 */
struct fields_vocab {
	struct fields_word {
		char		*raw;
		size_t		 len;
		const char	*canon;		/* a static name */
	}			*words;
	size_t			 n;
	const char		*dflt;		/* a static name, or NULL */
};

struct fields_alias {
	unsigned		 slot;		/* position in its table */
	char			*name;		/* canonical name */
	struct fields_alt	*alts;		/* first present wins */
	size_t			 nalts;		/* 0: never present */
	/* Its alternatives are the built-in table's: a profile that
	 * recognises the line may replace them (profile.h); a query's
	 * `fields:` or --field clears it. */
	int			 builtin;
	const struct fields_vocab *vocab;	/* or NULL */
};

struct fields;

/* The built-in table of SPEC 3.5. */
struct fields	*fields_new_builtin(void);
/* A table with no alias (a profile's, filled by fields_set). */
struct fields	*fields_new_empty(void);
/* The alias in SLOT, or NULL past the end; borrowed from F. */
const struct fields_alias *fields_slot(const struct fields *f, size_t slot);
/* Gives alias NAME (which must exist) the level vocabulary VOCAB. */
void		 fields_set_vocab(struct fields *f, const char *name,
		    const struct fields_vocab *vocab);
struct fields	*fields_copy(const struct fields *f);
/*
 * Sets NAME to the alternatives in SPEC ("latencyMs,took:s"), adding the
 * alias or replacing its alternatives. -1 with *err (exit 2) when SPEC
 * is empty or an alternative is not a field path or has an unknown
 * conversion.
 */
int		 fields_set(struct fields *f, const char *name,
		    const char *spec, struct diag *err);
/* Sets NAME to no alternative at all: never present (a profile's
 * `path: []`). */
void		fields_set_none(struct fields *f, const char *name);
/*
 * Appends to alias NAME of F (made, with no alternative, if F has none)
 * copies of FROM's alternatives, but those whose path NAME already has
 * and those that an alias of CLAIMED other than NAME spells (CLAIMED may
 * be NULL). Returns how many of FROM's it left out that way.
 */
size_t		fields_append_unclaimed(struct fields *f, const char *name,
		    const struct fields_alias *from,
		    const struct fields *claimed);
/* Whether an alias of F spells PATH. */
int		fields_claims(const struct fields *f,
		    const struct field_path *path);
/* The built-in spelling of alias NAME in `--field` syntax, or NULL. */
const char	*fields_builtin_spec(const char *name);
/* Parses "NAME=SPEC" as --field takes it. */
int		 fields_set_arg(struct fields *f, const char *arg,
		    struct diag *err);
/* The alias NAME (NUL-terminated), or NULL; borrowed from F. */
const struct fields_alias *fields_find(const struct fields *f,
		    const char *name, size_t len);
/* The table as --fields prints it, one alias a line, in `--field` syntax. */
void		 fields_print(const struct fields *f, FILE *fp);
/* The same, each line after INDENT. */
void		 fields_print_indented(const struct fields *f,
		    const char *indent, FILE *fp);
void		 fields_free(struct fields *f);

/* 1 and *V its canonical name when VOCAB maps V's text, else 0. */
int		 fields_vocab_map(const struct fields_vocab *vocab,
		    struct value *v);
/* The canonical level NAME ("warn"), static, or NULL when it is none
 * of trace debug info warn error fatal. */
const char	*fields_level_name(const char *name, size_t len);

/* Applies an alternative's conversion to V (strings made in ARENA). */
struct value	 fields_convert(enum fields_conv conv, struct value v,
		    struct arena *arena);

#endif
