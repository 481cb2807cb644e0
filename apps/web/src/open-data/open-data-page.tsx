import { AsOfControl, asOfQuery } from '../overview/as-of-control';
import { withQuery } from '../shell/api';
import { defineMessages, useMessages } from '../shell/i18n';
import { href, useRoute } from '../shell/router';
import { Page } from '../ui/page';

const messages = defineMessages({
  fr: {
    title: 'Données ouvertes',
    intro:
      'Le registre publie, sans connexion, ce qui est public du Contrat de ville et des solidarités de la Métropole Européenne de Lille : les engagements des signataires (dès qu’ils sont proposés) et le registre de la gouvernance (instances, membres, réunions, votes). Rien n’y dit qui a saisi quoi : les personnes qui enregistrent n’apparaissent pas, et les membres des instances y portent un identifiant pseudonyme.',
    filesTitle: 'Les fichiers',
    ocdsTitle: 'Engagements (OCDS)',
    ocds:
      'Chaque engagement au format Open Contracting Data Standard 1.1 (paquet de « records ») : son état compilé (enjeu, ambition, QPV, moyens, montants engagés, décaissés et dépensés) et une publication (« release ») par événement du registre.',
    ocdsLink: 'Télécharger les engagements (JSON OCDS)',
    popoloTitle: 'Gouvernance (Popolo)',
    popolo: 'Les instances (comité de pilotage, comités techniques…), leurs membres dans le temps, les réunions, les motions et les votes, au format Popolo.',
    popoloLink: 'Télécharger la gouvernance (JSON Popolo)',
    csvTitle: 'Tableaux (CSV)',
    csv: 'Les mêmes données en tableaux, dans une archive ZIP : engagements, instances, mandats, réunions et votes (commitments.csv, bodies.csv, memberships.csv, meetings.csv, votes.csv).',
    csvLink: 'Télécharger les tableaux (archive ZIP de fichiers CSV)',
    asOfLegend: 'Les fichiers à une date',
    asOfNote: 'Les liens ci-dessus donnent les données de la date choisie.',
    licenceTitle: 'Réutilisation',
    licence:
      'Ces données sont publiées comme données ouvertes, pour être lues, vérifiées et réutilisées. Le registre n’indique pas encore de licence précise : reportez-vous aux mentions de la Métropole Européenne de Lille, qui les publie, et citez la source et la date des données.',
    verifyTitle: 'Vérifier le registre',
    verify:
      'Chaque engagement, décision et avenant est un événement immuable, chaîné dans un arbre de Merkle dont le point de contrôle est signé : chacun peut vérifier que le registre n’a pas été réécrit.',
    verifyLink: 'Vérifier le dernier point de contrôle signé',
    apiTitle: 'Pour les développeurs',
    api: 'Toutes ces données viennent de l’API publique du registre, décrite au format OpenAPI.',
    apiLink: "Documentation de l'API",
  },
  en: {
    title: 'Open data',
    intro:
      'The ledger publishes, without signing in, what is public of the Contrat de ville et des solidarités of the Métropole Européenne de Lille: the signatories’ commitments (once proposed) and the governance register (bodies, members, meetings, votes). Nothing in it says who recorded what: the people who record do not appear, and members of bodies carry a pseudonymous id.',
    filesTitle: 'The files',
    ocdsTitle: 'Commitments (OCDS)',
    ocds:
      'Each commitment in the Open Contracting Data Standard 1.1 (a record package): its compiled state (enjeu, ambition, QPV, means, amounts committed, disbursed and spent) and one release per event of the ledger.',
    ocdsLink: 'Download the commitments (OCDS JSON)',
    popoloTitle: 'Governance (Popolo)',
    popolo: 'The governance bodies (steering committee, technical committees…), their members over time, meetings, motions and votes, in the Popolo format.',
    popoloLink: 'Download the governance register (Popolo JSON)',
    csvTitle: 'Tables (CSV)',
    csv: 'The same data as tables, in a ZIP archive: commitments, bodies, memberships, meetings and votes (commitments.csv, bodies.csv, memberships.csv, meetings.csv, votes.csv).',
    csvLink: 'Download the tables (ZIP archive of CSV files)',
    asOfLegend: 'The files as of a date',
    asOfNote: 'The links above give the data of the chosen date.',
    licenceTitle: 'Reuse',
    licence:
      'These data are published as open data, to be read, checked and reused. The ledger does not state a specific licence yet: refer to the notices of the Métropole Européenne de Lille, which publishes them, and cite the source and the date of the data.',
    verifyTitle: 'Verify the ledger',
    verify:
      'Every commitment, decision and amendment is an immutable event, chained in a Merkle tree whose checkpoint is signed: anyone can check that the ledger was not rewritten.',
    verifyLink: 'Verify the latest signed checkpoint',
    apiTitle: 'For developers',
    api: 'All these data come from the ledger’s public API, described in OpenAPI.',
    apiLink: 'API documentation',
  },
});

/** What the open data is and where to download it, for everyone (no sign-in), and how to verify the ledger. */
export function OpenDataPage(_props: Record<string, never>) {
  const m = useMessages(messages);
  const route = useRoute();
  const asOf = asOfQuery(route.query);
  const files: [key: string, title: string, text: string, path: string, link: string, type: string][] = [
    ['ocds', m.ocdsTitle, m.ocds, '/open-data/commitments.json', m.ocdsLink, 'application/json'],
    ['popolo', m.popoloTitle, m.popolo, '/open-data/governance.json', m.popoloLink, 'application/json'],
    ['csv', m.csvTitle, m.csv, '/open-data/csv.zip', m.csvLink, 'application/zip'],
  ];
  return (
    <Page title={m.title}>
      <p>{m.intro}</p>
      <h2>{m.filesTitle}</h2>
      <ul className="cards open-data-files">
        {files.map(([key, title, text, path, link, type]) => (
          <li key={key} className="card">
            <h3>{title}</h3>
            <p>{text}</p>
            <p>
              <a href={withQuery(path, asOf)} type={type} data-testid={`download-${key}`} {...(key === 'csv' && { download: 'open-data-csv.zip' })}>
                {link}
              </a>
            </p>
          </li>
        ))}
      </ul>
      <AsOfControl segments={['open-data']} query={route.query} legend={m.asOfLegend} />
      {asOf.asOf && <p className="notice">{m.asOfNote}</p>}
      <h2>{m.licenceTitle}</h2>
      <p>{m.licence}</p>
      <h2>{m.verifyTitle}</h2>
      <p>{m.verify}</p>
      <p>
        <a href={href(['audit', 'checkpoint'])}>{m.verifyLink}</a>
      </p>
      <h2>{m.apiTitle}</h2>
      <p>
        {m.api} <a href="/docs">{m.apiLink}</a>
      </p>
    </Page>
  );
}
