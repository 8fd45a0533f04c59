/*
 * proc (fs/proc/): /proc mounted as "proc", every built-in file read to
 * its end in pieces of any size with one result, lseek, Linux's layouts
 * (meminfo parsed line by line, uptime, interrupts), the write and
 * create refusals Linux gives, a second mount, getdents listing each
 * entry once, and the framework (a large generated file, directories,
 * symlinks, the per-process hook through a stand-in provider).
 */
#include <kernel/cmdline.h>
#include <kernel/cpu.h>
#include <kernel/cred.h>
#include <kernel/errno.h>
#include <kernel/fs.h>
#include <kernel/ktest.h>
#ifdef CONFIG_PROCESSES
#include <kernel/ktest_process.h>
#endif
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/proc_fs.h>
#include <kernel/seqbuf.h>
#include <kernel/slab.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <stdlib.h>
#include <string.h>

#include "../proc/format.h"
#include "../proc/internal.h"

#define MAX_TEXT	(256u * 1024)

static const char *const builtin_files[] = {
	"meminfo", "mounts", "uptime", "version", "cpuinfo", "interrupts",
	"filesystems", "stat", "loadavg",
};

/* Everything left in fd, read chunk bytes at a time (NUL-terminated; kfree it). */
static char *
read_fd(int fd, size_t chunk, size_t *lenp)
{
	char *buf = kmalloc(MAX_TEXT + 1);
	size_t len = 0;

	if (!buf)
		return NULL;
	for (;;) {
		size_t want = chunk < MAX_TEXT - len ? chunk : MAX_TEXT - len;
		ssize_t n = want ? vfs_read(fd, buf + len, want) : 0;

		if (n < 0) {
			kfree(buf);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

static char *
read_path(const char *path, size_t chunk, size_t *lenp)
{
	int fd = vfs_openat(AT_FDCWD, path, O_RDONLY, 0);
	char *text;

	if (fd < 0)
		return NULL;
	text = read_fd(fd, chunk, lenp);
	vfs_close(fd);
	return text;
}

/* Does text have a line starting with prefix? */
static bool
has_line_prefix(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, prefix, n) == 0)
			return true;
	return false;
}

static unsigned int
count_line_prefix(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);
	unsigned int count = 0;

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, prefix, n) == 0)
			count++;
	return count;
}

/*
 * With processes /proc/mounts is a link to self/mounts, which a kernel
 * thread does not have: tests that read it run as a process.
 */
static void
run_as_process(void (*fn)(void *arg))
{
#ifdef CONFIG_PROCESSES
	KEXPECT_EQ(ktest_as_process(fn, NULL), 0);
#else
	fn(NULL);
#endif
}

static void
mounted_as_proc_body(void *arg)
{
	struct kstatfs st;
	struct kstat ks;
	size_t len;
	char *mounts;

	KASSERT(vfs_statfs("/proc", &st) == 0);
	KEXPECT_EQ(st.type, PROC_SUPER_MAGIC);
	KASSERT(vfs_fstatat(AT_FDCWD, "/proc", &ks, 0) == 0);
	KEXPECT(S_ISDIR(ks.mode));
	KEXPECT_EQ(ks.ino, PROC_ROOT_INO);
	mounts = read_path("/proc/mounts", 4096, &len);
	KASSERT(mounts);
	KEXPECT(has_line_prefix(mounts, "rootfs / rootfs "));
	KEXPECT(has_line_prefix(mounts, "proc /proc proc "));
	kfree(mounts);
}

KTEST(procfs, mounted_as_proc)
{
	run_as_process(mounted_as_proc_body);
}

