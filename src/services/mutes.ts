import { badRequest, notFound, unauthorized } from '../domain/errors.js';
import type { Actor } from '../domain/permissions.js';
import { messages } from '../messages.js';
import type { MutedReader, Store } from '../store/store.js';
import type { Clock } from './clock.js';

/**
 * Muting: a reader hides another reader's comments from themselves (collapsed rows they can
 * open). Nothing changes for anyone else and nothing tells the muted reader: the discussion
 * answers mark muted authors only in the muter's own answers (services/discussion.ts).
 */
export class Mutes {
  constructor(
    private readonly store: Pick<Store, 'users' | 'mutes'>,
    private readonly clock: Clock,
  ) {}

  private me(actor: Actor | null): Actor {
    if (!actor) throw unauthorized(messages.errors.unauthenticated);
    return actor;
  }

  async mute(actor: Actor | null, userId: number): Promise<{ userId: number; muted: boolean }> {
    const a = this.me(actor);
    if (userId === a.user.id) throw badRequest('mute_self', messages.errors.mute_self);
    if (!(await this.store.users.byId(userId))) throw notFound('user_not_found', messages.errors.user_not_found);
    await this.store.mutes.add(a.user.id, userId, this.clock.now());
    return { userId, muted: true };
  }

  /** Lifting a mute that is not there is no error: the reader wanted it gone, and it is. */
  async unmute(actor: Actor | null, userId: number): Promise<{ userId: number; muted: boolean }> {
    const a = this.me(actor);
    await this.store.mutes.remove(a.user.id, userId);
    return { userId, muted: false };
  }

  async list(actor: Actor | null): Promise<MutedReader[]> {
    return this.store.mutes.listOf(this.me(actor).user.id);
  }

  /** The ids the widget collapses, also for comments that arrive live (whose views are everyone's). */
  async ids(actor: Actor | null): Promise<number[]> {
    return actor ? this.store.mutes.idsOf(actor.user.id) : [];
  }
}
