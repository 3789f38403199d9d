# Debian packages (debian/, README "Debian packages"): `make deb` builds
# them with dpkg-buildpackage from a copy of this tree's `make dist`, so the
# tree itself is never cleaned, into deb-packages/, and runs lintian on
# them.  tests/packaging/deb.sh (a stage of scripts/test.sh) installs and
# runs them.  The version is AC_INIT's: debian/changelog must agree
# (tests/packaging/version.sh, in `make check`, and `make deb` refuse).
EXTRA_DIST += debian/changelog debian/control debian/copyright debian/rules \
	debian/source/format debian/local.mk debian/hintstub.install \
	debian/libhintstub0.install debian/libhintstub-dev.install \
	debian/python3-hintstub.install debian/libhintstub-dev.examples \
	debian/libhintstub0.symbols \
	tests/packaging/version.sh tests/packaging/deb.sh
TESTS += tests/packaging/version.sh

HS_DEB_DIR = deb-packages
deb: dist
	$(AM_V_at)srcdir=$(srcdir) sh $(srcdir)/tests/packaging/version.sh
	@command -v dpkg-buildpackage >/dev/null && test -x /usr/bin/dh || { \
	  echo "make deb needs dpkg-dev and debhelper (apt-get install -y dpkg-dev debhelper dh-python lintian fakeroot)" >&2; exit 1; }
	rm -rf $(HS_DEB_DIR) && $(MKDIR_P) $(HS_DEB_DIR)
	tar -C $(HS_DEB_DIR) -xzf $(distdir).tar.gz
	cd $(HS_DEB_DIR)/$(distdir) && \
	  DEB_BUILD_OPTIONS="$${DEB_BUILD_OPTIONS:-parallel=2}" dpkg-buildpackage -us -uc -b
	rm -rf $(HS_DEB_DIR)/$(distdir)
	@if command -v lintian >/dev/null; then \
	  echo "lintian $(HS_DEB_DIR)/*.changes"; \
	  lintian --fail-on error $(HS_DEB_DIR)/*.changes; \
	else echo "lintian not installed: packages not checked" >&2; fi
	@ls $(HS_DEB_DIR)/*.deb
clean-local: clean-deb
clean-deb:
	rm -rf $(HS_DEB_DIR)
.PHONY: deb clean-deb
