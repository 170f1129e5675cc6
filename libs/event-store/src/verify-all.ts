import type { EventStore, StreamVerification } from './event-store.port.js';

/** Recomputes every stream's hash chain; returns the broken ones (first broken link each). */
export async function verifyAllStreams(
  store: EventStore,
  onStream?: (verified: number) => void,
): Promise<{ streams: number; broken: StreamVerification[] }> {
  const broken: StreamVerification[] = [];
  let streams = 0;
  for (let after = ''; ;) {
    const page = await store.listStreams({ after, limit: 1000 });
    if (page.length === 0) break;
    for (const stream of page) {
      const v = await store.verifyStream(stream);
      if (!v.ok) broken.push(v);
      // Counted outside the optional call: `onStream?.(++streams)` skips the increment without a callback.
      streams++;
      onStream?.(streams);
    }
    after = page[page.length - 1]!;
  }
  return { streams, broken };
}

/** JSON-safe form of a verification (positions are bigint). */
export function verificationJson(v: StreamVerification) {
  return {
    ...v,
    firstBroken: v.firstBroken && {
      ...v.firstBroken,
      globalPosition: v.firstBroken.globalPosition.toString(),
    },
  };
}
