/* Compiler attributes and small helpers every kernel file may use. */
#ifndef KERNEL_COMPILER_H
#define KERNEL_COMPILER_H

#define __noreturn	__attribute__((noreturn))
#define __packed	__attribute__((packed))
#define __aligned(n)	__attribute__((aligned(n)))
#define __section(s)	__attribute__((section(s)))
#define __used		__attribute__((used))
#define __unused	__attribute__((unused))
/* A pointer into user space: reached only through <kernel/uaccess.h>. */
#define __user
#define __weak		__attribute__((weak))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#ifndef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#endif
#define __noinline	__attribute__((noinline))
#define fallthrough	__attribute__((__fallthrough__))

/* Per-CPU structures other CPUs write too: one cache line each, on SMP. */
#ifdef CONFIG_SMP
#define __cacheline_aligned_smp	__aligned(64)
#else
#define __cacheline_aligned_smp
#endif

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define barrier()	__asm__ __volatile__("" ::: "memory")

#define STRINGIFY_(x)	#x
#define STRINGIFY(x)	STRINGIFY_(x)

/* Kconfig booleans in C expressions: IS_ENABLED(CONFIG_FOO). */
#define IS_ENABLED(option) IS_ENABLED_(option)
#define IS_ENABLED_(value) IS_ENABLED__(ENABLED_PROBE_##value)
#define ENABLED_PROBE_1 0,
#define IS_ENABLED__(arg) IS_ENABLED___(arg 1, 0)
#define IS_ENABLED___(ignored, val, ...) val

#endif
