// Gives the functions a WebAssembly module imports from its wasm-bindgen
// glue short names, in both files: wasm-bindgen names each import after
// the JavaScript it calls and a hash (`__wbg_addEventListener_3acb0aad4483804e`),
// and the widget's module imports over a hundred, each name written once in
// the module and once in the glue. Only the names change; what is imported,
// in which order and with which signature stays as it was.
//
// The long names told a glue file and a module of different builds apart:
// such a pair failed to link. The short names do not, so the module the
// imports come from is named with a tag of the long names
// (`./xxgk_bg.js#1a2b3c4d`), in both files: a glue file and a module of
// builds with different imports still fail to link, loudly, as before.
//
//   node scripts/short-imports.mjs GLUE.js MODULE_bg.wasm
//
// Both files are rewritten in place. Fails, changing nothing, if a name is
// not found in the glue exactly once as a property name, or if the module
// has no wasm-bindgen imports left to rename (run on its output again).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

const [glueFile, wasmFile] = process.argv.slice(2);
if (!glueFile || !wasmFile) {
  console.error('usage: node scripts/short-imports.mjs GLUE.js MODULE_bg.wasm');
  process.exit(2);
}
const bytes = readFileSync(wasmFile);
let glue = readFileSync(glueFile, 'utf8');

/** Reads an unsigned LEB128 number at `at`: [value, next offset]. */
function leb(buffer, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at >= buffer.length) throw new Error(`${wasmFile} ends in the middle of a number: is it whole?`);
    const b = buffer[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}

/** Writes `value` as unsigned LEB128. */
function toLeb(value) {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return Buffer.from(out);
}

const name = (buffer, at) => {
  const [length, start] = leb(buffer, at);
  return [buffer.subarray(start, start + length), start + length];
};
const withLength = (b) => Buffer.concat([toLeb(b.length), b]);

if (bytes.length < 8 || bytes.readUInt32LE(0) !== 0x6d736100) throw new Error(`${wasmFile} is not a WebAssembly module`);
const parts = [bytes.subarray(0, 8)];
let at = 8;
let renamed = 0;
while (at < bytes.length) {
  const id = bytes[at];
  const [size, start] = leb(bytes, at + 1);
  const end = start + size;
  if (id !== 2) {
    parts.push(bytes.subarray(at, end));
    at = end;
    continue;
  }
  // The import section: module, name, then the kind and its description.
  let [count, p] = leb(bytes, start);
  const imports = [];
  for (let i = 0; i < count; i++) {
    const [module, afterModule] = name(bytes, p);
    const [field, afterField] = name(bytes, afterModule);
    const kind = bytes[afterField];
    let q = afterField + 1;
    if (kind === 0) q = leb(bytes, q)[1]; // a function: its type's index
    else if (kind === 1) { q += 1; const flags = bytes[q++]; q = leb(bytes, q)[1]; if (flags & 1) q = leb(bytes, q)[1]; } // a table
    else if (kind === 2) { const flags = bytes[q++]; q = leb(bytes, q)[1]; if (flags & 1) q = leb(bytes, q)[1]; } // a memory
    else if (kind === 3) q += 2; // a global: type and mutability
    else throw new Error(`${wasmFile}: an import of kind ${kind}, which this script does not know`);
    const long = field.toString('utf8');
    const glued = kind === 0 && /^__wbg_|^__wbindgen_/.test(long);
    imports.push({ module: module.toString('utf8'), field, long, glued, description: bytes.subarray(afterField, q) });
    p = q;
  }
  if (p !== end) throw new Error(`${wasmFile}: the import section did not read to its end`);
  const glued = imports.filter((i) => i.glued);
  if (glued.length === 0) {
    throw new Error(`${wasmFile}: no wasm-bindgen imports to name short (already done? build again to get fresh files)`);
  }
  const tag = createHash('sha256').update(glued.map((i) => `${i.module}\n${i.long}\n`).join('')).digest('hex').slice(0, 8);
  const tagged = new Set(glued.map((i) => i.module));
  for (const module of tagged) {
    // The glue's import object names the module once, as a quoted key.
    const key = JSON.stringify(module);
    const found = glue.split(key).length - 1;
    if (found !== 1) throw new Error(`${glueFile}: the import module ${key} is named ${found} times, not once`);
    glue = glue.replace(key, JSON.stringify(`${module}#${tag}`));
  }
  const body = [toLeb(count)];
  for (const i of imports) {
    let field = i.field;
    if (i.glued) {
      const short = `$${(renamed++).toString(36)}`;
      // A property of the glue's import object: `name: function` or
      // `name(`, never part of a longer name.
      const pattern = new RegExp(`(?<![\\w$])${i.long.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
      const found = glue.match(pattern)?.length ?? 0;
      if (found !== 1) throw new Error(`${glueFile}: the import ${i.long} is named ${found} times, not once`);
      if (glue.includes(short)) throw new Error(`${glueFile}: ${short} is already used`);
      glue = glue.replace(pattern, short);
      field = Buffer.from(short);
    }
    const module = tagged.has(i.module) ? `${i.module}#${tag}` : i.module;
    body.push(withLength(Buffer.from(module)), withLength(field), i.description);
  }
  const section = Buffer.concat(body);
  parts.push(Buffer.from([2]), toLeb(section.length), section);
  at = end;
}
const out = Buffer.concat(parts);
if (!WebAssembly.validate(out)) throw new Error(`${wasmFile}: the module with short names does not validate`);
// Both written beside, then both put in place: never one without the other.
writeFileSync(`${wasmFile}.short`, out);
writeFileSync(`${glueFile}.short`, glue);
renameSync(`${wasmFile}.short`, wasmFile);
renameSync(`${glueFile}.short`, glueFile);
console.log(`${wasmFile}: ${renamed} imports named short, ${bytes.length - out.length} bytes fewer`);
