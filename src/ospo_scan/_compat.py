"""Back-ports for Python 3.10."""

import sys

if sys.version_info >= (3, 11):
    from typing import assert_never

    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib
    from typing_extensions import assert_never

__all__ = ["assert_never", "tomllib"]
