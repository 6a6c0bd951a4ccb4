/** Textos do widget das partes carregadas ao usar (denúncias, avisos, menu, editor). */
import type { WidgetExtrasCatalog } from '../../catalog.js';
import { plurals } from '../../plural.js';

const pl = plurals('pt');

const num = (n: number) => n.toLocaleString('pt');
export const widgetExtras = {
  inlineTab: {
    none: 'Ainda não há comentários sobre trechos. Selecione palavras no artigo para começar um.',
    orphaned: 'órfão: este trecho já não está no artigo',
  },
  dialogClose: 'Fechar',
  edit: {
    label: 'Edite o seu comentário',
    save: 'Salvar',
    saving: 'Salvando…',
    saved: 'As suas alterações foram salvas.',
    pending: 'As suas alterações foram salvas e aguardam moderação.',
  },
  passageTools: {
    toolbar: 'Trecho selecionado',
    comment: 'Comentar este trecho',
    quote: 'Citar',
    count: (n: number) => `${n.toLocaleString('pt')} ${pl(n, { one: 'comentário', other: 'comentários' })} sobre este trecho`,
  },
  actions: {
    more: 'Mais ações',
    upVote: 'Voto positivo',
    downVote: 'Voto negativo',
    votes: 'Votos',
    ownComment: 'Você não pode votar no seu próprio comentário.',
    reply: 'Responder',
    quote: 'Citar',
    report: 'Denunciar',
    edit: 'Editar',
    delete: 'Excluir',
    copyLink: 'Copiar link',
    copied: 'Link do comentário copiado.',
    deleteConfirm: 'Excluir este comentário? As respostas continuam.',
    deleteYes: 'Sim, excluir',
    deleteNo: 'Manter',
    deleted: 'O comentário foi excluído.',
    mute: (name: string) => `Silenciar ${name}`,
    unmute: (name: string) => `Deixar de silenciar ${name}`,
    muted: (name: string) => `${name} foi silenciado: os comentários dessa pessoa ficam recolhidos para você. Ninguém é avisado; desfaça aqui ou na sua conta.`,
    unmuted: (name: string) => `${name} não está mais silenciado.`,
    feature: 'Destacar como escolha da redação',
    unfeature: 'Tirar das escolhas da redação',
    featured: 'O comentário foi destacado como escolha da redação.',
    unfeatured: 'O comentário não é mais uma escolha da redação.',
  },
  mutedRow: 'Escrito por um leitor que você silenciou. Mostrar comentário',
  mentions: { label: 'Leitores para mencionar' },
  report: {
    legend: 'Por que os moderadores devem ver este comentário?',
    reasons: { abuse: 'Ofensivo ou de ódio', spam: 'Spam', off_topic: 'Fora do assunto', other: 'Outro motivo' },
    details: 'Detalhes (opcional)',
    send: 'Enviar denúncia',
    cancel: 'Cancelar',
    thanks: 'Obrigado. Os moderadores vão dar uma olhada.',
  },
  notify: {
    legend: 'Avisar-me de',
    article: 'novos comentários neste artigo',
    featured: 'escolhas da redação neste artigo',
    replies: 'novas respostas aos meus comentários',
    digest: 'um e-mail por dia em vez de um por comentário',
    guestLabel: 'Receber novos comentários por e-mail (visitante)',
    guestPlaceholder: 'voce@example.com',
    guestSubmit: 'Avisar-me',
    checkMail: (email: string) => `Veja ${email}: confirme lá e os avisos começam.`,
    accountWide: 'As respostas e o email diário valem para todos os artigos, não só para este.',
    accountLink: 'As suas definições de notificações',
  },
  /** Said to screen readers after an action, so loaded with the parts loaded on use. */
  announce: {
    posted: 'O seu comentário foi publicado.',
    replied: 'A sua resposta foi publicada.',
    pending: 'O seu comentário foi enviado e aguarda moderação.',
    sorted: (label: string) => `Comentários ordenados por: ${label}.`,
    loaded: (n: number) => `Mais ${num(n)} ${pl(n, { one: 'comentário carregado', other: 'comentários carregados' })}.`,
    repliesLoaded: (n: number) => `Mais ${num(n)} ${pl(n, { one: 'resposta carregada', other: 'respostas carregadas' })}.`,
    linked: 'O comentário do link é mostrado primeiro.',
    arrived: (n: number) => `${pl(n, { one: 'Chegou', other: 'Chegaram' })} ${num(n)} ${pl(n, { one: 'comentário novo', other: 'comentários novos' })}.`,
  },
} satisfies WidgetExtrasCatalog;
