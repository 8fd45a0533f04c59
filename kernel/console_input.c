/*
 * Bytes typed on the console of a kernel without terminals (no
 * CONFIG_TTY: the RTOS profile).  The UART drivers hand each byte their
 * receive interrupt gets to console_input().  Ctrl-T (BSD's status key)
 * prints the thread list (thread_list_print(), kite_ps); nothing reads
 * the console otherwise, so other bytes are dropped.
 */
#include <kernel/atomic.h>
#include <kernel/printk.h>
#include <kernel/thread.h>

#define STATUS_KEY	0x14		/* Ctrl-T */

static unsigned long status_requests;	/* written in interrupts, one CPU */

void
console_input(char c)
{
	if (c == STATUS_KEY) {
		thread_list_print();
		WRITE_ONCE(status_requests, status_requests + 1);
	}
}

unsigned long
console_status_requests(void)
{
	return READ_ONCE(status_requests);
}
