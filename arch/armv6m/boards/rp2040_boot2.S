/*
 * RP2040 second-stage boot loader ("boot2"): the first 256 bytes of flash.
 *
 * The boot ROM copies them to SRAM at 0x20041f00, checks the CRC32 in the
 * last four (scripts/rp2040_boot2.py puts it there) and jumps to the start
 * in Thumb state.  The ROM talks to the flash through the SSI in plain
 * serial mode; this code points the SSI's execute-in-place interface at
 * it, so flash appears at 0x10000000, then starts the kernel through its
 * vector table at 0x10000100: VTOR, the initial MSP, the reset vector.
 *
 * Reads use the standard 03h command, one data line, 24-bit address: every
 * SPI NOR flash has it, the Pico's W25Q080 included, so this needs no
 * flash-specific setup (no quad enable bit, no continuous-read mode).  The
 * cost is speed: 32 data bits take 64 SCK cycles, which the 16 KiB XIP
 * cache hides for a kernel of this size.
 *
 * Built on its own (rp2040_boot2.ld, nothing else linked in) because it
 * runs from wherever the ROM put it: only PC-relative loads and branches,
 * no stack, no .data.  The registers are from the RP2040 datasheet's SSI
 * (a Synopsys DW_apb_ssi) and Cortex-M0+ chapters.
 */
	.syntax	unified
	.cpu	cortex-m0plus
	.thumb

#define XIP_BASE		0x10000000
#define SSI_BASE		0x18000000
#define PPB_VTOR		0xe000ed08

/* SSI registers (offsets from SSI_BASE). */
#define SSI_CTRLR0		0x00
#define SSI_CTRLR1		0x04
#define SSI_SSIENR		0x08
#define SSI_BAUDR		0x14
#define SSI_SPI_CTRLR0		0xf4
/* Beyond the offsets a Thumb-1 store encodes (124): addressed on its own. */
#define SSI_SPI_CTRLR0_ADDR	(SSI_BASE + SSI_SPI_CTRLR0)

/*
 * CTRLR0: standard (1-bit) SPI frame format (SPI_FRF, bits 22:21 = 0),
 * 32-bit data frames (DFS_32, bits 20:16 = frame size - 1), and the
 * "EEPROM read" transfer mode (TMOD, bits 9:8 = 3): send the command and
 * address, then only receive.
 */
#define CTRLR0_XIP		((31 << 16) | (3 << 8))

/*
 * SPI_CTRLR0: the command XIP sends for each cache-line fill (XIP_CMD,
 * bits 31:24), an 8-bit command (INST_L, bits 9:8 = 2), a 24-bit address
 * (ADDR_L, bits 5:2, in 4-bit units: 6), command and address both on one
 * line (TRANS_TYPE, bits 1:0 = 0).
 */
#define FLASH_CMD_READ		0x03
#define SPI_CTRLR0_XIP		((FLASH_CMD_READ << 24) | (2 << 8) | (6 << 2) | 0)

/*
 * SCK = clk_sys / 4.  At boot clk_sys is the ring oscillator (a few MHz)
 * and the kernel runs it from the 12 MHz crystal (3 MHz SCK); the divisor
 * also stays under the 03h command's 50 MHz limit up to clk_sys = 200 MHz.
 */
#define SSI_CLK_DIV		4

	.section .text, "ax"
	.globl	rp2040_boot2
	.type	rp2040_boot2, %function
	.thumb_func
rp2040_boot2:
	ldr	r3, =SSI_BASE
	/* The SSI takes configuration only while disabled. */
	movs	r0, #0
	str	r0, [r3, #SSI_SSIENR]
	movs	r0, #SSI_CLK_DIV
	str	r0, [r3, #SSI_BAUDR]
	ldr	r0, =CTRLR0_XIP
	str	r0, [r3, #SSI_CTRLR0]
	/* One data frame (NDF + 1) per read: XIP fetches a word at a time. */
	movs	r0, #0
	str	r0, [r3, #SSI_CTRLR1]
	ldr	r1, =SSI_SPI_CTRLR0_ADDR
	ldr	r0, =SPI_CTRLR0_XIP
	str	r0, [r1]
	movs	r0, #1
	str	r0, [r3, #SSI_SSIENR]

	/* Flash is mapped: enter the kernel as the core itself would from a reset. */
	ldr	r0, =XIP_BASE + 0x100
	ldr	r1, =PPB_VTOR
	str	r0, [r1]
	ldr	r1, [r0, #4]			/* reset vector (Thumb bit set) */
	ldr	r0, [r0]			/* initial MSP */
	msr	msp, r0
	bx	r1
	.size	rp2040_boot2, . - rp2040_boot2

	.ltorg
