"""Numbers read from an address or a form, the one way: a value that is not
a number, is negative, or does not fit the database's 64-bit integers is
"absent" (a 404 or the first page), never an OverflowError and a 500."""

MAX_ID = 2**63 - 1


def id_param(value):
    """The id in ``value`` (text), or None."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def page_param(value, last=1000):
    """A page number between 1 and ``last``; 1 for anything else."""
    number = id_param(value)
    return min(max(1, number), last) if number is not None else 1


def page_numbers(page, pages, around=2):
    """The page numbers a numbered pagination shows: the first, the last, and
    ``around`` on each side of ``page``; None where numbers are left out."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    out = []
    for number in shown:
        if out and number - out[-1] > 1:
            out.append(None)
        out.append(number)
    return out
