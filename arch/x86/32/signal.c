/*
 * i386 signal frames, as Linux lays them out (arch/x86 sigframe_ia32 and
 * rt_sigframe_ia32): the classic frame for handlers without SA_SIGINFO
 * (left with sigreturn), the rt frame with siginfo and ucontext (left with
 * rt_sigreturn), each followed by the FP state: an FNSAVE-style header
 * and, with FXSR, the FXSAVE image at offset 112.  The handler starts
 * with ESP = 12 mod 16, as after a call.
 */
#include <string.h>
#include <arch/user.h>
#include <asm/segment.h>
#include <kernel/errno.h>
#include <kernel/mman.h>
#include <kernel/process.h>
#include <kernel/slab.h>
#include <kernel/thread.h>
#include <kernel/uaccess.h>
#ifdef CONFIG_VDSO
#include <kernel/vdso.h>
#endif
#include "../fpu.h"

struct k_sigcontext32 {
	uint16_t gs, gsh, fs, fsh, es, esh, ds, dsh;
	uint32_t di, si, bp, sp, bx, dx, cx, ax, trapno, err, ip;
	uint16_t cs, csh;
	uint32_t flags, sp_at_signal;
	uint16_t ss, ssh;
	uint32_t fpstate, oldmask, cr2;
};

struct k_ucontext32 {
	uint32_t uc_flags, uc_link;
	uint32_t ss_sp;
	int32_t ss_flags;
	uint32_t ss_size;
	struct k_sigcontext32 uc_mcontext;
	uint32_t uc_sigmask[2];
};

#define FPSTATE32_SIZE		624	/* struct _fpstate_32 */
#define FXSR_OFFSET		112	/* the FXSAVE image inside it */
#define FPSTATE_MAGIC_OFFSET	110	/* u16: 0 = FXSR data follows, 0xffff = FNSAVE only */

struct k_sigframe32 {
	uint32_t pretcode;
	int32_t sig;
	struct k_sigcontext32 sc;
	uint8_t fpstate_unused[FPSTATE32_SIZE];
	uint32_t extramask[1];
	uint8_t retcode[8];
};

struct k_rt_sigframe32 {
	uint32_t pretcode;
	int32_t sig;
	uint32_t pinfo, puc;
	uint8_t info[128];
	struct k_ucontext32 uc;
	uint8_t retcode[8];
};

_Static_assert(sizeof(struct k_sigcontext32) == 88, "i386 sigcontext");
_Static_assert(sizeof(struct k_sigframe32) == 732, "i386 sigframe");

#define NR_SIGRETURN	119
#define NR_RT_SIGRETURN	173
/* The flags sigreturn may change (Linux's FIX_EFLAGS): AC OF DF TF SF ZF AF PF CF RF. */
#define FIX_EFLAGS	0x50dd5u

void
arch_sigpage_fill(void *page)
{
	uint8_t *code = page;

	/* rt: mov $173, %eax; int $0x80.  Then the classic one: popl %eax; mov $119, %eax; int $0x80 */
	static const uint8_t tramp[] = { 0xb8, NR_RT_SIGRETURN, 0, 0, 0, 0xcd, 0x80, 0x90,
					 0x58, 0xb8, NR_SIGRETURN, 0, 0, 0, 0xcd, 0x80 };

	memcpy(code, tramp, sizeof(tramp));
}

/*
 * Where a handler without SA_RESTORER returns: the vDSO's
 * __kernel_rt_sigreturn or __kernel_sigreturn, as in Linux; without a
 * vDSO, the signal page's (rt at 0, the other at 8).
 */
static uint32_t
trampoline(const struct mm *mm, bool rt)
{
#ifdef CONFIG_VDSO
	return (uint32_t)vdso_entry(mm, rt ? VDSO_SYM__kernel_rt_sigreturn : VDSO_SYM__kernel_sigreturn);
#else
	return (uint32_t)mm->sigpage + (rt ? 0 : 8);
#endif
}

size_t
arch_signal_frame_size(void)
{
	return sizeof(struct k_sigframe32) + FPSTATE32_SIZE + 64;
}

