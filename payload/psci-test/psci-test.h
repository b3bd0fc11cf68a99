/* Constants the PSCI test payload shares between its assembly, C and linker script. */
#ifndef PSCI_TEST_H
#define PSCI_TEST_H

#include <muster/platform.h> /* board.h plus the defaults of its optional constants */

/* One stack per CPU, indexed by MPIDR Aff0 (every PSCI board here is one cluster). */
#define PT_MAX_CPUS PLAT_MAX_CPUS
#define PT_STACK_SHIFT 12 /* 4 KiB: the deepest path (formatting a report) needs well under 1 KiB */
#define PT_STACK_SIZE (1 << PT_STACK_SHIFT)

/* PSCI 1.0 function IDs, SMC32/HVC32 fast calls (Arm DEN0022 5.1). */
#define PSCI_VERSION 0x84000000
#define PSCI_CPU_SUSPEND 0x84000001
#define PSCI_CPU_OFF 0x84000002
#define PSCI_CPU_ON 0x84000003
#define PSCI_AFFINITY_INFO 0x84000004
#define PSCI_MIGRATE 0x84000005
#define PSCI_MIGRATE_INFO_TYPE 0x84000006
#define PSCI_SYSTEM_OFF 0x84000008
#define PSCI_SYSTEM_RESET 0x84000009
#define PSCI_FEATURES 0x8400000a
#define PSCI_CPU_ON_64 0xc4000003 /* the SMC64 form: not callable from AArch32 */
/* PSCI 1.1 functions that, where a firmware has them, suspend or end the caller or the system. */
#define PSCI_CPU_FREEZE 0x8400000b
#define PSCI_CPU_DEFAULT_SUSPEND 0x8400000c
#define PSCI_SYSTEM_SUSPEND 0x8400000e
#define PSCI_SYSTEM_RESET2 0x84000012
#define PSCI_SMC64 0x40000000 /* the bit that makes an SMC32 PSCI ID its SMC64 form */
/* The PSCI IDs (DEN0022 5.1.1): 0x84000000-0x8400001f, SMC64 0xc4000000-0xc400001f. */
#define PSCI_ID_COUNT 32

/* SMC Calling Convention architecture calls (Arm DEN0028: SMCCC 1.1 and later). */
#define SMCCC_VERSION 0x80000000
#define SMCCC_ARCH_FEATURES 0x80000001
#define SMCCC_ARCH_SOC_ID 0x80000002
#define SMCCC_ARCH_WORKAROUND_3 0x80003fff
#define SMCCC_ARCH_WORKAROUND_2 0x80007fff
#define SMCCC_ARCH_WORKAROUND_1 0x80008000

/* CPSR fields (Arm DDI 0406C B1.3.3). */
#define PT_MODE_MASK 0x1f
#define PT_MODE_SVC 0x13
#define PT_MODE_HYP 0x1a
#define PT_PSR_A 0x100
#define PT_PSR_I 0x80
#define PT_PSR_F 0x40

#endif
