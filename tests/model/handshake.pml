/* Promela model of the secondary-release handshake of smp/ (pen.c, coordinator.c, secondary.c, mailbox.h), for spin. */

/*
 * WHAT IS MODELLED
 *
 * One coordinator (CPU0: smp_init, then ROUNDS calls of smp_release) and NSEC secondaries
 * (secondary_main -> pen_reset -> pen_wait -> entry -> back to the pen), sharing one mailbox slot
 * per secondary. Secondary model index k is CPU k+1 in the code. Every statement that touches a
 * slot word says which code it stands for, as "file:function: code".
 *
 * MEMORY MODEL (assumption, argued from the code, not checked by spin)
 *  - Every slot word is a 32-bit aligned word: single-copy atomic. Each readl/writel is ONE atomic
 *    step, and (in the default word-level mode) no two accesses to words another agent writes are
 *    merged into one step. Only reads of a CPU's OWN status words, which no one else writes, are
 *    folded into a neighbouring step: their value cannot change in between.
 *  - Order: writel = DMB; STR and readl = LDR; DMB order every load->load, load->store and
 *    store->store pair of one CPU. The only pair they leave unordered is a store followed by a load
 *    of another address. Those pairs are either fenced by an explicit dsb() (smp_release after
 *    publishing, poll_one after re-addressing, decide after the verdict, pen_wait after ONLINE,
 *    plat_cpu_idle before WFI) or harmless: the load sits in a loop that re-reads until a final
 *    value appears (pen_await_verdict after ARRIVED, pen_take after PARKED), or it is pen_take's
 *    first look after pen_reset, which cannot find a command for the new epoch before the
 *    coordinator has seen that epoch. With the MMU off (muster's case) slot memory is
 *    Strongly-ordered anyway. Hence one sequentially consistent interleaving of the barriered
 *    accesses.
 *  - Wake-ups: every coordinator store that can change a sleeping secondary's decision is followed
 *    by DSB + SEV + SGI (smp_release after publishing, poll_one after re-addressing, decide after a
 *    verdict) and WFI does not lose a pending SGI. Re-reading unchanged words gives the same result,
 *    and a failed pen_take or await iteration writes nothing the protocol reads (st_wakeups and
 *    st_stage are not protocol words), nor does a look the pen defers because only its poll timer
 *    woke it (pen_act: it looks again later; st_unwoken is not a protocol word either), so a busy
 *    re-poll or a deferral adds no behaviour: a sleeping secondary
 *    goes on as soon as its command line changed since its current look began (cmd_dirty).
 *    Likewise the coordinator's busy polling: poll_one of a CPU runs again only when something it
 *    reads changed since its last look, when its own record of that CPU changed, or when the
 *    deadline passed (need_poll). Any real execution maps onto a model execution by deleting
 *    iterations that read unchanged words and wrote nothing.
 *  - Time: one deadline per smp_release call (released_at = the same `now` for every CPU, not reset
 *    by re-addressing). It may pass at ANY point of the waiting loop (the "time passes" step), which
 *    covers every timing of every CPU. Any CPU may be arbitrarily slow: that is the interleaving.
 *
 * ENVIRONMENT
 *  - The slots start with STALE contents from a previous boot, chosen nondeterministically per slot
 *    (init; -DSTALE_SPREAD gives slot k the k-th choice instead): a valid command (magic, consistent
 *    check) addressed to the epoch stored in the status line, a PROCEED verdict for the previous
 *    boot's generation or for the generation this boot will use first, a stale ARRIVED in the status
 *    line, and the command's generation above or below the acknowledgment's. Epochs are only
 *    compared for equality and incremented, so the stored epoch is 1 without loss of generality. A
 *    previous boot of this code can only have addressed an epoch it read from the status line
 *    (cmd_epoch <= st_epoch: st_epoch only grows, cmd_epoch is only copied from it);
 *    -DSTALE_EPOCH_AHEAD breaks that assumption on purpose (cmd_epoch = st_epoch + 1, which random
 *    garbage matches with probability ~2^-96 given the magic and the check word) and must fail.
 *  - A secondary may be dead (never runs at all; not with -DNO_DEAD), late (interleaving), or take
 *    a warm reset at any point (Env sets reset_req; the `unless` escape restarts it at pen_reset,
 *    RAM kept). At most RESETS warm resets in all: this bounds the epochs (the code's 32-bit epoch
 *    would need 2^32 resets to wrap).
 *  - Generations are small integers without wrap-around (the code wraps at 2^24 releases of a CPU).
 *
 * ABSTRACTIONS
 *  - cmd_entry and cmd_arg are one payload word: the pair published by the round-r smp_release is
 *    the value r; a previous boot's payload is 3. A tear between entry and arg is one more field tear
 *    that the check word catches exactly as a tear between entry and gen.
 *  - cmd_check = CHK(epoch, gen, payload), injective: mbox_cmd_check is assumed to have no collision
 *    between two commands that can be in one slot in one boot. (With that, the re-read of cmd_gen in
 *    pen_take is not needed for any property: -DMUTANT_NO_GEN_REREAD passes; the re-read of the magic
 *    is: -DMUTANT_NO_MAGIC_REREAD breaks P7. The gen re-read is defence in depth against a collision.)
 *  - Not modelled: breadcrumbs (st_stage), st_mpidr, st_wakeups, st_fault* (no protocol decision
 *    reads them), exceptions (FAULTED, fault_is_this_boots, releasing a FAULTED CPU) and fault
 *    injection, WFE pens, payload releasers (payload/demo publishes with PROCEED up front;
 *    smp_resync), smp_watch_abandoned and the reports (they only read), generations above 0xffffff.
 *  - smp_release's sweep over the pending CPUs is "poll any pending CPU that needs a look": a
 *    superset of the code's fixed index order.
 *  - Boards: without PLAT_HAS_CPU_POWER every core leaves reset with CPU0, and the coordinator
 *    never calls the power hooks (the default model). -DCPU_POWER models a board that has it
 *    (orangepi-pc, sabrelite): a core runs only once release_one's plat_cpu_power_on (after
 *    mbox_publish) started it; poll_one's plat_cpu_hold_in_reset after an ABANDON either stops it
 *    wherever it is (a hold the board confirmed: SMP_POWER_HELD), until the next release_one starts
 *    it again at the reset vector, or does not take (the core runs on, SMP_POWER_ON, and the
 *    coordinator calls no power-on for it: its power state, include/muster/smp.h). A hold the board
 *    reports before it has taken effect is not modelled: platform.h requires a confirmed one.
 *
 * LARGER STEPS FOR THE 2- AND 3-SECONDARY RUNS (-DATOMIC_CMD). The word-level runs (default) make
 * none of these merges and check every property, P7 included; the merges only cut the interleavings
 * that cannot change an outcome, so that three secondaries fit in minutes. Each is a reduction:
 * every step of another CPU that can fall inside a merged step either moves before it or after it
 * without changing any value read, or is a look of the pen or of the verdict loop that reads no
 * news and sleeps again (it writes nothing the protocol reads, so it can be deleted).
 *  (a) mbox_publish is one step and pen_take's eight reads are one: P7 (word level) shows that the
 *      command pen_take accepts is the complete command line at an instant inside its look, so an
 *      atomic look at that instant accepts the same command.
 *  (b) pen_await_verdict's reads of cmd_verdict and cmd_gen are one step, continued by the store a
 *      final answer leads to (ONLINE, PARKED): a verdict is written once per generation and both
 *      words change again only by a publish, which for a new generation comes after our verdict was
 *      decided and for a re-address (PENDING, same generation) leaves both as they were.
 *  (c) pen_reset's four stores are one step: poll_one, releasable, release_one and smp_init only
 *      compare status words with what they expect (ARRIVED|gen, PARKED|gen, an epoch that differs
 *      under a valid magic); every mix of old and new words their reads can see during pen_reset
 *      gives a decision that all-old or all-new words also give, or no action.
 *  (d) the ONLINE store and the entry's access to shared state are one step: no one but the entries
 *      touches the counter, so the entry commutes with every other step.
 *  (e) poll_one is one step: the secondary's status stores (pen_reset, ARRIVED, ONLINE, PARKED) read
 *      no command word and move after it; its looks write no status word and move before it; a look
 *      that comes after such a store inside the poll reads either a command addressed to an epoch
 *      that is newer than any command (after pen_reset) or a verdict that is not decided yet (poll
 *      of a PENDING CPU): it sleeps again.
 *
 * PROPERTIES (a violation stores the property's number in `failed` and trips assert(failed != N))
 *  P1 verdict obeyed: a secondary acknowledges PROCEED (writes ONLINE|g, then runs the entry) only
 *     if the coordinator wrote PROCEED for g this boot and never ABANDON for g; the coordinator
 *     never writes both verdicts for one generation.
 *  P2 online accounting: the coordinator counts CPU k online for g (SMP_ONLINE, bit in the mask
 *     smp_release returns) only if k wrote ONLINE|g this boot before the coordinator's deciding
 *     read; it declares LOST only if at that read k's acknowledgment of g is not standing in st_ack
 *     (ONLINE|g, or PARKED|g after the entry returned); it never declares TIMEOUT (re-releasable)
 *     for a CPU that acknowledged g. Online set = the CPUs whose acknowledgment of the current
 *     generation is in their status word when the coordinator decides.
 *  P3 late secondaries park: when nothing can move any more, every secondary that runs (with
 *     -DCPU_POWER: that is not held in reset) is back in its pen with st_ack = PARKED|h, in
 *     particular one that took its command after the ABANDON (or after a newer generation
 *     superseded it).
 *  P4 termination: when nothing can move any more, the coordinator has returned from every
 *     smp_release; spin also reports every invalid end state (a CPU stuck anywhere but the pen's
 *     sleep, or the coordinator anywhere but its end).
 *  P5 stale slots never release: a secondary takes (writes ARRIVED for) only a command the
 *     coordinator published this boot, with exactly the payload published with that generation; the
 *     coordinator decides PROCEED only on an ARRIVED|g written this boot.
 *  P6 shared counter: the entries increment a shared counter; after every increment it equals the
 *     number of distinct (CPU, generation) pairs that ran their entry, each only after that CPU
 *     acknowledged PROCEED; when nothing can move any more it equals the number of (CPU,
 *     generation) pairs that acknowledged PROCEED, less those whose CPU was reset between its
 *     acknowledgment and the entry.
 *  P7 (word-level mode) pen_take is linearizable: the command it accepts was the complete contents
 *     of the command line (magic VALID) at some instant between its first and its last read.
 *
 * CONFIGURATION (cpp, spin -D...): NSEC 1..3; ROUNDS 1..3 (round 1 = core/main.c smp_release(~1U);
 * round 2 = the boot retry smp_release(smp_timed_out_mask()); round 3 = core/boot.c
 * linux_handoff_secondaries smp_release(smp_online_mask() & ~1U)); RESETS; NO_DEAD; ATOMIC_CMD;
 * CPU_POWER; STALE_SPREAD; STALE_EPOCH_AHEAD; mutants MUTANT_* (tools/model-check.sh runs them).
 * REACHABILITY: statements tagged @reach must be reached by every run; @reach-words, -atomic, -r3,
 * -power only by the runs of that kind (tools/model-check.sh fails a run that misses one).
 */

