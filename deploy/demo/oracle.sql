-- Pstral demo warehouse, Oracle DDL.
-- Generated from indexer/src/demo/schema.rs by indexer::demo::render_ddl: do not edit by hand.
-- Regenerate with: PSTRAL_BLESS=1 cargo test -p indexer demo

CREATE TABLE ADRESSES (
    ID_ADRESSE NUMBER(10) NOT NULL,
    NUM_VOIE   VARCHAR2(10),
    LB_VOIE    VARCHAR2(100) NOT NULL,
    CMPL_ADR   VARCHAR2(60),
    CP         VARCHAR2(5) NOT NULL,
    VILLE      VARCHAR2(60) NOT NULL,
    CD_DEPT    VARCHAR2(3) NOT NULL,
    CD_PAYS    VARCHAR2(2) NOT NULL,
    CONSTRAINT PK_ADRESSES PRIMARY KEY (ID_ADRESSE)
);
COMMENT ON TABLE ADRESSES IS 'Adresses postales (clients, agences, courtiers, experts, biens assurés). Une adresse peut être partagée.';
COMMENT ON COLUMN ADRESSES.ID_ADRESSE IS 'Identifiant technique de l''adresse';
COMMENT ON COLUMN ADRESSES.NUM_VOIE IS 'Numéro dans la voie, avec indice de répétition éventuel (bis, ter)';
COMMENT ON COLUMN ADRESSES.LB_VOIE IS 'Type et libellé de la voie (rue, avenue, boulevard…)';
COMMENT ON COLUMN ADRESSES.CMPL_ADR IS 'Complément d''adresse (bâtiment, escalier, appartement, lieu-dit)';
COMMENT ON COLUMN ADRESSES.CP IS 'Code postal';
COMMENT ON COLUMN ADRESSES.VILLE IS 'Commune';
COMMENT ON COLUMN ADRESSES.CD_DEPT IS 'Code du département (2A et 2B pour la Corse)';
COMMENT ON COLUMN ADRESSES.CD_PAYS IS 'Code pays ISO 3166 sur deux lettres';

CREATE TABLE AGENCES (
    ID_AGENCE    NUMBER(10) NOT NULL,
    CD_AGENCE    VARCHAR2(5) NOT NULL,
    LB_AGENCE    VARCHAR2(80) NOT NULL,
    CD_REGION    VARCHAR2(2) NOT NULL,
    ID_ADRESSE   NUMBER(10) NOT NULL,
    TEL          VARCHAR2(14) NOT NULL,
    DT_OUVERTURE DATE NOT NULL,
    DT_FERMETURE DATE,
    CONSTRAINT PK_AGENCES PRIMARY KEY (ID_AGENCE),
    CONSTRAINT FK_AGENCES_ADRESSE FOREIGN KEY (ID_ADRESSE) REFERENCES ADRESSES (ID_ADRESSE)
);
COMMENT ON TABLE AGENCES IS 'Agences du réseau salarié de la compagnie (points de vente et de gestion).';
COMMENT ON COLUMN AGENCES.ID_AGENCE IS 'Identifiant technique de l''agence';
COMMENT ON COLUMN AGENCES.CD_AGENCE IS 'Code agence du référentiel réseau';
COMMENT ON COLUMN AGENCES.LB_AGENCE IS 'Libellé commercial de l''agence';
COMMENT ON COLUMN AGENCES.CD_REGION IS 'Code de la direction régionale de rattachement (voir liste des codes)';
COMMENT ON COLUMN AGENCES.ID_ADRESSE IS 'Adresse de l''agence';
COMMENT ON COLUMN AGENCES.DT_OUVERTURE IS 'Date d''ouverture de l''agence';
COMMENT ON COLUMN AGENCES.DT_FERMETURE IS 'Date de fermeture de l''agence ; vide tant que l''agence est ouverte';

CREATE TABLE GESTIONNAIRES (
    ID_GEST     NUMBER(10) NOT NULL,
    MATRICULE   VARCHAR2(7) NOT NULL,
    NOM         VARCHAR2(60) NOT NULL,
    PRENOM      VARCHAR2(40) NOT NULL,
    CD_FONCTION VARCHAR2(3) NOT NULL,
    ID_AGENCE   NUMBER(10) NOT NULL,
    EMAIL       VARCHAR2(100) NOT NULL,
    DT_ENTREE   DATE NOT NULL,
    DT_SORTIE   DATE,
    CONSTRAINT PK_GESTIONNAIRES PRIMARY KEY (ID_GEST),
    CONSTRAINT FK_GEST_AGENCE FOREIGN KEY (ID_AGENCE) REFERENCES AGENCES (ID_AGENCE)
);
COMMENT ON TABLE GESTIONNAIRES IS 'Collaborateurs de la compagnie : chargés de clientèle, gestionnaires sinistres, souscripteurs, responsables d''agence.';
COMMENT ON COLUMN GESTIONNAIRES.ID_GEST IS 'Identifiant technique du collaborateur';
COMMENT ON COLUMN GESTIONNAIRES.MATRICULE IS 'Matricule RH';
COMMENT ON COLUMN GESTIONNAIRES.NOM IS 'Nom du collaborateur';
COMMENT ON COLUMN GESTIONNAIRES.PRENOM IS 'Prénom du collaborateur';
COMMENT ON COLUMN GESTIONNAIRES.CD_FONCTION IS 'Code fonction du collaborateur (voir liste des codes)';
COMMENT ON COLUMN GESTIONNAIRES.ID_AGENCE IS 'Agence ou plateforme d''affectation';
COMMENT ON COLUMN GESTIONNAIRES.DT_ENTREE IS 'Date d''entrée dans la compagnie';
COMMENT ON COLUMN GESTIONNAIRES.DT_SORTIE IS 'Date de départ ; vide si le collaborateur est toujours en poste';

