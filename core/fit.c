/* FIT verification (U-Boot doc/usage/fit/source_file_format.rst): nothing is copied or run before it passes. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <muster/crc32.h>
#include <muster/endian.h>
#include <muster/fdt.h>
#include <muster/fit.h>
#include <muster/sha256.h>

#define PATH_MAX_LEN 96

struct ctx {
	void *fit;
	size_t avail;
	uint32_t fit_size; /* the device tree's totalsize; external data follows it, 4-aligned */
	uint32_t span;
	char *why;
	size_t why_len;
};

/* A property's value as a NUL-terminated string inside its length, or NULL. */
static const char *prop_str(void *fdt, const char *path, const char *prop, uint32_t *len_out)
{
	uint32_t len;
	const char *v = fdt_find_prop(fdt, path, prop, &len);

	if (!v || len == 0 || v[len - 1] != '\0')
		return NULL;
	if (len_out)
		*len_out = len;
	return v;
}

static int copy_name(char *dst, const char *src)
{
	size_t n = strlen(src);

	if (n == 0 || n >= FIT_NAME_MAX || strchr(src, '/'))
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

/* Hash nodes ("hash-1", "hash@1", ...) of one image: checked by hash_child for each child. */
struct hash_walk {
	struct ctx *c;
	const char *image_path;
	const uint8_t *data;
	uint32_t size;
	unsigned checked, bad;
	char bad_algo[16];
};

static void hash_child(const char *name, void *arg)
{
	struct hash_walk *h = arg;
	char path[PATH_MAX_LEN];
	uint32_t vlen;

	if (strncmp(name, "hash", 4) != 0 || (name[4] != '\0' && name[4] != '-' && name[4] != '@'))
		return; /* signatures and other nodes: not muster's business */
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", h->image_path, name) >= sizeof(path))
		return;
	const char *algo = prop_str(h->c->fit, path, "algo", NULL);
	const uint8_t *value = fdt_find_prop(h->c->fit, path, "value", &vlen);

	if (!algo || !value)
		return;
	if (strcmp(algo, "crc32") == 0) {
		h->checked++;
		if (vlen != 4 || get_be32(value) != crc32(0, h->data, h->size)) {
			h->bad++;
			snprintf(h->bad_algo, sizeof(h->bad_algo), "crc32");
		}
	} else if (strcmp(algo, "sha256") == 0) {
		uint8_t digest[SHA256_DIGEST_SIZE];

		h->checked++;
		sha256(h->data, h->size, digest);
		if (vlen != SHA256_DIGEST_SIZE || memcmp(value, digest, SHA256_DIGEST_SIZE) != 0) {
			h->bad++;
			snprintf(h->bad_algo, sizeof(h->bad_algo), "sha256");
		}
	}
	/* Other algorithms (sha1, md5, ...) are not checked; at least one known one must be there. */
}

static int __attribute__((format(printf, 2, 3))) fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, c->why_len, fmt, ap);
	va_end(ap);
	return -1;
}

/* Locate, type-check and hash-check the image `name` for role `role` ("kernel", ...). */
static int load_image(struct ctx *c, const char *name, const char *role, const char *want_type,
		      struct fit_image *out)
{
	char path[PATH_MAX_LEN];
	uint32_t len;

	if (copy_name(out->name, name) ||
	    (size_t)snprintf(path, sizeof(path), "/images/%s", name) >= sizeof(path))
		return fail(c, "FIT: %s image name '%s' is empty, too long or has a '/'", role, name);
	const char *type = prop_str(c->fit, path, "type", NULL);
	if (!type)
		return fail(c, "FIT: the configuration's %s '%s' is not an image with a type", role, name);
	if (want_type && strcmp(type, want_type) != 0)
		return fail(c, "FIT: image '%s' has the wrong type for its role (%s)", name, role);
	const char *arch = prop_str(c->fit, path, "arch", NULL);
	if (arch && strcmp(arch, "arm") != 0)
		return fail(c, "FIT: image '%s' is for arch '%s', not arm", name, arch);
	const char *comp = prop_str(c->fit, path, "compression", NULL);
	if (comp && strcmp(comp, "none") != 0)
		return fail(c, "FIT: image '%s' is compressed (%s): muster loads uncompressed images only", name,
			    comp);

	/* Its bytes: embedded "data", or "data-size" with "data-offset" (after the FIT, 4-aligned)
	 * or "data-position" (from the FIT's start). */
	const uint8_t *data = fdt_find_prop(c->fit, path, "data", &len);
	uint32_t start = 0, size = len;
	if (data) {
		start = (uint32_t)(data - (const uint8_t *)c->fit);
	} else {
		uint32_t off;

		if (fdt_get_cell(c->fit, path, "data-size", &size))
			return fail(c, "FIT: image '%s' has no data (neither data nor data-size)", name);
		if (!fdt_get_cell(c->fit, path, "data-position", &off)) {
			start = off;
		} else if (!fdt_get_cell(c->fit, path, "data-offset", &off)) {
			uint32_t base = (c->fit_size + 3U) & ~3U;
			if (off > UINT32_MAX - base)
				return fail(c, "FIT: image '%s' data-offset is out of range", name);
			start = base + off;
		} else {
			return fail(c, "FIT: image '%s' has data-size but no data-offset or data-position",
				    name);
		}
		if (start > c->avail || size > c->avail - start)
			return fail(c, "FIT: image '%s' data lies outside the flash window", name);
	}
	if (start + size > c->span)
		c->span = start + size;
	out->data = (const uint8_t *)c->fit + start;
	out->size = size;

