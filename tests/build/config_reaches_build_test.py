#!/usr/bin/python3
# End-to-end test of the configuration workflow a user follows, printed as
# TAP: in a scratch build directory, change CONFIG_HZ through the real
# menuconfig UI (driven over a pseudo-terminal), rebuild the boot image
# with ninja, boot the kernel and see the new tick rate; then add a
# fragment with `meson configure -Dfragments=` and see it change the build.
# Only the boot image is built (the boots need no initramfs): the user
# programs and host tests would triple the time of a test that runs alone.
#
#   config_reaches_build_test.py <source dir> <cross file> <defconfig> <image> <qemu...>

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import pexpect

QEMU_TIMEOUT = 60


def sh(*cmd, cwd=None):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if p.returncode != 0:
        raise AssertionError('%s failed:\n%s%s' % (' '.join(cmd), p.stdout[-2000:],
                                                   p.stderr[-2000:]))
    return p.stdout


def boot_log(qemu, image):
    # No initramfs: a kernel with processes finds no init and panics;
    # panic=-1 restarts at once, which ends QEMU (-no-reboot).
    p = subprocess.run(qemu + [image, '-append', 'panic=-1'], capture_output=True, text=True,
                       timeout=QEMU_TIMEOUT, stdin=subprocess.DEVNULL)
    return p.stdout


def menuconfig_set_hz(builddir, hz):
    """Search for HZ with '/', jump to it, type the value, save, quit."""
    child = pexpect.spawn('ninja', ['-C', builddir, 'menuconfig'], encoding='utf-8',
                          dimensions=(40, 120), timeout=30)
    steps = ['/', 'HZ', '\r', '\r', '\x7f' * 8 + str(hz) + '\r', 'S', '\r', '\r', 'Q']
    for keys in steps:
        time.sleep(0.7)            # the curses UI reads keys between redraws
        child.send(keys)
    child.expect(pexpect.EOF)
    child.close()
    if child.exitstatus != 0:
        raise AssertionError('menuconfig exited with %s' % child.exitstatus)


def main():
    src, cross, defconfig, image_name = sys.argv[1:5]
    qemu = sys.argv[5:]
    tmp = tempfile.mkdtemp(prefix='kite-config-test-')
    build = os.path.join(tmp, 'build')
    tests = []
    try:
        sh('meson', 'setup', build, '--cross-file', cross, '-Ddefconfig=' + defconfig,
           cwd=src)
        image = os.path.join(build, image_name)

        def menuconfig_change_reaches_build():
            menuconfig_set_hz(build, 250)
            with open(os.path.join(build, '.config')) as f:
                assert 'CONFIG_HZ=250\n' in f.read(), 'menuconfig did not save HZ'
            sh('ninja', '-C', build, image_name)
            with open(os.path.join(build, 'autoconf.h')) as f:
                assert '#define CONFIG_HZ 250\n' in f.read()
            log = boot_log(qemu, image)
            assert re.search(r'tick: .* at 250 Hz', log), log[-1500:]

        def fragment_changes_build():
            sh('meson', 'configure', build, '-Dfragments=test')
            sh('ninja', '-C', build, image_name)
            log = boot_log(qemu, image)
            assert 'TAP version 13' in log, log[-1500:]
            # A changed fragment set regenerates .config from scratch.
            assert re.search(r'tick: .* at 100 Hz', log), log[-1500:]

        tests = [menuconfig_change_reaches_build, fragment_changes_build]
        print('TAP version 13')
        print('1..%d' % len(tests))
        failed = 0
        for i, t in enumerate(tests, 1):
            try:
                t()
                print('ok %d build.%s' % (i, t.__name__))
            except Exception as e:
                failed += 1
                for line in str(e).splitlines():
                    print('# ' + line)
                print('not ok %d build.%s' % (i, t.__name__))
        return 1 if failed else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
