/* cmocka + ThreadSanitizer test of smp/bakery.c: mutual exclusion among PLAT_MAX_CPUS threads. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <muster/bakery.h>

#define ROUNDS 2000U

static struct bakery_lock lock;
/* Guarded by the lock, deliberately plain: a broken lock shows as a TSan report or a lost update. */
static uint32_t counter;
static uint32_t holder; /* index + 1 of the thread inside, 0 when none */
static uint32_t overlaps;

static void *worker(void *arg)
{
	unsigned me = (unsigned)(uintptr_t)arg;

	for (unsigned i = 0; i < ROUNDS; i++) {
		bakery_lock(&lock, me);
		if (holder != 0)
			overlaps++;
		holder = me + 1U;
		uint32_t c = counter;
		sched_yield(); /* widen the window a broken lock would let another thread into */
		counter = c + 1U;
		if (holder != me + 1U)
			overlaps++;
		holder = 0;
		bakery_unlock(&lock, me);
	}
	return NULL;
}

static void run(unsigned nthreads)
{
	pthread_t t[PLAT_MAX_CPUS];

	counter = 0;
	overlaps = 0;
	for (unsigned i = 0; i < nthreads; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i), 0);
	for (unsigned i = 0; i < nthreads; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(overlaps, 0);
	assert_int_equal(counter, nthreads * ROUNDS);
	for (unsigned i = 0; i < PLAT_MAX_CPUS; i++) /* every ticket handed back */
		assert_int_equal(lock.ticket[i].number, 0);
}

static void two_cpus_never_overlap(void **state)
{
	(void)state;
	run(2);
}

static void every_cpu_contends_and_no_update_is_lost(void **state)
{
	(void)state;
	run(PLAT_MAX_CPUS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_cpus_never_overlap),
		cmocka_unit_test(every_cpu_contends_and_no_update_is_lost),
	};
	return cmocka_run_group_tests_name("bakery", tests, NULL, NULL);
}
