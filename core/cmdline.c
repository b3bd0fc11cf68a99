/* Console input handling, free of hardware: built for the firmware, the host unit tests and libFuzzer. */
#include <string.h>

#include <muster/cmdline.h>

#define CTRL_C 0x03
#define BACKSPACE 0x08
#define DEL 0x7f
#define ESC 0x1b

void le_init(struct line_editor *le, void (*echo)(const char *s))
{
	memset(le, 0, sizeof(*le));
	le->hist_pos = -1;
	le->echo = echo;
}

static void say(const struct line_editor *le, const char *s)
{
	if (le->echo)
		le->echo(s);
}

/* Replace the line being edited (on screen too) with `text`. */
static void replace_line(struct line_editor *le, const char *text)
{
	while (le->len) {
		say(le, "\b \b");
		le->len--;
	}
	size_t n = strnlen(text, CMDLINE_MAX);
	memcpy(le->buf, text, n);
	le->buf[n] = '\0';
	le->len = (unsigned)n;
	say(le, le->buf);
}

static void history_step(struct line_editor *le, int older)
{
	int pos = le->hist_pos + (older ? 1 : -1);

	if (pos >= (int)le->hist_count || pos < -1)
		return;
	le->hist_pos = pos;
	if (pos == -1) {
		replace_line(le, "");
		return;
	}
	unsigned slot = (le->hist_next + CMDLINE_HISTORY - 1U - (unsigned)pos) % CMDLINE_HISTORY;
	replace_line(le, le->history[slot]);
}

static void history_add(struct line_editor *le)
{
	if (le->len == 0)
		return;
	unsigned last = (le->hist_next + CMDLINE_HISTORY - 1U) % CMDLINE_HISTORY;
	if (le->hist_count && strcmp(le->history[last], le->buf) == 0)
		return; /* the same line twice in a row is kept once */
	memcpy(le->history[le->hist_next], le->buf, le->len + 1U);
	le->hist_next = (le->hist_next + 1U) % CMDLINE_HISTORY;
	if (le->hist_count < CMDLINE_HISTORY)
		le->hist_count++;
}

enum le_result le_feed(struct line_editor *le, int ch)
{
	if (ch < 0 || ch > 0xff)
		return LE_NONE;
	if (le->esc == 1) {
		le->esc = ch == '[' ? 2 : 0;
		return LE_NONE;
	}
	if (le->esc == 2) {
		le->esc = 0;
		if (ch == 'A')
			history_step(le, 1);
		else if (ch == 'B')
			history_step(le, 0);
		return LE_NONE; /* other sequences (arrows left/right...) are ignored */
	}
	switch (ch) {
	case ESC:
		le->esc = 1;
		return LE_NONE;
	case CTRL_C:
		say(le, "^C\n");
		le->len = 0;
		le->buf[0] = '\0';
		le->hist_pos = -1;
		return LE_CANCEL;
	case '\r':
	case '\n':
		say(le, "\n");
		le->buf[le->len] = '\0';
		history_add(le);
		le->hist_pos = -1;
		le->len = 0; /* buf keeps the line for the caller until the next feed */
		return LE_LINE;
	case BACKSPACE:
	case DEL:
		if (le->len) {
			le->len--;
			le->buf[le->len] = '\0';
			say(le, "\b \b");
		}
		return LE_NONE;
	default:
		if (ch < 0x20 || ch > 0x7e || le->len >= CMDLINE_MAX)
			return LE_NONE; /* no control bytes, no 8-bit bytes; a full line takes no more */
		le->buf[le->len++] = (char)ch;
		le->buf[le->len] = '\0';
		const char s[2] = { (char)ch, '\0' };
		say(le, s);
		return LE_NONE;
	}
}

int cmd_split(char *line, char *argv[CMDLINE_MAX_ARGS])
{
	int argc = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			return argc;
		if (argc == CMDLINE_MAX_ARGS)
			return -1;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
}

int parse_u32(const char *s, uint32_t *out)
{
	uint32_t v = 0, base = 10;

	if (!s || !*s)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return -1;
	}
	for (; *s; s++) {
		uint32_t d;

		if (*s >= '0' && *s <= '9')
			d = (uint32_t)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (uint32_t)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (uint32_t)(*s - 'A' + 10);
		else
			return -1;
		if (v > (UINT32_MAX - d) / base)
			return -1; /* would overflow 32 bits */
		v = v * base + d;
	}
	*out = v;
	return 0;
}

int cmd_exec(const struct command *table, char *line, void (*say_fn)(const char *s))
{
	char *argv[CMDLINE_MAX_ARGS];
	int argc = cmd_split(line, argv);

	if (argc == 0)
		return 0;
	if (argc < 0) {
		say_fn("error: too many words (at most 8)\n");
		return -1;
	}
	for (const struct command *c = table; c->name; c++) {
		if (strcmp(c->name, argv[0]) != 0)
			continue;
		if (argc - 1 < c->min_args || argc - 1 > c->max_args) {
			say_fn("error: usage: ");
			say_fn(c->name);
			say_fn(" ");
			say_fn(c->args);
			say_fn("\n");
			return -1;
		}
		return c->run(argc, argv);
	}
	say_fn("error: unknown command '");
	say_fn(argv[0]);
	say_fn("' (try help)\n");
	return -1;
}
