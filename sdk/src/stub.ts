// The stub pasted before the script tag: a queue that records calls made before the SDK has loaded.
// sdk/README.md and the demo shop carry exactly this text; snippet.ts replays the queue in order.

/** `window.fideliza` as an array of `[method, ...args]`, with the API's methods pushing onto it. */
export const STUB =
  'window.fideliza=window.fideliza||[];["page","track","identify","alias","reset","consent","flush"].forEach(function(m){fideliza[m]=fideliza[m]||function(){fideliza.push([m].concat([].slice.call(arguments)))}});';
