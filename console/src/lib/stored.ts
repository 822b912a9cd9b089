/**
 * The browser's local storage, which throws when the user blocked site data: the console then forgets
 * choices between visits instead of failing to start.
 */
export const stored = {
  get(key: string): string | null {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key: string, value: string | undefined): void {
    try {
      if (value === undefined) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch {
      // Nothing to keep it in: it lasts until the page closes.
    }
  },
};
