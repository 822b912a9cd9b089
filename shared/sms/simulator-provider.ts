import { type SmsProvider, SmsProviderError } from './provider';

/**
 * The local SMS gateway simulator, reached over HTTP like a real provider. It keeps every text
 * in an outbox that developers and the end-to-end tests read.
 */
export function simulatorProvider(gatewayUrl: string): SmsProvider {
  return {
    async send(text) {
      const response = await fetch(gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(text),
      });
      const body = (await response.json().catch(() => ({}))) as {
        providerMessageId?: string;
        error?: string;
      };
      if (!response.ok || !body.providerMessageId) {
        throw new SmsProviderError(
          body.error ?? `simulator answered ${response.status}`,
          response.status >= 500,
        );
      }
      return { providerMessageId: body.providerMessageId };
    },
  };
}
