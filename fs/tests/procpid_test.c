/*
 * /proc/<pid> (fs/proc/base.c, array.c, task_mmu.c, fd.c) read through
 * the VFS for processes made by the test fixture (<kernel/ktest_process.h>):
 * self and thread-self, the listing, stat/status/statm against what the
 * process holds, cmdline/environ/auxv out of its memory (setproctitle
 * too), maps lines, fd/ and fdinfo/ with the magic links (an unlinked
 * file reopened through fd/<n>, O_CREAT through /proc/self/fd/<n>), cwd,
 * root, exe, mounts, Linux's permission rules between users, and a
 * process that turns zombie and goes away under open files.  Also
 * access_process_vm() on its own.
 */
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/kdev_t.h>
#include <kernel/ktest.h>
#include <kernel/ktest_process.h>
#include <kernel/mm.h>
#include <kernel/mman.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include <kernel/stat.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <string.h>

#define TEXT_MAX	(64u * 1024)
#define ARGS_AT		0x30000000UL
#define FILE_AT		0x10000000UL
#define TEST_FILE	"/procpid-ktest-file"

/* The whole of path, NUL-terminated (kfree it); NULL and *err on failure. */
static char *
slurp(const char *path, size_t *lenp, int *err)
{
	char *buf = kmalloc(TEXT_MAX + 1);
	int fd = vfs_openat(AT_FDCWD, path, O_RDONLY, 0);
	size_t len = 0;
	ssize_t n = 0;

	*err = fd < 0 ? fd : 0;
	if (!buf || fd < 0) {
		kfree(buf);
		if (fd >= 0)
			vfs_close(fd);
		return NULL;
	}
	while (len < TEXT_MAX && (n = vfs_read(fd, buf + len, 100)) > 0)
		len += (size_t)n;
	vfs_close(fd);
	if (n < 0) {
		*err = (int)n;
		kfree(buf);
		return NULL;
	}
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

static int
open_err(const char *path)
{
	int fd = vfs_openat(AT_FDCWD, path, O_RDONLY, 0);

	if (fd >= 0)
		vfs_close(fd);
	return fd < 0 ? fd : 0;
}

/* Field n (1-based) of a stat line, counting "(comm)" as field 2. */
static long long
stat_field(const char *text, unsigned int n)
{
	const char *p = strrchr(text, ')');
	long long v;
	bool neg;

	if (!p || n < 3)
		return -999999;
	p++;
	for (unsigned int f = 3; f <= n; f++) {
		while (*p == ' ')
			p++;
		if (f == n)
			break;
		while (*p && *p != ' ' && *p != '\n')
			p++;
	}
	neg = *p == '-';
	if (neg)
		p++;
	for (v = 0; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	return neg ? -v : v;
}

static unsigned int
stat_count(const char *text)
{
	const char *p = strrchr(text, ')');
	unsigned int n = 2;

	for (p = p ? p + 1 : text + strlen(text); *p && *p != '\n'; p++)
		if (*p != ' ' && p[-1] == ' ')
			n++;
	return n;
}

/* How often name is in directory dir (getdents64 in small pieces); -errno. */
static int
count_in_dir(const char *dir, const char *name)
{
	char buf[64];
	int fd = vfs_openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY, 0), seen = 0;
	ssize_t n;

	if (fd < 0)
		return fd;
	while ((n = vfs_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < n;) {
			uint16_t reclen;

			memcpy(&reclen, buf + off + 16, 2);
			seen += !strcmp(buf + off + 19, name);
			off += reclen;
		}
	}
	vfs_close(fd);
	return n < 0 ? (int)n : seen;
}

static void
expect_link(const char *path, const char *target)
{
	char buf[256];
	ssize_t n = vfs_readlinkat(AT_FDCWD, path, buf, sizeof(buf) - 1);

	if (n < 0) {
		ktest_fail(__FILE__, __LINE__, "readlink %s: %d", path, (int)n);
		return;
	}
	buf[n] = '\0';
	if (strcmp(buf, target))
		ktest_fail(__FILE__, __LINE__, "readlink %s: \"%s\", not \"%s\"", path, buf, target);
}

static bool
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, line, n) && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

/* ------------------------------------------------------------ self */

