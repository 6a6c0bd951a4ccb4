/** De teksten van de discussiewidget (eerste download van widget.nl.js). */
import type { WidgetCatalog } from '../../catalog.js';

const num = (n: number) => n.toLocaleString('nl');
const rules = new Intl.PluralRules('nl');
const pl = (n: number, one: string, other: string) => (rules.select(n) === 'one' ? one : other);

export const widget = {
  commentsCount: (n: number) => `${num(n)} ${pl(n, 'reactie', 'reacties')}`,
  sortLabel: 'Reacties sorteren',
  sorts: { top: 'Meeste stemmen', newest: 'Nieuwste', oldest: 'Oudste', featured: 'Uitgelicht' },
  inline: 'Reacties op passages',
  passage: {
    about: 'Over deze passage:',
    remove: 'Niet over een passage',
  },
  viewAll: 'Alle reacties bekijken',
  joinHeading: 'Doe mee aan de discussie',
  joinText: 'Word betalend abonnee om mee te discussiëren in de reacties.',
  joinBenefits: 'Sluit je aan bij lezers die onze journalistiek steunen, lees onbeperkt artikelen en geniet van andere voordelen voor abonnees.',
  joinMembers: 'Log in om mee te discussiëren in de reacties.',
  subscribe: 'Abonneren',
  signIn: 'Inloggen',
  signedInAs: (name: string) => `Ingelogd als ${name}`,
  closed: 'De reacties zijn gesloten.',
  suspended: 'Je account mag op dit moment niet meedoen aan discussies.',
  composerLabel: 'Schrijf een reactie',
  replyLabel: (name: string) => `Je antwoord aan ${name}`,
  markdownHint: 'Markdown werkt: *cursief*, **vet**, [link](https://example.com), > citaat, - lijst, `code`.',
  counter: (used: number, max: number) => `${num(used)} / ${num(max)}`,
  counterOver: (over: number) => `${num(over)} ${pl(over, 'teken', 'tekens')} te veel`,
  post: 'Plaatsen',
  postReply: 'Antwoord plaatsen',
  posting: 'Bezig met plaatsen…',
  cancel: 'Annuleren',
  replyTo: (name: string) => `Antwoord aan ${name}`,
  deleted: 'Deze reactie is verwijderd',
  pending: 'Wacht op moderatie',
  author: 'Auteur',
  edited: (when: string, name: string | null) => (name ? `Laatst bewerkt ${when} door ${name}` : `Laatst bewerkt ${when}`),
  intl: 'nl',
  justNow: 'zojuist',
  moreReplies: (k: number) => `Nog ${num(k)} ${pl(k, 'antwoord', 'antwoorden')} tonen`,
  loadMore: 'Meer laden',
  loading: 'Bezig met laden…',
  noComments: 'Nog geen reacties.',
  failed: 'Er ging bij ons iets mis. Probeer het opnieuw.',
  networkError: 'De server was niet bereikbaar. Controleer je verbinding en probeer het opnieuw.',
  live: {
    newComments: (n: number) => `${num(n)} ${pl(n, 'nieuwe reactie', 'nieuwe reacties')} tonen`,
  },
} satisfies WidgetCatalog;
