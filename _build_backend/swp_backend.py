"""The package's build backend: setuptools, run in a temporary copy of the sources for a wheel or an sdist.

``pip wheel .`` and ``pip install .`` would otherwise leave ``build/`` and ``swp_models.egg-info/`` in the clone.
The copy holds what the package needs (``pyproject.toml``, ``README.md``, ``LICENSE`` and ``swp_models/`` with
the data tables its ``_data`` link points to, copied as files). An editable install (``pip install -e .``,
``make setup``) builds in place, as setuptools does.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from setuptools import build_meta as _setuptools

ROOT = Path(__file__).resolve().parent.parent
_SOURCES = ("pyproject.toml", "README.md", "LICENSE", "swp_models")


def _in_copy(hook, directory, *args):
    """Run setuptools' ``hook`` in a temporary copy of the sources, writing its output into ``directory``."""
    target = str(Path(directory).resolve())
    with tempfile.TemporaryDirectory(prefix="swp_models-build-") as tmp:
        for name in _SOURCES:
            source, copy = ROOT / name, Path(tmp) / name
            if source.is_dir():
                shutil.copytree(source, copy, symlinks=False, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy2(source, copy)
        here = os.getcwd()
        os.chdir(tmp)
        try:
            return hook(target, *args)
        finally:
            os.chdir(here)


def get_requires_for_build_wheel(config_settings=None):
    return _in_copy(lambda _target, settings: _setuptools.get_requires_for_build_wheel(settings), ".", config_settings)


def get_requires_for_build_sdist(config_settings=None):
    return _in_copy(lambda _target, settings: _setuptools.get_requires_for_build_sdist(settings), ".", config_settings)


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    return _in_copy(_setuptools.prepare_metadata_for_build_wheel, metadata_directory, config_settings)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _in_copy(_setuptools.build_wheel, wheel_directory, config_settings, metadata_directory)


def build_sdist(sdist_directory, config_settings=None):
    return _in_copy(_setuptools.build_sdist, sdist_directory, config_settings)


# Editable installs build in place.
get_requires_for_build_editable = _setuptools.get_requires_for_build_editable
prepare_metadata_for_build_editable = _setuptools.prepare_metadata_for_build_editable
build_editable = _setuptools.build_editable
