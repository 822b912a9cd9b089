import { readApiKey } from '../../shared/domain/api-keys';

/** Anything that may be a merchant API key; `readApiKey` decides which are (the format lives there). */
const apiKeyCandidate = /mcrm_[A-Za-z0-9_-]+/g;
/** AWS access key ids: long-term (AKIA) and temporary (ASIA). */
const awsAccessKeyId = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g;
/** The header of a PEM private key (PKCS#8, RSA, EC, OpenSSH, encrypted). */
const privateKeyBlock = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g;

/** What in the text looks like a credential: API keys, AWS access key ids, private keys. */
export function secretsIn(text: string): string[] {
  const apiKeys = [...text.matchAll(apiKeyCandidate)]
    .map(([token]) => token)
    .filter((token) => readApiKey(token) !== undefined);
  const others = [awsAccessKeyId, privateKeyBlock].flatMap((pattern) =>
    [...text.matchAll(pattern)].map(([match]) => match),
  );
  return [...apiKeys, ...others];
}
