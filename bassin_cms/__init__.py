"""bassin_cms: the resource centre of the Mission Bassin Minier Nord-Pas de Calais."""

import os
import threading

# Pyramid is imported where the application is made, not here: the file
# work's child processes (files/jobs.py, files/render.py) import this package
# and should start in a tenth of a second, not a second.


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


_compile_lock = threading.RLock()


def serialize_template_compilation():
    """Chameleon compiles a template on its first render; two threads doing it
    at once broke the compiler (SystemError: AST constructor recursion depth
    mismatch, seen with two editors just after a start). One compilation at a
    time, process-wide: it happens once per template."""
    from chameleon.template import BaseTemplate

    if getattr(BaseTemplate.cook, "serialized", False):
        return
    cook = BaseTemplate.cook

    def serialized_cook(self, body):
        with _compile_lock:
            return cook(self, body)

    serialized_cook.serialized = True
    BaseTemplate.cook = serialized_cook


def precompile_templates(templates_dir):
    """Compile every page and form template before the first request."""
    import deform
    from pyramid.renderers import get_renderer

    count = 0
    for directory, subdirectories, names in os.walk(templates_dir):
        subdirectories[:] = [d for d in subdirectories if d != "deform"]  # deform's loader, below
        for name in sorted(n for n in names if n.endswith(".pt") and n != "error.pt"):
            get_renderer(os.path.join(directory, name)).implementation().cook_check()
            count += 1
    loader = deform.Form.default_renderer.loader
    for directory in loader.search_path:
        for name in sorted(os.listdir(directory)):
            if name.endswith(".pt"):
                loader.load(name).cook_check()
                count += 1
    return count


def main(global_config=None, **settings):
    from .i18n import SOURCE_LANGUAGE

    here = (global_config or {}).get("here", os.getcwd())
    settings.setdefault("pyramid.default_locale_name", SOURCE_LANGUAGE)
    var_dir = _abs_setting(settings, "bassin.var_dir", os.path.join(here, "var"))
    settings["bassin.var_dir"] = var_dir
    settings["bassin.files_dir"] = _abs_setting(settings, "bassin.files_dir", os.path.join(var_dir, "files"))
    settings["bassin.templates_dir"] = _abs_setting(settings, "bassin.templates_dir", os.path.join(here, "templates"))
    settings["bassin.static_dir"] = _abs_setting(settings, "bassin.static_dir", os.path.join(here, "static"))

    serialize_template_compilation()
    from pyramid.config import Configurator

    with Configurator(settings=settings) as config:
        config.include("pyramid_chameleon")
        config.include(".errors")
        config.add_renderer(".pt", template_renderer_factory(settings["bassin.templates_dir"]))
        config.add_translation_dirs("colander:locale/", "deform:locale/")
        from .forms import configure_deform

        configure_deform(settings["bassin.templates_dir"])

        config.include(".db")
        config.include(".changes")  # the outbox, before the domains that add handlers
        config.include(".auth")
        config.include(".files")
        config.include(".content")
        config.include(".workflow")
        config.include(".search")
        config.include(".statistics")
        config.include(".pdf")
        config.include(".selection")
        config.include(".teachers")
        config.include(".press")
        config.include(".gallery")
        config.include(".indexes")
        config.include(".posters")
        config.include(".guides")
        config.include(".features")
        config.include(".opendata")
        config.include(".portal")
        config.add_static_view("static", settings["bassin.static_dir"], cache_max_age=3600)
        config.scan(".views")
    from .changes import start_worker
    from .errors import ErrorMiddleware
    from .portal.caching import wrap
    from .public_url import PublicURL
    from .security_headers import SecurityHeaders

    app = config.make_wsgi_app()
    from pyramid.settings import asbool

    if asbool(settings.get("bassin.precompile_templates", "false")):
        with config:  # the registry current, as a request would have it
            precompile_templates(settings["bassin.templates_dir"])
    start_worker(app.registry)
    # The page cache answers before Pyramid builds a request (portal/caching.py);
    # the error page answers whatever escapes both (errors.py).
    # The public address is set before either reads the request (public_url.py).
    return SecurityHeaders(
        ErrorMiddleware(PublicURL(wrap(app, app.registry), settings), settings["bassin.templates_dir"])
    )
