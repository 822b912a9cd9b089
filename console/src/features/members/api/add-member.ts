import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';
import { memberKey } from './get-member';

export type NewMember = paths['/v1/members']['post']['requestBody']['content']['application/json'];

export const addMember = (body: NewMember) =>
  answer(api.POST('/v1/members', { body })).then((answered) => answered.member);

/** Adds a member; the lists show them, and their profile is already known. */
export function useAddMember() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: addMember,
    onSuccess(member) {
      queries.setQueryData(memberKey(member.phone), member);
      return queries.invalidateQueries({ queryKey: ['members'] });
    },
  });
}
