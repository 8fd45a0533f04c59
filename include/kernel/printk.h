/*
 * The one kernel printf.  printk() takes a Linux-style level prefix
 * (KERN_INFO "..."), stamps each line with the monotonic time, keeps it in
 * the log buffer and writes it to every console whose level allows it.
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>
#include <kernel/compiler.h>
#include <kernel/types.h>

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_CONT	KERN_SOH "c"	/* continue the previous line */
#define KERN_RAW	KERN_SOH "r"	/* no timestamp, always shown (TAP) */

#define LOGLEVEL_DEFAULT 6

__printf(1, 2) int printk(const char *fmt, ...);
int vprintk(const char *fmt, va_list ap);

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#define pr_emerg(fmt, ...)	printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
/* Informational messages can be left out of small builds (CONFIG_PRINTK_INFO). */
#ifdef CONFIG_PRINTK_INFO
#define pr_info(fmt, ...)	printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#else
#define pr_info(fmt, ...)	do { if (0) printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__); } while (0)
#endif
/* Debug messages exist only in CONFIG_DEBUG_KERNEL builds. */
#ifdef CONFIG_DEBUG_KERNEL
#define pr_debug(fmt, ...)	printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#else
#define pr_debug(fmt, ...)	do { if (0) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__); } while (0)
#endif
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)

/* Formatting into a buffer; always NUL-terminates when size > 0. */
__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/*
 * Consoles receive finished text.  write() must work with interrupts
 * masked and from exception context (it polls the device).
 */
struct console {
	const char *name;
	void (*write)(struct console *con, const char *s, size_t len);
	void *priv;
	struct console *next;
};

#ifndef CONFIG_TTY
/*
 * A byte typed on a console when there are no terminals (from the UART's
 * receive interrupt): Ctrl-T prints the thread list, the rest is ignored.
 * console_status_requests() counts the Ctrl-Ts handled.
 */
void console_input(char c);
unsigned long console_status_requests(void);
#endif

/* Registers a console and replays the log buffer onto it. */
void console_register(struct console *con);
bool console_present(void);
/*
 * Text written to /dev/console or a serial terminal: to con, or (NULL)
 * to every console, as printk writes but with no timestamp and without
 * the log buffer.  Serialised with printk's own output.
 */
void console_write(struct console *con, const char *s, size_t len);

/*
 * Copies the log buffer's contents, oldest first; when size is too small,
 * the newest size - 1 bytes.  Returns bytes copied.
 */
size_t log_buf_read(char *buf, size_t size);

/* panic(): the other CPUs are stopped; take the log lock over if one held it. */
void printk_panic_takeover(void);

#endif
