"""mlvc: Git-native data and model versioning with chunk-level deduplication."""

from __future__ import annotations

from mlvc.errors import MlvcError
from mlvc.repo import Repo

__version__ = "0.1.0"
__all__ = ["MlvcError", "Repo", "__version__"]
