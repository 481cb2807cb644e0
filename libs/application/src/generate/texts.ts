/**
 * Words of the generated history: titles, reasons, summaries, in the French of the contract's
 * documents. Only organisations and places are named, never people (DESIGN §6).
 */

/** Kinds of actions per enjeu (priority 1–6), completed with a place when a title is made. */
export const ACTIONS: Record<number, readonly string[]> = {
  1: [
    'Accompagnement à la scolarité',
    'Programme de réussite éducative',
    'Ateliers de soutien à la parentalité',
    'Stages de découverte des métiers pour collégiens',
    'Accueil périscolaire renforcé',
    'Cordées de la réussite',
    'École des sports et de la culture',
    'Lutte contre le décrochage scolaire',
  ],
  2: [
    'Accompagnement renforcé vers l’emploi des jeunes',
    'Chantier d’insertion',
    'Permis de conduire solidaire',
    'Forum emploi de quartier',
    'Parcours de formation aux métiers en tension',
    'Soutien à la création d’activité',
    'Clauses sociales et job dating',
    'Garage solidaire et aides à la mobilité',
  ],
  3: [
    'Maison de santé pluriprofessionnelle de proximité',
    'Médiation en santé',
    'Prévention en santé mentale des jeunes',
    'Campagne de dépistage et de vaccination',
    'Ateliers santé ville',
    'Éducation à la nutrition et au sport santé',
  ],
  4: [
    'Gestion urbaine et sociale de proximité',
    'Médiation sociale de nuit',
    'Fête de quartier et animations estivales',
    'Prévention spécialisée auprès des adolescents',
    'Budget participatif des habitants',
    'Amélioration de la propreté des espaces publics',
    'Jardins partagés et réappropriation des espaces délaissés',
  ],
  5: [
    'Lutte contre la précarité énergétique des ménages',
    'Paniers solidaires de produits locaux',
    'Rénovation énergétique des logements sociaux',
    'Îlots de fraîcheur et végétalisation',
    'Atelier vélo solidaire',
    'Épicerie solidaire',
  ],
  6: [
    'Accès aux droits et permanences numériques',
    'Lutte contre l’isolement des personnes âgées',
    'Maraudes et accueil de jour',
    'Sensibilisation des employeurs aux discriminations',
    'Domiciliation et accompagnement administratif',
    'Conseillers numériques de proximité',
  ],
};

export const DESCRIPTIONS: readonly string[] = [
  'Action portée au bénéfice des habitants des quartiers prioritaires, en lien avec les acteurs de droit commun du territoire.',
  'Mise en œuvre en partenariat avec les centres sociaux et les associations de proximité ; publics visés : jeunes de 16 à 25 ans et familles.',
  'L’action s’appuie sur un diagnostic partagé en comité de suivi et sur les besoins exprimés par le conseil citoyen.',
  'Déploiement progressif sur les quartiers du périmètre, avec un bilan intermédiaire présenté en comité technique.',
  'Financement croisé crédits spécifiques et droit commun ; évaluation au moyen des indicateurs associés.',
];

export const ASSOCIATION_KINDS: readonly string[] = [
  'Centre social',
  'Maison de quartier',
  'Régie de quartier',
  'Association sportive',
  'Compagnie théâtrale',
  'Association d’éducation populaire',
  'Club de prévention',
  'Atelier chantier d’insertion',
  'Association de médiation',
  'Épicerie solidaire',
  'Association d’habitants',
  'Maison des jeunes',
];

export const COMPANY_KINDS: readonly string[] = ['Entreprise d’insertion', 'Société coopérative', 'Entreprise adaptée', 'SCIC'];
export const LANDLORD_NAMES: readonly string[] = ['Habitat', 'Logement', 'Cités', 'Immobilière', 'Foyer'];

export const SUSPENSION_REASONS: readonly string[] = [
  'Vacance du poste de coordination',
  'Locaux indisponibles pendant les travaux',
  'Retard de versement d’un cofinancement',
  'Réorganisation de la structure porteuse',
];

