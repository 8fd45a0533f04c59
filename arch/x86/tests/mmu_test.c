/*
 * x86 paging on the real machine, both widths: the final kernel tables
 * (W^X sections, no identity map, no page 0, the linear map), faults
 * decoded and named (NULL, text, rodata, NX, guard pages, with a resume
 * from a runaway recursion's double fault, also on a thread's own stack
 * on every CPU), every CPU's exception stacks guarded,
 * user address spaces and their switch (PCIDs where the CPU has them),
 * ioremap, reserved boot memory, RAM above 4 GiB and above the i386
 * linear map.
 */
#include <string.h>
#include <arch/boot.h>
#include <arch/mmu.h>
#include <arch/trap.h>
#include <asm/x86.h>
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/mmio.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#ifdef CONFIG_THREADS
#include <kernel/thread.h>
#endif
#include <kernel/trap.h>
#include <kernel/vm.h>
#include "../internal.h"
#include "../percpu.h"
#include "../pgtable.h"

extern char __image_start[], _end[], __boot_stack_guard[];

static const uintptr_t read_only_word = 0x5eed;
static uintptr_t writable_word = 0x5eed;
/* "ret" in data: executing it must fault where the CPU has NX. */
static uint8_t data_code[16] = { 0xc3 };
static volatile unsigned long runaway_limit;	/* 0: no limit */

static struct arch_aspace *
kas(void)
{
	return arch_kernel_aspace();
}

/* Write the word that is there already: a write that gets through changes nothing. */
static int
probe_rewrite(uintptr_t addr)
{
	return x86_probe_write(addr, *(volatile uintptr_t *)addr);
}

static bool
has(const struct trap_report *r, const char *text)
{
	return r->detail && strstr(r->detail, text);
}

KTEST(mmu, no_identity_map_no_page0)
{
	struct trap_report r;

	KEXPECT_EQ(arch_mmu_query(kas(), 0, NULL, NULL), -ENOENT);
	KEXPECT_EQ(arch_mmu_query(kas(), KERNEL_PHYS_BASE, NULL, NULL), -ENOENT);
	trap_expect(TRAP_DATA_ABORT);
	KEXPECT_EQ(x86_probe_read(KERNEL_PHYS_BASE), (uintptr_t)-1);
	KASSERT(trap_expect_end(&r));
	KEXPECT_EQ(r.addr, KERNEL_PHYS_BASE);
}

KTEST(mmu, null_dereference_reported)
{
	struct trap_report r;

	trap_expect(TRAP_DATA_ABORT);
	KEXPECT_EQ(x86_probe_read(0), (uintptr_t)-1);
	KASSERT(trap_expect_end(&r));
	KEXPECT_STREQ(r.vector, "#PF page fault");
	KEXPECT_EQ(r.addr, 0);
	KEXPECT(has(&r, "NULL pointer dereference (read not mapped)"));

	trap_expect(TRAP_DATA_ABORT);
	KEXPECT_EQ(x86_probe_write(0x18, 1), -1);
	KASSERT(trap_expect_end(&r));
	KEXPECT_EQ(r.addr, 0x18);
	KEXPECT_EQ(r.code, 0x2);		/* write, not present, kernel */
	KEXPECT(has(&r, "NULL pointer dereference (write not mapped)"));
}

KTEST(mmu, write_to_text_faults)
{
	uintptr_t text = (uintptr_t)x86_probe_read;	/* some code */
	struct trap_report r;

	trap_expect(TRAP_DATA_ABORT);
	KEXPECT_EQ(probe_rewrite(text), -1);
	KASSERT(trap_expect_end(&r));
	KEXPECT_EQ(r.addr, text);
	KEXPECT_EQ(r.code, 0x3);		/* write to a present page */
	KEXPECT(has(&r, "write to kernel text (read-only) (write denied)"));
	if (LINEAR_MAP_BASE != KERNEL_VIRT_BASE) {
		/* x86_64: the linear map's alias of the image is read-only too. */
		uintptr_t alias = (uintptr_t)phys_to_virt(virt_to_phys((void *)text));

		trap_expect(TRAP_DATA_ABORT);
		KEXPECT_EQ(probe_rewrite(alias), -1);
		KASSERT(trap_expect_end(&r));
		KEXPECT_EQ(r.addr, alias);
	}
}

