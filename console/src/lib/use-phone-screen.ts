import { useSyncExternalStore } from 'react';

// antd's `md` breakpoint: below it the side menu becomes a drawer.
const narrow = window.matchMedia('(max-width: 767.98px)');

/**
 * Whether the screen is a phone's. Read from the media query before the first paint, so a phone
 * never shows the desktop frame for a moment (antd's useBreakpoint answers only after mounting).
 */
export const usePhoneScreen = (): boolean =>
  useSyncExternalStore(
    (listener) => {
      narrow.addEventListener('change', listener);
      return () => narrow.removeEventListener('change', listener);
    },
    () => narrow.matches,
  );
