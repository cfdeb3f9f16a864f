// XSS payloads on the pages that show user text besides the forum (whose
// corpus is in forum.test.ts): the opinion box's tracking page (the message
// and the public reply) and the observers' console (post queue, message queue
// and detail with contact name and notes, audit log). Everything must render
// as inert text: no dialog, no injected element or handler, no script URL,
// no CSP violation.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hydrated, jsErrors, useBrowser } from '../support/browser';
import { apiSession, consoleLogin } from '../support/observe';

const b = useBrowser();
const CORPUS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=1">',
  '<svg onload="window.__xss=1"><script>window.__xss=1</script></svg>',
  '"><iframe src="javascript:window.__xss=1">',
  "'><body onload=window.__xss=1>",
  '<a href="javascript:window.__xss=1">点我</a>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>',
  '{@html "<b>x</b>"} $\u007bwindow.__xss=1} {{constructor.constructor("window.__xss=1")()}}',
];
const MARK = `XSS${Date.now() % 100000}`;
const TEXT = `${MARK} 反映问题:\n${CORPUS.join('\n')}`;
const NAME = '<b onclick=x>王</b>';

/** Nothing on the page came from markup in user text. */
async function expectInert(p: Page, dialogs: string[]) {
  await p.waitForTimeout(300);
  const found = await p.evaluate(() => ({
    handlers: [...document.querySelectorAll('body *')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name)))
      .length,
    injected: document.querySelectorAll(
      'iframe, img[src="x"], math, mglyph, [href^="javascript:" i], [src^="javascript:" i], body svg[onload]',
    ).length,
    scripts: [...document.scripts].filter((s) => /__xss/.test(s.textContent ?? '')).length,
    flag: (window as unknown as { __xss?: number }).__xss ?? null,
  }));
  expect(found).toEqual({ handlers: 0, injected: 0, scripts: 0, flag: null });
  expect(dialogs).toEqual([]);
  expect(jsErrors(p)).toEqual([]);
}

function watchDialogs(p: Page) {
  const dialogs: string[] = [];
  p.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  return dialogs;
}

describe('user text on the tracking page and in the observers console', () => {
  it('renders payloads in a message, its contact name, notes, the reply, a post and a hide reason as text', async () => {
    const api = await apiSession(b.base);
    const sent = await fetch(`${b.base}/api/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': '192.0.2.231' },
      body: JSON.stringify({
        appraisal: 'county-2026',
        body: TEXT,
        contact: { name: NAME, phone: '0799-5550000' },
        turnstileToken: 'XXXX.DUMMY.TOKEN.XXXX',
      }),
    });
    expect(sent.status).toBe(201);
    const { tracking } = (await sent.json()) as { tracking: string };
    const queue = (await (await api.get('/api/v1/observe/messages?appraisal=county-2026&scope=all')).json()) as {
      items: { id: string; body: string }[];
    };
    const message = queue.items.find((m) => m.body.startsWith(MARK));
    expect(message).toBeTruthy();
    const id = message?.id as string;
    expect((await api.post(`/api/v1/observe/messages/${id}/notes`, { text: `备注 ${CORPUS.join(' ')}` })).status).toBe(
      200,
    );
    // Only the assignee may reveal the contact: the lead takes the message.
    const me = ((await (await api.get('/api/v1/observe/session')).json()) as { observer: { id: string } }).observer.id;
    expect((await api.post(`/api/v1/observe/messages/${id}/assign`, { observer: me })).status).toBe(200);
    const reply = `答复 ${MARK}: ${CORPUS.join(' ')}`;
    expect((await api.post(`/api/v1/observe/messages/${id}/reply`, { text: reply })).status).toBe(200);

    // A pending forum post full of payloads, and one hidden with a payload as its reason.
    const post = (title: string, ip: string) =>
      fetch(`${b.base}/api/v1/forum/threads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip },
        body: JSON.stringify({
          appraisal: 'county-2026',
          title,
          body: TEXT,
          displayName: NAME,
          turnstileToken: 'XXXX.DUMMY.TOKEN.XXXX',
        }),
      });
    expect((await post(`${MARK} <svg onload=alert(1)>`, '192.0.2.232')).status).toBe(201);
    const hidden = (await (await post(`${MARK} 将被隐藏`, '192.0.2.233')).json()) as { post: string };
    const hideReason = '<img src=x onerror=window.__xss=1>';
    expect((await api.post(`/api/v1/observe/posts/${hidden.post}/hide`, { reason: hideReason })).status).toBe(200);

    // The tracking page: the sender's text and the public reply.
    const track = await b.page('/messages/track/');
    const trackDialogs = watchDialogs(track);
    await hydrated(track);
    await track.getByLabel('查询号').fill(tracking);
    await track.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => track.getByTestId('reply').innerText()).toBe(reply);
    expect(await track.locator('main').innerText()).toContain(CORPUS[0]);
    await expectInert(track, trackDialogs);
    await track.close();

    // The console: post queue, message queue and detail, audit log.
    const p = await b.page('/observe/');
    const dialogs = watchDialogs(p);
    await consoleLogin(p);
    await expect.poll(() => p.locator('ol.items').innerText()).toContain(`${MARK} <svg onload=alert(1)>`);
    expect(await p.locator('ol.items').innerText()).toContain(CORPUS[1]);
    expect(await p.locator('ol.items').innerText()).toContain(NAME);
    await expectInert(p, dialogs);
    await p.getByRole('button', { name: '民意调查箱' }).click();
    const row = p.locator('tr', { hasText: MARK });
    await row.waitFor();
    await expectInert(p, dialogs);
    await row.getByRole('button', { name: '办理' }).click();
    await p.getByRole('button', { name: '查看联系方式' }).click();
    await expect.poll(() => p.getByTestId('contact').innerText()).toContain(NAME);
    expect(await p.locator('article.message').innerText()).toContain(CORPUS[2]);
    expect(await p.locator('ul.notes').innerText()).toContain(CORPUS[3]);
    await expectInert(p, dialogs);
    await p.getByRole('button', { name: '操作日志' }).click();
    await expect.poll(() => p.locator('table.audit').innerText()).toContain('隐藏');
    await expectInert(p, dialogs);
    await p.close();
  });
});
