import { avatarHue, initials } from '../../src/domain/avatar.js';

/** Generated initials in a coloured circle: no third-party image request, ever. */
export function Avatar({ name, seed }: { name: string | null; seed: string }) {
  const hue = avatarHue(seed);
  return (
    <span class={`parley-avatar hue-${Math.floor(hue / 30)}`} aria-hidden="true">
      {name ? initials(name) : '–'}
    </span>
  );
}
