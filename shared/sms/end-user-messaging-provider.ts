import {
  type PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { type SmsProvider, SmsProviderError } from './provider';

/** AWS End User Messaging SMS (pinpoint-sms-voice-v2). */
export function endUserMessagingProvider(
  client: PinpointSMSVoiceV2Client,
  configurationSetName?: string,
): SmsProvider {
  return {
    async send(text) {
      try {
        const result = await client.send(
          new SendTextMessageCommand({
            OriginationIdentity: text.from,
            DestinationPhoneNumber: text.to,
            MessageBody: text.body,
            MessageType: text.category === 'marketing' ? 'PROMOTIONAL' : 'TRANSACTIONAL',
            ConfigurationSetName: configurationSetName,
            Context: text.context,
          }),
        );
        return { providerMessageId: result.MessageId ?? '' };
      } catch (error) {
        if (error instanceof ValidationException) throw new SmsProviderError(error.message, false);
        throw error;
      }
    },
  };
}
