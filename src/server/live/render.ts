// The live sections of the static pages, rendered on the server as plain HTML
// (no script): hono/html escapes every value, so user text (messages,
// replies, reasons) can only ever be text. Classes come from the site's
// stylesheet (src/styles/global.css).
import { html } from 'hono/html';
import type { RuntimeCatalog } from '../../domain/catalog';
import { objectionWindowOf } from '../../domain/objection';
import { rangeStatus } from '../../domain/phase';
import type { IsoDate } from '../../domain/schemas/common';
import { type MessageStats, type MessageTopic, messageTopics, type PublicMessage } from '../../domain/schemas/message';
import type { PublicDecision } from '../../domain/schemas/objection';
import { ledgerProgress, type RectificationItem } from '../../domain/schemas/rectification';
import { t } from '../../i18n';
import { subjectName } from '../routes/observe/live';

const f = t.followUp;
type Html = ReturnType<typeof html>;

const percentText = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`);
const appraisalTitle = (catalog: RuntimeCatalog, id: string) =>
  catalog.appraisals.find((a) => a.id === id)?.title ?? id;
const unitName = (catalog: RuntimeCatalog, id: string | null) =>
  id ? (catalog.units.find((u) => u.id === id)?.name ?? id) : f.answered.aboutAppraisal;

function progressLine(items: RectificationItem[], label: string): Html {
  const p = ledgerProgress(items);
  return html`<p class="ledger-progress"><progress max="${p.total}" value="${p.done}" aria-label="${label}">${p.percent}%</progress>
<span>${f.rectification.progress(p.done, p.total, p.percent)}</span>${
    p.overdue > 0 ? html` <span class="status status-overdue">${f.rectification.overdueCount(p.overdue)}</span>` : ''
  }</p>`;
}

function statusCell(i: RectificationItem): Html {
  const late = i.status === 'done' && i.completedOn && i.completedOn > i.deadline;
  return html`<span class="status status-${i.status}">${f.rectification.status[i.status]}</span>${
    i.completedOn
      ? html`<br /><span class="muted">${i.completedOn}${late ? ` (${f.rectification.lateDone})` : ''}</span>`
      : ''
  }`;
}

/** A unit's ledger, one table per appraisal (newest first), each with its progress. */
export function unitLedger(catalog: RuntimeCatalog, unit: string, items: RectificationItem[], today: IsoDate): Html {
  const c = f.rectification.columns;
  const mine = items.filter((i) => i.unit === unit);
  if (mine.length === 0) return html`<p>${f.rectification.none}</p>`;
  const appraisals = [...new Set(mine.map((i) => i.appraisal))].sort().reverse();
  const name = unitName(catalog, unit);
  return html`<p class="muted">${f.rectification.asOf(today)}</p>${appraisals.map((a) => {
    const list = mine.filter((i) => i.appraisal === a);
    const title = appraisalTitle(catalog, a);
    return html`<section class="ledger" aria-labelledby="ledger-${a}"><h3 id="ledger-${a}">${title}</h3>
${progressLine(list, `${name} ${title} ${c.progress}`)}
<div class="table-wrap"><table class="ledger-table"><caption>${f.rectification.caption(name, title)}</caption>
<thead><tr><th scope="col">${c.problem}</th><th scope="col">${c.source}</th><th scope="col">${c.measure}</th><th scope="col">${c.responsible}</th><th scope="col">${c.deadline}</th><th scope="col">${c.status}</th><th scope="col">${c.evidence}</th></tr></thead>
<tbody>${list.map(
      (i) =>
        html`<tr id="ledger-${i.id}" data-status="${i.status}"><th scope="row" class="user-text">${i.problem}</th><td>${f.rectification.sources[i.source]}${
          i.sourceNote ? html`<br /><span class="muted">${i.sourceNote}</span>` : ''
        }</td><td class="user-text">${i.measure}</td><td>${i.responsible}</td><td class="nowrap">${i.deadline}</td><td>${statusCell(i)}</td><td class="user-text">${i.evidence ?? ''}</td></tr>`,
    )}</tbody></table></div></section>`;
  })}`;
}

/** Every unit's progress, per appraisal: the ledger's front page. */
export function ledgerSummary(catalog: RuntimeCatalog, items: RectificationItem[], today: IsoDate): Html {
  if (items.length === 0) return html`<p>${f.rectification.noneAll}</p>`;
  const c = f.rectification.columns;
  const appraisals = [...new Set(items.map((i) => i.appraisal))].sort().reverse();
  return html`<p class="muted">${f.rectification.asOf(today)}</p>${appraisals.map((a) => {
    const list = items.filter((i) => i.appraisal === a);
    const units = [...new Set(list.map((i) => i.unit))].sort((x, y) =>
      unitName(catalog, x).localeCompare(unitName(catalog, y), 'zh-CN'),
    );
    const title = appraisalTitle(catalog, a);
    return html`<section aria-labelledby="summary-${a}"><h2 id="summary-${a}">${title}</h2>
${progressLine(list, `${title} ${c.progress}`)}
<div class="table-wrap"><table class="ledger-summary"><caption>${f.rectification.summaryCaption(title)}</caption>
<thead><tr><th scope="col">${c.unit}</th><th scope="col" class="num">${c.items}</th><th scope="col" class="num">${c.done}</th><th scope="col" class="num">${c.overdue}</th><th scope="col" class="num">${c.progress}</th></tr></thead>
<tbody>${units.map((u) => {
      const p = ledgerProgress(list.filter((i) => i.unit === u));
      return html`<tr data-unit="${u}"><th scope="row"><a href="/units/${u}/#rectification">${unitName(catalog, u)}</a></th><td class="num">${p.total}</td><td class="num">${p.done}</td><td class="num">${p.overdue}</td><td class="num">${p.percent}%</td></tr>`;
    })}</tbody></table></div></section>`;
  })}`;
}

/** A unit's handling of messages in one appraisal; satisfaction only from MIN_RATINGS ratings on. */
export function unitMessages(catalog: RuntimeCatalog, unit: string, appraisal: string, stats: MessageStats[]): Html {
  const a = f.answered;
  const days = catalog.appraisals.find((x) => x.id === appraisal)?.messages.replyWorkingDays ?? 15;
  const s = stats.find((x) => x.unit === unit && x.appraisal === appraisal);
  const link = html`<p><a href="/messages/answered/?unit=${unit}">${a.seeAnswered}</a></p>`;
  if (!s || s.received === 0) return html`<p>${a.noneYet}</p><p class="muted">${a.rule(days)}</p>${link}`;
  return html`<p>${a.statsLead(appraisalTitle(catalog, appraisal))}</p>
