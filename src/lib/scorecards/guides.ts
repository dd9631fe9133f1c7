import { allGuides } from '#lib/content/collections';
import { kitSourceFor, type KitSource } from './kit-source';

/** The Astro edge of kit generation: reads the guides content collection (pages and actions pass this loader to the kit service). */
export async function kitSourceForRole(role: string): Promise<KitSource> {
  return kitSourceFor(role, await allGuides());
}
