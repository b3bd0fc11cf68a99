/* The few newlib hooks muster's use of libc can reach; none of them may silently succeed. */
#include <errno.h>
#include <stddef.h>
#include <sys/types.h>

void *_sbrk(ptrdiff_t increment); // NOLINT(bugprone-reserved-identifier): newlib names this hook

/* No heap: anything that asks for memory is told there is none. */
void *_sbrk(ptrdiff_t increment) // NOLINT(bugprone-reserved-identifier)
{
	(void)increment;
	errno = ENOMEM;
	return (void *)-1;
}
