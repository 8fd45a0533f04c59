/*
 * In-kernel tests of the system-call layer: the dispatcher (unknown
 * numbers, missing handlers, the log-once rule, argument orders), the
 * port's table, and handlers reached through it with integer arguments or
 * kernel addresses, which every handler must refuse as user pointers
 * (-EFAULT) after the checks Linux makes first.  Calls with real user
 * buffers are the user-space suite's.
 */
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include <kernel/syscall.h>
#include <kernel/syscall_table.h>
#include <kernel/thread.h>
#include <kernel/uapi_info.h>
#include <kernel/utsname.h>
#include <kernel/version.h>
#include <string.h>

/* This port's number of a call, or -1 where it has none. */
static long
nr_of(const char *name)
{
	for (unsigned int i = 0; i < syscall_table_size; i++)
		if (syscall_table[i].name && strcmp(syscall_table[i].name, name) == 0)
			return (long)i;
	return -1;
}

#define ABSENT	(-1000000L)	/* no such call on this port */

/* Invoke a call by name with up to six arguments; ABSENT when the port lacks it. */
#define SC(name, ...)	sc_call(name, (const unsigned long[SYSCALL_NARGS]){ __VA_ARGS__ })

static long
sc_call(const char *name, const unsigned long args[SYSCALL_NARGS])
{
	long nr = nr_of(name);

	return nr < 0 ? ABSENT : syscall_invoke((unsigned long)nr, args);
}

/* Expect name(...) to give want, unless the port lacks the call. */
#define KEXPECT_SC(want, name, ...) do {				\
	long r_ = SC(name, __VA_ARGS__);				\
	if (r_ != ABSENT)						\
		KEXPECT_EQ(r_, (want));					\
} while (0)

/* How often text occurs in the newest part of the kernel log. */
static unsigned int
log_count(const char *text)
{
	size_t size = 16384;
	char *buf = kmalloc(size);
	unsigned int n = 0;

	if (!buf)
		return 0;
	size = log_buf_read(buf, size);
	buf[size < 16384 ? size : 16383] = '\0';
	for (char *p = buf; (p = strstr(p, text)) != NULL; p++)
		n++;
	kfree(buf);
	return n;
}

/* A kernel address: never valid as a user pointer. */
static char kernel_buf[512];
#define KPTR	((unsigned long)kernel_buf)

KTEST(syscall, unknown_number_enosys_logged_once)
{
	const unsigned long args[SYSCALL_NARGS] = { 1, 2, 3, 4, 5, 6 };
	char line[80];

	KEXPECT(syscall_name(999) == NULL);
	snprintf(line, sizeof(line), "syscall: no call 999 on %s, -ENOSYS", CONFIG_ARCH);
	KEXPECT_EQ(syscall_invoke(999, args), -ENOSYS);
	KEXPECT_EQ(log_count(line), 1);
	KEXPECT_EQ(syscall_invoke(999, args), -ENOSYS);
	KEXPECT_EQ(syscall_invoke(999, args), -ENOSYS);
	KEXPECT_EQ(log_count(line), 1);
	/* Far outside the table and the log bitmap: no crash, one line for all. */
	KEXPECT_EQ(syscall_invoke(1ul << 20, args), -ENOSYS);
	KEXPECT_EQ(syscall_invoke((unsigned long)-1, args), -ENOSYS);
	KEXPECT_EQ(syscall_invoke((unsigned long)-1, args), -ENOSYS);
	KEXPECT(syscall_name((unsigned long)-1) == NULL);
	KEXPECT_EQ(log_count("are not logged again"), 1);
}

KTEST(syscall, missing_handler_enosys_named_once)
{
	const unsigned long args[SYSCALL_NARGS] = { 0 };
	const struct syscall_entry *e = NULL;
	unsigned long nr = 0;
	char line[96];

	/* The highest-numbered call nothing implements (nobody probes those). */
	for (unsigned int i = syscall_table_size; i-- > 0;) {
		if (syscall_table[i].name && !syscall_table[i].fn) {
			e = &syscall_table[i];
			nr = i;
			break;
		}
	}
	if (!e)
		KTEST_SKIP("every call of this port has a handler");
	snprintf(line, sizeof(line), "syscall: %s (%lu) not implemented, -ENOSYS (thread ",
		 e->name, nr);
	KEXPECT_EQ(log_count(line), 0);
	KEXPECT_EQ(syscall_invoke(nr, args), -ENOSYS);
	KEXPECT_EQ(syscall_invoke(nr, args), -ENOSYS);
	KEXPECT_EQ(log_count(line), 1);
	KEXPECT_STREQ(syscall_name(nr), e->name);
}

