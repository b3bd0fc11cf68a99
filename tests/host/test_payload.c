/* Host unit tests of the console parser and the payload checks: cmdline.c, uimage.c, fdt.c, settings.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <muster/cmdline.h>
#include <muster/crc32.h>
#include <muster/fdt.h>
#include <muster/fit.h>
#include <muster/sha256.h>
#include <muster/settings.h>
#include <muster/uimage.h>

/* ---- helpers ------------------------------------------------------------------------------- */

static char echoed[4096];
static void echo(const char *s)
{
	strncat(echoed, s, sizeof(echoed) - strlen(echoed) - 1);
}

static enum le_result feed(struct line_editor *le, const char *bytes)
{
	enum le_result r = LE_NONE;

	for (; *bytes; bytes++)
		r = le_feed(le, (unsigned char)*bytes);
	return r;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = malloc(*len + 1);
	assert_int_equal(fread(buf, 1, *len, f), *len);
	fclose(f);
	return buf;
}

static void run(const char *cmd)
{
	assert_int_equal(system(cmd), 0);
}

static char tmpdir[64];

static int setup_tmp(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/muster-host-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int teardown_tmp(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd);
}

/* ---- cmdline ------------------------------------------------------------------------------- */

static void test_parse_u32(void **state)
{
	uint32_t v;
	(void)state;
	assert_int_equal(parse_u32("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_u32("4294967295", &v), 0);
	assert_int_equal(v, 0xffffffffU);
	assert_int_equal(parse_u32("0xFFFFffff", &v), 0);
	assert_int_equal(v, 0xffffffffU);
	assert_int_equal(parse_u32("0x63f00000", &v), 0);
	assert_int_equal(v, 0x63f00000U);
	assert_int_equal(parse_u32("4294967296", &v), -1); /* overflow */
	assert_int_equal(parse_u32("0x100000000", &v), -1);
	assert_int_equal(parse_u32("0x", &v), -1);
	assert_int_equal(parse_u32("", &v), -1);
	assert_int_equal(parse_u32("12a", &v), -1);
	assert_int_equal(parse_u32("-1", &v), -1);
	assert_int_equal(parse_u32("0xg", &v), -1);
}

static void test_split(void **state)
{
	char line[] = "  md.w\t0x10   4 ";
	char *argv[CMDLINE_MAX_ARGS];
	(void)state;
	assert_int_equal(cmd_split(line, argv), 3);
	assert_string_equal(argv[0], "md.w");
	assert_string_equal(argv[1], "0x10");
	assert_string_equal(argv[2], "4");
	char many[] = "a b c d e f g h i";
	assert_int_equal(cmd_split(many, argv), -1);
	char empty[] = "   ";
	assert_int_equal(cmd_split(empty, argv), 0);
}

static void test_editing_backspace_ctrl_c_history(void **state)
{
	struct line_editor le;
	(void)state;
	echoed[0] = '\0';
	le_init(&le, echo);
	assert_int_equal(feed(&le, "mdx\b\x7f" "d 1\r"), LE_LINE);
	assert_string_equal(le.buf, "md 1");
	assert_int_equal(feed(&le, "cpus\r"), LE_LINE);
	assert_int_equal(feed(&le, "junk\x03"), LE_CANCEL);
	assert_string_equal(le.buf, "");
	/* Up twice: the line before last; down once: the last. */
	feed(&le, "\x1b[A\x1b[A");
	assert_string_equal(le.buf, "md 1");
	feed(&le, "\x1b[B");
	assert_string_equal(le.buf, "cpus");
	assert_int_equal(feed(&le, "\r"), LE_LINE);
	assert_string_equal(le.buf, "cpus");
	/* Control and 8-bit bytes are dropped, a full line takes no more. */
	feed(&le, "\x01\x80\xff");
	assert_int_equal(le.len, 0);
	for (int i = 0; i < CMDLINE_MAX + 20; i++)
		le_feed(&le, 'a');
	assert_int_equal(le.len, CMDLINE_MAX);
	assert_int_equal(le_feed(&le, '\r'), LE_LINE);
	assert_int_equal(strlen(le.buf), CMDLINE_MAX);
	assert_non_null(strstr(echoed, "^C\n"));
}

static int calls;
static int count_args(int argc, char **argv)
{
	(void)argv;
	calls++;
	return argc;
}

static const struct command table[] = {
	{ "md", "<addr> [count]", "x", 1, 2, count_args },
	{ NULL, NULL, NULL, 0, 0, NULL },
};

static void test_exec(void **state)
{
	char a[] = "md 1 2", b[] = "md", c[] = "nope 1", d[] = "", e[] = "md 1 2 3";
	(void)state;
	echoed[0] = '\0';
	calls = 0;
	assert_int_equal(cmd_exec(table, a, echo), 3);
	assert_int_equal(cmd_exec(table, b, echo), -1);
	assert_non_null(strstr(echoed, "error: usage: md <addr> [count]\n"));
	assert_int_equal(cmd_exec(table, c, echo), -1);
	assert_non_null(strstr(echoed, "error: unknown command 'nope' (try help)\n"));
	assert_int_equal(cmd_exec(table, d, echo), 0);
	assert_int_equal(cmd_exec(table, e, echo), -1);
	assert_int_equal(calls, 1);
}

/* ---- uimage: real images from mkimage are the oracle ---------------------------------------- */

static const struct uimage_policy policy = {
	.ram_base = 0x60000000, .ram_size = 0x04000000, .hole_base = 0x63f00000, .hole_size = 0x100000,
};

static uint8_t *mkimage(const char *args, size_t *len)
{
	char cmd[512], data[96], out[96];

	snprintf(data, sizeof(data), "%s/data.bin", tmpdir);
	snprintf(out, sizeof(out), "%s/img.uimg", tmpdir);
	snprintf(cmd, sizeof(cmd), "head -c 5000 /dev/urandom > %s && mkimage -A arm -C none %s -d %s %s >/dev/null",
		 data, args, data, out);
	run(cmd);
	return slurp(out, len);
}

static void expect_refused(const uint8_t *img, size_t len, const char *reason)
{
	struct uimage_info info;
	char why[160];

	assert_int_equal(uimage_verify(img, len, &policy, &info, why, sizeof(why)), -1);
	if (strncmp(why, reason, strlen(reason)) != 0)
		fail_msg("expected '%s...', got '%s'", reason, why);
}

static void fix_hcrc(uint8_t *img)
{
	memset(img + 4, 0, 4);
	uint32_t c = crc32(0, img, 64);
	img[4] = (uint8_t)(c >> 24);
	img[5] = (uint8_t)(c >> 16);
	img[6] = (uint8_t)(c >> 8);
	img[7] = (uint8_t)c;
}

static void test_uimage(void **state)
{
	size_t len;
	struct uimage_info info;
	char why[160];
	(void)state;

	uint8_t *img = mkimage("-O u-boot -T standalone -a 0x60100000 -e 0x60100000 -n t", &len);
	assert_int_equal(uimage_verify(img, len, &policy, &info, why, sizeof(why)), 0);
	assert_int_equal(info.type, UIMAGE_TYPE_STANDALONE);
	assert_int_equal(info.load, 0x60100000);
	assert_int_equal(info.data_size, 5000);
	assert_string_equal(info.name, "t");

	expect_refused(img, 63, "image truncated: 63 bytes available");
	expect_refused(img, len - 1, "image truncated: header says 5000 data bytes");
	img[100] ^= 1;
	expect_refused(img, len, "bad data CRC");
	img[100] ^= 1;
	img[40] ^= 1;
	expect_refused(img, len, "bad header CRC");
	img[40] ^= 1;
	img[0] = 0;
	expect_refused(img, len, "bad magic 0x00051956");
	free(img);

	img = mkimage("-O u-boot -T standalone -a 0x63f00000 -e 0x63f00000", &len);
	expect_refused(img, len, "load range 0x63f00000-0x63f01388 overlaps muster's memory");
	free(img);
	img = mkimage("-O u-boot -T standalone -a 0x10000000 -e 0x10000000", &len);
	expect_refused(img, len, "load range 0x10000000-0x10001388 is outside RAM");
	free(img);
	img = mkimage("-O u-boot -T standalone -a 0x60100000 -e 0x60200000", &len);
	expect_refused(img, len, "entry 0x60200000 is outside the loaded standalone image");
	free(img);
	img = mkimage("-O linux -T script -a 0x60100000 -e 0x60100000", &len);
	expect_refused(img, len, "unsupported image type 6");
	free(img);
	img = mkimage("-O u-boot -T standalone -a 0x60100000 -e 0x60100000", &len);
	img[29] = 3; /* another architecture */
	fix_hcrc(img);
	expect_refused(img, len, "unsupported architecture 3");
	free(img);
}

static void test_uimage_multi(void **state)
{
	char cmd[512];
	size_t len;
	struct uimage_info info;
	char why[160];
	(void)state;

	snprintf(cmd, sizeof(cmd),
		 "cd %s && head -c 1001 /dev/urandom > k && head -c 7 /dev/urandom > i && head -c 64 /dev/urandom > d && "
		 "mkimage -A arm -O linux -T multi -C none -a 0x60008000 -e 0x60008000 -d k:i:d m.uimg >/dev/null",
		 tmpdir);
	run(cmd);
	snprintf(cmd, sizeof(cmd), "%s/m.uimg", tmpdir);
	uint8_t *img = slurp(cmd, &len);
	assert_int_equal(uimage_verify(img, len, &policy, &info, why, sizeof(why)), 0);
	assert_int_equal(info.nparts, 3);
	assert_int_equal(info.part[0].size, 1001);
	assert_int_equal(info.part[1].size, 7);
	assert_int_equal(info.part[2].size, 64);
	/* Parts follow the size table, each padded to 4 bytes. */
	assert_int_equal(info.part[0].offset, 64 + 16);
	assert_int_equal(info.part[1].offset, 64 + 16 + 1004);
	assert_int_equal(info.part[2].offset, 64 + 16 + 1004 + 8);
	free(img);
}

struct seen {
	unsigned n, marked, nostatus;
};

static void mark(uint32_t reg, char *status, uint32_t status_len, void *ctx)
{
	struct seen *s = ctx;

	s->n++;
	if (!status) {
		s->nostatus++;
		return;
	}
	if (reg == 2 && status_len >= 5) {
		memset(status, 0, status_len);
		memcpy(status, "fail", 5);
		s->marked++;
	}
}

/* ---- fdt: dtc builds the blob, fdtget reads back what the editor wrote --------------------- */

static void test_fdt_against_dtc(void **state)
{
	char cmd[1024], path[96];
	size_t len;
	(void)state;

	snprintf(cmd, sizeof(cmd),
		 "cd %s && printf '/dts-v1/;\\n/ {\\n #address-cells = <1>; #size-cells = <1>;\\n"
		 " chosen { bootargs = \"console=ttyAMA0 padding-padding-padding\"; };\\n"
		 " cpus { #address-cells = <1>; #size-cells = <0>;\\n"
		 "  cpu@0 { device_type = \"cpu\"; reg = <0>; status = \"okay\"; };\\n"
		 "  cpu@1 { device_type = \"cpu\"; reg = <1>; status = \"okay\"; };\\n"
		 "  cpu@2 { device_type = \"cpu\"; reg = <2>; status = \"okay\"; };\\n"
		 "  cpu@3 { device_type = \"cpu\"; reg = <3>; };\\n };\\n short { x = [01 02]; };\\n};\\n' > t.dts && dtc -q -O dtb -o t.dtb t.dts",
		 tmpdir);
	run(cmd);
	snprintf(path, sizeof(path), "%s/t.dtb", tmpdir);
	uint8_t *fdt = slurp(path, &len);
	char why[128];

	assert_int_equal(fdt_check(fdt, len, why, sizeof(why)), 0);
	assert_int_equal(fdt_check(fdt, 20, why, sizeof(why)), -1);
	uint32_t plen;
	char *ba = fdt_find_prop(fdt, "/chosen", "bootargs", &plen);
	assert_non_null(ba);
	assert_string_equal(ba, "console=ttyAMA0 padding-padding-padding");
	assert_null(fdt_find_prop(fdt, "/nope", "bootargs", &plen));
	assert_null(fdt_find_prop(fdt, "/chosen", "nope", &plen));
	uint32_t cell;
	assert_int_equal(fdt_get_cell(fdt, "/cpus/cpu@3", "reg", &cell), 0);
	assert_int_equal(cell, 3);
	assert_int_equal(fdt_get_cell(fdt, "/chosen", "nope", &cell), -1);
	assert_int_equal(fdt_get_cell(fdt, "/cpus/cpu@0", "device_type", &cell), 0); /* "cpu\0" is 4 bytes */
	assert_int_equal(fdt_get_cell(fdt, "/short", "x", &cell), -1); /* 2 bytes: too short for a cell */
	assert_int_equal(fdt_set_string_inplace(fdt, "/chosen", "bootargs", "quiet"), 0);
	assert_int_equal(fdt_set_string_inplace(fdt, "/chosen", "bootargs",
						"this one is far too long to fit where the old one was"), -1);

	/* Mark cpu@2 failed, as boot.c does for a CPU that is not online. */
	struct seen seen = { 0 };
	assert_int_equal(fdt_for_each_cpu(fdt, mark, &seen), 4);
	assert_int_equal(seen.marked, 1);
	assert_int_equal(seen.nostatus, 1);

	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(fdt, 1, len, f), len);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && test \"$(fdtget t.dtb /cpus/cpu@2 status)\" = fail && "
		 "test \"$(fdtget t.dtb /cpus/cpu@1 status)\" = okay && "
		 "test \"$(fdtget -t s t.dtb /chosen bootargs | sed 's/ *$//')\" = quiet && "
		 "dtc -q -I dtb -O dts t.dtb >/dev/null",
		 tmpdir);
	run(cmd);
	free(fdt);
}

