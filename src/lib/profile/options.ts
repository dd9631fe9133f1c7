/** Choices on the candidate profile that the shared taxonomy does not already define. */
export const MODALITIES = [
  'CBT',
  'DBT',
  'Motivational interviewing',
  'Trauma-informed care',
  'ACT',
  'EMDR',
  'CPT',
  'Seeking Safety',
  'Exposure and response prevention',
  'Family systems',
  'Group facilitation',
  'Mindfulness-based',
  'Relapse prevention',
  'Psychoeducation',
  'Solution-focused',
  'Medication management',
  'Crisis intervention',
  'Case management',
] as const;
export type Modality = (typeof MODALITIES)[number];