<dl class="facts message-stats"><dt>${a.received}</dt><dd data-stat="received">${s.received}</dd>
<dt>${a.handledRate}</dt><dd data-stat="handled">${percentText(s.handledRate)} (${s.handled} / ${s.received})</dd>
<dt>${a.onTimeRate}</dt><dd data-stat="on-time">${percentText(s.onTimeRate)} (${s.onTime} / ${s.handled})</dd>
<dt>${a.satisfaction}</dt><dd data-stat="satisfaction">${
    s.satisfaction === null ? a.fewRatings(s.rated) : `${percentText(s.satisfaction)} (${s.satisfied} / ${s.rated})`
  }</dd></dl>
<p class="muted">${a.rule(days)}</p>${link}`;
}

/** The results page's objection section: the window (and the online form while it is open) and the public decisions. */
export function resultObjections(
  catalog: RuntimeCatalog,
  appraisal: string,
  decisions: PublicDecision[],
  today: IsoDate,
): Html {
  const o = f.objections;
  const a = catalog.appraisals.find((x) => x.id === appraisal);
  const w = a ? objectionWindowOf(a) : null;
  const status = w ? rangeStatus(w, today) : null;
  const mine = decisions.filter((d) => d.appraisal === appraisal);
  const windowLine = !w
    ? html`<p>${o.window.notPublished}</p>`
    : status === 'open'
      ? html`<p class="notice-box" data-window="open">${o.window.open(w.start, w.end)}</p><p><a class="button" href="/objections/new/?appraisal=${appraisal}">${o.howOnline}</a> <a href="/objections/track/">${o.trackTitle}</a></p>`
      : html`<p data-window="${status}">${status === 'upcoming' ? o.window.upcoming(w.start, w.end) : o.window.ended(w.start, w.end)}</p>`;
  const c = o.columns;
  return html`${windowLine}<h3 id="decisions">${o.publicTitle}</h3><p class="muted">${o.publicLead}</p>${
    mine.length === 0
      ? html`<p>${o.publicNone}</p>`
      : html`<ul class="cards decisions">${mine.map(
          (
            d,
          ) => html`<li class="card decision" id="decision-${d.id}"><h4>${subjectName(catalog, d.subject)} · ${o.kinds[d.kind]}: ${d.matter}</h4>
<p><span class="badge decision-${d.decision}">${o.decisions[d.decision]}</span> <span class="muted">${c.filed} ${d.filedOn} · ${c.answered} ${d.answeredOn}</span></p>
<p class="user-text"><strong>${c.reasons}:</strong> ${d.reasons}</p></li>`,
        )}</ul>`
  }`;
}

export const ANSWERED_PAGE = 20;

export interface AnsweredQuery {
  unit?: string;
  topic?: MessageTopic;
  page: number;
}

/** Read the list's filters from the page's address, ignoring anything unknown. */
export function answeredQuery(catalog: RuntimeCatalog, url: URL): AnsweredQuery {
  const unit = url.searchParams.get('unit') ?? '';
  const topic = url.searchParams.get('topic') ?? '';
  const page = Number.parseInt(url.searchParams.get('page') ?? '1', 10);
  return {
    unit: catalog.units.some((u) => u.id === unit) ? unit : undefined,
    topic: (messageTopics as readonly string[]).includes(topic) ? (topic as MessageTopic) : undefined,
    page: Number.isFinite(page) && page > 0 ? Math.min(page, 10_000) : 1,
  };
}

const pageHref = (q: AnsweredQuery, page: number) => {
  const p = new URLSearchParams();
  if (q.unit) p.set('unit', q.unit);
  if (q.topic) p.set('topic', q.topic);
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return `/messages/answered/${s ? `?${s}` : ''}`;
};

/** Published answers with a filter form that works without script (GET). */
export function answeredList(catalog: RuntimeCatalog, all: PublicMessage[], q: AnsweredQuery): Html {
  const a = f.answered;
  const list = all.filter((m) => (!q.unit || m.unit === q.unit) && (!q.topic || m.topic === q.topic));
  const pages = Math.max(1, Math.ceil(list.length / ANSWERED_PAGE));
  const page = Math.min(q.page, pages);
  const shown = list.slice((page - 1) * ANSWERED_PAGE, page * ANSWERED_PAGE);
  const about = (m: PublicMessage) => (m.subject ? subjectName(catalog, m.subject) : a.aboutAppraisal);
  return html`<form class="filters answered-filters" method="get" action="/messages/answered/">
