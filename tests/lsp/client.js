// SPDX-License-Identifier: MIT
// The LSP client side of tests/lsp/run: vscode-languageserver-protocol's
// JSON-RPC connection drives `vmcfg lsp` over stdio and checks its answers.
// Usage: node client.js VMCFG WORKDIR REPO_ROOT
'use strict';
const cp = require('child_process');
const fs = require('fs');
const path = require('path');
const rpc = require('vscode-languageserver-protocol/node');

const [vmcfg, work, root] = process.argv.slice(2);
let passed = 0, failed = 0;
function check(cond, what, detail) {
  if (cond) passed++;
  else { failed++; console.log('FAIL: ' + what + (detail !== undefined ? ': ' + JSON.stringify(detail) : '')); }
}
const uriOf = (f) => 'file://' + path.join(work, f);
function write(f, text) { fs.writeFileSync(path.join(work, f), text); return text; }

const BAD = `[base]
id = 1
name = "linux"
vm_type = 2
cpu_num = 1

[kernel]
entry_point = 0x8000_0000
kernal_path = "Image"
kernel_load_addr = 0x8000_0000
memory_regions = [[0x8000_0000, 0x100_0000, 0x7, 0]]

[devices]
emu_devices = []
passthrough_devices = []
interrupt_mode = "Passthrough"
`;
const A = BAD.replace('kernal_path', 'kernel_path').replace('"Passthrough"', '"passthrough"')
  .replace('name = "linux"', 'name = "alpha"');
const B = A.replace('name = "alpha"', 'name = "beta"').replace(/0x8000_0000/g, '0x9000_0000');
const SYS = `vms = ["a.toml", "b.toml"]

[[ivc]]
key = 1
publisher = "alpa"
size = 0x1000
subscribers = [{ vm = "beta", access = "ro" }]
`;

// Applies LSP TextEdits (non-overlapping) to text.
function offsetOf(text, pos) {
  const lines = text.split('\n');
  let off = 0;
  for (let i = 0; i < pos.line; i++) off += lines[i].length + 1;
  return off + pos.character;
}
function applyEdits(text, edits) {
  const sorted = edits.slice().sort((a, b) => offsetOf(text, b.range.start) - offsetOf(text, a.range.start));
  for (const e of sorted)
    text = text.slice(0, offsetOf(text, e.range.start)) + e.newText + text.slice(offsetOf(text, e.range.end));
  return text;
}

