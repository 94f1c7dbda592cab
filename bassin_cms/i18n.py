"""The message factory of the interface's texts (catalogues in bassin_cms/locale,
language chosen by portal/i18n.py)."""
from pyramid.i18n import TranslationStringFactory

_ = TranslationStringFactory("bassin_cms")