/* ---- settings --------------------------------------------------------------------------- */

static void test_settings(void **state)
{
	struct settings_record rec = {
		.magic = SETTINGS_MAGIC, .version = SETTINGS_VERSION, .size = sizeof(rec),
		.ack_timeout_ms = 1234, .bootdelay_ms = 3000,
	};
	struct settings s;
	char why[128];
	(void)state;

	strcpy(rec.bootargs, "console=ttyAMA0");
	rec.crc = crc32(0, &rec, offsetof(struct settings_record, crc));
	assert_int_equal(settings_parse(&rec, &s, 5000, 2000, why, sizeof(why)), 0);
	assert_int_equal(s.ack_timeout_ms, 1234);
	assert_int_equal(s.bootdelay_ms, 3000);
	assert_string_equal(s.bootargs, "console=ttyAMA0");

	rec.bootargs[3] ^= 1;
	assert_int_equal(settings_parse(&rec, &s, 5000, 2000, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "settings record corrupt: CRC"));
	assert_int_equal(s.ack_timeout_ms, 5000); /* the defaults */
	assert_int_equal(s.bootdelay_ms, 2000);

	rec.bootargs[3] ^= 1;
	rec.ack_timeout_ms = 9999999;
	rec.crc = crc32(0, &rec, offsetof(struct settings_record, crc));
	assert_int_equal(settings_parse(&rec, &s, 5000, 2000, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "acknowledgment timeout 9999999 ms out of range"));

	memset(&rec, 0xff, sizeof(rec));
	assert_int_equal(settings_parse(&rec, &s, 5000, 2000, why, sizeof(why)), -1);
	assert_string_equal(why, "no settings record (magic 0xffffffff)");
}

