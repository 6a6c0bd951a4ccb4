import type { Config } from '../config.js';

/** The publisher origins allowed to embed discussions (`EMBED_ALLOWED_ORIGINS`). */
export function embedOrigins(config: Pick<Config, 'EMBED_ALLOWED_ORIGINS'>): string[] {
  return config.EMBED_ALLOWED_ORIGINS.split(',').filter(Boolean);
}

/** Whether `url` is a page of one of `allowed`. */
export function allowedOrigin(url: string, allowed: readonly string[]): boolean {
  try {
    return allowed.includes(new URL(url).origin);
  } catch {
    return false;
  }
}