static void
self_body(struct ktest_proc *kp, void *arg)
{
	pid_t pid = current_process()->pid;
	char want[32], path[32];
	struct kstat st;

	snprintf(want, sizeof(want), "%d", pid);
	expect_link("/proc/self", want);
	snprintf(want, sizeof(want), "%d/task/%d", pid, pid);
	expect_link("/proc/thread-self", want);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "/proc/self", &st, AT_SYMLINK_NOFOLLOW), 0);
	KEXPECT(S_ISLNK(st.mode));
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "/proc/self/", &st, 0), 0);
	KEXPECT(S_ISDIR(st.mode));
	KEXPECT_EQ(st.mode & 07777, 0555);
	KEXPECT_EQ(st.nlink, 5);		/* task, fd, fdinfo */
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "/proc/thread-self/stat", &st, 0), 0);
	KEXPECT(S_ISREG(st.mode));
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	snprintf(want, sizeof(want), "%d", pid);
	KEXPECT_EQ(count_in_dir(path, want), 1);
	KEXPECT_EQ(count_in_dir("/proc/self/task/", ".."), 1);
	/* A task directory has no task/ of its own. */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/task", pid, pid);
	KEXPECT_EQ(open_err(path), -ENOENT);
	snprintf(path, sizeof(path), "/proc/%d/task/%d", pid, pid + 1);
	KEXPECT_EQ(open_err(path), -ENOENT);
}

KTEST(procpid, self_and_listing)
{
	struct ktest_proc *kp;
	char name[16], buf[16];

	/* A kernel thread is no process: self names nothing. */
	KEXPECT_EQ(vfs_readlinkat(AT_FDCWD, "/proc/self", buf, sizeof(buf)), -ENOENT);
	KEXPECT_EQ(open_err("/proc/self/stat"), -ENOENT);
	KEXPECT_EQ(count_in_dir("/proc", "self"), 1);
	KEXPECT_EQ(count_in_dir("/proc", "thread-self"), 1);
	kp = ktest_proc_start(0, 0, self_body, NULL);
	KASSERT(kp);
	snprintf(name, sizeof(name), "%d", ktest_proc_process(kp)->pid);
	KEXPECT_EQ(count_in_dir("/proc", name), 1);
	KEXPECT_EQ(count_in_dir("/proc", "meminfo"), 1);
	/* Names that are not live pids. */
	KEXPECT_EQ(open_err("/proc/0"), -ENOENT);
	KEXPECT_EQ(open_err("/proc/0001"), -ENOENT);
	KEXPECT_EQ(open_err("/proc/32768"), -ENOENT);
	KEXPECT_EQ(open_err("/proc/1x"), -ENOENT);
	ktest_proc_end(kp);
	KEXPECT_EQ(count_in_dir("/proc", name), 0);
}

/* ------------------------------------------------------------ stat, status, statm */

/* Map pages pages of anonymous memory at addr in the process's mm, touch touched of them. */
static void
map_anon(struct mm *mm, vaddr_t addr, size_t pages, size_t touched)
{
	KEXPECT_EQ(mm_mmap(mm, addr, pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0), (long)addr);
	for (size_t i = 0; i < touched; i++) {
		char c = 'x';

		KEXPECT_EQ(access_process_vm(mm, addr + i * PAGE_SIZE, &c, 1, true), 1);
	}
}

