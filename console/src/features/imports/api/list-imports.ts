import { useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

/** The merchant's latest imports, newest first. */
export const listImports = () => answer(api.GET('/v1/imports', { params: { query: { limit: '10' } } }));

export const useImports = () => useQuery({ queryKey: ['imports'], queryFn: listImports });
