// What the benchmarks share: quantiles, a headless Chromium driven over the
// DevTools protocol, and writing a table between markers in
// docs/benchmarks.md.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';

/** The q-quantile of `xs` (nearest rank). */
export const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))];
};
export const median = (xs) => quantile(xs, 0.5);

/** The generated catalogue of `n` items (xxgk-catgen, seed 1) in
 * `dir`/bench, made once; its path. */
export function generatedCatalogue(root, dir, n) {
  mkdirSync(join(dir, 'bench'), { recursive: true });
  const out = join(dir, 'bench', `catalogue-${n}.json`);
  if (!existsSync(out)) {
    execFileSync(join(root, 'target/native/xxgk-catgen'), ['--items', String(n), '--seed', '1', '--out', out]);
  }
  return out;
}

/** Headless Chromium (Debian's) with a DevTools socket; `send` speaks the
 * protocol and fails when it gets no answer in `timeout` ms or the page
 * crashes. `flags` are added to the command line. */
export async function launchChromium(flags = []) {
  const profile = mkdtempSync(join(os.tmpdir(), 'xxgk-bench-'));
  const proc = spawn('/usr/bin/chromium', [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--remote-debugging-port=0',
    ...flags, `--user-data-dir=${profile}`, 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise((resolve, reject) => {
    proc.stderr.on('data', (d) => {
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(String(d));
      if (m) resolve(m[1]);
    });
    proc.on('exit', (code) => reject(new Error(`chromium exited with ${code}`)));
  });
  const socket = new WebSocket(url);
  await new Promise((resolve) => socket.addEventListener('open', resolve, { once: true }));
  let next = 0;
  const waiting = new Map();
  const failAll = (why) => { for (const [id, w] of waiting) if (w.sessionId) { waiting.delete(id); w.fail(new Error(why)); } };
  socket.addEventListener('message', (m) => {
    const msg = JSON.parse(m.data);
    if (msg.method === 'Target.targetCrashed') failAll(`renderer crashed (${msg.params.status}, code ${msg.params.errorCode})`);
    if (msg.method === 'Target.detachedFromTarget') failAll('page detached (renderer gone)');
    const w = waiting.get(msg.id);
    if (w) {
      waiting.delete(msg.id);
      if (msg.error) w.fail(new Error(`${w.method}: ${msg.error.message}`)); else w.done(msg.result);
    }
  });
  const send = (method, params = {}, sessionId, timeout = 60_000) => new Promise((resolve, reject) => {
    const id = ++next;
    const timer = setTimeout(() => { waiting.delete(id); reject(new Error(`${method}: no answer in ${timeout / 1000} s`)); }, timeout);
    const settle = (f) => (x) => { clearTimeout(timer); f(x); };
    waiting.set(id, { method, sessionId, done: settle(resolve), fail: settle(reject) });
    socket.send(JSON.stringify({ id, method, params, sessionId }));
  });
  await send('Target.setDiscoverTargets', { discover: true }); // for Target.targetCrashed
  const close = async () => {
    socket.close();
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill();
    await exited;
    // Chromium's helpers may still be writing the profile for a moment.
    try { rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }); } catch { /* left in tmp */ }
  };
  return { send, close };
}

/** Puts `table` between `<!-- bench:NAME:begin -->` and its end marker in
 * `doc`; `intro` (text ending in the two markers) is appended first when
 * the markers are missing and it is given. */
export function writeSection(doc, name, table, intro) {
  let text = readFileSync(doc, 'utf8');
  const begin = `<!-- bench:${name}:begin -->`;
  const end = `<!-- bench:${name}:end -->`;
  if ((text.indexOf(begin) < 0 || text.indexOf(end) < 0) && intro) text = `${text.replace(/\n*$/, '\n')}\n${intro}`;
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < 0) throw new Error(`${doc} lost its bench:${name} markers`);
  writeFileSync(doc, `${text.slice(0, i + begin.length)}\n${table}\n${text.slice(j)}`);
  console.log(`\nwritten to ${doc}`);
}
