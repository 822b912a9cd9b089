import { useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';

export type MemberImport =
  paths['/v1/imports/{importId}']['get']['responses'][200]['content']['application/json']['import'];

export const getImport = (importId: string) =>
  answer(api.GET('/v1/imports/{importId}', { params: { path: { importId } } })).then((body) => body.import);

const finished = (memberImport: MemberImport | undefined) =>
  memberImport?.status === 'done' || memberImport?.status === 'failed';

/** The import, asked again every second until it is done or failed. */
export const useImport = (importId: string | undefined) =>
  useQuery({
    queryKey: ['imports', importId],
    queryFn: () => getImport(importId ?? ''),
    enabled: importId !== undefined,
    refetchInterval: (query) => (finished(query.state.data) ? false : 1000),
  });
