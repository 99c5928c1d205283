// The shapes the inbox works with, as the server's routes declare them (through the typed client).
import type { InferResponseType } from 'hono/client';
import type { Api } from '../../api.ts';

type Conversations = Api['api']['conversations'];

export type ListRow = InferResponseType<Conversations['$get'], 200>['conversations'][number];
export type Detail = InferResponseType<Conversations[':id']['$get'], 200>;
export type Conversation = Detail['conversation'];
export type Message = Detail['messages'][number];
export type Complaint = NonNullable<Detail['complaint']>;
export type ComplaintAction = Complaint['actions'][number]['action'];
export type Assignee = InferResponseType<Conversations['assignees']['$get'], 200>['assignees'][number];
export type Kind = ListRow['kind'];

export const kinds: readonly Kind[] = ['chat', 'feedback', 'complaint'];
export const chatStatuses = ['open', 'closed'] as const;
export const complaintStatuses = ['registered', 'in_review', 'validated', 'rejected', 'resolved', 'closed'] as const;
export type Status = (typeof chatStatuses)[number] | (typeof complaintStatuses)[number];
