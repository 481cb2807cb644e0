import { defineMessages, useMessages } from '../shell/i18n';
import { href } from '../shell/router';
import { Page } from '../ui/page';

const messages = defineMessages({
  fr: { title: 'Page introuvable', text: "Cette adresse ne correspond à aucune page du registre.", home: "Retour à l'accueil" },
  en: { title: 'Page not found', text: 'This address is no page of the ledger.', home: 'Back to the start' },
});

export function NotFoundPage() {
  const m = useMessages(messages);
  return (
    <Page title={m.title}>
      <p>{m.text}</p>
      <p>
        <a href={href([])}>{m.home}</a>
      </p>
    </Page>
  );
}
