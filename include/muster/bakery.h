/* Lamport's bakery lock for up to PLAT_MAX_CPUS CPUs: mutual exclusion without LDREX/STREX. */
#ifndef MUSTER_BAKERY_H
#define MUSTER_BAKERY_H

#include <stdint.h>

#include <muster/mailbox.h>
#include <muster/platform.h>

/*
 * Exclusives are not guaranteed to work with the MMU off (all memory Strongly-ordered), where
 * the monitor runs; the bakery needs only ordered loads and stores. Each CPU writes only its
 * own ticket, one cache line per CPU: one writer per word, as in the mailbox.
 */
struct bakery_ticket {
	uint32_t choosing; /* 1 while this CPU picks its number */
	uint32_t number;   /* 0 = not waiting or holding; else its place in the queue */
	uint32_t pad[(MBOX_LINE_SIZE / 4) - 2];
} __attribute__((aligned(MBOX_LINE_SIZE)));

_Static_assert(sizeof(struct bakery_ticket) == MBOX_LINE_SIZE, "one ticket per cache line");

struct bakery_lock {
	struct bakery_ticket ticket[PLAT_MAX_CPUS];
};

void bakery_lock(struct bakery_lock *lock, unsigned me);
void bakery_unlock(struct bakery_lock *lock, unsigned me);

#endif
