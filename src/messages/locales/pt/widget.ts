/** Os textos do widget de discussão (primeiro download de widget.pt.js). */
import type { WidgetCatalog } from '../../catalog.js';

const num = (n: number) => n.toLocaleString('pt');
const rules = new Intl.PluralRules('pt');
const pl = (n: number, one: string, other: string) => (rules.select(n) === 'one' ? one : other);

export const widget = {
  commentsCount: (n: number) => `${num(n)} ${pl(n, 'comentário', 'comentários')}`,
  sortLabel: 'Ordenar comentários',
  sorts: { top: 'Mais votados', newest: 'Mais recentes', oldest: 'Mais antigos', featured: 'Destaques' },
  inline: 'Comentários sobre trechos',
  passage: {
    about: 'Sobre este trecho:',
    remove: 'Não é sobre um trecho',
  },
  viewAll: 'Ver todos os comentários',
  joinHeading: 'Participe da discussão',
  joinText: 'Para participar da discussão nos comentários, torne-se assinante.',
  joinBenefits: 'Junte-se a leitores que apoiam o nosso jornalismo, leia artigos sem limite e aproveite outras vantagens exclusivas para assinantes.',
  joinMembers: 'Entre para participar da discussão nos comentários.',
  subscribe: 'Assinar',
  signIn: 'Entrar',
  signedInAs: (name: string) => `Sessão iniciada como ${name}`,
  closed: 'Os comentários estão fechados.',
  suspended: 'A sua conta não pode participar das discussões no momento.',
  composerLabel: 'Escreva um comentário',
  replyLabel: (name: string) => `A sua resposta a ${name}`,
  markdownHint: 'Aceita Markdown: *itálico*, **negrito**, [link](https://example.com), > citação, - lista, `código`.',
  counter: (used: number, max: number) => `${num(used)} / ${num(max)}`,
  counterOver: (over: number) => `${num(over)} ${pl(over, 'caractere', 'caracteres')} a mais`,
  post: 'Publicar',
  postReply: 'Publicar resposta',
  posting: 'Publicando…',
  cancel: 'Cancelar',
  replyTo: (name: string) => `Resposta a ${name}`,
  deleted: 'Este comentário foi excluído',
  pending: 'Aguardando moderação',
  author: 'Autor',
  edited: (when: string, name: string | null) => (name ? `Editado ${when} por ${name}` : `Editado ${when}`),
  intl: 'pt',
  justNow: 'agora mesmo',
  moreReplies: (k: number) => `Mostrar mais ${num(k)} ${pl(k, 'resposta', 'respostas')}`,
  loadMore: 'Carregar mais',
  loading: 'Carregando…',
  noComments: 'Ainda não há comentários.',
  failed: 'Algo deu errado do nosso lado. Tente novamente.',
  networkError: 'Não foi possível contactar o servidor. Verifique a sua conexão e tente novamente.',
  live: {
    newComments: (n: number) => `Mostrar ${num(n)} ${pl(n, 'comentário novo', 'comentários novos')}`,
  },
} satisfies WidgetCatalog;
