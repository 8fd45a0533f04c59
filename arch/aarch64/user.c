/*
 * AArch64 user mode (<arch/user.h>): EL0's register frame, what its
 * synchronous exceptions mean (SVC, aborts, undefined instructions, ...),
 * the Linux arm64 signal frame (rt_sigframe with the FP/SIMD record), and
 * the HWCAPs that tell glibc which string routines it may pick.
 */
#include <string.h>
#include <arch/cpu.h>
#include <arch/user.h>
#include <kernel/cpu.h>
#include <kernel/errno.h>
#include <kernel/mman.h>
#include <kernel/process.h>
#include <kernel/slab.h>
#include <kernel/thread.h>
#include <kernel/uaccess.h>
#ifdef CONFIG_VDSO
#include <kernel/vdso.h>
#endif
#include "sysregs.h"

void aarch64_el0_sync(struct arch_regs *regs);

/* The exception stack of each CPU while EL0 owns SP_EL0 (vectors.S). */
uint64_t aarch64_exc_sp[NR_CPUS];

#define ESR_EC(esr)	(((esr) >> 26) & 0x3f)
#define ESR_WNR		(1u << 6)
#define ESR_CM		(1u << 8)

#define PSR_MODE_EL0t	0x0u
#define PSR_MODE_MASK	0xfu
#define PSR_MODE32	0x10u
#define PSR_DAIF	0x3c0u
#define PSR_IL		(1u << 20)
#define PSR_SS		(1u << 21)

/* si_code values */
#define ILL_ILLOPC	1
#define ILL_ILLOPN	2
#define FPE_FLTINV	7
#define BUS_ADRALN	1
#define BUS_ADRERR	2
#define TRAP_BRKPT	1

struct arch_regs *
arch_user_regs_of(struct thread *t)
{
	return (struct arch_regs *)((uintptr_t)thread_stack_top(t) - sizeof(struct arch_regs));
}

void
arch_user_regs_init(struct arch_regs *regs, uintptr_t pc, uintptr_t sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->pc = pc;
	regs->sp = sp;
	regs->pstate = PSR_MODE_EL0t;
}





void
arch_syscall_restart(struct arch_regs *regs, long nr, unsigned long arg0)
{
	regs->x[8] = (uint64_t)nr;
	regs->x[0] = arg0;
	regs->pc -= 4;			/* back to the SVC */
}

uintptr_t
arch_user_sp(const struct arch_regs *regs)
{
	return regs->sp;
}

void
arch_user_set_sp(struct arch_regs *regs, uintptr_t sp)
{
	regs->sp = sp;
}

void
arch_set_tls(struct thread *t, uintptr_t tls)
{
	t->arch.tls = tls;
	if (t == thread_current())
		write_sysreg(tpidr_el0, tls);
}

int
arch_clone_tls(struct thread *t, uintptr_t tls)
{
	arch_set_tls(t, tls);
	return 0;
}

void
arch_user_thread_copy(struct thread *child, struct thread *parent)
{
	(void)parent;			/* the caller: its registers are live */
	preempt_disable();
	aarch64_fpsimd_save(&child->arch.fp);
	child->arch.tls = read_sysreg(tpidr_el0);
	child->arch.fp_owned = 1;
	preempt_enable();
}

/* ---- exceptions from EL0 ---- */

