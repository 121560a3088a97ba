-- Pstral demo warehouse, SQLite DDL.
-- Generated from indexer/src/demo/schema.rs by indexer::demo::render_ddl: do not edit by hand.
-- Regenerate with: PSTRAL_BLESS=1 cargo test -p indexer demo

CREATE TABLE ADRESSES ( -- Adresses postales (clients, agences, courtiers, experts, biens assurés). Une adresse peut être partagée.
    ID_ADRESSE INTEGER NOT NULL, -- Identifiant technique de l'adresse
    NUM_VOIE   TEXT, -- Numéro dans la voie, avec indice de répétition éventuel (bis, ter)
    LB_VOIE    TEXT NOT NULL, -- Type et libellé de la voie (rue, avenue, boulevard…)
    CMPL_ADR   TEXT, -- Complément d'adresse (bâtiment, escalier, appartement, lieu-dit)
    CP         TEXT NOT NULL, -- Code postal
    VILLE      TEXT NOT NULL, -- Commune
    CD_DEPT    TEXT NOT NULL, -- Code du département (2A et 2B pour la Corse)
    CD_PAYS    TEXT NOT NULL, -- Code pays ISO 3166 sur deux lettres
    CONSTRAINT PK_ADRESSES PRIMARY KEY (ID_ADRESSE)
);

CREATE TABLE AGENCES ( -- Agences du réseau salarié de la compagnie (points de vente et de gestion).
    ID_AGENCE    INTEGER NOT NULL, -- Identifiant technique de l'agence
    CD_AGENCE    TEXT NOT NULL, -- Code agence du référentiel réseau
    LB_AGENCE    TEXT NOT NULL, -- Libellé commercial de l'agence
    CD_REGION    TEXT NOT NULL, -- Code de la direction régionale de rattachement (voir liste des codes)
    ID_ADRESSE   INTEGER NOT NULL, -- Adresse de l'agence
    TEL          TEXT NOT NULL,
    DT_OUVERTURE TEXT NOT NULL, -- Date d'ouverture de l'agence
    DT_FERMETURE TEXT, -- Date de fermeture de l'agence ; vide tant que l'agence est ouverte
    CONSTRAINT PK_AGENCES PRIMARY KEY (ID_AGENCE),
    CONSTRAINT FK_AGENCES_ADRESSE FOREIGN KEY (ID_ADRESSE) REFERENCES ADRESSES (ID_ADRESSE)
);
CREATE INDEX IX_AGENCES_ADRESSE ON AGENCES (ID_ADRESSE);

CREATE TABLE GESTIONNAIRES ( -- Collaborateurs de la compagnie : chargés de clientèle, gestionnaires sinistres, souscripteurs, responsables d'agence.
    ID_GEST     INTEGER NOT NULL, -- Identifiant technique du collaborateur
    MATRICULE   TEXT NOT NULL, -- Matricule RH
    NOM         TEXT NOT NULL, -- Nom du collaborateur
    PRENOM      TEXT NOT NULL, -- Prénom du collaborateur
    CD_FONCTION TEXT NOT NULL, -- Code fonction du collaborateur (voir liste des codes)
    ID_AGENCE   INTEGER NOT NULL, -- Agence ou plateforme d'affectation
    EMAIL       TEXT NOT NULL,
    DT_ENTREE   TEXT NOT NULL, -- Date d'entrée dans la compagnie
    DT_SORTIE   TEXT, -- Date de départ ; vide si le collaborateur est toujours en poste
    CONSTRAINT PK_GESTIONNAIRES PRIMARY KEY (ID_GEST),
    CONSTRAINT FK_GEST_AGENCE FOREIGN KEY (ID_AGENCE) REFERENCES AGENCES (ID_AGENCE)
);
CREATE INDEX IX_GEST_AGENCE ON GESTIONNAIRES (ID_AGENCE);