/* Each file: small and large pieces give one text; lseek back; pread. */
static void
read_in_pieces_and_seek_body(void *arg)
{
	static const size_t chunks[] = { 1, 7, 100, 4096, 65536 };

	for (size_t i = 0; i < sizeof(builtin_files) / sizeof(builtin_files[0]); i++) {
		char path[32], piece[16];
		int fd;
		size_t first_len, len;
		char *first;

		snprintf(path, sizeof(path), "/proc/%s", builtin_files[i]);
		fd = vfs_openat(AT_FDCWD, path, O_RDONLY, 0);
		KEXPECT(fd >= 0);
		if (fd < 0) {
			ktest_fail(__FILE__, __LINE__, "cannot open %s: %d", path, fd);
			continue;
		}
		first = read_fd(fd, 3, &first_len);
		KASSERT(first);
		KEXPECT(first_len > 0);
		KEXPECT_EQ(first[first_len - 1], '\n');
		KEXPECT_EQ(vfs_read(fd, piece, sizeof(piece)), 0);	/* stays at EOF */
		for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
			char *again;

			KEXPECT_EQ(vfs_lseek(fd, 0, SEEK_SET), 0);
			again = read_fd(fd, chunks[c], &len);
			KASSERT(again);
			KEXPECT_EQ(len, first_len);
			if (len != first_len || memcmp(again, first, len) != 0)
				ktest_fail(__FILE__, __LINE__, "%s differs in %zu-byte reads",
					   path, chunks[c]);
			kfree(again);
		}
		/* Relative seeks and positioned reads see the same snapshot. */
		if (first_len > 12) {
			KEXPECT_EQ(vfs_lseek(fd, 5, SEEK_SET), 5);
			KEXPECT_EQ(vfs_lseek(fd, 2, SEEK_CUR), 7);
			KEXPECT_EQ(vfs_read(fd, piece, 5), 5);
			KEXPECT(memcmp(piece, first + 7, 5) == 0);
			KEXPECT_EQ(vfs_pread(fd, piece, 4, 1), 4);
			KEXPECT(memcmp(piece, first + 1, 4) == 0);
		}
		/* Linux's seq_lseek: no SEEK_END, no negative position. */
		KEXPECT_EQ(vfs_lseek(fd, 0, SEEK_END), -EINVAL);
		KEXPECT_EQ(vfs_lseek(fd, -1, SEEK_SET), -EINVAL);
		/* Past the end reads nothing. */
		KEXPECT_EQ(vfs_lseek(fd, (loff_t)first_len + 100, SEEK_SET), (loff_t)first_len + 100);
		KEXPECT_EQ(vfs_read(fd, piece, sizeof(piece)), 0);
		kfree(first);
		KEXPECT_EQ(vfs_close(fd), 0);
	}
}

KTEST(procfs, read_in_pieces_and_seek)
{
	run_as_process(read_in_pieces_and_seek_body);
}

/* Files whose text does not change: the same in every open. */
static void
stable_files_stable_body(void *arg)
{
	static const char *const stable[] = { "/proc/version", "/proc/filesystems",
					      "/proc/cpuinfo", "/proc/mounts" };

	for (size_t i = 0; i < sizeof(stable) / sizeof(stable[0]); i++) {
		size_t a_len, b_len;
		char *a = read_path(stable[i], 1, &a_len), *b = read_path(stable[i], 65536, &b_len);

		KEXPECT(a && b);
		if (a && b && (a_len != b_len || memcmp(a, b, a_len) != 0))
			ktest_fail(__FILE__, __LINE__, "%s changed between opens", stable[i]);
		kfree(a);
		kfree(b);
	}
}

KTEST(procfs, stable_files_stable)
{
	run_as_process(stable_files_stable_body);
}

KTEST(procfs, meminfo_layout)
{
	static const char *const order[] = {
		"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached",
		"Active", "Inactive", "SwapTotal", "SwapFree", "Shmem", "Slab",
		"SReclaimable", "SUnreclaim",
	};
	struct mm_stats mm;
	size_t len, next = 0;
	unsigned int lines = 0;
	unsigned long long total = 0, free = ~0ull, avail = ~0ull, slab = 0, sr = 1, su = 0;
	char *text = read_path("/proc/meminfo", 4096, &len);

	KASSERT(text);
	for (char *p = text; *p;) {
		char *nl = strchr(p, '\n');
		char name[32];
		unsigned long long kb;

		KASSERT(nl);
		if (!proc_parse_kb_line(p, (size_t)(nl - p), name, sizeof(name), &kb)) {
			*nl = '\0';
			ktest_fail(__FILE__, __LINE__, "not Linux's layout: \"%s\"", p);
			break;
		}
		if (lines == 0)
			KEXPECT_STREQ(name, "MemTotal");
		if (next < sizeof(order) / sizeof(order[0]) && !strcmp(name, order[next]))
			next++;
		if (!strcmp(name, "MemTotal"))
			total = kb;
		else if (!strcmp(name, "MemFree"))
			free = kb;
		else if (!strcmp(name, "MemAvailable"))
			avail = kb;
		else if (!strcmp(name, "Slab"))
			slab = kb;
		else if (!strcmp(name, "SReclaimable"))
			sr = kb;
		else if (!strcmp(name, "SUnreclaim"))
			su = kb;
		lines++;
		p = nl + 1;
	}
	/* Every field busybox free and top read, in Linux's order. */
	KEXPECT_EQ(next, sizeof(order) / sizeof(order[0]));
	mm_stats(&mm);
	KEXPECT_EQ(total, (unsigned long long)mm.total_pages * 4);
	KEXPECT_OP(free, <=, total);
	KEXPECT_OP(free, >, 0);
	KEXPECT_OP(avail, <=, total);
	KEXPECT_OP(slab, >, 0);
	KEXPECT_EQ(slab, sr + su);
	kfree(text);
}

