/* CRC-32 of IEEE 802.3 (zlib's crc32(), Python's binascii.crc32). */
#ifndef KERNEL_CRC32_H
#define KERNEL_CRC32_H

#include <kernel/types.h>

/*
 * Returns the CRC of buf continued from crc: start with 0, and feed the
 * result back in to checksum data that comes in pieces.
 */
uint32_t crc32(uint32_t crc, const void *buf, size_t len);

#endif