KTEST(mmu, write_to_rodata_faults)
{
	struct trap_report r;

	trap_expect(TRAP_DATA_ABORT);
	KEXPECT_EQ(probe_rewrite((uintptr_t)&read_only_word), -1);
	KASSERT(trap_expect_end(&r));
	KEXPECT_EQ(r.addr, (uintptr_t)&read_only_word);
	KEXPECT(has(&r, "write to kernel read-only data"));
	KEXPECT_EQ(x86_probe_write((uintptr_t)&writable_word, 7), 0);
	KEXPECT_EQ(writable_word, 7);
}

KTEST(mmu, sections_mapped_wx)
{
	unsigned int f, nx = pte_nx ? MMU_EXEC : 0;
	void *page = page_alloc_addr(GFP_KERNEL, 0);

	KASSERT(arch_mmu_query(kas(), (vaddr_t)__text_start, NULL, &f) == 0);
	KEXPECT_EQ(f & (MMU_READ | MMU_WRITE | MMU_EXEC | MMU_USER), MMU_READ | MMU_EXEC);
	KASSERT(arch_mmu_query(kas(), (vaddr_t)&read_only_word, NULL, &f) == 0);
	KEXPECT_EQ(f & (MMU_WRITE | nx | MMU_USER), 0);
	KASSERT(arch_mmu_query(kas(), (vaddr_t)&writable_word, NULL, &f) == 0);
	KEXPECT_EQ(f & (MMU_WRITE | nx | MMU_USER), MMU_WRITE);
	KASSERT(page != NULL);
	KASSERT(arch_mmu_query(kas(), (vaddr_t)page, NULL, &f) == 0);
	KEXPECT_EQ(f & (MMU_WRITE | nx | MMU_USER), MMU_WRITE);
	page_free_addr(page, 0);
	if (LINEAR_MAP_BASE != KERNEL_VIRT_BASE) {
		paddr_t pa;

		KASSERT(arch_mmu_query(kas(), (vaddr_t)phys_to_virt(virt_to_phys(__text_start)),
				       &pa, &f) == 0);
		KEXPECT_EQ(pa, virt_to_phys(__text_start));
		KEXPECT_EQ(f & (MMU_WRITE | MMU_EXEC), 0);
	}
	/* The boot stack's guard page. */
	KEXPECT_EQ(arch_mmu_query(kas(), (vaddr_t)__boot_stack_guard, NULL, NULL), -ENOENT);
}

KTEST(mmu, execute_from_data_faults)
{
	struct arch_resume resume;
	struct trap_report r;
	uint8_t *page;

	if (!pte_nx)
		KTEST_SKIP("this CPU has no NX: data is executable (QEMU's qemu32)");
	trap_expect_resume(TRAP_PREFETCH_ABORT, &resume);
	if (arch_resume_set(&resume) == 0) {
		((void (*)(void))(uintptr_t)data_code)();
		ktest_fail(__FILE__, __LINE__, "executed code in .data");
	}
	KASSERT(trap_expect_end(&r));
	KEXPECT_EQ(r.addr, (uintptr_t)data_code);
	KEXPECT_EQ(r.code, 0x11);		/* instruction fetch, present */
	KEXPECT(has(&r, "execution of non-executable memory (execute denied)"));

	/* A page of the linear map, freshly written with code. */
	page = page_alloc_addr(GFP_ZERO, 0);
	KASSERT(page != NULL);
	page[0] = 0xc3;
	trap_expect_resume(TRAP_PREFETCH_ABORT, &resume);
	if (arch_resume_set(&resume) == 0) {
		((void (*)(void))(uintptr_t)page)();
		ktest_fail(__FILE__, __LINE__, "executed code in the linear map");
	}
	KEXPECT(trap_expect_end(&r));
	KEXPECT_EQ(r.addr, (uintptr_t)page);
	page_free_addr(page, 0);
}

