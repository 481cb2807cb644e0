import { Page } from '../ui/page';

/** Placeholder while the page is being built (issue 9). */
export function ReceiptPage(_props: { seq: string }) {
  return <Page title="ReceiptPage">{null}</Page>;
}
