/** Storewire's mark, drawn inline: no request, so it is there with the first paint. */
export function Logo({ size }: { size: number }) {
  return (
    <svg viewBox="0 0 32 32" width={size} height={size} aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="#0b5f4a" />
      <path
        d="M8 20c3 3 13 3 16-1M9 12c3-4 11-4 14 0"
        stroke="#fff"
        stroke-width="3"
        fill="none"
        stroke-linecap="round"
      />
    </svg>
  );
}
