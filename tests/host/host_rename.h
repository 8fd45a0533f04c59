/*
 * Force-included into kernel sources built for host unit tests: gives the
 * kernel's libc-named functions other names, so the test links them next
 * to the host's C library and can compare the two.
 */
#define memcpy		k_memcpy
#define memmove		k_memmove
#define memset		k_memset
#define memcmp		k_memcmp
#define memchr		k_memchr
#define strlen		k_strlen
#define strnlen		k_strnlen
#define strcmp		k_strcmp
#define strncmp		k_strncmp
#define strchr		k_strchr
#define strrchr		k_strrchr
#define strlcpy		k_strlcpy
#define strstr		k_strstr
#define strtoul		k_strtoul
#define strtol		k_strtol
#define strtoull	k_strtoull
#define snprintf	k_snprintf
#define vsnprintf	k_vsnprintf

#define CONFIG_CMDLINE	"default=1"

/* Not in the host's C library (glibc < 2.38), so declared here. */
#include <stddef.h>
size_t k_strlcpy(char *dst, const char *src, size_t size);

/* Kconfig values for core code built on the host. */
#define CONFIG_LOG_BUF_SHIFT	10
#define CONFIG_LOGLEVEL		6
#define CONFIG_PRINTK_INFO	1
#define CONFIG_HZ		100
#define CONFIG_NR_IRQS		64
#define CONFIG_NR_IRQ_HANDLERS	16
#define CONFIG_MAX_DEVICES	16
#define CONFIG_RTOS_HEAP_REGIONS 4	/* the default: mm.heap checks the table fills */
#ifndef CONFIG_NR_CPUS
#define CONFIG_NR_CPUS		1	/* the host port is one CPU */
#endif
/*
 * The MMU profile, unless a test builds the RTOS one (-DHOST_NO_MMU: thread
 * stacks from kmalloc, as the scheduler tests want); a -U on the command
 * line could not undo a #define here.
 */
#ifndef HOST_NO_MMU
#define CONFIG_MMU		1
#define CONFIG_PAGING		1
#endif

/* Link-time tables come from the tests, not a linker script. */
#define __drivers_start	host_drivers_start
#define __drivers_end	host_drivers_end
