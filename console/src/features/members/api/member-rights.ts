import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';
import { memberKey } from './get-member';

export type MemberExport =
  paths['/v1/members/{phone}/export']['get']['responses'][200]['content']['application/json']['export'];
export type Erasure =
  paths['/v1/members/{phone}/erase']['post']['responses'][200]['content']['application/json']['erasure'];

/** Everything held about the phone, as the API's one JSON document. */
export const exportMember = (phone: string) =>
  answer(api.GET('/v1/members/{phone}/export', { params: { path: { phone } } })).then((body) => body.export);

export const eraseMember = (phone: string, confirmPhone: string) =>
  answer(api.POST('/v1/members/{phone}/erase', { params: { path: { phone } }, body: { confirmPhone } })).then(
    (body) => body.erasure,
  );

export const useExportMember = (phone: string) => useMutation({ mutationFn: () => exportMember(phone) });

/** Erases the member; their page and the lists then hold them no more. */
export function useEraseMember(phone: string) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (confirmPhone: string) => eraseMember(phone, confirmPhone),
    onSuccess() {
      queries.removeQueries({ queryKey: memberKey(phone) });
      return queries.invalidateQueries({ queryKey: ['members'] });
    },
  });
}
