/* Semihosting SYS_EXIT (Arm "Semihosting for AArch32 and AArch64", ARM-software/abi-aa). */
#include "semihosting.h"

#include <stdint.h>

void semihosting_exit(void)
{
	/* Operation 0x18 SYS_EXIT in r0, reason 0x20026 ADP_Stopped_ApplicationExit in r1; the A32 trap is SVC 0x123456. */
	register uint32_t op __asm__("r0") = 0x18;
	register uint32_t reason __asm__("r1") = 0x20026;

	__asm__ volatile("svc 0x123456" : : "r"(op), "r"(reason) : "memory");
}