CREATE TABLE COURTIERS (
    ID_COURTIER       NUMBER(10) NOT NULL,
    CD_APPORTEUR      VARCHAR2(6) NOT NULL,
    RAISON_SOCIALE    VARCHAR2(100) NOT NULL,
    NUM_SIRET         VARCHAR2(14) NOT NULL,
    NUM_ORIAS         VARCHAR2(8) NOT NULL,
    ID_ADRESSE        NUMBER(10) NOT NULL,
    TX_COMMISSION     NUMBER(5,2) NOT NULL,
    DT_CONVENTION     DATE NOT NULL,
    DT_FIN_CONVENTION DATE,
    CD_STATUT         VARCHAR2(2) NOT NULL,
    EMAIL             VARCHAR2(100),
    TEL               VARCHAR2(14),
    CONSTRAINT PK_COURTIERS PRIMARY KEY (ID_COURTIER),
    CONSTRAINT FK_COURTIERS_ADRESSE FOREIGN KEY (ID_ADRESSE) REFERENCES ADRESSES (ID_ADRESSE)
);
COMMENT ON TABLE COURTIERS IS 'Courtiers (intermédiaires indépendants) ayant signé une convention de courtage avec la compagnie.';
COMMENT ON COLUMN COURTIERS.ID_COURTIER IS 'Identifiant technique du courtier';
COMMENT ON COLUMN COURTIERS.CD_APPORTEUR IS 'Code apporteur attribué au courtier';
COMMENT ON COLUMN COURTIERS.RAISON_SOCIALE IS 'Raison sociale du cabinet de courtage';
COMMENT ON COLUMN COURTIERS.NUM_SIRET IS 'Numéro SIRET de l''établissement (14 chiffres)';
COMMENT ON COLUMN COURTIERS.NUM_ORIAS IS 'Numéro d''immatriculation au registre ORIAS des intermédiaires';
COMMENT ON COLUMN COURTIERS.ID_ADRESSE IS 'Adresse du cabinet';
COMMENT ON COLUMN COURTIERS.TX_COMMISSION IS 'Taux de commission en pourcentage de la prime HT';
COMMENT ON COLUMN COURTIERS.DT_CONVENTION IS 'Date de signature de la convention de courtage';
COMMENT ON COLUMN COURTIERS.DT_FIN_CONVENTION IS 'Date de fin de la convention ; vide si elle est en vigueur';
COMMENT ON COLUMN COURTIERS.CD_STATUT IS 'Code statut de la convention de courtage (voir liste des codes)';

CREATE TABLE EXPERTS (
    ID_EXPERT     NUMBER(10) NOT NULL,
    NOM           VARCHAR2(60) NOT NULL,
    PRENOM        VARCHAR2(40) NOT NULL,
    CABINET       VARCHAR2(100) NOT NULL,
    CD_SPECIALITE VARCHAR2(3) NOT NULL,
    ID_ADRESSE    NUMBER(10) NOT NULL,
    TEL           VARCHAR2(14),
    EMAIL         VARCHAR2(100),
    TOP_AGREE     VARCHAR2(1) NOT NULL,
    CONSTRAINT PK_EXPERTS PRIMARY KEY (ID_EXPERT),
    CONSTRAINT FK_EXPERTS_ADRESSE FOREIGN KEY (ID_ADRESSE) REFERENCES ADRESSES (ID_ADRESSE)
);
COMMENT ON TABLE EXPERTS IS 'Experts mandatés pour évaluer les dommages des sinistres (automobile, bâtiment, médical, RC).';
COMMENT ON COLUMN EXPERTS.ID_EXPERT IS 'Identifiant technique de l''expert';
COMMENT ON COLUMN EXPERTS.NOM IS 'Nom de l''expert';
COMMENT ON COLUMN EXPERTS.PRENOM IS 'Prénom de l''expert';
COMMENT ON COLUMN EXPERTS.CABINET IS 'Cabinet d''expertise';
COMMENT ON COLUMN EXPERTS.CD_SPECIALITE IS 'Code spécialité de l''expert (voir liste des codes)';
COMMENT ON COLUMN EXPERTS.ID_ADRESSE IS 'Adresse du cabinet';
COMMENT ON COLUMN EXPERTS.TOP_AGREE IS 'Indicateur expert agréé par la compagnie (O/N)';

CREATE TABLE PRODUITS (
    ID_PRODUIT   NUMBER(10) NOT NULL,
    CD_PRODUIT   VARCHAR2(10) NOT NULL,
    LB_PRODUIT   VARCHAR2(80) NOT NULL,
    CD_BRANCHE   VARCHAR2(2) NOT NULL,
    DT_LANCEMENT DATE NOT NULL,
    DT_FIN_COMM  DATE,
    TX_TAXE      NUMBER(5,2) NOT NULL,
    CONSTRAINT PK_PRODUITS PRIMARY KEY (ID_PRODUIT)
);
COMMENT ON TABLE PRODUITS IS 'Catalogue des produits d''assurance commercialisés, chacun rattaché à une branche.';
COMMENT ON COLUMN PRODUITS.ID_PRODUIT IS 'Identifiant technique du produit';
COMMENT ON COLUMN PRODUITS.CD_PRODUIT IS 'Code produit';
COMMENT ON COLUMN PRODUITS.LB_PRODUIT IS 'Libellé commercial du produit';
COMMENT ON COLUMN PRODUITS.CD_BRANCHE IS 'Code branche d''assurance (voir liste des codes)';
COMMENT ON COLUMN PRODUITS.DT_LANCEMENT IS 'Date de début de commercialisation';
COMMENT ON COLUMN PRODUITS.DT_FIN_COMM IS 'Date de fin de commercialisation ; vide si le produit est toujours vendu';
COMMENT ON COLUMN PRODUITS.TX_TAXE IS 'Taux de taxe sur les conventions d''assurance appliqué à la prime HT, en pourcentage';

