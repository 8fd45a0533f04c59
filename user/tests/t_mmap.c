/*
 * Mappings of files and shared memory: MAP_SHARED stores reach the file
 * (read(), other mappings, other processes); MAP_PRIVATE sees the file
 * until its first write; SIGBUS (BUS_ADRERR) past the end of the file and
 * after a truncate, in every process; EACCES/EPERM/ENODEV rules of mmap
 * and mprotect on files; msync and mincore; MADV_DONTNEED on private and
 * shared memory; memfd_create and its seals; MAP_FIXED_NOREPLACE; the
 * stack's guard gap and growth limit; the randomised layout and
 * ADDR_NO_RANDOMIZE; RLIMIT_AS and RLIMIT_DATA; /proc/<pid>/maps names;
 * and the out-of-memory killer (on a small machine only).
 */
#include "kt.h"

#include <fcntl.h>
#include <setjmp.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#endif

static sigjmp_buf jmp;
static volatile sig_atomic_t got_sig, got_code;
static void *volatile got_addr;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_addr = si->si_addr;
	siglongjmp(jmp, 1);
}

/* 0 if reading *p worked (the byte in *out), else the signal it raised. */
static int try_read(volatile char *p, char *out)
{
	kt_handle_info(SIGSEGV, on_fault, SA_NODEFER);
	kt_handle_info(SIGBUS, on_fault, SA_NODEFER);
	got_sig = 0;
	if (sigsetjmp(jmp, 1) == 0) {
		char c = *p;
		if (out)
			*out = c;
	}
	return got_sig;
}

static int try_write(volatile char *p, char v)
{
	kt_handle_info(SIGSEGV, on_fault, SA_NODEFER);
	kt_handle_info(SIGBUS, on_fault, SA_NODEFER);
	got_sig = 0;
	if (sigsetjmp(jmp, 1) == 0)
		*p = v;
	return got_sig;
}

#define CHECK_SIGBUS(access, addr) do {					\
	CHECK_EQ(access, SIGBUS);					\
	CHECK_EQ(got_code, BUS_ADRERR);					\
	CHECK_EQ((uintptr_t)got_addr, (uintptr_t)(addr));		\
} while (0)

/* A file of n bytes, byte i = (char)(i * 7 + seed). */
static int make_file(const char *name, size_t n, int seed)
{
	int fd = REQUIRE_OK(open(name, O_RDWR | O_CREAT | O_TRUNC, 0600));
	char *buf = malloc(n ? n : 1);
	REQUIRE(buf != NULL);
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)(i * 7 + seed);
	REQUIRE(write(fd, buf, n) == (ssize_t)n);
	free(buf);
	return fd;
}

static char pattern(size_t i, int seed)
{
	return (char)(i * 7 + seed);
}

