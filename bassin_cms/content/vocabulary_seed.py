"""The vocabularies an installation starts with (``bassin-cms initdb``).

Administrators edit them afterwards in /admin/vocabularies; initdb only adds terms
whose code is missing, never overwrites an edited one.

Territories: the communes listed are those named in the agency's documents and
catalogue, filed under their EPCI; the full list of the 251 communes of the mining
basin is meant to be completed by the administrators (or a CSV import later).
Each entry: (code, label, extra) with extra holding acronym, aliases, label_en,
children.
"""

from bassin_cms.i18n import _

THEMES = [
    (
        "patrimoine-mondial",
        "Patrimoine mondial",
        {
            "label_en": "World Heritage",
            "aliases": "unesco\ncandidature\n10e anniversaire\nhistoire de la mission",
            "children": [
                (
                    "vue",
                    "Valeur universelle exceptionnelle",
                    {"acronym": "VUE", "label_en": "Outstanding Universal Value"},
                ),
                (
                    "gestion-du-bien",
                    "Gestion du Bien",
                    {
                        "label_en": "Management of the property",
                        "aliases": "gestion\nplan de gestion\nbien inscrit\nzone tampon",
                    },
                ),
                (
                    "site-classe",
                    "Site classé",
                    {"label_en": "Listed site", "aliases": "protection du patrimoine\nmonuments historiques"},
                ),
                (
                    "veille-patrimoniale",
                    "Veille patrimoniale",
                    {"label_en": "Heritage monitoring", "aliases": "patrimoine en danger\nrestauration"},
                ),
                ("evaluation", "Évaluation", {"label_en": "Evaluation", "aliases": "rapport periodique"}),
            ],
        },
    ),
    (
        "paysage-environnement",
        "Paysage et environnement",
        {
            "label_en": "Landscape and environment",
            "children": [
                ("terrils", "Terrils", {"label_en": "Slag heaps", "aliases": "chaine des terrils"}),
                ("paysage", "Paysage", {"label_en": "Landscape", "aliases": "jardins"}),
                (
                    "espaces-naturels",
                    "Espaces naturels",
                    {"label_en": "Natural areas", "aliases": "chaine des parcs\nvoie d'eau"},
                ),
                (
                    "trame-verte-et-bleue",
                    "Trame verte et bleue",
                    {"acronym": "TVB", "label_en": "Green and blue corridors"},
                ),
                (
                    "climat-risques",
                    "Climat et risques",
                    {"label_en": "Climate and risks", "aliases": "climat\nrisques\ninondation"},
                ),
            ],
        },
    ),
    (
        "urbanisme-habitat",
        "Urbanisme et habitat",
        {
            "label_en": "Planning and housing",
            "children": [
                (
                    "urbanisme",
                    "Urbanisme",
                    {
                        "label_en": "Town planning",
                        "aliases": "amenagement\nurbanisme commercial\ncentralites\nmetropolisation",
                    },
                ),
                (
                    "planification",
                    "Planification (PLU, SCOT)",
                    {"label_en": "Planning documents", "aliases": "plu\nplui\nscot\nporter a connaissance"},
                ),
                (
                    "cites-minieres",
                    "Cités minières",
                    {"label_en": "Mining estates", "aliases": "cites\nhabitat minier"},
                ),
                (
                    "habitat",
                    "Habitat et logement",
                    {
                        "label_en": "Housing",
                        "aliases": "logement\nlogement social\nrenovation\nrenouvellement urbain\nperformance energetique",
                    },
                ),
                (
                    "architecture",
                    "Architecture",
                    {
                        "label_en": "Architecture",
                        "aliases": "patrimoine industriel\npatrimoine minier\npatrimoine\nreconversion",
                    },
                ),
            ],
        },
    ),
    (
        "culture-tourisme",
        "Culture, tourisme et médiation",
        {
            "label_en": "Culture, tourism and outreach",
            "children": [
                (
                    "mediation",
                    "Médiation",
                    {"label_en": "Outreach", "aliases": "sensibilisation\nmemoire\npublications"},
                ),
                ("education", "Éducation", {"label_en": "Education", "aliases": "jeunesse\nformation"}),
                (
                    "culture",
                    "Culture et création",
                    {
                        "label_en": "Culture and creation",
                        "aliases": "culture\ncreation artistique\nphotographie\nmusique\nevenement\nlouvre-lens",
                    },
                ),
                (
                    "tourisme",
                    "Tourisme",
                    {"label_en": "Tourism", "aliases": "itinerance\nmarketing territorial\nsignaletique"},
                ),
                (
                    "sports-de-nature",
                    "Sports de nature",
                    {
                        "label_en": "Outdoor sports",
                        "aliases": "velo\nrandonnee\ntrail\nvol libre\ncourse d'orientation\nmobilite douce",
                    },
                ),
            ],
        },
    ),
    (
        "transitions",
        "Transitions et développement",
        {
            "label_en": "Transitions and development",
            "children": [
                (
                    "erbm",
                    "Engagement pour le Renouveau du Bassin Minier",
                    {"acronym": "ERBM", "label_en": "Mining Basin Renewal Commitment"},
                ),
                (
                    "transition-ecologique",
                    "Transition écologique et énergétique",
                    {
                        "label_en": "Ecological and energy transition",
                        "aliases": "transition ecologique\ntransition energetique\ntransition juste\nenergies renouvelables\neolien\nphotovoltaique\nprecarite energetique",
                    },
                ),
                ("mobilite", "Mobilité et transports", {"label_en": "Mobility", "aliases": "transports"}),
                (
                    "economie",
                    "Économie et emploi",
                    {
                        "label_en": "Economy and jobs",
                        "aliases": "emploi\ninsertion\ndeveloppement economique\ndeveloppement territorial\nfinances locales\nservices au public",
                    },
                ),
                (
                    "sante-social",
                    "Santé et observation sociale",
                    {
                        "label_en": "Health and social observation",
                        "aliases": "sante\nobservation sociale\npeuplement\nayants droit des mines",
                    },
                ),
            ],
        },
    ),
    (
        "connaissance",
        "Connaissance et données",
        {
            "label_en": "Knowledge and data",
            "children": [
                ("donnees", "Données", {"label_en": "Data", "aliases": "numerique"}),
                ("cartographie", "Cartographie", {"label_en": "Mapping"}),
                ("observation", "Observation et diagnostic", {"label_en": "Observation", "aliases": "diagnostic"}),
                ("recherche", "Recherche", {"label_en": "Research"}),
            ],
        },
    ),
    (
        "gouvernance",
        "Gouvernance et partenariats",
        {
            "label_en": "Governance and partnerships",
            "children": [
                (
                    "gouvernance-instances",
                    "Gouvernance",
                    {"label_en": "Governance", "aliases": "gouvernance\nparticipation\nterritoire"},
                ),
                (
                    "communication",
                    "Communication et presse",
                    {"label_en": "Communication and press", "aliases": "communication\npresse"},
                ),
                (
                    "financements",
                    "Financements et mécénat",
                    {"label_en": "Funding and sponsorship", "aliases": "financements\nmecenat"},
                ),
                (
                    "cooperation",
                    "Coopération",
                    {"label_en": "Cooperation", "aliases": "cooperation internationale\ncooperation"},
                ),
            ],
        },
    ),
]

