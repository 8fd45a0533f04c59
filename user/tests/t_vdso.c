/*
 * The vDSO (docs/vdso.md): AT_SYSINFO_EHDR and the ELF image it points
 * at, with Linux's entry points under Linux's versions (found by parsing
 * its dynamic symbol table as glibc does: dlvsym does not work in a
 * static program); its clocks against the system calls (a system call
 * before and after brackets every vDSO reading, on one CPU and between
 * two); the clocks it serves answered without entering the kernel (a
 * read-only destination faults in user mode instead of giving EFAULT);
 * fork; [vdso] and [vvar] in /proc/self/maps and Linux's rules for them
 * (mprotect, madvise, mremap, munmap); the signal return trampolines
 * (aarch64, i386) and i386's __kernel_vsyscall.  No verdict depends on
 * timing: only order and errors.
 */
#include "kt.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <setjmp.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#ifndef CLOCK_TAI
#define CLOCK_TAI 11
#endif

/* ------------------------------------------------ the port's entry points */

struct entry {
	const char *name, *version;
};

#if defined(__aarch64__)
#define V "LINUX_2.6.39"
static const struct entry entries[] = {
	{"__kernel_clock_gettime", V}, {"__kernel_gettimeofday", V},
	{"__kernel_clock_getres", V}, {"__kernel_rt_sigreturn", V}, {NULL, NULL},
};
#define E_GETTIME "__kernel_clock_gettime"
#define E_GETTIMEOFDAY "__kernel_gettimeofday"
#define E_GETRES "__kernel_clock_getres"
#define E_VERSION V
#define EXPECT_MACHINE EM_AARCH64
#elif defined(__x86_64__)
#define V "LINUX_2.6"
static const struct entry entries[] = {
	{"__vdso_clock_gettime", V}, {"__vdso_gettimeofday", V}, {"__vdso_time", V},
	{"__vdso_clock_getres", V}, {"__vdso_getcpu", V}, {NULL, NULL},
};
#define E_GETTIME "__vdso_clock_gettime"
#define E_GETTIMEOFDAY "__vdso_gettimeofday"
#define E_GETRES "__vdso_clock_getres"
#define E_TIME "__vdso_time"
#define E_VERSION V
#define EXPECT_MACHINE EM_X86_64
#else
#define V "LINUX_2.6"
static const struct entry entries[] = {
	{"__vdso_clock_gettime", V}, {"__vdso_clock_gettime64", V}, {"__vdso_gettimeofday", V},
	{"__vdso_time", V}, {"__vdso_clock_getres", V}, {"__kernel_vsyscall", "LINUX_2.5"},
	{"__kernel_sigreturn", "LINUX_2.5"}, {"__kernel_rt_sigreturn", "LINUX_2.5"}, {NULL, NULL},
};
#define E_GETTIME "__vdso_clock_gettime"
#define E_GETTIMEOFDAY "__vdso_gettimeofday"
#define E_GETRES "__vdso_clock_getres"
#define E_TIME "__vdso_time"
#define E_VERSION V
#define EXPECT_MACHINE EM_386
#endif

/* The clocks the vDSO serves itself, on Kite as on Linux. */
static const clockid_t served[] = {
	CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_BOOTTIME,
	CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE,
};
#define NSERVED (sizeof(served) / sizeof(served[0]))

static int coarse(clockid_t c)
{
	return c == CLOCK_REALTIME_COARSE || c == CLOCK_MONOTONIC_COARSE;
}

/* ------------------------------------------------------- the ELF image */

struct vdso {
	uintptr_t base, bias;
	const ElfW(Sym) *sym;
	const char *str;
	const ElfW(Half) *versym;
	const ElfW(Verdef) *verdef;
	size_t nsyms;
};

/* Number of symbols from a GNU hash table: past the last chain's end. */
static size_t gnu_hash_nsyms(const uint32_t *h)
{
	uint32_t nbuckets = h[0], symoffset = h[1], bloom = h[2];
	const uint32_t *buckets = h + 4 + bloom * (sizeof(ElfW(Addr)) / 4);
	const uint32_t *chain = buckets + nbuckets;
	uint32_t last = 0;
	for (uint32_t i = 0; i < nbuckets; i++)
		if (buckets[i] > last)
			last = buckets[i];
	if (last < symoffset)
		return symoffset;
	while (!(chain[last - symoffset] & 1))
		last++;
	return last + 1;
}