CREATE TABLE GARANTIES (
    ID_GARANTIE NUMBER(10) NOT NULL,
    CD_GARANTIE VARCHAR2(10) NOT NULL,
    LB_GARANTIE VARCHAR2(80) NOT NULL,
    CD_BRANCHE  VARCHAR2(2) NOT NULL,
    TOP_LEGALE  VARCHAR2(1) NOT NULL,
    CONSTRAINT PK_GARANTIES PRIMARY KEY (ID_GARANTIE)
);
COMMENT ON TABLE GARANTIES IS 'Référentiel des garanties élémentaires (RC, vol, incendie, dégâts des eaux, hospitalisation…).';
COMMENT ON COLUMN GARANTIES.ID_GARANTIE IS 'Identifiant technique de la garantie';
COMMENT ON COLUMN GARANTIES.CD_GARANTIE IS 'Code garantie';
COMMENT ON COLUMN GARANTIES.LB_GARANTIE IS 'Libellé de la garantie';
COMMENT ON COLUMN GARANTIES.CD_BRANCHE IS 'Code branche de la garantie (voir liste des codes)';
COMMENT ON COLUMN GARANTIES.TOP_LEGALE IS 'Indicateur garantie rendue obligatoire par la loi (O/N)';

CREATE TABLE PRODUITS_GARANTIES (
    ID_PRODUIT   NUMBER(10) NOT NULL,
    ID_GARANTIE  NUMBER(10) NOT NULL,
    TOP_OBLIG    VARCHAR2(1) NOT NULL,
    MT_PLAFOND   NUMBER(12,2),
    MT_FRANCHISE NUMBER(10,2) NOT NULL,
    CONSTRAINT PK_PRODUITS_GARANTIES PRIMARY KEY (ID_PRODUIT, ID_GARANTIE),
    CONSTRAINT FK_PRDGAR_PRODUIT FOREIGN KEY (ID_PRODUIT) REFERENCES PRODUITS (ID_PRODUIT),
    CONSTRAINT FK_PRDGAR_GARANTIE FOREIGN KEY (ID_GARANTIE) REFERENCES GARANTIES (ID_GARANTIE)
);
COMMENT ON TABLE PRODUITS_GARANTIES IS 'Composition des produits : garanties proposées par chaque produit, avec plafonds et franchises par défaut.';
COMMENT ON COLUMN PRODUITS_GARANTIES.ID_PRODUIT IS 'Produit';
COMMENT ON COLUMN PRODUITS_GARANTIES.ID_GARANTIE IS 'Garantie proposée par le produit';
COMMENT ON COLUMN PRODUITS_GARANTIES.TOP_OBLIG IS 'Indicateur garantie incluse d''office dans le produit (O) ou optionnelle (N)';
COMMENT ON COLUMN PRODUITS_GARANTIES.MT_PLAFOND IS 'Plafond d''indemnisation par défaut en euros ; vide si illimité';
COMMENT ON COLUMN PRODUITS_GARANTIES.MT_FRANCHISE IS 'Franchise par défaut en euros';

CREATE TABLE CLIENTS (
    ID_CLIENT      NUMBER(10) NOT NULL,
    NUM_CLIENT     VARCHAR2(10) NOT NULL,
    CD_TYPE_PERS   VARCHAR2(2) NOT NULL,
    CD_CIVILITE    VARCHAR2(3),
    NOM            VARCHAR2(100) NOT NULL,
    PRENOM         VARCHAR2(40),
    DATE_NAISSANCE DATE,
    CD_SITU_FAM    VARCHAR2(1),
    CD_CSP         VARCHAR2(1),
    NUM_SIREN      VARCHAR2(9),
    ID_ADRESSE     NUMBER(10) NOT NULL,
    TEL_PORTABLE   VARCHAR2(14),
    EMAIL          VARCHAR2(100),
    ID_AGENCE      NUMBER(10) NOT NULL,
    DT_CREATION    DATE NOT NULL,
    TOP_OPTIN      VARCHAR2(1) NOT NULL,
    CONSTRAINT PK_CLIENTS PRIMARY KEY (ID_CLIENT),
    CONSTRAINT FK_CLIENTS_ADRESSE FOREIGN KEY (ID_ADRESSE) REFERENCES ADRESSES (ID_ADRESSE),
    CONSTRAINT FK_CLIENTS_AGENCE FOREIGN KEY (ID_AGENCE) REFERENCES AGENCES (ID_AGENCE)
);
COMMENT ON TABLE CLIENTS IS 'Clients souscripteurs : personnes physiques (particuliers) et personnes morales (entreprises, professionnels).';
COMMENT ON COLUMN CLIENTS.ID_CLIENT IS 'Identifiant technique du client';
COMMENT ON COLUMN CLIENTS.NUM_CLIENT IS 'Numéro client communiqué à l''assuré';
COMMENT ON COLUMN CLIENTS.CD_TYPE_PERS IS 'Code type de personne (voir liste des codes)';
COMMENT ON COLUMN CLIENTS.CD_CIVILITE IS 'Civilité (personnes physiques uniquement)';
COMMENT ON COLUMN CLIENTS.NOM IS 'Nom de famille en majuscules, ou raison sociale pour une personne morale';
COMMENT ON COLUMN CLIENTS.PRENOM IS 'Prénom (personnes physiques uniquement)';
COMMENT ON COLUMN CLIENTS.DATE_NAISSANCE IS 'Date de naissance (personnes physiques uniquement)';
COMMENT ON COLUMN CLIENTS.CD_SITU_FAM IS 'Code situation familiale (voir liste des codes)';
COMMENT ON COLUMN CLIENTS.CD_CSP IS 'Code catégorie socioprofessionnelle (voir liste des codes)';
COMMENT ON COLUMN CLIENTS.NUM_SIREN IS 'Numéro SIREN (personnes morales uniquement)';
COMMENT ON COLUMN CLIENTS.ID_ADRESSE IS 'Adresse principale du client';
COMMENT ON COLUMN CLIENTS.ID_AGENCE IS 'Agence de rattachement du client';
COMMENT ON COLUMN CLIENTS.DT_CREATION IS 'Date d''entrée en relation (création de la fiche client)';
COMMENT ON COLUMN CLIENTS.TOP_OPTIN IS 'Consentement à la prospection commerciale (O/N)';

