import type { FaqItem } from './schemas';

/** schema.org FAQPage for a guide that is a list of questions (Google: mainEntity of Question with acceptedAnswer). */
export function faqPageJsonLd(items: FaqItem[]) {
  return {
    '@context': 'https://schema.org',
    '@type': 'FAQPage',
    mainEntity: items.map((q) => ({
      '@type': 'Question',
      name: q.question,
      acceptedAnswer: { '@type': 'Answer', text: q.answer },
    })),
  };
}
