// The widget's download size: each file raw and brotli-compressed (quality
// 11), against the budget in docs/payload-budget.json.
//   node tests/payload.mjs          prints the table
//   node tests/payload.mjs --check  also fails when over budget
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const brotli = (bytes) =>
  brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/** The minified stylesheet the widget was built with (it sits inside the wasm). */
function builtStylesheet() {
  const builds = join(root, 'target/wasm32-unknown-unknown/release/build');
  if (!existsSync(builds)) return null;
  const candidates = readdirSync(builds)
    .filter((d) => d.startsWith('xxgk-'))
    .map((d) => join(builds, d, 'out/xxgk.min.css'))
    .filter((f) => existsSync(f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return candidates[0] ?? null;
}

/** Each file raw and brotli-compressed. */
function measured(list) {
  return list.map((file) => {
    const path = join(root, file);
    if (!existsSync(path)) {
      throw new Error(`${file} is missing: build the widget first (make build)`);
    }
    const bytes = readFileSync(path);
    return { file, raw: bytes.length, brotli: brotli(bytes) };
  });
}

const sum = (files) => ({
  raw: files.reduce((s, f) => s + f.raw, 0),
  brotli: files.reduce((s, f) => s + f.brotli, 0),
});

export function measurePayload() {
  const budget = JSON.parse(readFileSync(join(root, 'docs/payload-budget.json'), 'utf8'));
  const files = measured(budget.files);
  const bundleFiles = measured(budget.bundle_files);
  const plainFiles = measured(budget.plain_files);
  const css = builtStylesheet();
  const stylesheet = css && (() => {
    const bytes = readFileSync(css);
    return { raw: bytes.length, brotli: brotli(bytes) };
  })();
  return {
    files,
    stylesheet,
    total: sum(files),
    bundle: { files: bundleFiles, total: sum(bundleFiles) },
    plain: { files: plainFiles, total: sum(plainFiles) },
    budget: budget.brotli_bytes,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const m = measurePayload();
  for (const f of m.files) console.log(`${f.file.padEnd(28)} ${String(f.raw).padStart(8)} raw ${String(f.brotli).padStart(8)} brotli`);
  if (m.stylesheet) console.log(`  (stylesheet inside the wasm: ${m.stylesheet.raw} raw, ${m.stylesheet.brotli} brotli on its own)`);
  console.log(`${'total'.padEnd(28)} ${String(m.total.raw).padStart(8)} raw ${String(m.total.brotli).padStart(8)} brotli; budget ${m.budget}`);
  console.log('where the module cannot run (the plain view):');
  for (const f of m.plain.files) console.log(`${f.file.padEnd(28)} ${String(f.raw).padStart(8)} raw ${String(f.brotli).padStart(8)} brotli`);
  console.log(`${'total'.padEnd(28)} ${String(m.plain.total.raw).padStart(8)} raw ${String(m.plain.total.brotli).padStart(8)} brotli; budget ${m.budget}`);
  console.log('for a published bundle:');
  for (const f of m.bundle.files) console.log(`${f.file.padEnd(32)} ${String(f.raw).padStart(8)} raw ${String(f.brotli).padStart(8)} brotli`);
  const over = m.bundle.total.brotli - m.budget;
  console.log(`${'total'.padEnd(32)} ${String(m.bundle.total.raw).padStart(8)} raw ${String(m.bundle.total.brotli).padStart(8)} brotli; ` +
    (over > 0 ? `${over} over the budget, not yet held to it (docs/bundle.md)` : 'within the budget'));
  for (const [what, total] of [['payload', m.total], ['the plain view\'s payload', m.plain.total]]) {
    if (process.argv.includes('--check') && total.brotli > m.budget) {
      console.error(`${what} over budget: ${total.brotli} bytes brotli > ${m.budget} (docs/payload-budget.json). ` +
        'Find what grew with twiggy or by removing pieces; do not raise the budget to fit.');
      process.exitCode = 1;
    }
  }
}
