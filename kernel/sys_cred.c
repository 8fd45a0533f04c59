/*
 * User and group ids as system calls, with Linux's rules: root (euid 0)
 * may set any id; others may only move among their real, effective and
 * saved ids.  The filesystem id follows the effective one.  i386's old
 * 16-bit calls map -1 and ids above 65535 as Linux's *16 wrappers do.
 */
#include <string.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>

#define NO_ID		((unsigned int)-1)

SYSCALL_DEFINE0(getuid) { return current_cred()->uid; }
SYSCALL_DEFINE0(geteuid) { return current_cred()->euid; }
SYSCALL_DEFINE0(getgid) { return current_cred()->gid; }
SYSCALL_DEFINE0(getegid) { return current_cred()->egid; }

/* Commit c, or drop it and return err. */
static long
commit_or(struct cred *c, long err)
{
	if (err) {
		put_cred(c);
		return err;
	}
	cred_commit(c);
	return 0;
}

static bool
privileged(void)
{
	return current_cred()->euid == 0;
}

/* Any of the caller's real, effective or saved user ids. */
static bool
own_uid(const struct cred *c, uid_t id)
{
	return id == c->uid || id == c->euid || id == c->suid;
}

static bool
own_gid(const struct cred *c, gid_t id)
{
	return id == c->gid || id == c->egid || id == c->sgid;
}

SYSCALL_DEFINE3(setresuid, uid_t, ruid, uid_t, euid, uid_t, suid)
{
	struct cred *c = cred_prepare();

	if (!c)
		return -ENOMEM;
	if (!privileged() && ((ruid != NO_ID && !own_uid(c, ruid)) ||
			      (euid != NO_ID && !own_uid(c, euid)) ||
			      (suid != NO_ID && !own_uid(c, suid))))
		return commit_or(c, -EPERM);
	if (ruid != NO_ID)
		c->uid = ruid;
	if (euid != NO_ID)
		c->euid = euid;
	if (suid != NO_ID)
		c->suid = suid;
	c->fsuid = c->euid;
	return commit_or(c, 0);
}

SYSCALL_DEFINE3(setresgid, gid_t, rgid, gid_t, egid, gid_t, sgid)
{
	struct cred *c = cred_prepare();

	if (!c)
		return -ENOMEM;
	if (!privileged() && ((rgid != NO_ID && !own_gid(c, rgid)) ||
			      (egid != NO_ID && !own_gid(c, egid)) ||
			      (sgid != NO_ID && !own_gid(c, sgid))))
		return commit_or(c, -EPERM);
	if (rgid != NO_ID)
		c->gid = rgid;
	if (egid != NO_ID)
		c->egid = egid;
	if (sgid != NO_ID)
		c->sgid = sgid;
	c->fsgid = c->egid;
	return commit_or(c, 0);
}

/* setuid(2): root sets all three; others only the effective id, to real or saved. */
SYSCALL_DEFINE1(setuid, uid_t, uid)
{
	struct cred *c;

	if (uid == NO_ID)
		return -EINVAL;
	c = cred_prepare();
	if (!c)
		return -ENOMEM;
	if (privileged()) {
		c->uid = c->euid = c->suid = uid;
	} else if (uid == c->uid || uid == c->suid) {
		c->euid = uid;
	} else {
		return commit_or(c, -EPERM);
	}
	c->fsuid = c->euid;
	return commit_or(c, 0);
}

SYSCALL_DEFINE1(setgid, gid_t, gid)
{
	struct cred *c;

	if (gid == NO_ID)
		return -EINVAL;
	c = cred_prepare();
	if (!c)
		return -ENOMEM;
	if (privileged()) {
		c->gid = c->egid = c->sgid = gid;
	} else if (gid == c->gid || gid == c->sgid) {
		c->egid = gid;
	} else {
		return commit_or(c, -EPERM);
	}
	c->fsgid = c->egid;
	return commit_or(c, 0);
}

/*
 * setreuid(2): the saved id becomes the new effective one when the real
 * id is set, or the effective one changes to something other than the
 * old real id (Linux's rule).
 */
