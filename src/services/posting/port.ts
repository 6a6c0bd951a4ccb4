import type { CommentsRepository } from '../../store/repositories/comments.js';
import type { ModerationRepository } from '../../store/repositories/moderation.js';
import type { SettingsRepository } from '../../store/repositories/settings.js';

/** What the pre-moderation rules are read from: the site's settings and each article's own. */
export interface ModerationRulesReads {
  settings: Pick<SettingsRepository, 'get'>;
  moderation: Pick<ModerationRepository, 'articleSettings'>;
}

/**
 * All that posting rules may read, and nothing they could write with. A Store (usually the post's
 * transaction) is one; so is a plain object, which is how the rules are tested without a database.
 */
export interface PostingReads extends ModerationRulesReads {
  comments: Pick<CommentsRepository, 'byId' | 'publishedCount' | 'lastCommentAt' | 'recentDuplicate'>;
}
