"""The directory cache make serve shares between processes: atomic claims, bounded size."""

import threading
import time
from pathlib import Path

import pytest

from archive import file_cache
from archive.file_cache import FileCache


def cache_in(directory: Path, **options) -> FileCache:
    return FileCache(str(directory), {"OPTIONS": options})


def test_only_one_of_many_racing_adds_wins(tmp_path):
    """Every process claiming the same count at once: exactly one is told to count it."""
    start = threading.Barrier(16)
    won = []

    def claim(n: int) -> None:
        cache = cache_in(tmp_path)  # a cache object each, as each process has
        start.wait()
        if cache.add("counting", n, 60):
            won.append(n)

    for _ in range(20):
        won.clear()
        cache_in(tmp_path).delete("counting")
        threads = [threading.Thread(target=claim, args=(n,)) for n in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(won) == 1
        assert cache_in(tmp_path).get("counting") == won[0]


def test_add_replaces_an_expired_entry(tmp_path):
    cache = cache_in(tmp_path)
    assert cache.add("claim", "first", 1)
    assert not cache.add("claim", "second", 60)
    time.sleep(1.1)
    assert cache.add("claim", "third", 60)
    assert cache.get("claim") == "third"


def test_add_leaves_no_temporary_files(tmp_path):
    cache = cache_in(tmp_path)
    cache.add("a", 1)
    cache.add("a", 2)
    assert len(list(tmp_path.iterdir())) == 1


@pytest.mark.parametrize("every", [1, 10])
def test_the_directory_stays_near_its_limit(tmp_path, monkeypatch, every):
    monkeypatch.setattr(file_cache, "CULL_EVERY", every)
    cache = cache_in(tmp_path, MAX_ENTRIES=20, CULL_FREQUENCY=2)
    for n in range(200):
        cache.set(f"page-{n}", n, 60)
    assert len(list(tmp_path.glob("*.djcache"))) <= 20 + every
