"""``BoundedCache``: at most ``limit`` entries, emptied when full, read as a dict."""

from mapro.core.caches import BoundedCache


def test_a_full_cache_empties_itself_before_keeping_the_new_entry():
    cache: BoundedCache[str, int] = BoundedCache(2)
    assert cache.put("a", 1) == 1
    cache.put("b", 2)
    assert (cache.get("a"), cache.get("b"), len(cache)) == (1, 2, 2)
    assert cache.put("c", 3) == 3  # full: emptied first
    assert dict(cache) == {"c": 3}
    cache.put("c", 4)  # not full: replaced in place
    assert dict(cache) == {"c": 4}