/* A runaway recursion (runaway_limit keeps the compiler from proving it). */
static long __noinline
runaway(void *arg)
{
	volatile char frame[192];
	unsigned long depth = (unsigned long)arg;

	frame[0] = (char)depth;
	if (runaway_limit && depth == runaway_limit)
		return 0;
	return runaway((void *)(depth + 1)) + frame[0];
}

KTEST(mmu, stack_overflow_reported_and_resumed)
{
	/* Twice: the double-fault path must be ready again after a resume. */
	for (int round = 0; round < 2; round++) {
		struct arch_resume resume;
		struct trap_report r;
		struct kstack ks;

		KASSERT(kstack_alloc(&ks, 8192, "ktest runaway recursion") == 0);
		trap_expect_resume(TRAP_STACK_OVERFLOW, &resume);
		if (arch_resume_set(&resume) == 0) {
			arch_call_on_stack(runaway, (void *)1, (void *)(ks.base + ks.size));
			ktest_fail(__FILE__, __LINE__, "the recursion returned");
		}
		KASSERT(trap_expect_end(&r));
		KEXPECT_EQ(r.kind, TRAP_STACK_OVERFLOW);
		KEXPECT_STREQ(r.vector, "#DF double fault");
		KEXPECT(has(&r, "kernel stack overflow: stack of ktest runaway recursion"));
		KEXPECT_OP(r.addr, <, ks.base);
		KEXPECT_OP(r.addr, >=, ks.base - PAGE_SIZE);
		kstack_free(&ks);
	}
}

#ifdef CONFIG_THREADS
struct overflow_run {
	struct trap_report r;
	uintptr_t stack_base;
	unsigned int cpu;
	bool seen, returned;
};

/* Overflows the stack it was switched to, and resumes on it. */
static void
overflow_thread(void *arg)
{
	struct overflow_run *run = arg;
	struct arch_resume resume;

	run->stack_base = thread_current()->kstack.base;
	run->cpu = cpu_id();		/* pinned: it cannot move */
	trap_expect_resume(TRAP_STACK_OVERFLOW, &resume);
	if (arch_resume_set(&resume) == 0) {
		runaway((void *)1);
		run->returned = true;
	}
	run->seen = trap_expect_end(&run->r);
}

KTEST(mmu, thread_stack_overflow_named)
{
	/*
	 * A thread's own stack, as the scheduler runs it: the double fault
	 * (this CPU's IST stack, or its i386 task) names the thread.  On
	 * every CPU, and twice on the last, as above.
	 */
	unsigned int ncpus = nr_cpus_online();

	for (unsigned int round = 0; round <= ncpus; round++) {
		struct overflow_run run = { .seen = false };
		unsigned int cpu = MIN(round, ncpus - 1);
		struct thread *t;

		t = thread_create_on("ktest-deep", overflow_thread, &run, THREAD_PRIO_DEFAULT + 1,
				     8192, cpumask_of(cpu));
		KASSERT(t != NULL);
		KEXPECT_EQ(thread_join(t), 0);
		KASSERT(run.seen);
		KEXPECT(!run.returned);
		KEXPECT_EQ(run.r.kind, TRAP_STACK_OVERFLOW);
		KEXPECT_STREQ(run.r.vector, "#DF double fault");
		KEXPECT(has(&run.r, "kernel stack overflow: stack of ktest-deep"));
		KEXPECT_OP(run.r.addr, <, run.stack_base);
		KEXPECT_OP(run.r.addr, >=, run.stack_base - PAGE_SIZE);
		KEXPECT_EQ(run.cpu, cpu);
	}
}
#endif

KTEST(mmu, exception_stacks_guarded)
{
	unsigned int c;

	/* Every CPU's: its #DF, NMI and #MC stacks (i386: its double-fault task's). */
	for_each_cpu(c, cpus_online()) {
		struct x86_cpu *xc = &x86_cpus[c];
		char name[16];

		snprintf(name, sizeof(name), "of CPU%u", c);
		for (int i = 0; i < X86_EXC_STACKS; i++) {
			const struct kstack *ks = &xc->exc_stack[i];

			KASSERT(ks->size != 0);
			KEXPECT(kstack_guard_hit(ks->base - 8) == ks);
			KEXPECT(ks->owner && strstr(ks->owner, name));
#ifdef __x86_64__
			KEXPECT_EQ(xc->tss.ist[i], ks->base + ks->size);
#else
			KEXPECT_EQ(xc->df_tss.esp, ks->base + ks->size);
#endif
		}
	}
}