void
aarch64_el0_sync(struct arch_regs *regs)
{
	uint64_t esr = read_sysreg(esr_el1), far = read_sysreg(far_el1);
	unsigned int ec = ESR_EC(esr), fsc = esr & 0x3f;

	arch_irq_enable();
	switch (ec) {
	case 0x15:			/* SVC from AArch64 */
		syscall_entry(regs);
		break;
	case 0x24:			/* data abort from EL0 */
	case 0x20:			/* instruction abort from EL0 */
		switch (fsc & 0x3c) {
		case 0x04: case 0x08: case 0x0c:	/* translation, access flag, permission */
			user_fault(regs, far, ec == 0x24 && (esr & ESR_WNR) && !(esr & ESR_CM),
				   ec == 0x20);
			break;
		default:
			user_trap(regs, SIGBUS, fsc == 0x21 ? BUS_ADRALN : BUS_ADRERR, far);
		}
		break;
	case 0x22:			/* PC alignment */
		user_trap(regs, SIGBUS, BUS_ADRALN, regs->pc);
		break;
	case 0x26:			/* SP alignment */
		user_trap(regs, SIGBUS, BUS_ADRALN, regs->sp);
		break;
	case 0x2c:			/* trapped FP exception */
		user_trap(regs, SIGFPE, FPE_FLTINV, regs->pc);
		break;
	case 0x30: case 0x32: case 0x34: case 0x3c:	/* breakpoint, step, watchpoint, BRK */
		user_trap(regs, SIGTRAP, TRAP_BRKPT, regs->pc);
		break;
	case 0x0e:			/* illegal execution state */
		user_trap(regs, SIGILL, ILL_ILLOPN, regs->pc);
		break;
	default:			/* undefined, trapped MSR/MRS, SVE, ... */
		user_trap(regs, SIGILL, ILL_ILLOPC, regs->pc);
		break;
	}
	arch_irq_disable();
}

/* ---- signal frames (Linux's arch/arm64 rt_sigframe) ---- */

#define FPSIMD_MAGIC	0x46508001u

struct k_sigcontext {
	uint64_t fault_address;
	uint64_t regs[31];
	uint64_t sp;
	uint64_t pc;
	uint64_t pstate;
	uint8_t reserved[4096] __attribute__((aligned(16)));
};

struct k_stack64 {
	uint64_t ss_sp;
	int32_t ss_flags;
	uint32_t pad;
	uint64_t ss_size;
};

struct k_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct k_stack64 uc_stack;
	uint64_t uc_sigmask;
	uint8_t unused[1024 / 8 - 8];
	struct k_sigcontext uc_mcontext __attribute__((aligned(16)));
};

struct k_fpsimd_context {
	uint32_t magic, size;
	uint32_t fpsr, fpcr;
	uint64_t vregs[64];
};

struct k_rt_sigframe {
	uint8_t info[128];
	struct k_ucontext uc;
};

struct frame_record {
	uint64_t fp, lr;
};

_Static_assert(__builtin_offsetof(struct k_ucontext, uc_mcontext) == 176, "arm64 ucontext");
_Static_assert(sizeof(struct k_fpsimd_context) == 528, "arm64 fpsimd_context");

void
arch_sync_icache(const void *kaddr, size_t len)
{
	uint64_t ctr = read_sysreg(ctr_el0);
	uintptr_t dline = 4UL << ((ctr >> 16) & 0xf), iline = 4UL << (ctr & 0xf);
	uintptr_t start = (uintptr_t)kaddr, end = start + len;

	/* Clean to the point of unification, then invalidate the instruction cache. */
	for (uintptr_t a = start & ~(dline - 1); a < end; a += dline)
		__asm__ __volatile__("dc cvau, %0" :: "r"(a) : "memory");
	__asm__ __volatile__("dsb ish" ::: "memory");
	for (uintptr_t a = start & ~(iline - 1); a < end; a += iline)
		__asm__ __volatile__("ic ivau, %0" :: "r"(a) : "memory");
	__asm__ __volatile__("dsb ish; isb" ::: "memory");
}

void
arch_sigpage_fill(void *page)
{
	uint32_t *code = page;

	code[0] = 0xd2801168;		/* mov x8, #139 (rt_sigreturn) */
	code[1] = 0xd4000001;		/* svc #0 */
	arch_sync_icache(code, 8);
}

size_t
arch_signal_frame_size(void)
{
	return sizeof(struct k_rt_sigframe) + sizeof(struct frame_record) + 32;
}