	struct hash_walk h = { .c = c, .image_path = path, .data = out->data, .size = size };
	fdt_for_each_child(c->fit, path, hash_child, &h);
	if (h.bad)
		return fail(c, "FIT: image '%s' fails its %s hash: corrupt", name, h.bad_algo);
	if (!h.checked)
		return fail(c, "FIT: image '%s' has no crc32 or sha256 hash: muster runs nothing unverified",
			    name);

	out->has_load = !fdt_get_cell(c->fit, path, "load", &out->load);
	if (!out->has_load && strcmp(role, "fdt") != 0)
		return fail(c, "FIT: image '%s' (%s) has no load address", name, role);
	if (fdt_get_cell(c->fit, path, "entry", &out->entry))
		out->entry = out->load;
	return 0;
}

static int range_check(struct ctx *c, const struct uimage_policy *p, const struct fit_image *im)
{
	char a[40];
	uint32_t ram_end = p->ram_base + p->ram_size;

	if (!im->has_load)
		return 0;
	snprintf(a, sizeof(a), "0x%08lx-0x%08lx", (unsigned long)im->load, (unsigned long)im->load + im->size);
	if (im->load < p->ram_base || im->size > ram_end - im->load)
		return fail(c, "FIT: image '%s' load range %s is outside RAM", im->name, a);
	if (im->load < p->hole_base + p->hole_size && p->hole_base < im->load + im->size)
		return fail(c, "FIT: image '%s' load range %s overlaps muster's memory", im->name, a);
	uintptr_t fit = (uintptr_t)c->fit;
	if (im->load < fit + c->span && fit < (uintptr_t)im->load + im->size)
		return fail(c, "FIT: image '%s' load range %s overlaps the FIT itself", im->name, a);
	return 0;
}

int fit_verify(const uint8_t *img, size_t avail, const struct uimage_policy *policy, struct fit_info *info,
	       char *why, size_t why_len)
{
	struct ctx c = { .fit = (void *)(uintptr_t)img, .avail = avail, .why = why, .why_len = why_len };
	char fdt_why[96], path[PATH_MAX_LEN];
	uint32_t len;

	memset(info, 0, sizeof(*info));
	if (fdt_check(img, avail, fdt_why, sizeof(fdt_why)))
		return fail(&c, "FIT: %s", fdt_why);
	c.fit_size = fdt_totalsize(img);
	c.span = c.fit_size;

	const char *conf = prop_str(c.fit, "/configurations", "default", NULL);
	if (!conf)
		return fail(&c, "FIT: no default configuration (/configurations/default)");
	if (copy_name(info->config, conf) ||
	    (size_t)snprintf(path, sizeof(path), "/configurations/%s", conf) >= sizeof(path))
		return fail(&c, "FIT: configuration name '%s' is empty, too long or has a '/'", conf);
	const char *kernel = prop_str(c.fit, path, "kernel", NULL);
	if (!kernel)
		return fail(&c, "FIT: configuration '%s' is missing or names no kernel", conf);
	if (load_image(&c, kernel, "kernel", "kernel", &info->kernel))
		return -1;
	char kpath[PATH_MAX_LEN];
	snprintf(kpath, sizeof(kpath), "/images/%s", info->kernel.name);
	const char *kos = prop_str(c.fit, kpath, "os", NULL);
	if (!kos || strcmp(kos, "linux") != 0)
		return fail(&c, "FIT: kernel '%s' is for os '%s': muster boots the Linux protocol only", kernel,
			    kos ? kos : "(none)");

	const char *ramdisk = prop_str(c.fit, path, "ramdisk", NULL);
	if (ramdisk) {
		if (load_image(&c, ramdisk, "ramdisk", "ramdisk", &info->ramdisk))
			return -1;
		info->has_ramdisk = 1;
	}
	const char *fdt = prop_str(c.fit, path, "fdt", NULL);
	if (fdt) {
		if (load_image(&c, fdt, "fdt", "flat_dt", &info->fdt))
			return -1;
		if (fdt_check(info->fdt.data, info->fdt.size, fdt_why, sizeof(fdt_why)))
			return fail(&c, "FIT: fdt '%s': %s", fdt, fdt_why);
		info->has_fdt = 1;
	}
	const char *list = prop_str(c.fit, path, "loadables", &len);
	for (const char *p = list; p && p < list + len; p += strlen(p) + 1) {
		if (info->nloadables == FIT_MAX_LOADABLES)
			return fail(&c, "FIT: configuration '%s' lists more than %d loadables", conf, FIT_MAX_LOADABLES);
		if (load_image(&c, p, "loadable", NULL, &info->loadable[info->nloadables]))
			return -1;
		info->nloadables++;
	}

	/* Ranges, once c.span covers every image's bytes: RAM, muster, the FIT, each other. */
	struct fit_image *all[3 + FIT_MAX_LOADABLES] = { &info->kernel };
	unsigned n = 1;
	if (info->has_ramdisk)
		all[n++] = &info->ramdisk;
	if (info->has_fdt)
		all[n++] = &info->fdt;
	for (unsigned i = 0; i < info->nloadables; i++)
		all[n++] = &info->loadable[i];
	for (unsigned i = 0; i < n; i++) {
		if (range_check(&c, policy, all[i]))
			return -1;
		for (unsigned j = 0; j < i; j++) {
			const struct fit_image *x = all[i], *y = all[j];
			/* The same image named twice (e.g. as ramdisk and as a loadable) is one range. */
			if (!x->has_load || !y->has_load || x->data == y->data)
				continue;
			if (x->load < y->load + y->size && y->load < x->load + x->size)
				return fail(&c, "FIT: images '%s' and '%s' overlap in RAM", x->name, y->name);
		}
	}
	if (info->kernel.entry < info->kernel.load || info->kernel.entry - info->kernel.load >= info->kernel.size)
		return fail(&c, "FIT: kernel '%s' entry is outside its data", kernel);
	info->span = c.span;
	return 0;
}