/* The FP state below the frame: 0 or -EFAULT. */
static int
save_fp(uintptr_t fp_at)
{
	struct thread *me = thread_current();
	uint8_t image[FPSTATE32_SIZE];
	unsigned long flags;
	uint16_t magic;

	memset(image, 0, sizeof(image));
	flags = arch_irq_save();
	x86_fp_save(&me->arch);
	if (x86_fxsr) {
		/* The FNSAVE-style header keeps the control and status words. */
		memcpy(image, x86_fp_area(&me->arch), 4);
		memcpy(image + FXSR_OFFSET, x86_fp_area(&me->arch), 512);
		magic = 0;
	} else {
		memcpy(image, x86_fp_area(&me->arch), 108);
		x86_fp_restore(&me->arch);	/* FNSAVE reinitialised the unit */
		magic = 0xffff;
	}
	arch_irq_restore(flags);
	memcpy(image + FPSTATE_MAGIC_OFFSET, &magic, sizeof(magic));
	return copy_to_user((void __user *)fp_at, image, sizeof(image));
}

static int
restore_fp(uintptr_t fp_at)
{
	struct thread *me = thread_current();
	uint8_t image[FPSTATE32_SIZE];
	unsigned long flags;
	uint32_t mxcsr, mask;

	if (!fp_at)
		return 0;
	if (copy_from_user(image, (const void __user *)fp_at, sizeof(image)))
		return -EFAULT;
	flags = arch_irq_save();
	if (x86_fxsr) {
		memcpy(&mxcsr, image + FXSR_OFFSET + 24, 4);
		memcpy(&mask, image + FXSR_OFFSET + 28, 4);
		mxcsr &= mask ? mask : 0xffbf;	/* FXRSTOR faults on reserved bits */
		memcpy(image + FXSR_OFFSET + 24, &mxcsr, 4);
		memcpy(x86_fp_area(&me->arch), image + FXSR_OFFSET, 512);
	} else {
		memcpy(x86_fp_area(&me->arch), image, 108);
	}
	x86_fp_restore(&me->arch);
	arch_irq_restore(flags);
	return 0;
}

static void
fill_sigcontext(struct k_sigcontext32 *sc, const struct arch_regs *regs, uint32_t fp_at,
		uint32_t oldmask, uint32_t cr2)
{
	*sc = (struct k_sigcontext32){
		.gs = (uint16_t)regs->gs, .fs = (uint16_t)regs->fs,
		.es = (uint16_t)regs->es, .ds = (uint16_t)regs->ds,
		.di = regs->edi, .si = regs->esi, .bp = regs->ebp, .sp = regs->esp,
		.bx = regs->ebx, .dx = regs->edx, .cx = regs->ecx, .ax = regs->eax,
		.trapno = regs->vector >= X86_NR_VECTORS ? 0 : regs->vector, .err = regs->error,
		.ip = regs->eip, .cs = (uint16_t)regs->cs, .flags = regs->eflags,
		.sp_at_signal = regs->esp, .ss = (uint16_t)regs->ss, .fpstate = fp_at,
		.oldmask = oldmask, .cr2 = cr2,
	};
}

/* A user data selector the return may load: null, flat data, or the TLS slot. */
static uint32_t
user_selector(uint16_t sel)
{
	return sel == USER_DS || sel == TLS_SEL ? sel : 0;
}

static void
load_sigcontext(struct arch_regs *regs, const struct k_sigcontext32 *sc)
{
	regs->edi = sc->di; regs->esi = sc->si; regs->ebp = sc->bp; regs->esp = sc->sp;
	regs->ebx = sc->bx; regs->edx = sc->dx; regs->ecx = sc->cx; regs->eax = sc->ax;
	regs->eip = sc->ip;
	regs->eflags = (regs->eflags & ~FIX_EFLAGS) | (sc->flags & FIX_EFLAGS);
	regs->cs = USER_CS32;
	regs->ss = regs->ds = regs->es = USER_DS;
	regs->fs = user_selector(sc->fs);
	regs->gs = user_selector(sc->gs);
	regs->vector = X86_VECTOR_NONE;
}

