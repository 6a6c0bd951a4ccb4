/**
 * Every string a reader, moderator or publisher sees, in one place so the UI can be translated.
 * Functions take the values they interpolate. Shared by the server (pages, API errors, mails)
 * and the browser widget.
 */
export const messages = {
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
    comment_too_long: (max: number) => `Comments can be at most ${max.toLocaleString('en')} characters long.`,
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
    internal: 'Something went wrong on our side. Nothing you sent was lost; please try again.',
  },
  pages: {
    siteTitle: (publication: string) => publication,
    homeHeading: 'Latest articles',
    commentsCount: (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'Comment' : 'Comments'}`,
    byline: (author: string) => `By ${author}`,
    skipToContent: 'Skip to content',
    skipToComments: 'Skip to comments',
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
    backHome: 'Back to the front page',
    footer: 'Discussions by Parley',
    verifyHeading: 'Finish signing in',
    verifyIntro: 'Press the button to sign in on this device.',
    verifyButton: 'Sign me in',
    subscribeHeading: 'Become a subscriber',
    subscribeIntro: (publication: string) =>
      `Subscribers to ${publication} read every article and join the discussions under them. Online checkout is coming soon; until then the publisher grants subscriptions by hand.`,
    subscriberStatus: (until: string | null) => (until ? `You are a subscriber until ${until}.` : 'You are a subscriber.'),
    backToArticle: 'Back to the article',
  },
  mail: {
    loginSubject: (publication: string) => `Your sign-in link for ${publication}`,
    loginText: (link: string, publication: string) =>
      `Hello,\n\nUse this link to sign in to ${publication}. It works once and expires in 15 minutes:\n\n${link}\n\nIf you did not ask for it, ignore this message.\n`,
    loginHtmlIntro: (publication: string) => `Use this link to sign in to ${publication}. It works once and expires in 15 minutes.`,
    loginButton: 'Sign in',
    loginIgnore: 'If you did not ask for it, ignore this message.',
  },
} as const;

export type Messages = typeof messages;
