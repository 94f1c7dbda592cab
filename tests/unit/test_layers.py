"""Imports point one way (docs/architecture.md): the content domain is the
base the others build on; the workflow (ACLs, who may delete, visibility in
SQL) and the files (uploads, listed files) give it what it needs through the
registry and the request when they are included, never by being imported."""

import subprocess
import sys

from tests.conftest import ROOT

CONTENT_MODULES = [p.stem for p in (ROOT / "bassin_cms" / "content").glob("*.py") if p.stem != "__init__"]


def test_the_content_domain_imports_neither_workflow_nor_files():
    code = (
        "import importlib, sys\n"
        "import bassin_cms.content\n"
        f"for name in {CONTENT_MODULES!r}:\n"
        "    importlib.import_module('bassin_cms.content.' + name)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('bassin_cms.workflow', 'bassin_cms.files'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]", out.stdout
    assert len(CONTENT_MODULES) >= 8


def test_a_node_without_the_workflow_says_what_is_missing():
    import pytest

    from bassin_cms.content import models
    from bassin_cms.content.models import Folder

    saved, models.ACL_PROVIDER = models.ACL_PROVIDER, None
    try:
        with pytest.raises(RuntimeError, match="bassin_cms.workflow"):
            Folder(title="x").__acl__  # noqa: B018 - the property is the call
    finally:
        models.ACL_PROVIDER = saved