KTEST(procfs, meminfo_counts_tmpfs)
{
	static char page[4096];
	size_t len;
	char *text;
	char *p;
	unsigned long long before = 0, after = 0, kb;
	char name[32];
	int fd;

	text = read_path("/proc/meminfo", 4096, &len);
	KASSERT(text);
	p = strstr(text, "\nShmem:");
	KASSERT(p);
	KASSERT(proc_parse_kb_line(p + 1, (size_t)(strchr(p + 1, '\n') - (p + 1)), name,
				   sizeof(name), &before));
	kfree(text);
	fd = vfs_openat(AT_FDCWD, "/procfs-ktest-shmem", O_CREAT | O_WRONLY | O_TRUNC, 0600);
	KASSERT(fd >= 0);
	memset(page, 'x', sizeof(page));
	for (int i = 0; i < 4; i++)
		KEXPECT_EQ(vfs_write(fd, page, sizeof(page)), (ssize_t)sizeof(page));
	text = read_path("/proc/meminfo", 4096, &len);
	KASSERT(text);
	p = strstr(text, "\nShmem:");
	KASSERT(p);
	KASSERT(proc_parse_kb_line(p + 1, (size_t)(strchr(p + 1, '\n') - (p + 1)), name,
				   sizeof(name), &kb));
	after = kb;
	kfree(text);
	vfs_close(fd);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "/procfs-ktest-shmem", 0), 0);
	KEXPECT_OP(after, >=, before + 16);
}

KTEST(procfs, filesystems_listed)
{
	size_t len;
	char *text = read_path("/proc/filesystems", 4096, &len);

	KASSERT(text);
	KEXPECT(has_line_prefix(text, "nodev\ttmpfs\n"));
	KEXPECT(has_line_prefix(text, "nodev\tproc\n"));
	KEXPECT(has_line_prefix(text, "nodev\trootfs\n"));
	if (find_filesystem("devtmpfs"))
		KEXPECT(has_line_prefix(text, "nodev\tdevtmpfs\n"));
	kfree(text);
}

KTEST(procfs, cpuinfo_per_online_cpu)
{
	size_t len;
	uint64_t want;
	char *text = read_path("/proc/cpuinfo", 4096, &len);
	unsigned int n;

	KASSERT(text);
	n = count_line_prefix(text, "processor\t: ");
	KEXPECT_EQ(n, nr_cpus_online());
	/* A uniprocessor kernel runs the boot CPU alone on -smp variants. */
	if (IS_ENABLED(CONFIG_SMP) && cmdline_u64("ktest.cpus", &want) == 0)
		KEXPECT_EQ(n, want);
#if defined(__aarch64__)
	KEXPECT_EQ(count_line_prefix(text, "BogoMIPS\t: "), n);
	KEXPECT_EQ(count_line_prefix(text, "Features\t: fp asimd"), n);
	KEXPECT_EQ(count_line_prefix(text, "CPU implementer\t: 0x"), n);
	KEXPECT_EQ(count_line_prefix(text, "CPU architecture: 8\n"), n);
	KEXPECT_EQ(count_line_prefix(text, "CPU part\t: 0x"), n);
	KEXPECT_EQ(count_line_prefix(text, "CPU revision\t: "), n);
#else
	KEXPECT_EQ(count_line_prefix(text, "vendor_id\t: "), n);
	KEXPECT_EQ(count_line_prefix(text, "cpu family\t: "), n);
	KEXPECT_EQ(count_line_prefix(text, "model name\t: "), n);
	KEXPECT_EQ(count_line_prefix(text, "flags\t\t: fpu"), n);
	KEXPECT_EQ(count_line_prefix(text, "bogomips\t: "), n);
	KEXPECT_EQ(count_line_prefix(text, "address sizes\t: "), n);
#endif
	/* Entries are separated by a blank line, the last one too. */
	KEXPECT(len >= 2 && text[len - 1] == '\n' && text[len - 2] == '\n');
	kfree(text);
}

