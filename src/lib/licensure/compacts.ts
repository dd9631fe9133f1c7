import type { Compact } from '#lib/domain/taxonomy';

const states = (codes: string): ReadonlySet<string> => new Set(codes.split(' '));

/**
 * Member jurisdictions where each compact is in effect for practice. Membership
 * changes as legislatures act; this list is data, reviewed with the content pages
 * (see /guides/licensure-across-state-lines), and states that enacted a compact
 * but had not begun issuing privileges are left out.
 */
export const COMPACT_STATES: Record<Compact, ReadonlySet<string>> = {
  // Nurse Licensure Compact: a multistate RN/LPN license from a member home state.
  nlc: states('AL AZ AR CO DE FL GA ID IN IA KS KY LA ME MD MS MO MT NE NH NJ NM NC ND OH OK PA SC SD TN TX UT VT VA WA WV WI WY'),
  // Counseling Compact: privilege to practice for independently licensed counselors.
  counseling: states('AL AZ AR CO CT DE FL GA IN IA KS KY LA ME MD MN MS MO MT NE NH NJ NC ND OH OK RI SC SD TN UT VT VA WA WV WI WY'),
  // PSYPACT: authority to practice telepsychology (not in-person work) across member states.
  psypact: states('AL AZ AR CO CT DE DC FL GA ID IL IN KS KY ME MD MI MN MS MO NE NV NH NJ NC ND OH OK PA RI SC SD TN TX UT VT VA WA WV WI WY'),
};

export const COMPACT_NAMES: Record<Compact, string> = {
  nlc: 'Nurse Licensure Compact',
  counseling: 'Counseling Compact',
  psypact: 'PSYPACT',
};
