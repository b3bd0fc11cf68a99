/* CPU numbering: the one mapping from MPIDR affinity to muster's dense CPU index. */
#ifndef MUSTER_CPU_H
#define MUSTER_CPU_H

#include <muster/platform.h>

#define MPIDR_AFF0(m) ((m) & 0xffU)
#define MPIDR_AFF1(m) (((m) >> 8) & 0xffU)
#define MPIDR_AFF2(m) (((m) >> 16) & 0xffU)
#define MPIDR_AFF_MASK 0x00ffffffU
#define MPIDR_MP_FORMAT 0x80000000U

#ifndef __ASSEMBLER__
#include <stdint.h>

/*
 * index = Aff1 * PLAT_CORES_PER_CLUSTER + Aff0, for Aff2 == 0 and Aff0 within the cluster.
 * Returns -1 for an MPIDR that is not one of this board's cores. boot/start.S computes the
 * same formula (CPU_INDEX macro below) before any stack exists.
 */
static inline int cpu_index_of(uint32_t mpidr)
{
	uint32_t aff0 = MPIDR_AFF0(mpidr), aff1 = MPIDR_AFF1(mpidr);
	uint32_t idx = aff1 * PLAT_CORES_PER_CLUSTER + aff0;

	if (MPIDR_AFF2(mpidr) != 0 || aff0 >= PLAT_CORES_PER_CLUSTER || idx >= PLAT_MAX_CPUS)
		return -1;
	return (int)idx;
}

/* The MPIDR affinity of CPU idx (MP-format bit set, as the hardware reports it). */
static inline uint32_t cpu_mpidr_of(unsigned idx)
{
	return MPIDR_MP_FORMAT | ((idx / PLAT_CORES_PER_CLUSTER) << 8) | (idx % PLAT_CORES_PER_CLUSTER);
}

#else /* __ASSEMBLER__ */

/*
 * CPU_INDEX rd, rmpidr, rtmp: rd = dense index of the MPIDR in rmpidr, or 0xffffffff when the
 * MPIDR is not one of this board's cores. Clobbers rtmp and the flags.
 */
.macro CPU_INDEX rd, rmpidr, rtmp
	ubfx	\rtmp, \rmpidr, #16, #8		@ Aff2 must be 0
	cmp	\rtmp, #0
	bne	98f
	ubfx	\rtmp, \rmpidr, #0, #8		@ Aff0
	cmp	\rtmp, #PLAT_CORES_PER_CLUSTER
	bhs	98f
	ubfx	\rd, \rmpidr, #8, #8		@ Aff1
	.if PLAT_CORES_PER_CLUSTER == 1
	.elseif PLAT_CORES_PER_CLUSTER == 2
	lsl	\rd, \rd, #1
	.elseif PLAT_CORES_PER_CLUSTER == 4
	lsl	\rd, \rd, #2
	.elseif PLAT_CORES_PER_CLUSTER == 8
	lsl	\rd, \rd, #3
	.else
	.error "PLAT_CORES_PER_CLUSTER must be 1, 2, 4 or 8"
	.endif
	add	\rd, \rd, \rtmp
	cmp	\rd, #PLAT_MAX_CPUS
	blo	99f
98:	mvn	\rd, #0
99:
.endm

#endif /* __ASSEMBLER__ */
#endif
