// The appraisal page's live section of evaluation meetings (测评大会): for each
// instrument that takes paper, the meetings whose day has ended, with their
// counts, the same figures as GET /api/v1/instruments/{id}/meetings. Rendered
// on the server (no script); hono/html escapes every value.
import type { Context } from 'hono';
import { html } from 'hono/html';
import { takesPaper } from '../../domain/meeting';
import type { PublicMeetings } from '../../domain/schemas/meeting';
import { t } from '../../i18n';
import type { AppEnv } from '../env';
import { meetingsForPublic } from '../routes/meetings';

const p = t.meetings.public;

function table(title: string, body: PublicMeetings) {
  return html`<div class="table-wrap"><table class="meetings" data-instrument="${body.instrument}">
<caption>${p.caption(title)}</caption>
<thead><tr><th scope="col">${p.heldOn}</th><th scope="col">${p.place}</th><th scope="col">${p.categories}</th><th scope="col" class="num">${p.issued}</th><th scope="col" class="num">${p.returned}</th><th scope="col" class="num">${p.spoilt}</th><th scope="col" class="num">${p.counted}</th></tr></thead>
<tbody>${body.meetings.map(
    (m) =>
      html`<tr><th scope="row" class="nowrap">${m.heldOn}</th><td>${m.place}</td><td>${m.categoryLabels.join('、')}</td><td class="num">${m.issued}</td><td class="num">${m.returned}</td><td class="num">${m.spoilt}</td><td class="num">${m.counted}</td></tr>`,
  )}</tbody>
</table></div>`;
}

/** The section's HTML for an appraisal. */
export async function appraisalMeetings(c: Pick<Context<AppEnv>, 'get'>, appraisal: string): Promise<string> {
  const instruments = c.get('catalog').instruments.filter((i) => i.appraisal === appraisal && takesPaper(i));
  const lists = await Promise.all(
    instruments.map(async (i) => ({ title: i.title, body: await meetingsForPublic(c, i.id) })),
  );
  const held = lists.filter((l) => l.body.meetings.length > 0);
  if (held.length === 0) return String(html`<p>${p.none}</p>`);
  return String(html`${held.map((l) => table(l.title, l.body))}`);
}
