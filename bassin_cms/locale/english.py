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
    "Trop de tentatives de connexion : réessayez dans ${seconds} secondes.":
        "Too many login attempts: try again in ${seconds} seconds.",
    "Ce champ tient sur une ligne : retirez les retours à la ligne et les caractères de contrôle.":
        "This field holds one line: remove the line breaks and control characters.",
    "Le fichier « ${name} » est momentanément indisponible : il manque sur le serveur. L'équipe technique en est informée ; la notice de la ressource reste consultable.":
        "The file “${name}” is temporarily unavailable: it is missing on the server. The technical team has been told; the resource's notice can still be read.",
    "${name} : fichier momentanément indisponible (il manque sur le serveur ; l'équipe technique en est informée).":
        "${name}: file temporarily unavailable (it is missing on the server; the technical team has been told).",
    "« ${action} » n'est plus possible : « ${title} » a été ${done} par ${actor} le ${day} à ${time} (état : ${state}).":
        "“${action}” is no longer possible: “${title}” was ${done} by ${actor} on ${day} at ${time} (state: ${state}).",
    "La recherche est momentanément indisponible : son index est en cours de réparation. Les pages des ressources restent consultables ; réessayez dans quelques minutes.":
        "Search is temporarily unavailable: its index is being repaired. Resource pages can still be read; please try again in a few minutes.",
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

