"""The rules of guides: chapters typed as one text, the resources a guide cites
(resolved to nodes, checked), editions and which one is current, contacts."""

import re
from urllib.parse import urlsplit

from sqlalchemy import select

from bassin_cms.content.models import utcnow
from bassin_cms.content.text import unique_anchor
from bassin_cms.i18n import Refusal, _, translate
from bassin_cms.workflow.security import visible_to_public

from .models import Contact, GuideChapter, GuideEdition, GuideLink, GuideResource

CHAPTER_RE = re.compile(r"^#\s*(?P<title>.*?)\s*$")
MAX_CHAPTERS = 200


class GuideRuleError(Refusal):
    """The message is for the editor."""


def parse_chapters(text):
    """'# Title' lines start chapters; what follows, up to the next one, is the
    chapter's text. -> [(title, text)]. Text before the first title is refused
    (it would belong to no chapter), so is a title left empty."""
    chapters, problems = [], []
    for number, line in enumerate((text or "").replace("\r\n", "\n").split("\n"), start=1):
        heading = CHAPTER_RE.match(line) if line.startswith("#") else None
        if heading:
            if not heading.group("title"):
                problems.append(_("ligne ${number} : titre de chapitre vide après « # »", mapping={"number": number}))
            chapters.append([heading.group("title")[:300], []])
        elif chapters:
            chapters[-1][1].append(line)
        elif line.strip():
            problems.append(
                _(
                    "ligne ${number} : ce texte précède le premier titre « # … » et n'appartient à aucun chapitre",
                    mapping={"number": number},
                )
            )
            break
    if len(chapters) > MAX_CHAPTERS:
        problems.append(_("${count} chapitres : ${max} au plus", mapping={"count": len(chapters), "max": MAX_CHAPTERS}))
    if problems:
        raise GuideRuleError(_("Chapitres : ${problems}.", mapping={"problems": problems}))
    return [(title, "\n".join(lines).strip()) for title, lines in chapters]


def format_chapters(guide):
    return "\n\n".join(f"# {c.title}\n\n{c.text}".rstrip() for c in guide.chapters)


