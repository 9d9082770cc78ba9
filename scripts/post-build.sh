#!/bin/sh
# Trunk post-build hook: puts the wasm-bindgen glue (no-modules) inside the
# loader and minifies the result, giving the one file portals embed,
# xxgk/xxgk.js; then writes brotli and gzip copies of the widget's files for
# servers that send precompressed files (xxgk-server does), and the
# third-party notice for the data and crates compiled into the modules.
set -eu
dir="${TRUNK_STAGING_DIR:?run by trunk}/xxgk"
marker='@@WASM_BINDGEN_GLUE@@'
terser=node_modules/.bin/terser
[ -x "$terser" ] || { echo "terser is missing: run 'make tools' (npm ci) first" >&2; exit 1; }
# Each module's imports from its glue by short names, in both files.
for module in xxgk xxgk-bundle xxgk-search xxgk-form; do
  node scripts/short-imports.mjs "$dir/$module.js" "$dir/${module}_bg.wasm"
done
grep -q "$marker" src/loader.js || { echo "src/loader.js lost its glue marker" >&2; exit 1; }
awk -v marker="$marker" -v glue="$dir/xxgk.js" '
  index($0, marker) { while ((getline line < glue) > 0) print line; next }
  { print }
' src/loader.js > "$dir/xxgk.full.js"
"$terser" "$dir/xxgk.full.js" --compress --mangle --preamble '/*! xxgk disclosure-catalogue widget loader */' -o "$dir/xxgk.js"
rm "$dir/xxgk.full.js"
# The plain view, which the loader fetches where the module cannot run.
"$terser" src/plain.js --compress --mangle -o "$dir/xxgk-plain.js"
# The search engine's glue (loaded into a worker by the loader).
"$terser" "$dir/xxgk-search.js" --compress --mangle -o "$dir/xxgk-search.min.js"
mv "$dir/xxgk-search.min.js" "$dir/xxgk-search.js"
# The bundle-reading widget's glue, inside src/bundle.js, which the loader
# runs when a widget on the page reads a published bundle.
grep -q "$marker" src/bundle.js || { echo "src/bundle.js lost its glue marker" >&2; exit 1; }
awk -v marker="$marker" -v glue="$dir/xxgk-bundle.js" '
  index($0, marker) { while ((getline line < glue) > 0) print line; next }
  { print }
' src/bundle.js > "$dir/xxgk-bundle.full.js"
# With the stylesheet the module's build minified (build.rs), with which
# it draws a bundle's first page before the module arrives; the bundle
# module takes it from there rather than carry a copy.
css=$(ls -t target/wasm32-unknown-unknown/release/build/xxgk-*/out/xxgk.min.css 2>/dev/null | head -n 1)
[ -n "$css" ] || { echo "the minified stylesheet (build.rs) is missing" >&2; exit 1; }
node -e '
const fs = require("fs");
const [file, css] = process.argv.slice(1);
const marker = "/* @@STYLESHEET@@ */";
const text = fs.readFileSync(file, "utf8");
if (!text.includes(marker)) throw new Error("src/bundle.js lost its stylesheet marker");
fs.writeFileSync(file, text.replace(marker, () => "var style = " + JSON.stringify(fs.readFileSync(css, "utf8")) + ";"));
' "$dir/xxgk-bundle.full.js" "$css"
"$terser" "$dir/xxgk-bundle.full.js" --compress --mangle -o "$dir/xxgk-bundle.js"
rm "$dir/xxgk-bundle.full.js"
# The feedback panels' glue, loaded by the loader with a script tag when a
# panel first opens: wrapped so that it adds only `xxgk.form` to the page, a
# promise of the started module, whose file lies beside the script.
{
  echo '(function () {'
  cat "$dir/xxgk-form.js"
  echo 'var wasm = new URL("xxgk-form_bg.wasm", document.currentScript.src);'
  echo '(window.xxgk = window.xxgk || {}).form = wasm_bindgen({ module_or_path: wasm }).then(function () { return wasm_bindgen; });'
  echo '})();'
} > "$dir/xxgk-form.full.js"
"$terser" "$dir/xxgk-form.full.js" --compress --mangle -o "$dir/xxgk-form.js"
rm "$dir/xxgk-form.full.js"
# What the modules compile in, and under which licences, goes with them.
node scripts/licences.mjs "$dir/THIRD-PARTY-NOTICES.txt"
# With inject_scripts off, Trunk leaves its own <link data-trunk rel="rust">
# in the demo page; the page loads the widget through its script tag instead.
sed -i '/<link data-trunk rel="rust"/d' "$TRUNK_STAGING_DIR/index.html"
node -e '
const fs = require("fs"), zlib = require("zlib");
for (const file of process.argv.slice(1)) {
  const bytes = fs.readFileSync(file);
  fs.writeFileSync(file + ".br", zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
  fs.writeFileSync(file + ".gz", zlib.gzipSync(bytes, { level: 9 }));
}' "$dir/xxgk.js" "$dir/xxgk_bg.wasm" "$dir/xxgk-bundle.js" "$dir/xxgk-bundle_bg.wasm" "$dir/xxgk-search.js" "$dir/xxgk-search_bg.wasm" \
  "$dir/xxgk-form.js" "$dir/xxgk-form_bg.wasm" "$dir/xxgk-plain.js"
