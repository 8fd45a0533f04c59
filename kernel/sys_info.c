/*
 * System information calls: uname (and i386's olduname, oldolduname),
 * sethostname, setdomainname, sysinfo, getrandom.  The host and domain
 * names live here, guarded by uts_lock.
 */
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/loadavg.h>
#include <kernel/mm.h>
#include <kernel/random.h>
#include <kernel/spinlock.h>
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>
#include <kernel/uapi_info.h>
#include <kernel/utsname.h>
#include <kernel/version.h>
#include <kernel/vfs.h>
#include <arch/mmu.h>
#include <string.h>

/* What uname(2) says the machine is: Linux's names (i386 reports i686). */
#if defined(CONFIG_ARCH_AARCH64)
#define UTS_MACHINE	"aarch64"
#elif defined(CONFIG_ARCH_X86_64)
#define UTS_MACHINE	"x86_64"
#elif defined(CONFIG_ARCH_I386)
#define UTS_MACHINE	"i686"
#else
#define UTS_MACHINE	CONFIG_ARCH
#endif

static struct spinlock uts_lock = SPINLOCK_INIT("uts");
static char uts_nodename[LINUX_NEW_UTS_LEN + 1] = UTS_NODENAME;	/* uts_lock */
static char uts_domainname[LINUX_NEW_UTS_LEN + 1] = "(none)";	/* uts_lock */

void
utsname_read(struct linux_new_utsname *u)
{
	unsigned long flags;

	memset(u, 0, sizeof(*u));
	strlcpy(u->sysname, UTS_SYSNAME, sizeof(u->sysname));
	strlcpy(u->release, UTS_RELEASE, sizeof(u->release));
	strlcpy(u->version, UTS_VERSION, sizeof(u->version));
	strlcpy(u->machine, UTS_MACHINE, sizeof(u->machine));
	flags = spin_lock_irqsave(&uts_lock);
	memcpy(u->nodename, uts_nodename, sizeof(u->nodename));
	memcpy(u->domainname, uts_domainname, sizeof(u->domainname));
	spin_unlock_irqrestore(&uts_lock, flags);
}

SYSCALL_DEFINE1(uname, struct linux_new_utsname __user *, name)
{
	struct linux_new_utsname u;

	utsname_read(&u);
	return copy_to_user(name, &u, sizeof(u));
}

#ifdef CONFIG_ARCH_I386
SYSCALL_DEFINE1(olduname, struct linux_old_utsname __user *, name)
{
	struct linux_new_utsname u;

	utsname_read(&u);
	return copy_to_user(name, &u, sizeof(struct linux_old_utsname));
}

/* Each field cut to 8 characters and a NUL, as Linux does. */
SYSCALL_DEFINE1(oldolduname, struct linux_oldold_utsname __user *, name)
{
	struct linux_new_utsname u;
	struct linux_oldold_utsname o;

	utsname_read(&u);
	memset(&o, 0, sizeof(o));
	memcpy(o.sysname, u.sysname, LINUX_OLD_UTS_LEN);
	memcpy(o.nodename, u.nodename, LINUX_OLD_UTS_LEN);
	memcpy(o.release, u.release, LINUX_OLD_UTS_LEN);
	memcpy(o.version, u.version, LINUX_OLD_UTS_LEN);
	memcpy(o.machine, u.machine, LINUX_OLD_UTS_LEN);
	return copy_to_user(name, &o, sizeof(o));
}
#endif

int
utsname_set(bool domain, const char *name, size_t len)
{
	char tmp[LINUX_NEW_UTS_LEN + 1];
	unsigned long flags;

	if (len > LINUX_NEW_UTS_LEN)
		return -EINVAL;
	memset(tmp, 0, sizeof(tmp));
	memcpy(tmp, name, len);
	flags = spin_lock_irqsave(&uts_lock);
	memcpy(domain ? uts_domainname : uts_nodename, tmp, sizeof(tmp));
	spin_unlock_irqrestore(&uts_lock, flags);
	return 0;
}

