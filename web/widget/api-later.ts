/**
 * API calls made only by parts of the widget loaded on use (reporting, notification settings):
 * here rather than in `api.ts`, so they travel with those parts, not in the first download.
 */
import type { FollowState } from '../../src/domain/views.js';
import type { Api } from './api.js';

export const report = (api: Api, id: number, reason: string, text: string) =>
  api.call<{ reported: boolean }>('POST', `/comments/${id}/report`, { reason, ...(text.trim() ? { text } : {}) });
export const follow = (api: Api, articleId: number, on: boolean, featured?: boolean) =>
  api.call<FollowState>('PUT', `/articles/${articleId}/follow`, { follow: on, ...(featured === undefined ? {} : { featured }) });
export const followByEmail = (api: Api, articleId: number, email: string) =>
  api.call<{ sent: boolean }>('POST', `/articles/${articleId}/follow-by-email`, { email });
export const prefs = (api: Api, p: { replies?: boolean; digest?: 'instant' | 'daily' }) => api.call<{ ok: boolean }>('PUT', '/me/notifications', p);
