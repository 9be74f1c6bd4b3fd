/** Where uploads are stored, from STORAGE_URL. */
export type StorageSpec =
  | { kind: 'folder' }
  | {
      kind: 's3';
      bucket: string;
      /** '' or a prefix ending in '/' */
      prefix: string;
      endpoint?: string;
      region: string;
      forcePathStyle: boolean;
    };

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX_SEGMENT = /^[A-Za-z0-9._-]{1,100}$/;
const REGION = /^[a-z0-9-]{1,32}$/;
const PARAMS = new Set(['endpoint', 'region', 'forcePathStyle']);

/** `file:` or unset → the uploads folder; `s3://BUCKET/prefix?endpoint=…&region=…&forcePathStyle=true`. */
export function parseStorageUrl(value: string | undefined): StorageSpec | string {
  if (value === undefined || value === 'file:') return { kind: 'folder' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be file: or s3://BUCKET/optional/prefix?endpoint=…&region=…';
  }
  if (url.protocol !== 's3:') return 'must be file: or s3://BUCKET/optional/prefix';
  // URL parsing would quietly resolve them: refused, so the prefix is what was written
  if (/\/\.{1,2}(\/|\?|$)/.test(value.slice('s3://'.length).split('?', 1)[0]!))
    return 'prefix must not contain "." or ".." folders';
  // credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, so they never show in a URL
  if (url.username || url.password)
    return 'must not hold credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead';
  if (!BUCKET.test(url.hostname))
    return 'needs a bucket name of 3-63 lowercase letters, digits, "." or "-" (s3://my-bucket/…)';
  if (url.port) return 'must not have a port after the bucket; put the server in ?endpoint=';
  const segments = url.pathname.split('/').filter(Boolean);
  if (segments.length > 10 || !segments.every((s) => PREFIX_SEGMENT.test(s) && !/^\.+$/.test(s)))
    return 'prefix must be up to 10 folders of letters, digits, ".", "_" or "-"';
  for (const name of url.searchParams.keys())
    if (!PARAMS.has(name))
      return `has an unknown option "${name.slice(0, 40)}" (endpoint, region, forcePathStyle)`;
  const endpoint = url.searchParams.get('endpoint') ?? undefined;
  if (endpoint !== undefined) {
    let e: URL | null = null;
    try {
      e = new URL(endpoint);
    } catch {
      /* refused below */
    }
    if (!e || !/^https?:$/.test(e.protocol) || e.username || e.password || e.search)
      return 'endpoint must be an http:// or https:// address without credentials';
  }
  const region = url.searchParams.get('region') ?? 'us-east-1';
  if (!REGION.test(region)) return 'region must be like eu-west-1';
  const pathStyle = url.searchParams.get('forcePathStyle') ?? 'false';
  if (pathStyle !== 'true' && pathStyle !== 'false') return 'forcePathStyle must be true or false';
  return {
    kind: 's3',
    bucket: url.hostname,
    prefix: segments.length ? `${segments.join('/')}/` : '',
    endpoint: endpoint?.replace(/\/+$/, ''),
    region,
    forcePathStyle: pathStyle === 'true',
  };
}
