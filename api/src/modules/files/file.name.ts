// A client's file name is display data only: it never reaches the disk or a command line.

export const MAX_NAME_CHARS = 200;

// C0/C1 controls and DEL; bidi embeddings, overrides, isolates and marks; zero-width and BOM
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/gu;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text shown to people (archive entry names): control and bidi characters removed. */
export const stripUnsafe = (s: string): string => s.replace(LONE_SURROGATE, '').replace(UNSAFE, '');

/** The name shown for an upload: last path segment, no controls or bidi tricks, capped length. */
export function cleanDisplayName(raw: string | undefined | null): string {
  let name = String(raw ?? '')
    .replace(LONE_SURROGATE, '')
    .normalize('NFC');
  name = name.split(/[\\/]/).pop() ?? '';
  name = name
    .replace(/[\t\n\r\v\f]/g, ' ')
    .replace(UNSAFE, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (/^\.*$/.test(name)) return 'upload';
  const chars = [...name];
  if (chars.length <= MAX_NAME_CHARS) return name;
  // keep a short extension so the download still opens with the right program
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

/** RFC 6266 `attachment` with an ASCII fallback and the exact name as RFC 8187 `filename*`. */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_') || 'download';
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
