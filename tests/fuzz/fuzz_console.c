/* libFuzzer target: console bytes through the line editor and command parser, and images through uImage/DTB/FIT checks. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <muster/cmdline.h>
#include <muster/fdt.h>
#include <muster/fit.h>
#include <muster/uimage.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t said;
static void sink(const char *s)
{
	said += strlen(s); /* touch every byte of every message */
}

/* Handlers that parse every argument the way the real ones do, without touching memory. */
static int numbers(int argc, char **argv)
{
	uint32_t v;
	int ok = 0;

	for (int i = 1; i < argc; i++)
		ok += parse_u32(argv[i], &v) == 0;
	return ok;
}

static const struct command table[] = {
	{ "md", "<addr> [count]", "", 1, 2, numbers },
	{ "md.b", "<addr> [count]", "", 1, 2, numbers },
	{ "mw", "<addr> <value> [count]", "", 2, 3, numbers },
	{ "release", "<cpu> [addr]", "", 1, 2, numbers },
	{ "timeout", "[ms]", "", 0, 1, numbers },
	{ "help", "", "", 0, 0, numbers },
	{ NULL, NULL, NULL, 0, 0, NULL },
};

static void mark(uint32_t reg, char *status, uint32_t len, void *ctx)
{
	(void)reg;
	(void)ctx;
	if (status && len >= 5)
		memcpy(status, "fail", 5);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct line_editor le;
	static uint8_t copy[1 << 16];

	if (size > 0 && data[0] == 0xfe && size - 1 <= sizeof(copy)) {
		/* An image: the uImage checks, then the DTB walk on a writable copy. */
		static const struct uimage_policy policy = { 0x60000000, 0x04000000, 0x63f00000, 0x100000 };
		struct uimage_info info;
		char why[160];
		uint32_t len;

		memcpy(copy, data + 1, size - 1);
		(void)uimage_verify(copy, size - 1, &policy, &info, why, sizeof(why));
		if (fdt_check(copy, size - 1, why, sizeof(why)) == 0) {
			(void)fdt_find_prop(copy, "/chosen", "bootargs", &len);
			(void)fdt_set_string_inplace(copy, "/chosen", "bootargs", "x");
			(void)fdt_for_each_cpu(copy, mark, NULL);
			struct fit_info fit;
			(void)fit_verify(copy, size - 1, &policy, &fit, why, sizeof(why));
		}
		return 0;
	}
	le_init(&le, sink);
	for (size_t i = 0; i < size; i++) {
		enum le_result r = le_feed(&le, data[i]);

		if (r == LE_LINE) {
			char line[CMDLINE_MAX + 1];

			memcpy(line, le.buf, sizeof(line));
			(void)cmd_exec(table, line, sink);
		}
	}
	return 0;
}
