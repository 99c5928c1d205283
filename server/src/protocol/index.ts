// Wire types shared by the server, the SDK and the widget (browser code imports them with `import type`).
export * from './messages.ts';
export * from './segments.ts';
export * from './surveys.ts';
export * from './widget.ts';
