#!/usr/bin/python3
# An interactive busybox session on the serial console of a Kite test
# kernel in QEMU, driven with pexpect: the kernel boots the user
# initramfs without rdinit=, so /init hands over to busybox init, which
# respawns a login shell (ash, with job control) on the console's
# terminal.  Each step types commands as a user would and checks what
# they print (files written and read back, $? values, job states, ps,
# mount, free, top), then the shell exits (init must start a new one) and
# poweroff must end QEMU by itself.  Results are flat TAP for Meson, one
# point per step; a failed step shows the end of the console and the
# session goes on if the shell still answers.  The raw console goes to
# --log.
#
#   session.py --log out.log --tty ttyAMA0 --machine aarch64 -- qemu-system-... args
#
# QEMU runs on pipes, not a pseudo-terminal: a control character typed
# here (^C, ^Z) is a byte on the guest's serial line, never a signal to
# QEMU (x86's "-serial stdio" would otherwise leave ISIG on).
#
# Synchronisation is on output only.  A foreground job that ^C or ^Z
# must reach prints "ready" first: ash puts the child in the terminal's
# foreground process group before running anything in it, so from then
# on the signal reaches the job (the subshell, or the sleep it became)
# and never the shell.  The verdicts check what the shell reports ($? of
# 130 after ^C, "Stopped", "Running"), not how long anything took.

import argparse
import os
import re
import signal
import sys
import time
import traceback

try:
    import pexpect
    from pexpect.popen_spawn import PopenSpawn
except ImportError:
    print('TAP version 13')
    print('Bail out! no pexpect for %s (Debian package python3-pexpect, '
          'scripts/setup-host.sh installs it)' % sys.executable)
    sys.exit(1)

PROMPT = r'root@kite:([^\r\n#]*)# '
# Kernel log lines may land anywhere on the console (they go straight to
# the UART): dropped from the output a step checks, kept in the log.
KLOG = re.compile(r'\[ *\d+\.\d{6}\] [^\n]*\n')
# Terminal control sequences: ash asks for the cursor position (ESC [6n)
# after each prompt; top homes the cursor and clears the screen.
ESC = re.compile(r'\x1b(?:\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[0-9=>@-Z\\-_])')


def clean(text):
    text = ESC.sub('', text).replace('\r', '')
    return KLOG.sub('', text)


class StepFailed(Exception):
    pass


class Gone(Exception):
    """QEMU exited, or the overall time is up: no later step can run."""


class Console:
    """The raw console, to the log file and to a buffer for reports."""

    def __init__(self, path):
        self.file = open(path, 'w') if path else None
        self.text = ''

    def write(self, data):
        if self.file:
            self.file.write(data)
            self.file.flush()
        self.text += data
        if len(self.text) > 200000:
            self.text = self.text[-100000:]

    def flush(self):
        pass

    def tail(self, lines=25):
        """The last lines, kernel messages included (a panic, say)."""
        text = ESC.sub('', self.text).replace('\r', '')
        return text.rstrip('\n').split('\n')[-lines:]