static void
stat_body(struct ktest_proc *kp, void *arg)
{
	pid_t pid = current_process()->pid;
	char *text, line[64];
	size_t len;
	int err;

	map_anon(ktest_proc_mm(kp), ARGS_AT, 3, 2);
	text = slurp("/proc/self/stat", &len, &err);
	KASSERT(text);
	KEXPECT_EQ(stat_count(text), 52);
	KEXPECT_EQ(text[len - 1], '\n');
	snprintf(line, sizeof(line), "%d (ktest-proc) R 0 %d %d 0 -1 64 ", pid, pid, pid);
	KEXPECT(!strncmp(text, line, strlen(line)));
	KEXPECT_EQ(stat_field(text, 18), 20);		/* priority */
	KEXPECT_EQ(stat_field(text, 19), 0);		/* nice */
	KEXPECT_EQ(stat_field(text, 20), 1);		/* num_threads */
	KEXPECT_EQ(stat_field(text, 23), 3 * PAGE_SIZE);	/* vsize */
	KEXPECT_EQ(stat_field(text, 24), 2);		/* rss */
	KEXPECT_EQ(stat_field(text, 38), 17);		/* exit_signal: SIGCHLD */
	KEXPECT_EQ(stat_field(text, 52), 0);
	KEXPECT_OP(stat_field(text, 22), <=, time_ns() / 10000000 + 1);	/* starttime */
	kfree(text);

	text = slurp("/proc/self/status", NULL, &err);
	KASSERT(text);
	KEXPECT(!strncmp(text, "Name:\tktest-proc\nUmask:\t0022\nState:\tR (running)\n", 45));
	snprintf(line, sizeof(line), "Pid:\t%d", pid);
	KEXPECT(has_line(text, line));
	KEXPECT(has_line(text, "PPid:\t0"));
	KEXPECT(has_line(text, "Uid:\t0\t0\t0\t0"));
	KEXPECT(has_line(text, "Gid:\t0\t0\t0\t0"));
	KEXPECT(has_line(text, "Groups:\t "));
	KEXPECT(has_line(text, "VmSize:\t      12 kB"));
	KEXPECT(has_line(text, "VmRSS:\t       8 kB"));
	KEXPECT(has_line(text, "RssAnon:\t       8 kB"));
	KEXPECT(has_line(text, "RssFile:\t       0 kB"));
	KEXPECT(has_line(text, "VmData:\t      12 kB"));
	KEXPECT(has_line(text, "Threads:\t1"));
	KEXPECT(has_line(text, "SigBlk:\t0000000000000000"));
	KEXPECT(has_line(text, "CapEff:\t000001ffffffffff"));
	kfree(text);

	text = slurp("/proc/self/statm", NULL, &err);
	KASSERT(text);
	KEXPECT_STREQ(text, "3 2 0 0 0 3 0\n");
	kfree(text);
	text = slurp("/proc/self/comm", NULL, &err);
	KEXPECT(text && !strcmp(text, "ktest-proc\n"));
	kfree(text);
	/* comm: a process renames itself; 15 bytes kept. */
	{
		int fd = vfs_openat(AT_FDCWD, "/proc/self/comm", O_WRONLY, 0);

		KASSERT(fd >= 0);
		KEXPECT_EQ(vfs_write(fd, "renamed-by-proc-comm", 20), 20);
		vfs_close(fd);
		KEXPECT(!strcmp(current_process()->comm, "renamed-by-proc"));
	}
	text = slurp("/proc/self/limits", NULL, &err);
	KASSERT(text);
	{
		static const char head[] = "Limit                     Soft Limit           Hard Limit"
					   "           Units     \n";

		KEXPECT(!strncmp(text, head, sizeof(head) - 1));
	}
	KEXPECT(has_line(text, "Max stack size            8388608              unlimited"
			       "            bytes     "));
	kfree(text);
}

KTEST(procpid, stat_status_statm)
{
	struct ktest_proc *kp = ktest_proc_start(0, 0, stat_body, NULL);
	char path[40], *text;
	int err;

	KASSERT(kp);
	/* Read from outside: the parked process sleeps (S, or D: its wait is not interruptible). */
	snprintf(path, sizeof(path), "/proc/%d/stat", ktest_proc_process(kp)->pid);
	text = slurp(path, NULL, &err);
	KASSERT(text);
	KEXPECT_EQ(stat_count(text), 52);
	KEXPECT(strstr(text, ") S ") != NULL || strstr(text, ") D ") != NULL);
	KEXPECT(strstr(text, "(renamed-by-proc) ") != NULL);
	kfree(text);
	ktest_proc_end(kp);
}

/* ------------------------------------------------------------ cmdline, environ, auxv */

static const char args[] = "busybox\0ps\0-o\0pid,comm";
static const char env[] = "HOME=/\0TERM=linux";

static void
set_args(struct mm *mm, vaddr_t at)
{
	KEXPECT_EQ(access_process_vm(mm, at, (void *)args, sizeof(args), true), sizeof(args));
	KEXPECT_EQ(access_process_vm(mm, at + sizeof(args), (void *)env, sizeof(env), true), sizeof(env));
	mm->arg_start = at;
	mm->arg_end = at + sizeof(args);
	mm->env_start = mm->arg_end;
	mm->env_end = mm->env_start + sizeof(env);
}

