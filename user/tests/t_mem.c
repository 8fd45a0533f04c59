/*
 * Memory of a process: brk, anonymous mmap (private and shared; i386
 * mmap2), munmap, mprotect with SIGSEGV and its si_addr/si_code, code in
 * PROT_EXEC pages, mremap, madvise(MADV_DONTNEED), copy-on-write after
 * fork (across page-table boundaries, with shared and private file
 * mappings, and RSS), demand paging of a large mapping, and stack growth.
 */
#include "kt.h"

#include <fcntl.h>
#include <setjmp.h>
#include <sys/mman.h>
#include <sys/wait.h>
#if defined(__i386__)
#include <cpuid.h>
#endif

static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_sig, fault_code;
static void *volatile fault_addr;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	fault_sig = sig;
	fault_code = si->si_code;
	fault_addr = si->si_addr;
	siglongjmp(fault_jmp, 1);
}

static void catch_faults(void)
{
	kt_handle_info(SIGSEGV, on_fault, SA_NODEFER);
	kt_handle_info(SIGBUS, on_fault, SA_NODEFER);
}

/* 0 if the access worked, else the signal it raised. */
static int try_write(volatile char *p, char v)
{
	catch_faults();
	fault_sig = 0;
	if (sigsetjmp(fault_jmp, 1) == 0)
		*p = v;
	return fault_sig;
}

static int try_read(volatile char *p)
{
	catch_faults();
	fault_sig = 0;
	if (sigsetjmp(fault_jmp, 1) == 0)
		(void)*p;
	return fault_sig;
}

/* The access must raise SIGSEGV at exactly that address with that code. */
#define CHECK_SEGV(access, addr, code) do {				\
	CHECK_EQ(access, SIGSEGV);					\
	CHECK_EQ((uintptr_t)fault_addr, (uintptr_t)(addr));		\
	CHECK_EQ(fault_code, code);					\
} while (0)