# The staff's screens: forms, workflow, administration, and the sections each
# kind adds to its page.
EN.update({
    "Requête refusée": "Request refused", "Revue": "Review", "Crédits manquants": "Missing credits",
    "Le dossier ne peut pas être publié tant que ces images n'ont pas de crédit :":
        "The feature cannot be published while these images have no credit:",
    "Gérer les articles": "Manage the articles", "Sommaire du dossier": "Contents of the feature",
    "Le dossier en PDF": "The feature as PDF", "1 entrée": "1 entry", "${count} entrées": "${count} entries",
    "Index à imprimer (PDF)": "Printable index (PDF)", "Exporter en CSV": "Export as CSV",
    "Modifier le tableau": "Edit the table", "Importer un CSV": "Import a CSV file",
    "Générer une affiche par territoire": "Generate a poster for a territory",
    "Entrées de l'index « ${title} »": "Entries of the index “${title}”",
    "Modifications enregistrées entre-temps": "Changes saved meanwhile", "Fichiers actuels": "Current files",
    "Annuler et revenir": "Cancel and go back", "Supprimer ce terme": "Delete this term", "Actions": "Actions",
    "Ajouter : ${kind}": "Add: ${kind}", "Modifier le dossier": "Edit the folder", "Partage": "Sharing",
    "Renommer": "Rename", "Déplacer": "Move", "Supprimer": "Delete", "Contenu": "Content", "1 élément": "1 item",
    "${count} éléments": "${count} items", "Ce dossier est vide.": "This folder is empty.", "Dossier": "Folder",
    "← Page précédente": "← Previous page", "Page suivante →": "Next page →",
    "Le tableau n'a pas été enregistré : 1 erreur": "The table was not saved: 1 error",
    "Le tableau n'a pas été enregistré : ${count} erreurs": "The table was not saved: ${count} errors",
    "Ligne ${number} :": "Line ${number}:",
    "Quelqu'un a enregistré ce tableau pendant que vous le modifiiez": "Someone saved this table while you were editing it",
    "Ouvrez l'index enregistré": "Open the saved index",
    "Vos saisies sont conservées ci-dessous. ${link} pour comparer, puis enregistrez à nouveau : votre tableau remplacera le sien.":
        "What you typed is kept below. ${link} to compare, then save again: your table will replace theirs.",
    "Une ligne par entrée. Une ligne laissée vide est ignorée ; cochez « Retirer » pour supprimer une entrée. La première colonne (${column}) identifie l'entrée et doit être unique.":
        "One line per entry. An empty line is ignored; tick “Remove” to delete an entry. The first column (${column}) identifies the entry and must be unique.",
    "Entrées de l'index": "Entries of the index", "Ligne": "Line",
    "${c['label']}, ligne ${repeat.row.number}": "${c['label']}, line ${repeat.row.number}",
    "Retirer la ligne ${repeat.row.number}": "Remove line ${repeat.row.number}",
    "Enregistrer le tableau": "Save the table", "Ajouter 10 lignes vides": "Add 10 empty lines",
    "Importer un fichier CSV": "Import a CSV file", "Modifier les colonnes": "Edit the columns",
    "Retirer l'article « ${title} » du dossier ? Son texte, ses verbatims et ses images seront supprimés.":
        "Remove the article “${title}” from the feature? Its text, quotations and images will be deleted.",
    "Retirer l'article": "Remove the article", "Annuler": "Cancel", "Ajouter un article": "Add an article",
    "Revenir au dossier": "Back to the feature", "Articles, dans l'ordre du dossier": "Articles, in the feature's order",
    "N°": "No.", "Titre": "Title", "Images": "Images", "crédit manquant": "credit missing", "Monter": "Move up",
    "Descendre": "Move down", "Ce dossier n'a pas encore d'article.": "This feature has no article yet.",
    "Déconnexion": "Log out", "Se déconnecter ?": "Log out?", "Compte rendu de l'import": "Import report",
    "Voir l'index": "See the index", "Importer un autre fichier": "Import another file", "le CSV exporté": "the exported CSV",
    "Colonnes de cet index : ${columns}. La première ligne du fichier doit les nommer (dans n'importe quel ordre) ; ${model} sert de modèle.":
        "Columns of this index: ${columns}. The file's first line must name them (in any order); ${model} serves as a template.",
    "L'affiche": "The poster", "Format": "Size", "Tirage": "Print run", "${count} exemplaire": "${count} copy",
    "${count} exemplaires": "${count} copies", "Synthèse du guide": "Summary of the guide",
    "(pas visible du public)": "(not visible to the public)", "Générée depuis": "Generated from",
    "Aperçu de l'affiche « ${poster.title} »": "Preview of the poster “${poster.title}”",
    "Aperçu — le PDF pour l'impression est dans les fichiers ci-dessous.": "Preview — the print PDF is among the files below.",
    "Supprimer « ${title} »": "Delete “${title}”", "Supprimer « ${title} » ?": "Delete “${title}”?",
    "Ce dossier contient ${count} élément(s), qui seront supprimés avec lui.":
        "This folder holds ${count} item(s), which will be deleted with it.",
    "Cette action est définitive.": "This cannot be undone.", "Supprimer définitivement": "Delete for good",
    "Rien n'attend votre validation.": "Nothing is waiting for your review.",
    "1 ressource en validation": "1 resource pending review",
    "${count} ressources en validation, la plus ancienne d'abord": "${count} resources pending review, oldest first",
    "Ressource": "Resource", "Soumise par": "Submitted by", "Le": "On", "Commentaire": "Comment", "État :": "State:",
    "mise en ligne programmée le ${date} (UTC)": "scheduled to go online on ${date} (UTC)",
    "date de retrait dépassée": "withdrawal date passed", "réservé aux partenaires": "reserved for partners",
    "Modifier": "Edit",
    "Ce fichier semble endommagé : ni texte ni vignette n'ont pu en être extraits.":
        "This file seems damaged: neither text nor thumbnail could be extracted from it.",
    "Historique de validation": "Review history", "Créé par": "Created by", "Partage : ${title}": "Sharing: ${title}",
    "Partage de « ${title} »": "Sharing of “${title}”",
    "Les rôles donnés ici valent pour ce dossier et tout ce qu'il contient.":
        "Roles given here apply to this folder and everything in it.",
    "Rôles donnés sur ce dossier": "Roles given on this folder", "Aucun.": "None.",
    "le rôle ${role} de ${name}": "the ${role} role of ${name}",
    "Rôles hérités des dossiers parents": "Roles inherited from parent folders", "Donner un rôle": "Give a role",
    "Vous n'avez encore créé aucune ressource.": "You have not created any resource yet.",
    "Où en sont vos ressources": "Where your resources stand", "État": "State", "Dernière étape": "Last step",
    "Renvoyé en brouillon, motif :": "Sent back to draft, reason:", "créée le ${date}": "created on ${date}",
    "Édition antérieure : « ${label} » (${date}).": "Earlier edition: “${label}” (${date}).",
    "Voir l'édition en vigueur : « ${label} » (${date})": "See the current edition: “${label}” (${date})",
    "Ressources citées à vérifier": "Cited resources to check",
    "Les visiteurs ne voient pas ces liens ; modifiez le guide pour les remplacer ou les retirer.":
        "Visitors do not see these links; edit the guide to replace or remove them.",
    "Édition en vigueur :": "Current edition:", "Sommaire": "Contents",
    "Version imprimable du guide (PDF)": "Printable guide (PDF)", "Organismes à contacter": "Bodies to contact",
    "Tél.": "Tel.", "Ressources citées": "Cited resources", "Éditions": "Editions", "édition en vigueur": "current edition",
    "l'édition ${label}": "the edition ${label}", "Ajouter une édition": "Add an edition", "Statistiques": "Statistics",
    "Consultations des fiches et téléchargements des fichiers, comptés sans cookie et sans conserver d'adresse IP ; les robots et les visites de l'équipe ne sont pas comptés ; un même visiteur qui recharge dans les 30 secondes compte une fois.":
        "Page views and file downloads, counted without cookies and without keeping IP addresses; robots and the team's visits are not counted; a visitor who reloads within 30 seconds counts once.",
    "Du (AAAA-MM-JJ)": "From (YYYY-MM-DD)", "Au (AAAA-MM-JJ)": "To (YYYY-MM-DD)",
    "Du ${start} au ${end}": "From ${start} to ${end}",
    "${views} consultations, ${downloads} téléchargements.": "${views} views, ${downloads} downloads.",
    "Exporter la période en CSV": "Export the period as CSV", "Rapport annuel ${year} (PDF)": "Annual report ${year} (PDF)",
    "Jour par jour (consultations et téléchargements)": "Day by day (views and downloads)",
    "Ressources les plus consultées": "Most viewed resources",
    "Aucune consultation sur cette période.": "No views in this period.",
    "Ressources les plus consultées, avec leurs chiffres": "Most viewed resources, with their figures",
    "Consultations": "Views", "Téléchargements": "Downloads", "${group} : chiffres": "${group}: figures",
    "Valeur": "Value", "Rien sur cette période.": "Nothing in this period.", "Liens à vérifier": "Links to check",
    "Les ressources citées par des guides que les visiteurs ne peuvent pas ouvrir (supprimées, en brouillon, retirées, réservées). Les visiteurs ne voient pas ces liens : modifiez le guide pour les remplacer ou les retirer.":
        "Resources cited by guides that visitors cannot open (deleted, draft, withdrawn, reserved). Visitors do not see these links: edit the guide to replace or remove them.",
    "Aucun lien à vérifier.": "No link to check.", "Groupes": "Groups", "Aucun groupe.": "No group.",
    "Groupes et membres": "Groups and members", "Groupe": "Group", "Membres": "Members",
    "Les membres se choisissent dans la fiche de chaque compte.": "Members are chosen on each account's page.",
    "Nouveau groupe": "New group", "Vocabulaires": "Vocabularies", "${count} termes": "${count} terms",
    "Les coordonnées que les guides donnent à leurs lecteurs. Un organisme est saisi une fois et repris par tous les guides qui le citent.":
        "The contact details guides give their readers. A body is entered once and reused by every guide that cites it.",
    "Ajouter un organisme": "Add a body", "Organismes enregistrés": "Registered bodies", "Nom": "Name",
    "Coordonnées": "Contact details", "Aucun organisme pour l'instant.": "No body yet.", "Journal d'audit": "Audit log",
    "Action": "Action", "toutes": "all", "Personne": "Person", "Ressource (titre ou chemin)": "Resource (title or path)",
    "Filtrer": "Filter",
    "Dates non reconnues : utilisez la forme AAAA-MM-JJ (ex. 2026-11-21).": "Dates not recognised: use the form YYYY-MM-DD (e.g. 2026-11-21).",
    "Entrées du journal, les plus récentes d'abord": "Log entries, newest first", "Quand": "When", "Qui": "Who",
    "Sur": "On", "Détails": "Details", "← Plus récentes": "← Newer", "Plus anciennes →": "Older →",
    "Utilisateurs": "Users", "Nouveau compte": "New account", "Comptes": "Accounts", "Adresse": "Address",
    "Rôle": "Role", "Actif": "Active", "Dernière connexion": "Last login", "oui": "yes", "non": "no",
    "← Tous les vocabulaires": "← All vocabularies", "Ajouter un terme": "Add a term",
    "Termes du vocabulaire ${vocabulary}": "Terms of the vocabulary ${vocabulary}", "Libellé": "Label",
    "Sigle": "Acronym", "Code": "Code", "Autres noms": "Other names", "Ressources": "Resources", "Date": "Date",
    "Heure": "Time", "Le formulaire contient 1 erreur": "The form has 1 error",
    "Le formulaire contient ${count} erreurs": "The form has ${count} errors",
    "Les champs marqués ${mark} sont obligatoires.": "Fields marked ${mark} are required.",
    "Fichier déjà reçu :": "File already received:",
    "Il sera enregistré avec le formulaire ; choisissez un autre fichier pour le remplacer.":
        "It will be saved with the form; choose another file to replace it.",
    "Votre session a expiré : vérifiez le formulaire et envoyez-le à nouveau.":
        "Your session has expired: check the form and send it again.",
    "Administrateur": "Administrator", "Valideur": "Reviewer", "Partenaire": "Partner",
    "Adresse e-mail invalide : ${email}": "Invalid e-mail address: ${email}",
    "Rôle inconnu : ${role} (choisir parmi ${roles})": "Unknown role: ${role} (choose among ${roles})",
    "Un compte existe déjà pour ${email}": "An account already exists for ${email}",
    "Un groupe doit avoir un nom.": "A group needs a name.", "Le groupe « ${name} » existe déjà.": "The group “${name}” already exists.",
    "Rôle inconnu : ${role}": "Unknown role: ${role}", "Destinataire inconnu : ${principal}": "Unknown recipient: ${principal}",
    "Le mot de passe doit compter au moins 10 caractères.": "The password must be at least 10 characters long.",
    "Nom affiché": "Display name", "Rôle sur tout le site": "Role on the whole site",
    "Un rôle limité à un dossier se donne dans l'onglet « Partage » de ce dossier.":
        "A role limited to one folder is given in that folder's “Sharing” tab.",
    "Compte actif": "Active account", "Nouveau mot de passe": "New password",
    "Au moins 10 caractères. Laisser vide pour ne pas le changer.": "At least 10 characters. Leave empty to keep it.",
    "Au moins 10 caractères.": "At least 10 characters.", "Enregistrer": "Save",
    "Vous ne pouvez pas retirer votre propre rôle d'administrateur.": "You cannot remove your own administrator role.",
    "Compte ${email} enregistré.": "Account ${email} saved.", "Compte ${email}": "Account ${email}",
    "Nom court": "Short name", "Ex. : ddtm-62, udap-nord, enseignants-relais.": "E.g. ddtm-62, udap-nord, enseignants-relais.",
    "Intitulé": "Title", "Créer le groupe": "Create the group", "Groupe créé.": "Group created.",
    "Groupe : ${name}": "Group: ${name}", "— choisir —": "— choose —", "Personne ou groupe": "Person or group",
    "Rôle dans ce dossier": "Role in this folder", "Donner ce rôle": "Give this role", "Rôle retiré.": "Role removed.",
    "Rôle donné : il vaut pour ce dossier et tout ce qu'il contient.": "Role given: it applies to this folder and everything in it.",
    "Bonjour ${name}.": "Hello ${name}.", "Adresse e-mail ou mot de passe incorrect.": "Wrong e-mail address or password.",
    "Affiche": "Poster", "Format personnalisé": "Custom size",
    "Pour un format personnalisé, indiquez la largeur et la hauteur en millimètres.":
        "For a custom size, give the width and height in millimetres.",
    "Orientation": "Orientation", "Entre 100 et 5 000 mm.": "Between 100 and 5,000 mm.",
    "Largeur (mm, format personnalisé)": "Width (mm, custom size)", "Hauteur (mm, format personnalisé)": "Height (mm, custom size)",
    "— aucun —": "— none —", "Tirage (exemplaires imprimés)": "Print run (copies printed)",
    "Guide dont l'affiche est la synthèse": "Guide this poster summarises",
    "Un EPCI (ses communes comprises) ou une commune : l'affiche reprend les entrées de l'index qui le mentionnent.":
        "An EPCI (its communes included) or a commune: the poster takes the index entries that mention it.",
    "Titre de l'affiche": "Title of the poster",
    "Laisser vide : « <titre de l'index> — <territoire> ».": "Leave empty: “<index title> — <territory>”.",
    "Dossier où créer l'affiche": "Folder to create the poster in", "Format inconnu.": "Unknown size.",
    "Aucune entrée de l'index ne mentionne « ${territory} » ni l'une de ses communes : choisissez un autre territoire.":
        "No entry of the index mentions “${territory}” or one of its communes: choose another territory.",
    "Portrait": "Portrait", "Paysage": "Landscape", "Générer l'affiche": "Generate the poster",
    "Choisissez un territoire de la liste.": "Choose a territory from the list.",
    "Vous ne pouvez pas créer de contenu dans ce dossier.": "You cannot create content in this folder.",
    "Affiche créée en brouillon avec ${count} entrée(s) : vérifiez-la puis soumettez-la à validation.":
        "Poster created as a draft with ${count} entry(ies): check it, then submit it for review.",
    "Générer une affiche depuis « ${title} »": "Generate a poster from “${title}”",
    "L'affiche reprend, sous forme de cartes, les entrées de l'index qui nomment le territoire choisi (ou l'une de ses communes), avec les crédits et un QR code vers sa page. Elle est créée en brouillon, à soumettre à validation.":
        "The poster shows, as cards, the index entries that name the chosen territory (or one of its communes), with the credits and a QR code to its page. It is created as a draft, to be submitted for review.",
    "Par type de ressource": "By kind of resource",
    "Dates non reconnues : utilisez la forme AAAA-MM-JJ (ex. 2026-11-21). Période par défaut affichée.":
        "Dates not recognised: use the form YYYY-MM-DD (e.g. 2026-11-21). The default period is shown.",
    "La date de début était après la date de fin : elles ont été inversées.": "The start date was after the end date: they were swapped.",
    "30 derniers jours": "Last 30 days", "Cette année": "This year", "L'année dernière": "Last year",
    "Dossier de revue": "Feature", "Par exemple : D'A — D'Architectures.": "For example: D'A — D'Architectures.",
    "Numéro": "Issue", "Par exemple : 312.": "For example: 312.", "Par exemple : 54-105.": "For example: 54-105.",
    "Un par ligne, avec son rôle entre parenthèses (${roles}) : Mission Bassin Minier (compilation, rédaction).":
        "One per line, with their role in brackets (${roles}): Mission Bassin Minier (compilation, rédaction).",
    "Quand les droits de la revue réservent le texte intégral : le public voit la notice et les résumés des articles, les partenaires lisent tout.":
        "When the review's rights reserve the full text: the public sees the record and the articles' summaries, partners read everything.",
    "l'image « ${image} » de l'article « ${article} » n'a pas de crédit": "the image “${image}” of the article “${article}” has no credit",
    "Indiquez qui parle.": "Say who is speaking.", "Indiquez la citation (ou effacez le nom).": "Give the quotation (or clear the name).",
    "Une image a besoin d'une légende (ou d'un texte de remplacement).": "An image needs a caption (or an alternative text).",
    "Légende": "Caption", "Crédit": "Credit",
    "Obligatoire pour publier le dossier : © Auteur / Organisme.": "Required to publish the feature: © Author / Body.",
    "Texte de remplacement": "Alternative text", "Ce que montre l'image, si la légende ne le dit pas.": "What the image shows, if the caption does not say.",
    "Titre de l'article": "Title of the article",
    "Par exemple : Mission Bassin Minier ; Atelier Philippe Prost.": "For example: Mission Bassin Minier; Atelier Philippe Prost.",
    "Résumé": "Summary", "Visible de tous, même quand le texte est réservé aux partenaires.": "Visible to all, even when the text is reserved for partners.",
    "Texte": "Text", "Paragraphes séparés par une ligne vide, ou HTML simple.": "Paragraphs separated by an empty line, or simple HTML.",
    "Verbatim": "Quotation", "Citation": "Quotation", "Qui parle": "Speaker", "Sa fonction": "Their position",
    "Verbatims": "Quotations", "Laissez vides les blocs inutiles ; effacez un verbatim pour le retirer.":
        "Leave unneeded blocks empty; clear a quotation to remove it.",
    "Image": "Image", "Retirer cette image": "Remove this image", "Images de l'article": "Images of the article",
    "Ajouter une image": "Add an image", "Image (JPEG ou PNG)": "Image (JPEG or PNG)",
    "Elle apparaît dans l'article et dans le PDF du dossier, avec sa légende et son crédit.":
        "It appears in the article and in the feature's PDF, with its caption and credit.",
    "Ce fichier n'est pas une image JPEG ou PNG lisible : enregistrez-la dans l'un de ces formats et envoyez-la à nouveau.":
        "This file is not a readable JPEG or PNG image: save it in one of these formats and send it again.",
    "Article « ${title} » retiré du dossier.": "Article “${title}” removed from the feature.",
    "Articles du dossier « ${title} »": "Articles of the feature “${title}”", "Enregistrer l'article": "Save the article",
    "Article « ${title} » enregistré. ${count} image(s) sans crédit : le dossier ne pourra pas être publié ainsi.":
        "Article “${title}” saved. ${count} image(s) without credit: the feature cannot be published like this.",
    "Article « ${title} » enregistré.": "Article “${title}” saved.", "Modifier l'article « ${title} »": "Edit the article “${title}”",
    "Nouvel article de « ${title} »": "New article of “${title}”",
    "Un crédit est obligatoire pour chaque image avant la publication du dossier.": "Every image needs a credit before the feature is published.",
    "Vocabulaire inconnu : ${name}": "Unknown vocabulary: ${name}",
    "Le code « ${code} » est déjà utilisé dans ce vocabulaire.": "The code “${code}” is already used in this vocabulary.",
    "Le terme parent doit appartenir au même vocabulaire.": "The parent term must belong to the same vocabulary.",
    "Un terme ne peut pas être placé sous lui-même.": "A term cannot be placed under itself.", "Document": "Document",
    "Étude, rapport, plaquette, dossier de presse, lien vers une vidéo...": "Study, report, leaflet, press kit, link to a video...",
    "Néerlandais": "Dutch", "Allemand": "German", "— non précisé —": "— not given —",
    "Valeur inconnue dans ce vocabulaire.": "Unknown value in this vocabulary.", "Réservé aux partenaires": "Reserved for partners",
    "Le public voit la notice (titre, résumé) mais ni le texte ni les fichiers.": "The public sees the record (title, summary) but neither the text nor the files.",
    "Mise en ligne le": "Online from",
    "Laisser vide pour une mise en ligne dès la publication. Heure de Paris.": "Leave empty to go online on publication. Paris time.",
    "Retrait le": "Withdrawn on", "La ressource sera archivée à cette date (bassin-cms publish-due).": "The resource will be archived on that date (bassin-cms publish-due).",
    "Rester visible une fois archivée": "Stay visible once archived", "Avec un bandeau « archive ».": "With an “archive” banner.",
    "La date de retrait doit suivre la date de mise en ligne.": "The withdrawal date must follow the online date.",
    "Présentation courte": "Short presentation", "Texte d'introduction": "Introduction text",
    "Texte simple (paragraphes séparés par une ligne vide) ou HTML simple.": "Plain text (paragraphs separated by an empty line) or simple HTML.",
    "Deux ou trois phrases : elles apparaissent dans les listes et les résultats de recherche.":
        "Two or three sentences: they appear in listings and search results.",
    "Texte simple (paragraphes séparés par une ligne vide) ou HTML simple ; le reste est retiré.":
        "Plain text (paragraphs separated by an empty line) or simple HTML; anything else is removed.",
    "Type de ressource": "Kind of resource",
    "Une année (2023), un mois (2023-12 ou 12/2023) ou un jour (2023-12-05 ou 05/12/2023).":
        "A year (2023), a month (2023-12 or 12/2023) or a day (2023-12-05 or 05/12/2023).",
    "Un par ligne ; le rôle entre parenthèses, par exemple : Mission Bassin Minier (rédaction).":
        "One per line; the role in brackets, for example: Mission Bassin Minier (rédaction).",
    "Contributeurs et partenaires": "Contributors and partners",
    "Un par ligne, avec le rôle entre parenthèses : Olivier Sampson (illustrations).":
        "One per line, with the role in brackets: Olivier Sampson (illustrations).",
    "Droits / licence": "Rights / licence",
    "Par exemple : Licence Ouverte 2.0, CC BY-SA 4.0, « tous droits réservés ».": "For example: Licence Ouverte 2.0, CC BY-SA 4.0, “all rights reserved”.",
    "Département, EPCI ou commune.": "Département, EPCI or commune.", "Niveaux scolaires": "School levels",
    "Durée ou format (ressources pédagogiques)": "Duration or format (teaching resources)",
    "Par exemple : 2 séances de 55 min ; exposition de 12 panneaux ; jeu de 30 cartes.":
        "For example: 2 sessions of 55 min; exhibition of 12 panels; set of 30 cards.",
    "Remplacer le fichier principal": "Replace the main file",
    "PDF de préférence (200 Mo au plus). Le texte et la vignette en sont extraits.":
        "PDF preferably (200 MB at most). Its text and thumbnail are extracted.",
    "Ajouter une pièce jointe": "Add an attachment", "Lien externe": "External link",
    "Pour une vidéo ou un site web hébergé ailleurs.": "For a video or a website hosted elsewhere.",
    "Nouveau nom court (dans l'adresse)": "New short name (in the address)",
    "Lettres minuscules sans accent, chiffres et tirets. L'ancienne adresse redirigera vers la nouvelle.":
        "Lower-case letters without accents, digits and hyphens. The old address will redirect to the new one.",
    "Dossier de destination": "Destination folder",
    "Le code ne peut contenir que des lettres minuscules sans accent, des chiffres, « - », « _ » et « . » (100 caractères au plus).":
        "The code may only contain lower-case letters without accents, digits, “-”, “_” and “.” (100 characters at most).",
    "Le nom court ne peut contenir que des lettres minuscules sans accent, des chiffres, « - », « _ » et « . » (100 caractères au plus).":
        "The short name may only contain lower-case letters without accents, digits, “-”, “_” and “.” (100 characters at most).",
    "Le mois doit être compris entre 1 et 12.": "The month must be between 1 and 12.",
    "Ce jour n'existe pas dans ce mois.": "This day does not exist in that month.",
    "Date non reconnue : indiquez une année (2023), un mois (2023-12 ou 12/2023) ou un jour (2023-12-05 ou 05/12/2023).":
        "Date not recognised: give a year (2023), a month (2023-12 or 12/2023) or a day (2023-12-05 or 05/12/2023).",
    "On ne peut ajouter un contenu que dans un dossier.": "Content can only be added to a folder.",
    "Un nom court ne peut pas commencer par « @@ ».": "A short name cannot start with “@@”.",
    "Ce dossier contient déjà un élément nommé « ${name} ».": "This folder already holds an item named “${name}”.",
    "La racine du site ne peut pas être renommée.": "The site's root cannot be renamed.",
    "La racine du site ne peut pas être déplacée.": "The site's root cannot be moved.",
    "La destination doit être un dossier.": "The destination must be a folder.",
    "Un dossier ne peut pas être déplacé dans lui-même ou dans l'un de ses sous-dossiers.":
        "A folder cannot be moved into itself or one of its subfolders.",
    "La racine du site ne peut pas être supprimée.": "The site's root cannot be deleted.",
    "— aucun (premier niveau) —": "— none (top level) —", "Libellé en anglais": "English label",
    "Identifiant stable, en minuscules sans accent (ex. : call, commune-lens).": "Stable identifier, lower case without accents (e.g. call, commune-lens).",
    "Ex. : CALL, VUE, ERBM.": "E.g. CALL, VUE, ERBM.",
    "Anciens noms et autres graphies, un par ligne (ex. : Artois Comm). Servent à l'import et à la recherche.":
        "Former names and other spellings, one per line (e.g. Artois Comm). Used by imports and search.",
    "Terme parent": "Parent term", "Ordre": "Order", "Terme enregistré.": "Term saved.",
    "Modifier le terme « ${label} »": "Edit the term “${label}”", "Terme « ${label} » supprimé.": "Term “${label}” deleted.",
    "« ${title} » a été créé.": "“${title}” was created.",
    "Quelqu'un a modifié cette ressource pendant que vous la modifiiez. Vos saisies sont conservées ci-dessous : vérifiez les changements listés puis enregistrez à nouveau.":
        "Someone changed this resource while you were editing it. What you typed is kept below: check the changes listed, then save again.",
    "Modifications enregistrées.": "Changes saved.", "Modifier « ${title} »": "Edit “${title}”",
    "Le fichier « ${name} » a été retiré.": "The file “${name}” was removed.", "« ${title} » a été supprimé.": "“${title}” was deleted.",
    "Renommé : l'ancienne adresse redirige vers la nouvelle.": "Renamed: the old address redirects to the new one.",
    "Renommer « ${title} »": "Rename “${title}”", "Ce dossier n'existe plus.": "This folder no longer exists.",
    "Vous ne pouvez pas ajouter de contenu dans ce dossier.": "You cannot add content to this folder.",
    "Déplacé : l'ancienne adresse redirige vers la nouvelle.": "Moved: the old address redirects to the new one.",
    "Déplacer « ${title} »": "Move “${title}”",
    "La page a expiré (jeton de sécurité absent ou périmé). Revenez en arrière, rechargez la page et envoyez à nouveau le formulaire.":
        "The page has expired (security token missing or out of date). Go back, reload the page and send the form again.",
    "Le fichier n'a pas de nom.": "The file has no name.", "Le fichier « ${name} » est vide.": "The file “${name}” is empty.",
    "Le fichier « ${name} » pèse ${size} : la limite est de ${limit}.": "The file “${name}” weighs ${size}: the limit is ${limit}.",
    "Le type de fichier « .${ext} » n'est pas accepté (formats acceptés : ${allowed}).":
        "The file type “.${ext}” is not accepted (accepted formats: ${allowed}).",
    "Le fichier « ${name} » n'a pas d'extension (.pdf, .jpg, .docx...).": "The file “${name}” has no extension (.pdf, .jpg, .docx...).",
    "Le fichier « ${name} » ne correspond pas à son extension .${ext} (son contenu ressemble à : ${sniffed}).":
        "The file “${name}” does not match its .${ext} extension (its content looks like: ${sniffed}).",
    "un format inconnu": "an unknown format",
    "Index": "Index", "Colonnes du tableau": "Columns of the table",
    "Une par ligne, dans l'ordre : d'abord le numéro ou code de l'entrée, puis son nom. Ajoutez « : nombre » aux colonnes numériques (Surface (ha) : nombre). Renommer une colonne garde ses valeurs.":
        "One per line, in order: first the entry's number or code, then its name. Add “: nombre” to numeric columns (Surface (ha) : nombre). Renaming a column keeps its values.",
    "Nom d'une entrée": "Name of an entry",
    "Précède le numéro dans les résultats de recherche : « Terril 74a ».": "Comes before the number in search results: “Terril 74a”.",
    "Fichier CSV": "CSV file",
    "Première ligne : les noms des colonnes. Séparateur « ; » ou « , », encodage UTF-8 ou Windows (Excel).":
        "First line: the names of the columns. Separator “;” or “,”, UTF-8 or Windows (Excel) encoding.",
    "Les entrées déjà présentes": "The entries already there",
    "Garder : ajouter les nouvelles lignes, mettre à jour celles dont le numéro existe":
        "Keep: add the new lines, update those whose number exists",
    "Remplacer : l'index contiendra exactement les lignes du fichier": "Replace: the index will hold exactly the file's lines",
    "Choisissez un fichier CSV.": "Choose a CSV file.",
    "Ce fichier n'est pas un CSV : enregistrez le tableau au format CSV (.csv) depuis votre tableur.":
        "This file is not a CSV: save the table as CSV (.csv) from your spreadsheet.",
    "La colonne « ${label} » est en double.": "The column “${label}” appears twice.",
    "Un index a au moins deux colonnes : le numéro (ou code) puis le nom.": "An index has at least two columns: the number (or code), then the name.",
    "${max} colonnes au plus.": "${max} columns at most.",
    "« ${column} » dépasse ${max} caractères": "“${column}” exceeds ${max} characters",
    "« ${column} » : « ${text} » n'est pas un nombre": "“${column}”: “${text}” is not a number",
    "« ${column} » est vide": "“${column}” is empty",
    "${accepted} ligne(s) importée(s) : ${added} ajoutée(s), ${updated} mise(s) à jour, ${removed} retirée(s).":
        "${accepted} line(s) imported: ${added} added, ${updated} updated, ${removed} removed.",
    "${accepted} ligne(s) importée(s) : ${added} ajoutée(s), ${updated} mise(s) à jour.":
        "${accepted} line(s) imported: ${added} added, ${updated} updated.",
    "Colonnes ignorées (inconnues de l'index) : ${columns}.": "Columns ignored (unknown to the index): ${columns}.",
    "Colonnes absentes du fichier (laissées vides) : ${columns}.": "Columns missing from the file (left empty): ${columns}.",
    "Ligne ${number} rejetée : ${reason}.": "Line ${number} rejected: ${reason}.",
    "le numéro « ${key} » est déjà celui de la ligne ${line}": "the number “${key}” is already that of line ${line}",
    "Le fichier est vide.": "The file is empty.", "Fichier CSV illisible : ${error}.": "Unreadable CSV file: ${error}.",
    "La première ligne du fichier doit nommer les colonnes, dont « ${first} ». Colonnes attendues : ${columns}.":
        "The file's first line must name the columns, including “${first}”. Expected columns: ${columns}.",
    "un index compte ${max} entrées au plus": "an index holds ${max} entries at most",
    "${cells} cellules pour ${columns} colonnes": "${cells} cells for ${columns} columns",
    "le numéro « ${key} » figure déjà ligne ${line}": "the number “${key}” is already on line ${line}",
    "CSV illisible à partir d'ici (${error})": "CSV unreadable from here on (${error})",
    "Tableau enregistré : ${count} entrée(s).": "Table saved: ${count} entry(ies).",
    "Modifier le tableau de « ${title} »": "Edit the table of “${title}”", "Importer": "Import",
    "Importer des entrées dans « ${title} »": "Import entries into “${title}”", "Guide": "Technical guide",
    "Chapitres": "Chapters",
    "Chaque chapitre commence par une ligne « # Titre du chapitre » ; le texte qui suit (paragraphes séparés par une ligne vide) est son contenu. La table des matières et les ancres sont faites à partir des titres.":
        "Each chapter starts with a line “# Chapter title”; the text that follows (paragraphs separated by an empty line) is its content. The table of contents and the anchors are made from the titles.",
    "Ressources du centre citées": "Resources of the centre cited",
    "Une par ligne : son lien permanent (…/r/abc123) ou son adresse sur ce site, puis, si besoin, « — » et une note. Une ressource supprimée ou retirée de la publication n'est plus montrée aux visiteurs et vous est signalée.":
        "One per line: its permanent link (…/r/abc123) or its address on this site, then, if needed, “—” and a note. A resource deleted or withdrawn from publication is no longer shown to visitors and is reported to you.",
    "Gérés une fois pour tous les guides (Administration › Organismes à contacter).":
        "Managed once for all guides (Administration › Bodies to contact).",
    "Intitulé de l'édition": "Title of the edition",
    "Par exemple : Cahier technique, septembre 2021 ; 2e édition revue.": "For example: Cahier technique, septembre 2021; 2e édition revue.",
    "Date de l'édition": "Date of the edition",
    "Une année (2023), un mois (2023-12) ou un jour (2023-12-05). L'édition la plus récente est celle que montre la page du guide.":
        "A year (2023), a month (2023-12) or a day (2023-12-05). The newest edition is the one the guide's page shows.",
    "Ce qui a changé": "What changed", "Fichier de cette édition": "File of this edition",
    "Le PDF de l'édition (200 Mo au plus). Les fichiers des éditions antérieures restent téléchargeables.":
        "The edition's PDF (200 MB at most). The files of earlier editions remain downloadable.",
    "Nom de l'organisme": "Name of the body", "Téléphone": "Telephone", "Courriel": "E-mail",
    "Adresse de courriel non valide.": "Invalid e-mail address.", "Site web": "Website", "Adresse complète : https://…": "Full address: https://…",
    "ligne ${number} : titre de chapitre vide après « # »": "line ${number}: empty chapter title after “#”",
    "ligne ${number} : ce texte précède le premier titre « # … » et n'appartient à aucun chapitre":
        "line ${number}: this text comes before the first “# …” title and belongs to no chapter",
    "${count} chapitres : ${max} au plus": "${count} chapters: ${max} at most", "Chapitres : ${problems}.": "Chapters: ${problems}.",
    "ligne ${number} (« ${reference} ») : aucune ressource du centre à cette adresse":
        "line ${number} (“${reference}”): no resource of the centre at this address",
    "ligne ${number} : « ${title} » est un dossier, pas une ressource": "line ${number}: “${title}” is a folder, not a resource",
    "Ressources citées : ${problems}.": "Cited resources: ${problems}.",
    "ressource supprimée : « ${title} » (cette ligne sera retirée)": "deleted resource: “${title}” (this line will be removed)",
    "supprimée": "deleted", "pas visible du public (état : ${state})": "not visible to the public (state: ${state})",
    "Un organisme s'appelle déjà « ${name} » : modifiez celui-là.": "A body is already called “${name}”: edit that one.",
    "Enregistrer l'édition": "Save the edition",
    "Édition enregistrée. La page du guide montre l'édition « ${label} » (${date}).":
        "Edition saved. The guide's page shows the edition “${label}” (${date}).",
    "Nouvelle édition de « ${title} »": "New edition of “${title}”", "Modifier l'édition « ${label} »": "Edit the edition “${label}”",
    "La page du guide et son lien permanent montrent toujours l'édition la plus récente ; les éditions antérieures restent consultables avec un bandeau qui renvoie à la courante.":
        "The guide's page and its permanent link always show the newest edition; earlier editions can still be read, with a banner pointing to the current one.",
    "« ${name} » enregistré.": "“${name}” saved.", "Nouvel organisme à contacter": "New body to contact",
    "Les coordonnées sont reprises par tous les guides qui citent cet organisme.": "The details are reused by every guide that cites this body.",
    "Action inconnue.": "Unknown action.",
    "« ${action} » n'est pas possible : la ressource est « ${state} ».": "“${action}” is not possible: the resource is “${state}”.",
    "Vous ne pouvez pas « ${action} » cette ressource.": "You cannot “${action}” this resource.",
    "Indiquez le motif : il sera transmis à l'auteur.": "Give the reason: it will be sent to the author.",
    "Publication impossible : ${problems}.": "Cannot publish: ${problems}.",
    "Brouillon": "Draft", "En validation": "Pending review", "Publié": "Published", "Archivé": "Archived",
    "Soumettre à validation": "Submit for review", "soumettre à validation": "submit for review", "soumis à validation": "submitted for review",
    "Publier": "Publish", "publier": "publish", "publié": "published",
    "Renvoyer en brouillon": "Send back to draft", "renvoyer en brouillon": "send back to draft", "renvoyé en brouillon": "sent back to draft",
    "Retirer de la publication": "Withdraw from publication", "retirer de la publication": "withdraw from publication",
    "retiré de la publication": "withdrawn from publication", "Archiver": "Archive", "archiver": "archive", "archivé": "archived",
    "Restaurer (republier)": "Restore (republish)", "restaurer (republier)": "restore (republish)", "restauré": "restored",
    "Motif (transmis à l'auteur)": "Reason (sent to the author)", "« ${title} » : ${action} — état : ${state}.": "“${title}”: ${action} — state: ${state}.",
    "${action} : « ${title} »": "${action}: “${title}”", "La personne concernée est prévenue par courriel.": "The person concerned is told by e-mail.",
    "Cette ressource n'existe pas ou n'est pas disponible.": "This resource does not exist or is not available.",
    "Votre sélection est pleine (100 ressources) : retirez-en avant d'en ajouter.": "Your selection is full (100 resources): remove some before adding more.",
    "« ${title} » est dans votre sélection (${count}).": "“${title}” is in your selection (${count}).",
    "Retiré de votre sélection.": "Removed from your selection.", "Votre sélection est vide.": "Your selection is empty.",
    "Votre sélection est vide : rien à télécharger.": "Your selection is empty: nothing to download.",
    "Types de ressource": "Resource kinds", "Synonymes de recherche": "Search synonyms",
    "Gérer le site": "Manage the site", "Contenu de la racine": "Content of the root folder",
    "Adresse web non valide : elle commence par https:// ou http://.":
        "Invalid web address: it starts with https:// or http://.",
    "Ce dossier ne peut pas être supprimé : ${count} des éléments qu'il contient ne peuvent pas être supprimés avec votre rôle (en validation, archivés, ou hors de vos droits). Supprimez ou déplacez d'abord les autres, ou demandez à un administrateur.":
        "This folder cannot be deleted: ${count} of the items it holds cannot be deleted with your role (pending, archived, or outside your rights). Delete or move the others first, or ask an administrator.",
    "Suppression refusée : ${count} élément(s) de ce dossier ne peuvent pas être supprimés avec votre rôle (en validation, archivés, ou hors de vos droits).":
        "Deletion refused: ${count} item(s) of this folder cannot be deleted with your role (pending, archived, or outside your rights).",
})


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