KTEST(mmu, guard_page_access_named)
{
	struct trap_report r;
	struct kstack ks;

	KASSERT(kstack_alloc(&ks, 4096, "ktest guard") == 0);
	KEXPECT_EQ(arch_mmu_query(kas(), ks.base - PAGE_SIZE, NULL, NULL), -ENOENT);
	trap_expect(TRAP_STACK_OVERFLOW);
	KEXPECT_EQ(x86_probe_read(ks.base - 8), (uintptr_t)-1);
	KASSERT(trap_expect_end(&r));
	KEXPECT_STREQ(r.vector, "#PF page fault");
	KEXPECT(has(&r, "stack of ktest guard"));
	kstack_free(&ks);

	trap_expect(TRAP_STACK_OVERFLOW);
	KEXPECT_EQ(x86_probe_read((uintptr_t)__boot_stack_guard + 64), (uintptr_t)-1);
	KASSERT(trap_expect_end(&r));
	KEXPECT(has(&r, "the boot stack"));
}

KTEST(mmu, user_aspace_map_protect_unmap)
{
	const vaddr_t va = 0x400000 - 4 * PAGE_SIZE;	/* across a 2 MiB table */
	struct mm_stats before, after;
	struct aspace *as;
	struct page *pg;
	unsigned int f;
	paddr_t pa;

	kmalloc_shrink();			/* no empty slab kept from before */
	kstack_shrink();
	mm_stats(&before);
	as = aspace_create();
	KASSERT(as != NULL);
	pg = alloc_pages(GFP_ZERO, 3);
	KASSERT(pg != NULL);
	pa = page_to_phys(pg);
	KEXPECT_EQ(aspace_map(as, va, pa, 8 * PAGE_SIZE, MMU_READ | MMU_WRITE), 0);
	for (int i = 0; i < 8; i++) {
		paddr_t got;

		KEXPECT_EQ(aspace_translate(as, va + i * PAGE_SIZE + 5, &got, &f), 0);
		KEXPECT_EQ(got, pa + i * PAGE_SIZE + 5);
		KEXPECT_EQ(f & (MMU_READ | MMU_WRITE | MMU_USER), MMU_READ | MMU_WRITE | MMU_USER);
		if (pte_nx)
			KEXPECT(!(f & MMU_EXEC));
	}
	/* Nothing is changed by a map that meets a mapped page. */
	KEXPECT_EQ(aspace_map(as, va - PAGE_SIZE, pa, 2 * PAGE_SIZE, MMU_READ), -EEXIST);
	KEXPECT_EQ(aspace_translate(as, va - PAGE_SIZE, NULL, NULL), -ENOENT);
	KEXPECT_EQ(aspace_map(as, USER_TOP - PAGE_SIZE, pa, 2 * PAGE_SIZE, MMU_READ), -EFAULT);

	KEXPECT_EQ(aspace_protect(as, va, 2 * PAGE_SIZE, MMU_READ | MMU_EXEC), 0);
	KEXPECT_EQ(aspace_translate(as, va, NULL, &f), 0);
	KEXPECT_EQ(f & (MMU_READ | MMU_WRITE | MMU_EXEC), MMU_READ | MMU_EXEC);
	KEXPECT_EQ(aspace_protect(as, va + PAGE_SIZE, PAGE_SIZE, 0), 0);
	KEXPECT_EQ(aspace_translate(as, va + PAGE_SIZE, &pa, &f), 0);	/* kept, no access */
	KEXPECT_EQ(f & (MMU_READ | MMU_WRITE | MMU_EXEC), 0);
	KEXPECT_EQ(pa, page_to_phys(pg) + PAGE_SIZE);

	KEXPECT_EQ(aspace_unmap(as, va, 4 * PAGE_SIZE), 0);
	KEXPECT_EQ(aspace_translate(as, va + PAGE_SIZE, NULL, NULL), -ENOENT);
	KEXPECT_EQ(aspace_translate(as, va + 4 * PAGE_SIZE, NULL, NULL), 0);
	KEXPECT_EQ(aspace_unmap(as, va - 16 * PAGE_SIZE, 32 * PAGE_SIZE), 0);	/* holes */
	KEXPECT_EQ(aspace_translate(as, va + 7 * PAGE_SIZE, NULL, NULL), -ENOENT);
	aspace_destroy(as);
	free_pages(pg, 3);
	kmalloc_shrink();
	kstack_shrink();
	mm_stats(&after);
	KEXPECT_EQ(after.free_pages, before.free_pages);	/* tables freed too */
}

