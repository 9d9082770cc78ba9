// Writes the third-party notice that dist/ carries: the data and the crates
// compiled into the widget's WebAssembly modules, with their licence texts.
//   node scripts/licences.mjs OUT     writes the notice to OUT
//   node scripts/licences.mjs --list  prints the crates it covers, one a line
// The crates are those `cargo tree` finds through normal dependencies of the
// three modules' packages for wasm32 (procedural macros included: their
// output is compiled in); the texts are the licence files each package
// ships, or, for a package that ships none, the standard text of its
// declared licence with the authors it names. Runs offline from Cargo.lock.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const MODULES = ['xxgk', 'xxgk-search', 'xxgk-form'];
const cargo = (...args) =>
  execFileSync('cargo', [...args, '--offline', '--locked'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });

/** Every crate in the modules' dependency graphs, as `name vX.Y.Z`. */
export function crates() {
  const tree = cargo(
    'tree', '-e', 'normal', '--target', 'wasm32-unknown-unknown', '--prefix', 'none', '--format', '{p}',
    ...MODULES.flatMap((p) => ['-p', p]),
  );
  const names = tree
    .split('\n')
    .map((line) => line.replace(/ \(.*$/, '').trim())
    .filter(Boolean);
  return [...new Set(names)].sort();
}

// For packages that ship no licence file. Any other licence without a file
// stops the build, so that nothing is left out unnoticed.
const MIT = (holders) => `Copyright (c) ${holders}

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`;

const LICENCE_FILE = /^(licen[cs]e|copying|copyright|notice|unlicense)([-._].*)?$/i;

function notice() {
  const metadata = JSON.parse(cargo('metadata', '--format-version', '1'));
  const packages = new Map(metadata.packages.map((p) => [`${p.name} v${p.version}`, p]));
  const ours = [];
  const theirs = [];
  for (const name of crates()) {
    const p = packages.get(name);
    if (!p) throw new Error(`${name} is in cargo tree but not in cargo metadata`);
    (p.source ? theirs : ours).push(p);
  }
  // Identical texts (most Apache-2.0 copies) are printed once, with every
  // crate that ships them.
  const texts = new Map();
  const add = (text, who) => {
    const key = text.replace(/\s+/g, ' ').trim();
    if (!texts.has(key)) texts.set(key, { text: text.trimEnd(), who: [] });
    texts.get(key).who.push(who);
  };
  for (const p of theirs) {
    const dir = dirname(p.manifest_path);
    const files = readdirSync(dir).filter((f) => LICENCE_FILE.test(f)).sort();
    if (p.license_file && !files.includes(p.license_file)) files.push(p.license_file);
    for (const file of files) add(readFileSync(join(dir, file), 'utf8'), `${p.name} ${p.version} (${file})`);
    if (files.length === 0) {
      if (!/(^|\s|\()MIT(\s|\)|$)/.test(p.license ?? '')) {
        throw new Error(`${p.name} ${p.version} (${p.license}) ships no licence file: add its licence text to scripts/licences.mjs`);
      }
      const holders = p.authors.length ? p.authors.join(', ') : `the authors of ${p.name}`;
      add(MIT(holders), `${p.name} ${p.version} (no licence file in the package; the MIT licence it declares, with its authors)`);
    }
  }
  const data = readFileSync(join(root, 'crates/core/data/NOTICE'), 'utf8').trimEnd();
  const pinyin = theirs.find((p) => p.name === 'pinyin');
  const rule = '='.repeat(78);
  const out = [];
  out.push(
    'xxgk: third-party notices',
    '',
    'The widget\'s WebAssembly modules (xxgk_bg.wasm, xxgk-bundle_bg.wasm,',
    'xxgk-search_bg.wasm, xxgk-form_bg.wasm) and their JavaScript glue contain',
    'the data and the Rust crates listed here, under the licences given. Written by',
    'scripts/licences.mjs when the widget is built.',
    '',
    rule, 'Data', rule, '',
    data,
    '',
    'Pinyin readings',
    '===============',
    '',
    `From the pinyin crate ${pinyin ? pinyin.version : ''} (MIT), compiled into`,
    'xxgk-search_bg.wasm for finding titles by their pinyin; its licence is',
    'below with the other crates\'.',
    '',
    rule, 'Crates', rule, '',
    ...theirs.map((p) => `${p.name} ${p.version}  ${p.license ?? '(see licence text)'}  ${p.repository ?? ''}`.trimEnd()),
    '',
    'The project\'s own crates, ' + ours.map((p) => p.name).join(', ') + ': ' +
      [...new Set(ours.map((p) => p.license))].join('; ') + '.',
    '',
    rule, 'Licence texts', rule,
  );
  for (const { text, who } of texts.values()) {
    out.push('', '-'.repeat(78), ...who.map((w) => `Shipped by ${w}`), '-'.repeat(78), '', text);
  }
  return out.join('\n') + '\n';
}

const [arg] = process.argv.slice(2);
if (arg === '--list') {
  console.log(crates().join('\n'));
} else if (arg) {
  writeFileSync(arg, notice());
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.error('usage: node scripts/licences.mjs OUT | --list');
  process.exit(2);
}
