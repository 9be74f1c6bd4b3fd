// Compiles api/src/fast/json-escape.wat into json-escape.wasm.ts (the module's bytes, so the
// server needs no WebAssembly toolchain and no asset beside its JavaScript).
// Run after editing the .wat: npm run wasm -w api. A test fails while the two disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';

export const WAT = fileURLToPath(new URL('../src/fast/json-escape.wat', import.meta.url));
export const GENERATED = fileURLToPath(new URL('../src/fast/json-escape.wasm.ts', import.meta.url));

/** The generated TypeScript for the current .wat. */
export async function generated(): Promise<string> {
  const module = (await wabt()).parseWat('json-escape.wat', readFileSync(WAT, 'utf8'), {
    simd: true,
  });
  try {
    const { buffer } = module.toBinary({});
    return `// Generated from json-escape.wat by api/scripts/wasm.ts: do not edit.\nexport const JSON_ESCAPE_WASM = '${Buffer.from(buffer).toString('base64')}';\n`;
  } finally {
    module.destroy();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeFileSync(GENERATED, await generated());
