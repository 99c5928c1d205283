// The widget's stylesheet, placed inside its shadow root so neither side's CSS reaches the other.
// Inherited properties (font, colour, …) still cross a shadow boundary, so `.root` resets them with `all: initial`.
export const styles = `
:host{all:initial}
.root{all:initial;position:fixed;right:20px;bottom:20px;z-index:2147483647;display:flex;flex-direction:column;align-items:flex-end;gap:12px;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328}
.launcher{width:56px;height:56px;padding:0;border:0;border-radius:50%;background:var(--fz-brand,#0b57d0);color:#fff;cursor:pointer;display:grid;place-items:center;box-shadow:0 4px 12px rgba(0,0,0,.25)}
.launcher:focus-visible{outline:3px solid #1f2328;outline-offset:3px;box-shadow:0 0 0 3px #fff}
.panel{box-sizing:border-box;width:min(360px,calc(100vw - 40px));max-height:min(560px,calc(100vh - 120px));overflow:auto;padding:16px;background:#fff;border-radius:12px;box-shadow:0 8px 28px rgba(0,0,0,.2)}
.panel[hidden]{display:none}
h2{margin:0;font-size:16px;font-weight:600}
`;