static void
cmdline_body(struct ktest_proc *kp, void *arg)
{
	struct mm *mm = ktest_proc_mm(kp);
	unsigned long auxv[6] = { 6, 4096, 0, 0, 99, 99 };	/* AT_PAGESZ, AT_NULL, beyond */
	char *text;
	size_t len;
	int err;

	/* Empty before exec set anything up. */
	text = slurp("/proc/self/cmdline", &len, &err);
	KEXPECT(text && len == 0);
	kfree(text);
	map_anon(mm, ARGS_AT, 2, 0);
	/* Across a page boundary. */
	set_args(mm, ARGS_AT + PAGE_SIZE - 10);
	text = slurp("/proc/self/cmdline", &len, &err);
	KASSERT(text);
	KEXPECT_EQ(len, sizeof(args));
	KEXPECT(!memcmp(text, args, sizeof(args)));
	kfree(text);
	text = slurp("/proc/self/environ", &len, &err);
	KASSERT(text);
	KEXPECT_EQ(len, sizeof(env));
	KEXPECT(!memcmp(text, env, sizeof(env)));
	kfree(text);
	/*
	 * setproctitle(): once the last NUL is overwritten the area is one
	 * string, up to its first NUL (kept), which may lie in the environment.
	 */
	KEXPECT_EQ(access_process_vm(mm, mm->arg_end - 1, "!", 1, true), 1);
	text = slurp("/proc/self/cmdline", &len, &err);
	KEXPECT(text && len == 8 && !memcmp(text, "busybox", 8));
	kfree(text);
	KEXPECT_EQ(access_process_vm(mm, mm->arg_start, "abcdefghijklmnopqrstuvwxyz", 27, true),
		   27);
	text = slurp("/proc/self/cmdline", &len, &err);
	KEXPECT(text && len == 27 && !memcmp(text, "abcdefghijklmnopqrstuvwxyz", 27));
	kfree(text);
	/* No NUL at all: the whole of both areas. */
	KEXPECT_EQ(access_process_vm(mm, mm->arg_start + 26, "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ",
				     sizeof(args) + sizeof(env) - 26, true),
		   sizeof(args) + sizeof(env) - 26);
	text = slurp("/proc/self/cmdline", &len, &err);
	KEXPECT(text && len == sizeof(args) + sizeof(env) && text[len - 1] == 'Z');
	kfree(text);
	set_args(mm, mm->arg_start);
	/* auxv: the words exec laid out. */
	KEXPECT_EQ(access_process_vm(mm, ARGS_AT, auxv, sizeof(auxv), true), sizeof(auxv));
	current_process()->auxv_start = ARGS_AT;
	text = slurp("/proc/self/auxv", &len, &err);
	KASSERT(text);
	KEXPECT_EQ(len, 4 * sizeof(long));	/* up to AT_NULL's pair */
	KEXPECT(!memcmp(text, auxv, 4 * sizeof(long)));
	kfree(text);
	/* Bounds into unmapped memory give what is there. */
	mm->arg_end = ARGS_AT + 2 * PAGE_SIZE + 100;
	text = slurp("/proc/self/cmdline", &len, &err);
	KEXPECT(text && len == PAGE_SIZE + 10);
	kfree(text);
}

KTEST(procpid, cmdline_environ_auxv)
{
	struct ktest_proc *kp = ktest_proc_start(0, 0, cmdline_body, NULL);

	KASSERT(kp);
	ktest_proc_end(kp);
}

/* ------------------------------------------------------------ maps */

/* Linux's maps line, built here independently of pid_format.c. */
static void
maps_line(char *out, size_t size, unsigned long start, unsigned long end, const char *perms,
	  unsigned long long off, dev_t dev, unsigned long ino, const char *name)
{
	int n = snprintf(out, size, "%08lx-%08lx %s %08llx %02x:%02x %lu ", start, end, perms,
			 off, MAJOR(dev), MINOR(dev), ino);
	int col = 25 + 6 * (int)sizeof(void *) - 1;

	if (name)
		snprintf(out + n, size - (size_t)n, "%*s %s\n", n < col ? col - n : 0, "", name);
	else
		snprintf(out + n, size - (size_t)n, "\n");
}