/* Parses the vDSO the auxv names; ends the test if there is none or it is malformed. */
static void vdso_open(struct vdso *v)
{
	memset(v, 0, sizeof(*v));
	v->base = getauxval(AT_SYSINFO_EHDR);
	if (!v->base)
		kt_skip("no vDSO: no AT_SYSINFO_EHDR (Kite's CONFIG_VDSO=n, Linux's vdso=0)");
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)v->base;
	REQUIRE(memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0);
	CHECK_EQ(eh->e_ident[EI_CLASS], sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32);
	CHECK_EQ(eh->e_ident[EI_DATA], ELFDATA2LSB);
	CHECK_EQ(eh->e_type, ET_DYN);
	CHECK_EQ(eh->e_machine, EXPECT_MACHINE);
	REQUIRE(eh->e_phentsize == sizeof(ElfW(Phdr)));
	const ElfW(Phdr) *ph = (const ElfW(Phdr) *)(v->base + eh->e_phoff);
	const ElfW(Dyn) *dyn = NULL;
	int loads = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && loads++ == 0)
			v->bias = v->base - ph[i].p_vaddr;
		if (ph[i].p_type == PT_LOAD)
			CHECK(!(ph[i].p_flags & PF_W));
		CHECK(ph[i].p_type != PT_INTERP);
	}
	REQUIRE(loads >= 1);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const ElfW(Dyn) *)(v->bias + ph[i].p_vaddr);
	REQUIRE(dyn != NULL);
	const uint32_t *hash = NULL, *gnu_hash = NULL;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		uintptr_t p = v->bias + dyn->d_un.d_ptr;
		switch (dyn->d_tag) {
		case DT_SYMTAB: v->sym = (const ElfW(Sym) *)p; break;
		case DT_STRTAB: v->str = (const char *)p; break;
		case DT_VERSYM: v->versym = (const ElfW(Half) *)p; break;
		case DT_VERDEF: v->verdef = (const ElfW(Verdef) *)p; break;
		case DT_HASH: hash = (const uint32_t *)p; break;
		case DT_GNU_HASH: gnu_hash = (const uint32_t *)p; break;
		case DT_NEEDED: case DT_REL: case DT_RELA: case DT_TEXTREL:
			KT_FAIL("dynamic tag %ld: the vDSO would need a loader", (long)dyn->d_tag);
			break;
		}
	}
	REQUIRE(v->sym && v->str && v->versym && v->verdef && (hash || gnu_hash));
	v->nsyms = hash ? hash[1] : gnu_hash_nsyms(gnu_hash);
}

/* The version name of version index ndx, or NULL. */
static const char *vdso_version(const struct vdso *v, unsigned int ndx)
{
	const ElfW(Verdef) *d = v->verdef;
	for (;;) {
		if ((d->vd_ndx & 0x7fff) == ndx && !(d->vd_flags & VER_FLG_BASE)) {
			const ElfW(Verdaux) *a = (const ElfW(Verdaux) *)((const char *)d + d->vd_aux);
			return v->str + a->vda_name;
		}
		if (!d->vd_next)
			return NULL;
		d = (const ElfW(Verdef) *)((const char *)d + d->vd_next);
	}
}

/* The address of a defined function name@version, or NULL. */
static void *vdso_sym(const struct vdso *v, const char *name, const char *version)
{
	for (size_t i = 1; i < v->nsyms; i++) {
		const ElfW(Sym) *s = &v->sym[i];
		if (s->st_shndx == SHN_UNDEF || strcmp(v->str + s->st_name, name) != 0)
			continue;
		const char *ver = vdso_version(v, v->versym[i] & 0x7fff);
		if (!ver || strcmp(ver, version) != 0)
			continue;
		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC)
			return NULL;
		return (void *)(v->bias + s->st_value);
	}
	return NULL;
}

/* E_VERSION's name in the vDSO whose ELF header is at base (before it moves). */
static void *vdso_sym_at(uintptr_t base, const char *name)
{
	struct vdso v;
	vdso_open(&v);
	REQUIRE(v.base == base);
	return vdso_sym(&v, name, E_VERSION);
}

static void *vdso_need(const struct vdso *v, const char *name)
{
	void *p = vdso_sym(v, name, E_VERSION);
	if (!p) {
		KT_FAIL("the vDSO has no %s@%s", name, E_VERSION);
		kt_abort();
	}
	return p;
}

/* ----------------------------------------------------------- the clocks */

struct ts64 {
	int64_t sec, nsec;
};

static int ts_le(struct ts64 a, struct ts64 b)
{
	return a.sec < b.sec || (a.sec == b.sec && a.nsec <= b.nsec);
}

typedef int (*gettime_fn)(clockid_t, void *);
typedef int (*gettimeofday_fn)(struct timeval *, struct timezone *);
typedef int (*getres_fn)(clockid_t, struct timespec *);
typedef time_t (*time_fn)(time_t *);

/* The entry points this port's glibc uses for clock_gettime with 64-bit times. */
struct clocks {
	gettime_fn gettime;		/* __kernel_timespec layout */
	gettimeofday_fn gettimeofday;
	getres_fn getres;
#ifdef E_TIME
	time_fn time;
#endif
#ifdef __i386__
	gettime_fn gettime32;		/* struct timespec of 32-bit time_t */
#endif
};

static void clocks_find(const struct vdso *v, struct clocks *c)
{
#ifdef __i386__
	c->gettime = vdso_need(v, "__vdso_clock_gettime64");
	c->gettime32 = vdso_need(v, E_GETTIME);
#else
	c->gettime = vdso_need(v, E_GETTIME);
#endif
	c->gettimeofday = vdso_need(v, E_GETTIMEOFDAY);
	c->getres = vdso_need(v, E_GETRES);
#ifdef E_TIME
	c->time = vdso_need(v, E_TIME);
#endif
}

#ifdef SYS_clock_gettime64
#define SYS_GETTIME64 SYS_clock_gettime64
#else
#define SYS_GETTIME64 SYS_clock_gettime
#endif