CREATE TABLE CONTRATS (
    ID_CONTRAT       NUMBER(10) NOT NULL,
    NUM_POLICE       VARCHAR2(12) NOT NULL,
    ID_CLIENT        NUMBER(10) NOT NULL,
    ID_PRODUIT       NUMBER(10) NOT NULL,
    CD_BRANCHE       VARCHAR2(2) NOT NULL,
    CD_CANAL         VARCHAR2(3) NOT NULL,
    ID_AGENCE        NUMBER(10),
    ID_COURTIER      NUMBER(10),
    ID_GEST          NUMBER(10) NOT NULL,
    CD_STATUT        VARCHAR2(2) NOT NULL,
    DT_SOUSC         DATE NOT NULL,
    DT_EFF           DATE NOT NULL,
    DT_ECH           DATE NOT NULL,
    DT_RESIL         DATE,
    CD_MOTIF_RESIL   VARCHAR2(3),
    CD_PERIODICITE   VARCHAR2(1) NOT NULL,
    CD_MODE_PAIEMENT VARCHAR2(3) NOT NULL,
    MT_PRIME_HT      NUMBER(12,2) NOT NULL,
    MT_PRIME_TTC     NUMBER(12,2) NOT NULL,
    TX_REMISE        NUMBER(5,2),
    COEF_CRM         NUMBER(4,2),
    NB_SIN           NUMBER(5) NOT NULL,
    CONSTRAINT PK_CONTRATS PRIMARY KEY (ID_CONTRAT),
    CONSTRAINT FK_CONTRATS_CLIENT FOREIGN KEY (ID_CLIENT) REFERENCES CLIENTS (ID_CLIENT),
    CONSTRAINT FK_CONTRATS_PRODUIT FOREIGN KEY (ID_PRODUIT) REFERENCES PRODUITS (ID_PRODUIT),
    CONSTRAINT FK_CONTRATS_AGENCE FOREIGN KEY (ID_AGENCE) REFERENCES AGENCES (ID_AGENCE),
    CONSTRAINT FK_CONTRATS_COURTIER FOREIGN KEY (ID_COURTIER) REFERENCES COURTIERS (ID_COURTIER),
    CONSTRAINT FK_CONTRATS_GEST FOREIGN KEY (ID_GEST) REFERENCES GESTIONNAIRES (ID_GEST)
);
COMMENT ON TABLE CONTRATS IS 'Contrats d''assurance (polices) souscrits par les clients, avec leur situation à la date d''arrêté des données.';
COMMENT ON COLUMN CONTRATS.ID_CONTRAT IS 'Identifiant technique du contrat';
COMMENT ON COLUMN CONTRATS.NUM_POLICE IS 'Numéro de police figurant sur les documents contractuels';
COMMENT ON COLUMN CONTRATS.ID_CLIENT IS 'Client souscripteur';
COMMENT ON COLUMN CONTRATS.ID_PRODUIT IS 'Produit souscrit';
COMMENT ON COLUMN CONTRATS.CD_BRANCHE IS 'Code branche (voir liste des codes), recopié du produit';
COMMENT ON COLUMN CONTRATS.CD_CANAL IS 'Code canal de distribution (voir liste des codes)';
COMMENT ON COLUMN CONTRATS.ID_AGENCE IS 'Agence gestionnaire ; vide pour les affaires apportées par un courtier';
COMMENT ON COLUMN CONTRATS.ID_COURTIER IS 'Courtier apporteur ; vide pour les affaires directes';
COMMENT ON COLUMN CONTRATS.ID_GEST IS 'Chargé de clientèle ou souscripteur en charge du contrat';
COMMENT ON COLUMN CONTRATS.CD_STATUT IS 'Code statut du contrat (voir liste des codes)';
COMMENT ON COLUMN CONTRATS.DT_SOUSC IS 'Date de signature du contrat';
COMMENT ON COLUMN CONTRATS.DT_EFF IS 'Date d''effet initiale du contrat';
COMMENT ON COLUMN CONTRATS.DT_ECH IS 'Date d''échéance principale';
COMMENT ON COLUMN CONTRATS.DT_RESIL IS 'Date d''effet de la résiliation ou de l''annulation (dernier jour couvert)';
COMMENT ON COLUMN CONTRATS.CD_MOTIF_RESIL IS 'Code motif de résiliation (voir liste des codes)';
COMMENT ON COLUMN CONTRATS.CD_PERIODICITE IS 'Code périodicité de paiement de la prime (voir liste des codes)';
COMMENT ON COLUMN CONTRATS.CD_MODE_PAIEMENT IS 'Code mode de paiement de la prime (voir liste des codes)';
COMMENT ON COLUMN CONTRATS.MT_PRIME_HT IS 'Prime annuelle hors taxes en vigueur';
COMMENT ON COLUMN CONTRATS.MT_PRIME_TTC IS 'Prime annuelle toutes taxes comprises en vigueur';
COMMENT ON COLUMN CONTRATS.TX_REMISE IS 'Taux de remise commerciale accordée, en pourcentage';
COMMENT ON COLUMN CONTRATS.COEF_CRM IS 'Coefficient de réduction-majoration (bonus-malus), branche automobile';
COMMENT ON COLUMN CONTRATS.NB_SIN IS 'Nombre de sinistres déclarés sur le contrat';

