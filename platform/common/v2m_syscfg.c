/* V2M-P1 SYS_CFG requests (DUI 0447 4.3.17): what powers a Versatile Express board off or reboots it. */
#include <muster/arch.h>

#include "v2m_syscfg.h"

#define V2M_CFG_START (1U << 31)
#define V2M_CFG_WRITE (1U << 30)

void v2m_sys_cfg(uintptr_t sysregs, unsigned function)
{
	mmio_write32(sysregs + V2M_SYS_CFGDATA, 0);
	/* Motherboard site 0, position 0, device 0: the power controller. */
	mmio_write32(sysregs + V2M_SYS_CFGCTRL, V2M_CFG_START | V2M_CFG_WRITE | (function << 20));
	for (;;)
		wfi();
}
