/* Versatile Express motherboard (V2M-P1) configuration controller: power-off and reboot. */
#ifndef PLATFORM_V2M_SYSCFG_H
#define PLATFORM_V2M_SYSCFG_H

#include <stdint.h>

#define V2M_SYS_CFGDATA 0xa0 /* [MB] DUI 0447 4.3.17: motherboard configuration controller */
#define V2M_SYS_CFGCTRL 0xa4
#define V2M_CFG_FUNC_SHUTDOWN 8 /* function codes, [MB] 4.3.17; QEMU's arm_sysctl honours both */
#define V2M_CFG_FUNC_REBOOT 9

/* Ask the motherboard's power controller (site 0, device 0) for `function`; never returns. */
void v2m_sys_cfg(uintptr_t sysregs, unsigned function) __attribute__((noreturn));

#endif