KTEST(syscall, table_names_and_handlers)
{
	/* Linux's numbers of this port reach the handlers by name. */
#if defined(CONFIG_ARCH_AARCH64)
	KEXPECT_STREQ(syscall_name(56), "openat");
	KEXPECT_STREQ(syscall_name(79), "newfstatat");
	KEXPECT_STREQ(syscall_name(160), "uname");
	KEXPECT(nr_of("open") < 0 && nr_of("fork") < 0);
#elif defined(CONFIG_ARCH_X86_64)
	KEXPECT_STREQ(syscall_name(2), "open");
	KEXPECT_STREQ(syscall_name(262), "newfstatat");
	KEXPECT_STREQ(syscall_name(63), "uname");
	KEXPECT(syscall_table[134].fn == NULL);		/* uselib: no entry point */
#elif defined(CONFIG_ARCH_I386)
	KEXPECT_STREQ(syscall_name(5), "open");
	KEXPECT_STREQ(syscall_name(140), "_llseek");
	KEXPECT_STREQ(syscall_name(122), "uname");
	KEXPECT_STREQ(syscall_name(403), "clock_gettime64");
#endif
	KEXPECT_EQ(nr_of("getrandom") >= 0, 1);
	/* Handlers the system-call layer itself provides are in the table. */
	KEXPECT(syscall_table[nr_of("dup")].fn != NULL);
	KEXPECT(syscall_table[nr_of("uname")].fn != NULL);
	KEXPECT(syscall_table[nr_of("openat")].fn != NULL);
}

static unsigned long seen[SYSCALL_NARGS];

static long
record_args(unsigned long a0, unsigned long a1, unsigned long a2, unsigned long a3,
	    unsigned long a4, unsigned long a5)
{
	seen[0] = a0;
	seen[1] = a1;
	seen[2] = a2;
	seen[3] = a3;
	seen[4] = a4;
	seen[5] = a5;
	return 42;
}

KTEST(syscall, argument_order)
{
	const unsigned long regs[SYSCALL_NARGS] = { 10, 11, 12, 13, 14, 15 };
	const struct syscall_entry plain = { record_args, "plain", 0 };
	/* Registers 0, 1, 2, 4, 3, 5 become the arguments ("[01243]" in the table). */
	const struct syscall_entry swapped = { record_args, "swapped", 0x534210 };
	long nr = nr_of("clone");

	KEXPECT_EQ(syscall_call(&plain, regs), 42);
	for (int i = 0; i < SYSCALL_NARGS; i++)
		KEXPECT_EQ(seen[i], 10 + i);
	KEXPECT_EQ(syscall_call(&swapped, regs), 42);
	KEXPECT_EQ(seen[2], 12);
	KEXPECT_EQ(seen[3], 14);
	KEXPECT_EQ(seen[4], 13);
	KEXPECT_EQ(seen[5], 15);
	/*
	 * clone's handler takes the generic order (kernel/fork.c): x86-64's
	 * registers come through the table's permutation, the others as they are.
	 */
	KASSERT(nr >= 0);
#ifdef CONFIG_ARCH_X86_64
	KEXPECT_EQ(syscall_table[nr].argmap, swapped.argmap);
#else
	KEXPECT_EQ(syscall_table[nr].argmap, 0);
#endif
}

