"""The directory cache ``make serve`` shares between its processes (``CACHE_DIR``).

Django's ``FileBasedCache`` with two changes that matter under load:

* **Culling is checked every ``CULL_EVERY`` writes, not on each.** Django lists the whole
  directory before every write to see whether it is over ``MAX_ENTRIES``: with the page
  cache holding thousands of pages, that listing cost more than building many a page, and
  copying a thousand stored counts into an empty cache (``restore_summaries``) took 16 s
  instead of 4. The directory may now exceed ``MAX_ENTRIES`` by ``CULL_EVERY`` entries per
  process between checks.
* **``add`` is atomic across processes.** Django checks whether the key exists and then
  writes it, so two processes can both "add" it. The archive uses ``add`` as a claim ("I
  am counting this"), so that race had two workers counting the same million rows. Here the
  entry is written to a temporary file and linked into place, which fails if the file is
  already there.
"""

from __future__ import annotations

import itertools
import os
import tempfile

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 100

# Shared by every cache object of the process (Django makes one per thread).
_writes = itertools.count()


class FileCache(FileBasedCache):
    """A ``FileBasedCache`` that culls every ``CULL_EVERY`` writes and adds atomically."""

    def _cull(self) -> None:
        if next(_writes) % CULL_EVERY == 0:
            super()._cull()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        if self.has_key(key, version):
            return False
        self._createdir()
        fname = self._key_to_file(key, version)
        self._cull()
        fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        try:
            with open(fd, "wb") as f:
                self._write_content(f, timeout, value)
            for _ in range(2):
                try:
                    os.link(tmp_path, fname)  # fails if the entry exists
                    return True
                except FileExistsError:
                    if self.has_key(key, version):
                        return False  # another process added it first
                    # An expired entry, which has_key has just deleted: try once more.
            return False
        finally:
            os.remove(tmp_path)