static void file_shared(void)
{
	int fd = make_file("f", 2 * KT_PAGE, 1);
	char *a = mmap(NULL, 2 * KT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *b = mmap(NULL, 2 * KT_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	char c;
	REQUIRE(a != MAP_FAILED && b != MAP_FAILED && a != b);
	CHECK_EQ(a[5], pattern(5, 1));
	CHECK_EQ(b[KT_PAGE + 3], pattern(KT_PAGE + 3, 1));
	/* A store is the file's data: read() and the other mapping see it. */
	a[10] = 'S';
	a[KT_PAGE + 20] = 'T';
	CHECK_EQ(b[10], 'S');
	CHECK_EQ(pread(fd, &c, 1, 10), 1);
	CHECK_EQ(c, 'S');
	CHECK_EQ(pread(fd, &c, 1, KT_PAGE + 20), 1);
	CHECK_EQ(c, 'T');
	/* A write() shows in both mappings at once. */
	CHECK_EQ(pwrite(fd, "W", 1, 30), 1);
	CHECK_EQ(a[30], 'W');
	CHECK_EQ(b[30], 'W');
	/* Another process: its stores reach this one's mapping and the file. */
	pid_t pid = kt_fork();
	if (pid == 0) {
		int bad = a[10] != 'S';
		a[40] = 'C';
		char *m = mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (m == MAP_FAILED)
			_exit(2);
		m[50] = 'M';
		_exit(bad);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	CHECK_EQ(a[40], 'C');
	CHECK_EQ(b[50], 'M');
	/* After munmap the data stays in the file. */
	CHECK_OK(munmap(a, 2 * KT_PAGE));
	CHECK_OK(munmap(b, 2 * KT_PAGE));
	CHECK_EQ(pread(fd, &c, 1, 50), 1);
	CHECK_EQ(c, 'M');
	/* A mapping from an offset shows the file from there. */
	a = mmap(NULL, KT_PAGE, PROT_READ, MAP_SHARED, fd, KT_PAGE);
	REQUIRE(a != MAP_FAILED);
	CHECK_EQ(a[20], 'T');
	CHECK_OK(munmap(a, KT_PAGE));
	close(fd);
}

static void file_private(void)
{
	int fd = make_file("f", 3 * KT_PAGE, 2);
	char *p = mmap(NULL, 3 * KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char c;
	REQUIRE(p != MAP_FAILED);
	CHECK_EQ(p[1], pattern(1, 2));
	/* Until the first write there, a page is the file's: a write() shows. */
	CHECK_EQ(pwrite(fd, "A", 1, 2), 1);
	CHECK_EQ(p[2], 'A');
	CHECK_EQ(pwrite(fd, "B", 1, KT_PAGE + 2), 1);
	CHECK_EQ(p[KT_PAGE + 2], 'B');		/* never touched before */
	/* The first store copies the page: the file keeps its bytes. */
	p[3] = 'P';
	CHECK_EQ(pread(fd, &c, 1, 3), 1);
	CHECK_EQ(c, pattern(3, 2));
	CHECK_EQ(p[2], 'A');			/* the copy kept what it had */
	/* ... and later writes to the file no longer show in that page. */
	CHECK_EQ(pwrite(fd, "X", 1, 4), 1);
	CHECK_EQ(p[4], pattern(4, 2));
	CHECK_EQ(pwrite(fd, "Y", 1, 2 * KT_PAGE + 1), 1);
	CHECK_EQ(p[2 * KT_PAGE + 1], 'Y');	/* other pages still do */
	/* A child after fork shares the copy copy-on-write, and its stores stay its own. */
	pid_t pid = kt_fork();
	if (pid == 0) {
		int bad = p[3] != 'P';
		p[3] = 'Q';
		p[KT_PAGE + 5] = 'R';
		_exit(bad);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	CHECK_EQ(p[3], 'P');
	CHECK_EQ(p[KT_PAGE + 5], pattern(KT_PAGE + 5, 2));
	CHECK_EQ(pread(fd, &c, 1, KT_PAGE + 5), 1);
	CHECK_EQ(c, pattern(KT_PAGE + 5, 2));
	CHECK_OK(munmap(p, 3 * KT_PAGE));
	/* A read-only descriptor maps privately with PROT_WRITE (copy-on-write). */
	int ro = REQUIRE_OK(open("f", O_RDONLY));
	p = mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	REQUIRE(p != MAP_FAILED);
	p[0] = 'Z';
	CHECK_EQ(pread(fd, &c, 1, 0), 1);
	CHECK_EQ(c, pattern(0, 2));
	CHECK_OK(munmap(p, KT_PAGE));
	close(ro);
	close(fd);
}

static void sigbus_past_eof(void)
{
	int fd = make_file("f", KT_PAGE + 100, 3);
	for (int shared = 0; shared < 2; shared++) {
		char *p = mmap(NULL, 3 * KT_PAGE, PROT_READ | PROT_WRITE,
			       shared ? MAP_SHARED : MAP_PRIVATE, fd, 0);
		char c = 1;
		REQUIRE(p != MAP_FAILED);
		kt_ctx = shared ? "MAP_SHARED" : "MAP_PRIVATE";
		CHECK_EQ(try_read(p + KT_PAGE + 99, &c), 0);
		CHECK_EQ(c, pattern(KT_PAGE + 99, 3));
		/* The rest of the last page reads as zeros. */
		CHECK_EQ(try_read(p + KT_PAGE + 100, &c), 0);
		CHECK_EQ(c, 0);
		CHECK_EQ(try_read(p + 2 * KT_PAGE - 1, &c), 0);
		CHECK_EQ(c, 0);
		/* A page wholly past the end: SIGBUS at the address. */
		CHECK_SIGBUS(try_read(p + 2 * KT_PAGE + 5, NULL), p + 2 * KT_PAGE + 5);
		CHECK_SIGBUS(try_write(p + 2 * KT_PAGE, 1), p + 2 * KT_PAGE);
		/* Once the file grows, the page is there (zeros). */
		CHECK_OK(ftruncate(fd, 3 * KT_PAGE));
		CHECK_EQ(try_read(p + 2 * KT_PAGE + 5, &c), 0);
		CHECK_EQ(c, 0);
		CHECK_OK(ftruncate(fd, KT_PAGE + 100));
		CHECK_OK(munmap(p, 3 * KT_PAGE));
	}
	END_BAD;
	/* An empty file: its first page already faults. */
	int e = REQUIRE_OK(open("empty", O_RDWR | O_CREAT | O_TRUNC, 0600));
	char *p = mmap(NULL, KT_PAGE, PROT_READ, MAP_SHARED, e, 0);
	REQUIRE(p != MAP_FAILED);
	CHECK_SIGBUS(try_read(p, NULL), p);
	CHECK_OK(munmap(p, KT_PAGE));
	close(e);
	close(fd);
}

static void truncate_unmaps(void)
{
	int fd = make_file("f", 3 * KT_PAGE, 4);
	char *s = mmap(NULL, 3 * KT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *p = mmap(NULL, 3 * KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	int go[2], done[2];
	char c;
	REQUIRE(s != MAP_FAILED && p != MAP_FAILED);
	REQUIRE_OK(pipe(go));
	REQUIRE_OK(pipe(done));
	/* Every page present: shared, private file pages and a private copy. */
	for (int i = 0; i < 3; i++) {
		c = s[i * KT_PAGE];
		c = p[i * KT_PAGE];
	}
	(void)c;
	p[2 * KT_PAGE + 1] = 'c';
	pid_t pid = kt_fork();
	if (pid == 0) {
		char x;
		int bad = 0;
		if (read(go[0], &x, 1) != 1)
			_exit(3);
		/* The truncate reached this process's mappings too. */
		bad |= try_read(s + 2 * KT_PAGE, NULL) != SIGBUS;
		bad |= try_read(s + KT_PAGE, NULL) != 0;
		bad |= try_read(s + KT_PAGE + 50, &x) != 0 || x != 0;
		_exit(bad);
	}
	CHECK_OK(ftruncate(fd, KT_PAGE + 20));
	CHECK_EQ(write(go[1], "g", 1), 1);
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* Past the new end: SIGBUS in the shared and the private mapping, copies too. */
	CHECK_SIGBUS(try_read(s + 2 * KT_PAGE, NULL), s + 2 * KT_PAGE);
	CHECK_SIGBUS(try_read(p + 2 * KT_PAGE + 1, NULL), p + 2 * KT_PAGE + 1);
	/* The last page's bytes past the end are zeros in every mapping. */
	CHECK_EQ(try_read(s + KT_PAGE + 19, &c), 0);
	CHECK_EQ(c, pattern(KT_PAGE + 19, 4));
	CHECK_EQ(try_read(s + KT_PAGE + 20, &c), 0);
	CHECK_EQ(c, 0);
	CHECK_EQ(try_read(p + KT_PAGE + 20, &c), 0);
	CHECK_EQ(c, 0);
	/* Truncating to zero: nothing is left. */
	CHECK_OK(ftruncate(fd, 0));
	CHECK_SIGBUS(try_read(s, NULL), s);
	CHECK_SIGBUS(try_read(p, NULL), p);
	CHECK_OK(munmap(s, 3 * KT_PAGE));
	CHECK_OK(munmap(p, 3 * KT_PAGE));
	close(fd);
}

static void file_access_rules(void)
{
	int fd = make_file("f", KT_PAGE, 5);
	int ro = REQUIRE_OK(open("f", O_RDONLY));
	int wo = REQUIRE_OK(open("f", O_WRONLY));
	int pfd[2];
	char *p;
	REQUIRE_OK(pipe(pfd));
	/* PROT_WRITE on a shared mapping of a read-only descriptor. */
	CHECK_ERR(mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES);
	/* Read-only now, and it can never become writable. */
	p = mmap(NULL, KT_PAGE, PROT_READ, MAP_SHARED, ro, 0);
	REQUIRE(p != MAP_FAILED);
	CHECK_ERR(mprotect(p, KT_PAGE, PROT_READ | PROT_WRITE), EACCES);
	CHECK_OK(mprotect(p, KT_PAGE, PROT_NONE));
	CHECK_OK(mprotect(p, KT_PAGE, PROT_READ));
	CHECK_EQ(p[0], pattern(0, 5));
	CHECK_OK(munmap(p, KT_PAGE));
	/* A write-only descriptor cannot be mapped at all. */
	CHECK_ERR(mmap(NULL, KT_PAGE, PROT_READ, MAP_SHARED, wo, 0), EACCES);
	CHECK_ERR(mmap(NULL, KT_PAGE, PROT_READ, MAP_PRIVATE, wo, 0), EACCES);
	/* Shared and writable: mprotect may take write away and give it back. */
	p = mmap(NULL, KT_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	REQUIRE(p != MAP_FAILED);
	CHECK_EQ(try_write(p, 'x'), SIGSEGV);
	CHECK_EQ(got_code, SEGV_ACCERR);
	CHECK_OK(mprotect(p, KT_PAGE, PROT_READ | PROT_WRITE));
	CHECK_EQ(try_write(p, 'y'), 0);
	CHECK_OK(mprotect(p, KT_PAGE, PROT_READ));
	CHECK_EQ(try_write(p, 'z'), SIGSEGV);
	char c;
	CHECK_EQ(pread(fd, &c, 1, 0), 1);
	CHECK_EQ(c, 'y');
	CHECK_OK(munmap(p, KT_PAGE));
	/* Other errors. */
	CHECK_ERR(mmap(NULL, KT_PAGE, PROT_READ, MAP_SHARED, 999, 0), EBADF);
	CHECK_ERR(mmap(NULL, KT_PAGE, PROT_READ, MAP_SHARED, pfd[0], 0), ENODEV);
	CHECK_ERR(mmap(NULL, KT_PAGE, PROT_READ, MAP_SHARED, fd, 100), EINVAL);
	CHECK_ERR(mmap(NULL, KT_PAGE, PROT_READ, MAP_SHARED | MAP_PRIVATE | 0x8, fd, 0), EINVAL);
	CHECK_ERR(mmap(NULL, 0, PROT_READ, MAP_SHARED, fd, 0), EINVAL);
	CHECK_ERR(mmap(NULL, KT_PAGE, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0), EOPNOTSUPP);
	CHECK_ERR(mmap(NULL, KT_PAGE, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, fd, 0), EINVAL);
	/* A mapping outlives its descriptor. */
	p = mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	REQUIRE(p != MAP_FAILED);
	close(fd);
	p[1] = 'k';
	CHECK_EQ(pread(ro, &c, 1, 1), 1);
	CHECK_EQ(c, 'k');
	CHECK_OK(munmap(p, KT_PAGE));
	close(ro);
	close(wo);
}

static void msync_calls(void)
{
	int fd = make_file("f", 2 * KT_PAGE, 6);
	char *p = mmap(NULL, 4 * KT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char c;
	REQUIRE(p != MAP_FAILED);
	p[7] = 'm';
	CHECK_OK(msync(p, KT_PAGE, MS_SYNC));
	CHECK_EQ(pread(fd, &c, 1, 7), 1);
	CHECK_EQ(c, 'm');
	CHECK_OK(msync(p, 2 * KT_PAGE, MS_ASYNC));
	CHECK_OK(msync(p, 2 * KT_PAGE, MS_INVALIDATE));
	CHECK_OK(msync(p, 2 * KT_PAGE, MS_SYNC | MS_INVALIDATE));
	CHECK_OK(msync(p + KT_PAGE, 1, MS_SYNC));	/* a length rounds up */
	CHECK_OK(msync(p, 0, MS_SYNC));
	CHECK_ERR(msync(p, KT_PAGE, MS_SYNC | MS_ASYNC), EINVAL);
	CHECK_ERR(msync(p + 1, KT_PAGE, MS_SYNC), EINVAL);
	CHECK_ERR(msync(p, KT_PAGE, 8), EINVAL);
	/* Holes: ENOMEM, after what could be done. */
	CHECK_OK(munmap(p + KT_PAGE, KT_PAGE));
	CHECK_ERR(msync(p, 3 * KT_PAGE, MS_SYNC), ENOMEM);
	CHECK_ERR(msync(p, 3 * KT_PAGE, MS_ASYNC), ENOMEM);
	CHECK_ERR(msync(p + KT_PAGE, KT_PAGE, MS_SYNC), ENOMEM);
	CHECK_ERR(msync((void *)(uintptr_t)-KT_PAGE, 2 * KT_PAGE, MS_SYNC), ENOMEM);
	/* Anonymous memory has nothing to write back. */
	char *a = mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(a != MAP_FAILED);
	CHECK_OK(msync(a, KT_PAGE, MS_SYNC));
	CHECK_OK(munmap(a, KT_PAGE));
	CHECK_OK(munmap(p, 4 * KT_PAGE));
	close(fd);
}

static void mincore_calls(void)
{
	unsigned char vec[8];
	char *a = mmap(NULL, 4 * KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(a != MAP_FAILED);
	a[0] = 1;
	a[2 * KT_PAGE] = 1;
	memset(vec, 0xff, sizeof(vec));
	CHECK_OK(mincore(a, 4 * KT_PAGE, vec));
	CHECK_EQ(vec[0] & 1, 1);
	CHECK_EQ(vec[1] & 1, 0);
	CHECK_EQ(vec[2] & 1, 1);
	CHECK_EQ(vec[3] & 1, 0);
	CHECK_EQ(vec[4], 0xff);			/* one byte per page, no more */
	/* A partial page counts; MADV_DONTNEED makes a page absent again. */
	CHECK_OK(madvise(a, KT_PAGE, MADV_DONTNEED));
	CHECK_OK(mincore(a, 2 * KT_PAGE + 1, vec));
	CHECK_EQ(vec[0] & 1, 0);
	CHECK_EQ(vec[2] & 1, 1);
	CHECK_OK(mincore(a, 0, vec));
	CHECK_ERR(mincore(a + 1, KT_PAGE, vec), EINVAL);
	CHECK_ERR(mincore(a, KT_PAGE, (unsigned char *)8), EFAULT);
	/* A hole in the range. */
	CHECK_OK(munmap(a + KT_PAGE, KT_PAGE));
	CHECK_ERR(mincore(a, 3 * KT_PAGE, vec), ENOMEM);
	CHECK_ERR(mincore(a + KT_PAGE, KT_PAGE, vec), ENOMEM);
	CHECK_ERR(mincore((void *)(uintptr_t)-KT_PAGE, 2 * KT_PAGE, vec), ENOMEM);
	CHECK_OK(munmap(a, 4 * KT_PAGE));
	/* A file mapping shows the file's pages in memory, touched here or not. */
	int fd = make_file("f", 2 * KT_PAGE, 7);
	char *f = mmap(NULL, 2 * KT_PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	REQUIRE(f != MAP_FAILED);
	CHECK_OK(mincore(f, 2 * KT_PAGE, vec));
	CHECK_EQ(vec[0] & 1, 1);
	CHECK_EQ(vec[1] & 1, 1);
	CHECK_OK(munmap(f, 2 * KT_PAGE));
	close(fd);
}

static void madvise_private_shared(void)
{
	int fd = make_file("f", 2 * KT_PAGE, 8);
	char *p = mmap(NULL, 2 * KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char *s = mmap(NULL, 2 * KT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *sa = mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *pa = mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED && s != MAP_FAILED && sa != MAP_FAILED && pa != MAP_FAILED);
	/* Private file mapping: the copy goes, the file shows again. */
	p[0] = 'p';
	CHECK_OK(madvise(p, 2 * KT_PAGE, MADV_DONTNEED));
	CHECK_EQ(p[0], pattern(0, 8));
	/* Shared file mapping: the data is the file's and stays. */
	s[1] = 's';
	CHECK_OK(madvise(s, 2 * KT_PAGE, MADV_DONTNEED));
	CHECK_EQ(s[1], 's');
	CHECK_EQ(p[1], 's');		/* p's page 0 is the file's again */
	/* Shared anonymous memory keeps its data; private anonymous reads zeros. */
	sa[2] = 'a';
	pa[3] = 'b';
	CHECK_OK(madvise(sa, KT_PAGE, MADV_DONTNEED));
	CHECK_OK(madvise(pa, KT_PAGE, MADV_DONTNEED));
	CHECK_EQ(sa[2], 'a');
	CHECK_EQ(pa[3], 0);
	/* MADV_FREE is for private anonymous memory only. */
	CHECK_ERR(madvise(s, KT_PAGE, MADV_FREE), EINVAL);
	CHECK_OK(madvise(pa, KT_PAGE, MADV_FREE));
	CHECK_OK(munmap(p, 2 * KT_PAGE));
	CHECK_OK(munmap(s, 2 * KT_PAGE));
	CHECK_OK(munmap(sa, KT_PAGE));
	CHECK_OK(munmap(pa, KT_PAGE));
	close(fd);
}

static void shared_anon(void)
{
	size_t n = 16;
	char *p = mmap(NULL, n * KT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED);
	for (size_t i = 0; i < n; i++)
		CHECK_EQ(p[i * KT_PAGE], 0);
	p[0] = 'P';
	/* Pages first touched after fork are shared too, both ways, and with grandchildren. */
	pid_t pid = kt_fork();
	if (pid == 0) {
		int bad = p[0] != 'P';
		p[5 * KT_PAGE] = 'C';
		pid_t g = fork();
		if (g == 0) {
			p[9 * KT_PAGE] = 'G';
			_exit(0);
		}
		int st;
		if (g < 0 || waitpid(g, &st, 0) != g || !WIFEXITED(st))
			bad = 1;
		_exit(bad);
	}
	p[7 * KT_PAGE] = 'Q';
	CHECK_EQ(kt_wait_exit(pid), 0);
	CHECK_EQ(p[5 * KT_PAGE], 'C');
	CHECK_EQ(p[9 * KT_PAGE], 'G');
	/* /dev/zero mapped shared is the same kind of memory. */
	int z = open("/dev/zero", O_RDWR);
	if (z >= 0) {
		char *q = mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, z, 0);
		REQUIRE(q != MAP_FAILED);
		close(z);
		pid = kt_fork();
		if (pid == 0) {
			q[3] = 'z';
			_exit(0);
		}
		CHECK_EQ(kt_wait_exit(pid), 0);
		CHECK_EQ(q[3], 'z');
		CHECK_OK(munmap(q, KT_PAGE));
	}
	/* Bad types. */
	CHECK_ERR(mmap(NULL, KT_PAGE, PROT_READ, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0),
		  EINVAL);
	CHECK_OK(munmap(p, n * KT_PAGE));
}

static void memfd(void)
{
	char link[64], target[256];
	struct stat st;
	int fd = REQUIRE_OK(memfd_create("kt", MFD_CLOEXEC));
	CHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	CHECK(n > 0);
	target[n > 0 ? n : 0] = 0;
	CHECK_STR(target, "/memfd:kt (deleted)");
	CHECK_OK(fstat(fd, &st));
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_mode & 07777, 0777);
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(st.st_nlink, 0);
	/* A file like any other, and memory to share. */
	CHECK_EQ(write(fd, "hello", 5), 5);
	CHECK_OK(ftruncate(fd, 2 * KT_PAGE));
	char *p = mmap(NULL, 2 * KT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	REQUIRE(p != MAP_FAILED);
	CHECK(memcmp(p, "hello", 5) == 0);
	pid_t pid = kt_fork();
	if (pid == 0) {
		p[KT_PAGE] = 'c';
		_exit(0);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	char c;
	CHECK_EQ(pread(fd, &c, 1, KT_PAGE), 1);
	CHECK_EQ(c, 'c');
	/* Without MFD_ALLOW_SEALING: sealed against seals. */
	CHECK_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SEAL);
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EPERM);
	CHECK_OK(munmap(p, 2 * KT_PAGE));
	close(fd);
	/* Errors. */
	char longname[300];
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	CHECK_ERR(memfd_create(longname, 0), EINVAL);
	longname[249] = 0;			/* NAME_MAX - strlen("memfd:") */
	fd = CHECK_OK(memfd_create(longname, 0));
	close(fd);
	longname[249] = 'n';
	longname[250] = 0;
	CHECK_ERR(memfd_create(longname, 0), EINVAL);
	CHECK_ERR(memfd_create("x", 0x100), EINVAL);
	CHECK_ERR(memfd_create((const char *)8, 0), EFAULT);
	int pfd[2];
	REQUIRE_OK(pipe(pfd));
	CHECK_ERR(fcntl(pfd[0], F_GET_SEALS), EINVAL);
	close(pfd[0]);
	close(pfd[1]);
}

static void memfd_seals(void)
{
	int fd = REQUIRE_OK(memfd_create("sealed", MFD_ALLOW_SEALING));
	CHECK_EQ(fcntl(fd, F_GET_SEALS), 0);
	CHECK_OK(ftruncate(fd, 2 * KT_PAGE));
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, 0x100), EINVAL);
	/* Shrink and grow. */
	CHECK_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	CHECK_ERR(ftruncate(fd, KT_PAGE), EPERM);
	CHECK_OK(ftruncate(fd, 3 * KT_PAGE));
	CHECK_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	CHECK_ERR(ftruncate(fd, 4 * KT_PAGE), EPERM);
	CHECK_ERR(pwrite(fd, "x", 1, 3 * KT_PAGE), EPERM);
	CHECK_EQ(pwrite(fd, "y", 1, 0), 1);	/* within the size: fine */
	CHECK_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SHRINK | F_SEAL_GROW);
	/* Write: refused while a shared mapping may write. */
	char *w = mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	REQUIRE(w != MAP_FAILED);
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EBUSY);
	CHECK_OK(munmap(w, KT_PAGE));
	char *priv = mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	REQUIRE(priv != MAP_FAILED);
	CHECK_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	CHECK_ERR(pwrite(fd, "z", 1, 0), EPERM);
	CHECK_ERR(mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EPERM);
	priv[0] = 'p';			/* a private copy is still allowed */
	char c;
	CHECK_EQ(pread(fd, &c, 1, 0), 1);
	CHECK_EQ(c, 'y');
	CHECK_OK(munmap(priv, KT_PAGE));
	/* A read-only descriptor may not add seals. */
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int ro = open(path, O_RDONLY);
	if (ro >= 0) {
		CHECK_ERR(fcntl(ro, F_ADD_SEALS, F_SEAL_SEAL), EPERM);
		CHECK_EQ(fcntl(ro, F_GET_SEALS), F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
		close(ro);
	}
	/* Seal the seals. */
	CHECK_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
	CHECK_ERR(fcntl(fd, F_ADD_SEALS, 0), EPERM);
	close(fd);
}

static void fixed_noreplace(void)
{
	char *p = mmap(NULL, 4 * KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED);
	p[0] = 1;
	CHECK_OK(munmap(p + 2 * KT_PAGE, 2 * KT_PAGE));
	/* Over a mapping: EEXIST, and the mapping is untouched. */
	CHECK_ERR(mmap(p, KT_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0),
		  EEXIST);
	CHECK_ERR(mmap(p + KT_PAGE, 2 * KT_PAGE, PROT_READ,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), EEXIST);
	CHECK_EQ(p[0], 1);
	/* In free space: exactly there. */
	char *q = mmap(p + 2 * KT_PAGE, 2 * KT_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(q == p + 2 * KT_PAGE);
	CHECK_ERR(mmap(p + 1, KT_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		       -1, 0), EINVAL);
	/* MAP_FIXED replaces what was there. */
	q = mmap(p, KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(q == p);
	CHECK_EQ(p[0], 0);
	CHECK_OK(munmap(p, 4 * KT_PAGE));
}

/* The main stack's lowest address, from /proc/self/maps. */
static uintptr_t stack_start(void)
{
	char buf[16384];
	ssize_t n = kt_read_file("/proc/self/maps", buf, sizeof(buf));
	REQUIRE(n > 0);
	for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (strstr(l, "[stack]") && (!strchr(l, '\n') || strstr(l, "[stack]") < strchr(l, '\n')))
			return strtoul(l, NULL, 16);
	KT_FAIL("no [stack] in /proc/self/maps");
	kt_abort();
}

static int deep(int n, volatile char *sink)
{
	volatile char buf[4096];
	buf[0] = (char)n;
	buf[4095] = (char)n;
	if (n == 0)
		return sink[0];
	return deep(n - 1, buf) + buf[4095] - (char)n;
}

static void stack_guard_gap(void)
{
	uintptr_t s = stack_start();
	size_t gap = 256 * KT_PAGE;
	/* A hint inside the gap below the stack is not taken. */
	char *p = mmap((void *)(s - 4 * KT_PAGE), KT_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED);
	CHECK((uintptr_t)p + KT_PAGE <= s - gap || (uintptr_t)p >= s);
	CHECK_OK(munmap(p, KT_PAGE));
	/* MAP_FIXED may go there; then the stack cannot grow to within the gap of it. */
	pid_t pid = kt_fork();
	if (pid == 0) {
		uintptr_t base = stack_start();
		char *m = mmap((void *)(base - gap / 2), KT_PAGE, PROT_READ,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (m == MAP_FAILED)
			_exit(2);
		deep(2 * (int)(gap / KT_PAGE), NULL);	/* 2 MiB more stack */
		_exit(0);
	}
	int st = kt_wait(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	/* RLIMIT_STACK bounds the growth: SIGSEGV beyond it. */
	pid = kt_fork();
	if (pid == 0) {
		struct rlimit rl = { 1 << 20, RLIM_INFINITY };
		if (setrlimit(RLIMIT_STACK, &rl))
			_exit(2);
		deep(512, NULL);		/* 2 MiB */
		_exit(0);
	}
	st = kt_wait(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	/* Within the limit, it grows. */
	pid = kt_fork();
	if (pid == 0) {
		struct rlimit rl = { 4 << 20, RLIM_INFINITY };
		if (setrlimit(RLIMIT_STACK, &rl))
			_exit(2);
		deep(512, NULL);
		_exit(KT_PASS);
	}
	CHECK_EQ(kt_wait_exit(pid), KT_PASS);
}

/* What a fresh exec of the suite reports of its layout ("--helper=layout"). */
int kt_layout_helper(void)
{
	int local;
	void *m = mmap(NULL, KT_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("%lx %lx %lx\n", (unsigned long)&local / KT_PAGE, (unsigned long)sbrk(0) / KT_PAGE,
	       (unsigned long)m / KT_PAGE);
	return 0;
}

static void run_layout(char *out, size_t size, int norandom)
{
	int pfd[2];
	REQUIRE_OK(pipe(pfd));
	pid_t pid = kt_fork();
	if (pid == 0) {
		dup2(pfd[1], 1);
		if (norandom && personality(ADDR_NO_RANDOMIZE) < 0)
			_exit(2);
		execl(kt_self, kt_self, "--helper=layout", (char *)NULL);
		_exit(3);
	}
	close(pfd[1]);
	ssize_t n = read(pfd[0], out, size - 1);
	out[n > 0 ? n : 0] = 0;
	close(pfd[0]);
	CHECK_EQ(kt_wait_exit(pid), 0);
}

static void aslr(void)
{
	char a[128], b[128];
	char rva[8] = "2";
	kt_read_file("/proc/sys/kernel/randomize_va_space", rva, sizeof(rva));
	/* ADDR_NO_RANDOMIZE: the same layout every time. */
	run_layout(a, sizeof(a), 1);
	run_layout(b, sizeof(b), 1);
	CHECK(a[0] != 0);
	CHECK_STR(a, b);
	if (rva[0] == '0')
		return;
	/* Randomised: stack, heap and mmap all equal twice is a 2^-30 chance. */
	run_layout(a, sizeof(a), 0);
	run_layout(b, sizeof(b), 0);
	CHECK(a[0] != 0);
	CHECK(strcmp(a, b) != 0);
	/* personality() reports the persona and keeps it. */
	int old = personality(0xffffffff);
	CHECK(old >= 0);
	CHECK_EQ(personality(old | ADDR_NO_RANDOMIZE), old);
	CHECK_EQ(personality(0xffffffff), old | ADDR_NO_RANDOMIZE);
	CHECK_EQ(personality(old), old | ADDR_NO_RANDOMIZE);
}

static void rlimits(void)
{
	pid_t pid = kt_fork();
	if (pid == 0) {
		/* RLIMIT_AS: mmap and brk fail with ENOMEM past it. */
		struct rlimit rl = { 256UL << 20, RLIM_INFINITY };
		if (setrlimit(RLIMIT_AS, &rl))
			_exit(2);
		void *p = mmap(NULL, 512UL << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED || errno != ENOMEM)
			_exit(3);
		p = mmap(NULL, 16UL << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(4);
		void *brk0 = sbrk(0);
		if (sbrk(300L << 20) != (void *)-1 || errno != ENOMEM || sbrk(0) != brk0)
			_exit(5);
		if (sbrk(KT_PAGE) == (void *)-1)
			_exit(6);
		_exit(KT_PASS);
	}
	CHECK_EQ(kt_wait_exit(pid), KT_PASS);
	pid = kt_fork();
	if (pid == 0) {
		/* RLIMIT_DATA: private writable memory and the heap; not read-only or shared. */
		struct rlimit rl = { 64UL << 20, RLIM_INFINITY };
		if (setrlimit(RLIMIT_DATA, &rl))
			_exit(2);
		void *p = mmap(NULL, 128UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);
		if (p != MAP_FAILED || errno != ENOMEM)
			_exit(3);
		p = mmap(NULL, 128UL << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(4);
		p = mmap(NULL, 128UL << 20, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(5);
		void *brk0 = sbrk(0);
		if (sbrk(100L << 20) != (void *)-1 || sbrk(0) != brk0)
			_exit(6);
		_exit(KT_PASS);
	}
	CHECK_EQ(kt_wait_exit(pid), KT_PASS);
}

/* The line of /proc/self/maps that contains address a. */
static int maps_line(const void *a, char *line, size_t size)
{
	char buf[32768];
	ssize_t n = kt_read_file("/proc/self/maps", buf, sizeof(buf));
	if (n <= 0)
		return -1;
	for (char *l = buf; *l;) {
		char *end = strchr(l, '\n');
		unsigned long s, e;
		if (end)
			*end = 0;
		if (sscanf(l, "%lx-%lx", &s, &e) == 2 && (uintptr_t)a >= s && (uintptr_t)a < e) {
			size_t len = strlen(l);
			if (len >= size)
				len = size - 1;
			memcpy(line, l, len);
			line[len] = 0;
			return 0;
		}
		if (!end)
			break;
		l = end + 1;
	}
	return -1;
}

static void maps_names(void)
{
	char line[512], cwd[1024], want[1200];
	struct stat st;
	int fd = make_file("mapped", 2 * KT_PAGE, 9);
	CHECK_OK(fstat(fd, &st));
	REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	char *p = mmap(NULL, KT_PAGE, PROT_READ, MAP_SHARED, fd, KT_PAGE);
	REQUIRE(p != MAP_FAILED);
	REQUIRE_OK(maps_line(p, line, sizeof(line)));
	unsigned long s, e, off, ino;
	unsigned int maj, min;
	char perms[8];
	CHECK_EQ(sscanf(line, "%lx-%lx %4s %lx %x:%x %lu", &s, &e, perms, &off, &maj, &min, &ino), 7);
	CHECK_STR(perms, "r--s");
	CHECK_EQ(off, KT_PAGE);
	CHECK_EQ(maj, major(st.st_dev));
	CHECK_EQ(min, minor(st.st_dev));
	CHECK_EQ(ino, st.st_ino);
	snprintf(want, sizeof(want), "%s/mapped", cwd);
	CHECK(strstr(line, want) != NULL);
	CHECK_OK(munmap(p, KT_PAGE));
	close(fd);
	/* Shared anonymous memory: a deleted /dev/zero. */
	p = mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED);
	REQUIRE_OK(maps_line(p, line, sizeof(line)));
	CHECK(strstr(line, "rw-s ") != NULL);
	CHECK(strstr(line, "/dev/zero (deleted)") != NULL);
	CHECK_OK(munmap(p, KT_PAGE));
	/* memfd: its name. */
	fd = REQUIRE_OK(memfd_create("named", 0));
	CHECK_OK(ftruncate(fd, KT_PAGE));
	p = mmap(NULL, KT_PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	REQUIRE(p != MAP_FAILED);
	REQUIRE_OK(maps_line(p, line, sizeof(line)));
	CHECK(strstr(line, "r--p ") != NULL);
	CHECK(strstr(line, "/memfd:named (deleted)") != NULL);
	CHECK_OK(munmap(p, KT_PAGE));
	close(fd);
	/* The stack and the heap. */
	int local;
	REQUIRE_OK(maps_line(&local, line, sizeof(line)));
	CHECK(strstr(line, "[stack]") != NULL);
	char *h = malloc(64);
	void *top = sbrk(0);
	REQUIRE(h != NULL);
	if (maps_line((char *)top - 1, line, sizeof(line)) == 0)
		CHECK(strstr(line, "[heap]") != NULL);
	free(h);
}

/*
 * The OOM killer: a child eats memory until the kernel kills it; the
 * parent and the kernel go on.  Only on a machine small enough to fill
 * quickly (the user-oom test boots with little memory).
 */
static void oom(void)
{
	char buf[4096];
	unsigned long total_kb = 0;
	if (kt_read_file("/proc/meminfo", buf, sizeof(buf)) > 0)
		sscanf(buf, "MemTotal: %lu kB", &total_kb);
	if (!total_kb || total_kb > (256UL << 10))
		kt_skip("MemTotal %lu kB: only on a machine of at most 256 MiB", total_kb);
	pid_t pid = kt_fork();
	if (pid == 0) {
		for (;;) {
			char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p == MAP_FAILED)
				_exit(3);	/* address space cannot run out first */
			for (size_t i = 0; i < (1 << 20); i += KT_PAGE)
				p[i] = 1;
		}
	}
	int st = kt_wait(pid);
	CHECK(WIFSIGNALED(st));
	if (WIFSIGNALED(st))
		CHECK_EQ(WTERMSIG(st), SIGKILL);
	/* The survivors can still get memory and processes. */
	char *p = mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED);
	memset(p, 1, 4 << 20);
	CHECK_OK(munmap(p, 4 << 20));
	pid_t again = kt_fork();
	if (again == 0)
		_exit(KT_PASS);
	CHECK_EQ(kt_wait_exit(again), KT_PASS);
	/* The kernel said why (when the log is readable: root, or dmesg_restrict 0). */
	char *log = malloc(1 << 20);
	REQUIRE(log != NULL);
	int n = klogctl(3, log, 1 << 20);
	if (n > 0) {
		char want[64];
		log[n] = 0;
		snprintf(want, sizeof(want), "Killed process %d (", pid);
		CHECK(strstr(log, want) != NULL);
		CHECK(strstr(log, "Out of memory: Killed process") != NULL);
	}
	free(log);
}

/*
 * mmap marks the file accessed (relatime: atime not newer than mtime
 * moves); a write through a shared mapping marks mtime and ctime by the
 * next msync (POSIX; Linux at the write fault).  Old times set with
 * utimensat make the verdicts independent of the clock's resolution.
 */
static void file_times(void)
{
	struct timespec old[2] = { { 1000, 0 }, { 2000, 0 } };
	struct stat st;
	char *p;
	int fd = (int)REQUIRE_OK(open("times", O_RDWR | O_CREAT | O_TRUNC, 0600));

	REQUIRE_OK(ftruncate(fd, KT_PAGE));
	REQUIRE_OK(futimens(fd, old));
	p = mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	REQUIRE(p != MAP_FAILED);
	REQUIRE_OK(fstat(fd, &st));
	CHECK(st.st_atime > 2000);		/* was older than mtime: updated */
	CHECK_EQ(st.st_mtime, 2000);
	/* atime newer than mtime and ctime: relatime leaves it. */
	old[0].tv_sec = st.st_atime + 3600;
	old[1].tv_sec = 2000;
	REQUIRE_OK(futimens(fd, old));
	REQUIRE(munmap(p, KT_PAGE) == 0);
	p = mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	REQUIRE(p != MAP_FAILED);
	REQUIRE_OK(fstat(fd, &st));
	CHECK_EQ(st.st_atime, old[0].tv_sec);
	CHECK_EQ(st.st_mtime, 2000);
	p[0] = 'x';
	CHECK_OK(msync(p, KT_PAGE, MS_SYNC));
	REQUIRE_OK(fstat(fd, &st));
	CHECK(st.st_mtime > 2000);
	CHECK(st.st_ctime >= st.st_mtime);
	munmap(p, KT_PAGE);
	close(fd);
}

KT_TABLE(mmap) = {
	{"mmap.file_times", file_times},
	{"mmap.file_shared", file_shared},
	{"mmap.file_private", file_private},
	{"mmap.sigbus_past_eof", sigbus_past_eof},
	{"mmap.truncate_unmaps", truncate_unmaps},
	{"mmap.file_access_rules", file_access_rules},
	{"mmap.msync", msync_calls},
	{"mmap.mincore", mincore_calls},
	{"mmap.madvise_private_shared", madvise_private_shared},
	{"mmap.shared_anon", shared_anon},
	{"mmap.memfd", memfd},
	{"mmap.memfd_seals", memfd_seals},
	{"mmap.fixed_noreplace", fixed_noreplace},
	{"mmap.stack_guard_gap", stack_guard_gap},
	{"mmap.aslr", aslr},
	{"mmap.rlimits", rlimits},
	{"mmap.maps_names", maps_names},
	{"mmap.oom", oom},
	{NULL, NULL},
};