KTEST(syscall, descriptors_through_table)
{
	int fd = vfs_openat(AT_FDCWD, "/dev/null", O_RDWR, 0);
	long dupfd, fd2;

	if (fd < 0)
		KTEST_SKIP("no /dev/null");
	dupfd = SC("dup", fd);
	KEXPECT_OP(dupfd, >, fd);
	KEXPECT_EQ(SC("fcntl", dupfd, F_GETFD), 0);
	/* ioctl's generic close-on-exec requests. */
	KEXPECT_EQ(SC("ioctl", dupfd, 0x5451 /* FIOCLEX */), 0);
	KEXPECT_EQ(SC("fcntl", dupfd, F_GETFD), FD_CLOEXEC);
	KEXPECT_EQ(SC("ioctl", dupfd, 0x5450 /* FIONCLEX */), 0);
	KEXPECT_EQ(SC("fcntl", dupfd, F_GETFD), 0);
	KEXPECT_EQ(SC("fcntl", dupfd, F_GETFL) & O_ACCMODE, O_RDWR);
	KEXPECT_EQ(SC("fcntl", dupfd, 5 /* F_GETLK: no record locks */, KPTR), -EINVAL);
	KEXPECT_EQ(SC("ioctl", dupfd, 0x5401 /* TCGETS */, KPTR), -ENOTTY);
	KEXPECT_EQ(SC("ioctl", dupfd, 0x5421 /* FIONBIO */, KPTR), -EFAULT);
	/* dup3: flags and equal descriptors are EINVAL, CLOEXEC sticks. */
	KEXPECT_EQ(SC("dup3", fd, dupfd, 1), -EINVAL);
	KEXPECT_EQ(SC("dup3", fd, fd, O_CLOEXEC), -EINVAL);
	KEXPECT_EQ(SC("dup3", fd, dupfd, O_CLOEXEC), dupfd);
	KEXPECT_EQ(SC("fcntl", dupfd, F_GETFD), FD_CLOEXEC);
	KEXPECT_SC(fd, "dup2", fd, fd);
	fd2 = SC("fcntl", fd, F_DUPFD, 100);
	KEXPECT_OP(fd2, >=, 100);
	KEXPECT_EQ(SC("close", fd2), 0);
	KEXPECT_EQ(SC("close", dupfd), 0);
	KEXPECT_EQ(SC("close", dupfd), -EBADF);
	KEXPECT_EQ(SC("fcntl", dupfd, F_GETFD), -EBADF);
	KEXPECT_EQ(SC("ioctl", dupfd, 0x5451), -EBADF);
	KEXPECT_EQ(SC("close", (unsigned long)-1), -EBADF);
	KEXPECT_EQ(SC("fsync", fd), 0);
	KEXPECT_EQ(SC("fdatasync", fd), 0);
	KEXPECT_EQ(SC("syncfs", fd), 0);
	KEXPECT_EQ(SC("syncfs", 1000), -EBADF);
	KEXPECT_EQ(SC("sync"), 0);
	KEXPECT_EQ(SC("close", fd), 0);
}

KTEST(syscall, read_write_argument_checks)
{
	int fd = vfs_openat(AT_FDCWD, "/dev/zero", O_RDWR, 0);
	int rdonly = vfs_openat(AT_FDCWD, "/dev/zero", O_RDONLY, 0);

	if (fd < 0 || rdonly < 0)
		KTEST_SKIP("no /dev/zero");
	/* A kernel buffer is no user buffer: EFAULT, but a bad fd comes first. */
	KEXPECT_EQ(SC("read", fd, KPTR, 16), -EFAULT);
	KEXPECT_EQ(SC("write", fd, KPTR, 16), -EFAULT);
	KEXPECT_EQ(SC("read", 1000, KPTR, 16), -EBADF);
	KEXPECT_EQ(SC("write", rdonly, KPTR, 16), -EBADF);
	KEXPECT_EQ(SC("read", fd, 0, 0), 0);
	KEXPECT_EQ(SC("write", rdonly, 0, 0), -EBADF);
	/* A huge count is cut, never a wrap: still the buffer's EFAULT. */
	KEXPECT_EQ(SC("read", fd, 4096, (unsigned long)-1), -EFAULT);
	/* pread: a negative position is EINVAL before anything else. */
#ifdef CONFIG_ARCH_I386
	KEXPECT_EQ(SC("pread64", 1000, KPTR, 16, 0, 0x80000000ul), -EINVAL);
	KEXPECT_EQ(SC("pread64", fd, KPTR, 16, 0, 0), -EFAULT);
#else
	KEXPECT_EQ(SC("pread64", 1000, KPTR, 16, (unsigned long)-1), -EINVAL);
	KEXPECT_EQ(SC("pread64", fd, KPTR, 16, 0), -EFAULT);
#endif
	/* readv: the iovec array itself is in kernel memory: EFAULT; too many: EINVAL. */
	KEXPECT_EQ(SC("readv", fd, KPTR, 1), -EFAULT);
	KEXPECT_EQ(SC("readv", fd, KPTR, 1025), -EINVAL);
	KEXPECT_EQ(SC("readv", 1000, KPTR, 1025), -EBADF);
	KEXPECT_EQ(SC("readv", fd, 0, 0), 0);
	KEXPECT_EQ(SC("preadv", fd, 0, 0, (unsigned long)-1, (unsigned long)-1), -EINVAL);
	KEXPECT_EQ(SC("preadv2", fd, 0, 0, 0, 0, 0x8 /* RWF_NOWAIT */), -EOPNOTSUPP);
	KEXPECT_EQ(SC("pwritev2", fd, 0, 0, 0, 0, 0x100), -EOPNOTSUPP);
	KEXPECT_EQ(SC("preadv2", fd, 0, 0, (unsigned long)-1, (unsigned long)-1, 0), 0);
	/* lseek: whence past SEEK_HOLE is EINVAL, after the descriptor's EBADF. */
	KEXPECT_EQ(SC("lseek", fd, 0, 5), -EINVAL);
	KEXPECT_EQ(SC("lseek", 1000, 0, 5), -EBADF);
	KEXPECT_EQ(SC("lseek", fd, 0, SEEK_SET), 0);
	KEXPECT_SC(-EINVAL, "_llseek", fd, 0, 0, KPTR, 5);
	KEXPECT_SC(-EFAULT, "_llseek", fd, 0, 0, KPTR, SEEK_SET);
	KEXPECT_EQ(SC("getdents64", fd, KPTR, 512), -EFAULT);
	KEXPECT_EQ(SC("close", rdonly), 0);
	KEXPECT_EQ(SC("close", fd), 0);
}