EPCIS = {
    "nord": [
        (
            "caph",
            "Communauté d'agglomération de la Porte du Hainaut",
            "CAPH",
            "La Porte du Hainaut\nPorte du Hainaut",
            [
                "Wallers-Arenberg",
                "Raismes",
                "Haveluy",
                "Denain",
                "Escaudain",
                "Lourches",
                "Douchy-les-Mines",
                "Abscon",
                "Saint-Amand-les-Eaux",
                "Hérin",
                "Oisy",
                "Bellaing",
                "Escautpont",
                "Wavrechain-sous-Denain",
                "Haulchin",
                "Thiant",
                "Rœulx",
                "Neuville-sur-Escaut",
                "La Sentinelle",
                "Trith-Saint-Léger",
            ],
        ),
        (
            "cavm",
            "Valenciennes Métropole",
            "CAVM",
            "Communauté d'agglomération Valenciennes Métropole",
            [
                "Valenciennes",
                "Anzin",
                "Condé-sur-l'Escaut",
                "Fresnes-sur-Escaut",
                "Vieux-Condé",
                "Onnaing",
                "Quarouble",
                "Bruay-sur-l'Escaut",
                "Saint-Saulve",
                "Marly",
                "Aulnoy-lez-Valenciennes",
                "Beuvrages",
                "Crespin",
                "Quiévrechain",
                "Petite-Forêt",
                "Vicq",
                "Hergnies",
            ],
        ),
        (
            "douaisis-agglo",
            "Douaisis Agglo",
            "Douaisis Agglo",
            "CAD\nCommunauté d'agglomération du Douaisis",
            [
                "Douai",
                "Sin-le-Noble",
                "Lallaing",
                "Lewarde",
                "Waziers",
                "Auby",
                "Flers-en-Escrebieux",
                "Roost-Warendin",
                "Dechy",
                "Guesnain",
                "Cuincy",
                "Lambres-lez-Douai",
                "Râches",
                "Raimbeaucourt",
                "Courchelettes",
                "Esquerchin",
                "Anhiers",
                "Flines-lez-Raches",
            ],
        ),
        (
            "ccco",
            "Communauté de communes Cœur d'Ostrevent",
            "CCCO",
            "Coeur d'Ostrevent\nCœur d'Ostrevent",
            [
                "Somain",
                "Aniche",
                "Pecquencourt",
                "Montigny-en-Ostrevent",
                "Rieulay",
                "Marchiennes",
                "Fenain",
                "Auberchicourt",
                "Masny",
                "Écaillon",
                "Hornaing",
                "Erre",
                "Wandignies-Hamage",
                "Vred",
                "Loffre",
            ],
        ),
    ],
    "pas-de-calais": [
        (
            "call",
            "Communauté d'agglomération de Lens-Liévin",
            "CALL",
            "Lens-Liévin\nLensois",
            [
                "Lens",
                "Liévin",
                "Loos-en-Gohelle",
                "Annay-sous-Lens",
                "Bénifontaine",
                "Avion",
                "Grenay",
                "Mazingarbe",
                "Bully-les-Mines",
                "Sains-en-Gohelle",
                "Harnes",
                "Wingles",
                "Vendin-le-Vieil",
                "Méricourt",
                "Sallaumines",
                "Noyelles-sous-Lens",
                "Aix-Noulette",
                "Souchez",
                "Angres",
                "Givenchy-en-Gohelle",
                "Éleu-dit-Leauwette",
                "Hulluch",
                "Billy-Montigny",
                "Loison-sous-Lens",
                "Estevelles",
                "Pont-à-Vendin",
                "Vimy",
                "Ablain-Saint-Nazaire",
                "Fouquières-lès-Lens",
            ],
        ),
        (
            "cahc",
            "Communauté d'agglomération d'Hénin-Carvin",
            "CAHC",
            "Hénin-Carvin",
            [
                "Hénin-Beaumont",
                "Carvin",
                "Oignies",
                "Courrières",
                "Montigny-en-Gohelle",
                "Noyelles-Godault",
                "Rouvroy",
                "Drocourt",
                "Dourges",
                "Courcelles-lès-Lens",
                "Évin-Malmaison",
                "Leforest",
                "Libercourt",
                "Bois-Bernard",
            ],
        ),
        (
            "cabbalr",
            "Communauté d'agglomération de Béthune-Bruay, Artois Lys Romane",
            "CABBALR",
            "Artois Comm\nArtois Comm.\nCommunauté d'agglomération Artois Comm\nBéthune-Bruay",
            [
                "Béthune",
                "Bruay-la-Buissière",
                "Auchel",
                "Barlin",
                "Hersin-Coupigny",
                "Haillicourt",
                "Houdain",
                "Marles-les-Mines",
                "Calonne-Ricouart",
                "Nœux-les-Mines",
                "Vermelles",
                "Billy-Berclau",
                "Douvrin",
                "Haisnes",
                "Labourse",
                "Beuvry",
                "Divion",
                "Lillers",
                "Burbure",
                "Annezin",
                "Labuissière",
                "Ruitz",
                "Cauchy-à-la-Tour",
                "Camblain-Châtelain",
                "Ferfay",
                "Lapugnoy",
            ],
        ),
    ],
}