static struct ts64 sys_now(clockid_t id)
{
	struct ts64 t = {0, 0};
	long r = syscall(SYS_GETTIME64, id, &t);
	if (r)
		KT_FAIL("clock_gettime(%d): %s", id, kt_errname(errno));
	return t;
}

static struct ts64 vdso_now(const struct clocks *c, clockid_t id)
{
	struct ts64 t = {0, 0};
	int r = c->gettime(id, &t);
	if (r)
		KT_FAIL("vDSO clock_gettime(%d) = %d", id, r);
	return t;
}

static void elf_image(void)
{
	struct vdso v;
	/* Kite's default builds have one: only there is its absence a failure. */
	if (kt_on_kite() && !getauxval(AT_SYSINFO_EHDR))
		KT_FAIL("no AT_SYSINFO_EHDR in the auxv (a kernel built with CONFIG_VDSO=n?)");
	vdso_open(&v);
	for (const struct entry *e = entries; e->name; e++) {
		void *p = vdso_sym(&v, e->name, e->version);
		if (!p)
			KT_FAIL("the vDSO has no function %s@%s", e->name, e->version);
	}
	/* A name under another version is not found: versions are checked. */
	CHECK(vdso_sym(&v, entries[0].name, "LINUX_0.0") == NULL);
#ifdef __i386__
	uintptr_t sysinfo = getauxval(AT_SYSINFO);
	CHECK(sysinfo != 0);
	CHECK_EQ(sysinfo, (uintptr_t)vdso_sym(&v, "__kernel_vsyscall", "LINUX_2.5"));
#endif
}

static void clock_gettime_agrees(void)
{
	struct vdso v;
	struct clocks c;
	vdso_open(&v);
	clocks_find(&v, &c);
	for (size_t k = 0; k < NSERVED; k++) {
		clockid_t id = served[k];
		struct ts64 prev = sys_now(id);
		for (int i = 0; i < 200; i++) {
			struct ts64 a = vdso_now(&c, id), b = sys_now(id);
			CHECK(a.nsec >= 0 && a.nsec < 1000000000);
			if (!ts_le(prev, a) || !ts_le(a, b)) {
				KT_FAIL("clock %d: syscall %lld.%09lld, vDSO %lld.%09lld, syscall %lld.%09lld",
					id, (long long)prev.sec, (long long)prev.nsec, (long long)a.sec,
					(long long)a.nsec, (long long)b.sec, (long long)b.nsec);
				break;
			}
			prev = b;
		}
	}
	/* Clocks it leaves to the kernel still answer, as the call does. */
	struct ts64 t;
	CHECK_EQ(c.gettime(CLOCK_PROCESS_CPUTIME_ID, &t), 0);
	CHECK_EQ(c.gettime(CLOCK_THREAD_CPUTIME_ID, &t), 0);
	CHECK_EQ(c.gettime(CLOCK_TAI, &t), 0);
	CHECK_EQ(c.gettime(12, &t), -EINVAL);
	CHECK_EQ(c.gettime(1000, &t), -EINVAL);
	CHECK_EQ(c.gettime(CLOCK_REALTIME_ALARM, &t), syscall(SYS_GETTIME64, CLOCK_REALTIME_ALARM, &t) ? -errno : 0);
#ifdef __i386__
	/* The 32-bit form against the 32-bit call. */
	for (size_t k = 0; k < NSERVED; k++) {
		struct timespec s1, x, s2;
		CHECK_OK(syscall(SYS_clock_gettime, served[k], &s1));
		CHECK_EQ(c.gettime32(served[k], &x), 0);
		CHECK_OK(syscall(SYS_clock_gettime, served[k], &s2));
		CHECK(s1.tv_sec < x.tv_sec || (s1.tv_sec == x.tv_sec && s1.tv_nsec <= x.tv_nsec));
		CHECK(x.tv_sec < s2.tv_sec || (x.tv_sec == s2.tv_sec && x.tv_nsec <= s2.tv_nsec));
	}
	CHECK_EQ(c.gettime32(12, &t), -EINVAL);
#endif
	/* glibc's clock_gettime (through the vDSO) agrees as well. */
	struct ts64 s1 = sys_now(CLOCK_MONOTONIC);
	struct timespec g;
	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &g));
	struct ts64 s2 = sys_now(CLOCK_MONOTONIC);
	struct ts64 gg = {g.tv_sec, g.tv_nsec};
	CHECK(ts_le(s1, gg) && ts_le(gg, s2));
}