static void
maps_body(struct ktest_proc *kp, void *arg)
{
	struct mm *mm = ktest_proc_mm(kp);
	int fd = vfs_openat(AT_FDCWD, TEST_FILE, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char *page = kzalloc(PAGE_SIZE), *text, want[160];
	struct file *f;
	struct vma *v;
	int err;

	KASSERT(fd >= 0 && page);
	for (int i = 0; i < 3; i++)
		KEXPECT_EQ(vfs_write(fd, page, PAGE_SIZE), (ssize_t)PAGE_SIZE);
	f = fget(fd);
	KASSERT(f);
	KEXPECT_EQ(mm_map_file_fixed(mm, FILE_AT, 2 * PAGE_SIZE, PROT_READ | PROT_EXEC, f, PAGE_SIZE,
				     FILE_AT + 2 * PAGE_SIZE), 0);
	map_anon(mm, ARGS_AT, 1, 1);
	KEXPECT_EQ(mm_brk(mm, mm->brk_start + 2 * PAGE_SIZE), (long)(mm->brk_start + 2 * PAGE_SIZE));
	KEXPECT_EQ(mm_mmap(mm, 0x3f000000UL, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0), 0x3f000000L);
	mutex_lock(&mm->lock);
	v = vma_lookup(mm, 0x3f000000UL);
	if (v)
		v->flags |= VMA_STACK;
	mutex_unlock(&mm->lock);
	{
		/* The file is the program: its areas are the image (VmExe). */
		struct process *p = current_process();
		unsigned long flags = spin_lock_irqsave(&tasklist_lock);

		p->exe = f->path;
		path_get(&p->exe);
		spin_unlock_irqrestore(&tasklist_lock, flags);
	}

	text = slurp("/proc/self/maps", NULL, &err);
	KASSERT(text);
	maps_line(want, sizeof(want), FILE_AT, FILE_AT + 2 * PAGE_SIZE, "r-xp", PAGE_SIZE,
		  f->inode->sb->dev, (unsigned long)f->inode->ino, TEST_FILE);
	KEXPECT(!strncmp(text, want, strlen(want)));
	if (strncmp(text, want, strlen(want)))
		printk(KERN_RAW "# got:  %.120s# want: %s", text, want);
	maps_line(want, sizeof(want), 0x20000000UL, 0x20002000UL, "rw-p", 0, 0, 0, "[heap]");
	KEXPECT(strstr(text, want) != NULL);
	maps_line(want, sizeof(want), ARGS_AT, ARGS_AT + PAGE_SIZE, "rw-p", 0, 0, 0, NULL);
	KEXPECT(strstr(text, want) != NULL);
	maps_line(want, sizeof(want), 0x3f000000UL, 0x3f004000UL, "rw-p", 0, 0, 0, "[stack]");
	KEXPECT(strstr(text, want) != NULL);
	kfree(text);
	/* The file's pages are RssFile; the executable area is the text (VmExe 8 kB). */
	{
		char rss[64];

		KEXPECT_EQ(access_process_vm(mm, FILE_AT, page, 8, false), 8);
		text = slurp("/proc/self/status", NULL, &err);
		KASSERT(text);
		KEXPECT(has_line(text, "RssFile:\t       4 kB"));
		KEXPECT(has_line(text, "VmExe:\t       8 kB"));
		KEXPECT(has_line(text, "VmLib:\t       0 kB"));
		KEXPECT(has_line(text, "VmStk:\t      16 kB"));
		snprintf(rss, sizeof(rss), "VmSize:\t%8lu kB", (unsigned long)(2 + 1 + 2 + 4) * 4);
		KEXPECT(has_line(text, rss));
		kfree(text);
		text = slurp("/proc/self/statm", NULL, &err);
		KEXPECT(text && !strcmp(text, "9 2 1 2 0 7 0\n"));
		kfree(text);
	}
	fput(f);
	vfs_close(fd);
	kfree(page);
}

KTEST(procpid, maps)
{
	struct ktest_proc *kp = ktest_proc_start(0, 0, maps_body, NULL);

	KASSERT(kp);
	ktest_proc_end(kp);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, TEST_FILE, 0), 0);
}

/* ------------------------------------------------------------ fd, fdinfo, links */

