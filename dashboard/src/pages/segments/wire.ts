// Segments as the API sends them. The typed client's JSON types cannot follow the recursive rule tree (it turns
// into plain JSON a few levels down), so segments are read back as the wire type the server declares once, here.
import type { WireSegment } from '@fideliza/server/protocol';

export const asSegment = (s: Omit<WireSegment, 'rules'> & { rules: unknown }): WireSegment => s as WireSegment;