#ifndef NSEC
#define NSEC 2
#endif
#ifndef ROUNDS
#define ROUNDS 2
#endif
#ifndef RESETS
#define RESETS 1
#endif
#if NSEC < 1 || NSEC > 3
#error NSEC must be 1, 2 or 3
#endif
#if ROUNDS < 1 || ROUNDS > 3
#error ROUNDS must be 1, 2 or 3
#endif

/* Abstract word values. MBOX_CMD_VALID / MBOX_ST_VALID are 1, anything else 0. */
#define VALID 1
/* MBOX_STATE_*: st_ack = ACK(gen, state), mbox_ack() */
#define PARKED 1
#define ARRIVED 2
#define ONLINE 3
#define ACK(g, s) ((g) * 4 + (s))
#define ACK_GEN(a) ((a) / 4)
#define ACK_STATE(a) ((a) % 4)
/* MBOX_VERDICT_*: cmd_verdict = VERD(gen, kind); 0 = no verdict */
#define PROCEED 1
#define ABANDON 2
#define VERD(g, v) ((g) * 4 + (v))
#define VGEN(v) ((v) / 4)
#define VKIND(v) ((v) % 4)
/* mbox_cmd_check(epoch, gen, entry, arg): injective on the values the model uses, never 0 */
#define CHK(e, g, n) ((e) * 32 + (g) * 4 + (n))
/* enum smp_state (the values the modelled paths reach) */
#define C_OFF 1
#define C_PENDING 2
#define C_PROCEED 3
#define C_ONLINE 4
#define C_TIMEOUT 5
#define C_LOST 6
/* what a poll decided, between its read and its write */
#define A_NONE 0
#define A_PROCEED 1
#define A_ABANDON 2
#define A_READDR 3
/* why pen_take rejected a look (atomic mode) */
#define R_TAKEN 0
#define R_MAGIC 1
#define R_CHECK 2
#define R_EPOCH 3
#define R_GEN0 4
#define R_HANDLED 5

