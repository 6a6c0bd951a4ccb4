/**
 * Addresses of the static assets pages link to. Each carries its content's hash (`?v=`) once the
 * server has read the files, so a browser may keep it for a year: a new build is a new address.
 */
const versions = new Map<string, string>();

export function setAssetVersions(next: ReadonlyMap<string, string>): void {
  for (const [name, v] of next) versions.set(name, v);
}

/** `/static/<name>?v=<hash>`, or without the hash for a file the server has not seen. */
export function asset(name: string): string {
  const v = versions.get(name);
  return v ? `/static/${name}?v=${v}` : `/static/${name}`;
}
