// The "close" cross drawn in the current text colour, hidden from screen readers (its button carries the name).
export function Cross({ size }: { size: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M6 6l12 12M18 6 6 18" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" />
    </svg>
  );
}
