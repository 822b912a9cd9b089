import { useStaff } from '../features/auth/api/get-session';
import { type Access, access } from './access';

/** What the signed-in staff member's role lets the console offer: for a page that offers part of itself by role. */
export const useAccess = (): Access => access(useStaff());