CREATE TABLE COURTIERS ( -- Courtiers (intermédiaires indépendants) ayant signé une convention de courtage avec la compagnie.
    ID_COURTIER       INTEGER NOT NULL, -- Identifiant technique du courtier
    CD_APPORTEUR      TEXT NOT NULL, -- Code apporteur attribué au courtier
    RAISON_SOCIALE    TEXT NOT NULL, -- Raison sociale du cabinet de courtage
    NUM_SIRET         TEXT NOT NULL, -- Numéro SIRET de l'établissement (14 chiffres)
    NUM_ORIAS         TEXT NOT NULL, -- Numéro d'immatriculation au registre ORIAS des intermédiaires
    ID_ADRESSE        INTEGER NOT NULL, -- Adresse du cabinet
    TX_COMMISSION     REAL NOT NULL, -- Taux de commission en pourcentage de la prime HT
    DT_CONVENTION     TEXT NOT NULL, -- Date de signature de la convention de courtage
    DT_FIN_CONVENTION TEXT, -- Date de fin de la convention ; vide si elle est en vigueur
    CD_STATUT         TEXT NOT NULL, -- Code statut de la convention de courtage (voir liste des codes)
    EMAIL             TEXT,
    TEL               TEXT,
    CONSTRAINT PK_COURTIERS PRIMARY KEY (ID_COURTIER),
    CONSTRAINT FK_COURTIERS_ADRESSE FOREIGN KEY (ID_ADRESSE) REFERENCES ADRESSES (ID_ADRESSE)
);
CREATE INDEX IX_COURTIERS_ADRESSE ON COURTIERS (ID_ADRESSE);

CREATE TABLE EXPERTS ( -- Experts mandatés pour évaluer les dommages des sinistres (automobile, bâtiment, médical, RC).
    ID_EXPERT     INTEGER NOT NULL, -- Identifiant technique de l'expert
    NOM           TEXT NOT NULL, -- Nom de l'expert
    PRENOM        TEXT NOT NULL, -- Prénom de l'expert
    CABINET       TEXT NOT NULL, -- Cabinet d'expertise
    CD_SPECIALITE TEXT NOT NULL, -- Code spécialité de l'expert (voir liste des codes)
    ID_ADRESSE    INTEGER NOT NULL, -- Adresse du cabinet
    TEL           TEXT,
    EMAIL         TEXT,
    TOP_AGREE     TEXT NOT NULL, -- Indicateur expert agréé par la compagnie (O/N)
    CONSTRAINT PK_EXPERTS PRIMARY KEY (ID_EXPERT),
    CONSTRAINT FK_EXPERTS_ADRESSE FOREIGN KEY (ID_ADRESSE) REFERENCES ADRESSES (ID_ADRESSE)
);
CREATE INDEX IX_EXPERTS_ADRESSE ON EXPERTS (ID_ADRESSE);

CREATE TABLE PRODUITS ( -- Catalogue des produits d'assurance commercialisés, chacun rattaché à une branche.
    ID_PRODUIT   INTEGER NOT NULL, -- Identifiant technique du produit
    CD_PRODUIT   TEXT NOT NULL, -- Code produit
    LB_PRODUIT   TEXT NOT NULL, -- Libellé commercial du produit
    CD_BRANCHE   TEXT NOT NULL, -- Code branche d'assurance (voir liste des codes)
    DT_LANCEMENT TEXT NOT NULL, -- Date de début de commercialisation
    DT_FIN_COMM  TEXT, -- Date de fin de commercialisation ; vide si le produit est toujours vendu
    TX_TAXE      REAL NOT NULL, -- Taux de taxe sur les conventions d'assurance appliqué à la prime HT, en pourcentage
    CONSTRAINT PK_PRODUITS PRIMARY KEY (ID_PRODUIT)
);

CREATE TABLE GARANTIES ( -- Référentiel des garanties élémentaires (RC, vol, incendie, dégâts des eaux, hospitalisation…).
    ID_GARANTIE INTEGER NOT NULL, -- Identifiant technique de la garantie
    CD_GARANTIE TEXT NOT NULL, -- Code garantie
    LB_GARANTIE TEXT NOT NULL, -- Libellé de la garantie
    CD_BRANCHE  TEXT NOT NULL, -- Code branche de la garantie (voir liste des codes)
    TOP_LEGALE  TEXT NOT NULL, -- Indicateur garantie rendue obligatoire par la loi (O/N)
    CONSTRAINT PK_GARANTIES PRIMARY KEY (ID_GARANTIE)
);

