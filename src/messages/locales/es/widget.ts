/** Los textos del widget de debate (primera descarga de widget.es.js). */
import type { WidgetCatalog } from '../../catalog.js';

const num = (n: number) => n.toLocaleString('es');
const rules = new Intl.PluralRules('es');
const pl = (n: number, one: string, other: string) => (rules.select(n) === 'one' ? one : other);

export const widget = {
  commentsCount: (n: number) => `${num(n)} ${pl(n, 'comentario', 'comentarios')}`,
  sortLabel: 'Ordenar comentarios',
  sorts: { top: 'Más votados', newest: 'Más recientes', oldest: 'Más antiguos', featured: 'Destacados' },
  inline: 'Comentarios sobre pasajes',
  passage: {
    about: 'Sobre este pasaje:',
    remove: 'No es sobre un pasaje',
  },
  viewAll: 'Ver todos los comentarios',
  joinHeading: 'Únete al debate',
  joinText: 'Para participar en el debate de los comentarios, hazte suscriptor de pago.',
  joinBenefits: 'Únete a lectores afines que apoyan nuestro periodismo, lee artículos sin límite y disfruta de otras ventajas exclusivas para suscriptores.',
  joinMembers: 'Inicia sesión para participar en el debate de los comentarios.',
  subscribe: 'Suscribirse',
  signIn: 'Iniciar sesión',
  signedInAs: (name: string) => `Sesión iniciada como ${name}`,
  closed: 'Los comentarios están cerrados.',
  suspended: 'Tu cuenta no puede participar en los debates por el momento.',
  composerLabel: 'Escribe un comentario',
  replyLabel: (name: string) => `Tu respuesta a ${name}`,
  markdownHint: 'Admite Markdown: *cursiva*, **negrita**, [enlace](https://example.com), > cita, - lista, `código`.',
  counter: (used: number, max: number) => `${num(used)} / ${num(max)}`,
  counterOver: (over: number) => `${num(over)} ${pl(over, 'carácter', 'caracteres')} de más`,
  post: 'Publicar',
  postReply: 'Publicar respuesta',
  posting: 'Publicando…',
  cancel: 'Cancelar',
  replyTo: (name: string) => `Respuesta a ${name}`,
  deleted: 'Este comentario se eliminó',
  pending: 'Pendiente de moderación',
  author: 'Autor',
  edited: (when: string, name: string | null) => (name ? `Editado por última vez ${when} por ${name}` : `Editado por última vez ${when}`),
  intl: 'es',
  justNow: 'ahora mismo',
  moreReplies: (k: number) => `Mostrar ${num(k)} ${pl(k, 'respuesta más', 'respuestas más')}`,
  loadMore: 'Cargar más',
  loading: 'Cargando…',
  noComments: 'Aún no hay comentarios.',
  failed: 'Algo salió mal por nuestra parte. Inténtalo de nuevo.',
  networkError: 'No se pudo conectar con el servidor. Comprueba tu conexión e inténtalo de nuevo.',
  live: {
    newComments: (n: number) => `Mostrar ${num(n)} ${pl(n, 'comentario nuevo', 'comentarios nuevos')}`,
  },
} satisfies WidgetCatalog;
