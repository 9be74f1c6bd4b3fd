// keys are server-made names; anything else is a bug, refused before it reaches a disk or a bucket
const KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function checkKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`not a storage key: ${JSON.stringify(key.slice(0, 40))}`);
  return key;
}
