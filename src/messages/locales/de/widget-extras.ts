/** Widget-Texte der bei Bedarf geladenen Teile (Melden, Benachrichtigungen, Menü, Editor). */
import type { WidgetExtrasCatalog } from '../../catalog.js';
import { plurals } from '../../plural.js';

const pl = plurals('de');

const num = (n: number) => n.toLocaleString('de');
export const widgetExtras = {
  inlineTab: {
    none: 'Noch keine Kommentare zu Textstellen. Markieren Sie Wörter im Artikel, um einen zu beginnen.',
    orphaned: 'verwaist: Diese Textstelle steht nicht mehr im Artikel',
  },
  dialogClose: 'Schließen',
  edit: {
    label: 'Ihren Kommentar bearbeiten',
    save: 'Speichern',
    saving: 'Wird gespeichert…',
    saved: 'Ihre Änderungen wurden gespeichert.',
    pending: 'Ihre Änderungen wurden gespeichert und warten auf Moderation.',
  },
  passageTools: {
    toolbar: 'Markierte Textstelle',
    comment: 'Diese Textstelle kommentieren',
    quote: 'Zitieren',
    count: (n: number) => `${n.toLocaleString('de')} ${pl(n, { one: 'Kommentar', other: 'Kommentare' })} zu dieser Textstelle`,
  },
  actions: {
    more: 'Weitere Aktionen',
    upVote: 'Positiv bewerten',
    downVote: 'Negativ bewerten',
    votes: 'Bewertungen',
    ownComment: 'Sie können Ihren eigenen Kommentar nicht bewerten.',
    reply: 'Antworten',
    quote: 'Zitieren',
    report: 'Melden',
    edit: 'Bearbeiten',
    delete: 'Löschen',
    copyLink: 'Link kopieren',
    copied: 'Link zum Kommentar kopiert.',
    deleteConfirm: 'Diesen Kommentar löschen? Die Antworten bleiben erhalten.',
    deleteYes: 'Ja, löschen',
    deleteNo: 'Behalten',
    deleted: 'Der Kommentar wurde gelöscht.',
    mute: (name: string) => `${name} stummschalten`,
    unmute: (name: string) => `Stummschaltung von ${name} aufheben`,
    muted: (name: string) =>
      `${name} ist stummgeschaltet: Kommentare von ${name} sind für Sie eingeklappt. ${name} erfährt es nicht; aufheben können Sie es hier oder in Ihrem Konto.`,
    unmuted: (name: string) => `${name} ist nicht mehr stummgeschaltet.`,
    feature: 'Als Empfehlung der Redaktion auszeichnen',
    unfeature: 'Aus den Empfehlungen der Redaktion nehmen',
    featured: 'Der Kommentar ist jetzt eine Empfehlung der Redaktion.',
    unfeatured: 'Der Kommentar ist keine Empfehlung der Redaktion mehr.',
  },
  mutedRow: 'Das schrieb jemand, den Sie stummgeschaltet haben. Kommentar anzeigen',
  mentions: { label: 'Leser, die Sie erwähnen können' },
  report: {
    legend: 'Warum sollten sich die Moderatoren diesen Kommentar ansehen?',
    reasons: { abuse: 'Beleidigend oder hasserfüllt', spam: 'Spam', off_topic: 'Am Thema vorbei', other: 'Etwas anderes' },
    details: 'Details (optional)',
    send: 'Meldung senden',
    cancel: 'Abbrechen',
    thanks: 'Danke. Die Moderatoren sehen sich das an.',
  },
  notify: {
    legend: 'Benachrichtigen bei',
    article: 'neuen Kommentaren zu diesem Artikel',
    featured: 'Empfehlungen der Redaktion zu diesem Artikel',
    replies: 'neuen Antworten auf meine Kommentare',
    digest: 'einer täglichen E-Mail statt einer pro Kommentar',
    guestLabel: 'Neue Kommentare per E-Mail (als Gast)',
    guestPlaceholder: 'sie@example.com',
    guestSubmit: 'Benachrichtigen',
    checkMail: (email: string) => `Sehen Sie in ${email} nach: Nach Ihrer Bestätigung beginnen die Benachrichtigungen.`,
    accountWide: 'Antworten und die tägliche E-Mail gelten für jeden Artikel, nicht nur für diesen.',
    accountLink: 'Ihre Benachrichtigungseinstellungen',
  },
  /** Said to screen readers after an action, so loaded with the parts loaded on use. */
  announce: {
    posted: 'Ihr Kommentar wurde veröffentlicht.',
    replied: 'Ihre Antwort wurde veröffentlicht.',
    pending: 'Ihr Kommentar wurde gesendet und wartet auf Moderation.',
    sorted: (label: string) => `Kommentare sortiert nach: ${label}.`,
    loaded: (n: number) => `${num(n)} weitere ${pl(n, { one: 'Kommentar', other: 'Kommentare' })} geladen.`,
    repliesLoaded: (n: number) => `${num(n)} weitere ${pl(n, { one: 'Antwort', other: 'Antworten' })} geladen.`,
    linked: 'Der verlinkte Kommentar wird zuerst angezeigt.',
    arrived: (n: number) => `${num(n)} ${pl(n, { one: 'neuer Kommentar ist', other: 'neue Kommentare sind' })} eingetroffen.`,
  },
} satisfies WidgetExtrasCatalog;
