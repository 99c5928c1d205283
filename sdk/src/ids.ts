// Random identifiers: RFC 4122 version 4 UUIDs from the browser's CSPRNG (also on plain-http pages, where randomUUID is missing).

/** A version 4 UUID, e.g. for `messageId` and `anonymousId`. */
export const uuid = (): string =>
  `${1e7}-${1e3}-${4e3}-${8e3}-${1e11}`.replace(/[018]/g, (c) =>
    (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+c / 4)))).toString(16),
  );