#define B(x) (1 << (x))
#define POP(x) ((((x) >> 0) & 1) + (((x) >> 1) & 1) + (((x) >> 2) & 1) + (((x) >> 3) & 1) + \
		(((x) >> 4) & 1) + (((x) >> 5) & 1) + (((x) >> 6) & 1) + (((x) >> 7) & 1))
#if NSEC == 3
#define RANSUM (POP(ran[0]) + POP(ran[1]) + POP(ran[2]))
#elif NSEC == 2
#define RANSUM (POP(ran[0]) + POP(ran[1]))
#else
#define RANSUM (POP(ran[0]))
#endif

/* ---- the mailbox slots (struct mbox_slot), one per secondary -------------------------- */
bit cmd_magic[NSEC];    /* MBOX_CMD_MAGIC */
byte cmd_epoch[NSEC];   /* MBOX_CMD_EPOCH */
byte cmd_gen[NSEC];     /* MBOX_CMD_GEN */
byte cmd_entry[NSEC];   /* MBOX_CMD_ENTRY + MBOX_CMD_ARG (one payload word) */
byte cmd_check[NSEC];   /* MBOX_CMD_CHECK */
byte cmd_verdict[NSEC]; /* MBOX_CMD_VERDICT */
bit st_magic[NSEC];     /* MBOX_ST_MAGIC */
byte st_epoch[NSEC];    /* MBOX_ST_EPOCH */
byte st_ack[NSEC];      /* MBOX_ST_ACK */

/* ---- wake-up abstraction (see the header) ----------------------------------------------- */
bit cmd_dirty[NSEC];    /* the command line changed since the secondary's current look began */
bit need_poll[NSEC];    /* something poll_one reads (or the coordinator's record) changed since its last look */

/* ---- the coordinator's struct smp_cpu, global so that assertions can read it ------------- */
byte cstate[NSEC];      /* .state */
byte cgen[NSEC];        /* .gen */
byte cepoch[NSEC];      /* .epoch */
byte cbase[NSEC];       /* ghost: the generation smp_init started from */
bit expired;            /* this smp_release's deadline has passed */
bit coord_done;         /* the coordinator returned from its last smp_release */

/* ---- environment ------------------------------------------------------------------------ */
bit started[NSEC];      /* the secondary is alive (not dead) and has begun running */
bit reset_req[NSEC];    /* a warm reset of the secondary is due */
byte resets_left = RESETS;

#ifdef CPU_POWER
/* ---- a board with PLAT_HAS_CPU_POWER (orangepi-pc, sabrelite) ----------------------------- */
bit powered[NSEC];      /* plat_cpu_power_on(k) has started the core (a running core it leaves alone) */
bit held[NSEC];         /* plat_cpu_hold_in_reset(k): the core is stopped, wherever it was */
#define HELD(j) held[j]
#else
#define HELD(j) 0
#endif

/* ---- shared state the entries touch ------------------------------------------------------ */
byte counter;

/* ---- ghosts for the properties; bit g = "for generation g" -------------------------------- */
bit fresh[NSEC];        /* st_ack was written by the secondary this boot (not a previous boot's word) */
byte acked[NSEC];       /* the secondary wrote ONLINE|g this boot */
byte ran[NSEC];         /* the secondary ran the entry of g (touched the counter) */
byte cut[NSEC];         /* acknowledged g, then reset before touching the counter */
byte vP[NSEC];          /* the coordinator wrote PROCEED|g this boot */
byte vA[NSEC];          /* the coordinator wrote ABANDON|g this boot */
byte relr[NSEC];        /* the payload published with generation cbase + i, in bits 2i-2..2i-1 */
byte failed;            /* number of the violated property */
#ifndef ATOMIC_CMD
#define LINMAX 8
bit intake[NSEC];       /* P7: the secondary is between the first and the last read of a pen_take */
byte linn[NSEC];        /* P7: how many complete commands that window has seen ... */
byte lin[NSEC * LINMAX]; /* P7: ... and their check words */
#endif

/* the payload (entry, arg) the coordinator published with generation gg of slot j (gg > cbase[j]) */
#define PAYLOAD(j, gg) ((relr[j] >> (2 * ((gg) - cbase[j] - 1))) & 3)

/* "the acknowledgment of g stands": ONLINE|g, or PARKED|g written after running g's entry */
#define STANDS(j, gg) ((st_ack[j] == ACK(gg, ONLINE) || st_ack[j] == ACK(gg, PARKED)) && (acked[j] & B(gg)) != 0)

inline prop(n, cond)
{
	if
	:: !(cond) -> failed = n; assert(failed != n)
	:: else -> skip
	fi
}