class GuideService:
    def __init__(self, request):
        self.request = request
        self.dbsession = request.dbsession

    # --- chapters ------------------------------------------------------------
    def set_chapters(self, guide, text):
        parsed = parse_chapters(text)
        if [(c.title, c.text) for c in guide.chapters] == parsed:
            return
        taken = set()
        guide.chapters[:] = []
        self.dbsession.flush()  # the old anchors go before the new ones arrive
        guide.chapters.extend(
            GuideChapter(position=i, title=title, text=body, anchor=unique_anchor(title, taken, "chapitre-"))
            for i, (title, body) in enumerate(parsed)
        )
        guide.note_change("guide_chapters", titles=[title for title, _body in parsed][:50])
        self._touch(guide)

    # --- cited resources -----------------------------------------------------
    def resolve(self, reference):
        """A node from what an editor pastes: a permanent link (…/r/abc123), an
        address on this site, a short id or a legacy id; None if nothing."""
        content = self.request.content_service
        reference = reference.strip()
        path = urlsplit(reference).path if "://" in reference else reference
        match = re.match(r"^/?r/([^/?#]+)", path)
        if match:
            return content.by_shortid(match.group(1)) or content.by_legacy_id(match.group(1))
        if "/" in path:
            app_path = self.request.script_name or ""
            if app_path and path.startswith(app_path):
                path = path[len(app_path) :]
            node = content.by_path(path)
            return node if node is not None and node.parent_id is not None else None
        return content.by_shortid(path) or content.by_legacy_id(path)

    def parse_links(self, text):
        """-> [(node, note)]. One per line: the reference, then optionally
        « — note ». Lines starting with # are comments (the form lists deleted
        targets that way). Every line that finds nothing is reported."""
        found, problems = [], []
        for number, line in enumerate((text or "").splitlines(), start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            reference, *rest = re.split(r"\s+(?:—|–|--)\s+", line, maxsplit=1)
            note = rest[0] if rest else ""
            node = self.resolve(reference)
            if node is None:
                problems.append(
                    _(
                        "ligne ${number} (« ${reference} ») : aucune ressource du centre à cette adresse",
                        mapping={"number": number, "reference": reference[:80]},
                    )
                )
            elif node.type == "folder":
                problems.append(
                    _(
                        "ligne ${number} : « ${title} » est un dossier, pas une ressource",
                        mapping={"number": number, "title": node.title[:80]},
                    )
                )
            else:
                found.append((node, note.strip()[:500]))
        if problems:
            raise GuideRuleError(_("Ressources citées : ${problems}.", mapping={"problems": problems}))
        return found

    def set_links(self, guide, text):
        parsed = self.parse_links(text)
        if [(link.target_id, link.note) for link in guide.links] == [(n.id, note) for n, note in parsed]:
            return
        guide.links[:] = [
            GuideLink(target=node, target_title=node.title[:500], note=note, position=i)
            for i, (node, note) in enumerate(parsed)
        ]
        guide.note_change("guide_links", titles=[node.title for node, _note in parsed][:50])
        self._touch(guide)

    def format_links(self, guide):
        lines = []
        for link in guide.links:
            if link.target is None:
                lines.append(
                    "# "
                    + translate(
                        self.request,
                        _(
                            "ressource supprimée : « ${title} » (cette ligne sera retirée)",
                            mapping={"title": link.target_title},
                        ),
                    )
                )
                continue
            url = self.request.route_url("shortlink", shortid=link.target.shortid, rest=())
            lines.append(f"{url} — {link.note}" if link.note else url)
        return "\n".join(lines)

    def link_problems(self, guide):
        """[(link, reason)] of the cited resources a visitor could not open:
        what editors are asked to fix (visitors simply do not see them)."""
        problems = []
        for link in guide.links:
            if link.target is None:
                problems.append((link, _("supprimée")))
            elif not visible_to_public(link.target):
                problems.append(
                    (
                        link,
                        _(
                            "pas visible du public (état : ${state})",
                            mapping={"state": self.request.workflow.state_label(link.target.state)},
                        ),
                    )
                )
        return problems

    def guides_with_link_problems(self):
        """[(guide, [(link, reason)])] for the editors' list of links to check."""
        out = []
        for guide in self.dbsession.scalars(select(GuideResource).order_by(GuideResource.title)):
            problems = self.link_problems(guide)
            if problems:
                out.append((guide, problems))
        return out

    # --- editions ------------------------------------------------------------
    def add_edition(self, guide, label, date, changes="", upload=None):
        number = max((e.number for e in guide.editions), default=0) + 1
        edition = GuideEdition(number=number, label=label.strip(), changes=(changes or "").strip())
        edition.date_year, edition.date_month, edition.date_day = date
        guide.editions.append(edition)
        self.dbsession.flush()
        guide.note_change("guide_edition_added", number=number, label=edition.label)
        self.update_edition(edition, label, date, changes, upload, noted=True)
        return edition

    def update_edition(self, edition, label, date, changes="", upload=None, noted=False):
        if not noted:
            edition.guide.note_change("guide_edition_changed", number=edition.number, label=label.strip())
        if upload:
            edition.guide.note_change("guide_edition_file", number=edition.number, file=upload["filename"])
        edition.label = label.strip()
        edition.date_year, edition.date_month, edition.date_day = date
        edition.changes = (changes or "").strip()
        if upload:
            upload["fp"].seek(0)
            attached = self.request.file_service.attach(edition.guide, upload["fp"], upload["filename"], role="edition")
            edition.files.append(attached)
        self._touch(edition.guide)

    # --- contacts ------------------------------------------------------------
    def contacts(self):
        return list(self.dbsession.scalars(select(Contact).order_by(Contact.name)))

    def contact(self, contact_id):
        return self.dbsession.get(Contact, contact_id) if contact_id else None

    def set_contacts(self, guide, ids):
        wanted = [c for c in self.contacts() if c.id in set(ids or ())]
        if {c.id for c in guide.contacts} != {c.id for c in wanted}:
            guide.note_change(
                "guide_contacts",
                added=sorted(c.name for c in wanted if c not in guide.contacts),
                removed=sorted(c.name for c in guide.contacts if c not in wanted),
            )
            guide.contacts[:] = wanted
            self._touch(guide)

    def save_contact(self, contact, data):
        """Create (contact None) or update a contact; names are unique."""
        name = data["name"].strip()
        clash = self.dbsession.scalar(select(Contact).where(Contact.name == name))
        if clash is not None and clash is not contact:
            raise GuideRuleError(
                _("Un organisme s'appelle déjà « ${name} » : modifiez celui-là.", mapping={"name": name})
            )
        if contact is None:
            contact = Contact(name=name)
            self.dbsession.add(contact)
        for key in ("address", "phone", "email", "web"):
            setattr(contact, key, (data.get(key) or "").strip())
        contact.name = name
        if contact.id is not None:
            # The guides listing it show its details: they changed too (their
            # version, the pages kept for visitors).
            for guide in self.dbsession.scalars(
                select(GuideResource).where(GuideResource.contacts.any(Contact.id == contact.id))
            ):
                self._touch(guide)
        self.dbsession.flush()
        return contact

    def _touch(self, guide):
        # Chapters, links and editions are the guide's content: a change to
        # them is a change of the guide (its version, the search index).
        guide.modified = utcnow()
