// The server's processingResult (JSON: preview, image, archive, summary, errors) as short lines
// a person reads. Pure; every value ends up as text.

export interface ResultView {
  summary: string | null;
  image: string | null;
  archive: string | null;
  preview: string | null;
  previewTruncated: boolean;
  errors: string[];
  /** the result as sent, when it is not the JSON we know */
  raw: string | null;
}

const EMPTY: ResultView = {
  summary: null,
  image: null,
  archive: null,
  preview: null,
  previewTruncated: false,
  errors: [],
  raw: null,
};

const str = (v: unknown): string | null =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;

export function readResult(result: string | null | undefined): ResultView | null {
  if (!result) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(result);
  } catch {
    return { ...EMPTY, raw: result };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    return { ...EMPTY, raw: result };
  const r = parsed as Record<string, unknown>;
  const image = r.image as Record<string, unknown> | undefined;
  const archive = r.archive as Record<string, unknown> | undefined;
  const names = Array.isArray(archive?.names)
    ? archive.names.filter((n): n is string => typeof n === 'string')
    : [];
  const entries = typeof archive?.entries === 'number' ? archive.entries : names.length;
  return {
    summary: str(r.summary),
    image: image
      ? [
          str(image.format)?.toUpperCase(),
          image.width && image.height ? `${image.width}×${image.height}` : null,
        ]
          .filter(Boolean)
          .join(' ') || 'image'
      : null,
    archive: archive
      ? `${str(archive.format) ?? 'archive'}, ${entries} ${entries === 1 ? 'entry' : 'entries'}${names.length ? `: ${names.slice(0, 5).join(', ')}${entries > 5 ? ', …' : ''}` : ''}`
      : null,
    preview: str(r.preview),
    previewTruncated: r.previewTruncated === true,
    errors: Array.isArray(r.errors)
      ? r.errors.map((e) => {
          const o = (e ?? {}) as Record<string, unknown>;
          return [str(o.processor), str(o.message)].filter(Boolean).join(': ') || 'failed';
        })
      : [],
    raw: null,
  };
}
