import * as z from 'zod';
import { lazySchema } from '../lazy-schema';

/**
 * The people at a merchant who use the console: each signs in with their own mobile number and acts
 * in one role. An owner runs the shop (settings, staff, keys, the audit log); marketing staff run
 * texts and campaigns; a cashier serves members at the counter.
 */
export const roles = ['owner', 'marketing', 'cashier'] as const;
export const roleSchema = lazySchema(() => z.enum(roles));
export type Role = z.infer<typeof roleSchema>;

export const staffIdSchema = lazySchema(() =>
  z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'staff id: 26 characters, as the staff list gives it'),
);

export const staffNameSchema = lazySchema(() =>
  z.string().trim().min(1, 'name: at least 1 character').max(40, 'name: at most 40 characters'),
);

export const staffSchema = lazySchema(() =>
  z.object({
    staffId: staffIdSchema,
    phone: z.string(),
    name: z.string(),
    role: roleSchema,
    /** The store (门店) they belong to, recorded on what they do; absent for staff of every store. */
    storeId: z.string().optional(),
    status: z.enum(['active', 'removed']),
    createdAt: z.string(),
    updatedAt: z.string().optional(),
    removedAt: z.string().optional(),
  }),
);
export type Staff = z.infer<typeof staffSchema>;

/** Whether a caller in `role` may call a route that allows `allowed`. */
export function mayCall(role: Role, allowed: readonly Role[]): boolean {
  return allowed.includes(role);
}

/**
 * How a change moves the merchant's count of active owners: +1 when someone becomes an owner, -1
 * when an owner is demoted or removed (`after` undefined), 0 otherwise. The store keeps the count and
 * refuses a change that would take it to 0 in the same transaction.
 */
export function ownerCountChange(before: Role | undefined, after: Role | undefined): -1 | 0 | 1 {
  const was = before === 'owner';
  const is = after === 'owner';
  if (was === is) return 0;
  return is ? 1 : -1;
}
