// The name the server will store for an upload, shown in the queue before its answer arrives.
// Same rules as api/src/modules/files/file.name.ts (test/file-name.parity.test.ts keeps them in
// step); once the server answers, its own name replaces this one. Pure.

const MAX_NAME_CHARS = 200;
// C0/C1 controls and DEL; bidi embeddings, overrides, isolates and marks; zero-width and BOM
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/gu;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Last path segment, no controls or bidi tricks, at most 200 characters (a short extension kept). */
export function cleanFileName(raw: string): string {
  let name = raw.replace(LONE_SURROGATE, '').normalize('NFC');
  name = name.split(/[\\/]/).pop() ?? '';
  name = name
    .replace(/[\t\n\r\v\f]/g, ' ')
    .replace(UNSAFE, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (/^\.*$/.test(name)) return 'upload';
  const chars = [...name];
  if (chars.length <= MAX_NAME_CHARS) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? [...name.slice(dot)] : [];
  const keep = ext.length > 0 && ext.length <= 16 ? ext : [];
  return (
    chars
      .slice(0, MAX_NAME_CHARS - keep.length)
      .join('')
      .trimEnd() + keep.join('')
  );
}
