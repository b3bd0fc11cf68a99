/* Arm SP804 dual timer (DDI 0271), timer 1 as a free-running 32-bit up-counter. */
#ifndef PLATFORM_SP804_H
#define PLATFORM_SP804_H

#include <stdint.h>

void sp804_start(uintptr_t base);
uint32_t sp804_count(uintptr_t base); /* counts up from 0, wraps at 2^32 */

#endif