KTEST(mmu, kernel_map_protect_unmap)
{
	/* The kernel-stack area has tables and room; kstacks use low slots. */
	const vaddr_t va = KSTACK_AREA_BASE + KSTACK_AREA_SIZE - 64 * PAGE_SIZE;
	struct page *pg = alloc_pages(GFP_ZERO, 0);
	struct trap_report r;
	unsigned int f;

	KASSERT(pg != NULL);
	KEXPECT_EQ(arch_mmu_map(kas(), va, page_to_phys(pg), 1, MMU_READ | MMU_WRITE), 0);
	KEXPECT_EQ(x86_probe_write(va, 0x77), 0);
	KEXPECT_EQ(*(volatile uint8_t *)page_address(pg), 0x77);
	KEXPECT_EQ(arch_mmu_protect(kas(), va, 1, MMU_READ), 0);
	KEXPECT_EQ(arch_mmu_query(kas(), va, NULL, &f), 0);
	KEXPECT_EQ(f & (MMU_READ | MMU_WRITE | MMU_USER), MMU_READ);
	trap_expect(TRAP_DATA_ABORT);
	KEXPECT_EQ(x86_probe_write(va, 0x78), -1);	/* the TLB saw the change */
	KEXPECT(trap_expect_end(&r));
	KEXPECT_EQ(arch_mmu_unmap(kas(), va, 1), 0);
#ifdef __x86_64__
	/* Non-canonical: the tables cannot express it. */
	KEXPECT_EQ(arch_mmu_map(kas(), USER_TOP, page_to_phys(pg), 1, MMU_READ), -EINVAL);
	KEXPECT_EQ(arch_mmu_query(kas(), USER_TOP + LINEAR_MAP_BASE, NULL, NULL), -ENOENT);
#endif
	trap_expect(TRAP_DATA_ABORT);
	KEXPECT_EQ(x86_probe_read(va), (uintptr_t)-1);
	KEXPECT(trap_expect_end(&r));
	free_pages(pg, 0);
}

/* Read a word at va in the current space, or ~0 when it faults. */
static uintptr_t
read_user(vaddr_t va)
{
	struct trap_report r;
	uintptr_t v;

	trap_expect(TRAP_DATA_ABORT);
	v = x86_probe_read(va);
	trap_expect_end(&r);
	return v;
}

