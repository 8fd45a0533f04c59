/*
 * ARMv6-M exception frame.  On exception entry the hardware pushes
 * r0-r3, r12, lr, pc and xPSR (struct armv6m_hw_frame) on the stack that
 * was in use (MSP or PSP, as EXC_RETURN says); arch/armv6m/vectors.S then
 * saves r4-r11 and EXC_RETURN on the main stack and points at the hardware
 * frame, so changing frame->pc changes where the exception returns to.
 */
#ifndef ASM_TRAP_H
#define ASM_TRAP_H

#include <stdint.h>

struct armv6m_hw_frame {
	uint32_t r0, r1, r2, r3, r12;
	uint32_t lr;		/* of the interrupted code */
	uint32_t pc;		/* where to resume: halfword-aligned, bit 0 clear */
	uint32_t xpsr;		/* bit 9: the hardware padded the frame to 8 bytes */
};

struct arch_regs {
	uint32_t r4, r5, r6, r7, r8, r9, r10, r11;
	uint32_t exc_return;		/* lr on entry: 0xfffffff1/9/d */
	struct armv6m_hw_frame *frame;
};

#define ARCH_REGS_SIZE	(10 * 4)

/* EXC_RETURN bits. */
#define EXC_RETURN_THREAD	(1u << 3)	/* returning to Thread mode */
#define EXC_RETURN_PSP		(1u << 2)	/* the frame is on the process stack */

#define XPSR_T			(1u << 24)	/* Thumb state: must be 1 on v6-M */
#define XPSR_ALIGNED		(1u << 9)	/* stacked frame was padded by 4 */
#define XPSR_EXCEPTION(x)	((x) & 0x3f)	/* IPSR: active exception number */

/* The stack pointer of the interrupted code (above the frame). */
static inline uint32_t
armv6m_frame_sp(const struct arch_regs *regs)
{
	return (uint32_t)(uintptr_t)regs->frame + 32 +
	       ((regs->frame->xpsr & XPSR_ALIGNED) ? 4 : 0);
}

#endif
