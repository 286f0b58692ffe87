import type { ReactNode } from 'react';

/** One term and its value in a `<dl>` of facts. */
export function Fact(props: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </>
  );
}
