import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { credentialSchema, guideSchema, roleSchema } from '#lib/content/schemas';

/**
 * Content collections, read from the top-level content/ folder (one folder per
 * collection, so content/FRONTMATTER.md is never an entry). The entry id is the
 * file name without .md, which is also the URL slug.
 * Schemas live in src/lib/content/schemas.ts so unit tests use the same ones.
 */
const idFromFile = ({ entry }: { entry: string }) => entry.replace(/\.md$/, '');

export const collections = {
  roles: defineCollection({
    loader: glob({ pattern: '**/*.md', base: './content/roles', generateId: idFromFile }),
    schema: roleSchema,
  }),
  credentials: defineCollection({
    loader: glob({ pattern: '**/*.md', base: './content/credentials', generateId: idFromFile }),
    schema: credentialSchema,
  }),
  guides: defineCollection({
    loader: glob({ pattern: '**/*.md', base: './content/guides', generateId: idFromFile }),
    schema: guideSchema,
  }),
};
