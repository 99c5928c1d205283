// The shapes the settings page works with, as the server's routes declare them (through the typed client).
import type { InferRequestType, InferResponseType } from 'hono/client';
import type { Api } from '../../api.ts';

type SiteRoute = Api['api']['site'];

export type SiteView = InferResponseType<SiteRoute['$get'], 200>;
export type SiteUpdate = InferRequestType<SiteRoute['$put']>['json'];
export type Settings = SiteView['settings'];
export type TeamMember = InferResponseType<Api['api']['team']['$get'], 200>['members'][number];
export type Role = TeamMember['role'];
export const roles: readonly Role[] = ['admin', 'marketer', 'agent', 'validator'];
