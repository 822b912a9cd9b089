import type { paths } from './api-schema';

/** The signed-in staff member, as `GET /v1/auth/session` answers: whom the console shows, and their role. */
export type Staff =
  paths['/v1/auth/session']['get']['responses'][200]['content']['application/json']['session'];
export type Role = Staff['role'];
