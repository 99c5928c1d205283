// The widget's stylesheet, placed inside its shadow root so neither side's CSS reaches the other.
// Page rules still reach the host element itself (and, through it, inherited properties such as font and colour):
// `:host{all:initial!important}` wins over them (for !important, the shadow's own rule beats the page's), and
// `.root` starts again from `all:initial` with explicit values. Sizes are in px: rem would follow the page's <html>.
export const styles = `
:host{all:initial!important}
.root{all:initial;position:fixed;bottom:20px;z-index:2147483647;display:flex;flex-direction:column;gap:12px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;text-align:left}
.right{right:20px;align-items:flex-end}
.left{left:20px;align-items:flex-start}
*{box-sizing:border-box}
button,input,textarea,select{font:inherit;color:inherit;margin:0}
p,ol,ul,h2,h3,fieldset{margin:0;padding:0}
.launcher{width:56px;height:56px;padding:0;border:0;border-radius:50%;background:var(--fz-brand);color:var(--fz-on-brand);cursor:pointer;display:grid;place-items:center;box-shadow:0 4px 12px rgba(0,0,0,.25)}
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.launcher:focus-visible{outline-color:#1f2328;outline-offset:3px;box-shadow:0 0 0 3px #fff}
.panel{display:flex;flex-direction:column;width:min(360px,calc(100vw - 40px));max-height:min(580px,calc(100vh - 110px));background:#fff;border-radius:12px;box-shadow:0 8px 28px rgba(0,0,0,.22);overflow:hidden;animation:fz-in .16s ease-out}
.panel[hidden]{display:none}
.panel:focus{outline:none}
@keyframes fz-in{from{opacity:0;transform:translateY(8px)}}
@media (prefers-reduced-motion:reduce){.panel{animation:none}}
.head{display:flex;align-items:center;justify-content:space-between;gap:8px;padding:12px 12px 8px 16px;background:var(--fz-brand);color:var(--fz-on-brand)}
h2{font-size:16px;font-weight:600}
h3{font-size:14px;font-weight:600;margin-top:8px}
.close{display:grid;place-items:center;width:32px;height:32px;padding:0;border:0;border-radius:6px;background:transparent;color:inherit;cursor:pointer}
.close:focus-visible{outline-color:currentColor;outline-offset:-3px}
.tabs{display:flex;border-bottom:1px solid #d0d7de;padding:0 8px}
[role=tab]{flex:1;padding:10px 4px;border:0;border-bottom:3px solid transparent;background:none;cursor:pointer;font-size:13px;color:#57606a}
[role=tab][aria-selected=true]{color:#1f2328;font-weight:600;border-bottom-color:var(--fz-brand)}
.view{display:flex;flex-direction:column;gap:12px;padding:16px;overflow:auto}
form{display:flex;flex-direction:column;gap:10px}
label{display:flex;flex-direction:column;gap:4px;font-weight:500}
input,textarea,select{display:block;width:100%;padding:8px 10px;border:1px solid #8c959f;border-radius:8px;background:#fff;font-weight:400}
textarea{resize:vertical;min-height:60px}
[aria-invalid=true]{border-color:#cf222e;border-width:2px}
.hint{font-weight:400;color:#57606a}
button{cursor:pointer}
.primary,.problem button,.done button{align-self:flex-start;padding:8px 16px;border:0;border-radius:8px;background:var(--fz-brand);color:var(--fz-on-brand);font-weight:600}
.problem{display:flex;flex-direction:column;gap:6px;color:#a40e26}
.note{color:#57606a;font-style:italic}
.log{list-style:none;display:flex;flex-direction:column;gap:6px;max-height:280px;overflow:auto}
.log[hidden]{display:none}
.msg{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}
.visitor{align-self:flex-end;background:var(--fz-brand);color:var(--fz-on-brand)}
.agent{align-self:flex-start;background:#eaeef2}
a{color:#0b57d0;text-decoration:underline}
.visitor a{color:inherit}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
fieldset{border:0;display:flex;gap:4px;flex-wrap:wrap}
legend{font-weight:500;margin-bottom:4px;padding:0}
.rating label{position:relative;font-size:28px;line-height:1;color:#6e7781;cursor:pointer}
.rating .on{color:#9a6700}
.rating input,.scale input{position:absolute;inset:0;opacity:0;margin:0;cursor:pointer}
.rating label:focus-within,.scale label:focus-within{outline:3px solid #0b57d0;border-radius:4px}
.question{display:flex;flex-direction:column;gap:6px}
.scale label{position:relative;flex:1;padding:6px 0;border:1px solid #8c959f;border-radius:6px;align-items:center;font-weight:400}
.scale .on{background:var(--fz-brand);border-color:var(--fz-brand);color:var(--fz-on-brand)}
.choices{flex-direction:column}
.choices label{flex-direction:row;align-items:center;gap:8px;font-weight:400}
.choices input{width:auto}
fieldset .hint{flex-basis:100%}
.files{list-style:none;display:flex;flex-direction:column;gap:4px}
.link{border:0;background:none;padding:0 4px;color:#a40e26}
.done{display:flex;flex-direction:column;gap:10px}
.done:focus{outline:none}
.ticket,.status{font-weight:700}
.answer{padding:10px 12px;border-left:4px solid var(--fz-brand);background:#f6f8fa}
.history{padding-left:20px}
`;
