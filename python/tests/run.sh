#!/bin/sh
# make check: the Python package's suite, uninstalled, against this build
# tree (python/hintstub/_paths.py names its library and plugins).
set -u
srcdir=${srcdir:-.}
PY=${HS_PYTHON:-python3}
if [ "$PY" = ":" ] || [ -z "$PY" ]; then
	echo "SKIP: configure found no Python 3 (Debian: apt-get install -y python3)"; exit 77
fi
# A sanitizer runtime must be loaded first, which an interpreter loading
# the library with dlopen cannot do: the plain build tests the package.
if ldd .libs/libhintstub.so 2>/dev/null | grep -q -E 'lib(a|t)san' ||
	sed -n '/^  \$ /p' config.log 2>/dev/null | grep -q -E -- '--enable-(sanitizers|tsan)'; then
	echo "SKIP: sanitizer build (the Python suite runs in the plain build)"; exit 77
fi
top=$(pwd)
src=$(cd "$srcdir" && pwd)
PYTHONPATH="$top/python:$src/python${PYTHONPATH:+:$PYTHONPATH}"
PYTHONDONTWRITEBYTECODE=1
HS_BUILD_DIR=$top HS_SRC_DIR=$src
export PYTHONPATH PYTHONDONTWRITEBYTECODE HS_BUILD_DIR HS_SRC_DIR
unset HINTSTUB_LIBRARY HINTSTUB_PLUGIN_PATH
exec "$PY" "$src/python/tests/test_hintstub.py" -v
