/*
 * CPU0's side of the PSCI firmware: the device tree's request, the console lines, the handoff.
 * The firmware itself (smp/psci.c) touches neither the console nor the device tree.
 */
#include <string.h>

#include <muster/console.h>
#include <muster/fdt.h>
#include <muster/psci.h>
#include <muster/smp.h>

#if PLAT_HAS_PSCI

bool psci_requested(const void *fdt)
{
	uint32_t len;
	const char *method = fdt_find_prop((void *)fdt, "/psci", "method", &len);

	return method && len == sizeof("smc") && memcmp(method, "smc", sizeof("smc")) == 0;
}

void psci_print_boundary(void)
{
	/* What the Non-secure world can reach of what muster reads after the handoff (docs/psci.md). */
#if PLAT_MUSTER_MEMORY_SECURE
	con_printf("psci: monitor memory is Secure-only (RAM 0x%08lx-0x%08lx, flash 0x%08lx-0x%08lx): "
		   "the Non-secure world cannot read or write it\n",
		   (unsigned long)MUSTER_RAM_BASE, (unsigned long)(MUSTER_RAM_BASE + MUSTER_RAM_SIZE - 1U),
		   (unsigned long)MUSTER_FLASH_BASE, (unsigned long)(MUSTER_FLASH_BASE + MUSTER_FLASH_SIZE - 1U));
#elif PLAT_HAS_TZASC
	con_printf("psci: monitor memory (RAM 0x%08lx-0x%08lx) is made Secure-only by the TrustZone "
		   "address-space controller before the OS starts\n",
		   (unsigned long)MUSTER_RAM_BASE, (unsigned long)(MUSTER_RAM_BASE + MUSTER_RAM_SIZE - 1U));
#else
	con_printf("psci: WARNING: monitor memory (RAM 0x%08lx-0x%08lx, flash 0x%08lx-0x%08lx) is "
		   "Non-secure on this board: an OS that writes it can hang the Secure monitor or take "
		   "over its control flow; only /memreserve/ keeps Linux off it\n",
		   (unsigned long)MUSTER_RAM_BASE, (unsigned long)(MUSTER_RAM_BASE + MUSTER_RAM_SIZE - 1U),
		   (unsigned long)MUSTER_FLASH_BASE, (unsigned long)(MUSTER_FLASH_BASE + MUSTER_FLASH_SIZE - 1U));
#endif
}

int psci_boot_os(uint32_t entry, uint32_t r0, uint32_t r1, uint32_t r2)
{
	bool hyp = false;

	switch (psci_prepare_os(&hyp)) {
	case PSCI_OS_READY:
		break;
	case PSCI_OS_NO_SECURITY_EXTENSIONS:
		con_puts("boot: this CPU has no Security Extensions: cannot be PSCI firmware\n");
		return -1;
	default:
		con_puts("boot: the TrustZone address-space controller refused to protect muster's memory: "
			 "no Non-secure OS\n");
		return -1;
	}
	con_printf("boot: PSCI 1.0 over SMC: the OS starts Non-secure in %s mode; CPUs 0x%lx wait "
		   "for CPU_ON\n",
		   hyp ? "HYP" : "SVC", (unsigned long)(smp_online_mask() & ~1U));
	psci_enter_os(entry, r0, r1, r2);
}

/*
 * The OS is done with the machine: the console is muster's again for one summary line. It
 * prints on CPU0, the console's owner (Linux powers off and reboots from CPU0, its default
 * reboot CPU); called on another CPU the line is dropped, as console.c drops any non-owner's.
 */
void psci_report_exit(const char *call, unsigned cpu, const struct psci_totals *t)
{
	con_printf("\npsci: %s from cpu%u: %lu CPU_ON (%lu more released and failed), %lu CPU_OFF, %lu "
		   "late wake-ups absorbed by the monitor\n",
		   call, cpu, (unsigned long)t->cpu_on_ok, (unsigned long)t->cpu_on_failed,
		   (unsigned long)t->cpu_off, (unsigned long)t->late_wakeups);
}

#endif /* PLAT_HAS_PSCI */