CREATE TABLE PRODUITS_GARANTIES ( -- Composition des produits : garanties proposées par chaque produit, avec plafonds et franchises par défaut.
    ID_PRODUIT   INTEGER NOT NULL, -- Produit
    ID_GARANTIE  INTEGER NOT NULL, -- Garantie proposée par le produit
    TOP_OBLIG    TEXT NOT NULL, -- Indicateur garantie incluse d'office dans le produit (O) ou optionnelle (N)
    MT_PLAFOND   REAL, -- Plafond d'indemnisation par défaut en euros ; vide si illimité
    MT_FRANCHISE REAL NOT NULL, -- Franchise par défaut en euros
    CONSTRAINT PK_PRODUITS_GARANTIES PRIMARY KEY (ID_PRODUIT, ID_GARANTIE),
    CONSTRAINT FK_PRDGAR_PRODUIT FOREIGN KEY (ID_PRODUIT) REFERENCES PRODUITS (ID_PRODUIT),
    CONSTRAINT FK_PRDGAR_GARANTIE FOREIGN KEY (ID_GARANTIE) REFERENCES GARANTIES (ID_GARANTIE)
);
CREATE INDEX IX_PRDGAR_PRODUIT ON PRODUITS_GARANTIES (ID_PRODUIT);
CREATE INDEX IX_PRDGAR_GARANTIE ON PRODUITS_GARANTIES (ID_GARANTIE);

CREATE TABLE CLIENTS ( -- Clients souscripteurs : personnes physiques (particuliers) et personnes morales (entreprises, professionnels).
    ID_CLIENT      INTEGER NOT NULL, -- Identifiant technique du client
    NUM_CLIENT     TEXT NOT NULL, -- Numéro client communiqué à l'assuré
    CD_TYPE_PERS   TEXT NOT NULL, -- Code type de personne (voir liste des codes)
    CD_CIVILITE    TEXT, -- Civilité (personnes physiques uniquement)
    NOM            TEXT NOT NULL, -- Nom de famille en majuscules, ou raison sociale pour une personne morale
    PRENOM         TEXT, -- Prénom (personnes physiques uniquement)
    DATE_NAISSANCE TEXT, -- Date de naissance (personnes physiques uniquement)
    CD_SITU_FAM    TEXT, -- Code situation familiale (voir liste des codes)
    CD_CSP         TEXT, -- Code catégorie socioprofessionnelle (voir liste des codes)
    NUM_SIREN      TEXT, -- Numéro SIREN (personnes morales uniquement)
    ID_ADRESSE     INTEGER NOT NULL, -- Adresse principale du client
    TEL_PORTABLE   TEXT,
    EMAIL          TEXT,
    ID_AGENCE      INTEGER NOT NULL, -- Agence de rattachement du client
    DT_CREATION    TEXT NOT NULL, -- Date d'entrée en relation (création de la fiche client)
    TOP_OPTIN      TEXT NOT NULL, -- Consentement à la prospection commerciale (O/N)
    CONSTRAINT PK_CLIENTS PRIMARY KEY (ID_CLIENT),
    CONSTRAINT FK_CLIENTS_ADRESSE FOREIGN KEY (ID_ADRESSE) REFERENCES ADRESSES (ID_ADRESSE),
    CONSTRAINT FK_CLIENTS_AGENCE FOREIGN KEY (ID_AGENCE) REFERENCES AGENCES (ID_AGENCE)
);
CREATE INDEX IX_CLIENTS_ADRESSE ON CLIENTS (ID_ADRESSE);
CREATE INDEX IX_CLIENTS_AGENCE ON CLIENTS (ID_AGENCE);

