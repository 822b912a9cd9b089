/** The port every SMS provider adapter implements. */
export interface SmsProvider {
  send(text: OutgoingText): Promise<{ providerMessageId: string }>;
}

export interface OutgoingText {
  from: string;
  to: string;
  /** The full text as the handset shows it, signature included. */
  body: string;
  category: 'service' | 'marketing';
}

/** The provider refused or failed; `retryable` says whether sending again may succeed. */
export class SmsProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'SmsProviderError';
  }
}
