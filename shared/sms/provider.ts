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
  /**
   * Passed through the provider and back on its delivery receipts (End User Messaging's `Context`),
   * so a receipt finds its message: `merchantId` and `messageId`.
   */
  context?: Record<string, string>;
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