/* ---- FIT: mkimage -f builds the images; each corrupt kind must be refused with its reason ---- */

/* An image node for the .its: data from file `f`, load and hash as given ("" for none). */
static void its_image(char *out, size_t n, const char *name, const char *type, const char *f, const char *extra,
		      const char *hash)
{
	snprintf(out, n,
		 "%s { data = /incbin/(\"%s\"); type = \"%s\"; arch = \"arm\"; os = \"linux\"; %s "
		 "%s };",
		 name, f, type, extra, hash);
}

/* Build a FIT in tmpdir from the images text and the configuration body; mkimage_flags "-E"
 * puts the data after the tree. */
static uint8_t *mkfit(const char *images, const char *confs, const char *mkimage_flags, size_t *len)
{
	char its[4096], cmd[512], path[96];
	FILE *f;

	snprintf(cmd, sizeof(cmd),
		 "cd %s && head -c 3001 /dev/urandom > k && head -c 777 /dev/urandom > r && head -c 100 /dev/urandom > m && "
		 "printf '/dts-v1/; / { #address-cells = <1>; #size-cells = <1>; chosen { }; };' | dtc -q -O dtb -o d.dtb -",
		 tmpdir);
	run(cmd);
	snprintf(its, sizeof(its), "/dts-v1/;\n/ { description = \"t\"; #address-cells = <1>; images { %s }; configurations { %s }; };\n",
		 images, confs);
	snprintf(path, sizeof(path), "%s/t.its", tmpdir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(its, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "cd %s && mkimage %s -f t.its t.itb >/dev/null", tmpdir, mkimage_flags);
	run(cmd);
	snprintf(path, sizeof(path), "%s/t.itb", tmpdir);
	return slurp(path, len);
}

#define SHA256 "hash-1 { algo = \"sha256\"; };"
#define CRC32 "hash-1 { algo = \"crc32\"; };"

static void expect_fit_refused(const uint8_t *img, size_t len, const char *reason)
{
	struct fit_info info;
	char why[160];

	assert_int_equal(fit_verify(img, len, &policy, &info, why, sizeof(why)), -1);
	if (!strstr(why, reason))
		fail_msg("expected '...%s...', got '%s'", reason, why);
}

/* The standard images: kernel 0x60008000 (sha256), ramdisk 0x62000000 (crc32), fdt (no load),
 * one loadable at `mod_load`; the kernel's load and hash as given. */
static uint8_t *std_fit(const char *kload, const char *khash, const char *rload, const char *mod_load,
			const char *conf, const char *flags, size_t *len)
{
	char k[256], r[256], d[256], m[256], images[1200], kx[128], rx[96], mx[96];

	snprintf(kx, sizeof(kx), "compression = \"none\"; load = <%s>; entry = <%s>;", kload, kload);
	snprintf(rx, sizeof(rx), "compression = \"none\"; load = <%s>;", rload);
	snprintf(mx, sizeof(mx), "load = <%s>;", mod_load);
	its_image(k, sizeof(k), "kernel-1", "kernel", "k", kx, khash);
	its_image(r, sizeof(r), "ramdisk-1", "ramdisk", "r", rx, CRC32);
	its_image(d, sizeof(d), "fdt-1", "flat_dt", "d.dtb", "", SHA256);
	its_image(m, sizeof(m), "xen-dom0", "kernel", "m", mx, SHA256);
	snprintf(images, sizeof(images), "%s %s %s %s", k, r, d, m);
	return mkfit(images, conf, flags, len);
}

#define STD_CONF "default = \"conf-1\"; conf-1 { kernel = \"kernel-1\"; ramdisk = \"ramdisk-1\"; " \
		 "fdt = \"fdt-1\"; loadables = \"xen-dom0\"; };"

static void test_fit(void **state)
{
	size_t len;
	struct fit_info info;
	char why[160];
	(void)state;

	for (int external = 0; external < 2; external++) {
		uint8_t *img = std_fit("0x60008000", SHA256, "0x62000000", "0x61000000", STD_CONF,
				       external ? "-E" : "", &len);
		if (fit_verify(img, len, &policy, &info, why, sizeof(why)))
			fail_msg("a good FIT refused: %s", why);
		assert_string_equal(info.config, "conf-1");
		assert_string_equal(info.kernel.name, "kernel-1");
		assert_int_equal(info.kernel.size, 3001);
		assert_int_equal(info.kernel.load, 0x60008000);
		assert_int_equal(info.kernel.entry, 0x60008000);
		assert_true(info.has_ramdisk && info.ramdisk.size == 777 && info.ramdisk.load == 0x62000000);
		assert_true(info.has_fdt && !info.fdt.has_load);
		assert_int_equal(info.nloadables, 1);
		assert_int_equal(info.loadable[0].load, 0x61000000);
		assert_int_equal(info.loadable[0].size, 100);
		assert_true(info.span <= len);
		/* The data muster would copy is the file mkimage was given. */
		char path[96];
		size_t klen;
		snprintf(path, sizeof(path), "%s/k", tmpdir);
		uint8_t *k = slurp(path, &klen);
		assert_memory_equal(info.kernel.data, k, klen);
		free(k);
		/* Corrupt one byte of each image's data: its hash must catch it. */
		uint8_t *kd = (uint8_t *)info.kernel.data, *rd = (uint8_t *)info.ramdisk.data;
		kd[1000] ^= 0x40;
		expect_fit_refused(img, len, "image 'kernel-1' fails its sha256 hash");
		kd[1000] ^= 0x40;
		rd[5] ^= 1;
		expect_fit_refused(img, len, "image 'ramdisk-1' fails its crc32 hash");
		rd[5] ^= 1;
		if (external) /* the last byte of external data missing from the window */
			expect_fit_refused(img, info.span - 1, "data lies outside the flash window");
		free(img);
	}

	/* Each corrupt kind, as the standard FIT with one thing changed, and the reason it must get. */
	static const struct {
		const char *kload, *khash, *rload, *mload, *conf, *reason;
	} bad[] = {
		{ "0x60008000", SHA256, "0x60008400", "0x61000000", STD_CONF,
		  "images 'ramdisk-1' and 'kernel-1' overlap in RAM" },
		{ "0x60008000", SHA256, "0x62000000", "0x63f00000", STD_CONF,
		  "image 'xen-dom0' load range 0x63f00000-0x63f00064 overlaps muster's memory" },
		{ "0x10000000", SHA256, "0x62000000", "0x61000000", STD_CONF,
		  "image 'kernel-1' load range 0x10000000-0x10000bb9 is outside RAM" },
		{ "0x60008000", "", "0x62000000", "0x61000000", STD_CONF, "image 'kernel-1' has no crc32 or sha256 hash" },
		{ "0x60008000", "hash-1 { algo = \"sha1\"; };", "0x62000000", "0x61000000", STD_CONF,
		  "image 'kernel-1' has no crc32 or sha256 hash" },
		{ "0x60008000", SHA256, "0x62000000", "0x61000000", "conf-1 { kernel = \"kernel-1\"; };",
		  "no default configuration" },
		{ "0x60008000", SHA256, "0x62000000", "0x61000000", "default = \"conf-2\"; conf-1 { kernel = \"kernel-1\"; };",
		  "configuration 'conf-2' is missing or names no kernel" },
		{ "0x60008000", SHA256, "0x62000000", "0x61000000", "default = \"c\"; c { kernel = \"ramdisk-1\"; };",
		  "image 'ramdisk-1' has the wrong type for its role (kernel)" },
		{ "0x60008000", SHA256, "0x62000000", "0x61000000",
		  "default = \"c\"; c { kernel = \"kernel-1\"; loadables = \"nope\"; };",
		  "the configuration's loadable 'nope' is not an image with a type" },
	};
	uint8_t *img;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		img = std_fit(bad[i].kload, bad[i].khash, bad[i].rload, bad[i].mload, bad[i].conf, "", &len);
		expect_fit_refused(img, len, bad[i].reason);
		free(img);
	}

	/* A compressed kernel, and a kernel entry outside its data. */
	char k[256], images[512];
	its_image(k, sizeof(k), "kernel-1", "kernel", "k",
		  "compression = \"gzip\"; load = <0x60008000>; entry = <0x60008000>;", SHA256);
	img = mkfit(k, "default = \"c\"; c { kernel = \"kernel-1\"; };", "", &len);
	expect_fit_refused(img, len, "image 'kernel-1' is compressed (gzip)");
	free(img);
	its_image(k, sizeof(k), "kernel-1", "kernel", "k", "load = <0x60008000>; entry = <0x60108000>;", CRC32);
	snprintf(images, sizeof(images), "%s", k);
	img = mkfit(images, "default = \"c\"; c { kernel = \"kernel-1\"; };", "", &len);
	expect_fit_refused(img, len, "kernel 'kernel-1' entry is outside its data");
	free(img);
	/* Not a device tree at all, and a truncated one. */
	img = std_fit("0x60008000", SHA256, "0x62000000", "0x61000000", STD_CONF, "", &len);
	expect_fit_refused(img, 100, "FIT: device tree: size");
	img[0] ^= 0xff;
	expect_fit_refused(img, len, "FIT: device tree: bad magic");
	free(img);
}

static void test_sha256(void **state)
{
	/* FIPS 180-4 examples (NIST CSRC "SHA256.pdf"): "abc" and the 448-bit two-block message. */
	static const uint8_t abc[32] = { 0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
					 0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
					 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad };
	static const uint8_t two[32] = { 0x24, 0x8d, 0x6a, 0x61, 0xd2, 0x06, 0x38, 0xb8, 0xe5, 0xc0, 0x26,
					 0x93, 0x0c, 0x3e, 0x60, 0x39, 0xa3, 0x3c, 0xe4, 0x59, 0x64, 0xff,
					 0x21, 0x67, 0xf6, 0xec, 0xed, 0xd4, 0x19, 0xdb, 0x06, 0xc1 };
	uint8_t out[32];
	(void)state;

	sha256("abc", 3, out);
	assert_memory_equal(out, abc, 32);
	sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, out);
	assert_memory_equal(out, two, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_u32),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_editing_backspace_ctrl_c_history),
		cmocka_unit_test(test_exec),
		cmocka_unit_test(test_uimage),
		cmocka_unit_test(test_uimage_multi),
		cmocka_unit_test(test_fdt_against_dtc),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_sha256),
	};
	return cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
}