CREATE TABLE CONTRATS ( -- Contrats d'assurance (polices) souscrits par les clients, avec leur situation à la date d'arrêté des données.
    ID_CONTRAT       INTEGER NOT NULL, -- Identifiant technique du contrat
    NUM_POLICE       TEXT NOT NULL, -- Numéro de police figurant sur les documents contractuels
    ID_CLIENT        INTEGER NOT NULL, -- Client souscripteur
    ID_PRODUIT       INTEGER NOT NULL, -- Produit souscrit
    CD_BRANCHE       TEXT NOT NULL, -- Code branche (voir liste des codes), recopié du produit
    CD_CANAL         TEXT NOT NULL, -- Code canal de distribution (voir liste des codes)
    ID_AGENCE        INTEGER, -- Agence gestionnaire ; vide pour les affaires apportées par un courtier
    ID_COURTIER      INTEGER, -- Courtier apporteur ; vide pour les affaires directes
    ID_GEST          INTEGER NOT NULL, -- Chargé de clientèle ou souscripteur en charge du contrat
    CD_STATUT        TEXT NOT NULL, -- Code statut du contrat (voir liste des codes)
    DT_SOUSC         TEXT NOT NULL, -- Date de signature du contrat
    DT_EFF           TEXT NOT NULL, -- Date d'effet initiale du contrat
    DT_ECH           TEXT NOT NULL, -- Date d'échéance principale
    DT_RESIL         TEXT, -- Date d'effet de la résiliation ou de l'annulation (dernier jour couvert)
    CD_MOTIF_RESIL   TEXT, -- Code motif de résiliation (voir liste des codes)
    CD_PERIODICITE   TEXT NOT NULL, -- Code périodicité de paiement de la prime (voir liste des codes)
    CD_MODE_PAIEMENT TEXT NOT NULL, -- Code mode de paiement de la prime (voir liste des codes)
    MT_PRIME_HT      REAL NOT NULL, -- Prime annuelle hors taxes en vigueur
    MT_PRIME_TTC     REAL NOT NULL, -- Prime annuelle toutes taxes comprises en vigueur
    TX_REMISE        REAL, -- Taux de remise commerciale accordée, en pourcentage
    COEF_CRM         REAL, -- Coefficient de réduction-majoration (bonus-malus), branche automobile
    NB_SIN           INTEGER NOT NULL, -- Nombre de sinistres déclarés sur le contrat
    CONSTRAINT PK_CONTRATS PRIMARY KEY (ID_CONTRAT),
    CONSTRAINT FK_CONTRATS_CLIENT FOREIGN KEY (ID_CLIENT) REFERENCES CLIENTS (ID_CLIENT),
    CONSTRAINT FK_CONTRATS_PRODUIT FOREIGN KEY (ID_PRODUIT) REFERENCES PRODUITS (ID_PRODUIT),
    CONSTRAINT FK_CONTRATS_AGENCE FOREIGN KEY (ID_AGENCE) REFERENCES AGENCES (ID_AGENCE),
    CONSTRAINT FK_CONTRATS_COURTIER FOREIGN KEY (ID_COURTIER) REFERENCES COURTIERS (ID_COURTIER),
    CONSTRAINT FK_CONTRATS_GEST FOREIGN KEY (ID_GEST) REFERENCES GESTIONNAIRES (ID_GEST)
);
CREATE INDEX IX_CONTRATS_CLIENT ON CONTRATS (ID_CLIENT);
CREATE INDEX IX_CONTRATS_PRODUIT ON CONTRATS (ID_PRODUIT);
CREATE INDEX IX_CONTRATS_AGENCE ON CONTRATS (ID_AGENCE);
CREATE INDEX IX_CONTRATS_COURTIER ON CONTRATS (ID_COURTIER);
CREATE INDEX IX_CONTRATS_GEST ON CONTRATS (ID_GEST);

CREATE TABLE CONTRATS_GARANTIES ( -- Garanties souscrites sur chaque contrat, avec plafond, franchise et part de prime.
    ID_CONTRAT   INTEGER NOT NULL, -- Contrat
    ID_GARANTIE  INTEGER NOT NULL, -- Garantie souscrite
    DT_EFF       TEXT NOT NULL, -- Date d'effet de la garantie sur le contrat
    DT_FIN       TEXT, -- Date de retrait de la garantie par avenant ; vide si la garantie n'a pas été retirée
    MT_PLAFOND   REAL, -- Plafond d'indemnisation en euros ; vide si illimité
    MT_FRANCHISE REAL NOT NULL, -- Franchise en euros
    MT_PRIME_HT  REAL NOT NULL, -- Part de la prime annuelle HT affectée à la garantie
    CONSTRAINT PK_CONTRATS_GARANTIES PRIMARY KEY (ID_CONTRAT, ID_GARANTIE),
    CONSTRAINT FK_CTRGAR_CONTRAT FOREIGN KEY (ID_CONTRAT) REFERENCES CONTRATS (ID_CONTRAT),
    CONSTRAINT FK_CTRGAR_GARANTIE FOREIGN KEY (ID_GARANTIE) REFERENCES GARANTIES (ID_GARANTIE)
);
CREATE INDEX IX_CTRGAR_CONTRAT ON CONTRATS_GARANTIES (ID_CONTRAT);
CREATE INDEX IX_CTRGAR_GARANTIE ON CONTRATS_GARANTIES (ID_GARANTIE);