static void
fd_body(struct ktest_proc *kp, void *arg)
{
	int null = vfs_openat(AT_FDCWD, "/dev/null", O_RDONLY, 0);
	int wr = vfs_openat(AT_FDCWD, "/dev/null", O_WRONLY | O_CLOEXEC, 0);
	int file = vfs_openat(AT_FDCWD, TEST_FILE, O_RDWR | O_CREAT | O_TRUNC, 0600);
	char path[48], name[12], buf[16], want[96];
	struct kstat st, st2;
	struct file *f;
	char *text;
	int fd, err;

	KASSERT(null >= 0 && wr >= 0 && file >= 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", null);
	expect_link(path, "/dev/null");
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW), 0);
	KEXPECT_EQ(st.mode, S_IFLNK | 0500);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", wr);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW), 0);
	KEXPECT_EQ(st.mode, S_IFLNK | 0300);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", file);
	expect_link(path, TEST_FILE);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW), 0);
	KEXPECT_EQ(st.mode, S_IFLNK | 0700);
	snprintf(name, sizeof(name), "%d", file);
	KEXPECT_EQ(count_in_dir("/proc/self/fd", name), 1);
	KEXPECT_EQ(count_in_dir("/proc/self/fdinfo", name), 1);
	KEXPECT_EQ(count_in_dir("/proc/self/fd", "99"), 0);
	KEXPECT_EQ(open_err("/proc/self/fd/99"), -ENOENT);
	KEXPECT_EQ(open_err("/proc/self/fd/01"), -ENOENT);

	/* The magic link reaches an unlinked file; a new open starts at 0. */
	KEXPECT_EQ(vfs_write(file, "hello", 5), 5);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, TEST_FILE, 0), 0);
	fd = vfs_openat(AT_FDCWD, path, O_RDONLY, 0);
	KEXPECT(fd >= 0);
	if (fd >= 0) {
		KEXPECT_EQ(vfs_read(fd, buf, sizeof(buf)), 5);
		KEXPECT(!memcmp(buf, "hello", 5));
		KEXPECT_EQ(vfs_fstat(fd, &st), 0);
		KEXPECT_EQ(vfs_fstat(file, &st2), 0);
		KEXPECT_EQ(st.ino, st2.ino);
		vfs_close(fd);
	}
	/* fdinfo: offset, flags with O_LARGEFILE on 64-bit and O_CLOEXEC, mount, inode. */
	f = fget(file);
	KASSERT(f);
	snprintf(want, sizeof(want), "pos:\t5\nflags:\t0%o\nmnt_id:\t%u\nino:\t%llu\n",
		 (unsigned int)(O_RDWR | (sizeof(long) == 8 ? O_LARGEFILE : 0)), f->path.mnt->id,
		 (unsigned long long)f->inode->ino);
	fput(f);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", file);
	text = slurp(path, NULL, &err);
	KEXPECT(text && !strcmp(text, want));
	kfree(text);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", wr);
	text = slurp(path, NULL, &err);
	snprintf(want, sizeof(want), "flags:\t0%o\n",
		 (unsigned int)(O_WRONLY | O_CLOEXEC | (sizeof(long) == 8 ? O_LARGEFILE : 0)));
	KEXPECT(text && strstr(text, want));
	kfree(text);

	/* O_CREAT through a magic link opens what it names (echo > /dev/stdout). */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", wr);
	fd = vfs_openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	KEXPECT(fd >= 0);
	if (fd >= 0) {
		KEXPECT_EQ(vfs_write(fd, "x", 1), 1);
		vfs_close(fd);
	}
	KEXPECT_EQ(vfs_openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_EXCL, 0644), -EEXIST);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "/proc/self/cwd", O_RDONLY | O_CREAT, 0644), -EISDIR);

	/* cwd and root, also in the middle of a path; exe. */
	KEXPECT_EQ(vfs_chdir("/dev"), 0);
	expect_link("/proc/self/cwd", "/dev");
	expect_link("/proc/self/root", "/");
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "/proc/self/cwd/null", &st, 0), 0);
	KEXPECT(S_ISCHR(st.mode));
	KEXPECT_EQ(vfs_readlinkat(AT_FDCWD, "/proc/self/exe", buf, sizeof(buf)), -ENOENT);
	f = fget(null);
	KASSERT(f);
	{
		struct process *p = current_process();
		unsigned long flags = spin_lock_irqsave(&tasklist_lock);

		p->exe = f->path;
		path_get(&p->exe);
		spin_unlock_irqrestore(&tasklist_lock, flags);
	}
	fput(f);
	expect_link("/proc/self/exe", "/dev/null");
	KEXPECT_EQ(vfs_chdir("/"), 0);
	vfs_close(null);
	vfs_close(wr);
	vfs_close(file);
	KEXPECT_EQ(count_in_dir("/proc/self/fd", name), 0);
}

KTEST(procpid, fd_and_links)
{
	struct ktest_proc *kp;

	if (!IS_ENABLED(CONFIG_DEVTMPFS))
		KTEST_SKIP("no devtmpfs: no /dev/null");
	kp = ktest_proc_start(0, 0, fd_body, NULL);
	KASSERT(kp);
	ktest_proc_end(kp);
}

/* ------------------------------------------------------------ mounts */

static void
mounts_body(struct ktest_proc *kp, void *arg)
{
	size_t la, lb;
	int err;
	char *a = slurp("/proc/mounts", &la, &err), *b = slurp("/proc/self/mounts", &lb, &err);

	KEXPECT(a && b && la == lb && !memcmp(a, b, la));
	KEXPECT(a && strstr(a, "\nproc /proc proc rw"));
	kfree(a);
	kfree(b);
}

KTEST(procpid, mounts_is_self_mounts)
{
	char buf[32];
	struct kstat st;

	KEXPECT_EQ(vfs_readlinkat(AT_FDCWD, "/proc/mounts", buf, sizeof(buf)), 11);
	KEXPECT(!memcmp(buf, "self/mounts", 11));
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "/proc/mounts", &st, AT_SYMLINK_NOFOLLOW), 0);
	KEXPECT(S_ISLNK(st.mode));
	{
		struct ktest_proc *kp = ktest_proc_start(0, 0, mounts_body, NULL);

		KASSERT(kp);
		ktest_proc_end(kp);
	}
}

/* ------------------------------------------------------------ permissions */

static void
nothing(struct ktest_proc *kp, void *arg)
{
	map_anon(ktest_proc_mm(kp), ARGS_AT, 1, 0);
	set_args(ktest_proc_mm(kp), ARGS_AT);
}

struct peer {
	pid_t pid;
	bool same_user;
};

