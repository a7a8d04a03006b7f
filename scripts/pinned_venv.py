"""Run a check script under a venv that has one pinned package from PyPI.

The AIS checks compare Tessera with peers (pyais, DuckDB, Spark) that are
installed by the script itself, never vendored. `ensure(...)` returns at once
when the running interpreter already has the pinned version; otherwise it
creates the venv (once), installs the package into it and re-executes the
calling script there with the same arguments.
"""

import os
import subprocess
import sys
import venv


def installed_version(name):
    """The version of the distribution `name` in the running interpreter (package metadata, which
    is what pip pins; some packages' `__version__` differs, e.g. ruptures' "v1.1.10"), or None."""
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def ensure(spec, module, venv_dir, script, skip_on_failure=False):
    """Make `module` of the distribution pinned by `spec` ("name==version") importable.

    `script` is the caller's `__file__`. With `skip_on_failure`, a failed
    install prints SKIP and exits 0 (for checks that need the registry);
    otherwise it stops the script with the installer's message.
    """
    name, version = spec.split("==")
    if installed_version(name) == version:
        return
    marker = "TESSERA_PINNED_VENV_" + module.upper()
    py = os.path.join(venv_dir, "bin", "python")
    if os.path.realpath(sys.executable) == os.path.realpath(py) and os.environ.get(marker):
        sys.exit(f"{spec} is not importable in {venv_dir}")
    if not os.path.exists(py):
        venv.create(venv_dir, with_pip=True)
    check = subprocess.run(
        [py, "-c", f"import importlib.metadata as m,sys; sys.exit(m.version('{name}') != '{version}')"],
        capture_output=True)
    if check.returncode != 0:
        pip = subprocess.run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", spec],
                             capture_output=True, text=True)
        if pip.returncode != 0:
            if skip_on_failure:
                print(f"SKIP: could not install {spec} from PyPI into {venv_dir}:\n{pip.stderr.strip()}")
                sys.exit(0)
            sys.exit(f"could not install {spec} from PyPI into {venv_dir}:\n{pip.stderr.strip()}")
    env = dict(os.environ, **{marker: "1"})
    os.execve(py, [py, os.path.abspath(script)] + sys.argv[1:], env)
