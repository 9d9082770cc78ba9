// Debian's headless Chromium, driven over the DevTools protocol, with the
// protocol's events delivered too (bench/lib.mjs's client answers
// commands only; this benchmark must hear of the workers a page starts).
// Launched with the same flags as bench/lib.mjs launchChromium.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';

export async function launchChromium(flags = []) {
  const profile = mkdtempSync(join(os.tmpdir(), 'xxgk-bench-mobile-'));
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
  const listeners = new Set();
  socket.addEventListener('message', (m) => {
    const msg = JSON.parse(m.data);
    if (msg.id === undefined) {
      for (const l of listeners) l(msg);
      if (msg.method === 'Target.targetCrashed' || msg.method === 'Inspector.targetCrashed') {
        for (const [id, w] of waiting) { waiting.delete(id); w.fail(new Error('renderer crashed')); }
      }
      return;
    }
    const w = waiting.get(msg.id);
    if (w) {
      waiting.delete(msg.id);
      if (msg.error) w.fail(new Error(`${w.method}: ${msg.error.message}`)); else w.done(msg.result);
    }
  });
  /** Sends a command (to `sessionId`, or the browser); fails after `timeout` ms. */
  const send = (method, params = {}, sessionId, timeout = 120_000) => new Promise((resolve, reject) => {
    const id = ++next;
    const timer = setTimeout(() => { waiting.delete(id); reject(new Error(`${method}: no answer in ${timeout / 1000} s`)); }, timeout);
    const settle = (f) => (x) => { clearTimeout(timer); f(x); };
    waiting.set(id, { method, done: settle(resolve), fail: settle(reject) });
    socket.send(JSON.stringify({ id, method, params, sessionId }));
  });
  /** Calls `fn(message)` for every event; returns a function that stops it. */
  const on = (fn) => { listeners.add(fn); return () => listeners.delete(fn); };
  const close = async () => {
    socket.close();
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill();
    await exited;
    try { rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }); } catch { /* left in tmp */ }
  };
  return { send, on, close };
}
