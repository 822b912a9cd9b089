import type { AuthPaths } from './auth-paths';

/** A signed-in staff member, as the sign-in answers: whom the console shows, and their role. */
export type Staff = AuthPaths['/v1/auth/session']['post']['responses'][201]['content']['application/json'];
export type Role = Staff['role'];
