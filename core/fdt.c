/* Flattened device tree (DTSpec v0.3 ch. 5) walker and in-place editor; nothing here grows the blob. */
#include <string.h>
#include <stdio.h>

#include <muster/endian.h>
#include <muster/fdt.h>

#define FDT_BEGIN_NODE 1U
#define FDT_END_NODE 2U
#define FDT_PROP 3U
#define FDT_NOP 4U
#define FDT_END 9U
#define FDT_MAX_DEPTH 16

struct fdt_header {
	uint32_t magic, totalsize, off_dt_struct, off_dt_strings, off_mem_rsvmap, version,
		last_comp_version, boot_cpuid_phys, size_dt_strings, size_dt_struct;
};

static uint32_t hdr(const void *fdt, unsigned field)
{
	return get_be32((const uint8_t *)fdt + field * 4U);
}

uint32_t fdt_totalsize(const void *fdt)
{
	return hdr(fdt, 1);
}

int fdt_check(const void *fdt, size_t max, char *why, size_t why_len)
{
	if (max < sizeof(struct fdt_header)) {
		snprintf(why, why_len, "device tree truncated: %lu bytes", (unsigned long)max);
		return -1;
	}
	uint32_t magic = hdr(fdt, 0), total = hdr(fdt, 1), off_struct = hdr(fdt, 2),
		 off_strings = hdr(fdt, 3), version = hdr(fdt, 5), size_strings = hdr(fdt, 8),
		 size_struct = hdr(fdt, 9);
	if (magic != FDT_MAGIC) {
		snprintf(why, why_len, "device tree: bad magic 0x%08lx", (unsigned long)magic);
		return -1;
	}
	if (total > max || version < 17) {
		snprintf(why, why_len, "device tree: size %lu (have %lu) or version %lu (need 17) wrong",
			 (unsigned long)total, (unsigned long)max, (unsigned long)version);
		return -1;
	}
	if (off_struct > total || size_struct > total - off_struct || off_strings > total ||
	    size_strings > total - off_strings || (off_struct & 3U)) {
		snprintf(why, why_len, "device tree: blocks outside its %lu bytes", (unsigned long)total);
		return -1;
	}
	return 0;
}

/* The walk: calls `visit` for every property with the node path depth stack. */
struct walk {
	uint8_t *base;
	uint32_t off, end;
	uint32_t tok_off; /* where the token next_token returned begins (NOPs before it included) */
	const char *strings;
	uint32_t strings_size;
};

/* Next token at w->off; advances past it. Returns the token, or FDT_END on any malformation. */
static uint32_t next_token(struct walk *w, const char **name, uint8_t **value, uint32_t *len)
{
	w->tok_off = w->off;
	for (;;) {
		if (w->off + 4 > w->end)
			return FDT_END;
		uint32_t tok = get_be32(w->base + w->off);
		w->off += 4;
		if (tok == FDT_NOP)
			continue;
		if (tok == FDT_BEGIN_NODE) {
			const char *n = (const char *)w->base + w->off;
			size_t nl = strnlen(n, w->end - w->off);
			if (w->off + nl >= w->end)
				return FDT_END;
			*name = n;
			w->off += ((uint32_t)nl + 4U) & ~3U;
			return tok;
		}
		if (tok == FDT_PROP) {
			if (w->off + 8 > w->end)
				return FDT_END;
			uint32_t l = get_be32(w->base + w->off), nameoff = get_be32(w->base + w->off + 4);
			w->off += 8;
			if (l > w->end - w->off || nameoff >= w->strings_size)
				return FDT_END;
			*name = w->strings + nameoff;
			*value = w->base + w->off;
			*len = l;
			w->off += (l + 3U) & ~3U;
			return tok;
		}
		return tok; /* END_NODE, END, or garbage (treated as END by callers) */
	}
}

static void walk_init(struct walk *w, void *fdt)
{
	w->base = fdt;
	w->off = hdr(fdt, 2);
	w->end = hdr(fdt, 2) + hdr(fdt, 9);
	w->strings = (const char *)fdt + hdr(fdt, 3);
	w->strings_size = hdr(fdt, 8);
}

