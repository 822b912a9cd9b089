/** As much of a page as the mark is read from. */
export interface MarkedPage {
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
}

/**
 * Whether the page is the local runtime's (`npm start`): its server marks every page it sends
 * (local/console-files.ts). CloudFront serves the build's own page, unmarked, so in AWS the console
 * offers nothing of the local runtime's, such as the phone simulator over `/local/sms/*`.
 */
export const markedLocal = (page: MarkedPage | undefined): boolean =>
  page?.querySelector('meta[name="mcrm-runtime"]')?.getAttribute('content') === 'local';
