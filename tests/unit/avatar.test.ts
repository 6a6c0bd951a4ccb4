import { describe, it, expect } from 'vitest';
import { avatarHue, initials } from '../../src/domain/avatar.js';

describe('initials', () => {
  it('takes the first letters of the first and last word', () => {
    expect(initials('Ana María López')).toBe('AL');
    expect(initials('jane doe')).toBe('JD');
  });

  it('uses one letter for a single word', () => {
    expect(initials('Cher')).toBe('C');
  });

  it('ignores surrounding and repeated whitespace', () => {
    expect(initials('   Ada \t  Lovelace  ')).toBe('AL');
    expect(initials('Ada\u00a0Lovelace')).toBe('AL');
  });

  it('returns "?" when there is nothing to use', () => {
    expect(initials('')).toBe('?');
    expect(initials('   ')).toBe('?');
    expect(initials('--- ...')).toBe('?');
  });

  it('skips leading punctuation', () => {
    expect(initials('@ana (Bob)')).toBe('AB');
  });

  it('keeps whole graphemes: emoji sequences, flags and combining marks', () => {
    expect(initials('👩‍👩‍👧 Family')).toBe('👩‍👩‍👧F');
    expect(initials('Kyiv 🇺🇦')).toBe('K🇺🇦');
    expect(initials('e\u0301mile zola')).toBe('ÉZ');
  });

  it('handles non-Latin scripts', () => {
    expect(initials('李小龍')).toBe('李');
    expect(initials('Мария Иванова')).toBe('МИ');
    expect(initials('محمد علي')).toBe('مع');
    expect(initials('Ελένη Παπαδοπούλου')).toBe('ΕΠ');
  });

  it('upper-cases by locale when asked', () => {
    expect(initials('istanbul izmir', 'tr')).toBe('İİ');
    expect(initials('istanbul izmir', 'en')).toBe('II');
  });
});

describe('avatarHue', () => {
  it('is an integer hue in 0..359', () => {
    for (const seed of ['', 'a', 'user-1', '👩‍👩‍👧', 'x'.repeat(1000)]) {
      const hue = avatarHue(seed);
      expect(Number.isInteger(hue)).toBe(true);
      expect(hue).toBeGreaterThanOrEqual(0);
      expect(hue).toBeLessThan(360);
    }
  });

  it('is stable across calls and releases', () => {
    expect(avatarHue('user-42')).toBe(avatarHue('user-42'));
    // Pinned so a change of hash (which would recolour every reader) is deliberate.
    expect(avatarHue('')).toBe(0x811c9dc5 % 360);
    // FNV-1a('a') is the published test vector 0xe40c292c.
    expect(avatarHue('a')).toBe(0xe40c292c % 360);
    expect(avatarHue('user-42')).toBe(99);
  });

  it('spreads similar seeds across the wheel', () => {
    const hues = new Set(Array.from({ length: 200 }, (_, i) => avatarHue(`user-${i}`)));
    expect(hues.size).toBeGreaterThan(100);
  });
});