TERRITORY_ROOTS = [
    (
        "bassin-minier",
        "Bassin minier du Nord-Pas de Calais",
        {
            "label_en": "Nord-Pas de Calais mining basin",
            "aliases": "bassin minier nord-pas de calais (ensemble)\nbassin minier\ncommunes minieres du nord-pas de calais\ncommunes du bien et de la zone tampon\nbien inscrit\n5 grands sites miniers",
        },
    ),
    (
        "hauts-de-france",
        "Hauts-de-France",
        {
            "label_en": "Hauts-de-France region",
            "aliases": "region\nnord-pas de calais\nnord et pas-de-calais\ninterdepartemental (nord et pas-de-calais)",
        },
    ),
    ("territoires-de-projet", "Territoires de projet", {"label_en": "Project areas"}),
    (
        "france",
        "France",
        {
            "label_en": "France",
            "aliases": "national\nnational (biens francais)\nnational (biens francais du patrimoine mondial)",
        },
    ),
    (
        "europe",
        "Europe et international",
        {"label_en": "Europe and international", "aliases": "europe\ninternational\ninternational (chili)"},
    ),
]

# Areas that cross the EPCIs: filed under "Territoires de projet".
PROJECT_AREAS = [
    (
        "euralens",
        "Euralens",
        {
            "aliases": "perimetre euralens\nartois (perimetre euralens)\nartois-douaisis (perimetre euralens)\nperimetre euralens (artois-douaisis)\nartois-douaisis\nperimetre euralens / pma"
        },
    ),
    (
        "aml",
        "Aire métropolitaine de Lille",
        {
            "acronym": "AML",
            "aliases": "aire metropolitaine de lille (dont liens avec la picardie)\nautour de lille\nmetropole lilloise",
        },
    ),
    ("pma", "Pôle métropolitain de l'Artois", {"acronym": "PMA"}),
    (
        "pnr-scarpe-escaut",
        "Parc naturel régional Scarpe-Escaut",
        {"acronym": "PNR Scarpe-Escaut", "aliases": "pnrse\nvallee de la scarpe\nscarpe aval\nescaut"},
    ),
    ("scot-grand-douaisis", "SCOT du Grand Douaisis", {}),
    (
        "destination-all",
        "Destination Autour du Louvre-Lens",
        {"acronym": "ALL", "aliases": "destination all\ndestination autour du louvre-lens (all)"},
    ),
]

