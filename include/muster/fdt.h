/* A small in-place device-tree editor: enough to mark CPUs failed and set boot arguments. */
#ifndef MUSTER_FDT_H
#define MUSTER_FDT_H

#include <stddef.h>
#include <stdint.h>

#define FDT_MAGIC 0xd00dfeedU

/* 0 when `fdt` is a well-formed flattened device tree of at most `max` bytes; else -1 and why. */
int fdt_check(const void *fdt, size_t max, char *why, size_t why_len);
uint32_t fdt_totalsize(const void *fdt);

/* Find property `prop` of the node at absolute `path` ("/chosen"); its value and length, or NULL. */
void *fdt_find_prop(void *fdt, const char *path, const char *prop, uint32_t *len);

/* The last 32-bit cell of a property (a one- or two-cell number): 0, or -1 if absent or short. */
int fdt_get_cell(void *fdt, const char *path, const char *prop, uint32_t *out);

/*
 * Overwrite a string property in place: the new value (with its NUL) must fit the old length;
 * the rest is filled with NULs. 0, or -1 (absent, or too long).
 */
int fdt_set_string_inplace(void *fdt, const char *path, const char *prop, const char *value);

/*
 * For each child of /cpus named "cpu@...", call fn(reg, status value or NULL, status length).
 * Returns the number of CPU nodes seen.
 */
int fdt_for_each_cpu(void *fdt, void (*fn)(uint32_t reg, char *status, uint32_t status_len, void *ctx),
		     void *ctx);

/*
 * Delete in place (overwrite with FDT_NOP) every /cpus/cpu@* node for which drop(reg) is true, and
 * each /cpus/cpu-map node whose "cpu" names a deleted node. Returns the number of CPU nodes deleted.
 */
int fdt_drop_cpus(void *fdt, int (*drop)(uint32_t reg, const void *ctx), const void *ctx);

/*
 * For each child node of the node at absolute `path` ("/images"), call fn(its name). Returns the
 * number of children seen (0 when the node is absent).
 */
int fdt_for_each_child(void *fdt, const char *path, void (*fn)(const char *name, void *ctx), void *ctx);

/*
 * 1 when [addr, addr + len) lies inside one bank of the root's /memory nodes' reg (the RAM the
 * device tree tells the OS about; #address-cells and #size-cells of 1 or 2, banks above 4 GiB
 * ignored), 0 when it does not, -1 when the tree describes no memory bank.
 */
int fdt_memory_contains(void *fdt, uint32_t addr, uint32_t len);

#endif
