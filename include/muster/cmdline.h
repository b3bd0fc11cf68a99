/* The console's input side: line editing with history, tokenising, numbers, command lookup. */
#ifndef MUSTER_CMDLINE_H
#define MUSTER_CMDLINE_H

#include <stddef.h>
#include <stdint.h>

#define CMDLINE_MAX 96     /* bytes in one line, NUL excluded */
#define CMDLINE_HISTORY 8  /* lines kept for up/down */
#define CMDLINE_MAX_ARGS 8

/* Line editor. Feed it one received byte at a time; it echoes through `echo`. */
struct line_editor {
	char buf[CMDLINE_MAX + 1];
	unsigned len;
	char history[CMDLINE_HISTORY][CMDLINE_MAX + 1];
	unsigned hist_count; /* lines stored, at most CMDLINE_HISTORY */
	unsigned hist_next;  /* slot the next line goes to */
	int hist_pos;        /* -1: editing a new line; else how far back we are */
	unsigned esc;        /* escape-sequence state: 0 none, 1 after ESC, 2 after ESC [ */
	void (*echo)(const char *s);
};

enum le_result {
	LE_NONE,   /* keep feeding */
	LE_LINE,   /* buf holds a complete line (possibly empty) */
	LE_CANCEL, /* Ctrl-C: the line was dropped */
};

void le_init(struct line_editor *le, void (*echo)(const char *s));
enum le_result le_feed(struct line_editor *le, int ch);

/* Split `line` in place into at most CMDLINE_MAX_ARGS words; returns the count, or -1 if too many. */
int cmd_split(char *line, char *argv[CMDLINE_MAX_ARGS]);

/* Hex (0x...) or decimal, the whole word, no overflow: 0 and *out, or -1. */
int parse_u32(const char *s, uint32_t *out);

struct command {
	const char *name;
	const char *args;  /* usage, e.g. "<addr> [count]" */
	const char *help;
	int min_args, max_args; /* not counting the name */
	int (*run)(int argc, char **argv);
};

/*
 * Run `line` against `table` (terminated by a NULL name). Unknown commands and wrong argument
 * counts print a one-line reason through `say`. Returns the handler's result, or -1.
 */
int cmd_exec(const struct command *table, char *line, void (*say)(const char *s));

#endif
