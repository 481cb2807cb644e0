import type { Projection } from '../projection';

/** The governance register: bodies and memberships over time, meetings, attendance, quorum, votes, decisions. */
export const governanceProjection: Projection = {
  name: 'governance',
  entities: [],
  async apply(): Promise<void> {},
};