KTEST(syscall, path_calls_refuse_kernel_pointers)
{
	int dir = vfs_openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY, 0);

	KASSERT(dir >= 0);
	memcpy(kernel_buf, "/", 2);
	KEXPECT_EQ(SC("openat", AT_FDCWD, KPTR, O_RDONLY), -EFAULT);
	KEXPECT_SC(-EFAULT, "open", KPTR, O_RDONLY);
	KEXPECT_EQ(SC("mkdirat", AT_FDCWD, KPTR, 0755), -EFAULT);
	KEXPECT_EQ(SC("chdir", KPTR), -EFAULT);
	KEXPECT_EQ(SC("getcwd", KPTR, sizeof(kernel_buf)), -EFAULT);
	KEXPECT_EQ(SC("getcwd", KPTR, 1), -ERANGE);
	KEXPECT_EQ(SC("newfstatat", AT_FDCWD, 0, KPTR, 0) == -EFAULT ||
		   nr_of("newfstatat") < 0, 1);
	KEXPECT_EQ(SC("fstat", dir, KPTR), -EFAULT);
	KEXPECT_EQ(SC("fstat", 1000, KPTR), -EBADF);
	KEXPECT_EQ(SC("fstatfs", dir, KPTR), -EFAULT);
	KEXPECT_EQ(SC("getdents64", dir, KPTR, sizeof(kernel_buf)), -EFAULT);
	/* Argument checks Linux makes before it copies the path in. */
	KEXPECT_EQ(SC("unlinkat", AT_FDCWD, KPTR, 0x1), -EINVAL);
	KEXPECT_EQ(SC("umount2", KPTR, 0x100), -EINVAL);
	KEXPECT_EQ(SC("faccessat2", AT_FDCWD, KPTR, 8, 0), -EINVAL);
	KEXPECT_EQ(SC("faccessat2", AT_FDCWD, KPTR, R_OK, 0x1), -EINVAL);
	KEXPECT_EQ(SC("fchownat", AT_FDCWD, KPTR, 0, 0, 0x2), -EINVAL);
	KEXPECT_EQ(SC("statx", AT_FDCWD, KPTR, 0, 0x80000000u, KPTR), -EINVAL);
	KEXPECT_EQ(SC("statx", AT_FDCWD, KPTR, 0x6000, 0, KPTR), -EINVAL);
	KEXPECT_EQ(SC("readlinkat", AT_FDCWD, KPTR, KPTR, 0), -EINVAL);
	KEXPECT_EQ(SC("truncate", KPTR, (unsigned long)-1) == -EINVAL ||
		   nr_of("truncate") < 0, 1);
	KEXPECT_EQ(SC("ftruncate", 1000, 0), -EBADF);
	/* utimensat on a descriptor (NULL name) takes no flags. */
	KEXPECT_EQ(SC("utimensat", dir, 0, 0, AT_SYMLINK_NOFOLLOW), -EINVAL);
	KEXPECT_EQ(SC("utimensat", AT_FDCWD, 0, 0, 0), -EFAULT);
	KEXPECT_EQ(SC("utimensat", dir, 0, KPTR, 0), -EFAULT);
	KEXPECT_EQ(SC("mount", 0, KPTR, KPTR, 0, 0), -EFAULT);
	KEXPECT_EQ(SC("close", dir), 0);
	KEXPECT_EQ(SC("fchdir", 1000), -EBADF);
}

