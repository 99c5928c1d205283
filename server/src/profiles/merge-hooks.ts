// The extension point for merges: other capabilities register a hook to move their rows (conversations,
// answers, …) from a merged profile to the one that survives, inside the projector's transaction.
import type { Transaction } from 'kysely';
import type { Database } from '../db/index.ts';

export interface ProfileMerge {
  siteId: string;
  /** The profile that disappears. */
  fromProfileId: string;
  /** The profile that survives and now holds everything. */
  intoProfileId: string;
}

export type MergeHook = (trx: Transaction<Database>, merge: ProfileMerge) => Promise<void>;

const hooks = new Set<MergeHook>();

/** Registers a hook run for every merge; returns the function that removes it. */
export function onProfileMerge(hook: MergeHook): () => void {
  hooks.add(hook);
  return () => hooks.delete(hook);
}

export async function runMergeHooks(trx: Transaction<Database>, merge: ProfileMerge): Promise<void> {
  for (const hook of hooks) await hook(trx, merge);
}
