/* The per-CPU mailbox: the one memory layout that the coordinator, the secondaries and payloads share. */
#ifndef MUSTER_MAILBOX_H
#define MUSTER_MAILBOX_H

/*
 * One slot per CPU, two cache lines each. The command line is written only by the releaser
 * (muster's coordinator, or later a Secure payload: a Non-secure OS uses PSCI instead, see
 * bootinfo.h); the status line only by the CPU that owns the slot. Keeping the two writers on separate lines means a CPU that runs with its data cache on
 * can clean or invalidate its own line without ever overwriting the other writer's words.
 * Offsets are given as numbers too, for assembly and for payloads written in other languages.
 */
#define MBOX_LINE_SIZE 64 /* largest ARMv7-A cache writeback granule (Cortex-A15) */
#define MBOX_SLOT_SIZE (2 * MBOX_LINE_SIZE)

/* Command line: written by the releaser only. */
#define MBOX_CMD_MAGIC 0x00   /* MBOX_CMD_VALID when the fields below are published */
#define MBOX_CMD_EPOCH 0x04   /* the owner's boot epoch this command is addressed to */
#define MBOX_CMD_GEN 0x08     /* release generation, 1..0xffffff, new for every release */
#define MBOX_CMD_ENTRY 0x0c   /* address the owner branches to after PROCEED */
#define MBOX_CMD_ARG 0x10     /* value passed in r0 to the entry */
#define MBOX_CMD_CHECK 0x14   /* mbox_cmd_check() of the five words above */
#define MBOX_CMD_VERDICT 0x18 /* (gen << 8) | MBOX_VERDICT_*; 0 = no verdict yet */
/* Non-zero: the owner is about to be held in reset; it sleeps without its poll timer from now on
 * (a timer armed when the core stops would outlive it into its next start, perhaps an OS's). */
#define MBOX_CMD_QUIESCE 0x1c

/* Status line: written by the owning CPU only. */
#define MBOX_ST_MAGIC 0x40      /* MBOX_ST_VALID once the owner has written the line this boot */
#define MBOX_ST_EPOCH 0x44      /* incremented by the owner on every reset */
#define MBOX_ST_ACK 0x48        /* (gen << 8) | MBOX_STATE_*: the owner's state and the generation it refers to */
#define MBOX_ST_STAGE 0x4c      /* breadcrumb: (gen << 8) | last MBOX_STAGE_* the owner reached */
#define MBOX_ST_MPIDR 0x50      /* the owner's MPIDR, as it read it */
#define MBOX_ST_WAKEUPS 0x54    /* wake-ups (the board's wake-up interrupt) the pen took; its polls not counted */
#define MBOX_ST_FAULT 0x58      /* MBOX_FAULT_*: exception the owner took, 0 = none */
#define MBOX_ST_FAULT_PC 0x5c   /* address of the faulting instruction */
#define MBOX_ST_FAULT_ADDR 0x60 /* DFAR / IFAR for aborts, else 0 */
/*
 * Commands and verdicts the pen took without a wake-up: its periodic poll found them still
 * unannounced after MUSTER_PEN_UNWOKEN_POLLS polls (include/muster/smp.h). Non-zero means a
 * releaser published and then forgot the wake-up, or sent only SEV (which does not end WFI).
 */
#define MBOX_ST_UNWOKEN 0x64
#define MBOX_ST_QUIESCED 0x68 /* the MBOX_CMD_QUIESCE value the owner obeys (its timer is disarmed) */

#define MBOX_CMD_VALID 0x4d55434dU /* "MUCM" */
#define MBOX_ST_VALID 0x4d555354U  /* "MUST" */
#define MBOX_CHECK_SALT 0xa5c3e187U

#define MBOX_GEN_MASK 0xffffffU

/* Verdicts: written by the releaser into MBOX_CMD_VERDICT, tagged with the generation. */
#define MBOX_VERDICT_PROCEED 0x50 /* 'P': go on; final for this generation */
#define MBOX_VERDICT_ABANDON 0x41 /* 'A': stay parked; final for this generation */

