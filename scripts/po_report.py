"""Report the untranslated and fuzzy entries of a gettext catalogue (the
last step of `make translations`); exit status 1 when there are any, so that
a French message changed without its translation is noticed."""

import sys

from babel.messages.pofile import read_po


def main(path):
    with open(path, "rb") as fp:
        catalog = read_po(fp)
    untranslated = [m for m in catalog if m.id and not m.string]
    fuzzy = [m for m in catalog if m.id and m.fuzzy]
    for message in untranslated:
        print(f"untranslated: {message.id!r} ({', '.join(f'{f}:{n}' for f, n in message.locations[:2])})")
    for message in fuzzy:
        print(f"fuzzy: {message.id!r} (was {message.previous_id!r})")
    total = sum(1 for m in catalog if m.id)
    print(f"{path}: {total} messages, {len(untranslated)} untranslated, {len(fuzzy)} fuzzy")
    return 1 if untranslated or fuzzy else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
