/* Minimal libc header shim (no C library installed; -nostdlib build). */
#ifndef KITE_BENCH_SHIM_STDLIB_H
#define KITE_BENCH_SHIM_STDLIB_H
#include <stddef.h>
#endif
