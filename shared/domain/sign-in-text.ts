/**
 * The text that carries a sign-in code, and the code read back from it. No Node module here: the
 * console's browser tests read codes from the local outbox with it too.
 */

/** How long a sign-in code is valid. */
export const codeValidSeconds = 5 * 60;

/** What a sign-in code's text is made from: its template name, as carriers count texts per template. */
export const signInTemplate = 'staff:sign-in';

/** The service text carrying a code (send-sms adds the merchant's signature). */
export function signInText(code: string): string {
  return `您的登录验证码为${code}，${codeValidSeconds / 60}分钟内有效，请勿告诉他人。`;
}

/** The code in a sign-in text as delivered, if it is one (the local runtime prints it). */
export function codeInSignInText(text: string): string | undefined {
  return /登录验证码为(\d{6})，/.exec(text)?.[1];
}