CREATE TABLE AVENANTS ( -- Avenants : modifications apportées à un contrat après sa souscription (véhicule, garanties, capitaux, suspension, résiliation…).
    ID_AVENANT     INTEGER NOT NULL, -- Identifiant technique de l'avenant
    ID_CONTRAT     INTEGER NOT NULL, -- Contrat modifié
    NUM_AVENANT    INTEGER NOT NULL, -- Numéro d'ordre de l'avenant dans le contrat
    CD_TYPE_AVT    TEXT NOT NULL, -- Code type d'avenant (voir liste des codes)
    DT_EFF         TEXT NOT NULL, -- Date d'effet de la modification
    DT_SAISIE      TEXT NOT NULL, -- Date de saisie de l'avenant dans le système de gestion
    MT_PRIME_AVANT REAL NOT NULL, -- Prime annuelle TTC avant l'avenant
    MT_PRIME_APRES REAL NOT NULL, -- Prime annuelle TTC après l'avenant
    LB_MOTIF       TEXT, -- Motif de l'avenant en texte libre
    ID_GEST        INTEGER NOT NULL, -- Collaborateur ayant saisi l'avenant
    CONSTRAINT PK_AVENANTS PRIMARY KEY (ID_AVENANT),
    CONSTRAINT FK_AVENANTS_CONTRAT FOREIGN KEY (ID_CONTRAT) REFERENCES CONTRATS (ID_CONTRAT),
    CONSTRAINT FK_AVENANTS_GEST FOREIGN KEY (ID_GEST) REFERENCES GESTIONNAIRES (ID_GEST)
);
CREATE INDEX IX_AVENANTS_CONTRAT ON AVENANTS (ID_CONTRAT);
CREATE INDEX IX_AVENANTS_GEST ON AVENANTS (ID_GEST);

CREATE TABLE VEHICULES ( -- Véhicules assurés par les contrats automobile ; un changement de véhicule clôt la ligne précédente.
    ID_VEHICULE INTEGER NOT NULL, -- Identifiant technique du véhicule assuré
    ID_CONTRAT  INTEGER NOT NULL, -- Contrat automobile
    IMMAT       TEXT NOT NULL, -- Numéro d'immatriculation (format SIV AA-123-AA)
    MARQUE      TEXT NOT NULL, -- Marque du véhicule
    MODELE      TEXT NOT NULL, -- Modèle du véhicule
    CD_ENERGIE  TEXT NOT NULL, -- Code énergie de la carte grise (voir liste des codes)
    DT_1MEC     TEXT NOT NULL, -- Date de première mise en circulation
    PUISS_FISC  INTEGER NOT NULL, -- Puissance fiscale en chevaux fiscaux (CV)
    VAL_ACHAT   REAL NOT NULL, -- Valeur d'achat du véhicule en euros
    CD_USAGE    TEXT NOT NULL, -- Code usage déclaré du véhicule (voir liste des codes)
    DT_DEBUT    TEXT NOT NULL, -- Date à laquelle le véhicule est assuré par le contrat
    DT_FIN      TEXT, -- Date de sortie du véhicule du contrat ; vide si toujours assuré
    CONSTRAINT PK_VEHICULES PRIMARY KEY (ID_VEHICULE),
    CONSTRAINT FK_VEHICULES_CONTRAT FOREIGN KEY (ID_CONTRAT) REFERENCES CONTRATS (ID_CONTRAT)
);
CREATE INDEX IX_VEHICULES_CONTRAT ON VEHICULES (ID_CONTRAT);

