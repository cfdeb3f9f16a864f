// The public side of evaluation meetings (测评大会): after a meeting's day has
// ended (China's calendar), its date, place, the categories present and the
// ballot counts (issued, returned, spoilt, counted). Counts only: no ballot's
// content, nothing before the day is over. The appraisal page shows the same
// (src/server/live/render.ts, meetingList).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { categoryLabel } from '../../domain/catalog';
import { takesPaper } from '../../domain/meeting';
import { id } from '../../domain/schemas/common';
import { type PublicMeetings, publicMeetings } from '../../domain/schemas/meeting';
import { findInstrument } from '../catalog';
import { heldMeetings } from '../db/meetings';
import type { AppEnv } from '../env';
import { ApiError } from '../middleware/errors';
import { errorResponses, json, todayOf, type WithVariables } from './_helpers';

export const publicMeetingRoutes = new OpenAPIHono<AppEnv>();

/** An instrument's meetings as the public sees them (also rendered on the appraisal page). */
export async function meetingsForPublic(c: WithVariables, instrument: string): Promise<PublicMeetings> {
  const catalog = c.get('catalog');
  const inst = findInstrument(catalog, instrument);
  if (!inst) throw new ApiError(404, 'not_found');
  if (!takesPaper(inst)) return { instrument, meetings: [] };
  const label = categoryLabel(catalog, inst.appraisal);
  const rows = await heldMeetings(c.get('db'), inst.id, todayOf(c));
  return {
    instrument,
    meetings: rows.map(({ meeting: m, counted }) => {
      const categories = JSON.parse(m.categories) as string[];
      return {
        heldOn: m.heldOn,
        place: m.place,
        categories,
        categoryLabels: categories.map(label),
        issued: m.issued,
        returned: m.returned,
        spoilt: m.spoilt,
        counted,
      };
    }),
  };
}

publicMeetingRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/instruments/{id}/meetings',
    tags: ['instruments'],
    summary: '测评大会 (会议当天结束后公开): 日期、地点、到会类别、发出/收回/废票数、已计入的纸质选票数',
    request: { params: z.object({ id }) },
    responses: { 200: json(publicMeetings, 'Meetings'), ...errorResponses(400, 404) },
  }),
  async (c) => {
    const body = await meetingsForPublic(c, c.req.valid('param').id);
    c.header('Cache-Control', 'public, max-age=60');
    return c.json(body, 200);
  },
);
