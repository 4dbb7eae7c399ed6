/**
 * Preformatted text that may scroll. A scrolling box must be reachable by keyboard, or its hidden
 * part cannot be read without a mouse: it takes focus and is named so a screen reader says what it is.
 */
export function CodeBlock({
  label,
  className = '',
  children,
}: {
  label: string;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <pre
      role="region"
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region is scrolled by keyboard only when it can take focus
      tabIndex={0}
      className={`overflow-auto rounded-md bg-slate-900 font-mono text-xs text-slate-100 ${className}`}
    >
      {children}
    </pre>
  );
}
