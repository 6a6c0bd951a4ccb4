import { describe, expect, it } from 'vitest';
import { webhookEventOf, webhookKey } from '../../src/domain/webhooks.js';
import { webhookSignature } from '../../src/services/webhooks.js';

const comment = (status: 'visible' | 'pending' | 'rejected' | 'deleted', over: Record<string, unknown> = {}) => ({
  status,
  bodySrc: 'text',
  editedAt: null,
  pinned: false,
  locked: false,
  anchor: null,
  up: 0,
  down: 0,
  score: 0,
  rankScore: 0,
  ...over,
});

describe('webhook events', () => {
  it('follows what readers see, adds held comments and leaves votes out', () => {
    expect(webhookEventOf(null, comment('visible'))).toBe('comment.created');
    expect(webhookEventOf(null, comment('pending'))).toBe('comment.held');
    expect(webhookEventOf(comment('pending'), comment('visible'))).toBe('comment.created');
    expect(webhookEventOf(comment('pending'), comment('pending', { bodySrc: 'changed' }))).toBeNull();
    expect(webhookEventOf(comment('pending'), comment('rejected'))).toBeNull();
    expect(webhookEventOf(comment('visible'), comment('visible', { bodySrc: 'changed' }))).toBe('comment.edited');
    expect(webhookEventOf(comment('visible'), comment('visible', { up: 1, score: 1 }))).toBeNull();
    expect(webhookEventOf(comment('visible'), comment('deleted'))).toBe('comment.deleted');
    expect(webhookEventOf(comment('visible'), comment('pending'))).toBe('comment.deleted');
    expect(webhookEventOf(comment('visible'), null)).toBe('comment.deleted');
  });

  it('reads Standard Webhooks secrets and signs like the reference implementations', () => {
    // The specification's published test vector.
    const key = webhookKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')!;
    expect(webhookSignature(key, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(webhookKey('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBeNull();
    expect(webhookKey('whsec_c2hvcnQ=')).toBeNull();
    expect(webhookKey('whsec_not base64')).toBeNull();
  });
});