CREATE TABLE BIENS_IMMOBILIERS ( -- Biens immobiliers assurés par les contrats multirisque habitation.
    ID_BIEN        INTEGER NOT NULL, -- Identifiant technique du bien
    ID_CONTRAT     INTEGER NOT NULL, -- Contrat habitation
    ID_ADRESSE     INTEGER NOT NULL, -- Adresse du bien
    CD_TYPE_BIEN   TEXT NOT NULL, -- Code type de bien (voir liste des codes)
    CD_QUALITE     TEXT NOT NULL, -- Code qualité de l'assuré vis-à-vis du bien (voir liste des codes)
    NB_PIECES      INTEGER NOT NULL, -- Nombre de pièces principales
    SURFACE        INTEGER NOT NULL, -- Surface habitable en mètres carrés
    ANNEE_CONSTR   INTEGER, -- Année de construction
    TOP_RES_PRINC  TEXT NOT NULL, -- Indicateur résidence principale (O/N)
    MT_CAPITAL_MOB REAL NOT NULL, -- Capital mobilier assuré en euros
    CONSTRAINT PK_BIENS_IMMOBILIERS PRIMARY KEY (ID_BIEN),
    CONSTRAINT FK_BIENS_CONTRAT FOREIGN KEY (ID_CONTRAT) REFERENCES CONTRATS (ID_CONTRAT),
    CONSTRAINT FK_BIENS_ADRESSE FOREIGN KEY (ID_ADRESSE) REFERENCES ADRESSES (ID_ADRESSE)
);
CREATE INDEX IX_BIENS_CONTRAT ON BIENS_IMMOBILIERS (ID_CONTRAT);
CREATE INDEX IX_BIENS_ADRESSE ON BIENS_IMMOBILIERS (ID_ADRESSE);

CREATE TABLE QUITTANCES ( -- Quittances de prime : appels de cotisation émis pour chaque période de garantie d'un contrat.
    ID_QUITTANCE   INTEGER NOT NULL, -- Identifiant technique de la quittance
    NUM_QUITTANCE  TEXT NOT NULL, -- Numéro de quittance
    ID_CONTRAT     INTEGER NOT NULL, -- Contrat quittancé
    DT_EMISSION    TEXT NOT NULL, -- Date d'émission de la quittance
    DT_DEBUT_PER   TEXT NOT NULL, -- Premier jour de la période couverte par la quittance
    DT_FIN_PER     TEXT NOT NULL, -- Dernier jour de la période couverte par la quittance
    DT_ECH         TEXT NOT NULL, -- Date d'exigibilité de la quittance (date limite de paiement)
    MT_PRIME_HT    REAL NOT NULL, -- Montant de prime hors taxes de la période
    MT_TAXES       REAL NOT NULL, -- Montant des taxes d'assurance de la période
    MT_PRIME_TTC   REAL NOT NULL, -- Montant toutes taxes comprises appelé
    MT_COMMISSION  REAL, -- Commission due au courtier sur la quittance ; vide pour les affaires directes
    CD_STATUT_QUIT TEXT NOT NULL, -- Code statut de la quittance (voir liste des codes)
    CONSTRAINT PK_QUITTANCES PRIMARY KEY (ID_QUITTANCE),
    CONSTRAINT FK_QUITTANCES_CONTRAT FOREIGN KEY (ID_CONTRAT) REFERENCES CONTRATS (ID_CONTRAT)
);
CREATE INDEX IX_QUITTANCES_CONTRAT ON QUITTANCES (ID_CONTRAT);

CREATE TABLE ENCAISSEMENTS ( -- Encaissements : paiements reçus des clients en règlement des quittances, y compris les prélèvements rejetés.
    ID_ENCAISSEMENT  INTEGER NOT NULL, -- Identifiant technique de l'encaissement
    ID_QUITTANCE     INTEGER NOT NULL, -- Quittance réglée
    DT_ENCAISSEMENT  TEXT NOT NULL, -- Date de l'encaissement (ou du rejet)
    MT_ENCAISSE      REAL NOT NULL, -- Montant encaissé en euros
    CD_MODE_PAIEMENT TEXT NOT NULL, -- Code mode de paiement (voir liste des codes)
    CD_STATUT_ENC    TEXT NOT NULL, -- Code statut de l'encaissement (voir liste des codes)
    REF_PAIEMENT     TEXT, -- Référence du paiement : numéro de chèque, référence de virement ou de prélèvement
    CONSTRAINT PK_ENCAISSEMENTS PRIMARY KEY (ID_ENCAISSEMENT),
    CONSTRAINT FK_ENCAISSEMENTS_QUITTANCE FOREIGN KEY (ID_QUITTANCE) REFERENCES QUITTANCES (ID_QUITTANCE)
);
CREATE INDEX IX_ENCAISSEMENTS_QUITTANCE ON ENCAISSEMENTS (ID_QUITTANCE);

