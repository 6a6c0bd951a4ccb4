import { avatarHue, initials } from '../../src/domain/avatar.js';

/**
 * Generated initials in a coloured circle: no third-party image request, ever. The stylesheet
 * draws the circle before the comment's header from these two (`data-i` on the header, the hue
 * class on the comment), so it costs no element of its own and is no text for screen readers.
 */
export function avatar(name: string | null, seed: string): { hue: string; initials: string } {
  return { hue: `hue-${Math.floor(avatarHue(seed) / 30)}`, initials: name ? initials(name) : '–' };
}
