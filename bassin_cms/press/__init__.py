"""The press space: press releases and kits in public, the press reviews by
year, the press office's contact, an Atom feed and a search within them
(issue 19's public part; the journalists' image gallery is not built yet).
Searching within the releases is the browse page of their kind
(/parcourir/types/presse), with its facets."""

# Kinds of the kind vocabulary (content/vocabulary_seed.py).
RELEASE_KIND = "presse"
REVIEW_KIND = "revue-de-presse"


def includeme(config):
    config.add_route("press", "/presse")
    config.add_route("press_feed", "/presse/flux.atom")
    config.scan(".views")