static int all_zero(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void brk_calls(void)
{
	char *cur = (char *)syscall(SYS_brk, 0);
	REQUIRE(cur != NULL);
	char *want = cur + 3 * KT_PAGE + 100;
	CHECK_EQ(syscall(SYS_brk, want), (long)want);
	CHECK_EQ(syscall(SYS_brk, 0), (long)want);
	CHECK(all_zero(cur, want - cur));
	memset(cur, 0xab, want - cur);
	/* Shrink: the pages above are gone. */
	char *top = (char *)(((uintptr_t)cur + KT_PAGE - 1) & ~(KT_PAGE - 1));
	CHECK_EQ(syscall(SYS_brk, cur), (long)cur);
	CHECK_SEGV(try_write(top + KT_PAGE, 1), top + KT_PAGE, SEGV_MAPERR);
	/* Grow again: fresh zeros, not the old bytes. */
	CHECK_EQ(syscall(SYS_brk, want), (long)want);
	CHECK(all_zero(top, want - top));
	/* Failures return the current break unchanged. */
	CHECK_EQ(syscall(SYS_brk, 0x1000), (long)want);
	int on_stack;
	CHECK_EQ(syscall(SYS_brk, &on_stack), (long)want);
	CHECK_EQ(syscall(SYS_brk, 0), (long)want);
	/* Shared with the child as copy-on-write. */
	memset(cur, 0x11, 16);
	pid_t pid = kt_fork();
	if (pid == 0) {
		int bad = cur[0] != 0x11;
		memset(cur, 0x22, 16);
		_exit(bad);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	CHECK_EQ(cur[0], 0x11);
}

static void mmap_anon(void)
{
	char *p = mmap(NULL, 5 * KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED);
	CHECK_EQ((uintptr_t)p % KT_PAGE, 0);
	CHECK(all_zero(p, 5 * KT_PAGE));
	memset(p, 1, 5 * KT_PAGE);
	/* MAP_FIXED over the middle replaces it with zeros. */
	char *q = mmap(p + KT_PAGE, KT_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(q == p + KT_PAGE);
	CHECK(all_zero(q, KT_PAGE));
	CHECK_EQ(p[0], 1);
	CHECK_EQ(p[2 * KT_PAGE], 1);
	/* A free hint is taken as it is. */
	CHECK_OK(munmap(p, 5 * KT_PAGE));
	q = mmap(p + KT_PAGE, KT_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(q == p + KT_PAGE);
	munmap(q, KT_PAGE);
	/* Errors. */
	CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
	CHECK(mmap(p + 1, KT_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED && errno == EINVAL);
	CHECK(mmap(NULL, KT_PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
	CHECK(mmap(NULL, KT_PAGE, PROT_READ, MAP_PRIVATE, -1, 0) == MAP_FAILED && errno == EBADF);
	CHECK(mmap(NULL, KT_PAGE, PROT_READ, MAP_PRIVATE, 12345, 0) == MAP_FAILED && errno == EBADF);
	CHECK(mmap(NULL, KT_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 123) == MAP_FAILED && errno == EINVAL);
	CHECK(mmap(NULL, (size_t)-KT_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == ENOMEM);
	/* A read-only mapping: reads zeros, writes fault with SEGV_ACCERR. */
	p = mmap(NULL, KT_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED);
	CHECK_EQ(try_read(p + 10), 0);
	CHECK_SEGV(try_write(p + 10, 1), p + 10, SEGV_ACCERR);
	munmap(p, KT_PAGE);
	/* MAP_POPULATE and MAP_NORESERVE are accepted. */
	p = mmap(NULL, 2 * KT_PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_NORESERVE, -1, 0);
	CHECK(p != MAP_FAILED && all_zero(p, 2 * KT_PAGE));
#ifdef SYS_mmap2
	/* i386: glibc's mmap is mmap2 (offset in pages). */
	long r = syscall(SYS_mmap2, 0, KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(r != -1 && r % KT_PAGE == 0);
#endif
}

static void mmap_large(void)
{
	/* 1 GiB (256 MiB on 32-bit) reserved, a few pages touched: demand
	 * paging, not allocation up front (MAP_NORESERVE: no overcommit
	 * refusal on a small Linux machine). */
	size_t len = sizeof(long) == 8 ? (1UL << 30) : (256UL << 20);
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);
	REQUIRE(p != MAP_FAILED);
	for (size_t off = 0; off < len; off += len / 8) {
		CHECK_EQ(p[off], 0);
		p[off] = 7;
	}
	p[len - 1] = 9;
	CHECK_EQ(p[len - 1], 9);
	CHECK_EQ(p[len / 8], 7);
	CHECK_OK(munmap(p, len));
	/* Many small mappings. */
	char *maps[200];
	for (int i = 0; i < 200; i++) {
		maps[i] = mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		REQUIRE(maps[i] != MAP_FAILED);
		maps[i][0] = (char)i;
	}
	for (int i = 0; i < 200; i++) {
		CHECK_EQ(maps[i][0], (char)i);
		CHECK_OK(munmap(maps[i], KT_PAGE));
	}
}

static void mmap_shared_anon(void)
{
	volatile int *p = mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED);
	p[0] = 1;
	pid_t pid = kt_fork();
	if (pid == 0) {
		int bad = p[0] != 1;
		p[1] = 2;
		_exit(bad);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	CHECK_EQ(p[1], 2);
}

static void munmap_calls(void)
{
	char *p = mmap(NULL, 4 * KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED);
	memset(p, 5, 4 * KT_PAGE);
	/* A hole in the middle: both sides stay. */
	CHECK_OK(munmap(p + KT_PAGE, KT_PAGE));
	CHECK_EQ(p[0], 5);
	CHECK_EQ(p[2 * KT_PAGE], 5);
	CHECK_SEGV(try_read(p + KT_PAGE + 123), p + KT_PAGE + 123, SEGV_MAPERR);
	CHECK_SEGV(try_write(p + KT_PAGE, 1), p + KT_PAGE, SEGV_MAPERR);
	CHECK_OK(munmap(p + KT_PAGE, KT_PAGE));		/* already unmapped: fine */
	CHECK_ERR(munmap(p + 1, KT_PAGE), EINVAL);
	CHECK_ERR(munmap(p, 0), EINVAL);
	CHECK_OK(munmap(p, 4 * KT_PAGE));
	CHECK_SEGV(try_read(p + 3 * KT_PAGE), p + 3 * KT_PAGE, SEGV_MAPERR);
	/* A length that is not a page multiple covers the whole last page. */
	p = mmap(NULL, 2 * KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED);
	CHECK_OK(munmap(p, KT_PAGE + 1));
	CHECK_SEGV(try_read(p + KT_PAGE), p + KT_PAGE, SEGV_MAPERR);
}

static void mprotect_calls(void)
{
	char *p = mmap(NULL, 3 * KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED);
	memset(p, 3, 3 * KT_PAGE);
	/* The middle page read-only, then inaccessible, then writable again. */
	CHECK_OK(mprotect(p + KT_PAGE, KT_PAGE, PROT_READ));
	CHECK_EQ(try_read(p + KT_PAGE), 0);
	CHECK_SEGV(try_write(p + KT_PAGE + 7, 1), p + KT_PAGE + 7, SEGV_ACCERR);
	CHECK_EQ(try_write(p, 1), 0);
	CHECK_EQ(try_write(p + 2 * KT_PAGE, 1), 0);
	CHECK_OK(mprotect(p + KT_PAGE, KT_PAGE, PROT_NONE));
	CHECK_SEGV(try_read(p + KT_PAGE + 9), p + KT_PAGE + 9, SEGV_ACCERR);
	CHECK_OK(mprotect(p, 3 * KT_PAGE, PROT_READ | PROT_WRITE));
	CHECK_EQ(try_write(p + KT_PAGE, 4), 0);
	CHECK_EQ(p[KT_PAGE + 1], 3);			/* contents kept */
	/* Errors. */
	CHECK_ERR(mprotect(p + 1, KT_PAGE, PROT_READ), EINVAL);
	CHECK_ERR(mprotect(p, KT_PAGE, 0x1000), EINVAL);
	CHECK_OK(munmap(p + KT_PAGE, KT_PAGE));
	CHECK_ERR(mprotect(p, 3 * KT_PAGE, PROT_READ), ENOMEM);	/* a hole */
	CHECK_OK(mprotect(p, 0, PROT_READ));
	/* A read-only page stays read-only in a forked child (no COW). */
	CHECK_OK(mprotect(p, KT_PAGE, PROT_READ));
	pid_t pid = kt_fork();
	if (pid == 0) {
		kt_default(SIGSEGV);
		p[0] = 1;
		_exit(0);
	}
	int st = kt_wait(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
}

static void exec_pages(void)
{
#if defined(__x86_64__) || defined(__i386__)
	static const unsigned char code[] = {0xb8, 42, 0, 0, 0, 0xc3};	/* mov $42,%eax; ret */
#elif defined(__aarch64__)
	static const uint32_t code[] = {0x52800540, 0xd65f03c0};		/* mov w0,#42; ret */
#endif
	char *p = mmap(NULL, KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED);
	memcpy(p, code, sizeof(code));
	__builtin___clear_cache(p, p + sizeof(code));
	CHECK_OK(mprotect(p, KT_PAGE, PROT_READ | PROT_EXEC));
	int (*fn)(void) = (int (*)(void))(void *)p;
	CHECK_EQ(fn(), 42);
	/* Not executable: running it faults at the first instruction. */
	CHECK_OK(mprotect(p, KT_PAGE, PROT_READ));
	pid_t pid = kt_fork();
	if (pid == 0) {
		catch_faults();
		if (sigsetjmp(fault_jmp, 1) == 0)
			_exit(fn() == 42 ? 3 : 4);
		_exit(fault_sig == SIGSEGV && fault_addr == p && fault_code == SEGV_ACCERR ? 0 : 5);
	}
	int code_ = kt_wait_exit(pid);
#if defined(__i386__)
	/* Without NX (CPUID 0x80000001 EDX bit 20) every readable page executes, on Linux too. */
	unsigned int a, b, c, d;
	if (code_ == 3 && !(__get_cpuid(0x80000001, &a, &b, &c, &d) && (d & (1u << 20))))
		kt_skip("this CPU has no NX: readable pages execute");
#endif
	CHECK_EQ(code_, 0);
}

/* A private file mapping, never touched, as the buffer of I/O on that same file. */
static void mmap_file_self_io(void)
{
	int fd = REQUIRE_OK(open("mapped", O_RDWR | O_CREAT | O_TRUNC, 0600));
	char *buf = malloc(4 * KT_PAGE), *p;
	REQUIRE(buf != NULL);
	for (size_t i = 0; i < 2 * KT_PAGE; i++)
		buf[i] = (char)(i * 7 + 1);
	CHECK_EQ(write(fd, buf, 2 * KT_PAGE), 2 * KT_PAGE);
	p = mmap(NULL, 2 * KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	REQUIRE(p != MAP_FAILED);
	/* Its pages come from the file the write goes to: nothing may deadlock. */
	CHECK_EQ(pwrite(fd, p, 2 * KT_PAGE, 2 * KT_PAGE), 2 * KT_PAGE);
	CHECK_EQ(pread(fd, buf + 2 * KT_PAGE, 2 * KT_PAGE, 2 * KT_PAGE), 2 * KT_PAGE);
	CHECK(memcmp(buf, buf + 2 * KT_PAGE, 2 * KT_PAGE) == 0);
	/* Read into the mapping: its private copy changes, the file does not. */
	CHECK_EQ(pread(fd, p, KT_PAGE, KT_PAGE), KT_PAGE);
	CHECK(memcmp(p, buf + KT_PAGE, KT_PAGE) == 0);
	CHECK_EQ(pread(fd, buf + 2 * KT_PAGE, KT_PAGE, 0), KT_PAGE);
	CHECK(memcmp(buf + 2 * KT_PAGE, buf, KT_PAGE) == 0);
	CHECK_OK(munmap(p, 2 * KT_PAGE));
	free(buf);
	close(fd);
	CHECK_OK(unlink("mapped"));
}

static void mremap_calls(void)
{
	char *p = mmap(NULL, 2 * KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED);
	memset(p, 9, 2 * KT_PAGE);
	char *q = mremap(p, 2 * KT_PAGE, 8 * KT_PAGE, MREMAP_MAYMOVE);
	REQUIRE(q != MAP_FAILED);
	CHECK_EQ(q[0], 9);
	CHECK_EQ(q[2 * KT_PAGE - 1], 9);
	CHECK(all_zero(q + 2 * KT_PAGE, 6 * KT_PAGE));
	/* Shrinking stays in place; the tail goes away. */
	CHECK(mremap(q, 8 * KT_PAGE, KT_PAGE, 0) == q);
	CHECK_SEGV(try_read(q + KT_PAGE), q + KT_PAGE, SEGV_MAPERR);
	CHECK_EQ(q[0], 9);
	/* Growing in place into a mapped page fails without MREMAP_MAYMOVE. */
	p = mmap(NULL, 2 * KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED);
	CHECK(mremap(p, KT_PAGE, 2 * KT_PAGE, 0) == MAP_FAILED && errno == ENOMEM);
	/* MREMAP_FIXED moves to the given address, replacing what was there. */
	p[0] = 'm';
	char *target = mmap(NULL, 3 * KT_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(target != MAP_FAILED);
	char *r = mremap(p, KT_PAGE, KT_PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target + KT_PAGE);
	CHECK(r == target + KT_PAGE);
	CHECK_EQ(r[0], 'm');
	CHECK_EQ(try_write(r, 'n'), 0);			/* the old protection moved along */
	CHECK_SEGV(try_read(p), p, SEGV_MAPERR);
	/* Errors. */
	CHECK(mremap(r + 1, KT_PAGE, KT_PAGE, 0) == MAP_FAILED && errno == EINVAL);
	CHECK(mremap(r, KT_PAGE, 0, 0) == MAP_FAILED && errno == EINVAL);
	CHECK(mremap(r, KT_PAGE, KT_PAGE, 0x80) == MAP_FAILED && errno == EINVAL);
	CHECK(mremap(r, KT_PAGE, KT_PAGE, MREMAP_FIXED, target) == MAP_FAILED && errno == EINVAL);
	CHECK(mremap(p, KT_PAGE, 2 * KT_PAGE, MREMAP_MAYMOVE) == MAP_FAILED && errno == EFAULT);
}

static void madvise_calls(void)
{
	char *p = mmap(NULL, 4 * KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED);
	memset(p, 0x5a, 4 * KT_PAGE);
	CHECK_OK(madvise(p + KT_PAGE, 2 * KT_PAGE, MADV_DONTNEED));
	CHECK_EQ(p[0], 0x5a);
	CHECK(all_zero(p + KT_PAGE, 2 * KT_PAGE));
	CHECK_EQ(p[3 * KT_PAGE], 0x5a);
	p[KT_PAGE] = 1;					/* usable again */
	CHECK_EQ(p[KT_PAGE], 1);
	CHECK_OK(madvise(p, 4 * KT_PAGE, MADV_NORMAL));
	CHECK_OK(madvise(p, 4 * KT_PAGE, MADV_WILLNEED));
	CHECK_OK(madvise(p, 0, MADV_DONTNEED));
	CHECK_ERR(madvise(p + 1, KT_PAGE, MADV_DONTNEED), EINVAL);
	CHECK_ERR(madvise(p, KT_PAGE, 12345), EINVAL);
	CHECK_OK(munmap(p + 2 * KT_PAGE, KT_PAGE));
	CHECK_ERR(madvise(p, 4 * KT_PAGE, MADV_DONTNEED), ENOMEM);
	/* After fork the child's DONTNEED leaves the parent's copy alone. */
	memset(p, 0x33, KT_PAGE);
	pid_t pid = kt_fork();
	if (pid == 0)
		_exit(madvise(p, KT_PAGE, MADV_DONTNEED) || p[0] != 0);
	CHECK_EQ(kt_wait_exit(pid), 0);
	CHECK_EQ(p[0], 0x33);
}

static char data_array[3 * 4096] = {1};

static void cow(void)
{
	enum { N = 64 };
	char *heap = malloc(N * KT_PAGE);
	REQUIRE(heap);
	char *anon = mmap(NULL, N * KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(anon != MAP_FAILED);
	char stack[3 * 4096];
	for (int i = 0; i < N; i++) {
		heap[i * KT_PAGE] = (char)i;
		anon[i * KT_PAGE] = (char)(i + 1);
	}
	memset(stack, 's', sizeof(stack));
	memset(data_array, 'd', sizeof(data_array));
	int to_child[2], to_parent[2];
	REQUIRE_OK(pipe(to_child));
	REQUIRE_OK(pipe(to_parent));
	pid_t pid = kt_fork();
	if (pid == 0) {
		char c;
		int bad = 0;
		/* Our writes must not show in the parent... */
		for (int i = 0; i < N; i += 2) {
			heap[i * KT_PAGE] = 'c';
			anon[i * KT_PAGE] = 'c';
		}
		stack[0] = 'c';
		data_array[0] = 'c';
		if (write(to_parent[1], "1", 1) != 1 || read(to_child[0], &c, 1) != 1)
			_exit(2);
		/* ...and the parent's writes (made now) not here. */
		for (int i = 0; i < N; i++) {
			bad |= heap[i * KT_PAGE] != (i % 2 ? (char)i : 'c');
			bad |= anon[i * KT_PAGE] != (i % 2 ? (char)(i + 1) : 'c');
		}
		bad |= stack[0] != 'c' || stack[1] != 's' || data_array[0] != 'c' || data_array[1] != 'd';
		_exit(bad);
	}
	char c;
	REQUIRE(read(to_parent[0], &c, 1) == 1);
	for (int i = 0; i < N; i++) {
		CHECK_EQ(heap[i * KT_PAGE], (char)i);
		CHECK_EQ(anon[i * KT_PAGE], (char)(i + 1));
	}
	CHECK_EQ(stack[0], 's');
	CHECK_EQ(data_array[0], 'd');
	for (int i = 1; i < N; i += 2) {
		heap[i * KT_PAGE] = 'p';
		anon[i * KT_PAGE] = 'p';
	}
	stack[1] = 'p';
	data_array[1] = 'p';
	REQUIRE(write(to_child[1], "2", 1) == 1);
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* Several children at once, each with its own copy. */
	pid_t pids[8];
	for (int k = 0; k < 8; k++) {
		pids[k] = kt_fork();
		if (pids[k] == 0) {
			for (int i = 0; i < N; i++)
				anon[i * KT_PAGE] = (char)(k * 10);
			sched_yield();
			int bad = 0;
			for (int i = 0; i < N; i++)
				bad |= anon[i * KT_PAGE] != (char)(k * 10);
			_exit(bad);
		}
	}
	for (int k = 0; k < 8; k++)
		CHECK_EQ(kt_wait_exit(pids[k]), 0);
	CHECK_EQ(anon[0], 1);			/* ours: unchanged by them */
	CHECK_EQ(anon[KT_PAGE], 'p');
}

static void segv_default(void)
{
	int st;
	pid_t pid = kt_fork();
	if (pid == 0) {
		volatile int *volatile np = (int *)8;
		*np = 1;
		_exit(0);
	}
	st = kt_wait(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	/* A kernel address from user mode is SIGSEGV too, never a crash. */
	FOR_BAD(kt_bad_in, b) {
		pid = kt_fork();
		if (pid == 0) {
			(void)*(volatile char *)b->p;
			_exit(0);
		}
		st = kt_wait(pid);
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	}
	FOR_BAD(kt_bad_out, b) {
		pid = kt_fork();
		if (pid == 0) {
			*(volatile char *)b->p = 1;
			_exit(0);
		}
		st = kt_wait(pid);
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	}
	END_BAD;
	/* si_addr for the user addresses, caught. */
	CHECK_SEGV(try_read((char *)0x1000 + 5), 0x1005, SEGV_MAPERR);
	CHECK_SEGV(try_write(kt_bad_in[1].p, 1), kt_bad_in[1].p, SEGV_MAPERR);
	CHECK_SEGV(try_read(kt_bad_in[2].p), kt_bad_in[2].p, SEGV_ACCERR);
	CHECK_SEGV(try_write(kt_bad_out[4].p, 1), kt_bad_out[4].p, SEGV_ACCERR);
	CHECK_EQ(try_read(kt_bad_in[3].p), SIGSEGV);
}

static int recurse(int depth, volatile char *prev)
{
	volatile char buf[1024];
	buf[0] = (char)depth;
	buf[1023] = prev ? prev[0] : 0;
	if (depth == 0)
		return buf[0] + buf[1023];
	return recurse(depth - 1, buf) + buf[0] - buf[0];
}

static void stack_growth(void)
{
	/* About 4 MiB of stack, within the default 8 MiB limit. */
	pid_t pid = kt_fork();
	if (pid == 0)
		_exit(recurse(4000, NULL) == 1 ? 0 : 1);
	CHECK_EQ(kt_wait_exit(pid), 0);
}

/* The value page i of a region holds for writer w (0: before the fork). */
static unsigned char fork_val(size_t i, int w)
{
	return (unsigned char)(i * 7 + w * 101 + 1);
}

/* Every word-sized probe of n pages at p holds fork_val(i, w_of(i)). */
static int fork_bad_pages(const unsigned char *p, size_t n, int w_even, int w_odd)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char want = fork_val(i, i % 2 ? w_odd : w_even);

		bad += p[i * KT_PAGE] != want || p[i * KT_PAGE + KT_PAGE - 1] != want;
	}
	return bad;
}

/*
 * Copy-on-write across page-table and radix boundaries: 5 MiB placed to
 * straddle a 2 MiB boundary (a leaf table on every port), all touched,
 * some pages then unmapped to leave holes.  Child and parent each write
 * half the pages after the fork, and each sees only its own writes.
 */
static void fork_cow_tables(void)
{
	const size_t n = 1280, big = n + 512;	/* 5 MiB in a 7 MiB reservation */
	unsigned char *r = mmap(NULL, big * KT_PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(r != MAP_FAILED);
	/* Start 8 pages below the first 2 MiB boundary that leaves room for them. */
	uintptr_t b = ((uintptr_t)r + 8 * KT_PAGE + (2UL << 20) - 1) & ~((2UL << 20) - 1);
	unsigned char *p = (unsigned char *)(b - 8 * KT_PAGE);
	REQUIRE(p >= r && p + n * KT_PAGE <= r + big * KT_PAGE);
	for (size_t i = 0; i < n; i++)
		memset(p + i * KT_PAGE, fork_val(i, 0), KT_PAGE);
	/* A hole of 3 pages across a 256 KiB boundary, refilled by MAP_FIXED later. */
	CHECK_OK(munmap(p + 63 * KT_PAGE, 3 * KT_PAGE));
	REQUIRE(mmap(p + 63 * KT_PAGE, 3 * KT_PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == p + 63 * KT_PAGE);
	for (size_t i = 63; i < 66; i++)
		memset(p + i * KT_PAGE, fork_val(i, 0), KT_PAGE);
	int to_child[2], to_parent[2];
	REQUIRE_OK(pipe(to_child));
	REQUIRE_OK(pipe(to_parent));
	pid_t pid = kt_fork();
	if (pid == 0) {
		char c;
		int bad = fork_bad_pages(p, n, 0, 0);

		/* The child writes the even pages, whole. */
		for (size_t i = 0; i < n; i += 2)
			memset(p + i * KT_PAGE, fork_val(i, 1), KT_PAGE);
		bad += fork_bad_pages(p, n, 1, 0);
		if (write(to_parent[1], "1", 1) != 1 || read(to_child[0], &c, 1) != 1)
			_exit(100);
		/* The parent has written the odd ones meanwhile: not here. */
		bad += fork_bad_pages(p, n, 1, 0);
		_exit(bad > 99 ? 99 : bad);
	}
	char c;
	REQUIRE(read(to_parent[0], &c, 1) == 1);
	CHECK_EQ(fork_bad_pages(p, n, 0, 0), 0);
	for (size_t i = 1; i < n; i += 2)
		memset(p + i * KT_PAGE, fork_val(i, 2), KT_PAGE);
	REQUIRE(write(to_child[1], "1", 1) == 1);
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* The child is gone: the even pages are the parent's alone again. */
	CHECK_EQ(fork_bad_pages(p, n, 0, 2), 0);
	for (size_t i = 0; i < n; i += 2)
		memset(p + i * KT_PAGE, fork_val(i, 3), KT_PAGE);
	CHECK_EQ(fork_bad_pages(p, n, 3, 2), 0);
	CHECK_OK(munmap(r, big * KT_PAGE));
}

/*
 * A fork of shared memory (anonymous and a file's) and of a private file
 * mapping: the shared pages stay shared both ways, pages touched or not
 * before the fork; the private ones are copy-on-write and never reach
 * the file.
 */
static void fork_shared_private(void)
{
	const size_t n = 80;
	int fd = REQUIRE_OK(open("f", O_RDWR | O_CREAT | O_TRUNC, 0600));
	REQUIRE_OK(ftruncate(fd, (off_t)(n * KT_PAGE)));
	unsigned char *sa = mmap(NULL, n * KT_PAGE, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned char *sf = mmap(NULL, n * KT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	unsigned char *pf = mmap(NULL, n * KT_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	REQUIRE(sa != MAP_FAILED && sf != MAP_FAILED && pf != MAP_FAILED);
	/* The first half of each is touched before the fork. */
	for (size_t i = 0; i < n / 2; i++) {
		sa[i * KT_PAGE] = fork_val(i, 0);
		sf[i * KT_PAGE] = fork_val(i, 0);
	}
	for (size_t i = 0; i < n / 2; i++)
		pf[i * KT_PAGE + 1] = fork_val(i, 4);	/* private copies of the file's pages */
	int to_child[2], to_parent[2];
	REQUIRE_OK(pipe(to_child));
	REQUIRE_OK(pipe(to_parent));
	pid_t pid = kt_fork();
	if (pid == 0) {
		char c;
		int bad = 0;

		for (size_t i = 0; i < n; i++) {
			unsigned char want = i < n / 2 ? fork_val(i, 0) : 0;

			bad += sa[i * KT_PAGE] != want || sf[i * KT_PAGE] != want;
			bad += pf[i * KT_PAGE] != want;
			bad += pf[i * KT_PAGE + 1] != (i < n / 2 ? fork_val(i, 4) : 0);
			sa[i * KT_PAGE + 2] = fork_val(i, 1);
			sf[i * KT_PAGE + 2] = fork_val(i, 1);
			pf[i * KT_PAGE + 3] = fork_val(i, 1);
		}
		if (write(to_parent[1], "1", 1) != 1 || read(to_child[0], &c, 1) != 1)
			_exit(100);
		for (size_t i = 0; i < n; i++) {
			bad += sa[i * KT_PAGE + 4] != fork_val(i, 2);
			bad += sf[i * KT_PAGE + 4] != fork_val(i, 2);
			bad += pf[i * KT_PAGE + 5] != 0;	/* the parent's private write */
			bad += pf[i * KT_PAGE + 3] != fork_val(i, 1);
		}
		_exit(bad > 99 ? 99 : bad);
	}
	char c;
	REQUIRE(read(to_parent[0], &c, 1) == 1);
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		bad += sa[i * KT_PAGE + 2] != fork_val(i, 1);
		bad += sf[i * KT_PAGE + 2] != fork_val(i, 1);
		bad += pf[i * KT_PAGE + 3] != 0;
		bad += pf[i * KT_PAGE + 2] != (i < n / 2 ? 0 : fork_val(i, 1));
		sa[i * KT_PAGE + 4] = fork_val(i, 2);
		sf[i * KT_PAGE + 4] = fork_val(i, 2);
		pf[i * KT_PAGE + 5] = fork_val(i, 2);
	}
	CHECK_EQ(bad, 0);
	REQUIRE(write(to_child[1], "1", 1) == 1);
	CHECK_EQ(kt_wait_exit(pid), 0);
	/* The file has the shared writes and none of the private ones. */
	unsigned char buf[8];
	for (size_t i = 0; i < n; i++) {
		REQUIRE(pread(fd, buf, sizeof(buf), (off_t)(i * KT_PAGE)) == (ssize_t)sizeof(buf));
		CHECK_EQ(buf[0], i < n / 2 ? fork_val(i, 0) : 0);
		CHECK_EQ(buf[1], 0);
		CHECK_EQ(buf[2], fork_val(i, 1));
		CHECK_EQ(buf[3], 0);
		CHECK_EQ(buf[4], fork_val(i, 2));
		CHECK_EQ(buf[5], 0);
	}
	close(fd);
}

/* VmRSS of /proc/<pid>/status in kB, or -1. */
static long vm_rss_kb(pid_t pid)
{
	char path[64], line[128];
	long kb = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/*
 * RSS across fork and exit: the child's counts the 4 MiB it shares, its
 * copy-on-write writes do not change either count, and its exit leaves
 * the parent's as it was.
 */
static void fork_rss(void)
{
	const size_t len = 4UL << 20;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(p != MAP_FAILED);
	memset(p, 1, len);
	long before = vm_rss_kb(getpid());
	REQUIRE(before >= 4096);
	int to_child[2], to_parent[2];
	REQUIRE_OK(pipe(to_child));
	REQUIRE_OK(pipe(to_parent));
	pid_t pid = kt_fork();
	if (pid == 0) {
		char c;
		long mine = vm_rss_kb(getpid());

		memset(p, 2, len);	/* copies every page */
		long after = vm_rss_kb(getpid());
		if (write(to_parent[1], "1", 1) != 1 || read(to_child[0], &c, 1) != 1)
			_exit(100);
		/* Both counts hold the 4 MiB; the copies replace shared pages, 1:1. */
		_exit((mine >= 4096 ? 0 : 1) | (after >= 4096 && after - mine < 512 ? 0 : 2));
	}
	char c;
	REQUIRE(read(to_parent[0], &c, 1) == 1);
	long child = vm_rss_kb(pid);
	CHECK(child >= 4096);
	REQUIRE(write(to_child[1], "1", 1) == 1);
	CHECK_EQ(kt_wait_exit(pid), 0);
	long now = vm_rss_kb(getpid());
	CHECK(now >= before - 64 && now <= before + 256);
	for (size_t i = 0; i < len; i += KT_PAGE)
		CHECK_EQ(p[i], 1);
	CHECK_OK(munmap(p, len));
	CHECK(vm_rss_kb(getpid()) <= now - 4000);
}

KT_TABLE(mem) = {
	{"mem.brk", brk_calls},
	{"mem.mmap_anon", mmap_anon},
	{"mem.mmap_large", mmap_large},
	{"mem.mmap_shared_anon", mmap_shared_anon},
	{"mem.munmap", munmap_calls},
	{"mem.mprotect", mprotect_calls},
	{"mem.exec_pages", exec_pages},
	{"mem.mmap_file_self_io", mmap_file_self_io},
	{"mem.mremap", mremap_calls},
	{"mem.madvise", madvise_calls},
	{"mem.cow", cow},
	{"mem.segv", segv_default},
	{"mem.stack_growth", stack_growth},
	{"mem.fork_cow_tables", fork_cow_tables},
	{"mem.fork_shared_private", fork_shared_private},
	{"mem.fork_rss", fork_rss},
	{NULL, NULL},
};