#ifndef ATOMIC_CMD
/* P7 bookkeeping: a publish of slot j completed while its secondary was in a pen_take window */
inline lin_note(j)
{
	if
	:: intake[j] && linn[j] < LINMAX -> lin[j * LINMAX + linn[j]] = cmd_check[j]; linn[j]++
	:: intake[j] && linn[j] >= LINMAX -> failed = 99; assert(failed != 99) /* model limit */
	:: else
	fi
}

/* P7: end a pen_take window */
inline lin_clear(j)
{
	intake[j] = 0;
	do
	:: linn[j] > 0 -> linn[j]--; lin[j * LINMAX + linn[j]] = 0
	:: else -> break
	od;
	skip
}
#endif

/* include/muster/mailbox.h:mbox_publish(slot, e, gg, entry, arg, 0) */
inline publish(j, e, gg, en)
{
#ifdef ATOMIC_CMD
	d_step {                                                       /* mailbox.h:mbox_publish, all seven writel as one step (see ATOMIC_CMD) */
		cmd_magic[j] = VALID; cmd_epoch[j] = e; cmd_gen[j] = gg; cmd_entry[j] = en;
#ifndef MUTANT_NO_VERDICT_CLEAR
		cmd_verdict[j] = 0;
#endif
		cmd_check[j] = CHK(e, gg, en); cmd_dirty[j] = 1
	}
#else
#ifndef MUTANT_NO_WITHDRAW
	d_step { cmd_magic[j] = 0; cmd_dirty[j] = 1 }                  /* mailbox.h:mbox_publish: writel(0, &slot->cmd_magic); dmb() */
#endif
	d_step { cmd_epoch[j] = e; cmd_dirty[j] = 1 }                  /* mailbox.h:mbox_publish: writel(epoch, &slot->cmd_epoch) */
	d_step { cmd_gen[j] = gg; cmd_dirty[j] = 1 }                   /* mailbox.h:mbox_publish: writel(gen, &slot->cmd_gen) */
	d_step { cmd_entry[j] = en; cmd_dirty[j] = 1 }                 /* mailbox.h:mbox_publish: writel(entry, ...); writel(arg, ...) */
#ifndef MUTANT_NO_VERDICT_CLEAR
	d_step { cmd_verdict[j] = 0; cmd_dirty[j] = 1 }                /* mailbox.h:mbox_publish: writel(0, &slot->cmd_verdict) */
#endif
	d_step { cmd_check[j] = CHK(e, gg, en); cmd_dirty[j] = 1 }     /* mailbox.h:mbox_publish: writel(mbox_cmd_check(...), &slot->cmd_check) */
	d_step { cmd_magic[j] = VALID; cmd_dirty[j] = 1; lin_note(j) } /* mailbox.h:mbox_publish: writel(MBOX_CMD_VALID, &slot->cmd_magic) */
#endif
}

