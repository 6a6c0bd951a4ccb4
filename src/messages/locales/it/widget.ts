/** I testi del widget di discussione (primo download di widget.it.js). */
import type { WidgetCatalog } from '../../catalog.js';

const num = (n: number) => n.toLocaleString('it');
const rules = new Intl.PluralRules('it');
const pl = (n: number, one: string, other: string) => (rules.select(n) === 'one' ? one : other);

export const widget = {
  commentsCount: (n: number) => `${num(n)} ${pl(n, 'commento', 'commenti')}`,
  sortLabel: 'Ordina i commenti',
  sorts: { top: 'Più votati', newest: 'Più recenti', oldest: 'Meno recenti', featured: 'In evidenza' },
  inline: 'Commenti sui passaggi',
  passage: {
    about: 'Su questo passaggio:',
    remove: 'Non riguarda un passaggio',
  },
  viewAll: 'Vedi tutti i commenti',
  joinHeading: 'Partecipa alla discussione',
  joinText: 'Per partecipare alla discussione nei commenti, diventa abbonato.',
  joinBenefits: 'Unisciti a lettori che sostengono il nostro giornalismo, leggi articoli senza limiti e goditi gli altri vantaggi riservati agli abbonati.',
  joinMembers: 'Accedi per partecipare alla discussione nei commenti.',
  subscribe: 'Abbonati',
  signIn: 'Accedi',
  signedInAs: (name: string) => `Accesso effettuato come ${name}`,
  closed: 'I commenti sono chiusi.',
  suspended: 'Al momento il tuo account non può partecipare alle discussioni.',
  composerLabel: 'Scrivi un commento',
  replyLabel: (name: string) => `La tua risposta a ${name}`,
  markdownHint: 'Puoi usare Markdown: *corsivo*, **grassetto**, [link](https://example.com), > citazione, - elenco, `codice`.',
  counter: (used: number, max: number) => `${num(used)} / ${num(max)}`,
  counterOver: (over: number) => `${num(over)} ${pl(over, 'carattere', 'caratteri')} di troppo`,
  post: 'Pubblica',
  postReply: 'Pubblica risposta',
  posting: 'Pubblicazione…',
  cancel: 'Annulla',
  replyTo: (name: string) => `Risposta a ${name}`,
  deleted: 'Questo commento è stato eliminato',
  pending: 'In attesa di moderazione',
  author: 'Autore',
  edited: (when: string, name: string | null) => (name ? `Modificato ${when} da ${name}` : `Modificato ${when}`),
  intl: 'it',
  justNow: 'proprio ora',
  moreReplies: (k: number) => `Mostra ${pl(k, 'un’altra risposta', `altre ${num(k)} risposte`)}`,
  loadMore: 'Carica altri',
  loading: 'Caricamento…',
  noComments: 'Ancora nessun commento.',
  failed: 'Qualcosa è andato storto da parte nostra. Riprova.',
  networkError: 'Impossibile raggiungere il server. Controlla la connessione e riprova.',
  live: {
    newComments: (n: number) => `Mostra ${num(n)} ${pl(n, 'nuovo commento', 'nuovi commenti')}`,
  },
} satisfies WidgetCatalog;