#ifdef CONFIG_ARCH_I386
KTEST(syscall, i386_forms)
{
	int fd = vfs_openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY, 0);

	KASSERT(fd >= 0);
	/* statfs64's size argument must be Linux's 84. */
	KEXPECT_EQ(SC("fstatfs64", fd, 88, KPTR), -EINVAL);
	KEXPECT_EQ(SC("fstatfs64", fd, 84, KPTR), -EFAULT);
	KEXPECT_EQ(SC("fstat64", fd, KPTR), -EFAULT);
	KEXPECT_EQ(SC("fcntl64", fd, F_GETFD), 0);
	KEXPECT_EQ(SC("fcntl64", fd, 12 /* F_GETLK64 */, KPTR), -EINVAL);
	KEXPECT_EQ(SC("ftruncate64", fd, 0, 0x80000000ul), -EINVAL);
	KEXPECT_EQ(SC("olduname", KPTR), -EFAULT);
	KEXPECT_EQ(SC("close", fd), 0);
}
#endif

KTEST(syscall, umask_through_table)
{
	long old = SC("umask", 027);

	KASSERT(old >= 0);
	KEXPECT_EQ(SC("umask", 0777 | 01000), 027);
	KEXPECT_EQ(SC("umask", old), 0777);
}

KTEST(syscall, uname_and_hostname)
{
	struct linux_new_utsname u, saved;

	utsname_read(&u);
	KEXPECT_STREQ(u.sysname, "Linux");
	KEXPECT_STREQ(u.release, "6.1.0-kite");
	KEXPECT(strstr(u.version, "Kite") != NULL);
#if defined(CONFIG_ARCH_AARCH64)
	KEXPECT_STREQ(u.machine, "aarch64");
#elif defined(CONFIG_ARCH_X86_64)
	KEXPECT_STREQ(u.machine, "x86_64");
#else
	KEXPECT_STREQ(u.machine, "i686");
#endif
	saved = u;
	KEXPECT_EQ(utsname_set(false, "a-host-name-that-is-exactly-sixty-four-characters-long-xxxxxxxxx", 64), 0);
	KEXPECT_EQ(utsname_set(false, "x", 65), -EINVAL);
	KEXPECT_EQ(utsname_set(true, "example.org", 11), 0);
	utsname_read(&u);
	KEXPECT_EQ(strlen(u.nodename), 64);
	KEXPECT_STREQ(u.domainname, "example.org");
	KEXPECT_EQ(utsname_set(false, saved.nodename, strlen(saved.nodename)), 0);
	KEXPECT_EQ(utsname_set(true, saved.domainname, strlen(saved.domainname)), 0);
	utsname_read(&u);
	KEXPECT_STREQ(u.nodename, saved.nodename);
	KEXPECT_STREQ(u.domainname, "(none)");
	/* Through the table: length checks first, then the user copy. */
	KEXPECT_EQ(SC("sethostname", KPTR, 65), -EINVAL);
	KEXPECT_EQ(SC("sethostname", KPTR, (unsigned long)-1), -EINVAL);
	KEXPECT_EQ(SC("setdomainname", KPTR, 4), -EFAULT);
	KEXPECT_EQ(SC("uname", KPTR), -EFAULT);
}

KTEST(syscall, sysinfo_figures)
{
	struct linux_sysinfo si;

	sysinfo_read(&si);
	KEXPECT_EQ(si.mem_unit, 1);
	KEXPECT_OP(si.totalram, >=, 16ul << 20);
	KEXPECT_OP(si.freeram, >, 0);
	KEXPECT_OP(si.freeram, <=, si.totalram);
	KEXPECT_OP(si.procs, >=, 1);
	KEXPECT_OP(si.uptime, >=, 1);
	KEXPECT_EQ(si.totalswap, 0);
	KEXPECT_EQ(SC("sysinfo", KPTR), -EFAULT);
}

#ifdef CONFIG_RANDOM
KTEST(syscall, getrandom_flags)
{
	KEXPECT_EQ(SC("getrandom", KPTR, 16, 0x8), -EINVAL);
	KEXPECT_EQ(SC("getrandom", KPTR, 16, 0x6 /* INSECURE|RANDOM */), -EINVAL);
	KEXPECT_EQ(SC("getrandom", KPTR, 16, 0x4 /* INSECURE */), -EFAULT);
	KEXPECT_EQ(SC("getrandom", 0, 0, 0x5 /* INSECURE|NONBLOCK */), 0);
}
#endif
