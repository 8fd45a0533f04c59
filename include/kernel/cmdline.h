/* The kernel command line: "key=value key2 key3=..." words. */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <kernel/types.h>

/*
 * At boot: the loader's command line, or CONFIG_CMDLINE when it passes
 * none (NULL or "").  With an MMU it is copied (truncated at 511 bytes);
 * without one it must stay where it is for good.
 */
void cmdline_init(const char *cmdline);
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