DEPARTEMENTS = [
    ("nord", "Nord", {"acronym": "59", "aliases": "departement du nord\nbassin minier (nord)"}),
    ("pas-de-calais", "Pas-de-Calais", {"acronym": "62", "aliases": "departement du pas-de-calais"}),
]

AUDIENCES = [
    (
        "partenaires",
        "Partenaires institutionnels",
        {
            "label_en": "Institutional partners",
            "aliases": "partenaires\nepci\nintercommunalites\ncollectivites\ncollectivites territoriales\ncommunes\nservices de l'etat\netat\ndrac\nscot\nfinanceurs\nregion\nconseil regional\ndepartements\nconseils departementaux\nacteurs publics\nacteurs territoriaux\nbailleurs\ngestionnaires du bien\ngestionnaires\ngestionnaires de reseaux\nsyndicats mixtes de transports\ndepartement du nord\netat (six ministres)\nunesco (centre du patrimoine mondial)\ncomite technique patrimoine mondial\ncommission particuliere du debat public\npartenaires erbm\npartenaires euralens\npartenaires tvb\nmecenes\ndonateurs",
        },
    ),
    ("elus", "Élus", {"label_en": "Elected officials", "aliases": "maires\nmembres des instances"}),
    (
        "techniciens",
        "Techniciens et professionnels",
        {
            "label_en": "Practitioners",
            "aliases": "professionnels\nmaitres d'oeuvre\ndonneurs d'ordre\nprofessionnels de la mediation patrimoniale\nacteurs de la mediation\nmediateurs\nacteurs du tourisme\noffices de tourisme\nacteurs economiques\nentreprises",
        },
    ),
    ("proprietaires", "Propriétaires et habitants", {"label_en": "Owners and residents", "aliases": "habitants"}),
    (
        "enseignants",
        "Enseignants et scolaires",
        {"label_en": "Teachers and pupils", "aliases": "etablissements scolaires\ncolleges\nlyceens\neducation"},
    ),
    (
        "grand-public",
        "Grand public",
        {"label_en": "General public", "aliases": "visiteurs\ntouristes\nfamilles\njeunes\njeunes (13-25 ans)"},
    ),
    (
        "chercheurs",
        "Chercheurs et étudiants",
        {"label_en": "Researchers and students", "aliases": "etudiants\netudiants en architecture\nrecherche"},
    ),
    ("presse", "Presse", {"label_en": "Press"}),
]

