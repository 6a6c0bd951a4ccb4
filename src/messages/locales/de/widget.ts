/** Die Texte des Diskussions-Widgets (erster Download von widget.de.js). */
import type { WidgetCatalog } from '../../catalog.js';

const num = (n: number) => n.toLocaleString('de');
const rules = new Intl.PluralRules('de');
const pl = (n: number, one: string, other: string) => (rules.select(n) === 'one' ? one : other);

export const widget = {
  commentsCount: (n: number) => `${num(n)} ${pl(n, 'Kommentar', 'Kommentare')}`,
  sortLabel: 'Kommentare sortieren',
  sorts: { top: 'Beliebteste', newest: 'Neueste', oldest: 'Älteste', featured: 'Empfohlen' },
  inline: 'Kommentare zu Textstellen',
  passage: {
    about: 'Zu dieser Textstelle:',
    remove: 'Nicht zu einer Textstelle',
  },
  viewAll: 'Alle Kommentare anzeigen',
  joinHeading: 'Diskutieren Sie mit',
  joinText: 'Um in den Kommentaren mitzudiskutieren, werden Sie zahlender Abonnent.',
  joinBenefits:
    'Schließen Sie sich Gleichgesinnten an, die unseren Journalismus unterstützen, lesen Sie unbegrenzt Artikel und genießen Sie weitere Vorteile für Abonnenten.',
  joinMembers: 'Melden Sie sich an, um in den Kommentaren mitzudiskutieren.',
  subscribe: 'Abonnieren',
  signIn: 'Anmelden',
  signedInAs: (name: string) => `Angemeldet als ${name}`,
  closed: 'Die Kommentare sind geschlossen.',
  suspended: 'Ihr Konto darf derzeit nicht an Diskussionen teilnehmen.',
  composerLabel: 'Kommentar schreiben',
  replyLabel: (name: string) => `Ihre Antwort an ${name}`,
  markdownHint: 'Markdown funktioniert: *kursiv*, **fett**, [Link](https://example.com), > Zitat, - Liste, `Code`.',
  counter: (used: number, max: number) => `${num(used)} / ${num(max)}`,
  counterOver: (over: number) => `${num(over)} ${pl(over, 'Zeichen', 'Zeichen')} zu viel`,
  post: 'Veröffentlichen',
  postReply: 'Antwort veröffentlichen',
  posting: 'Wird veröffentlicht…',
  cancel: 'Abbrechen',
  replyTo: (name: string) => `Antwort an ${name}`,
  deleted: 'Dieser Kommentar wurde gelöscht',
  pending: 'Wartet auf Moderation',
  author: 'Autor',
  edited: (when: string, name: string | null) => (name ? `Zuletzt bearbeitet ${when} von ${name}` : `Zuletzt bearbeitet ${when}`),
  intl: 'de',
  justNow: 'gerade eben',
  moreReplies: (k: number) => `${num(k)} weitere ${pl(k, 'Antwort', 'Antworten')} anzeigen`,
  loadMore: 'Mehr laden',
  loading: 'Wird geladen…',
  noComments: 'Noch keine Kommentare.',
  failed: 'Bei uns ist etwas schiefgegangen. Bitte versuchen Sie es erneut.',
  networkError: 'Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  live: {
    newComments: (n: number) => `${num(n)} ${pl(n, 'neuen Kommentar', 'neue Kommentare')} anzeigen`,
  },
} satisfies WidgetCatalog;