async function main() {
  write('bad.toml', BAD);
  write('a.toml', A);
  write('b.toml', B);
  write('sys.toml', SYS);
  const child = cp.spawn(vmcfg, ['lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = rpc.createProtocolConnection(new rpc.StreamMessageReader(child.stdout),
                                            new rpc.StreamMessageWriter(child.stdin));
  const published = new Map();
  const waiters = [];
  conn.onNotification(rpc.PublishDiagnosticsNotification.type, (p) => {
    published.set(p.uri, p.diagnostics);
    for (const w of waiters.splice(0)) w();
  });
  // Resolves once uri's diagnostics satisfy pred (or after a timeout, with the last ones).
  function diagnostics(uri, pred = () => true) {
    return new Promise((resolve) => {
      const t0 = Date.now();
      const poll = () => {
        const d = published.get(uri);
        if (d && pred(d)) return resolve(d);
        if (Date.now() - t0 > 10000) return resolve(d || []);
        waiters.push(poll);
        setTimeout(poll, 200);
      };
      poll();
    });
  }
  conn.listen();

  const init = await conn.sendRequest(rpc.InitializeRequest.type,
    { processId: process.pid, rootUri: 'file://' + work, capabilities: {} });
  const caps = init.capabilities;
  check(caps.hoverProvider && caps.completionProvider && caps.documentFormattingProvider &&
        caps.definitionProvider && caps.codeActionProvider, 'initialize announces the features', caps);
  check(caps.textDocumentSync && caps.textDocumentSync.change === 1, 'full text sync', caps.textDocumentSync);
  conn.sendNotification(rpc.InitializedNotification.type, {});

  // Diagnostics on open: the checker's codes at the values' ranges.
  const bad = uriOf('bad.toml');
  published.delete(bad);
  conn.sendNotification(rpc.DidOpenTextDocumentNotification.type,
    { textDocument: { uri: bad, languageId: 'toml', version: 1, text: BAD } });
  let d = await diagnostics(bad);
  const summary = (ds) => ds.map((x) => [x.code, x.range.start.line, x.range.start.character,
                                          x.range.end.line, x.range.end.character]);
  check(JSON.stringify(summary(d)) === JSON.stringify([
    ['E0101', 6, 0, 6, 8], ['W0106', 8, 0, 8, 11], ['E0104', 15, 17, 15, 30]]),
  'diagnostics of the mistakes: codes and ranges as vmcfg check reports', summary(d));
  const w = d.find((x) => x.code === 'W0106');
  check(w && w.severity === 2 && w.source === 'vmcfg' && /did you mean `kernel_path`/.test(w.message),
    'W0106 is a warning with its help line', w);
  check(d.filter((x) => x.severity === 1).length === 2, 'two errors');

  // Hover: documentation, type and range from the format table.
  let h = await conn.sendRequest(rpc.HoverRequest.type, { textDocument: { uri: bad }, position: { line: 4, character: 2 } });
  check(h && /base\.cpu_num/.test(h.contents.value) && /number of vCPUs/.test(h.contents.value) &&
        /1\.\.512/.test(h.contents.value), 'hover on cpu_num: meaning and range', h);
  check(h && h.range.start.line === 4 && h.range.start.character === 0 && h.range.end.character === 7,
    'hover range is the key', h && h.range);
  h = await conn.sendRequest(rpc.HoverRequest.type, { textDocument: { uri: bad }, position: { line: 15, character: 3 } });
  check(h && /interrupt_mode/.test(h.contents.value) && /no_irq/.test(h.contents.value) &&
        /passthrough/.test(h.contents.value), 'hover on interrupt_mode lists its values', h);
  h = await conn.sendRequest(rpc.HoverRequest.type, { textDocument: { uri: bad }, position: { line: 10, character: 45 } });
  check(h && /flags/.test(h.contents.value) && /EXECUTE/.test(h.contents.value),
    'hover inside a positional region: the flags field and its bits', h);
  h = await conn.sendRequest(rpc.HoverRequest.type, { textDocument: { uri: bad }, position: { line: 6, character: 3 } });
  check(h && /the guest's images/.test(h.contents.value), 'hover on a table header', h);

  // Completion: keys of the current table, enum values, emulated device types.
  const complete = async (text, line, character) => {
    conn.sendNotification(rpc.DidChangeTextDocumentNotification.type,
      { textDocument: { uri: bad, version: 2 }, contentChanges: [{ text }] });
    return conn.sendRequest(rpc.CompletionRequest.type, { textDocument: { uri: bad }, position: { line, character } });
  };
  let c = await complete(BAD.replace('cpu_num = 1\n', 'cpu_num = 1\ncpu\n'), 5, 3);
  const labels = (r) => (r.items || r).map((i) => i.label);
  check(labels(c).includes('cpu_num') && labels(c).includes('phys_cpu_sets') && !labels(c).includes('kernel_path'),
    'key completion in [base] offers [base] keys only', labels(c));
  c = await complete(BAD.replace('interrupt_mode = "Passthrough"', 'interrupt_mode = '), 15, 17);
  check(['no_irq', 'emu', 'passthrough'].every((v) => labels(c).includes(v)), 'interrupt_mode values', labels(c));
  const pt = c.items.find((i) => i.label === 'passthrough');
  check(pt && pt.insertText === '"passthrough"', 'a string value is inserted quoted', pt);
  c = await complete(BAD.replace('emu_devices = []', 'emu_devices = [["gic", 0x800_0000, 0x1_0000, 0, ]]'), 13, 48);
  check(labels(c).includes('GPPTITS') && labels(c).includes('InterruptController'),
    'emu_type position completes emulated device types', labels(c));
  const its = c.items.find((i) => i.label === 'GPPTITS');
  check(its && its.insertText === '0x22', 'a device type inserts its number', its);
  c = await complete(BAD.replace('\n[devices]', '\n[devices]\n\n'), 13, 0);
  check(labels(c).includes('passthrough_addresses'), 'key completion in [devices]', labels(c));

  // didChange: findings follow the text.
  published.delete(bad);
  const typeError = BAD.replace('cpu_num = 1', 'cpu_num = "one"');
  conn.sendNotification(rpc.DidChangeTextDocumentNotification.type,
    { textDocument: { uri: bad, version: 3 }, contentChanges: [{ text: typeError }] });
  d = await diagnostics(bad, (ds) => ds.some((x) => x.code === 'E0102'));
  check(d.some((x) => x.code === 'E0102' && x.range.start.line === 4 && x.range.start.character === 10),
    'didChange: a wrong type is reported at its value', summary(d));

  // Code action round trip: ask, apply the edit, diagnostics clear.
  let text = BAD;
  conn.sendNotification(rpc.DidChangeTextDocumentNotification.type,
    { textDocument: { uri: bad, version: 4 }, contentChanges: [{ text }] });
  d = await diagnostics(bad, (ds) => ds.some((x) => x.code === 'W0106'));
  let actions = await conn.sendRequest(rpc.CodeActionRequest.type, {
    textDocument: { uri: bad }, range: { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } },
    context: { diagnostics: d.filter((x) => x.code === 'W0106') } });
  check(actions.length === 1 && actions[0].kind === 'quickfix' && /kernel_path/.test(actions[0].title),
    'code action for the misspelt key', actions);
  text = applyEdits(text, actions[0].edit.changes[bad]);
  actions = await conn.sendRequest(rpc.CodeActionRequest.type, {
    textDocument: { uri: bad }, range: { start: { line: 15, character: 20 }, end: { line: 15, character: 20 } },
    context: { diagnostics: [] } });
  check(actions.length === 1 && actions[0].edit.changes[bad][0].newText === '"passthrough"',
    'code action for the mis-cased value', actions);
  text = applyEdits(text, actions[0].edit.changes[bad]);
  check(text === A.replace('"alpha"', '"linux"'), 'the applied fixes give the corrected file', text);
  published.delete(bad);
  conn.sendNotification(rpc.DidChangeTextDocumentNotification.type,
    { textDocument: { uri: bad, version: 5 }, contentChanges: [{ text }] });
  d = await diagnostics(bad);
  check(d.length === 0, 'after the fixes no diagnostics remain', summary(d));

  // Formatting: what `vmcfg fmt` prints.
  const messy = text.replace('cpu_num = 1', 'cpu_num=1   # one vCPU').replace('[devices]', '[devices]\n\n');
  conn.sendNotification(rpc.DidChangeTextDocumentNotification.type,
    { textDocument: { uri: bad, version: 6 }, contentChanges: [{ text: messy }] });
  const edits = await conn.sendRequest(rpc.DocumentFormattingRequest.type,
    { textDocument: { uri: bad }, options: { tabSize: 2, insertSpaces: true } });
  write('messy.toml', messy);
  const fmt = cp.execFileSync(vmcfg, ['fmt', path.join(work, 'messy.toml')], { encoding: 'utf8' });
  check(edits.length === 1 && applyEdits(messy, edits) === fmt, 'formatting gives vmcfg fmt output', edits);
  check(/cpu_num = 1 # one vCPU|cpu_num = 1\s+# one vCPU/.test(fmt), 'fmt keeps the comment', fmt);

  // A system file: its findings reach its VM files; go-to-definition of names and paths.
  const sys = uriOf('sys.toml'), a = uriOf('a.toml'), b = uriOf('b.toml');
  published.delete(b);
  conn.sendNotification(rpc.DidOpenTextDocumentNotification.type,
    { textDocument: { uri: sys, languageId: 'toml', version: 1, text: SYS } });
  d = await diagnostics(sys);
  check(d.some((x) => x.code === 'E0310' && x.range.start.line === 4 && x.range.start.character === 12),
    'system file: the unknown VM name', summary(d));
  const db = await diagnostics(b);
  const dup = db.find((x) => x.code === 'E0301');
  check(dup && dup.range.start.line === 1, 'system file: the duplicate id is published to the VM file', summary(db));
  check(dup && dup.relatedInformation && dup.relatedInformation[0].location.uri === a &&
        dup.relatedInformation[0].location.range.start.line === 1,
  'the duplicate id relates to the other VM file', dup && dup.relatedInformation);
  let def = await conn.sendRequest(rpc.DefinitionRequest.type,
    { textDocument: { uri: sys }, position: { line: 6, character: 25 } });
  const loc = Array.isArray(def) ? def[0] : def;
  check(loc && loc.uri === b && loc.range.start.line === 2 && loc.range.start.character === 7,
    'definition of a subscriber VM name: its base.name', def);
  def = await conn.sendRequest(rpc.DefinitionRequest.type,
    { textDocument: { uri: sys }, position: { line: 0, character: 10 } });
  check(def && (Array.isArray(def) ? def[0] : def).uri === a, 'definition of a VM file path: the file', def);
  actions = await conn.sendRequest(rpc.CodeActionRequest.type, {
    textDocument: { uri: sys }, range: { start: { line: 4, character: 14 }, end: { line: 4, character: 14 } },
    context: { diagnostics: [] } });
  check(actions.length === 1 && actions[0].edit.changes[sys][0].newText === '"alpha"',
    'code action for the misspelt VM name', actions);
  // Each edit is checked again with the server's one check scratch: the
  // findings of the previous check must not linger in the next.
  for (const [version, text, want] of [[2, SYS.replace('"alpa"', '"alpha"'), false], [3, SYS, true],
    [4, SYS.replace('"alpa"', '"alpha"'), false]]) {
    published.delete(sys);
    conn.sendNotification(rpc.DidChangeTextDocumentNotification.type,
      { textDocument: { uri: sys, version }, contentChanges: [{ text }] });
    d = await diagnostics(sys);
    check(d.some((x) => x.code === 'E0310') === want, `system file edit ${version}: E0310 ${want ? 'back' : 'gone'}`, summary(d));
  }

  // An unsaved buffer (no file: URI) is checked too, and answered at its own URI.
  const untitled = 'untitled:Untitled-1';
  conn.sendNotification(rpc.DidOpenTextDocumentNotification.type,
    { textDocument: { uri: untitled, languageId: 'toml', version: 1, text: BAD } });
  d = await diagnostics(untitled);
  check(d.length === 3 && d[1].code === 'W0106', 'an untitled buffer gets its diagnostics at its URI', summary(d));

  // Robustness: malformed input gets an error, the server goes on.
  const errors = [];
  conn.onError((e) => errors.push(e));
  child.stdin.write('Content-Length: 7\r\n\r\n{"a":,}');
  child.stdin.write('Content-Length: 2\r\n\r\n[]');
  const bogus = await conn.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///nonexistent' }, position: { line: 0, character: 0 } })
    .then(() => null, (e) => e);
  check(bogus && bogus.code === -32602, 'a request about a document that is not open: invalid params', bogus);
  const unknown = await conn.sendRequest('vmcfg/nothing', {}).then(() => null, (e) => e);
  check(unknown && unknown.code === -32601, 'an unknown method: method not found', unknown);
  h = await conn.sendRequest(rpc.HoverRequest.type, { textDocument: { uri: bad }, position: { line: 4, character: 2 } });
  check(h && /cpu_num/.test(h.contents.value), 'the server still answers after malformed messages');

  // Shutdown and exit: status 0.
  await conn.sendRequest(rpc.ShutdownRequest.type);
  const status = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  conn.sendNotification(rpc.ExitNotification.type);
  check((await status) === 0, 'exit after shutdown: status 0');
  conn.dispose();
}

main().catch((e) => { failed++; console.log('FAIL: ' + (e && e.stack || e)); })
  .finally(() => { console.log(`${passed} passed, ${failed} failed`); process.exit(failed ? 1 : 0); });
