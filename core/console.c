/* Console output: newlib-nano formats, the platform UART writes, only the owning CPU may print. */
#include <stdio.h>

#include <muster/arch.h>
#include <muster/console.h>
#include <muster/cpu.h>
#include <muster/platform.h>

#define CONSOLE_OWNER 0 /* CPU0; secondaries report through their mailbox slots instead */

static unsigned dropped;

static int owns_console(void)
{
	return cpu_index_of(read_mpidr()) == CONSOLE_OWNER;
}

void con_init(void)
{
	plat_console_init();
}

void con_puts(const char *s)
{
	if (!owns_console()) {
		dropped++;
		return;
	}
	for (; *s; s++) {
		if (*s == '\n')
			plat_console_putc('\r');
		plat_console_putc(*s);
	}
}

void con_puts_raw(const char *s)
{
	while (*s)
		plat_console_putc(*s++);
}

int con_vprintf(const char *fmt, va_list ap)
{
	char buf[256];
	int len = vsnprintf(buf, sizeof(buf), fmt, ap);

	con_puts(buf);
	if (len >= (int)sizeof(buf))
		con_puts("...[truncated]\n");
	return len;
}

int con_printf(const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = con_vprintf(fmt, ap);
	va_end(ap);
	return len;
}