/* sethostname, setdomainname: root only, at most 64 bytes, no NUL needed. */
static long
set_uts_name(bool domain, const char __user *name, int len)
{
	char tmp[LINUX_NEW_UTS_LEN];
	int err;

	if (current_cred()->euid != 0)
		return -EPERM;		/* Linux: CAP_SYS_ADMIN */
	if (len < 0 || len > LINUX_NEW_UTS_LEN)
		return -EINVAL;
	err = copy_from_user(tmp, name, (size_t)len);
	return err ? err : utsname_set(domain, tmp, (size_t)len);
}

SYSCALL_DEFINE2(sethostname, const char __user *, name, int, len)
{
	return set_uts_name(false, name, len);
}

SYSCALL_DEFINE2(setdomainname, const char __user *, name, int, len)
{
	return set_uts_name(true, name, len);
}

/*
 * Memory in pages with mem_unit PAGE_SIZE, then, as Linux's do_sysinfo(),
 * in bytes with mem_unit 1 when RAM plus swap in bytes fits an unsigned
 * long (always on the 64-bit ports; on i386 below 4 GiB).
 */
void
sysinfo_read(struct linux_sysinfo *si)
{
	struct mm_stats mm;
	uint64_t ns = time_ns();
	unsigned long total;
	unsigned int shift = 0;

	memset(si, 0, sizeof(*si));
	si->uptime = (long)(ns / NSEC_PER_SEC) + (ns % NSEC_PER_SEC ? 1 : 0);
	loadavg_get(si->loads, 0, LINUX_SI_LOAD_SHIFT - FSHIFT);
	mm_stats(&mm);
	si->totalram = mm.total_pages;
	si->freeram = mm.free_pages;
#ifdef CONFIG_TMPFS
	si->sharedram = tmpfs_pages_in_use();
#endif
	si->procs = (uint16_t)thread_count();
	si->mem_unit = PAGE_SIZE;
	total = si->totalram + si->totalswap;
	if (total < si->totalram)
		return;
	while ((1ul << shift) < PAGE_SIZE) {
		if (total > (unsigned long)-1 >> 1)
			return;		/* would overflow: keep pages */
		total <<= 1;
		shift++;
	}
	si->mem_unit = 1;
	si->totalram <<= shift;
	si->freeram <<= shift;
	si->sharedram <<= shift;
	si->bufferram <<= shift;
	si->totalswap <<= shift;
	si->freeswap <<= shift;
	si->totalhigh <<= shift;
	si->freehigh <<= shift;
}

SYSCALL_DEFINE1(sysinfo, struct linux_sysinfo __user *, info)
{
	struct linux_sysinfo si;

	sysinfo_read(&si);
	return copy_to_user(info, &si, sizeof(si));
}

#ifdef CONFIG_RANDOM
#define GRND_NONBLOCK	0x0001
#define GRND_RANDOM	0x0002
#define GRND_INSECURE	0x0004

/* Longer requests are cut to this, as Linux did before 5.18. */
#define GETRANDOM_MAX	((1ul << 25) - 1)

SYSCALL_DEFINE3(getrandom, char __user *, buf, size_t, count, unsigned int, flags)
{
	unsigned char chunk[256];
	size_t done = 0;
	long ret = 0;
	int err;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & (GRND_INSECURE | GRND_RANDOM)) == (GRND_INSECURE | GRND_RANDOM))
		return -EINVAL;		/* insecure yet blocking: meaningless */
	if (!(flags & GRND_INSECURE)) {
		err = random_wait_ready(flags & GRND_NONBLOCK);
		if (err)
			return err;
	}
	if (count > GETRANDOM_MAX)
		count = GETRANDOM_MAX;
	if (!access_ok(buf, count))
		return -EFAULT;
	while (done < count) {
		size_t n = count - done < sizeof(chunk) ? count - done : sizeof(chunk);

		/* A signal ends a long read early: what was copied counts. */
		if (done && done % PAGE_SIZE == 0 && thread_signal_pending(thread_current()))
			break;
		get_random_bytes(chunk, n);
		err = copy_to_user(buf + done, chunk, n);
		if (err) {
			ret = err;
			break;
		}
		done += n;
	}
	explicit_bzero(chunk, sizeof(chunk));	/* no random bytes left on the stack */
	return done ? (long)done : ret;
}
#endif