<div class="select"><label for="answered-unit">${a.filterUnit}</label><select id="answered-unit" name="unit"><option value="">${a.allUnits}</option>${catalog.units.map(
    (u) => html`<option value="${u.id}"${u.id === q.unit ? html` selected` : ''}>${u.name}</option>`,
  )}</select></div>
<div class="select"><label for="answered-topic">${a.filterTopic}</label><select id="answered-topic" name="topic"><option value="">${a.allTopics}</option>${messageTopics.map(
    (k) => html`<option value="${k}"${k === q.topic ? html` selected` : ''}>${a.topics[k]}</option>`,
  )}</select></div>
<button class="button" type="submit">${a.filter}</button></form>
<p role="status" data-count="${list.length}">${a.count(list.length)}</p>${
    shown.length === 0
      ? html`<p>${a.none}</p>`
      : html`<ol class="cards answered-list">${shown.map(
          (
            m,
          ) => html`<li class="card answered" id="m-${m.id}" data-unit="${m.unit ?? ''}" data-topic="${m.topic}"><h2 class="answered-title"><span class="badge neutral">${a.topics[m.topic]}</span> ${about(m)}</h2>
<p class="muted">${appraisalTitle(catalog, m.appraisal)} · ${a.receivedOn(m.receivedOn)} · ${a.repliedOn(m.repliedOn)}</p>
<h3>${a.message}</h3><p class="user-text">${m.body}</p>
<h3>${a.reply}</h3><p class="user-text reply">${m.reply}</p></li>`,
        )}</ol>`
  }${
    pages > 1
      ? html`<nav class="pager" aria-label="${a.pager.page(page, pages)}">${
          page > 1 ? html`<a href="${pageHref(q, page - 1)}" rel="prev">${a.pager.previous}</a>` : ''
        } <span>${a.pager.page(page, pages)}</span> ${
          page < pages ? html`<a href="${pageHref(q, page + 1)}" rel="next">${a.pager.next}</a>` : ''
        }</nav>`
      : ''
  }`;
}

/** A unit's rectification for one appraisal, compact for the printable report: progress, then problem, deadline, status. */
export function unitReportLedger(
  catalog: RuntimeCatalog,
  unit: string,
  appraisal: string,
  items: RectificationItem[],
  today: IsoDate,
): Html {
  const c = f.rectification.columns;
  const list = items.filter((i) => i.unit === unit && i.appraisal === appraisal);
  if (list.length === 0) return html`<p>${f.rectification.none}</p>`;
  const name = unitName(catalog, unit);
  const title = appraisalTitle(catalog, appraisal);
  return html`<p class="muted">${f.rectification.asOf(today)}</p>
${progressLine(list, `${name} ${title} ${c.progress}`)}
<div class="table-wrap"><table class="ledger-table"><caption>${f.rectification.caption(name, title)}</caption>
<thead><tr><th scope="col">${c.problem}</th><th scope="col">${c.deadline}</th><th scope="col">${c.status}</th></tr></thead>
<tbody>${list.map(
    (i) =>
      html`<tr data-status="${i.status}"><th scope="row" class="user-text">${i.problem}</th><td class="nowrap">${i.deadline}</td><td>${statusCell(i)}</td></tr>`,
  )}</tbody></table></div>`;
}
