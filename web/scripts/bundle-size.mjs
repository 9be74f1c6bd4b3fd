// Initial JavaScript of the built UI, gzipped: the entry script in dist/index.html plus every
// chunk it imports statically (what loads before the first page appears). Lazy pages are listed apart.
// Usage: npm run build -w web && node web/scripts/bundle-size.mjs
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const entry = /<script[^>]+src="\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
if (!entry) throw new Error('no entry script in dist/index.html; run the build first');

const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const seen = new Set();
(function walk(file) {
  if (seen.has(file)) return;
  seen.add(file);
  const code = readFileSync(join(dist, file), 'utf8');
  // static imports only: `import … from "./x.js"` / `import "./x.js"`, not import("./x.js")
  for (const m of code.matchAll(
    /(?:^|[;\s}])import\s*(?:[^'"()]*?from\s*)?["']\.\/([^"']+\.js)["']/g,
  ))
    walk(join('assets', m[1]));
})(entry);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let total = 0;
for (const f of seen) {
  const size = gz(f);
  total += size;
  console.log(`initial  ${kb(size).padStart(9)}  ${f}`);
}
const css = readdirSync(join(dist, 'assets')).filter(
  (f) => f.startsWith('index-') && f.endsWith('.css'),
);
for (const f of css) console.log(`css      ${kb(gz(join('assets', f))).padStart(9)}  assets/${f}`);
console.log(`initial JS total (gzip -9): ${kb(total)}`);
const lazy = readdirSync(join(dist, 'assets')).filter(
  (f) => f.endsWith('.js') && !seen.has(join('assets', f)),
);
console.log(
  `lazy chunks: ${lazy.length}, ${kb(lazy.reduce((n, f) => n + gz(join('assets', f)), 0))} gzipped in all`,
);
