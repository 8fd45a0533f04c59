/*
 * x86-64 signal frames, as Linux lays them out (arch/x86 rt_sigframe):
 * the return address (the handler's restorer), a ucontext with the
 * sigcontext and the blocked mask, the siginfo, and below the frame the
 * FXSAVE image the sigcontext points at.  The handler starts with
 * RSP = 8 mod 16, as after a call.
 */
#include <string.h>
#include <arch/user.h>
#include <asm/segment.h>
#include <kernel/errno.h>
#include <kernel/mman.h>
#include <kernel/process.h>
#include <kernel/thread.h>
#include <kernel/uaccess.h>
#include "../fpu.h"

struct k_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;		/* user address of the FXSAVE image */
	uint64_t reserved1[8];
};

struct k_stack {
	uint64_t ss_sp;
	int32_t ss_flags;
	uint32_t pad;
	uint64_t ss_size;
};

struct k_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct k_stack uc_stack;
	struct k_sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};

struct k_rt_sigframe {
	uint64_t pretcode;
	struct k_ucontext uc;
	uint8_t info[128];
};

_Static_assert(sizeof(struct k_sigcontext) == 256, "x86-64 sigcontext");
_Static_assert(__builtin_offsetof(struct k_rt_sigframe, info) == 312, "x86-64 rt_sigframe");

#define UC_SIGCONTEXT_SS	0x2
#define UC_STRICT_RESTORE_SS	0x4
#define FXSAVE_SIZE		512
#define REDZONE			128
/* The flags sigreturn may change (Linux's FIX_EFLAGS): AC OF DF TF SF ZF AF PF CF RF. */
#define FIX_EFLAGS		0x50dd5u
#define MXCSR_OFFSET		24
#define MXCSR_MASK_OFFSET	28

void
arch_sigpage_fill(void *page)
{
	uint8_t *code = page;

	/* mov $15, %eax (rt_sigreturn); syscall */
	static const uint8_t tramp[] = { 0xb8, 15, 0, 0, 0, 0x0f, 0x05 };

	memcpy(code, tramp, sizeof(tramp));
}

size_t
arch_signal_frame_size(void)
{
	return sizeof(struct k_rt_sigframe) + FXSAVE_SIZE + 64 + REDZONE;
}

int
arch_signal_setup(struct arch_regs *regs, int sig, const struct k_sigaction *ka,
		  const struct ksiginfo *info, uint64_t blocked, uintptr_t sp)
{
	struct thread *me = thread_current();
	struct k_rt_sigframe f;
	uintptr_t fp_at, frame_at;
	unsigned long flags;

	/* Below the red zone of the interrupted code (unless on a fresh alternate stack). */
	if (sp == regs->rsp)
		sp -= REDZONE;
	fp_at = (sp - FXSAVE_SIZE) & ~63UL;
	frame_at = ((fp_at - sizeof(f)) & ~15UL) - 8;

	flags = arch_irq_save();
	x86_fp_save(&me->arch);
	arch_irq_restore(flags);
	if (copy_to_user((void __user *)fp_at, x86_fp_area(&me->arch), FXSAVE_SIZE))
		return -EFAULT;

	memset(&f, 0, sizeof(f));
	f.pretcode = (ka->flags & SA_RESTORER) ? ka->restorer : me->mm->sigpage;
	f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	f.uc.uc_stack.ss_sp = me->altstack_sp;
	f.uc.uc_stack.ss_size = me->altstack_size;
	f.uc.uc_stack.ss_flags = me->altstack_size ? 0 : 2;
	f.uc.uc_mcontext = (struct k_sigcontext){
		.r8 = regs->r8, .r9 = regs->r9, .r10 = regs->r10, .r11 = regs->r11,
		.r12 = regs->r12, .r13 = regs->r13, .r14 = regs->r14, .r15 = regs->r15,
		.rdi = regs->rdi, .rsi = regs->rsi, .rbp = regs->rbp, .rbx = regs->rbx,
		.rdx = regs->rdx, .rax = regs->rax, .rcx = regs->rcx, .rsp = regs->rsp,
		.rip = regs->rip, .eflags = regs->rflags,
		.cs = (uint16_t)regs->cs, .ss = (uint16_t)regs->ss,
		.err = regs->error, .trapno = regs->vector >= X86_NR_VECTORS ? 0 : regs->vector,
		.oldmask = blocked & 0xffffffffu, .cr2 = info->addr, .fpstate = fp_at,
	};
	f.uc.uc_sigmask = blocked;
	siginfo_fill(f.info, info);
	if (copy_to_user((void __user *)frame_at, &f, sizeof(f)))
		return -EFAULT;

	regs->rdi = (uint64_t)sig;
	regs->rsi = frame_at + __builtin_offsetof(struct k_rt_sigframe, info);
	regs->rdx = frame_at + __builtin_offsetof(struct k_rt_sigframe, uc);
	regs->rax = 0;
	regs->rsp = frame_at;
	regs->rip = ka->handler;
	regs->cs = USER_CS64;
	regs->ss = USER_DS;
	regs->rflags &= ~((1u << 8) | (1u << 10) | (1u << 16));	/* TF, DF, RF */
	return 0;
}

int
arch_signal_return(struct arch_regs *regs, uint64_t *blocked, bool rt)
{
	struct thread *me = thread_current();
	uintptr_t frame_at = regs->rsp - 8;
	struct k_rt_sigframe f;
	const struct k_sigcontext *sc = &f.uc.uc_mcontext;
	uint8_t *area = x86_fp_area(&me->arch);
	unsigned long flags;
	uint32_t mxcsr, mask;

	(void)rt;
	if (copy_from_user(&f, (const void __user *)frame_at, sizeof(f)))
		return -EFAULT;
	regs->r8 = sc->r8; regs->r9 = sc->r9; regs->r10 = sc->r10; regs->r11 = sc->r11;
	regs->r12 = sc->r12; regs->r13 = sc->r13; regs->r14 = sc->r14; regs->r15 = sc->r15;
	regs->rdi = sc->rdi; regs->rsi = sc->rsi; regs->rbp = sc->rbp; regs->rbx = sc->rbx;
	regs->rdx = sc->rdx; regs->rax = sc->rax; regs->rcx = sc->rcx; regs->rsp = sc->rsp;
	regs->rip = sc->rip;
	regs->rflags = (regs->rflags & ~(uint64_t)FIX_EFLAGS) | (sc->eflags & FIX_EFLAGS);
	/* Always ring 3, whatever the frame says (x86_return_to_user checks RIP). */
	regs->cs = USER_CS64;
	regs->ss = USER_DS;
	regs->vector = X86_VECTOR_NONE;
	*blocked = f.uc.uc_sigmask;
	if (sc->fpstate) {
		uint8_t image[FXSAVE_SIZE];

		if (copy_from_user(image, (const void __user *)sc->fpstate, FXSAVE_SIZE))
			return -EFAULT;
		/* FXRSTOR faults on reserved MXCSR bits: keep only the supported ones. */
		memcpy(&mxcsr, image + MXCSR_OFFSET, 4);
		memcpy(&mask, image + MXCSR_MASK_OFFSET, 4);
		mxcsr &= mask ? mask : 0xffbf;
		memcpy(image + MXCSR_OFFSET, &mxcsr, 4);
		flags = arch_irq_save();
		memcpy(area, image, FXSAVE_SIZE);
		x86_fp_restore(&me->arch);
		arch_irq_restore(flags);
	}
	return 0;
}
