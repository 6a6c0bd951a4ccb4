/**
 * The discussion widget's strings: part of the one messages module (`src/messages.ts` re-exports
 * them as `messages.widget`), kept in their own file so the browser bundle carries only these.
 */
/** Numbers in the page's language (one place, so a translation changes one line). */
const num = (n: number) => n.toLocaleString('en');
const rules = new Intl.PluralRules('en');
/** The singular or plural, as English's plural rules choose for n. */
const pl = (n: number, one: string, other: string) => (rules.select(n) === 'one' ? one : other);

export const widget = {
  commentsCount: (n: number) => `${num(n)} ${pl(n, 'Comment', 'Comments')}`,
  sortLabel: 'Sort comments',
  /** `featured` also names the badge on an editors' pick. */
  sorts: { top: 'Most Voted', newest: 'Newest', oldest: 'Oldest', featured: 'Featured' },
  inline: 'Inline Feedbacks',
  passage: {
    about: 'About this passage:',
    remove: 'Not about a passage',
  },
  viewAll: 'View all comments',
  joinHeading: 'Join the discussion',
  joinText: 'To join the discussion in the comments, become a paid subscriber.',
  joinBenefits: 'Join like-minded readers who support our journalism, read unlimited articles and enjoy other subscriber-only benefits.',
  joinMembers: 'Sign in to join the discussion in the comments.',
  subscribe: 'Subscribe',
  signIn: 'Sign in',
  signedInAs: (name: string) => `Signed in as ${name}`,
  closed: 'Comments are closed.',
  suspended: 'Your account may not take part in discussions at the moment.',
  composerLabel: 'Write a comment',
  replyLabel: (name: string) => `Your reply to ${name}`,
  markdownHint: 'Markdown works: *italic*, **bold**, [link](https://example.com), > quote, - list, `code`.',
  counter: (used: number, max: number) => `${num(used)} / ${num(max)}`,
  counterOver: (over: number) => `${num(over)} ${pl(over, 'character', 'characters')} too many`,
  post: 'Post',
  postReply: 'Post reply',
  posting: 'Posting…',
  cancel: 'Cancel',
  replyTo: (name: string) => `Reply to ${name}`,
  deleted: 'This comment was deleted',
  pending: 'Awaiting moderation',
  /** Badge on comments by the article's own author. */
  author: 'Author',
  edited: (when: string, name: string | null) => (name ? `Last edited ${when} by ${name}` : `Last edited ${when}`),
  /** The locale dates and numbers are written in (Intl): British English, day before month. */
  intl: 'en-GB',
  justNow: 'just now',
  moreReplies: (k: number) => `Show ${num(k)} more ${pl(k, 'reply', 'replies')}`,
  loadMore: 'Load more',
  loading: 'Loading…',
  noComments: 'No comments yet.',
  failed: 'Something went wrong on our side. Please try again.',
  networkError: 'The server could not be reached. Check your connection and try again.',
  live: {
    newComments: (n: number) => `Show ${num(n)} new ${pl(n, 'comment', 'comments')}`,
  },
} as const;
