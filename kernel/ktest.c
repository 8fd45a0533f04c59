/*
 * In-kernel test runner: runs the KTEST()s linked into the kernel and
 * prints flat TAP version 13 for Meson's TAP parser.  Test names are
 * "suite.name"; ktest.filter=<prefix> on the command line (or
 * CONFIG_KTEST_FILTER) selects a subset.
 */
#include <stdarg.h>
#include <string.h>
#include <kernel/cmdline.h>
#include <kernel/cpu.h>
#ifdef CONFIG_VFS
#include <kernel/cred.h>
#endif
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/time.h>

extern const struct ktest __ktests_start[], __ktests_end[];

static struct {
	bool failed;
	const char *skip;
} cur;

void
ktest_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_RAW "# %s:%d: %s\n", file, line, msg);
	cur.failed = true;
}

void
ktest_skip(const char *reason)
{
	cur.skip = reason;
}

bool
ktest_strict_timing(void)
{
	return cmdline_has("ktest.strict_timing");
}

uint64_t
ktest_deadline(uint64_t strict_ns)
{
	return time_ns() + (ktest_strict_timing() ? strict_ns : 10 * NSEC_PER_SEC);
}

bool
ktest_failed(void)
{
	return cur.failed;
}

#ifdef CONFIG_VFS
const struct cred *
ktest_become_user(void)
{
	const struct cred *old = get_cred(current_cred());
	struct cred *c = cred_prepare();

	if (!c) {
		put_cred(old);
		return NULL;
	}
	c->uid = c->euid = c->suid = c->fsuid = 1000;
	c->gid = c->egid = c->sgid = c->fsgid = 1000;
	c->ngroups = 0;
	cred_commit(c);
	return old;
}

void
ktest_restore_cred(const struct cred *old)
{
	cred_commit((struct cred *)old);
}
#endif

static bool
selected(const struct ktest *t, const char *filter)
{
	size_t slen = strlen(t->suite), flen = strlen(filter);
	char name[64];

	if (!flen)
		return true;
	if (slen + 1 + strlen(t->name) >= sizeof(name))
		return false;
	memcpy(name, t->suite, slen);
	name[slen] = '.';
	strlcpy(name + slen + 1, t->name, sizeof(name) - slen - 1);
	return strncmp(name, filter, flen) == 0;
}

#ifdef CONFIG_THREADS
void ktest_misuse(void);
#endif
#ifdef CONFIG_PROCESSES
void ktest_reboot(void);
#endif

int
ktest_run_all(void)
{
	char filter[64];
	unsigned int planned = 0, n = 0, failures = 0;

#ifdef CONFIG_THREADS
	ktest_misuse();			/* ktest.misuse=...: panics on purpose */
#endif
#ifdef CONFIG_PROCESSES
	ktest_reboot();			/* ktest.reboot=...: ends the machine on purpose */
#endif
	if (cmdline_value("ktest.filter", filter, sizeof(filter)) < 0)
		strlcpy(filter, CONFIG_KTEST_FILTER, sizeof(filter));
	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++)
		planned += selected(t, filter);

	printk(KERN_RAW "TAP version 13\n");
	printk(KERN_RAW "1..%u\n", planned);
	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
		if (!selected(t, filter))
			continue;
		cur.failed = false;
		cur.skip = NULL;
		t->fn();
		n++;
		if (cur.failed) {
			failures++;
			printk(KERN_RAW "not ok %u %s.%s\n", n, t->suite, t->name);
		} else if (cur.skip) {
			printk(KERN_RAW "ok %u %s.%s # SKIP %s\n", n, t->suite, t->name, cur.skip);
		} else {
			printk(KERN_RAW "ok %u %s.%s\n", n, t->suite, t->name);
		}
	}
	printk(KERN_RAW "# ktest: %u tests, %u failed\n", n, failures);
	return failures ? -1 : 0;
}
