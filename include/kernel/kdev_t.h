/*
 * Device numbers as user space sees them (Linux's include/linux/kdev_t.h).
 * The kernel's dev_t is MKDEV(major, minor) with a 12-bit major and a
 * 20-bit minor (<kernel/stat.h>); user space gets:
 *
 *   new_encode_dev()   32 bits: minor bits 0-7 at 0-7, major at 8-19,
 *                      minor bits 8-19 at 20-31 (what glibc's makedev()
 *                      gives for such numbers): st_dev and st_rdev;
 *                      new_decode_dev() turns mknod's argument back.
 *   huge_encode_dev()  the same in 64 bits (i386's stat64).
 *   old_encode_dev()   16 bits, major << 8 | minor, for i386's
 *                      __old_kernel_stat; old_valid_dev() says whether a
 *                      number fits (Linux's cp_old_stat() does not ask:
 *                      it truncates).
 */
#ifndef KERNEL_KDEV_T_H
#define KERNEL_KDEV_T_H

#include <kernel/stat.h>

static inline bool
old_valid_dev(dev_t dev)
{
	return MAJOR(dev) < 256 && MINOR(dev) < 256;
}

static inline uint16_t
old_encode_dev(dev_t dev)
{
	return (uint16_t)((MAJOR(dev) << 8) | MINOR(dev));
}

static inline dev_t
old_decode_dev(uint16_t val)
{
	return MKDEV((val >> 8) & 255, val & 255);
}

static inline uint32_t
new_encode_dev(dev_t dev)
{
	unsigned int major = MAJOR(dev);
	unsigned int minor = MINOR(dev);

	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

static inline dev_t
new_decode_dev(uint32_t dev)
{
	unsigned int major = (dev & 0xfff00) >> 8;
	unsigned int minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);

	return MKDEV(major, minor);
}

static inline uint64_t
huge_encode_dev(dev_t dev)
{
	return new_encode_dev(dev);
}

static inline dev_t
huge_decode_dev(uint64_t dev)
{
	return new_decode_dev((uint32_t)dev);
}

#endif
