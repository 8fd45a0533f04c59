/*
 * Memory locking: mlock, mlock2 (MLOCK_ONFAULT), munlock, mlockall
 * (MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT), munlockall and MAP_LOCKED:
 * locked ranges are resident and counted in VmLck, a lock survives
 * mremap but not fork, RLIMIT_MEMLOCK bounds an unprivileged caller
 * (ENOMEM, EPERM, EAGAIN), bad ranges and flags fail as on Linux.
 */
#include "kt.h"

#include <sys/mman.h>
#include <sys/resource.h>

#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

/* A field of /proc/self/status, in kB (-1: not found). */
static long status_kb(const char *field)
{
	char buf[4096], *p;

	if (kt_read_file("/proc/self/status", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, field);
	return p ? strtol(p + strlen(field), NULL, 10) : -1;
}

static long vm_lck(void)
{
	return status_kb("VmLck:");
}

/* Pages of [p, p + pages) resident (mincore). */
static int resident(void *p, size_t pages)
{
	unsigned char vec[64];
	int n = 0;

	if (pages > sizeof(vec) || mincore(p, pages * KT_PAGE, vec))
		return -1;
	for (size_t i = 0; i < pages; i++)
		n += vec[i] & 1;
	return n;
}

static char *map(size_t pages, int flags)
{
	char *p = mmap(NULL, pages * KT_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);

	if (p == MAP_FAILED) {
		KT_FAIL("mmap: %s", kt_errname(errno));
		kt_abort();
	}
	return p;
}

/* Unprivileged, with RLIMIT_MEMLOCK at pages; ends the test on failure. */
static void limit_memlock(size_t pages)
{
	struct rlimit rl;

	struct rlimit want = { pages * KT_PAGE, pages * KT_PAGE };

	/*
	 * Set before dropping privileges: root may raise it (with
	 * CAP_SYS_RESOURCE); otherwise at most the hard limit.
	 */
	REQUIRE_OK(getrlimit(RLIMIT_MEMLOCK, &rl));
	if (setrlimit(RLIMIT_MEMLOCK, &want) != 0) {
		if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want.rlim_max)
			rl.rlim_max = want.rlim_max;
		rl.rlim_cur = rl.rlim_max;
		REQUIRE_OK(setrlimit(RLIMIT_MEMLOCK, &rl));
	}
	kt_drop_privileges();
}

static void lock_unlock(void)
{
	long base = vm_lck();
	char *p = map(4, 0);

	REQUIRE(base >= 0);
	limit_memlock(64);	/* as Linux's default 8 MiB would, for a non-root suite */
	CHECK_EQ(resident(p, 4), 0);
	CHECK_OK(mlock(p, 4 * KT_PAGE));
	CHECK_EQ(resident(p, 4), 4);
	CHECK_EQ(vm_lck(), base + 16);
	CHECK_OK(mlock(p, 4 * KT_PAGE));		/* again: counted once */
	CHECK_EQ(vm_lck(), base + 16);
	CHECK_OK(munlock(p + KT_PAGE, KT_PAGE));	/* splits the area */
	CHECK_EQ(vm_lck(), base + 12);
	CHECK_OK(munlock(p, 4 * KT_PAGE));
	CHECK_EQ(vm_lck(), base);
	/* An unaligned start: the page holding it and the length's pages. */
	CHECK_OK(mlock(p + 100, KT_PAGE));
	CHECK_EQ(vm_lck(), base + 8);
	CHECK_ERR(msync(p, KT_PAGE, MS_INVALIDATE), EBUSY);	/* locked pages stay */
	CHECK_OK(munlock(p + 100, KT_PAGE));
	CHECK_OK(msync(p, KT_PAGE, MS_INVALIDATE));
	CHECK_OK(mlock(p, 0));
	CHECK_EQ(vm_lck(), base);
	/* A hole in the range. */
	CHECK_OK(munmap(p + 2 * KT_PAGE, KT_PAGE));
	CHECK_ERR(mlock(p, 4 * KT_PAGE), ENOMEM);
	CHECK_ERR(munlock(p, 4 * KT_PAGE), ENOMEM);
	CHECK_ERR(mlock((void *)(uintptr_t)-KT_PAGE, 2 * KT_PAGE), EINVAL);	/* wraps */
	CHECK_ERR(mlock2(p, KT_PAGE, 2), EINVAL);
	munmap(p, 4 * KT_PAGE);
}

static void onfault(void)
{
	long base = vm_lck();
	char *p = map(4, 0);

	limit_memlock(64);
	CHECK_OK(mlock2(p, 4 * KT_PAGE, MLOCK_ONFAULT));
	CHECK_EQ(resident(p, 4), 0);
	CHECK_EQ(vm_lck(), base + 16);
	p[0] = 1;
	CHECK_EQ(resident(p, 4), 1);
	CHECK_OK(mlock2(p, 4 * KT_PAGE, 0));		/* now fully: faulted in */
	CHECK_EQ(resident(p, 4), 4);
	CHECK_OK(munlockall());
	CHECK_EQ(vm_lck(), 0);
}