class Session:
    def __init__(self, cmd, console, timeout, deadline):
        self.console = console
        self.timeout = timeout
        self.deadline = deadline
        self.cwd = None
        self.proc = PopenSpawn(cmd, encoding='utf-8', codec_errors='replace',
                               timeout=timeout)
        self.proc.logfile_read = console
        self.status = None

    def expect(self, pattern, timeout=None, what=None):
        """Waits for a regex (a string or a list); returns the match."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise Gone('overall timeout')
        patterns = pattern if isinstance(pattern, list) else [pattern]
        t = min(timeout or self.timeout, left)
        i = self.proc.expect(patterns + [pexpect.EOF, pexpect.TIMEOUT], timeout=t)
        if i == len(patterns):
            raise Gone('QEMU exited (waiting for %s)' % (what or patterns))
        if i == len(patterns) + 1:
            if time.monotonic() >= self.deadline:
                raise Gone('overall timeout (waiting for %s)' % (what or patterns))
            raise StepFailed('no %s within %gs' % (what or '/%s/' % '|'.join(patterns), t))
        return self.proc.match

    def expect_eof(self):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise Gone('overall timeout')
        t = min(self.timeout, left)
        if self.proc.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=t) == 1:
            raise StepFailed('QEMU still runs after %gs' % t)

    def send(self, text):
        self.proc.send(text)

    def prompt(self, timeout=None):
        """Waits for the prompt; returns what came before it, cleaned."""
        m = self.expect(PROMPT, timeout, 'prompt')
        self.cwd = m.group(1)
        return clean(self.proc.before)

    def run(self, cmd, timeout=None):
        """Types a command line; returns its output (without the echo)."""
        self.proc.sendline(cmd)
        return strip_echo(self.prompt(timeout), cmd)

    def run_rc(self, cmd):
        """Runs cmd, then echo $?: returns (output lines, status)."""
        out = self.run(cmd)
        rc = self.run('echo $?').strip()
        if not rc.isdigit():
            raise StepFailed('echo $? printed %r' % rc)
        return out, int(rc)

    def kill(self):
        if self.proc.proc.poll() is None:
            os.kill(self.proc.proc.pid, signal.SIGKILL)
        self.status = self.proc.proc.wait()


def strip_echo(text, cmd):
    """Drops the terminal's echo of cmd (line editing may wrap it with
    line breaks) and the line end after it."""
    i = 0
    for ch in cmd:
        while i < len(text) and text[i] == '\n' and ch != '\n':
            i += 1
        if i >= len(text) or text[i] != ch:
            # Not the plain echo: drop the first line.
            return text.split('\n', 1)[1] if '\n' in text else ''
        i += 1
    while i < len(text) and text[i] == ' ':
        i += 1
    if text[i:i + 1] == '\n':
        i += 1
    return text[i:]


def lines(out):
    return [l.rstrip() for l in out.strip('\n').split('\n')] if out.strip() else []


def check(cond, msg):
    if not cond:
        raise StepFailed(msg)


def expect_output(out, want, what):
    got = lines(out)
    check(got == want, '%s: expected %r, got %r' % (what, want, got))


def expect_rc(s, cmd, want_rc, want_out=None):
    out, rc = s.run_rc(cmd)
    check(rc == want_rc, '%s: $? is %d, expected %d (output %r)' % (cmd, rc, want_rc, lines(out)))
    if want_out is not None:
        expect_output(out, want_out, cmd)
    return out


def grep(pattern, out):
    return [l for l in (out if isinstance(out, list) else lines(out)) if re.search(pattern, l)]


# The steps, in order.  Each raises StepFailed (or Gone) on a mismatch.
STEPS = []


def step(name):
    def add(fn):
        STEPS.append((name, fn))
        return fn
    return add


class State:
    pass


st = State()


@step('boot: banner, then init starts a login shell on the console terminal')
def s_boot(s, a):
    m = s.expect(r'Kite (\S+) on (\S+): BusyBox v\S+, shell on /dev/(\S+)\r?\n',
                 what='the /init banner')
    st.release, st.machine, tty = m.group(1), m.group(2), m.group(3)
    check(tty == a.tty, 'the banner names /dev/%s, expected /dev/%s' % (tty, a.tty))
    s.expect(r'built-in shell \(ash\)', what="ash's banner")
    s.prompt()
    check(s.cwd == '~', 'the login shell starts in %r, not ~ (/etc/profile: cd $HOME)' % s.cwd)
    pid = s.run('echo $$').strip()
    check(pid.isdigit(), 'echo $$ printed %r' % pid)
    st.shell_pid = int(pid)


@step('tty names the console terminal')
def s_tty(s, a):
    expect_rc(s, 'tty', 0, ['/dev/' + a.tty])


@step('uname -a')
def s_uname(s, a):
    out = lines(s.run('uname -a'))
    check(len(out) == 1, 'uname -a printed %r' % out)
    m = re.match(r'^Linux kite (\S+) (.+) (\S+) GNU/Linux$', out[0])
    check(m, 'uname -a: %r is not "Linux kite <release> <version> <machine> GNU/Linux"' % out[0])
    check(m.group(1) == st.release, 'uname -a: release %s, the banner said %s' % (m.group(1), st.release))
    check(m.group(3) == a.machine, 'uname -a: machine %s, expected %s' % (m.group(3), a.machine))


@step('mkdir, cd, pwd')
def s_mkdir_cd(s, a):
    expect_rc(s, 'mkdir /tmp/kite /tmp/kite/d1 /tmp/kite/d2', 0, [])
    expect_rc(s, 'cd /tmp/kite', 0, [])
    check(s.cwd == '/tmp/kite', 'the prompt shows %r after cd /tmp/kite' % s.cwd)
    expect_output(s.run('pwd'), ['/tmp/kite'], 'pwd')
    expect_rc(s, 'mkdir d1', 1, ["mkdir: can't create directory 'd1': File exists"])


@step('ls lists what mkdir made')
def s_ls(s, a):
    out = s.run('ls')
    check(sorted(out.split()) == ['d1', 'd2'], 'ls: %r' % lines(out))
    out = lines(s.run('ls -ld d1'))
    check(len(out) == 1 and re.match(r'^drwxr-xr-x +\d+ root +root +\d+ .* d1$', out[0]),
          'ls -ld d1: %r' % out)
    out = s.run('ls -a d1')
    check(sorted(out.split()) == ['.', '..'], 'ls -a d1: %r' % lines(out))


@step('echo > file, cat')
def s_echo_cat(s, a):
    expect_rc(s, 'echo hello kite > f1', 0, [])
    expect_rc(s, 'cat f1', 0, ['hello kite'])


@step('>> appends')
def s_append(s, a):
    expect_rc(s, 'echo second line >> f1', 0, [])
    expect_output(s.run('cat f1'), ['hello kite', 'second line'], 'cat f1')
    expect_rc(s, 'echo first > f4', 0, [])
    expect_rc(s, 'echo again > f4', 0, [])
    expect_output(s.run('cat f4'), ['again'], '> truncates: cat f4')


@step('< redirects input')
def s_input(s, a):
    expect_output(s.run('wc -l < f1'), ['2'], 'wc -l < f1')
    expect_output(s.run('read x y < f1; echo "[$y]"'), ['[kite]'], 'read x y < f1')


@step('2> redirects errors')
def s_stderr(s, a):
    expect_rc(s, 'ls /nonexistent 2> err', 1, [])
    expect_output(s.run('cat err'), ['ls: /nonexistent: No such file or directory'], 'cat err')
    expect_rc(s, 'cat f1 /nonexistent > out 2>&1', 1, [])
    expect_output(s.run('cat out'), ['hello kite', 'second line',
                                     "cat: can't open '/nonexistent': No such file or directory"],
                  'cat out')


@step('cp')
def s_cp(s, a):
    expect_rc(s, 'cp f1 d1/f2', 0, [])
    expect_output(s.run('cat d1/f2'), ['hello kite', 'second line'], 'cat d1/f2')
    expect_rc(s, 'cmp f1 d1/f2', 0, [])
    expect_output(s.run('ls d1'), ['f2'], 'ls d1')


@step('mv')
def s_mv(s, a):
    expect_rc(s, 'mv d1/f2 d2/f3', 0, [])
    expect_output(s.run('ls d1'), [], 'ls d1')
    expect_output(s.run('ls d2'), ['f3'], 'ls d2')
    expect_output(s.run('cat d2/f3'), ['hello kite', 'second line'], 'cat d2/f3')
    expect_rc(s, 'mv d2 d3', 0, [])
    out = s.run('ls').split()
    check(sorted(out) == ['d1', 'd3', 'err', 'f1', 'f4', 'out'], 'ls after mv d2 d3: %r' % out)


@step('rm')
def s_rm(s, a):
    expect_rc(s, 'rm d3/f3 err out f4', 0, [])
    expect_output(s.run('ls d3'), [], 'ls d3')
    expect_rc(s, 'rm d1', 1, ["rm: 'd1' is a directory"])
    expect_rc(s, 'rmdir d1 && rm -r d3', 0, [])
    expect_output(s.run('ls'), ['f1'], 'ls')
    expect_rc(s, 'cat d3/f3', 1, ["cat: can't open 'd3/f3': No such file or directory"])


@step('pipes')
def s_pipes(s, a):
    expect_output(s.run('seq 1 100 | grep 7 | wc -l'), ['19'], 'seq 1 100 | grep 7 | wc -l')
    expect_output(s.run('cat f1 | tr a-z A-Z | sort -r'), ['SECOND LINE', 'HELLO KITE'],
                  'cat f1 | tr a-z A-Z | sort -r')
    # 64 KiB through a pipe: more than one pipe buffer.
    expect_output(s.run('head -c 65536 /dev/zero | wc -c'), ['65536'], 'head -c 65536 /dev/zero | wc -c')


@step('exit statuses in $?')
def s_status(s, a):
    expect_rc(s, 'true', 0, [])
    expect_rc(s, 'false', 1, [])
    expect_rc(s, "sh -c 'exit 7'", 7, [])
    expect_rc(s, 'nonexistent-command', 127, ['-/bin/sh: nonexistent-command: not found'])


@step('^C interrupts a foreground sleep 10 ($? 130)')
def s_ctrl_c(s, a):
    s.proc.sendline('(echo ready; exec sleep 10)')
    s.expect(r'\nready\r*\n', what='"ready" from the job')
    s.send('\x03')
    s.prompt()
    expect_output(s.run('echo $?'), ['130'], 'echo $? after ^C')
    expect_output(s.run('jobs'), [], 'jobs')
    out = s.run('ps')
    check(not grep('sleep', out), 'a sleep is still in ps after ^C: %r' % lines(out))


@step('a background job brought back with fg')
def s_fg(s, a):
    # The job reads the terminal: in the background that stops it
    # (SIGTTIN); fg gives it the terminal and continues it.  The line is
    # typed after fg printed the job: before the job reads, it waits in
    # the terminal's queue either way.
    expect_output(s.run('(read x; echo got $x) &'), [], '&')
    out = lines(s.run('jobs'))
    check(len(out) == 1 and re.match(r'^\[1\]\+ +(Running|Stopped \(tty input\)) +'
                                     r'\(read x; echo got \$\{x\}\)$', out[0]), 'jobs: %r' % out)
    s.proc.sendline('fg')
    s.expect(r'\(read x; echo got \$\{?x\}?\)\r*\n', what="fg's job line")
    s.proc.sendline('kite')
    s.expect(r'\ngot kite\r*\n', what='"got kite" from the job')
    s.prompt()
    expect_output(s.run('echo $?'), ['0'], 'echo $? after fg')
    expect_output(s.run('jobs'), [], 'jobs')


@step('^Z stops a foreground job, bg continues it')
def s_ctrl_z(s, a):
    job = r'\(echo ready; exec sleep 30\)'
    s.proc.sendline('(echo ready; exec sleep 30)')
    s.expect(r'\nready\r*\n', what='"ready" from the job')
    s.send('\x1a')
    s.expect(r'\[1\]\+ +Stopped +' + job, what='the job reported "Stopped"')
    s.prompt()
    out = s.run('echo $?')
    check(lines(out) == ['148'], 'echo $? after ^Z: %r, expected 148 (128 + SIGTSTP)' % lines(out))
    out = lines(s.run('jobs'))
    check(len(out) == 1 and re.match(r'^\[1\]\+ +Stopped +' + job + '$', out[0]), 'jobs: %r' % out)
    out = lines(s.run('bg'))
    check(out == ['[1] (echo ready; exec sleep 30)'], 'bg: %r' % out)
    out = lines(s.run('jobs'))
    check(len(out) == 1 and re.match(r'^\[1\]\+ +Running +' + job + '$', out[0]), 'jobs: %r' % out)


@step('ps shows the shell and a background sleep')
def s_ps(s, a):
    expect_output(s.run('sleep 30 &'), [], 'sleep 30 &')
    out = s.run('echo $!').strip()
    check(out.isdigit(), 'echo $!: %r' % out)
    st.sleep_pid = int(out)
    # Both sleeps have exec'd once ps shows two (no timing assumption).
    s.run("until [ $(ps | grep -c '[s]leep 30') = 2 ]; do :; done")
    out = s.run('ps')
    check(re.match(r'^PID +USER +COMMAND$', lines(out)[0]), 'ps header: %r' % lines(out)[:1])
    check(grep(r'^ *%d +root +-/bin/sh$' % st.shell_pid, out),
          'ps shows no "-/bin/sh" with the shell\'s pid %d: %r' % (st.shell_pid, lines(out)))
    check(grep(r'^ *%d +root +sleep 30$' % st.sleep_pid, out),
          'ps shows no "sleep 30" with pid %d: %r' % (st.sleep_pid, lines(out)))
    check(grep(r'^ *1 +root +init$', out), 'ps shows no init as pid 1: %r' % lines(out))
    check(len(grep(r'sleep 30$', out)) == 2, 'ps does not show two "sleep 30": %r' % lines(out))


@step('kill stops the jobs')
def s_kill(s, a):
    # wait reports a job killed by SIGTERM as 128 + 15.  On the same
    # line as kill: the shell reaps and forgets a finished job when it
    # prints the next prompt.
    # The shell reports each job's end when it next shows a prompt.
    for kill, job, cmd in (('%1', 1, '(echo ready; exec sleep 30)'),
                           (str(st.sleep_pid), 2, 'sleep 30')):
        line = 'kill %s; wait %%%d; echo "[$?]"' % (kill, job)
        out = lines(s.run(line))
        check('[143]' in out and grep(r'^\[%d\][-+ ] +Terminated +%s$' % (job, re.escape(cmd)), out),
              '%s: %r, expected "[143]" and "[%d] Terminated %s"' % (line, out, job, cmd))
    expect_output(s.run('jobs'), [], 'jobs')
    out = s.run('ps')
    check(not grep('sleep', out), 'a sleep is still in ps: %r' % lines(out))
    out = lines(s.run('kill %d; echo "[$?]"' % st.sleep_pid))
    check(len(out) == 2 and re.match(r"^\S*sh: (kill: )?can't kill pid %d: No such process$"
                                     % st.sleep_pid, out[0]) and out[1] == '[1]',
          'kill of a reaped pid: %r' % out)


@step('mount shows rootfs, devtmpfs and proc')
def s_mount(s, a):
    out = s.run('mount')
    for want in (r'^rootfs on / type rootfs \(rw[,)]', r'^devtmpfs on /dev type devtmpfs \(rw[,)]',
                 r'^proc on /proc type proc \(rw[,)]'):
        check(grep(want, out), 'mount: no line /%s/ in %r' % (want, lines(out)))
    expect_output(s.run('wc -l < /proc/mounts'), [str(len(lines(out)))], 'wc -l < /proc/mounts')


@step('free')
def s_free(s, a):
    out = lines(s.run('free'))
    check(len(out) == 3 and out[0].split() == ['total', 'used', 'free', 'shared', 'buff/cache',
                                               'available'], 'free: %r' % out)
    mem = out[1].split()
    check(mem[0] == 'Mem:' and len(mem) == 7 and all(x.isdigit() for x in mem[1:]),
          'free: %r' % out[1])
    total, used, free = int(mem[1]), int(mem[2]), int(mem[3])
    check(a.mem_kib * 3 // 4 < total <= a.mem_kib, 'free: total %d KiB with -m %d KiB' % (total, a.mem_kib))
    check(0 < used < total and 0 < free < total and used + free <= total,
          'free: used %d, free %d, total %d' % (used, free, total))
    check(out[2].split()[0] == 'Swap:', 'free: %r' % out[2])


@step('top -n 1')
def s_top(s, a):
    for cmd in ('top -n 1', 'top -b -n 1'):
        out = s.run(cmd)
        for want in (r'^Mem: \d+K used, \d+K free, \d+K shrd, \d+K buff, \d+K cached$',
                     r'^CPU: +\d+% usr +\d+% sys .* idle',
                     r'^Load average: \d+\.\d\d \d+\.\d\d \d+\.\d\d \d+/\d+ \d+$',
                     r'^ +PID +PPID +USER +STAT +VSZ +%VSZ +%CPU +COMMAND$',
                     r'^ +1 +0 +root +S +.* init$',
                     r'^ *%d +1 +root +S +.* -/bin/sh$' % st.shell_pid,
                     r'^ *\d+ +%d +root +R +.* %s$' % (st.shell_pid, re.escape(cmd))):
            check(grep(want, out), '%s: no line /%s/ in %r' % (cmd, want, lines(out)))


@step('exit: init respawns a login shell')
def s_exit(s, a):
    s.proc.sendline('exit')
    s.expect(r'built-in shell \(ash\)', what="the new shell's banner")
    s.prompt()
    check(s.cwd == '~', 'the new shell starts in %r, not ~' % s.cwd)
    pid = s.run('echo $$').strip()
    check(pid.isdigit() and int(pid) != st.shell_pid,
          'echo $$ in the new shell: %r (the old one was %d)' % (pid, st.shell_pid))
    st.shell_pid = int(pid)
    expect_output(s.run('cat /tmp/kite/f1'), ['hello kite', 'second line'], 'cat /tmp/kite/f1')


@step('poweroff: QEMU exits by itself')
def s_poweroff(s, a):
    s.proc.sendline('poweroff')
    s.expect(r'reboot: Power down', what='"reboot: Power down"')
    s.expect_eof()
    s.status = s.proc.proc.wait()
    check(s.status == a.ok_status, 'QEMU exited with status %d, expected %d' % (s.status, a.ok_status))


def resync(s):
    """After a failed step: interrupts whatever runs and checks that the
    shell answers again.  Returns False if it does not."""
    try:
        s.send('\x03')
        try:
            s.prompt(timeout=min(s.timeout, 30))
        except StepFailed:
            pass
        s.proc.sendline('echo @@$((40 + 2))')
        s.expect(r'@@42\r*\n', what='the shell to answer')
        s.prompt()
        return True
    except (StepFailed, Gone):
        return False


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--timeout', type=float, default=90, help='seconds for each expect')
    p.add_argument('--total', type=float, default=600, help='seconds for the whole session')
    p.add_argument('--log')
    p.add_argument('--tty', required=True, help="the console's terminal (ttyAMA0, ttyS0)")
    p.add_argument('--machine', required=True, help='uname -m')
    p.add_argument('--mem', default='128M', help="the machine's -m (QEMU's default 128M)")
    p.add_argument('--ok-status', type=int, default=0, help="QEMU's status after poweroff")
    p.add_argument('qemu', nargs=argparse.REMAINDER)
    a = p.parse_args()
    m = re.match(r'^(?:size=)?(\d+)([MmGg]?)$', a.mem.split(',')[0])
    if not m:
        p.error('--mem %s: not a size in MiB or GiB' % a.mem)
    a.mem_kib = int(m.group(1)) * (1024 * 1024 if m.group(2) in 'Gg' and m.group(2) else 1024)
    cmd = a.qemu[1:] if a.qemu and a.qemu[0] == '--' else a.qemu
    if not cmd:
        p.error('no QEMU command given')

    # Killed from outside (Meson's timeout): still end QEMU (finally below).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit('killed by SIGTERM'))
    console = Console(a.log)
    s = Session(cmd, console, a.timeout, time.monotonic() + a.total)
    print('TAP version 13')
    print('1..%d' % len(STEPS), flush=True)
    failed = 0
    usable = True
    why = None
    start = time.monotonic()
    try:
        for n, (name, fn) in enumerate(STEPS, 1):
            if not usable:
                print('not ok %d - %s # not run: %s' % (n, name, why), flush=True)
                failed += 1
                continue
            try:
                fn(s, a)
                print('ok %d - %s' % (n, name), flush=True)
                continue
            except StepFailed as e:
                msg = str(e)
            except Gone as e:
                msg = str(e)
                usable = False
                why = msg
            except Exception:
                msg = 'error in the test: %s' % traceback.format_exc().rstrip().replace('\n', '\n# ')
            failed += 1
            print('not ok %d - %s' % (n, name))
            print('# ' + msg)
            print('# console:')
            for line in console.tail():
                print('#   ' + line)
            sys.stdout.flush()
            if usable and not resync(s):
                usable = False
                why = 'the shell does not answer'
    finally:
        s.kill()
        print('# %.1f s' % (time.monotonic() - start), flush=True)
        if console.file:
            console.file.close()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
