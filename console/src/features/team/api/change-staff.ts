import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';

type NewStaff = NonNullable<paths['/v1/staff']['post']['requestBody']>['content']['application/json'];
type StaffChange = { staffId: string; role: NewStaff['role']; storeId: string | null };

/** Adds a member of staff, who signs in from now on with their phone. */
export const addStaff = (body: NewStaff) => answer(api.POST('/v1/staff', { body }));

/** Gives a member of staff another role or store (null: every store), counted from their next request. */
export const changeRole = ({ staffId, role, storeId }: StaffChange) =>
  answer(api.PATCH('/v1/staff/{staffId}', { params: { path: { staffId } }, body: { role, storeId } }));

/** Removes a member of staff: their session is refused from its next request on. */
export const removeStaff = (staffId: string) =>
  answer(api.DELETE('/v1/staff/{staffId}', { params: { path: { staffId } } }));

/** A change to the staff, after which the list is read again. */
function useStaffChange<Input, Answer>(mutationFn: (input: Input) => Promise<Answer>) {
  const queries = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queries.invalidateQueries({ queryKey: ['staff'] }) });
}

export const useAddStaff = () => useStaffChange(addStaff);
export const useChangeRole = () => useStaffChange(changeRole);
export const useRemoveStaff = () => useStaffChange(removeStaff);
