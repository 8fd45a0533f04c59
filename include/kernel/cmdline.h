/* The kernel command line: "key=value key2 key3=..." words. */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <kernel/types.h>

void cmdline_init(const char *cmdline);
/*
 * The kernel's own copy, for a port that reads the command line itself
 * (ARMv6-M's semihosting) and need not keep a second buffer: it passes
 * cmdline_init() a pointer into it.  Boot only.
 */
char *cmdline_buffer(size_t *size);
const char *cmdline_get(void);

/*
 * Copies the value of the last "key=value" word into buf.  Returns its
 * length, 0 for a bare "key", or -ENOENT.  Truncated values still count
 * their full length (like snprintf).
 */
int cmdline_value(const char *key, char *buf, size_t size);
bool cmdline_has(const char *key);
/* Parses a number with an optional K/M/G suffix; -ENOENT / -EINVAL. */
int cmdline_u64(const char *key, uint64_t *out);

/* The same, over any command-line string (for tests and boot code). */
int cmdline_find(const char *cmdline, const char *key, char *buf, size_t size);

#endif