static void
peer_body(struct ktest_proc *kp, void *arg)
{
	struct peer *pr = arg;
	char path[48], buf[64];
	struct kstat st;
	char *text;
	int err, want = pr->same_user ? 0 : -EACCES;

	snprintf(path, sizeof(path), "/proc/%d", pr->pid);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, path, &st, 0), 0);
	KEXPECT_EQ(st.uid, 1000);
	KEXPECT_EQ(st.gid, 100);
	snprintf(path, sizeof(path), "/proc/%d/environ", pr->pid);
	KEXPECT_EQ(open_err(path), want);
	snprintf(path, sizeof(path), "/proc/%d/maps", pr->pid);
	KEXPECT_EQ(open_err(path), want);
	snprintf(path, sizeof(path), "/proc/%d/fd", pr->pid);
	KEXPECT_EQ(open_err(path), want);
	snprintf(path, sizeof(path), "/proc/%d/fdinfo", pr->pid);
	KEXPECT_EQ(count_in_dir(path, "."), pr->same_user ? 1 : -EACCES);
	snprintf(path, sizeof(path), "/proc/%d/exe", pr->pid);
	KEXPECT_EQ(vfs_readlinkat(AT_FDCWD, path, buf, sizeof(buf)), pr->same_user ? -ENOENT : -EACCES);
	snprintf(path, sizeof(path), "/proc/%d/cwd", pr->pid);
	KEXPECT_EQ(vfs_readlinkat(AT_FDCWD, path, buf, sizeof(buf)), pr->same_user ? 1 : -EACCES);
	/* World-readable ones, with addresses hidden from others. */
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pr->pid);
	text = slurp(path, NULL, &err);
	KEXPECT(text && !strcmp(text, "busybox"));
	kfree(text);
	snprintf(path, sizeof(path), "/proc/%d/status", pr->pid);
	text = slurp(path, NULL, &err);
	KEXPECT(text && has_line(text, "Uid:\t1000\t1000\t1000\t1000"));
	kfree(text);
	snprintf(path, sizeof(path), "/proc/%d/stat", pr->pid);
	text = slurp(path, NULL, &err);
	KASSERT(text);
	KEXPECT_EQ(stat_count(text), 52);
	KEXPECT_EQ(stat_field(text, 26), pr->same_user ? 0 : 1);	/* startcode */
	KEXPECT_EQ(stat_field(text, 48), pr->same_user ? (long long)ARGS_AT : 0);	/* arg_start */
	kfree(text);
}

KTEST(procpid, permissions_between_users)
{
	struct ktest_proc *owner = ktest_proc_start(1000, 100, nothing, NULL), *other;
	struct peer pr;
	char path[48];

	KASSERT(owner);
	pr.pid = ktest_proc_process(owner)->pid;
	pr.same_user = false;
	other = ktest_proc_start(2000, 200, peer_body, &pr);
	KEXPECT(other != NULL);
	if (other)
		ktest_proc_end(other);
	pr.same_user = true;
	other = ktest_proc_start(1000, 100, peer_body, &pr);
	KEXPECT(other != NULL);
	if (other)
		ktest_proc_end(other);
	/* Root (this kernel thread) reads everything. */
	snprintf(path, sizeof(path), "/proc/%d/environ", pr.pid);
	KEXPECT_EQ(open_err(path), 0);
	snprintf(path, sizeof(path), "/proc/%d/maps", pr.pid);
	KEXPECT_EQ(open_err(path), 0);
	/* chmod is refused, as Linux. */
	snprintf(path, sizeof(path), "/proc/%d/stat", pr.pid);
	KEXPECT_EQ(vfs_fchmodat(AT_FDCWD, path, 0666, 0), -EPERM);
	ktest_proc_end(owner);
}

/* ------------------------------------------------------------ a process that goes */

