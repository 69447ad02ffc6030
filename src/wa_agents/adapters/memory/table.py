"""A keyed table with the add/get/update/delete/list behaviour every simple repository shares."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from wa_agents.domain.model.errors import AlreadyExists, NotFound
from wa_agents.domain.model.page import Page, PageRequest

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


class Table(Generic[K, T]):
    def __init__(
        self,
        rows: Callable[[], dict[K, T]],
        kind: str,
        key: Callable[[T], K],
        order: Callable[[T], Any],
    ) -> None:
        self._rows = rows  # read through a callable: a rollback replaces the dict
        self._kind = kind
        self._key = key
        self._order = order

    def add(self, item: T) -> None:
        key = self._key(item)
        if key in self._rows():
            raise AlreadyExists(self._kind, key)
        self._rows()[key] = item

    def get(self, key: K) -> T:
        try:
            return self._rows()[key]
        except KeyError:
            raise NotFound(self._kind, key) from None

    def find(self, key: K) -> T | None:
        return self._rows().get(key)

    def update(self, item: T) -> None:
        key = self._key(item)
        if key not in self._rows():
            raise NotFound(self._kind, key)
        self._rows()[key] = item

    def delete(self, key: K) -> None:
        if self._rows().pop(key, None) is None:
            raise NotFound(self._kind, key)

    def page(
        self,
        page: PageRequest,
        where: Callable[[T], bool] = lambda _: True,
        newest_first: bool = False,
    ) -> Page[T]:
        matching = sorted(
            (item for item in self._rows().values() if where(item)),
            key=self._order,
            reverse=newest_first,
        )
        return Page(
            matching[page.offset : page.offset + page.limit], len(matching), page.limit, page.offset
        )
