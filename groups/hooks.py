"""What the features above groups add to the group pages, registered at start-up (groups
imports none of them): the forum adds a group's threads and the thread and unread counts
of the group list, events add the upcoming events. See ARCHITECTURE.md.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import Select

GROUP_PAGE = "groups.group_page"
GROUP_ACTIVITY = "groups.group_activity"

#: provide(viewer, group, page) -> template variables for a group's page
GroupPageContext = Callable[[object, object, int], dict]
#: count(viewer, readable_group_ids, my_group_ids) -> (threads per group, unread per group)
GroupActivity = Callable[[object, Select, Select], tuple[dict[int, int], dict[int, int]]]


def add_group_page_context(app: Flask, provide: GroupPageContext) -> None:
    app.extensions.setdefault(GROUP_PAGE, []).append(provide)


def group_page_context(viewer, group, page: int) -> dict:
    context: dict = {}
    for provide in current_app.extensions.get(GROUP_PAGE, []):
        context.update(provide(viewer, group, page))
    return context


def set_group_activity(app: Flask, count: GroupActivity) -> None:
    app.extensions[GROUP_ACTIVITY] = count


def group_activity(viewer, scope: Select, mine: Select) -> tuple[dict[int, int], dict[int, int]]:
    count = current_app.extensions.get(GROUP_ACTIVITY)
    return count(viewer, scope, mine) if count is not None else ({}, {})