int
arch_signal_setup(struct arch_regs *regs, int sig, const struct k_sigaction *ka,
		  const struct ksiginfo *info, uint64_t blocked, uintptr_t sp)
{
	struct thread *me = thread_current();
	bool rt = ka->flags & SA_SIGINFO;
	size_t size = rt ? sizeof(struct k_rt_sigframe32) : sizeof(struct k_sigframe32);
	uintptr_t fp_at = (sp - FPSTATE32_SIZE) & ~63UL;
	uintptr_t frame_at = (((fp_at - size) + 4) & ~15UL) - 4;
	static const uint8_t sigret[8] = { 0x58, 0xb8, NR_SIGRETURN, 0, 0, 0, 0xcd, 0x80 };
	static const uint8_t rtsigret[8] = { 0xb8, NR_RT_SIGRETURN, 0, 0, 0, 0xcd, 0x80, 0 };

	if (save_fp(fp_at))
		return -EFAULT;
	if (rt) {
		struct k_rt_sigframe32 f;

		memset(&f, 0, sizeof(f));
		f.sig = sig;
		f.pinfo = (uint32_t)(frame_at + __builtin_offsetof(struct k_rt_sigframe32, info));
		f.puc = (uint32_t)(frame_at + __builtin_offsetof(struct k_rt_sigframe32, uc));
		siginfo_fill(f.info, info);
		f.uc.ss_sp = (uint32_t)me->altstack_sp;
		f.uc.ss_size = (uint32_t)me->altstack_size;
		f.uc.ss_flags = me->altstack_size ? 0 : 2;
		fill_sigcontext(&f.uc.uc_mcontext, regs, (uint32_t)fp_at, (uint32_t)blocked,
				(uint32_t)info->addr);
		f.uc.uc_sigmask[0] = (uint32_t)blocked;
		f.uc.uc_sigmask[1] = (uint32_t)(blocked >> 32);
		memcpy(f.retcode, rtsigret, sizeof(rtsigret));
		f.pretcode = (ka->flags & SA_RESTORER) ? (uint32_t)ka->restorer
			   : trampoline(me->mm, true);
		if (copy_to_user((void __user *)frame_at, &f, sizeof(f)))
			return -EFAULT;
		regs->edx = f.pinfo;
		regs->ecx = f.puc;
	} else {
		struct k_sigframe32 *f = kzalloc(sizeof(*f));
		int err;

		if (!f)
			return -ENOMEM;
		f->sig = sig;
		fill_sigcontext(&f->sc, regs, (uint32_t)fp_at, (uint32_t)blocked,
				(uint32_t)info->addr);
		f->extramask[0] = (uint32_t)(blocked >> 32);
		memcpy(f->retcode, sigret, sizeof(sigret));
		f->pretcode = (ka->flags & SA_RESTORER) ? (uint32_t)ka->restorer
			    : trampoline(me->mm, false);
		err = copy_to_user((void __user *)frame_at, f, sizeof(*f));
		kfree(f);
		if (err)
			return -EFAULT;
		regs->edx = 0;
		regs->ecx = 0;
	}
	regs->eax = (uint32_t)sig;
	regs->esp = (uint32_t)frame_at;
	regs->eip = (uint32_t)ka->handler;
	regs->cs = USER_CS32;
	regs->ss = regs->ds = regs->es = USER_DS;
	regs->eflags &= ~((1u << 8) | (1u << 10));	/* TF, DF */
	return 0;
}

int
arch_signal_return(struct arch_regs *regs, uint64_t *blocked, bool rt)
{
	if (rt) {
		struct k_rt_sigframe32 f;

		if (copy_from_user(&f, (const void __user *)(uintptr_t)(regs->esp - 4), sizeof(f)))
			return -EFAULT;
		*blocked = (uint64_t)f.uc.uc_sigmask[1] << 32 | f.uc.uc_sigmask[0];
		load_sigcontext(regs, &f.uc.uc_mcontext);
		return restore_fp(f.uc.uc_mcontext.fpstate);
	} else {
		struct k_sigframe32 *f = kmalloc(sizeof(*f));
		uint32_t fp_at;

		if (!f)
			return -ENOMEM;
		if (copy_from_user(f, (const void __user *)(uintptr_t)(regs->esp - 8), sizeof(*f))) {
			kfree(f);
			return -EFAULT;
		}
		*blocked = (uint64_t)f->extramask[0] << 32 | f->sc.oldmask;
		load_sigcontext(regs, &f->sc);
		fp_at = f->sc.fpstate;
		kfree(f);
		return restore_fp(fp_at);
	}
}
