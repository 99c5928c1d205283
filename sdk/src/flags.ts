// Compile-time flags: the build replaces these names (esbuild `define`); tests and type checks see the fallbacks.
declare const FIDELIZA_VERSION: string | undefined;
declare const FIDELIZA_IIFE: boolean | undefined;

/** The package version, sent as `context.library.version`. */
export const VERSION: string = typeof FIDELIZA_VERSION === 'string' ? FIDELIZA_VERSION : 'dev';

/** True in the script-tag build, which always runs in a browser; the npm build also guards server-side rendering. */
export const IIFE: boolean = typeof FIDELIZA_IIFE === 'boolean' ? FIDELIZA_IIFE : false;