/* ======================================================================================== */
/* The secondary: smp/secondary.c:secondary_main and smp/pen.c.                              */
/* ======================================================================================== */
proctype Secondary(byte k)
{
	byte epoch;        /* secondary_main: epoch = pen_reset(...) */
	byte g;            /* struct mbox_cmd .gen, once taken */
	byte ep, en, c;    /* struct mbox_cmd .epoch, .entry/.arg and the check word, while pen_take runs */
	byte v;            /* pen_await_verdict: verdict */

#ifndef NO_DEAD
	if
	:: true -> goto end_dead /* a dead CPU: never runs at all */
	:: true
	fi;
#endif
#ifdef CPU_POWER
end_off:
	powered[k];                                               /* the core stays in reset until coordinator.c:release_one: plat_opt_cpu_power_on(idx) */
#endif
	do
	:: {
		/* ---- smp/pen.c:pen_reset ---- */
#ifdef ATOMIC_CMD
		d_step {                                                                /* pen.c:pen_reset, its protocol stores as one step (see ATOMIC_CMD) */
			started[k] = 1; epoch = st_epoch[k] + 1; st_epoch[k] = epoch;
			st_ack[k] = ACK(0, PARKED); fresh[k] = 1; st_magic[k] = VALID; need_poll[k] = 1
		}
#else
		d_step { started[k] = 1; epoch = st_epoch[k] + 1; st_magic[k] = 0; need_poll[k] = 1 } /* pen.c:pen_reset: epoch = readl(&slot->st_epoch) + 1 (own word); writel(0, &slot->st_magic) */
		d_step { st_epoch[k] = epoch; need_poll[k] = 1 }                        /* pen.c:pen_reset: writel(epoch, &slot->st_epoch) */
		d_step { st_ack[k] = ACK(0, PARKED); fresh[k] = 1; need_poll[k] = 1 }   /* pen.c:pen_reset: writel(mbox_ack(0, MBOX_STATE_PARKED), &slot->st_ack) */
		d_step { st_magic[k] = VALID; need_poll[k] = 1 }                        /* pen.c:pen_reset: writel(MBOX_ST_VALID, &slot->st_magic) */
#endif
		/* (the other pen_reset stores, plat_secondary_init and pen_stage touch no protocol word) */
pen:
		/* ---- smp/pen.c:pen_wait: if (!pen_take(slot, epoch, &cmd)) { pen_sleep(slot); continue; } ---- */
#ifdef ATOMIC_CMD
		atomic {                                          /* pen.c:pen_take, all its reads as one step (see ATOMIC_CMD) */
			cmd_dirty[k] = 0;
			c = R_TAKEN;
			if :: cmd_magic[k] != VALID -> c = R_MAGIC :: else fi;
#ifndef MUTANT_NO_CHECK
			if :: c == R_TAKEN && cmd_check[k] != CHK(cmd_epoch[k], cmd_gen[k], cmd_entry[k]) -> c = R_CHECK :: else fi;
#endif
#ifndef MUTANT_NO_EPOCH_CHECK
			if :: c == R_TAKEN && cmd_epoch[k] != epoch -> c = R_EPOCH :: else fi;
#endif
			if :: c == R_TAKEN && cmd_gen[k] == 0 -> c = R_GEN0 :: else fi;
#ifndef MUTANT_NO_HANDLED_CHECK
			if :: c == R_TAKEN && cmd_gen[k] == ACK_GEN(st_ack[k]) -> c = R_HANDLED :: else fi;
#endif
			if
			:: c == R_TAKEN -> g = cmd_gen[k]; en = cmd_entry[k]
			:: c == R_MAGIC || c == R_GEN0 -> c = 0; goto end_pen
			:: c == R_CHECK -> c = 0; goto end_pen
			:: c == R_EPOCH -> c = 0; goto end_pen           /* @reach-atomic stale command rejected: addressed to another epoch of this CPU */
			:: c == R_HANDLED -> c = 0; goto end_pen         /* @reach-atomic a generation already handled is not taken twice */
			fi
		}
#else
		atomic {                                          /* pen.c:pen_take: readl(&slot->cmd_magic) != MBOX_CMD_VALID */
			cmd_dirty[k] = 0;
			if
			:: cmd_magic[k] == VALID -> intake[k] = 1; lin[k * LINMAX] = cmd_check[k]; linn[k] = 1
			:: else -> goto reject
			fi
		}
		ep = cmd_epoch[k];                                /* pen.c:pen_take: cmd->epoch = readl(&slot->cmd_epoch) */
		g = cmd_gen[k];                                   /* pen.c:pen_take: cmd->gen = readl(&slot->cmd_gen) */
		en = cmd_entry[k];                                /* pen.c:pen_take: cmd->entry = readl(...); cmd->arg = readl(...) */
		c = cmd_check[k];                                 /* pen.c:pen_take: check = readl(&slot->cmd_check) */
#if !defined(MUTANT_NO_REREAD) && !defined(MUTANT_NO_MAGIC_REREAD)
		if
		:: cmd_magic[k] == VALID                          /* pen.c:pen_take: readl(&slot->cmd_magic) != MBOX_CMD_VALID, again */
		:: else -> goto reject_torn_magic
		fi;
#endif
#if !defined(MUTANT_NO_REREAD) && !defined(MUTANT_NO_GEN_REREAD)
		if
		:: cmd_gen[k] == g                                /* pen.c:pen_take: readl(&slot->cmd_gen) != cmd->gen */
		:: else -> goto reject_torn_gen
		fi;
#endif
		intake[k] = 0;
#ifndef MUTANT_NO_CHECK
		if
		:: c != CHK(ep, g, en) -> goto reject_check       /* pen.c:pen_take: check != mbox_cmd_check(...) */
		:: else
		fi;
#endif
#ifndef MUTANT_NO_EPOCH_CHECK
		if
		:: ep != epoch -> goto reject_epoch               /* pen.c:pen_take: cmd->epoch != epoch */
		:: else
		fi;
#endif
		if
		:: g == 0 -> goto reject                          /* pen.c:pen_take: cmd->gen == 0 */
		:: else
		fi;
#ifndef MUTANT_NO_HANDLED_CHECK
		if
		:: g == ACK_GEN(st_ack[k]) -> goto reject_handled /* pen.c:pen_take: cmd->gen != mbox_ack_gen(readl(&slot->st_ack)) (own word) */
		:: else
		fi;
#endif
#endif
		/* ---- taken: pen.c:pen_wait, phase 1 ---- */
		d_step {                                          /* pen.c:pen_wait: writel(mbox_ack(cmd.gen, MBOX_STATE_ARRIVED), &slot->st_ack) */
#ifndef ATOMIC_CMD
			c = 0;
			do
			:: c < linn[k] && lin[k * LINMAX + c] != CHK(ep, g, en) -> c++
			:: else -> break
			od;
			prop(7, c < linn[k]);
			lin_clear(k);
#endif
			prop(5, cbase[k] < g && g <= cgen[k] && en == PAYLOAD(k, g));
			st_ack[k] = ACK(g, ARRIVED); need_poll[k] = 1;
			ep = 0; en = 0; c = 0
		}
await:
		/* ---- smp/pen.c:pen_await_verdict ---- */
#ifdef ATOMIC_CMD
		atomic {                                          /* pen.c:pen_await_verdict: verdict = readl(&slot->cmd_verdict), and readl(&slot->cmd_gen) when it is 0, as one step (see ATOMIC_CMD) */
			cmd_dirty[k] = 0; v = cmd_verdict[k];
			if
			:: VGEN(v) == g && VKIND(v) == PROCEED -> goto proceed  /* @reach-atomic pen.c:pen_await_verdict: return kind (PROCEED) */
			:: VGEN(v) == g && VKIND(v) == ABANDON -> goto abandon  /* @reach-atomic pen.c:pen_await_verdict: return kind (ABANDON) */
#ifndef MUTANT_NO_SUPERSEDE
			:: VGEN(v) != g && (v != 0 || cmd_gen[k] != g) -> goto superseded /* @reach-atomic pen.c:pen_await_verdict: superseded */
#endif
#ifdef MUTANT_SECONDARY_TIMEOUT
			:: true -> goto proceed
#endif
			:: else -> v = 0; goto await_sleep
			fi
		}
#else
		atomic { cmd_dirty[k] = 0; v = cmd_verdict[k] }   /* pen.c:pen_await_verdict: verdict = readl(&slot->cmd_verdict) */
		if
		:: VGEN(v) == g && VKIND(v) == PROCEED -> goto proceed   /* @reach-words pen.c:pen_await_verdict: return kind (PROCEED) */
		:: VGEN(v) == g && VKIND(v) == ABANDON -> goto abandon   /* @reach-words pen.c:pen_await_verdict: return kind (ABANDON) */
		:: VGEN(v) == g && VKIND(v) != PROCEED && VKIND(v) != ABANDON -> goto await_sleep
#ifndef MUTANT_NO_SUPERSEDE
		:: VGEN(v) != g && v != 0 -> goto superseded             /* pen.c:pen_await_verdict: verdict != 0: another generation's verdict */
		:: VGEN(v) != g && v == 0 -> v = 0
#else
		:: VGEN(v) != g -> goto await_sleep                      /* MUTANT: the code before b435f55 */
#endif
#ifdef MUTANT_SECONDARY_TIMEOUT
		:: true -> goto proceed                                  /* MUTANT: gives up waiting and proceeds on its own */
#endif
		fi;
#ifndef MUTANT_NO_SUPERSEDE
		if
		:: cmd_gen[k] != g -> goto superseded                    /* @reach-words pen.c:pen_await_verdict: readl(&slot->cmd_gen) != gen */
		:: else
		fi;
#endif
#endif
await_sleep:
		v = 0;
		cmd_dirty[k];                                     /* pen.c:pen_sleep: WFI until the command line changes */
		goto await;
superseded:
abandon:
		/* ---- pen.c:pen_wait: ABANDON (or superseded) is final for this generation ---- */
#ifndef MUTANT_ABANDON_NO_PARK
		atomic { st_ack[k] = ACK(g, PARKED); need_poll[k] = 1; v = 0; g = 0 } /* @reach pen.c:pen_wait: writel(mbox_ack(cmd.gen, MBOX_STATE_PARKED), &slot->st_ack) */
#else
		atomic { v = 0; g = 0 }                           /* MUTANT: stays ARRIVED */
#endif
		goto pen;
proceed:
		/* ---- pen.c:pen_wait, phase 2 ---- */
		atomic {                                          /* pen.c:pen_wait: writel(mbox_ack(cmd.gen, MBOX_STATE_ONLINE), &slot->st_ack); dsb() */
			prop(1, (vP[k] & B(g)) != 0 && (vA[k] & B(g)) == 0);
			st_ack[k] = ACK(g, ONLINE); acked[k] = acked[k] | B(g); need_poll[k] = 1; v = 0
#ifdef ATOMIC_CMD
			; /* the entry's first access below is a both-mover (no other agent reads the counter): same step */
#else
		}
		d_step {                                          /* secondary.c:secondary_main: ((void (*)(uint32_t))cmd.entry)(cmd.arg): touches shared state */
#endif
			prop(6, (acked[k] & B(g)) != 0);
			counter++; ran[k] = ran[k] | B(g);                /* @reach the entry touches shared state */
			prop(6, counter == RANSUM)
		}
		d_step { st_ack[k] = ACK(g, PARKED); need_poll[k] = 1; g = 0 } /* @reach secondary.c:secondary_main: writel(mbox_ack(cmd.gen, MBOX_STATE_PARKED), &slot->st_ack) */
		goto pen;

		/* ---- pen_take returned false ---- */
reject_torn_magic:
		skip;                                             /* @reach-words torn look rejected: the magic was withdrawn while the fields were read */
		goto reject;
reject_torn_gen:
		skip;                                             /* @reach-words torn look rejected: cmd_gen changed while the fields were read */
		goto reject;
reject_check:
		skip;                                             /* @reach-words torn look rejected by the check word */
		goto reject;
reject_epoch:
		skip;                                             /* @reach-words stale command rejected: addressed to another epoch of this CPU */
		goto reject;
reject_handled:
		skip;                                             /* @reach-words a generation already handled is not taken twice */
reject:
		atomic {
			ep = 0; g = 0; en = 0; c = 0;
#ifndef ATOMIC_CMD
			lin_clear(k)
#endif
		}
end_pen:
		cmd_dirty[k];                                     /* pen.c:pen_wait: pen_sleep(slot): WFI until the command line changes (valid end state: parked) */
		goto pen
	   } unless {
		/* a warm reset at any point: back through boot/start.S to secondary_main, RAM kept */
#ifdef CPU_POWER
		(reset_req[k] || held[k]) -> d_step {
#else
		reset_req[k] -> d_step {
#endif
			reset_req[k] = 0; cut[k] = cut[k] | (acked[k] & ~ran[k]);
			epoch = 0; g = 0; ep = 0; en = 0; c = 0; v = 0;
#ifndef ATOMIC_CMD
			lin_clear(k)
#endif
		}
#ifdef CPU_POWER
		;
end_held:
		!held[k]                                          /* held in reset until coordinator.c:release_one: plat_opt_cpu_power_on(idx) */
#endif
	   }
	od;
end_dead:
	skip
}

/* ======================================================================================== */
/* The coordinator: smp/coordinator.c, called as core/main.c and core/boot.c call it.       */
/* ======================================================================================== */

/* coordinator.c:poll_one up to its first store: the ack read, and the decisions that need only it. */
inline poll_read()
{
	need_poll[k] = 0;
	ack = st_ack[k];                                          /* coordinator.c:poll_one: ack = readl(&slot->st_ack); expired = now - released_at >= timeout */
	/* (the MBOX_STATE_FAULTED test never matches: exceptions are not modelled) */
	if
	:: cstate[k] == C_PENDING ->
		if
		:: ack == ACK(cgen[k], ARRIVED) ->                /* coordinator.c:poll_one: ack == mbox_ack(cpu->gen, MBOX_STATE_ARRIVED) */
			prop(5, fresh[k]);
			act = A_PROCEED
		:: else ->
			if
			:: expired -> act = A_ABANDON             /* coordinator.c:poll_one: if (expired) decide(ABANDON) */
			:: else -> act = A_READDR
			fi
		fi
	:: else -> /* C_PROCEED */
		if
#if defined(MUTANT_ACK_ANY_GEN)
		:: ACK_STATE(ack) == ONLINE || ACK_STATE(ack) == PARKED ->
#elif defined(MUTANT_ONLINE_ONLY)
		:: ack == ACK(cgen[k], ONLINE) ->
#else
		:: ack == ACK(cgen[k], ONLINE) || ack == ACK(cgen[k], PARKED) -> /* coordinator.c:poll_one: ack == ONLINE|gen || ack == PARKED|gen */
#endif
			prop(2, (acked[k] & B(cgen[k])) != 0);
			cstate[k] = C_ONLINE;                             /* @reach coordinator.c:poll_one: cpu->state = SMP_ONLINE; smp_release: online |= 1U << idx */
			pending = pending & ~B(k); online = online | B(k); need_poll[k] = 1
#ifndef MUTANT_NO_PROCEED_DEADLINE
		:: else ->
			if
			:: expired ->                             /* coordinator.c:poll_one: if (expired) cpu->state = SMP_LOST */
				prop(2, !STANDS(k, cgen[k]));
				cstate[k] = C_LOST;               /* @reach coordinator.c:poll_one: cpu->state = SMP_LOST */
				pending = pending & ~B(k); need_poll[k] = 1
			:: else
			fi
#else
		:: else                                           /* MUTANT: waits for the acknowledgment without a deadline */
#endif
		fi
	fi;
	ack = 0
}

/* coordinator.c:poll_one from its first store on: the verdict, or the re-addressing. */
inline poll_act()
{
	if
	:: act == A_PROCEED ->
		d_step {                                          /* coordinator.c:decide: mbox_set_verdict(PROCEED); dsb; sev; wake; cpu->state = SMP_PROCEED */
			prop(1, (vA[k] & B(cgen[k])) == 0);
			cmd_verdict[k] = VERD(cgen[k], PROCEED); cmd_dirty[k] = 1; vP[k] = vP[k] | B(cgen[k]); /* @reach coordinator.c:decide(PROCEED) */
			cstate[k] = C_PROCEED; need_poll[k] = 1; act = A_NONE
		}
	:: act == A_ABANDON ->
		d_step {                                          /* coordinator.c:decide: mbox_set_verdict(ABANDON); dsb; sev; wake; cpu->state = SMP_TIMEOUT */
			prop(1, (vP[k] & B(cgen[k])) == 0);
			prop(2, (acked[k] & B(cgen[k])) == 0);
			cmd_verdict[k] = VERD(cgen[k], ABANDON); cmd_dirty[k] = 1; vA[k] = vA[k] | B(cgen[k]); /* @reach coordinator.c:decide(ABANDON) */
			cstate[k] = C_TIMEOUT; pending = pending & ~B(k); need_poll[k] = 1; act = A_NONE
			/* (fault_is_this_boots reads st_magic, st_ack, st_epoch: never FAULTED here, so SMP_TIMEOUT) */
		}
#ifdef CPU_POWER
		;
		if                                                /* coordinator.c:poll_one: power == SMP_POWER_ON && plat_opt_cpu_hold_in_reset(idx) == 0 */
		:: held[k] = 1                                    /* @reach-power the core is stopped wherever it is */
		:: skip                                           /* the hold was not confirmed (orangepi-pc under QEMU: the read-back says released): it runs on */
		fi
#endif
	:: act == A_READDR ->
		act = A_NONE;
		e = st_epoch[k];                                  /* coordinator.c:poll_one: epoch = readl(&slot->st_epoch) */
		if
		:: e != cepoch[k] ->
			if
			:: st_magic[k] == VALID ->                /* coordinator.c:poll_one: readl(&slot->st_magic) == MBOX_ST_VALID */
#ifndef MUTANT_READDR_KEEPS_EPOCH
				cepoch[k] = e;                    /* @reach coordinator.c:poll_one: cpu->epoch = epoch (re-address) */
#else
				skip;                             /* MUTANT: re-addresses without recording the epoch */
#endif
				publish(k, e, cgen[k], r);        /* coordinator.c:poll_one: mbox_publish(slot, epoch, cpu->gen, entry, arg, 0); dsb; wake */
				need_poll[k] = 1
			:: else
			fi
		:: else
		fi;
		e = 0
	:: else
	fi
}

proctype Coordinator()
{
	byte k, r, ack, e, act, pending, online, mask;

	/* ---- coordinator.c:smp_init ---- */
	k = 0;
	do
	:: k < NSEC ->
		e = cmd_gen[k];                                   /* coordinator.c:smp_init: stale_cmd = readl(&slot->cmd_gen) */
		d_step {                                          /* coordinator.c:smp_init: stale_ack = mbox_ack_gen(readl(&slot->st_ack)) */
			ack = ACK_GEN(st_ack[k]);
#ifndef MUTANT_IGNORE_STALE_ACK
			if
			:: ack > e -> e = ack                     /* coordinator.c:smp_init: .gen = stale_cmd > stale_ack ? stale_cmd : stale_ack */
			:: else
			fi;
#endif
			cbase[k] = e; cgen[k] = e; cstate[k] = C_OFF; ack = 0; e = 0
		}
		/* (smp_init's reads of cmd_epoch and cmd_magic into boot_cmd_* only serve fault_is_this_boots: FAULTED is not modelled) */
		d_step { cmd_magic[k] = 0; cmd_dirty[k] = 1 }    /* coordinator.c:smp_init: writel(0, &slot->cmd_magic) (withdraw) */
		k++
	:: else -> break
	od;
	k = 0;                                                    /* coordinator.c:smp_init: dsb() */

	/* ---- smp_release, ROUNDS times ---- */
	r = 1;
	do
	:: r <= ROUNDS ->
		/* the mask of this call */
		if
		:: r == 1 -> mask = B(NSEC) - 1                   /* core/main.c:bring_up: smp_release(~1U, ...) */
		:: r == 2 -> mask = 0;                            /* core/main.c:bring_up: smp_release(smp_timed_out_mask(), ...) (boot retry) */
			do
			:: k < NSEC -> if :: cstate[k] == C_TIMEOUT -> mask = mask | B(k) :: else fi; k++
			:: else -> break
			od
		:: r == 3 -> mask = 0;                            /* core/boot.c:linux_handoff_secondaries: smp_release(smp_online_mask() & ~1U, ...) */
			do
			:: k < NSEC -> if :: cstate[k] == C_ONLINE -> mask = mask | B(k) :: else fi; k++
			:: else -> break
			od
		fi;
		pending = 0; online = 0; expired = 0; k = 0;
		do
		:: k < NSEC ->
			/* coordinator.c:smp_release: if ((mask & (1U << idx)) && releasable(idx)) */
			if
			:: (mask & B(k)) && cstate[k] == C_OFF -> act = 1      /* coordinator.c:releasable: SMP_OFF */
			:: (mask & B(k)) && cstate[k] == C_TIMEOUT -> act = 1  /* @reach coordinator.c:releasable: SMP_TIMEOUT (the retry) */
			:: (mask & B(k)) && cstate[k] == C_ONLINE ->
				act = (st_ack[k] == ACK(cgen[k], PARKED)) /* @reach-r3 coordinator.c:releasable: readl(&slot->st_ack) == mbox_ack(cpu->gen, MBOX_STATE_PARKED) */
			:: else -> act = 0
			fi;
			if
			:: act ->
				d_step {                          /* coordinator.c:release_one: gen = mbox_next_gen(gen); epoch = readl(&slot->st_epoch); state = SMP_PENDING */
					act = 0; cgen[k] = cgen[k] + 1; e = st_epoch[k]; cepoch[k] = e;
					relr[k] = relr[k] | (r << (2 * (cgen[k] - cbase[k] - 1)));
					cstate[k] = C_PENDING; need_poll[k] = 1
				}
				publish(k, e, cgen[k], r);        /* @reach coordinator.c:release_one: mbox_publish(slot, cpu->epoch, cpu->gen, entry, arg, 0) */
#ifdef CPU_POWER
				d_step { held[k] = 0; powered[k] = 1 } /* coordinator.c:release_one: start_core if power != SMP_POWER_ON (no-op for a running core) */
#endif
				e = 0;
				pending = pending | B(k)
			:: else
			fi;
			k++
		:: else -> break
		od;
		k = 0; mask = 0;
		/* coordinator.c:smp_release: dsb(); sev(); wake(idx) for every pending CPU (see the header) */
		/* ---- coordinator.c:smp_release: while (pending) { now = plat_time_us(); poll_one(...) } ---- */
		do
		:: pending == 0 -> break
		:: !expired ->                                    /* time passes: this call's deadline (released_at + timeout) is reached */
			d_step {
				expired = 1;
				need_poll[0] = 1;
#if NSEC >= 2
				need_poll[1] = 1;
#endif
#if NSEC >= 3
				need_poll[2] = 1
#endif
			}
		:: atomic {
			if
			:: (pending & B(0)) && need_poll[0] -> k = 0
#if NSEC >= 2
			:: (pending & B(1)) && need_poll[1] -> k = 1
#endif
#if NSEC >= 3
			:: (pending & B(2)) && need_poll[2] -> k = 2
#endif
			fi;
			poll_read()
#ifdef ATOMIC_CMD
			; poll_act(); k = 0 /* the whole of poll_one as one step (see ATOMIC_CMD) */
		   }
#else
		   };
			poll_act();
			k = 0
#endif
		od;
		online = 0;
		r++
	:: else -> break
	od;
	r = 0;
	coord_done = 1
}