KTEST(mmu, aspace_switch_shows_its_mappings)
{
	const vaddr_t va = 0x10000000;
	struct aspace *a = aspace_create(), *b = aspace_create();
	uintptr_t *pa_word, *pb_word;
	struct page *pa, *pb;

	thread_pin();		/* a space is loaded on one CPU: stay there */
	KASSERT(a && b);
	pa = alloc_pages(GFP_ZERO, 0);
	pb = alloc_pages(GFP_ZERO, 0);
	KASSERT(pa && pb);
	pa_word = page_address(pa);
	pb_word = page_address(pb);
	*pa_word = 0xaaaa;
	*pb_word = 0xbbbb;
	KEXPECT_EQ(aspace_map(a, va, page_to_phys(pa), PAGE_SIZE, MMU_READ | MMU_WRITE), 0);
	KEXPECT_EQ(aspace_map(b, va, page_to_phys(pb), PAGE_SIZE, MMU_READ), 0);

	KEXPECT_EQ(read_user(va), (uintptr_t)-1);	/* the kernel's space */
	aspace_switch(a);
	KEXPECT_EQ(read_user(va), 0xaaaa);
	KEXPECT_EQ(x86_probe_write(va, 0xa1a1), 0);
	KEXPECT_EQ(*pa_word, 0xa1a1);
	aspace_switch(b);
	KEXPECT_EQ(read_user(va), 0xbbbb);
	trap_expect(TRAP_DATA_ABORT);
	KEXPECT_EQ(x86_probe_write(va, 1), -1);	/* read-only in b */
	KEXPECT(trap_expect_end(NULL));
	aspace_switch(a);
	KEXPECT_EQ(read_user(va), 0xa1a1);
	aspace_switch(b);
	/* Changed while not loaded: a must not see the old page when it comes back. */
	KEXPECT_EQ(aspace_unmap(a, va, PAGE_SIZE), 0);
	aspace_switch(a);
	KEXPECT_EQ(read_user(va), (uintptr_t)-1);
	KEXPECT_EQ(aspace_map(a, va, page_to_phys(pb), PAGE_SIZE, MMU_READ), 0);
	KEXPECT_EQ(read_user(va), 0xbbbb);
	aspace_switch(kernel_aspace());
	KEXPECT_EQ(read_user(va), (uintptr_t)-1);
	aspace_destroy(a);
	aspace_destroy(b);
	free_pages(pa, 0);
	free_pages(pb, 0);
	thread_unpin();
}

KTEST(mmu, pcid_generations)
{
	/* More spaces than PCIDs: the numbering wraps and must stay correct. */
	const vaddr_t va = 0x20000000;
	struct page *pg = alloc_pages(GFP_ZERO, 0);
	uintptr_t *word;
	int bad = 0;

	thread_pin();		/* a space is loaded on one CPU: stay there */
#ifdef __x86_64__
	KEXPECT_EQ(!!(read_cr(4) & CR4_PCIDE), cpu_has(1, 'c', CPUID_1_ECX_PCID));
#endif
	KASSERT(pg != NULL);
	word = page_address(pg);
	for (unsigned int i = 0; i < 4200; i++) {
		struct aspace *as = aspace_create();

		KASSERT(as != NULL);
		*word = i;
		if (aspace_map(as, va + (i & 7) * PAGE_SIZE, page_to_phys(pg), PAGE_SIZE,
			       MMU_READ)) {
			bad++;
		} else {
			aspace_switch(as);
			if (x86_probe_read(va + (i & 7) * PAGE_SIZE) != i)
				bad++;
			/* The previous space's page is gone (a fault: checked now and then). */
			if (i % 512 == 1 && read_user(va + ((i - 1) & 7) * PAGE_SIZE) != (uintptr_t)-1)
				bad++;
			aspace_switch(kernel_aspace());
		}
		aspace_destroy(as);
	}
	KEXPECT_EQ(bad, 0);
	free_pages(pg, 0);
	thread_unpin();
}

KTEST(mmu, ioremap_device_registers)
{
	/* The local APIC's version register: 0x1X on every APIC QEMU has. */
	uintptr_t lapic;
	unsigned int f;

	if (!cpu_has(1, 'd', CPUID_1_EDX_APIC))
		KTEST_SKIP("this CPU has no local APIC");
	lapic = ioremap(0xfee00000, 0x400);
	KASSERT(lapic != 0);
	KEXPECT_OP(lapic, >=, IOREMAP_BASE);
	KEXPECT_OP(lapic, <, IOREMAP_BASE + IOREMAP_SIZE);
	KEXPECT_EQ(ioremap(0xfee00030, 4), lapic + 0x30);	/* handed out again */
	KASSERT(arch_mmu_query(kas(), lapic, NULL, &f) == 0);
	KEXPECT(f & MMU_DEVICE);
	KEXPECT_EQ(mmio_read32(lapic + 0x30) & 0xf0, 0x10);
}

