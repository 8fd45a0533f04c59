/*
 * The terminal ABI programs see: Linux's struct termios, termios2, termio
 * and winsize, the c_cc indices, the mode bits and the tty ioctl numbers
 * (uapi asm-generic/termbits.h, termbits-common.h and ioctls.h).  aarch64,
 * x86_64 and i386 all use the asm-generic definitions, so one set serves
 * the three ports: TCGETS's struct termios is 36 bytes without speeds
 * (glibc's larger struct termios is its own; it converts), termios2 adds
 * c_ispeed/c_ospeed (44 bytes).
 */
#ifndef KERNEL_TERMIOS_H
#define KERNEL_TERMIOS_H

#include <kernel/types.h>

typedef unsigned char cc_t;
typedef unsigned int speed_t;
typedef unsigned int tcflag_t;

#define NCCS		19
#define NCC		8		/* struct termio */

/* TCGETS/TCSETS: the kernel's struct termios, no speeds. */
struct termios {
	tcflag_t c_iflag, c_oflag, c_cflag, c_lflag;
	cc_t c_line;
	cc_t c_cc[NCCS];
};

/* TCGETS2/TCSETS2, and what the kernel keeps (Linux's struct ktermios has this layout). */
struct termios2 {
	tcflag_t c_iflag, c_oflag, c_cflag, c_lflag;
	cc_t c_line;
	cc_t c_cc[NCCS];
	speed_t c_ispeed, c_ospeed;
};

/* TCGETA/TCSETA: System V's 16-bit flags. */
struct termio {
	unsigned short c_iflag, c_oflag, c_cflag, c_lflag;
	unsigned char c_line;
	unsigned char c_cc[NCC];
};

struct winsize {
	unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel;
};

_Static_assert(sizeof(struct termios) == 36, "struct termios is 36 bytes");
_Static_assert(sizeof(struct termios2) == 44, "struct termios2 is 44 bytes");
_Static_assert(sizeof(struct termio) == 18, "struct termio is 18 bytes");
_Static_assert(sizeof(struct winsize) == 8, "struct winsize is 8 bytes");

/* c_cc indices */
#define VINTR		0
#define VQUIT		1
#define VERASE		2
#define VKILL		3
#define VEOF		4
#define VTIME		5
#define VMIN		6
#define VSWTC		7
#define VSTART		8
#define VSTOP		9
#define VSUSP		10
#define VEOL		11
#define VREPRINT	12
#define VDISCARD	13
#define VWERASE		14
#define VLNEXT		15
#define VEOL2		16

#define _POSIX_VDISABLE	0		/* a c_cc entry that never matches */

/* c_iflag */
#define IGNBRK		0x00001
#define BRKINT		0x00002
#define IGNPAR		0x00004
#define PARMRK		0x00008
#define INPCK		0x00010
#define ISTRIP		0x00020
#define INLCR		0x00040
#define IGNCR		0x00080
#define ICRNL		0x00100
#define IUCLC		0x00200
#define IXON		0x00400
#define IXANY		0x00800
#define IXOFF		0x01000
#define IMAXBEL		0x02000
#define IUTF8		0x04000

/* c_oflag */
#define OPOST		0x00001
#define OLCUC		0x00002
#define ONLCR		0x00004
#define OCRNL		0x00008
#define ONOCR		0x00010
#define ONLRET		0x00020
#define OFILL		0x00040
#define OFDEL		0x00080
#define NLDLY		0x00100
#define CRDLY		0x00600
#define TABDLY		0x01800
#define XTABS		0x01800		/* TAB3: expand tabs to spaces */
#define BSDLY		0x02000
#define VTDLY		0x04000
#define FFDLY		0x08000

/* c_cflag */
#define CBAUD		0x0000100f
#define B0		0x00000000
#define B9600		0x0000000d
#define B38400		0x0000000f
#define CSIZE		0x00000030
#define CS5		0x00000000
#define CS6		0x00000010
#define CS7		0x00000020
#define CS8		0x00000030
#define CSTOPB		0x00000040
#define CREAD		0x00000080
#define PARENB		0x00000100
#define PARODD		0x00000200
#define HUPCL		0x00000400
#define CLOCAL		0x00000800
#define CBAUDEX		0x00001000
#define BOTHER		0x00001000
#define B57600		0x00001001
#define B115200		0x00001002
#define CIBAUD		0x100f0000
#define IBSHIFT		16
#define CMSPAR		0x40000000
#define CRTSCTS		0x80000000

/* c_lflag */
#define ISIG		0x00001
#define ICANON		0x00002
#define XCASE		0x00004
#define ECHO		0x00008
#define ECHOE		0x00010
#define ECHOK		0x00020
#define ECHONL		0x00040
#define NOFLSH		0x00080
#define TOSTOP		0x00100
#define ECHOCTL		0x00200
#define ECHOPRT		0x00400
#define ECHOKE		0x00800
#define FLUSHO		0x01000
#define PENDIN		0x04000
#define IEXTEN		0x08000
#define EXTPROC		0x10000

/* TCXONC arguments */
#define TCOOFF		0
#define TCOON		1
#define TCIOFF		2
#define TCION		3

/* TCFLSH arguments */
#define TCIFLUSH	0
#define TCOFLUSH	1
#define TCIOFLUSH	2

#define N_TTY		0		/* the one line discipline (TIOCGETD) */

/* ioctl numbers (asm-generic/ioctls.h; x86 uses them too) */
#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TCSETSF		0x5404
#define TCGETA		0x5405
#define TCSETA		0x5406
#define TCSETAW		0x5407
#define TCSETAF		0x5408
#define TCSBRK		0x5409
#define TCXONC		0x540A
#define TCFLSH		0x540B
#define TIOCEXCL	0x540C
#define TIOCNXCL	0x540D
#define TIOCSCTTY	0x540E
#define TIOCGPGRP	0x540F
#define TIOCSPGRP	0x5410
#define TIOCOUTQ	0x5411
#define TIOCSTI		0x5412
#define TIOCGWINSZ	0x5413
#define TIOCSWINSZ	0x5414
#define FIONREAD	0x541B
#define TIOCINQ		FIONREAD
#define FIONBIO		0x5421
#define TIOCNOTTY	0x5422
#define TIOCSETD	0x5423
#define TIOCGETD	0x5424
#define TCSBRKP		0x5425
#define TIOCSBRK	0x5427
#define TIOCCBRK	0x5428
#define TIOCGSID	0x5429
/* _IOR('T', 0x2A, struct termios2) and friends: direction 2 read, 1 write, size 44 */
#define TCGETS2		0x802C542A
#define TCSETS2		0x402C542B
#define TCSETSW2	0x402C542C
#define TCSETSF2	0x402C542D
#define TIOCGDEV	0x80045432	/* _IOR('T', 0x32, unsigned int) */
#define TIOCVHANGUP	0x5437
#define TIOCGEXCL	0x80045440	/* _IOR('T', 0x40, int) */

#endif
