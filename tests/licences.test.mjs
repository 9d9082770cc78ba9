// dist/ carries the notice of what the WebAssembly modules compile in: the
// conversion and pinyin data, and every crate of their dependency graphs
// with its licence text (scripts/licences.mjs writes it at build time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crates } from '../scripts/licences.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const NOTICE = `${root}/dist/xxgk/THIRD-PARTY-NOTICES.txt`;

test('the notice is in dist/ beside the modules', () => {
  assert.ok(existsSync(NOTICE), `${NOTICE} is missing: build with make build`);
});

test('it names the data compiled in and where it comes from', () => {
  const text = readFileSync(NOTICE, 'utf8');
  assert.match(text, /TSCharacters\.txt/);
  assert.match(text, /OpenCC/);
  assert.match(text, /Apache License, Version 2\.0/);
  assert.match(text, /From the pinyin crate [\d.]+ \(MIT\)/);
});

test('it lists every crate in the modules\' dependency graphs, with a licence text', () => {
  const text = readFileSync(NOTICE, 'utf8');
  const listed = text.split('\n').map((l) => l.split('  ')[0]);
  // `cargo tree`, once.
  const graph = crates();
  const missing = [];
  for (const c of graph) {
    const [name, version] = c.split(' v');
    if (['xxgk', 'xxgk-core', 'xxgk-search', 'xxgk-form', 'wasm-streams'].includes(name)) continue;
    if (!listed.includes(`${name} ${version}`) || !text.includes(`Shipped by ${name} ${version} (`)) missing.push(c);
  }
  assert.deepEqual(missing, []);
  for (const name of ['leptos', 'wasm-bindgen', 'pinyin', 'unicode-normalization']) {
    assert.ok(graph.some((c) => c.startsWith(`${name} v`)), `${name} is in the graph`);
  }
});