/* Does path component `comp` (up to '/' or NUL) equal node name `name`? */
static int comp_eq(const char *comp, size_t clen, const char *name)
{
	return strlen(name) == clen && memcmp(comp, name, clen) == 0;
}

/* Entering node `name` at `depth`: if it is the next component of the path, match it. */
static void path_descend(const char **rest, int *matched, int depth, const char *name)
{
	if (*matched != depth - 2 || **rest != '/')
		return;
	const char *comp = *rest + 1, *slash = strchr(comp, '/');
	size_t clen = slash ? (size_t)(slash - comp) : strlen(comp);

	if (comp_eq(comp, clen, name)) {
		(*matched)++;
		*rest = comp + clen;
	}
}

void *fdt_find_prop(void *fdt, const char *path, const char *prop, uint32_t *len)
{
	struct walk w;
	const char *name = NULL;
	uint8_t *value = NULL;
	uint32_t l = 0;
	int depth = 0, matched = 0; /* path components matched so far, at depths 1..matched */
	const char *rest = strcmp(path, "/") == 0 ? "" : path; /* "/": the root node's own properties */

	walk_init(&w, fdt);
	for (;;) {
		uint32_t tok = next_token(&w, &name, &value, &l);

		if (tok == FDT_BEGIN_NODE) {
			depth++;
			if (depth == 1)
				continue; /* the root node, name "" */
			path_descend(&rest, &matched, depth, name);
		} else if (tok == FDT_END_NODE) {
			if (matched == depth - 1 && depth > 1)
				return NULL; /* left the node we were inside without finding it */
			depth--;
			if (depth < 0)
				return NULL;
		} else if (tok == FDT_PROP) {
			if (matched == depth - 1 && *rest == '\0' && strcmp(name, prop) == 0) {
				*len = l;
				return value;
			}
		} else {
			return NULL;
		}
	}
}

int fdt_get_cell(void *fdt, const char *path, const char *prop, uint32_t *out)
{
	uint32_t len;
	const uint8_t *value = fdt_find_prop(fdt, path, prop, &len);

	if (!value || len < 4)
		return -1;
	*out = get_be32(value + len - 4); /* the low cell: one- or two-cell values below 4 GiB */
	return 0;
}

int fdt_set_string_inplace(void *fdt, const char *path, const char *prop, const char *value)
{
	uint32_t len;
	char *old = fdt_find_prop(fdt, path, prop, &len);
	size_t need = strlen(value) + 1;

	if (!old || need > len)
		return -1;
	memset(old, 0, len);
	memcpy(old, value, need);
	return 0;
}

int fdt_for_each_cpu(void *fdt, void (*fn)(uint32_t reg, char *status, uint32_t status_len, void *ctx),
		     void *ctx)
{
	struct walk w;
	const char *name = NULL;
	uint8_t *value = NULL;
	uint32_t l = 0, reg = 0, status_len = 0;
	int depth = 0, in_cpus = 0, in_cpu = 0, count = 0, have_reg = 0;
	char *status = NULL;

	walk_init(&w, fdt);
	for (;;) {
		uint32_t tok = next_token(&w, &name, &value, &l);

		if (tok == FDT_BEGIN_NODE) {
			depth++;
			if (depth == 2 && strcmp(name, "cpus") == 0)
				in_cpus = 1;
			else if (depth == 3 && in_cpus && strncmp(name, "cpu@", 4) == 0) {
				in_cpu = 1;
				have_reg = 0;
				status = NULL;
				status_len = 0;
			}
		} else if (tok == FDT_END_NODE) {
			if (depth == 3 && in_cpu) {
				if (have_reg)
					fn(reg, status, status_len, ctx);
				count += have_reg;
				in_cpu = 0;
			} else if (depth == 2) {
				in_cpus = 0;
			}
			if (--depth < 0)
				return count;
		} else if (tok == FDT_PROP) {
			if (depth == 3 && in_cpu && strcmp(name, "reg") == 0 && l >= 4) {
				reg = get_be32(value + l - 4); /* the last cell: one- or two-cell addresses */
				have_reg = 1;
			} else if (depth == 3 && in_cpu && strcmp(name, "status") == 0) {
				status = (char *)value;
				status_len = l;
			}
		} else {
			return count;
		}
	}
}