static void gettimeofday_time(void)
{
	struct vdso v;
	struct clocks c;
	vdso_open(&v);
	clocks_find(&v, &c);
	for (int i = 0; i < 100; i++) {
		struct timeval s1, x, s2;
		CHECK_OK(syscall(SYS_gettimeofday, &s1, NULL));
		CHECK_EQ(c.gettimeofday(&x, NULL), 0);
		CHECK_OK(syscall(SYS_gettimeofday, &s2, NULL));
		CHECK(x.tv_usec >= 0 && x.tv_usec < 1000000);
		CHECK(timercmp(&s1, &x, <=) && timercmp(&x, &s2, <=));
		/* and against the nanosecond clock */
		struct ts64 r = sys_now(CLOCK_REALTIME);
		CHECK(r.sec > x.tv_sec || (r.sec == x.tv_sec && r.nsec / 1000 >= x.tv_usec));
	}
	/* The timezone is the kernel's (settimeofday's): the same either way. */
	struct timezone tz1, tz2;
	memset(&tz1, 0x5a, sizeof(tz1));
	memset(&tz2, 0xa5, sizeof(tz2));
	CHECK_OK(syscall(SYS_gettimeofday, NULL, &tz1));
	CHECK_EQ(c.gettimeofday(NULL, &tz2), 0);
	CHECK_EQ(tz1.tz_minuteswest, tz2.tz_minuteswest);
	CHECK_EQ(tz1.tz_dsttime, tz2.tz_dsttime);
	CHECK_EQ(c.gettimeofday(NULL, NULL), 0);
#ifdef E_TIME
	for (int i = 0; i < 100; i++) {
		time_t t1 = (time_t)syscall(SYS_time, NULL), t = 0, t2;
		time_t r = c.time(&t);
		t2 = (time_t)syscall(SYS_time, NULL);
		CHECK_EQ(r, t);
		CHECK(t1 <= r && r <= t2);
		CHECK_EQ(c.time(NULL) >= r, 1);
	}
#endif
	/* time() is not ahead of gettimeofday (both the real time). */
	struct timeval tv;
	time_t t = time(NULL);
	CHECK_OK(gettimeofday(&tv, NULL));
	CHECK(t <= tv.tv_sec);
}

static void clock_getres_agrees(void)
{
	struct vdso v;
	struct clocks c;
	vdso_open(&v);
	clocks_find(&v, &c);
	clockid_t ids[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_BOOTTIME,
			    CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE, CLOCK_PROCESS_CPUTIME_ID,
			    CLOCK_THREAD_CPUTIME_ID, CLOCK_TAI, 12, 1000 };
	for (size_t k = 0; k < sizeof(ids) / sizeof(ids[0]); k++) {
		struct timespec a, b;
		memset(&a, 0x11, sizeof(a));
		memset(&b, 0x22, sizeof(b));
		long sr = syscall(SYS_clock_getres, ids[k], &a);
		int vr = c.getres(ids[k], &b);
		CHECK_EQ(vr, sr ? -errno : 0);
		if (!sr && !vr) {
			CHECK_EQ(a.tv_sec, b.tv_sec);
			CHECK_EQ(a.tv_nsec, b.tv_nsec);
		}
		CHECK_EQ(c.getres(ids[k], NULL), sr ? -errno : 0);
	}
}

/* --------------------------------------------- served without a system call */

static sigjmp_buf fault_jmp;
static volatile uintptr_t fault_addr;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	fault_addr = (uintptr_t)si->si_addr;
	siglongjmp(fault_jmp, 1);
}

/*
 * fn(arg) with a read-only destination: 1 if it faulted there in user
 * mode (SIGSEGV: nothing entered the kernel before the store), 0 if it
 * returned (*ret: its value).
 */
static int faults_in_user_mode(int (*fn)(void *ro, void *arg), void *ro, void *arg, int *ret)
{
	fault_addr = 0;
	if (sigsetjmp(fault_jmp, 1)) {
		/* in the destination (which field is stored first is the vDSO's business) */
		if (fault_addr < (uintptr_t)ro || fault_addr >= (uintptr_t)ro + 16)
			KT_FAIL("SIGSEGV at %#lx, not the destination %p", (unsigned long)fault_addr, ro);
		return 1;
	}
	*ret = fn(ro, arg);
	return 0;
}

static const struct clocks *ns_clocks;

static int call_gettime(void *ro, void *arg)
{
	return ns_clocks->gettime((clockid_t)(intptr_t)arg, ro);
}

static int call_gettimeofday(void *ro, void *arg)
{
	(void)arg;
	return ns_clocks->gettimeofday(ro, NULL);
}

static int call_getres(void *ro, void *arg)
{
	return ns_clocks->getres((clockid_t)(intptr_t)arg, ro);
}

#ifdef E_TIME
static int call_time(void *ro, void *arg)
{
	(void)arg;
	return (int)ns_clocks->time(ro);
}
#endif