/* "S.CC S.CC\n" in centiseconds; false if not exactly that. */
static bool
parse_uptime(const char *s, uint64_t *up, uint64_t *idle)
{
	uint64_t v[2];

	for (int i = 0; i < 2; i++) {
		uint64_t sec = 0;

		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			sec = sec * 10 + (uint64_t)(*s++ - '0');
		if (s[0] != '.' || s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9')
			return false;
		v[i] = sec * 100 + (uint64_t)(s[1] - '0') * 10 + (uint64_t)(s[2] - '0');
		s += 3;
		if (*s++ != (i == 0 ? ' ' : '\n'))
			return false;
	}
	*up = v[0];
	*idle = v[1];
	return *s == '\0';
}

KTEST(procfs, uptime_increases)
{
	uint64_t up0, idle0, up1, idle1;
	size_t len;
	char *a = read_path("/proc/uptime", 64, &len), *b;

	KASSERT(a);
	KEXPECT(parse_uptime(a, &up0, &idle0));
	thread_sleep_ms(60);
	b = read_path("/proc/uptime", 64, &len);
	KASSERT(b);
	KEXPECT(parse_uptime(b, &up1, &idle1));
	KEXPECT_OP(up1, >, up0);
	/* Asleep, this CPU idled: the sum over CPUs grew. */
	KEXPECT_OP(idle1, >, idle0);
	/* The CPUs together cannot have idled longer than they ran. */
	KEXPECT_OP(idle1, <=, (up1 + 1) * nr_cpus_online());
	KEXPECT_OP(up1 * 10000000ull, <=, time_ns());
	kfree(a);
	kfree(b);
}

KTEST(procfs, interrupts_timer_counts)
{
	static const char *const timers[] = { "arch-timer", "lapic-timer", "i8254" };
	const struct clockevent *ce = clockevent_current();
	size_t len;
	char *text = read_path("/proc/interrupts", 4096, &len);
	cpumask_t online = cpus_online();
	unsigned int cpu, ncpus = cpumask_weight(online);
	bool found = false;
	char *p, *nl;

	KASSERT(text);
	/* The header: the IRQ column's width, then "CPU<n>" for each online CPU. */
	nl = strchr(text, '\n');
	KASSERT(nl);
	*nl = '\0';
	KEXPECT(strncmp(text, "           CPU0", 15) == 0);
	for_each_cpu(cpu, online) {
		char col[16];

		snprintf(col, sizeof(col), "CPU%u", cpu);
		KEXPECT(strstr(text, col) != NULL);
	}
	for (p = nl + 1; *p; p = nl + 1) {
		unsigned long long counts[NR_CPUS] = { 0 }, total = 0;
		char *q;

		nl = strchr(p, '\n');
		KASSERT(nl);
		*nl = '\0';
		q = strchr(p, ':');
		KASSERT(q);
		q++;
		for (unsigned int i = 0; i < ncpus; i++) {
			unsigned long long v = 0;

			while (*q == ' ')
				q++;
			if (*q < '0' || *q > '9')
				break;
			while (*q >= '0' && *q <= '9')
				v = v * 10 + (unsigned long long)(*q++ - '0');
			counts[i] = v;
			total += v;
		}
		for (size_t t = 0; t < sizeof(timers) / sizeof(timers[0]); t++) {
			size_t tl = strlen(timers[t]), pl = strlen(p);

			if (pl > tl + 2 && !strcmp(p + pl - tl, timers[t]) && p[pl - tl - 1] == ' ') {
				found = true;
				KEXPECT_OP(total, >, 0);
				/* A timer in every CPU ticks on each of them. */
				if (ce && ce->per_cpu)
					for (unsigned int i = 0; i < ncpus; i++)
						KEXPECT_OP(counts[i], >, 0);
			}
		}
	}
	KEXPECT(found);
	kfree(text);
}

KTEST(procfs, stat_and_loadavg)
{
	size_t len;
	char *text = read_path("/proc/stat", 4096, &len);
	unsigned int running, threads, last;
	char *p;

	KASSERT(text);
	KEXPECT(strncmp(text, "cpu  ", 5) == 0);
	KEXPECT_EQ(count_line_prefix(text, "cpu"), nr_cpus_online() + 1);
	KEXPECT(has_line_prefix(text, "cpu0 "));
	KEXPECT(has_line_prefix(text, "intr "));
	KEXPECT(has_line_prefix(text, "ctxt "));
	KEXPECT(has_line_prefix(text, "btime "));
	KEXPECT(has_line_prefix(text, "processes "));
	KEXPECT(has_line_prefix(text, "procs_running "));
	KEXPECT(has_line_prefix(text, "procs_blocked "));
	KEXPECT(has_line_prefix(text, "softirq "));
	kfree(text);

	text = read_path("/proc/loadavg", 4096, &len);
	KASSERT(text);
	/* The 1, 5 and 15 minute averages, "%lu.%02lu" each (kernel/loadavg.c). */
	p = text;
	for (int i = 0; i < 3; i++) {
		strtoul(p, &p, 10);
		KEXPECT_EQ(*p, '.');
		KEXPECT(p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9');
		KEXPECT_EQ(p[3], ' ');
		p += 4;
	}
	running = (unsigned int)strtoul(p, &p, 10);
	KEXPECT_EQ(*p, '/');
	threads = (unsigned int)strtoul(p + 1, &p, 10);
	KEXPECT_EQ(*p, ' ');
	last = (unsigned int)strtoul(p + 1, &p, 10);
	KEXPECT_EQ(*p, '\n');
	KEXPECT_OP(running, >=, 1);		/* this thread */
	KEXPECT_OP(threads, >=, running);
#ifdef CONFIG_PROCESSES
	KEXPECT_EQ(last, process_last_pid());	/* the test processes' */
#else
	KEXPECT_EQ(last, 0);
#endif
	kfree(text);
}

KTEST(procfs, version_line)
{
	size_t len;
	char *text = read_path("/proc/version", 4096, &len);

	KASSERT(text);
	KEXPECT(strncmp(text, "Linux version 6.1.0-kite (", 26) == 0);
	KEXPECT(strstr(text, " #1 ") != NULL);
	KEXPECT(strstr(text, "Kite " KITE_VERSION "\n") != NULL);
	KEXPECT_EQ(count_line_prefix(text, ""), 1);
	kfree(text);
}

/* Linux: root may open for writing and gets EIO; others EACCES at open. */
KTEST(procfs, writes_refused)
{
	const struct cred *old = get_cred(current_cred());
	struct cred *c;
	int fd;

	fd = vfs_openat(AT_FDCWD, "/proc/version", O_WRONLY, 0);
	KEXPECT(fd >= 0);
	if (fd >= 0) {
		KEXPECT_EQ(vfs_write(fd, "x", 1), -EIO);
		vfs_close(fd);
	}
	fd = vfs_openat(AT_FDCWD, "/proc/meminfo", O_RDWR, 0);
	KEXPECT(fd >= 0);
	if (fd >= 0) {
		KEXPECT_EQ(vfs_write(fd, "x", 1), -EIO);
		vfs_close(fd);
	}
	/* No new names in /proc: ENOENT, as Linux's proc lookup says. */
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "/proc/new-file", O_CREAT | O_WRONLY, 0644), -ENOENT);
	KEXPECT_EQ(vfs_mkdirat(AT_FDCWD, "/proc/new-dir", 0755), -ENOENT);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "/proc/version", 0), -EPERM);

	c = cred_prepare();
	KASSERT(c);
	c->uid = c->euid = c->fsuid = 1000;
	c->gid = c->egid = c->fsgid = 1000;
	c->ngroups = 0;
	cred_commit(c);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "/proc/version", O_WRONLY, 0), -EACCES);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "/proc/meminfo", O_RDWR, 0), -EACCES);
	fd = vfs_openat(AT_FDCWD, "/proc/version", O_RDONLY, 0);
	KEXPECT(fd >= 0);
	if (fd >= 0)
		vfs_close(fd);
	cred_commit((struct cred *)old);
	KEXPECT_EQ(current_cred()->fsuid, 0);
}