/* Owner states, in MBOX_ST_ACK. */
#define MBOX_STATE_PARKED 0x01  /* waiting for a command; gen = last one handled (0 = none) */
#define MBOX_STATE_ARRIVED 0x02 /* took command gen, waits for the verdict */
#define MBOX_STATE_ONLINE 0x03  /* saw PROCEED for gen and acknowledges it; runs the entry */
#define MBOX_STATE_FAULTED 0x04 /* took an exception; gen = last command seen; stays stopped */

/* Breadcrumbs, in the order a secondary passes them. */
#define MBOX_STAGE_RESET 0x01   /* entered C, epoch bumped */
#define MBOX_STAGE_PEN 0x02     /* interrupt interface set up, waiting in the pen */
#define MBOX_STAGE_CMD 0x03     /* took a valid command */
#define MBOX_STAGE_ARRIVED 0x04 /* announced ARRIVED, waiting for the verdict */
#define MBOX_STAGE_PROCEED 0x05 /* saw PROCEED */
#define MBOX_STAGE_ENTRY 0x06   /* running the entry */

#define MBOX_FAULT_UNDEF 1
#define MBOX_FAULT_SVC 2
#define MBOX_FAULT_PABT 3
#define MBOX_FAULT_DABT 4
#define MBOX_FAULT_IRQ 5
#define MBOX_FAULT_FIQ 6

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

#include <muster/arch.h>

struct mbox_slot {
	/* command line: releaser writes */
	uint32_t cmd_magic;
	uint32_t cmd_epoch;
	uint32_t cmd_gen;
	uint32_t cmd_entry;
	uint32_t cmd_arg;
	uint32_t cmd_check;
	uint32_t cmd_verdict;
	uint32_t cmd_quiesce;
	uint32_t cmd_pad[(MBOX_LINE_SIZE / 4) - 8];
	/* status line: owner writes */
	uint32_t st_magic;
	uint32_t st_epoch;
	uint32_t st_ack;
	uint32_t st_stage;
	uint32_t st_mpidr;
	uint32_t st_wakeups;
	uint32_t st_fault;
	uint32_t st_fault_pc;
	uint32_t st_fault_addr;
	uint32_t st_unwoken;
	uint32_t st_quiesced;
	uint32_t st_pad[(MBOX_LINE_SIZE / 4) - 11];
} __attribute__((aligned(MBOX_LINE_SIZE)));

_Static_assert(sizeof(struct mbox_slot) == MBOX_SLOT_SIZE, "slot is two cache lines");
_Static_assert(offsetof(struct mbox_slot, cmd_magic) == MBOX_CMD_MAGIC, "ABI offset");
_Static_assert(offsetof(struct mbox_slot, cmd_epoch) == MBOX_CMD_EPOCH, "ABI offset");
_Static_assert(offsetof(struct mbox_slot, cmd_gen) == MBOX_CMD_GEN, "ABI offset");
_Static_assert(offsetof(struct mbox_slot, cmd_entry) == MBOX_CMD_ENTRY, "ABI offset");
_Static_assert(offsetof(struct mbox_slot, cmd_arg) == MBOX_CMD_ARG, "ABI offset");
_Static_assert(offsetof(struct mbox_slot, cmd_check) == MBOX_CMD_CHECK, "ABI offset");
_Static_assert(offsetof(struct mbox_slot, cmd_verdict) == MBOX_CMD_VERDICT, "ABI offset");
_Static_assert(offsetof(struct mbox_slot, cmd_quiesce) == MBOX_CMD_QUIESCE, "ABI offset");
_Static_assert(offsetof(struct mbox_slot, st_magic) == MBOX_ST_MAGIC, "ABI offset");
_Static_assert(offsetof(struct mbox_slot, st_epoch) == MBOX_ST_EPOCH, "ABI offset");
_Static_assert(offsetof(struct mbox_slot, st_ack) == MBOX_ST_ACK, "ABI offset");
_Static_assert(offsetof(struct mbox_slot, st_stage) == MBOX_ST_STAGE, "ABI offset");
_Static_assert(offsetof(struct mbox_slot, st_mpidr) == MBOX_ST_MPIDR, "ABI offset");
_Static_assert(offsetof(struct mbox_slot, st_wakeups) == MBOX_ST_WAKEUPS, "ABI offset");
_Static_assert(offsetof(struct mbox_slot, st_fault) == MBOX_ST_FAULT, "ABI offset");
_Static_assert(offsetof(struct mbox_slot, st_fault_pc) == MBOX_ST_FAULT_PC, "ABI offset");
_Static_assert(offsetof(struct mbox_slot, st_fault_addr) == MBOX_ST_FAULT_ADDR, "ABI offset");
_Static_assert(offsetof(struct mbox_slot, st_unwoken) == MBOX_ST_UNWOKEN, "ABI offset");
_Static_assert(offsetof(struct mbox_slot, st_quiesced) == MBOX_ST_QUIESCED, "ABI offset");
_Static_assert(offsetof(struct mbox_slot, st_magic) % MBOX_LINE_SIZE == 0, "writers on separate lines");

