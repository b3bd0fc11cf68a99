/* Arm PrimeCell PL061 GPIO (DDI 0190): drive one pin as an output. */
#ifndef PLATFORM_PL061_H
#define PLATFORM_PL061_H

#include <stdint.h>

/* Make pin (0..7) an output at level (0 or 1): on QEMU virt this is how firmware powers off. */
void pl061_drive(uintptr_t base, unsigned pin, unsigned level);

#endif