static void
second_mount_body(void *arg)
{
	struct kstat a, b;
	size_t la, lb;
	char *ta, *tb;

	KASSERT(vfs_mkdirat(AT_FDCWD, "/procfs-ktest-mnt", 0755) == 0);
	KEXPECT_EQ(vfs_mount("proc", "/procfs-ktest-mnt", "proc", 0, NULL), 0);
	ta = read_path("/proc/version", 4096, &la);
	tb = read_path("/procfs-ktest-mnt/version", 4096, &lb);
	KEXPECT(ta && tb);
	if (ta && tb)
		KEXPECT(la == lb && memcmp(ta, tb, la) == 0);
	kfree(ta);
	kfree(tb);
	/* The same entry has the same inode number in each mount; devices differ. */
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "/proc/meminfo", &a, 0), 0);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "/procfs-ktest-mnt/meminfo", &b, 0), 0);
	KEXPECT_EQ(a.ino, b.ino);
	KEXPECT_OP(a.ino, >=, PROC_DYNAMIC_FIRST);
	KEXPECT(a.dev != b.dev);
	KEXPECT(S_ISREG(a.mode));
	KEXPECT_EQ(a.mode & 07777, 0444);
	KEXPECT_EQ(a.size, 0);
	tb = read_path("/proc/mounts", 4096, &lb);
	KEXPECT(tb && has_line_prefix(tb, "proc /procfs-ktest-mnt proc "));
	kfree(tb);
	KEXPECT_EQ(vfs_umount("/procfs-ktest-mnt", 0), 0);
	KEXPECT_EQ(vfs_unlinkat(AT_FDCWD, "/procfs-ktest-mnt", AT_REMOVEDIR), 0);
}

