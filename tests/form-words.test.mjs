// The feedback panels' message tables (crates/form/src/i18n/): every text
// of the 繁體 table is in traditional characters and every text of the
// English one has no Chinese, judged by OpenCC's tables as the browser
// tests judge what is shown; and each language's templates have the
// parts ({name}) the simplified table's have, English leaving out a name
// where its sentence does not need it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { strays } from './e2e/script.mjs';

const dir = fileURLToPath(new URL('../crates/form/src/i18n/', import.meta.url));

/** The table of a file: each field's string literals, in order. */
function table(file) {
  const source = readFileSync(`${dir}/${file}`, 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const body = source.slice(source.indexOf('Strings {'));
  const fields = new Map();
  let field = null;
  for (const line of body.split('\n')) {
    const named = /^ {4}(\w+):/.exec(line);
    if (named) {
      field = named[1];
      fields.set(field, []);
    }
    if (!field) continue;
    for (const [, literal] of line.matchAll(/"((?:[^"\\]|\\.)*)"/g)) fields.get(field).push(JSON.parse(`"${literal}"`));
  }
  return fields;
}

const zh = table('zh.rs');
const hant = table('hant.rs');
const en = table('en.rs');
const parts = (text) => new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));

test('the three tables have the same fields, with as many texts each', () => {
  assert.ok(zh.size > 150, `${zh.size} fields`);
  for (const other of [hant, en]) {
    assert.deepEqual([...other.keys()], [...zh.keys()]);
    // A simplified table's field with no text of its own takes the core's
    // (the outcomes' reasons), as long as the type says.
    for (const [field, texts] of zh) if (texts.length) assert.equal(other.get(field).length, texts.length, field);
  }
});

test('繁體 has no character that only simplified Chinese writes', () => {
  const found = [...hant].flatMap(([field, texts]) => texts.map((t) => [field, strays(t, 'zh-Hant')]))
    .filter(([, chars]) => chars.length > 0);
  assert.deepEqual(found, []);
});

test('简体 has no character that only traditional Chinese writes', () => {
  const found = [...zh].flatMap(([field, texts]) => texts.map((t) => [field, strays(t, 'zh-CN')]))
    .filter(([, chars]) => chars.length > 0);
  assert.deepEqual(found, []);
});

test('English has no Chinese', () => {
  const found = [...en].flatMap(([field, texts]) => texts.map((t) => [field, strays(t, 'en')]))
    .filter(([, chars]) => chars.length > 0);
  assert.deepEqual(found, []);
});

test('templates fill the same parts in every language', () => {
  for (const [field, texts] of zh) {
    texts.forEach((text, i) => {
      if (hant.get(field)[i] === undefined || en.get(field)[i] === undefined) assert.fail(field);
      const wanted = parts(text);
      assert.deepEqual(parts(hant.get(field)[i]), wanted, `繁體 ${field}`);
      for (const part of parts(en.get(field)[i])) assert.ok(wanted.has(part), `English ${field} has {${part}}`);
    });
  }
});

// The widget's own tables (src/i18n/mod.rs, the consts ZH, HANT and EN)
// and the loader's, the drawn first page's and the plain view's words
// (src/loader.js NAMES, src/bundle.js WORDS, src/plain.js WORDS), held to the same scripts.
const widget = readFileSync(fileURLToPath(new URL('../src/i18n/mod.rs', import.meta.url)), 'utf8');
function widgetTable(name) {
  const start = widget.indexOf(`const ${name}: Strings = Strings {`);
  assert.ok(start >= 0, name);
  const body = widget.slice(start, widget.indexOf('\n};', start));
  return [...body.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(([, literal]) => JSON.parse(`"${literal}"`));
}
/** The string literals of a JavaScript object member `key: [...]` or `"key": [...]`. */
function jsWords(file, key) {
  const source = readFileSync(fileURLToPath(new URL(`../src/${file}`, import.meta.url)), 'utf8');
  const at = source.search(new RegExp(`(^|[\\s{,])"?${key}"?: \\[`));
  assert.ok(at >= 0, `${file} ${key}`);
  let depth = 0, end = source.indexOf('[', at);
  for (let i = end; i < source.length; i++) {
    if (source[i] === '[') depth++;
    if (source[i] === ']' && --depth === 0) { end = i; break; }
  }
  return [...source.slice(at, end).matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(([, l]) => JSON.parse(`"${l}"`)).filter((w) => w !== key);
}

test("the widget's tables have as many texts each, in their own scripts", () => {
  const tables = { 'zh-CN': widgetTable('ZH'), 'zh-Hant': widgetTable('HANT'), en: widgetTable('EN') };
  assert.ok(tables['zh-CN'].length > 60, `${tables['zh-CN'].length} texts`);
  for (const [lang, texts] of Object.entries(tables)) {
    assert.equal(texts.length, tables['zh-CN'].length, lang);
    assert.deepEqual(texts.map((t) => strays(t, lang)).filter((c) => c.length), [], lang);
  }
});

test("the loader's, the drawn page's and the plain view's words are in their own scripts", () => {
  for (const [file, keys] of [['loader.js', ['"zh-CN"', '"zh-Hant"', 'en']], ['bundle.js', ['"zh-CN"', '"zh-Hant"', 'en']], ['plain.js', ['"zh-CN"', '"zh-Hant"', 'en']]]) {
    const [zhWords, hantWords, enWords] = keys.map((k) => jsWords(file, k.replace(/"/g, '')));
    assert.ok(zhWords.length > 2 && zhWords.length === hantWords.length && hantWords.length === enWords.length, file);
    // Each language's own name is in its own script, on a button marked with its language.
    const own = (words) => words.filter((w) => !['简体', '繁體', 'English'].includes(w));
    assert.deepEqual(own(zhWords).flatMap((w) => strays(w, 'zh-CN')), [], `${file} 简体`);
    assert.deepEqual(own(hantWords).flatMap((w) => strays(w, 'zh-Hant')), [], `${file} 繁體`);
    assert.deepEqual(own(enWords).flatMap((w) => strays(w, 'en')), [], `${file} English`);
  }
});