# Aliases: how legacy catalogues name the levels (audiences, titles); only
# words that say "for class" (a level makes a resource teachers' material).
LEVELS = [
    ("ecole", "École", {"label_en": "Primary school", "aliases": "ecole primaire\necoles primaires\necoliers"}),
    ("college", "Collège", {"label_en": "Lower secondary", "aliases": "colleges\ncollegiens"}),
    ("lycee", "Lycée", {"label_en": "Upper secondary", "aliases": "lycees\nlyceens\nterminale"}),
    ("superieur", "Supérieur", {"label_en": "Higher education"}),
]

SUBJECTS = [
    (
        "histoire-geographie",
        "Histoire-géographie",
        # The APHG is the association of history and geography teachers.
        {"label_en": "History and geography", "aliases": "histoire geographie\naphg"},
    ),
    ("hggsp", "Histoire-géographie, géopolitique et sciences politiques", {"acronym": "HGGSP", "label_en": "HGGSP"}),
    ("arts-plastiques", "Arts plastiques", {"label_en": "Visual arts"}),
    ("education-musicale", "Éducation musicale", {"label_en": "Music"}),
    ("svt", "Sciences de la vie et de la Terre", {"acronym": "SVT", "label_en": "Life and earth sciences"}),
    ("francais", "Français", {"label_en": "French"}),
    ("emc", "Enseignement moral et civique", {"acronym": "EMC", "label_en": "Civic education"}),
    ("technologie", "Technologie", {"label_en": "Technology"}),
]