int
arch_signal_setup(struct arch_regs *regs, int sig, const struct k_sigaction *ka,
		  const struct ksiginfo *info, uint64_t blocked, uintptr_t sp)
{
	struct thread *me = thread_current();
	struct k_rt_sigframe *f;
	struct k_fpsimd_context *fp;
	struct frame_record rec = { regs->x[29], regs->x[30] };
	uintptr_t rec_at, frame_at;
	int err;

	rec_at = (sp - sizeof(rec)) & ~15UL;
	frame_at = (rec_at - sizeof(*f)) & ~15UL;
	f = kzalloc(sizeof(*f));
	if (!f)
		return -ENOMEM;
	siginfo_fill(f->info, info);
	f->uc.uc_stack.ss_sp = me->altstack_sp;
	f->uc.uc_stack.ss_size = me->altstack_size;
	f->uc.uc_stack.ss_flags = me->altstack_size ? 0 : 2 /* SS_DISABLE */;
	f->uc.uc_sigmask = blocked;
	f->uc.uc_mcontext.fault_address = info->addr;
	memcpy(f->uc.uc_mcontext.regs, regs->x, sizeof(regs->x));
	f->uc.uc_mcontext.sp = regs->sp;
	f->uc.uc_mcontext.pc = regs->pc;
	f->uc.uc_mcontext.pstate = regs->pstate;
	fp = (struct k_fpsimd_context *)f->uc.uc_mcontext.reserved;
	fp->magic = FPSIMD_MAGIC;
	fp->size = sizeof(*fp);
	preempt_disable();
	aarch64_fpsimd_save(&me->arch.fp);
	preempt_enable();
	fp->fpsr = me->arch.fp.fpsr;
	fp->fpcr = me->arch.fp.fpcr;
	memcpy(fp->vregs, me->arch.fp.v, sizeof(fp->vregs));
	/* The record after it ends the list: magic 0, size 0 (already zero). */
	err = copy_to_user((void __user *)frame_at, f, sizeof(*f));
	kfree(f);
	if (err || copy_to_user((void __user *)rec_at, &rec, sizeof(rec)))
		return -EFAULT;

	regs->x[0] = (uint64_t)sig;
	regs->x[1] = frame_at + __builtin_offsetof(struct k_rt_sigframe, info);
	regs->x[2] = frame_at + __builtin_offsetof(struct k_rt_sigframe, uc);
	regs->x[29] = rec_at;
	/* glibc gives no restorer on arm64: Linux's vDSO trampoline is its. */
#ifdef CONFIG_VDSO
	regs->x[30] = (ka->flags & SA_RESTORER) ? ka->restorer
		    : vdso_entry(me->mm, VDSO_SYM__kernel_rt_sigreturn);
#else
	regs->x[30] = (ka->flags & SA_RESTORER) ? ka->restorer : me->mm->sigpage;
#endif
	regs->sp = frame_at;
	regs->pc = ka->handler;
	regs->pstate &= ~(PSR_SS | PSR_IL);
	return 0;
}

int
arch_signal_return(struct arch_regs *regs, uint64_t *blocked, bool rt)
{
	struct thread *me = thread_current();
	struct k_rt_sigframe *f;
	struct k_fpsimd_context *fp;
	int err = -EFAULT;

	(void)rt;
	if (regs->sp & 15)
		return -EFAULT;
	f = kmalloc(sizeof(*f));
	if (!f)
		return -ENOMEM;
	if (copy_from_user(f, (const void __user *)regs->sp, sizeof(*f)))
		goto out;
	fp = (struct k_fpsimd_context *)f->uc.uc_mcontext.reserved;
	if (fp->magic != FPSIMD_MAGIC || fp->size != sizeof(*fp))
		goto out;
	memcpy(regs->x, f->uc.uc_mcontext.regs, sizeof(regs->x));
	regs->sp = f->uc.uc_mcontext.sp;
	regs->pc = f->uc.uc_mcontext.pc;
	/* Only EL0 AArch64 with interrupts on: nothing privileged from user memory. */
	regs->pstate = f->uc.uc_mcontext.pstate & ~(PSR_MODE_MASK | PSR_MODE32 | PSR_DAIF | PSR_IL |
						     SPSR_PAN);
	*blocked = f->uc.uc_sigmask;
	preempt_disable();
	me->arch.fp.fpsr = fp->fpsr;
	me->arch.fp.fpcr = fp->fpcr;
	memcpy(me->arch.fp.v, fp->vregs, sizeof(fp->vregs));
	aarch64_fpsimd_load(&me->arch.fp);
	preempt_enable();
	err = 0;
out:
	kfree(f);
	return err;
}