static void lockall(void)
{
	char *p, *q;

	/* The whole program (VmSize) and room to grow. */
	limit_memlock((size_t)status_kb("VmSize:") / 4 + 1024);
	CHECK_ERR(mlockall(0), EINVAL);
	CHECK_ERR(mlockall(MCL_ONFAULT), EINVAL);
	CHECK_ERR(mlockall(8), EINVAL);
	p = map(2, 0);
	if (mlockall(MCL_CURRENT)) {
		struct rlimit rl;

		getrlimit(RLIMIT_MEMLOCK, &rl);
		KT_FAIL("mlockall(MCL_CURRENT): %s (VmSize %ld kB, RLIMIT_MEMLOCK %llu)",
			kt_errname(errno), status_kb("VmSize:"), (unsigned long long)rl.rlim_cur);
	}
	CHECK(vm_lck() >= 8);
	CHECK_EQ(resident(p, 2), 2);
	q = map(2, 0);			/* not MCL_FUTURE: not locked */
	CHECK_EQ(resident(q, 2), 0);
	CHECK_OK(munlockall());
	CHECK_EQ(vm_lck(), 0);

	CHECK_OK(mlockall(MCL_FUTURE));
	CHECK_EQ(vm_lck(), 0);
	q = map(3, 0);
	CHECK_EQ(resident(q, 3), 3);
	CHECK_EQ(vm_lck(), 12);
	CHECK_OK(mlockall(MCL_FUTURE | MCL_ONFAULT));
	q = map(3, 0);
	CHECK_EQ(resident(q, 3), 0);
	CHECK_EQ(vm_lck(), 24);
	CHECK_OK(munlockall());
	CHECK_EQ(vm_lck(), 0);
	q = map(1, MAP_LOCKED);
	CHECK_EQ(resident(q, 1), 1);
	CHECK_EQ(vm_lck(), 4);
}

static void fork_and_mremap(void)
{
	char *p = map(2, 0), *q;
	pid_t pid;

	limit_memlock(64);
	CHECK_OK(mlockall(MCL_FUTURE));
	CHECK_OK(mlock(p, 2 * KT_PAGE));
	pid = kt_fork();
	if (pid == 0) {
		/* Neither the locks nor MCL_FUTURE are inherited. */
		char *c = mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		_exit(vm_lck() == 0 && c != MAP_FAILED && resident(c, 1) == 0 ? 0 : 1);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	CHECK_EQ(vm_lck(), 8);
	CHECK_OK(munlockall());
	CHECK_OK(mlock(p, 2 * KT_PAGE));
	/* The lock moves with the pages. */
	q = mremap(p, 2 * KT_PAGE, 2 * KT_PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, p + 16 * KT_PAGE);
	REQUIRE(q != MAP_FAILED);
	CHECK_EQ(vm_lck(), 8);
	CHECK_OK(munlock(q, 2 * KT_PAGE));
	CHECK_EQ(vm_lck(), 0);
}

static void rlimit_memlock(void)
{
	struct rlimit rl = { 0, 0 }, saved;	/* soft limit 0 */
	char *p = map(4, 0), *q;
	pid_t pid;

	if (!kt_is_root())
		kt_skip("needs root to lock beyond RLIMIT_MEMLOCK");
	/* CAP_IPC_LOCK: root locks beyond the limit. */
	REQUIRE_OK(getrlimit(RLIMIT_MEMLOCK, &saved));
	rl.rlim_max = saved.rlim_max;
	REQUIRE_OK(setrlimit(RLIMIT_MEMLOCK, &rl));
	CHECK_OK(mlock(p, 4 * KT_PAGE));
	CHECK_OK(munlock(p, 4 * KT_PAGE));
	REQUIRE_OK(setrlimit(RLIMIT_MEMLOCK, &saved));
	pid = kt_fork();
	if (pid == 0) {
		limit_memlock(2);
		CHECK_ERR(mlock(p, 3 * KT_PAGE), ENOMEM);
		CHECK_OK(mlock(p, 2 * KT_PAGE));
		CHECK_OK(mlock(p + KT_PAGE, KT_PAGE));	/* already locked: no more */
		CHECK_ERR(mlock(p + 2 * KT_PAGE, KT_PAGE), ENOMEM);
		CHECK_ERR(mlockall(MCL_CURRENT), ENOMEM);
		q = mmap(NULL, KT_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
		CHECK(q == MAP_FAILED && errno == EAGAIN);
		CHECK_OK(munlock(p, 4 * KT_PAGE));
		rl.rlim_cur = rl.rlim_max = 0;
		CHECK_OK(setrlimit(RLIMIT_MEMLOCK, &rl));
		CHECK_ERR(mlock(p, KT_PAGE), EPERM);
		CHECK_ERR(mlockall(MCL_FUTURE), EPERM);
		CHECK_OK(munlock(p, KT_PAGE));
		CHECK_OK(munlockall());
		_exit(kt_failures ? 1 : 0);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
}

KT_TABLE(mlock) = {
	{"mlock.lock_unlock", lock_unlock},
	{"mlock.onfault", onfault},
	{"mlock.lockall", lockall},
	{"mlock.fork_and_mremap", fork_and_mremap},
	{"mlock.rlimit", rlimit_memlock},
	{NULL, NULL},
};
