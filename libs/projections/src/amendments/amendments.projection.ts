import type { Projection } from '../projection';

/** The amendments register: each amendment with its approving decision, signatures and effects. */
export const amendmentsProjection: Projection = {
  name: 'amendments',
  entities: [],
  async apply(): Promise<void> {},
};
