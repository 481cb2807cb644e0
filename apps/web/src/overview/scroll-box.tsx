import type { ReactNode } from 'react';

/**
 * A box that scrolls sideways on a narrow screen (a wide table on a phone): focusable and named, so
 * that it can be scrolled with the keyboard and a screen reader says what it holds (RGAA 7.x, 12.x).
 */
export function ScrollBox({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
