// The overview as the server's route declares it (through the typed client).
import type { InferResponseType } from 'hono/client';
import type { Api } from '../../api.ts';

export type OverviewData = InferResponseType<Api['api']['overview']['$get'], 200>;
