"""A lock file that lives exactly as long as the process holding it.

An autosave belongs to a running session while that session holds its lock. The operating
system drops the lock when the process ends, however it ends (SIGKILL, a crash, a power cut
with the file on a local disk), so a session that died is told apart from one that runs
without asking about its process id: a pid can belong to a zombie that has not been reaped
or to an unrelated process that was given the same number, and `kill(pid, 0)` succeeds for
both. POSIX uses flock(); Windows locks the file's first byte with msvcrt.locking().
"""

from __future__ import annotations

import os

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        except OSError:
            pass


class SessionLock:
    """An exclusive lock on `path`, held from acquire() until release() or the process's end."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        """Create the lock file if needed and lock it; returns False when another holder has it.

        Raises OSError when the file cannot be created.
        """
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        if not _try_lock(fd):
            os.close(fd)
            return False
        try:  # the pid is for people reading the folder; nothing trusts it
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass
        self._fd = fd
        return True

    def release(self, *, remove: bool = False) -> None:
        """Unlock (and with `remove`, delete the file first, so no one sees it unlocked)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if remove:
            try:
                os.remove(self.path)
            except OSError:
                pass
        _unlock(fd)
        os.close(fd)


def is_held(path: str) -> bool | None:
    """Return True while some process holds the lock at `path`, False when none does,
    and None when there is no lock file (written by a version without locks)."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return None
    except OSError:
        return True  # cannot even open it: do not treat someone's live session as dead
    try:
        if _try_lock(fd):
            _unlock(fd)
            return False
        return True
    finally:
        os.close(fd)
