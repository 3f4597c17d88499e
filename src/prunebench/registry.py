"""One registry class for every extension point (datasets, models, pruning methods)."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """Names -> objects, filled by @register in this library and, where `entry_point_group` names a group of Python
    entry points, by other installed packages: each entry point of the group is loaded and registered under its name
    the first time the registry is read (`check(obj)` says what keeps one from being an entry, None if nothing)."""

    def __init__(self, kind: str, entry_point_group: str | None = None, check: Callable[[T], str | None] | None = None):
        self.kind = kind
        self._entries: dict[str, T] = {}
        self._group = entry_point_group
        self._check = check
        self._installed_loaded = entry_point_group is None

    def register(self, name: str) -> Callable[[T], T]:
        def decorator(obj: T) -> T:
            if name in self._entries:
                raise ValueError(f"{self.kind} {name!r} is already registered")
            self._entries[name] = obj
            return obj

        return decorator

    def _load_installed(self) -> None:
        if self._installed_loaded:
            return
        self._installed_loaded = True  # first: an entry point's module may read this registry while it is imported
        for entry in sorted(entry_points(group=self._group), key=lambda e: e.name):
            where = f"{self.kind} {entry.name!r} (entry point {entry.value!r} of group {self._group!r})"
            if entry.name in self._entries:
                raise ValueError(f"{where}: the name is already registered")
            obj = entry.load()
            if self._check and (problem := self._check(obj)):
                raise TypeError(f"{where}: {problem}")
            self._entries[entry.name] = obj

    def __getitem__(self, name: str) -> T:
        self._load_installed()
        try:
            return self._entries[name]
        except KeyError:
            raise KeyError(f"unknown {self.kind} {name!r}; known: {', '.join(sorted(self._entries))}") from None

    def __contains__(self, name: str) -> bool:
        self._load_installed()
        return name in self._entries

    def names(self) -> list[str]:
        self._load_installed()
        return sorted(self._entries)
