/* SPDX-License-Identifier: MIT */
/* view.h - follow mode's terminal view: each print redrawn in place */
#ifndef LOGQ_VIEW_H
#define LOGQ_VIEW_H

#include <stdio.h>

#include "diag.h"

/*
 * SPEC 6: on a terminal, each print of --interval is one frame, painted
 * over the previous one from the top left corner: a status line, then
 * the print's text, each line cut to the terminal's width and the frame
 * to its height, then the rest of the screen cleared (no full clear
 * between frames: no flicker). The size is read at each frame, so a
 * resized terminal is fitted at the next print. The cursor is hidden
 * while frames are drawn and shown again after the final one, which
 * stays on the screen (no alternate screen), with the cursor on the
 * line below it.
 */
struct view;

/* A view on FP, a terminal (fileno(FP) gives its size). Owned. */
struct view	*view_new(FILE *fp);
/* Where the next frame's text goes (borrowed until view_frame_end()),
 * and the terminal's width now, in columns, in *COLS; NULL (errno set)
 * when memory for it runs out. */
FILE		*view_frame_begin(struct view *v, unsigned *cols);
/*
 * Paints the frame written since view_frame_begin() under STATUS (one
 * line); FINAL: the last frame, after which the cursor is shown. 0, or
 * -1 with *err (errno set) when the terminal cannot be written.
 */
int		 view_frame_end(struct view *v, const char *status, int final,
		    struct diag *err);
/* Shows the cursor again if a frame hid it (a run that stopped on an
 * error); then frees V. Accepts NULL. */
void		 view_free(struct view *v);
/* The same from a signal handler (async-signal-safe): the second
 * SIGINT's _exit must not leave the cursor hidden. */
void		 view_restore_from_signal(void);

#endif