# Resource kinds. Aliases are folded (lower case, no accents); the legacy import
# maps "étude (document tiers)" or "guide / cahier technique" through them.
KINDS = [
    (
        "etude",
        "Étude",
        {
            "label_en": "Study",
            "aliases": "etude\nenquete\ndiagnostic\nanalyse\netat des lieux\nreferentiel\nsynthese d'enquete",
        },
    ),
    (
        "rapport",
        "Rapport",
        {
            "label_en": "Report",
            "aliases": "rapport\nrapport d'activite\nbilan\nrapport de mission interministerielle\nevaluation\nlivre blanc\ncontribution\nnote\nnote d'enjeux\navis\nporter a connaissance",
        },
    ),
    (
        "guide",
        "Guide / cahier technique",
        {
            "label_en": "Technical guide",
            "aliases": "guide\ncahier technique\nguide technique\ncahier de recommandations\norientations de gestion\ndossier technique\nboite a outils\nguide de randonnee\nguide touristique\nguide de voyage",
        },
    ),
    ("index", "Index", {"label_en": "Index", "aliases": "index\ninventaire\nliste"}),
    ("poster", "Poster / affiche", {"label_en": "Poster", "aliases": "poster\naffiche\nkakemono\nposter (serie)"}),
    (
        "dossier-revue",
        "Dossier de revue",
        {
            "label_en": "Feature",
            "aliases": "dossier / articles (revue)\narticles (revue)\ntire a part\narticle de presse",
        },
    ),
    (
        "synthese",
        "Synthèse / publication",
        {
            "label_en": "Publication",
            "aliases": "synthese\npublication\ndocument de synthese\nlivre\nouvrage\nlivret\nactes\nplaquette\njournal\nnewsletter\nlettre d'information\nfiches projets",
        },
    ),
    (
        "plan-schema",
        "Plan, schéma, document d'urbanisme",
        {
            "label_en": "Plan or scheme",
            "aliases": "schema\nschema cadre\nplan\nplan de paysage\nplan de gestion\nplan local d'urbanisme intercommunal\nprojet d'amenagement\nstrategie locale\ndiagnostic / plan d'actions\ncharte\ncahier des charges",
        },
    ),
    (
        "convention",
        "Convention / contrat",
        {
            "label_en": "Agreement",
            "aliases": "convention\ncontrat\nreleve de decisions\ncompte rendu\ndossier de candidature\ndossier de classement\ndossier",
        },
    ),
    (
        "presse",
        "Dossier / communiqué de presse",
        {
            "label_en": "Press kit",
            "aliases": "communique\ndossier de presse\ncommunique / dossier de presse",
        },
    ),
    (
        # The agency's own name for its yearly press review.
        "revue-de-presse",
        "Panorama de presse",
        {"label_en": "Press review", "aliases": "panorama de presse\nrevue de presse"},
    ),
    (
        # The press gallery's kind (gallery/): seen by journalists and staff only.
        "image",
        "Image (photothèque presse)",
        {"label_en": "Press image", "aliases": "image\nphoto de presse\nphototheque"},
    ),
    ("presentation", "Présentation", {"label_en": "Slides", "aliases": "presentation\nsynthese / presentations"}),
    (
        "carte-donnees",
        "Carte / jeu de données",
        {
            "label_en": "Map or dataset",
            "aliases": "carte\ncarte interactive\njeu de donnees\ntableau\ntableau de bord\nbase de donnees\ncartographie\ntrace\noutil d'aide a la decision",
        },
    ),
    (
        "outil-numerique",
        "Outil numérique / site web",
        {
            "label_en": "Digital tool or web site",
            "aliases": "outil numerique\nsite web\nportail web\npage web\ncontenu en ligne\nannuaire\nrepertoire en ligne\noutil numerique (sig collaboratif)",
        },
    ),
    (
        "pedagogique",
        "Ressource pédagogique",
        {
            "label_en": "Teaching resource",
            "aliases": "kit pedagogique\noutil pedagogique\nobjet de mediation\noutil de mediation\nroadbook\njeu",
        },
    ),
    (
        "exposition",
        "Exposition",
        {
            "label_en": "Exhibition",
            "aliases": "exposition\nexposition itinerante\nexposition photographique\nexposition-parcours\nillustrations",
        },
    ),
    (
        "video-audio",
        "Vidéo / audio",
        {"label_en": "Video or audio", "aliases": "video\nenregistrement audio\noeuvre musicale\npartition"},
    ),
    ("signaletique", "Signalétique", {"label_en": "Signage", "aliases": "signaletique\npanneaux\nparcours"}),
    (
        "communication",
        "Outil de communication",
        {
            "label_en": "Communication material",
            "aliases": "identite visuelle\nmarque\ncharte graphique\nkit de communication\ncarte de voeux\ntextes / contenus\ntextes\ncontenus",
        },
    ),
]

