/* Semihosting SYS_EXIT (Arm "Semihosting for AArch32 and AArch64", ARM-software/abi-aa). */
#include "semihosting.h"

#include <stdint.h>

void semihosting_exit(void)
{
	/* Operation 0x18 SYS_EXIT in r0, reason 0x20026 ADP_Stopped_ApplicationExit in r1; the A32 trap is SVC 0x123456. */
	uint32_t op = 0x18, reason = 0x20026;

	__asm__ volatile("mov r0, %0\n\tmov r1, %1\n\tsvc 0x123456" : : "r"(op), "r"(reason) : "r0", "r1", "memory");
}