SYSCALL_DEFINE2(setreuid, uid_t, ruid, uid_t, euid)
{
	struct cred *c = cred_prepare();
	uid_t old_ruid;

	if (!c)
		return -ENOMEM;
	old_ruid = c->uid;
	if (!privileged() && ((ruid != NO_ID && ruid != c->uid && ruid != c->euid) ||
			      (euid != NO_ID && !own_uid(c, euid))))
		return commit_or(c, -EPERM);
	if (ruid != NO_ID)
		c->uid = ruid;
	if (euid != NO_ID)
		c->euid = euid;
	if (ruid != NO_ID || (euid != NO_ID && euid != old_ruid))
		c->suid = c->euid;
	c->fsuid = c->euid;
	return commit_or(c, 0);
}

SYSCALL_DEFINE2(setregid, gid_t, rgid, gid_t, egid)
{
	struct cred *c = cred_prepare();
	gid_t old_rgid;

	if (!c)
		return -ENOMEM;
	old_rgid = c->gid;
	if (!privileged() && ((rgid != NO_ID && rgid != c->gid && rgid != c->egid) ||
			      (egid != NO_ID && !own_gid(c, egid))))
		return commit_or(c, -EPERM);
	if (rgid != NO_ID)
		c->gid = rgid;
	if (egid != NO_ID)
		c->egid = egid;
	if (rgid != NO_ID || (egid != NO_ID && egid != old_rgid))
		c->sgid = c->egid;
	c->fsgid = c->egid;
	return commit_or(c, 0);
}

