/**
 * Every string a reader, moderator or publisher sees, in one place so the UI can be translated.
 * Functions take the values they interpolate. Shared by the server (pages, API errors, mails)
 * and the browser widget.
 */
import { apiDocs } from './messages/api-docs.js';
import { plurals } from './messages/plural.js';
import { localized } from './messages/scope.js';
import type { Widen } from './messages/widen.js';
import { importer } from './messages/importer.js';
import { moderation } from './messages/moderation.js';
import { operations } from './messages/operations.js';
import { widget } from './messages/widget.js';
import { widgetExtras } from './messages/widget-extras.js';

const pl = plurals('en');
const num = (n: number) => n.toLocaleString('en');

/** The English catalog: the source of every translation (src/messages/locales/<lang>/). */
const english = {
  errors: {
    validation: 'The request is not valid.',
    bad_json: 'The request body is not valid JSON.',
    body_too_large: 'The request body is too large.',
    not_found: 'Nothing here.',
    article_not_found: 'This article does not exist.',
    comment_not_found: 'This comment does not exist.',
    parent_not_found: 'The comment you are replying to does not exist.',
    parent_not_in_article: 'The comment you are replying to belongs to another article.',
    parent_not_replyable: 'You cannot reply to a deleted or hidden comment.',
    comment_empty: 'Write something before posting.',
    comment_too_long: (max: number) => `Comments can be at most ${num(max)} characters long.`,
    unauthenticated: 'Please sign in first.',
    csrf: 'Your session token is missing or out of date. Reload the page and try again.',
    signin: 'Please sign in to join the discussion.',
    subscribe: 'Only paid subscribers can join this discussion.',
    closed: 'Comments are closed on this article.',
    suspended: 'Your account may not take part in discussions at the moment.',
    own_comment: 'You cannot vote on your own comment.',
    not_votable: 'This comment cannot be voted on.',
    edit_forbidden: 'You can only edit your own comments, within the editing window.',
    delete_forbidden: 'You can only delete your own comments.',
    bad_cursor: 'The page cursor is not valid; start again from the first page.',
    rate_limited: (seconds: number) => `Too many requests. Try again in ${seconds} seconds.`,
    login_link_invalid: 'This sign-in link is invalid, used or expired. Ask for a new one.',
    follow_needs_email: 'Enter your email address to follow this discussion.',
    bad_anchor: 'The passage selection is not valid:',
    anchor_not_found: 'That passage is no longer in the article. Select it again.',
    anchor_on_reply: 'Only a new comment can be about a passage; replies follow their thread.',
    internal: 'Something went wrong on our side, and this may not have been saved. Please try again.',
    storage_full: "The server's storage is full, so this was not saved. Please try again later.",
    database_unavailable: 'The discussion is briefly unavailable, so this was not saved. Please try again in a moment.',
    request_timeout: 'The server took too long to answer, so this may not have been saved. Please try again.',
    draining: 'This server is restarting. Please try again in a moment.',
    billing_disabled: 'Online subscriptions are not set up on this site.',
    billing_unavailable: 'The payment service did not answer. Nothing was charged; please try again in a minute.',
    plan_unavailable: 'That plan is not offered.',
    already_subscribed: 'You already have a subscription. Use “Manage subscription” to change it.',
    no_billing_account: 'There is no paid subscription to manage for this account.',
    signature_missing: 'The Stripe-Signature header is missing.',
    signature_invalid: 'The webhook signature does not match.',
    event_invalid: 'The webhook event is signed but not a Stripe event Parley can read.',
    too_many_streams: 'Too many live updates are open from your address. Close some tabs and try again.',
    embed_url_invalid: 'The article address is not a valid http(s) URL.',
    counts_none: 'Name at least one article: urls=… or slugs=….',
    counts_too_many: (max: number) => `Ask for at most ${max} articles at once.`,
    sso_disabled: 'Single sign-on is not set up on this site.',
    sso_invalid: 'The sign-on token is invalid or expired. Go back and try again.',
    sso_jti_missing: 'The sign-on token has no token id (jti), so it could be used more than once. The site that sent you here must add one.',
    sso_email_in_use:
      'A Parley account already uses this email address and cannot be joined to this sign-on. Sign in with that address by email instead, or ask the site that sent you here for help.',
    sso_cross_site: 'Signing in must be confirmed on this site. Open the sign-in link again and press the button.',
    display_name_invalid: 'Names are 1 to 60 characters, without line breaks.',
    same_email: 'That is already your email address.',
    email_taken: 'Another account uses that email address.',
    email_link_invalid: 'This confirmation link is invalid, used or expired.',
    subscription_active: 'Cancel your paid subscription (Manage subscription) before deleting your account.',
    delete_unconfirmed: 'Tick the box to confirm that you want to delete your account.',
    // moderation and abuse limits (issue 6)
    not_moderator: 'Only moderators can do that.',
    not_admin: 'Only administrators can do that.',
    user_not_found: 'There is no such user.',
    self_action: 'You cannot do that to your own account.',
    report_own: 'You cannot report your own comment.',
    not_reportable: 'Only published comments can be reported.',
    already_reported: 'You already reported this comment. A moderator will look at it.',
    not_editable: 'A deleted comment cannot be edited.',
    pin_top_level: 'Only top-level comments can be pinned.',
    not_pinnable: 'Only published comments can be pinned.',
    last_admin: 'This is the last administrator; make someone else an administrator first.',
    duplicate_comment: 'You just posted the same comment.',
    idempotency_key_reused: 'This request reuses the key of an earlier, different request. Send it with a new key.',
    request_in_progress: 'Your previous comment is still being saved. Please try again in a moment.',
    slow_down: (seconds: number) => `New accounts post a little slower: try again in ${seconds} ${pl(seconds, { one: 'second', other: 'seconds' })}.`,
    thread_locked: 'This thread is locked: it takes no new replies.',
  },
  pages: {
    siteTitle: (publication: string) => publication,
    homeHeading: 'Latest articles',
    commentsCount: (n: number) => `${num(n)} ${pl(n, { one: 'Comment', other: 'Comments' })}`,
    byline: (author: string) => `By ${author}`,
    skipToContent: 'Skip to content',
    skipToComments: 'Skip to comments',
    answerQuestion: 'Answer in the comments',
    signIn: 'Sign in',
    signOut: 'Sign out',
    signedInAs: (name: string) => `Signed in as ${name}`,
    signInHeading: 'Sign in to join the discussion',
    signInIntro: 'Enter your email address and we will send you a link that signs you in. No password needed.',
    emailLabel: 'Email address',
    sendLink: 'Email me a sign-in link',
    linkSent: (email: string) => `If ${email} can sign in, a link is on its way. It works once, for 15 minutes.`,
    linkInvalidHeading: 'That link did not work',
    notFoundHeading: 'Page not found',
    formErrorHeading: 'That did not go through',
    backHome: 'Back to the front page',
    backToArticle: (title: string) => `Back to “${title}”`,
    inlineLink: 'Read the comments on passages of this article (Inline Feedbacks)',
    showLinked: 'The linked comment is not on this page: show it',
    footer: 'Discussions by Parley',
    verifyHeading: 'Finish signing in',
    verifyIntro: 'Press the button to sign in on this device.',
    verifyButton: 'Sign me in',
  },
  notify: {
    replySubject: (name: string, title: string) => `${name} replied to your comment on “${title}”`,
    commentSubject: (name: string, title: string) => `New comment by ${name} on “${title}”`,
    digestSubject: (n: number, publication: string) => `${num(n)} new ${pl(n, { one: 'comment', other: 'comments' })} on ${publication}`,
    replyIntro: (name: string, title: string) => `${name} replied to your comment on “${title}”:`,
    commentIntro: (name: string, title: string) => `${name} commented on “${title}”, which you follow:`,
    digestIntro: 'New comments in the discussions you follow:',
    readMore: 'Read and reply',
    unsubscribeReplies: 'Stop emails about replies to my comments',
    unsubscribeArticle: 'Stop emails about this article',
    footerWhy: (publication: string) => `You receive this because you asked ${publication} to notify you.`,
    confirmSubject: (title: string) => `Confirm: notify me of new comments on “${title}”`,
    confirmText: (title: string, link: string) =>
      `Someone, hopefully you, asked to be emailed about new comments on “${title}”.\n\nConfirm here:\n${link}\n\nIf it was not you, ignore this message and nothing more will be sent.\n`,
    confirmButton: 'Confirm',
    confirmHeading: 'Confirm notifications',
    confirmIntro: (title: string) => `Email me when someone comments on “${title}”.`,
    confirmedHeading: 'You are following this discussion',
    confirmedText: (title: string) => `We will email you about new comments on “${title}”. Every mail has a link to stop.`,
    unsubscribeHeading: 'Unsubscribe',
    unsubscribeButton: 'Unsubscribe',
    unsubscribedHeading: 'Unsubscribed',
    unsubscribedText: 'You will get no more of these emails.',
    invalidToken: 'This link is invalid or was already used.',
  },
  embed: {
    refusedHeading: 'Comments unavailable here',
    refusedText: 'This site is not allowed to embed these discussions. Its publisher can add it in the Parley settings.',
    frameHeading: (title: string) => `Discussion of “${title}”`,
  },
  mail: {
    loginSubject: (publication: string) => `Your sign-in link for ${publication}`,
    loginText: (link: string, publication: string) =>
      `Hello,\n\nUse this link to sign in to ${publication}. It works once and expires in 15 minutes:\n\n${link}\n\nIf you did not ask for it, ignore this message.\n`,
    loginHtmlIntro: (publication: string) => `Use this link to sign in to ${publication}. It works once and expires in 15 minutes.`,
    loginButton: 'Sign in',
    loginIgnore: 'If you did not ask for it, ignore this message.',
  },
  billing: {
    heading: 'Become a subscriber',
    headingSubscribed: 'Your subscription',
    intro: (publication: string) => `Subscribers to ${publication} read every article and join the discussions under them.`,
    manualOnly: (publication: string) =>
      `Subscribers to ${publication} read every article and join the discussions under them. Online checkout is not set up yet; the publisher grants subscriptions by hand.`,
    plans: 'Choose a plan',
    monthly: 'Monthly',
    annual: 'Annual',
    subscribeMonthly: 'Subscribe monthly',
    subscribeAnnual: 'Subscribe yearly',
    signInFirst: 'Sign in first, so that your subscription is tied to your account.',
    manage: 'Manage subscription',
    manageHint: 'Change your plan or card, see invoices, or cancel.',
    stateActive: (until: string | null) => (until ? `You are a subscriber until ${until}.` : 'You are a subscriber.'),
    stateRenews: (until: string) => `You are a subscriber. Your subscription renews on ${until}.`,
    stateCanceling: (until: string) => `Your subscription is cancelled and ends on ${until}. You keep full access until then.`,
    statePaymentFailed: (until: string) => `Your last payment failed. Update your card before ${until} to keep your subscription.`,
    statePaymentLapsed: 'Your last payment failed and your access has paused. Update your card to resume.',
    stateNone: 'You are not a subscriber.',
    back: 'Back to the article',
  },
  meter: {
    heading: 'Subscribe to keep reading',
    exhausted: (n: number) =>
      n === 0 ? 'This article is for subscribers.' : `You have read your ${num(n)} free ${pl(n, { one: 'article', other: 'articles' })} this month.`,
    pitch: 'Subscribers read every article in full and join the discussions under them.',
    subscribe: 'Subscribe',
    signIn: 'Sign in',
    signInHint: 'Already a subscriber?',
    discussionStaysOpen: 'The discussion below stays open to read.',
  },
  sso: {
    failedHeading: 'Signing in did not work',
    confirmHeading: 'Finish signing in',
    confirmAs: (name: string, email: string) => `You are about to sign in to the discussions as ${name} (${email}).`,
    confirmHint: 'Only continue if you came here from your publisher’s site and this is you.',
    confirmButton: 'Sign me in',
  },
  account: {
    heading: 'Your account',
    link: 'Account',
    profile: 'Profile',
    displayName: 'Display name',
    displayNameHint: 'Shown beside your comments.',
    avatarLabel: (initials: string) => `Your avatar: ${initials}`,
    saveName: 'Save name',
    nameSaved: 'Your name was changed.',
    email: 'Email address',
    emailCurrent: (email: string) => `Your address is ${email}.`,
    newEmail: 'New email address',
    changeEmail: 'Send confirmation link',
    emailSent: (email: string) => `We sent a confirmation link to ${email}. Your address changes when you open it.`,
    emailConfirmHeading: 'Confirm your new email address',
    emailConfirmIntro: (email: string) => `Use ${email} for this account from now on.`,
    emailConfirmButton: 'Confirm new address',
    emailChangedHeading: 'Email address changed',
    emailChanged: (email: string) => `Your account now uses ${email}.`,
    emailSubject: (publication: string) => `Confirm your new email address for ${publication}`,
    emailText: (link: string, publication: string) =>
      `Hello,\n\nSomeone, hopefully you, asked to use this address for an account at ${publication}. Confirm within 24 hours:\n\n${link}\n\nIf it was not you, ignore this message and nothing changes.\n`,
    subscription: 'Subscription',
    sessions: 'Sessions',
    signOutEverywhere: 'Sign out everywhere',
    signOutEverywhereHint: 'Ends every session of this account, on every device, including this one.',
    exportHeading: 'Your data',
    exportHint: 'Download your profile, comments with every revision, votes, subscriptions and follows as JSON.',
    exportButton: 'Download my data',
    deleteHeading: 'Delete account',
    deleteHint: 'Your comments stay, signed “[deleted user]”, unless you also erase them.',
    deleteConfirm: 'Yes, delete my account',
    deleteErase: 'Also erase my comments (they become “This comment was deleted”)',
    deleteButton: 'Delete account',
    deletedHeading: 'Account deleted',
    deletedText: 'Your account is gone. Thank you for reading.',
    deletedUser: '[deleted user]',
  },
  widget: { ...widget, ...widgetExtras },
  moderation,
  importer,
  operations,
  apiDocs,
} as const;

export type Messages = typeof english;
export { english };

/**
 * The catalog of the language being spoken: the request's article's, else LOCALE's (see
 * src/messages/scope.ts). Read it at the time of use; a constant such as `messages.pages` stays a
 * live view.
 */
const parts = localized({ messages: english, widget, widgetExtras });
export const messages: Widen<Messages> = parts.messages;
/** The widget's two catalogs as the widget itself sees them (src/messages/current/). */
export const localizedWidget: Widen<typeof widget> = parts.widget;
export const localizedWidgetExtras: Widen<typeof widgetExtras> = parts.widgetExtras;