CREATE TABLE SINISTRES ( -- Sinistres déclarés par les assurés, rattachés au contrat et à la garantie mise en jeu.
    ID_SINISTRE      INTEGER NOT NULL, -- Identifiant technique du sinistre
    NUM_SINISTRE     TEXT NOT NULL, -- Numéro de dossier sinistre
    ID_CONTRAT       INTEGER NOT NULL, -- Contrat sinistré
    ID_GARANTIE      INTEGER NOT NULL, -- Garantie mise en jeu
    DT_SURV          TEXT NOT NULL, -- Date de survenance du sinistre
    DT_DECL          TEXT NOT NULL, -- Date de déclaration du sinistre à la compagnie
    DT_CLOTURE       TEXT, -- Date de clôture du dossier ; vide tant que le dossier est ouvert
    CD_STATUT_SIN    TEXT NOT NULL, -- Code statut du dossier sinistre (voir liste des codes)
    CD_CAUSE         TEXT NOT NULL, -- Code cause du sinistre (voir liste des codes)
    CP_SURV          TEXT, -- Code postal du lieu de survenance
    MT_ESTIM         REAL NOT NULL, -- Évaluation initiale du coût du sinistre en euros
    TX_RESP          INTEGER, -- Taux de responsabilité de l'assuré en pourcentage (automobile)
    ID_EXPERT        INTEGER, -- Expert mandaté ; vide si aucune expertise
    ID_GEST          INTEGER NOT NULL, -- Gestionnaire sinistre en charge du dossier
    LB_CIRCONSTANCES TEXT, -- Circonstances déclarées, en texte libre
    CONSTRAINT PK_SINISTRES PRIMARY KEY (ID_SINISTRE),
    CONSTRAINT FK_SINISTRES_CONTRAT FOREIGN KEY (ID_CONTRAT) REFERENCES CONTRATS (ID_CONTRAT),
    CONSTRAINT FK_SINISTRES_CTRGAR FOREIGN KEY (ID_CONTRAT, ID_GARANTIE) REFERENCES CONTRATS_GARANTIES (ID_CONTRAT, ID_GARANTIE),
    CONSTRAINT FK_SINISTRES_EXPERT FOREIGN KEY (ID_EXPERT) REFERENCES EXPERTS (ID_EXPERT),
    CONSTRAINT FK_SINISTRES_GEST FOREIGN KEY (ID_GEST) REFERENCES GESTIONNAIRES (ID_GEST)
);
CREATE INDEX IX_SINISTRES_CONTRAT ON SINISTRES (ID_CONTRAT);
CREATE INDEX IX_SINISTRES_CTRGAR ON SINISTRES (ID_CONTRAT, ID_GARANTIE);
CREATE INDEX IX_SINISTRES_EXPERT ON SINISTRES (ID_EXPERT);
CREATE INDEX IX_SINISTRES_GEST ON SINISTRES (ID_GEST);

CREATE TABLE REGLEMENTS ( -- Règlements de sinistres : indemnités versées, honoraires d'expert et recours encaissés.
    ID_REGLEMENT     INTEGER NOT NULL, -- Identifiant technique du règlement
    ID_SINISTRE      INTEGER NOT NULL, -- Sinistre réglé
    DT_REGLEMENT     TEXT NOT NULL, -- Date du règlement
    MT_REGLE         REAL NOT NULL, -- Montant du règlement en euros (négatif pour un recours encaissé)
    CD_TYPE_REG      TEXT NOT NULL, -- Code type de règlement (voir liste des codes)
    CD_MODE_PAIEMENT TEXT NOT NULL, -- Code mode de paiement (voir liste des codes)
    BENEFICIAIRE     TEXT NOT NULL, -- Bénéficiaire du paiement ou tiers débiteur du recours
    ID_EXPERT        INTEGER, -- Expert payé, pour les règlements d'honoraires
    CONSTRAINT PK_REGLEMENTS PRIMARY KEY (ID_REGLEMENT),
    CONSTRAINT FK_REGLEMENTS_SINISTRE FOREIGN KEY (ID_SINISTRE) REFERENCES SINISTRES (ID_SINISTRE),
    CONSTRAINT FK_REGLEMENTS_EXPERT FOREIGN KEY (ID_EXPERT) REFERENCES EXPERTS (ID_EXPERT)
);
CREATE INDEX IX_REGLEMENTS_SINISTRE ON REGLEMENTS (ID_SINISTRE);
CREATE INDEX IX_REGLEMENTS_EXPERT ON REGLEMENTS (ID_EXPERT);
