/**
 * Repairs to Scalar's markup (@scalar/api-reference 1.76.4) that none of its options reach, applied
 * whenever it renders. Each names the Scalar element it fixes; drop one when Scalar ships the fix
 * (the axe checks in e2e/api-reference.spec.ts then still pass without it).
 */
export function repairScalarAria(root: HTMLElement): () => void {
  const repair = () => {
    // The search dialog's input (ScalarSearchInput: role="combobox", aria-controls naming its result
    // list) has no aria-expanded, which the combobox role requires (axe aria-required-attr); a screen
    // reader learns from it whether results are shown. Once set, Scalar never updates it, so it is
    // recomputed on every change (data-ats-expanded marks the inputs this repair owns).
    for (const input of root.querySelectorAll<HTMLInputElement>(
      'input[role="combobox"][aria-controls]:not([aria-expanded]), input[data-ats-expanded]',
    )) {
      const list = document.getElementById(input.getAttribute('aria-controls') ?? '');
      const expanded = String(Boolean(list?.querySelector('[role="option"]')));
      input.dataset.atsExpanded = '';
      if (input.getAttribute('aria-expanded') !== expanded) input.setAttribute('aria-expanded', expanded);
    }
  };
  // Child-list changes only: the attribute this sets does not call it again.
  const observer = new MutationObserver(repair);
  observer.observe(root, { childList: true, subtree: true });
  repair();
  return () => observer.disconnect();
}
