"""bassin_cms: the resource centre of the Mission Bassin Minier Nord-Pas de Calais."""
import os

from pyramid.config import Configurator


def _abs_setting(settings, key, default):
    value = settings.get(key) or default
    return os.path.abspath(value)


def template_renderer_factory(templates_dir):
    """Chameleon templates live outside the package (DESIGN.md): resolve a bare
    renderer name such as "folder.pt" inside the directory the .ini names."""
    from pyramid_chameleon.zpt import renderer_factory

    def factory(info):
        name = info.name
        if not os.path.isabs(name) and ":" not in name:
            info = info.clone(name=os.path.join(templates_dir, name))
        return renderer_factory(info)

    return factory


def main(global_config=None, **settings):
    here = (global_config or {}).get("here", os.getcwd())
    settings.setdefault("pyramid.default_locale_name", "fr")
    var_dir = _abs_setting(settings, "bassin.var_dir", os.path.join(here, "var"))
    settings["bassin.var_dir"] = var_dir
    settings["bassin.files_dir"] = _abs_setting(settings, "bassin.files_dir", os.path.join(var_dir, "files"))
    settings["bassin.templates_dir"] = _abs_setting(settings, "bassin.templates_dir", os.path.join(here, "templates"))
    settings["bassin.static_dir"] = _abs_setting(settings, "bassin.static_dir", os.path.join(here, "static"))

    with Configurator(settings=settings) as config:
        config.include("pyramid_chameleon")
        config.add_renderer(".pt", template_renderer_factory(settings["bassin.templates_dir"]))
        config.add_translation_dirs("colander:locale/", "deform:locale/")
        from .forms import configure_deform

        configure_deform(settings["bassin.templates_dir"])

        config.include(".db")
        config.include(".auth")
        config.include(".files")
        config.include(".content")
        config.include(".workflow")
        config.include(".search")
        config.include(".statistics")
        config.include(".pdf")
        config.include(".selection")
        config.include(".teachers")
        config.include(".indexes")
        config.include(".posters")
        config.include(".guides")
        config.include(".features")
        config.include(".opendata")
        config.include(".portal")
        config.add_static_view("static", settings["bassin.static_dir"], cache_max_age=3600)
        config.scan(".views")
    from .portal.caching import wrap

    app = config.make_wsgi_app()
    # The page cache answers before Pyramid builds a request (portal/caching.py).
    return wrap(app, app.registry)
