import { Page } from '../ui/page';

/** Placeholder while the page is being built (issue 9). */
export function BodyPage(_props: { bodyId: string; query: URLSearchParams }) {
  return <Page title="BodyPage">{null}</Page>;
}
