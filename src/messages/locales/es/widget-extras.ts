/** Textos del widget para las partes que se cargan al usarlas (denuncias, avisos, menú, editor). */
import type { WidgetExtrasCatalog } from '../../catalog.js';
import { plurals } from '../../plural.js';

const pl = plurals('es');

const num = (n: number) => n.toLocaleString('es');
export const widgetExtras = {
  inlineTab: {
    none: 'Aún no hay comentarios sobre pasajes. Selecciona palabras del artículo para empezar uno.',
    orphaned: 'huérfano: este pasaje ya no está en el artículo',
  },
  dialogClose: 'Cerrar',
  edit: {
    label: 'Edita tu comentario',
    save: 'Guardar',
    saving: 'Guardando…',
    saved: 'Tus cambios se han guardado.',
    pending: 'Tus cambios se han guardado y están pendientes de moderación.',
  },
  passageTools: {
    toolbar: 'Pasaje seleccionado',
    comment: 'Comentar este pasaje',
    quote: 'Citar',
    count: (n: number) => `${n.toLocaleString('es')} ${pl(n, { one: 'comentario', other: 'comentarios' })} sobre este pasaje`,
  },
  actions: {
    more: 'Más acciones',
    upVote: 'Voto a favor',
    downVote: 'Voto en contra',
    votes: 'Votos',
    ownComment: 'No puedes votar tu propio comentario.',
    reply: 'Responder',
    quote: 'Citar',
    report: 'Denunciar',
    edit: 'Editar',
    delete: 'Eliminar',
    copyLink: 'Copiar enlace',
    copied: 'Enlace al comentario copiado.',
    deleteConfirm: '¿Eliminar este comentario? Sus respuestas se mantienen.',
    deleteYes: 'Sí, eliminar',
    deleteNo: 'Conservarlo',
    deleted: 'El comentario se ha eliminado.',
    mute: (name: string) => `Silenciar a ${name}`,
    unmute: (name: string) => `Dejar de silenciar a ${name}`,
    muted: (name: string) => `${name} está silenciado: sus comentarios se pliegan para usted. No se le avisa; puede deshacerlo aquí o en su cuenta.`,
    unmuted: (name: string) => `${name} ya no está silenciado.`,
    feature: 'Destacar como selección de la redacción',
    unfeature: 'Quitar de la selección de la redacción',
    featured: 'El comentario está destacado como selección de la redacción.',
    unfeatured: 'El comentario ya no es una selección de la redacción.',
  },
  mutedRow: 'Lo escribió un lector que has silenciado. Mostrar comentario',
  mentions: { label: 'Lectores a los que mencionar' },
  report: {
    legend: '¿Por qué deberían revisar los moderadores este comentario?',
    reasons: { abuse: 'Ofensivo o de odio', spam: 'Spam', off_topic: 'Fuera de tema', other: 'Otra cosa' },
    details: 'Detalles (opcional)',
    send: 'Enviar denuncia',
    cancel: 'Cancelar',
    thanks: 'Gracias. Los moderadores lo revisarán.',
  },
  notify: {
    legend: 'Avisarme de',
    article: 'nuevos comentarios en este artículo',
    featured: 'la selección de la redacción en este artículo',
    replies: 'nuevas respuestas a mis comentarios',
    digest: 'un correo diario en lugar de uno por comentario',
    guestLabel: 'Enviarme los comentarios nuevos por correo (invitado)',
    guestPlaceholder: 'tu@example.com',
    guestSubmit: 'Avisarme',
    checkMail: (email: string) => `Revisa ${email}: confirma allí y empezarán los avisos.`,
    accountWide: 'Las respuestas y el correo diario valen para todos los artículos, no solo para este.',
    accountLink: 'Tus ajustes de notificaciones',
  },
  /** Said to screen readers after an action, so loaded with the parts loaded on use. */
  announce: {
    posted: 'Tu comentario se ha publicado.',
    replied: 'Tu respuesta se ha publicado.',
    pending: 'Tu comentario se ha enviado y está pendiente de moderación.',
    sorted: (label: string) => `Comentarios ordenados por: ${label}.`,
    loaded: (n: number) =>
      `${pl(n, { one: 'Se ha cargado', other: 'Se han cargado' })} ${num(n)} ${pl(n, { one: 'comentario más', other: 'comentarios más' })}.`,
    repliesLoaded: (n: number) =>
      `${pl(n, { one: 'Se ha cargado', other: 'Se han cargado' })} ${num(n)} ${pl(n, { one: 'respuesta más', other: 'respuestas más' })}.`,
    linked: 'El comentario enlazado se muestra primero.',
    arrived: (n: number) =>
      `${pl(n, { one: 'Ha llegado', other: 'Han llegado' })} ${num(n)} ${pl(n, { one: 'comentario nuevo', other: 'comentarios nuevos' })}.`,
  },
} satisfies WidgetExtrasCatalog;