CREATE TABLE CONTRATS_GARANTIES (
    ID_CONTRAT   NUMBER(10) NOT NULL,
    ID_GARANTIE  NUMBER(10) NOT NULL,
    DT_EFF       DATE NOT NULL,
    DT_FIN       DATE,
    MT_PLAFOND   NUMBER(12,2),
    MT_FRANCHISE NUMBER(10,2) NOT NULL,
    MT_PRIME_HT  NUMBER(12,2) NOT NULL,
    CONSTRAINT PK_CONTRATS_GARANTIES PRIMARY KEY (ID_CONTRAT, ID_GARANTIE),
    CONSTRAINT FK_CTRGAR_CONTRAT FOREIGN KEY (ID_CONTRAT) REFERENCES CONTRATS (ID_CONTRAT),
    CONSTRAINT FK_CTRGAR_GARANTIE FOREIGN KEY (ID_GARANTIE) REFERENCES GARANTIES (ID_GARANTIE)
);
COMMENT ON TABLE CONTRATS_GARANTIES IS 'Garanties souscrites sur chaque contrat, avec plafond, franchise et part de prime.';
COMMENT ON COLUMN CONTRATS_GARANTIES.ID_CONTRAT IS 'Contrat';
COMMENT ON COLUMN CONTRATS_GARANTIES.ID_GARANTIE IS 'Garantie souscrite';
COMMENT ON COLUMN CONTRATS_GARANTIES.DT_EFF IS 'Date d''effet de la garantie sur le contrat';
COMMENT ON COLUMN CONTRATS_GARANTIES.DT_FIN IS 'Date de retrait de la garantie par avenant ; vide si la garantie n''a pas été retirée';
COMMENT ON COLUMN CONTRATS_GARANTIES.MT_PLAFOND IS 'Plafond d''indemnisation en euros ; vide si illimité';
COMMENT ON COLUMN CONTRATS_GARANTIES.MT_FRANCHISE IS 'Franchise en euros';
COMMENT ON COLUMN CONTRATS_GARANTIES.MT_PRIME_HT IS 'Part de la prime annuelle HT affectée à la garantie';

CREATE TABLE AVENANTS (
    ID_AVENANT     NUMBER(10) NOT NULL,
    ID_CONTRAT     NUMBER(10) NOT NULL,
    NUM_AVENANT    NUMBER(3) NOT NULL,
    CD_TYPE_AVT    VARCHAR2(3) NOT NULL,
    DT_EFF         DATE NOT NULL,
    DT_SAISIE      DATE NOT NULL,
    MT_PRIME_AVANT NUMBER(12,2) NOT NULL,
    MT_PRIME_APRES NUMBER(12,2) NOT NULL,
    LB_MOTIF       VARCHAR2(200),
    ID_GEST        NUMBER(10) NOT NULL,
    CONSTRAINT PK_AVENANTS PRIMARY KEY (ID_AVENANT),
    CONSTRAINT FK_AVENANTS_CONTRAT FOREIGN KEY (ID_CONTRAT) REFERENCES CONTRATS (ID_CONTRAT),
    CONSTRAINT FK_AVENANTS_GEST FOREIGN KEY (ID_GEST) REFERENCES GESTIONNAIRES (ID_GEST)
);
COMMENT ON TABLE AVENANTS IS 'Avenants : modifications apportées à un contrat après sa souscription (véhicule, garanties, capitaux, suspension, résiliation…).';
COMMENT ON COLUMN AVENANTS.ID_AVENANT IS 'Identifiant technique de l''avenant';
COMMENT ON COLUMN AVENANTS.ID_CONTRAT IS 'Contrat modifié';
COMMENT ON COLUMN AVENANTS.NUM_AVENANT IS 'Numéro d''ordre de l''avenant dans le contrat';
COMMENT ON COLUMN AVENANTS.CD_TYPE_AVT IS 'Code type d''avenant (voir liste des codes)';
COMMENT ON COLUMN AVENANTS.DT_EFF IS 'Date d''effet de la modification';
COMMENT ON COLUMN AVENANTS.DT_SAISIE IS 'Date de saisie de l''avenant dans le système de gestion';
COMMENT ON COLUMN AVENANTS.MT_PRIME_AVANT IS 'Prime annuelle TTC avant l''avenant';
COMMENT ON COLUMN AVENANTS.MT_PRIME_APRES IS 'Prime annuelle TTC après l''avenant';
COMMENT ON COLUMN AVENANTS.LB_MOTIF IS 'Motif de l''avenant en texte libre';
COMMENT ON COLUMN AVENANTS.ID_GEST IS 'Collaborateur ayant saisi l''avenant';

