#!/bin/sh
# Installs the Debian packages hintstub needs to build and test, if missing.
set -eu
PKGS="build-essential autoconf automake libtool pkg-config
protobuf-c-compiler libprotobuf-c-dev uthash-dev check
clang libclang-rt-14-dev valgrind
python3 python3-protobuf protobuf-compiler
graphviz
libyaml-dev libopenblas-dev python3-numpy
dpkg-dev debhelper dh-python lintian fakeroot"
missing=""
for p in $PKGS; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "installing:$missing" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
