/** The one stylesheet of the person-facing pages, inlined and allowed by its CSP hash. */
export const PAGE_STYLES = `
:root{color-scheme:light;--ink:#1b1f24;--muted:#5b6471;--line:#d9dee5;--accent:#2457d6;--accent-ink:#fff;--danger:#b42318;--bg:#f4f6f9}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:var(--bg);color:var(--ink);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{width:100%;max-width:420px;margin:24px;background:#fff;border:1px solid var(--line);border-radius:12px;padding:32px;box-shadow:0 1px 3px rgba(16,24,40,.08)}
.brand{font-size:13px;font-weight:600;letter-spacing:.08em;text-transform:uppercase;color:var(--muted);margin:0 0 16px}
h1{font-size:22px;line-height:1.3;margin:0 0 8px}
p{margin:0 0 16px;color:var(--muted)}
label{display:block;font-weight:600;font-size:14px;margin:16px 0 6px}
input[type=text],input[type=password]{width:100%;padding:10px 12px;border:1px solid var(--line);border-radius:8px;font:inherit}
input:focus,button:focus{outline:3px solid rgba(36,87,214,.35);outline-offset:1px}
button{font:inherit;font-weight:600;border-radius:8px;padding:10px 16px;border:1px solid var(--accent);background:var(--accent);color:var(--accent-ink);cursor:pointer}
button.secondary{background:#fff;color:var(--ink);border-color:var(--line)}
.actions{display:flex;gap:12px;margin-top:24px}
.actions button{flex:1}
.alert{border:1px solid #f4c7c3;background:#fef3f2;color:var(--danger);border-radius:8px;padding:10px 12px;margin:0 0 16px}
ul.scopes{list-style:none;padding:0;margin:0 0 8px;border:1px solid var(--line);border-radius:8px}
ul.scopes li{padding:10px 12px;border-top:1px solid var(--line)}
ul.scopes li:first-child{border-top:0}
ul.scopes .name{display:block;font-size:12px;color:var(--muted);font-family:ui-monospace,monospace}
.fine{font-size:13px}
.brand{display:flex;align-items:center;gap:10px}
.brand .logo{height:32px;width:auto;max-width:160px;object-fit:contain}
a{color:var(--ink)}
button.link{background:none;border:0;padding:0;color:var(--ink);text-decoration:underline;font-weight:400;cursor:pointer}
.notice{border:1px solid var(--line);background:#f0f4ff;color:var(--ink);border-radius:8px;padding:10px 12px;margin:0 0 16px}
section{border-top:1px solid var(--line);margin-top:24px;padding-top:16px}
h2{font-size:17px;margin:0 0 8px}
ul.apps{list-style:none;padding:0;margin:0}
ul.apps li{display:flex;align-items:center;justify-content:space-between;gap:12px;padding:10px 0;border-top:1px solid var(--line)}
ul.apps li:first-child{border-top:0}
ul.apps form{margin:0}
ul.apps .name{display:block;font-size:12px;color:var(--muted)}
.actions.single{margin-top:12px}
form + .fine{margin-top:16px}
`;
