import { Page } from '../ui/page';

/** Placeholder while the page is being built (issue 9). */
export function CommitmentPage(_props: { commitmentId: string; query: URLSearchParams }) {
  return <Page title="CommitmentPage">{null}</Page>;
}
