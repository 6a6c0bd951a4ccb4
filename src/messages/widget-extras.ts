/**
 * Widget strings for parts loaded on demand (reporting, notification settings): in their own file
 * so they travel with those parts, not in the first download. `src/messages.ts` merges them into
 * `messages.widget` with the rest.
 */
import { plurals } from './plural.js';

const pl = plurals('en');

export const widgetExtras = {
  /** The Inline Feedbacks tab's list (also the page without the widget). */
  inlineTab: {
    none: 'No comments on passages yet. Select words in the article to start one.',
    orphaned: 'orphaned: this passage is no longer in the article',
  },
  dialogClose: 'Close',
  /** An author's editor, loaded when they open it. */
  edit: {
    label: 'Edit your comment',
    save: 'Save',
    saving: 'Saving…',
    saved: 'Your changes were saved.',
    pending: 'Your changes were saved and are awaiting moderation.',
  },
  /** The passage tools laid over the article's text. */
  passageTools: {
    toolbar: 'Selected passage',
    comment: 'Comment on this passage',
    quote: 'Quote',
    count: (n: number) => `${n.toLocaleString('en')} ${pl(n, { one: 'comment', other: 'comments' })} on this passage`,
  },
  /** A comment's row once scripts run: the vote control, Reply, and the "More actions" menu. */
  actions: {
    /** The name of the menu's button (Quote, Report, Edit, Delete, Copy link…), which shows only ⋯. */
    more: 'More actions',
    upVote: 'Up vote',
    downVote: 'Down vote',
    votes: 'Votes',
    ownComment: 'You cannot vote on your own comment.',
    reply: 'Reply',
    quote: 'Quote',
    report: 'Report',
    edit: 'Edit',
    delete: 'Delete',
    copyLink: 'Copy link',
    copied: 'Link to the comment copied.',
    deleteConfirm: 'Delete this comment? Its replies stay.',
    deleteYes: 'Yes, delete',
    deleteNo: 'Keep it',
    deleted: 'The comment was deleted.',
    mute: (name: string) => `Mute ${name}`,
    unmute: (name: string) => `Unmute ${name}`,
    muted: (name: string) => `${name} is muted: their comments are collapsed for you. They are not told; undo it here or in your account.`,
    unmuted: (name: string) => `${name} is no longer muted.`,
    feature: "Feature as editors' pick",
    unfeature: "Remove from editors' picks",
    featured: "The comment is featured as an editors' pick.",
    unfeatured: "The comment is no longer an editors' pick.",
  },
  /**
   * The one line a comment by a reader the viewer muted collapses to; it opens the comment. Sent in
   * the page's state only to a reader who muted someone (the first download need not carry it).
   */
  mutedRow: 'A reader you muted wrote this. Show comment',
  /** The `@name` suggestions while writing a comment. */
  mentions: { label: 'Readers to mention' },
  report: {
    legend: 'Why should moderators look at this comment?',
    reasons: { abuse: 'Abusive or hateful', spam: 'Spam', off_topic: 'Off topic', other: 'Something else' },
    details: 'Details (optional)',
    send: 'Send report',
    cancel: 'Cancel',
    thanks: 'Thank you. The moderators will take a look.',
  },
  notify: {
    legend: 'Notify of',
    article: 'new comments on this article',
    featured: "editors' picks on this article",
    replies: 'new replies to my comments',
    digest: 'one daily email instead of one per comment',
    guestLabel: 'Email me new comments (guest)',
    guestPlaceholder: 'you@example.com',
    guestSubmit: 'Notify me',
    checkMail: (email: string) => `Check ${email}: confirm there and the notifications start.`,
    accountWide: 'Replies and the daily email apply to every article, not only this one.',
    accountLink: 'Your notification settings',
  },
  /** Said to screen readers after an action, so loaded with the parts loaded on use. */
  announce: {
    posted: 'Your comment was posted.',
    replied: 'Your reply was posted.',
    pending: 'Your comment was posted and is awaiting moderation.',
    sorted: (label: string) => `Comments sorted by ${label}.`,
    loaded: (n: number) => `${n.toLocaleString('en')} more ${pl(n, { one: 'comment', other: 'comments' })} loaded.`,
    repliesLoaded: (n: number) => `${n.toLocaleString('en')} more ${pl(n, { one: 'reply', other: 'replies' })} loaded.`,
    linked: 'The linked comment is shown first.',
    arrived: (n: number) => `${n.toLocaleString('en')} new ${pl(n, { one: 'comment', other: 'comments' })} arrived.`,
  },
} as const;