/* A command as the owner read it. */
struct mbox_cmd {
	uint32_t epoch;
	uint32_t gen;
	uint32_t entry;
	uint32_t arg;
};

static inline uint32_t mbox_ack(uint32_t gen, uint32_t state)
{
	return (gen << 8) | state;
}

static inline uint32_t mbox_ack_gen(uint32_t ack)
{
	return ack >> 8;
}

static inline uint32_t mbox_ack_state(uint32_t ack)
{
	return ack & 0xffU;
}

/* Rotations keep equal words (a fill pattern, say) from cancelling out. */
static inline uint32_t mbox_rol(uint32_t v, unsigned n)
{
	return (v << n) | (v >> ((32U - n) & 31U));
}

static inline uint32_t mbox_cmd_check(uint32_t epoch, uint32_t gen, uint32_t entry, uint32_t arg)
{
	return MBOX_CMD_VALID ^ mbox_rol(epoch, 3) ^ mbox_rol(gen, 11) ^ mbox_rol(entry, 17) ^
	       mbox_rol(arg, 23) ^ MBOX_CHECK_SALT;
}

static inline uint32_t mbox_next_gen(uint32_t gen)
{
	gen = (gen + 1U) & MBOX_GEN_MASK;
	return gen ? gen : 1U;
}

/*
 * Publish a command (the releaser's half of the protocol). Withdraw the old command first so
 * that the owner never sees new fields under an old valid magic, then fill the fields, then
 * publish the magic with writel, whose DMB orders the fields before it. `verdict` is 0 for a
 * two-phase release (the releaser decides after ARRIVED) or PROCEED for a release that is
 * granted up front. The caller issues DSB and the wake-up after publishing.
 */
static inline void mbox_publish(struct mbox_slot *slot, uint32_t epoch, uint32_t gen,
				uint32_t entry, uint32_t arg, uint32_t verdict)
{
	writel(0, &slot->cmd_magic); /* withdraw: later field stores must not be seen under the old magic */
	dmb(); /* the withdrawal before the field stores */
	writel(epoch, &slot->cmd_epoch);
	writel(gen, &slot->cmd_gen);
	writel(entry, &slot->cmd_entry);
	writel(arg, &slot->cmd_arg);
	writel(verdict ? ((gen << 8) | verdict) : 0, &slot->cmd_verdict);
	writel(mbox_cmd_check(epoch, gen, entry, arg), &slot->cmd_check);
	writel(MBOX_CMD_VALID, &slot->cmd_magic); /* publish: writel's DMB orders every field before it */
}

/* Write the verdict for `gen`; final for that generation. The caller issues DSB and the wake-up. */
static inline void mbox_set_verdict(struct mbox_slot *slot, uint32_t gen, uint32_t verdict)
{
	writel((gen << 8) | verdict, &slot->cmd_verdict); /* the verdict after everything it follows */
}

#endif /* __ASSEMBLER__ */
#endif
