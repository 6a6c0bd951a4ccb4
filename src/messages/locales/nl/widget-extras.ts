/** Widgetteksten voor de delen die bij gebruik laden (melden, meldingen, menu, editor). */
import type { WidgetExtrasCatalog } from '../../catalog.js';
import { plurals } from '../../plural.js';

const pl = plurals('nl');

const num = (n: number) => n.toLocaleString('nl');
export const widgetExtras = {
  inlineTab: {
    none: 'Nog geen reacties op passages. Selecteer woorden in het artikel om er een te beginnen.',
    orphaned: 'verweesd: deze passage staat niet meer in het artikel',
  },
  dialogClose: 'Sluiten',
  edit: {
    label: 'Je reactie bewerken',
    save: 'Opslaan',
    saving: 'Bezig met opslaan…',
    saved: 'Je wijzigingen zijn opgeslagen.',
    pending: 'Je wijzigingen zijn opgeslagen en wachten op moderatie.',
  },
  passageTools: {
    toolbar: 'Geselecteerde passage',
    comment: 'Reageer op deze passage',
    quote: 'Citeren',
    count: (n: number) => `${n.toLocaleString('nl')} ${pl(n, { one: 'reactie', other: 'reacties' })} op deze passage`,
  },
  actions: {
    more: 'Meer acties',
    upVote: 'Stem omhoog',
    downVote: 'Stem omlaag',
    votes: 'Stemmen',
    ownComment: 'Je kunt niet op je eigen reactie stemmen.',
    reply: 'Antwoorden',
    quote: 'Citeren',
    report: 'Melden',
    edit: 'Bewerken',
    delete: 'Verwijderen',
    copyLink: 'Link kopiëren',
    copied: 'Link naar de reactie gekopieerd.',
    deleteConfirm: 'Deze reactie verwijderen? De antwoorden blijven staan.',
    deleteYes: 'Ja, verwijderen',
    deleteNo: 'Bewaren',
    deleted: 'De reactie is verwijderd.',
    mute: (name: string) => `${name} dempen`,
    unmute: (name: string) => `${name} niet meer dempen`,
    muted: (name: string) =>
      `${name} is gedempt: de reacties zijn voor u ingeklapt. ${name} krijgt het niet te horen; ongedaan maken kan hier of in uw account.`,
    unmuted: (name: string) => `${name} is niet meer gedempt.`,
    feature: 'Uitlichten als keuze van de redactie',
    unfeature: 'Uit de keuzes van de redactie halen',
    featured: 'De reactie is uitgelicht als keuze van de redactie.',
    unfeatured: 'De reactie is geen keuze van de redactie meer.',
  },
  mutedRow: 'Geschreven door een lezer die je hebt gedempt. Reactie tonen',
  mentions: { label: 'Lezers om te noemen' },
  report: {
    legend: 'Waarom moeten moderatoren naar deze reactie kijken?',
    reasons: { abuse: 'Beledigend of haatdragend', spam: 'Spam', off_topic: 'Off-topic', other: 'Iets anders' },
    details: 'Details (optioneel)',
    send: 'Melding versturen',
    cancel: 'Annuleren',
    thanks: 'Dank je. De moderatoren kijken ernaar.',
  },
  notify: {
    legend: 'Stuur me een bericht bij',
    article: 'nieuwe reacties op dit artikel',
    featured: 'keuzes van de redactie bij dit artikel',
    replies: 'nieuwe antwoorden op mijn reacties',
    digest: 'één e-mail per dag in plaats van één per reactie',
    guestLabel: 'Nieuwe reacties per e-mail (als gast)',
    guestPlaceholder: 'jij@example.com',
    guestSubmit: 'Houd me op de hoogte',
    checkMail: (email: string) => `Kijk in ${email}: bevestig daar en de meldingen beginnen.`,
    accountWide: 'Antwoorden en de dagelijkse mail gelden voor elk artikel, niet alleen voor dit.',
    accountLink: 'Je meldingsinstellingen',
  },
  /** Said to screen readers after an action, so loaded with the parts loaded on use. */
  announce: {
    posted: 'Je reactie is geplaatst.',
    replied: 'Je antwoord is geplaatst.',
    pending: 'Je reactie is verstuurd en wacht op moderatie.',
    sorted: (label: string) => `Reacties gesorteerd op: ${label}.`,
    loaded: (n: number) => `Nog ${num(n)} ${pl(n, { one: 'reactie', other: 'reacties' })} geladen.`,
    repliesLoaded: (n: number) => `Nog ${num(n)} ${pl(n, { one: 'antwoord', other: 'antwoorden' })} geladen.`,
    linked: 'De gelinkte reactie staat bovenaan.',
    arrived: (n: number) => `${num(n)} ${pl(n, { one: 'nieuwe reactie binnengekomen', other: 'nieuwe reacties binnengekomen' })}.`,
  },
} satisfies WidgetExtrasCatalog;
