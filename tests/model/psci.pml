/* Model of muster's PSCI CPU_ON / CPU_OFF (smp/psci.c) and its bakery lock (smp/bakery.c): racers and one target. */

/*
 * WHAT IS MODELLED
 *  - NRACERS CPUs (indices 0..NRACERS-1) each call CPU_ON on one target CPU (index NRACERS)
 *    ROUNDS times, at any interleaving: smp/psci.c cpu_on() under the bakery lock.
 *  - The bakery lock statement by statement as smp/bakery.c writes it (choosing, number, the
 *    two waits), with every CPU's ticket in the array: the target takes the lock too.
 *  - The release itself (smp_release: publish, ARRIVED, PROCEED, ONLINE) is one step here:
 *    tests/model/handshake.pml checks it; what this model adds is who may start one and when.
 *  - The target: parked in the pen; released, it marks itself ON under the lock and runs the OS;
 *    the OS may call CPU_OFF at once or later: the target writes PARKED, then marks itself OFF,
 *    but only once the caller that released it has returned from smp_release (`releasing`):
 *    until then the coordinator's record of it is in flight and would refuse a new CPU_ON.
 *  - Sequential consistency: the code's DMBs give the bakery the store-to-load order it needs
 *    (docs/protocol.md, barrier table), so SC is the model of the code, not an assumption.
 *
 * PROPERTIES (a violation stores the property's number in `failed` and trips assert(failed != N))
 *  P1 the lock: at most one CPU inside the PSCI critical section.
 *  P2 exactly one SUCCESS per ON episode, and a healthy target never gets INTERNAL_FAILURE
 *     (a CPU_ON that finds it OFF can always release it).
 *  P3 a target is released only while parked, by one caller at a time.
 *  P4 AFFINITY_INFO says OFF only when the target is parked in the pen.
 *  P5 AFFINITY_INFO says ON only while the target is in the OS (or on its way out by CPU_OFF).
 */

#ifndef NRACERS
#define NRACERS 2
#endif
#ifndef ROUNDS
#define ROUNDS 2
#endif
#define T NRACERS           /* the target's index */
#define NCPU (NRACERS + 1)
#define MAXEP (NRACERS * ROUNDS + 1)

#define ON 0
#define OFF 1
#define ON_PENDING 2

/* CPU_ON results */
#define R_SUCCESS 0
#define R_ALREADY_ON 4
#define R_ON_PENDING 5
#define R_INTERNAL_FAILURE 6

byte state = OFF;      /* psci_cpus[T].state */
bool parked = true;    /* the target's status line says PARKED: releasable */
bool released;         /* a command published and not yet taken */
byte acked_ep;         /* the episode whose release the target acknowledged (ONLINE|gen in the code) */
bool coord_busy;       /* the owner's coordinator record is in flight (smp_cpus[T] PENDING/PROCEED) */
bool releasing;        /* psci_cpus[T].releasing: the owner has not returned from smp_release */
bool in_os;            /* ghost: the target runs the OS */
bool leaving;          /* ghost: the target is in its CPU_OFF path */
byte episode;          /* ghost: ON episodes begun (OFF -> ON_PENDING) */
byte succ[MAXEP];      /* ghost: SUCCESS results per episode */
byte choosing[NCPU];
byte number[NCPU];
byte inside;           /* ghost: CPUs inside the critical section */
byte failed;

inline check(n, cond)
{
	if
	:: !(cond) -> failed = n; assert(failed != n)
	:: else
	fi
}

/* bakery_lock(me): smp/bakery.c, one shared access per statement. */
inline lock(me)
{
#ifdef MUTANT_NO_LOCK
	skip;
#else
	choosing[me] = 1;
	mx = 0;
	j = 0;
	do
	:: j < NCPU -> if :: number[j] > mx -> mx = number[j] :: else fi; j++
	:: else -> break
	od;
	number[me] = mx + 1;
	choosing[me] = 0;
	j = 0;
	do
	:: j < NCPU ->
		if
		:: j != me ->
#ifndef MUTANT_NO_CHOOSING
			(choosing[j] == 0);
#endif
			(number[j] == 0 || number[j] > number[me] || (number[j] == number[me] && j > me))
		:: else
		fi;
		j++
	:: else -> break
	od;
#endif
	inside++;
	check(1, inside == 1)
}

inline unlock(me)
{
	inside--;
#ifndef MUTANT_NO_LOCK
	number[me] = 0
#endif
}

proctype Racer(byte me)
{
	byte mx, j, ret, r, ep;

	do
	:: r < ROUNDS ->
		lock(me);
		if
		:: state == OFF && parked && !coord_busy ->
			state = ON_PENDING; ret = R_SUCCESS;    /* @reach an OFF target: this caller owns its release */
			releasing = true;
			episode++; ep = episode
		:: state == OFF && (!parked || coord_busy) -> ret = R_INTERNAL_FAILURE /* smp_release_refusal */
		:: state == ON -> ret = R_ALREADY_ON              /* @reach ALREADY_ON */
		:: state == ON_PENDING -> ret = R_ON_PENDING      /* @reach ON_PENDING */
		fi;
		unlock(me);
		check(2, ret != R_INTERNAL_FAILURE);
		if
		:: ret == R_SUCCESS ->
			/* smp_release: publish (the target must be parked), wait for the acknowledgment */
			atomic { check(3, parked && !released); released = true; parked = false; coord_busy = true };
			atomic { acked_ep == ep -> coord_busy = false }; /* smp_release sees ONLINE|gen */
#ifdef MUTANT_CALLER_MARKS_ON
			state = ON;
#endif
			lock(me);
			releasing = false;
			unlock(me);
			check(2, succ[ep] == 0);
			succ[ep]++
		:: else
		fi;
		r++
	:: else -> break
	od
}

proctype Target()
{
	byte mx, j;

end_pen:
	do
	:: released ->
		/* the pen took the command and acknowledged it */
		atomic { released = false; acked_ep = episode };
		/* psci_cpu_start: mark ON under the lock, then enter the OS */
		lock(T);
#ifndef MUTANT_CALLER_MARKS_ON
		atomic { state = ON; in_os = true };
#else
		in_os = true;
#endif
		unlock(T);
		/* the OS calls CPU_OFF: secondary_entry_done (PARKED), then mark OFF */
		atomic { in_os = false; leaving = true };
#ifdef MUTANT_OFF_BEFORE_PARKED
		lock(T);
		state = OFF;
		unlock(T);
		parked = true;
#else
		parked = true;
		/* Its releaser may still be in smp_release; `releasing` cannot be set again while it is ON. */
#ifndef MUTANT_NO_RELEASING_WAIT
		!releasing;
#endif
		lock(T);
		state = OFF;                                       /* @reach CPU_OFF: OFF only once parked */
		unlock(T);
#endif
		leaving = false
	od
}

/* P4 and P5, checked in every reachable state. */
active proctype Invariants()
{
end_watch:
	do
	:: atomic { state == OFF && !parked -> check(4, false) }
	:: atomic { state == ON && !in_os && !leaving -> check(5, false) }
	od
}

init
{
	byte i;

	atomic {
		for (i : 0 .. NRACERS - 1) {
			run Racer(i)
		}
		run Target()
	}
}
