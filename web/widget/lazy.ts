import { useEffect, useState } from 'preact/hooks';

/**
 * Loads a module only once `when` turns true, so features a reader may never use (the
 * subscribe prompt, notification settings) stay out of the first download.
 */
export function useLazy<T>(load: () => Promise<T>, when: boolean): T | null {
  const [mod, setMod] = useState<T | null>(null);
  useEffect(() => {
    if (!when || mod) return;
    let live = true;
    load().then((m) => live && setMod(() => m));
    return () => {
      live = false;
    };
  }, [when]);
  return mod;
}
