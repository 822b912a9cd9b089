import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiErrorOf, ConnectionLost } from './errors';
import { markedLocal } from './runtime-mark';

/** Whether the console runs on the local runtime: see runtime-mark.ts. */
export const onLocalRuntime = (): boolean =>
  markedLocal(typeof document === 'undefined' ? undefined : document);

/** A text in a simulated phone's thread: `in` from the phone to a shop, `out` from a shop to it. */
export interface ThreadText {
  at: string;
  direction: 'in' | 'out';
  from: string;
  to: string;
  body: string;
}

async function local<Body>(path: string, init?: RequestInit): Promise<Body> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin', ...init });
  } catch (error) {
    throw new ConnectionLost((error as Error).message, { cause: error });
  }
  const body = (await response.json().catch(() => undefined)) as Body;
  if (!response.ok) throw apiErrorOf(response.status, body);
  return body;
}

const threadKey = (phone: string) => ['local', 'sms-thread', phone];

/** The phone's texts to and from shops, oldest first; asked again every second while shown. */
export const useSmsThread = (phone: string | undefined) =>
  useQuery({
    queryKey: threadKey(phone ?? ''),
    queryFn: () =>
      local<{ texts: ThreadText[] }>(`/local/sms/thread?phone=${encodeURIComponent(phone ?? '')}`).then(
        (body) => body.texts,
      ),
    enabled: Boolean(phone),
    refetchInterval: 1000,
  });

/** Texts the shop's number from the phone, as a customer's carrier delivers it. */
export function useTextShop() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (text: { from: string; to: string; text: string }) =>
      local<{ from: string }>('/local/sms/inbound', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(text),
      }),
    onSuccess: ({ from }) => queries.invalidateQueries({ queryKey: threadKey(from) }),
  });
}
