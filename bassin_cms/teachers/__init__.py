"""The teachers' space: classroom material by school level and subject."""


def includeme(config):
    config.add_route("teachers", "/enseignants")
    config.scan(".views")