export const WITHDRAWAL_REASONS: readonly string[] = [
  'Action non retenue par le comité de pilotage',
  'Structure porteuse en liquidation judiciaire',
  'Action reprise dans le droit commun',
  'Doublon avec une action existante',
  'Abandon du projet à la demande du porteur',
];

export const COMPLETION_SUMMARIES: Record<'met' | 'partially_met' | 'not_met', readonly string[]> = {
  met: ['Objectifs atteints : public visé accompagné, bilan présenté en comité de suivi.', 'Action réalisée conformément à la convention.'],
  partially_met: ['Objectifs partiellement atteints : fréquentation inférieure aux prévisions.', 'Action réalisée en partie, report de certaines séances.'],
  not_met: ['Objectifs non atteints : difficultés de mobilisation du public.', 'Action interrompue faute de moyens humains.'],
};

export const REPORT_SUMMARIES: readonly string[] = [
  'Bilan d’étape : activité conforme au calendrier, public en hausse.',
  'Fréquentation stable ; partenariat renforcé avec les établissements scolaires.',
  'Mobilisation des habitants plus lente que prévu ; actions de communication engagées.',
  'Bilan qualitatif et quantitatif transmis, pièces justificatives jointes.',
  'Objectifs intermédiaires atteints ; ajustement du planning des ateliers.',
];

export const MILESTONES: readonly string[] = [
  'Recrutement de l’équipe',
  'Lancement des ateliers',
  'Bilan intermédiaire',
  'Comité technique de suivi',
  'Restitution aux habitants',
  'Bilan final',
];

export const CORRECTION_REASONS: readonly string[] = [
  'Erreur de saisie dans la fiche action',
  'Coquille relevée lors du contrôle de la programmation',
  'Périmètre mal renseigné à la saisie',
];

export const MOTIONS_OTHER: readonly string[] = [
  'Approbation du rapport annuel',
  'Validation du plan d’actions',
  'Avis sur la convention d’objectifs',
  'Validation du calendrier des instances',
  'Approbation du bilan de la gestion urbaine de proximité',
];

export const AGENDA: readonly string[] = [
  'Approbation du compte rendu de la séance précédente',
  'Point d’étape de la programmation',
  'Présentation des indicateurs',
  'Questions diverses',
  'Retour des conseils citoyens',
  'Suivi des engagements des signataires',
];

export const AMENDMENT_RATIONALES: readonly string[] = [
  'Révision à mi-parcours du contrat',
  'Réajustement des moyens au vu de l’exécution',
  'Prolongation d’actions dont les résultats sont probants',
  'Intégration de nouveaux partenaires',
  'Actualisation des volets locaux après les élections municipales',
];

export const INDICATORS: readonly { title: string; measure: 'unit' | 'percentage' | 'nominal' | 'ordinal' | 'qualitative'; unit: string | null; ascending: boolean }[] = [
  { title: 'Personnes accompagnées', measure: 'unit', unit: 'personnes', ascending: true },
  { title: 'Jeunes ayant accédé à un emploi ou une formation', measure: 'unit', unit: 'jeunes', ascending: true },
  { title: 'Taux de participation des habitants', measure: 'percentage', unit: '%', ascending: true },
  { title: 'Part des bénéficiaires résidant en QPV', measure: 'percentage', unit: '%', ascending: true },
  { title: 'Coût moyen par bénéficiaire', measure: 'nominal', unit: 'euros', ascending: false },
  { title: 'Niveau de satisfaction des participants', measure: 'ordinal', unit: 'échelle de 1 à 5', ascending: true },
  { title: 'Séances organisées', measure: 'unit', unit: 'séances', ascending: true },
  { title: 'Taux de décrochage scolaire', measure: 'percentage', unit: '%', ascending: false },
  { title: 'Appréciation du conseil citoyen', measure: 'qualitative', unit: null, ascending: true },
];

export const QUALITATIVE: readonly string[] = [
  'Dynamique partenariale jugée satisfaisante.',
  'Progrès notables, à consolider.',
  'Mobilisation insuffisante des habitants.',
  'Action reconnue par les habitants et les partenaires.',
];