KTEST(mmu, boot_memory_reserved)
{
	const struct boot_info *bi = boot_info;
	paddr_t image = virt_to_phys(__image_start);
	bool found_image = false, found_mbi = false, found_initrd = !bi->initrd_size;
	struct page *p0 = pfn_to_page(0);

	for (unsigned int i = 0; i < bi->nr_reserved; i++) {
		const struct mem_region *r = &bi->reserved[i];

		if (!strcmp(r->what, "kernel image") && r->base == image &&
		    r->base + r->size >= virt_to_phys(__bss_end))
			found_image = true;
		if (!strcmp(r->what, "multiboot information"))
			found_mbi = true;
		if (!strcmp(r->what, "initrd") && r->base == bi->initrd_base &&
		    r->size == bi->initrd_size)
			found_initrd = true;
	}
	KEXPECT(found_image);
	KEXPECT(found_mbi);
	KEXPECT(found_initrd);
	/* Physical page 0 (real-mode vectors; pt_page_alloc's "none") is never handed out. */
	if (p0)
		KEXPECT(p0->flags & PG_RESERVED);
	KEXPECT(pfn_to_page(image >> PAGE_SHIFT) == NULL ||
		(pfn_to_page(image >> PAGE_SHIFT)->flags & PG_RESERVED));
}

/* Usable RAM at or above pa in the boot map. */
static uint64_t
ram_above(uint64_t pa)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < boot_info->nr_mem; i++) {
		uint64_t s = boot_info->mem[i].base, e = s + boot_info->mem[i].size;

		if (e > pa)
			n += e - MAX(s, pa);
	}
	return n;
}

KTEST(mm, memory_above_4g_used)
{
	const uint64_t four_gib = 4ull << 30;
	struct page *head = NULL, *p;
	bool high = false;

	if (four_gib >= LINEAR_MAP_PHYS_END)
		KTEST_SKIP("the linear map ends below 4 GiB (i386)");
	if (!ram_above(four_gib))
		KTEST_SKIP("this run has no RAM above 4 GiB");
	KEXPECT(pfn_to_page((uintptr_t)(four_gib >> PAGE_SHIFT) + 1) != NULL);
	/* High zones are used first: a few pages reach one. */
	for (int i = 0; i < 64 && !high; i++) {
		p = alloc_pages(GFP_KERNEL, 0);
		KASSERT(p != NULL);
		*(struct page **)page_address(p) = head;
		head = p;
		high = page_to_phys(p) >= four_gib;
	}
	KEXPECT(high);
	while (head) {
		p = head;
		head = *(struct page **)page_address(p);
		free_pages(p, 0);
	}
}

KTEST(mm, ram_beyond_linear_map_unused)
{
	struct mm_stats st;

	if (!ram_above(LINEAR_MAP_PHYS_END))
		KTEST_SKIP("all RAM of this run is in the linear map");
	mm_stats(&st);
	KEXPECT_OP((uint64_t)st.total_pages << PAGE_SHIFT, <=, LINEAR_MAP_PHYS_END);
	KEXPECT(pfn_to_page(LINEAR_MAP_PHYS_END >> PAGE_SHIFT) == NULL);
}

/*
 * SMAP (QEMU: -cpu ...,+smap): a plain kernel load from a user page
 * faults, named as SMAP's, while the STAC-bracketed access works.
 */
KTEST(mmu, smap_keeps_kernel_out_of_user_pages)
{
	const vaddr_t va = 0x10000000;
	struct aspace *as;
	struct page *pg;
	struct trap_report r;

	if (!x86_smap)
		KTEST_SKIP("this CPU has no SMAP");
	KEXPECT(read_cr(4) & CR4_SMAP);
	as = aspace_create();
	pg = alloc_pages(GFP_ZERO, 0);
	KASSERT(as && pg);
	*(uintptr_t *)page_address(pg) = 0x5a5a;
	KEXPECT_EQ(aspace_map(as, va, page_to_phys(pg), PAGE_SIZE, MMU_READ | MMU_WRITE), 0);
	thread_pin();		/* a space is loaded on one CPU: stay there */
	aspace_switch(as);
	KEXPECT_EQ(x86_probe_read(va), 0x5a5a);
	trap_expect(TRAP_DATA_ABORT);
	KEXPECT_EQ(x86_probe_read_plain(va), (uintptr_t)-1);
	KEXPECT(trap_expect_end(&r));
	KEXPECT(r.detail && strstr(r.detail, "SMAP") != NULL);
	aspace_switch(kernel_aspace());
	thread_unpin();
	aspace_destroy(as);
	free_pages(pg, 0);
}
