/** Inline stylesheet of the viewer page (no external assets: the emulator runs offline). */
export const VIEWER_STYLES = String.raw`
:root { color-scheme: light dark; --bg:#f4f5f7; --panel:#ffffff; --ink:#1d2127; --muted:#667085; --line:#e3e6ea;
  --accent:#2f6fde; --chip:#eef1f5; --warn:#b54708; --warn-bg:#fff6ed; --fresh:#2f6fde33; }
@media (prefers-color-scheme: dark) { :root { --bg:#15171a; --panel:#1e2125; --ink:#e7e9ec; --muted:#9aa3ae; --line:#30353b;
  --accent:#6aa0ff; --chip:#2a2f35; --warn:#f5a15f; --warn-bg:#3a2616; --fresh:#6aa0ff33; } }
* { box-sizing:border-box; }
body { margin:0; background:var(--bg); color:var(--ink); font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans",sans-serif; }
.top { position:sticky; top:0; z-index:2; display:flex; flex-wrap:wrap; gap:12px 24px; align-items:center; justify-content:space-between;
  padding:12px 24px; background:var(--panel); border-bottom:1px solid var(--line); }
.brand { display:flex; align-items:center; gap:10px; }
.brand svg { width:26px; height:26px; color:var(--accent); }
.brand h1 { font-size:17px; margin:0; }
.brand span { color:var(--muted); }
.controls { display:flex; align-items:center; gap:14px; flex-wrap:wrap; }
.controls select, .controls button { font:inherit; color:inherit; background:var(--chip); border:1px solid var(--line); border-radius:6px; padding:4px 10px; }
.controls button { background:var(--accent); color:#fff; border-color:var(--accent); cursor:pointer; }
.status { color:var(--muted); font-size:12px; min-width:220px; }
.status.error { color:var(--warn); }
main { padding:16px 24px 40px; max-width:1500px; margin:0 auto; }
.empty-page { color:var(--muted); padding:40px; text-align:center; }
.empty-page ol { display:inline-block; text-align:left; }
.hub > h2 { font-size:15px; margin:18px 0 8px; display:flex; gap:10px; align-items:baseline; }
.hub > h2 small, .user-group > h3 small { color:var(--muted); font-weight:400; }
.user-group > h3 { font-size:13px; margin:14px 0 8px; color:var(--muted); text-transform:uppercase; letter-spacing:.04em; }
.devices { display:grid; grid-template-columns:repeat(auto-fill,minmax(330px,1fr)); gap:14px; align-items:start; }
.device { background:var(--panel); border:1px solid var(--line); border-radius:10px; padding:12px; }
.device-head { display:flex; gap:10px; align-items:center; }
.device-id { font-weight:600; word-break:break-all; }
.device-meta { color:var(--muted); font-size:12px; word-break:break-all; }
.count { margin-left:auto; background:var(--chip); border-radius:10px; padding:0 8px; font-size:12px; }
.badge { flex:none; min-width:64px; height:24px; padding:0 8px; border-radius:12px; display:grid; place-items:center; color:#fff; font-size:11px; font-weight:700; letter-spacing:.02em; }
.badge-apns { background:linear-gradient(135deg,#5f6b7a,#1c1f24); }
.badge-fcmv1, .badge-gcm { background:linear-gradient(135deg,#3ddc84,#1a8f52); }
.badge-wns { background:linear-gradient(135deg,#2b88d8,#0f4c92); }
.badge-browser { background:linear-gradient(135deg,#f4b400,#db4437); }
.badge-other { background:#6b7280; }
.tags { list-style:none; display:flex; flex-wrap:wrap; gap:4px; padding:0; margin:8px 0 4px; }
.tag { background:var(--chip); border-radius:4px; padding:0 6px; font:12px ui-monospace,"DejaVu Sans Mono",monospace; word-break:break-all; }
.feed { display:flex; flex-direction:column; gap:10px; margin-top:8px; }
.feed-empty { color:var(--muted); font-size:12px; font-style:italic; }
.delivery { border-top:1px dashed var(--line); padding-top:10px; }
.delivery.fresh .notif { box-shadow:0 0 0 3px var(--fresh); }
.delivery.replaced .notif { opacity:.55; }
.replaced-note { font-size:11px; color:var(--warn); background:var(--warn-bg); border-radius:6px; padding:3px 8px; margin-bottom:6px; }
.delivery-meta { display:flex; gap:8px; font-size:11px; color:var(--muted); margin-top:6px; flex-wrap:wrap; }
.feed-state { font-weight:600; }
.notif { border-radius:12px; padding:10px 12px; word-wrap:break-word; white-space:pre-wrap; }
.notif-head { display:flex; gap:6px; align-items:center; font-size:11px; margin-bottom:3px; white-space:normal; }
.app-icon { width:16px; height:16px; border-radius:4px; background:var(--accent); flex:none; }
.app-name { text-transform:uppercase; letter-spacing:.03em; opacity:.75; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.notif-time { margin-left:auto; opacity:.6; }
.notif-title { font-weight:600; }
.notif-subtitle { font-weight:500; }
.ios { background:rgba(235,235,240,.92); color:#111; border-radius:16px; box-shadow:0 1px 3px #0002; }
.android { background:#fff; color:#1f1f1f; border-radius:20px; box-shadow:0 1px 3px #0003; }
.android .app-icon { border-radius:50%; background:#1a8f52; }
.android .app-name { text-transform:none; }
.windows { background:#2b2b2b; color:#f3f3f3; border-radius:8px; border:1px solid #3d3d3d; }
.windows .app-icon { border-radius:2px; background:#2b88d8; }
.windows .app-name { text-transform:none; }
.browser { background:#fff; color:#202124; border-radius:8px; border:1px solid #dadce0; }
.browser .app-icon { border-radius:50%; background:#db4437; }
.browser .app-name { text-transform:none; }
.data { background:var(--chip); border:1px dashed var(--line); border-radius:8px; color:var(--ink); }
.data .app-icon { background:var(--muted); }
.data .notif-title { font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
.problems { margin:6px 0 0; padding:6px 8px 6px 24px; background:var(--warn-bg); color:var(--warn); border-radius:6px; font-size:12px; }
.headers { display:grid; grid-template-columns:max-content 1fr; gap:1px 10px; margin:6px 0 0; font:11px/1.5 ui-monospace,"DejaVu Sans Mono",monospace; }
.headers dt { color:var(--muted); }
.headers dd { margin:0; word-break:break-all; }
.payload { margin:6px 0 0; padding:8px; background:var(--bg); border:1px solid var(--line); border-radius:6px; font:11px/1.45 ui-monospace,"DejaVu Sans Mono",monospace;
  white-space:pre-wrap; word-break:break-all; max-height:220px; overflow:auto; }
details summary { cursor:pointer; font-size:11px; color:var(--muted); margin-top:6px; }
`;
