"""Pages of a long list, newest first, that cost the same at page 2,000 as at page 2.

The register lists up to 100,000 proposals of a committee by descending id. Django's Paginator reads a page
with ``OFFSET (n - 1) * size``, which makes the database step over every earlier row. :class:`KeysetPage`
reads the same pages more cheaply:

- **next / previous** links carry a cursor (``after=<last id shown>`` / ``before=<first id shown>``) along with
  the page number: the page is then ``id < after ORDER BY id DESC LIMIT size`` (or ``id > before`` in
  ascending order), one index range read however deep the page;
- a page reached by its **number** only (first, last, a typed or bookmarked ``?page=n``) is read from the
  nearer end of the list: the last page is ``ORDER BY id LIMIT k`` rather than an offset past every row, so
  no page steps over more than half of the list;
- the **total** is counted exactly whenever a list is opened or a page is reached by its number (an
  index-only count, 10–20 ms at 100,000 rows), and the next/previous links carry it (``total=``), so paging
  on through a long list does not count it again on every page.

The page number and total shown with a cursor are the ones the link carried: if rows are added while someone
browses, the rows stay in order and none is skipped or repeated; the newcomers are counted when the list is
opened again or a page is reached by number. A cursor that is not a number, or leads to an empty page, is
ignored: the total is counted afresh and the page number is used.

The object has the attributes of Django's ``Page`` that templates use (``number``, ``has_next``,
``paginator.count`` / ``num_pages`` / ``per_page``…) and ``next_query`` / ``previous_query`` /
``first_query`` / ``last_query`` for ``templates/includes/pagination.html``.
"""

from django.utils.http import urlencode

CURSOR_PARAMS = ("page", "after", "before", "total")


def _number(text):
    """A non-negative integer written in ASCII digits, or None."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


def _positive_int(text):
    value = _number(text)
    return value if value else None


class _Counts:
    """What templates read from ``page_obj.paginator``."""

    def __init__(self, count, per_page):
        self.count = count
        self.per_page = per_page
        self.num_pages = max(1, -(-count // per_page))

    @property
    def page_range(self):
        return range(1, self.num_pages + 1)


class KeysetPage:
    """One page of ``ids`` (a queryset of primary keys, unordered) in descending order; see the module doc.

    ``rows_for(ids)`` turns the page's ids into the objects shown (any order; they are put in page order).
    Queries: the count (left out on a page reached by a cursor link, which carries the total), the page's
    ids, and whatever ``rows_for`` runs.
    """

    def __init__(self, ids, per_page, params, *, rows_for=None):
        size = per_page
        number = _positive_int(params.get("page")) or 1
        after, before = _positive_int(params.get("after")), _positive_int(params.get("before"))
        count, page_ids = None, None
        if number > 1 and (after is not None or before is not None):
            count = _number(params.get("total"))
            if after is not None:
                page_ids = list(ids.filter(pk__lt=after).order_by("-pk")[:size]) or None
            else:
                page_ids = list(ids.filter(pk__gt=before).order_by("pk")[:size])[::-1]
                if len(page_ids) < size:  # reached the start early: the list has changed meanwhile
                    page_ids, number = None, 1
            if page_ids is not None and (count is None or count < (number - 1) * size + len(page_ids)):
                count = ids.count()  # no total carried, or one the rows disprove
            # else the cursor led nowhere: count afresh below and go by the page number
        if page_ids is None:
            count = ids.count()
            number = min(number, max(1, -(-count // size)))
            page_ids = self._by_number(ids, number, size, count)
        self.paginator = _Counts(count, per_page)
        self.number = min(number, self.paginator.num_pages)
        self.ids = page_ids
        self.object_list = page_ids
        if rows_for is not None:
            by_id = {row.pk: row for row in rows_for(page_ids)}
            self.object_list = [by_id[pk] for pk in page_ids if pk in by_id]

    @staticmethod
    def _by_number(ids, number, size, count):
        offset = (number - 1) * size
        if offset <= count // 2:
            return list(ids.order_by("-pk")[offset:offset + size])
        # Nearer the end: read that end of the list in ascending order and turn it round.
        shown = min(size, count - offset)
        start = count - offset - shown
        return list(ids.order_by("pk")[start:start + shown])[::-1]

    # Django Page's interface -------------------------------------------------------------------------------

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self.number < self.paginator.num_pages

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1

    def start_index(self):
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self):
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0

    # Links (query-string fragments, without the filters) ------------------------------------------------

    @property
    def next_query(self):
        if not self.has_next():
            return ""
        if not self.ids:
            return urlencode({"page": self.number + 1})
        return urlencode({"page": self.number + 1, "after": self.ids[-1], "total": self.paginator.count})

    @property
    def previous_query(self):
        if not self.has_previous():
            return ""
        if self.number == 2 or not self.ids:
            return urlencode({"page": self.number - 1})
        return urlencode({"page": self.number - 1, "before": self.ids[0], "total": self.paginator.count})

    @property
    def first_query(self):
        return urlencode({"page": 1})

    @property
    def last_query(self):
        return urlencode({"page": self.paginator.num_pages})