/* Warm resets: of any started secondary, at any point, RESETS in all. */
active proctype Env()
{
end_env:
	do
	:: atomic { resets_left > 0 && started[0] && !reset_req[0] && !HELD(0) -> reset_req[0] = 1; resets_left-- }
#if NSEC >= 2
	:: atomic { resets_left > 0 && started[1] && !reset_req[1] && !HELD(1) -> reset_req[1] = 1; resets_left-- }
#endif
#if NSEC >= 3
	:: atomic { resets_left > 0 && started[2] && !reset_req[2] && !HELD(2) -> reset_req[2] = 1; resets_left-- }
#endif
	:: resets_left > 0 -> resets_left = 0                     /* no more resets from here on */
	od
}

/* When nothing can move any more: the end-state properties. */
inline final_checks(j)
{
	if
	:: started[j] && !HELD(j) -> prop(3, ACK_STATE(st_ack[j]) == PARKED)
	:: else
	fi;
	prop(6, (ran[j] & ~acked[j]) == 0);
	prop(6, (acked[j] & ~(ran[j] | cut[j])) == 0)
}

active proctype Monitor()
{
	timeout ->
	d_step {
		prop(4, coord_done);
		final_checks(0);
#if NSEC >= 2
		final_checks(1);
#endif
#if NSEC >= 3
		final_checks(2);
#endif
		prop(6, counter == RANSUM)
	}
}