KTEST(procpid, zombie_then_gone)
{
	struct ktest_proc *kp = ktest_proc_start(0, 0, nothing, NULL);
	char path[48], buf[64], *text, *before;
	int stat_fd, dir_fd, err;
	size_t len;
	pid_t pid;

	KASSERT(kp);
	pid = ktest_proc_process(kp)->pid;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	stat_fd = vfs_openat(AT_FDCWD, path, O_RDONLY, 0);
	KASSERT(stat_fd >= 0);
	snprintf(path, sizeof(path), "/proc/%d", pid);
	dir_fd = vfs_openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY, 0);
	KASSERT(dir_fd >= 0);
	before = slurp("/proc/meminfo", NULL, &err);	/* anything: just exercise opens */
	kfree(before);

	ktest_proc_zombie(kp, 0x0100);		/* exit(1) */
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	text = slurp(path, NULL, &err);
	KASSERT(text);
	KEXPECT(strstr(text, ") Z ") != NULL);
	KEXPECT_EQ(stat_count(text), 52);
	KEXPECT_EQ(stat_field(text, 23), 0);		/* no address space */
	KEXPECT_EQ(stat_field(text, 52), 256);
	KEXPECT_EQ(stat_field(text, 9) & 4, 4);		/* PF_EXITING */
	kfree(text);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	text = slurp(path, NULL, &err);
	KASSERT(text);
	KEXPECT(has_line(text, "State:\tZ (zombie)"));
	KEXPECT(strstr(text, "VmSize") == NULL && strstr(text, "Umask") == NULL);
	kfree(text);
	snprintf(path, sizeof(path), "/proc/%d/statm", pid);
	text = slurp(path, NULL, &err);
	KEXPECT(text && !strcmp(text, "0 0 0 0 0 0 0\n"));
	kfree(text);
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	text = slurp(path, &len, &err);
	KEXPECT(text && len == 0);
	kfree(text);
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	text = slurp(path, &len, &err);
	KEXPECT(text && len == 0);
	kfree(text);
	snprintf(path, sizeof(path), "/proc/%d/cwd", pid);
	KEXPECT_EQ(vfs_readlinkat(AT_FDCWD, path, buf, sizeof(buf)), -ENOENT);
	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	KEXPECT_EQ(count_in_dir(path, "0"), 0);

	ktest_proc_end(kp);
	/* Gone: new walks miss, what was open stays safe. */
	snprintf(path, sizeof(path), "/proc/%d", pid);
	KEXPECT_EQ(open_err(path), -ENOENT);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	KEXPECT_EQ(open_err(path), -ENOENT);
	KEXPECT(vfs_read(stat_fd, buf, sizeof(buf)) > 0);	/* the text made at open */
	KEXPECT_EQ(vfs_openat(dir_fd, "stat", O_RDONLY, 0), -ENOENT);
	KEXPECT_EQ(vfs_getdents64(dir_fd, buf, sizeof(buf)), -ENOENT);
	vfs_close(stat_fd);
	vfs_close(dir_fd);
}

/* ------------------------------------------------------------ access_process_vm */

KTEST(procpid, access_process_vm)
{
	struct mm *mm = mm_create();
	char buf[16], zero[16];
	vaddr_t at = 0x50000000UL;

	KASSERT(mm);
	memset(zero, 0, sizeof(zero));
	mm->mmap_base = 0x60000000UL;
	KEXPECT_EQ(mm_mmap(mm, at, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0), (long)at);
	KEXPECT_EQ(mm_mmap(mm, at + 4 * PAGE_SIZE, PAGE_SIZE, PROT_READ,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0), (long)(at + 4 * PAGE_SIZE));
	KEXPECT_EQ(mm_mmap(mm, at + 6 * PAGE_SIZE, PAGE_SIZE, PROT_NONE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0), (long)(at + 6 * PAGE_SIZE));
	/* Untouched memory reads as zeros (faulted in); no page yet is no error. */
	memset(buf, 0x55, sizeof(buf));
	KEXPECT_EQ(access_process_vm(mm, at + 100, buf, sizeof(buf), false), sizeof(buf));
	KEXPECT(!memcmp(buf, zero, sizeof(buf)));
	/* Across the page boundary both ways. */
	KEXPECT_EQ(access_process_vm(mm, at + PAGE_SIZE - 5, "0123456789", 10, true), 10);
	KEXPECT_EQ(access_process_vm(mm, at + PAGE_SIZE - 5, buf, 10, false), 10);
	KEXPECT(!memcmp(buf, "0123456789", 10));
	/* Short at the end of the area, nothing outside it. */
	KEXPECT_EQ(access_process_vm(mm, at + 2 * PAGE_SIZE - 3, buf, 10, false), 3);
	KEXPECT_EQ(access_process_vm(mm, at + 3 * PAGE_SIZE, buf, 10, false), 0);
	/* The area's protection holds: read-only refuses writes, PROT_NONE everything. */
	KEXPECT_EQ(access_process_vm(mm, at + 4 * PAGE_SIZE, buf, 4, false), 4);
	KEXPECT_EQ(access_process_vm(mm, at + 4 * PAGE_SIZE, "x", 1, true), 0);
	KEXPECT_EQ(access_process_vm(mm, at + 6 * PAGE_SIZE, buf, 4, false), 0);
	/* Kernel addresses and wrap-around are outside every area. */
	KEXPECT_EQ(access_process_vm(mm, (vaddr_t)-8, buf, 16, false), 0);
	mm_put(mm);
}