CREATE TABLE VEHICULES (
    ID_VEHICULE NUMBER(10) NOT NULL,
    ID_CONTRAT  NUMBER(10) NOT NULL,
    IMMAT       VARCHAR2(10) NOT NULL,
    MARQUE      VARCHAR2(30) NOT NULL,
    MODELE      VARCHAR2(40) NOT NULL,
    CD_ENERGIE  VARCHAR2(2) NOT NULL,
    DT_1MEC     DATE NOT NULL,
    PUISS_FISC  NUMBER(2) NOT NULL,
    VAL_ACHAT   NUMBER(10,2) NOT NULL,
    CD_USAGE    VARCHAR2(3) NOT NULL,
    DT_DEBUT    DATE NOT NULL,
    DT_FIN      DATE,
    CONSTRAINT PK_VEHICULES PRIMARY KEY (ID_VEHICULE),
    CONSTRAINT FK_VEHICULES_CONTRAT FOREIGN KEY (ID_CONTRAT) REFERENCES CONTRATS (ID_CONTRAT)
);
COMMENT ON TABLE VEHICULES IS 'Véhicules assurés par les contrats automobile ; un changement de véhicule clôt la ligne précédente.';
COMMENT ON COLUMN VEHICULES.ID_VEHICULE IS 'Identifiant technique du véhicule assuré';
COMMENT ON COLUMN VEHICULES.ID_CONTRAT IS 'Contrat automobile';
COMMENT ON COLUMN VEHICULES.IMMAT IS 'Numéro d''immatriculation (format SIV AA-123-AA)';
COMMENT ON COLUMN VEHICULES.MARQUE IS 'Marque du véhicule';
COMMENT ON COLUMN VEHICULES.MODELE IS 'Modèle du véhicule';
COMMENT ON COLUMN VEHICULES.CD_ENERGIE IS 'Code énergie de la carte grise (voir liste des codes)';
COMMENT ON COLUMN VEHICULES.DT_1MEC IS 'Date de première mise en circulation';
COMMENT ON COLUMN VEHICULES.PUISS_FISC IS 'Puissance fiscale en chevaux fiscaux (CV)';
COMMENT ON COLUMN VEHICULES.VAL_ACHAT IS 'Valeur d''achat du véhicule en euros';
COMMENT ON COLUMN VEHICULES.CD_USAGE IS 'Code usage déclaré du véhicule (voir liste des codes)';
COMMENT ON COLUMN VEHICULES.DT_DEBUT IS 'Date à laquelle le véhicule est assuré par le contrat';
COMMENT ON COLUMN VEHICULES.DT_FIN IS 'Date de sortie du véhicule du contrat ; vide si toujours assuré';

CREATE TABLE BIENS_IMMOBILIERS (
    ID_BIEN        NUMBER(10) NOT NULL,
    ID_CONTRAT     NUMBER(10) NOT NULL,
    ID_ADRESSE     NUMBER(10) NOT NULL,
    CD_TYPE_BIEN   VARCHAR2(3) NOT NULL,
    CD_QUALITE     VARCHAR2(3) NOT NULL,
    NB_PIECES      NUMBER(2) NOT NULL,
    SURFACE        NUMBER(4) NOT NULL,
    ANNEE_CONSTR   NUMBER(4),
    TOP_RES_PRINC  VARCHAR2(1) NOT NULL,
    MT_CAPITAL_MOB NUMBER(10,2) NOT NULL,
    CONSTRAINT PK_BIENS_IMMOBILIERS PRIMARY KEY (ID_BIEN),
    CONSTRAINT FK_BIENS_CONTRAT FOREIGN KEY (ID_CONTRAT) REFERENCES CONTRATS (ID_CONTRAT),
    CONSTRAINT FK_BIENS_ADRESSE FOREIGN KEY (ID_ADRESSE) REFERENCES ADRESSES (ID_ADRESSE)
);
COMMENT ON TABLE BIENS_IMMOBILIERS IS 'Biens immobiliers assurés par les contrats multirisque habitation.';
COMMENT ON COLUMN BIENS_IMMOBILIERS.ID_BIEN IS 'Identifiant technique du bien';
COMMENT ON COLUMN BIENS_IMMOBILIERS.ID_CONTRAT IS 'Contrat habitation';
COMMENT ON COLUMN BIENS_IMMOBILIERS.ID_ADRESSE IS 'Adresse du bien';
COMMENT ON COLUMN BIENS_IMMOBILIERS.CD_TYPE_BIEN IS 'Code type de bien (voir liste des codes)';
COMMENT ON COLUMN BIENS_IMMOBILIERS.CD_QUALITE IS 'Code qualité de l''assuré vis-à-vis du bien (voir liste des codes)';
COMMENT ON COLUMN BIENS_IMMOBILIERS.NB_PIECES IS 'Nombre de pièces principales';
COMMENT ON COLUMN BIENS_IMMOBILIERS.SURFACE IS 'Surface habitable en mètres carrés';
COMMENT ON COLUMN BIENS_IMMOBILIERS.ANNEE_CONSTR IS 'Année de construction';
COMMENT ON COLUMN BIENS_IMMOBILIERS.TOP_RES_PRINC IS 'Indicateur résidence principale (O/N)';
COMMENT ON COLUMN BIENS_IMMOBILIERS.MT_CAPITAL_MOB IS 'Capital mobilier assuré en euros';