/* ---- HWCAPs (Linux's arm64 bit numbers) ---- */

#define HWCAP_FP	(1UL << 0)
#define HWCAP_ASIMD	(1UL << 1)
#define HWCAP_AES	(1UL << 3)
#define HWCAP_PMULL	(1UL << 4)
#define HWCAP_SHA1	(1UL << 5)
#define HWCAP_SHA2	(1UL << 6)
#define HWCAP_CRC32	(1UL << 7)
#define HWCAP_ATOMICS	(1UL << 8)
#define HWCAP_FPHP	(1UL << 9)
#define HWCAP_ASIMDHP	(1UL << 10)
#define HWCAP_ASIMDRDM	(1UL << 12)
#define HWCAP_JSCVT	(1UL << 13)
#define HWCAP_FCMA	(1UL << 14)
#define HWCAP_LRCPC	(1UL << 15)
#define HWCAP_DCPOP	(1UL << 16)
#define HWCAP_SHA3	(1UL << 17)
#define HWCAP_SM3	(1UL << 18)
#define HWCAP_SM4	(1UL << 19)
#define HWCAP_ASIMDDP	(1UL << 20)
#define HWCAP_SHA512	(1UL << 21)
#define HWCAP_ASIMDFHM	(1UL << 23)
#define HWCAP_ILRCPC	(1UL << 26)

static unsigned int
field(uint64_t reg, unsigned int shift)
{
	return (reg >> shift) & 0xf;
}

unsigned long
arch_elf_hwcap(void)
{
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);
	uint64_t isar0 = read_sysreg(id_aa64isar0_el1);
	uint64_t isar1 = read_sysreg(id_aa64isar1_el1);
	unsigned long hw = 0;

	/* SVE, MTE, PAC, BTI are not offered: the kernel does not switch their state. */
	if (field(pfr0, 16) != 0xf) {
		hw |= HWCAP_FP;
		if (field(pfr0, 16) == 1)
			hw |= HWCAP_FPHP;
	}
	if (field(pfr0, 20) != 0xf) {
		hw |= HWCAP_ASIMD;
		if (field(pfr0, 20) == 1)
			hw |= HWCAP_ASIMDHP;
	}
	if (field(isar0, 4) >= 1)
		hw |= HWCAP_AES;
	if (field(isar0, 4) >= 2)
		hw |= HWCAP_PMULL;
	if (field(isar0, 8) >= 1)
		hw |= HWCAP_SHA1;
	if (field(isar0, 12) >= 1)
		hw |= HWCAP_SHA2;
	if (field(isar0, 12) >= 2)
		hw |= HWCAP_SHA512;
	if (field(isar0, 16) >= 1)
		hw |= HWCAP_CRC32;
	if (field(isar0, 20) >= 2)
		hw |= HWCAP_ATOMICS;
	if (field(isar0, 28) >= 1)
		hw |= HWCAP_ASIMDRDM;
	if (field(isar0, 32) >= 1)
		hw |= HWCAP_SHA3;
	if (field(isar0, 36) >= 1)
		hw |= HWCAP_SM3;
	if (field(isar0, 40) >= 1)
		hw |= HWCAP_SM4;
	if (field(isar0, 44) >= 1)
		hw |= HWCAP_ASIMDDP;
	if (field(isar0, 48) >= 1)
		hw |= HWCAP_ASIMDFHM;
	if (field(isar1, 0) >= 1)
		hw |= HWCAP_DCPOP;
	if (field(isar1, 12) >= 1)
		hw |= HWCAP_JSCVT;
	if (field(isar1, 16) >= 1)
		hw |= HWCAP_FCMA;
	if (field(isar1, 20) >= 1)
		hw |= HWCAP_LRCPC;
	if (field(isar1, 20) >= 2)
		hw |= HWCAP_ILRCPC;
	return hw;
}

unsigned long
arch_elf_hwcap2(void)
{
	return 0;
}

const char *
arch_elf_platform(void)
{
	return "aarch64";
}
