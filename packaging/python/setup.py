# SPDX-License-Identifier: GPL-3.0-or-later
# The wheel carries a native library (librunlens.so), so it is tagged for this
# platform and Python, not py3-none-any; everything else is in pyproject.toml.
from setuptools import setup
from setuptools.dist import Distribution


class NativeDistribution(Distribution):
    def has_ext_modules(self):
        return True


setup(distclass=NativeDistribution)
