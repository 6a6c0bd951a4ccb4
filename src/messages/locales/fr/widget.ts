/** Les textes du widget de discussion (premier téléchargement de widget.fr.js). */
import type { WidgetCatalog } from '../../catalog.js';

const num = (n: number) => n.toLocaleString('fr');
const rules = new Intl.PluralRules('fr');
const pl = (n: number, one: string, other: string) => (rules.select(n) === 'one' ? one : other);

export const widget = {
  commentsCount: (n: number) => `${num(n)} ${pl(n, 'commentaire', 'commentaires')}`,
  sortLabel: 'Trier les commentaires',
  sorts: { top: 'Les mieux notés', newest: 'Les plus récents', oldest: 'Les plus anciens', featured: 'À la une' },
  inline: 'Commentaires sur des passages',
  passage: {
    about: 'À propos de ce passage :',
    remove: 'Pas à propos d’un passage',
  },
  viewAll: 'Voir tous les commentaires',
  joinHeading: 'Rejoignez la discussion',
  joinText: 'Pour participer à la discussion dans les commentaires, abonnez-vous.',
  joinBenefits: 'Rejoignez des lecteurs qui soutiennent notre journalisme, lisez sans limite et profitez des avantages réservés aux abonnés.',
  joinMembers: 'Connectez-vous pour participer à la discussion dans les commentaires.',
  subscribe: 'S’abonner',
  signIn: 'Se connecter',
  signedInAs: (name: string) => `Connecté en tant que ${name}`,
  closed: 'Les commentaires sont fermés.',
  suspended: 'Votre compte ne peut pas participer aux discussions pour le moment.',
  composerLabel: 'Écrire un commentaire',
  replyLabel: (name: string) => `Votre réponse à ${name}`,
  markdownHint: 'Markdown fonctionne : *italique*, **gras**, [lien](https://example.com), > citation, - liste, `code`.',
  counter: (used: number, max: number) => `${num(used)} / ${num(max)}`,
  counterOver: (over: number) => `${num(over)} ${pl(over, 'caractère', 'caractères')} en trop`,
  post: 'Publier',
  postReply: 'Publier la réponse',
  posting: 'Publication…',
  cancel: 'Annuler',
  replyTo: (name: string) => `Réponse à ${name}`,
  deleted: 'Ce commentaire a été supprimé',
  pending: 'En attente de modération',
  author: 'Auteur',
  edited: (when: string, name: string | null) => (name ? `Modifié ${when} par ${name}` : `Modifié ${when}`),
  intl: 'fr',
  justNow: 'à l’instant',
  moreReplies: (k: number) => `Afficher ${num(k)} ${pl(k, 'autre réponse', 'autres réponses')}`,
  loadMore: 'Charger la suite',
  loading: 'Chargement…',
  noComments: 'Pas encore de commentaires.',
  failed: 'Un problème est survenu de notre côté. Veuillez réessayer.',
  networkError: 'Le serveur est injoignable. Vérifiez votre connexion et réessayez.',
  live: {
    newComments: (n: number) => `Afficher ${num(n)} ${pl(n, 'nouveau commentaire', 'nouveaux commentaires')}`,
  },
} satisfies WidgetCatalog;
