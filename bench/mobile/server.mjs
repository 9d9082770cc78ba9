// A static file server that answers the way a portal's web server
// configured for compression would (nginx with `gzip on; gzip_types ...`,
// Apache with mod_deflate): text, JSON, JavaScript and WebAssembly are
// sent gzip-compressed (level 6, zlib's default and mod_deflate's) to a
// client that accepts it, everything else as it is. Each file is
// compressed once, on its first request, and kept in memory, so the
// server's own work does not weigh on the figures.
//
// Every response carries Content-Length (the bytes actually sent), a
// strong ETag (a hash of the file, with a suffix for the gzip form),
// `Cache-Control: no-cache` (revalidate, as a portal does for files that
// change without a new name) and `Vary: Accept-Encoding`; If-None-Match
// is answered with 304. The server counts the body bytes it sends, for
// a cross-check of the browser's figures.
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync, constants as zlib } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
};
/** Compressed when the client accepts gzip; the rest (images, .bin,
 * Pagefind's own .pf_* and .pagefind files, gzip already) go as they are. */
const COMPRESSED = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.svg', '.txt']);

/**
 * Serves `mounts`, a list of [URL prefix, directory], the first match
 * winning, on 127.0.0.1:`port` (0: any free port). Resolves to
 * { port, close(), sent() } where sent() is the body bytes sent so far.
 */
export function startStaticServer(mounts, port = 0) {
  const cache = new Map(); // path → { mtime, raw, gzip, etag }
  let bodyBytes = 0;

  async function load(path) {
    const info = await stat(path);
    if (!info.isFile()) return null;
    const known = cache.get(path);
    if (known && known.mtime === info.mtimeMs) return known;
    const raw = await readFile(path);
    const ext = extname(path);
    const etag = createHash('sha1').update(raw).digest('base64url').slice(0, 20);
    const entry = {
      mtime: info.mtimeMs,
      raw,
      gzip: COMPRESSED.has(ext) ? gzipSync(raw, { level: 6, memLevel: 8, strategy: zlib.Z_DEFAULT_STRATEGY }) : null,
      etag,
      type: TYPES[ext] ?? 'application/octet-stream',
    };
    cache.set(path, entry);
    return entry;
  }

  function resolve(pathname) {
    for (const [prefix, dir] of mounts) {
      if (!pathname.startsWith(prefix)) continue;
      let rel = decodeURIComponent(pathname.slice(prefix.length));
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      const path = normalize(join(dir, rel));
      if (path !== dir && !path.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return null;
      return path;
    }
    return null;
  }

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      const path = resolve(url.pathname);
      const file = path && await load(path).catch(() => null);
      if (!file) {
        res.writeHead(404, { 'Content-Type': 'text/plain', 'Content-Length': 9 });
        res.end('not found');
        return;
      }
      const gz = file.gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
      const body = gz ? file.gzip : file.raw;
      const etag = `"${file.etag}${gz ? '-gz' : ''}"`;
      const headers = {
        'Content-Type': file.type,
        ETag: etag,
        'Cache-Control': 'no-cache',
        Vary: 'Accept-Encoding',
      };
      if (gz) headers['Content-Encoding'] = 'gzip';
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      headers['Content-Length'] = body.length;
      res.writeHead(200, headers);
      if (req.method === 'HEAD') { res.end(); return; }
      bodyBytes += body.length;
      res.end(body);
    } catch (e) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(e));
    }
  });
  // Keep-alive as a portal's server does.
  server.keepAliveTimeout = 65_000;
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done({
      port: server.address().port,
      sent: () => bodyBytes,
      close: () => new Promise((closed) => { server.closeAllConnections(); server.close(closed); }),
    }));
  });
}
