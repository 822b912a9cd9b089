import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';

export type RetentionReport = Awaited<ReturnType<typeof getReport>>['report'];
export type RuleReport = RetentionReport['rules'][number];
export type RetentionRule = Awaited<ReturnType<typeof listRules>>['rules'][number];
export type ScoringRun = Awaited<ReturnType<typeof listRuns>>['runs'][number];
export type NewRule = paths['/v1/retention/rules']['post']['requestBody']['content']['application/json'];
export type Zone = NonNullable<RetentionRule['zone']>;

/** The five zones, from the members most at ease to those too new or too quiet to score. */
export const zones = ['green', 'blue', 'yellow', 'red', 'white'] as const;
/** Zones a retention rule may act on: a member entering them is at risk. */
export const ruleZones: readonly Zone[] = ['blue', 'yellow', 'red'];

const getReport = () => answer(api.GET('/v1/retention/report'));
const listRules = () => answer(api.GET('/v1/retention/rules'));
const listRuns = () => answer(api.GET('/v1/retention/runs', { params: { query: { limit: '10' } } }));
/** The templates and benefits a rule may send and grant. */
const listTemplates = () => answer(api.GET('/v1/templates', { params: { query: { limit: '100' } } }));
const listBenefits = () => answer(api.GET('/v1/benefits'));

export const useRetentionReport = () => useQuery({ queryKey: ['retention', 'report'], queryFn: getReport });
export const useRetentionRules = () => useQuery({ queryKey: ['retention', 'rules'], queryFn: listRules });

/** The runs, asked again every two seconds while one is still under way. */
export const useScoringRuns = () =>
  useQuery({
    queryKey: ['retention', 'runs'],
    queryFn: listRuns,
    refetchInterval: (query) => (query.state.data?.runs.some((run) => run.status !== 'done') ? 2000 : false),
  });

export const useRuleTemplates = (enabled: boolean) =>
  useQuery({ queryKey: ['templates', 'for-rules'], queryFn: listTemplates, enabled });
export const useRuleBenefits = (enabled: boolean) =>
  useQuery({ queryKey: ['benefits', 'for-rules'], queryFn: listBenefits, enabled });

function useRetentionChange<Input, Answer>(mutationFn: (input: Input) => Promise<Answer>) {
  const queries = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queries.invalidateQueries({ queryKey: ['retention'] }) });
}

/**
 * A new rule. The API refuses a second active rule texting the same template to the same zone, so a
 * repeated submit creates it once and the repeat is answered with that refusal.
 */
export const useCreateRule = () =>
  useRetentionChange((body: NewRule) => answer(api.POST('/v1/retention/rules', { body })));

/** Stops a rule; it stays in the report. Stopping twice is harmless. */
export const useStopRule = () =>
  useRetentionChange((ruleId: string) =>
    answer(api.DELETE('/v1/retention/rules/{ruleId}', { params: { path: { ruleId } } })),
  );

/** Asks for a scoring run now; refused while another is under way. */
export const useStartRun = () => useRetentionChange(() => answer(api.POST('/v1/retention/runs')));
