#!/bin/sh
# Regenerates the seed corpus of cpio_fuzz (and of the host test's
# archives_made_by_cpio) with the real GNU cpio: a small tree with a
# directory, regular files, an empty file, a symlink, two hard links, a
# FIFO and (when run as root) a character device, archived as newc and as
# crc (070702), and the two concatenated.  Usage: make_corpus.sh <corpus dir>
set -eu
out=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
mkdir -p tree/dir/sub
printf 'hello, world\n' > tree/dir/file
printf '#!/bin/sh\necho hi\n' > tree/dir/run
: > tree/empty
printf 'linked\n' > tree/dir/hard1
ln tree/dir/hard1 tree/dir/sub/hard2
ln -s file tree/dir/link
mkfifo tree/dir/fifo
mknod tree/dir/null c 1 3 2>/dev/null || true
chmod 0755 tree/dir/run tree/dir tree/dir/sub
chmod 0644 tree/dir/file tree/empty tree/dir/hard1 tree/dir/fifo
chmod 0666 tree/dir/null 2>/dev/null || true
find tree -exec touch -h -d @1700000000 {} +
cd tree
find . | LC_ALL=C sort | cpio -o -H newc --reproducible -R 0:0 --quiet > "$out/newc.cpio"
find . | LC_ALL=C sort | cpio -o -H crc --reproducible -R 0:0 --quiet > "$out/crc.cpio"
cat "$out/newc.cpio" "$out/crc.cpio" > "$out/concat.cpio"
