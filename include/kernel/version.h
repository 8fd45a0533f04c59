/*
 * What the kernel calls itself where Linux programs look: uname(2)'s
 * fields and /proc/version.  glibc refuses to run on a release below its
 * minimum (3.2 for Debian's), so the release is a Linux-like one; the
 * version string carries Kite's own version (KITE_VERSION, from Meson's
 * project version).
 */
#ifndef KERNEL_VERSION_H
#define KERNEL_VERSION_H

#ifndef KITE_VERSION
#define KITE_VERSION	"0.0.0"
#endif

#define UTS_SYSNAME	"Linux"
#define UTS_NODENAME	"kite"		/* the default host name */
#define UTS_RELEASE	"6.1.0-kite"

#ifdef CONFIG_SMP
#define UTS_SMP		" SMP"
#else
#define UTS_SMP		""
#endif
/* "#1 SMP PREEMPT Kite 0.1.0": build number, the features Linux lists, ours. */
#define UTS_VERSION	"#1" UTS_SMP " PREEMPT Kite " KITE_VERSION

#if defined(__clang__)
#define KITE_COMPILER	__VERSION__		/* "Debian Clang 14.0.6" */
#elif defined(__GNUC__)
#define KITE_COMPILER	"gcc version " __VERSION__
#else
#define KITE_COMPILER	"unknown compiler"
#endif

/* /proc/version: "Linux version <release> (<by>@<host>) (<compiler>) <version>". */
#define LINUX_VERSION_BANNER						\
	UTS_SYSNAME " version " UTS_RELEASE " (kite@kite) (" KITE_COMPILER ") " UTS_VERSION "\n"

#endif
