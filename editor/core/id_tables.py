"""Compact tables keyed by cue id: the QC index's per-cue values (a speaker slot, a neighbour,
a flag, a problem code) in arrays indexed by id rather than dicts and sets of 100k ints."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import pairwise
from operator import attrgetter

from editor.core.model import ID_ARRAY_SLACK, Cue, ids_fit_array

# Cue ids are the document's small consecutive integers (1, 2, …; new cues take the next), so
# a table of one small value per cue can be an array indexed by id: a dict or set of 100k ints
# costs ~4–5 MB, the array 0.1–0.8 MB. Ids far beyond the table (or negative) go to a dict.
_DENSE_SLACK = ID_ARRAY_SLACK  # ids a table by id grows to take in place before using its dict


def dense_size(ids: Sequence[int], id_array=None) -> int:  # id_array: NumPy int64 array | None
    """Return the array length for `ids` (max id + 1), or 0 when they are too sparse for one.
    `id_array`: the same ids as a NumPy array, when the caller has one (two C passes, not
    Python's max and min over 100k ints)."""
    if not len(ids):
        return 0
    if id_array is not None:
        low, top = int(id_array.min()), int(id_array.max())
    else:
        low, top = min(ids), max(ids)
    return top + 1 if ids_fit_array(low, top, len(ids)) else 0


def as_id_array(ids: Sequence[int], id_array=None):  # -> NumPy array
    """Return `id_array` (`ids` as a NumPy int64 array, when the caller has one), else `ids` made
    into one: int64, or of Python ints (dtype object) for an id beyond 64 bits, kept exact."""
    if id_array is not None:
        return id_array
    import numpy as np

    try:
        return np.fromiter(ids, np.int64, len(ids))
    except OverflowError:
        return np.array(ids, object)


def consecutive(ids: Sequence[int], id_array=None) -> bool:
    """Return True when `ids` are first, first + 1, … (a document's as read); `id_array`: the
    same ids as a NumPy array, when the caller has one."""
    if not len(ids):
        return False
    first, last = ids[0], ids[-1]
    if last - first != len(ids) - 1:
        return False
    if id_array is not None:
        import numpy as np

        return bool((np.diff(id_array) == 1).all())
    return ids == list(range(first, last + 1))


_SPEAKER_ID, _CUE_ID = attrgetter("speaker_id"), attrgetter("id")


def cues_naming_plain(cues: Sequence[Cue], speaker_id: str) -> list[int]:
    """Return the ids of the cues naming `speaker_id` by a pass over them (what
    SpeakerOf.naming must agree with)."""
    return [c.id for c in cues if c.speaker_id == speaker_id]


class SpeakerOf:
    """Cue id → the speaker id it names, and how many cues name each: the QC index's index by
    speaker. Small slot numbers stand for the speaker ids, in an `array` by cue id (4 bytes a
    cue; ids far out go to a dict); the cues naming a speaker are found by C scans of the array
    (array.index), and only when the count says some cue names it: a speaker added to the
    table or removed from it costs nothing when no other cue names it."""

    __slots__ = ("_arr", "_more", "_sids", "_slot", "counts", "n_none")
    _ABSENT = -2
    _NONE = -1

    def __init__(
        self,
        cues: Sequence[Cue],
        ids: list[int] | None = None,
        size: int | None = None,
        sids: list[str | None] | None = None,
        id_array=None,
    ) -> None:
        """`id_array`: `ids` as a NumPy int64 array, when the caller has one."""
        from array import array

        if ids is None:
            ids = list(map(_CUE_ID, cues))
        if sids is None:
            sids = list(map(_SPEAKER_ID, cues))
        # (Most documents name no speaker id: one C count, not a Counter of 100k Nones.)
        nobody = sids.count(None) == len(sids)
        self.counts: Counter[str | None] = Counter() if nobody else Counter(sids)
        self.n_none = len(sids) if nobody else self.counts.pop(None, 0)  # cues with no speaker
        self._sids: list[str] = list(self.counts)  # type: ignore[arg-type]
        self._slot: dict[str | None, int] = {sid: i for i, sid in enumerate(self._sids)}
        self._slot[None] = self._NONE
        if size is None:
            size = dense_size(ids, id_array)
        self._arr = array("i")
        self._more: dict[int, int] = {}
        if size:
            import numpy as np

            table = np.full(size, self._ABSENT, np.int32)
            where = as_id_array(ids, id_array)
            if self._sids:
                table[where] = np.fromiter(map(self._slot.__getitem__, sids), np.int32, len(sids))
            else:
                table[where] = self._NONE
            self._arr.frombytes(table.tobytes())
        else:
            slots = list(map(self._slot.__getitem__, sids)) if self._sids else [self._NONE] * len(ids)
            self._more = dict(zip(ids, slots, strict=True))

    def _get(self, cid: int) -> int:
        arr = self._arr
        if 0 <= cid < len(arr):
            v = arr[cid]
            if v != self._ABSENT:
                return v
        return self._more.get(cid, self._ABSENT)

    def _store(self, cid: int, slot: int) -> None:
        arr = self._arr
        if 0 <= cid < len(arr) + _DENSE_SLACK:
            if cid >= len(arr):
                arr.extend([self._ABSENT] * (cid + 1 - len(arr)))
            arr[cid] = slot
            self._more.pop(cid, None)
        else:
            self._more[cid] = slot

    def _uncount(self, slot: int) -> None:
        if slot == self._NONE:
            self.n_none -= 1
        elif slot >= 0:
            sid = self._sids[slot]
            left = self.counts[sid] - 1
            if left:
                self.counts[sid] = left
            else:
                del self.counts[sid]

    def set(self, cid: int, speaker_id: str | None) -> None:
        """Record that cue `cid` (new or not) names `speaker_id`."""
        self._uncount(self._get(cid))
        slot = self._slot.get(speaker_id)
        if slot is None:
            slot = self._slot[speaker_id] = len(self._sids)
            self._sids.append(speaker_id)  # type: ignore[arg-type]
        if slot >= 0:
            self.counts[speaker_id] += 1
        else:
            self.n_none += 1
        self._store(cid, slot)

    def drop(self, cid: int) -> None:
        """Forget cue `cid` (removed from the document)."""
        old = self._get(cid)
        if old == self._ABSENT:
            return
        self._uncount(old)
        arr = self._arr
        if 0 <= cid < len(arr):
            arr[cid] = self._ABSENT
        self._more.pop(cid, None)

    def names_none(self, cid: int) -> bool:
        """Return True when cue `cid` has no speaker."""
        return self._get(cid) == self._NONE

    def naming(self, speaker_id: str, known: int = 0) -> list[int]:
        """Return the ids of the cues naming `speaker_id`; [] without a scan when no more than
        the `known` ones do (the cues the caller has in hand: the edited ones)."""
        if self.counts.get(speaker_id, 0) <= known:
            return []
        slot = self._slot[speaker_id]
        arr, out, at = self._arr, [], -1
        while True:
            try:
                at = arr.index(slot, at + 1)
            except ValueError:
                break
            out.append(at)
        out.extend(cid for cid, s in self._more.items() if s == slot)
        return out


class IdLinks:
    """Cue id → the id of its neighbour (or None): the QC index's linked list of cues, in an
    `array` indexed by id (8 bytes a cue; the two link tables of 100k cues took ~10 MB as
    dicts). Supports the few dict operations the index uses."""

    __slots__ = ("_arr", "_more")
    _ABSENT = -2
    _NONE = -1

    def __init__(self, pairs: Iterable[tuple[int, int | None]], size: int = 0) -> None:
        from array import array

        self._arr = array("q", [self._ABSENT]) * size
        self._more: dict[int, int | None] = {}
        for cid, other in pairs:
            self[cid] = other

    @classmethod
    def chain(cls, ids: Sequence[int], size: int | None = None, id_array=None) -> tuple[IdLinks, IdLinks]:
        """Return (previous, next) links of `ids` in that order (`size`: dense_size(ids) if known;
        `id_array`: `ids` as a NumPy int64 array, when the caller has one)."""
        if size is None:
            size = dense_size(ids, id_array)
        if not size:
            return cls(zip(ids, [None, *ids[:-1]], strict=False)), cls(
                zip(ids, [*ids[1:], None], strict=False)
            )
        # Every id fits the arrays: filled directly, not through __setitem__ (~3× quicker).
        prev, nxt = cls((), size), cls((), size)
        before, after = prev._arr, nxt._arr
        first, last = ids[0], ids[-1]
        if consecutive(ids, id_array):
            # The ids of a document as read (1, 2, …): each link is its id ± 1, two slices of a range.
            from array import array

            import numpy as np

            links = array("q", np.arange(first, last + 1, dtype=np.int64).tobytes())
            after[first:last] = links[1:]
            before[first + 1 : last + 1] = links[:-1]
            before[first] = after[last] = cls._NONE
            return prev, nxt
        for a, b in pairwise(ids):
            after[a] = b
            before[b] = a
        before[ids[0]] = after[ids[-1]] = cls._NONE
        return prev, nxt

    def __contains__(self, cid: int) -> bool:
        arr = self._arr
        if 0 <= cid < len(arr) and arr[cid] != self._ABSENT:
            return True
        return cid in self._more

    def get(self, cid: int, default: int | None = None) -> int | None:
        arr = self._arr
        if 0 <= cid < len(arr):
            v = arr[cid]
            if v != self._ABSENT:
                return None if v == self._NONE else v
        return self._more.get(cid, default)

    def __getitem__(self, cid: int) -> int | None:
        if cid not in self:
            raise KeyError(cid)
        return self.get(cid)

    def __setitem__(self, cid: int, other: int | None) -> None:
        arr = self._arr
        if 0 <= cid < len(arr) + _DENSE_SLACK and (other is None or other >= 0):
            if cid >= len(arr):
                arr.extend([self._ABSENT] * (cid + 1 - len(arr)))
            arr[cid] = self._NONE if other is None else other
            self._more.pop(cid, None)
        else:
            if 0 <= cid < len(arr):
                arr[cid] = self._ABSENT
            self._more[cid] = other

    def __len__(self) -> int:
        return len(self._arr) - self._arr.count(self._ABSENT) + len(self._more)

    def clear(self) -> None:
        del self._arr[:]
        self._more.clear()

    def pop(self, cid: int) -> int | None:
        value = self[cid]
        arr = self._arr
        if 0 <= cid < len(arr):
            arr[cid] = self._ABSENT
        self._more.pop(cid, None)
        return value


class IdSet:
    """A set of cue ids as one flag byte per id (the cues lacking a translation: nearly every cue
    of a document without one, ~4 MB as a set of 100k ints, 0.1 MB here). Supports the set
    operations the index uses: add, discard, in, len."""

    __slots__ = ("_count", "_flags", "_more")

    def __init__(self, ids: Iterable[int] = (), size: int = 0) -> None:
        flags = self._flags = bytearray(size)
        self._more: set[int] = set()
        more = []
        for cid in ids:
            if 0 <= cid < size:
                flags[cid] = 1
            else:
                more.append(cid)
        self._count = size - flags.count(0)
        for cid in more:
            self.add(cid)

    @classmethod
    def of_flags(cls, ids, flags, size: int) -> IdSet:  # ids, flags: NumPy arrays (int, bool)
        """Return the set of the ids of `ids` whose flag is set (`size`: dense_size of them)."""
        if not size:
            return cls(ids[flags].tolist())
        import numpy as np

        table = np.zeros(size, np.uint8)
        table[ids[flags]] = 1
        out = cls()
        out._flags = bytearray(table.tobytes())
        out._count = int(flags.sum())
        return out

    def __contains__(self, cid: int) -> bool:
        flags = self._flags
        if 0 <= cid < len(flags):
            return bool(flags[cid])
        return cid in self._more

    def __len__(self) -> int:
        return self._count + len(self._more)

    def clear(self) -> None:
        del self._flags[:]
        self._more.clear()
        self._count = 0

    def add(self, cid: int) -> None:
        flags = self._flags
        if 0 <= cid < len(flags) + _DENSE_SLACK:
            if cid >= len(flags):
                flags.extend(bytes(cid + 1 - len(flags)))
            if not flags[cid]:
                flags[cid] = 1
                self._count += 1
        else:
            self._more.add(cid)

    def discard(self, cid: int) -> None:
        flags = self._flags
        if 0 <= cid < len(flags):
            if flags[cid]:
                flags[cid] = 0
                self._count -= 1
        else:
            self._more.discard(cid)


class IdCodes:
    """Cue id → a small code, 0 for none (the QC index's problems not built yet: own codes, pair
    codes), as an `array` indexed by id (4 bytes a cue; ids far out go to a dict). Filled at once
    from NumPy arrays; afterwards codes are only taken out (pop), as their Problems are built or
    their cue is checked again."""

    __slots__ = ("_arr", "_more")

    def __init__(self, ids=None, codes=None, size: int = 0) -> None:  # ids, codes: NumPy int arrays
        from array import array

        self._arr = array("I")
        self._more: dict[int, int] = {}
        if ids is None or not len(ids):
            return
        if size:
            import numpy as np

            table = np.zeros(size, np.uint32)
            table[ids] = codes
            self._arr.frombytes(table.tobytes())
        else:
            self._more = dict(zip(ids.tolist(), codes.tolist(), strict=True))

    def get(self, cid: int) -> int:
        arr = self._arr
        if 0 <= cid < len(arr):
            return arr[cid]
        return self._more.get(cid, 0)

    def pop(self, cid: int) -> int:
        """Return the code of `cid` (0: none) and forget it."""
        arr = self._arr
        if 0 <= cid < len(arr):
            code = arr[cid]
            if code:
                arr[cid] = 0
            return code
        return self._more.pop(cid, 0)

    def ids(self) -> list[int]:
        """Return the ids with a code."""
        import numpy as np

        out = np.flatnonzero(np.frombuffer(self._arr, np.uint32)).tolist() if len(self._arr) else []
        return out + [cid for cid, code in self._more.items() if code]

    def clear(self) -> None:
        del self._arr[:]
        self._more.clear()


# ---------------------------------------------------------------------------
# The index
# ---------------------------------------------------------------------------
