/* Fixed-width and kernel-wide basic types. */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uintptr_t paddr_t;	/* physical address */
typedef uintptr_t vaddr_t;	/* virtual address */
typedef long ssize_t;

#endif