CREATE TABLE QUITTANCES (
    ID_QUITTANCE   NUMBER(12) NOT NULL,
    NUM_QUITTANCE  VARCHAR2(14) NOT NULL,
    ID_CONTRAT     NUMBER(10) NOT NULL,
    DT_EMISSION    DATE NOT NULL,
    DT_DEBUT_PER   DATE NOT NULL,
    DT_FIN_PER     DATE NOT NULL,
    DT_ECH         DATE NOT NULL,
    MT_PRIME_HT    NUMBER(12,2) NOT NULL,
    MT_TAXES       NUMBER(12,2) NOT NULL,
    MT_PRIME_TTC   NUMBER(12,2) NOT NULL,
    MT_COMMISSION  NUMBER(12,2),
    CD_STATUT_QUIT VARCHAR2(2) NOT NULL,
    CONSTRAINT PK_QUITTANCES PRIMARY KEY (ID_QUITTANCE),
    CONSTRAINT FK_QUITTANCES_CONTRAT FOREIGN KEY (ID_CONTRAT) REFERENCES CONTRATS (ID_CONTRAT)
);
COMMENT ON TABLE QUITTANCES IS 'Quittances de prime : appels de cotisation émis pour chaque période de garantie d''un contrat.';
COMMENT ON COLUMN QUITTANCES.ID_QUITTANCE IS 'Identifiant technique de la quittance';
COMMENT ON COLUMN QUITTANCES.NUM_QUITTANCE IS 'Numéro de quittance';
COMMENT ON COLUMN QUITTANCES.ID_CONTRAT IS 'Contrat quittancé';
COMMENT ON COLUMN QUITTANCES.DT_EMISSION IS 'Date d''émission de la quittance';
COMMENT ON COLUMN QUITTANCES.DT_DEBUT_PER IS 'Premier jour de la période couverte par la quittance';
COMMENT ON COLUMN QUITTANCES.DT_FIN_PER IS 'Dernier jour de la période couverte par la quittance';
COMMENT ON COLUMN QUITTANCES.DT_ECH IS 'Date d''exigibilité de la quittance (date limite de paiement)';
COMMENT ON COLUMN QUITTANCES.MT_PRIME_HT IS 'Montant de prime hors taxes de la période';
COMMENT ON COLUMN QUITTANCES.MT_TAXES IS 'Montant des taxes d''assurance de la période';
COMMENT ON COLUMN QUITTANCES.MT_PRIME_TTC IS 'Montant toutes taxes comprises appelé';
COMMENT ON COLUMN QUITTANCES.MT_COMMISSION IS 'Commission due au courtier sur la quittance ; vide pour les affaires directes';
COMMENT ON COLUMN QUITTANCES.CD_STATUT_QUIT IS 'Code statut de la quittance (voir liste des codes)';

CREATE TABLE ENCAISSEMENTS (
    ID_ENCAISSEMENT  NUMBER(12) NOT NULL,
    ID_QUITTANCE     NUMBER(12) NOT NULL,
    DT_ENCAISSEMENT  DATE NOT NULL,
    MT_ENCAISSE      NUMBER(12,2) NOT NULL,
    CD_MODE_PAIEMENT VARCHAR2(3) NOT NULL,
    CD_STATUT_ENC    VARCHAR2(3) NOT NULL,
    REF_PAIEMENT     VARCHAR2(35),
    CONSTRAINT PK_ENCAISSEMENTS PRIMARY KEY (ID_ENCAISSEMENT),
    CONSTRAINT FK_ENCAISSEMENTS_QUITTANCE FOREIGN KEY (ID_QUITTANCE) REFERENCES QUITTANCES (ID_QUITTANCE)
);
COMMENT ON TABLE ENCAISSEMENTS IS 'Encaissements : paiements reçus des clients en règlement des quittances, y compris les prélèvements rejetés.';
COMMENT ON COLUMN ENCAISSEMENTS.ID_ENCAISSEMENT IS 'Identifiant technique de l''encaissement';
COMMENT ON COLUMN ENCAISSEMENTS.ID_QUITTANCE IS 'Quittance réglée';
COMMENT ON COLUMN ENCAISSEMENTS.DT_ENCAISSEMENT IS 'Date de l''encaissement (ou du rejet)';
COMMENT ON COLUMN ENCAISSEMENTS.MT_ENCAISSE IS 'Montant encaissé en euros';
COMMENT ON COLUMN ENCAISSEMENTS.CD_MODE_PAIEMENT IS 'Code mode de paiement (voir liste des codes)';
COMMENT ON COLUMN ENCAISSEMENTS.CD_STATUT_ENC IS 'Code statut de l''encaissement (voir liste des codes)';
COMMENT ON COLUMN ENCAISSEMENTS.REF_PAIEMENT IS 'Référence du paiement : numéro de chèque, référence de virement ou de prélèvement';

