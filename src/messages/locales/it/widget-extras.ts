/** Testi del widget per le parti caricate all'uso (segnalazioni, notifiche, menu, editor). */
import type { WidgetExtrasCatalog } from '../../catalog.js';
import { plurals } from '../../plural.js';

const pl = plurals('it');

const num = (n: number) => n.toLocaleString('it');
export const widgetExtras = {
  inlineTab: {
    none: 'Ancora nessun commento sui passaggi. Seleziona delle parole nell’articolo per iniziarne uno.',
    orphaned: 'orfano: questo passaggio non è più nell’articolo',
  },
  dialogClose: 'Chiudi',
  edit: {
    label: 'Modifica il tuo commento',
    save: 'Salva',
    saving: 'Salvataggio…',
    saved: 'Le modifiche sono state salvate.',
    pending: 'Le modifiche sono state salvate e sono in attesa di moderazione.',
  },
  passageTools: {
    toolbar: 'Passaggio selezionato',
    comment: 'Commenta questo passaggio',
    quote: 'Cita',
    count: (n: number) => `${n.toLocaleString('it')} ${pl(n, { one: 'commento', other: 'commenti' })} su questo passaggio`,
  },
  actions: {
    more: 'Altre azioni',
    upVote: 'Voto positivo',
    downVote: 'Voto negativo',
    votes: 'Voti',
    ownComment: 'Non puoi votare il tuo commento.',
    reply: 'Rispondi',
    quote: 'Cita',
    report: 'Segnala',
    edit: 'Modifica',
    delete: 'Elimina',
    copyLink: 'Copia link',
    copied: 'Link al commento copiato.',
    deleteConfirm: 'Eliminare questo commento? Le risposte restano.',
    deleteYes: 'Sì, elimina',
    deleteNo: 'Tienilo',
    deleted: 'Il commento è stato eliminato.',
    mute: (name: string) => `Silenzia ${name}`,
    unmute: (name: string) => `Riattiva ${name}`,
    muted: (name: string) => `${name} è silenziato: i suoi commenti sono compressi per te. Non lo saprà; puoi annullare qui o nel tuo account.`,
    unmuted: (name: string) => `${name} non è più silenziato.`,
    feature: 'Metti in evidenza (scelta della redazione)',
    unfeature: 'Togli dalle scelte della redazione',
    featured: 'Il commento è in evidenza tra le scelte della redazione.',
    unfeatured: 'Il commento non è più una scelta della redazione.',
  },
  mutedRow: 'L’ha scritto un lettore che hai silenziato. Mostra il commento',
  mentions: { label: 'Lettori da menzionare' },
  report: {
    legend: 'Perché i moderatori dovrebbero esaminare questo commento?',
    reasons: { abuse: 'Offensivo o d’odio', spam: 'Spam', off_topic: 'Fuori tema', other: 'Altro' },
    details: 'Dettagli (facoltativo)',
    send: 'Invia segnalazione',
    cancel: 'Annulla',
    thanks: 'Grazie. I moderatori daranno un’occhiata.',
  },
  notify: {
    legend: 'Avvisami di',
    article: 'nuovi commenti su questo articolo',
    featured: 'le scelte della redazione su questo articolo',
    replies: 'nuove risposte ai miei commenti',
    digest: 'un’email al giorno invece di una per commento',
    guestLabel: 'Inviami i nuovi commenti per email (ospite)',
    guestPlaceholder: 'tu@example.com',
    guestSubmit: 'Avvisami',
    checkMail: (email: string) => `Controlla ${email}: conferma da lì e le notifiche inizieranno.`,
    accountWide: 'Le risposte e l’email giornaliera valgono per tutti gli articoli, non solo per questo.',
    accountLink: 'Le tue impostazioni delle notifiche',
  },
  /** Said to screen readers after an action, so loaded with the parts loaded on use. */
  announce: {
    posted: 'Il tuo commento è stato pubblicato.',
    replied: 'La tua risposta è stata pubblicata.',
    pending: 'Il tuo commento è stato inviato ed è in attesa di moderazione.',
    sorted: (label: string) => `Commenti ordinati per: ${label}.`,
    loaded: (n: number) => `${pl(n, { one: 'Caricato un altro commento', other: `Caricati altri ${num(n)} commenti` })}.`,
    repliesLoaded: (n: number) => `${pl(n, { one: 'Caricata un’altra risposta', other: `Caricate altre ${num(n)} risposte` })}.`,
    linked: 'Il commento collegato è mostrato per primo.',
    arrived: (n: number) => `${pl(n, { one: 'È arrivato', other: 'Sono arrivati' })} ${num(n)} ${pl(n, { one: 'nuovo commento', other: 'nuovi commenti' })}.`,
  },
} satisfies WidgetExtrasCatalog;
