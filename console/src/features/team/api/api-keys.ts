import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

/** A page of the shop's API keys: id, name, last four characters, never a secret. */
export const listApiKeys = (cursor?: string) =>
  answer(api.GET('/v1/api-keys', { params: { query: { limit: '50', ...(cursor ? { cursor } : {}) } } }));

export type ApiKey = Awaited<ReturnType<typeof listApiKeys>>['keys'][number];

export const useApiKeys = (cursor?: string) =>
  useQuery({
    queryKey: ['api-keys', { cursor }],
    queryFn: () => listApiKeys(cursor),
    placeholderData: keepPreviousData,
  });

/** A new key: its secret is in this answer only. */
export const createApiKey = (name: string | undefined) =>
  answer(api.POST('/v1/api-keys', { body: name ? { name } : {} }));

/** Revokes a key: refused from its next request on. */
export const revokeApiKey = (keyId: string) =>
  answer(api.DELETE('/v1/api-keys/{keyId}', { params: { path: { keyId } } }));

function useApiKeyChange<Input, Answer>(mutationFn: (input: Input) => Promise<Answer>) {
  const queries = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queries.invalidateQueries({ queryKey: ['api-keys'] }) });
}

export const useCreateApiKey = () => useApiKeyChange(createApiKey);
export const useRevokeApiKey = () => useApiKeyChange(revokeApiKey);
