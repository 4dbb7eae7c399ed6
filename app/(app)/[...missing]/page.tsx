import { notFound } from 'next/navigation';

/**
 * Unknown addresses answer 404 inside the signed-in shell. Without this route Next serves its
 * prebuilt not-found page, rendered at build time without the request's CSP nonce, so the
 * browser refuses every one of its scripts.
 */
export default function MissingPage() {
  notFound();
}
