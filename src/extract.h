/* SPDX-License-Identifier: MIT */
/* extract.h - find the JSON object in a line and read its prefix */
#ifndef LOGQ_EXTRACT_H
#define LOGQ_EXTRACT_H

#include <stddef.h>

/* Named fields that recognised prefixes yield (SPEC section 2). */
enum extract_field {
	EXTRACT_TIME,		/* fly, kubectl --timestamps: RFC 3339 time */
	EXTRACT_APP,		/* fly: "app" of app[148e4d55f36278] */
	EXTRACT_INSTANCE,	/* fly: 148e4d55f36278 */
	EXTRACT_REGION,		/* fly: iad */
	EXTRACT_SOURCE_LEVEL,	/* fly: info of [info] */
	EXTRACT_POD,		/* kubectl --prefix, stern */
	EXTRACT_CONTAINER,	/* kubectl --prefix, stern */
	EXTRACT_SERVICE,	/* docker compose: api-1 of "api-1  | " */
	EXTRACT_STREAM,		/* CRI, docker json-file: stdout, stderr */
	EXTRACT_NFIELDS
};

enum extract_prefix_kind {
	EXTRACT_PREFIX_NONE,	/* the line starts with '{' (after blanks) */
	EXTRACT_PREFIX_FLY,
	EXTRACT_PREFIX_KUBECTL,	/* [pod/NAME/CONTAINER], maybe a time */
	EXTRACT_PREFIX_TIMESTAMP, /* kubectl --timestamps alone */
	EXTRACT_PREFIX_DOCKER,
	EXTRACT_PREFIX_STERN,
	/* The CRI log format of /var/log/containers/NAME.log:
	 * `2026-01-02T03:04:05.123456789Z stdout F ` */
	EXTRACT_PREFIX_CRI,
	/* Docker json-file / Fluent Bit: {"log":"{...}\n","stream":..,
	 * "time":..}: the object is the `log` text's (record.c) */
	EXTRACT_PREFIX_DOCKER_LOG,
	EXTRACT_PREFIX_OTHER	/* text we keep as _prefix only */
};

struct extract_span {
	const char	*ptr;		/* into the line; NULL when absent */
	size_t		 len;
};

struct extract_prefix {
	enum extract_prefix_kind kind;
	struct extract_span	 text;	/* the whole prefix, trimmed */
	struct extract_span	 field[EXTRACT_NFIELDS];
};

/* The special field names, indexed by enum extract_field ("_time", ...). */
extern const char *const extract_field_names[EXTRACT_NFIELDS];

/*
 * Reads the prefix: the text of LINE before the object, which starts at
 * offset OBJ_START (the '{'). Fills *out with spans into LINE.
 */
void	extract_prefix(const char *line, size_t obj_start,
	    struct extract_prefix *out);

/*
 * At most this many candidates are tried per line. A line with more '{'
 * than that before a parse succeeds is "not JSON": it bounds the work on
 * hostile lines ({{{{...}) to 64 parses instead of one per byte.
 */
#define EXTRACT_MAX_CANDIDATES	64

/*
 * Candidate object starts: offsets of '{' in LINE from which an object
 * may run to the end of the line (the last non-blank byte is '}').
 * Call with FROM = 0, then with the previous result + 1; returns the
 * next candidate offset, or (size_t)-1 when there is none. The record
 * module parses from each candidate in turn until one is one whole JSON
 * object: "the first '{' from which the rest of the line parses".
 */
size_t	extract_next_candidate(const char *line, size_t len, size_t from);

/*
 * One record of the CRI log format, as the kubelet's parseCRILog reads
 * it (kubernetes pkg/kubelet/kuberuntime/logs/logs.go): an RFC 3339
 * time, one space, stdout or stderr, one space, the tag, one space, the
 * content. The tag is read up to its first ':' (kept "forward
 * compatible" there): P is a partial record, whose content continues in
 * the stream's next record; F a full one, or the last of a partial run.
 */
struct extract_cri {
	int		 is_stderr;
	int		 is_partial;
	size_t		 head_len;	/* "<time> <stream> " */
	size_t		 content;	/* offset of the content */
};

/* 1 with *out set when LINE (LEN bytes, no line end) is a CRI record. */
int	extract_cri(const char *line, size_t len, struct extract_cri *out);

#endif