# Search synonyms that are not facets: every name of an entry (label, acronym,
# synonyms) is equivalent at query time, with a lower weight than the words
# typed. Administrators edit them in /admin/vocabularies/synonym. Besides the
# acronyms of the bodies partners deal with, the everyday short forms people
# type (expo, asso, St, Ste) and the review's name as the agency writes it (D'A).
SYNONYMS = [
    ("pac", "porter à connaissance", {"acronym": "PAC", "synonyms": "porté à connaissance"}),
    ("plu", "plan local d'urbanisme", {"acronym": "PLU"}),
    ("abf", "architecte des bâtiments de France", {"acronym": "ABF"}),
    (
        "udap",
        "unité départementale de l'architecture et du patrimoine",
        {"acronym": "UDAP", "synonyms": "STAP\nservice territorial de l'architecture et du patrimoine"},
    ),
    ("caue", "conseil d'architecture, d'urbanisme et de l'environnement", {"acronym": "CAUE"}),
    ("ddtm", "direction départementale des territoires et de la mer", {"acronym": "DDTM"}),
    ("dreal", "direction régionale de l'environnement, de l'aménagement et du logement", {"acronym": "DREAL"}),
    ("drac", "direction régionale des affaires culturelles", {"acronym": "DRAC"}),
    ("plui", "plan local d'urbanisme intercommunal", {"acronym": "PLUi"}),
    ("scot", "schéma de cohérence territoriale", {"acronym": "SCOT"}),
    ("epci", "établissement public de coopération intercommunale", {"acronym": "EPCI"}),
    ("qpv", "quartier prioritaire de la politique de la ville", {"acronym": "QPV"}),
    ("mh", "monument historique", {"acronym": "MH", "synonyms": "monuments historiques"}),
    ("d-architectures", "D'Architectures", {"acronym": "D'A", "synonyms": "revue D'A\nrevue D'Architectures"}),
    ("expo", "exposition", {"synonyms": "expo\nexpos"}),
    ("asso", "association", {"synonyms": "asso\nassos"}),
    ("photo", "photographie", {"synonyms": "photo\nphotos"}),
    ("biblio", "bibliographie", {"synonyms": "biblio"}),
    ("agglo", "communauté d'agglomération", {"synonyms": "agglo\nagglomération"}),
    ("comcom", "communauté de communes", {"synonyms": "com com\ncomcom"}),
    ("saint", "saint", {"synonyms": "st"}),
    ("sainte", "sainte", {"synonyms": "ste"}),
    ("velo", "vélo", {"synonyms": "cyclable\nbicyclette"}),
]

# Their names are messages: English in the catalogue (bassin_cms/locale).
VOCABULARIES = {
    "theme": _("Thèmes"),
    "territory": _("Territoires"),
    "audience": _("Publics"),
    "level": _("Niveaux scolaires"),
    "subject": _("Disciplines"),
    "kind": _("Types de ressource"),
    "synonym": _("Synonymes de recherche"),
}


def seed_entries():
    """(vocabulary, code, label, extra, parent_code) in insertion order."""
    from .text import slugify

    rows = []
    for code, label, extra in [(c, lab, {k: v for k, v in e.items() if k != "children"}) for c, lab, e in THEMES]:
        rows.append(("theme", code, label, extra, None))
    for code, _label, extra in THEMES:
        for child_code, child_label, child_extra in extra["children"]:
            rows.append(("theme", child_code, child_label, child_extra, code))
    for code, label, extra in TERRITORY_ROOTS:
        rows.append(("territory", code, label, extra, None))
    for code, label, extra in DEPARTEMENTS:
        rows.append(("territory", code, label, extra, "hauts-de-france"))
    for code, label, extra in PROJECT_AREAS:
        rows.append(("territory", code, label, extra, "territoires-de-projet"))
    for dept, epcis in EPCIS.items():
        for code, label, acronym, aliases, communes in epcis:
            # An intercommunality's other names are searched too (former names,
            # other spellings): Artois Comm finds the CABBALR.
            extra = {"acronym": acronym, "aliases": aliases, "synonyms": aliases}
            rows.append(("territory", code, label, extra, dept))
            for commune in communes:
                rows.append(("territory", "commune-" + slugify(commune), commune, {}, code))
    for vocabulary, entries in (
        ("audience", AUDIENCES),
        ("level", LEVELS),
        ("subject", SUBJECTS),
        ("kind", KINDS),
        ("synonym", SYNONYMS),
    ):
        for code, label, extra in entries:
            rows.append((vocabulary, code, label, extra, None))
    return rows
