"""The English catalogue's translations, by French message. `make
translations` extracts the messages (lingva), then this script writes
en/LC_MESSAGES/bassin_cms.po: a message missing here is reported, and stays
French on the English pages until it is translated."""
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

EN = {
    "Fil d'Ariane": "Breadcrumbs", "Accueil": "Home", "Parcourir": "Browse", "Rechercher": "Search",
    "Chercher dans « ${term} » :": "Search in “${term}”:",
    "Mots, sigle, lieu ou « phrase exacte »": "Words, acronym, place or “exact phrase”",
    "Trier par": "Sort by", "Affiner": "Refine", "retirer": "remove", "Vouliez-vous dire": "Did you mean",
    "Aucun résultat exact : voici des résultats approchants.": "No exact result: here are close matches.",
    "1 résultat": "1 result", "${count} résultats": "${count} results", "page ${page}": "page ${page}",
    "Pages de résultats": "Result pages", "← Précédents": "← Previous", "Page ${page} sur ${pages}": "Page ${page} of ${pages}",
    "Suivants →": "Next →", "Déclaration d'accessibilité": "Accessibility statement", "Accessibilité": "Accessibility",
    "Cette déclaration est un texte réglementaire publié en français.": "This statement is a regulatory text published in French.",
    "Page introuvable": "Page not found",
    "L'adresse demandée ne correspond à aucune page du centre de ressources. Elle a peut-être été supprimée.":
        "The address you asked for matches no page of the resource centre. It may have been deleted.",
    "Revenir à l'accueil": "Back to the home page", "Accès refusé": "Access denied",
    "Votre compte ne permet pas d'accéder à cette page. Si vous pensez que c'est une erreur, contactez l'équipe de la Mission Bassin Minier.":
        "Your account does not give access to this page. If you think this is a mistake, contact the Mission Bassin Minier team.",
    "Centre de ressources de la Mission Bassin Minier": "Resource centre of the Mission Bassin Minier",
    "Guides techniques, index, études, posters, dossiers et ressources pédagogiques sur le Bassin minier du Nord-Pas de Calais, inscrit au Patrimoine mondial de l'UNESCO depuis 2012 : pour les partenaires, les élus, les propriétaires, les enseignants et le grand public.":
        "Technical guides, indexes, studies, posters, dossiers and teaching resources on the Nord-Pas de Calais Mining Basin, a UNESCO World Heritage property since 2012: for partners, elected officials, owners, teachers and the general public.",
    "Rechercher parmi ${total} ressources": "Search ${total} resources",
    "ex. : cités minières, VUE, Loos-en-Gohelle": "e.g. cités minières, VUE, Loos-en-Gohelle",
    "Dernières publications": "Latest publications", "Aucune publication pour l'instant.": "No publication yet.",
    "Toutes les ressources, des plus récentes aux plus anciennes": "All resources, newest first", "flux Atom": "Atom feed",
    "Les plus consultées": "Most consulted", "Pas encore de consultations comptées.": "No visits counted yet.",
    "1 consultation en 90 jours": "1 visit in 90 days", "${count} consultations en 90 jours": "${count} visits in 90 days",
    "Par thème": "By theme", "ressources": "resources", "Par territoire": "By territory",
    "Les intercommunalités du Bassin minier :": "The intercommunalities of the Mining Basin:",
    "Toutes les communes et territoires de projet": "All communes and project areas", "Par public": "By audience",
    "L'espace enseignants : ressources par niveau et discipline": "Teachers' space: resources by level and subject",
    "Parcourir tout le centre": "Browse the whole centre", "Connexion": "Log in",
    "Par thème, territoire, type de ressource ou public ; le nombre de ressources suit chaque entrée.":
        "By theme, territory, kind of resource or audience; each entry is followed by its number of resources.",
    "Sections": "Sections", "Rien à parcourir pour l'instant.": "Nothing to browse yet.",
    "Aller au contenu": "Skip to content", "Nord-Pas de Calais · Centre de ressources": "Nord-Pas de Calais · Resource centre",
    "Bassin minier du Nord-Pas de Calais, inscrit au Patrimoine mondial de l'UNESCO":
        "Nord-Pas de Calais Mining Basin, inscribed on the UNESCO World Heritage List",
    "Rechercher dans le centre de ressources": "Search the resource centre", "Rechercher…": "Search…",
    "Compte": "Account", "Espace enseignants": "Teachers' space", "Ma sélection": "My selection",
    "Se connecter": "Log in", "Mes contenus": "My content", "À valider": "To review", "Administration": "Administration",
    "Se déconnecter": "Log out",
    "L'interface est en anglais ; les ressources elles-mêmes sont en français.":
        "The interface is in English; the resources themselves are in French.",
    "Mission Bassin Minier Nord-Pas de Calais — structure de gestion du Bien inscrit au Patrimoine mondial.":
        "Mission Bassin Minier Nord-Pas de Calais — management body of the World Heritage property.",
    "Pied de page": "Footer", "Accessibilité : partiellement conforme": "Accessibility: partially compliant",
    "Flux Atom": "Atom feed", "API JSON": "JSON API", "Fiche à imprimer (PDF)": "Printable sheet (PDF)",
    "Ressource archivée : elle n'est plus tenue à jour.": "Archived resource: no longer kept up to date.",
    "Le texte et les fichiers de cette ressource sont réservés aux partenaires.":
        "The text and files of this resource are reserved for partners.",
    "Consulter la ressource en ligne": "Open the resource online", "(site externe)": "(external site)",
    "Fichiers": "Files", "Lire en ligne": "Read online", "Informations": "Information",
    "Première page de « ${resource.title} »": "First page of “${resource.title}”",
    "Auteurs": "Authors", "Contributeurs": "Contributors", "Éditeur": "Publisher", "Thèmes": "Themes",
    "Territoires": "Territories", "Publics": "Audiences", "Niveaux": "Levels", "Disciplines": "Subjects",
    "Durée / format": "Duration / format", "Droits": "Rights", "Langue": "Language", "Lien permanent": "Permanent link",
    "Types de ressources": "Kinds of resources", "Parcourir le centre de ressources": "Browse the resource centre",
    "Type": "Kind", "Thème": "Theme", "Territoire": "Territory", "Public": "Audience", "Niveau": "Level",
    "Discipline": "Subject", "Année": "Year", "pertinence": "relevance", "date": "date", "titre": "title",
    "téléchargements": "downloads", "Fichier principal": "Main file", "Fichier de l'édition": "File of the edition",
    "Pièce jointe": "Attachment", "Français": "French", "Anglais": "English",
    "Ajouter à ma sélection": "Add to my selection", "Dans votre sélection": "In your selection",
    "Retirer": "Remove", "Ressources liées": "Related resources",
    "Adresse e-mail": "E-mail address", "Mot de passe": "Password", "(obligatoire)": "(required)",
    "Rassemblez des ressources en naviguant (bouton « Ajouter à ma sélection »), puis téléchargez-les en une fois. La sélection est gardée le temps de votre visite, sans compte.":
        "Gather resources as you browse (the “Add to my selection” button), then download them in one go. The selection is kept for your visit, without an account.",
    "${count} ressource(s) de votre sélection ne sont plus disponibles (retirées de la publication) : elles sont laissées de côté.":
        "${count} resource(s) of your selection are no longer available (withdrawn from publication): they are left out.",
    "Chercher des ressources": "Search for resources", "l'espace enseignants": "the teachers' space",
    "Votre sélection est vide. ${search} ou parcourir ${teachers}.": "Your selection is empty. ${search} or browse ${teachers}.",
    "Télécharger la sélection (ZIP, ${size})": "Download the selection (ZIP, ${size})",
    "Bibliographie (PDF)": "Bibliography (PDF)",
    "Aucun fichier téléchargeable pour vous : la notice figure dans la bibliographie.":
        "No file you may download: its record is in the bibliography.",
    "Vider ma sélection": "Empty my selection",
    "Des ressources pour la classe sur le Bassin minier patrimoine mondial : kits pédagogiques d'abord, puis études, expositions et documents utiles, par niveau et par discipline. Le poids et le nombre de pages de chaque fichier sont indiqués avant le téléchargement.":
        "Classroom resources on the World Heritage Mining Basin: teaching kits first, then studies, exhibitions and useful documents, by level and subject. Each file's size and number of pages are given before you download it.",
    "Tous les niveaux": "All levels", "Toutes les disciplines": "All subjects", "Afficher": "Show",
    "1 ressource": "1 resource", "${count} ressources": "${count} resources", "voir ma sélection": "see my selection",
    "Aucune ressource pour ce choix.": "No resource for this choice.", "Tout afficher": "Show all", "Pages": "Pages",
    "← Précédentes": "← Previous", "Suivantes →": "Next →",
}


def main(pot, po):
    catalog = read_po(open(pot, "rb"), locale="en")
    catalog.fuzzy = False
    missing = []
    for message in catalog:
        if message.id:
            message.string = EN.get(message.id, "")
            if not message.string:
                missing.append(message.id)
    Path(po).parent.mkdir(parents=True, exist_ok=True)
    with open(po, "wb") as fp:
        write_po(fp, catalog, width=100)
    for message_id in missing:
        print(f"not translated: {message_id!r}", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:])
