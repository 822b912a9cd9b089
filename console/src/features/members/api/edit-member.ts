import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';
import { memberKey } from './get-member';

export type ProfileChange =
  paths['/v1/members/{phone}']['patch']['requestBody']['content']['application/json'];

export const editMember = (phone: string, body: ProfileChange) =>
  answer(api.PATCH('/v1/members/{phone}', { params: { path: { phone } }, body })).then(
    (answered) => answered.member,
  );

/** Changes the member's profile; what shows of them is the answer. */
export function useEditMember(phone: string) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (body: ProfileChange) => editMember(phone, body),
    onSuccess(member) {
      queries.setQueryData(memberKey(phone), member);
      return queries.invalidateQueries({ queryKey: ['members'] });
    },
  });
}
