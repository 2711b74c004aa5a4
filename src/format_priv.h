/* SPDX-License-Identifier: MIT */
/* format_priv.h - what format.c shares with format_*.c */
#ifndef LOGQ_FORMAT_PRIV_H
#define LOGQ_FORMAT_PRIV_H

#include "format.h"
#include "util.h"

/* One query's output section. */
struct format_section {
	const struct format_query *q;
	const struct format_assertion *asserts;	/* this query's, at end */
	size_t		 nasserts;
	int		 approx;	/* percentiles approximate */
	size_t		 index;
	int		 shown;		/* in the output (opt.shown) */
	int		 later;		/* a shown section comes before */
	FILE		*fp;		/* f->out, or a spool (tmpfile) */
	uint64_t	 nrows;
	void		*state;		/* the format's own, or NULL */
};

struct formatter;

/*
 * A format. Sectioned formats (table, json) print each query's rows
 * together: section 0 writes to the output as rows come, the others to
 * a spool that format_finish() copies out in order. Streaming formats
 * (ndjson, csv, tsv, raw) write every row to the output as it comes.
 */
struct format_impl {
	int	 sectioned;
	void	(*begin)(struct formatter *f);			/* to out */
	void	(*begin_section)(struct formatter *f, struct format_section *s);
	void	(*row)(struct formatter *f, struct format_section *s,
		    const struct value *cells, const struct line *line);
	void	(*idle)(struct formatter *f, struct format_section *s);
	void	(*end_section)(struct formatter *f, struct format_section *s);
	void	(*finish)(struct formatter *f, const struct format_stats *st);
	void	(*free_state)(struct format_section *s);
};

struct formatter {
	enum format_kind	 kind;
	const struct format_impl *impl;
	FILE			*out;
	struct format_section	*sections;
	size_t			 n;
	struct format_options	 opt;
	struct buf		 scratch;	/* reused per cell/row */
	uint64_t		 markdown_bytes; /* rows written, for the cap */
	const struct format_assertion *asserts;	/* all, at finish */
	size_t			 nasserts;
};

extern const struct format_impl format_table_impl;
extern const struct format_impl format_json_impl;
extern const struct format_impl format_ndjson_impl;
extern const struct format_impl format_csv_impl;
extern const struct format_impl format_tsv_impl;
extern const struct format_impl format_raw_impl;
extern const struct format_impl format_markdown_impl;
extern const struct format_impl format_prometheus_impl;
extern const struct format_impl format_junit_impl;

/* Appends S escaped for XML text and attributes: markup characters as
 * entities, tab and line ends as character references, and what XML
 * 1.0 forbids (C0 controls, U+FFFE, U+FFFF) as the text \xNN, \uFFFF. */
void	format_xml_escape(struct buf *b, const char *s);

/* Appends the LEN bytes of S with control characters written as text
 * (\n, \t, \r, \xNN for the other C0 and DEL, \u00NN for C1), so that
 * a value from the logs cannot move a terminal's cursor, start a line
 * or stop a reader at a NUL. In format_text.c. */
void	format_text_escape(struct buf *b, const char *s, size_t len);

/* Writes the JSON text B to FP with each C1 control as \u0080..\u009f
 * (raw C1 is valid JSON, but U+009B can drive a terminal); in JSON text
 * they can only be inside strings, where the escape means the same. */
void	format_json_write(FILE *fp, const struct buf *b);

#endif