CREATE TABLE SINISTRES (
    ID_SINISTRE      NUMBER(10) NOT NULL,
    NUM_SINISTRE     VARCHAR2(12) NOT NULL,
    ID_CONTRAT       NUMBER(10) NOT NULL,
    ID_GARANTIE      NUMBER(10) NOT NULL,
    DT_SURV          DATE NOT NULL,
    DT_DECL          DATE NOT NULL,
    DT_CLOTURE       DATE,
    CD_STATUT_SIN    VARCHAR2(2) NOT NULL,
    CD_CAUSE         VARCHAR2(3) NOT NULL,
    CP_SURV          VARCHAR2(5),
    MT_ESTIM         NUMBER(12,2) NOT NULL,
    TX_RESP          NUMBER(3),
    ID_EXPERT        NUMBER(10),
    ID_GEST          NUMBER(10) NOT NULL,
    LB_CIRCONSTANCES VARCHAR2(250),
    CONSTRAINT PK_SINISTRES PRIMARY KEY (ID_SINISTRE),
    CONSTRAINT FK_SINISTRES_CONTRAT FOREIGN KEY (ID_CONTRAT) REFERENCES CONTRATS (ID_CONTRAT),
    CONSTRAINT FK_SINISTRES_CTRGAR FOREIGN KEY (ID_CONTRAT, ID_GARANTIE) REFERENCES CONTRATS_GARANTIES (ID_CONTRAT, ID_GARANTIE),
    CONSTRAINT FK_SINISTRES_EXPERT FOREIGN KEY (ID_EXPERT) REFERENCES EXPERTS (ID_EXPERT),
    CONSTRAINT FK_SINISTRES_GEST FOREIGN KEY (ID_GEST) REFERENCES GESTIONNAIRES (ID_GEST)
);
COMMENT ON TABLE SINISTRES IS 'Sinistres déclarés par les assurés, rattachés au contrat et à la garantie mise en jeu.';
COMMENT ON COLUMN SINISTRES.ID_SINISTRE IS 'Identifiant technique du sinistre';
COMMENT ON COLUMN SINISTRES.NUM_SINISTRE IS 'Numéro de dossier sinistre';
COMMENT ON COLUMN SINISTRES.ID_CONTRAT IS 'Contrat sinistré';
COMMENT ON COLUMN SINISTRES.ID_GARANTIE IS 'Garantie mise en jeu';
COMMENT ON COLUMN SINISTRES.DT_SURV IS 'Date de survenance du sinistre';
COMMENT ON COLUMN SINISTRES.DT_DECL IS 'Date de déclaration du sinistre à la compagnie';
COMMENT ON COLUMN SINISTRES.DT_CLOTURE IS 'Date de clôture du dossier ; vide tant que le dossier est ouvert';
COMMENT ON COLUMN SINISTRES.CD_STATUT_SIN IS 'Code statut du dossier sinistre (voir liste des codes)';
COMMENT ON COLUMN SINISTRES.CD_CAUSE IS 'Code cause du sinistre (voir liste des codes)';
COMMENT ON COLUMN SINISTRES.CP_SURV IS 'Code postal du lieu de survenance';
COMMENT ON COLUMN SINISTRES.MT_ESTIM IS 'Évaluation initiale du coût du sinistre en euros';
COMMENT ON COLUMN SINISTRES.TX_RESP IS 'Taux de responsabilité de l''assuré en pourcentage (automobile)';
COMMENT ON COLUMN SINISTRES.ID_EXPERT IS 'Expert mandaté ; vide si aucune expertise';
COMMENT ON COLUMN SINISTRES.ID_GEST IS 'Gestionnaire sinistre en charge du dossier';
COMMENT ON COLUMN SINISTRES.LB_CIRCONSTANCES IS 'Circonstances déclarées, en texte libre';

CREATE TABLE REGLEMENTS (
    ID_REGLEMENT     NUMBER(10) NOT NULL,
    ID_SINISTRE      NUMBER(10) NOT NULL,
    DT_REGLEMENT     DATE NOT NULL,
    MT_REGLE         NUMBER(12,2) NOT NULL,
    CD_TYPE_REG      VARCHAR2(3) NOT NULL,
    CD_MODE_PAIEMENT VARCHAR2(3) NOT NULL,
    BENEFICIAIRE     VARCHAR2(100) NOT NULL,
    ID_EXPERT        NUMBER(10),
    CONSTRAINT PK_REGLEMENTS PRIMARY KEY (ID_REGLEMENT),
    CONSTRAINT FK_REGLEMENTS_SINISTRE FOREIGN KEY (ID_SINISTRE) REFERENCES SINISTRES (ID_SINISTRE),
    CONSTRAINT FK_REGLEMENTS_EXPERT FOREIGN KEY (ID_EXPERT) REFERENCES EXPERTS (ID_EXPERT)
);
COMMENT ON TABLE REGLEMENTS IS 'Règlements de sinistres : indemnités versées, honoraires d''expert et recours encaissés.';
COMMENT ON COLUMN REGLEMENTS.ID_REGLEMENT IS 'Identifiant technique du règlement';
COMMENT ON COLUMN REGLEMENTS.ID_SINISTRE IS 'Sinistre réglé';
COMMENT ON COLUMN REGLEMENTS.DT_REGLEMENT IS 'Date du règlement';
COMMENT ON COLUMN REGLEMENTS.MT_REGLE IS 'Montant du règlement en euros (négatif pour un recours encaissé)';
COMMENT ON COLUMN REGLEMENTS.CD_TYPE_REG IS 'Code type de règlement (voir liste des codes)';
COMMENT ON COLUMN REGLEMENTS.CD_MODE_PAIEMENT IS 'Code mode de paiement (voir liste des codes)';
COMMENT ON COLUMN REGLEMENTS.BENEFICIAIRE IS 'Bénéficiaire du paiement ou tiers débiteur du recours';
COMMENT ON COLUMN REGLEMENTS.ID_EXPERT IS 'Expert payé, pour les règlements d''honoraires';
