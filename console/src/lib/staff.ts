import type { paths } from './api-schema';

/** A signed-in staff member, as the sign-in answers: whom the console shows, and their role. */
export type Staff =
  paths['/v1/auth/session']['post']['responses'][201]['content']['application/json']['session'];
export type Role = Staff['role'];