KTEST(procfs, second_mount)
{
	run_as_process(second_mount_body);
}

struct seen {
	char names[64][24];
	uint64_t inos[64];
	unsigned int n;
};

/* Every entry of dir through getdents64 with a buffer of bufsize bytes. */
static int
list_dir(const char *dir, size_t bufsize, struct seen *s)
{
	char *buf = kmalloc(bufsize);
	int fd = vfs_openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY, 0);
	ssize_t n;

	s->n = 0;
	if (!buf || fd < 0) {
		kfree(buf);
		return fd < 0 ? fd : -ENOMEM;
	}
	while ((n = vfs_getdents64(fd, buf, bufsize)) > 0) {
		for (ssize_t off = 0; off < n;) {
			uint64_t ino;
			uint16_t reclen;

			memcpy(&ino, buf + off, 8);
			memcpy(&reclen, buf + off + 16, 2);
			if (s->n < 64) {
				strlcpy(s->names[s->n], buf + off + 19, sizeof(s->names[0]));
				s->inos[s->n] = ino;
				s->n++;
			}
			off += reclen;
		}
	}
	vfs_close(fd);
	kfree(buf);
	return (int)n;
}

static unsigned int
times_seen(const struct seen *s, const char *name)
{
	unsigned int c = 0;

	for (unsigned int i = 0; i < s->n; i++)
		c += !strcmp(s->names[i], name);
	return c;
}