int fdt_for_each_child(void *fdt, const char *path, void (*fn)(const char *name, void *ctx), void *ctx)
{
	struct walk w;
	const char *name = NULL;
	uint8_t *value = NULL;
	uint32_t l = 0;
	int depth = 0, matched = 0, count = 0;
	const char *rest = strcmp(path, "/") == 0 ? "" : path;

	walk_init(&w, fdt);
	for (;;) {
		uint32_t tok = next_token(&w, &name, &value, &l);

		if (tok == FDT_BEGIN_NODE) {
			depth++;
			if (depth == 1)
				continue; /* the root node, name "" */
			if (matched == depth - 2 && *rest == '\0') {
				fn(name, ctx); /* a child of the node `path` names */
				count++;
			} else {
				path_descend(&rest, &matched, depth, name);
			}
		} else if (tok == FDT_END_NODE) {
			if (matched == depth - 1 && depth > 1 && *rest == '\0')
				return count; /* the end of the node `path` names */
			depth--;
			if (depth < 0)
				return count;
		} else if (tok != FDT_PROP) {
			return count;
		}
	}
}

/* Overwrite [start, end) of the structure block with FDT_NOP tokens: the node is gone in place. */
static void nop_range(struct walk *w, uint32_t start, uint32_t end)
{
	for (uint32_t off = start; off + 4 <= end; off += 4) {
		w->base[off] = 0;
		w->base[off + 1] = 0;
		w->base[off + 2] = 0;
		w->base[off + 3] = FDT_NOP;
	}
}

#define FDT_MAX_DROPPED 32

int fdt_drop_cpus(void *fdt, int (*drop)(uint32_t reg, const void *ctx), const void *ctx)
{
	struct walk w;
	const char *name = NULL;
	uint8_t *value = NULL;
	uint32_t l = 0, reg = 0, phandle = 0, start = 0, dropped_phandles[FDT_MAX_DROPPED];
	int depth = 0, in_cpus = 0, in_cpu = 0, have_reg = 0, dropped = 0, nphandles = 0;

	/* Pass 1: /cpus/cpu@* nodes the caller drops; remember their phandles. */
	walk_init(&w, fdt);
	for (;;) {
		uint32_t tok = next_token(&w, &name, &value, &l);

		if (tok == FDT_BEGIN_NODE) {
			depth++;
			if (depth == 2 && strcmp(name, "cpus") == 0) {
				in_cpus = 1;
			} else if (depth == 3 && in_cpus && strncmp(name, "cpu@", 4) == 0) {
				in_cpu = 1;
				have_reg = 0;
				phandle = 0;
				start = w.tok_off;
			}
		} else if (tok == FDT_END_NODE) {
			if (depth == 3 && in_cpu) {
				in_cpu = 0;
				if (have_reg && drop(reg, ctx)) {
					nop_range(&w, start, w.off);
					dropped++;
					if (phandle && nphandles < FDT_MAX_DROPPED)
						dropped_phandles[nphandles++] = phandle;
				}
			} else if (depth == 2) {
				in_cpus = 0;
			}
			if (--depth < 0)
				break;
		} else if (tok == FDT_PROP) {
			if (depth == 3 && in_cpu && strcmp(name, "reg") == 0 && l >= 4) {
				reg = get_be32(value + l - 4);
				have_reg = 1;
			} else if (depth == 3 && in_cpu && strcmp(name, "phandle") == 0 && l == 4) {
				phandle = get_be32(value);
			}
		} else {
			break;
		}
	}
	if (!nphandles)
		return dropped;

	/* Pass 2: nodes under /cpus/cpu-map whose "cpu" names a dropped CPU (a dangling phandle there
	 * makes an OS discard the whole topology). Node starts are kept per depth. */
	uint32_t starts[FDT_MAX_DEPTH + 1];
	int in_map = 0;

	depth = 0;
	in_cpus = 0;
	walk_init(&w, fdt);
	for (;;) {
		uint32_t tok = next_token(&w, &name, &value, &l);

		if (tok == FDT_BEGIN_NODE) {
			depth++;
			if (depth > FDT_MAX_DEPTH)
				return dropped;
			starts[depth] = w.tok_off;
			if (depth == 2 && strcmp(name, "cpus") == 0)
				in_cpus = 1;
			else if (depth == 3 && in_cpus && strcmp(name, "cpu-map") == 0)
				in_map = 1;
		} else if (tok == FDT_END_NODE) {
			if (depth == 3)
				in_map = 0;
			if (depth == 2)
				in_cpus = 0;
			if (--depth < 0)
				return dropped;
		} else if (tok == FDT_PROP) {
			if (in_map && depth > 3 && strcmp(name, "cpu") == 0 && l == 4) {
				uint32_t ph = get_be32(value);

				for (int i = 0; i < nphandles; i++) {
					if (ph != dropped_phandles[i])
						continue;
					/* Skip to this node's end, then NOP all of it. */
					int d = 1;
					while (d > 0) {
						uint32_t t = next_token(&w, &name, &value, &l);
						if (t == FDT_BEGIN_NODE)
							d++;
						else if (t == FDT_END_NODE)
							d--;
						else if (t != FDT_PROP)
							return dropped;
					}
					nop_range(&w, starts[depth], w.off);
					depth--;
					break;
				}
			}
		} else {
			return dropped;
		}
	}
}