static void no_syscall(void)
{
	struct vdso v;
	struct clocks c;
	vdso_open(&v);
	clocks_find(&v, &c);
	ns_clocks = &c;
	char *ro = mmap(NULL, KT_PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(ro != MAP_FAILED);
	kt_handle_info(SIGSEGV, on_segv, SA_NODEFER);
	int ret;

	/* Counter clocks: Linux falls back to the call when its clock source has no vDSO mode. */
	int hres_in_user = faults_in_user_mode(call_gettime, ro, (void *)(intptr_t)CLOCK_MONOTONIC, &ret);
	if (!hres_in_user && kt_on_kite())
		KT_FAIL("vDSO clock_gettime(CLOCK_MONOTONIC) returned %d: a system call", ret);
	if (!hres_in_user)
		kt_note("this Linux's clock source is not readable in user mode: %d", ret);
	for (size_t k = 0; k < NSERVED; k++) {
		if (!coarse(served[k]) && !hres_in_user)
			continue;
		if (!faults_in_user_mode(call_gettime, ro, (void *)(intptr_t)served[k], &ret))
			KT_FAIL("clock %d: returned %d, no fault in user mode", served[k], ret);
		if (!faults_in_user_mode(call_getres, ro, (void *)(intptr_t)served[k], &ret))
			KT_FAIL("getres %d: returned %d, no fault in user mode", served[k], ret);
	}
	if (hres_in_user && !faults_in_user_mode(call_gettimeofday, ro, NULL, &ret))
		KT_FAIL("gettimeofday returned %d, no fault in user mode", ret);
#ifdef E_TIME
	if (hres_in_user && !faults_in_user_mode(call_time, ro, NULL, &ret))
		KT_FAIL("time returned %d, no fault in user mode", ret);
#endif
	/* What it does not serve is the system call: EFAULT, no fault. */
	if (faults_in_user_mode(call_gettime, ro, (void *)(intptr_t)CLOCK_PROCESS_CPUTIME_ID, &ret))
		KT_FAIL("CLOCK_PROCESS_CPUTIME_ID faulted in user mode");
	else
		CHECK_EQ(ret, -EFAULT);
	if (!faults_in_user_mode(call_getres, ro, (void *)(intptr_t)CLOCK_THREAD_CPUTIME_ID, &ret) &&
	    ret != -EFAULT)
		KT_FAIL("getres(CLOCK_THREAD_CPUTIME_ID) on a read-only page: %d", ret);
	/* Many readings, each served in user mode as the faults show. */
	struct ts64 prev = vdso_now(&c, CLOCK_MONOTONIC), t;
	for (int i = 0; i < 100000; i++) {
		t = vdso_now(&c, CLOCK_MONOTONIC);
		if (!ts_le(prev, t)) {
			KT_FAIL("CLOCK_MONOTONIC went back after %d readings", i);
			break;
		}
		prev = t;
	}
	kt_default(SIGSEGV);
}

/* Two processes, on two CPUs where there are two: each reading is not behind the other's. */
static void across_cpus(void)
{
	struct vdso v;
	struct clocks c;
	vdso_open(&v);
	clocks_find(&v, &c);
	int to_child[2], to_parent[2];
	REQUIRE_OK(pipe(to_child));
	REQUIRE_OK(pipe(to_parent));
	cpu_set_t mine;
	int cpus[2] = {-1, -1}, n = 0;
	if (sched_getaffinity(0, sizeof(mine), &mine) == 0)
		for (int i = 0; i < CPU_SETSIZE && n < 2; i++)
			if (CPU_ISSET(i, &mine))
				cpus[n++] = i;
	const clockid_t ids[] = { CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME };
	pid_t pid = kt_fork();
	if (pid == 0) {
		if (n == 2) {
			cpu_set_t one;
			CPU_ZERO(&one);
			CPU_SET(cpus[1], &one);
			sched_setaffinity(0, sizeof(one), &one);
		}
		struct ts64 got, t;
		for (int i = 0; i < 400; i++) {
			clockid_t id = ids[i % 4];
			if (read(to_child[0], &got, sizeof(got)) != sizeof(got))
				_exit(2);
			t = (i & 4) ? vdso_now(&c, id) : sys_now(id);
			if (!ts_le(got, t))
				KT_FAIL("clock %d: child read %lld.%09lld after the parent's %lld.%09lld",
					id, (long long)t.sec, (long long)t.nsec, (long long)got.sec,
					(long long)got.nsec);
			t = (i & 8) ? vdso_now(&c, id) : sys_now(id);
			if (write(to_parent[1], &t, sizeof(t)) != sizeof(t))
				_exit(2);
		}
		_exit(kt_failures ? 1 : 0);
	}
	if (n == 2) {
		cpu_set_t one;
		CPU_ZERO(&one);
		CPU_SET(cpus[0], &one);
		sched_setaffinity(0, sizeof(one), &one);
	}
	for (int i = 0; i < 400; i++) {
		clockid_t id = ids[i % 4];
		struct ts64 t = (i & 16) ? sys_now(id) : vdso_now(&c, id), got;
		REQUIRE(write(to_child[1], &t, sizeof(t)) == sizeof(t));
		REQUIRE(read(to_parent[0], &got, sizeof(got)) == sizeof(got));
		struct ts64 after = (i & 32) ? sys_now(id) : vdso_now(&c, id);
		if (!ts_le(got, after))
			KT_FAIL("clock %d: parent read %lld.%09lld after the child's %lld.%09lld", id,
				(long long)after.sec, (long long)after.nsec, (long long)got.sec,
				(long long)got.nsec);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
}

/* ------------------------------------------------------- the mappings */

#ifdef __i386__
/*
 * A system call without glibc, which on i386 makes its own through
 * __kernel_vsyscall: still possible once the vDSO has moved or gone.
 * Returns the value or -errno.
 */
static long raw_syscall(long nr, long a, long b, long c, long d, long e)
{
	long r;
	__asm__ __volatile__("int $0x80" : "=a"(r) : "0"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
			     : "memory");
	return r;
}
#else
static long raw_syscall(long nr, long a, long b, long c, long d, long e)
{
	long r = syscall(nr, a, b, c, d, e);
	return r == -1 ? -errno : r;
}
#endif

/* In a child that may have lost its vDSO: exit with status code unless cond. */
#define STEP(code, cond) do {						\
	if (!(cond))							\
		raw_syscall(SYS_exit_group, (code), 0, 0, 0, 0);	\
} while (0)

struct area {
	uintptr_t start, end;
	char perms[5];
	int count;
	/* The data: [vvar], and the [vvar_*] areas newer Linux adds, in order. */
	struct { uintptr_t start, end; } piece[8];
};

/*
 * [vdso], and the data areas as one ([vvar] and newer Linux's
 * [vvar_vclock]: from the lowest start to the highest end; perms are
 * [vvar]'s), in /proc/self/maps.
 */
static void find_areas(struct area *vdso, struct area *vvar)
{
	static char text[32768];
	long fd = raw_syscall(SYS_openat, AT_FDCWD, (long)"/proc/self/maps", O_RDONLY, 0, 0), n;
	size_t len = 0;

	memset(vdso, 0, sizeof(*vdso));
	memset(vvar, 0, sizeof(*vvar));
	STEP(3, fd >= 0);
	while (len < sizeof(text) - 1 &&
	       (n = raw_syscall(SYS_read, fd, (long)(text + len), (long)(sizeof(text) - 1 - len), 0, 0)) > 0)
		len += (size_t)n;
	raw_syscall(SYS_close, fd, 0, 0, 0, 0);
	text[len] = 0;
	for (char *line = text, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = 0;
		unsigned long s, e;
		char perms[5], name[256] = "";
		if (sscanf(line, "%lx-%lx %4s %*s %*s %*s %255s", &s, &e, perms, name) < 3)
			continue;
		if (!strcmp(name, "[vdso]")) {
			vdso->start = s;
			vdso->end = e;
			memcpy(vdso->perms, perms, sizeof(perms));
			vdso->count++;
		} else if (!strncmp(name, "[vvar", 5)) {
			if (!vvar->count || s < vvar->start)
				vvar->start = s;
			if (e > vvar->end)
				vvar->end = e;
			if (!strcmp(name, "[vvar]"))
				memcpy(vvar->perms, perms, sizeof(perms));
			if (vvar->count < 8) {
				vvar->piece[vvar->count].start = s;
				vvar->piece[vvar->count].end = e;
			}
			vvar->count++;
		}
	}
}

static void proc_maps(void)
{
	struct area vdso, vvar;
	struct vdso v;
	vdso_open(&v);			/* skips without a vDSO */
	find_areas(&vdso, &vvar);
	CHECK_EQ(vdso.count, 1);
	CHECK(vvar.count >= 1);
	if (kt_on_kite())
		CHECK_EQ(vvar.count, 1);
	CHECK_EQ(vdso.start, getauxval(AT_SYSINFO_EHDR));
	CHECK_STR(vdso.perms, "r-xp");
	CHECK_STR(vvar.perms, "r--p");
	CHECK_EQ(vvar.end, vdso.start);		/* the data right below the text */
	for (const struct entry *e = entries; e->name; e++) {
		uintptr_t p = (uintptr_t)vdso_sym(&v, e->name, e->version);
		CHECK(p >= vdso.start && p < vdso.end);
	}
}

static void fork_keeps(void)
{
	struct area vdso, vvar;
	struct vdso v0;
	vdso_open(&v0);			/* skips without a vDSO */
	find_areas(&vdso, &vvar);
	pid_t pid = kt_fork();
	if (pid == 0) {
		struct area cv, cw;
		find_areas(&cv, &cw);
		CHECK_EQ(cv.start, vdso.start);
		CHECK_EQ(cw.start, vvar.start);
		CHECK_EQ(getauxval(AT_SYSINFO_EHDR), vdso.start);
		struct vdso v;
		struct clocks c;
		vdso_open(&v);
		clocks_find(&v, &c);
		struct ts64 a = sys_now(CLOCK_MONOTONIC), b = vdso_now(&c, CLOCK_MONOTONIC);
		CHECK(ts_le(a, b));
		/* and a grandchild */
		pid_t g = fork();
		if (g == 0) {
			struct ts64 x = vdso_now(&c, CLOCK_REALTIME), y = sys_now(CLOCK_REALTIME);
			_exit(ts_le(x, y) ? 0 : 1);
		}
		CHECK_EQ(kt_wait_exit(g), 0);
		_exit(kt_failures ? 1 : 0);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
}

static void mapping_rules(void)
{
	struct area vdso, vvar;
	struct vdso v0;
	vdso_open(&v0);			/* skips without a vDSO */
	find_areas(&vdso, &vvar);
	REQUIRE(vdso.count == 1 && vvar.count >= 1 && vvar.end == vdso.start);
	size_t vdso_len = vdso.end - vdso.start, vvar_len = vvar.end - vvar.start;

	/* [vvar] is read-only for good; its pages are not the process's to drop. */
	CHECK_ERR(mprotect((void *)vvar.start, vvar_len, PROT_READ | PROT_WRITE), EACCES);
	CHECK_ERR(mprotect((void *)vvar.start, vvar_len, PROT_READ | PROT_EXEC), EACCES);
	CHECK_OK(mprotect((void *)vvar.start, vvar_len, PROT_READ));
	CHECK_ERR(madvise((void *)vvar.start, vvar_len, MADV_DONTNEED), EINVAL);
	/* Neither grows. */
	CHECK_ERR(mremap((void *)vdso.start, vdso_len, vdso_len + KT_PAGE, 0), EFAULT);
	CHECK_ERR(mremap((void *)vdso.start, vdso_len, vdso_len + KT_PAGE, MREMAP_MAYMOVE), EFAULT);

	/* A write to [vdso] (a debugger's breakpoint) is the writer's own copy. */
	pid_t pid = kt_fork();
	if (pid == 0) {
		volatile char *p = (volatile char *)vdso.start;
		CHECK_OK(mprotect((void *)vdso.start, vdso_len, PROT_READ | PROT_WRITE | PROT_EXEC));
		p[0] = 'X';
		CHECK_EQ(p[0], 'X');
		pid_t g = fork();
		if (g == 0)
			_exit(p[0] == 'X' ? 0 : 1);	/* copied again by fork */
		CHECK_EQ(kt_wait_exit(g), 0);
		CHECK_OK(madvise((void *)vdso.start, KT_PAGE, MADV_DONTNEED));
		CHECK_EQ(p[0], 0x7f);		/* the kernel's page again */
		_exit(kt_failures ? 1 : 0);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
	CHECK_EQ(*(volatile char *)vdso.start, 0x7f);
	pid = kt_fork();
	if (pid == 0) {
		/* A new process sees the original too. */
		CHECK_EQ(*(volatile char *)vdso.start, 0x7f);
		_exit(kt_failures ? 1 : 0);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);

	/*
	 * Both may move together, and the clocks work at the new place.  The
	 * children report by exit status through raw system calls: i386
	 * glibc makes its own through __kernel_vsyscall, gone from its place.
	 */
	pid = kt_fork();
	if (pid == 0) {
		size_t len = vvar_len + vdso_len;
		/* The auxv keeps naming the old place: the entry point's offset, from there. */
		uintptr_t off = (uintptr_t)vdso_sym_at(vdso.start, E_GETTIME) - vdso.start;
		char *to = mmap(NULL, len + KT_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		STEP(10, to != MAP_FAILED);
		for (int i = 0; i < vvar.count && i < 8; i++) {
			size_t n = vvar.piece[i].end - vvar.piece[i].start;
			char *at = to + (vvar.piece[i].start - vvar.start);
			STEP(11, raw_syscall(SYS_mremap, (long)vvar.piece[i].start, (long)n, (long)n,
					     MREMAP_MAYMOVE | MREMAP_FIXED, (long)at) == (long)at);
		}
		long nt = raw_syscall(SYS_mremap, (long)vdso.start, (long)vdso_len, (long)vdso_len,
				      MREMAP_MAYMOVE | MREMAP_FIXED, (long)(to + vvar_len));
		STEP(12, nt == (long)(to + vvar_len));
		struct area mv, mw;
		find_areas(&mv, &mw);
		STEP(13, mv.start == (uintptr_t)nt && mw.start == (uintptr_t)to && mw.end == mv.start);
		gettime_fn f = (gettime_fn)((uintptr_t)nt + off);
		struct { long tv_sec, tv_nsec; } t = {0, 0};	/* the port's own layout */
		struct ts64 s1 = {0, 0}, s2 = {0, 0};
		STEP(14, raw_syscall(SYS_GETTIME64, CLOCK_MONOTONIC, (long)&s1, 0, 0, 0) == 0);
		STEP(15, f(CLOCK_MONOTONIC, &t) == 0);
		STEP(16, raw_syscall(SYS_GETTIME64, CLOCK_MONOTONIC, (long)&s2, 0, 0, 0) == 0);
		struct ts64 got = {t.tv_sec, t.tv_nsec};
		STEP(17, ts_le(s1, got) && ts_le(got, s2));
		raw_syscall(SYS_exit_group, 0, 0, 0, 0, 0);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);

	/* munmap takes them away like any mapping. */
	pid = kt_fork();
	if (pid == 0) {
		STEP(20, raw_syscall(SYS_munmap, (long)vdso.start, (long)vdso_len, 0, 0, 0) == 0);
		STEP(21, raw_syscall(SYS_munmap, (long)vvar.start, (long)vvar_len, 0, 0, 0) == 0);
		struct area mv, mw;
		find_areas(&mv, &mw);
		STEP(22, mv.count == 0 && mw.count == 0);
		STEP(23, raw_syscall(SYS_mprotect, (long)vdso.start, KT_PAGE, PROT_READ, 0, 0) == -ENOMEM);
		raw_syscall(SYS_exit_group, 0, 0, 0, 0, 0);
	}
	CHECK_EQ(kt_wait_exit(pid), 0);
}

/* --------------------------------------------- signal return and vsyscall */

#if defined(__aarch64__) || defined(__i386__)
struct k_sigaction {
	union {
		void (*handler)(int);
		void (*sigaction)(int, siginfo_t *, void *);
	};
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

static volatile uintptr_t handler_ret;
static volatile int handled;

static void plain_handler(int sig)
{
	(void)sig;
	handler_ret = (uintptr_t)__builtin_extract_return_addr(__builtin_return_address(0));
	handled++;
}

static void info_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
	handler_ret = (uintptr_t)__builtin_extract_return_addr(__builtin_return_address(0));
	handled++;
}

/* A handler installed without SA_RESTORER returns through the vDSO's trampoline. */
static void one_trampoline(int info, const char *name, const char *version)
{
	struct vdso v;
	vdso_open(&v);
	uintptr_t want = (uintptr_t)vdso_sym(&v, name, version);
	REQUIRE(want != 0);
	struct k_sigaction ka;
	memset(&ka, 0, sizeof(ka));
	if (info)
		ka.sigaction = info_handler;
	else
		ka.handler = plain_handler;
	ka.flags = info ? SA_SIGINFO : 0;
	REQUIRE_OK(syscall(SYS_rt_sigaction, SIGUSR1, &ka, NULL, 8));
	handled = 0;
	volatile int alive = 1234;
	CHECK_OK(raise(SIGUSR1));
	CHECK_EQ(handled, 1);
	CHECK_EQ(alive, 1234);
	CHECK_EQ(handler_ret, want);
	kt_default(SIGUSR1);
}

static void sigreturn_trampolines(void)
{
#ifdef __i386__
	one_trampoline(1, "__kernel_rt_sigreturn", "LINUX_2.5");
	one_trampoline(0, "__kernel_sigreturn", "LINUX_2.5");
#else
	/* arm64 has only the rt frame, with or without SA_SIGINFO */
	one_trampoline(1, "__kernel_rt_sigreturn", V);
	one_trampoline(0, "__kernel_rt_sigreturn", V);
#endif
}
#endif

#ifdef __i386__
static long vsyscall3(uintptr_t fn, long nr, long a, long b, long c)
{
	long r;
	__asm__ __volatile__("call *%2" : "=a"(r) : "0"(nr), "S"(fn), "b"(a), "c"(b), "d"(c)
			     : "memory", "cc");
	return r;
}

static void kernel_vsyscall(void)
{
	struct vdso v0;
	vdso_open(&v0);			/* skips without a vDSO */
	uintptr_t fn = getauxval(AT_SYSINFO);
	REQUIRE(fn != 0);
	CHECK_EQ(vsyscall3(fn, SYS_getpid, 0, 0, 0), getpid());
	int p[2];
	REQUIRE_OK(pipe(p));
	CHECK_EQ(vsyscall3(fn, SYS_write, p[1], (long)"abc", 3), 3);
	char buf[4] = "";
	CHECK_EQ(vsyscall3(fn, SYS_read, p[0], (long)buf, 3), 3);
	CHECK(memcmp(buf, "abc", 3) == 0);
	CHECK_EQ(vsyscall3(fn, SYS_close, 1000, 0, 0), -EBADF);
}
#endif

#ifdef __x86_64__
static void getcpu_call(void)
{
	struct vdso v;
	vdso_open(&v);
	int (*getcpu)(unsigned *, unsigned *, void *) = vdso_need(&v, "__vdso_getcpu");
	unsigned cpu = ~0u, node = ~0u;
	CHECK_EQ(getcpu(&cpu, &node, NULL), 0);
	CHECK(cpu < CPU_SETSIZE);
	CHECK_EQ(node, 0);
	/* Pinned to each allowed CPU in turn, it names that CPU. */
	cpu_set_t mine;
	REQUIRE_OK(sched_getaffinity(0, sizeof(mine), &mine));
	for (int i = 0; i < CPU_SETSIZE; i++) {
		if (!CPU_ISSET(i, &mine))
			continue;
		cpu_set_t one;
		CPU_ZERO(&one);
		CPU_SET(i, &one);
		if (sched_setaffinity(0, sizeof(one), &one))
			continue;
		CHECK_EQ(getcpu(&cpu, NULL, NULL), 0);
		CHECK_EQ(cpu, i);
		CHECK_EQ(sched_getcpu(), i);
	}
	sched_setaffinity(0, sizeof(mine), &mine);
}
#endif

KT_TABLE(vdso) = {
	{"vdso.elf_image", elf_image},
	{"vdso.clock_gettime", clock_gettime_agrees},
	{"vdso.gettimeofday_time", gettimeofday_time},
	{"vdso.clock_getres", clock_getres_agrees},
	{"vdso.no_syscall", no_syscall},
	{"vdso.across_cpus", across_cpus},
	{"vdso.proc_maps", proc_maps},
	{"vdso.fork", fork_keeps},
	{"vdso.mapping_rules", mapping_rules},
#if defined(__aarch64__) || defined(__i386__)
	{"vdso.sigreturn", sigreturn_trampolines},
#endif
#ifdef __i386__
	{"vdso.kernel_vsyscall", kernel_vsyscall},
#endif
#ifdef __x86_64__
	{"vdso.getcpu", getcpu_call},
#endif
	{NULL, NULL},
};