KTEST(procfs, getdents_lists_each_once)
{
	static struct seen big, small;

	KASSERT(list_dir("/proc", 4096, &big) == 0);
	KASSERT(list_dir("/proc", 32, &small) == 0);	/* one entry per call */
	KEXPECT_EQ(big.n, small.n);
	for (unsigned int i = 0; i < big.n && i < small.n; i++) {
		KEXPECT_STREQ(big.names[i], small.names[i]);
		KEXPECT_EQ(big.inos[i], small.inos[i]);
	}
	KEXPECT_EQ(times_seen(&big, "."), 1);
	KEXPECT_EQ(times_seen(&big, ".."), 1);
	for (size_t i = 0; i < sizeof(builtin_files) / sizeof(builtin_files[0]); i++) {
		KEXPECT_EQ(times_seen(&big, builtin_files[i]), 1);
		if (times_seen(&big, builtin_files[i]) != 1)
			ktest_fail(__FILE__, __LINE__, "%s listed %u times", builtin_files[i],
				   times_seen(&big, builtin_files[i]));
	}
	for (unsigned int i = 0; i < big.n; i++) {
		struct kstat st;
		char path[48];

		KEXPECT_EQ(times_seen(&big, big.names[i]), 1);
		if (big.names[i][0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%s", big.names[i]);
		KEXPECT_EQ(vfs_fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW), 0);
		KEXPECT_EQ(st.ino, big.inos[i]);
	}
	/* No process runs during the tests: no numeric names; "self" with processes. */
	KEXPECT_EQ(times_seen(&big, "self"), IS_ENABLED(CONFIG_PROCESSES) ? 1 : 0);
	KEXPECT_EQ(times_seen(&big, "thread-self"), IS_ENABLED(CONFIG_PROCESSES) ? 1 : 0);
	KEXPECT_EQ(times_seen(&big, "1"), 0);
}

/* ------------------------------------------------------------ framework */

#define BIG_LINES	2000

static void
big_show(struct seqbuf *m, void *data)
{
	for (unsigned int i = 0; i < BIG_LINES; i++)
		seqbuf_printf(m, "%s line %04u\n", (const char *)data, i);
}

static struct proc_dir_entry *ktest_dir;

static void
ktest_entries(void)
{
	if (ktest_dir)
		return;
	ktest_dir = proc_mkdir("procfs-ktest", NULL);
	proc_create_data("big", 0400, ktest_dir, big_show, "generated");
	proc_symlink("to-big", ktest_dir, "big");
	proc_symlink("to-version", ktest_dir, "/proc/version");
	proc_mkdir("sub", ktest_dir);
}

KTEST(procfs, framework_entries)
{
	struct kstat st;
	size_t len;
	char *text, link[32];
	struct seen s;

	ktest_entries();
	KASSERT(ktest_dir);
	/* Names are unique in a directory. */
	KEXPECT(proc_mkdir("procfs-ktest", NULL) == NULL);
	KEXPECT(proc_create("big", 0444, ktest_dir, big_show) == NULL);
	KEXPECT(proc_create("a/b", 0444, ktest_dir, big_show) == NULL);

	/* Grown and retried past the first buffer: every line there. */
	text = read_path("/proc/procfs-ktest/big", 1000, &len);
	KASSERT(text);
	KEXPECT_EQ(len, BIG_LINES * strlen("generated line 0000\n"));
	KEXPECT(strncmp(text, "generated line 0000\n", 20) == 0);
	KEXPECT(strcmp(text + len - 20, "generated line 1999\n") == 0);
	kfree(text);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "/proc/procfs-ktest/big", &st, 0), 0);
	KEXPECT_EQ(st.mode, S_IFREG | 0400);

	/* Directories: 2 links plus one per subdirectory. */
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "/proc/procfs-ktest", &st, 0), 0);
	KEXPECT_EQ(st.mode, S_IFDIR | 0555);
	KEXPECT_EQ(st.nlink, 3);
	KEXPECT_EQ(list_dir("/proc/procfs-ktest", 4096, &s), 0);
	KEXPECT_EQ(s.n, 6);
	KEXPECT_EQ(times_seen(&s, "big") + times_seen(&s, "to-big") +
		   times_seen(&s, "to-version") + times_seen(&s, "sub"), 4);
	KEXPECT_EQ(list_dir("/proc/procfs-ktest/sub", 4096, &s), 0);
	KEXPECT_EQ(s.n, 2);

	/* Symlinks: relative and absolute targets, followed by open. */
	KEXPECT_EQ(vfs_readlinkat(AT_FDCWD, "/proc/procfs-ktest/to-big", link, sizeof(link)), 3);
	KEXPECT(memcmp(link, "big", 3) == 0);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "/proc/procfs-ktest/to-big", &st, AT_SYMLINK_NOFOLLOW),
		   0);
	KEXPECT(S_ISLNK(st.mode));
	KEXPECT_EQ(st.size, 3);
	text = read_path("/proc/procfs-ktest/to-version", 4096, &len);
	KEXPECT(text && strncmp(text, "Linux version ", 14) == 0);
	kfree(text);
	text = read_path("/proc/procfs-ktest/to-big", 65536, &len);
	KEXPECT(text && len == BIG_LINES * 20);
	kfree(text);
	KEXPECT_EQ(vfs_openat(AT_FDCWD, "/proc/procfs-ktest/missing", O_RDONLY, 0), -ENOENT);
}

