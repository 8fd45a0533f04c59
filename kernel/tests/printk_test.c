/* printk: timestamps, levels and the log buffer. */
#include <string.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>

static char logcopy[1u << (CONFIG_LOG_BUF_SHIFT < 12 ? CONFIG_LOG_BUF_SHIFT : 12)];

/* The last line of the log buffer that contains s, or NULL. */
static const char *
find_in_log(const char *s)
{
	const char *hit = NULL, *p = logcopy;
	size_t n = log_buf_read(logcopy, sizeof(logcopy));

	if (n == 0)
		return NULL;
	while ((p = strstr(p, s)) != NULL)
		hit = p++;
	if (!hit)
		return NULL;
	while (hit > logcopy && hit[-1] != '\n')
		hit--;
	return hit;
}

KTEST(printk, timestamp_format)
{
	const char *line;

	printk(KERN_INFO "ktest marker %d\n", 4242);	/* pr_info may be compiled out */
	line = find_in_log("ktest marker 4242");
	KASSERT(line != NULL);
	/* "[%5llu.%06llu] " */
	KEXPECT_EQ(line[0], '[');
	KEXPECT_EQ(line[6], '.');
	KEXPECT_EQ(line[13], ']');
	KEXPECT_EQ(line[14], ' ');
	for (int i = 7; i < 13; i++)
		KEXPECT(line[i] >= '0' && line[i] <= '9');
	KEXPECT(strncmp(line + 15, "ktest marker 4242\n", 18) == 0);
}

KTEST(printk, debug_level_is_logged)
{
	printk(KERN_DEBUG "ktest debug line\n");
	KEXPECT(find_in_log("ktest debug line") != NULL);
}

KTEST(printk, continuation)
{
	const char *line;

	printk(KERN_INFO "ktest cont a");
	pr_cont(" b");
	pr_cont(" c\n");
	line = find_in_log("ktest cont a b c\n");
	KEXPECT(line != NULL);
}

KTEST(printk, pr_info_follows_config)
{
	pr_info("ktest pr_info line\n");
	/* Left out of small builds with CONFIG_PRINTK_INFO=n. */
	if (IS_ENABLED(CONFIG_PRINTK_INFO))
		KEXPECT(find_in_log("ktest pr_info line") != NULL);
	else
		KEXPECT(find_in_log("ktest pr_info line") == NULL);
}

KTEST(printk, pr_debug_follows_config)
{
	pr_debug("ktest pr_debug line\n");
	/* Compiled in with CONFIG_DEBUG_KERNEL, compiled out without. */
	if (IS_ENABLED(CONFIG_DEBUG_KERNEL))
		KEXPECT(find_in_log("ktest pr_debug line") != NULL);
	else
		KEXPECT(find_in_log("ktest pr_debug line") == NULL);
}
