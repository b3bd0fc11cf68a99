/* Arm semihosting, for QEMU builds only: the one call muster uses. */
#ifndef PLATFORM_SEMIHOSTING_H
#define PLATFORM_SEMIHOSTING_H

/*
 * SYS_EXIT with ADP_Stopped_ApplicationExit: QEMU started with -semihosting-config enable=on exits
 * with status 0. On hardware without a debugger attached it is a plain SVC exception (muster
 * reports it as a fault), hence a build switch on the boards that use it, never a run-time choice.
 */
void semihosting_exit(void);

#endif