/* The slots as a previous boot left them (see the header); scenario s of slot j. */
inline stale(j, s)
{
	st_magic[j] = VALID; st_epoch[j] = 1; cmd_magic[j] = VALID; cmd_entry[j] = 3;
#ifdef STALE_EPOCH_AHEAD
	cmd_epoch[j] = 2;
#else
	cmd_epoch[j] = 1;
#endif
	if
	:: s == 0 || s == 2 -> cmd_gen[j] = 2; st_ack[j] = ACK(1, ARRIVED) /* the command newer than the acknowledgment */
	:: else -> cmd_gen[j] = 1; st_ack[j] = ACK(2, ARRIVED)             /* the acknowledgment newer than the command */
	fi;
	if
	:: s == 0 || s == 3 -> cmd_verdict[j] = VERD(2, PROCEED)          /* PROCEED for the stale command, or for this boot's first generation if the stale ARRIVED is overwritten first */
	:: else -> cmd_verdict[j] = VERD(3, PROCEED)                      /* PROCEED for this boot's first generation */
	fi;
	cmd_check[j] = CHK(cmd_epoch[j], cmd_gen[j], 3);
	cmd_dirty[j] = 1; need_poll[j] = 1
}

init
{
	byte k, s;

	atomic {
		k = 0;
		do
		:: k < NSEC ->
#ifdef STALE_SPREAD
			s = k;
#else
			if :: s = 0 :: s = 1 :: s = 2 :: s = 3 fi;
#endif
			stale(k, s);
			k++
		:: else -> break
		od;
		k = 0; s = 0;
		run Coordinator();
		run Secondary(0);
#if NSEC >= 2
		run Secondary(1);
#endif
#if NSEC >= 3
		run Secondary(2)
#endif
	}
}
