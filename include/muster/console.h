/* The console: owned by one CPU at a time (CPU0), printf-style output through newlib. */
#ifndef MUSTER_CONSOLE_H
#define MUSTER_CONSOLE_H

#include <stdarg.h>

void con_init(void);
int con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int con_vprintf(const char *fmt, va_list ap);
void con_puts(const char *s);
/* The fault path's last resort: bytes straight to the board's UART hook, no formatting, no
 * library, no ownership check (the caller is CPU0), no '\n' expansion. */
void con_puts_raw(const char *s);

#endif
