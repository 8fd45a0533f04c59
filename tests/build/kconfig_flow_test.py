#!/usr/bin/python3
# Tests of the configuration flow (scripts/kconfig.py), printed as TAP:
# defconfig + fragments with later-wins, fatal warnings, hand edits that
# survive regeneration, fragment changes that regenerate, savedefconfig
# and the defconfig reset.  Runs against the real Kconfig tree.

import os
import shutil
import subprocess
import sys
import tempfile

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
KCONFIG_PY = os.path.join(SRC, 'scripts', 'kconfig.py')
results = []


def run(cmd, builddir, defconfig, fragments=(), check=True):
    args = [sys.executable, KCONFIG_PY, cmd, '--kconfig', os.path.join(SRC, 'Kconfig'),
            '--builddir', builddir]
    if defconfig:
        args += ['--defconfig', defconfig]
    for f in fragments:
        args += ['--fragment', f]
    p = subprocess.run(args, capture_output=True, text=True,
                       env=dict(os.environ, srctree=SRC))
    if check and p.returncode != 0:
        raise AssertionError('%s failed: %s' % (cmd, p.stderr.strip()))
    return p


def config(builddir):
    vals = {}
    with open(os.path.join(builddir, '.config')) as f:
        for line in f:
            line = line.strip()
            if line.startswith('CONFIG_') and '=' in line:
                k, v = line.split('=', 1)
                vals[k] = v
    return vals


def write(path, text):
    with open(path, 'w') as f:
        f.write(text)


def test(fn):
    results.append(fn)
    return fn


@test
def defconfig_and_fragment_later_wins(tmp):
    frag = os.path.join(tmp, 'a.config')
    frag2 = os.path.join(tmp, 'b.config')
    write(frag, 'CONFIG_HZ=250\nCONFIG_KTEST=y\n')
    write(frag2, 'CONFIG_HZ=300\n')
    run('generate', tmp, os.path.join(SRC, 'configs/qemu_virt_aarch64_defconfig'),
        [frag, frag2])
    c = config(tmp)
    assert c['CONFIG_HZ'] == '300', c.get('CONFIG_HZ')
    assert c['CONFIG_KTEST'] == 'y'
    with open(os.path.join(tmp, 'autoconf.h')) as f:
        assert '#define CONFIG_HZ 300' in f.read()


@test
def hand_edit_survives_regeneration(tmp):
    dc = os.path.join(SRC, 'configs/qemu_virt_aarch64_defconfig')
    run('generate', tmp, dc)
    path = os.path.join(tmp, '.config')
    with open(path) as f:
        text = f.read().replace('CONFIG_HZ=100', 'CONFIG_HZ=500')
    write(path, text)
    run('generate', tmp, dc)          # what meson does on reconfigure
    assert config(tmp)['CONFIG_HZ'] == '500'
    with open(os.path.join(tmp, 'autoconf.h')) as f:
        assert '#define CONFIG_HZ 500' in f.read()


@test
def changed_fragment_regenerates(tmp):
    dc = os.path.join(SRC, 'configs/qemu_virt_aarch64_defconfig')
    frag = os.path.join(tmp, 'f.config')
    write(frag, 'CONFIG_HZ=200\n')
    run('generate', tmp, dc, [frag])
    assert config(tmp)['CONFIG_HZ'] == '200'
    write(frag, 'CONFIG_HZ=400\n')
    run('generate', tmp, dc, [frag])
    assert config(tmp)['CONFIG_HZ'] == '400'
    run('generate', tmp, dc)          # fragment dropped
    assert config(tmp)['CONFIG_HZ'] == '100'


@test
def undefined_symbol_is_fatal(tmp):
    frag = os.path.join(tmp, 'bad.config')
    write(frag, 'CONFIG_NO_SUCH_THING=y\n')
    p = run('generate', tmp, os.path.join(SRC, 'configs/qemu_virt_aarch64_defconfig'),
            [frag], check=False)
    assert p.returncode != 0 and 'NO_SUCH_THING' in p.stderr, p.stderr


@test
def out_of_range_value_is_fatal(tmp):
    frag = os.path.join(tmp, 'bad.config')
    write(frag, 'CONFIG_HZ=5\n')
    p = run('generate', tmp, os.path.join(SRC, 'configs/qemu_virt_aarch64_defconfig'),
            [frag], check=False)
    assert p.returncode != 0 and 'CONFIG_HZ' in p.stderr, p.stderr


@test
def unmet_dependency_is_fatal(tmp):
    # The PL011 driver depends on AArch64: asking for it on x86 is an error,
    # not a silently dropped option.
    dc = os.path.join(tmp, 'x86_defconfig')
    write(dc, 'CONFIG_ARCH_X86_64=y\nCONFIG_SERIAL_PL011=y\n')
    p = run('generate', tmp, dc, check=False)
    assert p.returncode != 0 and 'SERIAL_PL011' in p.stderr, p.stderr


@test
def savedefconfig_and_reset(tmp):
    dc = os.path.join(SRC, 'configs/qemu_virt_aarch64_defconfig')
    run('generate', tmp, dc)
    path = os.path.join(tmp, '.config')
    with open(path) as f:
        text = f.read().replace('CONFIG_HZ=100', 'CONFIG_HZ=1000')
    write(path, text)
    run('savedefconfig', tmp, None)
    with open(os.path.join(tmp, 'defconfig')) as f:
        saved = f.read()
    assert 'CONFIG_HZ=1000' in saved and 'CONFIG_LOGLEVEL' not in saved, saved
    run('defconfig', tmp, None)
    assert config(tmp)['CONFIG_HZ'] == '100'


def main():
    print('TAP version 13')
    print('1..%d' % len(results))
    failed = 0
    for i, fn in enumerate(results, 1):
        tmp = tempfile.mkdtemp(prefix='kconfig-test-')
        try:
            fn(tmp)
            print('ok %d kconfig.%s' % (i, fn.__name__))
        except Exception as e:        # report every failure, keep going
            failed += 1
            for line in str(e).splitlines() or ['failed']:
                print('# ' + line)
            print('not ok %d kconfig.%s' % (i, fn.__name__))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
