/*
 * The word thread stacks are filled with before first use (boot code in
 * assembly too, hence a header of its own): where the paint ends is a
 * stack's high-water mark, and its lowest word is the canary checked at
 * each switch (CONFIG_THREAD_STACK_CHECK, <kernel/thread.h>).
 */
#ifndef KERNEL_STACK_PAINT_H
#define KERNEL_STACK_PAINT_H

#define THREAD_STACK_PAINT	0x5ca1ab1e

#endif