/* The names of the root's memory nodes ("memory", "memory@..."), as many as fit. */
struct memory_nodes {
	char name[8][40];
	unsigned count;
};

static void collect_memory(const char *name, void *ctx)
{
	struct memory_nodes *m = ctx;
	size_t n = strlen(name);

	if ((strcmp(name, "memory") == 0 || strncmp(name, "memory@", 7) == 0) && m->count < 8 &&
	    n + 2 <= sizeof(m->name[0])) {
		m->name[m->count][0] = '/';
		memcpy(&m->name[m->count][1], name, n + 1);
		m->count++;
	}
}

/* A cell count of the root (#address-cells, #size-cells), or `dflt` where it is absent. */
static uint32_t root_cells(void *fdt, const char *prop, uint32_t dflt)
{
	uint32_t v;

	return fdt_get_cell(fdt, "/", prop, &v) ? dflt : v;
}

int fdt_memory_contains(void *fdt, uint32_t addr, uint32_t len)
{
	struct memory_nodes m = { .count = 0 };
	/* Defaults from the Devicetree Specification (v0.4, 2.3.5): 2 address cells, 1 size cell. */
	uint32_t ac = root_cells(fdt, "#address-cells", 2), sc = root_cells(fdt, "#size-cells", 1);
	int banks = 0;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return -1;
	fdt_for_each_child(fdt, "/", collect_memory, &m);
	for (unsigned i = 0; i < m.count; i++) {
		uint32_t plen;
		const uint8_t *reg = fdt_find_prop(fdt, m.name[i], "reg", &plen);

		for (uint32_t off = 0; reg && off + 4U * (ac + sc) <= plen; off += 4U * (ac + sc)) {
			uint32_t base_hi = ac == 2 ? get_be32(reg + off) : 0;
			uint32_t base = get_be32(reg + off + 4U * (ac - 1U));
			uint32_t size_hi = sc == 2 ? get_be32(reg + off + 4U * ac) : 0;
			uint32_t size = get_be32(reg + off + 4U * (ac + sc - 1U));

			banks++;
			if (base_hi != 0)
				continue; /* above 4 GiB: not where a 32-bit muster places anything */
			/* A bank reaching past 4 GiB covers everything from its base up. */
			uint64_t end = size_hi ? 0x100000000ULL : (uint64_t)base + size;

			if (addr >= base && (uint64_t)addr + len <= end)
				return 1;
		}
	}
	return banks ? 0 : -1;
}
