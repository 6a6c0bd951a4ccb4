/** Textes du widget pour les parties chargées à la demande (signalement, notifications, menu, éditeur). */
import type { WidgetExtrasCatalog } from '../../catalog.js';
import { plurals } from '../../plural.js';

const pl = plurals('fr');

const num = (n: number) => n.toLocaleString('fr');
export const widgetExtras = {
  inlineTab: {
    none: 'Pas encore de commentaires sur des passages. Sélectionnez des mots dans l’article pour en commencer un.',
    orphaned: 'orphelin : ce passage ne figure plus dans l’article',
  },
  dialogClose: 'Fermer',
  edit: {
    label: 'Modifier votre commentaire',
    save: 'Enregistrer',
    saving: 'Enregistrement…',
    saved: 'Vos modifications ont été enregistrées.',
    pending: 'Vos modifications ont été enregistrées et attendent la modération.',
  },
  passageTools: {
    toolbar: 'Passage sélectionné',
    comment: 'Commenter ce passage',
    quote: 'Citer',
    count: (n: number) => `${n.toLocaleString('fr')} ${pl(n, { one: 'commentaire', other: 'commentaires' })} sur ce passage`,
  },
  actions: {
    more: 'Plus d’actions',
    upVote: 'Vote positif',
    downVote: 'Vote négatif',
    votes: 'Votes',
    ownComment: 'Vous ne pouvez pas voter pour votre propre commentaire.',
    reply: 'Répondre',
    quote: 'Citer',
    report: 'Signaler',
    edit: 'Modifier',
    delete: 'Supprimer',
    copyLink: 'Copier le lien',
    copied: 'Lien vers le commentaire copié.',
    deleteConfirm: 'Supprimer ce commentaire ? Ses réponses restent.',
    deleteYes: 'Oui, supprimer',
    deleteNo: 'Le garder',
    deleted: 'Le commentaire a été supprimé.',
    mute: (name: string) => `Masquer ${name}`,
    unmute: (name: string) => `Ne plus masquer ${name}`,
    muted: (name: string) => `${name} est masqué : ses commentaires sont repliés pour vous. Personne ne le lui dit ; annulez ici ou dans votre compte.`,
    unmuted: (name: string) => `${name} n’est plus masqué.`,
    feature: 'Mettre à la une (choix de la rédaction)',
    unfeature: 'Retirer des choix de la rédaction',
    featured: 'Le commentaire est à la une, choix de la rédaction.',
    unfeatured: 'Le commentaire n’est plus un choix de la rédaction.',
  },
  mutedRow: 'Écrit par un lecteur que vous avez masqué. Afficher le commentaire',
  mentions: { label: 'Lecteurs à mentionner' },
  report: {
    legend: 'Pourquoi les modérateurs devraient-ils examiner ce commentaire ?',
    reasons: { abuse: 'Injurieux ou haineux', spam: 'Spam', off_topic: 'Hors sujet', other: 'Autre chose' },
    details: 'Détails (facultatif)',
    send: 'Envoyer le signalement',
    cancel: 'Annuler',
    thanks: 'Merci. Les modérateurs vont y jeter un œil.',
  },
  notify: {
    legend: 'M’avertir des',
    article: 'nouveaux commentaires sur cet article',
    featured: 'les choix de la rédaction sur cet article',
    replies: 'nouvelles réponses à mes commentaires',
    digest: 'un e-mail par jour au lieu d’un par commentaire',
    guestLabel: 'Recevoir les nouveaux commentaires par e-mail (invité)',
    guestPlaceholder: 'vous@example.com',
    guestSubmit: 'M’avertir',
    checkMail: (email: string) => `Consultez ${email} : confirmez-y et les notifications commencent.`,
    accountWide: 'Les réponses et le courriel quotidien valent pour tous les articles, pas seulement celui-ci.',
    accountLink: 'Vos réglages de notifications',
  },
  /** Said to screen readers after an action, so loaded with the parts loaded on use. */
  announce: {
    posted: 'Votre commentaire a été publié.',
    replied: 'Votre réponse a été publiée.',
    pending: 'Votre commentaire a été envoyé et attend la modération.',
    sorted: (label: string) => `Commentaires triés par : ${label}.`,
    loaded: (n: number) => `${num(n)} ${pl(n, { one: 'commentaire supplémentaire chargé', other: 'commentaires supplémentaires chargés' })}.`,
    repliesLoaded: (n: number) => `${num(n)} ${pl(n, { one: 'réponse supplémentaire chargée', other: 'réponses supplémentaires chargées' })}.`,
    linked: 'Le commentaire lié est affiché en premier.',
    arrived: (n: number) => `${num(n)} ${pl(n, { one: 'nouveau commentaire est arrivé', other: 'nouveaux commentaires sont arrivés' })}.`,
  },
} satisfies WidgetExtrasCatalog;