SYSCALL_DEFINE3(getresuid, uid_t __user *, r, uid_t __user *, e, uid_t __user *, s)
{
	const struct cred *c = current_cred();

	if (put_user(c->uid, r) || put_user(c->euid, e) || put_user(c->suid, s))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE3(getresgid, gid_t __user *, r, gid_t __user *, e, gid_t __user *, s)
{
	const struct cred *c = current_cred();

	if (put_user(c->gid, r) || put_user(c->egid, e) || put_user(c->sgid, s))
		return -EFAULT;
	return 0;
}

/* setfsuid returns the old value whether or not the change is allowed. */
SYSCALL_DEFINE1(setfsuid, uid_t, uid)
{
	const struct cred *cur = current_cred();
	uid_t old = cur->fsuid;
	struct cred *c;

	if (uid == NO_ID || !(privileged() || own_uid(cur, uid) || uid == cur->fsuid))
		return old;
	c = cred_prepare();
	if (c) {
		c->fsuid = uid;
		cred_commit(c);
	}
	return old;
}

SYSCALL_DEFINE1(setfsgid, gid_t, gid)
{
	const struct cred *cur = current_cred();
	gid_t old = cur->fsgid;
	struct cred *c;

	if (gid == NO_ID || !(privileged() || own_gid(cur, gid) || gid == cur->fsgid))
		return old;
	c = cred_prepare();
	if (c) {
		c->fsgid = gid;
		cred_commit(c);
	}
	return old;
}

SYSCALL_DEFINE2(getgroups, int, size, gid_t __user *, list)
{
	const struct cred *c = current_cred();

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if ((unsigned int)size < c->ngroups)
		return -EINVAL;
	if (copy_to_user(list, c->groups, c->ngroups * sizeof(gid_t)))
		return -EFAULT;
	return c->ngroups;
}

SYSCALL_DEFINE2(setgroups, int, size, const gid_t __user *, list)
{
	struct cred *c;

	if (!privileged())
		return -EPERM;
	if (size < 0 || size > NGROUPS_MAX)
		return -EINVAL;
	if (size > CRED_GROUPS)
		return -EINVAL;		/* more than Kite keeps: refuse rather than drop */
	c = cred_prepare();
	if (!c)
		return -ENOMEM;
	if (size && copy_from_user(c->groups, list, (size_t)size * sizeof(gid_t)))
		return commit_or(c, -EFAULT);
	c->ngroups = (unsigned int)size;
	return commit_or(c, 0);
}

#ifdef CONFIG_ARCH_I386
/* The 16-bit calls: 0xffff means -1, and ids that do not fit read as 65534. */
#define OVERFLOW_ID	65534

static unsigned int
low2high(uint16_t id)
{
	return id == 0xffff ? NO_ID : id;
}

static uint16_t
high2low(unsigned int id)
{
	return id > 0xffff ? OVERFLOW_ID : (uint16_t)id;
}

SYSCALL_DEFINE0(getuid16) { return high2low(current_cred()->uid); }
SYSCALL_DEFINE0(geteuid16) { return high2low(current_cred()->euid); }
SYSCALL_DEFINE0(getgid16) { return high2low(current_cred()->gid); }
SYSCALL_DEFINE0(getegid16) { return high2low(current_cred()->egid); }

SYSCALL_DEFINE1(setuid16, uint16_t, uid)
{
	return sys_setuid(low2high(uid), 0, 0, 0, 0, 0);
}

SYSCALL_DEFINE1(setgid16, uint16_t, gid)
{
	return sys_setgid(low2high(gid), 0, 0, 0, 0, 0);
}

SYSCALL_DEFINE2(setreuid16, uint16_t, r, uint16_t, e)
{
	return sys_setreuid(low2high(r), low2high(e), 0, 0, 0, 0);
}

SYSCALL_DEFINE2(setregid16, uint16_t, r, uint16_t, e)
{
	return sys_setregid(low2high(r), low2high(e), 0, 0, 0, 0);
}

SYSCALL_DEFINE3(setresuid16, uint16_t, r, uint16_t, e, uint16_t, s)
{
	return sys_setresuid(low2high(r), low2high(e), low2high(s), 0, 0, 0);
}

SYSCALL_DEFINE3(setresgid16, uint16_t, r, uint16_t, e, uint16_t, s)
{
	return sys_setresgid(low2high(r), low2high(e), low2high(s), 0, 0, 0);
}

SYSCALL_DEFINE3(getresuid16, uint16_t __user *, r, uint16_t __user *, e, uint16_t __user *, s)
{
	const struct cred *c = current_cred();

	if (put_user(high2low(c->uid), r) || put_user(high2low(c->euid), e) ||
	    put_user(high2low(c->suid), s))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE3(getresgid16, uint16_t __user *, r, uint16_t __user *, e, uint16_t __user *, s)
{
	const struct cred *c = current_cred();

	if (put_user(high2low(c->gid), r) || put_user(high2low(c->egid), e) ||
	    put_user(high2low(c->sgid), s))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE1(setfsuid16, uint16_t, uid)
{
	return sys_setfsuid(low2high(uid), 0, 0, 0, 0, 0);
}

SYSCALL_DEFINE1(setfsgid16, uint16_t, gid)
{
	return sys_setfsgid(low2high(gid), 0, 0, 0, 0, 0);
}

SYSCALL_DEFINE2(getgroups16, int, size, uint16_t __user *, list)
{
	const struct cred *c = current_cred();

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups;
	if ((unsigned int)size < c->ngroups)
		return -EINVAL;
	for (unsigned int i = 0; i < c->ngroups; i++)
		if (put_user(high2low(c->groups[i]), list + i))
			return -EFAULT;
	return c->ngroups;
}

SYSCALL_DEFINE2(setgroups16, int, size, const uint16_t __user *, list)
{
	struct cred *c;

	if (!privileged())
		return -EPERM;
	if (size < 0 || size > CRED_GROUPS)
		return -EINVAL;
	c = cred_prepare();
	if (!c)
		return -ENOMEM;
	for (int i = 0; i < size; i++) {
		uint16_t g;

		/* get_user()'s temporary takes the pointee's type: not a const one. */
		if (get_user(g, (uint16_t __user *)(uintptr_t)(list + i)))
			return commit_or(c, -EFAULT);
		c->groups[i] = low2high(g);
	}
	c->ngroups = (unsigned int)size;
	return commit_or(c, 0);
}
#endif
