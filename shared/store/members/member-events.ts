import type { DomainEvent } from '../../../events/catalog';
import type { Member } from '../../schemas/member';

/**
 * The events a write tells of, built from the member as written: committed with the write in the
 * Outbox table (one transaction), so an event exists exactly when its write does.
 */
export type MemberEvents = (member: Member) => DomainEvent[];

/** What joining tells of: a new member, or a deleted one back; and the opt-in, when it is recorded. */
export interface JoinEvents {
  registered: DomainEvent;
  restored: (member: Member) => DomainEvent;
  optedIn?: DomainEvent;
}
