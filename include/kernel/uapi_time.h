/*
 * The Linux time layouts system calls copy in and out
 * (include/uapi/linux/time_types.h, time.h): struct __kernel_timespec,
 * 64-bit seconds and nanoseconds on every port (i386's *_time64 calls);
 * the "old" forms in the port's long (struct __kernel_old_timeval,
 * __kernel_old_timespec, __kernel_old_time_t); i386's 32-bit
 * struct old_timespec32; struct timezone.  linux_ prefix as in
 * <kernel/uapi_stat.h>, sizes pinned below.
 */
#ifndef KERNEL_UAPI_TIME_H
#define KERNEL_UAPI_TIME_H

#include <kernel/uapi_stat.h>

/* struct __kernel_timespec */
struct linux_timespec64 {
	int64_t tv_sec;
	long long tv_nsec;
};
LINUX_ABI_FIELD(linux_timespec64, tv_nsec, 8, 8);
LINUX_ABI_SIZE(linux_timespec64, 16);

/* struct __kernel_old_timeval: longs, 16 bytes on 64-bit ports, 8 on i386. */
struct linux_old_timeval {
	long tv_sec;
	long tv_usec;
};

/*
 * struct __kernel_old_timespec: longs (nanosleep(2)); on the 64-bit ports
 * the same as struct __kernel_timespec, on i386 as struct old_timespec32.
 */
struct linux_old_timespec {
	long tv_sec;
	long tv_nsec;
};

/* struct old_timespec32 (i386's clock_gettime, clock_nanosleep, ...) */
struct linux_old_timespec32 {
	int32_t tv_sec;
	int32_t tv_nsec;
};
LINUX_ABI_SIZE(linux_old_timespec32, 8);

/* __kernel_old_time_t (time(2)); i386's old_time32_t is int32_t. */
typedef long linux_old_time_t;

/* struct timezone */
struct linux_timezone {
	int tz_minuteswest;		/* minutes west of Greenwich */
	int tz_dsttime;			/* type of DST correction (unused) */
};
LINUX_ABI_SIZE(linux_timezone, 8);

#endif