/* A stand-in for the processes code: pids 1 and 42, directories. */
static unsigned int fake_pids[] = { 1, 42 };

static int
fake_iterate(struct inode *dir, struct file *f, struct dir_context *ctx)
{
	for (size_t i = 0; i < sizeof(fake_pids) / sizeof(fake_pids[0]); i++) {
		loff_t pos = PROC_PID_POS_FIRST + 2 + fake_pids[i];
		char name[12];
		int n;

		if (pos < ctx->pos)
			continue;
		ctx->pos = pos;
		n = snprintf(name, sizeof(name), "%u", fake_pids[i]);
		if (!dir_emit(ctx, name, (unsigned int)n, 0x1000 + fake_pids[i], DT_DIR))
			return 0;
		ctx->pos = pos + 1;
	}
	return 0;
}

static int
fake_lookup(struct inode *dir, struct dentry *d)
{
	for (size_t i = 0; i < sizeof(fake_pids) / sizeof(fake_pids[0]); i++) {
		char name[12];
		int n = snprintf(name, sizeof(name), "%u", fake_pids[i]);
		struct inode *inode;

		if ((uint32_t)n != d->name.len || memcmp(name, d->name.name, d->name.len))
			continue;
		inode = new_inode(dir->sb, S_IFDIR | 0555);
		if (!inode)
			return -ENOMEM;
		inode->ino = 0x1000 + fake_pids[i];
		inode->nlink = 2;
		d_instantiate(d, inode);
		return 0;
	}
	return -ENOENT;
}

static const struct proc_pid_ops fake_ops = { fake_iterate, fake_lookup };

KTEST(procfs, pid_hook)
{
	static struct seen s, small;
	struct kstat st;

	const struct proc_pid_ops *real;

	/* The processes' own provider (if any) steps aside for the stand-in. */
	mutex_lock(&proc_mutex);
	real = proc_pid_provider;
	mutex_unlock(&proc_mutex);
	if (real)
		proc_unregister_pid_dir(real);
	/* Looked up before the provider: not found, and nothing cached. */
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "/proc/42", &st, 0), -ENOENT);
	KASSERT(proc_register_pid_dir(&fake_ops) == 0);
	KEXPECT_EQ(proc_register_pid_dir(&fake_ops), -EBUSY);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "/proc/42", &st, 0), 0);
	KEXPECT(S_ISDIR(st.mode));
	KEXPECT_EQ(st.ino, 0x1000 + 42);
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "/proc/43", &st, 0), -ENOENT);
	KEXPECT_EQ(list_dir("/proc", 4096, &s), 0);
	KEXPECT_EQ(list_dir("/proc", 32, &small), 0);
	KEXPECT_EQ(s.n, small.n);
	KEXPECT_EQ(times_seen(&s, "1"), 1);
	KEXPECT_EQ(times_seen(&s, "42"), 1);
	KEXPECT_EQ(times_seen(&small, "42"), 1);
	KEXPECT_EQ(times_seen(&s, "meminfo"), 1);
	/* The provider's entries come after the static ones. */
	KEXPECT(s.n >= 2 && !strcmp(s.names[s.n - 1], "42") && !strcmp(s.names[s.n - 2], "1"));
	proc_unregister_pid_dir(&fake_ops);
	/* Gone with its provider once its cached entry is flushed. */
	proc_flush_name("42");
	proc_flush_name("1");
	KEXPECT_EQ(vfs_fstatat(AT_FDCWD, "/proc/42", &st, 0), -ENOENT);
	KEXPECT_EQ(list_dir("/proc", 4096, &s), 0);
	KEXPECT_EQ(times_seen(&s, "42"), 0);
	if (real)
		KEXPECT_EQ(proc_register_pid_dir(real), 0);
}
