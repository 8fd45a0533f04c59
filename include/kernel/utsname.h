/*
 * The system's names as uname(2) reports them (kernel/sys_info.c): the
 * fixed ones from <kernel/version.h>, the host and domain names that
 * sethostname(2) and setdomainname(2) change; and sysinfo(2)'s figures.
 */
#ifndef KERNEL_UTSNAME_H
#define KERNEL_UTSNAME_H

#include <kernel/types.h>
#include <kernel/uapi_info.h>

/* A consistent copy of all six fields, each NUL-terminated. */
void utsname_read(struct linux_new_utsname *u);
/* The host (or domain) name becomes len bytes of name: 0, or -EINVAL past 64. */
int utsname_set(bool domain, const char *name, size_t len);

/* What sysinfo(2) reports (struct sysinfo of the port). */
void sysinfo_read(struct linux_sysinfo *si);

#endif
