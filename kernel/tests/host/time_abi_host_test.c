/*
 * The numbers and layouts of <kernel/clock.h>, <kernel/uapi_time.h> and
 * <kernel/reboot.h> against the host's Linux uapi headers (x86_64; the
 * 32-bit layouts are fixed-width or the port's long).  The clock ids are
 * checked by the preprocessor: a different value for the same name is a
 * redefinition error.
 */
#include <stddef.h>
#include <linux/reboot.h>
#include <linux/time.h>
#include <linux/time_types.h>
#include "host_test.h"

static const unsigned int linux_magic[] = {
	LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_MAGIC2A, LINUX_REBOOT_MAGIC2B,
	LINUX_REBOOT_MAGIC2C,
};
static const unsigned int linux_cmd[] = {
	LINUX_REBOOT_CMD_RESTART, LINUX_REBOOT_CMD_HALT, LINUX_REBOOT_CMD_CAD_ON,
	LINUX_REBOOT_CMD_CAD_OFF, LINUX_REBOOT_CMD_POWER_OFF, LINUX_REBOOT_CMD_RESTART2,
	LINUX_REBOOT_CMD_SW_SUSPEND, LINUX_REBOOT_CMD_KEXEC,
};
#undef LINUX_REBOOT_MAGIC1
#undef LINUX_REBOOT_MAGIC2
#undef LINUX_REBOOT_MAGIC2A
#undef LINUX_REBOOT_MAGIC2B
#undef LINUX_REBOOT_MAGIC2C
#undef LINUX_REBOOT_CMD_RESTART
#undef LINUX_REBOOT_CMD_HALT
#undef LINUX_REBOOT_CMD_CAD_ON
#undef LINUX_REBOOT_CMD_CAD_OFF
#undef LINUX_REBOOT_CMD_POWER_OFF
#undef LINUX_REBOOT_CMD_RESTART2
#undef LINUX_REBOOT_CMD_SW_SUSPEND
#undef LINUX_REBOOT_CMD_KEXEC

#include <kernel/clock.h>
#include <kernel/reboot.h>
#include <kernel/uapi_time.h>

_Static_assert(sizeof(struct linux_timespec64) == sizeof(struct __kernel_timespec), "timespec");
_Static_assert(offsetof(struct linux_timespec64, tv_nsec) ==
	       offsetof(struct __kernel_timespec, tv_nsec), "timespec tv_nsec");
_Static_assert(sizeof(struct linux_old_timeval) == sizeof(struct __kernel_old_timeval), "timeval");
_Static_assert(offsetof(struct linux_old_timeval, tv_usec) ==
	       offsetof(struct __kernel_old_timeval, tv_usec), "timeval tv_usec");
_Static_assert(sizeof(struct linux_old_timespec) == sizeof(struct __kernel_old_timespec),
	       "old timespec");
_Static_assert(offsetof(struct linux_old_timespec, tv_nsec) ==
	       offsetof(struct __kernel_old_timespec, tv_nsec), "old timespec tv_nsec");
_Static_assert(sizeof(struct linux_timezone) == sizeof(struct timezone), "timezone");
_Static_assert(offsetof(struct linux_timezone, tz_dsttime) ==
	       offsetof(struct timezone, tz_dsttime), "timezone tz_dsttime");

HOST_TEST(reboot_numbers)
{
	const unsigned int ours_magic[] = {
		LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_MAGIC2A,
		LINUX_REBOOT_MAGIC2B, LINUX_REBOOT_MAGIC2C,
	};
	const unsigned int ours_cmd[] = {
		LINUX_REBOOT_CMD_RESTART, LINUX_REBOOT_CMD_HALT, LINUX_REBOOT_CMD_CAD_ON,
		LINUX_REBOOT_CMD_CAD_OFF, LINUX_REBOOT_CMD_POWER_OFF, LINUX_REBOOT_CMD_RESTART2,
		LINUX_REBOOT_CMD_SW_SUSPEND, LINUX_REBOOT_CMD_KEXEC,
	};

	for (size_t i = 0; i < sizeof(ours_magic) / sizeof(ours_magic[0]); i++)
		CHECK(ours_magic[i] == linux_magic[i]);
	for (size_t i = 0; i < sizeof(ours_cmd) / sizeof(ours_cmd[0]); i++)
		CHECK(ours_cmd[i] == linux_cmd[i]);
}

/* Linux's CPU-clock encoding, as glibc builds it for clock_getcpuclockid(). */
HOST_TEST(cpu_clock_ids)
{
	CHECK(MAKE_PROCESS_CPUCLOCK(0, CPUCLOCK_SCHED) == -6);
	CHECK(MAKE_THREAD_CPUCLOCK(0, CPUCLOCK_SCHED) == -2);
	CHECK(MAKE_PROCESS_CPUCLOCK(1234, CPUCLOCK_SCHED) == -9878);	/* ~1234 << 3 | 2 */
	CHECK(CPUCLOCK_PID(MAKE_PROCESS_CPUCLOCK(1234, CPUCLOCK_PROF)) == 1234);
	CHECK(CPUCLOCK_PID(MAKE_THREAD_CPUCLOCK(77, CPUCLOCK_VIRT)) == 77);
	CHECK((MAKE_PROCESS_CPUCLOCK(5, CLOCKFD) & CLOCKFD_MASK) == CLOCKFD);
}
